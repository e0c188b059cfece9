/* tcp.h - TCP evidence of life for addresses that were silent to ICMP */
#ifndef IPSWEEP_TCP_H
#define IPSWEEP_TCP_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>

/* What tcp_probe() learnt about one address. */
enum tcp_result {
	TCP_SILENT = 0,     /* every port timed out: still a candidate */
	TCP_ALIVE_ACCEPT,   /* a port accepted the connection */
	TCP_ALIVE_REFUSED,  /* a port refused it: the host's RST, or its own
			       ICMP port unreachable */
	TCP_ERROR,          /* no accept or refusal, and some port failed
			       here (no route, a local firewall, a local
			       limit, a filter's port unreachable): the
			       check could not be made */
	TCP_UNREACH,        /* no accept or refusal, and some port got
			       host unreachable (an unanswered ARP request
			       on a local segment, or a router's word):
			       no proof of life, as silent as a timeout */
	TCP_UNTRIED,        /* tcp_probe() stopped before it finished this
			       address (a signal, the deadline) */
	TCP_RESULT_MAX
};

/* When tcp_probe() must stop early; either member may be 0. */
struct tcp_stop {
	uint64_t deadline_ns;                /* CLOCK_MONOTONIC, 0: none */
	const volatile sig_atomic_t *flag;   /* nonzero: stop (a signal) */
	int wake_fd;     /* a self-pipe the signal handler writes to, polled
			    with the sockets so that a signal between two
			    polls is not missed; -1: none */
};

/*
 * tcp_parse_ports -- parse a port list such as "22,80,443" into PORTS (at
 * most MAX entries), first occurrence order, duplicates removed, count in
 * *N.  Items are separated by commas, with optional blanks around each;
 * each is 1-65535 in plain decimal digits (no sign, no leading zero).  On
 * error returns -1 with one line in ERR (ERRLEN bytes), *N is 0 and the
 * contents of PORTS are unspecified; else returns 0 (*N >= 1).
 */
int tcp_parse_ports(const char *s, uint16_t *ports, size_t max, size_t *n,
    char *err, size_t errlen);

/*
 * tcp_probe -- try a non-blocking TCP connect() to every port of PORTS
 * (NPORTS) on each of the N addresses of ADDRS (host byte order), and
 * store an enum tcp_result in RESULT[j] for ADDRS[j].  At most
 * MAX_INFLIGHT sockets are open at once, never more than half of
 * RLIMIT_NOFILE; each connection gets TIMEOUT_MS (CLOCK_MONOTONIC).  Needs
 * no privilege.
 *
 * An accept or a refusal on any port settles its address: its other ports
 * are not tried, or are abandoned.  A refusal counts as much as an accept:
 * an RST for our SYN comes from a TCP stack at that address, so a host is
 * there.  An ICMP port unreachable (which Linux also reports as a refusal)
 * counts only when the address itself sent it; a filter in the path sends
 * one for hosts that need not exist, and that is TCP_ERROR.  EHOSTUNREACH,
 * which an ICMP host unreachable from a router and an unanswered ARP
 * request on a local segment both produce, is TCP_UNREACH.  Timeouts on
 * every port leave an address TCP_SILENT.  With several ports of one
 * address in flight at once, whether a host that accepts on one port and
 * refuses on another is reported ACCEPT or REFUSED depends on timing.
 *
 * Returns 0, or -1 with one line in ERR: errno EINVAL for bad arguments
 * (a port 0, NPORTS, TIMEOUT_MS or MAX_INFLIGHT 0), ENOMEM or the errno of
 * socket() when not even one socket can be opened, EINTR when poll() was
 * interrupted by a signal or STOP's flag was set (so that the caller can
 * honour SIGINT at once, even one that came between two polls), ETIMEDOUT
 * when STOP's deadline came first; no connection is started after a stop,
 * and none outlives it.  STOP may be NULL.
 * On -1, addresses settled so far keep their result and the others are
 * TCP_UNTRIED.  No socket stays open in any case.
 */
int tcp_probe(const uint32_t *addrs, size_t n, const uint16_t *ports,
    size_t nports, unsigned timeout_ms, unsigned max_inflight,
    const struct tcp_stop *stop, uint8_t *result, char *err,
    size_t errlen);

#endif
