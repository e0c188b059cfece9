/* check_probe_exec.c - ping(8)'s exit status and summary, read right */
#include <check.h>
#include <sys/wait.h>

#include "probe_exec.h"
#include "verdict.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *probe_exec_suite(void);

/* wait statuses built by hand: exit N is N << 8, a signal is its number */
static const struct {
	int status;
	unsigned reason;
} statuses[] = {
	{0 << 8, REASON_ECHO_REPLY},
	{1 << 8, REASON_NO_REPLY},
	{2 << 8, REASON_EXEC_ERROR},   /* ping's error */
	{127 << 8, REASON_EXEC_ERROR}, /* exec failed */
	{9, REASON_EXEC_ERROR},        /* SIGKILL */
	{15, REASON_EXEC_ERROR},       /* SIGTERM */
};

START_TEST(test_evidence)
{
	ck_assert(WIFEXITED(0 << 8));
	ck_assert_uint_eq(probe_exec_evidence(statuses[_i].status),
	    statuses[_i].reason);
}
END_TEST

static const struct {
	const char *out;
	unsigned rtt_us;
} outs[] = {
	{"\n--- 10.0.0.1 ping statistics ---\n1 packets transmitted, 1 "
	    "received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = "
	    "0.041/0.052/0.063/0.010 ms\n", 41},
	{"rtt min/avg/max/mdev = 12.5/13/14/1 ms", 12500},
	{"rtt min/avg/max/mdev = 1500.123456/1/1/0 ms", 1500123},
	{"rtt min/avg/max/mdev = 7/8/9/0 ms", 7000},
	{"2 packets transmitted, 0 received, 100% packet loss", 0},
	{"rtt min/avg/max/mdev = 0,041/0,052/0,063/0,010 ms", 0}, /* locale */
	{"rtt min/avg/max/mdev = ", 0},
	{"", 0},
};

START_TEST(test_rtt)
{
	ck_assert_uint_eq(probe_exec_rtt(outs[_i].out), outs[_i].rtt_us);
}
END_TEST

Suite *
probe_exec_suite(void)
{
	Suite *s = suite_create("probe_exec");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_evidence, 0, NELEM(statuses));
	tcase_add_loop_test(tc, test_rtt, 0, NELEM(outs));
	suite_add_tcase(s, tc);
	return s;
}
