/* probe_icmp.c - the native engine: paced ICMP echo, many probes in flight */
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/filter.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arp.h"
#include "icmp.h"
#include "mono.h"
#include "probe_icmp.h"
#include "record.h"
#include "verdict.h"

#define PI_RCVBUF        (4 << 20)
#define PI_HEARTBEAT_NS  (250 * MONO_NS_PER_MS)
#define PI_SEND_RETRY_NS (2 * MONO_NS_PER_MS)
#define PI_SEND_GIVEUP_NS (5000 * MONO_NS_PER_MS)  /* ENOBUFS for so long */
#define PI_NEIGH_AGE_NS  (100 * MONO_NS_PER_MS)
#define PI_RECV_BATCH    256
#define PI_MIN_SLEEP_NS  (MONO_NS_PER_MS / 2)
#define PI_GAP_MIN_NS    (100 * MONO_NS_PER_MS)
#define PI_PACE_MIN      (1.0 / 64)
#define PI_PACE_CALM_NS  (500 * MONO_NS_PER_MS)

/* Per-job flags in the worker. */
#define PI_DONE     0x01   /* a final verdict was sent */
#define PI_USED     0x02   /* a reply was reported */
#define PI_UNREACH  0x04   /* an ICMP unreachable quoted a probe */
#define PI_QUEUED   0x08   /* waiting in the send queue or a timer ring */
#define PI_REPROBE  0x10   /* one extra probe after receive drops */
#define PI_OTHER    0x20   /* reported an answer from another address */

/* A FIFO of jobs with due times; due times are pushed in order. */
struct pi_ring {
	uint32_t *job;
	uint64_t *due;
	size_t cap, head, len;
};

struct pi_seq {
	uint32_t job;
	uint64_t sent_ns;   /* 0: never used */
};

struct pi_worker {
	struct probe_icmp *pi;
	struct pool_worker *w;
	int fd;
	int arp_fd;               /* AF_PACKET for ARP, or -1 */
	uint8_t *mac;             /* job -> first MAC that answered ARP
				     (6 bytes each), or NULL */
	uint16_t id;
	uint8_t *sent;            /* job -> probes sent */
	uint8_t *flags;           /* job -> PI_* */
	uint64_t *first_ns;       /* job -> first probe's send time */
	struct pi_ring fresh;     /* jobs from the parent, not yet probed */
	struct pi_ring resend;    /* jobs due for another probe */
	struct pi_ring retry;     /* due: when the last probe went out; the
				     next is due pi_gap_ns() later, a gap
				     that is the same for all, so the ring
				     stays in order when it changes */
	struct pi_ring final;     /* due: the last probe's wait is over */
	struct pi_ring onlink;    /* due: an on-link first probe stops
				     counting as unresolved */
	struct pi_seq *seq;       /* 65536 entries */
	uint16_t next_seq;
	double tokens;
	uint64_t tokens_ns;
	uint64_t backoff_until;
	uint64_t fail_since;      /* sends fail with ENOBUFS since, or 0 */
	int nl;                   /* netlink socket for the neighbour table */
	uint32_t nl_seq;
	uint64_t *neigh;          /* neighbour entries: address << 1, and 1
				     when it has a link-layer address */
	size_t n_neigh, cap_neigh;
	uint64_t neigh_ns;        /* when NEIGH was read, 0: never */
	uint64_t said_ns;         /* last heartbeat to the parent */
	uint64_t hold_ns;         /* a sequence number is not reused sooner */
	uint32_t drops_seen;      /* SO_RXQ_OVFL counter */
	uint64_t drop_ns;         /* when drops were last noticed */
	double pace;              /* share of the rate in use: halved when our
				     socket drops replies, regained slowly */
	uint64_t rtt_max_ns;       /* slowest reply seen from a probed address */
	uint8_t *limit;           /* job -> probes planned, 0: pi->count */
	uint64_t hits;            /* addresses that answered */
	uint64_t misses;          /* unanswered probes to them, before */
	uint64_t decided;         /* addresses decided */
	unsigned most;            /* most probes a silent address got */
	uint64_t probes, replies, drops;
	int parent_done;
};

const char *
probe_icmp_kind_name(enum probe_icmp_kind k)
{
	return k == PROBE_ICMP_RAW ? "raw" : k == PROBE_ICMP_DGRAM ?
	    "datagram" : "none";
}

/*
 * pi_filter -- attach a classic BPF program to raw socket FD so that the
 * kernel wakes this worker only for echo replies carrying ID and for ICMP
 * errors (which quote someone's probe; the decoder checks whose).  Every
 * raw ICMP socket gets a copy of every ICMP packet, so without it each
 * worker would wake for all the others' replies.
 */
static int
pi_filter(int fd, uint16_t id)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 6, 5),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 3, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 11, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 12, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

/*
 * pi_socket -- one ICMP socket of KIND with the options every worker
 * needs: a large receive buffer (SO_RCVBUFFORCE works for root only, so
 * fall back to SO_RCVBUF, which the kernel caps at rmem_max), drop
 * counting, and IP_RECVERR so that ICMP errors reach a datagram socket at
 * all and ENOBUFS is reported instead of swallowed (raw_sendmsg returns 0
 * for ENOBUFS without it).
 */
