/* config.c - the ranges.conf reader: named ranges of targets and exclusions */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "duration.h"
#include "escape.h"
#include "lease.h"
#include "tcp.h"

/* Biggest file config_load reads; a real ranges.conf is a few kilobytes. */
#define CONFIG_FILE_MAX (16 * 1024 * 1024)
/* How much of a name or value a message quotes before it writes "...". */
#define CONFIG_QUOTE_MAX 64

#ifndef IPSWEEP_SYSCONFDIR
#define IPSWEEP_SYSCONFDIR "/etc"
#endif

/* The state of one config_parse() call. */
struct parser {
	struct config *cfg;
	const char *path;
	unsigned line;
	struct config_range *cur;   /* the open section, or NULL */
	size_t cap;                 /* allocated cfg->ranges */
	char *err;
	size_t errlen;
};

static int lineerr(struct parser *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* lineerr -- "PATH:LINE: message" into the parser's buffer; returns -1 */
static int
lineerr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escape_vlineerr(p->err, p->errlen, p->path, p->line, fmt, ap);
	va_end(ap);
	return -1;
}

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

/* config_sources_free -- the N sources of V, and V */
static void
config_sources_free(struct config_source *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

void
config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n; i++) {
		free(cfg->ranges[i].name);
		targets_free(&cfg->ranges[i].include);
		targets_free(&cfg->ranges[i].exclude);
		targets_free(&cfg->ranges[i].canary);
		targets_free(&cfg->ranges[i].reserved);
		targets_free(&cfg->ranges[i].dhcp_pool);
		config_sources_free(cfg->ranges[i].sources,
		    cfg->ranges[i].n_sources);
	}
	config_sources_free(cfg->sources, cfg->n_sources);
	free(cfg->ranges);
	free(cfg->path);
	free(cfg->db);
	config_init(cfg);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* name_ok -- the section name rule of config.h */
static int
name_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '[' || c == ']' ||
		    c == '#' || c == ',')
			return 0;
	}
	return 1;
}

/* section -- "[name]" (S, LEN trimmed, comment removed): open a range */
static int
section(struct parser *p, const char *s, size_t len)
{
	struct config *cfg = p->cfg;
	struct config_range *r;
	char q[CONFIG_QUOTE_MAX * 4 + 8];
	const char *name = s + 1;
	size_t i, nlen;

	if (len < 2 || s[len - 1] != ']') {
		escape_quote(q, sizeof(q), s, len, CONFIG_QUOTE_MAX);
		return lineerr(p, "invalid section header '%s'", q);
	}
	nlen = len - 2;
	escape_quote(q, sizeof(q), name, nlen, CONFIG_QUOTE_MAX);
	if (nlen == 0)
		return lineerr(p, "empty range name");
	if (!name_ok(name, nlen))
		return lineerr(p, "invalid range name '%s'", q);
	if (nlen > CONFIG_NAME_MAX)
		return lineerr(p, "range name '%s' longer than %d characters",
		    q, CONFIG_NAME_MAX);
	for (i = 0; i < cfg->n; i++) {
		r = &cfg->ranges[i];
		if (strlen(r->name) == nlen && memcmp(r->name, name, nlen) == 0)
			return lineerr(p,
			    "duplicate range '%s' (first defined at line %u)",
			    q, r->line);
	}
	if (cfg->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;

		r = realloc(cfg->ranges, cap * sizeof(*r));
		if (r == NULL)
			return lineerr(p, "%s", strerror(ENOMEM));
		cfg->ranges = r;
		p->cap = cap;
	}
	r = &cfg->ranges[cfg->n];
	memset(r, 0, sizeof(*r));
	r->name = strndup(name, nlen);
	if (r->name == NULL)
		return lineerr(p, "%s", strerror(ENOMEM));
	r->line = p->line;
	targets_init(&r->include);
	targets_init(&r->exclude);
	targets_init(&r->canary);
	targets_init(&r->reserved);
	targets_init(&r->dhcp_pool);
	r->dns = -1;
	cfg->n++;
	p->cur = r;
	return 0;
}

/*
 * whole_block -- widen SPAN, parsed from the CIDR target S, back to the
 * whole block.  In an exclusion "10.0.0.8/29" means eight reserved
 * addresses; targets_parse drops the network and broadcast address of a
 * block below /31, and keeping them in the sweep would hand out .8 and .15.
 */
