/* options.c - the command line: popt table, strict numbers, --help text */
#include <popt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* popt returns these for our options; 0 is a positional argument. */
enum {
	OPT_ARG = 0,
	OPT_IP = 'i',
	OPT_CONFIG = 'c',
	OPT_JOBS = 'j',
	OPT_COUNT = 'n',
	OPT_TIMEOUT = 'W',
	OPT_QUIET = 'q',
	OPT_VERBOSE = 'v',
	OPT_RATE = 256,
	OPT_MAX_ADDR,
	OPT_METHOD,
	OPT_ALIVE,
	OPT_DRY_RUN,
	OPT_LIST,
	OPT_HELP,
	OPT_USAGE,
	OPT_VERSION,
	OPT_ALL,
	OPT_FORMAT,
	OPT_NULL = '0',
	OPT_FIRST = 300,
	OPT_MIN_FREE,
	OPT_DEADLINE,
	OPT_LOCK,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_MAX_COUNT,
	OPT_CONFIDENCE,
	OPT_TCP
};

/*
 * Every option takes its value as a string, never POPT_ARG_INT: popt's
 * number parsing accepts signs, blanks and other bases, and we want one
 * strict rule and one message for all numbers.  The descriptions are
 * unused (--help is written out below so that it reads like the man page),
 * but they keep the table self-explaining.
 */
