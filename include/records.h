/* records.h - records as evidence: reservations, DHCP leases and pools, IPAM */
#ifndef IPSWEEP_RECORDS_H
#define IPSWEEP_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "config.h"
#include "ipamcsv.h"
#include "lease.h"
#include "plan.h"

/* The biggest lease file or IPAM export records_load reads. */
#define RECORDS_FILE_MAX ((size_t)512 * 1024 * 1024)

/* One file of records, read and parsed. */
struct records_file {
	const struct config_source *src;  /* not owned */
	const struct targets_set *scope;  /* the range it serves, NULL: the
					     settings (every address) */
	struct lease_list leases;
	struct ipamcsv_list ipam;
};

struct records {
	struct records_file *v;           /* owned */
	size_t n;
};

/*
 * records_load -- read and parse every lease file and IPAM export of the
 * ranges of P and of its configuration's settings.  Returns 0, or -1
 * with "FILE: reason" or "FILE:LINE: problem" in ERR (R then empty).
 */
int records_load(struct records *r, const struct plan *p, char *err,
    size_t errlen);

void records_free(struct records *r);

/*
 * records_report -- the records' evidence into C, phase EVIDENCE_RECORDS:
 * each range's reservations, then the DHCP leases active at NOW (seconds
 * since the epoch, with LEASE_GRACE_S), the IPAM entries, and last the
 * DHCP pools, so that the most telling record explains a verdict.
 * Returns how many jobs some record holds back, or -1 when out of memory.
 */
long records_report(const struct records *r, const struct plan *p,
    struct collector *c, int64_t now);

/* records_reason -- 1 when REASON is one of the records' */
int records_reason(unsigned reason);

#endif
