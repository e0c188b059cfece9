/* collector.h - the parent's table of evidence, one entry per job */
#ifndef IPSWEEP_COLLECTOR_H
#define IPSWEEP_COLLECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "evidence.h"
#include "record.h"
#include "verdict.h"

/*
 * What the collector keeps of a job: 8 bytes, a /12 holds a million of
 * them.  The verdict and its reason follow from the evidence; what few
 * jobs have (a round trip, the details of a reason, a record's words, an
 * ARP reply's MAC) is in a detail of their own, found through a hash.
 */
struct collector_slot {
	struct evidence ev;
	uint8_t probes;    /* wire probes sent, the most any report gave */
	uint8_t flags;     /* COLLECTOR_LATE, COLLECTOR_DETAIL */
};

#define COLLECTOR_LATE   0x01  /* an answer came after the wire phase had
				  reported silence */
#define COLLECTOR_DETAIL 0x02  /* it has a detail */

/* One job's evidence as it is read: collector_entry(). */
struct collector_entry {
	struct evidence ev;
	uint8_t verdict;   /* evidence_verdict(&ev) */
	uint8_t reason;    /* evidence_reason(&ev) */
	uint8_t probes;    /* wire probes sent, the most any report gave */
	uint8_t late;      /* 1: an answer came after the wire phase had
			      reported silence */
	uint32_t rtt_us;   /* round trip of the first answer that had one */
	uint32_t aux;      /* details of the evidence behind REASON: errno,
			      ICMP type<<8|code, another address */
};

/* What a few jobs have besides their evidence. */
struct collector_detail {
	uint32_t job;
	uint32_t rtt_us, aux;  /* as in collector_entry */
	uint8_t mac[6];    /* the MAC of its first ARP reply, or zeros */
	char *text;        /* owned, or NULL: what a record said of it (a
			      lease's client, a PTR name, an IPAM name) */
};

struct collector {
	const uint32_t *addrs;     /* job index -> address, not owned */
	size_t n;
	struct collector_slot *e;  /* owned */
	struct collector_detail *d; /* owned, n_d of them */
	size_t n_d, cap_d;
	uint32_t *index;           /* owned: 1 + a detail's place in D, by
				      the hash of its job; 0: free */
	unsigned index_bits;       /* 2^index_bits places */
	size_t counts[VERDICT_MAX];
	size_t left[EVIDENCE_PHASE_MAX];  /* jobs that need the phase and
					     have not had its final word */
};

/* collector_init -- every job needs the wire phase; 0, or -1 (ENOMEM) */
int collector_init(struct collector *c, const uint32_t *addrs, size_t n);
void collector_free(struct collector *c);

/* collector_need -- job J needs PHASE too before it can be free */
void collector_need(struct collector *c, size_t j, unsigned phase);

/*
 * collector_report -- evidence REASON from PHASE for job J, with its
 * details: PROBES sent (0: none said), RTT_US of an answer (0: none),
 * AUX (see collector_entry).  The only way evidence gets in.  Returns 1
 * when it was PHASE's first final word on J, 0 otherwise, -1 for a job,
 * phase or reason out of range.  Out of memory for a detail, the evidence
 * still counts; only the round trip and AUX are not kept.
 */
int collector_report(struct collector *c, size_t j, unsigned phase,
    unsigned reason, unsigned probes, uint32_t rtt_us, uint32_t aux);

/*
 * collector_record -- collector_report() for an EVIDENCE record from a
 * worker (the wire phase).  Returns as collector_report, -1 also for a
 * record of another type.
 */
int collector_record(struct collector *c, const struct record *r);

/*
 * collector_report_text -- collector_report() for evidence that comes
 * with words (a lease's hostname, a PTR name): TEXT (may be NULL) is
 * copied into the entry when REASON is what now explains J's verdict and
 * no text is there yet.  Returns as collector_report, -1 also when out of
 * memory.
 */
int collector_report_text(struct collector *c, size_t j, unsigned phase,
    unsigned reason, const char *text);

/* collector_entry -- job J's evidence as it is read (J < c->n) */
struct collector_entry collector_entry(const struct collector *c, size_t j);

/* collector_verdict, collector_reason -- job J's verdict and its reason
   (J < c->n) */
unsigned collector_verdict(const struct collector *c, size_t j);
unsigned collector_reason(const struct collector *c, size_t j);

/* collector_text -- what a record said of job J (its reason's), or NULL */
const char *collector_text(const struct collector *c, size_t j);

/* collector_mac -- the MAC of job J's first ARP reply, or NULL */
const uint8_t *collector_mac(const struct collector *c, size_t j);

/*
 * collector_set_mac -- job J's ARP reply came from MAC, kept unless one
 * came before.  Returns 0, or -1 out of memory or J out of range.
 */
int collector_set_mac(struct collector *c, size_t j, const uint8_t mac[6]);

/* collector_done -- 1 when PHASE has given its final word on job J */
int collector_done(const struct collector *c, size_t j, unsigned phase);

/*
 * collector_candidate -- 1 when job J may still end free: nothing
 * answered, nothing cast a doubt, and the wire phase said "silent"
 */
int collector_candidate(const struct collector *c, size_t j);

/*
 * collector_finish -- every job that needs PHASE and has not had its final
 * word gets "cannot tell" WHY from it (a dead worker, a signal, the
 * deadline, --first): so nothing is left pending, and nothing that a phase
 * did not finish can be free.  A WHY that is not a "cannot tell" kind
 * becomes REASON_PHASE_FAILED.
 */
void collector_finish(struct collector *c, unsigned phase, unsigned why);

#endif
