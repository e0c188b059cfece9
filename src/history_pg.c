/* history_pg.c - the history in PostgreSQL: one database for many sites */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

/*
 * The schema, one step per version as in history_sqlite.c (same tables,
 * same meaning; addr is the address as a bigint in host order).
 */
static const char *const history_pg_steps[HISTORY_SCHEMA_VERSION] = {
	"CREATE TABLE schema_version (version integer NOT NULL);"
	"INSERT INTO schema_version VALUES (0);"
	"CREATE TABLE addresses ("
	" addr bigint NOT NULL,"
	" site text NOT NULL,"
	" first_checked bigint NOT NULL,"
	" checked_since bigint NOT NULL,"
	" last_checked bigint NOT NULL,"
	" last_seen bigint,"
	" last_evidence text,"
	" state text NOT NULL CHECK (state IN ('free', 'used')),"
	" state_since bigint NOT NULL,"
	" PRIMARY KEY (addr, site));"
	"CREATE TABLE runs ("
	" id bigserial PRIMARY KEY,"
	" site text NOT NULL,"
	" started bigint NOT NULL,"
	" finished bigint NOT NULL,"
	" ranges text NOT NULL,"
	" settings text NOT NULL,"
	" total bigint NOT NULL,"
	" free bigint NOT NULL,"
	" used bigint NOT NULL,"
	" unknown bigint NOT NULL,"
	" complete integer NOT NULL);",
	"ALTER TABLE addresses ADD COLUMN mac text;"
	"CREATE INDEX runs_site ON runs (site, id);",
};

/* Any numbers: the advisory locks that make two first runs take turns
   (a bigint), and two runs of one site (an int, and the site's hash). */
#define HISTORY_PG_LOCK "7365776569"
#define HISTORY_PG_SITE_LOCK "736577"

/* history_pg_err -- the connection's message, one line, into h->err */
static int
history_pg_err(struct history *h, const char *what)
{
	const char *m = h->conn != NULL ? PQerrorMessage(h->conn) : "";
	size_t len;

	snprintf(h->err, sizeof(h->err), "%s: %s", what, m);
	len = strlen(h->err);
	while (len > 0 && (h->err[len - 1] == '\n' || h->err[len - 1] == ' '))
		h->err[--len] = '\0';
	for (len = 0; h->err[len] != '\0'; len++)
		if (h->err[len] == '\n')
			h->err[len] = ' ';
	return -1;
}

/* history_pg_exec -- run SQL without parameters; 0, or -1 with h->err */
static int
history_pg_exec(struct history *h, const char *sql, const char *what)
{
	PGresult *r = PQexec(h->conn, sql);
	ExecStatusType s = PQresultStatus(r);

	PQclear(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return history_pg_err(h, what);
	return 0;
}

/* history_pg_name -- the URL for messages, without a password */
static void
history_pg_name(struct history *h, const char *url)
{
	const char *at = strchr(url, '@'), *scheme = strstr(url, "://");
	const char *colon;

	snprintf(h->name, sizeof(h->name), "%s", url);
	if (at == NULL || scheme == NULL)
		return;
	colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3));
	if (colon != NULL)
		snprintf(h->name, sizeof(h->name), "%.*s:***%s",
		    (int)(colon - url), url, at);
}

static void
history_pg_close(struct history *h)
{
	if (h->conn != NULL)
		PQfinish(h->conn);
	h->conn = NULL;
}

/* history_pg_migrate -- the steps after the database's version */
static int
history_pg_migrate(struct history *h)
{
	PGresult *r;
	char sql[80];
	int v = 0, i;

	if (history_pg_exec(h, "BEGIN", "cannot begin") < 0 ||
	    history_pg_exec(h, "SELECT pg_advisory_xact_lock("
	    HISTORY_PG_LOCK ")", "cannot lock") < 0)
		goto fail;
	r = PQexec(h->conn, "SELECT to_regclass('schema_version') IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		history_pg_err(h, "cannot read the schema");
		goto fail;
	}
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
		PQclear(r);
		r = PQexec(h->conn, "SELECT version FROM schema_version");
		if (PQresultStatus(r) != PGRES_TUPLES_OK ||
		    PQntuples(r) != 1) {
			PQclear(r);
			history_pg_err(h, "cannot read the schema version");
			goto fail;
		}
		v = atoi(PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	if (v > HISTORY_SCHEMA_VERSION) {
		snprintf(h->err, sizeof(h->err), "schema version %d is newer "
		    "than this ipsweep's (%d)", v, HISTORY_SCHEMA_VERSION);
		goto fail;
	}
	for (i = v; i < HISTORY_SCHEMA_VERSION; i++)
		if (history_pg_exec(h, history_pg_steps[i],
		    "cannot migrate the schema") < 0)
			goto fail;
	snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %d",
	    v > HISTORY_SCHEMA_VERSION ? v : HISTORY_SCHEMA_VERSION);
	if (history_pg_exec(h, sql, "cannot migrate the schema") < 0 ||
	    history_pg_exec(h, "COMMIT", "cannot commit") < 0)
		goto fail;
	return 0;
fail:
	PQclear(PQexec(h->conn, "ROLLBACK"));
	return -1;
}

