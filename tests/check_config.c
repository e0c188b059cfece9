/* check_config.c - unit tests for the ranges.conf grammar and file lookup */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "lease.h"

Suite *config_suite(void);

#ifndef IPSWEEP_SYSCONFDIR
#define IPSWEEP_SYSCONFDIR "/etc"
#endif

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A config text with an explicit length, so that it can hold a NUL. */
struct text {
	const char *s;
	size_t len;
	const char *want;   /* the dump, or the error message */
};

#define T(lit, want) { lit, sizeof(lit) - 1, want }

/*
 * dump -- a config as text: "name@line: lo-hi ... / lo-hi ...;" per range
 * (include / exclude, dotted quads), so one string comparison checks the
 * names, the line numbers and every span.
 */
static const char *
dump(const struct config *cfg)
{
	static char buf[4096];
	size_t i, j, o = 0;

	buf[0] = '\0';
#define OUT(...) (o += (size_t)snprintf(buf + o, sizeof(buf) - o, \
	__VA_ARGS__), o = o < sizeof(buf) ? o : sizeof(buf) - 1)
	for (i = 0; i < cfg->n; i++) {
		const struct config_range *r = &cfg->ranges[i];
		const struct targets_set *sets[2] = { &r->include,
			&r->exclude };
		int k;

		OUT("%s%s@%u:", i ? " " : "", r->name, r->line);
		for (k = 0; k < 2; k++) {
			if (k == 1)
				OUT(" /");
			for (j = 0; j < sets[k]->n; j++) {
				uint32_t lo = sets[k]->spans[j].lo;
				uint32_t hi = sets[k]->spans[j].hi;

				OUT(" %u.%u.%u.%u-%u.%u.%u.%u", lo >> 24,
				    lo >> 16 & 255, lo >> 8 & 255, lo & 255,
				    hi >> 24, hi >> 16 & 255, hi >> 8 & 255,
				    hi & 255);
			}
		}
		OUT(";");
	}
#undef OUT
	return buf;
}

static const struct text good_texts[] = {
	T("", ""),
	T("# only a comment\n\n   \n\t# another\n", ""),
	T("\n\n", ""),
	T("[a]\nrange = 10.0.0.1\n", "a@1: 10.0.0.1-10.0.0.1 /;"),
	T("[a]\nrange=10.0.0.1", "a@1: 10.0.0.1-10.0.0.1 /;"),
	T("  [a]  \n\trange\t=\t10.0.0.1\t\n", "a@1: 10.0.0.1-10.0.0.1 /;"),
	/* comments after a header and after values; a '#' hides the rest */
	T("[a] # the a range\nrange = 10.0.0.1-3 # not 10.0.0.9\n",
	    "a@1: 10.0.0.1-10.0.0.3 /;"),
	T("[a]\nrange = 10.0.0.1#, 10.0.0.9\n", "a@1: 10.0.0.1-10.0.0.1 /;"),
	/* commas and blanks, mixed */
	T("[a]\nrange = 10.0.0.1 10.0.0.3,10.0.0.5 ,\t10.0.0.7 , 10.0.0.9\n",
	    "a@1: 10.0.0.1-10.0.0.1 10.0.0.3-10.0.0.3 10.0.0.5-10.0.0.5"
	    " 10.0.0.7-10.0.0.7 10.0.0.9-10.0.0.9 /;"),
	/* lines add up, overlaps merge, excludes are kept apart */
	T("[a]\nrange = 10.0.0.0/30\nrange = 10.0.0.3-10\n"
	    "exclude = 10.0.0.5, 10.0.0.6\nexclude = 10.0.0.99\n",
	    "a@1: 10.0.0.1-10.0.0.10 / 10.0.0.5-10.0.0.6"
	    " 10.0.0.99-10.0.0.99;"),
	/* an excluded CIDR block is excluded whole, an included one not */
	T("[a]\nrange = 10.0.0.0/30, 10.0.1.0/31\nexclude = 10.0.0.0/30\n"
	    "exclude = 10.0.2.0/31, 10.0.3.1/32 10.0.4.0/24 0.0.0.0/0\n",
	    "a@1: 10.0.0.1-10.0.0.2 10.0.1.0-10.0.1.1 /"
	    " 0.0.0.0-255.255.255.255;"),
	T("[a]\nrange = 10.0.0.0/30\nexclude = 10.0.0.0/30 10.0.2.0/31\n"
	    "exclude = 10.0.3.1/32 10.0.4.0/24 10.0.5.0-10.0.5.9\n",
	    "a@1: 10.0.0.1-10.0.0.2 / 10.0.0.0-10.0.0.3 10.0.2.0-10.0.2.1"
	    " 10.0.3.1-10.0.3.1 10.0.4.0-10.0.5.9;"),
	/* the same address in two ranges stays in both */
	T("# x\n[a]\nrange = 1.2.3.4\n\n[b]\nrange = 1.2.3.4\n",
	    "a@2: 1.2.3.4-1.2.3.4 /; b@5: 1.2.3.4-1.2.3.4 /;"),
	T("[x.y-z_1:2]\nrange = 1.2.3.4\n",
	    "x.y-z_1:2@1: 1.2.3.4-1.2.3.4 /;"),
	T("[0123456789012345678901234567890123456789012345678901234567890123]"
	    "\nrange = 1.2.3.4\n",
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "@1: 1.2.3.4-1.2.3.4 /;"),
	/* a UTF-8 comment is fine */
	T("[a] # caf\xc3\xa9\nrange = 1.2.3.4\n", "a@1: 1.2.3.4-1.2.3.4 /;"),
};

