/* options.c - the command line: one table of options, from which the popt
 * table, the --help text and the parse are made; strict numbers */
#include <limits.h>
#include <popt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "duration.h"
#include "escape.h"
#include "options.h"
#include "tcp.h"

/* options_esc -- the NUL-terminated S, escaped for a message, in BUF */
static const char *
options_esc(const char *s, char *buf, size_t len)
{
	return escape_quote(buf, len, s, strlen(s), (size_t)-1);
}

#define STR(x) #x
#define XSTR(x) STR(x)

#ifndef IPSWEEP_VERSION
#define IPSWEEP_VERSION "unknown"
#endif
#ifndef IPSWEEP_SYSCONFDIR
#define IPSWEEP_SYSCONFDIR "/etc"
#endif

/*
 * How an option's value is checked and where it goes.  Every option that
 * takes a value gets it as a string, never POPT_ARG_INT: popt's number
 * parsing accepts signs, blanks and other bases, and we want one strict
 * rule and one message for all numbers.
 */
enum options_kind {
	OPTIONS_K_FLAG,      /* no value: stores VALUE in the int field */
	OPTIONS_K_COUNTER,   /* no value: adds one to the int field */
	OPTIONS_K_UINT,      /* a whole number MIN..MAX: unsigned, uint64_t */
	OPTIONS_K_ENUM,      /* one of CHOICES: its value in the enum field */
	OPTIONS_K_STRING,    /* a non-empty file name; a later one replaces */
	OPTIONS_K_LIST,      /* appended to names; positional arguments too */
	OPTIONS_K_PORTS,     /* TCP ports into tcp_ports and n_tcp_ports */
	OPTIONS_K_FRACTION,  /* a decimal fraction 0.5..0.999999: double */
	OPTIONS_K_DURATION,  /* 30d, 12h, 90m (duration_parse): seconds,
				uint64_t */
	OPTIONS_K_ACTION     /* no value: VALUE says what to print; exit 0 */
};

/* What OPTIONS_K_ACTION options print. */
enum {
	OPTIONS_ACT_HELP,
	OPTIONS_ACT_USAGE,
	OPTIONS_ACT_VERSION
};

/* One word an OPTIONS_K_ENUM option accepts, and what it stores. */
struct options_choice {
	const char *word;
	int value;
};

/*
 * One command-line option.  The popt table and the --help text are both
 * made from these, in this order.  In HELP, '\n' starts a continuation
 * line (indented under the first) and "%u" stands for the default number
 * of jobs; nothing else is special.
 */
struct options_spec {
	const char *name;          /* long name, without "--" */
	char short_name;           /* or '\0' */
	enum options_kind kind;
	size_t offset;             /* the field of struct options */
	size_t size;               /* its size, checked when storing */
	uint64_t min, max;         /* OPTIONS_K_UINT: the accepted range */
	int value;                 /* OPTIONS_K_FLAG, OPTIONS_K_ACTION */
	const struct options_choice *choices;  /* OPTIONS_K_ENUM, NULL-ended */
	const char *arg;           /* the value's name in --help; NULL: none */
	const char *help;
};

#define OPTIONS_FIELD(f) \
	.offset = offsetof(struct options, f), \
	.size = sizeof(((struct options *)0)->f)

static const struct options_choice options_methods[] = {
	{"icmp", OPTIONS_METHOD_ICMP},
	{"exec", OPTIONS_METHOD_EXEC},
	{"auto", OPTIONS_METHOD_AUTO},
	{NULL, 0}
};

static const struct options_choice options_formats[] = {
	{"plain", OPTIONS_FORMAT_PLAIN},
	{"csv", OPTIONS_FORMAT_CSV},
	{"json", OPTIONS_FORMAT_JSON},
	{"ndjson", OPTIONS_FORMAT_NDJSON},
	{NULL, 0}
};

