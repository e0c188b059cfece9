/* check_plan.c - the run plan: names to ranges, jobs, skipped, ports */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "config.h"
#include "options.h"
#include "plan.h"
#include "testutil.h"

Suite *plan_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The configuration every case may use.  Two overlapping ranges (a, b),
 * one whose name is an address (10.0.0.1), ranges with special addresses,
 * one that excludes everything it includes, and a /0.
 */
static const char conf_text[] =
    "[a]\n"
    "range = 10.0.0.1-10.0.0.10\n"
    "exclude = 10.0.0.5\n"
    "tcp = 22, 80\n"
    "[b]\n"
    "range = 10.0.0.8-10.0.0.12\n"
    "canary = 10.0.0.254, 10.0.0.253\n"
    "tcp = 443\n"
    "tcp = 22\n"
    "[c]\n"
    "range = 10.0.1.0/30\n"
    "[10.0.0.1]\n"
    "range = 10.0.5.1\n"
    "[special]\n"
    "range = 223.255.255.254-224.0.0.1\n"
    "[zero]\n"
    "range = 0.0.0.0-0.0.0.2, 1.0.0.0\n"
    "[top]\n"
    "range = 255.255.255.250-255.255.255.255\n"
    "[empty]\n"
    "range = 10.9.9.1\n"
    "exclude = 10.9.9.1\n"
    "[big]\n"
    "range = 0.0.0.0/0\n"
    "[odd]\n"
    "range = 10.0.2.0/30\n"
    "canary = 0.0.0.1, 10.0.2.254, 224.0.0.1, 255.255.255.255\n";

/* Options, a configuration (or none) and the plan built from them. */
struct fix {
	char argbuf[256];
	struct options o;
	struct config cfg;
	const struct config *cfgp;  /* &cfg, or NULL: no configuration */
	struct plan p;
	size_t bad;
	char err[256];
};

/*
 * fix_build -- parse ARGS (blank-separated, program name not included)
 * with options_parse, the configuration when USE_CFG, then plan_build.
 * Returns plan_build's status.
 */
static int
fix_build(struct fix *f, int use_cfg, const char *args)
{
	char perr[256];

	memset(f, 0, sizeof(*f));
	tu_options(&f->o, f->argbuf, sizeof(f->argbuf), args);
	config_init(&f->cfg);
	if (use_cfg) {
		ck_assert_msg(config_parse(&f->cfg, "t.conf", conf_text,
		    sizeof(conf_text) - 1, perr, sizeof(perr)) == 0, "%s",
		    perr);
		f->cfgp = &f->cfg;
	}
	f->bad = 12345;
	memset(f->err, 'x', sizeof(f->err) - 1);
	return plan_build(&f->p, &f->o, f->cfgp, &f->bad, f->err,
	    sizeof(f->err));
}

static void
fix_free(struct fix *f)
{
	plan_free(&f->p);
	config_free(&f->cfg);
	options_free(&f->o);
}

/* dump_jobs -- "ADDR=RANGE ..." for every job of P */
static const char *
dump_jobs(const struct plan *p)
{
	static char buf[2048];
	char a[ADDR_STRLEN];
	size_t j, o = 0;

	buf[0] = '\0';
	for (j = 0; j < p->n && o < sizeof(buf); j++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s=%u",
		    j ? " " : "", addr_format(p->addrs[j], a),
		    (unsigned)plan_range_of(p, j));
	return buf;
}

/* dump_skipped -- "ADDR ..." for P's skipped addresses */
static const char *
dump_skipped(const struct plan *p)
{
	static char buf[2048];
	char a[ADDR_STRLEN];
	size_t j, o = 0;

	buf[0] = '\0';
	for (j = 0; j < p->n_skipped && o < sizeof(buf); j++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
		    j ? " " : "", addr_format(p->skipped[j], a));
	return buf;
}

/* dump_ports -- each range's ports, blank-separated, ranges split by '|' */
static const char *
dump_ports(const struct plan *p)
{
	static char buf[2048];
	size_t i, k, o = 0;

	buf[0] = '\0';
	for (i = 0; i < p->n_ranges && o < sizeof(buf); i++) {
		if (i > 0)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "|");
		for (k = 0; k < p->ranges[i].n_ports && o < sizeof(buf); k++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
			    k ? " " : "", p->ranges[i].ports[k]);
	}
	return buf;
}

