/* check_loss.c - the loss model: probes needed, with tables */
#include <check.h>

#include "loss.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *loss_suite(void);

/*
 * k is the smallest with n * q * p^k <= false_free_max, p the Wilson upper
 * bound (z = 2) of the measured loss, computed apart (Python):
 * 30/100 -> 0.3979, 1/1000 -> 0.0058, 10/20 -> 0.7041, 1/2 -> 0.9082,
 * 95/100 -> 0.9788, 100/200 -> 0.5700.
 */
static const struct {
	uint64_t hits, misses, decided, n;
	unsigned tries, count, max_count;
	double ffm;
	unsigned want;
} t_need[] = {
	/* no loss seen, or nothing to measure it on: COUNT */
	{ 10, 0, 100, 254, 1, 2, 12, 0.01, 2 },
	{ 0, 5, 100, 254, 1, 2, 12, 0.01, 2 },
	{ 0, 0, 0, 65534, 1, 3, 20, 0.01, 3 },
	/* 30% measured, 7% alive of 1000: 70 * 0.3979^10 = 0.0069,
	   ^9 = 0.017 (the measured 0.3 alone would stop at 8) */
	{ 70, 30, 1000, 1000, 1, 2, 12, 0.01, 10 },
	{ 70, 30, 1000, 1000, 1, 2, 10, 0.01, 10 },      /* the bound is kept */
	{ 70, 30, 1000, 1000, 1, 2, 9, 0.01, LOSS_BEYOND },
	{ 70, 30, 1000, 1000, 1, 2, 8, 0.01, LOSS_BEYOND },
	{ 70, 30, 1000, 1000, 1, 12, 12, 0.01, 12 },     /* COUNT already does */
	/* nothing decided yet: q = 1; more hits than decided: q capped */
	{ 70, 30, 0, 1000, 1, 2, 20, 0.01, 13 },
	{ 70, 30, 10, 1000, 1, 2, 20, 0.01, 13 },
	/* 0.1% loss: two probes are plenty */
	{ 999, 1, 254, 254, 1, 2, 12, 0.01, 2 },
	/* 50% of 20 measured: 25.4 * 0.7041^k never reaches 0.01 by 20 */
	{ 10, 10, 100, 254, 1, 2, 20, 0.01, LOSS_BEYOND },
	{ 10, 10, 100, 254, 1, 2, 30, 0.01, 23 },
	/* --max-count equal to or below --count: no room to probe more */
	{ 10, 10, 100, 254, 1, 2, 2, 0.01, LOSS_BEYOND },
	{ 10, 10, 100, 254, 1, 3, 2, 0.01, LOSS_BEYOND },
	{ 999, 1, 254, 254, 1, 2, 2, 0.01, 2 },
	{ 999, 1, 254, 254, 1, 3, 2, 0.01, 3 },
	/* a lax bound, on one sample of each: 1000 * 0.9082^8 = 0.46 */
	{ 1, 1, 1000, 1000, 1, 2, 12, 0.5, 8 },
	/* 95% loss: never enough */
	{ 5, 95, 1000, 1000, 1, 2, 20, 0.01, LOSS_BEYOND },
	/* one address: 0.57^9 = 0.0063 */
	{ 100, 100, 100, 1, 1, 1, 12, 0.01, 9 },
	/* no live address expected at all (n 0): COUNT */
	{ 100, 100, 100, 0, 1, 2, 12, 0.01, 2 },
	/* a max_count that would wrap a careless loop: 5 * 0.9788^291 */
	{ 5, 95, 1000, 1000, 1, 2, UINT_MAX, 0.01, 291 },
	/* the neighbour-table path: a probe is 3 ARP requests.  40 of
	   100 requests lost: bound 0.5, a probe 0.125; 60 * 0.125^5 =
	   0.0018, ^4 = 0.015; ^7 = 2.9e-5, ^6 = 2.3e-4 */
	{ 60, 40, 254, 254, 3, 2, 12, 0.01, 5 },
	{ 60, 40, 254, 254, 3, 2, 12, 0.0001, 7 },
	/* the same loss counted per resolution would ask for far more */
	{ 60, 40, 254, 254, 1, 2, 12, 0.0001, LOSS_BEYOND },
	/* no loss seen: COUNT, whatever a probe is made of */
	{ 60, 0, 254, 254, 3, 2, 12, 0.0001, 2 },
};

/*
 * loss_bound: the measured share when the sample is large, well above it
 * when it is small, 0 with no sample, never 1 or more with a hit.
 */
START_TEST(test_bound)
{
	double b;

	ck_assert(loss_bound(0, 0) == 0.0);
	b = loss_bound(39, 4);           /* 9.3% measured on 43 */
	ck_assert_msg(b > 0.21 && b < 0.23, "bound %f", b);
	b = loss_bound(700000, 300000);  /* 30% on a million */
	ck_assert_msg(b > 0.300 && b < 0.302, "bound %f", b);
	b = loss_bound(1, 0);
	ck_assert_msg(b > 0.79 && b < 0.81, "bound %f", b);
	ck_assert(loss_bound(1, 1000000) < 1.0);
	ck_assert(loss_bound(100, 10) < loss_bound(100, 11));
	ck_assert(loss_bound(100, 10) > loss_bound(1000, 100));
}
END_TEST

START_TEST(test_needed)
{
	ck_assert_uint_eq(loss_needed(t_need[_i].hits, t_need[_i].misses,
	    t_need[_i].decided, t_need[_i].n, t_need[_i].tries,
	    t_need[_i].count,
	    t_need[_i].max_count, t_need[_i].ffm), t_need[_i].want);
}
END_TEST

/* More loss never asks for fewer probes; a looser bound never for more. */
START_TEST(test_monotone)
{
	unsigned prev = 0, k;
	uint64_t m;

	for (m = 1; m < 100; m++) {
		k = loss_needed(100, m, 1000, 1000, 1, 2, 200, 0.01);
		ck_assert_uint_ge(k, prev);
		prev = k;
	}
	ck_assert_uint_le(loss_needed(70, 30, 1000, 1000, 1, 2, 20, 0.1),
	    loss_needed(70, 30, 1000, 1000, 1, 2, 20, 0.01));
}
END_TEST

Suite *
loss_suite(void)
{
	Suite *s = suite_create("loss");
	TCase *tc = tcase_create("needed");

	tcase_add_loop_test(tc, test_needed, 0, (int)NELEM(t_need));
	tcase_add_test(tc, test_monotone);
	tcase_add_test(tc, test_bound);
	suite_add_tcase(s, tc);
	return s;
}