/* history_pg_prepare -- statement NAME; 1 when it was prepared */
static int
history_pg_prepare(struct history *h, const char *name, const char *sql,
    int nparams)
{
	PGresult *r = PQprepare(h->conn, name, sql, nparams, NULL);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	PQclear(r);
	return ok;
}

static int
history_pg_open(struct history *h, const char *target)
{
	history_pg_name(h, target);
	h->conn = PQconnectdb(target);
	if (h->conn == NULL) {
		snprintf(h->err, sizeof(h->err), "out of memory");
		return -1;
	}
	if (PQstatus(h->conn) != CONNECTION_OK) {
		history_pg_err(h, "cannot connect");
		goto fail;
	}
	PQclear(PQexec(h->conn, "SET client_min_messages = warning"));
	if (history_pg_migrate(h) < 0)
		goto fail;
	if (!history_pg_prepare(h, "load", "SELECT addr, "
	    "(site = $1)::int, first_checked, checked_since, last_checked, "
	    "coalesce(last_seen, 0), coalesce(last_evidence, ''), "
	    "coalesce(mac, ''), state, state_since FROM addresses WHERE addr "
	    "BETWEEN $2 AND $3", 3))
		goto prep;
	if (!history_pg_prepare(h, "store", "INSERT INTO addresses "
	    "(addr, site, first_checked, checked_since, last_checked, "
	    "last_seen, last_evidence, mac, state, state_since) VALUES ($1, "
	    "$2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (addr, site) DO "
	    "UPDATE SET first_checked = excluded.first_checked, checked_since "
	    "= excluded.checked_since, last_checked = excluded.last_checked, "
	    "last_seen = excluded.last_seen, last_evidence = "
	    "excluded.last_evidence, mac = excluded.mac, state = "
	    "excluded.state, state_since = excluded.state_since", 10))
		goto prep;
	if (!history_pg_prepare(h, "touch", "UPDATE addresses SET "
	    "last_checked = $4 WHERE site = $1 AND addr BETWEEN $2 AND $3", 4))
		goto prep;
	if (!history_pg_prepare(h, "run", "INSERT INTO runs (site, "
	    "started, finished, ranges, settings, total, free, used, unknown, "
	    "complete) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", 10))
		goto prep;
	if (!history_pg_prepare(h, "prune", "DELETE FROM runs WHERE "
	    "site = $1 AND id <= (SELECT id FROM runs WHERE site = $1 ORDER BY "
	    "id DESC LIMIT 1 OFFSET $2)", 2))
		goto prep;
	return 0;
prep:
	history_pg_err(h, "cannot prepare");
fail:
	history_pg_close(h);
	return -1;
}

/*
 * history_pg_begin -- the run's transaction, holding its site's advisory
 * lock: two runs of one site take turns (each reads the rows it then
 * writes), runs of different sites write different rows and go on
 */
static int
history_pg_begin(struct history *h)
{
	const char *v[1] = { h->site };
	PGresult *r;
	int ok;

	if (history_pg_exec(h, "BEGIN", "cannot begin") < 0)
		return -1;
	r = PQexecParams(h->conn, "SELECT pg_advisory_xact_lock("
	    HISTORY_PG_SITE_LOCK ", hashtext($1))", 1, NULL, v, NULL, NULL,
	    0);
	ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	if (!ok) {
		history_pg_err(h, "cannot lock");
		PQclear(PQexec(h->conn, "ROLLBACK"));
		return -1;
	}
	return 0;
}

