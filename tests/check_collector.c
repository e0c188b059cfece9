/* check_collector.c - unit tests for the parent's verdict table */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "collector.h"
#include "record.h"
#include "verdict.h"

Suite *collector_suite(void);

#define T_N 8

static const uint32_t t_addrs[T_N] = {
	0x0a000001, 0x0a000002, 0x0a000003, 0x0a000004,
	0x0a000005, 0x0a000006, 0x0a000007, 0x0a000008,
};

/* t_result -- a RESULT record for JOB with details that identify it */
static struct record
t_result(uint32_t job, unsigned verdict, unsigned reason, uint32_t tag)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_RESULT;
	r.job = job;
	r.verdict = (uint8_t)verdict;
	r.reason = (uint8_t)reason;
	r.probes = (uint8_t)(tag & 0xff);
	r.rtt_us = 1000 + tag;
	r.aux = 0xa0000000u | tag;
	return r;
}

/*
 * t_counts_ok -- 1 when the counts sum to n and agree with a recount.
 * Plain code, no ck_assert: the random walk calls it thousands of times.
 */
static int
t_counts_ok(const struct collector *c)
{
	size_t recount[VERDICT_MAX] = {0}, sum = 0, j;
	unsigned v;

	for (j = 0; j < c->n; j++) {
		if (c->e[j].verdict >= VERDICT_MAX)
			return 0;
		recount[c->e[j].verdict]++;
	}
	for (v = 0; v < VERDICT_MAX; v++) {
		if (c->counts[v] != recount[v])
			return 0;
		sum += c->counts[v];
	}
	return sum == c->n;
}

static void
t_check_counts(const struct collector *c)
{
	ck_assert_msg(t_counts_ok(c), "counts disagree with the entries: "
	    "pending %zu free %zu unknown %zu used %zu, n %zu",
	    c->counts[VERDICT_PENDING], c->counts[VERDICT_FREE],
	    c->counts[VERDICT_UNKNOWN], c->counts[VERDICT_USED], c->n);
}

START_TEST(test_init)
{
	struct collector c;
	size_t j;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	ck_assert_ptr_eq(c.addrs, t_addrs);
	ck_assert_uint_eq(c.n, T_N);
	ck_assert_ptr_nonnull(c.e);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], T_N);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 0);
	ck_assert_uint_eq(c.counts[VERDICT_USED], 0);
	ck_assert_uint_eq(c.counts[VERDICT_UNKNOWN], 0);
	for (j = 0; j < T_N; j++) {
		ck_assert_int_eq(collector_pending(&c, j), 1);
		ck_assert_uint_eq(c.e[j].late, 0);
		ck_assert_uint_eq(c.e[j].reason, REASON_NONE);
	}
	ck_assert_int_eq(collector_pending(&c, T_N), 0);
	t_check_counts(&c);
	collector_free(&c);
	ck_assert_ptr_null(c.e);
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

START_TEST(test_init_empty)
{
	struct collector c;
	struct record r = t_result(0, VERDICT_USED, REASON_ECHO_REPLY, 1);

	ck_assert_int_eq(collector_init(&c, NULL, 0), 0);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], 0);
	ck_assert_int_eq(collector_pending(&c, 0), 0);
	ck_assert_int_eq(collector_merge(&c, &r), -1);
	ck_assert_int_eq(collector_set(&c, 0, VERDICT_UNKNOWN,
	    REASON_DEADLINE), 0);
	collector_finish(&c, REASON_INTERRUPTED);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

/*
 * The merge table: job 3 starts in state FROM (reached by a first record,
 * tag 1, or left PENDING), then evidence TO (tag 2) arrives.
 */
static const unsigned t_from[] = {
	VERDICT_PENDING, VERDICT_FREE, VERDICT_UNKNOWN, VERDICT_USED,
};
static const unsigned t_to[] = {
	VERDICT_FREE, VERDICT_UNKNOWN, VERDICT_USED,
};
static const unsigned t_reason_of[VERDICT_MAX] = {
	[VERDICT_FREE] = REASON_NO_REPLY,
	[VERDICT_UNKNOWN] = REASON_ADMIN_PROHIBITED,
	[VERDICT_USED] = REASON_ECHO_REPLY,
};

