/*
 * rawsend.c - the bench's yardstick, not part of ipsweep: COUNT rounds of
 * one ICMP echo request to every host address of a prefix, as fast as the
 * kernel takes them (sendmmsg, 64 at a time, DF set as ipsweep does),
 * replies read in between (recvmmsg); then WAIT_MS of listening.  -P N
 * splits the prefix among N processes, a raw socket each, as ipsweep
 * splits it among its workers (the sending is the kernel's work on the
 * sender's core).  Prints the addresses that answered on stdout, one a
 * line, and on stderr how long the sending took.  No pacing, no retries,
 * no loss handling: what the lab takes from N processes, the physical
 * limit the ipsweep rows are read against.
 *
 * -m IFNAME,GWMAC sends through a PACKET_MMAP TX ring on IFNAME instead,
 * whole Ethernet frames to the gateway's MAC: no route lookup, no IP
 * output path, no socket buffer per packet (the replies still come to a
 * raw ICMP socket).  It measures what a TX ring would win over sendmmsg.
 *
 * usage: rawsend [-n COUNT] [-w WAIT_MS] [-P PROCS] [-m IFNAME,GWMAC]
 *        A.B.C.D/LEN    (CAP_NET_RAW)
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define PKT   16     /* echo header and 8 bytes of payload */

static uint8_t *seen;    /* host index -> answered, shared by the senders */
static uint32_t base, size;
static uint16_t ident;
static unsigned long replies;

/* -m: the TX ring's interface and next hop */
static char ring_if[IF_NAMESIZE];
static uint8_t ring_gw[6];

