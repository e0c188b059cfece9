/* icmp.c - ICMP echo packets: build, checksum, decode replies and errors */
#include <string.h>

#include "icmp.h"
#include "verdict.h"

/*
 * Everything here is pure byte arithmetic on caller buffers, with no
 * syscalls, so the fuzz harnesses can drive it directly.  Packets are read
 * one byte at a time: a receive buffer offset by an IP header with options
 * has no alignment we could rely on.
 */

#define ICMP_MAGIC "IPSW"
#define ICMP_MAGIC_LEN 4
#define ICMP_HDR_LEN 8
#define ICMP_IP_MIN_LEN 20
#define ICMP_PROTO_ICMP 1

#define ICMP_TYPE_ECHO_REPLY 0
#define ICMP_TYPE_UNREACH 3
#define ICMP_TYPE_SOURCE_QUENCH 4
#define ICMP_TYPE_REDIRECT 5
#define ICMP_TYPE_ECHO 8
#define ICMP_TYPE_TIME_EXCEEDED 11
#define ICMP_TYPE_PARAMPROB 12

/* Offsets inside the echo payload (see icmp.h). */
#define ICMP_PL_COOKIE 4
#define ICMP_PL_JOB 12
#define ICMP_PL_DST 16
#define ICMP_PL_PROBE 20
#define ICMP_PL_SENT 24

static uint16_t
icmp_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t
icmp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
icmp_get64(const uint8_t *p)
{
	return (uint64_t)icmp_get32(p) << 32 | icmp_get32(p + 4);
}

static void
icmp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
icmp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
icmp_put64(uint8_t *p, uint64_t v)
{
	icmp_put32(p, (uint32_t)(v >> 32));
	icmp_put32(p + 4, (uint32_t)v);
}

/*
 * icmp_checksum -- the sum is taken over big-endian 16-bit words built from
 * bytes, so it needs no alignment and no byte swap; an odd last byte is
 * the high half of a word padded with zero (taking it as a signed char, or
 * as the low half, is the classic bug).  A 64-bit accumulator cannot carry
 * out for any buffer that fits in memory.
 */
uint16_t
icmp_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t sum = 0;
	uint16_t folded, net;
	uint8_t out[2];

	while (len > 1) {
		sum += icmp_get16(p);
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint64_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	folded = (uint16_t)~sum;
	icmp_put16(out, folded);
	memcpy(&net, out, sizeof(net));
	return net;
}

size_t
icmp_build_echo(uint8_t *buf, size_t len, const struct icmp_probe *p)
{
	uint8_t *pl = buf + ICMP_HDR_LEN;
	uint16_t sum;

	if (len < ICMP_ECHO_LEN)
		return 0;
	memset(buf, 0, ICMP_ECHO_LEN);
	buf[0] = ICMP_TYPE_ECHO;
	buf[1] = 0;
	icmp_put16(buf + 4, p->id);
	icmp_put16(buf + 6, p->seq);
	memcpy(pl, ICMP_MAGIC, ICMP_MAGIC_LEN);
	icmp_put64(pl + ICMP_PL_COOKIE, p->cookie);
	icmp_put32(pl + ICMP_PL_JOB, p->job);
	icmp_put32(pl + ICMP_PL_DST, p->dst);
	pl[ICMP_PL_PROBE] = p->probe;
	icmp_put64(pl + ICMP_PL_SENT, p->sent_ns);
	sum = icmp_checksum(buf, ICMP_ECHO_LEN);
	memcpy(buf + 2, &sum, sizeof(sum));
	return ICMP_ECHO_LEN;
}

/*
 * icmp_payload_check -- look at the LEN bytes after an echo header.
 * Returns 1 when they hold a whole payload with our magic and COOKIE,
 * 0 when they are too short to tell, -1 when they are whole but foreign.
 */
static int
icmp_payload_check(const uint8_t *pl, size_t len, uint64_t cookie)
{
	if (len < ICMP_PAYLOAD_LEN)
		return 0;
	if (memcmp(pl, ICMP_MAGIC, ICMP_MAGIC_LEN) != 0 ||
	    icmp_get64(pl + ICMP_PL_COOKIE) != cookie)
		return -1;
	return 1;
}

