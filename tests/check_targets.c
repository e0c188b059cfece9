/* check_targets.c - unit tests for target syntax and address-set arithmetic */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"

Suite *targets_suite(void);

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

struct good_target {
	const char *s;
	uint32_t lo, hi;
	uint64_t count;
};

static const struct good_target good_targets[] = {
	{ "10.0.0.1", IP(10, 0, 0, 1), IP(10, 0, 0, 1), 1 },
	{ "0.0.0.0", 0, 0, 1 },
	{ "10.0.0.0/30", IP(10, 0, 0, 1), IP(10, 0, 0, 2), 2 },
	{ "10.0.0.4/31", IP(10, 0, 0, 4), IP(10, 0, 0, 5), 2 },
	{ "10.0.0.5/32", IP(10, 0, 0, 5), IP(10, 0, 0, 5), 1 },
	{ "10.0.0.0/24", IP(10, 0, 0, 1), IP(10, 0, 0, 254), 254 },
	{ "10.0.0.0/8", IP(10, 0, 0, 1), IP(10, 255, 255, 254), 16777214 },
	{ "0.0.0.0/0", 1, 0xfffffffe, 4294967294u },
	{ "0.0.0.0/1", 1, 0x7ffffffe, 2147483646u },
	{ "128.0.0.0/1", 0x80000001, 0xfffffffe, 2147483646u },
	{ "255.255.255.254/31", 0xfffffffe, 0xffffffff, 2 },
	{ "255.255.255.255/32", 0xffffffff, 0xffffffff, 1 },
	{ "10.0.0.1-10.0.0.9", IP(10, 0, 0, 1), IP(10, 0, 0, 9), 9 },
	{ "10.0.0.255-10.0.1.3", IP(10, 0, 0, 255), IP(10, 0, 1, 3), 5 },
	{ "10.0.0.5-10.0.0.5", IP(10, 0, 0, 5), IP(10, 0, 0, 5), 1 },
	{ "10.0.0.1-9", IP(10, 0, 0, 1), IP(10, 0, 0, 9), 9 },
	{ "10.0.0.5-5", IP(10, 0, 0, 5), IP(10, 0, 0, 5), 1 },
	{ "10.0.0.0-255", IP(10, 0, 0, 0), IP(10, 0, 0, 255), 256 },
	{ "255.255.255.250-255", 0xfffffffa, 0xffffffff, 6 },
	{ "0.0.0.0-255.255.255.255", 0, 0xffffffff, 4294967296u },
	{ "10.121.49.101-10.121.49.159", IP(10, 121, 49, 101),
	    IP(10, 121, 49, 159), 59 },
};

START_TEST(test_parse_good)
{
	const struct good_target *t = &good_targets[_i];
	struct targets_span sp = { 0, 0 };
	struct targets_set set;
	char err[256] = "";

	ck_assert_msg(targets_parse(t->s, strlen(t->s), &sp, err,
	    sizeof(err)) == 0, "'%s': %s", t->s, err);
	ck_assert_uint_eq(sp.lo, t->lo);
	ck_assert_uint_eq(sp.hi, t->hi);
	targets_init(&set);
	ck_assert_int_eq(targets_add(&set, sp), 0);
	ck_assert_uint_eq(targets_count(&set), t->count);
	targets_free(&set);
}
END_TEST

struct bad_target {
	const char *s;
	size_t len;
	const char *msg;
};

#define B(lit, msg) { lit, sizeof(lit) - 1, msg }

