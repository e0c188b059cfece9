/* route.c - how the kernel reaches each target: RTM_GETROUTE over netlink */
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nlsock.h"
#include "route.h"

/* route_mask -- the host-order netmask of a /LEN (LEN 0..32) */
static uint32_t
route_mask(unsigned len)
{
	return len == 0 ? 0 : len >= 32 ? 0xffffffffu :
	    ~(0xffffffffu >> len);
}

/* route_bounds_add -- keep DST/LEN (a /0 splits nothing); -1 on ENOMEM */
static int
route_bounds_add(struct route_bounds *b, uint32_t dst, unsigned len)
{
	if (len == 0 || len > 32)
		return 0;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct route_prefix *p = realloc(b->p, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->n].dst = dst & route_mask(len);
	b->p[b->n].len = len;
	b->n++;
	return 0;
}

/* route_attr_u32 -- the 4-byte attribute TYPE after HDRLEN, host order */
static int
route_attr_addr(const struct nlmsghdr *nh, size_t hdrlen, uint16_t type,
    uint32_t *out)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nh, hdrlen) {
		if (mnl_attr_get_type(attr) == type &&
		    mnl_attr_get_payload_len(attr) == 4) {
			uint32_t v;

			memcpy(&v, mnl_attr_get_payload(attr), 4);
			*out = ntohl(v);
			return 1;
		}
	}
	return 0;
}

int
route_bounds_parse(struct route_bounds *b, const void *buf, size_t len,
    uint32_t seq)
{
	const struct nlmsghdr *nh;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (nh = buf; mnl_nlmsg_ok(nh, left);
	    nh = mnl_nlmsg_next(nh, &left)) {
		uint32_t dst = 0;

		if (nh->nlmsg_seq != seq)
			continue;
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == NLMSG_ERROR)
			return -1;
		if (nh->nlmsg_type == RTM_NEWROUTE) {
			const struct rtmsg *rt = mnl_nlmsg_get_payload(nh);

			if (mnl_nlmsg_get_payload_len(nh) < sizeof(*rt) ||
			    rt->rtm_family != AF_INET)
				continue;
			route_attr_addr(nh, sizeof(*rt), RTA_DST, &dst);
			if (route_bounds_add(b, dst, rt->rtm_dst_len) < 0)
				return -1;
		} else if (nh->nlmsg_type == RTM_NEWRULE) {
			const struct fib_rule_hdr *fr =
			    mnl_nlmsg_get_payload(nh);

			if (mnl_nlmsg_get_payload_len(nh) < sizeof(*fr) ||
			    fr->family != AF_INET)
				continue;
			route_attr_addr(nh, sizeof(*fr), FRA_DST, &dst);
			if (route_bounds_add(b, dst, fr->dst_len) < 0)
				return -1;
		}
	}
	return 0;
}

