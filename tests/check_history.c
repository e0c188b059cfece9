/* check_history.c - unit tests for durations, the history's rules and its
 * SQLite backend (a temporary file) */
#include <check.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "config.h"
#include "duration.h"
#include "history.h"
#include "record.h"
#include "verdict.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *history_suite(void);

static const struct {
	const char *s;
	int ok;
	uint64_t secs;
} t_durations[] = {
	{ "30d", 0, 30 * 86400 },
	{ "12h", 0, 12 * 3600 },
	{ "90m", 0, 90 * 60 },
	{ "45s", 0, 45 },
	{ "2w", 0, 14 * 86400 },
	{ "1d12h", 0, 86400 + 12 * 3600 },
	{ "1h30m15s", 0, 5415 },
	{ "3650d", 0, 3650ULL * 86400 },
	{ "3651d", -1, 0 },              /* over ten years */
	{ "0d", -1, 0 },                 /* nothing */
	{ "0h0m", -1, 0 },
	{ "", -1, 0 },
	{ "30", -1, 0 },                 /* no unit */
	{ "d", -1, 0 },                  /* no number */
	{ "30 d", -1, 0 },
	{ "-1d", -1, 0 },
	{ "+1d", -1, 0 },
	{ "1.5d", -1, 0 },
	{ "1y", -1, 0 },
	{ "1D", -1, 0 },
	{ "1d ", -1, 0 },
	{ "99999999999999999999999s", -1, 0 },
	{ "18446744073709551615s", -1, 0 },
};

