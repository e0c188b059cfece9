/* check_ipamcsv.c - unit tests for the IPAM CSV export parser */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "ipamcsv.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *ipamcsv_suite(void);

/*
 * t_held -- "ADDR=NAME" of each entry of TEXT that holds its address,
 * joined with ";", into BUF; -1 with ERR when the parse failed
 */
static int
t_held(const char *text, size_t len, char *buf, size_t buflen, char *err,
    size_t errlen)
{
	struct ipamcsv_list l;
	char a[ADDR_STRLEN];
	size_t k, n = 0;

	buf[0] = '\0';
	if (ipamcsv_parse(&l, "t.csv", text, len, err, errlen) < 0)
		return -1;
	for (k = 0; k < l.n && n < buflen; k++)
		n += (size_t)snprintf(buf + n, buflen - n, "%s%s=%s",
		    n > 0 ? ";" : "", addr_format(l.v[k].addr, a),
		    l.v[k].name);
	ipamcsv_free(&l);
	return 0;
}

/* NetBox's IP address export (a subset of its columns). */
static const char t_netbox[] =
    "IP Address,VRF,Status,Role,Tenant,Assigned,DNS Name,Description\r\n"
    "10.9.0.1/24,,Active,Anycast,,True,gw.example.net,the gateway\r\n"
    "10.9.0.2/24,,Reserved,,,False,,\"printer, 2nd floor\"\r\n"
    "10.9.0.3/24,,Deprecated,,,False,old.example.net,\r\n"
    "10.9.0.4/24,,DHCP,,,False,,\r\n"
    "10.9.0.5/24,,SLAAC,,,False,\"vip\"\"1\",\r\n"
    "2001:db8::1/64,,Active,,,False,v6.example.net,\r\n";

/* phpIPAM's subnet export. */
static const char t_phpipam[] =
    "ip_addr,hostname,description,mac,owner,state,switch,port,note\n"
    "10.9.1.10,srv10,web,00:11:22:33:44:55,ops,Active,,,\n"
    "10.9.1.11,,\"multi\nline\",,,Offline,,,\n"
    "10.9.1.12,free12,,,,free,,,\n"
    "10.9.1.13,used13,,,,Used,,,\n"
    "10.9.1.14,av,,,,AVAILABLE,,,\n";

static const struct {
	const char *text;
	const char *held;
} t_good[] = {
	{ t_netbox, "10.9.0.1=gw.example.net;10.9.0.2=printer, 2nd floor;"
	    "10.9.0.4=;10.9.0.5=vip\"1" },
	{ t_phpipam, "10.9.1.10=srv10;10.9.1.11=multi?line;10.9.1.13=used13" },
	{ "address\n10.0.0.1\n", "10.0.0.1=" },
	{ "\xef\xbb\xbf" "Address,Name\n10.0.0.1/32,a\n", "10.0.0.1=a" },
	{ "address,status\n10.0.0.1,\n\n10.0.0.2,deprecated\n", "10.0.0.1=" },
	{ "address,status\n", "" },
	{ "address,status\n10.0.0.1,active", "10.0.0.1=" },
	{ "description,address\nd,10.0.0.1\n", "10.0.0.1=d" },
	{ "description,name,address\nd,n,10.0.0.1\n", "10.0.0.1=n" },
	{ "address,x\n\" 10.0.0.7 \",\"\"\n", "10.0.0.7=" },
	{ "address\nfe80::1\n", "" },
};

