/* options.h - the command line, parsed with popt */
#ifndef IPSWEEP_OPTIONS_H
#define IPSWEEP_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

enum options_method {
	OPTIONS_METHOD_AUTO = 0,  /* ICMP socket, else ping(8) */
	OPTIONS_METHOD_ICMP,      /* ICMP socket only */
	OPTIONS_METHOD_EXEC       /* ping(8) per address */
};

/* Defaults and limits, shown in --help and ipsweep(1). */
#define OPTIONS_COUNT_DEFAULT     2
#define OPTIONS_COUNT_MAX         20
#define OPTIONS_TIMEOUT_DEFAULT   1000     /* ms */
#define OPTIONS_TIMEOUT_MAX       60000
#define OPTIONS_RATE_DEFAULT      20000    /* packets per second, all workers */
#define OPTIONS_RATE_MAX          1000000
#define OPTIONS_JOBS_MAX          256
#define OPTIONS_MAX_ADDR_DEFAULT  65536
#define OPTIONS_MAX_ADDR_MAX      16777216  /* a /8 */
#define OPTIONS_DEADLINE_MAX      86400     /* seconds */
#define OPTIONS_MAX_COUNT_DEFAULT 12
#define OPTIONS_TCP_PORTS_MAX     64
#define OPTIONS_CONFIDENCE_DEFAULT "0.99"
#define OPTIONS_EXEC_INFLIGHT_DEFAULT 64   /* ping(8)s per worker at once */
#define OPTIONS_EXEC_INFLIGHT_MAX 128

enum options_format {
	OPTIONS_FORMAT_PLAIN = 0,
	OPTIONS_FORMAT_CSV,
	OPTIONS_FORMAT_JSON,
	OPTIONS_FORMAT_NDJSON
};

enum options_select {
	OPTIONS_SELECT_FREE = 0,  /* default */
	OPTIONS_SELECT_USED,      /* --alive */
	OPTIONS_SELECT_ALL        /* --all */
};

struct options {
	const char *config;       /* -c/--config, or NULL */
	const char **names;       /* -i values and positional args, in order */
	size_t n_names;
	unsigned jobs;            /* -j; 0 until options_parse fills it in
				     (then the number of CPUs if not given) */
	int jobs_given;           /* 1: -j was given; 0: the engine picks
				     up to JOBS workers for the rate */
	unsigned count;           /* -n */
	unsigned max_count;       /* --max-count: loss-aware extra probes */
	double confidence;        /* --confidence: P(no live address free) */
	unsigned timeout_ms;      /* -W */
	unsigned rate_pps;        /* --rate */
	uint64_t max_addresses;   /* --max-addresses */
	enum options_method method;  /* --method */
	int dry_run;              /* --dry-run */
	int list;                 /* --list */
	int alive;                /* --alive (select == OPTIONS_SELECT_USED) */
	enum options_select select;  /* --alive, --all */
	enum options_format format;  /* --format */
	int null;                 /* -0/--null: plain records end with NUL */
	uint64_t first;           /* --first N, 0: all */
	uint64_t min_free;        /* --min-free N, default 1 */
	unsigned deadline_s;      /* --deadline, 0: none */
	const char *lock;         /* --lock FILE, or NULL */
	int progress;             /* -1 auto (stderr a terminal), 0 no, 1 yes */
	uint16_t tcp_ports[OPTIONS_TCP_PORTS_MAX];  /* --tcp */
	size_t n_tcp_ports;
	int dns;                  /* --dns: reverse lookups for every range */
	const char *dns_server;   /* --dns-server ADDR[:PORT], or NULL: the
				     system's resolv.conf */
	int no_history;           /* --no-history */
	const char *db;           /* --db FILE|URL, or NULL */
	const char *site;         /* --site NAME, or NULL: the host name */
	uint64_t free_for_s;      /* --free-for, seconds; 0: none */
	int diff;                 /* --diff */
	int last_seen;            /* --last-seen */
	int quiet;                /* -q */
	int verbose;              /* -v, repeatable */
	unsigned exec_inflight;   /* --exec-inflight: ping(8)s per worker */
};

enum options_status {
	OPTIONS_OK = 0,        /* run with *O */
	OPTIONS_EXIT_OK,       /* --help, --usage or --version was printed */
	OPTIONS_USAGE_ERROR    /* ERR holds the message; exit 2 */
};

/*
 * options_parse -- parse ARGV into *O (defaults first; -j defaults to the
 * number of online CPUs, DEFAULT_JOBS).  Numbers are parsed strictly:
 * junk, signs, zero, overflow and values out of range are errors naming
 * the option and its range: "option '--jobs': 'abc' is not a whole number
 * from 1 to 256".  --help, --usage and --version print to stdout here (the
 * only output this module makes).  Returns an enum options_status.  Memory
 * for O->names is owned by the module; release it with options_free().
 */
int options_parse(int argc, const char **argv, unsigned default_jobs,
    struct options *o, char *err, size_t errlen);

void options_free(struct options *o);

/*
 * options_parse_uint -- strict decimal parse of S into *OUT, MIN..MAX.
 * Returns 0, or -1 for an empty string, anything but digits, or a value
 * outside MIN..MAX (overflow included).
 */
int options_parse_uint(const char *s, uint64_t min, uint64_t max,
    uint64_t *out);

#endif
