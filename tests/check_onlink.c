/* check_onlink.c - the sender address of ARP requests, per subnet */
#include <arpa/inet.h>
#include <check.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>

#include "onlink.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *onlink_suite(void);

/* An interface list as getifaddrs returns it, built by hand. */
struct t_if {
	struct ifaddrs ifa[8];
	struct sockaddr_in addr[8], mask[8];
	struct sockaddr_ll ll[8];
	size_t n;
};

static void
t_link(struct t_if *t)
{
	size_t k;

	for (k = 0; k + 1 < t->n; k++)
		t->ifa[k].ifa_next = &t->ifa[k + 1];
	if (t->n > 0)
		t->ifa[t->n - 1].ifa_next = NULL;
}

/* t_inet -- NAME has ADDR/LEN (LEN 0: no netmask at all) */
static void
t_inet(struct t_if *t, const char *name, const char *addr, unsigned len)
{
	size_t k = t->n++;

	memset(&t->ifa[k], 0, sizeof(t->ifa[k]));
	t->ifa[k].ifa_name = (char *)name;
	t->addr[k].sin_family = AF_INET;
	inet_pton(AF_INET, addr, &t->addr[k].sin_addr);
	t->mask[k].sin_family = AF_INET;
	t->mask[k].sin_addr.s_addr = htonl(len ? 0xffffffffu << (32 - len) :
	    0);
	t->ifa[k].ifa_addr = (struct sockaddr *)&t->addr[k];
	t->ifa[k].ifa_netmask = len ? (struct sockaddr *)&t->mask[k] : NULL;
	t_link(t);
}

/* t_packet -- NAME's link-layer entry */
static void
t_packet(struct t_if *t, const char *name, int ifindex)
{
	size_t k = t->n++;

	memset(&t->ifa[k], 0, sizeof(t->ifa[k]));
	t->ifa[k].ifa_name = (char *)name;
	memset(&t->ll[k], 0, sizeof(t->ll[k]));
	t->ll[k].sll_family = AF_PACKET;
	t->ll[k].sll_ifindex = ifindex;
	t->ll[k].sll_halen = 6;
	t->ifa[k].ifa_addr = (struct sockaddr *)&t->ll[k];
	t_link(t);
}

static uint32_t
t_ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return ntohl(a.s_addr);
}

/* eth0: two subnets and a /28 inside the second; eth1: one; tun0: none */
static void
t_setup(struct t_if *t)
{
	memset(t, 0, sizeof(*t));
	t_packet(t, "eth0", 2);
	t_inet(t, "eth0", "10.1.2.1", 24);
	t_inet(t, "eth0", "10.1.3.1", 24);
	t_inet(t, "eth0", "10.1.3.65", 28);
	t_inet(t, "eth1", "192.168.7.9", 24);
	t_inet(t, "eth1", "192.168.8.9", 0);   /* no netmask: skipped */
	t_packet(t, "tun0", 5);
}

static const struct {
	const char *name, *target, *want;
} t_src[] = {
	/* the subnet of the target decides, not the first address */
	{ "eth0", "10.1.2.200", "10.1.2.1" },
	{ "eth0", "10.1.3.200", "10.1.3.1" },
	{ "eth0", "10.1.3.7", "10.1.3.1" },
	/* the longest prefix that holds it */
	{ "eth0", "10.1.3.70", "10.1.3.65" },
	/* on-link by a route of its own: the interface's first address */
	{ "eth0", "10.9.0.5", "10.1.2.1" },
	/* another interface's subnet does not count */
	{ "eth1", "10.1.3.200", "192.168.7.9" },
	{ "eth1", "192.168.7.1", "192.168.7.9" },
	{ "eth1", "192.168.8.1", "192.168.7.9" },
	/* no IPv4 address at all, or no such interface */
	{ "tun0", "10.1.2.200", "0.0.0.0" },
	{ "eth9", "10.1.2.200", "0.0.0.0" },
};

START_TEST(test_source)
{
	struct t_if t;

	t_setup(&t);
	ck_assert_uint_eq(onlink_source(t.ifa, t_src[_i].name,
	    t_ip(t_src[_i].target)), t_ip(t_src[_i].want));
}
END_TEST

START_TEST(test_empty)
{
	ck_assert_uint_eq(onlink_source(NULL, "eth0", t_ip("10.1.2.3")), 0);
}
END_TEST

Suite *
onlink_suite(void)
{
	Suite *s = suite_create("onlink");
	TCase *tc = tcase_create("source");

	tcase_add_loop_test(tc, test_source, 0, (int)NELEM(t_src));
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}
