/* check_options.c - the command line: numbers, defaults, names, errors */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ARGV_MAX 16

/* parse -- run options_parse on a NULL-terminated list of arguments */
static int
parse(struct options *o, char *err, size_t errlen, const char *const *args)
{
	const char *argv[ARGV_MAX + 1];
	int argc = 0;

	argv[argc++] = "ipsweep";
	while (*args != NULL && argc < ARGV_MAX)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	return options_parse(argc, argv, 8, o, err, errlen);
}

/* Good numbers: the value each option takes, and where it lands. */
enum field {
	F_JOBS, F_COUNT, F_TIMEOUT, F_RATE, F_MAX_ADDR, F_FIRST, F_MIN_FREE,
	F_DEADLINE, F_MAX_COUNT
};

static uint64_t
field_value(const struct options *o, enum field f)
{
	switch (f) {
	case F_JOBS:
		return o->jobs;
	case F_COUNT:
		return o->count;
	case F_TIMEOUT:
		return o->timeout_ms;
	case F_RATE:
		return o->rate_pps;
	case F_MAX_ADDR:
		return o->max_addresses;
	case F_FIRST:
		return o->first;
	case F_MIN_FREE:
		return o->min_free;
	case F_DEADLINE:
		return o->deadline_s;
	case F_MAX_COUNT:
		return o->max_count;
	}
	return 0;
}

static const struct {
	const char *opt;
	const char *val;
	enum field field;
	uint64_t want;
} good[] = {
	{"-j", "1", F_JOBS, 1},
	{"--jobs", "256", F_JOBS, 256},
	{"--jobs=17", NULL, F_JOBS, 17},
	{"-j", "010", F_JOBS, 10},  /* decimal, never octal */
	{"-n", "1", F_COUNT, 1},
	{"--count", "20", F_COUNT, 20},
	{"-n", "3", F_COUNT, 3},
	{"-W", "1", F_TIMEOUT, 1},
	{"--timeout", "60000", F_TIMEOUT, 60000},
	{"-W", "250", F_TIMEOUT, 250},
	{"--rate", "1", F_RATE, 1},
	{"--rate", "1000000", F_RATE, 1000000},
	{"--rate=500", NULL, F_RATE, 500},
	{"--max-addresses", "1", F_MAX_ADDR, 1},
	{"--max-addresses", "16777216", F_MAX_ADDR, 16777216},
	{"--max-addresses", "131072", F_MAX_ADDR, 131072},
	{"--first", "1", F_FIRST, 1},
	{"--first", "16777216", F_FIRST, 16777216},
	{"--min-free", "0", F_MIN_FREE, 0},
	{"--min-free", "16777216", F_MIN_FREE, 16777216},
	{"--min-free=10", NULL, F_MIN_FREE, 10},
	{"--deadline", "1", F_DEADLINE, 1},
	{"--deadline", "86400", F_DEADLINE, 86400},
	{"--max-count", "2", F_MAX_COUNT, 2},
	{"--max-count", "20", F_MAX_COUNT, 20},
};

START_TEST(test_good_number)
{
	const char *args[] = {good[_i].opt, good[_i].val, "x", NULL};
	struct options o;
	char err[256];

	if (good[_i].val == NULL) {
		args[1] = "x";
		args[2] = NULL;
	}
	ck_assert_int_eq(parse(&o, err, sizeof(err), args), OPTIONS_OK);
	ck_assert_uint_eq(field_value(&o, good[_i].field), good[_i].want);
	/* a -j of any value is the user's choice, not the engine's */
	ck_assert_int_eq(o.jobs_given, good[_i].field == F_JOBS);
	ck_assert_uint_eq(o.n_names, 1);
	options_free(&o);
}
END_TEST

/* Bad numbers: tried against every numeric option. */
static const struct {
	const char *opt;
	const char *name;
	const char *range;
	const char *above;  /* the maximum plus one */
} numeric[] = {
	{"-j", "jobs", "1 to 256", "257"},
	{"-n", "count", "1 to 20", "21"},
	{"-W", "timeout", "1 to 60000", "60001"},
	{"--rate", "rate", "1 to 1000000", "1000001"},
	{"--max-addresses", "max-addresses", "1 to 16777216", "16777217"},
	{"--first", "first", "1 to 16777216", "16777217"},
	{"--deadline", "deadline", "1 to 86400", "86401"},
	{"--max-count", "max-count", "1 to 20", "21"},
};

