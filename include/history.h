/* history.h - what past runs saw: per address when it was last seen used */
#ifndef IPSWEEP_HISTORY_H
#define IPSWEEP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "options.h"
#include "plan.h"

/*
 * The longest time between two checks of an address that still counts as
 * one unbroken watch: a daily cron job with some slack.  A longer pause
 * starts the address's watch again (checked_since), so --free-for cannot
 * count time nobody looked.
 */
#define HISTORY_GAP_S (25 * 3600)
/* How long a run waits for another run's write lock (SQLite). */
#define HISTORY_BUSY_MS 10000
/* Rows of the runs table kept per site; older ones are deleted. */
#define HISTORY_RUNS_KEPT 1000
/* The schema version this build writes (history_sqlite.c, history_pg.c). */
#define HISTORY_SCHEMA_VERSION 2

enum history_state {
	HISTORY_STATE_NONE = 0,   /* never decided */
	HISTORY_STATE_FREE,
	HISTORY_STATE_USED
};

enum history_change {
	HISTORY_SAME = 0,
	HISTORY_NEWLY_USED,
	HISTORY_NEWLY_FREE
};

/* What the history holds about one address (times: Unix seconds, 0 never). */
struct history_row {
	int64_t first_checked;  /* the first run that decided it */
	int64_t checked_since;  /* the start of its unbroken watch: no two
				   checks since further apart than the gap */
	int64_t last_checked;   /* the last run that decided it */
	int64_t last_seen;      /* the last run that found it used */
	int64_t state_since;    /* when it last went used->free or back */
	int state;              /* enum history_state of the last decision */
	char evidence[32];      /* the reason it was last seen used by */
	char mac[18];           /* its link-layer address then, or "" */
};

/* What a run writes of a job's row. */
enum history_write {
	HISTORY_WRITE_NONE = 0,   /* nothing: the run did not decide it */
	HISTORY_WRITE_ROW,        /* the whole row */
	HISTORY_WRITE_CHECKED     /* only last_checked changed */
};

/* What is read and written of one job, a chunk of jobs at a time. */
struct history_job {
	struct history_row merged;  /* every site, before this run */
	struct history_row own;     /* this site, this run included */
	uint8_t change;             /* enum history_change against the own
				       row before this run */
	uint8_t new_mac;            /* 1: another MAC answered than the one
				       last seen (merged.mac) */
};

/* What a sweep's output shows of one job's history. */
struct history_brief {
	int64_t last_seen;   /* the latest sighting: any site, this run */
	int64_t free_since;  /* since when this site finds it free, or 0 */
	uint8_t change;      /* enum history_change */
};

/*
 * Jobs read, decided and written together: the history of a run costs
 * this many history_jobs of memory (200 bytes each), not one per address
 * of the run (a /12 would need 200 MiB).
 */
#define HISTORY_CHUNK 4096

/* history_mac_fn -- job J answered from another MAC than last seen */
typedef void (*history_mac_fn)(void *arg, size_t j,
    const struct history_job *hj);

/* One run, as the runs table keeps it. */
struct history_run {
	int64_t started, finished;
	const char *ranges;     /* the names given, blank-separated */
	const char *settings;   /* "count=2 timeout_ms=1000 ..." */
	uint64_t total, n_free, n_used, n_unknown;
	int complete;           /* not interrupted, no deadline, no --first */
};

struct history;

/* history_row_fn -- one row of ADDR; OWN: of this site.  0, or -1 to stop */
typedef int (*history_row_fn)(void *arg, uint32_t addr, int own,
    const struct history_row *r);

/*
 * A storage backend.  Each returns 0, or -1 with one line in h->err.
 * open creates or migrates the schema; begin starts the run's one
 * transaction; load calls FN for the rows of every site from LO to HI;
 * store writes this site's row of ADDR; commit ends the transaction;
 * rollback abandons it (no error).
 */
struct history_backend {
	const char *kind;
	int (*open)(struct history *h, const char *target);
	int (*begin)(struct history *h);
	int (*load)(struct history *h, uint32_t lo, uint32_t hi,
	    history_row_fn fn, void *arg);
	int (*store)(struct history *h, uint32_t addr,
	    const struct history_row *r);
	/* touch: last_checked = NOW in this site's rows from LO to HI, each
	   of which exists and changes in nothing else */
	int (*touch)(struct history *h, uint32_t lo, uint32_t hi,
	    int64_t now);
	int (*run)(struct history *h, const struct history_run *r);
	int (*commit)(struct history *h);
	void (*rollback)(struct history *h);
	void (*close)(struct history *h);
};

struct history {
	const struct history_backend *be;
	void *conn;             /* the backend's */
	char name[512];         /* the database in messages (no password) */
	char site[256];         /* --site, or the host name */
	char err[512];
};