static const struct bad_target bad_targets[] = {
	B("256.1.1.1", "invalid target '256.1.1.1'"),
	B("010.0.0.1", "invalid target '010.0.0.1'"),
	B("10.1", "invalid target '10.1'"),
	B("0x0a.0.0.1", "invalid target '0x0a.0.0.1'"),
	B("1.2.3.4/33", "invalid prefix length in '1.2.3.4/33'"),
	B("1.2.3.4/-1", "invalid target '1.2.3.4/-1'"),
	B("1.2.3.4/", "invalid prefix length in '1.2.3.4/'"),
	B("1.2.3.4/08", "invalid prefix length in '1.2.3.4/08'"),
	B("1.2.3.4/+8", "invalid prefix length in '1.2.3.4/+8'"),
	B("1.2.3.4/100", "invalid prefix length in '1.2.3.4/100'"),
	B("1.2.3.0/24x", "invalid prefix length in '1.2.3.0/24x'"),
	B("1.2.3.4/3/2", "invalid prefix length in '1.2.3.4/3/2'"),
	B("10.0.0.1/24", "invalid target '10.0.0.1/24': host bits set"),
	B("10.0.0.128/24", "invalid target '10.0.0.128/24': host bits set"),
	B("0.0.0.1/0", "invalid target '0.0.0.1/0': host bits set"),
	B("10.0.0.1/31", "invalid target '10.0.0.1/31': host bits set"),
	B("/24", "invalid target '/24'"),
	B(" 1.2.3.4", "invalid target ' 1.2.3.4'"),
	B("1.2.3.4 ", "invalid target '1.2.3.4 '"),
	B("1..2.3", "invalid target '1..2.3'"),
	B("+1.2.3.4", "invalid target '+1.2.3.4'"),
	B("1.2.3.4.5", "invalid target '1.2.3.4.5'"),
	B("", "empty target"),
	B("1.2.3.4\0", "invalid target '1.2.3.4\\x00'"),
	B("1.2.3.4\x1b[2J", "invalid target '1.2.3.4\\x1b[2J'"),
	B("10.0.0.9-10.0.0.1", "reversed range '10.0.0.9-10.0.0.1'"),
	B("10.0.1.0-10.0.0.255", "reversed range '10.0.1.0-10.0.0.255'"),
	B("10.0.0.9-1", "reversed range '10.0.0.9-1'"),
	B("10.0.0.1-256", "invalid target '10.0.0.1-256'"),
	B("10.0.0.1-09", "invalid target '10.0.0.1-09'"),
	B("10.0.0.1-", "invalid target '10.0.0.1-'"),
	B("-10.0.0.1", "invalid target '-10.0.0.1'"),
	B("10.0.0.1-10.0.0", "invalid target '10.0.0.1-10.0.0'"),
	B("10.0.0.1-2-3", "invalid target '10.0.0.1-2-3'"),
	B("10.0.0.0/24-5", "invalid target '10.0.0.0/24-5'"),
	B("10.0.0.1-10.0.0.2/32", "invalid target '10.0.0.1-10.0.0.2/32'"),
	B("1.2.3.4-1.2.3.4.5", "invalid target '1.2.3.4-1.2.3.4.5'"),
	/* a long token is cut in the message at 64 bytes */
	B("1111111111111111111111111111111111111111111111111111111111111111"
	    "1", "invalid target '"
	    "1111111111111111111111111111111111111111111111111111111111111111"
	    "...'"),
};

START_TEST(test_parse_bad)
{
	const struct bad_target *t = &bad_targets[_i];
	struct targets_span sp = { 7, 7 };
	char err[256] = "";

	ck_assert_msg(targets_parse(t->s, t->len, &sp, err, sizeof(err)) ==
	    -1, "accepted bad target #%d", _i);
	ck_assert_str_eq(err, t->msg);
}
END_TEST

/* A tiny ERR buffer is cut, not overrun; ERR may be NULL. */
START_TEST(test_parse_small_err)
{
	struct targets_span sp;
	char err[8];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(targets_parse("10.1", 4, &sp, err, 5), -1);
	ck_assert_str_eq(err, "inva");
	ck_assert_int_eq(err[5], 'x');
	ck_assert_int_eq(targets_parse("10.1", 4, &sp, NULL, 0), -1);
}
END_TEST

static struct targets_span
span(uint32_t lo, uint32_t hi)
{
	struct targets_span s = { lo, hi };

	return s;
}

/* dump -- "lo-hi lo-hi" of a set, as numbers, for comparisons */
static const char *
dump(const struct targets_set *set)
{
	static char buf[1024];
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < set->n && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%" PRIu32
		    "-%" PRIu32, i ? " " : "", set->spans[i].lo,
		    set->spans[i].hi);
	return buf;
}

