/* pisock.h - the native engine's sockets: ICMP, ARP, and their counters */
#ifndef IPSWEEP_PISOCK_H
#define IPSWEEP_PISOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* The receive buffer asked for when the caller gives none. */
#define PISOCK_RCVBUF (4 << 20)

/*
 * pisock_icmp -- one non-blocking ICMP socket: raw when RAW (root or
 * CAP_NET_RAW; with a filter that passes only echo replies carrying ID
 * and ICMP errors), else datagram (net.ipv4.ping_group_range).  RCVBUF is
 * the receive buffer in bytes, 0 for PISOCK_RCVBUF.  Returns the
 * descriptor, or -1 with errno.
 */
int pisock_icmp(int raw, uint16_t id, int rcvbuf);

/*
 * pisock_icmp_ids -- the same, a raw socket's filter passing echo replies
 * with any of the NIDS ids from ID (NIDS a power of two, ID a multiple of
 * it): more sequence numbers for one worker.
 */
int pisock_icmp_ids(int raw, uint16_t id, unsigned nids, int rcvbuf);

/*
 * pisock_arp -- one non-blocking AF_PACKET socket that receives every ARP
 * packet (needs CAP_NET_RAW), its own requests excepted.  RCVBUF as for
 * pisock_icmp.  Returns the descriptor, or -1 with errno.
 */
int pisock_arp(int rcvbuf);

/* pisock_msg -- a recvmsg header for one buffer, the sender and control */
void pisock_msg(struct msghdr *msg, struct iovec *iov, void *buf,
    size_t len, struct sockaddr_in *sin, void *ctl, size_t ctllen);

/*
 * pisock_rxq_ovfl -- the SO_RXQ_OVFL count a received message carries:
 * the socket's drop counter when the message was queued.  Returns 1 and
 * sets *COUNT when there is one, 0 otherwise.
 */
int pisock_rxq_ovfl(struct msghdr *msg, uint32_t *count);

/*
 * pisock_meminfo_drops -- the drop counter of socket FD (SO_MEMINFO), the
 * same counter SO_RXQ_OVFL samples, read now.  0, or -1.
 */
int pisock_meminfo_drops(int fd, uint32_t *drops);

/*
 * pisock_packet_drops -- the packets AF_PACKET socket FD dropped since
 * the last call (PACKET_STATISTICS; reading resets it).  0, or -1.
 */
int pisock_packet_drops(int fd, uint32_t *drops);

/*
 * Two views of a socket's one drop counter, each against its own
 * baseline: SO_RXQ_OVFL samples it when a message is queued (so a message
 * read now may carry a value older than SO_MEMINFO's), SO_MEMINFO reads
 * it now.  Each view only moves forward; comparing one with the other's
 * last value made the difference negative (a huge unsigned one).
 */
struct pisock_drops {
	uint32_t rxq_seen;    /* last SO_RXQ_OVFL value */
	uint32_t mem_seen;    /* last SO_MEMINFO value */
	uint64_t rxq_total;   /* drops seen through each view */
	uint64_t mem_total;
};

/*
 * pisock_drops_init -- start both views from MEM, the SO_MEMINFO value
 * now: drops before (a dead predecessor's, on an inherited socket) are
 * not ours.
 */
void pisock_drops_init(struct pisock_drops *d, uint32_t mem);

/*
 * pisock_drops_rxq, pisock_drops_mem -- a new value V of one view;
 * returns the drops it shows since that view's last value (a 32-bit
 * difference: the counter may wrap); an SO_RXQ_OVFL sample older than
 * the baseline shows none.  Pure.
 */
uint32_t pisock_drops_rxq(struct pisock_drops *d, uint32_t v);
uint32_t pisock_drops_mem(struct pisock_drops *d, uint32_t v);

/* pisock_drops_total -- the drops seen: the larger of the two views */
uint64_t pisock_drops_total(const struct pisock_drops *d);

#endif