START_TEST(test_duration_parse)
{
	uint64_t v = 7;
	int rc = duration_parse(t_durations[_i].s, strlen(t_durations[_i].s),
	    &v);

	ck_assert_msg(rc == t_durations[_i].ok, "'%s': %d",
	    t_durations[_i].s, rc);
	if (rc == 0)
		ck_assert_uint_eq(v, t_durations[_i].secs);
	else
		ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(test_duration_format)
{
	char buf[32];

	ck_assert_str_eq(duration_format(30 * 86400, buf, sizeof(buf)),
	    "30d");
	ck_assert_str_eq(duration_format(86400 + 12 * 3600, buf,
	    sizeof(buf)), "1d12h");
	ck_assert_str_eq(duration_format(90 * 60, buf, sizeof(buf)), "1h30m");
	ck_assert_str_eq(duration_format(0, buf, sizeof(buf)), "0s");
}
END_TEST

START_TEST(test_locate)
{
	char buf[PATH_MAX];
	int def;

	ck_assert_int_eq(history_locate("o.db", "e.db", "c.db", 1, "/x",
	    "/h", buf, sizeof(buf), &def), 0);
	ck_assert_str_eq(buf, "o.db");
	ck_assert_int_eq(def, 0);
	ck_assert_int_eq(history_locate(NULL, "e.db", "c.db", 1, "/x", "/h",
	    buf, sizeof(buf), &def), 0);
	ck_assert_str_eq(buf, "e.db");
	ck_assert_int_eq(history_locate(NULL, "", "c.db", 1, "/x", "/h",
	    buf, sizeof(buf), &def), 0);
	ck_assert_str_eq(buf, "c.db");
	ck_assert_int_eq(def, 0);
	ck_assert_int_eq(history_locate(NULL, NULL, NULL, 1, "/x", "/h",
	    buf, sizeof(buf), &def), 0);
	ck_assert_str_eq(buf, "/var/lib/ipsweep/history.db");
	ck_assert_int_eq(def, 1);
	ck_assert_int_eq(history_locate(NULL, NULL, NULL, 0, "/x", "/h",
	    buf, sizeof(buf), &def), 0);
	ck_assert_str_eq(buf, "/x/ipsweep/history.db");
	ck_assert_int_eq(history_locate(NULL, NULL, NULL, 0, "", "/h",
	    buf, sizeof(buf), &def), 0);
	ck_assert_str_eq(buf, "/h/.local/state/ipsweep/history.db");
	ck_assert_int_eq(history_locate(NULL, NULL, NULL, 0, NULL, NULL,
	    buf, sizeof(buf), &def), -1);
	ck_assert_int_eq(history_locate("a-rather-long-name", NULL, NULL, 0,
	    NULL, NULL, buf, 8, &def), -1);
	ck_assert_int_eq(history_is_url("postgresql://x/y"), 1);
	ck_assert_int_eq(history_is_url("postgres:///y"), 1);
	ck_assert_int_eq(history_is_url("/var/lib/postgresql.db"), 0);
}
END_TEST

#define H 3600
#define D 86400

/* history_advance: first check, sightings, state changes, broken watch */
START_TEST(test_advance)
{
	struct history_row old, r, r2;

	memset(&old, 0, sizeof(old));
	/* a first decision: no change, the watch starts */
	ck_assert_int_eq(history_advance(&old, 1000, VERDICT_FREE, "no-reply",
	    NULL, &r), HISTORY_SAME);
	ck_assert_int_eq(r.first_checked, 1000);
	ck_assert_int_eq(r.checked_since, 1000);
	ck_assert_int_eq(r.last_checked, 1000);
	ck_assert_int_eq(r.last_seen, 0);
	ck_assert_int_eq(r.state, HISTORY_STATE_FREE);
	ck_assert_int_eq(r.state_since, 1000);
	/* then used: newly used, seen, evidence kept */
	ck_assert_int_eq(history_advance(&r, 2000, VERDICT_USED, "arp-reply",
	    "02:00:00:00:00:05", &r2), HISTORY_NEWLY_USED);
	ck_assert_int_eq(r2.first_checked, 1000);
	ck_assert_int_eq(r2.checked_since, 1000);
	ck_assert_int_eq(r2.last_seen, 2000);
	ck_assert_str_eq(r2.evidence, "arp-reply");
	ck_assert_str_eq(r2.mac, "02:00:00:00:00:05");
	ck_assert_int_eq(r2.state_since, 2000);
	/* used again: the same, state_since stays */
	ck_assert_int_eq(history_advance(&r2, 3000, VERDICT_USED, "echo-reply",
	    NULL, &r), HISTORY_SAME);
	ck_assert_str_eq(r.mac, "");
	ck_assert_int_eq(r.state_since, 2000);
	ck_assert_int_eq(r.last_seen, 3000);
	/* free after a pause longer than the gap: the watch starts again,
	   the sighting stays */
	ck_assert_int_eq(history_advance(&r, 3000 + HISTORY_GAP_S + 1,
	    VERDICT_FREE, "no-reply", NULL, &r2), HISTORY_NEWLY_FREE);
	ck_assert_int_eq(r2.checked_since, 3000 + HISTORY_GAP_S + 1);
	ck_assert_int_eq(r2.first_checked, 1000);
	ck_assert_int_eq(r2.last_seen, 3000);
	ck_assert_str_eq(r2.evidence, "echo-reply");
	/* exactly the gap is still one watch */
	ck_assert_int_eq(history_advance(&r2, 3000 + 2 * HISTORY_GAP_S + 1,
	    VERDICT_FREE, "no-reply", NULL, &r), HISTORY_SAME);
	ck_assert_int_eq(r.checked_since, 3000 + HISTORY_GAP_S + 1);
}
END_TEST

/* row -- a row checked from SINCE to LAST, seen at SEEN (0: never) */
static struct history_row
row(int64_t since, int64_t last, int64_t seen)
{
	struct history_row r;

	memset(&r, 0, sizeof(r));
	r.first_checked = since;
	r.checked_since = since;
	r.last_checked = last;
	r.last_seen = seen;
	r.state = seen == last ? HISTORY_STATE_USED : HISTORY_STATE_FREE;
	return r;
}

/* The --free-for rule: NOW is 100 days in; the window is 1 h or 30 d. */
static const struct {
	int64_t since, last, seen;
	uint64_t window;
	unsigned reason;
} t_rules[] = {
	/* never checked */
	{ 0, 0, 0, H, REASON_HISTORY_SHORT },
	/* watched 2 h, never seen: quiet for 1 h, too short for 30 d */
	{ 100 * D - 2 * H, 100 * D - 600, 0, H, REASON_HISTORY_QUIET },
	{ 100 * D - 2 * H, 100 * D - 600, 0, 30 * D, REASON_HISTORY_SHORT },
	/* watched exactly the window: enough */
	{ 100 * D - H, 100 * D - 600, 0, H, REASON_HISTORY_QUIET },
	{ 100 * D - H + 1, 100 * D - 600, 0, H, REASON_HISTORY_SHORT },
	/* seen 10 minutes ago: used, however short the watch */
	{ 100 * D - 2 * H, 100 * D - 600, 100 * D - 600, H,
	  REASON_HISTORY_SEEN },
	{ 100 * D - H / 2, 100 * D - 600, 100 * D - 600, H,
	  REASON_HISTORY_SEEN },
	/* seen exactly the window ago: still within it */
	{ 50 * D, 100 * D - 600, 100 * D - H, H, REASON_HISTORY_SEEN },
	{ 50 * D, 100 * D - 600, 100 * D - H - 1, H, REASON_HISTORY_QUIET },
	/* seen 31 days ago, watched since: quiet for 30 d */
	{ 50 * D, 100 * D - 600, 69 * D, 30 * D, REASON_HISTORY_QUIET },
	{ 50 * D, 100 * D - 600, 71 * D, 30 * D, REASON_HISTORY_SEEN },
	/* the last check is older than the gap: the watch broke off */
	{ 50 * D, 100 * D - HISTORY_GAP_S - 1, 0, H, REASON_HISTORY_SHORT },
};

START_TEST(test_rule)
{
	struct history_row r = row(t_rules[_i].since, t_rules[_i].last,
	    t_rules[_i].seen), m;

	memset(&m, 0, sizeof(m));
	history_merge(&m, &r, 100 * D);
	ck_assert_msg(history_rule(&m, 100 * D, t_rules[_i].window) ==
	    t_rules[_i].reason, "case %d: %s", _i,
	    reason_name(history_rule(&m, 100 * D, t_rules[_i].window)));
}
END_TEST

/* Two sites: any sighting counts; only a watch unbroken up to now counts */
START_TEST(test_merge_sites)
{
	int64_t now = 100 * D;
	struct history_row a = row(99 * D, now - 600, 0);
	struct history_row b = row(98 * D, now - 600, now - 1200);
	struct history_row stale = row(10 * D, 60 * D, 0);
	struct history_row m;

	memset(&m, 0, sizeof(m));
	history_merge(&m, &a, now);
	history_merge(&m, &b, now);
	ck_assert_int_eq(m.last_seen, now - 1200);
	ck_assert_int_eq(m.first_checked, 98 * D);
	ck_assert_int_eq(m.checked_since, 98 * D);
	ck_assert_uint_eq(history_rule(&m, now, H), REASON_HISTORY_SEEN);
	/* a site that stopped looking long ago does not lengthen the watch */
	memset(&m, 0, sizeof(m));
	history_merge(&m, &stale, now);
	history_merge(&m, &a, now);
	ck_assert_int_eq(m.first_checked, 10 * D);
	ck_assert_int_eq(m.checked_since, 99 * D);
	ck_assert_uint_eq(history_rule(&m, now, 2 * D), REASON_HISTORY_SHORT);
	ck_assert_uint_eq(history_rule(&m, now, D / 2), REASON_HISTORY_QUIET);
}
END_TEST

/* t_silent -- C for the N jobs of ADDRS, every one silent on the wire */
static void
t_silent(struct collector *c, const uint32_t *addrs, size_t n)
{
	size_t j;

	ck_assert_int_eq(collector_init(c, addrs, n), 0);
	for (j = 0; j < n; j++)
		collector_report(c, j, EVIDENCE_WIRE, REASON_NO_REPLY, 2, 0, 0);
	ck_assert_uint_eq(c->counts[VERDICT_FREE], n);
}

/* The history phase: free only with the history's silence too. */
START_TEST(test_evidence_phase)
{
	uint32_t addrs[3] = { 1, 2, 3 };
	struct collector c;
	struct options o;
	struct history_job jobs[3];
	int64_t now = 100 * D;

	memset(&o, 0, sizeof(o));
	o.free_for_s = H;
	memset(jobs, 0, sizeof(jobs));
	jobs[0].merged = row(now - 2 * H, now - 600, 0);        /* quiet */
	jobs[1].merged = row(now - 2 * H, now - 600, now - 600); /* seen */
	/* jobs[2]: never checked */
	t_silent(&c, addrs, 3);
	ck_assert_uint_eq(history_evidence(&c, &o, NULL, jobs, now), 3);
	ck_assert_uint_eq(collector_verdict(&c, 0), VERDICT_FREE);
	ck_assert_uint_eq(collector_reason(&c, 0), REASON_NO_REPLY);
	ck_assert_uint_eq(collector_verdict(&c, 1), VERDICT_USED);
	ck_assert_uint_eq(collector_reason(&c, 1), REASON_HISTORY_SEEN);
	ck_assert_uint_eq(collector_verdict(&c, 2), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&c, 2), REASON_HISTORY_SHORT);
	collector_free(&c);
	/* an unreadable history frees nothing */
	t_silent(&c, addrs, 3);
	history_evidence(&c, &o, NULL, NULL, now);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 0);
	ck_assert_uint_eq(c.counts[VERDICT_UNKNOWN], 3);
	ck_assert_uint_eq(collector_reason(&c, 0), REASON_HISTORY_ERROR);
	collector_free(&c);
	/* without a window the phase is not needed */
	o.free_for_s = 0;
	t_silent(&c, addrs, 3);
	ck_assert_uint_eq(history_evidence(&c, &o, NULL, NULL, now), 0);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 3);
	collector_free(&c);
}
END_TEST