/* Every option; the order is that of --help and of OPTIONS in ipsweep(1). */
static const struct options_spec options_specs[] = {
	{.name = "ip", .short_name = 'i', .kind = OPTIONS_K_LIST,
	    OPTIONS_FIELD(names), .arg = "NAME|TARGET",
	    .help = "a range of the configuration, or a target:\n"
	    "a.b.c.d, a.b.c.d/nn, a.b.c.d-e.f.g.h, a.b.c.d-h;\n"
	    "repeatable; arguments work the same"},
	{.name = "config", .short_name = 'c', .kind = OPTIONS_K_STRING,
	    OPTIONS_FIELD(config), .arg = "FILE",
	    .help = "configuration file; default: $IPSWEEP_CONFIG, else\n"
	    "$XDG_CONFIG_HOME/ipsweep/ranges.conf (or under\n"
	    "~/.config) if it exists, else\n"
	    IPSWEEP_SYSCONFDIR "/ipsweep/ranges.conf"},
	{.name = "jobs", .short_name = 'j', .kind = OPTIONS_K_UINT,
	    OPTIONS_FIELD(jobs), .min = 1, .max = OPTIONS_JOBS_MAX, .arg = "N",
	    .help = "worker processes, 1-" XSTR(OPTIONS_JOBS_MAX)
	    " (default: as many as --rate\nneeds at 100000 packets/s each, 2 at "
	    "least, at most\none per online CPU: %u here)"},
	{.name = "count", .short_name = 'n', .kind = OPTIONS_K_UINT,
	    OPTIONS_FIELD(count), .min = 1, .max = OPTIONS_COUNT_MAX,
	    .arg = "N",
	    .help = "probes per address, 1-" XSTR(OPTIONS_COUNT_MAX)
	    " (default: " XSTR(OPTIONS_COUNT_DEFAULT) ")"},
	{.name = "timeout", .short_name = 'W', .kind = OPTIONS_K_UINT,
	    OPTIONS_FIELD(timeout_ms), .min = 1, .max = OPTIONS_TIMEOUT_MAX,
	    .arg = "MS",
	    .help = "how long each probe waits for its reply in\n"
	    "milliseconds, 1-" XSTR(OPTIONS_TIMEOUT_MAX) " (default: "
	    XSTR(OPTIONS_TIMEOUT_DEFAULT) ")"},
	/* accepted from 1: that it is not below -n is checked at the end */
	{.name = "max-count", .kind = OPTIONS_K_UINT, OPTIONS_FIELD(max_count),
	    .min = 1, .max = OPTIONS_COUNT_MAX, .arg = "N",
	    .help = "at most N probes per silent address when loss is\n"
	    "seen, -n to " XSTR(OPTIONS_COUNT_MAX) " (default: "
	    XSTR(OPTIONS_MAX_COUNT_DEFAULT) ", or -n); if the\n"
	    "loss needs more, it is unknown"},
	{.name = "confidence", .kind = OPTIONS_K_FRACTION,
	    OPTIONS_FIELD(confidence), .arg = "P",
	    .help = "probe silent addresses until no live one is free\n"
	    "with probability P, 0.5-0.999999 (default: "
	    OPTIONS_CONFIDENCE_DEFAULT ")"},
	{.name = "tcp", .kind = OPTIONS_K_PORTS, OPTIONS_FIELD(tcp_ports),
	    .arg = "PORTS",
	    .help = "try TCP connections to PORTS (e.g. 22,80,443) on\n"
	    "addresses silent to ICMP; an accept or a refusal\n"
	    "makes them used"},
	{.name = "dns", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(dns),
	    .value = 1,
	    .help = "look up the PTR name of addresses otherwise free;\n"
	    "a name makes them used, a failed lookup unknown"},
	{.name = "dns-server", .kind = OPTIONS_K_STRING,
	    OPTIONS_FIELD(dns_server), .arg = "ADDR",
	    .help = "ask ADDR (a.b.c.d or a.b.c.d:port) instead of the\n"
	    "servers of /etc/resolv.conf; implies --dns"},
	{.name = "rate", .kind = OPTIONS_K_UINT, OPTIONS_FIELD(rate_pps),
	    .min = 1, .max = OPTIONS_RATE_MAX, .arg = "PPS",
	    .help = "probes per second, all workers together,\n"
	    "1-" XSTR(OPTIONS_RATE_MAX) " (default: "
	    XSTR(OPTIONS_RATE_DEFAULT) ")"},
	{.name = "max-addresses", .kind = OPTIONS_K_UINT,
	    OPTIONS_FIELD(max_addresses), .min = 1,
	    .max = OPTIONS_MAX_ADDR_MAX, .arg = "N",
	    .help = "refuse to sweep more addresses than N,\n"
	    "1-" XSTR(OPTIONS_MAX_ADDR_MAX) " (default: "
	    XSTR(OPTIONS_MAX_ADDR_DEFAULT) ")"},
	{.name = "method", .kind = OPTIONS_K_ENUM, OPTIONS_FIELD(method),
	    .choices = options_methods, .arg = "METHOD",
	    .help = "icmp (ICMP sockets), exec (ping(8) per address)\n"
	    "or auto: icmp, else exec (default: auto)"},
	{.name = "exec-inflight", .kind = OPTIONS_K_UINT,
	    OPTIONS_FIELD(exec_inflight), .min = 1,
	    .max = OPTIONS_EXEC_INFLIGHT_MAX, .arg = "N",
	    .help = "ping(8) processes each worker runs at once with\n"
	    "the exec method, 1-" XSTR(OPTIONS_EXEC_INFLIGHT_MAX)
	    " (default: " XSTR(OPTIONS_EXEC_INFLIGHT_DEFAULT) ")"},
	{.name = "alive", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(alive),
	    .value = 1,
	    .help = "print the used addresses instead of the free ones"},
	{.name = "all", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(select),
	    .value = OPTIONS_SELECT_ALL,
	    .help = "print every address with its verdict and reason"},
	{.name = "format", .kind = OPTIONS_K_ENUM, OPTIONS_FIELD(format),
	    .choices = options_formats, .arg = "FORMAT",
	    .help = "plain, csv, json or ndjson (default: plain)"},
	{.name = "null", .short_name = '0', .kind = OPTIONS_K_FLAG,
	    OPTIONS_FIELD(null), .value = 1,
	    .help = "end plain records with NUL, not newline"},
	{.name = "first", .kind = OPTIONS_K_UINT, OPTIONS_FIELD(first),
	    .min = 1, .max = OPTIONS_MAX_ADDR_MAX, .arg = "N",
	    .help = "print only the N lowest free addresses; stop once\n"
	    "they are decided"},
	{.name = "min-free", .kind = OPTIONS_K_UINT, OPTIONS_FIELD(min_free),
	    .min = 0, .max = OPTIONS_MAX_ADDR_MAX, .arg = "N",
	    .help = "exit 1 when fewer than N addresses are free,\n"
	    "0-" XSTR(OPTIONS_MAX_ADDR_MAX) " (default: 1)"},
	{.name = "deadline", .kind = OPTIONS_K_UINT, OPTIONS_FIELD(deadline_s),
	    .min = 1, .max = OPTIONS_DEADLINE_MAX, .arg = "SECONDS",
	    .help = "end the whole run, every phase, after SECONDS,\n"
	    "1-" XSTR(OPTIONS_DEADLINE_MAX) "; undecided addresses are "
	    "unknown"},
	{.name = "lock", .kind = OPTIONS_K_STRING, OPTIONS_FIELD(lock),
	    .arg = "FILE",
	    .help = "take an exclusive lock on FILE; exit 75 if another\n"
	    "run holds it"},
	{.name = "progress", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(progress),
	    .value = 1, .help = "show a progress line on stderr"},
	{.name = "no-progress", .kind = OPTIONS_K_FLAG,
	    OPTIONS_FIELD(progress), .value = 0,
	    .help = "never (default: only when stderr is a terminal)"},
	{.name = "dry-run", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(dry_run),
	    .value = 1,
	    .help = "print the addresses that would be probed, send\n"
	    "nothing"},
	{.name = "list", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(list),
	    .value = 1,
	    .help = "print each range of the configuration: name,\n"
	    "address count, file:line"},
	{.name = "no-history", .kind = OPTIONS_K_FLAG,
	    OPTIONS_FIELD(no_history), .value = 1,
	    .help = "do not record this run in the history database"},
	{.name = "db", .kind = OPTIONS_K_STRING, OPTIONS_FIELD(db),
	    .arg = "FILE|URL",
	    .help = "the history: an SQLite file, or postgresql://...;\n"
	    "default: $IPSWEEP_DB, else `db =` of ranges.conf,\n"
	    "else /var/lib/ipsweep/history.db (root) or\n"
	    "$XDG_STATE_HOME/ipsweep/history.db"},
	{.name = "site", .kind = OPTIONS_K_STRING, OPTIONS_FIELD(site),
	    .arg = "NAME",
	    .help = "where this run looks from, in the history\n"
	    "(default: the host name)"},
	{.name = "free-for", .kind = OPTIONS_K_DURATION,
	    OPTIONS_FIELD(free_for_s), .arg = "TIME",
	    .help = "free only if the history saw it unused for\n"
	    "TIME (30d, 12h, 90m) and covers that long"},
	{.name = "diff", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(diff),
	    .value = 1,
	    .help = "print what changed since the last run: +ADDR\n"
	    "newly used, -ADDR newly free"},
	{.name = "last-seen", .kind = OPTIONS_K_FLAG, OPTIONS_FIELD(last_seen),
	    .value = 1,
	    .help = "print the history of every address (last seen,\n"
	    "by what, first and last check); send nothing"},
	{.name = "quiet", .short_name = 'q', .kind = OPTIONS_K_FLAG,
	    OPTIONS_FIELD(quiet), .value = 1,
	    .help = "print no summary or notes, only errors; not with -v"},
	{.name = "verbose", .short_name = 'v', .kind = OPTIONS_K_COUNTER,
	    OPTIONS_FIELD(verbose),
	    .help = "more detail on stderr; repeatable"},
	{.name = "help", .kind = OPTIONS_K_ACTION, .value = OPTIONS_ACT_HELP,
	    .help = "print this help and exit"},
	{.name = "usage", .kind = OPTIONS_K_ACTION, .value = OPTIONS_ACT_USAGE,
	    .help = "print the short usage and exit"},
	{.name = "version", .kind = OPTIONS_K_ACTION,
	    .value = OPTIONS_ACT_VERSION,
	    .help = "print the version and exit"},
};