static const char *const bad_values[] = {
	"0", "00", "-1", "abc", "1e9", "99999999999999999999",
	"18446744073709551616", "18446744073709551615", "", "5x", "+5", " 5",
	"5 ", "0x10", "1.5", "4294967297", "\x1b[2J",
	NULL  /* the option's maximum plus one */
};

/* bad_quoted -- how a bad value appears in the message */
static const char *
bad_quoted(const char *v)
{
	return strcmp(v, "\x1b[2J") == 0 ? "\\x1b[2J" : v;
}

START_TEST(test_bad_number)
{
	size_t opt = (size_t)_i / NELEM(bad_values);
	size_t val = (size_t)_i % NELEM(bad_values);
	const char *v = bad_values[val] ? bad_values[val] : numeric[opt].above;
	const char *args[] = {numeric[opt].opt, v, "x", NULL};
	struct options o;
	char err[256], want[256];

	snprintf(want, sizeof(want),
	    "option '--%s': '%s' is not a whole number from %s",
	    numeric[opt].name, bad_quoted(v), numeric[opt].range);
	ck_assert_int_eq(parse(&o, err, sizeof(err), args),
	    OPTIONS_USAGE_ERROR);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(o.names);
	ck_assert_uint_eq(o.n_names, 0);
	options_free(&o);
}
END_TEST

START_TEST(test_defaults)
{
	const char *args[] = {"10.0.0.1", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), args), OPTIONS_OK);
	ck_assert_uint_eq(o.jobs, 8);
	ck_assert_int_eq(o.jobs_given, 0);
	ck_assert_uint_eq(o.count, 2);
	ck_assert_uint_eq(o.timeout_ms, 1000);
	ck_assert_uint_eq(o.rate_pps, 20000);
	ck_assert_uint_eq(o.max_addresses, 65536);
	ck_assert_int_eq(o.method, OPTIONS_METHOD_AUTO);
	ck_assert_ptr_null(o.config);
	ck_assert_int_eq(o.dry_run, 0);
	ck_assert_int_eq(o.list, 0);
	ck_assert_int_eq(o.alive, 0);
	ck_assert_int_eq(o.quiet, 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_uint_eq(o.n_names, 1);
	ck_assert_str_eq(o.names[0], "10.0.0.1");
	ck_assert_int_eq(o.select, OPTIONS_SELECT_FREE);
	ck_assert_int_eq(o.format, OPTIONS_FORMAT_PLAIN);
	ck_assert_int_eq(o.null, 0);
	ck_assert_uint_eq(o.first, 0);
	ck_assert_uint_eq(o.min_free, 1);
	ck_assert_uint_eq(o.deadline_s, 0);
	ck_assert_ptr_null(o.lock);
	ck_assert_int_eq(o.progress, -1);
	ck_assert_uint_eq(o.max_count, 12);
	ck_assert(o.confidence > 0.98999 && o.confidence < 0.99001);
	options_free(&o);
}
END_TEST

/* --max-count follows -n when only -n is raised; --confidence parses. */
START_TEST(test_loss_options)
{
	const char *a1[] = {"-n", "15", "x", NULL};
	const char *a2[] = {"--confidence", "0.999999", "x", NULL};
	const char *a3[] = {"--confidence=0.5", "x", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), a1), OPTIONS_OK);
	ck_assert_uint_eq(o.max_count, 15);
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, sizeof(err), a2), OPTIONS_OK);
	ck_assert(o.confidence > 0.9999989 && o.confidence < 0.9999991);
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, sizeof(err), a3), OPTIONS_OK);
	ck_assert(o.confidence == 0.5);
	options_free(&o);
}
END_TEST