/* t_tmpdb -- a fresh temporary database name into BUF */
static void
t_tmpdb(char *buf, size_t len)
{
	char dir[] = "/tmp/check-history.XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(buf, len, "%s/h.db", dir);
}

/* t_rmdb -- the database PATH, its -wal and -shm, and its directory */
static void
t_rmdb(const char *path)
{
	char p[PATH_MAX], *slash;

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s", path);
	slash = strrchr(p, '/');
	*slash = '\0';
	rmdir(p);
}

/* t_sql_int -- the one integer SQL returns on PATH */
static long long
t_sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Two runs through the backend: rows updated in place, the diff, the runs */
START_TEST(test_sqlite_runs)
{
	uint32_t addrs[3] = { 0x0a000001, 0x0a000002, 0x0a000003 };
	struct history h;
	struct collector c;
	struct history_job jobs[3];
	struct history_brief brief[3];
	struct history_run run;
	struct options o;
	char path[PATH_MAX], err[512], wal[PATH_MAX + 8];

	t_tmpdb(path, sizeof(path));
	memset(&run, 0, sizeof(run));
	run.ranges = "lab";
	run.settings = "count=2";
	run.complete = 1;
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(history_open(&h, path, "site-a", 0, err,
	    sizeof(err)), 0);
	/* run 1 at t=1000: .1 used, .2 free, .3 unknown */
	ck_assert_int_eq(collector_init(&c, addrs, 3), 0);
	collector_report(&c, 0, EVIDENCE_WIRE, REASON_ECHO_REPLY, 1, 5, 0);
	collector_report(&c, 1, EVIDENCE_WIRE, REASON_NO_REPLY, 2, 0, 0);
	collector_report(&c, 2, EVIDENCE_WIRE, REASON_DEADLINE, 0, 0, 0);
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run, 1000, NULL,
	    NULL, NULL), 0);
	collector_free(&c);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM addresses"), 2);
	/* run 2 at t=2000: .1 free, .2 used, .3 free */
	ck_assert_int_eq(collector_init(&c, addrs, 3), 0);
	collector_report(&c, 0, EVIDENCE_WIRE, REASON_NO_REPLY, 2, 0, 0);
	collector_report(&c, 1, EVIDENCE_WIRE, REASON_ARP_REPLY, 1, 5, 0);
	collector_report(&c, 2, EVIDENCE_WIRE, REASON_NO_REPLY, 2, 0, 0);
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run, 2000, brief,
	    NULL, NULL), 0);
	collector_free(&c);
	ck_assert_uint_eq(brief[0].change, HISTORY_NEWLY_FREE);
	ck_assert_uint_eq(brief[1].change, HISTORY_NEWLY_USED);
	ck_assert_uint_eq(brief[2].change, HISTORY_SAME);
	/* .1 was last seen in run 1, and is free since run 2 */
	ck_assert_int_eq(brief[0].last_seen, 1000);
	ck_assert_int_eq(brief[0].free_since, 2000);
	ck_assert_int_eq(brief[1].last_seen, 2000);
	ck_assert_int_eq(brief[1].free_since, 0);
	ck_assert_int_eq(brief[2].last_seen, 0);
	ck_assert_int_eq(brief[2].free_since, 2000);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM addresses"), 3);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM runs"), 2);
	ck_assert_int_eq(t_sql_int(path, "SELECT last_seen FROM addresses "
	    "WHERE addr = 167772161"), 1000);
	ck_assert_int_eq(t_sql_int(path, "SELECT first_checked FROM addresses "
	    "WHERE addr = 167772163"), 2000);
	history_close(&h);
	/* another site sees the merged view; its own rows are separate */
	ck_assert_int_eq(history_open(&h, path, "site-b", 0, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(history_query(&h, addrs, 3, jobs), 0);
	ck_assert_int_eq(jobs[1].merged.last_seen, 2000);
	ck_assert_int_eq(jobs[1].own.first_checked, 0);
	ck_assert_int_eq(jobs[0].merged.last_seen, 1000);
	ck_assert_str_eq(jobs[0].merged.evidence, "echo-reply");
	ck_assert_int_eq(jobs[2].merged.first_checked, 2000);
	history_close(&h);
	/* the -wal and -shm files outlive ipsweep's connections: no run
	   makes them afresh while another user's run may open them */
	snprintf(wal, sizeof(wal), "%s-wal", path);
	ck_assert_int_eq(access(wal, F_OK), 0);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	ck_assert_int_eq(access(wal, F_OK), 0);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM "
	    "pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
	t_rmdb(path);
}
END_TEST

/* t_checked -- last_checked of ADDR's row for SITE in PATH, or -1 */
static long long
t_checked(const char *path, const char *site, uint32_t addr)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT coalesce((SELECT last_checked "
	    "FROM addresses WHERE site = '%s' AND addr = %u), -1)", site, addr);
	return t_sql_int(path, sql);
}

/*
 * Rows that change only in last_checked are touched a run of consecutive
 * addresses at a time: never a row the run did not decide, one of an
 * address that is no job of the run (a gap in the job list), or another
 * site's.
 */
START_TEST(test_sqlite_touch)
{
	uint32_t all[6] = { 0x0a000001, 0x0a000002, 0x0a000003, 0x0a000004,
	    0x0a000005, 0x0a000006 };
	uint32_t gap[5] = { 0x0a000001, 0x0a000002, 0x0a000003, 0x0a000005,
	    0x0a000006 };
	struct history h;
	struct collector c;
	struct history_run run;
	struct options o;
	char path[PATH_MAX], err[512];
	size_t j;

	t_tmpdb(path, sizeof(path));
	memset(&run, 0, sizeof(run));
	run.ranges = "lab";
	run.settings = "";
	memset(&o, 0, sizeof(o));
	/* site-b first: a row of its own at .1 */
	ck_assert_int_eq(history_open(&h, path, "site-b", 0, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(collector_init(&c, all, 1), 0);
	collector_report(&c, 0, EVIDENCE_WIRE, REASON_NO_REPLY, 2, 0, 0);
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run, 1000, NULL,
	    NULL, NULL), 0);
	collector_free(&c);
	history_close(&h);
	/* site-a, run 1 at 1000: all six free */
	ck_assert_int_eq(history_open(&h, path, "site-a", 0, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(collector_init(&c, all, 6), 0);
	for (j = 0; j < 6; j++)
		collector_report(&c, j, EVIDENCE_WIRE, REASON_NO_REPLY, 2, 0,
		    0);
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run, 1000, NULL,
	    NULL, NULL), 0);
	collector_free(&c);
	/* run 2 at 2000 without .4: .2 unknown, .6 used, the rest free */
	ck_assert_int_eq(collector_init(&c, gap, 5), 0);
	for (j = 0; j < 5; j++)
		collector_report(&c, j, EVIDENCE_WIRE, j == 1 ?
		    REASON_DEADLINE : j == 4 ? REASON_ECHO_REPLY :
		    REASON_NO_REPLY, 2, 0, 0);
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run, 2000, NULL,
	    NULL, NULL), 0);
	collector_free(&c);
	ck_assert_int_eq(t_checked(path, "site-a", 0x0a000001), 2000);
	ck_assert_int_eq(t_checked(path, "site-a", 0x0a000002), 1000);
	ck_assert_int_eq(t_checked(path, "site-a", 0x0a000003), 2000);
	ck_assert_int_eq(t_checked(path, "site-a", 0x0a000004), 1000);
	ck_assert_int_eq(t_checked(path, "site-a", 0x0a000005), 2000);
	ck_assert_int_eq(t_checked(path, "site-a", 0x0a000006), 2000);
	ck_assert_int_eq(t_checked(path, "site-b", 0x0a000001), 1000);
	ck_assert_int_eq(t_checked(path, "site-b", 0x0a000002), -1);
	ck_assert_int_eq(t_sql_int(path, "SELECT last_seen FROM addresses "
	    "WHERE site = 'site-a' AND addr = 167772166"), 2000);
	ck_assert_int_eq(t_sql_int(path, "SELECT checked_since FROM addresses "
	    "WHERE site = 'site-a' AND addr = 167772165"), 1000);
	/* run 3 after a gap longer than HISTORY_GAP_S: a new watch, so a
	   whole row, not a touch */
	ck_assert_int_eq(collector_init(&c, gap, 5), 0);
	for (j = 0; j < 5; j++)
		collector_report(&c, j, EVIDENCE_WIRE, REASON_NO_REPLY, 2, 0,
		    0);
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run,
	    2001 + HISTORY_GAP_S, NULL, NULL, NULL), 0);
	collector_free(&c);
	ck_assert_int_eq(t_sql_int(path, "SELECT checked_since FROM addresses "
	    "WHERE site = 'site-a' AND addr = 167772165"),
	    2001 + HISTORY_GAP_S);
	ck_assert_int_eq(t_checked(path, "site-a", 0x0a000004), 1000);
	ck_assert_int_eq(t_checked(path, "site-b", 0x0a000001), 1000);
	history_close(&h);
	t_rmdb(path);
}
END_TEST

