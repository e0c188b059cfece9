/* check_neigh.c - neighbour states and the netlink dump parser */
#include <arpa/inet.h>
#include <check.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "neigh.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *neigh_suite(void);

static const struct {
	unsigned nud;
	int lladdr;
	unsigned want;
} t_class[] = {
	{ NUD_INCOMPLETE, 0, NEIGH_INCOMPLETE },
	{ NUD_NONE, 0, NEIGH_INCOMPLETE },
	{ NUD_FAILED, 0, NEIGH_FAILED },
	/* a failed entry may keep the address it had: not an answer */
	{ NUD_FAILED, 1, NEIGH_FAILED },
	{ NUD_REACHABLE, 1, NEIGH_LLADDR },
	{ NUD_STALE, 1, NEIGH_LLADDR },
	{ NUD_DELAY, 1, NEIGH_LLADDR },
	{ NUD_PROBE, 1, NEIGH_LLADDR },
	{ NUD_PERMANENT, 1, NEIGH_LLADDR },
	{ NUD_PERMANENT, 0, NEIGH_LLADDR },
	/* a "reachable" entry without an address proves nothing */
	{ NUD_REACHABLE, 0, NEIGH_OTHER },
	{ NUD_NOARP, 0, NEIGH_OTHER },
	{ NUD_NOARP, 1, NEIGH_OTHER },
};

START_TEST(test_classify)
{
	ck_assert_uint_eq(neigh_classify(t_class[_i].nud, t_class[_i].lladdr),
	    t_class[_i].want);
}
END_TEST

/*
 * t_msg -- append to BUF at *OFF one RTM_NEWNEIGH (or TYPE) message with
 * sequence SEQ, family FAMILY, state NUD, destination DST (host order,
 * DSTLEN bytes of it: 4 is right) and, when LLADDR, a 6-byte address.
 */
static void
t_msg(uint8_t *buf, size_t *off, uint16_t type, uint32_t seq,
    uint8_t family, uint16_t nud, uint32_t dst, size_t dstlen, int lladdr)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(buf + *off);
	struct ndmsg *nd = NLMSG_DATA(nh);
	struct rtattr *rta;
	uint32_t be = htonl(dst);
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	size_t len = NLMSG_LENGTH(sizeof(*nd));

	memset(nh, 0, NLMSG_SPACE(sizeof(*nd)) + 2 * RTA_SPACE(8));
	nh->nlmsg_type = type;
	nh->nlmsg_seq = seq;
	nd->ndm_family = family;
	nd->ndm_state = nud;
	rta = (struct rtattr *)((uint8_t *)nh + NLMSG_ALIGN(len));
	rta->rta_type = NDA_DST;
	rta->rta_len = (unsigned short)RTA_LENGTH(dstlen);
	memcpy(RTA_DATA(rta), &be, dstlen > 4 ? 4 : dstlen);
	len = NLMSG_ALIGN(len) + RTA_ALIGN(rta->rta_len);
	if (lladdr) {
		rta = (struct rtattr *)((uint8_t *)nh + len);
		rta->rta_type = NDA_LLADDR;
		rta->rta_len = RTA_LENGTH(6);
		memcpy(RTA_DATA(rta), mac, 6);
		len += RTA_ALIGN(rta->rta_len);
	}
	nh->nlmsg_len = (uint32_t)len;
	*off += NLMSG_ALIGN(len);
}

/* t_done -- append NLMSG_DONE (or NLMSG_ERROR) with sequence SEQ */
static void
t_done(uint8_t *buf, size_t *off, uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(buf + *off);

	memset(nh, 0, NLMSG_SPACE(sizeof(int)) + sizeof(struct nlmsghdr));
	nh->nlmsg_type = type;
	nh->nlmsg_seq = seq;
	nh->nlmsg_len = type == NLMSG_ERROR ?
	    NLMSG_LENGTH(sizeof(struct nlmsgerr)) : NLMSG_LENGTH(sizeof(int));
	*off += NLMSG_ALIGN(nh->nlmsg_len);
}