/* The output and cron options land where the sweep looks for them. */
START_TEST(test_output_options)
{
	const char *a1[] = {"--alive", "--format", "ndjson", "x", NULL};
	const char *a2[] = {"--all", "-0", "--lock", "/run/l", "--progress",
	    "x", NULL};
	const char *a3[] = {"--progress", "--no-progress", "--format=json",
	    "x", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), a1), OPTIONS_OK);
	ck_assert_int_eq(o.select, OPTIONS_SELECT_USED);
	ck_assert_int_eq(o.format, OPTIONS_FORMAT_NDJSON);
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, sizeof(err), a2), OPTIONS_OK);
	ck_assert_int_eq(o.select, OPTIONS_SELECT_ALL);
	ck_assert_int_eq(o.null, 1);
	ck_assert_str_eq(o.lock, "/run/l");
	ck_assert_int_eq(o.progress, 1);
	options_free(&o);
	ck_assert_int_eq(parse(&o, err, sizeof(err), a3), OPTIONS_OK);
	ck_assert_int_eq(o.progress, 0);
	ck_assert_int_eq(o.format, OPTIONS_FORMAT_JSON);
	options_free(&o);
	{
		const char *a4[] = {"--tcp", "443, 22,443", "x", NULL};

		ck_assert_int_eq(parse(&o, err, sizeof(err), a4), OPTIONS_OK);
		ck_assert_uint_eq(o.n_tcp_ports, 2);
		ck_assert_uint_eq(o.tcp_ports[0], 443);
		ck_assert_uint_eq(o.tcp_ports[1], 22);
		options_free(&o);
	}
	{
		const char *a5[] = {"--dns", "x", NULL};
		const char *a6[] = {"--dns-server", "192.0.2.53:53", "x",
			NULL};

		ck_assert_int_eq(parse(&o, err, sizeof(err), a5), OPTIONS_OK);
		ck_assert_int_eq(o.dns, 1);
		ck_assert_ptr_null(o.dns_server);
		options_free(&o);
		ck_assert_int_eq(parse(&o, err, sizeof(err), a6), OPTIONS_OK);
		ck_assert_int_eq(o.dns, 1);
		ck_assert_str_eq(o.dns_server, "192.0.2.53:53");
		options_free(&o);
	}
}
END_TEST

/* The default for -j is clamped to 1..OPTIONS_JOBS_MAX. */
static const unsigned jobs_in[] = {0, 1, 7, 256, 257, 4096};
static const unsigned jobs_out[] = {1, 1, 7, 256, 256, 256};

START_TEST(test_default_jobs)
{
	const char *argv[] = {"ipsweep", "x", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(options_parse(2, argv, jobs_in[_i], &o, err,
	    sizeof(err)), OPTIONS_OK);
	ck_assert_uint_eq(o.jobs, jobs_out[_i]);
	options_free(&o);
}
END_TEST

START_TEST(test_names_order)
{
	const char *args[] = {"a", "-i", "b", "c", "--ip", "d", "--ip=e",
	    "-v", "f", "--", "-i", "--list", NULL};
	const char *want[] = {"a", "b", "c", "d", "e", "f", "-i", "--list"};
	struct options o;
	char err[256];
	size_t i;

	ck_assert_int_eq(parse(&o, err, sizeof(err), args), OPTIONS_OK);
	ck_assert_uint_eq(o.n_names, NELEM(want));
	for (i = 0; i < NELEM(want); i++)
		ck_assert_str_eq(o.names[i], want[i]);
	ck_assert_int_eq(o.list, 0);
	ck_assert_int_eq(o.verbose, 1);
	options_free(&o);
	ck_assert_ptr_null(o.names);
}
END_TEST

START_TEST(test_many_names)
{
	const char *argv[64];
	struct options o;
	char err[256], names[60][16];
	int i;

	argv[0] = "ipsweep";
	for (i = 0; i < 60; i++) {
		snprintf(names[i], sizeof(names[i]), "n%d", i);
		argv[i + 1] = names[i];
	}
	argv[61] = NULL;
	ck_assert_int_eq(options_parse(61, argv, 1, &o, err, sizeof(err)),
	    OPTIONS_OK);
	ck_assert_uint_eq(o.n_names, 60);
	for (i = 0; i < 60; i++)
		ck_assert_str_eq(o.names[i], names[i]);
	options_free(&o);
}
END_TEST

static const struct {
	const char *arg;
	int rc;
	enum options_method method;
	const char *err;
} methods[] = {
	{"--method=icmp", OPTIONS_OK, OPTIONS_METHOD_ICMP, NULL},
	{"--method=exec", OPTIONS_OK, OPTIONS_METHOD_EXEC, NULL},
	{"--method=auto", OPTIONS_OK, OPTIONS_METHOD_AUTO, NULL},
	{"--method=ICMP", OPTIONS_USAGE_ERROR, 0,
	    "option '--method': 'ICMP' is not one of icmp, exec, auto"},
	{"--method=", OPTIONS_USAGE_ERROR, 0,
	    "option '--method': '' is not one of icmp, exec, auto"},
	{"--method=raw", OPTIONS_USAGE_ERROR, 0,
	    "option '--method': 'raw' is not one of icmp, exec, auto"},
	{"--method=icmp ", OPTIONS_USAGE_ERROR, 0,
	    "option '--method': 'icmp ' is not one of icmp, exec, auto"},
};

START_TEST(test_method)
{
	const char *args[] = {"--method=exec", methods[_i].arg, "x", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), args), methods[_i].rc);
	if (methods[_i].rc == OPTIONS_OK)
		ck_assert_int_eq(o.method, methods[_i].method);
	else
		ck_assert_str_eq(err, methods[_i].err);
	options_free(&o);
}
END_TEST

