/* tcp.c - TCP evidence of life: port lists, non-blocking connect() sweeps */
#include <errno.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "escape.h"
#include "mono.h"
#include "tcp.h"

/* How much of a bad port list a message quotes before it writes "...". */
#define TCP_QUOTE_MAX 64

/* The longest single poll(): keeps the millisecond count inside an int. */
#define TCP_POLL_MAX_MS 60000u

/* The most descriptors the kernel hands out (fs.nr_open's default). */
#define TCP_NOFILE_INFINITY 1048576u

struct tcp_slot {
	size_t j;          /* address index */
	uint64_t deadline; /* mono_now_ns() when this connection gives up */
};

/* tcp_blank -- 1 for the blanks allowed around a port: space and tab */
static int
tcp_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * tcp_parse_ports -- see tcp.h.  A bitmap of the 65535 ports removes
 * duplicates in linear time, so that "every port" is no slower than a few;
 * MAX counts distinct ports.  Leading zeros are refused as elsewhere in
 * ipsweep (addresses), where they would be read as octal by other tools.
 */
int
tcp_parse_ports(const char *s, uint16_t *ports, size_t max, size_t *n,
    char *err, size_t errlen)
{
	char qs[TCP_QUOTE_MAX * 4 + 8], qi[TCP_QUOTE_MAX * 4 + 8];
	uint8_t seen[65536 / 8];
	const char *p, *end, *a, *b;
	size_t len, i, got = 0;
	unsigned long v;

	*n = 0;
	len = s == NULL ? 0 : strlen(s);
	for (i = 0; i < len && tcp_blank(s[i]); i++)
		;
	if (i == len) {
		escape_err(err, errlen, "empty port list");
		return -1;
	}
	escape_quote(qs, sizeof(qs), s, len, TCP_QUOTE_MAX);
	memset(seen, 0, sizeof(seen));
	end = s + len;
	for (p = s; p <= end; p = b + 1) {
		b = memchr(p, ',', (size_t)(end - p));
		if (b == NULL)
			b = end;
		for (a = p; a < b && tcp_blank(*a); a++)
			;
		for (i = (size_t)(b - a); i > 0 && tcp_blank(a[i - 1]); i--)
			;
		if (i == 0) {
			escape_err(err, errlen, "empty port in '%s'", qs);
			return -1;
		}
		escape_quote(qi, sizeof(qi), a, i, TCP_QUOTE_MAX);
		v = 0;
		for (len = 0; len < i; len++) {
			if (a[len] < '0' || a[len] > '9' ||
			    (len == 0 && a[0] == '0' && i > 1)) {
				escape_err(err, errlen, "invalid port '%s' in '%s'",
				    qi, qs);
				return -1;
			}
			if (v <= 65535)
				v = v * 10 + (unsigned long)(a[len] - '0');
		}
		if (v < 1 || v > 65535) {
			escape_err(err, errlen,
			    "port '%s' out of range 1-65535 in '%s'", qi, qs);
			return -1;
		}
		if (seen[v / 8] & (1u << (v % 8)))
			continue;
		seen[v / 8] |= (uint8_t)(1u << (v % 8));
		if (got == max) {
			escape_err(err, errlen, "more than %zu ports in '%s'", max,
			    qs);
			return -1;
		}
		ports[got++] = (uint16_t)v;
	}
	*n = got;
	return 0;
}

/*
 * tcp_nofile_cap -- how many sockets we may hold at once: half of the
 * soft RLIMIT_NOFILE, so that the caller's descriptors (pipes to workers,
 * ICMP sockets, stdio) and anything it opens later still fit.
 */
static size_t
tcp_nofile_cap(void)
{
	struct rlimit rl;
	rlim_t cur;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 64;
	cur = rl.rlim_cur;
	if (cur == RLIM_INFINITY || cur > TCP_NOFILE_INFINITY)
		cur = TCP_NOFILE_INFINITY;
	return cur / 2 > 0 ? (size_t)(cur / 2) : 1;
}

