/* history_sqlite.c - the history in an SQLite file: the embedded default */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

/* What the WAL is cut back to at a checkpoint: it stays (see below) */
#define HISTORY_WAL_KEEP 4194304
#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * The schema, one step per version: a database at version N gets the
 * steps after N, in one transaction, and its schema_version row says
 * where it is.  Steps are only ever appended.
 */
static const char *const history_sqlite_steps[HISTORY_SCHEMA_VERSION] = {
	/* 1: one row per address and site, updated in place; the runs */
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"INSERT INTO schema_version VALUES (0);"
	"CREATE TABLE addresses ("
	" addr INTEGER NOT NULL,"
	" site TEXT NOT NULL,"
	" first_checked INTEGER NOT NULL,"
	" checked_since INTEGER NOT NULL,"
	" last_checked INTEGER NOT NULL,"
	" last_seen INTEGER,"
	" last_evidence TEXT,"
	" state TEXT NOT NULL CHECK (state IN ('free', 'used')),"
	" state_since INTEGER NOT NULL,"
	" PRIMARY KEY (addr, site)) WITHOUT ROWID;"
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY,"
	" site TEXT NOT NULL,"
	" started INTEGER NOT NULL,"
	" finished INTEGER NOT NULL,"
	" ranges TEXT NOT NULL,"
	" settings TEXT NOT NULL,"
	" total INTEGER NOT NULL,"
	" free INTEGER NOT NULL,"
	" used INTEGER NOT NULL,"
	" unknown INTEGER NOT NULL,"
	" complete INTEGER NOT NULL);",
	/* 2: the link-layer address of the last sighting; runs by site */
	"ALTER TABLE addresses ADD COLUMN mac TEXT;"
	"CREATE INDEX runs_site ON runs (site, id);",
};

struct history_sqlite_conn {
	sqlite3 *db;
	sqlite3_stmt *load, *store, *touch, *run, *prune;
};

/* history_sqlite_err -- DB's last message into h->err; returns -1 */
static int
history_sqlite_err(struct history *h, sqlite3 *db, const char *what)
{
	snprintf(h->err, sizeof(h->err), "%s: %s", what,
	    db != NULL ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

/*
 * history_sqlite_version -- the schema version of DB: 0 for a database
 * without the table (new), -1 on an error
 */
static int
history_sqlite_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1, rc;

	rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = 'schema_version'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0) == 0 ? 0 : -2;
	sqlite3_finalize(st);
	if (v != -2)
		return v;
	if (sqlite3_prepare_v2(db, "SELECT version FROM schema_version", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

/*
 * history_sqlite_migrate -- bring DB to version UPTO in one transaction.
 * Returns 0, or -1 with h->err set (a newer schema than ours too).
 */
static int
history_sqlite_migrate(struct history *h, sqlite3 *db, int upto)
{
	char sql[64];
	int v, i;

	/* a current schema needs no write lock: readers never wait in WAL
	   mode, so a run does not queue behind another run's write here */
	v = history_sqlite_version(db);
	if (v == upto)
		return 0;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return history_sqlite_err(h, db, "cannot lock");
	v = history_sqlite_version(db);
	if (v < 0) {
		history_sqlite_err(h, db, "cannot read the schema version");
		goto fail;
	}
	if (v > HISTORY_SCHEMA_VERSION) {
		snprintf(h->err, sizeof(h->err), "schema version %d is newer "
		    "than this ipsweep's (%d)", v, HISTORY_SCHEMA_VERSION);
		goto fail;
	}
	for (i = v; i < upto; i++)
		if (sqlite3_exec(db, history_sqlite_steps[i], NULL, NULL,
		    NULL) != SQLITE_OK) {
			history_sqlite_err(h, db, "cannot migrate the schema");
			goto fail;
		}
	snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %d",
	    upto > v ? upto : v);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		history_sqlite_err(h, db, "cannot migrate the schema");
		goto fail;
	}
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * history_sqlite_connect -- open PATH with WAL and the busy timeout, and
 * migrate it to UPTO.  Returns the handle, or NULL with h->err set.
 */
static sqlite3 *
history_sqlite_connect(struct history *h, const char *path, int upto)
{
	sqlite3 *db = NULL;
	int rc, one = 1;

	/*
	 * One connection, used by one thread: no mutex on it (a /12's
	 * million rows took a lock and an unlock each), and no global
	 * memory statistics (another lock per allocation) when SQLite is
	 * not yet initialised.
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		history_sqlite_err(h, db, "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(db, HISTORY_BUSY_MS);
#ifdef IPSWEEP_TEST_HOOKS
	/* IPSWEEP_TEST_BUSY_MS: a shorter wait, to see it run out */
	if (getenv("IPSWEEP_TEST_BUSY_MS") != NULL)
		sqlite3_busy_timeout(db, atoi(getenv("IPSWEEP_TEST_BUSY_MS")));
#endif
	sqlite3_extended_result_codes(db, 1);
	/*
	 * The -wal and -shm files stay when the last connection closes (the
	 * WAL cut back to HISTORY_WAL_KEEP at each checkpoint).  Made afresh
	 * by every first opener, they were briefly its umask's (0644) before
	 * SQLite gave them the database file's mode, and another user's run
	 * that opened them then could only read: "attempt to write a
	 * readonly database" when runs of root and a user overlapped.
	 */
	(void)sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
	/* WAL: readers never block the writer; a killed writer leaves its
	   uncommitted frames behind, which the next opener ignores */
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_size_limit = "
	    XSTR(HISTORY_WAL_KEEP), NULL, NULL, NULL) != SQLITE_OK) {
		history_sqlite_err(h, db, "cannot use it");
		goto fail;
	}
	if (history_sqlite_migrate(h, db, upto) < 0)
		goto fail;
	return db;
fail:
	sqlite3_close(db);
	return NULL;
}