START_TEST(test_merge_table)
{
	unsigned from = t_from[_i / 3], to = t_to[_i % 3];
	unsigned want = from > to ? from : to;
	struct collector c;
	struct record r1 = t_result(3, from, t_reason_of[from], 1);
	struct record r2 = t_result(3, to, t_reason_of[to], 2);
	const struct collector_entry *e;
	int rc;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	if (from != VERDICT_PENDING)
		ck_assert_int_eq(collector_merge(&c, &r1), 1);
	rc = collector_merge(&c, &r2);
	e = &c.e[3];
	ck_assert_msg(e->verdict == want, "%s + %s gave %s, want %s",
	    verdict_name(from), verdict_name(to), verdict_name(e->verdict),
	    verdict_name(want));
	/* 1 only for the first decision */
	ck_assert_int_eq(rc, from == VERDICT_PENDING ? 1 : 0);
	/* the details are those of the evidence that set the verdict */
	if (want == to && want != from) {
		ck_assert_uint_eq(e->reason, t_reason_of[to]);
		ck_assert_uint_eq(e->rtt_us, r2.rtt_us);
		ck_assert_uint_eq(e->aux, r2.aux);
		ck_assert_uint_eq(e->probes, r2.probes);
	} else {
		ck_assert_uint_eq(e->reason, t_reason_of[from]);
		ck_assert_uint_eq(e->rtt_us, r1.rtt_us);
		ck_assert_uint_eq(e->aux, r1.aux);
		ck_assert_uint_eq(e->probes, r1.probes);
	}
	ck_assert_uint_eq(e->late, from == VERDICT_FREE && to == VERDICT_USED);
	ck_assert_uint_eq(c.counts[want], 1);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], T_N - 1);
	ck_assert_int_eq(collector_pending(&c, 3), 0);
	/* no other job moved */
	ck_assert_int_eq(collector_pending(&c, 2), 1);
	ck_assert_int_eq(collector_pending(&c, 4), 1);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_merge_order_free)
{
	/* the same evidence in either order ends in the same verdict */
	struct collector a, b;
	struct record f = t_result(5, VERDICT_FREE, REASON_NO_REPLY, 1);
	struct record u = t_result(5, VERDICT_USED, REASON_ECHO_REPLY, 2);
	struct record k = t_result(5, VERDICT_UNKNOWN, REASON_HOST_UNREACH, 3);

	ck_assert_int_eq(collector_init(&a, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_init(&b, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_merge(&a, &f), 1);
	ck_assert_int_eq(collector_merge(&a, &k), 0);
	ck_assert_int_eq(collector_merge(&a, &u), 0);
	ck_assert_int_eq(collector_merge(&b, &u), 1);
	ck_assert_int_eq(collector_merge(&b, &k), 0);
	ck_assert_int_eq(collector_merge(&b, &f), 0);
	ck_assert_uint_eq(a.e[5].verdict, VERDICT_USED);
	ck_assert_uint_eq(b.e[5].verdict, VERDICT_USED);
	ck_assert_uint_eq(a.e[5].reason, REASON_ECHO_REPLY);
	ck_assert_uint_eq(b.e[5].reason, REASON_ECHO_REPLY);
	ck_assert_uint_eq(a.e[5].rtt_us, u.rtt_us);
	ck_assert_uint_eq(b.e[5].rtt_us, u.rtt_us);
	/* b never was free: no late flag */
	ck_assert_uint_eq(b.e[5].late, 0);
	t_check_counts(&a);
	t_check_counts(&b);
	collector_free(&a);
	collector_free(&b);
}
END_TEST

START_TEST(test_merge_late)
{
	struct collector c;
	struct record f = t_result(0, VERDICT_FREE, REASON_NO_REPLY, 1);
	struct record u = t_result(0, VERDICT_USED, REASON_ECHO_REPLY, 2);
	struct record u2 = t_result(0, VERDICT_USED, REASON_OTHER_SOURCE, 3);

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_merge(&c, &f), 1);
	ck_assert_uint_eq(c.e[0].late, 0);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 1);
	ck_assert_int_eq(collector_merge(&c, &u), 0);
	ck_assert_uint_eq(c.e[0].verdict, VERDICT_USED);
	ck_assert_uint_eq(c.e[0].late, 1);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 0);
	ck_assert_uint_eq(c.counts[VERDICT_USED], 1);
	/* a second USED changes nothing, the first reply's details stay */
	ck_assert_int_eq(collector_merge(&c, &u2), 0);
	ck_assert_uint_eq(c.e[0].reason, REASON_ECHO_REPLY);
	ck_assert_uint_eq(c.e[0].rtt_us, u.rtt_us);
	ck_assert_uint_eq(c.e[0].late, 1);
	/* a FREE after that cannot undo it */
	ck_assert_int_eq(collector_merge(&c, &f), 0);
	ck_assert_uint_eq(c.e[0].verdict, VERDICT_USED);
	ck_assert_uint_eq(c.counts[VERDICT_USED], 1);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_merge_same_twice)
{
	struct collector c;
	struct record a = t_result(1, VERDICT_FREE, REASON_NO_REPLY, 7);
	struct record b = t_result(1, VERDICT_FREE, REASON_HOST_UNREACH, 9);

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_merge(&c, &a), 1);
	ck_assert_int_eq(collector_merge(&c, &b), 0);
	ck_assert_uint_eq(c.e[1].reason, REASON_NO_REPLY);
	ck_assert_uint_eq(c.e[1].rtt_us, a.rtt_us);
	ck_assert_uint_eq(c.e[1].aux, a.aux);
	ck_assert_uint_eq(c.e[1].probes, a.probes);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 1);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

