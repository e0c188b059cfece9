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

#endif
