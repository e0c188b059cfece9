/* collector.c - gather every source's evidence, one entry per address */
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "collector.h"

int
collector_init(struct collector *c, const uint32_t *addrs, size_t n)
{
	size_t j;

	memset(c, 0, sizeof(*c));
	c->e = bigmem_calloc(n, sizeof(*c->e));
	if (c->e == NULL)
		return -1;
	c->addrs = addrs;
	c->n = n;
	for (j = 0; j < n; j++)
		c->e[j].ev.need = EVIDENCE_BIT(EVIDENCE_WIRE);
	c->counts[VERDICT_PENDING] = n;
	c->left[EVIDENCE_WIRE] = n;
	return 0;
}

void
collector_free(struct collector *c)
{
	size_t j;

	for (j = 0; j < c->n_d; j++)
		free(c->d[j].text);
	free(c->d);
	c->d = NULL;
	c->n_d = c->cap_d = 0;
	bigmem_free(c->e);
	c->e = NULL;
	c->n = 0;
}

/* collector_detail -- job J's detail, made if it has none; NULL: ENOMEM */
static struct collector_detail *
collector_detail(struct collector *c, size_t j)
{
	struct collector_entry *e = &c->e[j];

	if (e->detail != 0)
		return &c->d[e->detail - 1];
	if (c->n_d == c->cap_d) {
		size_t cap = c->cap_d ? c->cap_d * 2 : 64;
		struct collector_detail *d = realloc(c->d, cap * sizeof(*d));

		if (d == NULL)
			return NULL;
		c->d = d;
		c->cap_d = cap;
	}
	memset(&c->d[c->n_d], 0, sizeof(c->d[c->n_d]));
	e->detail = (uint32_t)++c->n_d;
	return &c->d[c->n_d - 1];
}

const char *
collector_text(const struct collector *c, size_t j)
{
	if (j >= c->n || c->e[j].detail == 0)
		return NULL;
	return c->d[c->e[j].detail - 1].text;
}

const uint8_t *
collector_mac(const struct collector *c, size_t j)
{
	const uint8_t *m;

	if (j >= c->n || c->e[j].detail == 0)
		return NULL;
	m = c->d[c->e[j].detail - 1].mac;
	return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) != 0 ? m : NULL;
}

int
collector_set_mac(struct collector *c, size_t j, const uint8_t mac[6])
{
	struct collector_detail *d;

	if (j >= c->n)
		return -1;
	if (collector_mac(c, j) != NULL)
		return 0;
	if ((d = collector_detail(c, j)) == NULL)
		return -1;
	memcpy(d->mac, mac, 6);
	return 0;
}

/* collector_update -- recompute job J's verdict and reason after a change */
static void
collector_update(struct collector *c, size_t j)
{
	struct collector_entry *e = &c->e[j];
	unsigned v = evidence_verdict(&e->ev);

	if (v != e->verdict) {
		c->counts[e->verdict]--;
		c->counts[v]++;
		e->verdict = (uint8_t)v;
	}
	e->reason = (uint8_t)evidence_reason(&e->ev);
}

void
collector_need(struct collector *c, size_t j, unsigned phase)
{
	struct collector_entry *e;
	uint8_t bit;

	if (j >= c->n || phase >= EVIDENCE_PHASE_MAX)
		return;
	e = &c->e[j];
	bit = EVIDENCE_BIT(phase);
	if (e->ev.need & bit)
		return;
	e->ev.need |= bit;
	if (!(e->ev.done & bit))
		c->left[phase]++;
	collector_update(c, j);
}