/* Records collector_merge must refuse with -1, changing nothing. */
static const struct {
	uint8_t type, verdict;
	uint32_t job;
} t_refused[] = {
	{ RECORD_JOB, VERDICT_USED, 2 },
	{ RECORD_HEARTBEAT, VERDICT_USED, 2 },
	{ RECORD_STATS, VERDICT_USED, 2 },
	{ 0, VERDICT_USED, 2 },
	{ RECORD_TYPE_MAX, VERDICT_USED, 2 },
	{ RECORD_RESULT, VERDICT_USED, T_N },
	{ RECORD_RESULT, VERDICT_FREE, T_N + 1 },
	{ RECORD_RESULT, VERDICT_USED, UINT32_MAX },
	{ RECORD_RESULT, VERDICT_PENDING, 2 },
	{ RECORD_RESULT, VERDICT_SKIPPED, 2 },
	{ RECORD_RESULT, VERDICT_MAX, 2 },
	{ RECORD_RESULT, 200, 2 },
};

START_TEST(test_merge_refused)
{
	struct collector c;
	struct record r;
	struct collector_entry before;
	size_t counts[VERDICT_MAX];

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	/* job 2 free already: a refused USED must not turn it used */
	r = t_result(2, VERDICT_FREE, REASON_NO_REPLY, 4);
	ck_assert_int_eq(collector_merge(&c, &r), 1);
	memcpy(&before, &c.e[2], sizeof(before));
	memcpy(counts, c.counts, sizeof(counts));
	r = t_result(t_refused[_i].job, t_refused[_i].verdict,
	    REASON_ECHO_REPLY, 5);
	r.type = t_refused[_i].type;
	ck_assert_int_eq(collector_merge(&c, &r), -1);
	ck_assert_mem_eq(&c.e[2], &before, sizeof(before));
	ck_assert_mem_eq(c.counts, counts, sizeof(counts));
	ck_assert_uint_eq(c.e[2].verdict, VERDICT_FREE);
	/* a refused one on a pending job leaves it pending */
	r.job = t_refused[_i].job == 2 ? 6 : r.job;
	ck_assert_int_eq(collector_merge(&c, &r), -1);
	ck_assert_int_eq(collector_pending(&c, 6), 1);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_set)
{
	struct collector c;
	struct record u = t_result(4, VERDICT_USED, REASON_ECHO_REPLY, 3);
	struct record f = t_result(5, VERDICT_FREE, REASON_NO_REPLY, 3);

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	/* pending: forced, returns 1, details zero */
	ck_assert_int_eq(collector_set(&c, 1, VERDICT_UNKNOWN,
	    REASON_WORKER_DIED), 1);
	ck_assert_uint_eq(c.e[1].verdict, VERDICT_UNKNOWN);
	ck_assert_uint_eq(c.e[1].reason, REASON_WORKER_DIED);
	ck_assert_uint_eq(c.e[1].rtt_us, 0);
	ck_assert_uint_eq(c.e[1].probes, 0);
	ck_assert_uint_eq(c.counts[VERDICT_UNKNOWN], 1);
	/* set again: not pending any more, nothing changes */
	ck_assert_int_eq(collector_set(&c, 1, VERDICT_USED,
	    REASON_ECHO_REPLY), 0);
	ck_assert_uint_eq(c.e[1].verdict, VERDICT_UNKNOWN);
	ck_assert_uint_eq(c.e[1].reason, REASON_WORKER_DIED);
	/* decided USED and FREE are never overwritten, even by a "higher" */
	ck_assert_int_eq(collector_merge(&c, &u), 1);
	ck_assert_int_eq(collector_merge(&c, &f), 1);
	ck_assert_int_eq(collector_set(&c, 4, VERDICT_UNKNOWN,
	    REASON_DEADLINE), 0);
	ck_assert_int_eq(collector_set(&c, 5, VERDICT_UNKNOWN,
	    REASON_DEADLINE), 0);
	ck_assert_uint_eq(c.e[4].verdict, VERDICT_USED);
	ck_assert_uint_eq(c.e[4].reason, REASON_ECHO_REPLY);
	ck_assert_uint_eq(c.e[5].verdict, VERDICT_FREE);
	ck_assert_uint_eq(c.e[5].reason, REASON_NO_REPLY);
	/* out of range */
	ck_assert_int_eq(collector_set(&c, T_N, VERDICT_UNKNOWN,
	    REASON_DEADLINE), 0);
	ck_assert_int_eq(collector_set(&c, (size_t)-1, VERDICT_UNKNOWN,
	    REASON_DEADLINE), 0);
	/* setting a job to PENDING decides nothing */
	ck_assert_int_eq(collector_set(&c, 0, VERDICT_PENDING,
	    REASON_DEADLINE), 0);
	ck_assert_int_eq(collector_pending(&c, 0), 1);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], T_N - 3);
	/* evidence after a forced UNKNOWN still moves it toward USED */
	u.job = 1;
	ck_assert_int_eq(collector_merge(&c, &u), 0);
	ck_assert_uint_eq(c.e[1].verdict, VERDICT_USED);
	ck_assert_uint_eq(c.e[1].late, 0);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_finish)
{
	struct collector c;
	struct record u = t_result(0, VERDICT_USED, REASON_ECHO_REPLY, 1);
	struct record f = t_result(7, VERDICT_FREE, REASON_NO_REPLY, 2);
	size_t j;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_merge(&c, &u), 1);
	ck_assert_int_eq(collector_merge(&c, &f), 1);
	collector_finish(&c, REASON_INTERRUPTED);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], 0);
	ck_assert_uint_eq(c.counts[VERDICT_UNKNOWN], T_N - 2);
	ck_assert_uint_eq(c.counts[VERDICT_USED], 1);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 1);
	ck_assert_uint_eq(c.e[0].verdict, VERDICT_USED);
	ck_assert_uint_eq(c.e[0].reason, REASON_ECHO_REPLY);
	ck_assert_uint_eq(c.e[7].verdict, VERDICT_FREE);
	for (j = 1; j < 7; j++) {
		ck_assert_uint_eq(c.e[j].verdict, VERDICT_UNKNOWN);
		ck_assert_uint_eq(c.e[j].reason, REASON_INTERRUPTED);
	}
	/* a second finish with another reason changes nothing */
	collector_finish(&c, REASON_DEADLINE);
	for (j = 1; j < 7; j++)
		ck_assert_uint_eq(c.e[j].reason, REASON_INTERRUPTED);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_finish_last_pending)
{
	/* only the very last job is pending: the early stop must reach it */
	struct collector c;
	struct record r;
	uint32_t j;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	for (j = 0; j + 1 < T_N; j++) {
		r = t_result(j, VERDICT_FREE, REASON_NO_REPLY, j);
		ck_assert_int_eq(collector_merge(&c, &r), 1);
	}
	collector_finish(&c, REASON_DEADLINE);
	ck_assert_uint_eq(c.e[T_N - 1].verdict, VERDICT_UNKNOWN);
	ck_assert_uint_eq(c.e[T_N - 1].reason, REASON_DEADLINE);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], T_N - 1);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

