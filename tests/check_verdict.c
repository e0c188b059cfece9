/* check_verdict.c - unit tests for the names of verdicts and reasons */
#include <check.h>
#include <limits.h>
#include <string.h>

#include "verdict.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *verdict_suite(void);

/* Every verdict with its name: a verdict added without one fails. */
static const struct {
	unsigned v;
	const char *name;
} t_verdicts[] = {
	{ VERDICT_PENDING, "pending" },
	{ VERDICT_FREE, "free" },
	{ VERDICT_UNKNOWN, "unknown" },
	{ VERDICT_USED, "used" },
	{ VERDICT_SKIPPED, "skipped" },
	{ VERDICT_NOT_NEEDED, "not-needed" },
};

/* Every reason with its name, as the output and the man page show it. */
static const struct {
	unsigned r;
	const char *name;
} t_reasons[] = {
	{ REASON_NONE, "none" },
	{ REASON_ECHO_REPLY, "echo-reply" },
	{ REASON_NO_REPLY, "no-reply" },
	{ REASON_HOST_UNREACH, "host-unreachable" },
	{ REASON_ADMIN_PROHIBITED, "admin-prohibited" },
	{ REASON_ICMP_ERROR, "icmp-error" },
	{ REASON_SEND_ERROR, "send-error" },
	{ REASON_OTHER_SOURCE, "other-source" },
	{ REASON_WORKER_DIED, "worker-died" },
	{ REASON_INTERRUPTED, "interrupted" },
	{ REASON_DEADLINE, "deadline" },
	{ REASON_EXEC_ERROR, "exec-error" },
	{ REASON_SPECIAL, "special-address" },
	{ REASON_RCVBUF_OVERFLOW, "rcvbuf-overflow" },
	{ REASON_NOT_NEEDED, "not-needed" },
	{ REASON_ARP_REPLY, "arp-reply" },
	{ REASON_NEIGH_UNREADABLE, "neighbour-table-unreadable" },
	{ REASON_CANARY_SILENT, "canary-silent" },
	{ REASON_TCP_ACCEPT, "tcp-accept" },
	{ REASON_TCP_REFUSED, "tcp-refused" },
	{ REASON_NO_NEIGH, "no-neighbour-entry" },
	{ REASON_CANARY_OK, "canary-answered" },
	{ REASON_TCP_SILENT, "tcp-silent" },
	{ REASON_TCP_ERROR, "tcp-error" },
	{ REASON_LOSS_TOO_HIGH, "loss-too-high" },
	{ REASON_NEIGH_INCOMPLETE, "neighbour-incomplete" },
	{ REASON_PING_ERRORS, "ping-errors" },
	{ REASON_ICMP_FROM_TARGET, "icmp-from-target" },
	{ REASON_PHASE_FAILED, "phase-failed" },
	{ REASON_RANGE_ERRORS, "range-icmp-errors" },
	{ REASON_RESERVED, "reserved" },
	{ REASON_DHCP_LEASE, "dhcp-lease" },
	{ REASON_DHCP_POOL, "dhcp-pool" },
	{ REASON_DNS_PTR, "dns-ptr" },
	{ REASON_IPAM, "ipam" },
	{ REASON_DNS_NONE, "dns-nxdomain" },
	{ REASON_DNS_ERROR, "dns-error" },
	{ REASON_HISTORY_SEEN, "history-seen" },
	{ REASON_HISTORY_QUIET, "history-quiet" },
	{ REASON_HISTORY_SHORT, "history-too-short" },
	{ REASON_HISTORY_ERROR, "history-unreadable" },
};

/* Out-of-range values a corrupt record or table could carry. */
static const unsigned t_bad[] = { VERDICT_MAX, REASON_MAX, REASON_MAX + 1,
				  99, 255, 256, UINT_MAX };

START_TEST(test_verdict_name)
{
	ck_assert_str_eq(verdict_name(t_verdicts[_i].v), t_verdicts[_i].name);
}
END_TEST

START_TEST(test_reason_name)
{
	ck_assert_str_eq(reason_name(t_reasons[_i].r), t_reasons[_i].name);
}
END_TEST

START_TEST(test_tables_complete)
{
	unsigned a, b;

	/* one row per value: a value appended to an enum needs a row */
	ck_assert_uint_eq(NELEM(t_verdicts), VERDICT_MAX);
	ck_assert_uint_eq(NELEM(t_reasons), REASON_MAX);
	for (a = 0; a < NELEM(t_reasons); a++)
		ck_assert_uint_eq(t_reasons[a].r, a);
	/* no two share a name, and none is the out-of-range "?" */
	for (a = 0; a < VERDICT_MAX; a++) {
		ck_assert_str_ne(verdict_name(a), "?");
		for (b = a + 1; b < VERDICT_MAX; b++)
			ck_assert_str_ne(verdict_name(a), verdict_name(b));
	}
	for (a = 0; a < REASON_MAX; a++) {
		ck_assert_ptr_nonnull(reason_name(a));
		ck_assert_str_ne(reason_name(a), "?");
		for (b = a + 1; b < REASON_MAX; b++)
			ck_assert_str_ne(reason_name(a), reason_name(b));
	}
}
END_TEST

START_TEST(test_out_of_range)
{
	if (t_bad[_i] >= VERDICT_MAX)
		ck_assert_str_eq(verdict_name(t_bad[_i]), "?");
	if (t_bad[_i] >= REASON_MAX)
		ck_assert_str_eq(reason_name(t_bad[_i]), "?");
	else
		ck_assert_str_ne(reason_name(t_bad[_i]), "?");
}
END_TEST

Suite *
verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("names");

	tcase_add_loop_test(tc, test_verdict_name, 0, NELEM(t_verdicts));
	tcase_add_loop_test(tc, test_reason_name, 0, NELEM(t_reasons));
	tcase_add_test(tc, test_tables_complete);
	tcase_add_loop_test(tc, test_out_of_range, 0, NELEM(t_bad));
	suite_add_tcase(s, tc);
	return s;
}