START_TEST(test_parse_good)
{
	const struct text *t = &good_texts[_i];
	struct config cfg;
	char err[512] = "";

	ck_assert_msg(config_parse(&cfg, "t.conf", t->s, t->len, err,
	    sizeof(err)) == 0, "#%d: %s", _i, err);
	ck_assert_str_eq(dump(&cfg), t->want);
	ck_assert_str_eq(cfg.path, "t.conf");
	config_free(&cfg);
	ck_assert_ptr_null(cfg.ranges);
	ck_assert_uint_eq(cfg.n, 0);
}
END_TEST

static const struct text bad_texts[] = {
	T("range = 1.2.3.4\n",
	    "t.conf:1: key 'range' outside a [range] section"),
	T("# c\nexclude = 1.2.3.4\n[a]\n",
	    "t.conf:2: key 'exclude' outside a [range] section"),
	T("[a]\nfoo = 1\n", "t.conf:2: unknown key 'foo'"),
	T("[a]\nrange = 1.2.3.4\nfree-for = 3x\n",
	    "t.conf:3: invalid duration '3x' (such as 30d, 12h or 90m)"),
	T("free-for = 1d\n",
	    "t.conf:1: key 'free-for' outside a [range] section"),
	T("db = a\ndb = b\n", "t.conf:2: duplicate key 'db'"),
	T("db =  \n", "t.conf:1: empty value for 'db'"),
	T("[a]\nrange = 1.2.3.4\ndb = x\n",
	    "t.conf:3: key 'db' belongs in the settings, before the first "
	    "[range]"),
	T("[a]\nrange = 1.2.3.4\ntcp = 22,x\n",
	    "t.conf:3: invalid port 'x' in '22,x'"),
	T("tcp = 22\n", "t.conf:1: key 'tcp' outside a [range] section"),
	T("reserved = 1.2.3.4\n[a]\nrange = 1.2.3.4\n",
	    "t.conf:1: key 'reserved' outside a [range] section"),
	T("dhcp-pool = 1.2.3.4\n",
	    "t.conf:1: key 'dhcp-pool' outside a [range] section"),
	T("[a]\nrange = 1.2.3.4\ndhcp-leases = bind:/x\n",
	    "t.conf:3: unknown lease file format 'bind' (isc, kea, dnsmasq or "
	    "auto)"),
	T("[a]\nrange = 1.2.3.4\ndhcp-leases = \n",
	    "t.conf:3: empty value for 'dhcp-leases'"),
	T("[a]\nrange = 1.2.3.4\ndhcp-leases = kea: \n",
	    "t.conf:3: no file after the format in 'dhcp-leases'"),
	T("dns = maybe\n", "t.conf:1: 'dns' is 'yes' or 'no', not 'maybe'"),
	T("[a]\nrange = 1.2.3.4\nreserved = 1.2.3.4/33\n",
	    "t.conf:3: invalid prefix length in '1.2.3.4/33'"),
	T("canary = 1.2.3.4\n",
	    "t.conf:1: key 'canary' outside a [range] section"),
	T("[a]\nrange = 1.2.3.4\ncanary = 10.0.0.0/25\n",
	    "t.conf:1: range 'a' has more than 64 canaries"),
	T("[a]\nrange = 1.2.3.4\ncanary = 10.0.0.256\n",
	    "t.conf:3: invalid target '10.0.0.256'"),
	T("[a]\nRANGE = 1.2.3.4\n", "t.conf:2: unknown key 'RANGE'"),
	T("[a]\nra\x01ge = 1.2.3.4\n", "t.conf:2: unknown key 'ra\\x01ge'"),
	T("[a]\nrange =\n", "t.conf:2: empty value for 'range'"),
	T("[a]\nrange =   # nothing\n", "t.conf:2: empty value for 'range'"),
	T("[a]\n= 1.2.3.4\n", "t.conf:2: missing key before '='"),
	T("[a]\nrange 1.2.3.4\n",
	    "t.conf:2: expected '[name]' or 'key = value', "
	    "not 'range 1.2.3.4'"),
	T("[a]\nrange = 1.2.3.4\n[a]\nrange = 5.6.7.8\n",
	    "t.conf:3: duplicate range 'a' (first defined at line 1)"),
	T("\n[b]\nrange = 1.2.3.4\n[a]\nrange = 1.2.3.4\n\n\n[b] # again\n",
	    "t.conf:8: duplicate range 'b' (first defined at line 2)"),
	T("[a]\nrange = 10.1\n", "t.conf:2: invalid target '10.1'"),
	T("\n\n\n\n[a]\nrange=1.2.3.4\nrange = 1.2.3.4, 010.0.0.1\n",
	    "t.conf:7: invalid target '010.0.0.1'"),
	T("[a]\nrange = 10.0.0.9-10.0.0.1 # note\n",
	    "t.conf:2: reversed range '10.0.0.9-10.0.0.1'"),
	T("[a]\r\nrange = 10.0.0.1/24\r\n",
	    "t.conf:2: invalid target '10.0.0.1/24': host bits set"),
	T("[a]\nrange = 1.2.3.4/33\n",
	    "t.conf:2: invalid prefix length in '1.2.3.4/33'"),
	T("[a]\nrange = 1.2.3.4\x1b[31m\n",
	    "t.conf:2: invalid target '1.2.3.4\\x1b[31m'"),
	/* a CR that is not part of a line end is data */
	T("[a]\nrange = 1.2.3.4\r5.6.7.8\n",
	    "t.conf:2: invalid target '1.2.3.4\\x0d5.6.7.8'"),
	T("[a]\nrange = 1.2.3.4,,5.6.7.8\n",
	    "t.conf:2: empty target in '1.2.3.4,,5.6.7.8'"),
	T("[a]\nrange = 1.2.3.4 ,\n", "t.conf:2: empty target in '1.2.3.4 ,'"),
	T("[a]\nrange = , 1.2.3.4\n", "t.conf:2: empty target in ', 1.2.3.4'"),
	T("[]\n", "t.conf:1: empty range name"),
	T("[a b]\n", "t.conf:1: invalid range name 'a b'"),
	T("[a,b]\n", "t.conf:1: invalid range name 'a,b'"),
	T("[a]b]\n", "t.conf:1: invalid range name 'a]b'"),
	T("[a]\nrange = 1.2.3.4\n\n# c\n[b\x01]\n",
	    "t.conf:5: invalid range name 'b\\x01'"),
	T("[b\x7f\xff]\n", "t.conf:1: invalid range name 'b\\x7f\\xff'"),
	T("[a]\nrange = 1.2.3.4\n[a\n",
	    "t.conf:3: invalid section header '[a'"),
	T("[a] x\n", "t.conf:1: invalid section header '[a] x'"),
	T("[01234567890123456789012345678901234567890123456789012345678901234]"
	    "\n", "t.conf:1: range name '0123456789012345678901234567890123456"
	    "789012345678901234567890123...' longer than 64 characters"),
	T("[a]\n", "t.conf:1: range 'a' has no 'range =' line"),
	T("[a]\nrange = 1.2.3.4\n[b]\nexclude = 1.2.3.4\n",
	    "t.conf:3: range 'b' has no 'range =' line"),
	/* NUL bytes, with the line they are on, also inside a comment */
	T("[a]\nrange = 1.2.3.4\n# x\0y\n", "t.conf:3: NUL byte in line"),
	T("\0", "t.conf:1: NUL byte in line"),
	T("[a]\nrange = 1.2.3.4\0\n", "t.conf:2: NUL byte in line"),
	/* binary junk */
	T("\x7f" "ELF\x02\x01\x01\n", "t.conf:1: expected '[name]' or "
	    "'key = value', not '\\x7fELF\\x02\\x01\\x01'"),
};