/* Usage errors that are not about a number. */
static const struct {
	const char *args[6];
	const char *err;
} usage_errors[] = {
	{{"--frobnicate", "x"}, "--frobnicate: unknown option"},
	{{"x", "--frobnicate=3"}, "--frobnicate=3: unknown option"},
	{{"-x", "x"}, "-x: unknown option"},
	{{"x", "-j"}, "-j: missing argument"},
	{{"x", "--count"}, "--count: missing argument"},
	{{"x", "--config"}, "--config: missing argument"},
	{{"x", "-i"}, "-i: missing argument"},
	{{"--quiet=1", "x"}, "--quiet=1: option does not take an argument"},
	{{"--dry-run=yes", "x"},
	    "--dry-run=yes: option does not take an argument"},
	{{"--x\x07y", "x"}, "--x\\x07y: unknown option"},
	{{"-q", "-v", "x"},
	    "options '--quiet' and '--verbose' cannot be used together"},
	{{"-qv", "x"},
	    "options '--quiet' and '--verbose' cannot be used together"},
	{{"--list", "x"}, "option '--list' takes no range name or target"},
	{{"--list", "-i", "x"},
	    "option '--list' takes no range name or target"},
	{{NULL}, "no range name or target given"},
	{{"--dry-run", "-j", "4"}, "no range name or target given"},
	{{"-c", "", "x"}, "option '--config': empty file name"},
	{{"--lock", "", "x"}, "option '--lock': empty file name"},
	{{"--alive", "--all", "x"},
	    "options '--alive' and '--all' cannot be used together"},
	{{"-0", "--format=csv", "x"},
	    "option '--null' goes with '--format=plain' only"},
	{{"--first", "1", "--all", "x"}, "option '--first' selects free "
	    "addresses: not with '--alive' or '--all'"},
	{{"-n", "3", "--max-count", "2", "x"},
	    "option '--max-count': 2 is below '--count' 3"},
	{{"--confidence", "0.4", "x"}, "option '--confidence': '0.4' is not "
	    "a decimal fraction from 0.5 to 0.999999"},
	{{"--confidence", "1", "x"}, "option '--confidence': '1' is not "
	    "a decimal fraction from 0.5 to 0.999999"},
	{{"--confidence", "0.9999999", "x"}, "option '--confidence': "
	    "'0.9999999' is not a decimal fraction from 0.5 to 0.999999"},
	{{"--confidence", "0.9e1", "x"}, "option '--confidence': '0.9e1' is "
	    "not a decimal fraction from 0.5 to 0.999999"},
	{{"--tcp", "22,,80", "x"},
	    "option '--tcp': empty port in '22,,80'"},
	{{"--tcp", "70000", "x"},
	    "option '--tcp': port '70000' out of range 1-65535 in '70000'"},
	{{"--dns-server", "192.0.2.300", "x"}, "option '--dns-server': "
	    "'192.0.2.300' is not a.b.c.d or a.b.c.d:port"},
	{{"--dns-server", "192.0.2.1:99999", "x"}, "option '--dns-server': "
	    "'192.0.2.1:99999' is not a.b.c.d or a.b.c.d:port"},
	{{"--format=xml", "x"},
	    "option '--format': 'xml' is not one of plain, csv, json, ndjson"},
	{{"--min-free", "-1", "x"}, "option '--min-free': '-1' is not a "
	    "whole number from 0 to 16777216"},
	{{"--min-free", "16777217", "x"}, "option '--min-free': '16777217' "
	    "is not a whole number from 0 to 16777216"},
};

