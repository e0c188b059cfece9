/* verdict.h - the states an address can end in, why, and the merge rule */
#ifndef IPSWEEP_VERDICT_H
#define IPSWEEP_VERDICT_H

/*
 * Ordered by the merge rule: a higher value wins, so evidence only moves
 * an address toward "used".  SKIPPED is assigned before the sweep and
 * never merged.
 */
enum verdict {
	VERDICT_PENDING = 0,
	VERDICT_FREE,
	VERDICT_UNKNOWN,
	VERDICT_USED,
	VERDICT_SKIPPED,
	VERDICT_MAX
};

enum reason {
	REASON_NONE = 0,
	REASON_ECHO_REPLY,       /* a valid echo reply */
	REASON_NO_REPLY,         /* every probe sent, none answered */
	REASON_HOST_UNREACH,     /* ICMP host/net unreachable for our probe */
	REASON_ADMIN_PROHIBITED, /* ICMP type 3 code 9, 10 or 13 */
	REASON_ICMP_ERROR,       /* another ICMP error quoting our probe */
	REASON_SEND_ERROR,       /* sendto failed; aux holds errno */
	REASON_OTHER_SOURCE,     /* our probe answered from another address */
	REASON_WORKER_DIED,      /* every worker that took it died */
	REASON_INTERRUPTED,      /* SIGINT/SIGTERM before it was decided */
	REASON_DEADLINE,         /* the run's deadline passed first */
	REASON_EXEC_ERROR,       /* ping(8) failed (exit 2, signal, exec) */
	REASON_SPECIAL,          /* skipped by policy (addr_special) */
	REASON_RCVBUF_OVERFLOW,  /* replies may have been dropped */
	REASON_NOT_NEEDED,       /* --first had its addresses before this one */
	REASON_ARP_REPLY,        /* silent to ICMP, but the neighbour table
				    holds its link-layer address */
	REASON_NEIGH_UNREADABLE, /* on-link, silent, and the neighbour table
				    could not be read */
	REASON_CANARY_SILENT,    /* silent, but so was every canary of its
				    range: a filter may be dropping ICMP */
	REASON_TCP_ACCEPT,       /* silent to ICMP, a TCP port accepted */
	REASON_TCP_REFUSED,      /* silent to ICMP, a TCP port refused: the
				    host's RST proves it is there */
	REASON_NO_NEIGH,         /* on-link, silent, and twice no neighbour
				    entry: the probes may never have left */
	REASON_MAX
};

/* verdict_name -- "free", "used", ...; "?" when out of range */
const char *verdict_name(unsigned v);

/* reason_name -- "echo-reply", "no-reply", ...; "?" when out of range */
const char *reason_name(unsigned r);

/* verdict_merge -- the verdict after evidence B arrives for state A */
unsigned verdict_merge(unsigned a, unsigned b);

#endif