/*
 * dump_kinds -- one letter per range: 'c' resolved as a configuration
 * range (of the same name), 'l' a literal target
 */
static const char *
dump_kinds(const struct plan *p)
{
	static char buf[64];
	size_t i;

	for (i = 0; i < p->n_ranges && i + 1 < sizeof(buf); i++)
		buf[i] = p->ranges[i].conf == NULL ? 'l' :
		    strcmp(p->ranges[i].conf->name, p->ranges[i].name) == 0 ?
		    'c' : '?';
	buf[i] = '\0';
	return buf;
}

/* Names that make a plan: the jobs, their first range, what is skipped. */
static const struct {
	int cfg;               /* with the configuration */
	const char *args;
	const char *kinds;     /* dump_kinds() */
	const char *jobs;      /* dump_jobs() */
	const char *skipped;   /* dump_skipped() */
	int canaries;          /* plan_has_canaries() */
} good[] = {
	{1, "a", "c",
	    "10.0.0.1=0 10.0.0.2=0 10.0.0.3=0 10.0.0.4=0 10.0.0.6=0 "
	    "10.0.0.7=0 10.0.0.8=0 10.0.0.9=0 10.0.0.10=0", "", 0},
	/* overlap: the first range on the command line, not in the file */
	{1, "b a", "cc",
	    "10.0.0.1=1 10.0.0.2=1 10.0.0.3=1 10.0.0.4=1 10.0.0.6=1 "
	    "10.0.0.7=1 10.0.0.8=0 10.0.0.9=0 10.0.0.10=0 10.0.0.11=0 "
	    "10.0.0.12=0", "", 1},
	{1, "a b", "cc",
	    "10.0.0.1=0 10.0.0.2=0 10.0.0.3=0 10.0.0.4=0 10.0.0.6=0 "
	    "10.0.0.7=0 10.0.0.8=0 10.0.0.9=0 10.0.0.10=0 10.0.0.11=1 "
	    "10.0.0.12=1", "", 1},
	/* an address a excludes, asked for by itself: in order */
	{1, "a 10.0.0.5", "cl",
	    "10.0.0.1=0 10.0.0.2=0 10.0.0.3=0 10.0.0.4=0 10.0.0.5=1 "
	    "10.0.0.6=0 10.0.0.7=0 10.0.0.8=0 10.0.0.9=0 10.0.0.10=0", "", 0},
	{1, "10.0.0.3 a", "lc",
	    "10.0.0.1=1 10.0.0.2=1 10.0.0.3=0 10.0.0.4=1 10.0.0.6=1 "
	    "10.0.0.7=1 10.0.0.8=1 10.0.0.9=1 10.0.0.10=1", "", 0},
	{1, "-i c --ip 10.0.1.2-3", "cl",
	    "10.0.1.1=0 10.0.1.2=0 10.0.1.3=1", "", 0},
	{1, "a a", "cc",
	    "10.0.0.1=0 10.0.0.2=0 10.0.0.3=0 10.0.0.4=0 10.0.0.6=0 "
	    "10.0.0.7=0 10.0.0.8=0 10.0.0.9=0 10.0.0.10=0", "", 0},
	/* a range's name wins over the literal target it spells */
	{1, "10.0.0.1", "c", "10.0.5.1=0", "", 0},
	{0, "10.0.0.1", "l", "10.0.0.1=0", "", 0},
	/* addr_special(): left out, kept aside, in order */
	{1, "special", "c", "223.255.255.254=0 223.255.255.255=0",
	    "224.0.0.0 224.0.0.1", 0},
	{1, "zero", "c", "1.0.0.0=0", "0.0.0.0 0.0.0.1 0.0.0.2", 0},
	{1, "top", "c", "",
	    "255.255.255.250 255.255.255.251 255.255.255.252 "
	    "255.255.255.253 255.255.255.254 255.255.255.255", 0},
	{1, "top c", "cc", "10.0.1.1=1 10.0.1.2=1",
	    "255.255.255.250 255.255.255.251 255.255.255.252 "
	    "255.255.255.253 255.255.255.254 255.255.255.255", 0},
	{0, "239.255.255.255-240.0.0.1 127.0.0.1", "ll", "127.0.0.1=1",
	    "239.255.255.255 240.0.0.0 240.0.0.1", 0},
	{1, "empty", "c", "", "", 0},
	{1, "empty b", "cc",
	    "10.0.0.8=1 10.0.0.9=1 10.0.0.10=1 10.0.0.11=1 10.0.0.12=1", "",
	    1},
	/* the count is of the union: a and b overlap in 3 */
	{1, "--max-addresses 11 a b", "cc",
	    "10.0.0.1=0 10.0.0.2=0 10.0.0.3=0 10.0.0.4=0 10.0.0.6=0 "
	    "10.0.0.7=0 10.0.0.8=0 10.0.0.9=0 10.0.0.10=0 10.0.0.11=1 "
	    "10.0.0.12=1", "", 1},
	{1, "--max-addresses 9 a", "c",
	    "10.0.0.1=0 10.0.0.2=0 10.0.0.3=0 10.0.0.4=0 10.0.0.6=0 "
	    "10.0.0.7=0 10.0.0.8=0 10.0.0.9=0 10.0.0.10=0", "", 0},
	/* a /31 keeps both of its addresses */
	{0, "10.0.0.0/31 10.0.0.1", "ll", "10.0.0.0=0 10.0.0.1=0", "", 0},
};