static int
pi_socket(enum probe_icmp_kind kind, uint16_t id, int rcvbuf)
{
	int one = 1, size = rcvbuf > 0 ? rcvbuf : PI_RCVBUF, fd;

	fd = socket(AF_INET, (kind == PROBE_ICMP_RAW ? SOCK_RAW : SOCK_DGRAM) |
	    SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	size = PI_RCVBUF;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size,
	    sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	if (kind == PROBE_ICMP_RAW && pi_filter(fd, id) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
probe_icmp_open(struct probe_icmp *pi, unsigned workers, int want_raw,
    char *err, size_t errlen)
{
	enum probe_icmp_kind kind;
	uint16_t base;
	unsigned s;
	int fd, e;

	pi->fds = calloc(workers, sizeof(*pi->fds));
	pi->ids = calloc(workers, sizeof(*pi->ids));
	if (pi->fds == NULL || pi->ids == NULL) {
		snprintf(err, errlen, "out of memory");
		probe_icmp_close(pi);
		errno = ENOMEM;
		return -1;
	}
	pi->workers = workers;
	for (s = 0; s < workers; s++)
		pi->fds[s] = -1;
	if (getrandom(&base, sizeof(base), 0) != sizeof(base))
		base = (uint16_t)(getpid() * 7919u);
	for (s = 0; s < workers; s++)
		pi->ids[s] = (uint16_t)(base + s);
	/*
	 * The datagram kind first: it needs no privilege and the kernel hands
	 * each socket only its own replies.  EACCES here means our group is
	 * outside net.ipv4.ping_group_range; EPROTONOSUPPORT an old kernel.
	 */
	kind = PROBE_ICMP_DGRAM;
	fd = want_raw ? -1 : pi_socket(kind, 0, pi->rcvbuf);
	if (fd < 0) {
		kind = PROBE_ICMP_RAW;
		fd = pi_socket(kind, pi->ids[0], pi->rcvbuf);
	}
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open an ICMP socket: %s",
		    strerror(e));
		probe_icmp_close(pi);
		errno = e;
		return -1;
	}
	pi->kind = kind;
	pi->fds[0] = fd;
	for (s = 1; s < workers; s++) {
		pi->fds[s] = pi_socket(kind, pi->ids[s], pi->rcvbuf);
		if (pi->fds[s] < 0) {
			e = errno;
			snprintf(err, errlen, "cannot open ICMP socket %u: %s",
			    s + 1, strerror(e));
			probe_icmp_close(pi);
			errno = e;
			return -1;
		}
	}
	return 0;
}

int
probe_icmp_open_arp(struct probe_icmp *pi)
{
	unsigned s;
	int one = 1, size = PI_RCVBUF, e;

	pi->arp_fds = calloc(pi->workers ? pi->workers : 1,
	    sizeof(*pi->arp_fds));
	if (pi->arp_fds == NULL)
		return -1;
	for (s = 0; s < pi->workers; s++)
		pi->arp_fds[s] = -1;
	for (s = 0; s < pi->workers; s++) {
		int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, htons(ETH_P_ARP));

		if (fd < 0)
			goto fail;
		pi->arp_fds[s] = fd;
		/* Our own requests would wake every worker: not wanted. */
		setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		    sizeof(one));
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		    sizeof(size)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
			    sizeof(size));
	}
	return 0;
fail:
	e = errno;
	for (s = 0; s < pi->workers; s++)
		if (pi->arp_fds[s] >= 0)
			close(pi->arp_fds[s]);
	free(pi->arp_fds);
	pi->arp_fds = NULL;
	errno = e;
	return -1;
}

void
probe_icmp_close(struct probe_icmp *pi)
{
	unsigned s;

	if (pi->fds != NULL)
		for (s = 0; s < pi->workers; s++)
			if (pi->fds[s] >= 0)
				close(pi->fds[s]);
	if (pi->arp_fds != NULL)
		for (s = 0; s < pi->workers; s++)
			if (pi->arp_fds[s] >= 0)
				close(pi->arp_fds[s]);
	free(pi->fds);
	free(pi->ids);
	free(pi->arp_fds);
	pi->fds = NULL;
	pi->ids = NULL;
	pi->arp_fds = NULL;
	pi->workers = 0;
}

int
probe_icmp_fd2(void *ctx, unsigned slot)
{
	struct probe_icmp *pi = ctx;

	return pi->arp_fds != NULL && slot < pi->workers ?
	    pi->arp_fds[slot] : -1;
}

int
probe_icmp_fd(void *ctx, unsigned slot)
{
	struct probe_icmp *pi = ctx;

	return slot < pi->workers ? pi->fds[slot] : -1;
}

/* pi_ring_push -- append JOB due at DUE; -1 on ENOMEM */
static int
pi_ring_push(struct pi_ring *r, uint32_t job, uint64_t due)
{
	size_t i;

	if (r->len == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024, k;
		uint32_t *nj = malloc(cap * sizeof(*nj));
		uint64_t *nd = malloc(cap * sizeof(*nd));

		if (nj == NULL || nd == NULL) {
			free(nj);
			free(nd);
			return -1;
		}
		for (k = 0; k < r->len; k++) {
			nj[k] = r->job[(r->head + k) % r->cap];
			nd[k] = r->due[(r->head + k) % r->cap];
		}
		free(r->job);
		free(r->due);
		r->job = nj;
		r->due = nd;
		r->cap = cap;
		r->head = 0;
	}
	i = (r->head + r->len++) % r->cap;
	r->job[i] = job;
	r->due[i] = due;
	return 0;
}

/* pi_ring_due -- 1 when the head is due at NOW (or DUE is 0: no timing) */
static int
pi_ring_due(const struct pi_ring *r, uint64_t now)
{
	return r->len > 0 && r->due[r->head] <= now;
}

static uint32_t
pi_ring_pop(struct pi_ring *r)
{
	uint32_t job = r->job[r->head];

	r->head = (r->head + 1) % r->cap;
	r->len--;
	return job;
}

static void
pi_ring_free(struct pi_ring *r)
{
	free(r->job);
	free(r->due);
	memset(r, 0, sizeof(*r));
}

/* pi_say -- send a record to the parent; a dead parent ends the worker */
static void
pi_say(struct pi_worker *pw, struct record *r)
{
	if (pool_worker_send(pw->w, r) < 0)
		_exit(0);
	if (r->type != RECORD_EVIDENCE)
		pw->said_ns = mono_now_ns();
}