static int
history_pg_load(struct history *h, uint32_t lo, uint32_t hi,
    history_row_fn fn, void *arg)
{
	char slo[16], shi[16];
	const char *v[3] = { h->site, slo, shi };
	PGresult *r;
	int i, n;

	snprintf(slo, sizeof(slo), "%u", lo);
	snprintf(shi, sizeof(shi), "%u", hi);
	r = PQexecPrepared(h->conn, "load", 3, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return history_pg_err(h, "cannot read");
	}
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		struct history_row row;

		memset(&row, 0, sizeof(row));
		row.first_checked = strtoll(PQgetvalue(r, i, 2), NULL, 10);
		row.checked_since = strtoll(PQgetvalue(r, i, 3), NULL, 10);
		row.last_checked = strtoll(PQgetvalue(r, i, 4), NULL, 10);
		row.last_seen = strtoll(PQgetvalue(r, i, 5), NULL, 10);
		snprintf(row.evidence, sizeof(row.evidence), "%s",
		    PQgetvalue(r, i, 6));
		snprintf(row.mac, sizeof(row.mac), "%s", PQgetvalue(r, i, 7));
		row.state = strcmp(PQgetvalue(r, i, 8), "used") == 0 ?
		    HISTORY_STATE_USED : HISTORY_STATE_FREE;
		row.state_since = strtoll(PQgetvalue(r, i, 9), NULL, 10);
		if (fn(arg, (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10),
		    atoi(PQgetvalue(r, i, 1)), &row) < 0)
			break;
	}
	PQclear(r);
	return 0;
}

static int
history_pg_touch(struct history *h, uint32_t lo, uint32_t hi, int64_t now)
{
	char l[16], u[16], t[24];
	const char *v[4] = { h->site, l, u, t };
	PGresult *res;
	int ok;

	snprintf(l, sizeof(l), "%u", lo);
	snprintf(u, sizeof(u), "%u", hi);
	snprintf(t, sizeof(t), "%lld", (long long)now);
	res = PQexecPrepared(h->conn, "touch", 4, v, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : history_pg_err(h, "cannot write");
}

static int
history_pg_store(struct history *h, uint32_t addr, const struct history_row *r)
{
	char a[16], fc[24], cs[24], lc[24], ls[24], ss[24];
	const char *v[10] = { a, h->site, fc, cs, lc,
	    r->last_seen != 0 ? ls : NULL,
	    r->last_seen != 0 ? r->evidence : NULL,
	    r->mac[0] != '\0' ? r->mac : NULL,
	    r->state == HISTORY_STATE_USED ? "used" : "free", ss };
	PGresult *res;
	int ok;

	snprintf(a, sizeof(a), "%u", addr);
	snprintf(fc, sizeof(fc), "%lld", (long long)r->first_checked);
	snprintf(cs, sizeof(cs), "%lld", (long long)r->checked_since);
	snprintf(lc, sizeof(lc), "%lld", (long long)r->last_checked);
	snprintf(ls, sizeof(ls), "%lld", (long long)r->last_seen);
	snprintf(ss, sizeof(ss), "%lld", (long long)r->state_since);
	res = PQexecPrepared(h->conn, "store", 10, v, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : history_pg_err(h, "cannot write");
}

static int
history_pg_run(struct history *h, const struct history_run *r)
{
	char st[24], fi[24], to[24], fr[24], us[24], un[24], co[4], kept[16];
	const char *v[10] = { h->site, st, fi, r->ranges, r->settings, to, fr,
	    us, un, co };
	const char *pv[2] = { h->site, kept };
	PGresult *res;
	int ok;

	snprintf(st, sizeof(st), "%lld", (long long)r->started);
	snprintf(fi, sizeof(fi), "%lld", (long long)r->finished);
	snprintf(to, sizeof(to), "%llu", (unsigned long long)r->total);
	snprintf(fr, sizeof(fr), "%llu", (unsigned long long)r->n_free);
	snprintf(us, sizeof(us), "%llu", (unsigned long long)r->n_used);
	snprintf(un, sizeof(un), "%llu", (unsigned long long)r->n_unknown);
	snprintf(co, sizeof(co), "%d", r->complete);
	snprintf(kept, sizeof(kept), "%d", HISTORY_RUNS_KEPT);
	res = PQexecPrepared(h->conn, "run", 10, v, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok)
		return history_pg_err(h, "cannot write the run");
	res = PQexecPrepared(h->conn, "prune", 2, pv, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : history_pg_err(h, "cannot prune the runs");
}

static int
history_pg_commit(struct history *h)
{
	return history_pg_exec(h, "COMMIT", "cannot commit");
}

static void
history_pg_rollback(struct history *h)
{
	if (PQtransactionStatus(h->conn) != PQTRANS_IDLE)
		PQclear(PQexec(h->conn, "ROLLBACK"));
}

const struct history_backend history_pg = {
	.kind = "postgresql",
	.open = history_pg_open,
	.begin = history_pg_begin,
	.load = history_pg_load,
	.store = history_pg_store,
	.touch = history_pg_touch,
	.run = history_pg_run,
	.commit = history_pg_commit,
	.rollback = history_pg_rollback,
	.close = history_pg_close,
};