#define OPTIONS_NSPECS (sizeof(options_specs) / sizeof(options_specs[0]))

/* --help: the column where the help texts start */
#define OPTIONS_HELP_COLUMN 25

/* The SYNOPSIS of ipsweep(1), line for line. */
static const char options_synopsis[] =
    "Usage: ipsweep [-0qv] [--alive | --all] [--dry-run] [-c FILE] [-j N]\n"
    "               [-n N] [-W MS] [--deadline SECONDS] [--first N]\n"
    "               [--format FORMAT] [--lock FILE] [--max-addresses N]\n"
    "               [--max-count N] [--method METHOD] [--min-free N]\n"
    "               [--exec-inflight N]\n"
    "               [--confidence P] [--no-progress] [--progress]\n"
    "               [--rate PPS] [--tcp PORTS] [--dns]\n"
    "               [--dns-server ADDR] [--no-history] [--db FILE|URL]\n"
    "               [--site NAME] [--free-for TIME] [--diff]\n"
    "               [-i NAME|TARGET]... [NAME|TARGET]...\n"
    "       ipsweep --last-seen [-c FILE] [--db FILE|URL] [--format FORMAT]\n"
    "               [-i NAME|TARGET]... [NAME|TARGET]...\n"
    "       ipsweep --list [-c FILE]\n"
    "       ipsweep --help | --usage | --version\n";

