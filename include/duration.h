/* duration.h - spans of time as the user writes them: 30d, 12h, 90m, 1d12h */
#ifndef IPSWEEP_DURATION_H
#define IPSWEEP_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* The longest span accepted: ten years of 365 days, in seconds. */
#define DURATION_MAX_S (10ULL * 365 * 86400)

/*
 * duration_parse -- exactly LEN bytes of S as one or more NUMBER UNIT
 * pairs, UNIT one of s, m, h, d, w (seconds to weeks): "30d", "90m",
 * "1d12h".  No blanks, signs or fractions; the total must be from 1 s to
 * DURATION_MAX_S.  Returns 0 with the seconds in *OUT, or -1.
 */
int duration_parse(const char *s, size_t len, uint64_t *out);

/*
 * duration_format -- SECS as the largest units that divide it ("30d",
 * "1d12h", "90s") into BUF; returns BUF
 */
const char *duration_format(uint64_t secs, char *buf, size_t len);

#endif