START_TEST(test_normalise)
{
	struct targets_set set;

	targets_init(&set);
	ck_assert_int_eq(targets_add(&set, span(20, 30)), 0);
	ck_assert_int_eq(targets_add(&set, span(5, 10)), 0);
	ck_assert_int_eq(targets_add(&set, span(1, 3)), 0);
	ck_assert_int_eq(targets_add(&set, span(4, 4)), 0);    /* adjacent */
	ck_assert_int_eq(targets_add(&set, span(25, 40)), 0);  /* overlap */
	ck_assert_int_eq(targets_add(&set, span(42, 42)), 0);  /* gap of 1 */
	ck_assert_int_eq(targets_add(&set, span(21, 22)), 0);  /* inside */
	ck_assert_int_eq(targets_add(&set, span(0xffffffff, 0xffffffff)), 0);
	ck_assert_int_eq(targets_add(&set, span(0xfffffffe, 0xffffffff)), 0);
	ck_assert_int_eq(targets_add(&set, span(0, 0)), 0);
	targets_normalise(&set);
	ck_assert_str_eq(dump(&set),
	    "0-10 20-40 42-42 4294967294-4294967295");
	ck_assert_uint_eq(targets_count(&set), 11 + 21 + 1 + 2);
	targets_free(&set);
	ck_assert_ptr_null(set.spans);
	ck_assert_uint_eq(set.n, 0);
}
END_TEST

/* the same address from two targets is listed once */
START_TEST(test_dedupe)
{
	struct targets_set set;
	struct targets_span sp;
	uint32_t *v = NULL;
	size_t n = 0;
	char err[128];
	const char *t[] = { "10.0.0.5-10", "10.0.0.8", "10.0.0.0/29",
		"10.0.0.10-12" };
	size_t i;

	targets_init(&set);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(targets_parse(t[i], strlen(t[i]), &sp, err,
		    sizeof(err)), 0);
		ck_assert_int_eq(targets_add(&set, sp), 0);
	}
	targets_normalise(&set);
	ck_assert_uint_eq(targets_count(&set), 12);
	ck_assert_int_eq(targets_expand(&set, 100, &v, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 12);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(v[i], IP(10, 0, 0, 1) + i);
	free(v);
	targets_free(&set);
}
END_TEST

struct sub_case {
	struct targets_span set[4];
	size_t nset;
	struct targets_span excl[4];
	size_t nexcl;
	const char *want;
};

static const struct sub_case sub_cases[] = {
	{ { { 1, 10 } }, 1, { { 3, 4 } }, 1, "1-2 5-10" },
	{ { { 1, 10 } }, 1, { { 1, 1 } }, 1, "2-10" },
	{ { { 1, 10 } }, 1, { { 10, 10 } }, 1, "1-9" },
	{ { { 1, 10 } }, 1, { { 0, 20 } }, 1, "" },
	{ { { 1, 10 } }, 1, { { 11, 20 } }, 1, "1-10" },
	{ { { 1, 10 } }, 1, { { 0, 0 } }, 1, "1-10" },
	{ { { 1, 10 } }, 0, { { 0, 0 } }, 1, "" },
	{ { { 1, 10 } }, 1, { { 0, 0 } }, 0, "1-10" },
	/* one exclusion across three spans */
	{ { { 1, 5 }, { 10, 15 }, { 20, 25 } }, 3, { { 3, 22 } }, 1,
	    "1-2 23-25" },
	/* several exclusions in one span, given unsorted and overlapping */
	{ { { 1, 30 } }, 1, { { 20, 22 }, { 5, 6 }, { 6, 8 }, { 30, 30 } }, 4,
	    "1-4 9-19 23-29" },
	/* the ends of the address space */
	{ { { 0, 0xffffffff } }, 1, { { 0, 0 }, { 0xffffffff, 0xffffffff } },
	    2, "1-4294967294" },
	{ { { 0xfffffff0, 0xffffffff } }, 1, { { 0xfffffff5, 0xffffffff } },
	    1, "4294967280-4294967284" },
	/* the set is normalised first */
	{ { { 10, 20 }, { 1, 12 } }, 2, { { 5, 5 } }, 1, "1-4 6-20" },
};

