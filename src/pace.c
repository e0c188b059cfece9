/* pace.c - token bucket and retry gap of a worker; no syscalls */
#include <stdlib.h>

#include "pace.h"

#define PACE_NS_PER_MS 1000000ull
#define PACE_MIN       (1.0 / 64)
#define PACE_CALM_NS   (500 * PACE_NS_PER_MS)
#define PACE_GAP_MIN_NS (100 * PACE_NS_PER_MS)

int
pace_init(struct pace *p, double rate_pps, uint64_t now)
{
	double w = rate_pps * (double)PACE_WINDOW_NS / 1e9;

	p->rate_pps = rate_pps;
	p->share = 1.0;
	p->tokens = 0;
	p->tokens_ns = now;
	p->drop_ns = 0;
	/* below 10 per second even one probe in 100 ms is above the rate */
	p->window = w >= 1.0 ? (size_t)w : 1;
	p->head = 0;
	p->sent = calloc(p->window, sizeof(*p->sent));
	return p->sent != NULL ? 0 : -1;
}

void
pace_free(struct pace *p)
{
	free(p->sent);
	p->sent = NULL;
}

/* pace_free_at -- 1 when the K-th oldest of the window's sends leaves
   room for one more at NOW */
static int
pace_free_at(const struct pace *p, size_t k, uint64_t now)
{
	uint64_t t = p->sent[(p->head + k) % p->window];

	return t == 0 || now - t >= PACE_WINDOW_NS;
}

/*
 * pace_refill -- the rate in use is taken before the share grows, so that
 * the tokens of a calm period are earned at the pace it really had.  The
 * share doubles per calm second.
 */
void
pace_refill(struct pace *p, uint64_t now)
{
	double rate = p->rate_pps * p->share;
	double burst = rate / 500.0;   /* 2 ms worth */
	double dt = now > p->tokens_ns ? (double)(now - p->tokens_ns) : 0;

	if (burst < 4)
		burst = 4;
	if (p->share < 1.0 && now > p->drop_ns + PACE_CALM_NS) {
		p->share *= 1.0 + dt / 1e9;
		if (p->share > 1.0)
			p->share = 1.0;
	}
	p->tokens += dt * rate / 1e9;
	if (p->tokens > burst)
		p->tokens = burst;
	p->tokens_ns = now;
}

int
pace_ready(const struct pace *p, uint64_t now)
{
	return p->tokens >= 1.0 && pace_free_at(p, 0, now);
}

unsigned
pace_room(const struct pace *p, uint64_t now, unsigned max)
{
	unsigned n = 0;

	while (n < max && p->tokens >= n + 1.0 && n < p->window &&
	    pace_free_at(p, n, now))
		n++;
	return n;
}

int
pace_take(struct pace *p, uint64_t now)
{
	if (!pace_ready(p, now))
		return 0;
	p->tokens -= 1.0;
	p->sent[p->head] = now;
	p->head = (p->head + 1) % p->window;
	return 1;
}

void
pace_dropped(struct pace *p, uint64_t now)
{
	p->drop_ns = now;
	p->share /= 2;
	if (p->share < PACE_MIN)
		p->share = PACE_MIN;
}

uint64_t
pace_wait_ns(const struct pace *p, uint64_t now)
{
	uint64_t wait = 0, oldest = p->sent[p->head];

	if (p->tokens < 1.0)
		wait = (uint64_t)((1.0 - p->tokens) * 1e9 /
		    (p->rate_pps * p->share)) + 1;
	if (!pace_free_at(p, 0, now) && oldest + PACE_WINDOW_NS - now > wait)
		wait = oldest + PACE_WINDOW_NS - now;
	return wait;
}

/*
 * pace_gap_ns -- the gap only ever moves the next probe earlier than
 * RETRY_MS: every probe is still listened to until its address is
 * decided, at least a whole timeout after the last probe.  A gap that is
 * the same for every job keeps the retry ring in order when it changes.
 */
uint64_t
pace_gap_ns(unsigned retry_ms, uint64_t rtt_max_ns)
{
	uint64_t gap = (uint64_t)retry_ms * PACE_NS_PER_MS;
	uint64_t fit = rtt_max_ns * 4;

	if (rtt_max_ns == 0)
		return gap;
	if (fit < PACE_GAP_MIN_NS)
		fit = PACE_GAP_MIN_NS;
	return fit < gap ? fit : gap;
}
