/* output.h - the results on stdout: plain, csv, json, ndjson */
#ifndef IPSWEEP_OUTPUT_H
#define IPSWEEP_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "collector.h"
#include "history.h"
#include "options.h"
#include "plan.h"
#include "pool.h"

/* What the json header says about the run. */
struct output_run {
	time_t start;             /* wall clock, printed in UTC */
	double duration_s;
	const char *method;       /* "raw", "datagram" or "exec" */
	unsigned jobs;
	unsigned count;
	unsigned timeout_ms;
	unsigned rate_pps;
	size_t n_skipped;
	int partial;              /* interrupted, deadline or --first */
	const struct history_brief *hist; /* per job, when the run was
					     recorded and the format shows
					     it (structured, or --diff): they
					     then carry last_seen and
					     free_since; NULL otherwise */
};

/*
 * output_select -- 1 when job J of C is printed under O's selection
 * (--alive, --all, else free) and --first's limit; *FIRST_LEFT counts down
 * the --first quota (pass O->first, or 0 for no limit).
 */
int output_select(const struct options *o, const struct collector *c,
    size_t j, uint64_t *first_left);

/*
 * output_write -- write the selected jobs of C to F in O's format.  P
 * (may be NULL) gives each job's range name; RUN feeds the json header.
 * Returns 0, or -1 when a write failed (errno set; check it with
 * fflush/ferror too, as the caller does).
 */
int output_write(FILE *f, const struct options *o, const struct collector *c,
    const struct plan *p, const struct output_run *run);

/*
 * output_history -- --last-seen, a chunk at a time: the N addresses from
 * job FIRST on of the TOTAL in ADDRS (job J's range name from P, may be
 * NULL), with what the history JOBS (JOBS[0]: job FIRST's) holds of each,
 * in O's format; the chunk at FIRST 0 opens the list, the one that
 * reaches TOTAL closes it.  Returns 0, or -1 when a write failed.
 */
int output_history(FILE *f, const struct options *o, const struct plan *p,
    const uint32_t *addrs, size_t first, size_t n, size_t total,
    const struct history_job *jobs);

/* output_time -- T (Unix seconds) as ISO 8601 UTC into BUF; "" for 0 */
const char *output_time(int64_t t, char *buf, size_t len);

/*
 * output_summary -- for the user, on stderr as notes (so nothing with -q):
 * the unknown addresses and why (the first 20 without -v), with -v the
 * used ones and their evidence, the late replies, and the counts line
 */
void output_summary(const struct collector *c, size_t n_skipped);

/*
 * output_loss -- notes on the loss measured and the most probes a silent
 * address got: for echo requests when some were lost, for ARP whenever
 * an address answered it (each ARP "ask" is one request, or one kernel
 * resolution on the neighbour-table path)
 */
void output_loss(const struct pool_stats *st);

/*
 * output_reason -- the reason text of entry E: the reason's name, plus the
 * system message for a send error ("send-error: No route to host").
 * Writes into BUF and returns it.
 */
const char *output_reason(const struct collector_entry *e, char *buf,
    size_t len);

/* output_evidence -- a short human sentence on what decided E, with
   TEXT (collector_text(), or NULL), what a record said of it */
const char *output_evidence(const struct collector_entry *e, const char *text,
    char *buf, size_t len);

#endif
