/* targets.c - target syntax, address sets as interval lists, expansion */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "escape.h"
#include "targets.h"

/* How much of a bad target a message quotes before it writes "...". */
#define TARGETS_QUOTE_MAX 64

/* parse_small -- strict decimal 0..MAX in exactly LEN bytes, no leading 0 */
static int
parse_small(const char *s, size_t len, unsigned max, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	if (len == 0 || len > 3 || (s[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * targets_parse -- one target in one of the four forms of targets.h.  The
 * prefix mask is built without shifting by 32 (undefined in C), so /0 is
 * the whole space less 0.0.0.0 and 255.255.255.255, never a /32.
 */
int
targets_parse(const char *s, size_t len, struct targets_span *out,
    char *err, size_t errlen)
{
	char q[TARGETS_QUOTE_MAX * 4 + 8];
	const char *slash, *dash;
	uint32_t a, b, mask;
	unsigned v;

	if (s == NULL || len == 0) {
		escape_err(err, errlen, "empty target");
		return -1;
	}
	escape_quote(q, sizeof(q), s, len, TARGETS_QUOTE_MAX);
	slash = memchr(s, '/', len);
	dash = memchr(s, '-', len);
	if (slash != NULL && dash != NULL) {
		escape_err(err, errlen, "invalid target '%s'", q);
		return -1;
	}
	if (slash != NULL) {
		size_t alen = (size_t)(slash - s);

		if (addr_parse(s, alen, &a) == -1) {
			escape_err(err, errlen, "invalid target '%s'", q);
			return -1;
		}
		if (parse_small(slash + 1, len - alen - 1, 32, &v) == -1) {
			escape_err(err, errlen, "invalid prefix length in '%s'", q);
			return -1;
		}
		mask = v == 0 ? 0 : UINT32_MAX << (32 - v);
		if ((a & ~mask) != 0) {
			escape_err(err, errlen,
			    "invalid target '%s': host bits set", q);
			return -1;
		}
		out->lo = a;
		out->hi = a | ~mask;
		if (v < 31) {
			out->lo++;
			out->hi--;
		}
		return 0;
	}
	if (dash != NULL) {
		size_t alen = (size_t)(dash - s);
		const char *t = dash + 1;
		size_t tlen = len - alen - 1;

		if (addr_parse(s, alen, &a) == -1) {
			escape_err(err, errlen, "invalid target '%s'", q);
			return -1;
		}
		if (memchr(t, '.', tlen) != NULL) {
			if (addr_parse(t, tlen, &b) == -1) {
				escape_err(err, errlen, "invalid target '%s'", q);
				return -1;
			}
		} else {
			if (parse_small(t, tlen, 255, &v) == -1) {
				escape_err(err, errlen, "invalid target '%s'", q);
				return -1;
			}
			b = (a & 0xffffff00u) | v;
		}
		if (b < a) {
			escape_err(err, errlen, "reversed range '%s'", q);
			return -1;
		}
		out->lo = a;
		out->hi = b;
		return 0;
	}
	if (addr_parse(s, len, &a) == -1) {
		escape_err(err, errlen, "invalid target '%s'", q);
		return -1;
	}
	out->lo = out->hi = a;
	return 0;
}

void
targets_init(struct targets_set *set)
{
	set->spans = NULL;
	set->n = 0;
	set->cap = 0;
}

void
targets_free(struct targets_set *set)
{
	free(set->spans);
	targets_init(set);
}

/* reserve -- room for N more spans; -1 with errno ENOMEM */
static int
reserve(struct targets_set *set, size_t n)
{
	struct targets_span *p;
	size_t cap;

	if (set->cap - set->n >= n)
		return 0;
	if (n > SIZE_MAX / sizeof(*p) - set->n) {
		errno = ENOMEM;
		return -1;
	}
	cap = set->cap < 8 ? 8 : set->cap;
	while (cap - set->n < n)
		cap = cap > SIZE_MAX / sizeof(*p) / 2 ? set->n + n : cap * 2;
	p = realloc(set->spans, cap * sizeof(*p));
	if (p == NULL)
		return -1;
	set->spans = p;
	set->cap = cap;
	return 0;
}

int
targets_add(struct targets_set *set, struct targets_span span)
{
	if (reserve(set, 1) == -1)
		return -1;
	set->spans[set->n++] = span;
	return 0;
}

int
targets_add_set(struct targets_set *set, const struct targets_set *from)
{
	if (from->n == 0)
		return 0;
	if (reserve(set, from->n) == -1)
		return -1;
	memcpy(set->spans + set->n, from->spans,
	    from->n * sizeof(*from->spans));
	set->n += from->n;
	return 0;
}

static int
span_cmp(const void *pa, const void *pb)
{
	const struct targets_span *a = pa, *b = pb;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return 0;
}

/*
 * targets_normalise -- sort, then merge each span into the previous one when
 * they overlap or touch.  The comparison is done in 64 bits so that a span
 * ending at 255.255.255.255 does not wrap.
 */
void
targets_normalise(struct targets_set *set)
{
	size_t i, o;

	if (set->n < 2)
		return;
	qsort(set->spans, set->n, sizeof(*set->spans), span_cmp);
	for (i = 1, o = 0; i < set->n; i++) {
		struct targets_span *cur = &set->spans[o];
		const struct targets_span *nx = &set->spans[i];

		if ((uint64_t)nx->lo <= (uint64_t)cur->hi + 1) {
			if (nx->hi > cur->hi)
				cur->hi = nx->hi;
		} else
			set->spans[++o] = *nx;
	}
	set->n = o + 1;
}

/*
 * targets_subtract -- walk both normalised lists once.  Each span of EXCL
 * can split one span of SET in two, so the result needs at most
 * set->n + excl->n spans; it is built in a new array so that SET is left
 * whole (if normalised) when that allocation fails.
 */
int
targets_subtract(struct targets_set *set, struct targets_set *excl)
{
	struct targets_span *res;
	size_t i, j = 0, k, n = 0, cap;

	targets_normalise(set);
	targets_normalise(excl);
	if (set->n == 0 || excl->n == 0)
		return 0;
	if (excl->n > SIZE_MAX / sizeof(*res) - set->n) {
		errno = ENOMEM;
		return -1;
	}
	cap = set->n + excl->n;
	res = malloc(cap * sizeof(*res));
	if (res == NULL)
		return -1;
	for (i = 0; i < set->n; i++) {
		uint64_t lo = set->spans[i].lo, hi = set->spans[i].hi;

		/* J stays on an exclusion that reaches past HI: it may cut
		 * the next span too. */
		while (j < excl->n && excl->spans[j].hi < lo)
			j++;
		for (k = j; k < excl->n && excl->spans[k].lo <= hi; k++) {
			if (excl->spans[k].lo > lo) {
				res[n].lo = (uint32_t)lo;
				res[n].hi = excl->spans[k].lo - 1;
				n++;
			}
			lo = (uint64_t)excl->spans[k].hi + 1;
			if (lo > hi)
				break;
		}
		if (lo <= hi) {
			res[n].lo = (uint32_t)lo;
			res[n].hi = (uint32_t)hi;
			n++;
		}
	}
	free(set->spans);
	set->spans = res;
	set->n = n;
	set->cap = cap;
	return 0;
}

uint64_t
targets_count(const struct targets_set *set)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < set->n; i++)
		c += (uint64_t)set->spans[i].hi - set->spans[i].lo + 1;
	return c;
}

/* targets_contains -- binary search for the last span starting at or below A */
int
targets_contains(const struct targets_set *set, uint32_t a)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->spans[mid].hi < a)
			lo = mid + 1;
		else if (set->spans[mid].lo > a)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/*
 * targets_expand -- the count is checked against MAX before anything is
 * allocated, so a /0 costs nothing.  An empty set gives a one-element
 * allocation so that *OUT is never NULL on success.
 */
int
targets_expand(const struct targets_set *set, uint64_t max,
    uint32_t **out, size_t *n, char *err, size_t errlen)
{
	uint64_t count = targets_count(set);
	uint32_t *v;
	size_t i, o = 0;

	if (count > max) {
		escape_err(err, errlen,
		    "%" PRIu64 " addresses exceed the limit of %" PRIu64
		    " (see --max-addresses)", count, max);
		return -1;
	}
	if (count > SIZE_MAX / sizeof(*v) ||
	    (v = malloc((count ? (size_t)count : 1) * sizeof(*v))) == NULL) {
		escape_err(err, errlen, "%" PRIu64 " addresses: %s", count,
		    strerror(ENOMEM));
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < set->n; i++) {
		uint64_t a;

		for (a = set->spans[i].lo; a <= set->spans[i].hi; a++)
			v[o++] = (uint32_t)a;
	}
	*out = v;
	*n = o;
	return 0;
}
