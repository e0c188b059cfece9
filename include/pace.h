/* pace.h - a worker's send pacing: token bucket, back-off, retry gap */
#ifndef IPSWEEP_PACE_H
#define IPSWEEP_PACE_H

#include <stdint.h>

/*
 * A token bucket at SHARE of RATE_PPS.  SHARE is halved when our own
 * sockets drop replies (the replies to what we send overflowed them) and
 * regained once no drop was seen for a while.  Every function takes the
 * time as an argument: no clock is read here.
 */
struct pace {
	double rate_pps;    /* this worker's full rate */
	double share;       /* the part of it in use, (0, 1] */
	double tokens;
	uint64_t tokens_ns; /* when tokens were last added */
	uint64_t drop_ns;   /* the last drop, 0: none */
};

/* pace_init -- full share, an empty bucket filled from NOW on */
void pace_init(struct pace *p, double rate_pps, uint64_t now);

/*
 * pace_refill -- add the tokens earned since the last call, up to a burst
 * of 2 ms worth (at least 4); regain the share once no drop was seen for
 * half a second.
 */
void pace_refill(struct pace *p, uint64_t now);

/* pace_take -- 1 and one token less when one is there, else 0 */
int pace_take(struct pace *p);

/* pace_ready -- 1 when a token is there */
int pace_ready(const struct pace *p);

/* pace_dropped -- replies were dropped at NOW: halve the share (>= 1/64) */
void pace_dropped(struct pace *p, uint64_t now);

/* pace_wait_ns -- nanoseconds until the next token, 0 when one is there */
uint64_t pace_wait_ns(const struct pace *p);

/*
 * pace_gap_ns -- how long after a probe the next one to a silent address
 * goes out: RETRY_MS until a reply was seen (RTT_MAX_NS 0); then four
 * times the slowest round trip seen, at least 100 ms and at most RETRY_MS.
 */
uint64_t pace_gap_ns(unsigned retry_ms, uint64_t rtt_max_ns);

#endif
