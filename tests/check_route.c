/* check_route.c - route prefixes, blocks, and the RTM_GETROUTE answer */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "route.h"

Suite *route_suite(void);

#define T_IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

static union {
	struct nlmsghdr align;
	uint8_t b[16384];
} u;

/* t_route -- append an RTM_NEWROUTE for DST/LEN (TYPE; GW 0: none) */
static void
t_route(size_t *off, uint32_t seq, uint8_t family, uint32_t dst,
    unsigned len, uint8_t type, uint32_t gw, uint32_t oif)
{
	struct nlmsghdr *nh = mnl_nlmsg_put_header(u.b + *off);
	struct rtmsg *rt = mnl_nlmsg_put_extra_header(nh, sizeof(*rt));

	nh->nlmsg_type = RTM_NEWROUTE;
	nh->nlmsg_seq = seq;
	rt->rtm_family = family;
	rt->rtm_dst_len = (uint8_t)len;
	rt->rtm_type = type;
	if (len > 0)
		mnl_attr_put_u32(nh, RTA_DST, htonl(dst));
	if (gw != 0)
		mnl_attr_put_u32(nh, RTA_GATEWAY, htonl(gw));
	if (oif != 0)
		mnl_attr_put_u32(nh, RTA_OIF, oif);
	*off += nh->nlmsg_len;
}

/* t_rule -- append an RTM_NEWRULE with destination DST/LEN */
static void
t_rule(size_t *off, uint32_t seq, uint32_t dst, unsigned len)
{
	struct nlmsghdr *nh = mnl_nlmsg_put_header(u.b + *off);
	struct fib_rule_hdr *fr = mnl_nlmsg_put_extra_header(nh, sizeof(*fr));

	nh->nlmsg_type = RTM_NEWRULE;
	nh->nlmsg_seq = seq;
	fr->family = AF_INET;
	fr->dst_len = (uint8_t)len;
	if (len > 0)
		mnl_attr_put_u32(nh, FRA_DST, htonl(dst));
	*off += nh->nlmsg_len;
}

/* t_end -- append NLMSG_DONE or NLMSG_ERROR (with ERRNO) for SEQ */
static void
t_end(size_t *off, uint16_t type, uint32_t seq, int err)
{
	struct nlmsghdr *nh = mnl_nlmsg_put_header(u.b + *off);

	nh->nlmsg_type = type;
	nh->nlmsg_seq = seq;
	if (type == NLMSG_ERROR) {
		struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nh,
		    sizeof(*e));

		e->error = -err;
	} else
		mnl_nlmsg_put_extra_header(nh, sizeof(int));
	*off += nh->nlmsg_len;
}

START_TEST(test_bounds_parse)
{
	struct route_bounds b;
	size_t off = 0;

	memset(&b, 0, sizeof(b));
	t_route(&off, 4, AF_INET, T_IP(10, 1, 2, 0), 24, RTN_UNICAST, 0, 2);
	/* the default route: splits nothing, not kept */
	t_route(&off, 4, AF_INET, 0, 0, RTN_UNICAST, T_IP(10, 1, 2, 1), 2);
	/* host bits set in the message are masked off */
	t_route(&off, 4, AF_INET, T_IP(10, 9, 9, 9), 16, RTN_UNICAST, 0, 2);
	/* another request's answer and another family: skipped */
	t_route(&off, 3, AF_INET, T_IP(10, 5, 0, 0), 16, RTN_UNICAST, 0, 2);
	t_route(&off, 4, AF_INET6, T_IP(10, 6, 0, 0), 16, RTN_UNICAST, 0, 2);
	t_rule(&off, 4, T_IP(10, 1, 2, 128), 25);
	t_rule(&off, 4, 0, 0);
	ck_assert_int_eq(route_bounds_parse(&b, u.b, off, 4), 0);
	ck_assert_uint_eq(b.n, 3);
	ck_assert_uint_eq(b.p[0].dst, T_IP(10, 1, 2, 0));
	ck_assert_uint_eq(b.p[0].len, 24);
	ck_assert_uint_eq(b.p[1].dst, T_IP(10, 9, 0, 0));
	ck_assert_uint_eq(b.p[1].len, 16);
	ck_assert_uint_eq(b.p[2].dst, T_IP(10, 1, 2, 128));
	ck_assert_uint_eq(b.p[2].len, 25);
	off = 0;
	t_end(&off, NLMSG_DONE, 4, 0);
	t_route(&off, 4, AF_INET, T_IP(10, 7, 0, 0), 16, RTN_UNICAST, 0, 2);
	ck_assert_int_eq(route_bounds_parse(&b, u.b, off, 4), 1);
	ck_assert_uint_eq(b.n, 3);
	off = 0;
	t_end(&off, NLMSG_ERROR, 5, EPERM);
	ck_assert_int_eq(route_bounds_parse(&b, u.b, off, 5), -1);
	route_bounds_free(&b);
	ck_assert_ptr_null(b.p);
}
END_TEST

/*
 * The prefixes: 10.1.2.0/24 connected, a rule for 10.1.2.128/25, the local
 * table's 10.1.2.1/32 and 10.1.2.255/32, and 10.20.0.0/16.
 */
