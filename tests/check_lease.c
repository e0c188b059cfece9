/* check_lease.c - unit tests for the DHCP lease file parsers */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "lease.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *lease_suite(void);

/* "now" of every table: 2026-11-28 12:00:00 UTC */
#define T_NOW 1795867200LL

/*
 * t_active -- the addresses of TEXT's leases active at T_NOW, joined
 * with ",", into BUF; -1 with ERR when the parse failed
 */
static int
t_active(unsigned format, const char *text, size_t len, char *buf,
    size_t buflen, char *err, size_t errlen)
{
	struct lease_list l;
	char a[ADDR_STRLEN];
	size_t k, n = 0;

	buf[0] = '\0';
	if (lease_parse(&l, format, "t", text, len, err, errlen) < 0)
		return -1;
	for (k = 0; k < l.n; k++) {
		if (!lease_active(&l.v[k], T_NOW, LEASE_GRACE_S))
			continue;
		n += (size_t)snprintf(buf + n, buflen - n, "%s%s",
		    n > 0 ? "," : "", addr_format(l.v[k].addr, a));
	}
	lease_free(&l);
	return 0;
}

static const char t_isc[] =
    "# The format of this file is documented in the dhcpd.leases(5) manual"
    " page.\n"
    "# This lease file was written by isc-dhcp-4.4.3\n"
    "\n"
    "# authoring-byte-order entry is generated, DO NOT DELETE\n"
    "authoring-byte-order little-endian;\n"
    "server-duid \"\\000\\001\\000\\001,\\221\";\n"
    "failover peer \"dhcp\" state {\n"
    "  my state normal at 4 2026/11/26 10:00:00;\n"
    "  partner state normal at 4 2026/11/26 10:00:00;\n"
    "}\n"
    "lease 10.0.0.10 {\n"
    "  starts 5 2026/11/27 12:00:00;\n"
    "  ends 0 2026/11/29 12:00:00;\n"
    "  cltt 5 2026/11/27 12:00:00;\n"
    "  binding state active;\n"
    "  next binding state free;\n"
    "  rewind binding state free;\n"
    "  hardware ethernet 52:54:00:12:34:56;\n"
    "  uid \"\\001RT\\000\\0224V\";\n"
    "  client-hostname \"laptop\";\n"
    "  on expiry { set x = \"y\"; }\n"
    "}\n"
    "lease 10.0.0.11 {\n"           /* ended a day ago */
    "  ends 5 2026/11/27 12:00:00;\n"
    "  binding state active;\n"
    "}\n"
    "lease 10.0.0.12 {\n"           /* ended 30 minutes ago: grace */
    "  ends 6 2026/11/28 11:30:00;\n"
    "  binding state active;\n"
    "}\n"
    "lease 10.0.0.13 {\n"           /* ended an hour and a second ago */
    "  ends 6 2026/11/28 10:59:59;\n"
    "  binding state active;\n"
    "}\n"
    "lease 10.0.0.14 {\n"           /* free, though it ends later */
    "  ends 0 2026/11/29 12:00:00;\n"
    "  binding state free;\n"
    "}\n"
    "lease 10.0.0.15 { ends never; binding state active; }\n"
    "lease 10.0.0.16 {\n"           /* db-time-format local */
    "  ends epoch 1795953600; # Sun Nov 29 07:00:00 2026\n"
    "  binding state active;\n"
    "}\n"
    "lease 10.0.0.17 { ends epoch 1795953600; binding state abandoned; }\n"
    "lease 10.0.0.18 { ends epoch 1795953600; binding state released; }\n"
    "lease 10.0.0.19 { ends epoch 1795953600; binding state active; }\n"
    "lease 10.0.0.19 { ends epoch 1795953600; binding state free; }\n"
    "lease 10.0.0.20 { ends epoch 1795953600; binding state free; }\n"
    "lease 10.0.0.20 { ends epoch 1795953600; binding state active; }\n"
    "lease 10.0.0.21 { ends 0 2026/11/29 12:00:00; }\n"   /* no state */
    "host fixed { hardware ethernet 00:00:00:00:00:01; "
    "fixed-address 10.0.0.99; }\n";

