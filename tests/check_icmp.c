/* check_icmp.c - unit tests for the ICMP checksum, builder and decoders */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"
#include "verdict.h"

Suite *icmp_suite(void);

#define T_ME 0x0a000001u       /* 10.0.0.1, the scanner */
#define T_DST 0x0a0002f2u      /* 10.0.2.242, the probed address */
#define T_ROUTER 0xc0a801feu   /* 192.168.1.254, sends the errors */
#define T_COOKIE 0x0123456789abcdefULL
#define T_BUF 256

/* t_probe -- a probe whose fields all have their top bits set */
static void
t_probe(struct icmp_probe *p)
{
	memset(p, 0, sizeof(*p));
	p->id = 0xbeef;
	p->seq = 0x8001;
	p->cookie = T_COOKIE;
	p->job = 0x81020304;
	p->dst = T_DST;
	p->probe = 0xa7;
	p->sent_ns = 0xfedcba9876543210ULL;
}

static void
t_put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
t_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* t_fix_sum -- recompute the checksum of the LEN-byte ICMP message at P */
static void
t_fix_sum(uint8_t *p, size_t len)
{
	uint16_t s;

	p[2] = 0;
	p[3] = 0;
	s = icmp_checksum(p, len);
	memcpy(p + 2, &s, sizeof(s));
}

/*
 * t_ip -- write an IPv4 header of IHL words (options are NOPs) for a
 * datagram with PLEN bytes after the header.  Returns the header length.
 */
static size_t
t_ip(uint8_t *buf, unsigned ihl, uint8_t proto, uint32_t src, uint32_t dst,
    size_t plen)
{
	size_t hl = (size_t)ihl * 4, i;
	uint16_t s;

	memset(buf, 0, hl);
	buf[0] = (uint8_t)(0x40 | ihl);
	t_put16(buf + 2, (unsigned)(hl + plen));
	t_put16(buf + 4, 0x1234);
	t_put16(buf + 6, 0x4000); /* DF */
	buf[8] = 64;
	buf[9] = proto;
	t_put32(buf + 12, src);
	t_put32(buf + 16, dst);
	for (i = 20; i < hl; i++)
		buf[i] = 1;
	s = icmp_checksum(buf, hl);
	memcpy(buf + 10, &s, sizeof(s));
	return hl;
}

/* t_reply -- a raw packet: IHL-word IP header from SRC, reply to P */
static size_t
t_reply(uint8_t *buf, unsigned ihl, const struct icmp_probe *p, uint32_t src)
{
	size_t hl = (size_t)ihl * 4;

	ck_assert_uint_eq(icmp_build_echo(buf + hl, ICMP_ECHO_LEN, p),
	    ICMP_ECHO_LEN);
	buf[hl] = 0;
	t_fix_sum(buf + hl, ICMP_ECHO_LEN);
	t_ip(buf, ihl, 1, src, T_ME, ICMP_ECHO_LEN);
	return hl + ICMP_ECHO_LEN;
}

/*
 * t_error -- a raw packet from T_ROUTER: an ICMP error TYPE/CODE quoting an
 * IP header of QIHL words with protocol QPROTO, then the first QLEN bytes
 * of P's echo request.  Returns its length; the ICMP part is at buf + 20.
 */
static size_t
t_error(uint8_t *buf, uint8_t type, uint8_t code, unsigned qihl,
    uint8_t qproto, const struct icmp_probe *p, size_t qlen)
{
	uint8_t req[ICMP_ECHO_LEN];
	uint8_t *icmp = buf + 20;
	size_t qhl = (size_t)qihl * 4, ilen = 8 + qhl + qlen;

	ck_assert_uint_eq(icmp_build_echo(req, sizeof(req), p), ICMP_ECHO_LEN);
	memset(icmp, 0, 8);
	icmp[0] = type;
	icmp[1] = code;
	t_ip(icmp + 8, qihl, qproto, T_ME, p->dst, ICMP_ECHO_LEN);
	memcpy(icmp + 8 + qhl, req, qlen);
	t_fix_sum(icmp, ilen);
	t_ip(buf, 5, 1, T_ROUTER, T_ME, ilen);
	return 20 + ilen;
}

/* t_poison -- fill *EV with a pattern the decoder must overwrite */
static void
t_poison(struct icmp_event *ev)
{
	memset(ev, 0xa5, sizeof(*ev));
}

/* t_zero -- *EV is all zero, as a refused packet must leave it */
static void
t_zero(const struct icmp_event *ev)
{
	ck_assert_int_eq(ev->kind, 0);
	ck_assert_uint_eq(ev->type, 0);
	ck_assert_uint_eq(ev->code, 0);
	ck_assert_uint_eq(ev->from, 0);
	ck_assert_uint_eq(ev->dst, 0);
	ck_assert_uint_eq(ev->id, 0);
	ck_assert_uint_eq(ev->seq, 0);
	ck_assert_int_eq(ev->have_payload, 0);
	ck_assert_uint_eq(ev->job, 0);
	ck_assert_uint_eq(ev->probe, 0);
	ck_assert_uint_eq(ev->sent_ns, 0);
}

/* t_expect_reply -- *EV is the echo reply to P from FROM */
static void
t_expect_reply(const struct icmp_event *ev, const struct icmp_probe *p,
    uint32_t from)
{
	ck_assert_int_eq(ev->kind, ICMP_EV_ECHO_REPLY);
	ck_assert_uint_eq(ev->type, 0);
	ck_assert_uint_eq(ev->code, 0);
	ck_assert_uint_eq(ev->from, from);
	ck_assert_uint_eq(ev->dst, p->dst);
	ck_assert_uint_eq(ev->id, p->id);
	ck_assert_uint_eq(ev->seq, p->seq);
	ck_assert_int_eq(ev->have_payload, 1);
	ck_assert_uint_eq(ev->job, p->job);
	ck_assert_uint_eq(ev->probe, p->probe);
	ck_assert_uint_eq(ev->sent_ns, p->sent_ns);
}