/*
 * options_help_entry -- one option of --help: "  -j, --jobs=N", padded to
 * OPTIONS_HELP_COLUMN, then its help text with the continuation lines
 * indented to that column and "%u" replaced by DEFAULT_JOBS.
 */
static void
options_help_entry(const struct options_spec *s, unsigned default_jobs)
{
	const char *h;
	int col;

	if (s->short_name != '\0')
		col = printf("  -%c, --%s", s->short_name, s->name);
	else
		col = printf("      --%s", s->name);
	if (s->arg != NULL)
		col += printf("=%s", s->arg);
	do
		putchar(' ');
	while (++col < OPTIONS_HELP_COLUMN);
	for (h = s->help; *h != '\0'; h++) {
		if (*h == '\n')
			printf("\n%*s", OPTIONS_HELP_COLUMN, "");
		else if (h[0] == '%' && h[1] == 'u') {
			printf("%u", default_jobs);
			h++;
		} else
			putchar(*h);
	}
	putchar('\n');
}

/* options_help -- the --help text; the OPTIONS of ipsweep(1) in short */
static void
options_help(unsigned default_jobs)
{
	size_t i;

	fputs(options_synopsis, stdout);
	fputs("\n"
	    "Probe the addresses of named ranges (from ranges.conf) and of "
	    "literal\n"
	    "targets with ICMP echo, and print the free ones on stdout, one "
	    "per line,\n"
	    "sorted.  An address is free only when every check it needs (ICMP "
	    "or ARP\n"
	    "probes, canaries, TCP) finished and found nothing; every doubt "
	    "ends as\n"
	    "not free.\n"
	    "\n", stdout);
	for (i = 0; i < OPTIONS_NSPECS; i++)
		options_help_entry(&options_specs[i], default_jobs);
	fputs("\n"
	    "Exit status: 0 free addresses printed, 1 none free, 2 usage or\n"
	    "configuration error, 3 some addresses unknown, 4 cannot probe or "
	    "system\n"
	    "error, 5 results printed but the history not written, 75 "
	    "locked by\n"
	    "another run, 130 or 143 interrupted.\n"
	    "See ipsweep(1) and ranges.conf(5).\n",
	    stdout);
}