int
history_sqlite_schema(const char *path, int upto, char *err, size_t errlen)
{
	struct history h;
	sqlite3 *db;

	memset(&h, 0, sizeof(h));
	db = history_sqlite_connect(&h, path, upto);
	if (db == NULL) {
		snprintf(err, errlen, "%s", h.err);
		return -1;
	}
	sqlite3_close(db);
	return 0;
}

/* history_sqlite_close -- every statement, then the handle */
static void
history_sqlite_close(struct history *h)
{
	struct history_sqlite_conn *c = h->conn;

	if (c == NULL)
		return;
	sqlite3_finalize(c->load);
	sqlite3_finalize(c->store);
	sqlite3_finalize(c->touch);
	sqlite3_finalize(c->run);
	sqlite3_finalize(c->prune);
	sqlite3_close(c->db);
	free(c);
	h->conn = NULL;
}

static int
history_sqlite_open(struct history *h, const char *target)
{
	struct history_sqlite_conn *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		snprintf(h->err, sizeof(h->err), "out of memory");
		return -1;
	}
	h->conn = c;
	c->db = history_sqlite_connect(h, target, HISTORY_SCHEMA_VERSION);
	if (c->db == NULL)
		goto fail;
	if (sqlite3_prepare_v2(c->db, "SELECT addr, site = ?1, first_checked, "
	    "checked_since, last_checked, last_seen, last_evidence, mac, "
	    "state, state_since FROM addresses WHERE addr BETWEEN ?2 AND ?3",
	    -1, &c->load, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO addresses (addr, "
	    "site, first_checked, checked_since, last_checked, last_seen, "
	    "last_evidence, mac, state, state_since) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10)", -1, &c->store, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "UPDATE addresses SET last_checked = ?4 "
	    "WHERE site = ?1 AND addr BETWEEN ?2 AND ?3", -1, &c->touch,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO runs (site, started, "
	    "finished, ranges, settings, total, free, used, unknown, "
	    "complete) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", -1,
	    &c->run, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "DELETE FROM runs WHERE site = ?1 AND "
	    "id <= (SELECT id FROM runs WHERE site = ?1 ORDER BY id DESC "
	    "LIMIT 1 OFFSET ?2)", -1, &c->prune, NULL) != SQLITE_OK) {
		history_sqlite_err(h, c->db, "cannot prepare");
		goto fail;
	}
	return 0;
fail:
	history_sqlite_close(h);
	return -1;
}

/* history_sqlite_begin -- the write lock at once: no upgrade deadlock */
static int
history_sqlite_begin(struct history *h)
{
	struct history_sqlite_conn *c = h->conn;

	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return history_sqlite_err(h, c->db, "cannot lock");
	return 0;
}

/* history_sqlite_text -- column I as text into BUF ("" for NULL) */
static void
history_sqlite_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t n = t != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;

	if (n >= len)
		n = len - 1;
	if (n > 0)
		memcpy(buf, t, n);
	buf[n] = '\0';
}

