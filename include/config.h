/* config.h - the ranges.conf reader: named ranges of targets and exclusions */
#ifndef IPSWEEP_CONFIG_H
#define IPSWEEP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "targets.h"

/* Longest accepted line, without its line end. */
#define CONFIG_LINE_MAX 1024
#define CONFIG_NAME_MAX 64
#define CONFIG_CANARY_MAX 64
#define CONFIG_TCP_MAX 64

/* A file of records a range (or every range) consults. */
enum config_source_kind {
	CONFIG_SOURCE_LEASES,     /* `dhcp-leases =` */
	CONFIG_SOURCE_IPAM        /* `ipam-csv =` */
};

struct config_source {
	char *path;               /* owned; a relative one is taken relative
				     to the configuration file's directory */
	unsigned kind;            /* enum config_source_kind */
	unsigned format;          /* leases: enum lease_format */
	unsigned line;            /* where it was named */
};

struct config_range {
	char *name;               /* the section name, owned */
	unsigned line;            /* line of the [section] header */
	struct targets_set include;  /* every `range =` target, normalised */
	struct targets_set exclude;  /* every `exclude =` target, normalised */
	struct targets_set canary;   /* every `canary =` address: known to be
					up; if none answers, the range is
					unknown, not free */
	uint16_t tcp[CONFIG_TCP_MAX];  /* `tcp =` ports, as --tcp */
	size_t n_tcp;
	struct targets_set reserved;   /* `reserved =`: never free, listed */
	struct targets_set dhcp_pool;  /* `dhcp-pool =`: dynamic DHCP pools */
	struct config_source *sources; /* its `dhcp-leases =`, `ipam-csv =` */
	size_t n_sources;
	int dns;                       /* `dns =`: 1 yes, 0 no, -1 not said
					  (the settings' then) */
	uint64_t free_for_s;           /* `free-for =`, seconds, as
					  --free-for; 0: none */
};

struct config {
	char *path;               /* as given to config_load/config_parse, owned */
	struct config_range *ranges;
	size_t n;
	/* the settings: keys before the first [range], for every range */
	struct config_source *sources;
	size_t n_sources;
	int dns;
	char *db;                 /* `db =`: the history database, owned, or
				     NULL */
};

void config_init(struct config *cfg);
void config_free(struct config *cfg);

/*
 * config_parse -- parse LEN bytes of BUF (need not be NUL-terminated; may
 * hold NUL bytes, which are an error) as ranges.conf.  PATH is used in
 * messages only.  Grammar (ranges.conf(5)):
 *   # comment, also after a value; blank lines; CRLF or LF; no final
 *   newline needed
 *   [name]                 starts a range; name: printable ASCII, no
 *                          blank, '[', ']', '#' or ','; 1-CONFIG_NAME_MAX
 *   range = T[, T]...      targets (targets_parse), commas or blanks
 *   exclude = T[, T]...
 *   canary = T[, T]...     addresses known to answer (a gateway)
 *   tcp = PORT[, PORT]...  TCP ports to try on addresses silent to ICMP
 *   reserved = T[, T]...   never free; listed with reason "reserved"
 *   dhcp-pool = T[, T]...  dynamic DHCP pools: never free for static use
 *   dhcp-leases = [FORMAT:]FILE   a lease file (FORMAT isc, kea, dnsmasq
 *                          or auto); repeatable; also in the settings
 *   ipam-csv = FILE        an IPAM CSV export; repeatable; also in the
 *                          settings
 *   dns = yes|no           reverse (PTR) lookups; also in the settings
 *   free-for = DURATION    as --free-for, for this range (duration_parse)
 *   db = FILE|URL          (in the settings only) the history database
 * The settings are the lines before the first [name]: they hold only
 * dhcp-leases, ipam-csv, dns and db, and apply to every range.
 * Errors fill ERR with "PATH:LINE: problem" (duplicate sections name both
 * lines; control bytes are shown escaped as \xNN) and return -1; CFG is
 * then left empty.  Returns 0 on success.
 */
int config_parse(struct config *cfg, const char *path, const char *buf,
    size_t len, char *err, size_t errlen);

/*
 * config_read -- read the regular file PATH whole (at most MAX bytes)
 * into a malloc'd *BUF (NUL-terminated, not counted in *LEN), opening it
 * without blocking.  Returns 0, or -1 with "PATH: reason" in ERR and
 * errno set (EFBIG: larger than MAX).
 */
int config_read(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errlen);

/*
 * config_load -- read PATH and config_parse it.  A missing, unreadable or
 * non-regular file gives "PATH: reason" in ERR.  Returns 0 or -1; on -1
 * errno is ENOENT when the file does not exist (callers may treat a
 * missing file as "no config") and something else otherwise.
 */
int config_load(struct config *cfg, const char *path, char *err,
    size_t errlen);

/* config_find -- the range called NAME, or NULL */
const struct config_range *config_find(const struct config *cfg,
    const char *name);

/*
 * config_range_set -- the addresses of R: its includes less its excludes,
 * normalised, into OUT (initialised by the caller).  Returns 0 or -1 (ENOMEM).
 */
int config_range_set(const struct config_range *r, struct targets_set *out);

/*
 * config_locate -- pick the configuration file, first match wins:
 *   OPT (-c/--config), else ENV_CONFIG ($IPSWEEP_CONFIG) when non-empty,
 *   else XDG/ipsweep/ranges.conf ($XDG_CONFIG_HOME, when non-empty) or
 *   HOME/.config/ipsweep/ranges.conf when that file EXISTS() says exists,
 *   else SYSCONFDIR/ipsweep/ranges.conf.
 * Any of the strings may be NULL.  Writes the path into BUF.  Returns 0, or
 * -1 when it does not fit.
 */
int config_locate(const char *opt, const char *env_config, const char *xdg,
    const char *home, const char *sysconfdir, int (*exists)(const char *),
    char *buf, size_t buflen);

#endif
