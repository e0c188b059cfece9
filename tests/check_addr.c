/* check_addr.c - unit tests for the strict dotted-quad parser and policy */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

Suite *addr_suite(void);

/* An input with an explicit length, so that a NUL can sit inside it. */
struct bad_addr {
	const char *s;
	size_t len;
};

#define S(lit) { lit, sizeof(lit) - 1 }

/* Every form inet_aton(3) or a lax parser would take, and plain junk. */
static const struct bad_addr bad_addrs[] = {
	S("256.1.1.1"),
	S("1.256.1.1"),
	S("1.1.1.256"),
	S("1.2.3.999"),
	S("1.2.3.1000"),
	S("010.0.0.1"),
	S("10.0.0.01"),
	S("00.0.0.0"),
	S("1.2.3.0004"),
	S("10.1"),
	S("10.1.2"),
	S("167772161"),
	S("0x0a.0.0.1"),
	S("0xa.0.0.1"),
	S("1.2.3.4/33"),
	S("1.2.3.4/24"),
	S(" 1.2.3.4"),
	S("1.2.3.4 "),
	S("1.2.3.4\n"),
	S("1..2.3"),
	S("1.2..3.4"),
	S("+1.2.3.4"),
	S("-1.2.3.4"),
	S("1.2.3.-4"),
	S("1.2.3.4.5"),
	S("1.2.3.4."),
	S(".1.2.3.4"),
	S("1.2.3."),
	S("1,2,3,4"),
	S("1.2.3.4x"),
	S("a.b.c.d"),
	S(""),
	S("1.2.3.4\0"),
	S("1.2\0.3.4"),
	S("\0" "1.2.3.4"),
	S("4294967296.0.0.0"),
};

START_TEST(test_parse_bad)
{
	const struct bad_addr *t = &bad_addrs[_i];
	uint32_t a = 0xdeadbeef;

	ck_assert_msg(addr_parse(t->s, t->len, &a) == -1,
	    "accepted bad address #%d", _i);
	ck_assert_uint_eq(a, 0xdeadbeef);
}
END_TEST

struct good_addr {
	const char *s;
	uint32_t a;
};

static const struct good_addr good_addrs[] = {
	{ "0.0.0.0", 0x00000000 },
	{ "255.255.255.255", 0xffffffff },
	{ "10.121.49.101", 0x0a793165 },
	{ "1.2.3.4", 0x01020304 },
	{ "192.168.0.10", 0xc0a8000a },
	{ "100.0.200.9", 0x6400c809 },
	{ "127.0.0.1", 0x7f000001 },
	{ "128.0.0.0", 0x80000000 },
};

START_TEST(test_parse_good)
{
	const struct good_addr *t = &good_addrs[_i];
	char buf[ADDR_STRLEN];
	uint32_t a = 0xdeadbeef;

	ck_assert_int_eq(addr_parse(t->s, strlen(t->s), &a), 0);
	ck_assert_uint_eq(a, t->a);
	ck_assert_str_eq(addr_format(t->a, buf), t->s);
}
END_TEST

/* Only LEN bytes count: what follows must be neither needed nor read. */
START_TEST(test_parse_length)
{
	uint32_t a = 0;

	ck_assert_int_eq(addr_parse("1.2.3.45", 7, &a), 0);
	ck_assert_uint_eq(a, 0x01020304);
	ck_assert_int_eq(addr_parse("10.0.0.1-9", 8, &a), 0);
	ck_assert_uint_eq(a, 0x0a000001);
	ck_assert_int_eq(addr_parse("1.2.3.4", 6, &a), -1);
	ck_assert_int_eq(addr_parse("1.2.3.4", 0, &a), -1);
}
END_TEST

/* format then parse gives the address back, over a spread of values */
START_TEST(test_roundtrip)
{
	char buf[ADDR_STRLEN];
	uint32_t x = 12345, a, i;

	for (i = 0; i < 100000; i++) {
		x = x * 1664525u + 1013904223u;
		addr_format(x, buf);
		ck_assert_int_eq(addr_parse(buf, strlen(buf), &a), 0);
		ck_assert_uint_eq(a, x);
	}
}
END_TEST

/* every octet value in every place reads as printf would write it */
START_TEST(test_format_octets)
{
	char buf[ADDR_STRLEN], want[ADDR_STRLEN + 8];
	uint32_t v, x;
	int shift;

	for (shift = 0; shift < 32; shift += 8)
		for (v = 0; v < 256; v++) {
			x = (0x01020304u & ~(0xffu << shift)) | v << shift;
			snprintf(want, sizeof(want), "%u.%u.%u.%u", x >> 24,
			    x >> 16 & 0xff, x >> 8 & 0xff, x & 0xff);
			ck_assert_str_eq(addr_format(x, buf), want);
		}
	ck_assert_str_eq(addr_format(0xffffffffu, buf), "255.255.255.255");
	ck_assert_uint_eq(strlen(buf) + 1, ADDR_STRLEN);
}
END_TEST

struct special {
	uint32_t a;
	const char *why;
};

static const struct special specials[] = {
	{ 0x00000000, "this network" },     /* 0.0.0.0 */
	{ 0x00ffffff, "this network" },     /* 0.255.255.255 */
	{ 0x01000000, NULL },               /* 1.0.0.0 */
	{ 0x0a000000, NULL },               /* 10.0.0.0 */
	{ 0x7f000001, NULL },               /* 127.0.0.1 is probed */
	{ 0xdfffffff, NULL },               /* 223.255.255.255 */
	{ 0xe0000000, "multicast" },        /* 224.0.0.0 */
	{ 0xe00000fb, "multicast" },        /* 224.0.0.251 */
	{ 0xefffffff, "multicast" },        /* 239.255.255.255 */
	{ 0xf0000000, "reserved" },         /* 240.0.0.0 */
	{ 0xffffffff, "reserved" },         /* 255.255.255.255 */
};

START_TEST(test_special)
{
	const struct special *t = &specials[_i];
	const char *why = addr_special(t->a);

	if (t->why == NULL)
		ck_assert_msg(why == NULL, "0x%08x is special (%s)",
		    (unsigned)t->a, why);
	else {
		ck_assert_ptr_nonnull(why);
		ck_assert_str_eq(why, t->why);
	}
}
END_TEST

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* addr_index: every member found at its place, every gap and end not */
START_TEST(test_index)
{
	static const uint32_t a[] = { 3, 7, 8, 100, 0xffffffffu };
	size_t i;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		ck_assert_int_eq(addr_index(a, 5, a[i]), (long)i);
	ck_assert_int_eq(addr_index(a, 5, 0), -1);
	ck_assert_int_eq(addr_index(a, 5, 5), -1);
	ck_assert_int_eq(addr_index(a, 5, 99), -1);
	ck_assert_int_eq(addr_index(a, 5, 0xfffffffeu), -1);
	ck_assert_int_eq(addr_index(a, 4, 0xffffffffu), -1);
	ck_assert_int_eq(addr_index(a, 0, 3), -1);
}
END_TEST

Suite *
addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_bad, 0, NELEM(bad_addrs));
	tcase_add_loop_test(tc, test_parse_good, 0, NELEM(good_addrs));
	tcase_add_test(tc, test_parse_length);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_format_octets);
	tcase_add_test(tc, test_index);
	suite_add_tcase(s, tc);
	tc = tcase_create("special");
	tcase_add_loop_test(tc, test_special, 0, NELEM(specials));
	suite_add_tcase(s, tc);
	return s;
}