/* history_sqlite_range -- ST afresh, with the site, LO and HI as ?1-?3 */
static void
history_sqlite_range(sqlite3_stmt *st, const struct history *h, uint32_t lo,
    uint32_t hi)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, h->site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
}

static int
history_sqlite_load(struct history *h, uint32_t lo, uint32_t hi,
    history_row_fn fn, void *arg)
{
	struct history_sqlite_conn *c = h->conn;
	sqlite3_stmt *st = c->load;
	int rc;

	history_sqlite_range(st, h, lo, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_row r;
		char state[8];

		memset(&r, 0, sizeof(r));
		r.first_checked = sqlite3_column_int64(st, 2);
		r.checked_since = sqlite3_column_int64(st, 3);
		r.last_checked = sqlite3_column_int64(st, 4);
		r.last_seen = sqlite3_column_int64(st, 5);
		history_sqlite_text(st, 6, r.evidence, sizeof(r.evidence));
		history_sqlite_text(st, 7, r.mac, sizeof(r.mac));
		history_sqlite_text(st, 8, state, sizeof(state));
		r.state = strcmp(state, "used") == 0 ? HISTORY_STATE_USED :
		    HISTORY_STATE_FREE;
		r.state_since = sqlite3_column_int64(st, 9);
		if (fn(arg, (uint32_t)sqlite3_column_int64(st, 0),
		    sqlite3_column_int(st, 1), &r) < 0)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return history_sqlite_err(h, c->db, "cannot read");
	return 0;
}

static int
history_sqlite_store(struct history *h, uint32_t addr,
    const struct history_row *r)
{
	struct history_sqlite_conn *c = h->conn;
	sqlite3_stmt *st = c->store;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, addr);
	sqlite3_bind_text(st, 2, h->site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, r->first_checked);
	sqlite3_bind_int64(st, 4, r->checked_since);
	sqlite3_bind_int64(st, 5, r->last_checked);
	if (r->last_seen != 0) {
		sqlite3_bind_int64(st, 6, r->last_seen);
		sqlite3_bind_text(st, 7, r->evidence, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, 6);
		sqlite3_bind_null(st, 7);
	}
	if (r->mac[0] != '\0')
		sqlite3_bind_text(st, 8, r->mac, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	sqlite3_bind_text(st, 9, r->state == HISTORY_STATE_USED ? "used" :
	    "free", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, r->state_since);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return history_sqlite_err(h, c->db, "cannot write");
	return 0;
}

static int
history_sqlite_touch(struct history *h, uint32_t lo, uint32_t hi,
    int64_t now)
{
	struct history_sqlite_conn *c = h->conn;
	sqlite3_stmt *st = c->touch;
	int rc;

	history_sqlite_range(st, h, lo, hi);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return history_sqlite_err(h, c->db, "cannot write");
	return 0;
}

static int
history_sqlite_run(struct history *h, const struct history_run *r)
{
	struct history_sqlite_conn *c = h->conn;
	sqlite3_stmt *st = c->run;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, h->site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->started);
	sqlite3_bind_int64(st, 3, r->finished);
	sqlite3_bind_text(st, 4, r->ranges, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->settings, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)r->total);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)r->n_free);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)r->n_used);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)r->n_unknown);
	sqlite3_bind_int(st, 10, r->complete);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return history_sqlite_err(h, c->db, "cannot write the run");
	st = c->prune;
	sqlite3_bind_text(st, 1, h->site, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, HISTORY_RUNS_KEPT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return history_sqlite_err(h, c->db, "cannot prune the runs");
	return 0;
}

static int
history_sqlite_commit(struct history *h)
{
	struct history_sqlite_conn *c = h->conn;

	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return history_sqlite_err(h, c->db, "cannot commit");
	return 0;
}

static void
history_sqlite_rollback(struct history *h)
{
	struct history_sqlite_conn *c = h->conn;

	if (sqlite3_get_autocommit(c->db) == 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

const struct history_backend history_sqlite = {
	.kind = "sqlite",
	.open = history_sqlite_open,
	.begin = history_sqlite_begin,
	.load = history_sqlite_load,
	.store = history_sqlite_store,
	.touch = history_sqlite_touch,
	.run = history_sqlite_run,
	.commit = history_sqlite_commit,
	.rollback = history_sqlite_rollback,
	.close = history_sqlite_close,
};