/*
 * t_expect_error -- *EV is an error of KIND/TYPE/CODE from FROM about P
 * sent to DST, with the payload fields iff PAYLOAD.
 */
static void
t_expect_error(const struct icmp_event *ev, int kind, uint8_t type,
    uint8_t code, uint32_t from, uint32_t dst, const struct icmp_probe *p,
    int payload)
{
	ck_assert_int_eq(ev->kind, kind);
	ck_assert_uint_eq(ev->type, type);
	ck_assert_uint_eq(ev->code, code);
	ck_assert_uint_eq(ev->from, from);
	ck_assert_uint_eq(ev->dst, dst);
	ck_assert_uint_eq(ev->id, p->id);
	ck_assert_uint_eq(ev->seq, p->seq);
	ck_assert_int_eq(ev->have_payload, payload);
	ck_assert_uint_eq(ev->job, payload ? p->job : 0);
	ck_assert_uint_eq(ev->probe, payload ? p->probe : 0);
	ck_assert_uint_eq(ev->sent_ns, payload ? p->sent_ns : 0);
}

/* ---- checksum and builder ---- */

START_TEST(test_sum_rfc1071)
{
	/* RFC 1071 section 3: the words sum to 0xddf2 */
	static const uint8_t v[8] = {0x00, 0x01, 0xf2, 0x03,
				     0xf4, 0xf5, 0xf6, 0xf7};
	uint8_t buf[10];
	uint16_t s;

	ck_assert_uint_eq(ntohs(icmp_checksum(v, sizeof(v))), 0x220d);
	/* stored after the data, the whole buffer sums to zero */
	memcpy(buf, v, sizeof(v));
	s = icmp_checksum(v, sizeof(v));
	memcpy(buf + 8, &s, sizeof(s));
	ck_assert_uint_eq(buf[8], 0x22);
	ck_assert_uint_eq(buf[9], 0x0d);
	ck_assert_uint_eq(icmp_checksum(buf, sizeof(buf)), 0);
}
END_TEST

/* Odd lengths: the last byte is the high half of a zero-padded word. */
static const struct {
	uint8_t data[5];
	size_t len;
	uint16_t sum;
} t_odd[] = {
	{{0x80}, 1, 0x7fff},
	{{0xff}, 1, 0x00ff},
	{{0x01}, 1, 0xfeff},
	{{0x12, 0x34, 0xab}, 3, 0x42cb},
	{{0xff, 0xff, 0xff}, 3, 0x00ff},       /* carry folded back in */
	{{0x00, 0x01, 0xf2, 0x03, 0xf4}, 5, 0x19fa},
	{{0x7f, 0x00, 0x00, 0x00, 0x81}, 5, 0xfffe}, /* 0x10000 */
};

START_TEST(test_sum_odd)
{
	ck_assert_uint_eq(ntohs(icmp_checksum(t_odd[_i].data, t_odd[_i].len)),
	    t_odd[_i].sum);
}
END_TEST

START_TEST(test_sum_zero_len)
{
	static const uint8_t junk[4] = {0xde, 0xad, 0xbe, 0xef};

	ck_assert_uint_eq(icmp_checksum(junk, 0), 0xffff);
}
END_TEST

START_TEST(test_sum_unaligned)
{
	static const uint8_t v[9] = {0x00, 0x01, 0xf2, 0x03, 0xf4,
				     0xf5, 0xf6, 0xf7, 0x9c};
	uint8_t buf[32];
	uint16_t want8 = htons(0x220d);
	uint16_t want9 = icmp_checksum(v, sizeof(v));
	size_t off;

	/* 0xddf2 + 0x9c00 = 0x179f2 -> 0x79f3 -> 0x860c */
	ck_assert_uint_eq(ntohs(want9), 0x860c);
	for (off = 0; off < 8; off++) {
		memset(buf, 0xee, sizeof(buf));
		memcpy(buf + off, v, sizeof(v));
		ck_assert_uint_eq(icmp_checksum(buf + off, 8), want8);
		ck_assert_uint_eq(icmp_checksum(buf + off, 9), want9);
	}
}
END_TEST

START_TEST(test_sum_pad_rule)
{
	uint8_t a[80], b[80];
	size_t n, i;

	/* an odd buffer sums like the same buffer with a zero appended */
	for (n = 1; n < 64; n += 2) {
		for (i = 0; i < n; i++)
			a[i] = (uint8_t)(0x80 + i * 37);
		memcpy(b, a, n);
		b[n] = 0;
		ck_assert_uint_eq(icmp_checksum(a, n), icmp_checksum(b, n + 1));
		ck_assert_uint_ne(icmp_checksum(a, n), icmp_checksum(a, n - 1));
	}
}
END_TEST

START_TEST(test_sum_large)
{
	/* 70000 words of 0xffff overflow a 32-bit accumulator */
	size_t n = 140000;
	uint8_t *buf = malloc(n + 1);

	ck_assert_ptr_nonnull(buf);
	memset(buf, 0xff, n + 1);
	ck_assert_uint_eq(icmp_checksum(buf, n), 0);
	/* plus 0xff00: 0xffff + 0xff00 folds to 0xff00 */
	ck_assert_uint_eq(ntohs(icmp_checksum(buf, n + 1)), 0x00ff);
	free(buf);
}
END_TEST

