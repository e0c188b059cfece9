/* check_output.c - the summary and loss notes on stderr */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector.h"
#include "diag.h"
#include "output.h"
#include "pool.h"
#include "testutil.h"

Suite *output_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* count_lines -- lines of OUT that contain WHAT */
static size_t
count_lines(const char *out, const char *what)
{
	const char *nl;
	size_t n = 0, len;

	for (; *out != '\0'; out += len + (nl != NULL)) {
		nl = strchr(out, '\n');
		len = nl != NULL ? (size_t)(nl - out) : strlen(out);
		if (memmem(out, len, what, strlen(what)) != NULL)
			n++;
	}
	return n;
}

/* last_line -- the last line of OUT, without its newline */
static const char *
last_line(const char *out)
{
	static char buf[512];
	size_t len = strlen(out);
	const char *p;

	if (len > 0 && out[len - 1] == '\n')
		len--;
	for (p = out + len; p > out && p[-1] != '\n'; p--)
		;
	snprintf(buf, sizeof(buf), "%.*s", (int)(len - (size_t)(p - out)), p);
	return buf;
}

/*
 * Jobs 10.0.0.1 onwards with one letter each: f free, u used, k unknown
 * (send error), x not needed (--first), l a late reply (silent, then
 * answered), p pending.
 */
static void
fill(struct collector *c, uint32_t *addrs, const char *jobs)
{
	size_t j, n = strlen(jobs);

	for (j = 0; j < n; j++)
		addrs[j] = 0x0a000001u + (uint32_t)j;
	ck_assert_int_eq(collector_init(c, addrs, n), 0);
	for (j = 0; j < n; j++) {
		switch (jobs[j]) {
		case 'f':
			collector_report(c, j, EVIDENCE_WIRE, REASON_NO_REPLY,
			    2, 0, 0);
			break;
		case 'u':
			collector_report(c, j, EVIDENCE_WIRE,
			    REASON_ECHO_REPLY, 1, 1500, 0);
			break;
		case 'k':
			collector_report(c, j, EVIDENCE_WIRE,
			    REASON_SEND_ERROR, 1, 0, ENETUNREACH);
			break;
		case 'x':
			collector_report(c, j, EVIDENCE_WIRE,
			    REASON_NOT_NEEDED, 0, 0, 0);
			break;
		case 'l':
			collector_report(c, j, EVIDENCE_WIRE, REASON_NO_REPLY,
			    2, 0, 0);
			collector_report(c, j, EVIDENCE_WIRE,
			    REASON_ECHO_REPLY, 0, 0, 0);
			break;
		default:
			break;
		}
	}
}

#define K5 "kkkkk"
#define K20 K5 K5 K5 K5

static const struct {
	const char *jobs;
	size_t skipped;
	int quiet, verbose;
	const char *counts;    /* the last line, or NULL: nothing at all */
	size_t unknown;        /* lines "ADDR: unknown (...)" */
	size_t used;           /* lines "ADDR: used (...)" */
	const char *more;      /* the "... more unknown" line, or NULL */
	const char *late;      /* the late replies' line, or NULL */
} summary[] = {
	{"ffu", 0, 0, 0, "ipsweep: 3 addresses: 2 free, 1 used, 0 unknown",
	    0, 0, NULL, NULL},
	{"fku", 2, 0, 0,
	    "ipsweep: 5 addresses: 1 free, 1 used, 1 unknown, 2 skipped",
	    1, 0, NULL, NULL},
	{"fxx", 0, 0, 0,
	    "ipsweep: 3 addresses: 1 free, 0 used, 0 unknown, 2 not needed",
	    0, 0, NULL, NULL},
	{"xkf", 1, 0, 0, "ipsweep: 4 addresses: 1 free, 0 used, 1 unknown, "
	    "1 not needed, 1 skipped", 1, 0, NULL, NULL},
	{"", 0, 0, 0, "ipsweep: 0 addresses: 0 free, 0 used, 0 unknown",
	    0, 0, NULL, NULL},
	{"", 7, 0, 0,
	    "ipsweep: 7 addresses: 0 free, 0 used, 0 unknown, 7 skipped",
	    0, 0, NULL, NULL},
	/* a pending job counts among the addresses, in no verdict */
	{"pfu", 0, 0, 0, "ipsweep: 3 addresses: 1 free, 1 used, 0 unknown",
	    0, 0, NULL, NULL},
	{"lf", 0, 0, 0, "ipsweep: 2 addresses: 1 free, 1 used, 0 unknown",
	    0, 0, NULL, "ipsweep: 1 late reply turned free into used"},
	{"lul", 0, 0, 0, "ipsweep: 3 addresses: 0 free, 3 used, 0 unknown",
	    0, 0, NULL, "ipsweep: 2 late replies turned free into used"},
	/* twenty unknown addresses are listed, then a count */
	{K20, 0, 0, 0, "ipsweep: 20 addresses: 0 free, 0 used, 20 unknown",
	    20, 0, NULL, NULL},
	{K20 "fk", 0, 0, 0,
	    "ipsweep: 22 addresses: 1 free, 0 used, 21 unknown",
	    20, 0, "ipsweep: ... and 1 more unknown (-v lists them all)", NULL},
	{K20 K5 "u", 0, 0, 0,
	    "ipsweep: 26 addresses: 0 free, 1 used, 25 unknown",
	    20, 0, "ipsweep: ... and 5 more unknown (-v lists them all)", NULL},
	/* -v lists them all, and the used ones */
	{K20 K5 "u", 0, 0, 1,
	    "ipsweep: 26 addresses: 0 free, 1 used, 25 unknown",
	    25, 1, NULL, NULL},
	{"uulf", 0, 0, 1, "ipsweep: 4 addresses: 1 free, 3 used, 0 unknown",
	    0, 3, NULL, "ipsweep: 1 late reply turned free into used"},
	/* -q: notes only, so nothing */
	{"fku" K20, 3, 1, 0, NULL, 0, 0, NULL, NULL},
};

