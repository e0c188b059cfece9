/* check_pace.c - the token bucket, its back-off and the retry gap */
#include <check.h>

#include "pace.h"

#define MS 1000000ull

Suite *pace_suite(void);

START_TEST(test_rate)
{
	struct pace p;
	unsigned sent = 0;
	uint64_t t;

	/* 1000 pps for one second, polled every millisecond: 1000 sends */
	pace_init(&p, 1000, 5 * MS);
	ck_assert_int_eq(pace_take(&p), 0);
	for (t = 6 * MS; t <= 1005 * MS; t += MS) {
		pace_refill(&p, t);
		while (pace_take(&p))
			sent++;
	}
	ck_assert_uint_ge(sent, 999);
	ck_assert_uint_le(sent, 1000);
}
END_TEST

START_TEST(test_burst)
{
	struct pace p;
	unsigned n = 0;

	/* a long sleep earns a burst of 2 ms worth, at least 4 */
	pace_init(&p, 1000, 0);
	pace_refill(&p, 10000 * MS);
	while (pace_take(&p))
		n++;
	ck_assert_uint_eq(n, 4);
	pace_init(&p, 1000000, 0);
	pace_refill(&p, 10000 * MS);
	n = 0;
	while (pace_take(&p))
		n++;
	ck_assert_uint_eq(n, 2000);
}
END_TEST

START_TEST(test_wait)
{
	struct pace p;

	pace_init(&p, 1000, 0);
	/* an empty bucket at 1000 pps: a token in 1 ms */
	ck_assert_uint_ge(pace_wait_ns(&p), MS);
	ck_assert_uint_le(pace_wait_ns(&p), MS + 1);
	pace_refill(&p, 2 * MS);
	ck_assert_int_eq(pace_ready(&p), 1);
	ck_assert_uint_eq(pace_wait_ns(&p), 0);
	/* at half the share, twice as long */
	pace_take(&p);
	pace_take(&p);
	pace_dropped(&p, 2 * MS);
	ck_assert_uint_ge(pace_wait_ns(&p), 2 * MS);
}
END_TEST

START_TEST(test_dropped)
{
	struct pace p;
	int i;

	pace_init(&p, 1000, 0);
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
	tcase_add_test(tc, test_gap);
	suite_add_tcase(s, tc);
	return s;
}
