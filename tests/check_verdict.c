/* check_verdict.c - unit tests for verdict names and the merge rule */
#include <check.h>
#include <limits.h>
#include <string.h>

#include "verdict.h"

Suite *verdict_suite(void);

/* Out-of-range values a corrupt record or table could carry. */
static const unsigned t_bad[] = {VERDICT_MAX, VERDICT_MAX + 1, 99, 255,
				 256, UINT_MAX};
#define T_NBAD (sizeof(t_bad) / sizeof(t_bad[0]))

START_TEST(test_merge_table)
{
	/* row a, column b: the state after evidence b arrives for state a */
	static const unsigned want[VERDICT_MAX][VERDICT_MAX] = {
		/*            PENDING  FREE  UNKNOWN  USED  SKIPPED */
		/* PENDING */ {0, 1, 2, 3, 0},
		/* FREE    */ {1, 1, 2, 3, 1},
		/* UNKNOWN */ {2, 2, 2, 3, 2},
		/* USED    */ {3, 3, 3, 3, 3},
		/* SKIPPED */ {4, 4, 4, 4, 4},
	};
	unsigned a, b;

	for (a = 0; a < VERDICT_MAX; a++)
		for (b = 0; b < VERDICT_MAX; b++)
			ck_assert_msg(verdict_merge(a, b) == want[a][b],
			    "merge(%s, %s) = %u, want %u", verdict_name(a),
			    verdict_name(b), verdict_merge(a, b), want[a][b]);
}
END_TEST

START_TEST(test_merge_monotone)
{
	unsigned a, b, c;

	for (a = VERDICT_PENDING; a <= VERDICT_USED; a++) {
		for (b = VERDICT_PENDING; b <= VERDICT_MAX + 2; b++) {
			ck_assert_uint_ge(verdict_merge(a, b), a);
			ck_assert_uint_le(verdict_merge(a, b), VERDICT_USED);
		}
		for (b = VERDICT_PENDING; b <= VERDICT_USED; b++) {
			/* the order evidence arrives in does not matter */
			ck_assert_uint_eq(verdict_merge(a, b),
			    verdict_merge(b, a));
			for (c = VERDICT_PENDING; c <= VERDICT_USED; c++)
				ck_assert_uint_eq(
				    verdict_merge(verdict_merge(a, b), c),
				    verdict_merge(a, verdict_merge(b, c)));
		}
	}
}
END_TEST

START_TEST(test_merge_used_absorbs)
{
	unsigned b;
	size_t i;

	for (b = 0; b < VERDICT_MAX; b++)
		ck_assert_uint_eq(verdict_merge(VERDICT_USED, b), VERDICT_USED);
	for (i = 0; i < T_NBAD; i++)
		ck_assert_uint_eq(verdict_merge(VERDICT_USED, t_bad[i]),
		    VERDICT_USED);
	for (b = VERDICT_PENDING; b <= VERDICT_USED; b++)
		ck_assert_uint_eq(verdict_merge(b, VERDICT_USED), VERDICT_USED);
	/* late evidence of use overrides a decided free */
	ck_assert_uint_eq(verdict_merge(verdict_merge(VERDICT_PENDING,
					    VERDICT_FREE),
			      VERDICT_USED),
	    VERDICT_USED);
}
END_TEST

START_TEST(test_merge_out_of_range)
{
	unsigned v;
	size_t i, j;

	for (i = 0; i < T_NBAD; i++) {
		/* never free, whichever side is corrupt */
		for (v = VERDICT_PENDING; v <= VERDICT_UNKNOWN; v++) {
			ck_assert_uint_eq(verdict_merge(v, t_bad[i]),
			    VERDICT_UNKNOWN);
			ck_assert_uint_eq(verdict_merge(t_bad[i], v),
			    VERDICT_UNKNOWN);
		}
		ck_assert_uint_eq(verdict_merge(t_bad[i], VERDICT_USED),
		    VERDICT_USED);
		ck_assert_uint_eq(verdict_merge(t_bad[i], VERDICT_SKIPPED),
		    VERDICT_UNKNOWN);
		ck_assert_uint_eq(verdict_merge(VERDICT_SKIPPED, t_bad[i]),
		    VERDICT_SKIPPED);
		for (j = 0; j < T_NBAD; j++)
			ck_assert_uint_eq(verdict_merge(t_bad[i], t_bad[j]),
			    VERDICT_UNKNOWN);
	}
}
END_TEST

START_TEST(test_verdict_names)
{
	ck_assert_str_eq(verdict_name(VERDICT_PENDING), "pending");
	ck_assert_str_eq(verdict_name(VERDICT_FREE), "free");
	ck_assert_str_eq(verdict_name(VERDICT_UNKNOWN), "unknown");
	ck_assert_str_eq(verdict_name(VERDICT_USED), "used");
	ck_assert_str_eq(verdict_name(VERDICT_SKIPPED), "skipped");
	ck_assert_str_eq(verdict_name(VERDICT_MAX), "?");
	ck_assert_str_eq(verdict_name(255), "?");
	ck_assert_str_eq(verdict_name(UINT_MAX), "?");
}
END_TEST

START_TEST(test_reason_names)
{
	static const char *const want[REASON_MAX] = {
		"none", "echo-reply", "no-reply", "host-unreachable",
		"admin-prohibited", "icmp-error", "send-error",
		"other-source", "worker-died", "interrupted", "deadline",
		"exec-error", "special-address", "rcvbuf-overflow",
		"not-needed", "arp-reply", "neighbour-table-unreadable",
		"canary-silent", "tcp-accept", "tcp-refused",
		"no-neighbour-entry",
	};
	unsigned r;

	for (r = 0; r < REASON_MAX; r++) {
		ck_assert_ptr_nonnull(reason_name(r));
		ck_assert_str_eq(reason_name(r), want[r]);
	}
	/* spot checks that do not depend on the table's order */
	ck_assert_str_eq(reason_name(REASON_ADMIN_PROHIBITED),
	    "admin-prohibited");
	ck_assert_str_eq(reason_name(REASON_SPECIAL), "special-address");
	ck_assert_str_eq(reason_name(REASON_RCVBUF_OVERFLOW),
	    "rcvbuf-overflow");
	ck_assert_str_eq(reason_name(REASON_MAX), "?");
	ck_assert_str_eq(reason_name(UINT_MAX), "?");
}
END_TEST

Suite *
verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");

	tcase_add_test(tc, test_merge_table);
	tcase_add_test(tc, test_merge_monotone);
	tcase_add_test(tc, test_merge_used_absorbs);
	tcase_add_test(tc, test_merge_out_of_range);
	tcase_add_test(tc, test_verdict_names);
	tcase_add_test(tc, test_reason_names);
	suite_add_tcase(s, tc);
	return s;
}