/* pi_result -- report evidence REASON about JOB; the parent decides */
static void
pi_result(struct pi_worker *pw, uint32_t job, unsigned reason,
    uint32_t rtt_us, uint32_t aux)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_EVIDENCE;
	r.job = job;
	r.reason = (uint8_t)reason;
	r.probes = pw->sent[job];
	r.rtt_us = rtt_us;
	r.aux = aux;
	pi_say(pw, &r);
}

/* pi_find -- the job of address A, or -1 (ADDRS is sorted) */
static long
pi_find(const struct probe_icmp *pi, uint32_t a)
{
	size_t lo = 0, hi = pi->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pi->addrs[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pi->n && pi->addrs[lo] == a ? (long)lo : -1;
}

/* pi_used -- JOB answered (echo or ARP): report it once, however late */
static void
pi_used(struct pi_worker *pw, uint32_t job, uint64_t sent_ns, uint64_t now,
    unsigned reason)
{
	uint64_t rtt = sent_ns != 0 && now > sent_ns ? (now - sent_ns) / 1000 :
	    0;

	if (pw->flags[job] & PI_USED)
		return;
	if (sent_ns != 0 && now > sent_ns && now - sent_ns > pw->rtt_max_ns)
		pw->rtt_max_ns = now - sent_ns;
	if (!(pw->flags[job] & PI_DONE))
		pw->decided++;
	pw->flags[job] |= PI_USED | PI_DONE;
	pi_result(pw, job, reason,
	    rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt, 0);
}

/* pi_event -- act on one decoded reply or error */
static void
pi_event(struct pi_worker *pw, const struct icmp_event *ev, uint64_t now)
{
	struct probe_icmp *pi = pw->pi;
	uint32_t job;

	if (ev->have_payload) {
		job = ev->job;
	} else {
		/* A short quote: find the probe by its sequence number. */
		const struct pi_seq *s = &pw->seq[ev->seq];

		if (s->sent_ns == 0 || now - s->sent_ns > pw->hold_ns)
			return;
		job = s->job;
	}
	if (job >= pi->n || pi->addrs[job] != ev->dst)
		return;   /* not a probe of this run's job list */
	if (ev->kind == ICMP_EV_ECHO_REPLY) {
		long other;

		pw->replies++;
		if (ev->from == ev->dst) {
			/* the loss estimate: probes before the answered one
			   that this address left unanswered */
			if (!(pw->flags[job] & PI_USED) && ev->probe < 64) {
				pw->hits++;
				pw->misses += ev->probe;
			}
			pi_used(pw, job, ev->sent_ns, now, REASON_ECHO_REPLY);
			return;
		}
		/*
		 * Policy: an answer from another address proves that address
		 * alive, and leaves the probed one undecided (a broadcast, a
		 * NAT, a router answering for it): never free.
		 */
		other = pi_find(pi, ev->from);
		if (other >= 0)
			pi_used(pw, (uint32_t)other, 0, now, REASON_ECHO_REPLY);
		if (!(pw->flags[job] & (PI_USED | PI_OTHER))) {
			pw->flags[job] |= PI_OTHER | PI_DONE;
			pi_result(pw, job, REASON_OTHER_SOURCE,
			    0, ev->from);
		}
		return;
	}
	if (pw->flags[job] & (PI_USED | PI_DONE))
		return;
	switch (ev->kind) {
	case ICMP_EV_UNREACH:
		/* Supports "free"; the schedule goes on as planned. */
		pw->flags[job] |= PI_UNREACH;
		break;
	case ICMP_EV_PROHIBITED:
		pw->flags[job] |= PI_DONE;
		pi_result(pw, job, REASON_ADMIN_PROHIBITED, 0,
		    (uint32_t)ev->type << 8 | ev->code);
		break;
	default:
		pw->flags[job] |= PI_DONE;
		pi_result(pw, job, REASON_ICMP_ERROR, 0,
		    (uint32_t)ev->type << 8 | ev->code);
		break;
	}
}

/*
 * pi_dropped -- our socket dropped replies: remember when (the addresses
 * probed before then get another probe) and halve the pace, so that the
 * probes again do not overflow it again.
 */
static void
pi_dropped(struct pi_worker *pw, uint64_t now)
{
	pw->drop_ns = now;
	pw->pace /= 2;
	if (pw->pace < PI_PACE_MIN)
		pw->pace = PI_PACE_MIN;
}

/* pi_overflow -- look at the SO_RXQ_OVFL counter of a received message */
static void
pi_overflow(struct pi_worker *pw, struct msghdr *msg, uint64_t now)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		uint32_t dropped;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SO_RXQ_OVFL)
			continue;
		memcpy(&dropped, CMSG_DATA(cm), sizeof(dropped));
		if (dropped != pw->drops_seen) {
			pw->drops += dropped - pw->drops_seen;
			pw->drops_seen = dropped;
			pi_dropped(pw, now);
		}
	}
}

/*
 * pi_drop_check -- read the socket's drop counter (SO_MEMINFO).  Datagram
 * ICMP sockets never attach SO_RXQ_OVFL to what they return (ping_recvmsg
 * does not call sock_recv_cmsgs), so the counter is read directly before
 * any address is called free.
 */
static void
pi_drop_check(struct pi_worker *pw, uint64_t now)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(pw->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
	    len <= SK_MEMINFO_DROPS * sizeof(mem[0]))
		return;
	if (mem[SK_MEMINFO_DROPS] != pw->drops_seen) {
		pw->drops += mem[SK_MEMINFO_DROPS] - pw->drops_seen;
		pw->drops_seen = mem[SK_MEMINFO_DROPS];
		pi_dropped(pw, now);
	}
}

