/* mono.c - CLOCK_MONOTONIC time */
#include <time.h>

#include "mono.h"

uint64_t
mono_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