/* What each sender did, shared with the parent. */
struct share {
	unsigned long sent, errors, replies;
	double t0, t1;      /* when its sending began and ended */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint16_t
cksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)(b[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

/* drain -- read every reply waiting (FLAGS 0: block for the first) */
static void
drain(int fd, int flags)
{
	static uint8_t buf[BATCH][128];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	int i, r;

	for (;;) {
		memset(m, 0, sizeof(m));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		r = recvmmsg(fd, m, BATCH, MSG_DONTWAIT | flags, NULL);
		if (r <= 0)
			return;
		for (i = 0; i < r; i++) {
			const struct ip *ip = (const void *)buf[i];
			const struct icmp *ic;
			uint32_t src;
			size_t hl;

			if (m[i].msg_len < sizeof(*ip))
				continue;
			hl = (size_t)ip->ip_hl * 4;
			if (m[i].msg_len < hl + 8)
				continue;
			ic = (const void *)(buf[i] + hl);
			if (ic->icmp_type != ICMP_ECHOREPLY ||
			    ic->icmp_id != htons(ident))
				continue;
			src = ntohl(ip->ip_src.s_addr);
			if (src - base < size && !seen[src - base]) {
				seen[src - base] = 1;
				replies++;
			}
		}
	}
}

/*
 * finish -- the sending is over: its end into *SH, then WAIT_S of reading
 * replies from FD, and what was sent and answered into *SH
 */
static void
finish(int fd, double wait_s, unsigned long sent, struct share *sh)
{
	double end;

	sh->t1 = now_s();
	for (end = sh->t1 + wait_s; now_s() < end; ) {
		struct pollfd p = { fd, POLLIN, 0 };
		int ms = (int)((end - now_s()) * 1000) + 1;

		if (poll(&p, 1, ms) > 0)
			drain(fd, 0);
	}
	sh->sent = sent;
	sh->replies = replies;
}

/*
 * sender -- COUNT rounds to FIRST..LAST from a raw socket of its own,
 * then WAIT_S of listening; what it did into *SH.  Returns 0 or 1.
 */
static int
sender(uint32_t first, uint32_t last, int count, double wait_s,
    struct share *sh)
{
	static uint8_t pkt[BATCH][PKT];
	struct sockaddr_in to[BATCH];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	unsigned long sent = 0, errors = 0;
	uint32_t a;
	int fd, buf = 64 << 20, df = IP_PMTUDISC_DO, i, b, round;

	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) < 0) {
		perror("rawsend: socket");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &df, sizeof(df));
	ident = (uint16_t)getpid();
	memset(m, 0, sizeof(m));
	for (i = 0; i < BATCH; i++) {
		struct icmp *ic = (void *)pkt[i];

		memset(pkt[i], 0, PKT);
		ic->icmp_type = ICMP_ECHO;
		ic->icmp_id = htons(ident);
		iov[i].iov_base = pkt[i];
		iov[i].iov_len = PKT;
		to[i].sin_family = AF_INET;
		m[i].msg_hdr.msg_name = &to[i];
		m[i].msg_hdr.msg_namelen = sizeof(to[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	sh->t0 = now_s();
	for (round = 0; round < count && first <= last; round++) {
		for (a = first; a <= last && a >= first; ) {
			int r;

			for (b = 0; b < BATCH && a + (uint32_t)b <= last &&
			    a + (uint32_t)b >= first; b++) {
				struct icmp *ic = (void *)pkt[b];
				uint32_t to_a = a + (uint32_t)b;

				ic->icmp_seq = htons((uint16_t)to_a);
				ic->icmp_cksum = 0;
				ic->icmp_cksum = cksum(pkt[b], PKT);
				to[b].sin_addr.s_addr = htonl(to_a);
			}
			r = sendmmsg(fd, m, (unsigned)b, 0);
			if (r < 0) {
				if (errno == ENOBUFS || errno == EAGAIN ||
				    errno == EINTR) {
					drain(fd, 0);
					poll(NULL, 0, 1);
					continue;
				}
				/* this one cannot go: skip it */
				errors++;
				r = 1;
			} else {
				sent += (unsigned long)r;
			}
			a += (uint32_t)r;
			drain(fd, 0);
		}
	}
	sh->errors = errors;
	finish(fd, wait_s, sent, sh);
	close(fd);
	return 0;
}

/* ip_cksum -- the IPv4 header checksum of the 20 bytes at P */
static uint16_t
ip_cksum(const void *p)
{
	return cksum(p, 20);
}

#define RING_FRAME 256
#define RING_BLOCK (1 << 16)
#define RING_BLOCKS 64
#define RING_FRAMES (RING_BLOCK / RING_FRAME * RING_BLOCKS)

/*
 * sender_ring -- as sender(), through a PACKET_MMAP TX ring: frames are
 * written into the shared ring and handed to the kernel with one send()
 * for up to 256 of them.
 */
static int
sender_ring(uint32_t first, uint32_t last, int count, double wait_s,
    struct share *sh)
{
	struct tpacket_req req = { RING_BLOCK, RING_BLOCKS, RING_FRAME,
		RING_FRAMES };
	struct sockaddr_ll ll;
	struct ifreq ifr;
	uint8_t mac[6], *ring;
	uint32_t src, a;
	unsigned long sent = 0;
	unsigned slot = 0, queued = 0;
	int fd, rx, v = TPACKET_V2, buf = 64 << 20, round;
	const size_t off = TPACKET_ALIGN(sizeof(struct tpacket2_hdr));

	if ((rx = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) < 0 ||
	    (fd = socket(AF_PACKET, SOCK_RAW, 0)) < 0) {
		perror("rawsend: socket");
		return 1;
	}
	if (setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ring_if);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror("rawsend: SIOCGIFHWADDR");
		return 1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	ifr.ifr_addr.sa_family = AF_INET;
	if (ioctl(rx, SIOCGIFADDR, &ifr) < 0) {
		perror("rawsend: SIOCGIFADDR");
		return 1;
	}
	src = ((struct sockaddr_in *)(void *)&ifr.ifr_addr)->sin_addr.s_addr;
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = (int)if_nametoindex(ring_if);
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0 ||
	    bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
		perror("rawsend: TX ring");
		return 1;
	}
	ring = mmap(NULL, (size_t)RING_BLOCK * RING_BLOCKS,
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED) {
		perror("rawsend: mmap");
		return 1;
	}
	ident = (uint16_t)getpid();
	sh->t0 = now_s();
	for (round = 0; round < count && first <= last; round++) {
		for (a = first; a <= last && a >= first; a++) {
			struct tpacket2_hdr *h = (void *)(ring +
			    (size_t)slot * RING_FRAME);
			uint8_t *f = (uint8_t *)h + off;
			struct ip *ip = (void *)(f + 14);
			struct icmp *ic = (void *)(f + 34);

			while (h->tp_status != TP_STATUS_AVAILABLE) {
				/* the ring is full: hand it over, wait */
				if (send(fd, NULL, 0, 0) < 0 &&
				    errno != ENOBUFS && errno != EAGAIN)
					sh->errors++;
				queued = 0;
				drain(rx, 0);
			}
			memcpy(f, ring_gw, 6);
			memcpy(f + 6, mac, 6);
			f[12] = 0x08, f[13] = 0x00;
			memset(ip, 0, 20);
			ip->ip_v = 4, ip->ip_hl = 5;
			ip->ip_len = htons(20 + PKT);
			ip->ip_off = htons(IP_DF);
			ip->ip_ttl = 64;
			ip->ip_p = IPPROTO_ICMP;
			ip->ip_src.s_addr = src;
			ip->ip_dst.s_addr = htonl(a);
			ip->ip_sum = ip_cksum(ip);
			memset(ic, 0, PKT);
			ic->icmp_type = ICMP_ECHO;
			ic->icmp_id = htons(ident);
			ic->icmp_seq = htons((uint16_t)a);
			ic->icmp_cksum = cksum(ic, PKT);
			h->tp_len = 14 + 20 + PKT;
			__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST,
			    __ATOMIC_RELEASE);
			slot = (slot + 1) % RING_FRAMES;
			sent++;
			if (++queued == 256) {
				if (send(fd, NULL, 0, MSG_DONTWAIT) < 0 &&
				    errno != ENOBUFS && errno != EAGAIN)
					sh->errors++;
				queued = 0;
				drain(rx, 0);
			}
		}
	}
	while (send(fd, NULL, 0, 0) < 0 && (errno == ENOBUFS ||
	    errno == EAGAIN))
		drain(rx, 0);
	finish(rx, wait_s, sent, sh);
	close(fd);
	close(rx);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long sent = 0, errors = 0, answered = 0;
	uint32_t first, last, a, len, hosts, part;
	double wait_s = 1.0, t0 = 0, t1 = 0;
	int opt, count = 1, procs = 1, k, status, rc = 0;
	struct share *sh;
	char *slash;
	struct in_addr in;

	while ((opt = getopt(argc, argv, "n:w:P:m:")) != -1) {
		if (opt == 'm') {
			char *comma = strchr(optarg, ',');
			unsigned m[6];

			if (comma == NULL || comma - optarg >= IF_NAMESIZE ||
			    sscanf(comma + 1, "%x:%x:%x:%x:%x:%x", &m[0],
			    &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
				goto usage;
			memcpy(ring_if, optarg, (size_t)(comma - optarg));
			for (k = 0; k < 6; k++)
				ring_gw[k] = (uint8_t)m[k];
		} else if (opt == 'w')
			wait_s = atof(optarg) / 1000.0;
		else if (opt == 'n' && atoi(optarg) > 0)
			count = atoi(optarg);
		else if (opt == 'P' && atoi(optarg) > 0 && atoi(optarg) <= 64)
			procs = atoi(optarg);
		else
			goto usage;
	}
	if (optind + 1 != argc || (slash = strchr(argv[optind], '/')) == NULL)
		goto usage;
	*slash = '\0';
	len = (uint32_t)atoi(slash + 1);
	if (inet_pton(AF_INET, argv[optind], &in) != 1 || len < 8 || len > 32) {
		fprintf(stderr, "rawsend: bad prefix\n");
		return 2;
	}
	size = len == 32 ? 1 : 1u << (32 - len);
	base = ntohl(in.s_addr) & ~(size - 1);
	first = base, last = base + size - 1;
	if (size > 2)   /* no network, no broadcast address */
		first++, last--;
	/* shared with the senders: what answered, and what each did */
	seen = mmap(NULL, size + 16 + procs * sizeof(*sh),
	    PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (seen == MAP_FAILED)
		return 1;
	sh = (struct share *)(void *)(((uintptr_t)(seen + size) + 15) &
	    ~(uintptr_t)15);
	hosts = last - first + 1;
	part = hosts / (uint32_t)procs + (hosts % (uint32_t)procs != 0);
	for (k = 0; k < procs; k++) {
		uint32_t lo = first + (uint32_t)k * part;
		uint32_t hi = lo + part - 1 > last || lo + part - 1 < lo ?
		    last : lo + part - 1;
		pid_t pid = procs == 1 ? 0 : fork();

		if (pid < 0) {
			perror("rawsend: fork");
			return 1;
		}
		if (pid == 0) {
			int r = lo > last ? 0 : ring_if[0] != '\0' ?
			    sender_ring(lo, hi, count, wait_s, &sh[k]) :
			    sender(lo, hi, count, wait_s, &sh[k]);

			if (procs == 1) {
				rc = r;
				break;
			}
			_exit(r);
		}
	}
	while (procs > 1 && wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 1;
	for (k = 0; k < procs; k++) {
		sent += sh[k].sent;
		errors += sh[k].errors;
		answered += sh[k].replies;
		if (sh[k].t0 > 0 && (t0 == 0 || sh[k].t0 < t0))
			t0 = sh[k].t0;
		if (sh[k].t1 > t1)
			t1 = sh[k].t1;
	}
	for (a = 0; a < size; a++)
		if (seen[a]) {
			in.s_addr = htonl(base + a);
			printf("%s\n", inet_ntoa(in));
		}
	fprintf(stderr, "rawsend: %lu probes sent in %.3f s (%.0f/s) by %d "
	    "process%s, %lu send errors, %lu answered\n", sent, t1 - t0,
	    t1 > t0 ? (double)sent / (t1 - t0) : 0.0, procs,
	    procs == 1 ? "" : "es", errors, answered);
	return fflush(stdout) == 0 ? rc : 1;
usage:
	fprintf(stderr, "usage: rawsend [-n COUNT] [-w WAIT_MS] [-P PROCS] "
	    "[-m IFNAME,GWMAC] A.B.C.D/LEN\n");
	return 2;
}