/*
 * tcp_icmp_offender -- after ECONNREFUSED, tell an RST from an ICMP port
 * unreachable, and who sent the latter.  An RST leaves the socket's error
 * queue empty: returns 0.  An ICMP error (queued because of IP_RECVERR)
 * returns 1 with its sender in *FROM (network byte order).  Linux maps
 * ICMP port unreachable to ECONNREFUSED for TCP too, and a firewall in the
 * path (iptables' REJECT default, nft's reject for non-TCP-aware rules)
 * sends one from its own address for a host that need not exist.
 */
static int
tcp_icmp_offender(int fd, uint32_t *from)
{
	char data[64];
	union {
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err) +
		    sizeof(struct sockaddr_in))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg;
	struct cmsghdr *cm;
	struct sock_extended_err ee;
	struct sockaddr_in off;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return 0;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_IP || cm->cmsg_type != IP_RECVERR ||
		    cm->cmsg_len < CMSG_LEN(sizeof(ee) + sizeof(off)))
			continue;
		memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
		if (ee.ee_origin != SO_EE_ORIGIN_ICMP)
			continue;
		memcpy(&off, CMSG_DATA(cm) + sizeof(ee), sizeof(off));
		*from = off.sin_family == AF_INET ? off.sin_addr.s_addr : 0;
		return 1;
	}
	/* queued, but not understood: not an RST either */
	*from = 0;
	return 1;
}

/*
 * tcp_classify -- the result of one connection attempt that ended with
 * error E (0: connected) on socket FD to ADDR (host byte order); -1 when it
 * is still in progress.  Why each errno means what it means:
 *   0, EISCONN           the handshake completed: a host accepted
 *   ECONNRESET, EPIPE    it completed, then was reset: a host accepted
 *   ECONNREFUSED         an RST for our SYN: only a host (its kernel, or a
 *                        firewall speaking for it) sends one, so something
 *                        answers at ADDR.  Unless it was an ICMP port
 *                        unreachable from another address (a filter in
 *                        the path): that proves nothing
 *   ETIMEDOUT            the kernel gave up retrying the SYN: silent
 *   EHOSTUNREACH         ICMP host unreachable or filtered from a router,
 *                        or ARP got no answer on a local segment: no
 *                        proof of life either way (TCP_UNREACH)
 *   ENETUNREACH, EACCES, EPERM, EADDRNOTAVAIL, EAGAIN and the rest: a
 *                        route, a local firewall or a local port shortage
 *                        decided, not the target
 */
static int
tcp_classify(int fd, uint32_t addr, int e)
{
	uint32_t from;

	switch (e) {
	case 0:
	case EISCONN:
	case ECONNRESET:
	case EPIPE:
		return TCP_ALIVE_ACCEPT;
	case EINPROGRESS:
	case EALREADY:
	case EINTR:
		return -1;
	case ECONNREFUSED:
		if (tcp_icmp_offender(fd, &from) && from != htonl(addr))
			return TCP_ERROR;
		return TCP_ALIVE_REFUSED;
	case ETIMEDOUT:
		return TCP_SILENT;
	case EHOSTUNREACH:
		return TCP_UNREACH;
	default:
		return TCP_ERROR;
	}
}

/*
 * tcp_peer_errno -- 0 when FD is connected; else the errno of
 * getpeername() (ENOTCONN): a wake-up with no pending error must not be
 * taken for an accepted connection unless the socket really has a peer.
 */
static int
tcp_peer_errno(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	return getpeername(fd, (struct sockaddr *)&sin, &len) == 0 ? 0 : errno;
}

/*
 * tcp_close -- close FD; with SO_LINGER 0 when it connected, so that the
 * target gets an RST at once and neither side keeps TIME_WAIT state for a
 * connection nobody wanted
 */
