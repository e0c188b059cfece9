/* sweep.h - run the phases of a planned sweep and report the verdicts */
#ifndef IPSWEEP_SWEEP_H
#define IPSWEEP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "options.h"
#include "plan.h"

/* Exit status when --lock finds the lock taken (sysexits EX_TEMPFAIL). */
#define SWEEP_EXIT_LOCKED 75
/* Exit status when the results were printed but not recorded. */
#define SWEEP_EXIT_HISTORY 5

/*
 * sweep_main -- run plan P as O says: the canaries, the wire sweep, the
 * TCP pass, under one deadline and one stop flag; write the selected
 * addresses on stdout in O's format and the summary on stderr.
 * H is the history to read and record the run in: NULL with --no-history;
 * one whose backend is NULL could not be opened (said already), and then
 * --free-for cannot free anything and the run ends with
 * SWEEP_EXIT_HISTORY.  STDOUT_CLOSED: stdout was closed at start
 * (/dev/null holds its place), so the results would go nowhere: a write
 * error.  Returns the exit status of ipsweep(1) (0, 1, 3, 4, 5, 130, 143,
 * or 141 when stdout's reader left).
 */
int sweep_main(const struct options *o, const struct plan *p,
    struct history *h, int stdout_closed);

/*
 * sweep_estimate -- what a sweep of N addresses as O says would cost, for
 * --dry-run, every address silent: the probes it sends with no loss, the
 * most it sends when loss makes silent addresses get --max-count (and one
 * more after drops in its own socket buffer), and
 * about how many seconds it takes without loss.
 */
void sweep_estimate(const struct options *o, size_t n, uint64_t *probes,
    uint64_t *most, double *seconds);

#endif
