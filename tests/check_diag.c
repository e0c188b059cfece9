/* check_diag.c - messages on stderr: format, -q and -v, one write each */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "testutil.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *diag_suite(void);

START_TEST(test_err_format)
{
	char *out;

	diag_setup(1, 0);
	tu_cap_start();
	diag_err("%s: %d", "boom", 42);
	diag_warn("careful '%s'", "x");
	out = tu_cap_end();
	ck_assert_str_eq(out, "ipsweep: boom: 42\nipsweep: careful 'x'\n");
	free(out);
}
END_TEST

START_TEST(test_usage)
{
	char *out;

	diag_setup(1, 0);
	tu_cap_start();
	diag_usage("option '--jobs': 'x' is not a whole number from 1 to 256");
	out = tu_cap_end();
	ck_assert_str_eq(out, "ipsweep: option '--jobs': 'x' is not a whole "
	    "number from 1 to 256\n"
	    "Try 'ipsweep --help' for more information.\n");
	free(out);
}
END_TEST

/* Which severity shows for which -q and -v. */
static const struct {
	int quiet, verbose;
	enum diag_severity sev;
	int level;
	int shown;
} rules[] = {
	{0, 0, DIAG_ERROR, 0, 1},
	{1, 0, DIAG_ERROR, 0, 1},
	{0, 0, DIAG_WARNING, 0, 1},
	{1, 0, DIAG_WARNING, 0, 1},
	{0, 0, DIAG_NOTE, 0, 1},
	{1, 0, DIAG_NOTE, 0, 0},
	{0, 2, DIAG_NOTE, 0, 1},
	{0, 0, DIAG_VERBOSE, 1, 0},
	{1, 0, DIAG_VERBOSE, 1, 0},
	{0, 1, DIAG_VERBOSE, 1, 1},
	{0, 1, DIAG_VERBOSE, 2, 0},
	{0, 2, DIAG_VERBOSE, 2, 1},
	{0, 3, DIAG_VERBOSE, 2, 1},
	{0, 3, DIAG_VERBOSE, 0, 0},
	{0, -1, DIAG_VERBOSE, 1, 0},
};

START_TEST(test_rules)
{
	char *out;

	diag_setup(rules[_i].quiet, rules[_i].verbose);
	ck_assert_int_eq(diag_shown(rules[_i].sev, rules[_i].level),
	    rules[_i].shown);
	tu_cap_start();
	if (rules[_i].sev == DIAG_VERBOSE)
		diag_verbose(rules[_i].level, "m%d", 7);
	else
		diag_msg(rules[_i].sev, "m%d", 7);
	out = tu_cap_end();
	ck_assert_str_eq(out, rules[_i].shown ? "ipsweep: m7\n" : "");
	free(out);
}
END_TEST

/* The named helpers are the severities they say. */
START_TEST(test_helpers)
{
	char *out;

	diag_setup(1, 0);
	tu_cap_start();
	diag_note("hidden");
	diag_verbose(1, "hidden");
	diag_msg(DIAG_VERBOSE, "hidden");
	diag_err("e");
	diag_warn("w");
	out = tu_cap_end();
	ck_assert_str_eq(out, "ipsweep: e\nipsweep: w\n");
	free(out);
	diag_setup(0, 1);
	tu_cap_start();
	diag_note("n");
	diag_msg(DIAG_VERBOSE, "v1");
	diag_verbose(2, "hidden");
	out = tu_cap_end();
	ck_assert_str_eq(out, "ipsweep: n\nipsweep: v1\n");
	free(out);
}
END_TEST

/*
 * A message longer than the stack buffer arrives whole, as one write: on
 * a SOCK_SEQPACKET socket each write is one record and each read returns
 * one record.
 */
START_TEST(test_one_write)
{
	static char big[5000], want[5000 + 16], got[sizeof(want) + 64];
	size_t sizes[] = {1, 1000, 1013, 1014, 1015, 4000};
	int sv[2], saved;
	size_t i;
	ssize_t n;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	diag_setup(0, 0);
	for (i = 0; i < NELEM(sizes); i++) {
		memset(big, 'a' + (int)i, sizes[i]);
		big[sizes[i]] = '\0';
		snprintf(want, sizeof(want), "ipsweep: %s\n", big);
		fflush(stderr);
		saved = dup(2);
		ck_assert_int_eq(dup2(sv[0], 2), 2);
		diag_note("%s", big);
		ck_assert_int_eq(dup2(saved, 2), 2);
		close(saved);
		n = read(sv[1], got, sizeof(got));
		ck_assert_int_eq(n, (ssize_t)strlen(want));
		ck_assert(memcmp(got, want, (size_t)n) == 0);
	}
	close(sv[0]);
	close(sv[1]);
}
END_TEST

Suite *
diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("diag");

	tcase_add_test(tc, test_err_format);
	tcase_add_test(tc, test_usage);
	tcase_add_loop_test(tc, test_rules, 0, NELEM(rules));
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_one_write);
	suite_add_tcase(s, tc);
	return s;
}
