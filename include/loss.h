/* loss.h - how many probes a silent address needs, from the loss measured */
#ifndef IPSWEEP_LOSS_H
#define IPSWEEP_LOSS_H

#include <limits.h>
#include <stdint.h>

/* How many standard errors above the measured loss loss_bound() goes. */
#define LOSS_Z 2.0

/*
 * loss_bound -- an upper confidence bound on the share of probes lost,
 * from HITS addresses that answered after MISSES unanswered probes: the
 * measured share MISSES / (MISSES + HITS) is itself uncertain, most of all
 * early in a run and on small segments, and an underestimate prints live
 * addresses free.  0 without any sample.  Pure.
 */
double loss_bound(uint64_t hits, uint64_t misses);

/* loss_needed's answer when even MAX_COUNT probes are not enough. */
#define LOSS_BEYOND UINT_MAX

/*
 * loss_needed -- the probes a silent address needs before its silence may
 * count, for one kind of probe (echo requests, ARP requests).  HITS
 * addresses answered after leaving MISSES tries unanswered in all, so a
 * try is lost with probability p, taken as loss_bound(): not the share
 * measured but what it may well be; a probe is TRIES independent tries
 * (1, or the ARP requests of one kernel resolution), lost with p^TRIES.
 * Of DECIDED addresses HITS answered, a share q of the N addresses probed
 * is alive.  A live address stays silent through k probes with
 * probability p^(TRIES k), so about N * q * p^(TRIES k) live addresses
 * would be taken for silent ones.
 * Returns the smallest k >= COUNT that keeps that at most FALSE_FREE_MAX;
 * COUNT when no loss was seen; LOSS_BEYOND when it takes more than
 * MAX_COUNT (or MAX_COUNT is below COUNT and COUNT is not enough).  Pure.
 */
unsigned loss_needed(uint64_t hits, uint64_t misses, uint64_t decided,
    uint64_t n, unsigned tries, unsigned count, unsigned max_count,
    double false_free_max);

#endif
