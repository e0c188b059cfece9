/* loss.h - how many probes a silent address needs, from the loss measured */
#ifndef IPSWEEP_LOSS_H
#define IPSWEEP_LOSS_H

#include <limits.h>
#include <stdint.h>

/* loss_needed's answer when even MAX_COUNT probes are not enough. */
#define LOSS_BEYOND UINT_MAX

/*
 * loss_needed -- the probes a silent address needs before its silence may
 * count, for one kind of probe (echo requests, ARP requests).  HITS
 * addresses answered after leaving MISSES probes unanswered in all, so a
 * probe is lost with probability p = MISSES / (MISSES + HITS); of DECIDED
 * addresses HITS answered, a share q of the N addresses probed is alive.
 * A live address stays silent through k probes with probability p^k, so
 * about N * q * p^k live addresses would be taken for silent ones.
 * Returns the smallest k >= COUNT that keeps that at most FALSE_FREE_MAX;
 * COUNT when no loss was seen; LOSS_BEYOND when it takes more than
 * MAX_COUNT (or MAX_COUNT is below COUNT and COUNT is not enough).  Pure.
 */
unsigned loss_needed(uint64_t hits, uint64_t misses, uint64_t decided,
    uint64_t n, unsigned count, unsigned max_count, double false_free_max);

#endif
