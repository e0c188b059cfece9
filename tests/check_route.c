/* check_route.c - unit tests for the /proc/net/route parser and the LPM */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

Suite *route_suite(void);

#define T_IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

#define T_HEADER "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t" \
	"Metric\tMask\t\tMTU\tWindow\tIRTT"

/*
 * t_hex -- A (host order) as /proc/net/route prints it: the network-order
 * word printed with %08X as a native integer.
 */
static void
t_hex(char out[9], uint32_t a)
{
	uint32_t be = htonl(a), native;

	memcpy(&native, &be, sizeof(native));
	snprintf(out, 9, "%08X", native);
}

/* t_line -- append one route line, padded to 127 columns like the kernel */
static void
t_line(char *buf, size_t cap, const char *ifname, uint32_t dst, uint32_t gw,
    unsigned flags, unsigned metric, uint32_t mask)
{
	char d[9], g[9], m[9], line[256];
	size_t len = strlen(buf);

	t_hex(d, dst);
	t_hex(g, gw);
	t_hex(m, mask);
	snprintf(line, sizeof(line), "%s\t%s\t%s\t%04X\t0\t0\t%u\t%s\t0\t0\t0",
	    ifname, d, g, flags, metric, m);
	snprintf(buf + len, cap - len, "%-127s\n", line);
}

static void
t_header(char *buf, size_t cap)
{
	snprintf(buf, cap, "%-127s\n", T_HEADER);
}

/*
 * The realistic table: default via 192.168.1.1, the connected
 * 192.168.1.0/24, a /32 host route via the gateway inside it, a connected
 * 172.16.0.0/20, a reject route 10.66.0.0/16 (flags 0x0201), a gatewayed
 * 10.20.0.0/16 with an on-link /32 inside it, and an on-link /32.
 */
#define T_ROUTES 7

static void
t_table_text(char *buf, size_t cap, int reversed)
{
	static const struct {
		const char *ifname;
		uint32_t dst, gw, mask;
		unsigned flags;
	} r[T_ROUTES] = {
		{ "eth0", 0, T_IP(192, 168, 1, 1), 0, 0x0003 },
		{ "eth0", T_IP(192, 168, 1, 0), 0, 0xffffff00u, 0x0001 },
		{ "eth0", T_IP(192, 168, 1, 77), T_IP(192, 168, 1, 1),
		    0xffffffffu, 0x0007 },
		{ "eth1", T_IP(172, 16, 0, 0), 0, 0xfffff000u, 0x0001 },
		{ "*", T_IP(10, 66, 0, 0), 0, 0xffff0000u, 0x0201 },
		{ "eth0", T_IP(10, 20, 0, 0), T_IP(192, 168, 1, 1),
		    0xffff0000u, 0x0003 },
		{ "wg0", T_IP(10, 20, 5, 5), 0, 0xffffffffu, 0x0005 },
	};
	int i;

	t_header(buf, cap);
	for (i = 0; i < T_ROUTES; i++) {
		int k = reversed ? T_ROUTES - 1 - i : i;

		t_line(buf, cap, r[k].ifname, r[k].dst, r[k].gw, r[k].flags,
		    100, r[k].mask);
	}
}

static const struct {
	uint32_t a;
	int onlink;
} t_lpm[] = {
	{ T_IP(192, 168, 1, 10), 1 },    /* connected /24 */
	{ T_IP(192, 168, 1, 0), 1 },
	{ T_IP(192, 168, 1, 255), 1 },
	{ T_IP(192, 168, 1, 77), 0 },    /* the /32 via gateway wins */
	{ T_IP(192, 168, 1, 76), 1 },
	{ T_IP(192, 168, 1, 78), 1 },
	{ T_IP(192, 168, 0, 255), 0 },   /* just outside: default */
	{ T_IP(192, 168, 2, 0), 0 },
	{ T_IP(172, 16, 0, 1), 1 },      /* connected /20 */
	{ T_IP(172, 16, 15, 254), 1 },
	{ T_IP(172, 16, 16, 1), 0 },     /* past the /20 */
	{ T_IP(172, 15, 255, 255), 0 },
	{ T_IP(10, 66, 1, 1), 0 },       /* reject */
	{ T_IP(10, 20, 1, 1), 0 },       /* gatewayed /16 */
	{ T_IP(10, 20, 5, 5), 1 },       /* on-link /32 inside it */
	{ T_IP(10, 20, 5, 4), 0 },
	{ T_IP(8, 8, 8, 8), 0 },         /* only the default matches */
};

