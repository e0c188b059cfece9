/* ipamcsv.c - IPAM exports (NetBox, phpIPAM) as CSV: documented addresses */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "escape.h"
#include "ipamcsv.h"

/* How much of a bad field a message quotes. */
#define IPAMCSV_QUOTE_MAX 40

/* One field of a row: where it is in the buffer, and whether quoted. */
struct ipamcsv_field {
	const char *s;
	size_t len;
	int quoted;
};

/* The state of one ipamcsv_parse() call. */
struct ipamcsv_parser {
	const char *path;
	const char *buf;
	size_t len;
	size_t off;
	unsigned line;
	char *err;
	size_t errlen;
};

static int ipamcsv_err(struct ipamcsv_parser *, unsigned, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* ipamcsv_err -- "PATH:LINE: message" into the caller's buffer; -1 */
static int
ipamcsv_err(struct ipamcsv_parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	escape_vlineerr(p->err, p->errlen, p->path, line, fmt, ap);
	va_end(ap);
	return -1;
}

int
ipamcsv_status_free(const char *s, size_t len)
{
	static const char *const free_words[] = {
		"free", "available", "deprecated"
	};
	size_t i;

	for (i = 0; i < sizeof(free_words) / sizeof(free_words[0]); i++)
		if (strlen(free_words[i]) == len &&
		    strncasecmp(s, free_words[i], len) == 0)
			return 1;
	return 0;
}

/*
 * ipamcsv_row -- the next row into F (its fields, at most
 * IPAMCSV_COLS_MAX, in *N); a quoted field may span lines.  Returns 1 for
 * a row, 0 at the end, -1 for an unterminated quote, junk after a
 * closing quote or too many columns.
 */
static int
ipamcsv_row(struct ipamcsv_parser *p, struct ipamcsv_field *f, size_t *n)
{
	const char *b = p->buf;
	unsigned start = p->line;

	*n = 0;
	if (p->off >= p->len)
		return 0;
	for (;;) {
		struct ipamcsv_field *cur;

		if (*n == IPAMCSV_COLS_MAX)
			return ipamcsv_err(p, start, "more than %d columns",
			    IPAMCSV_COLS_MAX);
		cur = &f[(*n)++];
		cur->quoted = p->off < p->len && b[p->off] == '"';
		if (cur->quoted) {
			cur->s = b + ++p->off;
			for (;;) {
				if (p->off >= p->len)
					return ipamcsv_err(p, start,
					    "unterminated quoted field");
				if (b[p->off] == '"') {
					if (p->off + 1 < p->len &&
					    b[p->off + 1] == '"') {
						p->off += 2;
						continue;
					}
					break;
				}
				if (b[p->off] == '\n')
					p->line++;
				p->off++;
			}
			cur->len = (size_t)(b + p->off - cur->s);
			p->off++;
			if (p->off < p->len && b[p->off] == '\r')
				p->off++;
			if (p->off < p->len && b[p->off] != ',' &&
			    b[p->off] != '\n')
				return ipamcsv_err(p, p->line, "text after a "
				    "quoted field");
		} else {
			cur->s = b + p->off;
			while (p->off < p->len && b[p->off] != ',' &&
			    b[p->off] != '\n')
				p->off++;
			cur->len = (size_t)(b + p->off - cur->s);
			if (cur->len > 0 && cur->s[cur->len - 1] == '\r')
				cur->len--;
		}
		if (p->off >= p->len)
			return 1;
		if (b[p->off++] == '\n') {
			p->line++;
			return 1;
		}
	}
}

/*
 * ipamcsv_text -- field F into DST (IPAMCSV_TEXT_MAX), "" unquoted, blanks
 * around it trimmed, other than printable ASCII shown as '?', cut to fit
 */
static void
ipamcsv_text(char *dst, const struct ipamcsv_field *f)
{
	size_t i, n = 0, len = f->len;
	const char *s = f->s;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (i = 0; i < len && n < IPAMCSV_TEXT_MAX - 1; i++) {
		if (f->quoted && s[i] == '"' && i + 1 < len && s[i + 1] == '"')
			i++;
		dst[n++] = (unsigned char)s[i] >= 0x20 &&
		    (unsigned char)s[i] < 0x7f ? s[i] : '?';
	}
	dst[n] = '\0';
}

/* The columns ipamcsv_parse reads, and the header names of each. */
enum { IPAMCSV_ADDR, IPAMCSV_STATUS, IPAMCSV_NAME, IPAMCSV_WANT };
/* How many header names the name column has. */
#define IPAMCSV_NAMES 6

/*
 * ipamcsv_column -- which column the header word W is, and its rank
 * among that column's names (lower is better) in *RANK; -1 for none
 */
static int
ipamcsv_column(const char *w, int *rank)
{
	static const char *const names[IPAMCSV_WANT][7] = {
		[IPAMCSV_ADDR] = { "address", "ip address", "ip_address",
		    "ip_addr", "ip", "ipaddress", NULL },
		[IPAMCSV_STATUS] = { "status", "state", NULL },
		[IPAMCSV_NAME] = { "dns name", "dns_name", "hostname",
		    "host name", "name", "description", NULL },
	};
	int c, k;

	for (c = 0; c < IPAMCSV_WANT; c++)
		for (k = 0; names[c][k] != NULL; k++)
			if (strcasecmp(w, names[c][k]) == 0) {
				*rank = k;
				return c;
			}
	return -1;
}

/*
 * ipamcsv_addr -- field F as "a.b.c.d" or "a.b.c.d/len" into *A.
 * Returns 1, 0 for an IPv6 address (skipped), -1 when it is neither.
 */
static int
ipamcsv_addr(const struct ipamcsv_field *f, uint32_t *a)
{
	char t[IPAMCSV_TEXT_MAX];
	char *slash;
	size_t i;

	ipamcsv_text(t, f);
	if (strchr(t, ':') != NULL)
		return 0;
	slash = strchr(t, '/');
	if (slash != NULL) {
		unsigned bits = 0;

		if (slash[1] == '\0' || strlen(slash + 1) > 2)
			return -1;
		for (i = 1; slash[i] != '\0'; i++) {
			if (slash[i] < '0' || slash[i] > '9')
				return -1;
			bits = bits * 10 + (unsigned)(slash[i] - '0');
		}
		if (bits > 32)
			return -1;
		*slash = '\0';
	}
	return addr_parse(t, strlen(t), a) < 0 ? -1 : 1;
}

/* ipamcsv_add -- append E to OUT; -1 when out of memory */
static int
ipamcsv_add(struct ipamcsv_list *out, const struct ipamcsv_entry *e)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 64;
		struct ipamcsv_entry *v = realloc(out->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		out->v = v;
		out->cap = cap;
	}
	out->v[out->n++] = *e;
	return 0;
}

