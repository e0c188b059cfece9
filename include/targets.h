/* targets.h - target syntax, address sets as interval lists, expansion */
#ifndef IPSWEEP_TARGETS_H
#define IPSWEEP_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* An inclusive interval of addresses in host byte order. */
struct targets_span {
	uint32_t lo;
	uint32_t hi;
};

/*
 * A set of addresses held as intervals.  After targets_normalise() the
 * spans are sorted, disjoint and not adjacent; the other functions keep
 * that property when given a normalised set.
 */
struct targets_set {
	struct targets_span *spans;
	size_t n;
	size_t cap;
};

/*
 * targets_parse -- parse exactly LEN bytes of S as one target:
 *   a.b.c.d            one address
 *   a.b.c.d/nn         CIDR block, nn 0-32; below /31 the network and
 *                      broadcast addresses are dropped; the host bits of
 *                      a.b.c.d must be zero
 *   a.b.c.d-e.f.g.h    inclusive range, first <= last
 *   a.b.c.d-h          inclusive range in the last octet, d <= h <= 255
 * Returns 0 and fills *OUT, or -1 with one line in ERR ("invalid target
 * '...'", "reversed range '...'", ...).
 */
int targets_parse(const char *s, size_t len, struct targets_span *out,
    char *err, size_t errlen);

void targets_init(struct targets_set *set);
void targets_free(struct targets_set *set);

/* targets_add -- append SPAN (the set is normalised on demand); -1 on ENOMEM */
int targets_add(struct targets_set *set, struct targets_span span);

/* targets_add_set -- append every span of FROM; -1 on ENOMEM */
int targets_add_set(struct targets_set *set, const struct targets_set *from);

/* targets_normalise -- sort and merge overlapping or adjacent spans */
void targets_normalise(struct targets_set *set);

/*
 * targets_subtract -- remove every address of EXCL from SET.  Both are
 * normalised first.  Returns 0, or -1 on ENOMEM.
 */
int targets_subtract(struct targets_set *set, struct targets_set *excl);

/* targets_count -- exact number of addresses in a normalised SET */
uint64_t targets_count(const struct targets_set *set);

/* targets_contains -- 1 when the normalised SET holds A */
int targets_contains(const struct targets_set *set, uint32_t a);

/*
 * targets_expand -- list the addresses of the normalised SET in ascending
 * order into a new array (*OUT, *N; caller frees *OUT).  When the set holds
 * more than MAX addresses nothing is allocated and -1 is returned with
 * "N addresses exceed the limit of MAX (see --max-addresses)" in ERR;
 * -1 with a message on ENOMEM too.
 */
int targets_expand(const struct targets_set *set, uint64_t max,
    uint32_t **out, size_t *n, char *err, size_t errlen);

#endif