static const char t_kea[] =
    "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,"
    "fqdn_rev,hostname,state,user_context,pool_id\n"
    "10.0.0.30,52:54:00:00:00:30,01:02,3600,1795953600,1,0,0,pc30,0,,0\n"
    "10.0.0.31,52:54:00:00:00:31,,3600,1795780800,1,0,0,,0,,0\n"
    "10.0.0.32,52:54:00:00:00:32,,3600,1795953600,1,0,0,,2,,0\n"
    "10.0.0.33,,,3600,1795953600,1,0,0,,1,,0\n"
    "10.0.0.34,,,4294967295,1000,1,0,0,a&#x2cb,0,,0\n"
    "10.0.0.35,,,3600,1795953600,1,0,0,,0,,0\n"
    "10.0.0.35,,,0,1795953600,1,0,0,,0,,0\n"
    "10.0.0.36,,,3600,1795953600,1,0,0,,3,,0\n";

static const char t_dnsmasq[] =
    "1795953600 52:54:00:00:00:40 10.0.0.40 pc40 01:52:54:00:00:00:40\n"
    "1795780800 52:54:00:00:00:41 10.0.0.41 * *\n"
    "0 52:54:00:00:00:42 10.0.0.42 static *\n"
    "1795866000 52:54:00:00:00:43 10.0.0.43 * *\n"
    "duid 00:01:00:01:2c:91:a3:3c:52:54:00:00:00:01\n"
    "1795953600 1234 fd00::5 pc6 00:01:00:01\n";

/* Good files, and the addresses active at T_NOW. */
static const struct {
	unsigned format;
	const char *text;
	const char *active;
	unsigned detected;
} t_good[] = {
	{ LEASE_ISC, t_isc, "10.0.0.10,10.0.0.12,10.0.0.15,10.0.0.16,"
	    "10.0.0.17,10.0.0.20,10.0.0.21", LEASE_ISC },
	{ LEASE_AUTO, t_isc, "10.0.0.10,10.0.0.12,10.0.0.15,10.0.0.16,"
	    "10.0.0.17,10.0.0.20,10.0.0.21", LEASE_ISC },
	{ LEASE_KEA, t_kea, "10.0.0.30,10.0.0.33,10.0.0.34", LEASE_KEA },
	{ LEASE_AUTO, t_kea, "10.0.0.30,10.0.0.33,10.0.0.34", LEASE_KEA },
	{ LEASE_DNSMASQ, t_dnsmasq, "10.0.0.40,10.0.0.42,10.0.0.43",
	    LEASE_DNSMASQ },
	{ LEASE_AUTO, t_dnsmasq, "10.0.0.40,10.0.0.42,10.0.0.43",
	    LEASE_DNSMASQ },
	{ LEASE_AUTO, "", "", LEASE_ISC },
	{ LEASE_AUTO, "\n\n", "", LEASE_ISC },
	{ LEASE_ISC, "lease 10.1.1.1 {}\n", "10.1.1.1", LEASE_ISC },
	{ LEASE_ISC, "lease 10.1.1.1 { ends 4 2026/11/29 12:00:00; }",
	    "10.1.1.1", LEASE_ISC },
	{ LEASE_AUTO, "lease 10.1.1.1 {\r\n ends never;\r\n}\r\n",
	    "10.1.1.1", LEASE_ISC },
	{ LEASE_KEA, "address,expire\n10.1.1.2,1795953600\n\n", "10.1.1.2",
	    LEASE_KEA },
	{ LEASE_KEA, "address,expire\r\n10.1.1.2,1795953600\r\n", "10.1.1.2",
	    LEASE_KEA },
	{ LEASE_KEA, "address,duid,expire\nfd00::1,00:01,1795953600\n", "",
	    LEASE_KEA },
	{ LEASE_DNSMASQ, "1795953600 aa 10.1.1.3 h\n", "10.1.1.3",
	    LEASE_DNSMASQ },
	{ LEASE_DNSMASQ, "1795953600 aa 10.1.1.3 h c", "10.1.1.3",
	    LEASE_DNSMASQ },
};