int
ipamcsv_parse(struct ipamcsv_list *out, const char *path, const char *buf,
    size_t len, char *err, size_t errlen)
{
	struct ipamcsv_field *f;
	struct ipamcsv_parser p;
	char q[IPAMCSV_QUOTE_MAX * 4 + 8], w[IPAMCSV_TEXT_MAX];
	int col[IPAMCSV_WANT], best[IPAMCSV_WANT], names[IPAMCSV_NAMES], c;
	int rank, rc;
	size_t width, n, i;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.path = path != NULL ? path : "(ipam)";
	p.buf = buf;
	p.len = len;
	p.line = 1;
	p.err = err;
	p.errlen = errlen;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p.off = 3;
	f = calloc(IPAMCSV_COLS_MAX, sizeof(*f));
	if (f == NULL)
		return ipamcsv_err(&p, 1, "%s", strerror(ENOMEM));
	rc = ipamcsv_row(&p, f, &width);
	if (rc <= 0) {
		free(f);
		return rc < 0 ? -1 : ipamcsv_err(&p, 1, "empty file: no "
		    "header");
	}
	for (c = 0; c < IPAMCSV_WANT; c++)
		col[c] = best[c] = -1;
	for (c = 0; c < IPAMCSV_NAMES; c++)
		names[c] = -1;
	for (i = 0; i < width; i++) {
		ipamcsv_text(w, &f[i]);
		c = ipamcsv_column(w, &rank);
		if (c == IPAMCSV_NAME && names[rank] < 0)
			names[rank] = (int)i;
		if (c >= 0 && (col[c] < 0 || rank < best[c])) {
			col[c] = (int)i;
			best[c] = rank;
		}
	}
	if (col[IPAMCSV_ADDR] < 0) {
		free(f);
		return ipamcsv_err(&p, 1, "no address column in the header "
		    "(address, ip address, ip_addr, ...)");
	}
	for (;;) {
		struct ipamcsv_entry e;
		unsigned line = p.line;
		const struct ipamcsv_field *a;

		rc = ipamcsv_row(&p, f, &n);
		if (rc <= 0)
			break;
		if (n == 1 && f[0].len == 0 && !f[0].quoted)
			continue;   /* a blank line */
		if (n != width) {
			rc = ipamcsv_err(&p, line, "%zu fields, the header has "
			    "%zu", n, width);
			break;
		}
		memset(&e, 0, sizeof(e));
		e.line = line;
		a = &f[col[IPAMCSV_ADDR]];
		rc = ipamcsv_addr(a, &e.addr);
		if (rc < 0) {
			ipamcsv_err(&p, line, "invalid address '%s'",
			    escape_quote(q, sizeof(q), a->s, a->len,
			    IPAMCSV_QUOTE_MAX));
			break;
		}
		if (rc == 0)
			continue;
		if (col[IPAMCSV_STATUS] >= 0)
			ipamcsv_text(e.status, &f[col[IPAMCSV_STATUS]]);
		if (ipamcsv_status_free(e.status, strlen(e.status)))
			continue;
		/* the best name column that has a name in this row */
		for (c = 0; c < IPAMCSV_NAMES && e.name[0] == '\0'; c++)
			if (names[c] >= 0)
				ipamcsv_text(e.name, &f[names[c]]);
		if (ipamcsv_add(out, &e) < 0) {
			rc = ipamcsv_err(&p, line, "%s", strerror(ENOMEM));
			break;
		}
	}
	free(f);
	if (rc < 0) {
		ipamcsv_free(out);
		return -1;
	}
	return 0;
}

void
ipamcsv_free(struct ipamcsv_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
