/* evidence.h - what the sources learnt about one address, and the one rule */
#ifndef IPSWEEP_EVIDENCE_H
#define IPSWEEP_EVIDENCE_H

#include <stdint.h>

#include "verdict.h"

/*
 * The phases of a run.  Every source of evidence belongs to one: the wire
 * sweep (native ICMP, ARP, the neighbour table, ping(8)), the canary check
 * of a range, the TCP pass, the records (reservations, DHCP, IPAM: they
 * only ever answer, so no address needs them), the reverse DNS lookups.
 * An address may be called free only when every phase it needs has
 * reported "silent" for it.  The history of past runs (--free-for) is one
 * more phase.
 */
enum evidence_phase {
	EVIDENCE_WIRE = 0,
	EVIDENCE_CANARY,
	EVIDENCE_TCP,
	EVIDENCE_RECORDS,
	EVIDENCE_DNS,
	EVIDENCE_HISTORY,      /* --free-for: the history of past runs */
	EVIDENCE_PHASE_MAX
};

#define EVIDENCE_BIT(phase) ((uint8_t)(1u << (phase)))

enum evidence_class {
	EVIDENCE_NONE = 0,      /* not evidence (REASON_NONE, SPECIAL, ...) */
	EVIDENCE_ANSWERED,      /* something at the address answered */
	EVIDENCE_SILENT,        /* the phase is over, and nothing answered */
	EVIDENCE_CANNOT_TELL    /* the phase is over, and it cannot tell */
};

/* The evidence gathered about one address; zeroed means "nothing yet". */
struct evidence {
	uint8_t need;      /* EVIDENCE_BIT()s of the phases it needs */
	uint8_t done;      /* phases that gave their final word */
	uint8_t silent;    /* phases whose final word was "silent" */
	uint8_t answered;  /* enum reason of the first answer, or 0 */
	uint8_t doubt;     /* enum reason of the first "cannot tell", or 0 */
	uint8_t quiet;     /* enum reason of the wire phase's silence */
};

/* evidence_class -- the enum evidence_class of REASON */
unsigned evidence_class(unsigned reason);

/*
 * evidence_add -- add evidence REASON from PHASE to E.  An answer is kept
 * whatever came before; the first "cannot tell" is kept (but a real one
 * replaces NOT_NEEDED); silence only marks its phase.  Returns 1 when PHASE
 * was not done before (it is now), 0 when it was or REASON is no evidence,
 * -1 for a phase or reason out of range.
 */
int evidence_add(struct evidence *e, unsigned phase, unsigned reason);

/*
 * evidence_verdict -- the one rule: USED after any answer; else UNKNOWN
 * after any "cannot tell" (NOT_NEEDED for the --first stop); else FREE
 * when every needed phase said "silent"; else PENDING.  Pure.
 */
unsigned evidence_verdict(const struct evidence *e);

/*
 * evidence_reason -- the reason shown with that verdict: the answer, the
 * doubt, or the wire phase's silence; REASON_NONE while pending.
 */
unsigned evidence_reason(const struct evidence *e);

#endif
