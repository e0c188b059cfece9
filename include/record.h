/* record.h - fixed-size records on the parent/worker pipes */
#ifndef IPSWEEP_RECORD_H
#define IPSWEEP_RECORD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every record is RECORD_SIZE bytes, zero-padded, and written with one
 * write(2): far below PIPE_BUF, so a record is never interleaved or split.
 */
#define RECORD_SIZE 32

enum record_type {
	RECORD_JOB = 1,       /* parent to worker: probe jobs [job, job+count) */
	RECORD_EVIDENCE,      /* worker to parent: evidence about job (the
				 parent decides; a worker never does) */
	RECORD_HEARTBEAT,     /* worker to parent: still alive */
	RECORD_STATS,         /* worker to parent: counters, before it exits */
	RECORD_CONFLICT,      /* worker to parent: two link-layer addresses
				 answered ARP for job; the first MAC in count
				 and the high half of rtt_us, the second in
				 aux and aux2's high half */
	RECORD_TYPE_MAX
};

/* In aux2 of an ARP reply's EVIDENCE: count and aux2 hold its MAC. */
#define RECORD_MAC_SET 0x10000u

/* STATS records come one per kind of probe whose loss was measured. */
enum record_loss {
	RECORD_LOSS_ICMP = 0,  /* echo requests */
	RECORD_LOSS_ARP,       /* ARP requests */
	RECORD_LOSS_MAX
};

struct record {
	uint8_t type;      /* enum record_type */
	uint8_t kind;      /* STATS: which loss counters (enum
			      record_loss); else 0 */
	uint8_t reason;    /* EVIDENCE: enum reason, the kind of evidence */
	uint8_t probes;    /* EVIDENCE: probes sent for this job;
			      STATS: most probes any silent job got */
	uint32_t job;      /* JOB: first job; EVIDENCE: job index;
			      STATS: addresses that answered */
	uint32_t count;    /* JOB: number of jobs; STATS: probes sent;
			      EVIDENCE of an ARP reply: the first four
			      bytes of the MAC that answered */
	uint32_t rtt_us;   /* EVIDENCE: round trip of the first reply;
			      STATS: probes to answering addresses that
			      went unanswered (the loss estimate) */
	uint32_t aux;      /* EVIDENCE: errno, ICMP type<<8|code, other
			      address;
			      STATS: replies received */
	uint32_t aux2;     /* STATS: receive-buffer drops seen;
			      EVIDENCE of an ARP reply: RECORD_MAC_SET
			      and the MAC's last two bytes (low half) */
};

/* record_encode -- serialise R into BUF (little-endian, with magic and check) */
void record_encode(const struct record *r, uint8_t buf[RECORD_SIZE]);

/*
 * record_decode -- parse LEN bytes of BUF.  Refuses (-1) a length other
 * than RECORD_SIZE, a bad magic, version or check word, an unknown type,
 * an EVIDENCE record whose reason is out of range or is no evidence, and
 * a STATS record of an unknown kind.  Returns 0 and
 * fills *R otherwise.
 */
int record_decode(const uint8_t *buf, size_t len, struct record *r);

#endif
