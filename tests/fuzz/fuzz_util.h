/* fuzz_util.h - what the libFuzzer harnesses share (header only: each
 * harness is built alone, with replay.c or with libFuzzer) */
#ifndef IPSWEEP_FUZZ_UTIL_H
#define IPSWEEP_FUZZ_UTIL_H

/* printable -- 1 when S is printable ASCII: messages escape the rest */
static inline int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

#endif
