/* route.h - which targets sit on a directly connected subnet */
#ifndef IPSWEEP_ROUTE_H
#define IPSWEEP_ROUTE_H

#include <stddef.h>
#include <stdint.h>

struct route_entry {
	uint32_t dst;      /* host order */
	uint32_t mask;     /* host order, contiguous */
	int gateway;       /* 1: reached through a gateway */
	int reject;        /* 1: unreachable, blackhole or prohibit route */
	char ifname[16];   /* the outgoing interface */
};

struct route_table {
	struct route_entry *e;
	size_t n;
};

/*
 * route_parse -- parse LEN bytes of BUF in the format of /proc/net/route
 * (the main table: a header line, then Iface Destination Gateway Flags
 * RefCnt Use Metric Mask ..., addresses as hex in network byte order).
 * Lines that do not parse are skipped.  Returns 0, or -1 on ENOMEM.
 */
int route_parse(struct route_table *t, const char *buf, size_t len);

/* route_load -- route_parse(/proc/net/route); -1 when it cannot be read */
int route_load(struct route_table *t);

void route_free(struct route_table *t);

/* route_find -- the longest-prefix match for A in T, or NULL */
const struct route_entry *route_find(const struct route_table *t, uint32_t a);

/*
 * route_onlink -- 1 when the longest-prefix match for A in T is a route
 * without a gateway (the kernel resolves A's link-layer address itself),
 * 0 otherwise, including when nothing matches.  Policy routing rules and
 * tables other than main are not consulted.
 */
int route_onlink(const struct route_table *t, uint32_t a);

#endif