/* new_mac_count -- history_mac_fn: count the jobs, remember the last */
static void
new_mac_count(void *arg, size_t j, const struct history_job *hj)
{
	size_t *seen = arg;

	ck_assert_str_eq(hj->own.mac, "02:00:00:00:00:02");
	ck_assert_str_eq(hj->merged.mac, "02:00:00:00:00:01");
	seen[0]++;
	seen[1] = j;
}

/*
 * More jobs than one chunk: every row written, the evidence and the new
 * MAC found in every chunk, the last one short.
 */
START_TEST(test_sqlite_chunks)
{
	static const uint8_t mac1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t mac2[6] = { 2, 0, 0, 0, 0, 2 };
	size_t n = 2 * HISTORY_CHUNK + 7, j, seen[2] = { 0, 0 };
	uint32_t *addrs = calloc(n, sizeof(*addrs));
	struct history_brief *brief = calloc(n, sizeof(*brief));
	struct history h;
	struct collector c;
	struct history_run run;
	struct options o;
	char path[PATH_MAX], err[512];

	ck_assert_ptr_nonnull(addrs);
	ck_assert_ptr_nonnull(brief);
	for (j = 0; j < n; j++)
		addrs[j] = 0x0a000000u + (uint32_t)j * 3;
	t_tmpdb(path, sizeof(path));
	memset(&run, 0, sizeof(run));
	run.ranges = "lab";
	run.settings = "";
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(history_open(&h, path, "s", 0, err, sizeof(err)), 0);
	/* run 1 at 10 h: every job used, MAC ...:01 */
	ck_assert_int_eq(collector_init(&c, addrs, n), 0);
	for (j = 0; j < n; j++) {
		collector_report(&c, j, EVIDENCE_WIRE, REASON_ARP_REPLY, 1, 5,
		    0);
		ck_assert_int_eq(collector_set_mac(&c, j, mac1), 0);
	}
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run, 10 * H, NULL,
	    new_mac_count, seen), 0);
	collector_free(&c);
	ck_assert_uint_eq(seen[0], 0);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM addresses"),
	    (int)n);
	/* run 2 at 12 h, --free-for 3h: the first job of each chunk and the
	   last job answer from ...:02, the others are silent, but seen used
	   2 h ago, so none is free (the rows keep what the probes said) */
	o.free_for_s = 3 * H;
	ck_assert_int_eq(collector_init(&c, addrs, n), 0);
	for (j = 0; j < n; j++) {
		if (j % HISTORY_CHUNK == 0 || j == n - 1) {
			collector_report(&c, j, EVIDENCE_WIRE,
			    REASON_ARP_REPLY, 1, 5, 0);
			ck_assert_int_eq(collector_set_mac(&c, j, mac2), 0);
		} else {
			collector_report(&c, j, EVIDENCE_WIRE,
			    REASON_NO_REPLY, 2, 0, 0);
		}
	}
	ck_assert_int_eq(history_sweep(&h, &c, &o, NULL, &run, 12 * H, brief,
	    new_mac_count, seen), 0);
	ck_assert_uint_eq(seen[0], 4);
	ck_assert_uint_eq(seen[1], n - 1);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 0);
	ck_assert_uint_eq(c.counts[VERDICT_USED], n);
	ck_assert_uint_eq(collector_reason(&c, n - 2),
	    REASON_HISTORY_SEEN);
	ck_assert_uint_eq(collector_reason(&c, HISTORY_CHUNK + 1),
	    REASON_HISTORY_SEEN);
	ck_assert_uint_eq(brief[n - 2].change, HISTORY_NEWLY_FREE);
	ck_assert_int_eq(brief[n - 2].last_seen, 10 * H);
	ck_assert_int_eq(brief[n - 2].free_since, 12 * H);
	ck_assert_uint_eq(brief[HISTORY_CHUNK].change, HISTORY_SAME);
	ck_assert_int_eq(brief[n - 1].last_seen, 12 * H);
	collector_free(&c);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM addresses "
	    "WHERE state = 'free'"), (int)n - 4);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM runs"), 2);
	history_close(&h);
	t_rmdb(path);
	free(addrs);
	free(brief);
}
END_TEST