START_TEST(test_build_bytes)
{
	static const uint8_t want[ICMP_ECHO_LEN] = {
		8, 0, 0, 0, 0xbe, 0xef, 0x80, 0x01,
		'I', 'P', 'S', 'W',
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0x81, 0x02, 0x03, 0x04,
		0x0a, 0x00, 0x02, 0xf2,
		0xa7, 0, 0, 0,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
	};
	struct icmp_probe p;
	uint8_t buf[ICMP_ECHO_LEN + 4];
	uint16_t s;

	t_probe(&p);
	memset(buf, 0x5a, sizeof(buf));
	ck_assert_uint_eq(icmp_build_echo(buf, sizeof(buf), &p),
	    ICMP_ECHO_LEN);
	/* everything but the checksum, byte for byte */
	ck_assert_mem_eq(buf, want, 2);
	ck_assert_mem_eq(buf + 4, want + 4, ICMP_ECHO_LEN - 4);
	/* the checksum is that of the packet with a zero checksum field */
	s = icmp_checksum(want, sizeof(want));
	ck_assert_mem_eq(buf + 2, &s, 2);
	ck_assert_uint_eq(icmp_checksum(buf, ICMP_ECHO_LEN), 0);
	/* nothing written past the packet */
	ck_assert_uint_eq(buf[ICMP_ECHO_LEN], 0x5a);
}
END_TEST

START_TEST(test_build_short)
{
	struct icmp_probe p;
	uint8_t buf[ICMP_ECHO_LEN];

	t_probe(&p);
	memset(buf, 0x5a, sizeof(buf));
	ck_assert_uint_eq(icmp_build_echo(buf, ICMP_ECHO_LEN - 1, &p), 0);
	ck_assert_uint_eq(icmp_build_echo(buf, 0, &p), 0);
	ck_assert_uint_eq(buf[0], 0x5a);
	ck_assert_uint_eq(icmp_build_echo(buf, ICMP_ECHO_LEN, &p),
	    ICMP_ECHO_LEN);
	ck_assert_uint_eq(buf[0], 8);
}
END_TEST

START_TEST(test_build_sums_zero)
{
	struct icmp_probe p;
	uint8_t buf[ICMP_ECHO_LEN];
	unsigned i;

	t_probe(&p);
	for (i = 0; i < 300; i++) {
		p.seq = (uint16_t)(i * 7919);
		p.job = i * 2654435761u;
		p.probe = (uint8_t)i;
		p.sent_ns = (uint64_t)i * 0x9e3779b97f4a7c15ULL;
		icmp_build_echo(buf, sizeof(buf), &p);
		ck_assert_uint_eq(icmp_checksum(buf, sizeof(buf)), 0);
	}
}
END_TEST

/* ---- raw socket path: echo replies ---- */

START_TEST(test_ip_reply_ihl)
{
	/* _i is the IHL: 5 (no options) to 15 (40 bytes of options) */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, (unsigned)_i, &p, T_DST);
	ck_assert_uint_eq(n, (size_t)_i * 4 + ICMP_ECHO_LEN);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	t_expect_reply(&ev, &p, T_DST);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), 0);
	t_expect_reply(&ev, &p, T_DST);
}
END_TEST

START_TEST(test_ip_reply_other_source)
{
	/* the source comes from the IP header, not from the payload */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, 5, &p, 0x0a0002f3u);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	ck_assert_uint_eq(ev.from, 0x0a0002f3u);
	ck_assert_uint_eq(ev.dst, T_DST);
}
END_TEST

START_TEST(test_ip_reply_id)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_DST);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, 0xbeee, &ev), -1);
	t_zero(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, 0xefbe, &ev), -1);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0xbeee, &ev), 0);
	ck_assert_uint_eq(ev.id, 0xbeef);
}
END_TEST

START_TEST(test_ip_reply_cookie)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_DST);
	t_poison(&ev);
	ck_assert_int_eq(
	    icmp_parse_ip(buf, n, T_COOKIE ^ 1ULL << 63, 1, p.id, &ev), -1);
	t_zero(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE ^ 1, 1, p.id, &ev),
	    -1);
	/* a reply to another run's probe, with a valid checksum */
	p.cookie = T_COOKIE + 1;
	n = t_reply(buf, 5, &p, T_DST);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE + 1, 1, p.id, &ev),
	    0);
}
END_TEST

START_TEST(test_ip_reply_magic)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n, i;

	t_probe(&p);
	for (i = 0; i < 4; i++) {
		n = t_reply(buf, 5, &p, T_DST);
		buf[20 + 8 + i] ^= 0x20; /* "IPSW" -> "iPSW" ... */
		t_fix_sum(buf + 20, ICMP_ECHO_LEN);
		ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev),
		    -1);
	}
}
END_TEST

START_TEST(test_ip_reply_badsum)
{
	/* every single-bit error in the ICMP part is refused */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n, bit;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_DST);
	for (bit = 0; bit < ICMP_ECHO_LEN * 8; bit++) {
		buf[20 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
		t_poison(&ev);
		ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev),
		    -1);
		t_zero(&ev);
		buf[20 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), 0);
}
END_TEST

START_TEST(test_ip_reply_code)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_DST);
	buf[21] = 1;
	t_fix_sum(buf + 20, ICMP_ECHO_LEN);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
}
END_TEST

