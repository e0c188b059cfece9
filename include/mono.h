/* mono.h - CLOCK_MONOTONIC time, immune to the wall clock jumping */
#ifndef IPSWEEP_MONO_H
#define IPSWEEP_MONO_H

#include <stdint.h>

#define MONO_NS_PER_MS 1000000ull

/* mono_now_ns -- nanoseconds on CLOCK_MONOTONIC */
uint64_t mono_now_ns(void);

#endif
