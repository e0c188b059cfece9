/* phase.c - the phases of a run besides the wire sweep: canaries and TCP */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "diag.h"
#include "dns.h"
#include "phase.h"
#include "tcp.h"

/* Connections the TCP phase keeps open at once. */
#define PHASE_TCP_INFLIGHT 256
/* Reverse lookups the DNS phase keeps in flight at once. */
#define PHASE_DNS_INFLIGHT 64

void
phase_needs(const struct plan *p, struct collector *c)
{
	size_t i, j;

	for (i = 0; i < p->n_ranges; i++) {
		if (p->ranges[i].canary.n == 0)
			continue;
		for (j = 0; j < c->n; j++)
			if (targets_contains(&p->ranges[i].set, c->addrs[j]))
				collector_need(c, j, EVIDENCE_CANARY);
	}
	for (j = 0; j < c->n; j++) {
		if (p->ranges[plan_range_of(p, j)].n_ports > 0)
			collector_need(c, j, EVIDENCE_TCP);
		if (p->ranges[plan_range_of(p, j)].dns)
			collector_need(c, j, EVIDENCE_DNS);
	}
}

/*
 * phase_path_error -- 1 when evidence REASON with details AUX says that
 * the path to a routed address is broken, not that one host is filtered:
 * net unreachable or unknown, net prohibited, source route failed, source
 * host isolated, TOS or precedence cutoff, time exceeded, parameter
 * problem, source quench, redirect, or a host unreachable that came too
 * soon to be the last hop's (a route of type unreachable answers that
 * way for a whole network).  A filter that rejects one host (host
 * prohibited, communication prohibited) speaks for that host only.
 */
static int
phase_path_error(unsigned reason, uint32_t aux)
{
	unsigned type = aux >> 8, code = aux & 0xff;

	if (reason == REASON_ADMIN_PROHIBITED)
		return type == 3 && code == 9;
	if (reason != REASON_ICMP_ERROR)
		return 0;
	if (type == 3)
		return code == 0 || code == 1 || code == 5 || code == 6 ||
		    code == 8 || code == 11 || code == 12 || code == 15;
	return type == 4 || type == 5 || type == 11 || type == 12;
}

/*
 * phase_lost_error -- 1 when evidence REASON is an ICMP error that an
 * engine which loses errors unseen may have lost for a neighbour too: any
 * that left the address unknown.
 */
static int
phase_lost_error(unsigned reason)
{
	return reason == REASON_ADMIN_PROHIBITED ||
	    reason == REASON_ICMP_ERROR || reason == REASON_PING_ERRORS;
}

void
phase_path_report(const struct plan *p, struct collector *c,
    const uint8_t *onlink, int unseen)
{
	size_t i, j, hit;
	uint32_t aux;
	long first;
	int path, filter;

	for (i = 0; i < p->n_ranges; i++) {
		size_t filtered = 0;

		first = -1;
		path = filter = 0;
		for (j = 0; j < c->n; j++) {
			struct collector_entry e = collector_entry(c, j);
			unsigned reason = e.reason;

			if (plan_range_of(p, j) != i || (onlink && onlink[j]))
				continue;
			/*
			 * A filter that prohibits two addresses of a range
			 * is a filter on the range: routers send such errors
			 * to one host at about one a second too (Linux:
			 * icmp_ratelimit), so the silence of the others says
			 * nothing.  One prohibited address speaks for itself.
			 */
			path = phase_path_error(reason, e.aux);
			if (!path && reason == REASON_ADMIN_PROHIBITED &&
			    ++filtered == 2)
				path = filter = 1;
			if (path) {
				first = (long)j;
				break;
			}
			if (first < 0 && unseen && phase_lost_error(reason))
				first = (long)j;
		}
		if (first < 0)
			continue;
		aux = collector_entry(c, first).aux;
		hit = 0;
		for (j = 0; j < c->n; j++) {
			if (plan_range_of(p, j) != i || (onlink && onlink[j]) ||
			    !collector_candidate(c, j))
				continue;
			collector_report(c, j, EVIDENCE_WIRE,
			    REASON_RANGE_ERRORS, 0, 0, aux);
			hit++;
		}
		if (hit > 0) {
			char a[ADDR_STRLEN], what[64], who[160];

			if (aux != 0)
				snprintf(what, sizeof(what),
				    "icmp type %u code %u", aux >> 8,
				    aux & 0xff);
			else
				snprintf(what, sizeof(what), "errors");
			addr_format(c->addrs[first], a);
			if (filter)
				snprintf(who, sizeof(who), "a filter answered "
				    "%s and more with %s", a, what);
			else if (path)
				snprintf(who, sizeof(who), "the path answered "
				    "%s with %s", a, what);
			else
				snprintf(who, sizeof(who), "ping(8) reported %s "
				    "for %s", what, a);
			diag_warn("range '%s': %s: its %zu silent address%s "
			    "unknown, not free (%s)%s", p->ranges[i].name, who,
			    hit, hit == 1 ? " is" : "es are", path ?
			    "routers rate-limit such errors" :
			    "ping(8) can lose such errors without a word",
			    path && !filter ? "; is a route down?" : "");
		}
	}
}

