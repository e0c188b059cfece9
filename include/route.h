/* route.h - how the kernel reaches each target: RTM_GETROUTE over netlink */
#ifndef IPSWEEP_ROUTE_H
#define IPSWEEP_ROUTE_H

#include <stddef.h>
#include <stdint.h>

/* A destination prefix of a route (any table) or of a policy rule. */
struct route_prefix {
	uint32_t dst;      /* host order, masked */
	unsigned len;      /* 1..32 (a /0 splits nothing and is not kept) */
};

/* Every route and rule prefix, for route_block_len. */
struct route_bounds {
	struct route_prefix *p;
	size_t n, cap;
};

/* What the kernel answered for one destination. */
struct route_answer {
	int onlink;        /* 1: a unicast route without a gateway */
	unsigned oif;      /* the outgoing interface's index, 0: none */
};

struct mnl_socket;

/*
 * A lookup context: the netlink socket, the prefixes, and the answer for
 * the last block asked (targets come mostly in order).
 */
struct route_ctx {
	struct mnl_socket *nl;
	uint32_t seq;
	struct route_bounds b;
	int have_last;
	uint32_t last_block;
	unsigned last_len;
	struct route_answer last;
	unsigned queries;  /* RTM_GETROUTE requests sent */
};

/*
 * route_bounds_parse -- add to B the destination prefixes of the
 * RTM_NEWROUTE and RTM_NEWRULE messages (IPv4, any table) in LEN bytes of
 * BUF that answer request SEQ.  Returns 1 when the dump is complete
 * (NLMSG_DONE), 0 when more is to come, -1 for an error message or
 * ENOMEM.  Pure.
 */
int route_bounds_parse(struct route_bounds *b, const void *buf, size_t len,
    uint32_t seq);

void route_bounds_free(struct route_bounds *b);

/*
 * route_block_len -- the length L of the largest aligned block A/L that no
 * prefix of B splits (each prefix holds all of it or none of it).  Every
 * destination in that block meets the same rules and the same routes in
 * every table, so one RTM_GETROUTE answers for all of them.  Pure.
 */
unsigned route_block_len(const struct route_bounds *b, uint32_t a);

/*
 * route_answer_parse -- the answer to the RTM_GETROUTE request SEQ in LEN
 * bytes of BUF: 1 with ANS set for a route (on-link when it is unicast
 * and has no gateway), 1 with ANS not on-link for an error answer (no
 * route, unreachable, prohibit, blackhole), 0 when the buffer holds no
 * answer to SEQ.  Pure.
 */
int route_answer_parse(const void *buf, size_t len, uint32_t seq,
    struct route_answer *ans);

/*
 * route_open -- open the netlink socket and dump the prefixes of every
 * route (all tables) and every rule.  Returns 0, or -1 (the context is
 * then closed).
 */
int route_open(struct route_ctx *rc);

/*
 * route_lookup -- how the kernel reaches A, as `ip route get A` asks it:
 * policy rules, every table and the route types are the kernel's.  One
 * request per block (route_block_len); the last block's answer is reused.
 * Returns 0 with ANS set, or -1 when the socket fails.
 */
int route_lookup(struct route_ctx *rc, uint32_t a, struct route_answer *ans);

void route_close(struct route_ctx *rc);

#endif