static const struct poptOption options_table[] = {
	{"ip", 'i', POPT_ARG_STRING, NULL, OPT_IP, "range name or target",
	    "NAME|TARGET"},
	{"config", 'c', POPT_ARG_STRING, NULL, OPT_CONFIG, "config file",
	    "FILE"},
	{"jobs", 'j', POPT_ARG_STRING, NULL, OPT_JOBS, "workers", "N"},
	{"count", 'n', POPT_ARG_STRING, NULL, OPT_COUNT, "probes", "N"},
	{"timeout", 'W', POPT_ARG_STRING, NULL, OPT_TIMEOUT, "wait", "MS"},
	{"rate", '\0', POPT_ARG_STRING, NULL, OPT_RATE, "rate", "PPS"},
	{"max-addresses", '\0', POPT_ARG_STRING, NULL, OPT_MAX_ADDR, "cap",
	    "N"},
	{"method", '\0', POPT_ARG_STRING, NULL, OPT_METHOD, "engine",
	    "METHOD"},
	{"alive", '\0', POPT_ARG_NONE, NULL, OPT_ALIVE, "print used", NULL},
	{"all", '\0', POPT_ARG_NONE, NULL, OPT_ALL, "print all", NULL},
	{"format", '\0', POPT_ARG_STRING, NULL, OPT_FORMAT, "format",
	    "FORMAT"},
	{"null", '0', POPT_ARG_NONE, NULL, OPT_NULL, "NUL ends", NULL},
	{"first", '\0', POPT_ARG_STRING, NULL, OPT_FIRST, "lowest free", "N"},
	{"min-free", '\0', POPT_ARG_STRING, NULL, OPT_MIN_FREE, "threshold",
	    "N"},
	{"deadline", '\0', POPT_ARG_STRING, NULL, OPT_DEADLINE, "bound",
	    "SECONDS"},
	{"lock", '\0', POPT_ARG_STRING, NULL, OPT_LOCK, "lock file", "FILE"},
	{"max-count", '\0', POPT_ARG_STRING, NULL, OPT_MAX_COUNT, "cap", "N"},
	{"tcp", '\0', POPT_ARG_STRING, NULL, OPT_TCP, "ports", "PORTS"},
	{"confidence", '\0', POPT_ARG_STRING, NULL, OPT_CONFIDENCE, "odds",
	    "P"},
	{"progress", '\0', POPT_ARG_NONE, NULL, OPT_PROGRESS, "progress",
	    NULL},
	{"no-progress", '\0', POPT_ARG_NONE, NULL, OPT_NO_PROGRESS,
	    "no progress", NULL},
	{"dry-run", '\0', POPT_ARG_NONE, NULL, OPT_DRY_RUN, "list jobs", NULL},
	{"list", '\0', POPT_ARG_NONE, NULL, OPT_LIST, "list ranges", NULL},
	{"quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET, "quiet", NULL},
	{"verbose", 'v', POPT_ARG_NONE, NULL, OPT_VERBOSE, "verbose", NULL},
	{"help", '\0', POPT_ARG_NONE, NULL, OPT_HELP, "help", NULL},
	{"usage", '\0', POPT_ARG_NONE, NULL, OPT_USAGE, "usage", NULL},
	{"version", '\0', POPT_ARG_NONE, NULL, OPT_VERSION, "version", NULL},
	POPT_TABLEEND
};

/* The SYNOPSIS of ipsweep(1), line for line. */
static const char options_synopsis[] =
    "Usage: ipsweep [-0qv] [--alive | --all] [--dry-run] [-c FILE] [-j N]\n"
    "               [-n N] [-W MS] [--deadline SECONDS] [--first N]\n"
    "               [--format FORMAT] [--lock FILE] [--max-addresses N]\n"
    "               [--max-count N] [--method METHOD] [--min-free N]\n"
    "               [--confidence P] [--no-progress] [--progress]\n"
    "               [--rate PPS] [--tcp PORTS] [-i NAME|TARGET]...\n"
    "               [NAME|TARGET]...\n"
    "       ipsweep --list [-c FILE]\n"
    "       ipsweep --help | --usage | --version\n";

/* options_help -- the --help text; the OPTIONS of ipsweep(1) in short */
static void
options_help(unsigned default_jobs)
{
	fputs(options_synopsis, stdout);
	fputs("\n"
	    "Probe the addresses of named ranges (from ranges.conf) and of "
	    "literal\n"
	    "targets with ICMP echo, and print the free ones on stdout, one "
	    "per line,\n"
	    "sorted.  An address is free only when every probe was sent and "
	    "none was\n"
	    "answered; every doubt ends as not free.\n"
	    "\n"
	    "  -i, --ip=NAME|TARGET   a range of the configuration, or a "
	    "target:\n"
	    "                         a.b.c.d, a.b.c.d/nn, a.b.c.d-e.f.g.h, "
	    "a.b.c.d-h;\n"
	    "                         repeatable; arguments work the same\n"
	    "  -c, --config=FILE      configuration file; default: "
	    "$IPSWEEP_CONFIG, else\n"
	    "                         $XDG_CONFIG_HOME/ipsweep/ranges.conf "
	    "(or under\n"
	    "                         ~/.config) if it exists, else\n"
	    "                         " IPSWEEP_SYSCONFDIR
	    "/ipsweep/ranges.conf\n",
	    stdout);
	printf("  -j, --jobs=N           worker processes, 1-"
	       XSTR(OPTIONS_JOBS_MAX) " (default: the number of\n"
	       "                         online CPUs, here %u)\n",
	    default_jobs);
	fputs("  -n, --count=N          probes per address, 1-"
	    XSTR(OPTIONS_COUNT_MAX) " (default: "
	    XSTR(OPTIONS_COUNT_DEFAULT) ")\n"
	    "  -W, --timeout=MS       how long each probe waits for its reply "
	    "in\n"
	    "                         milliseconds, 1-"
	    XSTR(OPTIONS_TIMEOUT_MAX) " (default: "
	    XSTR(OPTIONS_TIMEOUT_DEFAULT) ")\n"
	    "      --max-count=N      at most N probes per silent address when "
	    "loss is\n"
	    "                         seen, -n to " XSTR(OPTIONS_COUNT_MAX)
	    " (default: " XSTR(OPTIONS_MAX_COUNT_DEFAULT) ", or -n)\n"
	    "      --confidence=P     probe silent addresses until no live "
	    "one is free\n"
	    "                         with probability P, 0.5-0.999999 "
	    "(default: "
	    OPTIONS_CONFIDENCE_DEFAULT ")\n"
	    "      --tcp=PORTS        try TCP connections to PORTS (e.g. "
	    "22,80,443) on\n"
	    "                         addresses silent to ICMP; an accept or "
	    "a refusal\n"
	    "                         makes them used\n"
	    "      --rate=PPS         probes per second, all workers "
	    "together,\n"
	    "                         1-" XSTR(OPTIONS_RATE_MAX)
	    " (default: " XSTR(OPTIONS_RATE_DEFAULT) ")\n"
	    "      --max-addresses=N  refuse to sweep more addresses than N,\n"
	    "                         1-" XSTR(OPTIONS_MAX_ADDR_MAX)
	    " (default: " XSTR(OPTIONS_MAX_ADDR_DEFAULT) ")\n"
	    "      --method=METHOD    icmp (ICMP sockets), exec (ping(8) per "
	    "address)\n"
	    "                         or auto: icmp, else exec "
	    "(default: auto)\n"
	    "      --alive            print the used addresses instead of the "
	    "free ones\n"
	    "      --all              print every address with its verdict "
	    "and reason\n"
	    "      --format=FORMAT    plain, csv, json or ndjson "
	    "(default: plain)\n"
	    "  -0, --null             end plain records with NUL, not newline\n"
	    "      --first=N          print only the N lowest free addresses; "
	    "stop once\n"
	    "                         they are decided\n"
	    "      --min-free=N       exit 1 when fewer than N addresses are "
	    "free,\n"
	    "                         0-" XSTR(OPTIONS_MAX_ADDR_MAX)
	    " (default: 1)\n"
	    "      --deadline=SECONDS end the sweep after SECONDS, 1-"
	    XSTR(OPTIONS_DEADLINE_MAX) ";\n"
	    "                         undecided addresses are unknown\n"
	    "      --lock=FILE        take an exclusive lock on FILE; exit 75 "
	    "if another\n"
	    "                         run holds it\n"
	    "      --progress         show a progress line on stderr\n"
	    "      --no-progress      never (default: only when stderr is a "
	    "terminal)\n"
	    "      --dry-run          print the addresses that would be "
	    "probed, send\n"
	    "                         nothing\n"
	    "      --list             print each range of the configuration: "
	    "name,\n"
	    "                         address count, file:line\n"
	    "  -q, --quiet            print no summary or notes, only errors; "
	    "not with -v\n"
	    "  -v, --verbose          more detail on stderr; repeatable\n"
	    "      --help             print this help and exit\n"
	    "      --usage            print the short usage and exit\n"
	    "      --version          print the version and exit\n"
	    "\n"
	    "Exit status: 0 free addresses printed, 1 none free, 2 usage or\n"
	    "configuration error, 3 some addresses unknown, 4 cannot probe or "
	    "system\n"
	    "error, 75 locked by another run, 130 or 143 interrupted.\n"
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

/*
 * options_number -- strict parse of VAL for the option called NAME into
 * *OUT; 0, or -1 with the message in ERR.
 */
static int
options_number(const char *name, const char *val, uint64_t min, uint64_t max,
    uint64_t *out, char *err, size_t errlen)
{
	char q[64];

	if (options_parse_uint(val, min, max, out) == 0)
		return 0;
	options_error(err, errlen,
	    "option '--%s': '%s' is not a whole number from %llu to %llu", name,
	    options_esc(val, q, sizeof(q)), (unsigned long long)min,
	    (unsigned long long)max);
	return -1;
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

/* options_takes_arg -- 1 when popt hands a value with option OPT */
static int
options_takes_arg(int opt)
{
	switch (opt) {
	case OPT_ARG:
	case OPT_IP:
	case OPT_CONFIG:
	case OPT_JOBS:
	case OPT_COUNT:
	case OPT_TIMEOUT:
	case OPT_RATE:
	case OPT_MAX_ADDR:
	case OPT_METHOD:
	case OPT_FORMAT:
	case OPT_FIRST:
	case OPT_MIN_FREE:
	case OPT_DEADLINE:
	case OPT_LOCK:
	case OPT_MAX_COUNT:
	case OPT_CONFIDENCE:
	case OPT_TCP:
		return 1;
	default:
		return 0;
	}
}

/*
 * options_apply -- store the value ARG (owned by us) of option OPT in O.
 * Returns OPTIONS_OK, OPTIONS_EXIT_OK after printing help, usage or the
 * version, or OPTIONS_USAGE_ERROR with a message in ERR.  ARG is freed
 * here unless it was kept.
 */
static int
options_apply(struct options *o, int opt, char *arg, size_t *cap,
    unsigned default_jobs, char *err, size_t errlen)
{
	uint64_t v;
	int rc = OPTIONS_OK;
	char q[64];

	switch (opt) {
	case OPT_ARG:
	case OPT_IP:
		if (options_add_name(o, arg, cap) == -1) {
			free(arg);
			return options_error(err, errlen, "out of memory");
		}
		return OPTIONS_OK;
	case OPT_CONFIG:
		if (*arg == '\0') {
			rc = options_error(err, errlen,
			    "option '--config': empty file name");
			break;
		}
		free((void *)o->config);
		o->config = arg;
		return OPTIONS_OK;
	case OPT_JOBS:
		if (options_number("jobs", arg, 1, OPTIONS_JOBS_MAX, &v, err,
		    errlen) == 0)
			o->jobs = (unsigned)v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_COUNT:
		if (options_number("count", arg, 1, OPTIONS_COUNT_MAX, &v, err,
		    errlen) == 0)
			o->count = (unsigned)v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_TIMEOUT:
		if (options_number("timeout", arg, 1, OPTIONS_TIMEOUT_MAX, &v,
		    err, errlen) == 0)
			o->timeout_ms = (unsigned)v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_RATE:
		if (options_number("rate", arg, 1, OPTIONS_RATE_MAX, &v, err,
		    errlen) == 0)
			o->rate_pps = (unsigned)v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_MAX_ADDR:
		if (options_number("max-addresses", arg, 1,
		    OPTIONS_MAX_ADDR_MAX, &v, err, errlen) == 0)
			o->max_addresses = v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_METHOD:
		if (strcmp(arg, "icmp") == 0)
			o->method = OPTIONS_METHOD_ICMP;
		else if (strcmp(arg, "exec") == 0)
			o->method = OPTIONS_METHOD_EXEC;
		else if (strcmp(arg, "auto") == 0)
			o->method = OPTIONS_METHOD_AUTO;
		else
			rc = options_error(err, errlen,
			    "option '--method': '%s' is not one of icmp, exec, "
			    "auto", options_esc(arg, q, sizeof(q)));
		break;
	case OPT_ALIVE:
		o->alive = 1;
		break;
	case OPT_ALL:
		o->select = OPTIONS_SELECT_ALL;
		break;
	case OPT_NULL:
		o->null = 1;
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "plain") == 0)
			o->format = OPTIONS_FORMAT_PLAIN;
		else if (strcmp(arg, "csv") == 0)
			o->format = OPTIONS_FORMAT_CSV;
		else if (strcmp(arg, "json") == 0)
			o->format = OPTIONS_FORMAT_JSON;
		else if (strcmp(arg, "ndjson") == 0)
			o->format = OPTIONS_FORMAT_NDJSON;
		else
			rc = options_error(err, errlen,
			    "option '--format': '%s' is not one of plain, csv, "
			    "json, ndjson", options_esc(arg, q, sizeof(q)));
		break;
	case OPT_FIRST:
		if (options_number("first", arg, 1, OPTIONS_MAX_ADDR_MAX, &v,
		    err, errlen) == 0)
			o->first = v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_MIN_FREE:
		if (options_number("min-free", arg, 0, OPTIONS_MAX_ADDR_MAX, &v,
		    err, errlen) == 0)
			o->min_free = v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_DEADLINE:
		if (options_number("deadline", arg, 1, OPTIONS_DEADLINE_MAX,
		    &v, err, errlen) == 0)
			o->deadline_s = (unsigned)v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_LOCK:
		if (*arg == '\0') {
			rc = options_error(err, errlen,
			    "option '--lock': empty file name");
			break;
		}
		free((void *)o->lock);
		o->lock = arg;
		return OPTIONS_OK;
	case OPT_PROGRESS:
		o->progress = 1;
		break;
	case OPT_TCP: {
		char perr[256];

		if (tcp_parse_ports(arg, o->tcp_ports, OPTIONS_TCP_PORTS_MAX,
		    &o->n_tcp_ports, perr, sizeof(perr)) < 0)
			rc = options_error(err, errlen, "option '--tcp': %s",
			    perr);
		break;
	}
	case OPT_MAX_COUNT:
		if (options_number("max-count", arg, 1, OPTIONS_COUNT_MAX, &v,
		    err, errlen) == 0)
			o->max_count = (unsigned)v;
		else
			rc = OPTIONS_USAGE_ERROR;
		break;
	case OPT_CONFIDENCE:
		if (options_fraction(arg, &o->confidence) < 0)
			rc = options_error(err, errlen,
			    "option '--confidence': '%s' is not a decimal "
			    "fraction from 0.5 to 0.999999",
			    options_esc(arg, q, sizeof(q)));
		break;
	case OPT_NO_PROGRESS:
		o->progress = 0;
		break;
	case OPT_DRY_RUN:
		o->dry_run = 1;
		break;
	case OPT_LIST:
		o->list = 1;
		break;
	case OPT_QUIET:
		o->quiet = 1;
		break;
	case OPT_VERBOSE:
		o->verbose++;
		break;
	case OPT_HELP:
		options_help(default_jobs);
		rc = OPTIONS_EXIT_OK;
		break;
	case OPT_USAGE:
		fputs(options_synopsis, stdout);
		rc = OPTIONS_EXIT_OK;
		break;
	case OPT_VERSION:
		fputs("ipsweep " IPSWEEP_VERSION "\n", stdout);
		rc = OPTIONS_EXIT_OK;
		break;
	default:
		rc = options_error(err, errlen, "internal error: option %d",
		    opt);
		break;
	}
	free(arg);
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
	poptContext con;
	size_t cap = 0;
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
	o->min_free = 1;
	o->progress = -1;
	o->max_count = 0;   /* not given: OPTIONS_MAX_COUNT_DEFAULT, or -n */
	options_fraction(OPTIONS_CONFIDENCE_DEFAULT, &o->confidence);
	if (errlen > 0)
		err[0] = '\0';

	/*
	 * POPT_CONTEXT_ARG_OPTS hands positional arguments back as option 0,
	 * so -i values and arguments keep their command-line order.  No
	 * poptReadDefaultConfig(): ~/.popt aliases have no say here.
	 */
	con = poptGetContext("ipsweep", argc, argv, options_table,
	    POPT_CONTEXT_ARG_OPTS);
	if (con == NULL)
		return options_error(err, errlen, "out of memory");
	while ((opt = poptGetNextOpt(con)) >= 0) {
		/* ours to free: popt hands over its copy of the value */
		char *arg = poptGetOptArg(con);

		if (arg == NULL && options_takes_arg(opt)) {
			rc = options_error(err, errlen, "out of memory");
			break;
		}
		rc = options_apply(o, opt, arg, &cap, default_jobs, err,
		    errlen);
		if (rc != OPTIONS_OK)
			break;
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
	o->lock = NULL;
	o->names = NULL;
	o->n_names = 0;
	o->config = NULL;
}