void
route_bounds_free(struct route_bounds *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/*
 * route_block_len -- for a prefix P of length p, the block A/L is whole
 * (all in P or all out of it) when L >= p, or when A and P's address part
 * before bit L already: L > their common prefix length.  So each prefix
 * asks L >= min(p, common + 1), and L is the largest of those.
 */
unsigned
route_block_len(const struct route_bounds *b, uint32_t a)
{
	unsigned l = 0;
	size_t i;

	for (i = 0; i < b->n; i++) {
		uint32_t x = a ^ b->p[i].dst;
		unsigned common = x == 0 ? 32 : (unsigned)__builtin_clz(x);
		unsigned need = common + 1 < b->p[i].len ? common + 1 :
		    b->p[i].len;

		if (need > l)
			l = need;
	}
	return l;
}

int
route_answer_parse(const void *buf, size_t len, uint32_t seq,
    struct route_answer *ans)
{
	const struct nlmsghdr *nh;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (nh = buf; mnl_nlmsg_ok(nh, left);
	    nh = mnl_nlmsg_next(nh, &left)) {
		const struct rtmsg *rt = mnl_nlmsg_get_payload(nh);
		const struct nlattr *attr;
		int gateway = 0;

		if (nh->nlmsg_seq != seq)
			continue;
		memset(ans, 0, sizeof(*ans));
		/* no route, or an unreachable, prohibit or blackhole one */
		if (nh->nlmsg_type == NLMSG_ERROR)
			return 1;
		if (nh->nlmsg_type != RTM_NEWROUTE ||
		    mnl_nlmsg_get_payload_len(nh) < sizeof(*rt) ||
		    rt->rtm_family != AF_INET)
			continue;
		mnl_attr_for_each(attr, nh, sizeof(*rt)) {
			uint16_t type = mnl_attr_get_type(attr);

			if (type == RTA_GATEWAY || type == RTA_VIA)
				gateway = 1;
			else if (type == RTA_OIF &&
			    mnl_attr_get_payload_len(attr) == 4)
				ans->oif = mnl_attr_get_u32(attr);
		}
		ans->onlink = rt->rtm_type == RTN_UNICAST && !gateway &&
		    ans->oif != 0;
		return 1;
	}
	return 0;
}

/* route_bounds_parse_cb -- route_bounds_parse for nlsock_ask */
static int
route_bounds_parse_cb(void *b, const void *buf, size_t len, uint32_t seq)
{
	return route_bounds_parse(b, buf, len, seq);
}

/* route_dump -- add the prefixes of an RTM_GETROUTE or RTM_GETRULE dump */
static int
route_dump(struct route_ctx *rc, uint16_t type)
{
	union {
		struct nlmsghdr align;
		char buf[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg))];
	} u;
	struct nlmsghdr *nh = mnl_nlmsg_put_header(u.buf);
	struct rtmsg *rt;

	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh->nlmsg_seq = ++rc->seq;
	/* struct fib_rule_hdr starts with its family where rtmsg does */
	rt = mnl_nlmsg_put_extra_header(nh, sizeof(*rt));
	rt->rtm_family = AF_INET;
	return nlsock_ask(rc->nl, nh, route_bounds_parse_cb, &rc->b);
}

int
route_open(struct route_ctx *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->nl = nlsock_open();
	if (rc->nl == NULL || route_dump(rc, RTM_GETROUTE) < 0 ||
	    route_dump(rc, RTM_GETRULE) < 0) {
		route_close(rc);
		return -1;
	}
	return 0;
}

/* route_answer_parse_cb -- route_answer_parse for nlsock_ask */
static int
route_answer_parse_cb(void *ans, const void *buf, size_t len, uint32_t seq)
{
	return route_answer_parse(buf, len, seq, ans);
}

int
route_lookup(struct route_ctx *rc, uint32_t a, struct route_answer *ans)
{
	union {
		struct nlmsghdr align;
		char buf[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg)) +
		    MNL_ATTR_HDRLEN + sizeof(uint32_t)];
	} u;
	struct nlmsghdr *nh;
	struct rtmsg *rt;
	unsigned l;
	uint32_t block;

	/*
	 * An address of the last block has that block's length too (no
	 * prefix divides the block), so the prefixes need no second look.
	 */
	if (rc->have_last &&
	    (a & route_mask(rc->last_len)) == rc->last_block) {
		*ans = rc->last;
		return 0;
	}
	l = route_block_len(&rc->b, a);
	block = a & route_mask(l);
	nh = mnl_nlmsg_put_header(u.buf);
	nh->nlmsg_type = RTM_GETROUTE;
	nh->nlmsg_flags = NLM_F_REQUEST;
	nh->nlmsg_seq = ++rc->seq;
	rt = mnl_nlmsg_put_extra_header(nh, sizeof(*rt));
	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = 32;
	mnl_attr_put_u32(nh, RTA_DST, htonl(a));
	if (nlsock_ask(rc->nl, nh, route_answer_parse_cb, ans) < 0)
		return -1;
	rc->queries++;
	rc->have_last = 1;
	rc->last_len = l;
	rc->last_block = block;
	rc->last = *ans;
	return 0;
}

void
route_close(struct route_ctx *rc)
{
	if (rc->nl != NULL)
		mnl_socket_close(rc->nl);
	route_bounds_free(&rc->b);
	memset(rc, 0, sizeof(*rc));
}
