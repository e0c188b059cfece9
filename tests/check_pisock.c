/* check_pisock.c - the drop counter's two views, each on its own baseline */
#include <check.h>
#include <stdint.h>

#include "pisock.h"

Suite *pisock_suite(void);

START_TEST(test_views)
{
	struct pisock_drops d;

	pisock_drops_init(&d, 0);
	ck_assert_uint_eq(pisock_drops_rxq(&d, 7), 7);
	ck_assert_uint_eq(pisock_drops_mem(&d, 10), 10);
	/*
	 * A message queued before the last three drops carries the older
	 * sample 7: against SO_RXQ_OVFL's own baseline that is nothing
	 * new, not 7 - 10, a negative (wrapped) difference.
	 */
	ck_assert_uint_eq(pisock_drops_rxq(&d, 7), 0);
	ck_assert_uint_eq(pisock_drops_rxq(&d, 12), 5);
	ck_assert_uint_eq(pisock_drops_mem(&d, 12), 2);
	ck_assert_uint_eq(pisock_drops_mem(&d, 12), 0);
	/* the same drops seen both ways count once */
	ck_assert_uint_eq(pisock_drops_total(&d), 12);
}
END_TEST

START_TEST(test_inherited)
{
	struct pisock_drops d;

	/* a replacement worker on a socket that dropped 500 before it */
	pisock_drops_init(&d, 500);
	/* messages queued before it started carry older samples */
	ck_assert_uint_eq(pisock_drops_rxq(&d, 480), 0);
	ck_assert_uint_eq(pisock_drops_rxq(&d, 500), 0);
	ck_assert_uint_eq(pisock_drops_mem(&d, 500), 0);
	ck_assert_uint_eq(pisock_drops_total(&d), 0);
	ck_assert_uint_eq(pisock_drops_mem(&d, 503), 3);
	ck_assert_uint_eq(pisock_drops_rxq(&d, 503), 3);
	ck_assert_uint_eq(pisock_drops_total(&d), 3);
}
END_TEST

START_TEST(test_wrap)
{
	struct pisock_drops d;

	pisock_drops_init(&d, UINT32_MAX - 5);
	ck_assert_uint_eq(pisock_drops_mem(&d, 4), 10);
	ck_assert_uint_eq(pisock_drops_rxq(&d, UINT32_MAX - 1), 4);
	ck_assert_uint_eq(pisock_drops_rxq(&d, UINT32_MAX - 3), 0);
	ck_assert_uint_eq(pisock_drops_rxq(&d, 2), 4);
	ck_assert_uint_eq(pisock_drops_total(&d), 10);
}
END_TEST

Suite *
pisock_suite(void)
{
	Suite *s = suite_create("pisock");
	TCase *tc = tcase_create("drops");

	tcase_add_test(tc, test_views);
	tcase_add_test(tc, test_inherited);
	tcase_add_test(tc, test_wrap);
	suite_add_tcase(s, tc);
	return s;
}