START_TEST(test_summary)
{
	uint32_t addrs[64];
	struct collector c;
	char *out;

	ck_assert_uint_le(strlen(summary[_i].jobs), NELEM(addrs));
	fill(&c, addrs, summary[_i].jobs);
	diag_setup(summary[_i].quiet, summary[_i].verbose);
	tu_cap_start();
	output_summary(&c, summary[_i].skipped);
	out = tu_cap_end();
	if (summary[_i].counts == NULL) {
		ck_assert_str_eq(out, "");
	} else {
		ck_assert_str_eq(last_line(out), summary[_i].counts);
		ck_assert_uint_eq(count_lines(out, " addresses: "), 1);
	}
	ck_assert_uint_eq(count_lines(out, ": unknown ("),
	    summary[_i].unknown);
	ck_assert_uint_eq(count_lines(out, ": used ("), summary[_i].used);
	if (summary[_i].more != NULL)
		ck_assert_ptr_nonnull(strstr(out, summary[_i].more));
	ck_assert_uint_eq(count_lines(out, "more unknown"),
	    summary[_i].more != NULL);
	if (summary[_i].late != NULL)
		ck_assert_ptr_nonnull(strstr(out, summary[_i].late));
	ck_assert_uint_eq(count_lines(out, " late repl"),
	    summary[_i].late != NULL);
	/* the unknown lines name their address */
	if (summary[_i].unknown > 0)
		ck_assert_ptr_nonnull(strstr(out, "ipsweep: 10.0.0."));
	free(out);
	collector_free(&c);
}
END_TEST

/* The unknown lines name the address and the reason with its details. */
START_TEST(test_summary_unknown)
{
	uint32_t addrs[4];
	struct collector c;
	char *out, want[256];

	fill(&c, addrs, "fk");
	diag_setup(0, 0);
	tu_cap_start();
	output_summary(&c, 0);
	out = tu_cap_end();
	snprintf(want, sizeof(want), "ipsweep: 10.0.0.2: unknown "
	    "(send-error: %s)\n", strerror(ENETUNREACH));
	ck_assert_ptr_nonnull(strstr(out, want));
	ck_assert_ptr_null(strstr(out, "10.0.0.1"));
	free(out);
	collector_free(&c);
}
END_TEST