START_TEST(test_usage_error)
{
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), usage_errors[_i].args),
	    OPTIONS_USAGE_ERROR);
	ck_assert_str_eq(err, usage_errors[_i].err);
	ck_assert_ptr_null(o.names);
	ck_assert_ptr_null(o.config);
	options_free(&o);
}
END_TEST

START_TEST(test_flags)
{
	const char *args[] = {"--alive", "--dry-run", "-vvv", "--verbose",
	    "-c", "first.conf", "--config=second.conf", "x", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), args), OPTIONS_OK);
	ck_assert_int_eq(o.alive, 1);
	ck_assert_int_eq(o.dry_run, 1);
	ck_assert_int_eq(o.verbose, 4);
	ck_assert_int_eq(o.quiet, 0);
	ck_assert_str_eq(o.config, "second.conf");
	options_free(&o);
	ck_assert_ptr_null(o.config);
}
END_TEST

START_TEST(test_list_quiet)
{
	const char *args[] = {"--list", "-q", "-c", "r.conf", NULL};
	struct options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), args), OPTIONS_OK);
	ck_assert_int_eq(o.list, 1);
	ck_assert_int_eq(o.quiet, 1);
	ck_assert_uint_eq(o.n_names, 0);
	options_free(&o);
}
END_TEST

/*
 * capture -- run options_parse with stdout sent to a temporary file;
 * returns the status and what was printed (caller frees *OUT).
 */
static int
capture(const char *const *args, char **out)
{
	struct options o;
	char err[256];
	FILE *tf = tmpfile();
	int saved, rc;
	long len;

	ck_assert_ptr_nonnull(tf);
	fflush(stdout);
	saved = dup(1);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fileno(tf), 1), 1);
	rc = parse(&o, err, sizeof(err), args);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	options_free(&o);
	len = ftell(tf);
	ck_assert_int_gt(len, 0);
	*out = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(*out);
	rewind(tf);
	ck_assert_uint_eq(fread(*out, 1, (size_t)len, tf), (size_t)len);
	fclose(tf);
	return rc;
}

/* Every option, its argument name and its default, as --help shows them. */
static const char *const help_has[] = {
	"-i, --ip=NAME|TARGET", "-c, --config=FILE", "-j, --jobs=N",
	"-n, --count=N", "-W, --timeout=MS", "--rate=PPS",
	"--max-addresses=N", "--method=METHOD", "--alive", "--dry-run",
	"--list", "-q, --quiet", "-v, --verbose", "--help", "--usage",
	"--version", "1-256 (default: as many as --rate", "CPU: 8 here)",
	"1-20 (default: 2)", "1-60000 (default: 1000)",
	"1-1000000 (default: 20000)", "1-16777216 (default: 65536)",
	"(default: auto)", "$IPSWEEP_CONFIG", "XDG_CONFIG_HOME",
	"/ipsweep/ranges.conf", "Usage: ipsweep ",
};

START_TEST(test_help)
{
	const char *args[] = {"x", "--help", "--frobnicate", NULL};
	char *out;

	ck_assert_int_eq(capture(args, &out), OPTIONS_EXIT_OK);
	ck_assert_msg(strstr(out, help_has[_i]) != NULL,
	    "--help lacks '%s'", help_has[_i]);
	free(out);
}
END_TEST

/*
 * The option lines of --help: each help text starts in column 25 and its
 * continuation lines are indented to it; nothing is wider than 79.
 */