/* A version-1 database is migrated forward and keeps its rows. */
START_TEST(test_sqlite_migrate)
{
	uint32_t addrs[1] = { 0x0a000001 };
	struct history h;
	struct history_job jobs[1];
	char path[PATH_MAX], err[512], sql[256];
	sqlite3 *db;

	t_tmpdb(path, sizeof(path));
	ck_assert_int_eq(history_sqlite_schema(path, 1, err, sizeof(err)), 0);
	ck_assert_int_eq(t_sql_int(path, "SELECT version FROM schema_version"),
	    1);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('addresses') WHERE name = 'mac'"), 0);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO addresses VALUES (167772161, "
	    "'s', 10, 10, 20, 20, 'echo-reply', 'used', 10)");
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(history_open(&h, path, "s", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(t_sql_int(path, "SELECT version FROM schema_version"),
	    HISTORY_SCHEMA_VERSION);
	ck_assert_int_eq(t_sql_int(path, "SELECT count(*) FROM "
	    "pragma_table_info('addresses') WHERE name = 'mac'"), 1);
	ck_assert_int_eq(history_query(&h, addrs, 1, jobs), 0);
	ck_assert_int_eq(jobs[0].own.last_seen, 20);
	ck_assert_str_eq(jobs[0].own.evidence, "echo-reply");
	history_close(&h);
	/* a newer schema than ours is refused, not rewritten */
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "UPDATE schema_version SET "
	    "version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(history_open(&h, path, "s", 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "schema version 99 is newer"));
	ck_assert_ptr_nonnull(strstr(err, path));
	t_rmdb(path);
}
END_TEST

/* A file that is no database: an error naming it. */
START_TEST(test_sqlite_corrupt)
{
	struct history h;
	char path[PATH_MAX], err[512];
	FILE *f;

	t_tmpdb(path, sizeof(path));
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not an SQLite database, but it is long enough to be "
	    "read as one and refused.................................\n", f);
	fclose(f);
	ck_assert_int_eq(history_open(&h, path, "s", 0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "not a database"));
	t_rmdb(path);
}
END_TEST

