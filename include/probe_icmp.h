/* probe_icmp.h - the native engine: ICMP echo from one socket per worker */
#ifndef IPSWEEP_PROBE_ICMP_H
#define IPSWEEP_PROBE_ICMP_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"

enum probe_icmp_kind {
	PROBE_ICMP_NONE = 0,
	PROBE_ICMP_DGRAM,   /* SOCK_DGRAM, IPPROTO_ICMP: ping_group_range */
	PROBE_ICMP_RAW      /* SOCK_RAW: root or CAP_NET_RAW */
};

/* A local interface that on-link targets are reached through. */
struct probe_iface {
	int ifindex;
	uint8_t mac[6];
	uint32_t addr;             /* our IPv4 address there, host order */
	unsigned resolve_ms;       /* how long the kernel asks ARP for an
				      address there before it gives up
				      (mcast_solicit x retrans_time, and a
				      margin); 0: onlink_hold_ms */
	unsigned solicit;          /* ARP requests of one such resolution
				      (mcast_solicit); 0: unknown */
	unsigned retrans_ms;       /* the time between them (retrans_time) */
};

/* The most ICMP ids a worker's raw socket takes replies for. */
#define PROBE_ICMP_IDS_MAX 8

struct probe_icmp {
	/* filled in by the caller */
	const uint32_t *addrs;     /* job index -> address */
	size_t n;
	const uint8_t *onlink;     /* job -> 0, or 1 + its index in IFACES when
				      it is on a connected subnet */
	const struct probe_iface *ifaces;
	unsigned count;            /* probes per silent address, at least */
	unsigned max_count;        /* probes per silent address, at most, when
				      loss makes more necessary */
	double false_free_max;     /* bound on the expected number of live
				      addresses printed free (loss-aware) */
	unsigned timeout_ms;       /* wait after the last probe */
	unsigned retry_ms;         /* gap before the next probe */
	double rate_pps;           /* this worker's share of --rate */
	unsigned onlink_max;       /* first probes to on-link addresses a
				      worker may have unresolved at once */
	unsigned onlink_hold_ms;   /* how long such a probe holds its place */
	uint64_t cookie;           /* per-run random value */
	int rcvbuf;                /* socket receive buffer in bytes; 0: 4 MiB */
	unsigned nids;             /* raw: ICMP ids per worker, a power of two
				      up to PROBE_ICMP_IDS_MAX (0: 1); each
				      brings 65536 sequence numbers */
	/* filled in by probe_icmp_open */
	enum probe_icmp_kind kind;
	unsigned workers;
	int *fds;                  /* one socket per worker slot */
	uint16_t *ids;             /* raw: the first ICMP id of each slot */
	int *arp_fds;              /* one AF_PACKET ARP socket per slot, or
				      NULL: on-link targets get ICMP */
};

/*
 * probe_icmp_open -- open one ICMP socket per worker: a datagram socket
 * where net.ipv4.ping_group_range admits us, else a raw one (with a BPF
 * filter that passes only echo replies with the slot's id and ICMP
 * errors).  WANT_RAW forces the raw kind.  Returns 0, or -1 with errno
 * (EPERM or EACCES: no permission for either kind) and ERR set.
 */
int probe_icmp_open(struct probe_icmp *pi, unsigned workers, int want_raw,
    char *err, size_t errlen);

/*
 * probe_icmp_open_arp -- open one AF_PACKET socket for ARP per worker
 * (needs CAP_NET_RAW; call it with probe_icmp_open, before privileges go).
 * With them, on-link targets are probed with ARP requests instead of ICMP:
 * a host that answers ARP is there even when it drops echo requests, and
 * the kernel's neighbour table is not involved at all.  Returns 0, or -1
 * with errno (then on-link targets get ICMP and a neighbour-table check).
 */
int probe_icmp_open_arp(struct probe_icmp *pi);

/* probe_icmp_close -- close every socket and free what open allocated */
void probe_icmp_close(struct probe_icmp *pi);

/* probe_icmp_kind_name -- "datagram" or "raw" */
const char *probe_icmp_kind_name(enum probe_icmp_kind k);

/* pool_engine callbacks; CTX is a struct probe_icmp */
int probe_icmp_run(void *ctx, unsigned slot, struct pool_worker *w);
int probe_icmp_fd(void *ctx, unsigned slot);
int probe_icmp_fd2(void *ctx, unsigned slot);

#endif
