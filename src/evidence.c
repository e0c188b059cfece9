/* evidence.c - the one rule that turns an address's evidence into a verdict */
#include "evidence.h"

/*
 * The class of every kind of evidence.  A kind missing here is no
 * evidence at all (EVIDENCE_NONE): it can neither free nor hold back.
 */
static const uint8_t evidence_classes[REASON_MAX] = {
	[REASON_ECHO_REPLY] = EVIDENCE_ANSWERED,
	[REASON_ARP_REPLY] = EVIDENCE_ANSWERED,
	[REASON_TCP_ACCEPT] = EVIDENCE_ANSWERED,
	[REASON_TCP_REFUSED] = EVIDENCE_ANSWERED,
	[REASON_ICMP_FROM_TARGET] = EVIDENCE_ANSWERED,
	[REASON_RESERVED] = EVIDENCE_ANSWERED,
	[REASON_DHCP_LEASE] = EVIDENCE_ANSWERED,
	[REASON_DHCP_POOL] = EVIDENCE_ANSWERED,
	[REASON_DNS_PTR] = EVIDENCE_ANSWERED,
	[REASON_IPAM] = EVIDENCE_ANSWERED,
	[REASON_HISTORY_SEEN] = EVIDENCE_ANSWERED,

	[REASON_NO_REPLY] = EVIDENCE_SILENT,
	[REASON_HOST_UNREACH] = EVIDENCE_SILENT,
	[REASON_CANARY_OK] = EVIDENCE_SILENT,
	[REASON_TCP_SILENT] = EVIDENCE_SILENT,
	[REASON_DNS_NONE] = EVIDENCE_SILENT,
	[REASON_HISTORY_QUIET] = EVIDENCE_SILENT,

	[REASON_ADMIN_PROHIBITED] = EVIDENCE_CANNOT_TELL,
	[REASON_ICMP_ERROR] = EVIDENCE_CANNOT_TELL,
	[REASON_SEND_ERROR] = EVIDENCE_CANNOT_TELL,
	[REASON_OTHER_SOURCE] = EVIDENCE_CANNOT_TELL,
	[REASON_WORKER_DIED] = EVIDENCE_CANNOT_TELL,
	[REASON_INTERRUPTED] = EVIDENCE_CANNOT_TELL,
	[REASON_DEADLINE] = EVIDENCE_CANNOT_TELL,
	[REASON_EXEC_ERROR] = EVIDENCE_CANNOT_TELL,
	[REASON_RCVBUF_OVERFLOW] = EVIDENCE_CANNOT_TELL,
	[REASON_NOT_NEEDED] = EVIDENCE_CANNOT_TELL,
	[REASON_NEIGH_UNREADABLE] = EVIDENCE_CANNOT_TELL,
	[REASON_CANARY_SILENT] = EVIDENCE_CANNOT_TELL,
	[REASON_NO_NEIGH] = EVIDENCE_CANNOT_TELL,
	[REASON_TCP_ERROR] = EVIDENCE_CANNOT_TELL,
	[REASON_LOSS_TOO_HIGH] = EVIDENCE_CANNOT_TELL,
	[REASON_NEIGH_INCOMPLETE] = EVIDENCE_CANNOT_TELL,
	[REASON_PING_ERRORS] = EVIDENCE_CANNOT_TELL,
	[REASON_PHASE_FAILED] = EVIDENCE_CANNOT_TELL,
	[REASON_RANGE_ERRORS] = EVIDENCE_CANNOT_TELL,
	[REASON_DNS_ERROR] = EVIDENCE_CANNOT_TELL,
	[REASON_HISTORY_SHORT] = EVIDENCE_CANNOT_TELL,
	[REASON_HISTORY_ERROR] = EVIDENCE_CANNOT_TELL,
};

unsigned
evidence_class(unsigned reason)
{
	return reason < REASON_MAX ? evidence_classes[reason] : EVIDENCE_NONE;
}

int
evidence_add(struct evidence *e, unsigned phase, unsigned reason)
{
	uint8_t bit;
	int fresh;

	if (phase >= EVIDENCE_PHASE_MAX || reason >= REASON_MAX)
		return -1;
	bit = EVIDENCE_BIT(phase);
	fresh = !(e->done & bit);
	switch (evidence_class(reason)) {
	case EVIDENCE_ANSWERED:
		if (e->answered == 0)
			e->answered = (uint8_t)reason;
		break;
	case EVIDENCE_SILENT:
		if (!(e->silent & bit) && (phase == EVIDENCE_WIRE ||
		    e->quiet == 0))
			e->quiet = (uint8_t)reason;
		e->silent |= bit;
		break;
	case EVIDENCE_CANNOT_TELL:
		/* the first doubt explains best; "not needed" is no doubt
		   about the address itself, so a real one replaces it */
		if (e->doubt == 0 || (e->doubt == REASON_NOT_NEEDED &&
		    reason != REASON_NOT_NEEDED))
			e->doubt = (uint8_t)reason;
		break;
	default:
		return 0;
	}
	e->done |= bit;
	return fresh;
}

/*
 * evidence_verdict -- an answer wins over everything, a doubt over
 * silence: evidence can only move an address away from "free", whatever
 * order it arrives in.  Free needs the silence of every phase it needs.
 */
unsigned
evidence_verdict(const struct evidence *e)
{
	if (e->answered != 0)
		return VERDICT_USED;
	if (e->doubt == REASON_NOT_NEEDED)
		return VERDICT_NOT_NEEDED;
	if (e->doubt != 0)
		return VERDICT_UNKNOWN;
	if (e->need != 0 && (e->need & e->silent) == e->need)
		return VERDICT_FREE;
	return VERDICT_PENDING;
}

unsigned
evidence_reason(const struct evidence *e)
{
	switch (evidence_verdict(e)) {
	case VERDICT_USED:
		return e->answered;
	case VERDICT_UNKNOWN:
	case VERDICT_NOT_NEEDED:
		return e->doubt;
	case VERDICT_FREE:
		return e->quiet != 0 ? e->quiet : REASON_NO_REPLY;
	default:
		return REASON_NONE;
	}
}
