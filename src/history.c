/* history.c - the history of past runs: where it lives, and its rules */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "arp.h"
#include "escape.h"
#include "history.h"
#include "verdict.h"

int
history_is_url(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0;
}

int
history_locate(const char *opt, const char *env, const char *conf,
    int root, const char *xdg, const char *home, char *buf, size_t len,
    int *is_default)
{
	int n;

	*is_default = 0;
	if (opt != NULL && *opt != '\0')
		n = snprintf(buf, len, "%s", opt);
	else if (env != NULL && *env != '\0')
		n = snprintf(buf, len, "%s", env);
	else if (conf != NULL && *conf != '\0')
		n = snprintf(buf, len, "%s", conf);
	else {
		*is_default = 1;
		if (root)
			n = snprintf(buf, len, "/var/lib/ipsweep/history.db");
		else if (xdg != NULL && *xdg != '\0')
			n = snprintf(buf, len, "%s/ipsweep/history.db", xdg);
		else if (home != NULL && *home != '\0')
			n = snprintf(buf, len,
			    "%s/.local/state/ipsweep/history.db", home);
		else
			return -1;
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * history_mkdirs -- create the missing directories above the file PATH,
 * 0700 for a user's state, 0755 for /var/lib's.  Returns 0 or -1 (errno).
 */
static int
history_mkdirs(const char *path)
{
	char dir[1024];
	char *p;
	mode_t mode = strncmp(path, "/var/lib/", 9) == 0 ? 0755 : 0700;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int
history_open(struct history *h, const char *target, const char *site,
    int mkdir_parent, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	h->be = history_is_url(target) ? &history_pg : &history_sqlite;
	snprintf(h->site, sizeof(h->site), "%s", site);
	if (h->be == &history_sqlite) {
		snprintf(h->name, sizeof(h->name), "%s", target);
		if (mkdir_parent && history_mkdirs(target) < 0) {
			escape_err(err, errlen, "history database '%s': cannot "
			    "create its directory: %s", h->name,
			    strerror(errno));
			h->be = NULL;
			return -1;
		}
	}
	if (h->be->open(h, target) < 0) {
		escape_err(err, errlen, "history database '%s': %s", h->name,
		    h->err);
		h->be = NULL;
		return -1;
	}
	return 0;
}

void
history_close(struct history *h)
{
	if (h->be != NULL)
		h->be->close(h);
	h->be = NULL;
	h->conn = NULL;
}

int
history_advance(const struct history_row *old, int64_t now, unsigned verdict,
    const char *evidence, const char *mac, struct history_row *out)
{
	int state = verdict == VERDICT_USED ? HISTORY_STATE_USED :
	    HISTORY_STATE_FREE;
	int change = HISTORY_SAME;

	*out = *old;
	if (old->first_checked == 0) {
		out->first_checked = now;
		out->checked_since = now;
	} else if (now - old->last_checked > HISTORY_GAP_S ||
	    old->checked_since == 0) {
		out->checked_since = now;   /* nobody looked for too long */
	}
	out->last_checked = now;
	if (state == HISTORY_STATE_USED) {
		out->last_seen = now;
		snprintf(out->evidence, sizeof(out->evidence), "%s",
		    evidence != NULL ? evidence : "");
		snprintf(out->mac, sizeof(out->mac), "%s",
		    mac != NULL ? mac : "");
	}
	if (old->state != state) {
		out->state_since = now;
		if (old->state != HISTORY_STATE_NONE)
			change = state == HISTORY_STATE_USED ?
			    HISTORY_NEWLY_USED : HISTORY_NEWLY_FREE;
	}
	out->state = state;
	return change;
}

void
history_merge(struct history_row *m, const struct history_row *r, int64_t now)
{
	if (r->first_checked == 0)
		return;
	if (m->first_checked == 0 || r->first_checked < m->first_checked)
		m->first_checked = r->first_checked;
	if (r->last_seen > m->last_seen) {
		m->last_seen = r->last_seen;
		memcpy(m->evidence, r->evidence, sizeof(m->evidence));
		memcpy(m->mac, r->mac, sizeof(m->mac));
	}
	if (r->last_checked > m->last_checked) {
		m->last_checked = r->last_checked;
		m->state = r->state;
		m->state_since = r->state_since;
	}
	/* a watch counts only while it is unbroken up to now */
	if (r->checked_since != 0 && now - r->last_checked <= HISTORY_GAP_S &&
	    (m->checked_since == 0 || r->checked_since < m->checked_since))
		m->checked_since = r->checked_since;
}

unsigned
history_rule(const struct history_row *m, int64_t now, uint64_t window_s)
{
	if (m->last_seen != 0 && now - m->last_seen <= (int64_t)window_s)
		return REASON_HISTORY_SEEN;
	if (m->checked_since == 0 || now - m->last_checked > HISTORY_GAP_S ||
	    now - m->checked_since < (int64_t)window_s)
		return REASON_HISTORY_SHORT;
	return REASON_HISTORY_QUIET;
}

uint64_t
history_window(const struct options *o, const struct plan *p, size_t j)
{
	uint64_t w = o->free_for_s;

	if (p != NULL && p->n_runs > 0) {
		size_t i = plan_range_of(p, j);
		const struct config_range *r = p->ranges[i].conf;

		if (r != NULL && r->free_for_s > w)
			w = r->free_for_s;
	}
	return w;
}

/* The jobs being read into, for history_load_row. */
struct history_load {
	const uint32_t *addrs;
	size_t n;
	struct history_job *jobs;
	int64_t now;
};

/* history_load_row -- one row into the job of its address, if any */
static int
history_load_row(void *arg, uint32_t addr, int own,
    const struct history_row *r)
{
	struct history_load *l = arg;
	long j = addr_index(l->addrs, l->n, addr);

	if (j < 0)
		return 0;
	history_merge(&l->jobs[j].merged, r, l->now);
	if (own)
		l->jobs[j].own = *r;
	return 0;
}

/* history_load -- every site's rows for ADDRS into JOBS (zeroed here) */
static int
history_load(struct history *h, const uint32_t *addrs, size_t n,
    struct history_job *jobs, int64_t now)
{
	struct history_load l = { addrs, n, jobs, now };

	memset(jobs, 0, n * sizeof(*jobs));
	if (n == 0)
		return 0;
	return h->be->load(h, addrs[0], addrs[n - 1], history_load_row, &l);
}

#ifdef IPSWEEP_TEST_HOOKS
/*
 * history_test_pause -- IPSWEEP_TEST_HISTORY_PAUSE=FILE: with the run's
 * rows written but not committed, create FILE and wait (up to a minute)
 * until the test removes it, holding the write lock: a run killed
 * mid-write, or another run that must wait, at a known point.
 */
static void
history_test_pause(void)
{
	const char *f = getenv("IPSWEEP_TEST_HISTORY_PAUSE");
	FILE *fp;
	int i;

	if (f == NULL || *f == '\0' || (fp = fopen(f, "w")) == NULL)
		return;
	fclose(fp);
	for (i = 0; i < 600 && access(f, F_OK) == 0; i++)
		usleep(100000);
}
#endif

/*
 * history_evidence_at -- history_evidence() for the M jobs of C from
 * FIRST on, JOBS[0] being job FIRST's (NULL: unreadable)
 */
static size_t
history_evidence_at(struct collector *c, const struct options *o,
    const struct plan *p, const struct history_job *jobs, size_t first,
    size_t m, int64_t now)
{
	size_t j, needed = 0;
	unsigned why;

	for (j = first; j < first + m; j++) {
		const struct history_job *hj = jobs != NULL ?
		    &jobs[j - first] : NULL;
		uint64_t w = history_window(o, p, j);

		if (w == 0)
			continue;
		collector_need(c, j, EVIDENCE_HISTORY);
		why = hj == NULL ? REASON_HISTORY_ERROR :
		    history_rule(&hj->merged, now, w);
		/* a sighting's time goes with it, for the message */
		collector_report(c, j, EVIDENCE_HISTORY, why, 0, 0,
		    why == REASON_HISTORY_SEEN ?
		    (uint32_t)hj->merged.last_seen : 0);
		needed++;
	}
	return needed;
}

/* history_row_same -- A and B hold the same */
static int
history_row_same(const struct history_row *a, const struct history_row *b)
{
	return a->first_checked == b->first_checked &&
	    a->checked_since == b->checked_since &&
	    a->last_checked == b->last_checked &&
	    a->last_seen == b->last_seen && a->state == b->state &&
	    a->state_since == b->state_since &&
	    strcmp(a->evidence, b->evidence) == 0 &&
	    strcmp(a->mac, b->mac) == 0;
}

/*
 * history_advance_job -- job J of C after this run into HJ (read before
 * it): its own new row, the change, a new MAC.  Returns
 * HISTORY_WRITE_ROW when the run decided J (a row to write),
 * HISTORY_WRITE_CHECKED when only its row's last_checked changes (most
 * rows, most runs), 0 when the run did not decide it.
 */
static int
history_advance_job(const struct collector *c, size_t j, int64_t now,
    struct history_job *hj)
{
	const struct collector_entry ent = collector_entry(c, j);
	const struct collector_entry *e = &ent;
	const uint8_t *m = collector_mac(c, j);
	struct history_row old = hj->own;
	char mac[18];

	if (e->verdict != VERDICT_USED && e->verdict != VERDICT_FREE) {
		hj->change = HISTORY_SAME;
		return 0;
	}
	mac[0] = '\0';
	if (e->verdict == VERDICT_USED && m != NULL)
		arp_format_mac(m, mac);
	hj->change = (uint8_t)history_advance(&old, now, e->verdict,
	    reason_name(e->reason), mac, &hj->own);
	hj->new_mac = mac[0] != '\0' && hj->merged.mac[0] != '\0' &&
	    strcmp(mac, hj->merged.mac) != 0;
	old.last_checked = hj->own.last_checked;
	return old.first_checked != 0 && history_row_same(&old, &hj->own) ?
	    HISTORY_WRITE_CHECKED : HISTORY_WRITE_ROW;
}

/*
 * history_store_chunk -- write the rows of jobs FIRST to FIRST + M of C
 * (in JOBS) that WRITE (history_advance_job's) says changed.  A row whose
 * only change is last_checked goes with its neighbours: the rows of a run
 * of consecutive addresses that all changed so are touched by one
 * statement, which holds no other row of the site because the run has
 * no gap.
 */
static int
history_store_chunk(struct history *h, const struct collector *c,
    size_t first, size_t m, const struct history_job *jobs,
    const uint8_t *write, int64_t now)
{
	size_t k, run = 0;

	for (k = 0; k <= m; k++) {
		int touch = k < m && write[k] == HISTORY_WRITE_CHECKED &&
		    h->be->touch != NULL;

		if (run > 0 && (!touch ||
		    c->addrs[first + k] != c->addrs[first + k - 1] + 1)) {
			if (h->be->touch(h, c->addrs[first + k - run],
			    c->addrs[first + k - 1], now) < 0)
				return -1;
			run = 0;
		}
		if (touch)
			run++;
		else if (k < m && write[k] != 0 &&
		    h->be->store(h, c->addrs[first + k], &jobs[k].own) < 0)
			return -1;
	}
	return 0;
}

int
history_sweep(struct history *h, struct collector *c,
    const struct options *o, const struct plan *p,
    const struct history_run *run, int64_t now,
    struct history_brief *brief, history_mac_fn mac_fn, void *arg)
{
	struct history_job *jobs;
	uint8_t write[HISTORY_CHUNK];
	size_t first, m, k;

	jobs = malloc(HISTORY_CHUNK * sizeof(*jobs));
	if (jobs == NULL) {
		snprintf(h->err, sizeof(h->err), "out of memory");
		return -1;
	}
	if (h->be->begin(h) < 0)
		goto out;
	for (first = 0; first < c->n; first += m) {
		m = c->n - first < HISTORY_CHUNK ? c->n - first :
		    HISTORY_CHUNK;
		if (history_load(h, c->addrs + first, m, jobs, now) < 0)
			goto fail;
		for (k = 0; k < m; k++) {
			struct history_job *hj = &jobs[k];

			write[k] = (uint8_t)history_advance_job(c, first + k,
			    now, hj);
			if (hj->new_mac && mac_fn != NULL)
				mac_fn(arg, first + k, hj);
			if (brief == NULL)
				continue;
			brief[first + k].last_seen =
			    hj->own.last_seen > hj->merged.last_seen ?
			    hj->own.last_seen : hj->merged.last_seen;
			brief[first + k].free_since =
			    hj->own.state == HISTORY_STATE_FREE ?
			    hj->own.state_since : 0;
			brief[first + k].change = hj->change;
		}
		if (history_store_chunk(h, c, first, m, jobs, write, now) < 0)
			goto fail;
		/* after the rows: they hold what the probes said */
		history_evidence_at(c, o, p, jobs, first, m, now);
	}
	if (h->be->run(h, run) < 0)
		goto fail;
#ifdef IPSWEEP_TEST_HOOKS
	history_test_pause();
#endif
	if (h->be->commit(h) < 0)
		goto fail;
	free(jobs);
	return 0;
fail:
	h->be->rollback(h);
out:
	free(jobs);
	return -1;
}

int
history_query(struct history *h, const uint32_t *addrs, size_t n,
    struct history_job *jobs)
{
	int64_t now = history_now();

	if (h->be->begin(h) < 0)
		return -1;
	if (history_load(h, addrs, n, jobs, now) < 0) {
		h->be->rollback(h);
		return -1;
	}
	h->be->rollback(h);
	return 0;
}

size_t
history_evidence(struct collector *c, const struct options *o,
    const struct plan *p, const struct history_job *jobs, int64_t now)
{
	return history_evidence_at(c, o, p, jobs, 0, c->n, now);
}

int64_t
history_now(void)
{
#ifdef IPSWEEP_TEST_HOOKS
	const char *s = getenv("IPSWEEP_TEST_NOW");

	if (s != NULL && *s != '\0')
		return strtoll(s, NULL, 10);
#endif
	return (int64_t)time(NULL);
}