/* pi_msg -- a recvmsg header for one buffer, the sender and control data */
static void
pi_msg(struct msghdr *msg, struct iovec *iov, void *buf, size_t len,
    struct sockaddr_in *sin, void *ctl, size_t ctllen)
{
	memset(msg, 0, sizeof(*msg));
	iov->iov_base = buf;
	iov->iov_len = len;
	msg->msg_name = sin;
	msg->msg_namelen = sizeof(*sin);
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = ctl;
	msg->msg_controllen = ctllen;
}

/*
 * pi_errqueue -- read the socket's error queue.  On a datagram socket that
 * is where ICMP errors about our probes arrive (IP_RECVERR); a raw socket
 * gets them as packets too, so there the queue is only emptied.
 */
static void
pi_errqueue(struct pi_worker *pw, uint64_t now)
{
	uint8_t data[256];
	union {
		struct cmsghdr align;
		uint8_t buf[512];
	} ctl;
	struct sockaddr_in sin;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cm;
	int rounds;

	for (rounds = 0; rounds < PI_RECV_BATCH; rounds++) {
		ssize_t got;

		pi_msg(&msg, &iov, data, sizeof(data), &sin, ctl.buf,
		    sizeof(ctl.buf));
		got = recvmsg(pw->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (got < 0)
			return;
		if (pw->pi->kind != PROBE_ICMP_DGRAM)
			continue;
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm)) {
			struct sock_extended_err ee;
			struct sockaddr_in off;
			struct icmp_event ev;

			if (cm->cmsg_level != IPPROTO_IP ||
			    cm->cmsg_type != IP_RECVERR)
				continue;
			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			if (ee.ee_origin != SO_EE_ORIGIN_ICMP)
				continue;
			memcpy(&off, SO_EE_OFFENDER((struct sock_extended_err *)
			    CMSG_DATA(cm)), sizeof(off));
			if (icmp_parse_errqueue(data, (size_t)got, ee.ee_type,
			    ee.ee_code, ntohl(off.sin_addr.s_addr),
			    ntohl(sin.sin_addr.s_addr), pw->pi->cookie,
			    &ev) == 0)
				pi_event(pw, &ev, now);
		}
	}
}

/* pi_receive -- read and act on everything the socket holds, in batches */
static void
pi_receive(struct pi_worker *pw, uint64_t now)
{
	uint8_t pkt[1500];
	union {
		struct cmsghdr align;
		uint8_t buf[256];
	} ctl;
	struct sockaddr_in sin;
	struct iovec iov;
	struct msghdr msg;
	struct icmp_event ev;
	int rounds, rc;

	for (rounds = 0; rounds < PI_RECV_BATCH; rounds++) {
		ssize_t got;

		pi_msg(&msg, &iov, pkt, sizeof(pkt), &sin, ctl.buf,
		    sizeof(ctl.buf));
		got = recvmsg(pw->fd, &msg, MSG_DONTWAIT);
		if (got < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			/* A pending socket error (IP_RECVERR): read the queue. */
			pi_errqueue(pw, now);
			continue;
		}
		pi_overflow(pw, &msg, now);
		if (pw->pi->kind == PROBE_ICMP_RAW)
			rc = icmp_parse_ip(pkt, (size_t)got, pw->pi->cookie, 1,
			    pw->id, &ev);
		else
			rc = icmp_parse_icmp(pkt, (size_t)got,
			    ntohl(sin.sin_addr.s_addr), pw->pi->cookie, &ev);
		if (rc == 0)
			pi_event(pw, &ev, now);
	}
}

/* pi_is_arp -- 1 when JOB is probed with ARP */
static int
pi_is_arp(const struct pi_worker *pw, uint32_t job)
{
	const struct probe_icmp *pi = pw->pi;

	return pw->arp_fd >= 0 && pi->onlink != NULL && pi->onlink[job] != 0 &&
	    pi->ifaces[pi->onlink[job] - 1].ifindex != 0;
}

/*
 * pi_arp_receive -- read ARP packets: any packet whose sender is one of
 * our on-link targets proves that address in use (a reply to our request,
 * to the kernel's, or the host's own request).  A second, different MAC
 * for the same address is an address conflict, reported once.
 */
static void
pi_arp_receive(struct pi_worker *pw, uint64_t now)
{
	const struct probe_icmp *pi = pw->pi;
	uint8_t buf[128];
	int rounds;

	if (pw->arp_fd < 0)
		return;
	for (rounds = 0; rounds < PI_RECV_BATCH; rounds++) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		struct arp_packet ap;
		ssize_t got;
		long job;

		got = recvfrom(pw->arp_fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&sll, &sl);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (sll.sll_pkttype == PACKET_OUTGOING ||
		    arp_parse(buf, (size_t)got, &ap) < 0)
			continue;
		job = pi_find(pi, ap.spa);
		if (job < 0 || !pi_is_arp(pw, (uint32_t)job))
			continue;
		if (pw->mac != NULL) {
			uint8_t *m = pw->mac + (size_t)job * 6;
			static const uint8_t zero[6];

			if (memcmp(m, zero, 6) == 0) {
				memcpy(m, ap.sha, 6);
			} else if (memcmp(m, ap.sha, 6) != 0 &&
			    !(pw->flags[job] & PI_OTHER)) {
				struct record r;
				uint32_t w4[4];

				pw->flags[job] |= PI_OTHER;
				arp_pack_macs(m, ap.sha, w4);
				memset(&r, 0, sizeof(r));
				r.type = RECORD_CONFLICT;
				r.job = (uint32_t)job;
				r.count = w4[0];
				r.rtt_us = w4[1];
				r.aux = w4[2];
				r.aux2 = w4[3];
				pi_say(pw, &r);
			}
		}
		if (!(pw->flags[job] & PI_USED)) {
			pw->replies++;
			pi_used(pw, (uint32_t)job, pw->first_ns[job], now,
			    REASON_ARP_REPLY);
		}
	}
}