/* t_lcg -- a fixed pseudo-random sequence, so a failure replays */
static uint32_t
t_lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

START_TEST(test_random_monotone)
{
	/* random records, some invalid: counts always sum to n, and no
	 * entry ever moves down the order, and 1 comes once per job */
	enum { N = 64 };
	static uint32_t addrs[N];
	struct collector c;
	uint8_t prev[N];
	unsigned firsts[N];
	uint32_t seed = 12345 + (uint32_t)_i;
	struct record r;
	int i, rc;
	size_t j;

	memset(firsts, 0, sizeof(firsts));
	ck_assert_int_eq(collector_init(&c, addrs, N), 0);
	for (i = 0; i < 5000; i++) {
		int want;

		for (j = 0; j < N; j++)
			prev[j] = c.e[j].verdict;
		r = t_result(t_lcg(&seed) % (N + 4), t_lcg(&seed) % 6,
		    t_lcg(&seed) % REASON_MAX, (uint32_t)i);
		if (t_lcg(&seed) % 16 == 0)
			r.type = (uint8_t)(t_lcg(&seed) % 6);
		rc = collector_merge(&c, &r);
		if (r.type != RECORD_RESULT || r.job >= N ||
		    r.verdict == VERDICT_PENDING ||
		    r.verdict >= VERDICT_SKIPPED)
			want = -1;
		else
			want = prev[r.job] == VERDICT_PENDING;
		if (rc != want)
			ck_abort_msg("step %d: merge gave %d, want %d", i, rc,
			    want);
		if (rc == 1)
			firsts[r.job]++;
		for (j = 0; j < N; j++)
			if (c.e[j].verdict < prev[j])
				ck_abort_msg("step %d: job %zu went from %s to "
				    "%s", i, j, verdict_name(prev[j]),
				    verdict_name(c.e[j].verdict));
		if (!t_counts_ok(&c))
			t_check_counts(&c);
	}
	for (j = 0; j < N; j++)
		ck_assert_uint_le(firsts[j], 1);
	collector_finish(&c, REASON_DEADLINE);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], 0);
	t_check_counts(&c);
	collector_free(&c);
}
END_TEST

Suite *
collector_suite(void)
{
	Suite *s = suite_create("collector");
	TCase *tc = tcase_create("core");

	/* generous: the random walk is slow under ASan on a loaded machine */
	tcase_set_timeout(tc, 20);

	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_init_empty);
	tcase_add_loop_test(tc, test_merge_table, 0,
	    (int)(sizeof(t_from) / sizeof(t_from[0]) *
	    (sizeof(t_to) / sizeof(t_to[0]))));
	tcase_add_test(tc, test_merge_order_free);
	tcase_add_test(tc, test_merge_late);
	tcase_add_test(tc, test_merge_same_twice);
	tcase_add_loop_test(tc, test_merge_refused, 0,
	    (int)(sizeof(t_refused) / sizeof(t_refused[0])));
	tcase_add_test(tc, test_set);
	tcase_add_test(tc, test_finish);
	tcase_add_test(tc, test_finish_last_pending);
	tcase_add_loop_test(tc, test_random_monotone, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