static const struct {
	uint32_t a;
	unsigned want;
} t_blocks[] = {
	{ T_IP(10, 1, 2, 200), 27 },   /* in the rule's /25, split by .255 */
	{ T_IP(10, 1, 2, 130), 26 },
	{ T_IP(10, 1, 2, 255), 32 },   /* the broadcast route itself */
	{ T_IP(10, 1, 2, 254), 32 },   /* next to it */
	{ T_IP(10, 1, 2, 252), 31 },
	{ T_IP(10, 1, 2, 100), 26 },   /* lower half, away from .1 */
	{ T_IP(10, 1, 2, 1), 32 },
	{ T_IP(10, 1, 2, 0), 32 },
	{ T_IP(10, 1, 2, 2), 31 },
	{ T_IP(10, 1, 3, 7), 24 },     /* outside: split from 10.1.2/24 */
	{ T_IP(10, 20, 200, 1), 16 },  /* inside the /16 */
	{ T_IP(192, 168, 0, 1), 1 },   /* far away: half the space */
};

START_TEST(test_block_len)
{
	struct route_bounds b;
	size_t off = 0;
	unsigned l;
	uint32_t m, x;

	memset(&b, 0, sizeof(b));
	t_route(&off, 1, AF_INET, T_IP(10, 1, 2, 0), 24, RTN_UNICAST, 0, 2);
	t_rule(&off, 1, T_IP(10, 1, 2, 128), 25);
	t_route(&off, 1, AF_INET, T_IP(10, 1, 2, 1), 32, RTN_LOCAL, 0, 2);
	t_route(&off, 1, AF_INET, T_IP(10, 1, 2, 255), 32, RTN_BROADCAST, 0,
	    2);
	t_route(&off, 1, AF_INET, T_IP(10, 20, 0, 0), 16, RTN_UNICAST,
	    T_IP(10, 1, 2, 254), 2);
	ck_assert_int_eq(route_bounds_parse(&b, u.b, off, 1), 0);
	l = route_block_len(&b, t_blocks[_i].a);
	ck_assert_uint_eq(l, t_blocks[_i].want);
	/* every address of the block gets the same block */
	m = l == 0 ? 0 : l >= 32 ? 0xffffffffu : ~(0xffffffffu >> l);
	x = (t_blocks[_i].a & m) | (~m & 0x5a5a5a5au);
	ck_assert_uint_eq(route_block_len(&b, x), l);
	route_bounds_free(&b);
}
END_TEST

START_TEST(test_block_empty)
{
	struct route_bounds b;

	memset(&b, 0, sizeof(b));
	ck_assert_uint_eq(route_block_len(&b, T_IP(10, 0, 0, 1)), 0);
}
END_TEST

START_TEST(test_answer)
{
	struct route_answer a;
	size_t off = 0;

	/* connected: on-link through interface 3 */
	t_route(&off, 9, AF_INET, T_IP(10, 1, 2, 5), 32, RTN_UNICAST, 0, 3);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 1);
	ck_assert_int_eq(a.onlink, 1);
	ck_assert_uint_eq(a.oif, 3);
	/* through a gateway: routed */
	off = 0;
	t_route(&off, 9, AF_INET, T_IP(10, 1, 2, 200), 32, RTN_UNICAST,
	    T_IP(192, 0, 2, 2), 4);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 1);
	ck_assert_int_eq(a.onlink, 0);
	ck_assert_uint_eq(a.oif, 4);
	/* our own address, a broadcast: not on-link */
	off = 0;
	t_route(&off, 9, AF_INET, T_IP(10, 1, 2, 1), 32, RTN_LOCAL, 0, 1);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 1);
	ck_assert_int_eq(a.onlink, 0);
	off = 0;
	t_route(&off, 9, AF_INET, T_IP(10, 1, 2, 255), 32, RTN_BROADCAST, 0,
	    3);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 1);
	ck_assert_int_eq(a.onlink, 0);
	/* no interface: not on-link */
	off = 0;
	t_route(&off, 9, AF_INET, T_IP(10, 1, 2, 5), 32, RTN_UNICAST, 0, 0);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 1);
	ck_assert_int_eq(a.onlink, 0);
	/* an error answer (no route, prohibit, blackhole): not on-link */
	off = 0;
	t_end(&off, NLMSG_ERROR, 9, ENETUNREACH);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 1);
	ck_assert_int_eq(a.onlink, 0);
	/* a stale answer to another request is no answer */
	off = 0;
	t_route(&off, 8, AF_INET, T_IP(10, 1, 2, 5), 32, RTN_UNICAST, 0, 3);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 0);
	t_route(&off, 9, AF_INET, T_IP(10, 1, 2, 5), 32, RTN_UNICAST,
	    T_IP(10, 1, 2, 254), 3);
	ck_assert_int_eq(route_answer_parse(u.b, off, 9, &a), 1);
	ck_assert_int_eq(a.onlink, 0);
}
END_TEST

/*
 * The kernel of this namespace, unprivileged: loopback addresses are
 * local, never on-link, and a /8 of them costs few requests.
 */
START_TEST(test_kernel)
{
	struct route_ctx rc;
	struct route_answer a;
	uint32_t x;

	ck_assert_int_eq(route_open(&rc), 0);
	ck_assert_uint_gt(rc.b.n, 0);
	for (x = T_IP(127, 0, 0, 1); x < T_IP(127, 0, 4, 0); x++) {
		ck_assert_int_eq(route_lookup(&rc, x, &a), 0);
		ck_assert_int_eq(a.onlink, 0);
	}
	ck_assert_uint_lt(rc.queries, 64);
	route_close(&rc);
	ck_assert_ptr_null(rc.nl);
}
END_TEST

Suite *
route_suite(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("route");

	tcase_add_test(tc, test_bounds_parse);
	tcase_add_loop_test(tc, test_block_len, 0, (int)NELEM(t_blocks));
	tcase_add_test(tc, test_block_empty);
	tcase_add_test(tc, test_answer);
	tcase_add_test(tc, test_kernel);
	suite_add_tcase(s, tc);
	return s;
}