/*
 * pi_gap_ns -- how long after a probe the next one to a silent address
 * goes out.  RETRY_MS until a reply is seen; then four times the slowest
 * round trip seen, at least PI_GAP_MIN_NS and at most RETRY_MS.  It only
 * moves the next probe earlier: every probe is still listened to until the
 * address is decided, at least a whole timeout after the last probe.
 */
static uint64_t
pi_gap_ns(const struct pi_worker *pw)
{
	uint64_t gap = (uint64_t)pw->pi->retry_ms * MONO_NS_PER_MS;
	uint64_t fit = pw->rtt_max_ns * 4;

	if (pw->rtt_max_ns == 0)
		return gap;
	if (fit < PI_GAP_MIN_NS)
		fit = PI_GAP_MIN_NS;
	return fit < gap ? fit : gap;
}

/* pi_sent -- book a probe of JOB that went out at NOW */
static void
pi_sent(struct pi_worker *pw, uint32_t job, uint64_t now, unsigned limit)
{
	pw->fail_since = 0;
	pw->probes++;
	if (pw->sent[job] == 0)
		pw->first_ns[job] = now;
	pw->sent[job]++;
	pw->flags[job] |= PI_QUEUED;
	if (pw->sent[job] < limit)
		pi_ring_push(&pw->retry, job, now);
	else
		pi_ring_push(&pw->final, job,
		    now + pw->pi->timeout_ms * MONO_NS_PER_MS);
}

/*
 * pi_send_fail -- a send of JOB failed with E: 1 to try again a little
 * later (a full queue somewhere: ENOBUFS and friends, for up to
 * PI_SEND_GIVEUP_NS), 0 when the job was given up as unknown.
 * Everything else (EACCES for a broadcast address without SO_BROADCAST,
 * ENETUNREACH without a route, EPERM from a local firewall) decides it.
 */
static int
pi_send_fail(struct pi_worker *pw, uint32_t job, int e, uint64_t now)
{
	if (e == ENOBUFS || e == EAGAIN || e == EINTR) {
		if (pw->fail_since == 0)
			pw->fail_since = now;
		if (now - pw->fail_since < PI_SEND_GIVEUP_NS)
			return 1;
	}
	pw->fail_since = 0;
	pw->flags[job] |= PI_DONE;
	pw->decided++;
	pi_result(pw, job, REASON_SEND_ERROR, 0, (uint32_t)e);
	return 0;
}

/*
 * pi_send_arp -- an ARP request for on-link JOB, broadcast on its
 * interface from our address there.  Returns as pi_send_one.
 */
static int
pi_send_arp(struct pi_worker *pw, uint32_t job, uint64_t now, unsigned limit)
{
	const struct probe_icmp *pi = pw->pi;
	const struct probe_iface *ifc = &pi->ifaces[pi->onlink[job] - 1];
	struct sockaddr_ll sll;
	uint8_t pkt[ARP_LEN];

	arp_build_request(pkt, sizeof(pkt), ifc->mac, ifc->addr,
	    pi->addrs[job]);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = ifc->ifindex;
	sll.sll_halen = 6;
	memset(sll.sll_addr, 0xff, 6);
	if (sendto(pw->arp_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sll,
	    sizeof(sll)) < 0)
		return pi_send_fail(pw, job, errno, now);
	pi_sent(pw, job, now, limit);
	return 0;
}

/*
 * pi_send_one -- send the next probe of JOB.  Returns 0 when it went out
 * (or the job was given up as unknown), 1 when it should be retried a
 * little later (ENOBUFS and friends: a full queue somewhere), -1 when
 * nothing may go out now (every sequence number is still in use).
 */
static int
pi_send_one(struct pi_worker *pw, uint32_t job, uint64_t now)
{
	struct probe_icmp *pi = pw->pi;
	struct icmp_probe p;
	struct sockaddr_in sin;
	struct pi_seq *s = &pw->seq[pw->next_seq];
	uint8_t pkt[ICMP_ECHO_LEN];
	unsigned limit = (pw->limit[job] ? pw->limit[job] : pi->count) +
	    ((pw->flags[job] & PI_REPROBE) ? 1 : 0);

	if (pi_is_arp(pw, job))
		return pi_send_arp(pw, job, now, limit);
	/* Never reuse a sequence number while an answer to it may come. */
	if (s->sent_ns != 0 && now - s->sent_ns < pw->hold_ns)
		return -1;
	memset(&p, 0, sizeof(p));
	p.id = pw->id;
	p.seq = pw->next_seq;
	p.cookie = pi->cookie;
	p.job = job;
	p.dst = pi->addrs[job];
	p.probe = pw->sent[job];
	p.sent_ns = now;
	icmp_build_echo(pkt, sizeof(pkt), &p);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(pi->addrs[job]);
	if (sendto(pw->fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sin,
	    sizeof(sin)) < 0)
		return pi_send_fail(pw, job, errno, now);
	s->job = job;
	s->sent_ns = now;
	pw->next_seq++;
	if (pw->sent[job] == 0 && pi->onlink != NULL && pi->onlink[job])
		pi_ring_push(&pw->onlink, job,
		    now + pi->onlink_hold_ms * MONO_NS_PER_MS);
	pi_sent(pw, job, now, limit);
	return 0;
}

/* pi_cmp_neigh -- qsort and bsearch order for neighbour entries */
static int
pi_cmp_neigh(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a >> 1, y = *(const uint64_t *)b >> 1;

	return x < y ? -1 : x > y;
}