/* icmp_payload_fill -- copy the payload fields of a checked payload */
static void
icmp_payload_fill(const uint8_t *pl, struct icmp_event *ev)
{
	ev->have_payload = 1;
	ev->job = icmp_get32(pl + ICMP_PL_JOB);
	ev->probe = pl[ICMP_PL_PROBE];
	ev->sent_ns = icmp_get64(pl + ICMP_PL_SENT);
}

/*
 * icmp_classify -- the event kind for an ICMP error TYPE/CODE, or -1 for a
 * type that is not an error about a datagram we sent.  Only two codes of
 * type 3 are told apart from "an error": host unreachable, which may be a
 * last hop giving up on a silent address (icmp_reason weighs it), and
 * protocol or port unreachable, which a host sends about itself.
 */
static int
icmp_classify(uint8_t type, uint8_t code, enum icmp_kind *kind)
{
	switch (type) {
	case ICMP_TYPE_UNREACH:
		switch (code) {
		case 1:  /* host unreachable */
			*kind = ICMP_EV_HOST_UNREACH;
			return 0;
		case 2:  /* protocol unreachable */
		case 3:  /* port unreachable */
			*kind = ICMP_EV_PORT_UNREACH;
			return 0;
		case 9:  /* network administratively prohibited */
		case 10: /* host administratively prohibited */
		case 13: /* communication administratively prohibited */
			*kind = ICMP_EV_PROHIBITED;
			return 0;
		default: /* net unreachable or unknown, source route failed,
			    host unknown or isolated, TOS, precedence, ... */
			*kind = ICMP_EV_ERROR;
			return 0;
		}
	case ICMP_TYPE_SOURCE_QUENCH:
	case ICMP_TYPE_REDIRECT:
	case ICMP_TYPE_TIME_EXCEEDED:
	case ICMP_TYPE_PARAMPROB:
		*kind = ICMP_EV_ERROR;
		return 0;
	default:
		return -1;
	}
}

/*
 * icmp_quoted_echo -- check Q, LEN bytes starting at a quoted echo request
 * (the ICMP header of a probe as an error or the error queue returns it),
 * and fill id, seq and, when the quote holds the whole payload, the payload
 * fields of *EV.  The quoted checksum is not verified: routers may quote a
 * truncated datagram, and the quoted bytes are covered by the outer
 * checksum anyway.  A whole payload without our cookie is another
 * program's probe (another ipsweep run, or a ping that happened to use our
 * id): -1 like any other packet that is not ours.
 */
static int
icmp_quoted_echo(const uint8_t *q, size_t len, int check_id, uint16_t id,
    uint64_t cookie, struct icmp_event *ev)
{
	int pl;

	if (len < ICMP_HDR_LEN || q[0] != ICMP_TYPE_ECHO)
		return -1;
	ev->id = icmp_get16(q + 4);
	ev->seq = icmp_get16(q + 6);
	if (check_id && ev->id != id)
		return -1;
	pl = icmp_payload_check(q + ICMP_HDR_LEN, len - ICMP_HDR_LEN, cookie);
	if (pl < 0)
		return -1;
	if (pl > 0)
		icmp_payload_fill(q + ICMP_HDR_LEN, ev);
	return 0;
}

/*
 * icmp_decode -- decode the LEN bytes at P, which start at an ICMP header,
 * into *EV (already zeroed, with from set).  Returns 0 for an echo reply
 * or an error about one of our probes, -1 for anything else.
 */
static int
icmp_decode(const uint8_t *p, size_t len, uint64_t cookie, int check_id,
    uint16_t id, struct icmp_event *ev)
{
	const uint8_t *q;
	size_t qlen, qhl;
	enum icmp_kind kind;

	if (len < ICMP_HDR_LEN)
		return -1;
	if (icmp_checksum(p, len) != 0)
		return -1;
	ev->type = p[0];
	ev->code = p[1];

	if (p[0] == ICMP_TYPE_ECHO_REPLY) {
		if (p[1] != 0)
			return -1;
		ev->kind = ICMP_EV_ECHO_REPLY;
		ev->id = icmp_get16(p + 4);
		ev->seq = icmp_get16(p + 6);
		if (check_id && ev->id != id)
			return -1;
		if (icmp_payload_check(p + ICMP_HDR_LEN, len - ICMP_HDR_LEN,
			cookie) != 1)
			return -1;
		icmp_payload_fill(p + ICMP_HDR_LEN, ev);
		ev->dst = icmp_get32(p + ICMP_HDR_LEN + ICMP_PL_DST);
		return 0;
	}

	if (icmp_classify(p[0], p[1], &kind) != 0)
		return -1;
	ev->kind = kind;
	q = p + ICMP_HDR_LEN;
	qlen = len - ICMP_HDR_LEN;
	if (qlen < ICMP_IP_MIN_LEN || q[0] >> 4 != 4)
		return -1;
	qhl = (size_t)(q[0] & 0x0f) * 4;
	if (qhl < ICMP_IP_MIN_LEN || qhl > qlen || q[9] != ICMP_PROTO_ICMP)
		return -1;
	ev->dst = icmp_get32(q + 16);
	return icmp_quoted_echo(q + qhl, qlen - qhl, check_id, id, cookie,
	    ev);
}

