/* records.c - records as evidence: reservations, DHCP leases and pools, IPAM */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "records.h"

/* records_add -- one more file of SCOPE to R: read and parse SRC, named
   in the configuration CONF (for messages) */
static int
records_add(struct records *r, const struct config_source *src,
    const struct targets_set *scope, const char *conf, char *err,
    size_t errlen)
{
	struct records_file *v, *f;
	char *buf;
	size_t len;
	int rc;

	v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->v = v;
	f = &v[r->n];
	memset(f, 0, sizeof(*f));
	f->src = src;
	f->scope = scope;
	if (config_read(src->path, RECORDS_FILE_MAX, &buf, &len, err,
	    errlen) < 0) {
		size_t l = strlen(err);

		snprintf(err + l, errlen - l, " (%s, named at %s:%u)",
		    src->kind == CONFIG_SOURCE_LEASES ? "dhcp-leases" :
		    "ipam-csv", conf, src->line);
		return -1;
	}
	if (src->kind == CONFIG_SOURCE_LEASES)
		rc = lease_parse(&f->leases, src->format, src->path, buf, len,
		    err, errlen);
	else
		rc = ipamcsv_parse(&f->ipam, src->path, buf, len, err, errlen);
	free(buf);
	if (rc < 0)
		return -1;
	r->n++;
	return 0;
}

int
records_load(struct records *r, const struct plan *p, char *err,
    size_t errlen)
{
	size_t i, k;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (p->cfg != NULL)
		for (k = 0; k < p->cfg->n_sources && rc == 0; k++)
			rc = records_add(r, &p->cfg->sources[k], NULL,
			    p->cfg->path, err, errlen);
	for (i = 0; i < p->n_ranges && rc == 0; i++) {
		const struct config_range *cr = p->ranges[i].conf;

		for (k = 0; cr != NULL && k < cr->n_sources && rc == 0; k++)
			rc = records_add(r, &cr->sources[k], &p->ranges[i].set,
			    p->cfg->path, err, errlen);
	}
	if (rc < 0)
		records_free(r);
	return rc;
}

void
records_free(struct records *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		lease_free(&r->v[i].leases);
		ipamcsv_free(&r->v[i].ipam);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int
records_reason(unsigned reason)
{
	return reason == REASON_RESERVED || reason == REASON_DHCP_LEASE ||
	    reason == REASON_DHCP_POOL || reason == REASON_DNS_PTR ||
	    reason == REASON_IPAM;
}


/* records_set -- REASON for every job of C in SET (and in SCOPE) */
static int
records_set(struct collector *c, const struct targets_set *set,
    const struct targets_set *scope, unsigned reason)
{
	size_t j;

	for (j = 0; j < c->n; j++)
		if (targets_contains(set, c->addrs[j]) &&
		    (scope == NULL || targets_contains(scope, c->addrs[j])) &&
		    collector_report(c, j, EVIDENCE_RECORDS, reason, 0, 0,
		    0) < 0)
			return -1;
	return 0;
}

/* records_lease_text -- "HOST MAC, ends DATE UTC" of L into BUF */
static void
records_lease_text(const struct lease *l, char *buf, size_t len)
{
	char when[40];
	struct tm tm;
	time_t t;

	if (l->ends == LEASE_FOREVER) {
		snprintf(when, sizeof(when), "never ends");
	} else {
		t = (time_t)l->ends;
		if (gmtime_r(&t, &tm) == NULL)
			snprintf(when, sizeof(when), "ends %lld",
			    (long long)l->ends);
		else
			strftime(when, sizeof(when),
			    "ends %Y-%m-%d %H:%M:%S UTC", &tm);
	}
	if (l->host[0] != '\0' && l->mac[0] != '\0')
		snprintf(buf, len, "%s (%s), %s", l->host, l->mac, when);
	else
		snprintf(buf, len, "%s%s%s", l->host[0] ? l->host : l->mac,
		    l->host[0] || l->mac[0] ? ", " : "", when);
}

/* records_files -- the leases (IPAM entries when IPAM) of every file */
static int
records_files(const struct records *r, struct collector *c, int64_t now,
    int ipam)
{
	char text[256];
	size_t i, k;
	long j;

	for (i = 0; i < r->n; i++) {
		const struct records_file *f = &r->v[i];

		for (k = 0; !ipam && k < f->leases.n; k++) {
			const struct lease *l = &f->leases.v[k];

			if (!lease_active(l, now, LEASE_GRACE_S) ||
			    (j = addr_index(c->addrs, c->n, l->addr)) < 0 ||
			    (f->scope != NULL &&
			    !targets_contains(f->scope, l->addr)))
				continue;
			records_lease_text(l, text, sizeof(text));
			if (collector_report_text(c, (size_t)j,
			    EVIDENCE_RECORDS, REASON_DHCP_LEASE, text) < 0)
				return -1;
		}
		for (k = 0; ipam && k < f->ipam.n; k++) {
			const struct ipamcsv_entry *e = &f->ipam.v[k];

			if ((j = addr_index(c->addrs, c->n, e->addr)) < 0 ||
			    (f->scope != NULL &&
			    !targets_contains(f->scope, e->addr)))
				continue;
			snprintf(text, sizeof(text), "%s%s%s%s", e->name,
			    e->name[0] != '\0' && e->status[0] != '\0' ? " " :
			    "", e->status[0] != '\0' ? "status " : "",
			    e->status);
			if (collector_report_text(c, (size_t)j,
			    EVIDENCE_RECORDS, REASON_IPAM, text) < 0)
				return -1;
		}
	}
	return 0;
}

long
records_report(const struct records *r, const struct plan *p,
    struct collector *c, int64_t now)
{
	size_t i, j;
	long held = 0;

	for (i = 0; i < p->n_ranges; i++)
		if (p->ranges[i].conf != NULL &&
		    records_set(c, &p->ranges[i].conf->reserved,
		    &p->ranges[i].set, REASON_RESERVED) < 0)
			return -1;
	if (records_files(r, c, now, 0) < 0 || records_files(r, c, now, 1) < 0)
		return -1;
	for (i = 0; i < p->n_ranges; i++)
		if (p->ranges[i].conf != NULL &&
		    records_set(c, &p->ranges[i].conf->dhcp_pool,
		    &p->ranges[i].set, REASON_DHCP_POOL) < 0)
			return -1;
	for (j = 0; j < c->n; j++)
		held += collector_verdict(c, j) == VERDICT_USED;
	return held;
}