START_TEST(test_parse_fields)
{
	char buf[4096];
	struct route_table t;
	const struct route_entry *e;

	t_table_text(buf, sizeof(buf), 0);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, T_ROUTES);
	e = t.e;
	ck_assert_uint_eq(e[0].dst, 0);
	ck_assert_uint_eq(e[0].mask, 0);
	ck_assert_int_eq(e[0].gateway, 1);
	ck_assert_int_eq(e[0].reject, 0);
	ck_assert_uint_eq(e[1].dst, T_IP(192, 168, 1, 0));
	ck_assert_uint_eq(e[1].mask, 0xffffff00u);
	ck_assert_int_eq(e[1].gateway, 0);
	ck_assert_int_eq(e[1].reject, 0);
	ck_assert_uint_eq(e[2].dst, T_IP(192, 168, 1, 77));
	ck_assert_uint_eq(e[2].mask, 0xffffffffu);
	ck_assert_int_eq(e[2].gateway, 1);
	ck_assert_uint_eq(e[3].dst, T_IP(172, 16, 0, 0));
	ck_assert_uint_eq(e[3].mask, 0xfffff000u);
	ck_assert_int_eq(e[3].gateway, 0);
	ck_assert_uint_eq(e[4].dst, T_IP(10, 66, 0, 0));
	ck_assert_int_eq(e[4].reject, 1);
	ck_assert_int_eq(e[4].gateway, 0);
	ck_assert_uint_eq(e[6].dst, T_IP(10, 20, 5, 5));
	ck_assert_int_eq(e[6].gateway, 0);
	route_free(&t);
	ck_assert_ptr_null(t.e);
	ck_assert_uint_eq(t.n, 0);
}
END_TEST

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The same table as a little-endian kernel writes it, byte for byte. */
static const char t_literal[] =
	"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask"
	"\t\tMTU\tWindow\tIRTT                                          "
	"             \n"
	"eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0   "
	"                                                                "
	"            \n"
	"eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0   \n"
	"eth0\t4D01A8C0\t0101A8C0\t0007\t0\t0\t0\t0FFFFFFFF\t0\t0\t0\n"
	"eth1\t000010AC\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0\n"
	"*\t0000420A\t00000000\t0201\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
	"eth0\t0000140A\t0101A8C0\t0003\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
	"wg0\t0505140A\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0\n";

START_TEST(test_parse_literal)
{
	struct route_table t;
	size_t i;

	ck_assert_int_eq(route_parse(&t, t_literal, strlen(t_literal)), 0);
	ck_assert_uint_eq(t.n, T_ROUTES);
	ck_assert_uint_eq(t.e[1].dst, T_IP(192, 168, 1, 0));
	ck_assert_uint_eq(t.e[3].mask, 0xfffff000u);
	for (i = 0; i < sizeof(t_lpm) / sizeof(t_lpm[0]); i++)
		ck_assert_msg(route_onlink(&t, t_lpm[i].a) == t_lpm[i].onlink,
		    "%08x: want %d", t_lpm[i].a, t_lpm[i].onlink);
	route_free(&t);
}
END_TEST
#endif

START_TEST(test_lpm)
{
	char buf[4096];
	struct route_table t;
	int reversed = _i / (int)(sizeof(t_lpm) / sizeof(t_lpm[0]));
	int k = _i % (int)(sizeof(t_lpm) / sizeof(t_lpm[0]));

	t_table_text(buf, sizeof(buf), reversed);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, T_ROUTES);
	ck_assert_msg(route_onlink(&t, t_lpm[k].a) == t_lpm[k].onlink,
	    "%u.%u.%u.%u (%s order): want %d", t_lpm[k].a >> 24,
	    t_lpm[k].a >> 16 & 255, t_lpm[k].a >> 8 & 255, t_lpm[k].a & 255,
	    reversed ? "reversed" : "kernel", t_lpm[k].onlink);
	route_free(&t);
}
END_TEST