int
options_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * options_fraction -- strict "0.d..." (1 to 6 decimals) from 0.5 to
 * 0.999999 into *OUT, without strtod (locale, exponents, hex).  Returns 0
 * or -1.
 */
static int
options_fraction(const char *s, double *out)
{
	unsigned long num = 0, den = 1;
	size_t i;

	if (strncmp(s, "0.", 2) != 0 || s[2] == '\0' || strlen(s) > 8)
		return -1;
	for (i = 2; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		num = num * 10 + (unsigned long)(s[i] - '0');
		den *= 10;
	}
	if (num * 2 < den)
		return -1;
	*out = (double)num / (double)den;
	return 0;
}

/* options_error -- a usage error into ERR; returns OPTIONS_USAGE_ERROR */
static int options_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
options_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return OPTIONS_USAGE_ERROR;
}

/* options_add_name -- append NAME (taking ownership) to O->names */
static int
options_add_name(struct options *o, char *name, size_t *cap)
{
	if (o->n_names == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		const char **p = realloc(o->names, ncap * sizeof(*p));

		if (p == NULL)
			return -1;
		o->names = p;
		*cap = ncap;
	}
	o->names[o->n_names++] = name;
	return 0;
}

/* options_takes_arg -- 1 when popt hands a value with options of kind K */
static int
options_takes_arg(enum options_kind k)
{
	return k != OPTIONS_K_FLAG && k != OPTIONS_K_COUNTER &&
	    k != OPTIONS_K_ACTION;
}

/*
 * options_spec_ok -- whether S's field has the size its kind writes: a
 * check on the table, made before any option is applied.
 */
static int
options_spec_ok(const struct options_spec *s)
{
	switch (s->kind) {
	case OPTIONS_K_FLAG:
	case OPTIONS_K_COUNTER:
	case OPTIONS_K_ENUM:
		return s->size == sizeof(int);
	case OPTIONS_K_UINT:
		return s->size == sizeof(uint64_t) ||
		    (s->size == sizeof(unsigned) && s->max <= UINT_MAX);
	case OPTIONS_K_STRING:
		return s->size == sizeof(const char *);
	case OPTIONS_K_LIST:
		return s->size == sizeof(const char **);
	case OPTIONS_K_PORTS:
		return s->size == sizeof(((struct options *)0)->tcp_ports);
	case OPTIONS_K_FRACTION:
		return s->size == sizeof(double);
	case OPTIONS_K_DURATION:
		return s->size == sizeof(uint64_t);
	case OPTIONS_K_ACTION:
		return s->size == 0;
	}
	return 0;
}

