/* pace.h - a worker's send pacing: token bucket, back-off, retry gap */
#ifndef IPSWEEP_PACE_H
#define IPSWEEP_PACE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A token bucket at SHARE of RATE_PPS.  SHARE is halved when our own
 * sockets drop replies (the replies to what we send overflowed them) and
 * regained once no drop was seen for a while.  The bucket's burst is
 * also held to a window: never more than a tenth of RATE_PPS within any
 * 100 ms (PACE_WINDOW_NS), so that a burst after a pause cannot lift a
 * window above the rate.  Every function takes the time as an argument:
 * no clock is read here.
 */
struct pace {
	double rate_pps;    /* this worker's full rate */
	double share;       /* the part of it in use, (0, 1] */
	double tokens;
	uint64_t tokens_ns; /* when tokens were last added */
	uint64_t drop_ns;   /* the last drop, 0: none */
	uint64_t *sent;     /* the last WINDOW sends' times, oldest at HEAD
			       (0: none yet) */
	size_t window, head;
};

#define PACE_WINDOW_NS (100 * 1000000ull)

/*
 * pace_init -- full share, an empty bucket filled from NOW on; 0, or -1
 * out of memory
 */
int pace_init(struct pace *p, double rate_pps, uint64_t now);

/* pace_free -- the window's storage */
void pace_free(struct pace *p);

/*
 * pace_refill -- add the tokens earned since the last call, up to a burst
 * of 2 ms worth (at least 4); regain the share once no drop was seen for
 * half a second.
 */
void pace_refill(struct pace *p, uint64_t now);

/* pace_take -- 1 and one token less when one may go at NOW, else 0 */
int pace_take(struct pace *p, uint64_t now);

/* pace_ready -- 1 when one may go at NOW: a token, and room in the window */
int pace_ready(const struct pace *p, uint64_t now);

/* pace_room -- how many may go at NOW, at most MAX */
unsigned pace_room(const struct pace *p, uint64_t now, unsigned max);

/* pace_dropped -- replies were dropped at NOW: halve the share (>= 1/64) */
void pace_dropped(struct pace *p, uint64_t now);

/* pace_wait_ns -- nanoseconds from NOW until one may go, 0: now */
uint64_t pace_wait_ns(const struct pace *p, uint64_t now);

/*
 * pace_gap_ns -- how long after a probe the next one to a silent address
 * goes out: RETRY_MS until a reply was seen (RTT_MAX_NS 0); then four
 * times the slowest round trip seen, at least 100 ms and at most RETRY_MS.
 */
uint64_t pace_gap_ns(unsigned retry_ms, uint64_t rtt_max_ns);

#endif