START_TEST(test_no_match)
{
	/* no default route: an address outside every route is not on-link */
	char buf[1024];
	struct route_table t;

	t_header(buf, sizeof(buf));
	t_line(buf, sizeof(buf), "eth0", T_IP(192, 168, 1, 0), 0, 0x0001, 0,
	    0xffffff00u);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(route_onlink(&t, T_IP(192, 168, 1, 1)), 1);
	ck_assert_int_eq(route_onlink(&t, T_IP(192, 168, 2, 1)), 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(0, 0, 0, 0)), 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(255, 255, 255, 255)), 0);
	route_free(&t);
}
END_TEST

START_TEST(test_default_alone)
{
	char buf[1024];
	struct route_table t;

	t_header(buf, sizeof(buf));
	t_line(buf, sizeof(buf), "eth0", 0, T_IP(10, 0, 0, 1), 0x0003, 0, 0);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 0, 0, 1)), 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 0, 0, 2)), 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(1, 1, 1, 1)), 0);
	route_free(&t);

	/* a default route without a gateway (default dev X): on-link */
	t_header(buf, sizeof(buf));
	t_line(buf, sizeof(buf), "ppp0", 0, 0, 0x0001, 0, 0);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(route_onlink(&t, T_IP(1, 1, 1, 1)), 1);
	route_free(&t);
}
END_TEST

START_TEST(test_dst_masked)
{
	/* host bits in Destination are cleared by the mask */
	char buf[1024];
	struct route_table t;

	t_header(buf, sizeof(buf));
	t_line(buf, sizeof(buf), "eth0", T_IP(192, 168, 7, 5), 0, 0x0001, 0,
	    0xffffff00u);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.e[0].dst, T_IP(192, 168, 7, 0));
	ck_assert_int_eq(route_onlink(&t, T_IP(192, 168, 7, 200)), 1);
	route_free(&t);
}
END_TEST

START_TEST(test_malformed_skipped)
{
	char buf[4096];
	struct route_table t;
	size_t len;

	t_header(buf, sizeof(buf));
	len = strlen(buf);
	snprintf(buf + len, sizeof(buf) - len, "%s",
	    "garbage\n"
	    "\n"
	    "      \n"
	    "eth0\tZZZZZZZZ\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
	    "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\n"
	    "eth0\t0001A8C0\t00000000\tflag\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	/* a non-contiguous mask, 255.0.255.0 on 10.99.0.0 */
	t_line(buf, sizeof(buf), "eth0", T_IP(10, 99, 0, 0), 0, 0x0001, 0,
	    0xff00ff00u);
	/* one good line among them, and one after them */
	t_line(buf, sizeof(buf), "eth0", T_IP(10, 1, 0, 0), 0, 0x0001, 0,
	    0xffff0000u);
	len = strlen(buf);
	snprintf(buf + len, sizeof(buf) - len, "%s", "\t\t\t\n");
	t_line(buf, sizeof(buf), "eth2", T_IP(10, 2, 0, 0), 0, 0x0001, 0,
	    0xffff0000u);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.e[0].dst, T_IP(10, 1, 0, 0));
	ck_assert_uint_eq(t.e[1].dst, T_IP(10, 2, 0, 0));
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 99, 0, 1)), 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 99, 5, 1)), 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 1, 2, 3)), 1);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 2, 2, 3)), 1);
	route_free(&t);
}
END_TEST

START_TEST(test_empty)
{
	struct route_table t;
	char buf[256];

	ck_assert_int_eq(route_parse(&t, "", 0), 0);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 0, 0, 1)), 0);
	route_free(&t);

	/* the header alone */
	t_header(buf, sizeof(buf));
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_int_eq(route_onlink(&t, T_IP(0, 0, 0, 0)), 0);
	route_free(&t);
}
END_TEST

