/* check_dns.c - the reverse lookups: server syntax, failures, stopping */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

Suite *dns_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *s;
	int ok;
} t_servers[] = {
	{ "192.0.2.53", 1 }, { "192.0.2.53:53", 1 }, { "127.0.0.1:65535", 1 },
	{ "192.0.2.53:1", 1 }, { "192.0.2", 0 }, { "192.0.2.53:", 0 },
	{ "192.0.2.53:0", 0 }, { "192.0.2.53:65536", 0 },
	{ "192.0.2.53:123456", 0 }, { "192.0.2.53:5x", 0 },
	{ "192.0.2.053", 0 }, { "ns.example", 0 }, { "", 0 }, { ":53", 0 },
	{ "[::1]:53", 0 }, { "192.0.2.53:53:53", 0 },
};

START_TEST(test_server_ok)
{
	ck_assert_msg(dns_server_ok(t_servers[_i].s) == t_servers[_i].ok,
	    "'%s'", t_servers[_i].s);
}
END_TEST

/*
 * A server that is not there (a closed port on loopback: the kernel
 * refuses at once) fails every lookup: none of them may pass for
 * NXDOMAIN.
 */
START_TEST(test_refused)
{
	static const uint32_t addrs[] = { 0x0a000001, 0x0a000002, 0x0a000003 };
	uint8_t res[3];
	char *text[3], err[256];
	size_t k;

	ck_assert_int_eq(dns_ptr(addrs, 3, "127.0.0.1:1", 200, 2, NULL, res,
	    text, err, sizeof(err)), 0);
	for (k = 0; k < 3; k++) {
		ck_assert_uint_eq(res[k], DNS_FAILED);
		ck_assert_ptr_nonnull(text[k]);
		free(text[k]);
	}
}
END_TEST

/* A stop flag raised before the start: nothing tried, nothing decided. */
START_TEST(test_stopped)
{
	static const uint32_t addrs[] = { 0x0a000001, 0x0a000002 };
	static volatile sig_atomic_t flag = 1;
	struct tcp_stop stop = { 0, &flag, -1 };
	uint8_t res[2] = { 9, 9 };
	char *text[2], err[256];

	ck_assert_int_eq(dns_ptr(addrs, 2, "127.0.0.1:1", 200, 2, &stop, res,
	    text, err, sizeof(err)), 0);
	ck_assert_uint_eq(res[0], DNS_NOT_TRIED);
	ck_assert_uint_eq(res[1], DNS_NOT_TRIED);
	ck_assert_ptr_null(text[0]);
	ck_assert_ptr_null(text[1]);
	ck_assert_int_eq(dns_ptr(addrs, 0, NULL, 200, 2, NULL, res, text, err,
	    sizeof(err)), 0);
}
END_TEST

Suite *
dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("ptr");

	tcase_add_loop_test(tc, test_server_ok, 0, (int)NELEM(t_servers));
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_stopped);
	suite_add_tcase(s, tc);
	return s;
}