START_TEST(test_subtract)
{
	const struct sub_case *t = &sub_cases[_i];
	struct targets_set set, excl;
	size_t i;

	targets_init(&set);
	targets_init(&excl);
	for (i = 0; i < t->nset; i++)
		ck_assert_int_eq(targets_add(&set, t->set[i]), 0);
	for (i = 0; i < t->nexcl; i++)
		ck_assert_int_eq(targets_add(&excl, t->excl[i]), 0);
	ck_assert_int_eq(targets_subtract(&set, &excl), 0);
	ck_assert_str_eq(dump(&set), t->want);
	targets_free(&set);
	targets_free(&excl);
}
END_TEST

/*
 * Random sets in 0..127 against a bitmap model: normalise, subtract, count
 * and contains must agree with it, and the result must be sorted, disjoint
 * and not adjacent.
 */
START_TEST(test_model)
{
	uint32_t x = 2024;
	int round;

	for (round = 0; round < 2000; round++) {
		unsigned char in[128], ex[128];
		struct targets_set set, excl;
		uint64_t want = 0;
		int i, k;

		memset(in, 0, sizeof(in));
		memset(ex, 0, sizeof(ex));
		targets_init(&set);
		targets_init(&excl);
		for (k = 0; k < 12; k++) {
			struct targets_span s;
			int lo, hi, is_ex;

			x = x * 1103515245u + 12345u;
			lo = (int)(x >> 8 & 127);
			hi = lo + (int)(x >> 16 & 15);
			if (hi > 127)
				hi = 127;
			is_ex = (int)(x >> 24 & 1);
			s = span((uint32_t)lo, (uint32_t)hi);
			ck_assert_int_eq(targets_add(is_ex ? &excl : &set, s),
			    0);
			for (i = lo; i <= hi; i++)
				(is_ex ? ex : in)[i] = 1;
		}
		ck_assert_int_eq(targets_subtract(&set, &excl), 0);
		for (i = 0; i < 128; i++) {
			int m = in[i] && !ex[i];

			want += (uint64_t)m;
			ck_assert_int_eq(targets_contains(&set, (uint32_t)i),
			    m);
		}
		ck_assert_int_eq(targets_contains(&set, 128), 0);
		ck_assert_uint_eq(targets_count(&set), want);
		for (i = 1; i < (int)set.n; i++)
			ck_assert_uint_gt(set.spans[i].lo,
			    set.spans[i - 1].hi + 1);
		targets_free(&set);
		targets_free(&excl);
	}
}
END_TEST

START_TEST(test_contains)
{
	struct targets_set set;

	targets_init(&set);
	ck_assert_int_eq(targets_contains(&set, 0), 0);
	ck_assert_int_eq(targets_add(&set, span(10, 20)), 0);
	ck_assert_int_eq(targets_add(&set, span(30, 30)), 0);
	ck_assert_int_eq(targets_add(&set, span(0xfffffff0, 0xffffffff)), 0);
	targets_normalise(&set);
	ck_assert_int_eq(targets_contains(&set, 9), 0);
	ck_assert_int_eq(targets_contains(&set, 10), 1);
	ck_assert_int_eq(targets_contains(&set, 15), 1);
	ck_assert_int_eq(targets_contains(&set, 20), 1);
	ck_assert_int_eq(targets_contains(&set, 21), 0);
	ck_assert_int_eq(targets_contains(&set, 29), 0);
	ck_assert_int_eq(targets_contains(&set, 30), 1);
	ck_assert_int_eq(targets_contains(&set, 31), 0);
	ck_assert_int_eq(targets_contains(&set, 0xffffffef), 0);
	ck_assert_int_eq(targets_contains(&set, 0xffffffff), 1);
	ck_assert_int_eq(targets_contains(&set, 0), 0);
	targets_free(&set);
}
END_TEST

START_TEST(test_add_set)
{
	struct targets_set a, b;

	targets_init(&a);
	targets_init(&b);
	ck_assert_int_eq(targets_add(&a, span(1, 2)), 0);
	ck_assert_int_eq(targets_add_set(&a, &b), 0);
	ck_assert_uint_eq(a.n, 1);
	/* enough spans to make the array grow more than once */
	for (uint32_t i = 0; i < 100; i++)
		ck_assert_int_eq(targets_add(&b, span(i * 10, i * 10 + 1)), 0);
	ck_assert_int_eq(targets_add_set(&a, &b), 0);
	ck_assert_uint_eq(a.n, 101);
	ck_assert_uint_eq(a.spans[100].lo, 990);
	targets_normalise(&a);
	ck_assert_uint_eq(targets_count(&a), 201);
	targets_free(&a);
	targets_free(&b);
}
END_TEST

