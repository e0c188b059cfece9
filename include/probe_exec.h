/* probe_exec.h - the fallback engine: the system ping(8), one per address */
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
	const char *ping;        /* program to run, found in PATH */
};

/*
 * probe_exec_run -- pool_engine callback: for each job run
 * `PING -n -q -c COUNT -W TIMEOUT ADDR` (fork and exec, no shell, output
 * to /dev/null) and wait for it, sending heartbeats meanwhile.  Exit 0 is
 * used, 1 is free, anything else (2, a signal, a failed exec) is unknown:
 * never free.
 */
int probe_exec_run(void *ctx, unsigned slot, struct pool_worker *w);

/*
 * probe_exec_evidence -- the evidence (enum reason) in a wait(2) STATUS of
 * ping; pure, for the tests.
 */
unsigned probe_exec_evidence(int status);

/*
 * probe_exec_rtt -- the smallest round trip in microseconds from ping's
 * summary line ("rtt min/avg/max/mdev = 0.041/..."), or 0 when OUT has
 * none.  No locale: iputils prints it with a dot.
 */
uint32_t probe_exec_rtt(const char *out);

#endif
