/* sweep.h - run the sweep of an expanded job list and report the verdicts */
#ifndef IPSWEEP_SWEEP_H
#define IPSWEEP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "targets.h"

/* Exit status when --lock finds the lock taken (sysexits EX_TEMPFAIL). */
#define SWEEP_EXIT_LOCKED 75

/* TCP ports to try on a range's silent addresses. */
struct sweep_ports {
	const uint16_t *ports;
	size_t n;
};

struct sweep_input {
	const uint32_t *addrs;    /* ascending, unique, none addr_special() */
	size_t n;
	size_t n_skipped;         /* left out by policy, only counted */
	const char *const *names; /* the names and targets asked for */
	const uint32_t *name_of;  /* job -> index in NAMES of the first name
				     that holds it; NULL: names unknown */
	size_t n_names;
	const struct targets_set *sets;     /* per name: its addresses */
	const struct targets_set *canaries; /* per name: its canaries (may
					       be empty), or NULL: none */
	const struct sweep_ports *tcp;      /* per name: its `tcp =` ports,
					       or NULL: none */
	int stdout_closed;        /* stdout was closed at start: /dev/null
				     holds its place, the results go nowhere */
};

/*
 * sweep_main -- probe the addresses of IN as O says, write the selected
 * ones on stdout in O's format and the summary on stderr.  Returns the
 * exit status of ipsweep(1) (0, 1, 3, 4, 130, 143, or 141 when stdout's
 * reader left).
 */
int sweep_main(const struct options *o, const struct sweep_input *in);

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
