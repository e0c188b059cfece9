/* pace.c - token bucket and retry gap of a worker; no syscalls */
#include "pace.h"

#define PACE_NS_PER_MS 1000000ull
#define PACE_MIN       (1.0 / 64)
#define PACE_CALM_NS   (500 * PACE_NS_PER_MS)
#define PACE_GAP_MIN_NS (100 * PACE_NS_PER_MS)

void
pace_init(struct pace *p, double rate_pps, uint64_t now)
{
	p->rate_pps = rate_pps;
	p->share = 1.0;
	p->tokens = 0;
	p->tokens_ns = now;
	p->drop_ns = 0;
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
pace_ready(const struct pace *p)
{
	return p->tokens >= 1.0;
}

int
pace_take(struct pace *p)
{
	if (p->tokens < 1.0)
		return 0;
	p->tokens -= 1.0;
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
pace_wait_ns(const struct pace *p)
{
	if (p->tokens >= 1.0)
		return 0;
	return (uint64_t)((1.0 - p->tokens) * 1e9 /
	    (p->rate_pps * p->share)) + 1;
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