/* The MAC of an ARP reply reaches the collector through a record. */
START_TEST(test_collector_mac)
{
	static const uint8_t want[6] = { 0x02, 0xab, 0xcd, 0xef, 0x01, 0x23 };
	uint32_t addrs[2] = { 1, 2 };
	uint8_t buf[RECORD_SIZE];
	struct collector c;
	struct record r, d;

	ck_assert_int_eq(collector_init(&c, addrs, 2), 0);
	memset(&r, 0, sizeof(r));
	r.type = RECORD_EVIDENCE;
	r.reason = REASON_ARP_REPLY;
	r.job = 1;
	r.count = 0x02abcdef;
	r.aux2 = RECORD_MAC_SET | 0x0123;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &d), 0);
	ck_assert_int_eq(collector_record(&c, &d), 1);
	ck_assert_ptr_nonnull(collector_mac(&c, 1));
	ck_assert_mem_eq(collector_mac(&c, 1), want, 6);
	ck_assert_uint_eq(collector_verdict(&c, 1), VERDICT_USED);
	/* an echo reply carries none; job 0 keeps zeros */
	r.job = 0;
	r.reason = REASON_ECHO_REPLY;
	ck_assert_int_eq(collector_record(&c, &r), 1);
	ck_assert_ptr_null(collector_mac(&c, 0));
	/* a second MAC for job 1 does not replace the first */
	r.job = 1;
	r.reason = REASON_ARP_REPLY;
	r.count = 0x02000000;
	ck_assert_int_eq(collector_record(&c, &r), 0);
	ck_assert_mem_eq(collector_mac(&c, 1), want, 6);
	ck_assert_uint_eq(c.n_d, 1);
	collector_free(&c);
}
END_TEST