START_TEST(test_parse_bad)
{
	const struct text *t = &bad_texts[_i];
	struct config cfg;
	char err[512] = "";

	ck_assert_msg(config_parse(&cfg, "t.conf", t->s, t->len, err,
	    sizeof(err)) == -1, "accepted bad config #%d", _i);
	ck_assert_str_eq(err, t->want);
	ck_assert_uint_eq(cfg.n, 0);
	ck_assert_ptr_null(cfg.ranges);
	ck_assert_ptr_null(cfg.path);
}
END_TEST

/* the same config with LF, CRLF and no final newline gives the same result */
START_TEST(test_line_ends)
{
	static const char *const lf = "# seed\n[a]\nrange = 10.0.0.1-9 # c\n"
	    "exclude = 10.0.0.5\n\n[b]\nrange = 10.0.1.0/30\n";
	static const char *const crlf = "# seed\r\n[a]\r\n"
	    "range = 10.0.0.1-9 # c\r\nexclude = 10.0.0.5\r\n\r\n[b]\r\n"
	    "range = 10.0.1.0/30\r\n";
	static const char *const want = "a@2: 10.0.0.1-10.0.0.9 /"
	    " 10.0.0.5-10.0.0.5; b@6: 10.0.1.1-10.0.1.2 /;";
	const char *texts[3] = { lf, crlf, lf };
	size_t lens[3] = { strlen(lf), strlen(crlf), strlen(lf) - 1 };
	struct config cfg;
	char err[512] = "";
	int i;

	for (i = 0; i < 3; i++) {
		ck_assert_msg(config_parse(&cfg, "t.conf", texts[i], lens[i],
		    err, sizeof(err)) == 0, "#%d: %s", i, err);
		ck_assert_str_eq(dump(&cfg), want);
		config_free(&cfg);
	}
	/* an error line number is the same with CRLF; CRLF without a final
	 * line end too */
	ck_assert_int_eq(config_parse(&cfg, "t.conf", "[a]\r\n\r\nx = 1\r",
	    13, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.conf:3: unknown key 'x'");
	ck_assert_int_eq(config_parse(&cfg, "t.conf", "[a]\r\nrange=1.2.3.4\r",
	    19, err, sizeof(err)), 0);
	ck_assert_str_eq(dump(&cfg), "a@1: 1.2.3.4-1.2.3.4 /;");
	config_free(&cfg);
}
END_TEST

/*
 * make_long -- "[a]\nrange = 1.2.3.4\n" then PREFIX padded with 'x' to
 * LEN bytes, then TAIL, a line end and "range = 5.6.7.8\n".  Caller frees.
 */
static char *
make_long(const char *prefix, size_t len, const char *tail, const char *eol,
    size_t *outlen)
{
	static const char head[] = "[a]\nrange = 1.2.3.4\n";
	static const char after[] = "range = 5.6.7.8\n";
	size_t n = strlen(head) + len + strlen(tail) + strlen(eol) +
	    strlen(after);
	char *s = malloc(n + 1), *p;

	ck_assert_ptr_nonnull(s);
	p = stpcpy(s, head);
	p = stpcpy(p, prefix);
	memset(p, 'x', len - strlen(prefix));
	p += len - strlen(prefix);
	p = stpcpy(p, tail);
	p = stpcpy(p, eol);
	stpcpy(p, after);
	*outlen = n;
	return s;
}

struct long_case {
	size_t pad;         /* line length before TAIL */
	const char *tail;
	const char *eol;
	int ok;
};

/*
 * A comment of exactly CONFIG_LINE_MAX bytes is fine (a CR before the LF
 * does not count); one byte more is "line too long" on line 3.  A reader
 * that split the line at its buffer size would take the tail for line 4:
 * a new "[evil]" section or a "range =" line (which would be outside the
 * limit and then be an error about line 4 or a different message).
 */
static const struct long_case long_cases[] = {
	{ CONFIG_LINE_MAX, "", "\n", 1 },
	{ CONFIG_LINE_MAX, "", "\r\n", 1 },
	{ CONFIG_LINE_MAX + 1, "", "\n", 0 },
	{ CONFIG_LINE_MAX + 1, "", "\r\n", 0 },
	{ CONFIG_LINE_MAX - 1, "[evil]", "\n", 0 },
	{ CONFIG_LINE_MAX, "[evil]", "\n", 0 },
	{ CONFIG_LINE_MAX - 1, "range = 9.9.9.9", "\n", 0 },
	{ 511, "[evil]", "\n", 1 },
	{ 2 * CONFIG_LINE_MAX, "[evil]", "", 0 },
	{ 4 * CONFIG_LINE_MAX - 1, "range = 9.9.9.9", "\n", 0 },
	{ 100000, "[evil]", "\n", 0 },
};

START_TEST(test_long_line)
{
	const struct long_case *t = &long_cases[_i];
	struct config cfg;
	char err[512] = "";
	size_t len;
	char *s = make_long("# ", t->pad, t->tail, t->eol, &len);
	int rc = config_parse(&cfg, "t.conf", s, len, err, sizeof(err));

	free(s);
	if (t->ok) {
		ck_assert_msg(rc == 0, "%s", err);
		ck_assert_str_eq(dump(&cfg),
		    "a@1: 1.2.3.4-1.2.3.4 5.6.7.8-5.6.7.8 /;");
		config_free(&cfg);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err, "t.conf:3: line too long");
	}
}
END_TEST

/* the message is "PATH:LINE: problem" whatever the path */
START_TEST(test_path_in_message)
{
	struct config cfg;
	char err[512];

	ck_assert_int_eq(config_parse(&cfg, "/etc/ipsweep/ranges.conf",
	    "\n[a]\nrange = 10.0.0.256\n", 24, err, sizeof(err)), -1);
	ck_assert_str_eq(err,
	    "/etc/ipsweep/ranges.conf:3: invalid target '10.0.0.256'");
	/* a short ERR is cut, not overrun */
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(config_parse(&cfg, "t.conf", "[]", 2, err, 8), -1);
	ck_assert_str_eq(err, "t.conf:");
	ck_assert_int_eq(err[8], 'x');
	ck_assert_int_eq(config_parse(&cfg, "t.conf", "[]", 2, NULL, 0), -1);
}
END_TEST

START_TEST(test_find_and_set)
{
	static const char text[] = "[a]\nrange = 10.0.0.0/24\n"
	    "exclude = 10.0.0.1-10.0.0.100, 10.0.0.200/29\n"
	    "exclude = 10.0.1.0/24\n[b]\nrange = 10.0.0.1\n";
	const struct config_range *r;
	struct targets_set set;
	struct config cfg;
	char err[512] = "";

	ck_assert_msg(config_parse(&cfg, "t.conf", text, sizeof(text) - 1,
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_null(config_find(&cfg, "c"));
	ck_assert_ptr_null(config_find(&cfg, "a "));
	ck_assert_ptr_null(config_find(&cfg, ""));
	r = config_find(&cfg, "b");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->name, "b");
	r = config_find(&cfg, "a");
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->name, "a");
	targets_init(&set);
	ck_assert_int_eq(config_range_set(r, &set), 0);
	/* 254 - 100 - 8 */
	ck_assert_uint_eq(targets_count(&set), 146);
	ck_assert_int_eq(targets_contains(&set, 0x0a000064), 0);
	ck_assert_int_eq(targets_contains(&set, 0x0a000065), 1);
	ck_assert_int_eq(targets_contains(&set, 0x0a0000c7), 1);
	ck_assert_int_eq(targets_contains(&set, 0x0a0000c8), 0);
	ck_assert_int_eq(targets_contains(&set, 0x0a0000cf), 0);
	ck_assert_int_eq(targets_contains(&set, 0x0a0000d0), 1);
	/* the range itself is left as it was */
	ck_assert_uint_eq(targets_count(&r->exclude), 100 + 8 + 256);
	targets_free(&set);
	config_free(&cfg);
	ck_assert_ptr_null(config_find(&cfg, "a"));
}
END_TEST

/* canary = lines: their own set, not part of the range's addresses. */
START_TEST(test_canary)
{
	static const char text[] = "[a]\nrange = 10.0.0.0/29\n"
	    "canary = 10.0.0.1, 192.0.2.1  # gateways\ncanary = 192.0.2.1\n"
	    "[b]\nrange = 10.0.1.1\ntcp = 22, 443\ntcp = 443,80 # web\n";
	const struct config_range *r;
	struct targets_set set;
	struct config cfg;
	char err[512] = "";

	ck_assert_msg(config_parse(&cfg, "t.conf", text, sizeof(text) - 1,
	    err, sizeof(err)) == 0, "%s", err);
	r = config_find(&cfg, "a");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(targets_count(&r->canary), 2);
	ck_assert_int_eq(targets_contains(&r->canary, 0x0a000001), 1);
	ck_assert_int_eq(targets_contains(&r->canary, 0xc0000201), 1);
	targets_init(&set);
	ck_assert_int_eq(config_range_set(r, &set), 0);
	ck_assert_uint_eq(targets_count(&set), 6);
	ck_assert_int_eq(targets_contains(&set, 0xc0000201), 0);
	targets_free(&set);
	r = config_find(&cfg, "b");
	ck_assert_uint_eq(targets_count(&r->canary), 0);
	ck_assert_uint_eq(r->n_tcp, 3);
	ck_assert_uint_eq(r->tcp[0], 22);
	ck_assert_uint_eq(r->tcp[1], 443);
	ck_assert_uint_eq(r->tcp[2], 80);
	config_free(&cfg);
}
END_TEST

/* The shipped ranges.conf: the three seed ranges, ends inclusive. */
START_TEST(test_shipped)
{
	static const struct {
		const char *name;
		uint64_t count;
		uint32_t first, last;
	} want[] = {
		{ "10.121.49", 91, 0x0a793165, 0x0a7931c2 },
		{ "10.72.84", 124, 0x0a48540b, 0x0a485486 },
		{ "10.72.83", 116, 0x0a485315, 0x0a485388 },
	};
	struct config cfg;
	char err[512] = "";
	size_t i;

	/* make unit runs the tests from the top of the tree */
	ck_assert_msg(config_load(&cfg, "ranges.conf", err, sizeof(err)) == 0,
	    "%s (run from the top of the tree)", err);
	ck_assert_uint_eq(cfg.n, 3);
	for (i = 0; i < 3; i++) {
		const struct config_range *r = config_find(&cfg, want[i].name);
		struct targets_set set;

		ck_assert_ptr_nonnull(r);
		targets_init(&set);
		ck_assert_int_eq(config_range_set(r, &set), 0);
		ck_assert_uint_eq(targets_count(&set), want[i].count);
		ck_assert_uint_eq(set.spans[0].lo, want[i].first);
		ck_assert_uint_eq(set.spans[set.n - 1].hi, want[i].last);
		targets_free(&set);
	}
	/* 10.121.49.160-162 are not in the first range */
	ck_assert_int_eq(targets_contains(&config_find(&cfg,
	    "10.121.49")->include, 0x0a7931a1), 0);
	config_free(&cfg);
}
END_TEST

/* config_locate: a fake exists() that knows a fixed list of files */
static const char *const fake_files[] = {
	"/x/ipsweep/ranges.conf",
	"/h/.config/ipsweep/ranges.conf",
	"/home/u/.config/ipsweep/ranges.conf",
};
static int fake_calls;

static int
fake_exists(const char *path)
{
	size_t i;

	fake_calls++;
	for (i = 0; i < sizeof(fake_files) / sizeof(fake_files[0]); i++)
		if (strcmp(path, fake_files[i]) == 0)
			return 1;
	return 0;
}

struct locate_case {
	const char *opt, *env, *xdg, *home, *sysconf;
	const char *want;
	int calls;          /* expected calls of exists() */
};

static const struct locate_case locate_cases[] = {
	{ "/o.conf", "/e.conf", "/x", "/h", "/s", "/o.conf", 0 },
	{ "rel.conf", NULL, NULL, NULL, NULL, "rel.conf", 0 },
	{ NULL, "/e.conf", "/x", "/h", "/s", "/e.conf", 0 },
	{ NULL, "", "/x", "/h", "/s", "/x/ipsweep/ranges.conf", 1 },
	{ NULL, NULL, "/x", "/h", "/s", "/x/ipsweep/ranges.conf", 1 },
	/* XDG set but its file missing: no look at HOME, on to the system */
	{ NULL, NULL, "/y", "/h", "/s", "/s/ipsweep/ranges.conf", 1 },
	{ NULL, NULL, "", "/h", "/s", "/h/.config/ipsweep/ranges.conf", 1 },
	{ NULL, NULL, NULL, "/home/u", "/s",
	    "/home/u/.config/ipsweep/ranges.conf", 1 },
	/* a relative XDG_CONFIG_HOME is ignored (XDG base directory spec) */
	{ NULL, NULL, "x", "/h", "/s", "/h/.config/ipsweep/ranges.conf", 1 },
	{ NULL, NULL, NULL, "/nohome", "/usr/local/etc",
	    "/usr/local/etc/ipsweep/ranges.conf", 1 },
	{ NULL, NULL, NULL, NULL, "/s", "/s/ipsweep/ranges.conf", 0 },
	{ NULL, NULL, NULL, "", NULL,
	    IPSWEEP_SYSCONFDIR "/ipsweep/ranges.conf", 0 },
};

START_TEST(test_locate)
{
	const struct locate_case *t = &locate_cases[_i];
	char buf[256] = "";

	fake_calls = 0;
	ck_assert_int_eq(config_locate(t->opt, t->env, t->xdg, t->home,
	    t->sysconf, fake_exists, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, t->want);
	ck_assert_int_eq(fake_calls, t->calls);
}
END_TEST

START_TEST(test_locate_small)
{
	char buf[32];

	/* exactly fits, then one byte short */
	ck_assert_int_eq(config_locate("/abc", NULL, NULL, NULL, NULL,
	    fake_exists, buf, 5), 0);
	ck_assert_str_eq(buf, "/abc");
	ck_assert_int_eq(config_locate("/abcd", NULL, NULL, NULL, NULL,
	    fake_exists, buf, 5), -1);
	ck_assert_int_eq(config_locate(NULL, NULL, NULL, NULL, "/s",
	    fake_exists, buf, 23), 0);
	ck_assert_str_eq(buf, "/s/ipsweep/ranges.conf");
	ck_assert_int_eq(config_locate(NULL, NULL, NULL, NULL, "/s",
	    fake_exists, buf, 22), -1);
	/* a per-user path that does not fit is an error, not a fall back */
	fake_calls = 0;
	ck_assert_int_eq(config_locate(NULL, NULL, "/a-long-xdg-directory",
	    NULL, "/s", fake_exists, buf, sizeof(buf)), -1);
	ck_assert_int_eq(fake_calls, 0);
	ck_assert_int_eq(config_locate("/x", NULL, NULL, NULL, NULL,
	    fake_exists, buf, 0), -1);
}
END_TEST

/* tmpdir -- a fresh temporary directory into BUF */
static void
tmpdir(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, len, "%s/check_config.XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(buf));
}

static void
write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(s, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_load_good)
{
	struct config cfg;
	char dir[256], path[300], err[512] = "", want[600];

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ranges.conf", dir);
	write_file(path, "[a]\nrange = 10.0.0.1-5\n");
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(cfg.path, path);
	ck_assert_str_eq(dump(&cfg), "a@1: 10.0.0.1-10.0.0.5 /;");
	config_free(&cfg);

	write_file(path, "");
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.n, 0);
	config_free(&cfg);

	write_file(path, "[a]\nrange = 10.0.0.1-5\n\nrange = 10.0.0.0/33\n");
	errno = 0;
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_int_ne(errno, ENOENT);
	snprintf(want, sizeof(want), "%s:4: invalid prefix length in "
	    "'10.0.0.0/33'", path);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(cfg.n, 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_load_missing)
{
	struct config cfg;
	char dir[256], path[300], err[512] = "", want[600];

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/nope.conf", dir);
	errno = 0;
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_int_eq(errno, ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(cfg.n, 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_load_dir)
{
	struct config cfg;
	char dir[256], err[512] = "", want[600];

	tmpdir(dir, sizeof(dir));
	errno = 0;
	ck_assert_int_eq(config_load(&cfg, dir, err, sizeof(err)), -1);
	ck_assert_int_ne(errno, ENOENT);
	ck_assert_int_ne(errno, 0);
	snprintf(want, sizeof(want), "%s: Is a directory", dir);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* a FIFO without a writer: refused at once, never a blocking read */
START_TEST(test_load_fifo)
{
	struct config cfg;
	char dir[256], path[300], err[512] = "", want[600];

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(5);   /* a blocking open would end the test with SIGALRM */
	errno = 0;
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	alarm(0);
	ck_assert_int_ne(errno, ENOENT);
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);

	ck_assert_int_eq(config_load(&cfg, "/dev/null", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/dev/null: not a regular file");
}
END_TEST

/* What config_load said in a child (load_unprivileged). */
struct child_load {
	uid_t euid;          /* the child's effective uid */
	int stat_errno;      /* 0 when the child could stat the file */
	int rc, err_no;
	char err[512];
};

/*
 * load_unprivileged -- config_load(PATH) in a child process that, when we
 * are root, first becomes user and group 65534 for good: chmod 000 does
 * not stop root (CAP_DAC_OVERRIDE), it does stop any other user.  The
 * child stats the file first, so that an EACCES is the file's own, not a
 * directory's on the way.  Returns what it saw.
 */
static struct child_load
load_unprivileged(const char *path)
{
	struct child_load cl;
	struct config cfg;
	struct stat st;
	int fd[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fd[0]);
		memset(&cl, 0, sizeof(cl));
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 ||
		    setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0))
			_exit(3);
		cl.euid = geteuid();
		cl.stat_errno = stat(path, &st) == 0 ? 0 : errno;
		errno = 0;
		cl.rc = config_load(&cfg, path, cl.err, sizeof(cl.err));
		cl.err_no = errno;
		if (cl.rc == 0)
			config_free(&cfg);
		_exit(write(fd[1], &cl, sizeof(cl)) == (ssize_t)sizeof(cl) ?
		    0 : 2);
	}
	close(fd[1]);
	memset(&cl, 0, sizeof(cl));
	ck_assert_int_eq(read(fd[0], &cl, sizeof(cl)), (ssize_t)sizeof(cl));
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "child status %d", status);
	return cl;
}

/*
 * A file without read permission: "PATH: Permission denied", EACCES.  Run
 * by root, the check runs as user 65534 in a child, in a directory under
 * /tmp that it can search.
 */
START_TEST(test_load_unreadable)
{
	struct child_load cl;
	char dir[256], path[300], want[600];

	if (geteuid() == 0) {
		snprintf(dir, sizeof(dir), "/tmp/check_config.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dir));
		ck_assert_int_eq(chmod(dir, 0755), 0);
	} else {
		tmpdir(dir, sizeof(dir));
	}
	snprintf(path, sizeof(path), "%s/ranges.conf", dir);
	write_file(path, "[a]\nrange = 10.0.0.1\n");
	ck_assert_int_eq(chmod(path, 0), 0);
	cl = load_unprivileged(path);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_uint_ne(cl.euid, 0);
	ck_assert_msg(cl.stat_errno == 0, "user %u cannot reach %s: %s",
	    (unsigned)cl.euid, path, strerror(cl.stat_errno));
	ck_assert_int_eq(cl.rc, -1);
	ck_assert_int_eq(cl.err_no, EACCES);
	snprintf(want, sizeof(want), "%s: Permission denied", path);
	ck_assert_str_eq(cl.err, want);
}
END_TEST

/* a sparse file one byte over the cap is refused without being read */
START_TEST(test_load_too_large)
{
	struct config cfg;
	char dir[256], path[300], err[512] = "", want[600];
	int fd;

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/big.conf", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(ftruncate(fd, 16 * 1024 * 1024 + 1), 0);
	ck_assert_int_eq(close(fd), 0);
	errno = 0;
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_int_ne(errno, ENOENT);
	snprintf(want, sizeof(want), "%s: file too large", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* The records' keys: reserved and pool sets, files, dns, the settings. */
START_TEST(test_records)
{
	static const char text[] =
	    "dhcp-leases = /var/lib/dhcp/dhcpd.leases\n"
	    "ipam-csv = export.csv\n"
	    "dns = yes\n"
	    "[a]\n"
	    "range = 10.0.0.0/24\n"
	    "reserved = 10.0.0.1, 10.0.0.8/30\n"
	    "dhcp-pool = 10.0.0.100-10.0.0.110\n"
	    "dhcp-leases = kea:kea/leases4.csv\n"
	    "dhcp-leases = dnsmasq:/x:y\n"
	    "dhcp-leases = ./c:d\n"
	    "dns = no\n"
	    "[b]\n"
	    "range = 10.0.1.1\n";
	struct config cfg;
	char err[512] = "";
	const struct config_range *a, *b;

	ck_assert_msg(config_parse(&cfg, "/etc/ipsweep/ranges.conf", text,
	    sizeof(text) - 1, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(cfg.n_sources, 2);
	ck_assert_str_eq(cfg.sources[0].path, "/var/lib/dhcp/dhcpd.leases");
	ck_assert_uint_eq(cfg.sources[0].kind, CONFIG_SOURCE_LEASES);
	ck_assert_uint_eq(cfg.sources[0].format, LEASE_AUTO);
	ck_assert_str_eq(cfg.sources[1].path, "/etc/ipsweep/export.csv");
	ck_assert_uint_eq(cfg.sources[1].kind, CONFIG_SOURCE_IPAM);
	ck_assert_uint_eq(cfg.sources[1].line, 2);
	ck_assert_int_eq(cfg.dns, 1);
	a = config_find(&cfg, "a");
	b = config_find(&cfg, "b");
	ck_assert_int_eq(a->dns, 0);
	ck_assert_int_eq(b->dns, -1);
	ck_assert_uint_eq(targets_count(&a->reserved), 5);
	ck_assert(targets_contains(&a->reserved, 0x0a000008));
	ck_assert(targets_contains(&a->reserved, 0x0a00000b));
	ck_assert_uint_eq(targets_count(&a->dhcp_pool), 11);
	ck_assert_uint_eq(a->n_sources, 3);
	ck_assert_str_eq(a->sources[0].path, "/etc/ipsweep/kea/leases4.csv");
	ck_assert_uint_eq(a->sources[0].format, LEASE_KEA);
	ck_assert_str_eq(a->sources[1].path, "/x:y");
	ck_assert_uint_eq(a->sources[1].format, LEASE_DNSMASQ);
	/* a colon after a slash is part of the name, not a format */
	ck_assert_str_eq(a->sources[2].path, "/etc/ipsweep/./c:d");
	ck_assert_uint_eq(a->sources[2].format, LEASE_AUTO);
	ck_assert_uint_eq(a->sources[2].line, 10);
	ck_assert_uint_eq(b->n_sources, 0);
	config_free(&cfg);
	ck_assert_ptr_null(cfg.sources);
	/* a file name relative to a configuration in the current directory */
	ck_assert_int_eq(config_parse(&cfg, "r.conf", "ipam-csv = i.csv\n",
	    16, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.sources[0].path, "i.csv");
	config_free(&cfg);
}
END_TEST

Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("grammar");

	tcase_add_loop_test(tc, test_parse_good, 0, NELEM(good_texts));
	tcase_add_loop_test(tc, test_parse_bad, 0, NELEM(bad_texts));
	tcase_add_test(tc, test_line_ends);
	tcase_add_loop_test(tc, test_long_line, 0, NELEM(long_cases));
	tcase_add_test(tc, test_path_in_message);
	tcase_add_test(tc, test_find_and_set);
	tcase_add_test(tc, test_canary);
	tcase_add_test(tc, test_records);
	suite_add_tcase(s, tc);

	tc = tcase_create("locate");
	tcase_add_loop_test(tc, test_locate, 0, NELEM(locate_cases));
	tcase_add_test(tc, test_locate_small);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_test(tc, test_shipped);
	tcase_add_test(tc, test_load_good);
	tcase_add_test(tc, test_load_missing);
	tcase_add_test(tc, test_load_dir);
	tcase_add_test(tc, test_load_fifo);
	tcase_add_test(tc, test_load_unreadable);
	tcase_add_test(tc, test_load_too_large);
	suite_add_tcase(s, tc);
	return s;
}