START_TEST(test_help_layout)
{
	const char *args[] = {"--help", NULL};
	char *out, *line, *next;
	int options = 0;

	ck_assert_int_eq(capture(args, &out), OPTIONS_EXIT_OK);
	ck_assert_ptr_nonnull(strstr(out, "\n  -j, --jobs=N           worker "
	    "processes, 1-256 (default: as many as --rate\n"
	    "                         needs at 100000 packets/s each, 2 at "
	    "least, at most\n"
	    "                         one per online CPU: 8 here)\n"));
	ck_assert_ptr_nonnull(strstr(out, "\n      --deadline=SECONDS end the "
	    "whole run, every phase, after SECONDS,\n"));
	for (line = out; *line != '\0'; line = next + 1) {
		next = strchr(line, '\n');
		ck_assert_ptr_nonnull(next);
		ck_assert_msg(next - line <= 79, "too wide: %.*s",
		    (int)(next - line), line);
		if (strncmp(line, "  -", 3) != 0 &&
		    strncmp(line, "      --", 8) != 0 &&
		    strncmp(line, "                         ", 25) != 0)
			continue;
		ck_assert_msg(next - line > 25 && line[24] == ' ' &&
		    line[25] != ' ', "help text not in column 25: %.*s",
		    (int)(next - line), line);
		if (line[2] == '-' || line[6] == '-')
			options++;
	}
	ck_assert_int_eq(options, 37);
	free(out);
}
END_TEST

START_TEST(test_version_usage)
{
	const char *v[] = {"--version", NULL};
	const char *u[] = {"--usage", "x", NULL};
	char *out;

	ck_assert_int_eq(capture(v, &out), OPTIONS_EXIT_OK);
	ck_assert_str_eq(out, "ipsweep " IPSWEEP_VERSION "\n");
	free(out);
	ck_assert_int_eq(capture(u, &out), OPTIONS_EXIT_OK);
	ck_assert_msg(strncmp(out, "Usage: ipsweep [-0qv]", 21) == 0, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "ipsweep --list [-c FILE]\n"));
	free(out);
}
END_TEST

/* options_parse_uint on its own: the edges of a 64-bit number. */
static const struct {
	const char *s;
	uint64_t min, max;
	int rc;
	uint64_t want;
} uints[] = {
	{"0", 0, 10, 0, 0},
	{"10", 0, 10, 0, 10},
	{"11", 0, 10, -1, 0},
	{"18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX},
	{"18446744073709551616", 0, UINT64_MAX, -1, 0},
	{"99999999999999999999", 0, UINT64_MAX, -1, 0},
	{"000000000000000000000000000042", 0, 100, 0, 42},
	{"5", 6, 10, -1, 0},
	{"", 0, 10, -1, 0},
	{"-0", 0, 10, -1, 0},
	{"1\n", 0, 10, -1, 0},
	{"\t1", 0, 10, -1, 0},
};

START_TEST(test_parse_uint)
{
	uint64_t v = 12345;

	ck_assert_int_eq(options_parse_uint(uints[_i].s, uints[_i].min,
	    uints[_i].max, &v), uints[_i].rc);
	ck_assert_uint_eq(v, uints[_i].rc == 0 ? uints[_i].want : 12345);
}
END_TEST

START_TEST(test_parse_uint_null)
{
	uint64_t v = 7;

	ck_assert_int_eq(options_parse_uint(NULL, 0, 10, &v), -1);
	ck_assert_uint_eq(v, 7);
}
END_TEST

Suite *options_suite(void);

Suite *
options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc;

	tc = tcase_create("numbers");
	tcase_add_loop_test(tc, test_good_number, 0, NELEM(good));
	tcase_add_loop_test(tc, test_bad_number, 0,
	    NELEM(numeric) * NELEM(bad_values));
	tcase_add_loop_test(tc, test_parse_uint, 0, NELEM(uints));
	tcase_add_test(tc, test_parse_uint_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("defaults");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_output_options);
	tcase_add_test(tc, test_loss_options);
	tcase_add_loop_test(tc, test_default_jobs, 0, NELEM(jobs_in));
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_names_order);
	tcase_add_test(tc, test_many_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("flags");
	tcase_add_loop_test(tc, test_method, 0, NELEM(methods));
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_list_quiet);
	tcase_add_loop_test(tc, test_usage_error, 0, NELEM(usage_errors));
	suite_add_tcase(s, tc);

	tc = tcase_create("help");
	tcase_add_loop_test(tc, test_help, 0, NELEM(help_has));
	tcase_add_test(tc, test_help_layout);
	tcase_add_test(tc, test_version_usage);
	suite_add_tcase(s, tc);
	return s;
}
