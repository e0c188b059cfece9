/* verdict.c - verdict and reason names, and the monotone merge rule */
#include "verdict.h"

static const char *const verdict_names[VERDICT_MAX] = {
	[VERDICT_PENDING] = "pending",
	[VERDICT_FREE] = "free",
	[VERDICT_UNKNOWN] = "unknown",
	[VERDICT_USED] = "used",
	[VERDICT_SKIPPED] = "skipped",
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

/*
 * verdict_merge -- the higher of A and B over PENDING..USED, so evidence
 * only moves an address toward "used" and the order records arrive in does
 * not matter.  SKIPPED is decided before the sweep: a skipped address stays
 * skipped, and SKIPPED as evidence is no evidence (A is kept).  A value out
 * of range is corrupt evidence and counts as UNKNOWN: it can never make an
 * address free, and it cannot undo a USED either.
 */
unsigned
verdict_merge(unsigned a, unsigned b)
{
	if (a == VERDICT_SKIPPED)
		return VERDICT_SKIPPED;
	if (a >= VERDICT_MAX)
		a = VERDICT_UNKNOWN;
	if (b == VERDICT_SKIPPED)
		return a;
	if (b >= VERDICT_MAX)
		b = VERDICT_UNKNOWN;
	return a > b ? a : b;
}