START_TEST(test_ip_reply_trunc)
{
	/* _i is the IHL; the IP total length still claims the whole packet */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	uint8_t *copy;
	size_t n, len;

	t_probe(&p);
	n = t_reply(buf, (unsigned)_i, &p, T_DST);
	for (len = 0; len < n; len++) {
		/* exactly LEN bytes on the heap, so ASan sees any overread */
		copy = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf, len);
		t_poison(&ev);
		ck_assert_int_eq(
		    icmp_parse_ip(copy, len, T_COOKIE, 1, p.id, &ev), -1);
		t_zero(&ev);
		free(copy);
	}
}
END_TEST

START_TEST(test_ip_reply_short_payload)
{
	/* a reply with a valid checksum but less than the whole payload */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t ilen;

	t_probe(&p);
	for (ilen = 8; ilen < ICMP_ECHO_LEN; ilen++) {
		t_reply(buf, 5, &p, T_DST);
		t_fix_sum(buf + 20, ilen);
		t_put16(buf + 2, (unsigned)(20 + ilen));
		ck_assert_int_eq(
		    icmp_parse_ip(buf, 20 + ilen, T_COOKIE, 1, p.id, &ev), -1);
	}
}
END_TEST

START_TEST(test_ip_total_length)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	/* trailing link-layer padding beyond the total length is not ICMP */
	n = t_reply(buf, 5, &p, T_DST);
	memset(buf + n, 0x11, 6);
	ck_assert_int_eq(icmp_parse_ip(buf, n + 6, T_COOKIE, 1, p.id, &ev), 0);
	t_expect_reply(&ev, &p, T_DST);
	/* a total length above what was received: use what was received */
	t_put16(buf + 2, (unsigned)n + 100);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	t_expect_reply(&ev, &p, T_DST);
	/* a total length that cuts the ICMP part short */
	t_put16(buf + 2, (unsigned)n - 1);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	/* a total length below the header length */
	t_put16(buf + 2, 19);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	t_put16(buf + 2, 0);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
}
END_TEST

START_TEST(test_ip_echo_request)
{
	/* our own request, looped back to a raw socket, is not a reply */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_ME);
	buf[20] = 8;
	t_fix_sum(buf + 20, ICMP_ECHO_LEN);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	t_zero(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
}
END_TEST

START_TEST(test_ip_fragment)
{
	static const unsigned frag[] = {0x2000, 0x0001, 0x1fff, 0x2001,
					0x6000, 0x4001};
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n, i;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_DST);
	for (i = 0; i < sizeof(frag) / sizeof(frag[0]); i++) {
		t_put16(buf + 6, frag[i]);
		ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev),
		    -1);
	}
	/* DF alone is no fragment */
	t_put16(buf + 6, 0x4000);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	t_put16(buf + 6, 0);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
}
END_TEST

START_TEST(test_ip_header_bad)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_DST);
	buf[0] = 0x65; /* version 6 */
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	buf[0] = 0x44; /* IHL 4 */
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	buf[0] = 0x40; /* IHL 0 */
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	buf[0] = 0x4f; /* IHL 15: 60 bytes, more than the 28 given */
	ck_assert_int_eq(icmp_parse_ip(buf, 28, T_COOKIE, 1, p.id, &ev), -1);
	buf[0] = 0x45;
	buf[9] = 17; /* UDP */
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	buf[9] = 1;
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
}
END_TEST

START_TEST(test_ip_ihl4)
{
	/*
	 * An IHL of 4 puts the ICMP header where the destination address
	 * is.  Line a valid reply up there: only the IHL check refuses it.
	 */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_reply(buf, 5, &p, T_DST);
	memmove(buf + 16, buf + 20, ICMP_ECHO_LEN);
	n -= 4;
	buf[0] = 0x44;
	t_put16(buf + 2, (unsigned)n);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
	/* the control: the same reply behind a 5-word header is taken */
	memmove(buf + 20, buf + 16, ICMP_ECHO_LEN);
	t_put32(buf + 16, T_ME);
	buf[0] = 0x45;
	t_put16(buf + 2, (unsigned)n + 4);
	ck_assert_int_eq(icmp_parse_ip(buf, n + 4, T_COOKIE, 0, 0, &ev), 0);
}
END_TEST

START_TEST(test_err_quote_ihl4)
{
	/*
	 * A quoted IHL of 4 with the echo request right behind 16 bytes:
	 * everything else is well formed, so only the IHL check refuses it.
	 */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	uint8_t *icmp = buf + 20;
	size_t n;

	t_probe(&p);
	n = t_error(buf, 3, 1, 5, 1, &p, ICMP_ECHO_LEN);
	memmove(icmp + 8 + 16, icmp + 8 + 20, ICMP_ECHO_LEN);
	n -= 4;
	icmp[8] = 0x44;
	t_fix_sum(icmp, n - 20);
	t_put16(buf + 2, (unsigned)n);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
}
END_TEST

/* ---- raw socket path: ICMP errors ---- */