/* The settings' db and a range's free-for. */
START_TEST(test_config_keys)
{
	static const char text[] = "db = /srv/h.db # shared\n"
	    "[office]\nrange = 10.0.0.0/24\nfree-for = 7d\n[lab]\n"
	    "range = 10.1.0.0/24\n";
	struct config cfg;
	char err[256];

	ck_assert_int_eq(config_parse(&cfg, "t.conf", text, strlen(text), err,
	    sizeof(err)), 0);
	ck_assert_str_eq(cfg.db, "/srv/h.db");
	ck_assert_uint_eq(cfg.n, 2);
	ck_assert_uint_eq(cfg.ranges[0].free_for_s, 7 * D);
	ck_assert_uint_eq(cfg.ranges[1].free_for_s, 0);
	config_free(&cfg);
}
END_TEST

Suite *
history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_duration_parse, 0, NELEM(t_durations));
	tcase_add_test(tc, test_duration_format);
	tcase_add_test(tc, test_locate);
	tcase_add_test(tc, test_advance);
	tcase_add_loop_test(tc, test_rule, 0, NELEM(t_rules));
	tcase_add_test(tc, test_merge_sites);
	tcase_add_test(tc, test_evidence_phase);
	tcase_add_test(tc, test_sqlite_runs);
	tcase_add_test(tc, test_sqlite_chunks);
	tcase_add_test(tc, test_sqlite_touch);
	tcase_add_test(tc, test_sqlite_migrate);
	tcase_add_test(tc, test_sqlite_corrupt);
	tcase_add_test(tc, test_config_keys);
	tcase_add_test(tc, test_collector_mac);
	suite_add_tcase(s, tc);
	return s;
}
