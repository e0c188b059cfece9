/* verdict.h - the verdicts an address can end in, and the kinds of evidence */
#ifndef IPSWEEP_VERDICT_H
#define IPSWEEP_VERDICT_H

/*
 * What ipsweep says of an address at the end of a run.  PENDING exists only
 * while the run goes on; SKIPPED is assigned before it (addr_special) and
 * never reaches the collector.  Only evidence.c decides between the others.
 */
enum verdict {
	VERDICT_PENDING = 0,
	VERDICT_FREE,
	VERDICT_UNKNOWN,
	VERDICT_USED,
	VERDICT_SKIPPED,
	VERDICT_NOT_NEEDED,   /* --first had its addresses before this one */
	VERDICT_MAX
};

/*
 * The kinds of evidence a source can report about an address.  Each kind
 * has one class (evidence_class()): it shows the address answered, it is
 * the final "silent" of a phase, or it says that phase cannot tell.
 * The numbers travel on the worker pipes: append, never renumber.
 */
enum reason {
	REASON_NONE = 0,
	REASON_ECHO_REPLY,       /* answered: a valid echo reply */
	REASON_NO_REPLY,         /* silent: every planned probe unanswered */
	REASON_HOST_UNREACH,     /* silent (weak): host unreachable from the
				    target's last hop, after it tried ARP */
	REASON_ADMIN_PROHIBITED, /* cannot tell: ICMP type 3 code 9, 10, 13 */
	REASON_ICMP_ERROR,       /* cannot tell: another ICMP error quoting
				    our probe (net unreachable, time
				    exceeded, ...); aux holds type<<8|code */
	REASON_SEND_ERROR,       /* cannot tell: sendto failed; aux: errno */
	REASON_OTHER_SOURCE,     /* cannot tell: answered from another
				    address (aux) */
	REASON_WORKER_DIED,      /* cannot tell: every worker that took it
				    died */
	REASON_INTERRUPTED,      /* cannot tell: SIGINT/SIGTERM first */
	REASON_DEADLINE,         /* cannot tell: the run's deadline first */
	REASON_EXEC_ERROR,       /* cannot tell: ping(8) failed (exit 2, a
				    signal, exec) */
	REASON_SPECIAL,          /* skipped by policy (addr_special) */
	REASON_RCVBUF_OVERFLOW,  /* cannot tell: replies may have been
				    dropped by our own socket */
	REASON_NOT_NEEDED,       /* --first had its addresses first */
	REASON_ARP_REPLY,        /* answered: it answered ARP (directly, or
				    the neighbour table holds its link-layer
				    address) */
	REASON_NEIGH_UNREADABLE, /* cannot tell: on-link, and the neighbour
				    table could not be read */
	REASON_CANARY_SILENT,    /* cannot tell: no canary of its range
				    answered: a filter may drop ICMP */
	REASON_TCP_ACCEPT,       /* answered: a TCP port accepted */
	REASON_TCP_REFUSED,      /* answered: a TCP port refused (the host's
				    RST proves it is there) */
	REASON_NO_NEIGH,         /* cannot tell: on-link, and twice no
				    neighbour entry: the probes may never
				    have left */
	REASON_CANARY_OK,        /* silent: a canary of its range answered,
				    so the path to the range is open */
	REASON_TCP_SILENT,       /* silent: every TCP port timed out or was
				    unreachable */
	REASON_TCP_ERROR,        /* cannot tell: the TCP check failed
				    locally (no socket, a local limit) */
	REASON_LOSS_TOO_HIGH,    /* cannot tell: --max-count probes went out
				    and the loss measured still leaves a live
				    host's silence likely */
	REASON_NEIGH_INCOMPLETE, /* cannot tell: the kernel was still asking
				    ARP for it when its time was up */
	REASON_PING_ERRORS,      /* cannot tell: ping(8) reported ICMP or
				    send errors instead of silence */
	REASON_ICMP_FROM_TARGET, /* answered: the address itself sent an
				    ICMP error (port or protocol unreachable):
				    a host is there */
	REASON_PHASE_FAILED,     /* cannot tell: a phase that was asked for
				    could not run for it */
	REASON_RANGE_ERRORS,     /* cannot tell: silent, but the path sent
				    ICMP errors for other addresses of its
				    range, and routers rate-limit those */
	REASON_RESERVED,         /* answered: `reserved =` in its range */
	REASON_DHCP_LEASE,       /* answered: a DHCP lease active now (or
				    expired less than LEASE_GRACE_S ago) */
	REASON_DHCP_POOL,        /* answered: in a dynamic DHCP pool
				    (`dhcp-pool =`), never for static use */
	REASON_DNS_PTR,          /* answered: it has a PTR name */
	REASON_IPAM,             /* answered: an IPAM export documents it */
	REASON_DNS_NONE,         /* silent: the reverse lookup said NXDOMAIN
				    (or no PTR record) */
	REASON_DNS_ERROR,        /* cannot tell: the reverse lookup failed
				    (SERVFAIL, refused, timeout, no server) */
	REASON_HISTORY_SEEN,     /* answered: the history saw it used within
				    its --free-for window */
	REASON_HISTORY_QUIET,    /* silent: the history covers the window and
				    saw it used in none of it */
	REASON_HISTORY_SHORT,    /* cannot tell: the history does not cover
				    the --free-for window yet */
	REASON_HISTORY_ERROR,    /* cannot tell: the history database could
				    not be read */
	REASON_MAX
};

/* verdict_name -- "free", "used", ...; "?" when out of range */
const char *verdict_name(unsigned v);

/* reason_name -- "echo-reply", "no-reply", ...; "?" when out of range */
const char *reason_name(unsigned r);

#endif
