/* loss.c - the loss model behind loss-aware probing; pure arithmetic */
#include "loss.h"

/* loss_sqrt -- the square root of X >= 0 by Newton's method (no libm) */
static double
loss_sqrt(double x)
{
	double r = x > 1.0 ? x : 1.0;
	int i;

	if (x <= 0.0)
		return 0.0;
	for (i = 0; i < 64; i++) {
		double next = 0.5 * (r + x / r);

		if (next >= r)
			break;
		r = next;
	}
	return r;
}

/*
 * loss_bound -- the Wilson score upper bound, z = 2 (about 97.7% one
 * sided): with 40 answering hosts a measured 9% can be a true 22%, and
 * the silence of the addresses decided on it would be trusted far too
 * much.  It tends to the measured share as the sample grows.
 */
double
loss_bound(uint64_t hits, uint64_t misses)
{
	const double z2 = LOSS_Z * LOSS_Z;
	double n = (double)hits + (double)misses, p, centre, half;

	if (n <= 0.0)
		return 0.0;
	p = (double)misses / n;
	centre = p + z2 / (2.0 * n);
	half = LOSS_Z * loss_sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
	return (centre + half) / (1.0 + z2 / n);
}

/*
 * loss_needed -- p^k is built by multiplication (no libm); k stays below
 * 256 (a probe count fits a byte on the pipes), so that costs nothing.
 */
unsigned
loss_needed(uint64_t hits, uint64_t misses, uint64_t decided, uint64_t n,
    unsigned tries, unsigned count, unsigned max_count, double false_free_max)
{
	double p = 1.0, q, expect, pk = 1.0, b;
	unsigned k, i;

	if (misses == 0 || hits == 0)
		return count;
	b = loss_bound(hits, misses);
	for (i = 0; i < (tries ? tries : 1u); i++)
		p *= b;
	q = decided > 0 ? (double)hits / (double)decided : 1.0;
	if (q > 1.0)
		q = 1.0;
	expect = (double)n * q;
	for (i = 0; i < count; i++)
		pk *= p;
	for (k = count;; k++) {
		if (expect * pk <= false_free_max)
			return k;
		if (k >= max_count)
			return LOSS_BEYOND;
		pk *= p;
	}
}