/*
 * options_store -- V into the field of O that S names: an unsigned, an
 * int or an enum (4 bytes), or a uint64_t.  options_spec_ok has checked
 * that V's range fits the field.
 */
static void
options_store(struct options *o, const struct options_spec *s, uint64_t v)
{
	char *field = (char *)o + s->offset;

	if (s->size == sizeof(uint64_t)) {
		memcpy(field, &v, sizeof(v));
	} else {
		unsigned u = (unsigned)v;

		memcpy(field, &u, sizeof(u));
	}
}

/*
 * options_choose -- the value of the word ARG among CHOICES into *OUT, or
 * -1 with "'ARG' is not one of a, b, c" in ERR.
 */
static int
options_choose(const struct options_spec *s, const char *arg, int *out,
    char *err, size_t errlen)
{
	const struct options_choice *c;
	char words[128], q[64];
	size_t len = 0;

	for (c = s->choices; c->word != NULL; c++)
		if (strcmp(arg, c->word) == 0) {
			*out = c->value;
			return 0;
		}
	words[0] = '\0';
	for (c = s->choices; c->word != NULL && len < sizeof(words); c++)
		len += (size_t)snprintf(words + len, sizeof(words) - len, "%s%s",
		    c == s->choices ? "" : ", ", c->word);
	options_error(err, errlen, "option '--%s': '%s' is not one of %s",
	    s->name, options_esc(arg, q, sizeof(q)), words);
	return -1;
}

/* options_action -- print what an OPTIONS_K_ACTION option asks for */
static void
options_action(int act, unsigned default_jobs)
{
	switch (act) {
	case OPTIONS_ACT_HELP:
		options_help(default_jobs);
		break;
	case OPTIONS_ACT_USAGE:
		fputs(options_synopsis, stdout);
		break;
	default:
		fputs("ipsweep " IPSWEEP_VERSION "\n", stdout);
		break;
	}
}

/*
 * options_apply -- store the value ARG (owned by us; NULL for options
 * without one) of the option S in O, as S's kind says.  Returns OPTIONS_OK,
 * OPTIONS_EXIT_OK after printing help, usage or the version, or
 * OPTIONS_USAGE_ERROR with a message in ERR.  ARG is freed here unless it
 * was kept.
 */
static int
options_apply(struct options *o, const struct options_spec *s, char *arg,
    size_t *cap, unsigned default_jobs, char *err, size_t errlen)
{
	uint64_t v = 0;
	int rc = OPTIONS_OK, e;
	char q[64], perr[256];

	switch (s->kind) {
	case OPTIONS_K_LIST:
		if (options_add_name(o, arg, cap) == -1) {
			free(arg);
			return options_error(err, errlen, "out of memory");
		}
		return OPTIONS_OK;
	case OPTIONS_K_STRING: {
		const char **field = (const char **)((char *)o + s->offset);

		if (*arg == '\0') {
			rc = options_error(err, errlen,
			    "option '--%s': empty file name", s->name);
			break;
		}
		free((void *)*field);
		*field = arg;
		return OPTIONS_OK;
	}
	case OPTIONS_K_UINT:
		if (options_parse_uint(arg, s->min, s->max, &v) < 0)
			rc = options_error(err, errlen,
			    "option '--%s': '%s' is not a whole number from "
			    "%llu to %llu", s->name,
			    options_esc(arg, q, sizeof(q)),
			    (unsigned long long)s->min,
			    (unsigned long long)s->max);
		break;
	case OPTIONS_K_ENUM:
		if (options_choose(s, arg, &e, err, errlen) < 0)
			rc = OPTIONS_USAGE_ERROR;
		else
			v = (uint64_t)e;
		break;
	case OPTIONS_K_FLAG:
		v = (uint64_t)s->value;
		break;
	case OPTIONS_K_COUNTER:
		(*(int *)((char *)o + s->offset))++;
		break;
	case OPTIONS_K_PORTS:
		if (tcp_parse_ports(arg, o->tcp_ports, OPTIONS_TCP_PORTS_MAX,
		    &o->n_tcp_ports, perr, sizeof(perr)) < 0)
			rc = options_error(err, errlen, "option '--%s': %s",
			    s->name, perr);
		free(arg);
		return rc;
	case OPTIONS_K_FRACTION: {
		double d;

		if (options_fraction(arg, &d) < 0)
			rc = options_error(err, errlen,
			    "option '--%s': '%s' is not a decimal fraction "
			    "from 0.5 to 0.999999", s->name,
			    options_esc(arg, q, sizeof(q)));
		else
			*(double *)((char *)o + s->offset) = d;
		free(arg);
		return rc;
	}
	case OPTIONS_K_DURATION:
		if (duration_parse(arg, strlen(arg), &v) < 0) {
			rc = options_error(err, errlen,
			    "option '--%s': '%s' is not a duration such as "
			    "30d, 12h or 90m", s->name,
			    options_esc(arg, q, sizeof(q)));
			free(arg);
			return rc;
		}
		break;
	case OPTIONS_K_ACTION:
		options_action(s->value, default_jobs);
		free(arg);
		return OPTIONS_EXIT_OK;
	}
	free(arg);
	if (rc == OPTIONS_OK && s->kind != OPTIONS_K_COUNTER)
		options_store(o, s, v);
	return rc;
}

