/* verdict.c - the names of verdicts and kinds of evidence */
#include "verdict.h"

static const char *const verdict_names[VERDICT_MAX] = {
	[VERDICT_PENDING] = "pending",
	[VERDICT_FREE] = "free",
	[VERDICT_UNKNOWN] = "unknown",
	[VERDICT_USED] = "used",
	[VERDICT_SKIPPED] = "skipped",
	[VERDICT_NOT_NEEDED] = "not-needed",
};

static const char *const reason_names[REASON_MAX] = {
	[REASON_NONE] = "none",
	[REASON_ECHO_REPLY] = "echo-reply",
	[REASON_NO_REPLY] = "no-reply",
	[REASON_HOST_UNREACH] = "host-unreachable",
	[REASON_ADMIN_PROHIBITED] = "admin-prohibited",
	[REASON_ICMP_ERROR] = "icmp-error",
	[REASON_SEND_ERROR] = "send-error",
	[REASON_OTHER_SOURCE] = "other-source",
	[REASON_WORKER_DIED] = "worker-died",
	[REASON_INTERRUPTED] = "interrupted",
	[REASON_DEADLINE] = "deadline",
	[REASON_EXEC_ERROR] = "exec-error",
	[REASON_SPECIAL] = "special-address",
	[REASON_RCVBUF_OVERFLOW] = "rcvbuf-overflow",
	[REASON_NOT_NEEDED] = "not-needed",
	[REASON_ARP_REPLY] = "arp-reply",
	[REASON_NEIGH_UNREADABLE] = "neighbour-table-unreadable",
	[REASON_CANARY_SILENT] = "canary-silent",
	[REASON_TCP_ACCEPT] = "tcp-accept",
	[REASON_TCP_REFUSED] = "tcp-refused",
	[REASON_NO_NEIGH] = "no-neighbour-entry",
	[REASON_CANARY_OK] = "canary-answered",
	[REASON_TCP_SILENT] = "tcp-silent",
	[REASON_TCP_ERROR] = "tcp-error",
	[REASON_LOSS_TOO_HIGH] = "loss-too-high",
	[REASON_NEIGH_INCOMPLETE] = "neighbour-incomplete",
	[REASON_PING_ERRORS] = "ping-errors",
	[REASON_ICMP_FROM_TARGET] = "icmp-from-target",
	[REASON_PHASE_FAILED] = "phase-failed",
	[REASON_RANGE_ERRORS] = "range-icmp-errors",
	[REASON_RESERVED] = "reserved",
	[REASON_DHCP_LEASE] = "dhcp-lease",
	[REASON_DHCP_POOL] = "dhcp-pool",
	[REASON_DNS_PTR] = "dns-ptr",
	[REASON_IPAM] = "ipam",
	[REASON_DNS_NONE] = "dns-nxdomain",
	[REASON_DNS_ERROR] = "dns-error",
	[REASON_HISTORY_SEEN] = "history-seen",
	[REASON_HISTORY_QUIET] = "history-quiet",
	[REASON_HISTORY_SHORT] = "history-too-short",
	[REASON_HISTORY_ERROR] = "history-unreadable",
};

const char *
verdict_name(unsigned v)
{
	return v < VERDICT_MAX ? verdict_names[v] : "?";
}

const char *
reason_name(unsigned r)
{
	return r < REASON_MAX ? reason_names[r] : "?";
}