static const struct {
	uint64_t hits[RECORD_LOSS_MAX];
	uint64_t misses[RECORD_LOSS_MAX];
	unsigned most[RECORD_LOSS_MAX];
	int quiet;
	const char *out;
} loss[] = {
	{{0, 0}, {0, 0}, {0, 0}, 0, ""},
	{{99, 0}, {1, 0}, {4, 0}, 0,
	    "ipsweep: loss 1.0% measured on 99 answering addresses; silent "
	    "addresses got up to 4 probes\n"},
	/* echo requests: a line only when some were lost */
	{{5, 0}, {0, 0}, {2, 0}, 0, ""},
	/* ARP: whenever an address answered it, lossless or not */
	{{0, 10}, {0, 0}, {0, 2}, 0,
	    "ipsweep: ARP loss 0.0% measured on 10 answering addresses; "
	    "silent addresses were asked up to 2 times\n"},
	{{0, 1}, {0, 0}, {0, 3}, 0,
	    "ipsweep: ARP loss 0.0% measured on 1 answering addresses; "
	    "silent addresses were asked up to 3 times\n"},
	{{0, 0}, {0, 5}, {0, 3}, 0, ""},
	{{3, 1}, {1, 1}, {3, 5}, 0,
	    "ipsweep: loss 25.0% measured on 3 answering addresses; silent "
	    "addresses got up to 3 probes\n"
	    "ipsweep: ARP loss 50.0% measured on 1 answering addresses; "
	    "silent addresses were asked up to 5 times\n"},
	{{0, 2}, {4, 6}, {7, 8}, 0,
	    "ipsweep: loss 100.0% measured on 0 answering addresses; silent "
	    "addresses got up to 7 probes\n"
	    "ipsweep: ARP loss 75.0% measured on 2 answering addresses; "
	    "silent addresses were asked up to 8 times\n"},
	/* notes: nothing with -q */
	{{3, 1}, {1, 1}, {3, 5}, 1, ""},
};

START_TEST(test_loss)
{
	struct pool_stats st;
	char *out;
	int k;

	memset(&st, 0, sizeof(st));
	for (k = 0; k < RECORD_LOSS_MAX; k++) {
		st.hits[k] = loss[_i].hits[k];
		st.misses[k] = loss[_i].misses[k];
		st.most[k] = loss[_i].most[k];
	}
	st.probes = 1000;
	st.replies = 10;
	diag_setup(loss[_i].quiet, 0);
	tu_cap_start();
	output_loss(&st);
	out = tu_cap_end();
	ck_assert_str_eq(out, loss[_i].out);
	free(out);
}
END_TEST

/* history_text -- --last-seen of 3 addresses in FORMAT, in chunks of STEP */
static char *
history_text(int format, size_t step)
{
	static const uint32_t addrs[3] = { 0x0a000001, 0x0a000002,
		0x0a000003 };
	struct history_job jobs[3];
	struct options o;
	char *buf = NULL;
	size_t len = 0, first, m;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	memset(&o, 0, sizeof(o));
	o.format = format;
	memset(jobs, 0, sizeof(jobs));
	jobs[1].merged.last_seen = 86400;
	jobs[1].merged.first_checked = 3600;
	jobs[1].merged.last_checked = 86400;
	snprintf(jobs[1].merged.evidence, sizeof(jobs[1].merged.evidence),
	    "echo-reply");
	for (first = 0; first < 3; first += m) {
		m = 3 - first < step ? 3 - first : step;
		ck_assert_int_eq(output_history(f, &o, NULL, addrs, first, m,
		    3, jobs + first), 0);
	}
	fclose(f);
	return buf;
}

/* --last-seen printed a chunk at a time reads as if printed at once. */
START_TEST(test_history_chunks)
{
	static const int formats[] = { OPTIONS_FORMAT_PLAIN,
		OPTIONS_FORMAT_CSV, OPTIONS_FORMAT_JSON, OPTIONS_FORMAT_NDJSON };
	size_t i;

	for (i = 0; i < NELEM(formats); i++) {
		char *whole = history_text(formats[i], 3);
		char *one = history_text(formats[i], 1);
		char *two = history_text(formats[i], 2);

		ck_assert_str_eq(one, whole);
		ck_assert_str_eq(two, whole);
		free(whole);
		free(one);
		free(two);
	}
	/* the list is whole: opened and closed once */
	{
		char *j = history_text(OPTIONS_FORMAT_JSON, 1);

		ck_assert_int_eq(j[0], '[');
		ck_assert_ptr_nonnull(strstr(j, "\"10.0.0.3\""));
		ck_assert_str_eq(j + strlen(j) - 2, "]\n");
		ck_assert_ptr_null(strstr(j + 1, "["));
		free(j);
	}
}
END_TEST

Suite *
output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");

	tcase_add_loop_test(tc, test_summary, 0, NELEM(summary));
	tcase_add_test(tc, test_summary_unknown);
	tcase_add_loop_test(tc, test_loss, 0, NELEM(loss));
	tcase_add_test(tc, test_history_chunks);
	suite_add_tcase(s, tc);
	return s;
}