static void
whole_block(const char *s, size_t len, struct targets_span *span)
{
	const char *slash = memchr(s, '/', len);
	unsigned prefix = 0;
	size_t i;

	if (slash == NULL)
		return;
	for (i = (size_t)(slash - s) + 1; i < len; i++)
		prefix = prefix * 10 + (unsigned)(s[i] - '0');
	if (prefix < 31) {
		span->lo--;
		span->hi++;
	}
}

/*
 * values -- split V (VLEN bytes, trimmed) into targets separated by blanks
 * and at most one comma, and add each to SET (for an exclusion, CIDR
 * blocks whole).  A comma with no target on one side is an error: it is
 * more likely a lost address than a style.
 */
static int
values(struct parser *p, struct targets_set *set, int excl, const char *v,
    size_t vlen)
{
	char msg[256], q[CONFIG_QUOTE_MAX * 4 + 8];
	size_t i = 0;
	int commas = 1;  /* a comma before the first target is an error */

	while (i < vlen) {
		struct targets_span span;
		size_t start;

		if (is_blank(v[i])) {
			i++;
			continue;
		}
		if (v[i] == ',') {
			if (commas++ > 0)
				break;
			i++;
			continue;
		}
		start = i;
		while (i < vlen && !is_blank(v[i]) && v[i] != ',')
			i++;
		if (targets_parse(v + start, i - start, &span, msg,
		    sizeof(msg)) == -1)
			return lineerr(p, "%s", msg);
		if (excl)
			whole_block(v + start, i - start, &span);
		if (targets_add(set, span) == -1)
			return lineerr(p, "%s", strerror(ENOMEM));
		commas = 0;
	}
	if (commas > 0) {
		escape_quote(q, sizeof(q), v, vlen, CONFIG_QUOTE_MAX);
		return lineerr(p, "empty target in '%s'", q);
	}
	return 0;
}

/*
 * tcp_line -- the value V (VLEN bytes) of a `tcp =` line: TCP ports,
 * added to those the range has already.  KEY is the quoted key, for
 * messages.
 */
static int
tcp_line(struct parser *p, const char *key, const char *v, size_t vlen)
{
	char buf[CONFIG_LINE_MAX + 1], perr[256];
	uint16_t ports[CONFIG_TCP_MAX];
	size_t n, i, k;

	if (p->cur == NULL)
		return lineerr(p, "key '%s' outside a [range] section", key);
	while (vlen > 0 && is_blank(*v)) {
		v++;
		vlen--;
	}
	while (vlen > 0 && is_blank(v[vlen - 1]))
		vlen--;
	if (vlen == 0)
		return lineerr(p, "empty value for '%s'", key);
	memcpy(buf, v, vlen);
	buf[vlen] = '\0';
	if (tcp_parse_ports(buf, ports, CONFIG_TCP_MAX, &n, perr,
	    sizeof(perr)) < 0)
		return lineerr(p, "%s", perr);
	for (i = 0; i < n; i++) {
		for (k = 0; k < p->cur->n_tcp && p->cur->tcp[k] != ports[i];
		    k++)
			;
		if (k < p->cur->n_tcp)
			continue;
		if (p->cur->n_tcp == CONFIG_TCP_MAX)
			return lineerr(p, "more than %d tcp ports",
			    CONFIG_TCP_MAX);
		p->cur->tcp[p->cur->n_tcp++] = ports[i];
	}
	return 0;
}

/* trim -- *V, *VLEN without the blanks around it */
static void
trim(const char **v, size_t *vlen)
{
	while (*vlen > 0 && is_blank(**v)) {
		(*v)++;
		(*vlen)--;
	}
	while (*vlen > 0 && is_blank((*v)[*vlen - 1]))
		(*vlen)--;
}

/*
 * source_line -- the value V (VLEN bytes) of a `dhcp-leases =` (KIND
 * CONFIG_SOURCE_LEASES, "[FORMAT:]FILE") or `ipam-csv =` line: one more
 * file for the open range, or for every range in the settings.  A
 * relative FILE is taken relative to the configuration file's directory.
 */