START_TEST(test_parse)
{
	union {
		struct nlmsghdr align;
		uint8_t b[4096];
	} u;
	struct neigh t;
	size_t off = 0;

	neigh_init(&t);
	t_msg(u.b, &off, RTM_NEWNEIGH, 7, AF_INET, NUD_REACHABLE,
	    0x0a000005, 4, 1);
	t_msg(u.b, &off, RTM_NEWNEIGH, 7, AF_INET, NUD_INCOMPLETE,
	    0x0a000003, 4, 0);
	t_msg(u.b, &off, RTM_NEWNEIGH, 7, AF_INET, NUD_FAILED,
	    0x0a000009, 4, 0);
	/* another request's answer, another family, a bad length: skipped */
	t_msg(u.b, &off, RTM_NEWNEIGH, 6, AF_INET, NUD_REACHABLE,
	    0x0a000011, 4, 1);
	t_msg(u.b, &off, RTM_NEWNEIGH, 7, AF_INET6, NUD_REACHABLE,
	    0x0a000012, 4, 1);
	t_msg(u.b, &off, RTM_NEWNEIGH, 7, AF_INET, NUD_REACHABLE,
	    0x0a000013, 3, 1);
	/* no DONE yet: more to come */
	ck_assert_int_eq(neigh_parse(&t, u.b, off, 7), 0);
	ck_assert_uint_eq(t.n, 3);
	off = 0;
	t_msg(u.b, &off, RTM_NEWNEIGH, 7, AF_INET, NUD_STALE,
	    0x0a000001, 4, 1);
	t_done(u.b, &off, NLMSG_DONE, 7);
	/* nothing after DONE counts */
	t_msg(u.b, &off, RTM_NEWNEIGH, 7, AF_INET, NUD_STALE,
	    0x0a000002, 4, 1);
	ck_assert_int_eq(neigh_parse(&t, u.b, off, 7), 1);
	ck_assert_uint_eq(t.n, 4);
	neigh_sort(&t);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000001), NEIGH_LLADDR);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000002), NEIGH_NONE);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000003), NEIGH_INCOMPLETE);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000005), NEIGH_LLADDR);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000009), NEIGH_FAILED);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000011), NEIGH_NONE);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000012), NEIGH_NONE);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000013), NEIGH_NONE);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000004), NEIGH_NONE);
	neigh_free(&t);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_int_eq(t.fd, -1);
}
END_TEST

START_TEST(test_parse_error)
{
	union {
		struct nlmsghdr align;
		uint8_t b[512];
	} u;
	struct neigh t;
	size_t off = 0;

	neigh_init(&t);
	t_done(u.b, &off, NLMSG_ERROR, 3);
	ck_assert_int_eq(neigh_parse(&t, u.b, off, 3), -1);
	/* a truncated buffer is not a message */
	ck_assert_int_eq(neigh_parse(&t, u.b, 8, 3), 0);
	ck_assert_uint_eq(neigh_lookup(&t, 0), NEIGH_NONE);
	neigh_free(&t);
}
END_TEST

START_TEST(test_many)
{
	static union {
		struct nlmsghdr align;
		uint8_t b[64 * 1024];
	} u;
	struct neigh t;
	size_t off = 0;
	uint32_t a;

	/* more entries than the first allocation, in reverse order */
	neigh_init(&t);
	for (a = 600; a > 0; a--)
		t_msg(u.b, &off, RTM_NEWNEIGH, 1, AF_INET,
		    a % 2 ? NUD_FAILED : NUD_REACHABLE, 0x0a000000 + a, 4,
		    !(a % 2));
	ck_assert_int_eq(neigh_parse(&t, u.b, off, 1), 0);
	neigh_sort(&t);
	ck_assert_uint_eq(t.n, 600);
	for (a = 1; a <= 600; a++)
		ck_assert_uint_eq(neigh_lookup(&t, 0x0a000000 + a),
		    a % 2 ? NEIGH_FAILED : NEIGH_LLADDR);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000000), NEIGH_NONE);
	ck_assert_uint_eq(neigh_lookup(&t, 0x0a000000 + 601), NEIGH_NONE);
	neigh_free(&t);
}
END_TEST

/*
 * "No entry" in a dump is asked again of the kernel for the one address:
 * loopback keeps no neighbours, so the answer is ENOENT, and that is
 * NEIGH_NONE; an interface that does not exist cannot be asked.  Reads
 * this process's own network namespace only; sends nothing.
 */
START_TEST(test_state_single)
{
	struct neigh t;
	int lo = (int)if_nametoindex("lo");

	ck_assert_int_gt(lo, 0);
	neigh_init(&t);
	ck_assert_uint_eq(neigh_state(&t, 0x7f0000fe, lo, 1000, 0), NEIGH_NONE);
	ck_assert_uint_eq(neigh_state(&t, 0x7f0000fe, 0x7ffffff0, 2000, 0),
	    NEIGH_UNREADABLE);
	neigh_free(&t);
}
END_TEST

Suite *
neigh_suite(void)
{
	Suite *s = suite_create("neigh");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, test_classify, 0, (int)NELEM(t_class));
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_error);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_state_single);
	suite_add_tcase(s, tc);
	return s;
}
