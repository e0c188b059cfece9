/* sweep.h - run the sweep of an expanded job list and report the verdicts */
#ifndef IPSWEEP_SWEEP_H
#define IPSWEEP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"

/*
 * sweep_main -- probe the N addresses of ADDRS (ascending, unique, none of
 * them addr_special()) as O says, print the selected addresses on stdout
 * and the summary on stderr.  N_SKIPPED addresses were left out by policy
 * and are only counted.  Returns the exit status of DESIGN.md's table
 * (0, 1, 3, 4, 130, 143).
 */
int sweep_main(const struct options *o, const uint32_t *addrs, size_t n,
    size_t n_skipped);

#endif
