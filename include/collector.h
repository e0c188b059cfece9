/* collector.h - the parent's table of verdicts, one entry per job */
#ifndef IPSWEEP_COLLECTOR_H
#define IPSWEEP_COLLECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "verdict.h"

struct collector_entry {
	uint8_t verdict;   /* enum verdict */
	uint8_t reason;    /* enum reason of the evidence that set it */
	uint8_t probes;    /* probes the deciding worker sent */
	uint8_t late;      /* 1: used evidence came after a free verdict */
	uint32_t rtt_us;
	uint32_t aux;      /* errno, ICMP type<<8|code or other address */
};

struct collector {
	const uint32_t *addrs;     /* job index -> address, not owned */
	size_t n;
	struct collector_entry *e; /* owned */
	size_t counts[VERDICT_MAX];
};

/* collector_init -- every job PENDING; returns 0 or -1 (ENOMEM) */
int collector_init(struct collector *c, const uint32_t *addrs, size_t n);
void collector_free(struct collector *c);

/*
 * collector_merge -- apply the evidence of RESULT record R to its job by
 * verdict_merge(): evidence only moves a job toward USED.  Returns 1 when
 * the job went from PENDING to decided, 0 when it was decided already or
 * the record changed nothing, -1 for a record that is not a RESULT or names
 * a job out of range.
 */
int collector_merge(struct collector *c, const struct record *r);

/* collector_set -- force job J to V for REASON when it is still PENDING */
int collector_set(struct collector *c, size_t j, unsigned v, unsigned reason);

/* collector_pending -- 1 when job J has no verdict yet */
int collector_pending(const struct collector *c, size_t j);

/* collector_finish -- every job still PENDING becomes UNKNOWN for WHY */
void collector_finish(struct collector *c, unsigned why);

#endif