/* Every error type and code, and types that are neither reply nor error. */
static const struct {
	uint8_t type, code;
	int kind; /* -1: ignored */
} t_class[] = {
	{3, 0, ICMP_EV_ERROR},       {3, 1, ICMP_EV_HOST_UNREACH},
	{3, 2, ICMP_EV_PORT_UNREACH}, {3, 3, ICMP_EV_PORT_UNREACH},
	{3, 4, ICMP_EV_ERROR},       {3, 5, ICMP_EV_ERROR},
	{3, 6, ICMP_EV_ERROR},       {3, 7, ICMP_EV_ERROR},
	{3, 8, ICMP_EV_ERROR},       {3, 9, ICMP_EV_PROHIBITED},
	{3, 10, ICMP_EV_PROHIBITED}, {3, 11, ICMP_EV_ERROR},
	{3, 12, ICMP_EV_ERROR},      {3, 13, ICMP_EV_PROHIBITED},
	{3, 14, ICMP_EV_ERROR},      {3, 15, ICMP_EV_ERROR},
	{3, 255, ICMP_EV_ERROR},     {4, 0, ICMP_EV_ERROR},
	{5, 1, ICMP_EV_ERROR},       {11, 0, ICMP_EV_ERROR},
	{11, 1, ICMP_EV_ERROR},      {12, 0, ICMP_EV_ERROR},
	{12, 2, ICMP_EV_ERROR},      {8, 0, -1},
	{9, 0, -1},                  {10, 0, -1},
	{13, 0, -1},                 {14, 0, -1},
	{17, 0, -1},                 {255, 3, -1},
};

START_TEST(test_err_classify)
{
	uint8_t type = t_class[_i].type, code = t_class[_i].code;
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;
	int rc;

	t_probe(&p);
	n = t_error(buf, type, code, 5, 1, &p, ICMP_ECHO_LEN);
	t_poison(&ev);
	rc = icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev);
	if (t_class[_i].kind < 0) {
		ck_assert_int_eq(rc, -1);
		t_zero(&ev);
		return;
	}
	ck_assert_int_eq(rc, 0);
	t_expect_error(&ev, t_class[_i].kind, type, code, T_ROUTER, T_DST,
	    &p, 1);

	/* the same through the datagram path, which starts at the ICMP */
	t_poison(&ev);
	ck_assert_int_eq(
	    icmp_parse_icmp(buf + 20, n - 20, 0x0b0b0b0bu, T_COOKIE, &ev), 0);
	t_expect_error(&ev, t_class[_i].kind, type, code, 0x0b0b0b0bu, T_DST,
	    &p, 1);

	/* and through the error queue, which hands over the request only */
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_errqueue(buf + 48, ICMP_ECHO_LEN, type,
			     code, T_ROUTER, 0x0a0a0a0au, T_COOKIE, &ev),
	    0);
	t_expect_error(&ev, t_class[_i].kind, type, code, T_ROUTER,
	    0x0a0a0a0au, &p, 1);
}
END_TEST

/*
 * What each error is as evidence.  FROM: 1 when the error comes from the
 * probed address itself; MS: how long after the probe it came.  Only a
 * host unreachable that took the time of a failed ARP supports "free";
 * only a protocol or port unreachable from the target proves a host.
 */
