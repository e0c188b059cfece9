/* lease.c - DHCP lease files: ISC dhcpd, Kea memfile CSV and dnsmasq */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "escape.h"
#include "lease.h"

/* Kea writes this valid lifetime for a lease that never ends. */
#define LEASE_KEA_INFINITE 4294967295ULL
/* How much of a bad token a message quotes. */
#define LEASE_QUOTE_MAX 40

static const char *const lease_formats[LEASE_FORMAT_MAX] = {
	[LEASE_AUTO] = "auto",
	[LEASE_ISC] = "isc",
	[LEASE_KEA] = "kea",
	[LEASE_DNSMASQ] = "dnsmasq",
};

/* The state of one lease_parse() call. */
struct lease_parser {
	struct lease_list *out;
	const char *path;
	const char *buf;
	size_t len;
	size_t off;
	unsigned line;
	char *err;
	size_t errlen;
};

static int lease_err(struct lease_parser *, unsigned, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* lease_err -- "PATH:LINE: message" into the caller's buffer; returns -1 */
static int
lease_err(struct lease_parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escape_vlineerr(p->err, p->errlen, p->path, line, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
lease_format_name(unsigned format)
{
	return format < LEASE_FORMAT_MAX ? lease_formats[format] : "?";
}

int
lease_format_parse(const char *s, size_t len)
{
	int f;

	for (f = 0; f < LEASE_FORMAT_MAX; f++)
		if (strlen(lease_formats[f]) == len &&
		    memcmp(lease_formats[f], s, len) == 0)
			return f;
	return -1;
}

int64_t
lease_timegm(int year, int mon, int day, int hour, int min, int sec)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int64_t y, era, yoe, doy, doe, days;
	int m;

	if (year < 1970 || year > 9999 || mon < 1 || mon > 12 || day < 1 ||
	    day > mdays[mon - 1] + (mon == 2 && leap) || hour < 0 ||
	    hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 60)
		return -1;
	/* days from the civil date (H. Hinnant's algorithm), no libc */
	y = year - (mon <= 2);
	m = mon;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	return days * 86400 + hour * 3600 + min * 60 + sec;
}

int
lease_active(const struct lease *l, int64_t now, int64_t grace_s)
{
	if (!l->held)
		return 0;
	if (l->ends == LEASE_FOREVER)
		return 1;
	return l->ends > now - grace_s;
}

/* lease_digits -- LEN bytes of S as a decimal below 2^63, or -1 */
static int64_t
lease_digits(const char *s, size_t len)
{
	int64_t v = 0;
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * lease_text -- LEN bytes of S into DST (LEASE_TEXT_MAX) as printable
 * ASCII: other bytes become '?', and the rest is cut
 */
static void
lease_text(char *dst, const char *s, size_t len)
{
	size_t i;

	if (len > LEASE_TEXT_MAX - 1)
		len = LEASE_TEXT_MAX - 1;
	for (i = 0; i < len; i++)
		dst[i] = (unsigned char)s[i] >= 0x20 &&
		    (unsigned char)s[i] < 0x7f ? s[i] : '?';
	dst[len] = '\0';
}

/* lease_add -- append a copy of L to the output; -1 when out of memory */
static int
lease_add(struct lease_parser *p, const struct lease *l)
{
	struct lease_list *o = p->out;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct lease *v = realloc(o->v, cap * sizeof(*v));

		if (v == NULL)
			return lease_err(p, l->line, "%s", strerror(ENOMEM));
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = *l;
	return 0;
}

/* ---------------------------------------------------------------- ISC */

enum lease_tok {
	LEASE_T_EOF = 0,
	LEASE_T_WORD,
	LEASE_T_STRING,   /* the text between the quotes, escapes kept */
	LEASE_T_OPEN,
	LEASE_T_CLOSE,
	LEASE_T_SEMI
};

struct lease_token {
	int type;
	const char *s;
	size_t len;
	unsigned line;
};

/*
 * lease_isc_next -- the next token of a dhcpd.leases file: blanks and
 * "#" comments skipped, strings with their backslash escapes.  Returns the
 * type, or -1 for a string the file ends in.
 */
static int
lease_isc_next(struct lease_parser *p, struct lease_token *t)
{
	const char *b = p->buf;

	for (;;) {
		while (p->off < p->len && (b[p->off] == ' ' ||
		    b[p->off] == '\t' || b[p->off] == '\r' ||
		    b[p->off] == '\n')) {
			if (b[p->off] == '\n')
				p->line++;
			p->off++;
		}
		if (p->off < p->len && b[p->off] == '#') {
			while (p->off < p->len && b[p->off] != '\n')
				p->off++;
			continue;
		}
		break;
	}
	t->line = p->line;
	t->s = b + p->off;
	t->len = 0;
	if (p->off == p->len)
		return t->type = LEASE_T_EOF;
	switch (b[p->off]) {
	case '{':
		p->off++;
		return t->type = LEASE_T_OPEN;
	case '}':
		p->off++;
		return t->type = LEASE_T_CLOSE;
	case ';':
		p->off++;
		return t->type = LEASE_T_SEMI;
	case '"':
		t->s = b + ++p->off;
		while (p->off < p->len && b[p->off] != '"') {
			if (b[p->off] == '\\' && p->off + 1 < p->len)
				p->off++;
			if (b[p->off] == '\n')
				p->line++;
			p->off++;
		}
		if (p->off == p->len)
			return t->type = -1;
		t->len = (size_t)(b + p->off - t->s);
		p->off++;
		return t->type = LEASE_T_STRING;
	default:
		while (p->off < p->len && strchr(" \t\r\n{};\"#",
		    b[p->off]) == NULL && b[p->off] != '\0')
			p->off++;
		if (p->off < p->len && b[p->off] == '\0' && t->s == b + p->off)
			p->off++;   /* a NUL alone: a word of its own */
		t->len = (size_t)(b + p->off - t->s);
		return t->type = LEASE_T_WORD;
	}
}

/* lease_is -- 1 when token T is the word W */
static int
lease_is(const struct lease_token *t, const char *w)
{
	return t->type == LEASE_T_WORD && t->len == strlen(w) &&
	    memcmp(t->s, w, t->len) == 0;
}

/* lease_quote -- token T escaped for a message, in BUF */
static const char *
lease_quote(const struct lease_token *t, char *buf, size_t len)
{
	return escape_quote(buf, len, t->s, t->len, LEASE_QUOTE_MAX);
}

/*
 * lease_isc_skip -- skip to the end of a block whose "{" was read at
 * line OPEN, nested blocks included.  Returns 0, or -1 when the file ends
 * first (a truncated file).
 */
static int
lease_isc_skip(struct lease_parser *p, unsigned open)
{
	struct lease_token t;
	unsigned depth = 1;

	while (depth > 0) {
		switch (lease_isc_next(p, &t)) {
		case LEASE_T_OPEN:
			depth++;
			break;
		case LEASE_T_CLOSE:
			depth--;
			break;
		case LEASE_T_EOF:
			return lease_err(p, open, "the block opened here has "
			    "no end (truncated file?)");
		case -1:
			return lease_err(p, t.line, "unterminated string");
		default:
			break;
		}
	}
	return 0;
}

/* The first words of one statement inside a lease block. */
#define LEASE_ISC_WORDS 5

/*
 * lease_isc_ends -- the time of an "ends" statement: its words W (N of
 * them, "ends" first): "never", "epoch N" or "WEEKDAY YYYY/MM/DD
 * HH:MM:SS" in UTC.  Returns 0 with *ENDS set, or -1.
 */
static int
lease_isc_ends(const struct lease_token *w, size_t n, int64_t *ends)
{
	int y, mo, d, h, mi, s, used = 0;
	char date[32];

	if (n == 2 && lease_is(&w[1], "never")) {
		*ends = LEASE_FOREVER;
		return 0;
	}
	if (n == 3 && lease_is(&w[1], "epoch"))
		return (*ends = lease_digits(w[2].s, w[2].len)) < 0 ? -1 : 0;
	if (n != 4 || w[1].len != 1 || w[1].s[0] < '0' || w[1].s[0] > '6' ||
	    w[2].len + w[3].len + 2 > sizeof(date))
		return -1;
	memcpy(date, w[2].s, w[2].len);
	date[w[2].len] = ' ';
	memcpy(date + w[2].len + 1, w[3].s, w[3].len);
	date[w[2].len + 1 + w[3].len] = '\0';
	if (sscanf(date, "%4d/%2d/%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
	    &used) != 6 || (size_t)used != strlen(date))
		return -1;
	*ends = lease_timegm(y, mo, d, h, mi, s);
	return *ends < 0 ? -1 : 0;
}

/*
 * lease_isc_state -- 1 when a "binding state" word holds the address:
 * active, abandoned (the server found something answering there),
 * bootp; free, backup, expired, released and reset do not
 */
static int
lease_isc_state(const struct lease_token *t)
{
	return !(lease_is(t, "free") || lease_is(t, "backup") ||
	    lease_is(t, "expired") || lease_is(t, "released") ||
	    lease_is(t, "reset"));
}

/*
 * lease_isc_lease -- the block of "lease ADDR {" read at line LINE: its
 * statements up to the closing "}".  A statement is words up to ";", or
 * up to a nested block (skipped whole, as "on expiry { ... }").
 */
static int
lease_isc_lease(struct lease_parser *p, uint32_t addr, unsigned line)
{
	struct lease_token w[LEASE_ISC_WORDS], t;
	struct lease l;
	char q[LEASE_QUOTE_MAX * 4 + 8];
	size_t n = 0;

	memset(&l, 0, sizeof(l));
	l.addr = addr;
	l.line = line;
	l.held = 1;
	l.ends = LEASE_FOREVER;
	for (;;) {
		switch (lease_isc_next(p, &t)) {
		case -1:
			return lease_err(p, t.line, "unterminated string");
		case LEASE_T_EOF:
			return lease_err(p, line, "lease without its closing "
			    "'}' (truncated file?)");
		case LEASE_T_OPEN:
			if (lease_isc_skip(p, t.line) < 0)
				return -1;
			n = 0;
			continue;
		case LEASE_T_CLOSE:
			if (n > 0)
				return lease_err(p, t.line, "statement "
				    "without its ';'");
			return lease_add(p, &l);
		case LEASE_T_SEMI:
			break;
		default:
			if (n < LEASE_ISC_WORDS)
				w[n] = t;
			n++;
			continue;
		}
		/* one statement: its first words are in W */
		if (n == 0)
			continue;
		if (lease_is(&w[0], "ends")) {
			if (lease_isc_ends(w, n, &l.ends) < 0)
				return lease_err(p, w[0].line, "invalid end "
				    "time '%s'", n > 1 ? lease_quote(&w[1], q,
				    sizeof(q)) : "");
		} else if (n == 3 && lease_is(&w[0], "binding") &&
		    lease_is(&w[1], "state")) {
			l.held = lease_isc_state(&w[2]);
		} else if (n == 3 && lease_is(&w[0], "hardware")) {
			lease_text(l.mac, w[2].s, w[2].len);
		} else if (n == 2 && lease_is(&w[0], "client-hostname")) {
			lease_text(l.host, w[1].s, w[1].len);
		}
		n = 0;
	}
}

/* lease_isc -- a dhcpd.leases file */
static int
lease_isc(struct lease_parser *p)
{
	struct lease_token t, a;
	char q[LEASE_QUOTE_MAX * 4 + 8];
	uint32_t addr;

	for (;;) {
		switch (lease_isc_next(p, &t)) {
		case LEASE_T_EOF:
			return 0;
		case -1:
			return lease_err(p, t.line, "unterminated string");
		case LEASE_T_CLOSE:
			return lease_err(p, t.line, "'}' without its block");
		case LEASE_T_OPEN:
			if (lease_isc_skip(p, t.line) < 0)
				return -1;
			continue;
		default:
			break;
		}
		if (!lease_is(&t, "lease"))
			continue;   /* other statements: skipped word by word */
		if (lease_isc_next(p, &a) != LEASE_T_WORD ||
		    addr_parse(a.s, a.len, &addr) < 0)
			return lease_err(p, a.line, "invalid lease address "
			    "'%s'", lease_quote(&a, q, sizeof(q)));
		if (lease_isc_next(p, &t) != LEASE_T_OPEN)
			return lease_err(p, t.line, "expected '{' after "
			    "'lease %s'", lease_quote(&a, q, sizeof(q)));
		if (lease_isc_lease(p, addr, a.line) < 0)
			return -1;
	}
}

/* ------------------------------------------------------- line formats */

/* A field of a line: its start and length. */
struct lease_field {
	const char *s;
	size_t len;
};

/* The most fields of a line that lease_split keeps. */
#define LEASE_FIELDS_MAX 32

/*
 * lease_split -- LEN bytes of S split at SEP into F (at most
 * LEASE_FIELDS_MAX kept); returns how many fields there are in all
 */
static size_t
lease_split(const char *s, size_t len, char sep, struct lease_field *f)
{
	size_t n = 0, start = 0, i;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != sep)
			continue;
		if (n < LEASE_FIELDS_MAX) {
			f[n].s = s + start;
			f[n].len = i - start;
		}
		n++;
		start = i + 1;
	}
	return n;
}

/*
 * lease_next_line -- the next line of the parser's buffer (without its
 * "\n" or "\r\n") into *S and *LEN; 0 at the end of the buffer
 */
static int
lease_next_line(struct lease_parser *p, const char **s, size_t *len)
{
	const char *nl;
	size_t l;

	if (p->off >= p->len)
		return 0;
	*s = p->buf + p->off;
	nl = memchr(*s, '\n', p->len - p->off);
	l = nl != NULL ? (size_t)(nl - *s) : p->len - p->off;
	p->off += l + (nl != NULL);
	if (l > 0 && (*s)[l - 1] == '\r')
		l--;
	*len = l;
	p->line++;
	return 1;
}

/* lease_field_is -- 1 when F is the word W */
static int
lease_field_is(const struct lease_field *f, const char *w)
{
	return f->len == strlen(w) && memcmp(f->s, w, f->len) == 0;
}

/* lease_field_v6 -- 1 when F looks like an IPv6 address: not ours */
static int
lease_field_v6(const struct lease_field *f)
{
	return memchr(f->s, ':', f->len) != NULL;
}

/*
 * lease_kea_host -- Kea's hostname field: it writes a comma as "&#x2c"
 */
static void
lease_kea_host(char *dst, const struct lease_field *f)
{
	char tmp[LEASE_TEXT_MAX];
	size_t i, n = 0;

	for (i = 0; i < f->len && n < sizeof(tmp); i++) {
		if (f->len - i >= 5 && memcmp(f->s + i, "&#x2c", 5) == 0) {
			tmp[n++] = ',';
			i += 4;
		} else
			tmp[n++] = f->s[i];
	}
	lease_text(dst, tmp, n);
}

/* The columns of a Kea lease file that lease_kea reads. */
enum {
	LEASE_KEA_ADDRESS,
	LEASE_KEA_HWADDR,
	LEASE_KEA_LIFETIME,
	LEASE_KEA_EXPIRE,
	LEASE_KEA_HOSTNAME,
	LEASE_KEA_STATE,
	LEASE_KEA_COLS
};

/*
 * lease_kea -- Kea's memfile CSV: a header naming the columns, then one
 * row per lease change, as wide as the header.  State 0 (default) and 1
 * (declined: something else answered there) hold the address; 2 (expired
 * and reclaimed) and 3 (released) do not; a valid lifetime of 0 is a
 * deleted lease.
 */
static int
lease_kea(struct lease_parser *p)
{
	static const char *const names[LEASE_KEA_COLS] = {
		"address", "hwaddr", "valid_lifetime", "expire", "hostname",
		"state"
	};
	struct lease_field f[LEASE_FIELDS_MAX];
	char q[LEASE_QUOTE_MAX * 4 + 8];
	int col[LEASE_KEA_COLS];
	const char *s;
	size_t len, width, n, i;
	int k;

	if (!lease_next_line(p, &s, &len))
		return 0;
	width = lease_split(s, len, ',', f);
	if (width > LEASE_FIELDS_MAX)
		return lease_err(p, p->line, "header with more than %d columns",
		    LEASE_FIELDS_MAX);
	for (k = 0; k < LEASE_KEA_COLS; k++) {
		col[k] = -1;
		for (i = 0; i < width; i++)
			if (lease_field_is(&f[i], names[k]))
				col[k] = (int)i;
	}
	if (col[LEASE_KEA_ADDRESS] != 0 || col[LEASE_KEA_EXPIRE] < 0)
		return lease_err(p, p->line, "not a Kea lease file header "
		    "(no 'address' first, or no 'expire')");
	while (lease_next_line(p, &s, &len)) {
		struct lease l;
		int64_t v;

		if (len == 0)
			continue;
		n = lease_split(s, len, ',', f);
		if (n != width)
			return lease_err(p, p->line, "%zu fields, the header "
			    "has %zu", n, width);
		if (lease_field_v6(&f[0]))
			continue;
		memset(&l, 0, sizeof(l));
		l.line = p->line;
		l.held = 1;
		if (addr_parse(f[0].s, f[0].len, &l.addr) < 0)
			return lease_err(p, p->line, "invalid address '%s'",
			    escape_quote(q, sizeof(q), f[0].s, f[0].len,
			    LEASE_QUOTE_MAX));
		i = (size_t)col[LEASE_KEA_EXPIRE];
		if ((l.ends = lease_digits(f[i].s, f[i].len)) < 0)
			return lease_err(p, p->line, "invalid expire '%s'",
			    escape_quote(q, sizeof(q), f[i].s, f[i].len,
			    LEASE_QUOTE_MAX));
		if (col[LEASE_KEA_LIFETIME] >= 0) {
			i = (size_t)col[LEASE_KEA_LIFETIME];
			v = lease_digits(f[i].s, f[i].len);
			if (v < 0)
				return lease_err(p, p->line, "invalid "
				    "valid_lifetime '%s'", escape_quote(q,
				    sizeof(q), f[i].s, f[i].len,
				    LEASE_QUOTE_MAX));
			if (v == 0)
				l.held = 0;
			else if ((uint64_t)v == LEASE_KEA_INFINITE)
				l.ends = LEASE_FOREVER;
		}
		if (col[LEASE_KEA_STATE] >= 0) {
			i = (size_t)col[LEASE_KEA_STATE];
			v = lease_digits(f[i].s, f[i].len);
			if (v < 0)
				return lease_err(p, p->line, "invalid state "
				    "'%s'", escape_quote(q, sizeof(q), f[i].s,
				    f[i].len, LEASE_QUOTE_MAX));
			if (v == 2 || v == 3)
				l.held = 0;
		}
		if (col[LEASE_KEA_HWADDR] >= 0)
			lease_text(l.mac, f[col[LEASE_KEA_HWADDR]].s,
			    f[col[LEASE_KEA_HWADDR]].len);
		if (col[LEASE_KEA_HOSTNAME] >= 0)
			lease_kea_host(l.host, &f[col[LEASE_KEA_HOSTNAME]]);
		if (lease_add(p, &l) < 0)
			return -1;
	}
	return 0;
}

/*
 * lease_dnsmasq -- "EXPIRY MAC ADDRESS HOSTNAME CLIENT-ID" lines; expiry
 * 0 is a lease that never ends, hostname "*" none.  The "duid" line and
 * the IPv6 leases after it are skipped.
 */
static int
lease_dnsmasq(struct lease_parser *p)
{
	struct lease_field f[LEASE_FIELDS_MAX];
	char q[LEASE_QUOTE_MAX * 4 + 8];
	const char *s;
	size_t len, n;

	while (lease_next_line(p, &s, &len)) {
		struct lease l;

		if (len == 0)
			continue;
		n = lease_split(s, len, ' ', f);
		if (n >= 2 && lease_field_is(&f[0], "duid"))
			continue;
		if (n < 4 || n > 5)
			return lease_err(p, p->line, "%zu fields, not 4 or 5 "
			    "(expiry, MAC, address, hostname, client id)", n);
		memset(&l, 0, sizeof(l));
		l.line = p->line;
		l.held = 1;
		if ((l.ends = lease_digits(f[0].s, f[0].len)) < 0)
			return lease_err(p, p->line, "invalid expiry '%s'",
			    escape_quote(q, sizeof(q), f[0].s, f[0].len,
			    LEASE_QUOTE_MAX));
		if (l.ends == 0)
			l.ends = LEASE_FOREVER;
		if (lease_field_v6(&f[2]))
			continue;
		if (addr_parse(f[2].s, f[2].len, &l.addr) < 0)
			return lease_err(p, p->line, "invalid address '%s'",
			    escape_quote(q, sizeof(q), f[2].s, f[2].len,
			    LEASE_QUOTE_MAX));
		if (!lease_field_is(&f[1], "*"))
			lease_text(l.mac, f[1].s, f[1].len);
		if (!lease_field_is(&f[3], "*"))
			lease_text(l.host, f[3].s, f[3].len);
		if (lease_add(p, &l) < 0)
			return -1;
	}
	return 0;
}

int
lease_detect(const char *buf, size_t len)
{
	size_t i = 0, w;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n'))
		i++;
	if (i == len)
		return LEASE_AUTO;
	if (len - i >= 8 && memcmp(buf + i, "address,", 8) == 0)
		return LEASE_KEA;
	if (buf[i] == '#')
		return LEASE_ISC;
	for (w = i; w < len && buf[w] >= '0' && buf[w] <= '9'; w++)
		;
	if (w > i && w < len && buf[w] == ' ')
		return LEASE_DNSMASQ;
	for (w = i; w < len && strchr(" \t\r\n{;\"", buf[w]) == NULL; w++)
		;
	if ((w - i == 5 && memcmp(buf + i, "lease", 5) == 0) ||
	    (w - i == 20 && memcmp(buf + i, "authoring-byte-order", 20) == 0) ||
	    (w - i == 11 && memcmp(buf + i, "server-duid", 11) == 0) ||
	    (w - i == 8 && memcmp(buf + i, "failover", 8) == 0) ||
	    (w - i == 4 && memcmp(buf + i, "host", 4) == 0))
		return LEASE_ISC;
	return -1;
}

/* lease_cmp -- by address, then by position in the file */
static int
lease_cmp(const void *a, const void *b)
{
	const struct lease *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* lease_last -- sort OUT by address and keep each address's last entry */
static void
lease_last(struct lease_list *out)
{
	size_t i, k = 0;

	if (out->n == 0)
		return;
	qsort(out->v, out->n, sizeof(*out->v), lease_cmp);
	for (i = 0; i < out->n; i++) {
		if (k > 0 && out->v[k - 1].addr == out->v[i].addr)
			k--;
		out->v[k++] = out->v[i];
	}
	out->n = k;
}

int
lease_parse(struct lease_list *out, unsigned format, const char *path,
    const char *buf, size_t len, char *err, size_t errlen)
{
	struct lease_parser p;
	int rc, f = (int)format;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.out = out;
	p.path = path != NULL ? path : "(leases)";
	p.buf = buf;
	p.len = len;
	p.line = 1;
	p.err = err;
	p.errlen = errlen;
	if (f == LEASE_AUTO && (f = lease_detect(buf, len)) < 0)
		return lease_err(&p, 1, "not a lease file of ISC dhcpd, Kea or "
		    "dnsmasq");
	if (f >= LEASE_FORMAT_MAX)
		return lease_err(&p, 1, "unknown lease file format");
	out->format = f == LEASE_AUTO ? LEASE_ISC : (unsigned)f;
	switch (out->format) {
	case LEASE_KEA:
		p.line = 0;
		rc = lease_kea(&p);
		break;
	case LEASE_DNSMASQ:
		p.line = 0;
		rc = lease_dnsmasq(&p);
		break;
	default:
		rc = lease_isc(&p);
		break;
	}
	if (rc < 0) {
		lease_free(out);
		return -1;
	}
	lease_last(out);
	return 0;
}

void
lease_free(struct lease_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