START_TEST(test_good)
{
	char buf[512], err[256];
	struct lease_list l;

	err[0] = '\0';
	ck_assert_msg(t_active(t_good[_i].format, t_good[_i].text,
	    strlen(t_good[_i].text), buf, sizeof(buf), err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_str_eq(buf, t_good[_i].active);
	ck_assert_int_eq(lease_parse(&l, t_good[_i].format, "t",
	    t_good[_i].text, strlen(t_good[_i].text), err, sizeof(err)), 0);
	ck_assert_uint_eq(l.format, t_good[_i].detected);
	lease_free(&l);
}
END_TEST

/* Bad files, and the start of the message each gives. */
static const struct {
	unsigned format;
	const char *text;
	const char *err;
} t_bad[] = {
	{ LEASE_AUTO, "hello world\n", "t:1: not a lease file" },
	{ LEASE_AUTO, "<html>", "t:1: not a lease file" },
	{ LEASE_ISC, "lease 10.0.0.1 {\n ends never;\n", "t:1: lease without "
	    "its closing '}'" },
	{ LEASE_ISC, "lease 10.0.0.1 {\n on commit {\n", "t:2: the block "
	    "opened here has no end" },
	{ LEASE_ISC, "lease 10.0.0.256 { }", "t:1: invalid lease address "
	    "'10.0.0.256'" },
	{ LEASE_ISC, "lease fe80::1 { }", "t:1: invalid lease address" },
	{ LEASE_ISC, "lease 10.0.0.1 ends never;", "t:1: expected '{'" },
	{ LEASE_ISC, "lease", "t:1: invalid lease address ''" },
	{ LEASE_ISC, "lease 10.0.0.1 {\n ends 4 2026/13/01 00:00:00;\n}",
	    "t:2: invalid end time '4'" },
	{ LEASE_ISC, "lease 10.0.0.1 { ends 4 2026/02/29 00:00:00; }",
	    "t:1: invalid end time" },
	{ LEASE_ISC, "lease 10.0.0.1 { ends 4 2026/11/29 24:00:00; }",
	    "t:1: invalid end time" },
	{ LEASE_ISC, "lease 10.0.0.1 { ends 4 2026/11/29; }",
	    "t:1: invalid end time" },
	{ LEASE_ISC, "lease 10.0.0.1 { ends 4 2026/11/29 12:00:00x; }",
	    "t:1: invalid end time" },
	{ LEASE_ISC, "lease 10.0.0.1 { ends epoch -5; }",
	    "t:1: invalid end time" },
	{ LEASE_ISC, "lease 10.0.0.1 { ends sometime; }",
	    "t:1: invalid end time" },
	{ LEASE_ISC, "lease 10.0.0.1 { ends never }", "t:1: statement "
	    "without its ';'" },
	{ LEASE_ISC, "lease 10.0.0.1 {\n client-hostname \"abc;\n}\n",
	    "t:2: unterminated string" },
	{ LEASE_ISC, "}\n", "t:1: '}' without its block" },
	{ LEASE_ISC, "\n\nfailover peer \"x\" state {\n", "t:3: the block" },
	{ LEASE_KEA, "address,hwaddr\n10.0.0.1,aa\n", "t:1: not a Kea lease "
	    "file header" },
	{ LEASE_KEA, "hwaddr,address,expire\n", "t:1: not a Kea lease file" },
	{ LEASE_KEA, "address,expire\n10.0.0.1,1,2\n", "t:2: 3 fields, the "
	    "header has 2" },
	{ LEASE_KEA, "address,expire\n10.0.0.1\n", "t:2: 1 fields" },
	{ LEASE_KEA, "address,expire\n10.0.0.300,1\n", "t:2: invalid address "
	    "'10.0.0.300'" },
	{ LEASE_KEA, "address,expire\n10.0.0.1,\n", "t:2: invalid expire ''" },
	{ LEASE_KEA, "address,expire\n10.0.0.1,17x\n", "t:2: invalid expire" },
	{ LEASE_KEA, "address,expire,state\n10.0.0.1,1,x\n", "t:2: invalid "
	    "state 'x'" },
	{ LEASE_KEA, "address,expire,valid_lifetime\n10.0.0.1,1,-1\n",
	    "t:2: invalid valid_lifetime" },
	{ LEASE_DNSMASQ, "1795953600 aa 10.0.0.1\n", "t:1: 3 fields" },
	{ LEASE_DNSMASQ, "1 a 10.0.0.1 h c x\n", "t:1: 6 fields" },
	{ LEASE_DNSMASQ, "\n1795953600x aa 10.0.0.1 h c\n", "t:2: invalid "
	    "expiry" },
	{ LEASE_DNSMASQ, "1795953600 aa 10.0.0 h c\n", "t:1: invalid address "
	    "'10.0.0'" },
	{ LEASE_DNSMASQ, "1795953600  aa 10.0.0.1 h\n", "t:1: invalid address "
	    "'aa'" },
	{ LEASE_DNSMASQ, "1795953600 aa 10.0.0.1 h\n1795953600 aa\n",
	    "t:2: 2 fields" },
};

START_TEST(test_bad)
{
	struct lease_list l;
	char err[256];

	err[0] = '\0';
	ck_assert_int_eq(lease_parse(&l, t_bad[_i].format, "t", t_bad[_i].text,
	    strlen(t_bad[_i].text), err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, t_bad[_i].err, strlen(t_bad[_i].err)) == 0,
	    "got '%s', want '%s...'", err, t_bad[_i].err);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.v);
}
END_TEST

/* The details of one lease: hostname, MAC, end. */
START_TEST(test_details)
{
	struct lease_list l;
	char err[256];

	ck_assert_int_eq(lease_parse(&l, LEASE_AUTO, "t", t_isc, strlen(t_isc),
	    err, sizeof(err)), 0);
	ck_assert_uint_eq(l.n, 12);
	ck_assert_str_eq(l.v[0].host, "laptop");
	ck_assert_str_eq(l.v[0].mac, "52:54:00:12:34:56");
	ck_assert_int_eq(l.v[0].ends, 1795953600);
	ck_assert_uint_eq(l.v[0].line, 11);
	ck_assert_int_eq(l.v[5].ends, LEASE_FOREVER);
	lease_free(&l);
	ck_assert_int_eq(lease_parse(&l, LEASE_AUTO, "t", t_kea, strlen(t_kea),
	    err, sizeof(err)), 0);
	ck_assert_str_eq(l.v[0].host, "pc30");
	ck_assert_str_eq(l.v[0].mac, "52:54:00:00:00:30");
	ck_assert_str_eq(l.v[4].host, "a,b");
	ck_assert_int_eq(l.v[4].ends, LEASE_FOREVER);
	ck_assert_uint_eq(l.v[0].line, 2);
	lease_free(&l);
	ck_assert_int_eq(lease_parse(&l, LEASE_AUTO, "t", t_dnsmasq,
	    strlen(t_dnsmasq), err, sizeof(err)), 0);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(l.v[0].host, "pc40");
	ck_assert_str_eq(l.v[1].host, "");
	ck_assert_int_eq(l.v[2].ends, LEASE_FOREVER);
	ck_assert_uint_eq(l.v[3].line, 4);
	lease_free(&l);
}
END_TEST

/* lease_timegm against dates whose epoch is known, and bad dates. */
static const struct {
	int y, mo, d, h, mi, s;
	long long want;
} t_dates[] = {
	{ 1970, 1, 1, 0, 0, 0, 0 },
	{ 2026, 11, 29, 12, 0, 0, 1795953600LL },
	{ 2000, 2, 29, 0, 0, 0, 951782400LL },
	{ 2024, 12, 31, 23, 59, 59, 1735689599LL },
	{ 2038, 1, 19, 3, 14, 8, 2147483648LL },
	{ 9999, 12, 31, 23, 59, 59, 253402300799LL },
	{ 1969, 12, 31, 23, 59, 59, -1 },
	{ 2001, 2, 29, 0, 0, 0, -1 },
	{ 1900, 2, 29, 0, 0, 0, -1 },
	{ 2026, 4, 31, 0, 0, 0, -1 },
	{ 2026, 0, 1, 0, 0, 0, -1 },
	{ 2026, 1, 0, 0, 0, 0, -1 },
	{ 2026, 1, 1, 0, 60, 0, -1 },
	{ 2026, 1, 1, -1, 0, 0, -1 },
	{ 10000, 1, 1, 0, 0, 0, -1 },
};

START_TEST(test_timegm)
{
	ck_assert_int_eq(lease_timegm(t_dates[_i].y, t_dates[_i].mo,
	    t_dates[_i].d, t_dates[_i].h, t_dates[_i].mi, t_dates[_i].s),
	    t_dates[_i].want);
}
END_TEST

/* ISC's dates are UTC whatever the local time zone says. */
START_TEST(test_time_zones)
{
	static const char *const zones[] = { "UTC", "America/New_York",
		"Asia/Kolkata", "Pacific/Chatham", "EST5EDT", "XYZ-14" };
	static const char text[] = "lease 10.2.0.1 { ends 0 2026/11/29 "
	    "12:00:00; }\nlease 10.2.0.2 { ends epoch 1795953600; }\n";
	struct lease_list l;
	char err[256];
	size_t z;

	for (z = 0; z < NELEM(zones); z++) {
		setenv("TZ", zones[z], 1);
		tzset();
		ck_assert_int_eq(lease_parse(&l, LEASE_ISC, "t", text,
		    strlen(text), err, sizeof(err)), 0);
		ck_assert_uint_eq(l.n, 2);
		ck_assert_int_eq(l.v[0].ends, 1795953600);
		ck_assert_int_eq(l.v[1].ends, 1795953600);
		lease_free(&l);
	}
	unsetenv("TZ");
	tzset();
}
END_TEST

/* lease_active at the edges of the grace, and ends never. */
START_TEST(test_active_edges)
{
	struct lease l;

	memset(&l, 0, sizeof(l));
	l.held = 1;
	l.ends = T_NOW - LEASE_GRACE_S;
	ck_assert_int_eq(lease_active(&l, T_NOW, LEASE_GRACE_S), 0);
	l.ends++;
	ck_assert_int_eq(lease_active(&l, T_NOW, LEASE_GRACE_S), 1);
	ck_assert_int_eq(lease_active(&l, T_NOW, 0), 0);
	l.ends = T_NOW + 1;
	ck_assert_int_eq(lease_active(&l, T_NOW, 0), 1);
	l.held = 0;
	ck_assert_int_eq(lease_active(&l, T_NOW, 0), 0);
	l.held = 1;
	l.ends = LEASE_FOREVER;
	ck_assert_int_eq(lease_active(&l, INT64_MAX - 1, LEASE_GRACE_S), 1);
}
END_TEST

/*
 * Every prefix of each good file: no crash, and either an error naming
 * the file or leases of addresses the file holds.  (A prefix cut between
 * two ISC blocks is a valid file: there an earlier entry is the last.)
 * A cut inside the last lease block of the ISC file is an error.
 */
START_TEST(test_truncated)
{
	static const char *const files[] = { t_isc, t_kea, t_dnsmasq };
	char full[512], part[512], err[256];
	size_t f, cut, nfull, npart;

	for (f = 0; f < NELEM(files); f++) {
		size_t len = strlen(files[f]);

		ck_assert_int_eq(t_active(LEASE_AUTO, files[f], len, full,
		    sizeof(full), err, sizeof(err)), 0);
		nfull = strlen(full) > 0;
		for (cut = 0; cut < len; cut++) {
			char *copy = malloc(cut + 1);

			memcpy(copy, files[f], cut);
			if (t_active(LEASE_AUTO, copy, cut, part, sizeof(part),
			    err, sizeof(err)) == 0) {
				/* each address active in the part is active
				   in the whole: nothing invented */
				char *tok, *save = NULL;

				for (tok = strtok_r(part, ",", &save);
				    tok != NULL; tok = strtok_r(NULL, ",",
				    &save))
					ck_assert_msg(strstr(files[f], tok) !=
					    NULL, "cut %zu: %s", cut, tok);
				ck_assert_msg(f != 0 || cut <
				    (size_t)(strstr(t_isc, "lease 10.0.0.21") -
				    t_isc) + 5 || cut + 1 >= (size_t)(strstr(t_isc,
				    "host fixed") - t_isc), "cut %zu inside the"
				    " last lease parsed", cut);
			} else
				ck_assert_msg(strncmp(err, "t:", 2) == 0, "%s",
				    err);
			free(copy);
		}
		npart = nfull;
		ck_assert_uint_eq(npart, 1);
	}
}
END_TEST

/* A file of 200000 leases, and a hostname far longer than kept. */
START_TEST(test_huge)
{
	enum { N = 200000 };
	struct lease_list l;
	char *buf, err[256];
	size_t len = 0, cap = (size_t)N * 64 + 20000, k;

	buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	for (k = 0; k < N; k++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "%lld aa:bb 10.%u.%u.%u h%zu *\n", T_NOW + 100,
		    (unsigned)(k >> 16) & 0xff, (unsigned)(k >> 8) & 0xff,
		    (unsigned)k & 0xff, k);
	len += (size_t)snprintf(buf + len, cap - len, "0 aa 11.0.0.1 ");
	memset(buf + len, 'x', 10000);
	len += 10000;
	buf[len++] = '\n';
	ck_assert_int_eq(lease_parse(&l, LEASE_AUTO, "t", buf, len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(l.format, LEASE_DNSMASQ);
	ck_assert_uint_eq(l.n, N + 1);
	ck_assert_uint_eq(strlen(l.v[N].host), LEASE_TEXT_MAX - 1);
	for (k = 1; k < l.n; k++)
		ck_assert_uint_lt(l.v[k - 1].addr, l.v[k].addr);
	lease_free(&l);
	free(buf);
}
END_TEST

/* Bytes a hostname may not carry to a terminal are replaced. */
START_TEST(test_control_bytes)
{
	static const char text[] = "lease 10.3.0.1 { client-hostname "
	    "\"a\\\"b\x1b[2Jc\"; hardware ethernet \x7f; }";
	struct lease_list l;
	char err[256];

	ck_assert_int_eq(lease_parse(&l, LEASE_ISC, "t", text, strlen(text),
	    err, sizeof(err)), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].host, "a\\\"b?[2Jc");
	ck_assert_str_eq(l.v[0].mac, "?");
	lease_free(&l);
}
END_TEST

START_TEST(test_format_names)
{
	ck_assert_int_eq(lease_format_parse("isc", 3), LEASE_ISC);
	ck_assert_int_eq(lease_format_parse("kea", 3), LEASE_KEA);
	ck_assert_int_eq(lease_format_parse("dnsmasq", 7), LEASE_DNSMASQ);
	ck_assert_int_eq(lease_format_parse("auto", 4), LEASE_AUTO);
	ck_assert_int_eq(lease_format_parse("dns", 3), -1);
	ck_assert_int_eq(lease_format_parse("ISC", 3), -1);
	ck_assert_str_eq(lease_format_name(LEASE_KEA), "kea");
	ck_assert_str_eq(lease_format_name(LEASE_FORMAT_MAX), "?");
}
END_TEST

Suite *
lease_suite(void)
{
	Suite *s = suite_create("lease");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_good, 0, (int)NELEM(t_good));
	tcase_add_loop_test(tc, test_bad, 0, (int)NELEM(t_bad));
	tcase_add_test(tc, test_details);
	tcase_add_loop_test(tc, test_timegm, 0, (int)NELEM(t_dates));
	tcase_add_test(tc, test_time_zones);
	tcase_add_test(tc, test_active_edges);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_huge);
	tcase_add_test(tc, test_control_bytes);
	tcase_add_test(tc, test_format_names);
	suite_add_tcase(s, tc);
	return s;
}
