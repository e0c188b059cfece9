/* check_arp.c - ARP requests built right, ARP packets read strictly */
#include <check.h>
#include <string.h>

#include "arp.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *arp_suite(void);

static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

START_TEST(test_build_request)
{
	static const uint8_t want[ARP_LEN] = {
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 10, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 10, 0, 0, 200,
	};
	uint8_t buf[64];
	struct arp_packet p;

	memset(buf, 0xee, sizeof(buf));
	ck_assert_uint_eq(arp_build_request(buf, sizeof(buf), mac, 0x0a000001,
	    0x0a0000c8), ARP_LEN);
	ck_assert_mem_eq(buf, want, ARP_LEN);
	ck_assert_uint_eq(buf[ARP_LEN], 0xee);   /* nothing written past it */
	ck_assert_uint_eq(arp_build_request(buf, ARP_LEN - 1, mac, 1, 2), 0);
	/* and it reads back */
	arp_build_request(buf, sizeof(buf), mac, 0x0a000001, 0x0a0000c8);
	ck_assert_int_eq(arp_parse(buf, ARP_LEN, &p), 0);
	ck_assert_uint_eq(p.oper, 1);
	ck_assert_uint_eq(p.spa, 0x0a000001);
	ck_assert_uint_eq(p.tpa, 0x0a0000c8);
	ck_assert_mem_eq(p.sha, mac, 6);
}
END_TEST

/* A valid reply, then one byte changed at a time where it must matter. */
static const struct {
	size_t off;
	uint8_t val;
} breaks[] = {
	{0, 1}, {1, 6},        /* hardware type */
	{2, 0x86}, {3, 0xdd},  /* protocol type: IPv6 */
	{4, 8}, {5, 16},       /* lengths */
	{6, 1}, {7, 3}, {7, 0},/* operation */
};

static void
reply(uint8_t *buf)
{
	arp_build_request(buf, ARP_LEN, mac, 0xc0000205, 0xc0000201);
	buf[7] = 2;
}

START_TEST(test_parse_reply)
{
	uint8_t buf[ARP_LEN + 10];
	struct arp_packet p;
	size_t len;

	reply(buf);
	ck_assert_int_eq(arp_parse(buf, ARP_LEN + 10, &p), 0);
	ck_assert_uint_eq(p.oper, 2);
	ck_assert_uint_eq(p.spa, 0xc0000205);
	for (len = 0; len < ARP_LEN; len++)
		ck_assert_int_eq(arp_parse(buf, len, &p), -1);
}
END_TEST

START_TEST(test_parse_refused)
{
	uint8_t buf[ARP_LEN];
	struct arp_packet p;

	reply(buf);
	buf[breaks[_i].off] = breaks[_i].val;
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &p), -1);
	ck_assert_uint_eq(p.spa, 0);   /* nothing left behind */
}
END_TEST

START_TEST(test_probe_refused)
{
	uint8_t buf[ARP_LEN];
	struct arp_packet p;

	/* RFC 5227 probe: sender 0.0.0.0 proves nothing */
	arp_build_request(buf, sizeof(buf), mac, 0, 0xc0000201);
	ck_assert_int_eq(arp_parse(buf, sizeof(buf), &p), -1);
}
END_TEST

START_TEST(test_macs)
{
	static const uint8_t b[6] = { 0xff, 0x00, 0x80, 0x7f, 0x01, 0xfe };
	uint8_t x[6], y[6];
	uint32_t w[4];
	char s[18];

	arp_pack_macs(mac, b, w);
	arp_unpack_macs(w, x, y);
	ck_assert_mem_eq(x, mac, 6);
	ck_assert_mem_eq(y, b, 6);
	ck_assert_str_eq(arp_format_mac(b, s), "ff:00:80:7f:01:fe");
}
END_TEST

Suite *
arp_suite(void)
{
	Suite *s = suite_create("arp");
	TCase *tc = tcase_create("arp");

	tcase_add_test(tc, test_build_request);
	tcase_add_test(tc, test_parse_reply);
	tcase_add_loop_test(tc, test_parse_refused, 0, NELEM(breaks));
	tcase_add_test(tc, test_probe_refused);
	tcase_add_test(tc, test_macs);
	suite_add_tcase(s, tc);
	return s;
}