START_TEST(test_good)
{
	struct fix f;
	size_t i;

	ck_assert_int_eq(fix_build(&f, good[_i].cfg, good[_i].args),
	    PLAN_OK);
	ck_assert_str_eq(f.err, "");
	ck_assert_uint_eq(f.bad, 0);
	ck_assert_uint_eq(f.p.n_ranges, f.o.n_names);
	for (i = 0; i < f.p.n_ranges; i++)
		ck_assert_ptr_eq(f.p.ranges[i].name, f.o.names[i]);
	ck_assert_str_eq(dump_kinds(&f.p), good[_i].kinds);
	ck_assert_str_eq(dump_jobs(&f.p), good[_i].jobs);
	ck_assert_str_eq(dump_skipped(&f.p), good[_i].skipped);
	ck_assert_int_eq(plan_has_canaries(&f.p), good[_i].canaries);
	fix_free(&f);
	/* plan_free left it empty: a second call is harmless */
	ck_assert_ptr_null(f.p.ranges);
	ck_assert_ptr_null(f.p.addrs);
	ck_assert_uint_eq(f.p.n, 0);
	plan_free(&f.p);
}
END_TEST

/* Names that make no plan, and what the caller is told. */
static const struct {
	int cfg;
	const char *args;
	int rc;
	size_t bad;            /* PLAN_UNKNOWN_NAME: the name's index */
	const char *err;
} bad[] = {
	{0, "a", PLAN_UNKNOWN_NAME, 0, "invalid target 'a'"},
	{1, "nosuch", PLAN_UNKNOWN_NAME, 0, "invalid target 'nosuch'"},
	{1, "a nosuch b", PLAN_UNKNOWN_NAME, 1, "invalid target 'nosuch'"},
	{1, "a b 10.0.0.9 10.0.0.300", PLAN_UNKNOWN_NAME, 3,
	    "invalid target '10.0.0.300'"},
	/* without a configuration, a range name is no target either */
	{0, "10.0.0.1 b", PLAN_UNKNOWN_NAME, 1, "invalid target 'b'"},
	{1, "10.0.0.9-3", PLAN_UNKNOWN_NAME, 0, "reversed range '10.0.0.9-3'"},
	/* a /0 is counted, not expanded */
	{1, "big", PLAN_TOO_MANY, 0,
	    "4294967294 addresses exceed the limit of 65536 "
	    "(see --max-addresses)"},
	{0, "--max-addresses 16777216 0.0.0.0/0", PLAN_TOO_MANY, 0,
	    "4294967294 addresses exceed the limit of 16777216 "
	    "(see --max-addresses)"},
	{1, "--max-addresses 8 a", PLAN_TOO_MANY, 0,
	    "9 addresses exceed the limit of 8 (see --max-addresses)"},
	{1, "--max-addresses 10 a b", PLAN_TOO_MANY, 0,
	    "11 addresses exceed the limit of 10 (see --max-addresses)"},
	{1, "--max-addresses 1 10.0.0.1 10.0.0.2", PLAN_TOO_MANY, 0,
	    "2 addresses exceed the limit of 1 (see --max-addresses)"},
};