/*
 * icmp_parse_ip -- the IPv4 header is checked before anything behind it is
 * read.  The total length field bounds the datagram (a link layer may pad
 * short frames) but never widens it past what was received.  A fragment
 * other than a whole datagram is dropped: the kernel reassembles before it
 * hands a raw socket a datagram, so one only shows up forged.
 */
int
icmp_parse_ip(const uint8_t *pkt, size_t len, uint64_t cookie, int check_id,
    uint16_t id, struct icmp_event *ev)
{
	size_t hl, tot;
	uint16_t frag;

	memset(ev, 0, sizeof(*ev));
	if (len < ICMP_IP_MIN_LEN || pkt[0] >> 4 != 4)
		return -1;
	hl = (size_t)(pkt[0] & 0x0f) * 4;
	if (hl < ICMP_IP_MIN_LEN || hl > len)
		return -1;
	tot = icmp_get16(pkt + 2);
	if (tot < len)
		len = tot;
	if (len < hl)
		return -1;
	frag = icmp_get16(pkt + 6);
	if ((frag & 0x3fff) != 0) /* MF set or a nonzero offset */
		return -1;
	if (pkt[9] != ICMP_PROTO_ICMP)
		return -1;
	ev->from = icmp_get32(pkt + 12);
	if (icmp_decode(pkt + hl, len - hl, cookie, check_id, id, ev) != 0) {
		memset(ev, 0, sizeof(*ev));
		return -1;
	}
	return 0;
}

int
icmp_parse_icmp(const uint8_t *pkt, size_t len, uint32_t from,
    uint64_t cookie, struct icmp_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->from = from;
	if (icmp_decode(pkt, len, cookie, 0, 0, ev) != 0) {
		memset(ev, 0, sizeof(*ev));
		return -1;
	}
	return 0;
}

int
icmp_parse_errqueue(const uint8_t *quoted, size_t len, uint8_t type,
    uint8_t code, uint32_t offender, uint32_t dst, uint64_t cookie,
    struct icmp_event *ev)
{
	enum icmp_kind kind;

	memset(ev, 0, sizeof(*ev));
	if (icmp_classify(type, code, &kind) != 0)
		return -1;
	ev->kind = kind;
	ev->type = type;
	ev->code = code;
	ev->from = offender;
	ev->dst = dst;
	if (icmp_quoted_echo(quoted, len, 0, 0, cookie, ev) != 0) {
		memset(ev, 0, sizeof(*ev));
		return -1;
	}
	return 0;
}

unsigned
icmp_reason(const struct icmp_event *ev, uint64_t elapsed_ns, uint32_t *aux)
{
	*aux = (uint32_t)ev->type << 8 | ev->code;
	switch (ev->kind) {
	case ICMP_EV_ECHO_REPLY:
		*aux = 0;
		if (ev->from == ev->dst)
			return REASON_ECHO_REPLY;
		*aux = ev->from;
		return REASON_OTHER_SOURCE;
	case ICMP_EV_HOST_UNREACH:
		if (elapsed_ns >= ICMP_UNREACH_MIN_NS) {
			*aux = 0;
			return REASON_HOST_UNREACH;
		}
		return REASON_ICMP_ERROR;
	case ICMP_EV_PORT_UNREACH:
		if (ev->from == ev->dst) {
			*aux = 0;
			return REASON_ICMP_FROM_TARGET;
		}
		return REASON_ICMP_ERROR;
	case ICMP_EV_PROHIBITED:
		return REASON_ADMIN_PROHIBITED;
	default:
		return REASON_ICMP_ERROR;
	}
}
