/* icmp.h - ICMP echo packets: build, checksum, decode replies and errors */
#ifndef IPSWEEP_ICMP_H
#define IPSWEEP_ICMP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Echo request layout: 8-byte ICMP header, then a 32-byte payload:
 *   0  "IPSW"  magic
 *   4  cookie  64-bit per-run random value
 *   12 job     job index, 32 bits
 *   16 dst     the probed address, 32 bits
 *   20 probe   probe number (0-based), 8 bits; 3 bytes zero
 *   24 sent_ns CLOCK_MONOTONIC send time, 64 bits
 * All multi-byte fields big-endian.
 */
#define ICMP_PAYLOAD_LEN 32
#define ICMP_ECHO_LEN (8 + ICMP_PAYLOAD_LEN)

struct icmp_probe {
	uint16_t id;
	uint16_t seq;
	uint64_t cookie;
	uint32_t job;
	uint32_t dst;       /* host order */
	uint8_t probe;
	uint64_t sent_ns;
};

/*
 * icmp_checksum -- RFC 1071 Internet checksum of LEN bytes (odd lengths
 * pad the last byte with zero).  Returns it in network byte order, ready to
 * be stored with memcpy; a buffer that holds a correct checksum sums to 0.
 */
uint16_t icmp_checksum(const void *data, size_t len);

/*
 * icmp_build_echo -- write an echo request for P into BUF.  Returns
 * ICMP_ECHO_LEN, or 0 when LEN is too small.
 */
size_t icmp_build_echo(uint8_t *buf, size_t len, const struct icmp_probe *p);

enum icmp_kind {
	ICMP_EV_ECHO_REPLY = 1,  /* type 0 */
	ICMP_EV_HOST_UNREACH,    /* type 3 code 1: host unreachable */
	ICMP_EV_PROHIBITED,      /* type 3 codes 9, 10, 13 */
	ICMP_EV_ERROR,           /* any other error quoting our probe:
				    type 3 other codes, 4, 5, 11, 12 */
	ICMP_EV_PORT_UNREACH,    /* type 3 codes 2, 3: protocol or port
				    unreachable */
	ICMP_EV_MAX
};

struct icmp_event {
	enum icmp_kind kind;
	uint8_t type;
	uint8_t code;
	uint32_t from;       /* who sent this packet, host order */
	uint32_t dst;        /* where our probe went: echo reply: payload dst;
				error: the quoted IP destination */
	uint16_t id;         /* from the reply or the quoted request */
	uint16_t seq;
	int have_payload;    /* 1: job, probe, sent_ns are valid (cookie ok) */
	uint32_t job;
	uint8_t probe;
	uint64_t sent_ns;
};

/*
 * icmp_parse_ip -- decode a packet from a raw ICMP socket: an IPv4 header
 * (options allowed), then ICMP.  The ICMP checksum must be right.  An echo
 * reply counts only with the magic and COOKIE in its payload (and, when
 * CHECK_ID, id == ID).  An error counts only when it quotes an IPv4 header
 * with protocol ICMP and at least 8 bytes of an echo request (with id ==
 * ID when CHECK_ID); its payload fields are filled when the quote holds
 * the whole payload with our cookie.  Anything else -- echo requests,
 * truncated or malformed packets, fragments, other ids -- returns -1 and
 * is to be ignored.  Returns 0 and fills *EV for one of ours.
 */
int icmp_parse_ip(const uint8_t *pkt, size_t len, uint64_t cookie,
    int check_id, uint16_t id, struct icmp_event *ev);

/*
 * icmp_parse_icmp -- the same for a datagram ICMP socket, whose reads start
 * at the ICMP header; FROM is the sender taken from msg_name.  The kernel
 * matched the id already (it rewrites it), so no id is checked.
 */
int icmp_parse_icmp(const uint8_t *pkt, size_t len, uint32_t from,
    uint64_t cookie, struct icmp_event *ev);

/*
 * icmp_parse_errqueue -- build an event from a datagram socket's error
 * queue (IP_RECVERR): TYPE and CODE from sock_extended_err, OFFENDER the
 * address that sent the error, DST the destination of the original probe
 * (msg_name), and QUOTED the original echo request as the kernel returns
 * it (ICMP header first, possibly truncated).  Returns 0 for an error that
 * quotes an echo request of ours, -1 otherwise.
 */
int icmp_parse_errqueue(const uint8_t *quoted, size_t len, uint8_t type,
    uint8_t code, uint32_t offender, uint32_t dst, uint64_t cookie,
    struct icmp_event *ev);

/*
 * A host unreachable that comes sooner than this after the probe it quotes
 * is no sign of silence.  The one that is -- the target's last-hop router
 * giving up on it -- is sent only after that router's own ARP for the
 * target went unanswered: Linux asks mcast_solicit times, retrans_time
 * apart (3 x 1 s by default), other stacks about as long.  An unreachable
 * route, a filter or a far router that has no way there answers at once,
 * in the time of a round trip.  Half a second is far above any round trip
 * on the paths ipsweep is meant for and far below the ARP timeout.
 */
#define ICMP_UNREACH_MIN_NS (500 * 1000000ull)

/*
 * icmp_reason -- the evidence (enum reason, verdict.h) that EV, an event
 * decoded from a packet answering a probe to EV->dst that went out
 * ELAPSED_NS before (0: not known), is.  An echo reply from the probed
 * address: REASON_ECHO_REPLY; from another one: REASON_OTHER_SOURCE (*AUX:
 * that address).  Protocol or port unreachable from the probed address
 * itself: REASON_ICMP_FROM_TARGET (a host is there).  Host unreachable at
 * least ICMP_UNREACH_MIN_NS after the probe: REASON_HOST_UNREACH, weak
 * silence.  Admin prohibited: REASON_ADMIN_PROHIBITED.  Every other error
 * -- net unreachable or unknown, a fast host unreachable, time exceeded,
 * source quench, redirect, parameter problem, port unreachable from
 * elsewhere -- says the probe was stopped on its way: REASON_ICMP_ERROR.
 * For the errors *AUX is type << 8 | code.  Pure.
 */
unsigned icmp_reason(const struct icmp_event *ev, uint64_t elapsed_ns,
    uint32_t *aux);

#endif