static int
source_line(struct parser *p, const char *key, unsigned kind, const char *v,
    size_t vlen)
{
	char q[CONFIG_QUOTE_MAX * 4 + 8];
	struct config_source **list, *nv, *src;
	const char *colon, *dir;
	size_t *n, dlen = 0;
	int format = LEASE_AUTO;

	trim(&v, &vlen);
	if (vlen == 0)
		return lineerr(p, "empty value for '%s'", key);
	colon = memchr(v, ':', vlen);
	if (kind == CONFIG_SOURCE_LEASES && colon != NULL &&
	    memchr(v, '/', (size_t)(colon - v)) == NULL) {
		format = lease_format_parse(v, (size_t)(colon - v));
		if (format < 0) {
			escape_quote(q, sizeof(q), v, (size_t)(colon - v),
			    CONFIG_QUOTE_MAX);
			return lineerr(p, "unknown lease file format '%s' (isc, "
			    "kea, dnsmasq or auto)", q);
		}
		vlen -= (size_t)(colon + 1 - v);
		v = colon + 1;
		trim(&v, &vlen);
		if (vlen == 0)
			return lineerr(p, "no file after the format in '%s'",
			    key);
	}
	list = p->cur != NULL ? &p->cur->sources : &p->cfg->sources;
	n = p->cur != NULL ? &p->cur->n_sources : &p->cfg->n_sources;
	nv = realloc(*list, (*n + 1) * sizeof(**list));
	if (nv == NULL)
		return lineerr(p, "%s", strerror(ENOMEM));
	*list = nv;
	src = &nv[*n];
	memset(src, 0, sizeof(*src));
	dir = strrchr(p->path, '/');
	if (v[0] != '/' && dir != NULL)
		dlen = (size_t)(dir - p->path) + 1;
	src->path = malloc(dlen + vlen + 1);
	if (src->path == NULL)
		return lineerr(p, "%s", strerror(ENOMEM));
	memcpy(src->path, p->path, dlen);
	memcpy(src->path + dlen, v, vlen);
	src->path[dlen + vlen] = '\0';
	src->kind = kind;
	src->format = (unsigned)format;
	src->line = p->line;
	(*n)++;
	return 0;
}

/* db_line -- `db = FILE|URL` of the settings: the history database */
static int
db_line(struct parser *p, const char *key, const char *v, size_t vlen)
{
	if (p->cur != NULL)
		return lineerr(p, "key '%s' belongs in the settings, before "
		    "the first [range]", key);
	if (p->cfg->db != NULL)
		return lineerr(p, "duplicate key '%s'", key);
	trim(&v, &vlen);
	if (vlen == 0)
		return lineerr(p, "empty value for '%s'", key);
	p->cfg->db = strndup(v, vlen);
	if (p->cfg->db == NULL)
		return lineerr(p, "%s", strerror(ENOMEM));
	return 0;
}

/* free_for_line -- `free-for = DURATION` of a range, as --free-for */
static int
free_for_line(struct parser *p, const char *key, const char *v, size_t vlen)
{
	char q[CONFIG_QUOTE_MAX * 4 + 8];

	if (p->cur == NULL)
		return lineerr(p, "key '%s' outside a [range] section", key);
	trim(&v, &vlen);
	if (vlen == 0)
		return lineerr(p, "empty value for '%s'", key);
	if (duration_parse(v, vlen, &p->cur->free_for_s) < 0) {
		escape_quote(q, sizeof(q), v, vlen, CONFIG_QUOTE_MAX);
		return lineerr(p, "invalid duration '%s' (such as 30d, 12h "
		    "or 90m)", q);
	}
	return 0;
}

/* dns_line -- `dns = yes|no`, for the open range or every range */
static int
dns_line(struct parser *p, const char *key, const char *v, size_t vlen)
{
	char q[CONFIG_QUOTE_MAX * 4 + 8];
	int *dns = p->cur != NULL ? &p->cur->dns : &p->cfg->dns;

	trim(&v, &vlen);
	if (vlen == 3 && memcmp(v, "yes", 3) == 0)
		*dns = 1;
	else if (vlen == 2 && memcmp(v, "no", 2) == 0)
		*dns = 0;
	else {
		escape_quote(q, sizeof(q), v, vlen, CONFIG_QUOTE_MAX);
		return lineerr(p, "'%s' is 'yes' or 'no', not '%s'", key, q);
	}
	return 0;
}

