/* collector.c - merge the workers' evidence into one verdict per address */
#include <stdlib.h>
#include <string.h>

#include "collector.h"

int
collector_init(struct collector *c, const uint32_t *addrs, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->e = calloc(n ? n : 1, sizeof(*c->e));
	if (c->e == NULL)
		return -1;
	c->addrs = addrs;
	c->n = n;
	c->counts[VERDICT_PENDING] = n;
	return 0;
}

void
collector_free(struct collector *c)
{
	free(c->e);
	c->e = NULL;
	c->n = 0;
}

/*
 * collector_apply -- move job J to the merge of its verdict and V; keep the
 * reason and details of whatever evidence decided the current verdict.
 */
static int
collector_apply(struct collector *c, size_t j, unsigned v, unsigned reason,
    const struct record *r)
{
	struct collector_entry *e = &c->e[j];
	unsigned old = e->verdict, merged = verdict_merge(old, v);

	if (merged == old)
		return 0;
	/* a reply after the verdict; not TCP evidence, which comes after */
	if (old == VERDICT_FREE && merged == VERDICT_USED &&
	    (reason == REASON_ECHO_REPLY || reason == REASON_ARP_REPLY))
		e->late = 1;
	c->counts[old]--;
	c->counts[merged]++;
	e->verdict = (uint8_t)merged;
	e->reason = (uint8_t)reason;
	if (r != NULL) {
		e->probes = r->probes;
		e->rtt_us = r->rtt_us;
		e->aux = r->aux;
	}
	return old == VERDICT_PENDING;
}

int
collector_merge(struct collector *c, const struct record *r)
{
	if (r->type != RECORD_RESULT || r->job >= c->n)
		return -1;
	if (r->verdict != VERDICT_FREE && r->verdict != VERDICT_UNKNOWN &&
	    r->verdict != VERDICT_USED)
		return -1;
	return collector_apply(c, r->job, r->verdict, r->reason, r);
}

int
collector_set(struct collector *c, size_t j, unsigned v, unsigned reason)
{
	if (j >= c->n || c->e[j].verdict != VERDICT_PENDING)
		return 0;
	return collector_apply(c, j, v, reason, NULL);
}

int
collector_pending(const struct collector *c, size_t j)
{
	return j < c->n && c->e[j].verdict == VERDICT_PENDING;
}

void
collector_finish(struct collector *c, unsigned why)
{
	size_t j;

	for (j = 0; j < c->n && c->counts[VERDICT_PENDING] > 0; j++)
		collector_set(c, j, VERDICT_UNKNOWN, why);
}
