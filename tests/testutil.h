/* testutil.h - helpers the Check suites share */
#ifndef IPSWEEP_TESTUTIL_H
#define IPSWEEP_TESTUTIL_H

#include <stddef.h>

#include "options.h"

/* The most arguments tu_options() takes, the program name included. */
#define TU_ARGV_MAX 16

/* tu_cap_start -- stderr (fd 2) goes to a temporary file from now on */
void tu_cap_start(void);

/* tu_cap_end -- stderr back; returns what was written to it (caller frees) */
char *tu_cap_end(void);

/*
 * tu_options -- options_parse() of ARGS (blank-separated, without the
 * program name) into O, with 2 as the default -j; BUF (LEN bytes) holds the
 * words, which O's names point into.  Fails the test on a usage error.
 */
void tu_options(struct options *o, char *buf, size_t len, const char *args);

#endif