extern const struct history_backend history_sqlite;
extern const struct history_backend history_pg;

/*
 * history_locate -- the database, first match wins: OPT (--db), ENV
 * ($IPSWEEP_DB) when non-empty, CONF (`db =`), else for ROOT
 * /var/lib/ipsweep/history.db, else $XDG_STATE_HOME/ipsweep/history.db
 * (XDG non-empty) or HOME/.local/state/ipsweep/history.db.  *DEFAULT is
 * set when the choice was one of the last ones (its directory may be
 * created).  Returns 0, or -1 when it does not fit in BUF or there is
 * no home.
 */
int history_locate(const char *opt, const char *env, const char *conf,
    int root, const char *xdg, const char *home, char *buf, size_t len,
    int *is_default);

/* history_is_url -- 1 when TARGET is a postgresql:// or postgres:// URL */
int history_is_url(const char *target);

/*
 * history_open -- open TARGET (a path, or a PostgreSQL URL) for SITE,
 * creating or migrating the schema; MKDIR: create a missing parent
 * directory first.  Returns 0, or -1 with "database 'NAME': why" in ERR.
 */
int history_open(struct history *h, const char *target, const char *site,
    int mkdir_parent, char *err, size_t errlen);

void history_close(struct history *h);

/*
 * history_advance -- the row of an address after a run at NOW decided
 * VERDICT (VERDICT_USED or VERDICT_FREE) by EVIDENCE (and MAC, "" or NULL
 * when none answered ARP), from its row OLD
 * (zeroed: never checked) into *NEW.  Returns the enum history_change
 * against OLD's state (none for a first decision).  Pure.
 */
int history_advance(const struct history_row *old, int64_t now,
    unsigned verdict, const char *evidence, const char *mac,
    struct history_row *out);

/*
 * history_merge -- fold the row R of one site into M, the view of every
 * site: the latest sighting and check, the earliest first check, and the
 * earliest start of a watch still unbroken at NOW.  M starts zeroed.
 */
void history_merge(struct history_row *m, const struct history_row *r,
    int64_t now);

/*
 * history_rule -- the history's evidence for --free-for WINDOW_S at NOW
 * from the merged row M: REASON_HISTORY_SEEN when it was seen used within
 * the window; else REASON_HISTORY_SHORT when its unbroken watch does not
 * go back WINDOW_S (or broke off before NOW); else REASON_HISTORY_QUIET.
 * Pure.
 */
unsigned history_rule(const struct history_row *m, int64_t now,
    uint64_t window_s);

/*
 * history_window -- the --free-for window of job J of plan P in seconds
 * (0: none): the longer of --free-for and its range's `free-for =`
 */
uint64_t history_window(const struct options *o, const struct plan *p,
    size_t j);

/*
 * history_sweep -- the run's one transaction, HISTORY_CHUNK jobs of C at
 * a time: read every site's rows for them, write this site's new row for
 * every job the run decided (used or free: what the wire, canary and TCP
 * phases said, before any history evidence), give the jobs with a
 * --free-for window (O, P) the evidence of what was read (as
 * history_evidence); then add RUN and commit.  BRIEF (C->n entries, or
 * NULL) gets what the output shows of each job; MAC_FN (or NULL) is told
 * of each job that answered from a new MAC.  Returns 0; or -1 with
 * H->err set, when nothing was written: the caller then gives the
 * windowed jobs history_evidence(..., NULL, ...), which makes those not
 * seen used unknown.
 */
int history_sweep(struct history *h, struct collector *c,
    const struct options *o, const struct plan *p,
    const struct history_run *run, int64_t now,
    struct history_brief *brief, history_mac_fn mac_fn, void *arg);

/*
 * history_query -- read only: every site's rows for the N addresses
 * ADDRS (ascending) into JOBS.  Returns 0 or -1 with H->err set.
 */
int history_query(struct history *h, const uint32_t *addrs, size_t n,
    struct history_job *jobs);

/*
 * history_evidence -- the history phase: every job of C with a window
 * needs it, and gets history_rule()'s evidence from JOBS at NOW, or
 * REASON_HISTORY_ERROR when JOBS is NULL (the history could not be read).
 * Returns how many jobs needed it.
 */
size_t history_evidence(struct collector *c, const struct options *o,
    const struct plan *p, const struct history_job *jobs, int64_t now);

/*
 * history_sqlite_schema -- create or migrate the SQLite file PATH to schema
 * version UPTO (1..HISTORY_SCHEMA_VERSION) and close it: for the tests of
 * the migration.  Returns 0, or -1 with ERR set.
 */
int history_sqlite_schema(const char *path, int upto, char *err,
    size_t errlen);

/* history_now -- the time of the run (IPSWEEP_TEST_NOW with test hooks) */
int64_t history_now(void);

#endif