/*
 * options_check -- rules between options, once all are read: -q and -v
 * contradict each other; --list takes no names; anything else needs at
 * least one name or target.
 */
static int
options_check(const struct options *o, char *err, size_t errlen)
{
	if (o->quiet && o->verbose)
		return options_error(err, errlen,
		    "options '--quiet' and '--verbose' cannot be used "
		    "together");
	if (o->alive && o->select == OPTIONS_SELECT_ALL)
		return options_error(err, errlen,
		    "options '--alive' and '--all' cannot be used together");
	if (o->null && o->format != OPTIONS_FORMAT_PLAIN)
		return options_error(err, errlen,
		    "option '--null' goes with '--format=plain' only");
	if (o->first > 0 && (o->alive || o->select != OPTIONS_SELECT_FREE))
		return options_error(err, errlen,
		    "option '--first' selects free addresses: not with "
		    "'--alive' or '--all'");
	if (o->max_count > 0 && o->max_count < o->count)
		return options_error(err, errlen,
		    "option '--max-count': %u is below '--count' %u",
		    o->max_count, o->count);
	if (o->no_history && (o->diff || o->last_seen || o->free_for_s > 0))
		return options_error(err, errlen,
		    "option '--no-history' cannot be used with '--diff', "
		    "'--last-seen' or '--free-for'");
	if (o->diff && (o->alive || o->select != OPTIONS_SELECT_FREE ||
	    o->first > 0))
		return options_error(err, errlen,
		    "option '--diff' selects the changes: not with "
		    "'--alive', '--all' or '--first'");
	if (o->last_seen && (o->diff || o->dry_run || o->null))
		return options_error(err, errlen,
		    "option '--last-seen' cannot be used with '--diff', "
		    "'--dry-run' or '--null'");
	if (o->dns_server != NULL && !dns_server_ok(o->dns_server)) {
		char q[64];

		return options_error(err, errlen,
		    "option '--dns-server': '%s' is not a.b.c.d or "
		    "a.b.c.d:port", options_esc(o->dns_server, q, sizeof(q)));
	}
	if (o->list && o->n_names > 0)
		return options_error(err, errlen,
		    "option '--list' takes no range name or target");
	if (!o->list && o->n_names == 0)
		return options_error(err, errlen,
		    "no range name or target given");
	return OPTIONS_OK;
}

int
options_parse(int argc, const char **argv, unsigned default_jobs,
    struct options *o, char *err, size_t errlen)
{
	struct poptOption table[OPTIONS_NSPECS + 1];
	const struct options_spec *positional = NULL;
	poptContext con;
	size_t cap = 0, i;
	int opt, rc = OPTIONS_OK;
	char q[128];

