/* check_pace.c - the token bucket, its window, back-off and retry gap */
#include <check.h>
#include <stdlib.h>

#include "pace.h"

#define MS 1000000ull

Suite *pace_suite(void);

START_TEST(test_rate)
{
	struct pace p;
	unsigned sent = 0;
	uint64_t t;

	/* 1000 pps for one second, polled every millisecond: 1000 sends */
	ck_assert_int_eq(pace_init(&p, 1000, 5 * MS), 0);
	ck_assert_int_eq(pace_take(&p, 5 * MS), 0);
	for (t = 6 * MS; t <= 1005 * MS; t += MS) {
		pace_refill(&p, t);
		while (pace_take(&p, t))
			sent++;
	}
	ck_assert_uint_ge(sent, 999);
	ck_assert_uint_le(sent, 1000);
	pace_free(&p);
}
END_TEST

START_TEST(test_burst)
{
	struct pace p;
	unsigned n = 0;

	/* a long sleep earns a burst of 2 ms worth, at least 4 */
	ck_assert_int_eq(pace_init(&p, 1000, 0), 0);
	pace_refill(&p, 10000 * MS);
	ck_assert_uint_eq(pace_room(&p, 10000 * MS, 32), 4);
	while (pace_take(&p, 10000 * MS))
		n++;
	ck_assert_uint_eq(n, 4);
	pace_free(&p);
	ck_assert_int_eq(pace_init(&p, 1000000, 0), 0);
	pace_refill(&p, 10000 * MS);
	ck_assert_uint_eq(pace_room(&p, 10000 * MS, 32), 32);
	n = 0;
	while (pace_take(&p, 10000 * MS))
		n++;
	ck_assert_uint_eq(n, 2000);
	pace_free(&p);
}
END_TEST

START_TEST(test_wait)
{
	struct pace p;

	ck_assert_int_eq(pace_init(&p, 1000, 0), 0);
	/* an empty bucket at 1000 pps: a token in 1 ms */
	ck_assert_uint_ge(pace_wait_ns(&p, 0), MS);
	ck_assert_uint_le(pace_wait_ns(&p, 0), MS + 1);
	pace_refill(&p, 2 * MS);
	ck_assert_int_eq(pace_ready(&p, 2 * MS), 1);
	ck_assert_uint_eq(pace_wait_ns(&p, 2 * MS), 0);
	/* at half the share, twice as long */
	pace_take(&p, 2 * MS);
	pace_take(&p, 2 * MS);
	pace_dropped(&p, 2 * MS);
	ck_assert_uint_ge(pace_wait_ns(&p, 2 * MS), 2 * MS);
	pace_free(&p);
}
END_TEST

START_TEST(test_dropped)
{
	struct pace p;
	int i;

	ck_assert_int_eq(pace_init(&p, 1000, 0), 0);
	pace_dropped(&p, 10 * MS);
	ck_assert(p.share == 0.5);
	for (i = 0; i < 20; i++)
		pace_dropped(&p, 10 * MS);
	ck_assert(p.share == 1.0 / 64);
	/* no regain within half a second of the last drop */
	pace_refill(&p, 500 * MS);
	ck_assert(p.share == 1.0 / 64);
	/* then it grows back, to the full share at most */
	pace_refill(&p, 600 * MS);
	ck_assert(p.share > 1.0 / 64);
	pace_refill(&p, 60000 * MS);
	ck_assert(p.share == 1.0);
	pace_free(&p);
}
END_TEST

/*
 * A sender that sends whenever it may, and pauses now and then (a wait
 * for the parent, a full socket): after each pause the bucket gives its
 * burst, yet no 100 ms ever holds more than a tenth of the rate, and the
 * rate is still reached.  Sends go in batches, as sendmmsg() takes them.
 */
START_TEST(test_window)
{
	static const double rates[] = { 1000, 20000, 200000 };
	double rate = rates[_i];
	size_t cap = (size_t)(rate * 1.5) + 64, n = 0, i, j, most;
	uint64_t *at = calloc(cap, sizeof(*at)), t, step = MS / 10;
	struct pace p;

	ck_assert_ptr_nonnull(at);
	ck_assert_int_eq(pace_init(&p, rate, 1000 * MS), 0);
	ck_assert_uint_eq(p.window, (size_t)(rate / 10));
	for (t = 1000 * MS; t < 2000 * MS; t += step) {
		unsigned k, room;

		/* asleep 3 ms in every 150: the bucket fills meanwhile */
		if ((t / MS) % 150 < 3)
			continue;
		pace_refill(&p, t);
		while ((room = pace_room(&p, t, 32)) > 0)
			for (k = 0; k < room; k++) {
				ck_assert_int_eq(pace_take(&p, t), 1);
				ck_assert_uint_lt(n, cap);
				at[n++] = t;
			}
		ck_assert_int_eq(pace_ready(&p, t), 0);
		ck_assert_uint_gt(pace_wait_ns(&p, t), 0);
	}
	/* the most sends in any 100 ms (the window starts at a send) */
	for (i = 0, j = 0, most = 0; i < n; i++) {
		while (j < n && at[j] < at[i] + PACE_WINDOW_NS)
			j++;
		if (j - i > most)
			most = j - i;
	}
	ck_assert_msg(most <= (size_t)(rate / 10), "%zu sends within 100 ms "
	    "at %.0f/s", most, rate);
	/* a second less the pauses (3/150 of the time), at most 1% short */
	ck_assert_msg(n >= (size_t)(rate * 147 / 150 * 0.99), "%zu sent at "
	    "%.0f/s", n, rate);
	pace_free(&p);
	free(at);
}
END_TEST

START_TEST(test_gap)
{
	/* nothing answered yet: the retry interval */
	ck_assert_uint_eq(pace_gap_ns(500, 0), 500 * MS);
	/* four times the slowest round trip, between 100 ms and retry */
	ck_assert_uint_eq(pace_gap_ns(500, 50 * MS), 200 * MS);
	ck_assert_uint_eq(pace_gap_ns(500, 1 * MS), 100 * MS);
	ck_assert_uint_eq(pace_gap_ns(500, 400 * MS), 500 * MS);
	ck_assert_uint_eq(pace_gap_ns(50, 1 * MS), 50 * MS);
}
END_TEST

Suite *
pace_suite(void)
{
	Suite *s = suite_create("pace");
	TCase *tc = tcase_create("bucket");

	tcase_add_test(tc, test_rate);
	tcase_add_test(tc, test_burst);
	tcase_add_test(tc, test_wait);
	tcase_add_test(tc, test_dropped);
	/* generous: the window's simulation is slow under ASan on a loaded
	   machine */
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_window, 0, 3);
	tcase_add_test(tc, test_gap);
	suite_add_tcase(s, tc);
	return s;
}
