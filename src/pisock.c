/* pisock.c - open the native engine's sockets and read their counters */
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pisock.h"

/*
 * pisock_filter -- attach a classic BPF program to raw socket FD so that
 * the kernel wakes this worker only for echo replies carrying one of the
 * NIDS ids from ID (NIDS a power of two, ID a multiple of it) and for
 * ICMP errors (which quote someone's probe; the decoder checks whose).
 * Every raw ICMP socket gets a copy of every ICMP packet, so without it
 * each worker would wake for all the others' replies.
 */
static int
pisock_filter(int fd, uint16_t id, unsigned nids)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffffu & ~(nids - 1)),
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
 * pisock_rcvbuf -- a receive buffer of SIZE bytes: SO_RCVBUFFORCE works
 * for root only, so fall back to SO_RCVBUF, which the kernel caps at
 * rmem_max.
 */
static void
pisock_rcvbuf(int fd, int size)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/*
 * pisock_icmp -- besides the buffers: drop counting, and IP_RECVERR so
 * that ICMP errors reach a datagram socket at all and ENOBUFS is reported
 * instead of swallowed (raw_sendmsg returns 0 for ENOBUFS without it).
 */
int
pisock_icmp(int raw, uint16_t id, int rcvbuf)
{
	return pisock_icmp_ids(raw, id, 1, rcvbuf);
}

int
pisock_icmp_ids(int raw, uint16_t id, unsigned nids, int rcvbuf)
{
	int one = 1, size = PISOCK_RCVBUF, df = IP_PMTUDISC_DO, fd;

	fd = socket(AF_INET, (raw ? SOCK_RAW : SOCK_DGRAM) | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, IPPROTO_ICMP);
	if (fd < 0)
		return -1;
	pisock_rcvbuf(fd, rcvbuf > 0 ? rcvbuf : PISOCK_RCVBUF);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size,
	    sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	/* Don't fragment: an echo request is far below any MTU, and a DF
	   packet gets IP id 0 instead of one from the kernel's shared id
	   generator, some 4% of the sending at a million a second. */
	setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &df, sizeof(df));
	if (raw && pisock_filter(fd, id, nids ? nids : 1) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
pisock_arp(int rcvbuf)
{
	int one = 1, fd;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    htons(ETH_P_ARP));
	if (fd < 0)
		return -1;
	/* Our own requests would wake every worker: not wanted. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	pisock_rcvbuf(fd, rcvbuf > 0 ? rcvbuf : PISOCK_RCVBUF);
	return fd;
}

void
pisock_msg(struct msghdr *msg, struct iovec *iov, void *buf, size_t len,
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

int
pisock_rxq_ovfl(struct msghdr *msg, uint32_t *count)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SO_RXQ_OVFL)
			continue;
		memcpy(count, CMSG_DATA(cm), sizeof(*count));
		return 1;
	}
	return 0;
}

/*
 * pisock_meminfo_drops -- datagram ICMP sockets never attach SO_RXQ_OVFL
 * to what they return (ping_recvmsg does not call sock_recv_cmsgs), so
 * the counter has to be read directly.
 */
int
pisock_meminfo_drops(int fd, uint32_t *drops)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
	    len <= SK_MEMINFO_DROPS * sizeof(mem[0]))
		return -1;
	*drops = mem[SK_MEMINFO_DROPS];
	return 0;
}

int
pisock_packet_drops(int fd, uint32_t *drops)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
		return -1;
	*drops = st.tp_drops;
	return 0;
}

void
pisock_drops_init(struct pisock_drops *d, uint32_t mem)
{
	memset(d, 0, sizeof(*d));
	d->mem_seen = mem;
	d->rxq_seen = mem;
}

/*
 * pisock_drops_rxq -- messages are read in the order they were queued,
 * so their samples never go back, except those queued before the start:
 * they are older than the baseline, and show nothing new.  A difference
 * of 2^31 or more is taken for such an older sample (as serial numbers
 * compare: the counter cannot really move that far between two reads).
 */
uint32_t
pisock_drops_rxq(struct pisock_drops *d, uint32_t v)
{
	uint32_t n = v - d->rxq_seen;

	if (n == 0 || n >= UINT32_C(0x80000000))
		return 0;
	d->rxq_seen = v;
	d->rxq_total += n;
	return n;
}

uint32_t
pisock_drops_mem(struct pisock_drops *d, uint32_t v)
{
	uint32_t n = v - d->mem_seen;

	d->mem_seen = v;
	d->mem_total += n;
	return n;
}

uint64_t
pisock_drops_total(const struct pisock_drops *d)
{
	return d->mem_total > d->rxq_total ? d->mem_total : d->rxq_total;
}
