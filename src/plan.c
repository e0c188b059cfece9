/* plan.c - the run plan: the ranges asked for, their jobs and their checks */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "plan.h"

/*
 * plan_ports -- R's ports: --tcp's in order, then those of its `tcp =`
 * lines that --tcp did not name
 */
static void
plan_ports(struct plan_range *r, const struct options *o)
{
	size_t k, m;

	memcpy(r->ports, o->tcp_ports, o->n_tcp_ports * sizeof(r->ports[0]));
	r->n_ports = o->n_tcp_ports;
	for (k = 0; r->conf != NULL && k < r->conf->n_tcp; k++) {
		for (m = 0; m < r->n_ports && r->ports[m] != r->conf->tcp[k];
		    m++)
			;
		if (m == r->n_ports && r->n_ports < PLAN_PORTS_MAX)
			r->ports[r->n_ports++] = r->conf->tcp[k];
	}
}

/*
 * plan_no_special -- take the blocks addr_special() refuses out of SET: a
 * canary is probed like any job, and those are never probed.  Returns 0,
 * or -1 (ENOMEM).
 */
static int
plan_no_special(struct targets_set *set)
{
	static const struct targets_span special[] = {
		{ 0x00000000u, 0x00ffffffu },   /* 0.0.0.0/8 */
		{ 0xe0000000u, 0xffffffffu },   /* 224.0.0.0/4 and 240.0.0.0/4 */
	};
	struct targets_set out;
	size_t k;
	int rc = 0;

	targets_init(&out);
	for (k = 0; k < sizeof(special) / sizeof(special[0]) && rc == 0; k++)
		rc = targets_add(&out, special[k]);
	if (rc == 0)
		rc = targets_subtract(set, &out);
	targets_free(&out);
	return rc;
}

/*
 * plan_range -- fill R for NAME: the range of CFG by that name, or the
 * literal target.  Returns an enum plan_status.
 */
static int
plan_range(struct plan_range *r, const char *name, const struct options *o,
    const struct config *cfg, char *err, size_t errlen)
{
	struct targets_span span;

	targets_init(&r->set);
	targets_init(&r->canary);
	r->name = name;
	r->conf = cfg != NULL ? config_find(cfg, name) : NULL;
	if (r->conf != NULL) {
		if (config_range_set(r->conf, &r->set) < 0 ||
		    targets_add_set(&r->canary, &r->conf->canary) < 0 ||
		    plan_no_special(&r->canary) < 0)
			return PLAN_SYSTEM;
	} else {
		if (targets_parse(name, strlen(name), &span, err, errlen) < 0)
			return PLAN_UNKNOWN_NAME;
		if (targets_add(&r->set, span) < 0)
			return PLAN_SYSTEM;
		targets_normalise(&r->set);
	}
	plan_ports(r, o);
	if (o->dns)
		r->dns = 1;
	else if (r->conf != NULL && r->conf->dns >= 0)
		r->dns = r->conf->dns;
	else
		r->dns = cfg != NULL && cfg->dns > 0;
	return PLAN_OK;
}

/*
 * plan_jobs -- expand ALL into P's jobs, leaving out (and keeping aside)
 * what addr_special() refuses, and find each job's first range
 */
static int
plan_jobs(struct plan *p, const struct targets_set *all, uint64_t max,
    char *err, size_t errlen)
{
	size_t i, j, keep = 0, cap = 0;

	if (targets_expand(all, max, &p->addrs, &p->n, err, errlen) < 0)
		return PLAN_SYSTEM;
	p->skipped = calloc(p->n ? p->n : 1, sizeof(*p->skipped));
	if (p->skipped == NULL)
		return PLAN_SYSTEM;
	for (j = 0; j < p->n; j++) {
		if (addr_special(p->addrs[j]) != NULL)
			p->skipped[p->n_skipped++] = p->addrs[j];
		else
			p->addrs[keep++] = p->addrs[j];
	}
	p->n = keep;
	for (j = 0; j < p->n; j++) {
		for (i = 0; i < p->n_ranges; i++)
			if (targets_contains(&p->ranges[i].set, p->addrs[j]))
				break;
		if (i == p->n_ranges)
			i = 0;   /* cannot be: every job is some range's */
		if (p->n_runs > 0 && p->runs[p->n_runs - 1].range == i)
			continue;
		if (p->n_runs == cap) {
			struct plan_run *r;

			cap = cap ? cap * 2 : 16;
			if ((r = realloc(p->runs, cap * sizeof(*r))) == NULL)
				return PLAN_SYSTEM;
			p->runs = r;
		}
		p->runs[p->n_runs].first = (uint32_t)j;
		p->runs[p->n_runs++].range = (uint32_t)i;
	}
	return PLAN_OK;
}

size_t
plan_range_of(const struct plan *p, size_t j)
{
	size_t lo = 0, hi = p->n_runs;

	/* the last run that starts at J or before */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->runs[mid].first <= j)
			lo = mid;
		else
			hi = mid;
	}
	return p->n_runs > 0 ? p->runs[lo].range : 0;
}

int
plan_build(struct plan *p, const struct options *o, const struct config *cfg,
    size_t *bad, char *err, size_t errlen)
{
	struct targets_set all;
	uint64_t count;
	size_t i;
	int rc = PLAN_OK;

	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	*bad = 0;
	if (errlen > 0)
		err[0] = '\0';
	targets_init(&all);
	p->ranges = calloc(o->n_names ? o->n_names : 1, sizeof(*p->ranges));
	if (p->ranges == NULL) {
		rc = PLAN_SYSTEM;
		goto out;
	}
	for (i = 0; i < o->n_names && rc == PLAN_OK; i++) {
		p->n_ranges++;
		rc = plan_range(&p->ranges[i], o->names[i], o, cfg, err,
		    errlen);
		if (rc == PLAN_UNKNOWN_NAME)
			*bad = i;
		else if (rc == PLAN_OK &&
		    targets_add_set(&all, &p->ranges[i].set) < 0)
			rc = PLAN_SYSTEM;
	}
	if (rc != PLAN_OK)
		goto out;
	targets_normalise(&all);
	count = targets_count(&all);
	if (count > o->max_addresses) {
		snprintf(err, errlen, "%llu addresses exceed the limit of %llu "
		    "(see --max-addresses)", (unsigned long long)count,
		    (unsigned long long)o->max_addresses);
		rc = PLAN_TOO_MANY;
		goto out;
	}
	rc = plan_jobs(p, &all, o->max_addresses, err, errlen);
out:
	if (rc == PLAN_SYSTEM && errlen > 0 && err[0] == '\0')
		snprintf(err, errlen, "out of memory");
	if (rc != PLAN_OK)
		plan_free(p);
	targets_free(&all);
	return rc;
}

void
plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; p->ranges != NULL && i < p->n_ranges; i++) {
		targets_free(&p->ranges[i].set);
		targets_free(&p->ranges[i].canary);
	}
	free(p->ranges);
	free(p->addrs);
	free(p->runs);
	free(p->skipped);
	memset(p, 0, sizeof(*p));
}

int
plan_has_dns(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n_ranges; i++)
		if (p->ranges[i].dns)
			return 1;
	return 0;
}

int
plan_has_canaries(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n_ranges; i++)
		if (p->ranges[i].canary.n > 0)
			return 1;
	return 0;
}
