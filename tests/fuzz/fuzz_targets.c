/* fuzz_targets.c - libFuzzer harness for the target and address parsers */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "targets.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * canonical -- the text a parsed target must have come from.  The parsers
 * are strict (no leading zeros, no blanks, no short forms), so formatting
 * the result gives the input back byte for byte; any lax acceptance shows
 * up as a difference.
 */
static void
canonical(const char *s, size_t len, const struct targets_span *sp)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], want[64];
	const char *slash = memchr(s, '/', len);
	const char *dash = memchr(s, '-', len);
	uint32_t net;

	if (sp->lo > sp->hi)
		abort();
	if (slash != NULL) {
		unsigned prefix = 0;
		uint64_t size;
		const char *d;

		for (d = slash + 1; d < s + len; d++)
			prefix = prefix * 10 + (unsigned)(*d - '0');

		/* the block, less network and broadcast below /31 */
		if (prefix > 32)
			abort();
		size = (uint64_t)1 << (32 - prefix);
		net = prefix < 31 ? sp->lo - 1 : sp->lo;
		if ((uint64_t)sp->hi - net + 1 != (prefix < 31 ? size - 1 :
		    size) || net % size != 0)
			abort();
		snprintf(want, sizeof(want), "%s/%u", addr_format(net, a),
		    prefix);
	} else if (dash != NULL && memchr(dash, '.', len - (size_t)(dash -
	    s)) != NULL)
		snprintf(want, sizeof(want), "%s-%s", addr_format(sp->lo, a),
		    addr_format(sp->hi, b));
	else if (dash != NULL) {
		if (sp->lo >> 8 != sp->hi >> 8)
			abort();
		snprintf(want, sizeof(want), "%s-%u", addr_format(sp->lo, a),
		    sp->hi & 255);
	} else {
		if (sp->lo != sp->hi)
			abort();
		snprintf(want, sizeof(want), "%s", addr_format(sp->lo, a));
	}
	if (strlen(want) != len || memcmp(want, s, len) != 0)
		abort();
}

/*
 * The input is a list of targets, one per line; a line starting with '!'
 * is an exclusion.  Each is parsed and checked, then the sets are combined
 * and the result checked against them.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	struct targets_set in, ex, res;
	struct targets_span sp;
	char err[256], text[64];
	uint32_t *v, a;
	size_t i, n;

	targets_init(&in);
	targets_init(&ex);
	targets_init(&res);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		int is_ex = len > 0 && s[0] == '!';
		const char *t = s + is_ex;
		size_t tlen = len - (size_t)is_ex;

		if (addr_parse(t, tlen, &a) == 0 &&
		    (strlen(addr_format(a, text)) != tlen ||
		    memcmp(text, t, tlen) != 0))
			abort();
		err[0] = '\0';
		if (targets_parse(t, tlen, &sp, err, sizeof(err)) == 0) {
			canonical(t, tlen, &sp);
			if (targets_add(is_ex ? &ex : &in, sp) == -1)
				abort();
		} else if (err[0] == '\0' || !printable(err))
			abort();
		s += len + 1;
	}
	if (targets_add_set(&res, &in) == -1 ||
	    targets_subtract(&res, &ex) == -1)
		abort();
	targets_normalise(&in);
	if (targets_count(&res) > targets_count(&in))
		abort();
	for (i = 0; i < res.n; i++) {
		if ((i > 0 && (uint64_t)res.spans[i - 1].hi + 1 >=
		    res.spans[i].lo) || res.spans[i].lo > res.spans[i].hi)
			abort();
		if (!targets_contains(&in, res.spans[i].lo) ||
		    !targets_contains(&in, res.spans[i].hi) ||
		    targets_contains(&ex, res.spans[i].lo) ||
		    targets_contains(&ex, res.spans[i].hi))
			abort();
	}
	/* every excluded span end that was in IN is gone */
	for (i = 0; i < ex.n; i++)
		if (targets_contains(&res, ex.spans[i].lo) ||
		    targets_contains(&res, ex.spans[i].hi))
			abort();
	if (targets_expand(&res, 1 << 16, &v, &n, err, sizeof(err)) == 0) {
		if (n != targets_count(&res))
			abort();
		for (i = 1; i < n; i++)
			if (v[i] <= v[i - 1])
				abort();
		free(v);
	} else if (targets_count(&res) <= 1 << 16)
		abort();
	targets_free(&in);
	targets_free(&ex);
	targets_free(&res);
	return 0;
}
