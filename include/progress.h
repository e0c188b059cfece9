/* progress.h - the progress line, and the --first early stop */
#ifndef IPSWEEP_PROGRESS_H
#define IPSWEEP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "options.h"
#include "pool.h"

/* What the pool's tick needs between two calls. */
struct progress {
	const struct options *o;
	int show;                 /* draw a progress line on stderr */
	uint64_t start_ns;
	uint64_t last_ns;         /* last redraw */
	uint64_t last_probes;
	double pps;               /* smoothed send rate */
	size_t cursor;            /* --first: the wire phase is over for the
				     jobs below this */
	uint64_t free_below;      /* --first: candidates among them */
	int drawn;
};

/*
 * progress_init -- for O: a line on stderr with --progress, or by default
 * when stderr is a terminal and not -q
 */
void progress_init(struct progress *p, const struct options *o);

/*
 * progress_tick -- a pool tick (ARG is a struct progress): redraw the line
 * at most five times a second; return 1 once --first's N lowest candidates
 * are known (every job below the Nth is past the wire phase), so that the
 * pool stops.
 */
int progress_tick(void *arg, const struct collector *c,
    const struct pool_stats *st);

/* progress_clear -- erase the line, if one was drawn */
void progress_clear(struct progress *p);

#endif
