/* plan.h - the run plan: what to probe and how, built once per run */
#ifndef IPSWEEP_PLAN_H
#define IPSWEEP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "options.h"
#include "targets.h"

/* The most TCP ports one range can ask for: --tcp's and its own. */
#define PLAN_PORTS_MAX (OPTIONS_TCP_PORTS_MAX + CONFIG_TCP_MAX)

/* One name asked for on the command line: a range or a literal target. */
struct plan_range {
	const char *name;          /* as given (owned by the options) */
	const struct config_range *conf;  /* its section, or NULL for a
					     literal target */
	struct targets_set set;    /* its addresses, normalised */
	struct targets_set canary; /* its canaries (may be empty) */
	uint16_t ports[PLAN_PORTS_MAX];  /* --tcp's, then its `tcp =` ones */
	size_t n_ports;
	int dns;                   /* reverse lookups: --dns, its `dns =`,
				      else the settings' */
};

/* Jobs from FIRST on, up to the next run's, are first in range RANGE. */
struct plan_run {
	uint32_t first;
	uint32_t range;
};

struct plan {
	const struct config *cfg;  /* the configuration (not owned), or NULL */
	struct plan_range *ranges; /* in command-line order */
	size_t n_ranges;
	uint32_t *addrs;           /* the jobs: ascending, unique, none
				      addr_special() */
	size_t n;
	struct plan_run *runs;     /* job -> the first range that holds it,
				      as runs of jobs: plan_range_of() */
	size_t n_runs;
	uint32_t *skipped;         /* addresses left out by addr_special() */
	size_t n_skipped;
};

enum plan_status {
	PLAN_OK = 0,
	PLAN_UNKNOWN_NAME,   /* ERR says why the name is no target; *BAD is
				its index in the options' names */
	PLAN_TOO_MANY,       /* more addresses than --max-addresses */
	PLAN_SYSTEM          /* out of memory */
};

/*
 * plan_build -- the plan for O's names: each is a range of CFG (NULL when
 * there is no configuration) when one has that name, else a literal
 * target.  The jobs are the union of their addresses, expanded (the exact
 * count is checked against --max-addresses first, so a /0 is refused, not
 * allocated), less the addresses addr_special() refuses.  Returns an enum
 * plan_status; on anything but PLAN_OK, ERR holds one line and P is left
 * empty (plan_free() is still safe).
 */
int plan_build(struct plan *p, const struct options *o,
    const struct config *cfg, size_t *bad, char *err, size_t errlen);

void plan_free(struct plan *p);

/*
 * plan_range_of -- the index of the first of P's ranges that holds job J
 * (J < p->n; 0 for a plan without ranges)
 */
size_t plan_range_of(const struct plan *p, size_t j);

/* plan_has_dns -- 1 when some range of P asks for reverse lookups */
int plan_has_dns(const struct plan *p);

/* plan_has_canaries -- 1 when some range of P has canaries */
int plan_has_canaries(const struct plan *p);

#endif