START_TEST(test_len_and_last_line)
{
	/* only LEN bytes count; a last line without newline still parses */
	char buf[1024];
	struct route_table t;
	size_t cut;

	t_header(buf, sizeof(buf));
	t_line(buf, sizeof(buf), "eth0", T_IP(10, 1, 0, 0), 0, 0x0001, 0,
	    0xffff0000u);
	cut = strlen(buf);
	t_line(buf, sizeof(buf), "eth0", T_IP(10, 2, 0, 0), 0, 0x0001, 0,
	    0xffff0000u);
	ck_assert_int_eq(route_parse(&t, buf, cut), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 2, 0, 1)), 0);
	route_free(&t);
	/* drop the trailing newline */
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf) - 1), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 2, 0, 1)), 1);
	route_free(&t);
}
END_TEST

START_TEST(test_long_line)
{
	/* a line longer than the parser's line buffer: its fields come
	 * first, so it parses, and the next line is still found */
	char buf[4096], pad[1001];
	struct route_table t;
	size_t len;

	memset(pad, ' ', 1000);
	pad[1000] = '\0';
	t_header(buf, sizeof(buf));
	len = strlen(buf);
	snprintf(buf + len, sizeof(buf) - len,
	    "eth0\t0000010A\t00000000\t0001\t0\t0\t0\t0000FFFF%s\n", pad);
	t_line(buf, sizeof(buf), "eth0", T_IP(10, 2, 0, 0), 0, 0x0001, 0,
	    0xffff0000u);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.e[1].dst, T_IP(10, 2, 0, 0));
	route_free(&t);
}
END_TEST

START_TEST(test_many)
{
	/* more routes than the first allocation: 100 connected /30s */
	static char buf[32768];
	struct route_table t;
	uint32_t i;

	t_header(buf, sizeof(buf));
	for (i = 0; i < 100; i++)
		t_line(buf, sizeof(buf), "eth0", T_IP(10, 0, 0, 0) + 4 * i,
		    0, i % 2 ? 0x0003 : 0x0001, 0, 0xfffffffcu);
	ck_assert_int_eq(route_parse(&t, buf, strlen(buf)), 0);
	ck_assert_uint_eq(t.n, 100);
	for (i = 0; i < 100; i++) {
		ck_assert_uint_eq(t.e[i].dst, T_IP(10, 0, 0, 0) + 4 * i);
		ck_assert_int_eq(route_onlink(&t, T_IP(10, 0, 0, 1) + 4 * i),
		    i % 2 == 0);
	}
	ck_assert_int_eq(route_onlink(&t, T_IP(10, 0, 1, 144)), 0);
	route_free(&t);
}
END_TEST

START_TEST(test_load)
{
	/* route_load sees the same table as parsing the file by hand */
	struct route_table a, b;
	FILE *f = fopen("/proc/net/route", "r");
	static char buf[1 << 20];
	size_t len, i;

	if (f == NULL)
		return;   /* no procfs: nothing to compare with */
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_int_eq(route_load(&a), 0);
	ck_assert_int_eq(route_parse(&b, buf, len), 0);
	ck_assert_uint_eq(a.n, b.n);
	for (i = 0; i < a.n; i++) {
		ck_assert_uint_eq(a.e[i].dst, b.e[i].dst);
		ck_assert_uint_eq(a.e[i].mask, b.e[i].mask);
		ck_assert_int_eq(a.e[i].gateway, b.e[i].gateway);
		ck_assert_int_eq(a.e[i].reject, b.e[i].reject);
	}
	route_free(&a);
	route_free(&b);
}
END_TEST

Suite *
route_suite(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_fields);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	tcase_add_test(tc, test_parse_literal);
#endif
	tcase_add_loop_test(tc, test_lpm, 0,
	    2 * (int)(sizeof(t_lpm) / sizeof(t_lpm[0])));
	tcase_add_test(tc, test_no_match);
	tcase_add_test(tc, test_default_alone);
	tcase_add_test(tc, test_dst_masked);
	tcase_add_test(tc, test_malformed_skipped);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_len_and_last_line);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);
	return s;
}
