/* engine.h - choose and set up the probe engine a run's phases share */
#ifndef IPSWEEP_ENGINE_H
#define IPSWEEP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "onlink.h"
#include "options.h"
#include "pool.h"
#include "probe_exec.h"
#include "probe_icmp.h"

struct engine {
	struct probe_icmp pi;
	struct probe_exec px;
	struct pool_engine pool;   /* what the pool forks */
	int native;                /* 1: ICMP sockets, 0: ping(8) */
	unsigned workers;
	uint8_t *onlink;           /* the main job list's on-link map, or
				      NULL (owned) */
	struct probe_iface ifaces[ONLINK_IFACES_MAX + 1];
	char fallback[320];        /* why ping(8) is used instead of the
				      native method, or "" */
	uint8_t *conflict;         /* job -> conflict already reported
				      (every worker hears every ARP reply);
				      made on demand */
	unsigned conflicts;        /* addresses two MACs answered ARP for */
	char limit[160];           /* why ping(8) runs fewer at once than
				      --exec-inflight, or "" */
};

/* Descriptors a ping(8) worker holds besides one per ping: 0-2, its two
   pipes to the parent, the two ends of a pipe being made, and slack. */
#define ENGINE_WORKER_FDS 12

/*
 * The most ping(8) processes all workers together run at once.  Each ping
 * has a raw ICMP socket of its own (ping(8) without a datagram socket), and
 * every raw ICMP socket gets a copy of every ICMP error the sweep provokes:
 * the more pings at once, the more each must read, and one that falls
 * behind loses errors from its small buffer without a word (ping(8) cannot
 * tell), which would leave an address behind a prohibiting filter looking
 * silent.  With 1024 at once (-j 64) one ping in 777 lost its errors in a
 * loaded lab; 128 is the default of two workers.
 */
#define ENGINE_EXEC_TOTAL 128

/*
 * The most jobs handed to a worker at once.  A worker's per-job arrays
 * span every job of the run, but their memory is only made when touched:
 * with chunks of a whole 4 KiB page of its 1-byte arrays (8 pages of the
 * 8-byte ones), a worker touches only the pages of its own jobs, half of
 * each array with two workers, where chunks of 256 touched every page.
 */
#define ENGINE_CHUNK_MAX 4096

/*
 * What one worker is counted on to send, packets a second, when -j is not
 * given.  One worker here sends about 200 000 a second from one core
 * (most of it the kernel's work for each packet); half that leaves room
 * for its replies and bookkeeping on a slower machine.
 */
#define ENGINE_WORKER_PPS 100000

/*
 * engine_workers -- the workers for RATE_PPS when -j is not given: as many
 * as the rate needs at ENGINE_WORKER_PPS each, at least 2 (a worker's
 * death or stall then never holds up the whole sweep) and at most CPUS,
 * one per online CPU (more only share the cores: the sending is the
 * kernel's work on the sender's core).
 */
unsigned engine_workers(unsigned cpus, unsigned rate_pps);

enum engine_status {
	ENGINE_OK = 0,
	ENGINE_NO_PERMISSION,      /* nothing may probe: ERR says why */
	ENGINE_SYSTEM              /* a system error: ERR says which */
};

/*
 * engine_open -- pick the method for the N jobs of ADDRS as O says: ICMP
 * sockets (and ARP sockets for on-link targets) opened here, while we may,
 * else ping(8) when --method allows it; then drop every privilege for
 * good.  Returns an enum engine_status; on ENGINE_OK, E is ready for
 * engine_jobs() and engine_params(), and engine_close() releases it in
 * any case.
 */
int engine_open(struct engine *e, const struct options *o,
    const uint32_t *addrs, size_t n, char *err, size_t errlen);

/*
 * engine_jobs -- the job list the next pool run probes: ADDRS (N), with
 * the on-link map of engine_open() when MAIN, without one otherwise (the
 * map is indexed by the main list's jobs)
 */
void engine_jobs(struct engine *e, const uint32_t *addrs, size_t n,
    int main);

/*
 * engine_params -- pool settings for a run of N jobs: BASE's stop flag,
 * wake fd, deadline and callbacks, with chunks, window, watchdog and
 * linger that suit the engine
 */
void engine_params(const struct engine *e, const struct options *o, size_t n,
    const struct pool_params *base, struct pool_params *pp);

/*
 * engine_forward -- pool_params.forward for E (ARG): an address conflict
 * (two link-layer addresses answered ARP for one job of the current job
 * list) is a warning for the user, once per address
 */
void engine_forward(void *arg, const struct record *r);

/* engine_method -- "raw", "datagram" or "exec" */
const char *engine_method(const struct engine *e);

/* engine_close -- close the sockets and free what engine_open made */
void engine_close(struct engine *e);

#endif