	memset(o, 0, sizeof(*o));
	if (default_jobs < 1)
		default_jobs = 1;
	if (default_jobs > OPTIONS_JOBS_MAX)
		default_jobs = OPTIONS_JOBS_MAX;
	o->jobs = default_jobs;
	o->count = OPTIONS_COUNT_DEFAULT;
	o->timeout_ms = OPTIONS_TIMEOUT_DEFAULT;
	o->rate_pps = OPTIONS_RATE_DEFAULT;
	o->max_addresses = OPTIONS_MAX_ADDR_DEFAULT;
	o->method = OPTIONS_METHOD_AUTO;
	o->exec_inflight = OPTIONS_EXEC_INFLIGHT_DEFAULT;
	o->min_free = 1;
	o->progress = -1;
	o->max_count = 0;   /* not given: OPTIONS_MAX_COUNT_DEFAULT, or -n */
	options_fraction(OPTIONS_CONFIDENCE_DEFAULT, &o->confidence);
	if (errlen > 0)
		err[0] = '\0';

	/*
	 * popt returns an option's index in options_specs plus one; 0 is a
	 * positional argument, which goes where -i values go.
	 */
	memset(table, 0, sizeof(table));
	for (i = 0; i < OPTIONS_NSPECS; i++) {
		const struct options_spec *s = &options_specs[i];

		if (!options_spec_ok(s))
			return options_error(err, errlen,
			    "internal error: option '--%s'", s->name);
		if (s->kind == OPTIONS_K_LIST)
			positional = s;
		table[i].longName = s->name;
		table[i].shortName = s->short_name;
		table[i].argInfo = options_takes_arg(s->kind) ?
		    POPT_ARG_STRING : POPT_ARG_NONE;
		table[i].val = (int)i + 1;
		table[i].descrip = s->help;
		table[i].argDescrip = s->arg;
	}

	/*
	 * POPT_CONTEXT_ARG_OPTS hands positional arguments back as option 0,
	 * so -i values and arguments keep their command-line order.  No
	 * poptReadDefaultConfig(): ~/.popt aliases have no say here.
	 */
	con = poptGetContext("ipsweep", argc, argv, table,
	    POPT_CONTEXT_ARG_OPTS);
	if (con == NULL)
		return options_error(err, errlen, "out of memory");
	while ((opt = poptGetNextOpt(con)) >= 0) {
		const struct options_spec *s = opt == 0 ? positional :
		    (size_t)opt <= OPTIONS_NSPECS ? &options_specs[opt - 1] :
		    NULL;
		/* ours to free: popt hands over its copy of the value */
		char *arg = poptGetOptArg(con);

		if (s == NULL) {
			free(arg);
			rc = options_error(err, errlen,
			    "internal error: option %d", opt);
			break;
		}
		if (arg == NULL && options_takes_arg(s->kind)) {
			rc = options_error(err, errlen, "out of memory");
			break;
		}
		rc = options_apply(o, s, arg, &cap, default_jobs, err, errlen);
		if (rc != OPTIONS_OK)
			break;
		if (s->short_name == 'j')
			o->jobs_given = 1;
	}
	if (rc == OPTIONS_OK && opt != -1) {
		/* "--frobnicate: unknown option", "-j: missing argument" */
		rc = options_error(err, errlen, "%s: %s",
		    options_esc(poptBadOption(con, POPT_BADOPTION_NOALIAS), q,
		    sizeof(q)), poptStrerror(opt));
	}
	poptFreeContext(con);
	if (rc == OPTIONS_OK)
		rc = options_check(o, err, errlen);
	if (rc == OPTIONS_OK && o->alive)
		o->select = OPTIONS_SELECT_USED;
	if (rc == OPTIONS_OK && o->dns_server != NULL)
		o->dns = 1;
	if (o->max_count == 0)
		o->max_count = o->count > OPTIONS_MAX_COUNT_DEFAULT ? o->count :
		    OPTIONS_MAX_COUNT_DEFAULT;
	if (rc != OPTIONS_OK)
		options_free(o);
	return rc;
}

void
options_free(struct options *o)
{
	size_t i;

	for (i = 0; i < o->n_names; i++)
		free((void *)o->names[i]);
	free(o->names);
	free((void *)o->config);
	free((void *)o->lock);
	free((void *)o->dns_server);
	free((void *)o->db);
	free((void *)o->site);
	o->lock = NULL;
	o->dns_server = NULL;
	o->db = NULL;
	o->site = NULL;
	o->names = NULL;
	o->n_names = 0;
	o->config = NULL;
}
