/* probe_exec.h - the fallback engine: the system ping(8), one per address,
   many at once */
#ifndef IPSWEEP_PROBE_EXEC_H
#define IPSWEEP_PROBE_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"

struct probe_exec {
	const uint32_t *addrs;   /* job index -> address */
	size_t n;
	unsigned count;          /* ping -c */
	unsigned timeout_s;      /* ping -W, whole seconds */
	unsigned interval_ms;    /* ping -i: from 200 (the least ping(8)
				    allows a user) to 1000 */
	const char *ping;        /* program to run, found in PATH */
	const uint8_t *onlink;   /* job -> nonzero when on a connected subnet,
				    or NULL: none is */
	unsigned inflight;       /* pings a worker runs at once, at least 1 */
	double spawn_pps;        /* pings a worker may start per second
				    (its share of --rate over -c), 0: any */
};

/* How much of ping's stdout and stderr the engine keeps; the rest is read
   and dropped (so that ping never blocks on a full pipe), and the output
   counts as truncated. */
#define PROBE_EXEC_OUT_MAX 8192

/* REASON_EXEC_ERROR's aux when no ping could be started for the job (a
   process or descriptor limit, out of memory): this bit and the errno of
   the fork or the pipe; otherwise aux is ping's wait status. */
#define PROBE_EXEC_NOT_STARTED 0x10000u

/*
 * probe_exec_run -- pool_engine callback: for each job run
 * `PING -n -c COUNT -i INTERVAL -W TIMEOUT ADDR`
 * (fork and exec, no shell, LC_ALL=C),
 * up to INFLIGHT at once and no more than SPAWN_PPS started per second;
 * read each one's stdout and stderr through its own pipe while sending
 * heartbeats, reap each as it ends, and send the evidence
 * probe_exec_parse finds in them.  A process or descriptor limit met on
 * the way lowers how many run at once (to those already running; with
 * none running, the job gets REASON_EXEC_ERROR).  When the parent closes
 * the job pipe or dies, every ping still running is killed and gives no
 * evidence.
 */
int probe_exec_run(void *ctx, unsigned slot, struct pool_worker *w);

/*
 * probe_exec_parse -- the evidence (enum reason) about ADDR (host order) in
 * the wait(2) STATUS of ping and the LEN bytes of OUT it wrote (stdout and
 * stderr merged, in any order; TRUNCATED when it wrote more).  Pure.
 *
 * Exit 1 is silence (REASON_NO_REPLY) only when ping reported nothing but
 * its summary with "0 received": no ICMP error, no send error, no other
 * text.  A reply line from ADDR is an answer whatever the status; every
 * other case cannot tell (see probe_exec.c for the rules).  *RTT_US gets
 * the round trip of ADDR's first reply (0 without one), *AUX what the
 * reason carries: ICMP type<<8|code, an errno, the other address that
 * answered, or the wait status for REASON_EXEC_ERROR.
 */
unsigned probe_exec_parse(int status, uint32_t addr, const char *out,
    size_t len, int truncated, uint32_t *rtt_us, uint32_t *aux);

/*
 * probe_exec_last_hop -- WHY as evidence about a job that is ONLINK or
 * not.  ping(8) cannot tell when an error came, so "host unreachable" is
 * weak silence only from our own kernel, whose ARP request went
 * unanswered on a connected subnet; for a routed target it came from a
 * router within ping's short wait, sooner than a last hop gives up on
 * ARP (a route or a filter answering for the network): cannot tell,
 * REASON_ICMP_ERROR with *AUX 3<<8|1.  Other reasons are returned as
 * they are.  Pure.
 */
unsigned probe_exec_last_hop(unsigned why, int onlink, uint32_t *aux);

/*
 * probe_exec_rtt -- the smallest round trip in microseconds from ping's
 * summary line ("rtt min/avg/max/mdev = 0.041/..."), or 0 when OUT has
 * none.  No locale: iputils prints it with a dot.
 */
uint32_t probe_exec_rtt(const char *out);

#endif
