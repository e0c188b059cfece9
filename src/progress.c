/* progress.c - the progress line, and the --first early stop */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mono.h"
#include "progress.h"

void
progress_init(struct progress *p, const struct options *o)
{
	memset(p, 0, sizeof(*p));
	p->o = o;
	p->show = o->progress > 0 ||
	    (o->progress < 0 && !o->quiet && isatty(STDERR_FILENO));
	p->start_ns = p->last_ns = mono_now_ns();
}

int
progress_tick(void *arg, const struct collector *c, const struct pool_stats *st)
{
	struct progress *t = arg;
	uint64_t now = mono_now_ns();

	if (t->show && now - t->last_ns >= 200 * MONO_NS_PER_MS) {
		size_t done = c->n - c->left[EVIDENCE_WIRE];
		double dt = (double)(now - t->last_ns) / 1e9;
		double el = (double)(now - t->start_ns) / 1e9;
		double left = done > 0 ? el * (double)(c->n - done) / done : 0;

		t->pps = t->last_ns == t->start_ns ? 0 :
		    0.7 * t->pps + 0.3 * (double)(st->probes_now -
		    t->last_probes) / dt;
		t->last_probes = st->probes_now;
		t->last_ns = now;
		fprintf(stderr, "\r\033[Kipsweep: %zu/%zu decided, %zu free, "
		    "%zu used, %.0f probes/s, ~%.0f s left", done, c->n,
		    c->counts[VERDICT_FREE], c->counts[VERDICT_USED], t->pps,
		    left);
		t->drawn = 1;
	}
	if (t->o->first == 0)
		return 0;
	while (t->cursor < c->n &&
	    collector_done(c, t->cursor, EVIDENCE_WIRE)) {
		t->free_below += collector_candidate(c, t->cursor);
		t->cursor++;
		if (t->free_below >= t->o->first)
			return 1;
	}
	return 0;
}

void
progress_clear(struct progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}