long
phase_canaries_run(struct phase_canaries *pc, const struct options *o,
    const struct plan *p, struct engine *e, const struct pool_params *base,
    char *err, size_t errlen)
{
	struct targets_set all;
	struct pool_params pp;
	struct pool_stats st;
	size_t i, n = 0;
	int rc = 0;

	memset(pc, 0, sizeof(*pc));
	targets_init(&all);
	for (i = 0; i < p->n_ranges && rc == 0; i++)
		rc = targets_add_set(&all, &p->ranges[i].canary);
	targets_normalise(&all);
	if (rc == 0 && all.n > 0)
		rc = targets_expand(&all, (uint64_t)CONFIG_CANARY_MAX *
		    (p->n_ranges + 1), &pc->addrs, &n, err, errlen);
	targets_free(&all);
	if (rc < 0 || n == 0)
		return rc < 0 ? -1 : 0;
	if (collector_init(&pc->c, pc->addrs, n) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	engine_jobs(e, pc->addrs, n, 0);
	engine_params(e, o, n, base, &pp);
	pp.tick = NULL;
	rc = pool_run(&pp, &e->pool, &pc->c, &st, err, errlen);
	engine_jobs(e, p->addrs, p->n, 1);
	if (rc < 0)
		return -1;
	/* cut short, their silence would prove nothing */
	pc->finished = !st.stopped;
	return (long)n;
}

void
phase_canaries_report(const struct phase_canaries *pc, const struct plan *p,
    struct collector *c)
{
	char a[ADDR_STRLEN];
	size_t i, j, k, hit;

	if (!pc->finished)
		return;
	for (i = 0; i < p->n_ranges; i++) {
		const struct targets_set *cs = &p->ranges[i].canary;
		int alive = 0;

		if (cs->n == 0)
			continue;
		for (k = 0; k < pc->c.n && !alive; k++)
			alive = collector_verdict(&pc->c, k) == VERDICT_USED &&
			    targets_contains(cs, pc->c.addrs[k]);
		hit = 0;
		for (j = 0; j < c->n; j++) {
			if (!targets_contains(&p->ranges[i].set, c->addrs[j]))
				continue;
			hit += !alive && collector_candidate(c, j);
			collector_report(c, j, EVIDENCE_CANARY, alive ?
			    REASON_CANARY_OK : REASON_CANARY_SILENT, 0, 0, 0);
		}
		if (!alive)
			diag_warn("range '%s': no canary answered (%s%s): its "
			    "%zu silent address%s unknown, not free; is a "
			    "filter dropping ICMP?", p->ranges[i].name,
			    addr_format(cs->spans[0].lo, a),
			    targets_count(cs) > 1 ? ", ..." : "", hit,
			    hit == 1 ? " is" : "es are");
	}
}

void
phase_canaries_free(struct phase_canaries *pc)
{
	collector_free(&pc->c);
	free(pc->addrs);
	pc->addrs = NULL;
}

/* phase_tcp_reason -- the evidence in one tcp_probe() result */
static unsigned
phase_tcp_reason(uint8_t res)
{
	switch (res) {
	case TCP_ALIVE_ACCEPT:
		return REASON_TCP_ACCEPT;
	case TCP_ALIVE_REFUSED:
		return REASON_TCP_REFUSED;
	case TCP_SILENT:
	case TCP_UNREACH:
		return REASON_TCP_SILENT;
	case TCP_ERROR:
		return REASON_TCP_ERROR;
	default:
		return REASON_NONE;   /* not tried: the phase did not finish */
	}
}

int
phase_tcp(const struct plan *p, struct collector *c, unsigned timeout_ms,
    const struct tcp_stop *stop, char *err, size_t errlen)
{
	uint32_t *addrs = calloc(c->n ? c->n : 1, sizeof(*addrs));
	size_t *job = calloc(c->n ? c->n : 1, sizeof(*job));
	uint8_t *res = calloc(c->n ? c->n : 1, 1);
	size_t i, j, k, m;
	int rc = 0, e = 0;

	if (addrs == NULL || job == NULL || res == NULL) {
		snprintf(err, errlen, "out of memory");
		e = ENOMEM;
		rc = -1;
	}
	for (i = 0; rc == 0 && i < p->n_ranges; i++) {
		const struct plan_range *r = &p->ranges[i];

		if (r->n_ports == 0)
			continue;
		for (j = 0, m = 0; j < c->n; j++)
			if (plan_range_of(p, j) == i && collector_candidate(c,
			    j)) {
				addrs[m] = c->addrs[j];
				job[m++] = j;
			}
		if (m == 0)
			continue;
		diag_verbose(1, "trying %zu TCP port%s on %zu silent addresses",
		    r->n_ports, r->n_ports == 1 ? "" : "s", m);
		if (tcp_probe(addrs, m, r->ports, r->n_ports, timeout_ms,
		    PHASE_TCP_INFLIGHT, stop, res, err, errlen) < 0) {
			e = errno;
			rc = -1;
		}
		for (k = 0; k < m; k++)
			collector_report(c, job[k], EVIDENCE_TCP,
			    phase_tcp_reason(res[k]), 0, 0, 0);
	}
	free(addrs);
	free(job);
	free(res);
	errno = e;
	return rc;
}

int
phase_dns(const struct plan *p, struct collector *c, const struct options *o,
    const struct tcp_stop *stop, char *err, size_t errlen)
{
	uint32_t *addrs = calloc(c->n ? c->n : 1, sizeof(*addrs));
	size_t *job = calloc(c->n ? c->n : 1, sizeof(*job));
	uint8_t *res = calloc(c->n ? c->n : 1, 1);
	char **text = calloc(c->n ? c->n : 1, sizeof(*text));
	size_t j, k, m = 0, failed = 0, named = 0;
	const char *why = NULL;
	int rc = 0;

	if (addrs == NULL || job == NULL || res == NULL || text == NULL) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	for (j = 0; j < c->n; j++)
		if (p->ranges[plan_range_of(p, j)].dns && collector_candidate(c,
		    j)) {
			addrs[m] = c->addrs[j];
			job[m++] = j;
		}
	if (m == 0)
		goto out;
	diag_verbose(1, "looking up the PTR names of %zu silent addresses", m);
	if (dns_ptr(addrs, m, o->dns_server, o->timeout_ms,
	    PHASE_DNS_INFLIGHT, stop, res, text, err, errlen) < 0) {
		/* no lookup at all: none of them can be free */
		for (k = 0; k < m; k++)
			collector_report_text(c, job[k], EVIDENCE_DNS,
			    REASON_DNS_ERROR, err);
		rc = -1;
		goto out;
	}
	for (k = 0; k < m; k++) {
		switch (res[k]) {
		case DNS_NAME:
			named++;
			collector_report_text(c, job[k], EVIDENCE_DNS,
			    REASON_DNS_PTR, text[k]);
			break;
		case DNS_NONE:
			collector_report(c, job[k], EVIDENCE_DNS,
			    REASON_DNS_NONE, 0, 0, 0);
			break;
		case DNS_FAILED:
			if (why == NULL)
				why = text[k];
			failed++;
			collector_report_text(c, job[k], EVIDENCE_DNS,
			    REASON_DNS_ERROR, text[k]);
			break;
		default:
			break;   /* not tried: collector_finish decides */
		}
	}
	diag_verbose(1, "%zu PTR names found, %zu lookups failed", named,
	    failed);
	if (failed > 0)
		diag_warn("the reverse lookup failed for %zu address%s (%s): "
		    "unknown, not free", failed, failed == 1 ? "" : "es",
		    why != NULL ? why : "no answer");
out:
	for (k = 0; text != NULL && k < m; k++)
		free(text[k]);
	free(addrs);
	free(job);
	free(res);
	free(text);
	return rc;
}