/* pi_neigh_add -- remember A, KNOWN when it has a link-layer address */
static int
pi_neigh_add(struct pi_worker *pw, uint32_t a, int known)
{
	if (pw->n_neigh == pw->cap_neigh) {
		size_t cap = pw->cap_neigh ? pw->cap_neigh * 2 : 256;
		uint64_t *p = realloc(pw->neigh, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		pw->neigh = p;
		pw->cap_neigh = cap;
	}
	pw->neigh[pw->n_neigh++] = (uint64_t)a << 1 | (known != 0);
	return 0;
}

/*
 * pi_neigh_load -- read the kernel's IPv4 neighbour table (an RTM_GETNEIGH
 * dump) and keep the addresses whose link-layer address is known: they
 * answered ARP lately (REACHABLE, DELAY, PROBE, STALE) or are PERMANENT.
 * Returns 0, or -1 when the table cannot be read.
 */
static int
pi_neigh_load(struct pi_worker *pw)
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
	} req;
	char buf[16384];
	int done = 0;

	if (pw->nl < 0)
		pw->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_ROUTE);
	if (pw->nl < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNEIGH;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = ++pw->nl_seq;
	req.nd.ndm_family = AF_INET;
	if (send(pw->nl, &req, sizeof(req), 0) < 0)
		return -1;
	pw->n_neigh = 0;
	while (!done) {
		ssize_t got = recv(pw->nl, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;
		size_t left;

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		left = (size_t)got;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		    nh = NLMSG_NEXT(nh, left)) {
			struct ndmsg *nd = NLMSG_DATA(nh);
			struct rtattr *rta;
			int rlen, lladdr = 0;
			uint32_t dst = 0;
			int have_dst = 0;

			if (nh->nlmsg_seq != pw->nl_seq)
				continue;
			if (nh->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (nh->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (nh->nlmsg_type != RTM_NEWNEIGH)
				continue;
			rlen = (int)RTM_PAYLOAD(nh);
			for (rta = RTM_RTA(nd); RTA_OK(rta, rlen);
			    rta = RTA_NEXT(rta, rlen)) {
				if (rta->rta_type == NDA_DST &&
				    RTA_PAYLOAD(rta) == 4) {
					memcpy(&dst, RTA_DATA(rta), 4);
					have_dst = 1;
				} else if (rta->rta_type == NDA_LLADDR &&
				    RTA_PAYLOAD(rta) > 0)
					lladdr = 1;
			}
			if (have_dst && pi_neigh_add(pw, ntohl(dst),
			    (nd->ndm_state & NUD_PERMANENT) || (lladdr &&
			    (nd->ndm_state & (NUD_REACHABLE | NUD_STALE |
			    NUD_DELAY | NUD_PROBE)))) < 0)
				return -1;
		}
	}
	qsort(pw->neigh, pw->n_neigh, sizeof(*pw->neigh), pi_cmp_neigh);
	return 0;
}

/*
 * pi_neigh_state -- what the neighbour table, read at most
 * PI_NEIGH_AGE_NS ago, says of on-link address A: 2 it has a link-layer
 * address (it answered ARP), 1 it has an entry without one (the kernel
 * asked and got no answer), 0 no entry at all (our probe may never have
 * been sent), -1 the table cannot be read.
 */
static int
pi_neigh_state(struct pi_worker *pw, uint32_t a, uint64_t now)
{
	uint64_t key = (uint64_t)a << 1;
	const uint64_t *e;

	if (pw->neigh_ns == 0 || now - pw->neigh_ns > PI_NEIGH_AGE_NS) {
		if (pi_neigh_load(pw) < 0)
			return -1;
		pw->neigh_ns = now;
	}
	e = bsearch(&key, pw->neigh, pw->n_neigh, sizeof(key), pi_cmp_neigh);
	return e == NULL ? 0 : (*e & 1) ? 2 : 1;
}

/*
 * pi_needed -- how many probes a silent address needs before it may be
 * called free, from the loss this worker has seen: a live address stays
 * silent through k probes with probability p^k (p: the share of probes
 * that answering addresses left unanswered), and with a share q of
 * addresses alive, n * q * p^k live addresses of N would be printed free.
 * The smallest k that keeps that under FALSE_FREE_MAX, between COUNT and
 * MAX_COUNT.  No loss seen: COUNT.
 */
static unsigned
pi_needed(const struct pi_worker *pw)
{
	const struct probe_icmp *pi = pw->pi;
	double p, q, expect;
	unsigned k = pi->count;

	if (pw->misses == 0 || pw->hits == 0 || pi->max_count <= pi->count)
		return k;
	p = (double)pw->misses / (double)(pw->misses + pw->hits);
	q = pw->decided > 0 ? (double)pw->hits / (double)pw->decided : 1.0;
	if (q > 1.0)
		q = 1.0;
	expect = (double)pi->n * q;
	for (; k < pi->max_count; k++) {
		double pk = 1.0;
		unsigned i;

		for (i = 0; i < k; i++)
			pk *= p;
		if (expect * pk <= pi->false_free_max)
			break;
	}
	return k;
}

/*
 * pi_timers -- move due jobs on: after a retry gap a silent job goes to
 * the send queue; after its last probe's wait it is free, unless replies
 * may have been dropped by our own socket meanwhile (then one more probe,
 * and unknown if that happens again).
 */
static void
pi_timers(struct pi_worker *pw, uint64_t now)
{
	const struct probe_icmp *pi = pw->pi;
	uint32_t job;

	uint64_t gap = pi_gap_ns(pw);

	while (pi_ring_due(&pw->retry, now > gap ? now - gap : 0)) {
		job = pi_ring_pop(&pw->retry);
		if (!(pw->flags[job] & PI_DONE))
			pi_ring_push(&pw->resend, job, 0);
	}
	if (pi_ring_due(&pw->final, now))
		pi_drop_check(pw, now);
	while (pi_ring_due(&pw->final, now)) {
		job = pi_ring_pop(&pw->final);
		if (pw->flags[job] & PI_DONE)
			continue;
		if (pw->drop_ns != 0 && pw->drop_ns >= pw->first_ns[job]) {
			if (!(pw->flags[job] & PI_REPROBE)) {
				pw->flags[job] |= PI_REPROBE;
				/* only drops after this probe count again */
				pw->first_ns[job] = now;
				pi_ring_push(&pw->resend, job, 0);
				continue;
			}
			pw->flags[job] |= PI_DONE;
			pi_result(pw, job,
			    REASON_RCVBUF_OVERFLOW, 0, 0);
			continue;
		}
		/* Loss seen: more probes before "free" (loss-aware). */
		if (pw->sent[job] < pi->max_count) {
			unsigned need = pi_needed(pw);

			if (need > pw->sent[job]) {
				pw->limit[job] = (uint8_t)need;
				pi_ring_push(&pw->resend, job, 0);
				continue;
			}
		}
		/*
		 * On a connected subnet our probes made the kernel ask ARP:
		 * a host that answered it is there, whatever it does with
		 * echo requests (used).  No entry at all: the probe may never
		 * have left (a full table): one more, then unknown.  If the
		 * table cannot be read, nothing can be ruled out: unknown.
		 */
		if (pi->onlink != NULL && pi->onlink[job] && !pi_is_arp(pw, job)) {
			int st = pi_neigh_state(pw, pi->addrs[job], now);

			if (st == 0 && !(pw->flags[job] & PI_REPROBE)) {
				pw->flags[job] |= PI_REPROBE;
				pi_ring_push(&pw->resend, job, 0);
				continue;
			}
			if (st != 1) {
				pw->decided++;
				pw->flags[job] |= PI_DONE;
				pi_result(pw, job, st == 2 ? REASON_ARP_REPLY :
				    st == 0 ? REASON_NO_NEIGH :
				    REASON_NEIGH_UNREADABLE, 0, 0);
				continue;
			}
		}
		if (pw->sent[job] > pw->most)
			pw->most = pw->sent[job];
		pw->decided++;
		pw->flags[job] |= PI_DONE;
		pi_result(pw, job, (pw->flags[job] & PI_UNREACH) ?
		    REASON_HOST_UNREACH : REASON_NO_REPLY, 0, 0);
	}
	while (pi_ring_due(&pw->onlink, now))
		pi_ring_pop(&pw->onlink);
}

/* pi_refill -- add tokens for the time passed, up to a small burst */
static void
pi_refill(struct pi_worker *pw, uint64_t now)
{
	double rate = pw->pi->rate_pps * pw->pace;
	double burst = rate / 500.0;   /* 2 ms worth */

	if (burst < 4)
		burst = 4;
	/* regain the pace: doubled after a second without drops */
	if (pw->pace < 1.0 && now > pw->drop_ns + PI_PACE_CALM_NS) {
		pw->pace *= 1.0 + (double)(now - pw->tokens_ns) / 1e9;
		if (pw->pace > 1.0)
			pw->pace = 1.0;
	}
	pw->tokens += (double)(now - pw->tokens_ns) * rate / 1e9;
	if (pw->tokens > burst)
		pw->tokens = burst;
	pw->tokens_ns = now;
}

/*
 * pi_send -- send what is due while the rate allows: probes that are due
 * again first, then new jobs.  A new on-link job waits while too many
 * first probes to on-link addresses may still be resolving: the kernel's
 * neighbour table holds about gc_thresh3 (1024) entries and silently drops
 * probes to new neighbours beyond that.
 */
static void
pi_send(struct pi_worker *pw, uint64_t now)
{
	struct probe_icmp *pi = pw->pi;

	if (now < pw->backoff_until)
		return;
	pi_refill(pw, now);
	while (pw->tokens >= 1.0) {
		struct pi_ring *q;
		uint32_t job;
		int rc;

		if (pw->resend.len > 0) {
			q = &pw->resend;
		} else if (pw->fresh.len > 0) {
			q = &pw->fresh;
			job = q->job[q->head];
			if (pi->onlink != NULL && pi->onlink[job] &&
			    pw->arp_fd < 0 && pw->onlink.len >= pi->onlink_max)
				return;
		} else {
			return;
		}
		job = q->job[q->head];
		if (pw->flags[job] & PI_DONE) {
			pi_ring_pop(q);
			continue;
		}
		rc = pi_send_one(pw, job, now);
		if (rc < 0)
			return;
		if (rc > 0) {
			pw->backoff_until = now + PI_SEND_RETRY_NS;
			return;
		}
		pi_ring_pop(q);
		pw->tokens -= 1.0;
	}
}

/* pi_take_jobs -- queue what the parent sent */
static void
pi_take_jobs(struct pi_worker *pw)
{
	uint32_t first, count, j;
	int rc;

	while ((rc = pool_worker_jobs(pw->w, &first, &count)) == 1) {
		for (j = first; j < first + count && j < pw->pi->n; j++) {
			if (pw->flags[j] & PI_DONE)
				continue;
			if (pi_ring_push(&pw->fresh, j, 0) < 0)
				_exit(1);   /* the parent reassigns our jobs */
		}
	}
	if (rc < 0)
		pw->parent_done = 1;
}

/* pi_next_wake -- nanoseconds until something is due, at most LIMIT */
static uint64_t
pi_next_wake(const struct pi_worker *pw, uint64_t now, uint64_t limit)
{
	const struct pi_ring *rings[] = { &pw->retry, &pw->final, &pw->onlink };
	uint64_t wake = limit;
	size_t i;

	for (i = 0; i < 3; i++) {
		const struct pi_ring *r = rings[i];

		if (r->len > 0) {
			uint64_t due = r->due[r->head] +
			    (r == &pw->retry ? pi_gap_ns(pw) : 0);
			uint64_t d = due > now ? due - now : 0;

			if (d < wake)
				wake = d;
		}
	}
	if (pw->resend.len > 0 || pw->fresh.len > 0) {
		uint64_t d = 0;

		/*
		 * At high rates wake once per half millisecond and send a
		 * small burst: a wake-up per packet costs more syscalls than
		 * the packet itself.
		 */
		if (pw->tokens < 1.0)
			d = (uint64_t)((1.0 - pw->tokens) * 1e9 /
			    (pw->pi->rate_pps * pw->pace)) + 1;
		if (d > 0 && d < PI_MIN_SLEEP_NS)
			d = PI_MIN_SLEEP_NS;
		if (pw->backoff_until > now && pw->backoff_until - now > d)
			d = pw->backoff_until - now;
		/* blocked on on-link room or sequence numbers: poll again */
		if (d == 0)
			d = MONO_NS_PER_MS;
		if (d < wake)
			wake = d;
	}
	return wake;
}

/* pi_stats -- tell the parent our counters before we go */
static void
pi_stats(struct pi_worker *pw)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_STATS;
	r.count = (uint32_t)pw->probes;
	r.job = (uint32_t)pw->hits;
	r.rtt_us = (uint32_t)pw->misses;
	r.probes = (uint8_t)pw->most;
	r.aux = (uint32_t)pw->replies;
	r.aux2 = (uint32_t)pw->drops;
	pi_say(pw, &r);
}

int
probe_icmp_run(void *ctx, unsigned slot, struct pool_worker *w)
{
	struct probe_icmp *pi = ctx;
	struct pi_worker pw;
	struct pollfd pfd[3];
	uint64_t now;

	memset(&pw, 0, sizeof(pw));
	pw.pi = pi;
	pw.w = w;
	pw.fd = pi->fds[slot];
	pw.id = pi->ids[slot];
	pw.arp_fd = pi->arp_fds != NULL && pi->onlink != NULL ?
	    pi->arp_fds[slot] : -1;
	/* conflict detection needs a MAC per job: for up to a /12 */
	if (pw.arp_fd >= 0 && pi->n <= (1u << 20))
		pw.mac = calloc(pi->n ? pi->n : 1, 6);
	pw.sent = calloc(pi->n ? pi->n : 1, 1);
	pw.flags = calloc(pi->n ? pi->n : 1, 1);
	pw.first_ns = calloc(pi->n ? pi->n : 1, sizeof(*pw.first_ns));
	pw.limit = calloc(pi->n ? pi->n : 1, 1);
	pw.seq = calloc(65536, sizeof(*pw.seq));
	if (pw.sent == NULL || pw.flags == NULL || pw.first_ns == NULL ||
	    pw.seq == NULL || pw.limit == NULL)
		return 1;
	/*
	 * A sequence number is not reused within a timeout: an ICMP error
	 * that quotes too little to hold our payload is matched through it
	 * (and through the quoted destination, so even a stale match cannot
	 * land on another address).  Longer would cap a worker's rate at
	 * 65536 probes per hold.
	 */
	pw.hold_ns = (uint64_t)pi->timeout_ms * MONO_NS_PER_MS;
	now = mono_now_ns();
	pw.tokens_ns = now;
	pw.said_ns = now;
	pw.nl = -1;
	pw.pace = 1.0;
	/* the first round reads everything; later ones what ppoll named */
	pfd[0].revents = pfd[1].revents = pfd[2].revents = POLLIN;
	while (!pw.parent_done) {
		struct timespec ts;
		uint64_t wake;

		if (pfd[1].revents != 0)
			pi_take_jobs(&pw);
		if (pw.parent_done)
			break;
		now = mono_now_ns();
		if (pfd[0].revents & POLLERR)
			pi_errqueue(&pw, now);
		if (pfd[0].revents & POLLIN)
			pi_receive(&pw, now);
		if (pfd[2].revents != 0)
			pi_arp_receive(&pw, now);
		pi_timers(&pw, now);
		pi_send(&pw, now);
		if (now - pw.said_ns >= PI_HEARTBEAT_NS) {
			struct record r;

			/* Proof of life, and the probe count for progress. */
			memset(&r, 0, sizeof(r));
			r.type = RECORD_HEARTBEAT;
			r.count = (uint32_t)pw.probes;
			pi_say(&pw, &r);
		}
		wake = pi_next_wake(&pw, now, PI_HEARTBEAT_NS);
		ts.tv_sec = (time_t)(wake / 1000000000ull);
		ts.tv_nsec = (long)(wake % 1000000000ull);
		pfd[0].fd = pw.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = pool_worker_fd(w);
		pfd[1].events = POLLIN;
		pfd[2].fd = pw.arp_fd;   /* -1: ignored by poll */
		pfd[2].events = POLLIN;
		if (ppoll(pfd, 3, &ts, NULL) <= 0)
			pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
	}
	/* The run is over: report what already arrived, then leave. */
	pi_receive(&pw, mono_now_ns());
	pi_arp_receive(&pw, mono_now_ns());
	pi_errqueue(&pw, mono_now_ns());
	pi_stats(&pw);
	free(pw.mac);
	free(pw.sent);
	free(pw.flags);
	free(pw.first_ns);
	free(pw.limit);
	free(pw.seq);
	free(pw.neigh);
	if (pw.nl >= 0)
		close(pw.nl);
	pi_ring_free(&pw.fresh);
	pi_ring_free(&pw.resend);
	pi_ring_free(&pw.retry);
	pi_ring_free(&pw.final);
	pi_ring_free(&pw.onlink);
	return 0;
}