/* /0 is refused by count before anything is allocated */
START_TEST(test_expand_zero)
{
	struct targets_set set;
	struct targets_span sp;
	uint32_t *v = (uint32_t *)&sp;
	size_t n = 77;
	char err[128] = "";

	targets_init(&set);
	ck_assert_int_eq(targets_parse("0.0.0.0/0", 9, &sp, err, sizeof(err)),
	    0);
	ck_assert_int_eq(targets_add(&set, sp), 0);
	ck_assert_uint_eq(targets_count(&set), 4294967294u);
	ck_assert_int_eq(targets_expand(&set, 16777216, &v, &n, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "4294967294 addresses exceed the limit of "
	    "16777216 (see --max-addresses)");
	ck_assert_ptr_eq(v, (uint32_t *)&sp);
	ck_assert_uint_eq(n, 77);
	/* even a limit just below the count refuses */
	ck_assert_int_eq(targets_expand(&set, 4294967293u, &v, &n, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "4294967294 addresses exceed the limit of "
	    "4294967293 (see --max-addresses)");
	targets_free(&set);
}
END_TEST

START_TEST(test_expand_slash8)
{
	struct targets_set set;
	struct targets_span sp;
	uint32_t *v = NULL;
	size_t n = 0, i;
	char err[128];

	targets_init(&set);
	ck_assert_int_eq(targets_parse("10.0.0.0/8", 10, &sp, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(targets_add(&set, sp), 0);
	ck_assert_uint_eq(targets_count(&set), 16777214);
	ck_assert_int_eq(targets_expand(&set, 16777213, &v, &n, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(targets_expand(&set, 16777214, &v, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 16777214);
	for (i = 0; i < n; i++)
		if (v[i] != IP(10, 0, 0, 1) + i)
			ck_abort_msg("v[%zu] = 0x%08x", i, (unsigned)v[i]);
	free(v);
	targets_free(&set);
}
END_TEST

/* the top of the space: the loop must stop at 255.255.255.255 */
START_TEST(test_expand_top)
{
	struct targets_set set;
	uint32_t *v = NULL;
	size_t n = 0;
	char err[128];

	targets_init(&set);
	ck_assert_int_eq(targets_add(&set, span(0xfffffffd, 0xffffffff)), 0);
	ck_assert_int_eq(targets_add(&set, span(0, 1)), 0);
	targets_normalise(&set);
	ck_assert_int_eq(targets_expand(&set, 5, &v, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(v[0], 0);
	ck_assert_uint_eq(v[1], 1);
	ck_assert_uint_eq(v[2], 0xfffffffd);
	ck_assert_uint_eq(v[4], 0xffffffff);
	free(v);
	targets_free(&set);
}
END_TEST

START_TEST(test_expand_empty)
{
	struct targets_set set;
	uint32_t *v = NULL;
	size_t n = 9;
	char err[128];

	targets_init(&set);
	ck_assert_int_eq(targets_expand(&set, 0, &v, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(v);
	free(v);
}
END_TEST

Suite *
targets_suite(void)
{
	Suite *s = suite_create("targets");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_good, 0, NELEM(good_targets));
	tcase_add_loop_test(tc, test_parse_bad, 0, NELEM(bad_targets));
	tcase_add_test(tc, test_parse_small_err);
	suite_add_tcase(s, tc);

	tc = tcase_create("sets");
	tcase_add_test(tc, test_normalise);
	tcase_add_test(tc, test_dedupe);
	tcase_add_loop_test(tc, test_subtract, 0, NELEM(sub_cases));
	tcase_add_test(tc, test_model);
	tcase_add_test(tc, test_contains);
	tcase_add_test(tc, test_add_set);
	suite_add_tcase(s, tc);

	tc = tcase_create("expand");
	/* a /8 is 64 MiB of addresses: slow under valgrind */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_expand_zero);
	tcase_add_test(tc, test_expand_slash8);
	tcase_add_test(tc, test_expand_top);
	tcase_add_test(tc, test_expand_empty);
	suite_add_tcase(s, tc);
	return s;
}
