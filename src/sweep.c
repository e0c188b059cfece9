/* sweep.c - placeholder until the sweep lands */
#include <stdio.h>

#include "sweep.h"

int
sweep_main(const struct options *o, const uint32_t *addrs, size_t n,
    size_t n_skipped)
{
	(void)o;
	(void)addrs;
	(void)n;
	(void)n_skipped;
	fprintf(stderr, "ipsweep: the sweep is not implemented yet\n");
	return 4;
}