#define T_SLOW 3000
#define T_EDGE (ICMP_UNREACH_MIN_NS / 1000000)
static const struct {
	uint8_t type, code;
	int from_target;
	unsigned ms;
	unsigned reason;
	int aux_is_code;  /* aux = type << 8 | code (else 0) */
} t_reason[] = {
	/* the probe never reached the target's network: cannot tell */
	{3, 0, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* net unreachable */
	{3, 0, 0, 10, REASON_ICMP_ERROR, 1},
	{3, 5, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* source route */
	{3, 6, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* net unknown */
	{3, 7, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* host unknown */
	{3, 8, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* source isolated */
	{3, 11, 0, T_SLOW, REASON_ICMP_ERROR, 1},    /* net for TOS */
	{3, 12, 0, T_SLOW, REASON_ICMP_ERROR, 1},    /* host for TOS */
	{3, 14, 0, T_SLOW, REASON_ICMP_ERROR, 1},    /* precedence */
	{3, 15, 0, T_SLOW, REASON_ICMP_ERROR, 1},    /* precedence cutoff */
	{3, 4, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* frag needed */
	{4, 0, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* source quench */
	{5, 1, 0, T_SLOW, REASON_ICMP_ERROR, 1},     /* redirect */
	{11, 0, 0, T_SLOW, REASON_ICMP_ERROR, 1},    /* time exceeded */
	{11, 0, 1, T_SLOW, REASON_ICMP_ERROR, 1},
	{12, 0, 0, T_SLOW, REASON_ICMP_ERROR, 1},    /* parameter problem */
	/* a filter in the way */
	{3, 9, 0, 10, REASON_ADMIN_PROHIBITED, 1},
	{3, 10, 0, 10, REASON_ADMIN_PROHIBITED, 1},
	{3, 13, 0, 10, REASON_ADMIN_PROHIBITED, 1},
	{3, 13, 1, T_SLOW, REASON_ADMIN_PROHIBITED, 1},
	/* host unreachable: weak silence only after an ARP timeout's worth */
	{3, 1, 0, T_SLOW, REASON_HOST_UNREACH, 0},
	{3, 1, 0, T_EDGE, REASON_HOST_UNREACH, 0},
	{3, 1, 0, T_EDGE - 1, REASON_ICMP_ERROR, 1},
	{3, 1, 0, 5, REASON_ICMP_ERROR, 1},
	{3, 1, 0, 0, REASON_ICMP_ERROR, 1},          /* send time unknown */
	{3, 1, 1, 5, REASON_ICMP_ERROR, 1},
	/* protocol or port unreachable: a host, if it is the target */
	{3, 2, 1, 5, REASON_ICMP_FROM_TARGET, 0},
	{3, 3, 1, 5, REASON_ICMP_FROM_TARGET, 0},
	{3, 3, 1, T_SLOW, REASON_ICMP_FROM_TARGET, 0},
	{3, 2, 0, 5, REASON_ICMP_ERROR, 1},
	{3, 3, 0, 5, REASON_ICMP_ERROR, 1},
};

START_TEST(test_err_reason)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	uint32_t from = t_reason[_i].from_target ? T_DST : T_ROUTER, aux;
	uint8_t type = t_reason[_i].type, code = t_reason[_i].code;
	size_t n;

	/* decoded from a real packet, so that kind and codes agree */
	t_probe(&p);
	n = t_error(buf, type, code, 5, 1, &p, 8);
	t_put32(buf + 12, from);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	ck_assert_uint_eq(ev.from, from);
	aux = 0xdeadbeef;
	ck_assert_uint_eq(icmp_reason(&ev,
	    (uint64_t)t_reason[_i].ms * 1000000u, &aux), t_reason[_i].reason);
	ck_assert_uint_eq(aux, t_reason[_i].aux_is_code ?
	    (uint32_t)type << 8 | code : 0);
}
END_TEST

START_TEST(test_reply_reason)
{
	struct icmp_event ev;
	uint32_t aux = 1;

	memset(&ev, 0, sizeof(ev));
	ev.kind = ICMP_EV_ECHO_REPLY;
	ev.from = ev.dst = T_DST;
	ck_assert_uint_eq(icmp_reason(&ev, 0, &aux), REASON_ECHO_REPLY);
	ck_assert_uint_eq(aux, 0);
	ev.from = T_ROUTER;
	ck_assert_uint_eq(icmp_reason(&ev, 0, &aux), REASON_OTHER_SOURCE);
	ck_assert_uint_eq(aux, T_ROUTER);
}
END_TEST

START_TEST(test_err_dst_from_quote)
{
	/* dst is the quoted IP destination, not the payload's copy */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_error(buf, 11, 0, 5, 1, &p, ICMP_ECHO_LEN);
	t_put32(buf + 20 + 8 + 16, 0x0a0002f9u);
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	ck_assert_uint_eq(ev.dst, 0x0a0002f9u);
	ck_assert_uint_eq(ev.job, p.job);
	ck_assert_uint_eq(ev.from, T_ROUTER);
}
END_TEST

START_TEST(test_err_quote_len)
{
	/* _i bytes of the echo request quoted, with a correct checksum */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;
	int rc;

	t_probe(&p);
	n = t_error(buf, 3, 1, 5, 1, &p, (size_t)_i);
	t_poison(&ev);
	rc = icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev);
	if (_i < 8) {
		ck_assert_int_eq(rc, -1);
		t_zero(&ev);
		return;
	}
	ck_assert_int_eq(rc, 0);
	t_expect_error(&ev, ICMP_EV_HOST_UNREACH, 3, 1, T_ROUTER, T_DST, &p,
	    _i == ICMP_ECHO_LEN);
}
END_TEST

START_TEST(test_err_quote_options)
{
	/* _i is the quoted IHL: options in the quoted header are skipped */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_error(buf, 3, 13, (unsigned)_i, 1, &p, ICMP_ECHO_LEN);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	t_expect_error(&ev, ICMP_EV_PROHIBITED, 3, 13, T_ROUTER, T_DST, &p,
	    1);
	/* the same with only 8 bytes of the request */
	n = t_error(buf, 3, 13, (unsigned)_i, 1, &p, 8);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	t_expect_error(&ev, ICMP_EV_PROHIBITED, 3, 13, T_ROUTER, T_DST, &p,
	    0);
}
END_TEST

START_TEST(test_err_short_quotes)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	uint8_t *q = buf + 28;
	size_t n;

	t_probe(&p);
	/* a quoted ICMP of 4 bytes */
	n = t_error(buf, 3, 1, 5, 1, &p, 4);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
	t_zero(&ev);
	/* a quoted IHL of 15 (60 bytes) in a 28-byte quote */
	n = t_error(buf, 3, 1, 5, 1, &p, 8);
	q[0] = 0x4f;
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
	/* a quoted IHL of 7 leaves 0 bytes of quoted ICMP */
	q[0] = 0x47;
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
	/* a quoted IHL below 5 */
	q[0] = 0x44;
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
	/* a quoted version 6 */
	q[0] = 0x65;
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
	/* a quoted protocol other than ICMP */
	q[0] = 0x45;
	q[9] = 17;
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), -1);
	/* the control: all put back */
	q[9] = 1;
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev), 0);
	/* only part of the quoted IP header */
	n = t_error(buf, 3, 1, 5, 1, &p, 0);
	t_put16(buf + 2, 20 + 8 + 12);
	t_fix_sum(buf + 20, 8 + 12);
	ck_assert_int_eq(icmp_parse_ip(buf, 40, T_COOKIE, 0, 0, &ev), -1);
	/* an error with no quote at all */
	n = t_error(buf, 11, 0, 5, 1, &p, 0);
	t_put16(buf + 2, 28);
	t_fix_sum(buf + 20, 8);
	ck_assert_int_eq(icmp_parse_ip(buf, 28, T_COOKIE, 0, 0, &ev), -1);
}
END_TEST

START_TEST(test_err_not_echo)
{
	/* a quote of something other than an echo request is not ours */
	static const uint8_t types[] = {0, 3, 13, 255};
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n, i;

	t_probe(&p);
	for (i = 0; i < sizeof(types); i++) {
		n = t_error(buf, 11, 0, 5, 1, &p, ICMP_ECHO_LEN);
		buf[48] = types[i];
		t_fix_sum(buf + 20, n - 20);
		ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0, &ev),
		    -1);
	}
}
END_TEST

START_TEST(test_err_id)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_error(buf, 3, 1, 5, 1, &p, 8);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, 0xbeee, &ev), -1);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, 0xefbe, &ev), -1);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, 0xbeef, &ev), 0);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 0, 0xbeee, &ev), 0);
	ck_assert_uint_eq(ev.id, 0xbeef);
	ck_assert_uint_eq(ev.seq, 0x8001);
}
END_TEST