/* keyval -- "key = value" (S, LEN trimmed, comment removed) */
static int
keyval(struct parser *p, const char *s, size_t len)
{
	char q[CONFIG_QUOTE_MAX * 4 + 8];
	const char *eq = memchr(s, '=', len);
	const char *v;
	size_t klen, vlen;
	struct targets_set *set;

	if (eq == NULL) {
		escape_quote(q, sizeof(q), s, len, CONFIG_QUOTE_MAX);
		return lineerr(p, "expected '[name]' or 'key = value', "
		    "not '%s'", q);
	}
	klen = (size_t)(eq - s);
	while (klen > 0 && is_blank(s[klen - 1]))
		klen--;
	escape_quote(q, sizeof(q), s, klen, CONFIG_QUOTE_MAX);
	if (klen == 0)
		return lineerr(p, "missing key before '='");
	if (klen == 5 && memcmp(s, "range", 5) == 0)
		set = p->cur ? &p->cur->include : NULL;
	else if (klen == 7 && memcmp(s, "exclude", 7) == 0)
		set = p->cur ? &p->cur->exclude : NULL;
	else if (klen == 6 && memcmp(s, "canary", 6) == 0)
		set = p->cur ? &p->cur->canary : NULL;
	else if (klen == 3 && memcmp(s, "tcp", 3) == 0)
		return tcp_line(p, q, eq + 1, len - (size_t)(eq + 1 - s));
	else if (klen == 8 && memcmp(s, "reserved", 8) == 0)
		set = p->cur ? &p->cur->reserved : NULL;
	else if (klen == 9 && memcmp(s, "dhcp-pool", 9) == 0)
		set = p->cur ? &p->cur->dhcp_pool : NULL;
	else if (klen == 11 && memcmp(s, "dhcp-leases", 11) == 0)
		return source_line(p, q, CONFIG_SOURCE_LEASES, eq + 1,
		    len - (size_t)(eq + 1 - s));
	else if (klen == 8 && memcmp(s, "ipam-csv", 8) == 0)
		return source_line(p, q, CONFIG_SOURCE_IPAM, eq + 1,
		    len - (size_t)(eq + 1 - s));
	else if (klen == 3 && memcmp(s, "dns", 3) == 0)
		return dns_line(p, q, eq + 1, len - (size_t)(eq + 1 - s));
	else if (klen == 2 && memcmp(s, "db", 2) == 0)
		return db_line(p, q, eq + 1, len - (size_t)(eq + 1 - s));
	else if (klen == 8 && memcmp(s, "free-for", 8) == 0)
		return free_for_line(p, q, eq + 1, len - (size_t)(eq + 1 - s));
	else
		return lineerr(p, "unknown key '%s'", q);
	if (set == NULL)
		return lineerr(p, "key '%s' outside a [range] section", q);
	v = eq + 1;
	vlen = len - (size_t)(v - s);
	while (vlen > 0 && is_blank(*v)) {
		v++;
		vlen--;
	}
	if (vlen == 0)
		return lineerr(p, "empty value for '%s'", q);
	return values(p, set, p->cur != NULL && set != &p->cur->include &&
	    set != &p->cur->canary, v, vlen);
}

/* line -- one physical line without its line end */
static int
line(struct parser *p, const char *s, size_t len)
{
	const char *hash;

	if (len > CONFIG_LINE_MAX)
		return lineerr(p, "line too long");
	if (memchr(s, '\0', len) != NULL)
		return lineerr(p, "NUL byte in line");
	if ((hash = memchr(s, '#', len)) != NULL)
		len = (size_t)(hash - s);
	while (len > 0 && is_blank(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if (len == 0)
		return 0;
	if (s[0] == '[')
		return section(p, s, len);
	return keyval(p, s, len);
}

/*
 * config_parse -- scan BUF for line ends with memchr, so a line longer than
 * CONFIG_LINE_MAX is measured and refused whole: its tail is never taken
 * for a line of its own.  No syscalls, so a fuzzer can drive it.  CFG is
 * overwritten (config_init); on error it is freed and left empty.
 */
int
config_parse(struct config *cfg, const char *path, const char *buf,
    size_t len, char *err, size_t errlen)
{
	struct parser p;
	size_t off = 0, i;

	config_init(cfg);
	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.path = path != NULL ? path : "(config)";
	p.err = err;
	p.errlen = errlen;
	cfg->path = strdup(p.path);
	if (cfg->path == NULL) {
		escape_err(err, errlen, "%s: %s", p.path, strerror(ENOMEM));
		return -1;
	}
	while (off < len) {
		const char *s = buf + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t llen = nl != NULL ? (size_t)(nl - s) : len - off;

		off += llen + (nl != NULL);
		if (llen > 0 && s[llen - 1] == '\r')
			llen--;
		p.line++;
		if (line(&p, s, llen) == -1)
			goto err;
	}
	for (i = 0; i < cfg->n; i++) {
		struct config_range *r = &cfg->ranges[i];

		if (r->include.n == 0) {
			p.line = r->line;
			lineerr(&p, "range '%s' has no 'range =' line",
			    r->name);
			goto err;
		}
		targets_normalise(&r->include);
		targets_normalise(&r->exclude);
		targets_normalise(&r->canary);
		targets_normalise(&r->reserved);
		targets_normalise(&r->dhcp_pool);
		if (targets_count(&r->canary) > CONFIG_CANARY_MAX) {
			p.line = r->line;
			lineerr(&p, "range '%s' has more than %d canaries",
			    r->name, CONFIG_CANARY_MAX);
			goto err;
		}
	}
	return 0;
err:
	config_free(cfg);
	return -1;
}

/*
 * config_read -- open without blocking (a FIFO would otherwise wait for a
 * writer), make sure it is a regular file of sane size, read it whole.
 * The size from fstat is only a hint: the read loop stops at EOF or at
 * the cap.
 */
int
config_read(const char *path, size_t max, char **bufp, size_t *lenp,
    char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	int fd, saved;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		goto syserr;
	if (fstat(fd, &st) == -1)
		goto syserr;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto syserr;
	}
	if (!S_ISREG(st.st_mode)) {
		escape_err(err, errlen, "%s: not a regular file", path);
		errno = EINVAL;
		goto fail;
	}
	if ((uint64_t)st.st_size > max)
		goto toobig;
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap)) == NULL)
		goto syserr;
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb;

			if (cap > max)
				goto toobig;
			nb = realloc(buf, cap * 2);
			if (nb == NULL)
				goto syserr;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			goto syserr;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > max)
		goto toobig;
	close(fd);
	if (len == cap) {
		char *nb = realloc(buf, cap + 1);

		if (nb == NULL) {
			free(buf);
			escape_err(err, errlen, "%s: %s", path,
			    strerror(ENOMEM));
			errno = ENOMEM;
			return -1;
		}
		buf = nb;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
toobig:
	escape_err(err, errlen, "%s: file too large", path);
	errno = EFBIG;
	goto fail;
syserr:
	saved = errno;
	escape_err(err, errlen, "%s: %s", path, strerror(saved));
	errno = saved;
fail:
	saved = errno;
	free(buf);
	if (fd != -1)
		close(fd);
	errno = saved;
	return -1;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	config_init(cfg);
	if (config_read(path, CONFIG_FILE_MAX, &buf, &len, err, errlen) < 0)
		return -1;
	rc = config_parse(cfg, path, buf, len, err, errlen);
	free(buf);
	if (rc == -1)
		errno = EINVAL;
	return rc;
}