START_TEST(test_bad)
{
	struct fix f;

	ck_assert_int_eq(fix_build(&f, bad[_i].cfg, bad[_i].args),
	    bad[_i].rc);
	ck_assert_uint_eq(f.bad, bad[_i].bad);
	ck_assert_str_eq(f.err, bad[_i].err);
	/* left empty */
	ck_assert_ptr_null(f.p.ranges);
	ck_assert_uint_eq(f.p.n_ranges, 0);
	ck_assert_ptr_null(f.p.addrs);
	ck_assert_ptr_null(f.p.runs);
	ck_assert_ptr_null(f.p.skipped);
	ck_assert_uint_eq(f.p.n, 0);
	ck_assert_uint_eq(f.p.n_skipped, 0);
	ck_assert_int_eq(plan_has_canaries(&f.p), 0);
	fix_free(&f);
}
END_TEST

/* Each range's ports: --tcp's in order, then its own not given yet. */
static const struct {
	int cfg;
	const char *args;
	const char *ports;     /* dump_ports() */
} ports[] = {
	{1, "a", "22 80"},
	{1, "b", "443 22"},
	{1, "c", ""},
	{1, "a b c", "22 80|443 22|"},
	{1, "--tcp 80,8080 a", "80 8080 22"},
	{1, "--tcp 22 b a", "22 443|22 80"},
	{1, "--tcp 443,22,80 a b", "443 22 80|443 22 80"},
	{1, "--tcp 3389 c a 10.7.0.1", "3389|3389 22 80|3389"},
	{1, "--tcp 3389 10.0.0.1", "3389"},
	{0, "--tcp 443,22 10.0.0.1", "443 22"},
	{0, "10.0.0.1 10.0.0.2", "|"},
};

START_TEST(test_ports)
{
	struct fix f;

	ck_assert_int_eq(fix_build(&f, ports[_i].cfg, ports[_i].args),
	    PLAN_OK);
	ck_assert_str_eq(dump_ports(&f.p), ports[_i].ports);
	fix_free(&f);
}
END_TEST

/* A range's canaries come from its section; a literal target has none. */
static const struct {
	const char *args;
	size_t range;
	const char *canaries;  /* "lo-hi ..." of its canary set */
} canaries[] = {
	{"b", 0, "10.0.0.253-10.0.0.254"},
	{"a b", 1, "10.0.0.253-10.0.0.254"},
	{"a b", 0, ""},
	{"10.0.0.254 b", 0, ""},
	/* canaries are probed like jobs: never a special address */
	{"odd", 0, "10.0.2.254-10.0.2.254"},
};

START_TEST(test_canaries)
{
	const struct targets_set *cs;
	char buf[256], lo[ADDR_STRLEN], hi[ADDR_STRLEN];
	struct fix f;
	size_t k, o = 0;

	ck_assert_int_eq(fix_build(&f, 1, canaries[_i].args), PLAN_OK);
	cs = &f.p.ranges[canaries[_i].range].canary;
	buf[0] = '\0';
	for (k = 0; k < cs->n && o < sizeof(buf); k++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s-%s",
		    k ? " " : "", addr_format(cs->spans[k].lo, lo),
		    addr_format(cs->spans[k].hi, hi));
	ck_assert_str_eq(buf, canaries[_i].canaries);
	fix_free(&f);
}
END_TEST

Suite *
plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_loop_test(tc, test_good, 0, NELEM(good));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad));
	tcase_add_loop_test(tc, test_ports, 0, NELEM(ports));
	tcase_add_loop_test(tc, test_canaries, 0, NELEM(canaries));
	suite_add_tcase(s, tc);
	return s;
}