START_TEST(test_err_foreign_cookie)
{
	/* a whole quoted payload of another run is someone else's probe */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	p.cookie = T_COOKIE ^ 0x8000;
	n = t_error(buf, 3, 1, 5, 1, &p, ICMP_ECHO_LEN);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
	t_zero(&ev);
	ck_assert_int_eq(
	    icmp_parse_ip(buf, n, T_COOKIE ^ 0x8000, 1, p.id, &ev), 0);
	ck_assert_int_eq(ev.have_payload, 1);
	/* with a cut payload the cookie cannot be seen: id and seq only */
	n = t_error(buf, 3, 1, 5, 1, &p, ICMP_ECHO_LEN - 1);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	ck_assert_int_eq(ev.have_payload, 0);
}
END_TEST

START_TEST(test_err_quoted_sum_ignored)
{
	/* the quoted request's own checksum is not checked */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_error(buf, 11, 0, 5, 1, &p, ICMP_ECHO_LEN);
	buf[50] ^= 0xff;
	buf[51] ^= 0x0f;
	t_fix_sum(buf + 20, n - 20);
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), 0);
	t_expect_error(&ev, ICMP_EV_ERROR, 11, 0, T_ROUTER, T_DST, &p, 1);
	/* but the outer one is */
	buf[21] ^= 1;
	ck_assert_int_eq(icmp_parse_ip(buf, n, T_COOKIE, 1, p.id, &ev), -1);
}
END_TEST

START_TEST(test_err_trunc)
{
	/*
	 * An error cut at every length, its header still claiming the whole
	 * packet: refused, or an event that is right for what is left.
	 */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	uint8_t *copy;
	size_t n, len;
	int rc;

	t_probe(&p);
	p.sent_ns = 0x0102030405060000ULL; /* zero tail: sums stay right */
	n = t_error(buf, 3, 10, 5, 1, &p, ICMP_ECHO_LEN);
	for (len = 0; len <= n; len++) {
		copy = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf, len);
		t_poison(&ev);
		rc = icmp_parse_ip(copy, len, T_COOKIE, 1, p.id, &ev);
		if (rc == 0)
			t_expect_error(&ev, ICMP_EV_PROHIBITED, 3, 10,
			    T_ROUTER, T_DST, &p, len == n);
		else
			t_zero(&ev);
		/* a cut that only drops zero words keeps a valid sum */
		ck_assert_int_eq(rc, len >= n - 2 ? 0 : -1);
		free(copy);
	}
}
END_TEST

/* ---- datagram socket path ---- */

START_TEST(test_dgram_reply)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];

	t_probe(&p);
	t_reply(buf, 5, &p, T_DST);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_icmp(buf + 20, ICMP_ECHO_LEN, T_DST,
			     T_COOKIE, &ev),
	    0);
	t_expect_reply(&ev, &p, T_DST);
	/* the kernel rewrote the id: no id check here */
	p.id = 0x0007;
	t_reply(buf, 5, &p, T_DST);
	ck_assert_int_eq(icmp_parse_icmp(buf + 20, ICMP_ECHO_LEN, 0x01020304u,
			     T_COOKIE, &ev),
	    0);
	t_expect_reply(&ev, &p, 0x01020304u);
}
END_TEST

START_TEST(test_dgram_reply_bad)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	uint8_t *copy;
	size_t len;

	t_probe(&p);
	t_reply(buf, 5, &p, T_DST);
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_icmp(buf + 20, ICMP_ECHO_LEN, T_DST,
			     T_COOKIE + 1, &ev),
	    -1);
	t_zero(&ev);
	for (len = 0; len < ICMP_ECHO_LEN; len++) {
		copy = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf + 20, len);
		t_poison(&ev);
		ck_assert_int_eq(
		    icmp_parse_icmp(copy, len, T_DST, T_COOKIE, &ev), -1);
		t_zero(&ev);
		free(copy);
	}
	buf[20 + 30] ^= 0x40;
	ck_assert_int_eq(icmp_parse_icmp(buf + 20, ICMP_ECHO_LEN, T_DST,
			     T_COOKIE, &ev),
	    -1);
	buf[20 + 30] ^= 0x40;
	buf[20] = 8;
	t_fix_sum(buf + 20, ICMP_ECHO_LEN);
	ck_assert_int_eq(icmp_parse_icmp(buf + 20, ICMP_ECHO_LEN, T_DST,
			     T_COOKIE, &ev),
	    -1);
}
END_TEST

START_TEST(test_dgram_error)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t buf[T_BUF];
	size_t n;

	t_probe(&p);
	n = t_error(buf, 3, 9, 5, 1, &p, 8);
	ck_assert_int_eq(
	    icmp_parse_icmp(buf + 20, n - 20, T_ROUTER, T_COOKIE, &ev), 0);
	t_expect_error(&ev, ICMP_EV_PROHIBITED, 3, 9, T_ROUTER, T_DST, &p,
	    0);
	n = t_error(buf, 3, 9, 5, 1, &p, 7);
	ck_assert_int_eq(
	    icmp_parse_icmp(buf + 20, n - 20, T_ROUTER, T_COOKIE, &ev), -1);
}
END_TEST

/* ---- datagram socket error queue ---- */