const struct config_range *
config_find(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (strcmp(cfg->ranges[i].name, name) == 0)
			return &cfg->ranges[i];
	return NULL;
}

/*
 * config_range_set -- R is const, and targets_subtract normalises its
 * exclusion list in place, so the exclusions are subtracted from a copy.
 */
int
config_range_set(const struct config_range *r, struct targets_set *out)
{
	struct targets_set excl;
	int rc;

	if (targets_add_set(out, &r->include) == -1)
		return -1;
	targets_init(&excl);
	if (targets_add_set(&excl, &r->exclude) == -1)
		return -1;
	rc = targets_subtract(out, &excl);
	targets_free(&excl);
	return rc;
}

/* join -- "A" "B" into BUF; -1 when it does not fit */
static int
join(char *buf, size_t buflen, const char *a, const char *b)
{
	int n = snprintf(buf, buflen, "%s%s", a, b);

	return n < 0 || (size_t)n >= buflen ? -1 : 0;
}

static int
file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * config_locate -- the lookup order of ranges.conf(5).  A relative
 * $XDG_CONFIG_HOME is ignored, as the XDG base directory spec asks.  When
 * EXISTS is NULL, access(2) decides.  The per-user file is built in BUF
 * before it is tested; if it does not fit, that is an error rather than a
 * silent fall back to the system file.
 */
int
config_locate(const char *opt, const char *env_config, const char *xdg,
    const char *home, const char *sysconfdir, int (*exists)(const char *),
    char *buf, size_t buflen)
{
	int rc;

	if (buf == NULL || buflen == 0)
		return -1;
	if (exists == NULL)
		exists = file_exists;
	if (opt != NULL)
		return join(buf, buflen, opt, "");
	if (env_config != NULL && env_config[0] != '\0')
		return join(buf, buflen, env_config, "");
	rc = 1;
	if (xdg != NULL && xdg[0] == '/')
		rc = join(buf, buflen, xdg, "/ipsweep/ranges.conf");
	else if (home != NULL && home[0] != '\0')
		rc = join(buf, buflen, home, "/.config/ipsweep/ranges.conf");
	if (rc == -1)
		return -1;
	if (rc == 0 && exists(buf))
		return 0;
	if (sysconfdir == NULL || sysconfdir[0] == '\0')
		sysconfdir = IPSWEEP_SYSCONFDIR;
	return join(buf, buflen, sysconfdir, "/ipsweep/ranges.conf");
}
