/* check_nlsock.c - the netlink socket and its dump loop, on this kernel */
#include <check.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "nlsock.h"

Suite *nlsock_suite(void);

/* What t_count saw of a dump. */
struct t_seen {
	unsigned links, calls;
	int fail_at;            /* return -1 on this call (0: never) */
};

/* t_count -- count RTM_NEWLINK messages until NLMSG_DONE */
static int
t_count(void *ctx, const void *buf, size_t len, uint32_t seq)
{
	struct t_seen *s = ctx;
	const struct nlmsghdr *nh;
	int left = (int)len;

	s->calls++;
	if (s->fail_at != 0 && s->calls == (unsigned)s->fail_at)
		return -1;
	for (nh = buf; mnl_nlmsg_ok(nh, left);
	    nh = mnl_nlmsg_next(nh, &left)) {
		ck_assert_uint_eq(nh->nlmsg_seq, seq);
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == RTM_NEWLINK)
			s->links++;
	}
	return 0;
}

/* t_req -- an RTM_GETLINK dump request with sequence SEQ in BUF */
static struct nlmsghdr *
t_req(char *buf, uint32_t seq)
{
	struct nlmsghdr *nh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;

	nh->nlmsg_type = RTM_GETLINK;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	return nh;
}

/* Every namespace has lo: the dump sees it and ends with NLMSG_DONE. */
START_TEST(test_dump)
{
	union {
		struct nlmsghdr align;
		char b[64];
	} u;
	struct mnl_socket *nl = nlsock_open();
	struct t_seen s;

	ck_assert_ptr_nonnull(nl);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(nlsock_ask(nl, t_req(u.b, 41), t_count, &s), 0);
	ck_assert_uint_ge(s.links, 1);
	ck_assert_uint_ge(s.calls, 1);
	/* a parser's error is the dump's error */
	memset(&s, 0, sizeof(s));
	s.fail_at = 1;
	ck_assert_int_eq(nlsock_ask(nl, t_req(u.b, 42), t_count, &s), -1);
	ck_assert_uint_eq(s.calls, 1);
	mnl_socket_close(nl);
}
END_TEST

Suite *
nlsock_suite(void)
{
	Suite *s = suite_create("nlsock");
	TCase *tc = tcase_create("dump");

	tcase_add_test(tc, test_dump);
	suite_add_tcase(s, tc);
	return s;
}