int
collector_report(struct collector *c, size_t j, unsigned phase,
    unsigned reason, unsigned probes, uint32_t rtt_us, uint32_t aux)
{
	struct collector_entry *e;
	unsigned before, cls;
	int fresh;

	if (j >= c->n || phase >= EVIDENCE_PHASE_MAX || reason >= REASON_MAX)
		return -1;
	e = &c->e[j];
	cls = evidence_class(reason);
	before = e->reason;
	/* an answer after the wire phase called it silent: a late reply */
	if (cls == EVIDENCE_ANSWERED && e->ev.answered == 0 &&
	    (e->ev.silent & EVIDENCE_BIT(EVIDENCE_WIRE)) &&
	    (reason == REASON_ECHO_REPLY || reason == REASON_ARP_REPLY))
		e->late = 1;
	fresh = evidence_add(&e->ev, phase, reason);
	if (fresh < 0)
		return -1;
	if (cls == EVIDENCE_NONE)
		return 0;
	if (fresh && (e->ev.need & EVIDENCE_BIT(phase)) && c->left[phase] > 0)
		c->left[phase]--;
	if (probes > e->probes)
		e->probes = (uint8_t)(probes > 255 ? 255 : probes);
	if (cls == EVIDENCE_ANSWERED && rtt_us != 0 && e->rtt_us == 0)
		e->rtt_us = rtt_us;
	collector_update(c, j);
	/* the details go with the evidence that explains the verdict */
	if (e->reason != before && e->reason == reason)
		e->aux = aux;
	if (e->reason != before && e->detail != 0) {
		free(c->d[e->detail - 1].text);
		c->d[e->detail - 1].text = NULL;
	}
	return fresh;
}

int
collector_report_text(struct collector *c, size_t j, unsigned phase,
    unsigned reason, const char *text)
{
	int rc = collector_report(c, j, phase, reason, 0, 0, 0);
	struct collector_detail *d;

	if (rc < 0 || text == NULL || c->e[j].reason != reason ||
	    collector_text(c, j) != NULL)
		return rc;
	if ((d = collector_detail(c, j)) == NULL ||
	    (d->text = strdup(text)) == NULL)
		return -1;
	return rc;
}

int
collector_record(struct collector *c, const struct record *r)
{
	if (r->type != RECORD_EVIDENCE)
		return -1;
	if (r->reason == REASON_ARP_REPLY && (r->aux2 & RECORD_MAC_SET) &&
	    r->job < c->n) {
		uint8_t m[6];

		m[0] = (uint8_t)(r->count >> 24);
		m[1] = (uint8_t)(r->count >> 16);
		m[2] = (uint8_t)(r->count >> 8);
		m[3] = (uint8_t)r->count;
		m[4] = (uint8_t)(r->aux2 >> 8);
		m[5] = (uint8_t)r->aux2;
		/* out of memory: the MAC is only for the history's notes */
		(void)collector_set_mac(c, r->job, m);
	}
	return collector_report(c, r->job, EVIDENCE_WIRE, r->reason, r->probes,
	    r->rtt_us, r->aux);
}

int
collector_done(const struct collector *c, size_t j, unsigned phase)
{
	return j < c->n && phase < EVIDENCE_PHASE_MAX &&
	    (c->e[j].ev.done & EVIDENCE_BIT(phase)) != 0;
}

int
collector_candidate(const struct collector *c, size_t j)
{
	const struct evidence *ev;

	if (j >= c->n)
		return 0;
	ev = &c->e[j].ev;
	return ev->answered == 0 && ev->doubt == 0 &&
	    (ev->silent & EVIDENCE_BIT(EVIDENCE_WIRE)) != 0;
}

void
collector_finish(struct collector *c, unsigned phase, unsigned why)
{
	uint8_t bit;
	size_t j;

	if (phase >= EVIDENCE_PHASE_MAX)
		return;
	/* only a doubt may close a phase that did not finish */
	if (evidence_class(why) != EVIDENCE_CANNOT_TELL)
		why = REASON_PHASE_FAILED;
	bit = EVIDENCE_BIT(phase);
	for (j = 0; j < c->n && c->left[phase] > 0; j++)
		if ((c->e[j].ev.need & bit) && !(c->e[j].ev.done & bit))
			collector_report(c, j, phase, why, 0, 0, 0);
}
