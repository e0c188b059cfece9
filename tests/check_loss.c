/* check_loss.c - the loss model: probes needed, with tables */
#include <check.h>

#include "loss.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *loss_suite(void);

/* Hand-computed: k is the smallest with n * q * p^k <= false_free_max. */
static const struct {
	uint64_t hits, misses, decided, n;
	unsigned count, max_count;
	double ffm;
	unsigned want;
} t_need[] = {
	/* no loss seen, or nothing to measure it on: COUNT */
	{ 10, 0, 100, 254, 2, 12, 0.01, 2 },
	{ 0, 5, 100, 254, 2, 12, 0.01, 2 },
	{ 0, 0, 0, 65534, 3, 20, 0.01, 3 },
	/* 30% loss, 7% alive of 1000: 70 * 0.3^8 = 0.0046, ^7 = 0.015 */
	{ 70, 30, 1000, 1000, 2, 12, 0.01, 8 },
	{ 70, 30, 1000, 1000, 2, 8, 0.01, 8 },        /* the bound is kept */
	{ 70, 30, 1000, 1000, 2, 7, 0.01, LOSS_BEYOND },
	{ 70, 30, 1000, 1000, 10, 12, 0.01, 10 },     /* COUNT already does */
	/* nothing decided yet: q = 1; more hits than decided: q capped */
	{ 70, 30, 0, 1000, 2, 20, 0.01, 10 },
	{ 70, 30, 10, 1000, 2, 20, 0.01, 10 },
	/* 0.1% loss: two probes are plenty */
	{ 999, 1, 254, 254, 2, 12, 0.01, 2 },
	/* 50% loss, 10% alive of 254: 25.4 * 0.5^12 = 0.0062, ^11 = 0.012 */
	{ 10, 10, 100, 254, 2, 12, 0.01, 12 },
	{ 10, 10, 100, 254, 2, 11, 0.01, LOSS_BEYOND },
	/* --max-count equal to or below --count: no room to probe more */
	{ 10, 10, 100, 254, 2, 2, 0.01, LOSS_BEYOND },
	{ 10, 10, 100, 254, 3, 2, 0.01, LOSS_BEYOND },
	{ 999, 1, 254, 254, 2, 2, 0.01, 2 },
	{ 999, 1, 254, 254, 3, 2, 0.01, 3 },
	/* a lax bound */
	{ 1, 1, 1000, 1000, 2, 12, 0.5, 2 },
	/* 95% loss: never enough */
	{ 5, 95, 1000, 1000, 2, 20, 0.01, LOSS_BEYOND },
	/* one address: 0.5^7 = 0.0078 */
	{ 100, 100, 100, 1, 1, 12, 0.01, 7 },
	/* no live address expected at all (n 0): COUNT */
	{ 100, 100, 100, 0, 2, 12, 0.01, 2 },
	/* a max_count that would wrap a careless loop */
	{ 5, 95, 1000, 1000, 2, UINT_MAX, 0.01, 122 },
};

START_TEST(test_needed)
{
	ck_assert_uint_eq(loss_needed(t_need[_i].hits, t_need[_i].misses,
	    t_need[_i].decided, t_need[_i].n, t_need[_i].count,
	    t_need[_i].max_count, t_need[_i].ffm), t_need[_i].want);
}
END_TEST

/* More loss never asks for fewer probes; a looser bound never for more. */
START_TEST(test_monotone)
{
	unsigned prev = 0, k;
	uint64_t m;

	for (m = 1; m < 100; m++) {
		k = loss_needed(100, m, 1000, 1000, 2, 255, 0.01);
		ck_assert_uint_ge(k, prev);
		prev = k;
	}
	ck_assert_uint_le(loss_needed(70, 30, 1000, 1000, 2, 20, 0.1),
	    loss_needed(70, 30, 1000, 1000, 2, 20, 0.01));
}
END_TEST

Suite *
loss_suite(void)
{
	Suite *s = suite_create("loss");
	TCase *tc = tcase_create("needed");

	tcase_add_loop_test(tc, test_needed, 0, (int)NELEM(t_need));
	tcase_add_test(tc, test_monotone);
	suite_add_tcase(s, tc);
	return s;
}