START_TEST(test_good)
{
	char buf[1024], err[256];

	err[0] = '\0';
	ck_assert_msg(t_held(t_good[_i].text, strlen(t_good[_i].text), buf,
	    sizeof(buf), err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(buf, t_good[_i].held);
}
END_TEST

static const struct {
	const char *text;
	const char *err;
} t_bad[] = {
	{ "", "t.csv:1: empty file: no header" },
	{ "name,status\nx,y\n", "t.csv:1: no address column" },
	{ "address,status\n10.0.0.1\n", "t.csv:2: 1 fields, the header has 2" },
	{ "address\n10.0.0.1,x\n", "t.csv:2: 2 fields" },
	{ "address\n10.0.0.256\n", "t.csv:2: invalid address '10.0.0.256'" },
	{ "address\n10.0.0.1/33\n", "t.csv:2: invalid address" },
	{ "address\n10.0.0.1/\n", "t.csv:2: invalid address" },
	{ "address\n10.0.0.1/2x\n", "t.csv:2: invalid address" },
	{ "address\nhost.example\n", "t.csv:2: invalid address" },
	{ "address\n,\n", "t.csv:2: 2 fields" },
	{ "address\n\"\"\n", "t.csv:2: invalid address ''" },
	{ "address,name\n10.0.0.1,\"open\n", "t.csv:2: unterminated quoted" },
	{ "address,name\n\n\n10.0.0.1,\"a\"b\n", "t.csv:4: text after a quoted "
	    "field" },
	{ "address,name\n10.0.0.1,\"a\nb\nc\"\n10.0.0.x,d\n", "t.csv:5: invalid "
	    "address" },
};

START_TEST(test_bad)
{
	struct ipamcsv_list l;
	char err[256];

	err[0] = '\0';
	ck_assert_int_eq(ipamcsv_parse(&l, "t.csv", t_bad[_i].text,
	    strlen(t_bad[_i].text), err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, t_bad[_i].err, strlen(t_bad[_i].err)) == 0,
	    "got '%s', want '%s...'", err, t_bad[_i].err);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.v);
}
END_TEST

static const struct {
	const char *word;
	int free;
} t_status[] = {
	{ "free", 1 }, { "Free", 1 }, { "AVAILABLE", 1 }, { "deprecated", 1 },
	{ "Deprecated", 1 }, { "active", 0 }, { "reserved", 0 }, { "dhcp", 0 },
	{ "offline", 0 }, { "", 0 }, { "freed", 0 }, { "fre", 0 },
};

START_TEST(test_status)
{
	ck_assert_int_eq(ipamcsv_status_free(t_status[_i].word,
	    strlen(t_status[_i].word)), t_status[_i].free);
}
END_TEST

/* Every prefix of the exports: no crash, an error naming the file or
   entries the file holds. */
START_TEST(test_truncated)
{
	static const char *const files[] = { t_netbox, t_phpipam };
	char buf[1024], err[256];
	size_t f, cut;

	for (f = 0; f < NELEM(files); f++)
		for (cut = 0; cut < strlen(files[f]); cut++) {
			char *copy = malloc(cut + 1);

			memcpy(copy, files[f], cut);
			if (t_held(copy, cut, buf, sizeof(buf), err,
			    sizeof(err)) < 0)
				ck_assert_msg(strncmp(err, "t.csv:", 6) == 0,
				    "%s", err);
			free(copy);
		}
}
END_TEST

/* 100000 rows, and a name longer than kept. */
START_TEST(test_huge)
{
	enum { N = 100000 };
	struct ipamcsv_list l;
	char *buf, err[256];
	size_t len = 0, cap = (size_t)N * 48 + 8192, k;

	buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	len += (size_t)snprintf(buf, cap, "address,status,dns_name\n");
	for (k = 0; k < N; k++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "10.%u.%u.%u/8,%s,h%zu\n", (unsigned)(k >> 16) & 0xff,
		    (unsigned)(k >> 8) & 0xff, (unsigned)k & 0xff,
		    k % 2 ? "active" : "deprecated", k);
	len += (size_t)snprintf(buf + len, cap - len, "11.0.0.1,active,");
	memset(buf + len, 'n', 5000);
	len += 5000;
	ck_assert_int_eq(ipamcsv_parse(&l, "t.csv", buf, len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(l.n, N / 2 + 1);
	ck_assert_str_eq(l.v[0].name, "h1");
	ck_assert_str_eq(l.v[0].status, "active");
	ck_assert_uint_eq(l.v[0].line, 3);
	ck_assert_uint_eq(strlen(l.v[N / 2].name), IPAMCSV_TEXT_MAX - 1);
	ipamcsv_free(&l);
	free(buf);
}
END_TEST

Suite *
ipamcsv_suite(void)
{
	Suite *s = suite_create("ipamcsv");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_good, 0, (int)NELEM(t_good));
	tcase_add_loop_test(tc, test_bad, 0, (int)NELEM(t_bad));
	tcase_add_loop_test(tc, test_status, 0, (int)NELEM(t_status));
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_huge);
	suite_add_tcase(s, tc);
	return s;
}
