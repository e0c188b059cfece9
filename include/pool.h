/* pool.h - a fixed pool of forked workers fed jobs over pipes */
#ifndef IPSWEEP_POOL_H
#define IPSWEEP_POOL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "diag.h"
#include "record.h"

/* The child's end of the pipes, handed to the engine's run(). */
struct pool_worker;
struct pool_stats;

/*
 * What probes.  The pool forks; run() executes in the child and returns
 * the child's exit status.  The engine is injected so that tests can run
 * the whole pool with a fake prober.
 */
struct pool_engine {
	int (*run)(void *ctx, unsigned slot, struct pool_worker *w);
	/* the descriptor the child of SLOT keeps besides its pipes, or -1 */
	int (*fd)(void *ctx, unsigned slot);
	/* a second one (may be NULL) */
	int (*fd2)(void *ctx, unsigned slot);
	void *ctx;
};

struct pool_params {
	unsigned workers;         /* P, at least 1 */
	uint32_t chunk;           /* jobs per JOB record */
	uint32_t window;          /* undecided jobs a worker may hold */
	unsigned max_tries;       /* dying workers a job may be with before
				     it is tried alone (a suspect) */
	unsigned respawns;        /* replacement workers allowed in all */
	unsigned watchdog_ms;     /* a worker silent this long is killed; 0 off */
	unsigned linger_ms;       /* after the last verdict, keep listening this
				     long: late replies still turn free into
				     used */
	unsigned drain_ms;        /* then wait this long for workers to flush
				     what they have and exit */
	volatile sig_atomic_t *stop;  /* nonzero: stop the sweep (signals) */
	int wake_fd;              /* read end of a self-pipe, or -1 */
	uint64_t deadline_ns;     /* CLOCK_MONOTONIC end of the run, or 0 */
	/* messages for the user (worker deaths); may be NULL */
	void (*note)(void *arg, enum diag_severity sev, const char *msg);
	void *note_arg;
	/* records the pool does not read itself (an ARP conflict), for
	   whoever set up the engine; may be NULL */
	void (*forward)(void *arg, const struct record *r);
	void *forward_arg;
	/* called every round (at least every 100 ms) with the progress so
	   far; returning 1 ends the sweep early (--first); may be NULL */
	int (*tick)(void *arg, const struct collector *c,
	    const struct pool_stats *st);
	void *tick_arg;
};

struct pool_stats {
	unsigned started;         /* workers forked, respawns included */
	unsigned died;            /* workers that ended abnormally */
	unsigned hung;            /* of those, killed by the watchdog */
	unsigned bad_records;     /* records refused */
	uint64_t probes;          /* from the workers' STATS records */
	uint64_t probes_now;      /* probes sent so far, from heartbeats */
	uint64_t replies;
	uint64_t drops;
	/* the loss estimate, per enum record_loss (echo, ARP): */
	uint64_t hits[RECORD_LOSS_MAX];   /* addresses that answered */
	uint64_t misses[RECORD_LOSS_MAX]; /* probes they left unanswered
					     before they did */
	unsigned most[RECORD_LOSS_MAX];   /* most probes a silent address
					     got */
	int stopped;              /* the stop flag or the deadline ended it */
	int enough;               /* tick() ended it */
};

/*
 * pool_run -- fork P workers, hand out the jobs of collector C in chunks,
 * report every worker's evidence to C until the wire phase is over for
 * every job, the stop flag is set
 * or the deadline passes; then close the job pipes, collect what the
 * workers still send, reap them all.  Unfinished jobs of a dead worker go
 * to another worker until MAX_TRIES workers took them, then become UNKNOWN
 * (worker-died).  Returns 0, or -1 with ERR set when not even one worker
 * could be started (nothing was probed then).
 */
int pool_run(const struct pool_params *p, const struct pool_engine *e,
    struct collector *c, struct pool_stats *st, char *err, size_t errlen);

/* Child side. */

/* pool_worker_fd -- the job pipe's read end, to poll for POLLIN */
int pool_worker_fd(const struct pool_worker *w);

/*
 * pool_worker_jobs -- the next JOB record, without blocking.  Returns 1
 * with *FIRST and *COUNT set, 0 when none is waiting, -1 when the parent
 * has closed the pipe (no more jobs will come: finish and exit).
 */
int pool_worker_jobs(struct pool_worker *w, uint32_t *first, uint32_t *count);

/*
 * pool_worker_send -- write R as one record, or with pool_worker_batch()
 * queue it (up to 64, then they are written together); -1 when the parent
 * is gone.
 */
int pool_worker_send(struct pool_worker *w, const struct record *r);

/*
 * pool_worker_batch -- from now on pool_worker_send() queues records: one
 * write for many at a million probes a second.  The worker must then call
 * pool_worker_flush() before it waits for anything (the parent may be
 * waiting for those records); they are flushed when its run returns.
 */
void pool_worker_batch(struct pool_worker *w);

/* pool_worker_flush -- write the queued records; -1 when the parent is gone */
int pool_worker_flush(struct pool_worker *w);

#endif
