/* loss.c - the loss model behind loss-aware probing; pure arithmetic */
#include "loss.h"

/*
 * loss_needed -- p^k is built by multiplication (no libm); k stays below
 * 256 (a probe count fits a byte on the pipes), so that costs nothing.
 */
unsigned
loss_needed(uint64_t hits, uint64_t misses, uint64_t decided, uint64_t n,
    unsigned count, unsigned max_count, double false_free_max)
{
	double p, q, expect, pk = 1.0;
	unsigned k, i;

	if (misses == 0 || hits == 0)
		return count;
	p = (double)misses / ((double)misses + (double)hits);
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
