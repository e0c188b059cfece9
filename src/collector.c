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
	free(c->index);
	c->index = NULL;
	c->index_bits = 0;
	bigmem_free(c->e);
	c->e = NULL;
	c->n = 0;
}

/* collector_hash -- job J's first place in an index of 2^BITS */
static size_t
collector_hash(uint32_t j, unsigned bits)
{
	return (size_t)((j * 2654435761u) >> (32 - bits));
}

/* collector_find -- job J's detail, or NULL */
static struct collector_detail *
collector_find(const struct collector *c, size_t j)
{
	size_t h, mask;

	if (j >= c->n || !(c->e[j].flags & COLLECTOR_DETAIL))
		return NULL;
	mask = ((size_t)1 << c->index_bits) - 1;
	for (h = collector_hash((uint32_t)j, c->index_bits);
	    c->index[h] != 0; h = (h + 1) & mask)
		if (c->d[c->index[h] - 1].job == j)
			return &c->d[c->index[h] - 1];
	return NULL;
}

/* collector_reindex -- an index of 2^BITS places for the details; -1 */
static int
collector_reindex(struct collector *c, unsigned bits)
{
	size_t size = (size_t)1 << bits, k, h;
	uint32_t *x = calloc(size, sizeof(*x));

	if (x == NULL)
		return -1;
	for (k = 0; k < c->n_d; k++) {
		for (h = collector_hash(c->d[k].job, bits); x[h] != 0;
		    h = (h + 1) & (size - 1))
			;
		x[h] = (uint32_t)(k + 1);
	}
	free(c->index);
	c->index = x;
	c->index_bits = bits;
	return 0;
}

/* collector_detail -- job J's detail, made if it has none; NULL: ENOMEM */
static struct collector_detail *
collector_detail(struct collector *c, size_t j)
{
	struct collector_detail *d = collector_find(c, j);
	size_t h, mask;

	if (d != NULL)
		return d;
	/* at most half full */
	if ((c->n_d + 1) * 2 > ((size_t)1 << c->index_bits) &&
	    collector_reindex(c, c->index_bits ? c->index_bits + 1 : 6) < 0)
		return NULL;
	if (c->n_d == c->cap_d) {
		size_t cap = c->cap_d ? c->cap_d * 2 : 32;

		d = realloc(c->d, cap * sizeof(*d));
		if (d == NULL)
			return NULL;
		c->d = d;
		c->cap_d = cap;
	}
	d = &c->d[c->n_d++];
	memset(d, 0, sizeof(*d));
	d->job = (uint32_t)j;
	mask = ((size_t)1 << c->index_bits) - 1;
	for (h = collector_hash((uint32_t)j, c->index_bits); c->index[h] != 0;
	    h = (h + 1) & mask)
		;
	c->index[h] = (uint32_t)c->n_d;
	c->e[j].flags |= COLLECTOR_DETAIL;
	return d;
}

struct collector_entry
collector_entry(const struct collector *c, size_t j)
{
	const struct collector_slot *s = &c->e[j];
	const struct collector_detail *d = collector_find(c, j);
	struct collector_entry e;

	memset(&e, 0, sizeof(e));
	e.ev = s->ev;
	e.verdict = (uint8_t)evidence_verdict(&s->ev);
	e.reason = (uint8_t)evidence_reason(&s->ev);
	e.probes = s->probes;
	e.late = (s->flags & COLLECTOR_LATE) != 0;
	if (d != NULL) {
		e.rtt_us = d->rtt_us;
		e.aux = d->aux;
	}
	return e;
}

unsigned
collector_verdict(const struct collector *c, size_t j)
{
	return evidence_verdict(&c->e[j].ev);
}

unsigned
collector_reason(const struct collector *c, size_t j)
{
	return evidence_reason(&c->e[j].ev);
}

const char *
collector_text(const struct collector *c, size_t j)
{
	const struct collector_detail *d = collector_find(c, j);

	return d != NULL ? d->text : NULL;
}

const uint8_t *
collector_mac(const struct collector *c, size_t j)
{
	const struct collector_detail *d = collector_find(c, j);
	const uint8_t *m;

	if (d == NULL)
		return NULL;
	m = d->mac;
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

/* collector_count -- job J's verdict was BEFORE: count the one it has now */
static void
collector_count(struct collector *c, size_t j, unsigned before)
{
	unsigned v = evidence_verdict(&c->e[j].ev);

	if (v != before) {
		c->counts[before]--;
		c->counts[v]++;
	}
}

void
collector_need(struct collector *c, size_t j, unsigned phase)
{
	struct collector_slot *e;
	unsigned before;
	uint8_t bit;

	if (j >= c->n || phase >= EVIDENCE_PHASE_MAX)
		return;
	e = &c->e[j];
	bit = EVIDENCE_BIT(phase);
	if (e->ev.need & bit)
		return;
	before = evidence_verdict(&e->ev);
	e->ev.need |= bit;
	if (!(e->ev.done & bit))
		c->left[phase]++;
	collector_count(c, j, before);
}

int
collector_report(struct collector *c, size_t j, unsigned phase,
    unsigned reason, unsigned probes, uint32_t rtt_us, uint32_t aux)
{
	struct collector_slot *e;
	struct collector_detail *d;
	unsigned before, verdict, now, cls;
	int fresh;

	if (j >= c->n || phase >= EVIDENCE_PHASE_MAX || reason >= REASON_MAX)
		return -1;
	e = &c->e[j];
	cls = evidence_class(reason);
	before = evidence_reason(&e->ev);
	verdict = evidence_verdict(&e->ev);
	/* an answer after the wire phase called it silent: a late reply */
	if (cls == EVIDENCE_ANSWERED && e->ev.answered == 0 &&
	    (e->ev.silent & EVIDENCE_BIT(EVIDENCE_WIRE)) &&
	    (reason == REASON_ECHO_REPLY || reason == REASON_ARP_REPLY))
		e->flags |= COLLECTOR_LATE;
	fresh = evidence_add(&e->ev, phase, reason);
	if (fresh < 0)
		return -1;
	if (cls == EVIDENCE_NONE)
		return 0;
	if (fresh && (e->ev.need & EVIDENCE_BIT(phase)) && c->left[phase] > 0)
		c->left[phase]--;
	if (probes > e->probes)
		e->probes = (uint8_t)(probes > 255 ? 255 : probes);
	collector_count(c, j, verdict);
	now = evidence_reason(&e->ev);
	/* a detail only when there is one to keep (out of memory: lost) */
	d = collector_find(c, j);
	if (d == NULL && ((cls == EVIDENCE_ANSWERED && rtt_us != 0) ||
	    (now != before && now == reason && aux != 0)))
		d = collector_detail(c, j);
	if (d != NULL && cls == EVIDENCE_ANSWERED && rtt_us != 0 &&
	    d->rtt_us == 0)
		d->rtt_us = rtt_us;
	/* the details go with the evidence that explains the verdict */
	if (d != NULL && now != before && now == reason)
		d->aux = aux;
	if (d != NULL && now != before) {
		free(d->text);
		d->text = NULL;
	}
	return fresh;
}

int
collector_report_text(struct collector *c, size_t j, unsigned phase,
    unsigned reason, const char *text)
{
	int rc = collector_report(c, j, phase, reason, 0, 0, 0);
	struct collector_detail *d;

	if (rc < 0 || text == NULL || evidence_reason(&c->e[j].ev) != reason ||
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