START_TEST(test_eq_lengths)
{
	/* _i bytes of the original request handed back by the kernel */
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t req[ICMP_ECHO_LEN];
	uint8_t *copy;
	size_t len = (size_t)_i;
	int rc;

	t_probe(&p);
	icmp_build_echo(req, sizeof(req), &p);
	copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, req, len);
	t_poison(&ev);
	rc = icmp_parse_errqueue(copy, len, 11, 0, T_ROUTER, T_DST, T_COOKIE,
	    &ev);
	free(copy);
	if (len < 8) {
		ck_assert_int_eq(rc, -1);
		t_zero(&ev);
		return;
	}
	ck_assert_int_eq(rc, 0);
	t_expect_error(&ev, ICMP_EV_ERROR, 11, 0, T_ROUTER, T_DST, &p,
	    len == ICMP_ECHO_LEN);
}
END_TEST

START_TEST(test_eq_refused)
{
	struct icmp_probe p;
	struct icmp_event ev;
	uint8_t req[ICMP_ECHO_LEN];

	t_probe(&p);
	icmp_build_echo(req, sizeof(req), &p);
	/* not an error type */
	t_poison(&ev);
	ck_assert_int_eq(icmp_parse_errqueue(req, sizeof(req), 0, 0, T_ROUTER,
			     T_DST, T_COOKIE, &ev),
	    -1);
	t_zero(&ev);
	ck_assert_int_eq(icmp_parse_errqueue(req, sizeof(req), 8, 0, T_ROUTER,
			     T_DST, T_COOKIE, &ev),
	    -1);
	/* another run's probe */
	ck_assert_int_eq(icmp_parse_errqueue(req, sizeof(req), 3, 1, T_ROUTER,
			     T_DST, T_COOKIE - 1, &ev),
	    -1);
	/* the control */
	ck_assert_int_eq(icmp_parse_errqueue(req, sizeof(req), 3, 1, T_ROUTER,
			     T_DST, T_COOKIE, &ev),
	    0);
	/* a quoted checksum that is wrong does not matter */
	req[2] ^= 0x55;
	ck_assert_int_eq(icmp_parse_errqueue(req, sizeof(req), 3, 1, T_ROUTER,
			     T_DST, T_COOKIE, &ev),
	    0);
	t_expect_error(&ev, ICMP_EV_HOST_UNREACH, 3, 1, T_ROUTER, T_DST, &p, 1);
	/* a quote that is not an echo request */
	req[0] = 0;
	ck_assert_int_eq(icmp_parse_errqueue(req, sizeof(req), 3, 1, T_ROUTER,
			     T_DST, T_COOKIE, &ev),
	    -1);
}
END_TEST

Suite *
icmp_suite(void)
{
	Suite *s = suite_create("icmp");
	TCase *tc;

	tc = tcase_create("checksum");
	tcase_add_test(tc, test_sum_rfc1071);
	tcase_add_loop_test(tc, test_sum_odd, 0,
	    (int)(sizeof(t_odd) / sizeof(t_odd[0])));
	tcase_add_test(tc, test_sum_zero_len);
	tcase_add_test(tc, test_sum_unaligned);
	tcase_add_test(tc, test_sum_pad_rule);
	tcase_add_test(tc, test_sum_large);
	tcase_add_test(tc, test_build_bytes);
	tcase_add_test(tc, test_build_short);
	tcase_add_test(tc, test_build_sums_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("reply");
	tcase_add_loop_test(tc, test_ip_reply_ihl, 5, 16);
	tcase_add_test(tc, test_ip_reply_other_source);
	tcase_add_test(tc, test_ip_reply_id);
	tcase_add_test(tc, test_ip_reply_cookie);
	tcase_add_test(tc, test_ip_reply_magic);
	tcase_add_test(tc, test_ip_reply_badsum);
	tcase_add_test(tc, test_ip_reply_code);
	tcase_add_loop_test(tc, test_ip_reply_trunc, 5, 16);
	tcase_add_test(tc, test_ip_reply_short_payload);
	tcase_add_test(tc, test_ip_total_length);
	tcase_add_test(tc, test_ip_echo_request);
	tcase_add_test(tc, test_ip_fragment);
	tcase_add_test(tc, test_ip_header_bad);
	tcase_add_test(tc, test_ip_ihl4);
	suite_add_tcase(s, tc);

	tc = tcase_create("error");
	tcase_add_loop_test(tc, test_err_classify, 0,
	    (int)(sizeof(t_class) / sizeof(t_class[0])));
	tcase_add_loop_test(tc, test_err_reason, 0,
	    (int)(sizeof(t_reason) / sizeof(t_reason[0])));
	tcase_add_test(tc, test_reply_reason);
	tcase_add_test(tc, test_err_dst_from_quote);
	tcase_add_loop_test(tc, test_err_quote_len, 0, ICMP_ECHO_LEN + 1);
	tcase_add_loop_test(tc, test_err_quote_options, 5, 16);
	tcase_add_test(tc, test_err_short_quotes);
	tcase_add_test(tc, test_err_quote_ihl4);
	tcase_add_test(tc, test_err_not_echo);
	tcase_add_test(tc, test_err_id);
	tcase_add_test(tc, test_err_foreign_cookie);
	tcase_add_test(tc, test_err_quoted_sum_ignored);
	tcase_add_test(tc, test_err_trunc);
	suite_add_tcase(s, tc);

	tc = tcase_create("datagram");
	tcase_add_test(tc, test_dgram_reply);
	tcase_add_test(tc, test_dgram_reply_bad);
	tcase_add_test(tc, test_dgram_error);
	tcase_add_loop_test(tc, test_eq_lengths, 0, ICMP_ECHO_LEN + 1);
	tcase_add_test(tc, test_eq_refused);
	suite_add_tcase(s, tc);

	return s;
}