static void
tcp_close(int fd, int accepted)
{
	struct linger lg = { 1, 0 };

	if (accepted)
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* tcp_settled -- 1 when an address already has its proof of life */
static int
tcp_settled(uint8_t r)
{
	return r == TCP_ALIVE_ACCEPT || r == TCP_ALIVE_REFUSED;
}

/* tcp_note -- fold result R of one port into the address's result *RES */
static void
tcp_note(uint8_t *res, int r)
{
	if (tcp_settled(*res))
		return;
	/* an error outweighs "unreachable", which outweighs silence */
	if (r == TCP_ALIVE_ACCEPT || r == TCP_ALIVE_REFUSED || r == TCP_ERROR ||
	    (r == TCP_UNREACH && *res == TCP_SILENT))
		*res = (uint8_t)r;
}

/*
 * tcp_open -- start a connection to ADDR:PORT (host byte order).  Returns
 * the socket, in progress; or -1 with *DONE set to the result when it
 * ended at once; or -2 with errno when no socket could be had (descriptor
 * or memory shortage: the caller waits for open ones to finish).
 */
static int
tcp_open(uint32_t addr, uint16_t port, int *done)
{
	struct sockaddr_in sin;
	int fd, one = 1, r, e;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM)
			return -2;
		*done = TCP_ERROR;
		return -1;
	}
	/* so that an ICMP error behind ECONNREFUSED can be told apart */
	(void)setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(addr);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
		e = 0;
	else
		e = errno;
	r = tcp_classify(fd, addr, e);
	if (r < 0)
		return fd;
	tcp_close(fd, r == TCP_ALIVE_ACCEPT);
	*done = r;
	return -1;
}

/* tcp_drop -- close slot I of NOPEN and move the last slot into its place */
static void
tcp_drop(struct pollfd *pfd, struct tcp_slot *slot, size_t *nopen, size_t i,
    int accepted)
{
	tcp_close(pfd[i].fd, accepted);
	(*nopen)--;
	pfd[i] = pfd[*nopen];
	slot[i] = slot[*nopen];
}

/*
 * tcp_probe -- see tcp.h.  Connections start in address order, all ports
 * of one address before the next, so that an address settled by one port
 * is not asked again on the others; MAX_INFLIGHT slots are refilled as
 * soon as one frees.  A refusal settles an address as firmly as an accept:
 * an RST for our SYN is written by a TCP stack living at that address (or
 * by a firewall answering in its name), which is exactly the proof of life
 * ICMP could not give.  If socket() runs out of descriptors below our
 * estimate (the caller holds more than we thought), the slots shrink to
 * what is open rather than fail.
 */
int
tcp_probe(const uint32_t *addrs, size_t n, const uint16_t *ports,
    size_t nports, unsigned timeout_ms, unsigned max_inflight,
    const struct tcp_stop *stop, uint8_t *result, char *err, size_t errlen)
{
	uint64_t deadline_ns = stop != NULL ? stop->deadline_ns : 0;
	int wake;
	struct pollfd *pfd = NULL;
	struct tcp_slot *slot = NULL;
	size_t cap, nopen = 0, j, k, i, nj = 0, nk = 0;
	uint64_t now, next, wait_ns;
	int rc = -1, e = 0, fd, done, r, so, ms;
	socklen_t sl;

	for (j = 0; result != NULL && j < n; j++)
		result[j] = TCP_SILENT;
	if (n == 0)
		return 0;
	if (addrs == NULL || result == NULL || ports == NULL || nports == 0 ||
	    timeout_ms == 0 || max_inflight == 0) {
		escape_err(err, errlen, "invalid TCP probe settings");
		e = EINVAL;
		goto out;
	}
	for (k = 0; k < nports; k++)
		if (ports[k] == 0) {
			escape_err(err, errlen, "invalid TCP port 0");
			e = EINVAL;
			goto out;
		}

	cap = tcp_nofile_cap();
	if (cap > max_inflight)
		cap = max_inflight;
	if (n <= SIZE_MAX / nports && cap > n * nports)
		cap = n * nports;
	/* one more: the caller's self-pipe, when it has one */
	pfd = calloc(cap + 1, sizeof(*pfd));
	slot = calloc(cap, sizeof(*slot));
	if (pfd == NULL || slot == NULL) {
		escape_err(err, errlen, "out of memory");
		e = ENOMEM;
		goto out;
	}

	for (;;) {
		if (stop != NULL && stop->flag != NULL && *stop->flag) {
			escape_err(err, errlen, "interrupted");
			e = EINTR;
			goto out;
		}
		if (deadline_ns != 0 && mono_now_ns() >= deadline_ns) {
			escape_err(err, errlen, "deadline reached");
			e = ETIMEDOUT;
			goto out;
		}
		/* Start connections, in address order, skipping the ports of
		 * addresses already settled. */
		while (nopen < cap && nj < n) {
			if (tcp_settled(result[nj]) || nk == nports) {
				nj++;
				nk = 0;
				continue;
			}
			if (deadline_ns != 0 && mono_now_ns() >= deadline_ns)
				break;   /* the top of the loop ends it */
			fd = tcp_open(addrs[nj], ports[nk], &done);
			if (fd == -2) {
				e = errno;
				if (nopen == 0) {
					escape_err(err, errlen,
					    "cannot open a TCP socket: %s",
					    strerror(e));
					goto out;
				}
				/* descriptors ran short below our estimate:
				 * keep to what we have */
				cap = nopen;
				break;
			}
			if (fd == -1) {
				tcp_note(&result[nj], done);
			} else {
				pfd[nopen].fd = fd;
				pfd[nopen].events = POLLOUT;
				pfd[nopen].revents = 0;
				slot[nopen].j = nj;
				slot[nopen].deadline = mono_now_ns() +
				    timeout_ms * MONO_NS_PER_MS;
				nopen++;
			}
			nk++;
		}
		if (nopen == 0 && nj == n)
			break;
		if (nopen == 0)
			continue;

		now = mono_now_ns();
		next = slot[0].deadline;
		for (i = 1; i < nopen; i++)
			if (slot[i].deadline < next)
				next = slot[i].deadline;
		if (deadline_ns != 0 && deadline_ns < next)
			next = deadline_ns;
		wait_ns = next > now ? next - now : 0;
		if (wait_ns > TCP_POLL_MAX_MS * MONO_NS_PER_MS)
			wait_ns = TCP_POLL_MAX_MS * MONO_NS_PER_MS;
		/* round up: waking early would only spin */
		ms = (int)((wait_ns + MONO_NS_PER_MS - 1) / MONO_NS_PER_MS);
		wake = stop != NULL && stop->wake_fd >= 0;
		if (wake) {
			pfd[nopen].fd = stop->wake_fd;
			pfd[nopen].events = POLLIN;
			pfd[nopen].revents = 0;
		}
		if (poll(pfd, nopen + (nfds_t)wake, ms) < 0) {
			e = errno;
			if (e == EINTR)
				escape_err(err, errlen, "interrupted");
			else
				escape_err(err, errlen, "poll: %s", strerror(e));
			goto out;
		}

		/* Backwards, so that the slot tcp_drop() moves into place I
		 * has already been looked at. */
		now = mono_now_ns();
		for (i = nopen; i-- > 0;) {
			j = slot[i].j;
			if (tcp_settled(result[j])) {
				/* another port of this address answered */
				tcp_drop(pfd, slot, &nopen, i, 0);
				continue;
			}
			if (pfd[i].revents != 0) {
				so = 0;
				sl = sizeof(so);
				if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR,
					&so, &sl) < 0)
					so = errno;
				else if (so == 0)
					so = tcp_peer_errno(pfd[i].fd);
				r = tcp_classify(pfd[i].fd, addrs[j], so);
				if (r >= 0) {
					tcp_note(&result[j], r);
					tcp_drop(pfd, slot, &nopen, i,
					    r == TCP_ALIVE_ACCEPT);
					continue;
				}
			}
			if (now >= slot[i].deadline)
				tcp_drop(pfd, slot, &nopen, i, 0);
		}
	}
	rc = 0;
out:
	if (rc < 0) {
		for (j = 0; result != NULL && j < n; j++)
			if (!tcp_settled(result[j]) && (j >= nj ||
			    slot == NULL))
				result[j] = TCP_UNTRIED;
		/* and those with a connection still open */
		for (i = 0; slot != NULL && i < nopen; i++)
			if (!tcp_settled(result[slot[i].j]))
				result[slot[i].j] = TCP_UNTRIED;
		errno = e;
	}
	while (nopen > 0)
		close(pfd[--nopen].fd);
	free(pfd);
	free(slot);
	return rc;
}
