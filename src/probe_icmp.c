/* probe_icmp.c - the native engine: paced ICMP echo, many probes in flight */
#include <errno.h>
#include <limits.h>
#include <time.h>               /* before linux/errqueue.h, which needs it */
#include <linux/errqueue.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "arp.h"
#include "icmp.h"
#include "loss.h"
#include "mono.h"
#include "neigh.h"
#include "pace.h"
#include "pisock.h"
#include "bigmem.h"
#include "probe_icmp.h"
#include "record.h"
#include "ring.h"
#include "verdict.h"

#define PI_HEARTBEAT_NS  (250 * MONO_NS_PER_MS)
#define PI_SEND_RETRY_NS (2 * MONO_NS_PER_MS)
#define PI_SEND_GIVEUP_NS (5000 * MONO_NS_PER_MS)  /* ENOBUFS for so long */
#define PI_RECV_BATCH    256
#define PI_MIN_SLEEP_NS  (MONO_NS_PER_MS / 2)
#define PI_SEND_BATCH    32     /* echo requests per sendmmsg */
#define PI_FRESH_AHEAD   4096   /* jobs queued for a first probe at once */
/*
 * A worker keeps its send times in 32 bits, in ticks of 4.096 us: they
 * wrap after 4.9 hours, far beyond the life of any job (20 probes and 60 s
 * waits), and a /12's two per job take 8 MiB less in each worker.
 */
#define PI_TICK_SHIFT    12
#define PI_TICK_NS       (1ull << PI_TICK_SHIFT)

/*
 * Per-job flags in the worker.  Only jobs the parent gave this worker
 * (HELD) get probes, timers and a final word; an answer is reported for
 * any job of the run (USED), since a worker that replaced a dead one may
 * receive what was meant for its predecessor, and an answer is evidence
 * whoever gets it.
 */
#define PI_DONE     0x01   /* the final word on a held job was sent */
#define PI_USED     0x02   /* an answer was reported */
#define PI_UNREACH  0x04   /* a slow host unreachable quoted a probe */
#define PI_HELD     0x08   /* the parent gave it to this worker */
#define PI_REPROBE  0x10   /* one probe more: after receive drops, or
			      for a probe that never left */
#define PI_OTHER    0x20   /* reported an answer from another address */
#define PI_CONFLICT 0x40   /* reported two MACs answering ARP for it */
#define PI_NSEEN    0x80   /* the neighbour table held an entry for it
			      since its last probe */

/* How often a resolution in progress is looked at in the table. */
#define PI_NEIGH_POLL_NS (100 * MONO_NS_PER_MS)

/* What pi_neigh_step found. */
enum pi_nstep {
	PI_NS_WAIT,       /* the kernel is still asking: look again later */
	PI_NS_DECIDED,    /* the job had its final word */
	PI_NS_FAILED,     /* the last probe's resolution ended unanswered */
	PI_NS_AGAIN       /* the last probe never made an entry: send one
			     more */
};

/*
 * The loss measured for one kind of probe (enum record_loss: echo
 * requests, ARP requests), which decides how often a silent address of
 * that kind is asked before its silence counts.
 */
struct pi_loss {
	uint64_t n;               /* jobs of the run probed this way */
	uint64_t hits;            /* held addresses that answered */
	uint64_t misses;          /* probes they left unanswered first */
	uint64_t decided;         /* held addresses decided */
	unsigned most;            /* most probes a silent address got */
	unsigned freed_min;       /* fewest probes of a job reported silent
				     (and not doubted since); UINT_MAX: none */
	uint32_t freed_job;       /* one such job: what it needs now is what
				     every job of this kind needs */
};

/* limit[] of a job reported silent, then doubted by pi_recheck() */
#define PI_DOUBTED 255

struct pi_seq {
	uint32_t job;
	uint32_t sent;      /* pi_tick() of the send, 0: never used */
};

struct pi_worker {
	struct probe_icmp *pi;
	struct pool_worker *w;
	int fd;
	int arp_fd;               /* AF_PACKET for ARP, or -1 */
	uint8_t *mac;             /* job -> first MAC that answered ARP
				     (6 bytes each), or NULL */
	uint16_t id;
	uint8_t *sent;            /* job -> probes sent */
	uint8_t *flags;           /* job -> PI_* */
	uint32_t *first_t;        /* job -> first probe's send time, and */
	uint32_t *last_t;         /* the last one's, pi_tick()s */
	uint64_t t0;              /* where pi_tick() counts from */
	struct ring taken;        /* runs of jobs from the parent, held and
				     not yet queued (ring_push_run) */
	struct ring fresh;        /* jobs queued for their first probe, at
				     most PI_FRESH_AHEAD */
	struct ring resend;       /* jobs due for another probe */
	struct ring retry;        /* due: when the last probe went out; the
				     next is due pi_gap_ns() later, a gap
				     that is the same for all, so the ring
				     stays in order when it changes */
	struct ring final;        /* due: the last probe's wait is over */
	struct ring onlink;       /* due: an on-link first probe stops
				     counting as unresolved */
	struct ring nwait;        /* due: look at the neighbour entry of a
				     job whose resolution is in progress */
	struct pi_seq *seq;       /* 65536 entries per id: index id - ID
				     (of NIDS) << 16 | sequence number */
	uint32_t next_seq;        /* the next probe's index in SEQ */
	unsigned nids;
	unsigned seq_ids;         /* the ids in use, 1 to NIDS: pi_seq_next */
	struct pace pace;
	uint64_t backoff_until;
	uint64_t fail_since;      /* sends fail with ENOBUFS since, or 0 */
	struct neigh neigh;       /* the kernel's neighbour table */
	uint64_t said_ns;         /* last heartbeat to the parent */
	uint64_t hold_ns;         /* a sequence number is not reused sooner */
	struct pisock_drops drops;  /* our ICMP socket's drop counter */
	uint64_t drop_ns;         /* when drops were last noticed */
	uint64_t arp_drops;       /* drops of our ARP socket */
	uint64_t arp_drop_ns;     /* when they were last noticed */
	uint64_t rtt_max_ns;      /* slowest reply seen from a probed address */
	uint8_t *limit;           /* job -> probes planned, 0: pi->count */
	struct pi_loss loss[RECORD_LOSS_MAX];
	int recheck;              /* a miss was counted: pi_recheck() */
	uint64_t probes, replies;
	int parent_done;
};

const char *
probe_icmp_kind_name(enum probe_icmp_kind k)
{
	return k == PROBE_ICMP_RAW ? "raw" : k == PROBE_ICMP_DGRAM ?
	    "datagram" : "none";
}

int
probe_icmp_open(struct probe_icmp *pi, unsigned workers, int want_raw,
    char *err, size_t errlen)
{
	enum probe_icmp_kind kind;
	uint16_t base;
	unsigned s;
	int fd, e;

	pi->fds = calloc(workers, sizeof(*pi->fds));
	pi->ids = calloc(workers, sizeof(*pi->ids));
	if (pi->fds == NULL || pi->ids == NULL) {
		snprintf(err, errlen, "out of memory");
		probe_icmp_close(pi);
		errno = ENOMEM;
		return -1;
	}
	pi->workers = workers;
	for (s = 0; s < workers; s++)
		pi->fds[s] = -1;
	if (getrandom(&base, sizeof(base), 0) != sizeof(base))
		base = (uint16_t)(getpid() * 7919u);
	if (pi->nids == 0 || pi->nids > PROBE_ICMP_IDS_MAX ||
	    (pi->nids & (pi->nids - 1)) != 0)
		pi->nids = 1;
	/* each slot's ids a block of its own, aligned for the filter */
	base = (uint16_t)(base & ~(pi->nids - 1));
	for (s = 0; s < workers; s++)
		pi->ids[s] = (uint16_t)(base + s * pi->nids);
	/*
	 * The datagram kind first: it needs no privilege and the kernel hands
	 * each socket only its own replies.  EACCES here means our group is
	 * outside net.ipv4.ping_group_range; EPROTONOSUPPORT an old kernel.
	 */
	kind = PROBE_ICMP_DGRAM;
	fd = want_raw ? -1 : pisock_icmp(0, 0, pi->rcvbuf);
	if (fd < 0) {
		kind = PROBE_ICMP_RAW;
		fd = pisock_icmp_ids(1, pi->ids[0], pi->nids, pi->rcvbuf);
	}
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open an ICMP socket: %s",
		    strerror(e));
		probe_icmp_close(pi);
		errno = e;
		return -1;
	}
	pi->kind = kind;
	if (kind != PROBE_ICMP_RAW)
		pi->nids = 1;   /* the kernel sets a datagram socket's id */
	pi->fds[0] = fd;
	for (s = 1; s < workers; s++) {
		pi->fds[s] = pisock_icmp_ids(kind == PROBE_ICMP_RAW,
		    pi->ids[s], pi->nids, pi->rcvbuf);
		if (pi->fds[s] < 0) {
			e = errno;
			snprintf(err, errlen, "cannot open ICMP socket %u: %s",
			    s + 1, strerror(e));
			probe_icmp_close(pi);
			errno = e;
			return -1;
		}
	}
	return 0;
}

int
probe_icmp_open_arp(struct probe_icmp *pi)
{
	unsigned s;
	int e;

	pi->arp_fds = calloc(pi->workers ? pi->workers : 1,
	    sizeof(*pi->arp_fds));
	if (pi->arp_fds == NULL)
		return -1;
	for (s = 0; s < pi->workers; s++)
		pi->arp_fds[s] = -1;
	for (s = 0; s < pi->workers; s++) {
		pi->arp_fds[s] = pisock_arp(pi->rcvbuf);
		if (pi->arp_fds[s] < 0)
			goto fail;
	}
	return 0;
fail:
	e = errno;
	for (s = 0; s < pi->workers; s++)
		if (pi->arp_fds[s] >= 0)
			close(pi->arp_fds[s]);
	free(pi->arp_fds);
	pi->arp_fds = NULL;
	errno = e;
	return -1;
}

void
probe_icmp_close(struct probe_icmp *pi)
{
	unsigned s;

	if (pi->fds != NULL)
		for (s = 0; s < pi->workers; s++)
			if (pi->fds[s] >= 0)
				close(pi->fds[s]);
	if (pi->arp_fds != NULL)
		for (s = 0; s < pi->workers; s++)
			if (pi->arp_fds[s] >= 0)
				close(pi->arp_fds[s]);
	free(pi->fds);
	free(pi->ids);
	free(pi->arp_fds);
	pi->fds = NULL;
	pi->ids = NULL;
	pi->arp_fds = NULL;
	pi->workers = 0;
}

int
probe_icmp_fd2(void *ctx, unsigned slot)
{
	struct probe_icmp *pi = ctx;

	return pi->arp_fds != NULL && slot < pi->workers ?
	    pi->arp_fds[slot] : -1;
}

int
probe_icmp_fd(void *ctx, unsigned slot)
{
	struct probe_icmp *pi = ctx;

	return slot < pi->workers ? pi->fds[slot] : -1;
}

/*
 * pi_push -- queue JOB in ring R due at DUE.  Out of memory the worker
 * cannot keep track of its jobs: it leaves, and the parent gives the jobs
 * it had to another worker (a job silently lost would never be decided).
 */
static void
pi_push(struct ring *r, uint32_t job, uint64_t due)
{
	if (ring_push(r, job, due) < 0)
		_exit(1);
}

/* pi_push_run -- queue COUNT held jobs from FIRST on, as pi_push */
static void
pi_push_run(struct pi_worker *pw, uint32_t first, uint32_t count)
{
	if (ring_push_run(&pw->taken, first, count) < 0)
		_exit(1);
}

/* pi_tick -- NS as a worker keeps it: its tick, never 0 */
static uint32_t
pi_tick(const struct pi_worker *pw, uint64_t ns)
{
	uint32_t t = (uint32_t)((ns - pw->t0) >> PI_TICK_SHIFT);

	return t != 0 ? t : 1;
}

/*
 * pi_time -- the start of tick T, taken at NOW: no later than the time
 * it was made from, and no more than a tick earlier (T's age is under
 * 2^32 ticks, so counting back from NOW's tick undoes the wrap)
 */
static uint64_t
pi_time(const struct pi_worker *pw, uint32_t t, uint64_t now)
{
	uint64_t full = (now - pw->t0) >> PI_TICK_SHIFT;
	uint32_t age = (uint32_t)full - t;

	return age <= full ? pw->t0 + ((full - age) << PI_TICK_SHIFT) :
	    pw->t0;
}

/* pi_first_ns, pi_last_ns -- when JOB's first (last) probe went out, as
   pi_time() gives it at NOW; 0: none did */
static uint64_t
pi_first_ns(const struct pi_worker *pw, uint32_t job, uint64_t now)
{
	return pw->sent[job] > 0 ? pi_time(pw, pw->first_t[job], now) : 0;
}

static uint64_t
pi_last_ns(const struct pi_worker *pw, uint32_t job, uint64_t now)
{
	return pw->sent[job] > 0 ? pi_time(pw, pw->last_t[job], now) : 0;
}

/*
 * pi_seq_live -- 1 while an answer to the probe that used S may still
 * come (a tick more than the hold: pi_time rounds down): S is not reused,
 * and an error quoting it is matched through it
 */
static int
pi_seq_live(const struct pi_worker *pw, const struct pi_seq *s,
    uint64_t now)
{
	return s->sent != 0 &&
	    now - pi_time(pw, s->sent, now) <= pw->hold_ns + PI_TICK_NS;
}

/*
 * pi_seq_next -- the sequence slot after SLOT.  The slots go round the
 * ids in use; an id more comes into use only when the first slot is still
 * live at the end of the round, so that a worker touches as much of its
 * table as its rate needs (a /12 at 100 000 probes/s a worker: two of
 * eight ids).
 */
static uint32_t
pi_seq_next(struct pi_worker *pw, uint32_t slot, uint64_t now)
{
	if (++slot < (uint32_t)pw->seq_ids << 16)
		return slot;
	if (pw->seq_ids < pw->nids && pi_seq_live(pw, &pw->seq[0], now)) {
		pw->seq_ids++;
		return slot;
	}
	return 0;
}

/* pi_say -- send a record to the parent; a dead parent ends the worker */
static void
pi_say(struct pi_worker *pw, struct record *r)
{
	if (pool_worker_send(pw->w, r) < 0)
		_exit(0);
	if (r->type != RECORD_EVIDENCE)
		pw->said_ns = mono_now_ns();
}

/* pi_result -- report evidence REASON about JOB; the parent decides */
static void
pi_result(struct pi_worker *pw, uint32_t job, unsigned reason,
    uint32_t rtt_us, uint32_t aux)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_EVIDENCE;
	r.job = job;
	r.reason = (uint8_t)reason;
	r.probes = pw->sent[job];
	r.rtt_us = rtt_us;
	r.aux = aux;
	if (reason == REASON_ARP_REPLY && pw->mac != NULL) {
		/* the MAC that answered, for the history */
		const uint8_t *m = pw->mac + (size_t)job * 6;

		if ((m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) != 0) {
			r.count = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
			    (uint32_t)m[2] << 8 | m[3];
			r.aux2 = RECORD_MAC_SET | (uint32_t)m[4] << 8 | m[5];
		}
	}
	pi_say(pw, &r);
}

/* pi_is_arp -- 1 when JOB is probed with ARP */
static int
pi_is_arp(const struct pi_worker *pw, uint32_t job)
{
	const struct probe_icmp *pi = pw->pi;

	return pw->arp_fd >= 0 && pi->onlink != NULL && pi->onlink[job] != 0 &&
	    pi->ifaces[pi->onlink[job] - 1].ifindex != 0;
}

/*
 * pi_is_neigh -- 1 when on-link JOB gets ICMP and the kernel resolves it:
 * its neighbour entry tells whether it answered ARP (an interface without
 * ARP has NOARP entries, which say nothing: the ICMP evidence decides).
 */
static int
pi_is_neigh(const struct pi_worker *pw, uint32_t job)
{
	const struct probe_icmp *pi = pw->pi;

	return pi->onlink != NULL && pi->onlink[job] != 0 &&
	    !pi_is_arp(pw, job);
}

/*
 * pi_loss -- the loss counters of JOB's kind of probe: ARP for every
 * on-link job.  An on-link probe through the kernel is one ARP resolution
 * as much as one echo request (and on a busy segment the resolution is
 * what fails).
 */
static struct pi_loss *
pi_loss(struct pi_worker *pw, uint32_t job)
{
	return &pw->loss[pw->pi->onlink != NULL && pw->pi->onlink[job] ?
	    RECORD_LOSS_ARP : RECORD_LOSS_ICMP];
}

/*
 * pi_tries -- the independent tries one probe of JOB makes: on the
 * neighbour-table path, where the kernel resolves, each probe is a whole
 * resolution, mcast_solicit ARP requests retrans_time apart, each lost or
 * not on its own; else 1.
 */
static unsigned
pi_tries(const struct pi_worker *pw, uint32_t job)
{
	const struct probe_icmp *pi = pw->pi;
	const struct probe_iface *ifc;

	if (!pi_is_neigh(pw, job))
		return 1;
	ifc = &pi->ifaces[pi->onlink[job] - 1];
	return ifc->ifindex != 0 && ifc->solicit > 1 && ifc->retrans_ms > 0 ?
	    ifc->solicit : 1;
}

/*
 * pi_misses -- the tries JOB left unanswered before it answered probe
 * PROBE (0 for the first) LATENCY ns after that probe went out.  With
 * several tries a probe (pi_tries), the probes before were all lost, and
 * the answered resolution lost one ARP request for each retrans_time it
 * took: the loss is measured per request, from every answer, instead of
 * per resolution from the few that needed a second one.
 */
static uint64_t
pi_misses(const struct pi_worker *pw, uint32_t job, unsigned probe,
    uint64_t latency)
{
	unsigned tries = pi_tries(pw, job);
	uint64_t lost;

	if (tries == 1)
		return probe;
	lost = latency / ((uint64_t)pw->pi->ifaces[pw->pi->onlink[job] - 1].
	    retrans_ms * MONO_NS_PER_MS);
	if (lost > tries - 1u)
		lost = tries - 1u;
	return (uint64_t)probe * tries + lost;
}

/*
 * pi_final -- the final word REASON (with AUX) on held JOB, once: every
 * path that decides a job comes through here, so that the count of
 * decided jobs, which the loss model divides by, counts each once.
 */
static void
pi_final(struct pi_worker *pw, uint32_t job, unsigned reason, uint32_t aux)
{
	if ((pw->flags[job] & (PI_HELD | PI_DONE)) != PI_HELD)
		return;
	pw->flags[job] |= PI_DONE;
	pi_loss(pw, job)->decided++;
	pi_result(pw, job, reason, 0, aux);
}

/*
 * pi_used -- JOB answered (echo, ARP, an ICMP error from the target):
 * report it once, however late, whoever holds it.  Returns 1 when it was
 * the first answer of a job this worker holds (the loss estimate counts
 * those), 0 otherwise.
 */
static int
pi_used(struct pi_worker *pw, uint32_t job, uint64_t sent_ns, uint64_t now,
    unsigned reason)
{
	uint64_t rtt = sent_ns != 0 && now > sent_ns ? (now - sent_ns) / 1000 :
	    0;
	int first;

	if (pw->flags[job] & PI_USED)
		return 0;
	if (sent_ns != 0 && now > sent_ns && now - sent_ns > pw->rtt_max_ns)
		pw->rtt_max_ns = now - sent_ns;
	first = (pw->flags[job] & PI_HELD) != 0;
	if ((pw->flags[job] & (PI_HELD | PI_DONE)) == PI_HELD)
		pi_loss(pw, job)->decided++;
	pw->flags[job] |= PI_USED;
	if (first)
		pw->flags[job] |= PI_DONE;
	pi_result(pw, job, reason,
	    rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt, 0);
	return first;
}

/*
 * pi_event -- act on one decoded reply or error: an answer is reported
 * at once, however late; an error that stopped the probe on its way
 * decides the job (unknown); a late host unreachable only colours the
 * silence the schedule may end in (icmp_reason).
 */
static void
pi_event(struct pi_worker *pw, const struct icmp_event *ev, uint64_t now)
{
	struct probe_icmp *pi = pw->pi;
	uint64_t sent_ns;
	uint32_t job, aux;
	unsigned reason;

	if (ev->have_payload) {
		job = ev->job;
		sent_ns = ev->sent_ns;
	} else {
		/* A short quote: find the probe by its id and sequence
		   number (a datagram socket's id is the kernel's: one) */
		uint16_t k = pw->nids > 1 ? (uint16_t)(ev->id - pw->id) : 0;
		const struct pi_seq *s;

		if (k >= pw->nids)
			return;
		s = &pw->seq[(uint32_t)k << 16 | ev->seq];
		if (!pi_seq_live(pw, s, now))
			return;
		job = s->job;
		sent_ns = pi_time(pw, s->sent, now);
	}
	if (job >= pi->n || pi->addrs[job] != ev->dst)
		return;   /* not a probe of this run's job list */
	if (ev->kind == ICMP_EV_ECHO_REPLY) {
		long other;

		pw->replies++;
		if (ev->from == ev->dst) {
			/* the loss estimate: probes before the answered one
			   that this address left unanswered */
			if (pi_used(pw, job, ev->sent_ns, now,
			    REASON_ECHO_REPLY) && ev->probe < 64) {
				pi_loss(pw, job)->hits++;
				pi_loss(pw, job)->misses += pi_misses(pw, job,
				    ev->probe, now > ev->sent_ns ?
				    now - ev->sent_ns : 0);
				pw->recheck = 1;
			}
			return;
		}
		/*
		 * Policy: an answer from another address proves that address
		 * alive, and leaves the probed one undecided (a broadcast, a
		 * NAT, a router answering for it): never free.
		 */
		other = addr_index(pi->addrs, pi->n, ev->from);
		if (other >= 0)
			pi_used(pw, (uint32_t)other, 0, now, REASON_ECHO_REPLY);
		if (!(pw->flags[job] & (PI_USED | PI_OTHER))) {
			pw->flags[job] |= PI_OTHER;
			pi_final(pw, job, REASON_OTHER_SOURCE, ev->from);
		}
		return;
	}
	reason = icmp_reason(ev, sent_ns != 0 && now > sent_ns ?
	    now - sent_ns : 0, &aux);
	if (reason == REASON_ICMP_FROM_TARGET) {
		pw->replies++;
		pi_used(pw, job, sent_ns, now, reason);
		return;
	}
	/* Errors say something only about jobs this worker holds. */
	if ((pw->flags[job] & (PI_HELD | PI_USED | PI_DONE)) != PI_HELD)
		return;
	if (reason == REASON_HOST_UNREACH) {
		/* Weak silence: the schedule goes on as planned. */
		pw->flags[job] |= PI_UNREACH;
		return;
	}
	pi_final(pw, job, reason, aux);
}

/*
 * pi_dropped -- our ICMP socket dropped replies: remember when (the
 * addresses probed before then get another probe) and halve the pace, so
 * that the probes again do not overflow it again.
 */
static void
pi_dropped(struct pi_worker *pw, uint64_t now)
{
	pw->drop_ns = now;
	pace_dropped(&pw->pace, now);
}

/*
 * pi_arp_drop_check -- the same for the ARP socket, whose drops only
 * PACKET_STATISTICS tells (tp_drops, which the read resets: each read is
 * the drops since the one before).  The ARP socket receives every ARP
 * packet of the host, so a burst of others' can fill it too: any drop may
 * have been a reply of ours.
 */
static void
pi_arp_drop_check(struct pi_worker *pw, uint64_t now)
{
	uint32_t d;

	if (pw->arp_fd < 0 || pisock_packet_drops(pw->arp_fd, &d) < 0 ||
	    d == 0)
		return;
	pw->arp_drops += d;
	pw->arp_drop_ns = now;
	pace_dropped(&pw->pace, now);
}

/* pi_overflow -- look at the SO_RXQ_OVFL counter of a received message */
static void
pi_overflow(struct pi_worker *pw, struct msghdr *msg, uint64_t now)
{
	uint32_t v;

	if (pisock_rxq_ovfl(msg, &v) && pisock_drops_rxq(&pw->drops, v) != 0)
		pi_dropped(pw, now);
}

/*
 * pi_drop_check -- read the sockets' drop counters (SO_MEMINFO for ICMP,
 * PACKET_STATISTICS for ARP) before any address is called free: datagram
 * and packet sockets never report drops otherwise.
 */
static void
pi_drop_check(struct pi_worker *pw, uint64_t now)
{
	uint32_t v;

	if (pisock_meminfo_drops(pw->fd, &v) == 0 &&
	    pisock_drops_mem(&pw->drops, v) != 0)
		pi_dropped(pw, now);
	pi_arp_drop_check(pw, now);
}

/*
 * pi_errqueue -- read the socket's error queue.  On a datagram socket that
 * is where ICMP errors about our probes arrive (IP_RECVERR); a raw socket
 * gets them as packets too, so there the queue is only emptied.
 */
static void
pi_errqueue(struct pi_worker *pw, uint64_t now)
{
	uint8_t data[256];
	union {
		struct cmsghdr align;
		uint8_t buf[512];
	} ctl;
	struct sockaddr_in sin;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cm;
	int rounds;

	for (rounds = 0; rounds < PI_RECV_BATCH; rounds++) {
		ssize_t got;

		pisock_msg(&msg, &iov, data, sizeof(data), &sin, ctl.buf,
		    sizeof(ctl.buf));
		got = recvmsg(pw->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (got < 0)
			return;
		if (pw->pi->kind != PROBE_ICMP_DGRAM)
			continue;
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm)) {
			struct sock_extended_err ee;
			struct sockaddr_in off;
			struct icmp_event ev;

			if (cm->cmsg_level != IPPROTO_IP ||
			    cm->cmsg_type != IP_RECVERR)
				continue;
			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			if (ee.ee_origin != SO_EE_ORIGIN_ICMP)
				continue;
			memcpy(&off, SO_EE_OFFENDER((struct sock_extended_err *)
			    CMSG_DATA(cm)), sizeof(off));
			if (icmp_parse_errqueue(data, (size_t)got, ee.ee_type,
			    ee.ee_code, ntohl(off.sin_addr.s_addr),
			    ntohl(sin.sin_addr.s_addr), pw->pi->cookie,
			    &ev) == 0)
				pi_event(pw, &ev, now);
		}
	}
}

/* pi_receive -- read and act on everything the socket holds, in batches */
static void
pi_receive(struct pi_worker *pw, uint64_t now)
{
	uint8_t pkt[1500];
	union {
		struct cmsghdr align;
		uint8_t buf[256];
	} ctl;
	struct sockaddr_in sin;
	struct iovec iov;
	struct msghdr msg;
	struct icmp_event ev;
	int rounds, rc;

	for (rounds = 0; rounds < PI_RECV_BATCH; rounds++) {
		ssize_t got;

		pisock_msg(&msg, &iov, pkt, sizeof(pkt), &sin, ctl.buf,
		    sizeof(ctl.buf));
		got = recvmsg(pw->fd, &msg, MSG_DONTWAIT);
		if (got < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			/* A pending socket error (IP_RECVERR): read the queue. */
			pi_errqueue(pw, now);
			continue;
		}
		pi_overflow(pw, &msg, now);
		if (pw->pi->kind == PROBE_ICMP_RAW)
			rc = icmp_parse_ip(pkt, (size_t)got, pw->pi->cookie,
			    pw->nids == 1, pw->id, &ev) < 0 ||
			    (uint16_t)(ev.id - pw->id) >= pw->nids ? -1 : 0;
		else
			rc = icmp_parse_icmp(pkt, (size_t)got,
			    ntohl(sin.sin_addr.s_addr), pw->pi->cookie, &ev);
		if (rc == 0)
			pi_event(pw, &ev, now);
	}
}

/*
 * pi_arp_receive -- read ARP packets: any packet whose sender is one of
 * our on-link targets proves that address in use (a reply to our request,
 * to the kernel's, or the host's own request).  A second, different MAC
 * for the same address is an address conflict, reported once.
 */
static void
pi_arp_receive(struct pi_worker *pw, uint64_t now)
{
	const struct probe_icmp *pi = pw->pi;
	uint8_t buf[128];
	int rounds;

	if (pw->arp_fd < 0)
		return;
	for (rounds = 0; rounds < PI_RECV_BATCH; rounds++) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		struct arp_packet ap;
		ssize_t got;
		long job;

		got = recvfrom(pw->arp_fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&sll, &sl);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (sll.sll_pkttype == PACKET_OUTGOING ||
		    arp_parse(buf, (size_t)got, &ap) < 0)
			continue;
		job = addr_index(pi->addrs, pi->n, ap.spa);
		if (job < 0 || !pi_is_arp(pw, (uint32_t)job))
			continue;
		if (pw->mac != NULL) {
			uint8_t *m = pw->mac + (size_t)job * 6;
			static const uint8_t zero[6];

			if (memcmp(m, zero, 6) == 0) {
				memcpy(m, ap.sha, 6);
			} else if (memcmp(m, ap.sha, 6) != 0 &&
			    !(pw->flags[job] & PI_CONFLICT)) {
				struct record r;
				uint32_t w4[4];

				pw->flags[job] |= PI_CONFLICT;
				arp_pack_macs(m, ap.sha, w4);
				memset(&r, 0, sizeof(r));
				r.type = RECORD_CONFLICT;
				r.job = (uint32_t)job;
				r.count = w4[0];
				r.rtt_us = w4[1];
				r.aux = w4[2];
				r.aux2 = w4[3];
				pi_say(pw, &r);
			}
		}
		if (pw->flags[job] & PI_USED)
			continue;
		pw->replies++;
		/*
		 * The ARP loss estimate: the requests this address left
		 * unanswered before it answered, taken as all but the last
		 * one sent (ARP carries no probe number).  An address heard
		 * before any request of ours (its own request, a reply to
		 * the kernel's) measures nothing.
		 */
		if (pi_used(pw, (uint32_t)job, pi_first_ns(pw, job, now), now,
		    REASON_ARP_REPLY) && pw->sent[job] > 0) {
			pw->loss[RECORD_LOSS_ARP].hits++;
			pw->loss[RECORD_LOSS_ARP].misses += pw->sent[job] - 1u;
			pw->recheck = 1;
		}
	}
}

/* pi_gap_ns -- the gap before the next probe to a silent address */
static uint64_t
pi_gap_ns(const struct pi_worker *pw)
{
	return pace_gap_ns(pw->pi->retry_ms, pw->rtt_max_ns);
}

/* pi_limit -- the probes planned for JOB now */
static unsigned
pi_limit(const struct pi_worker *pw, uint32_t job)
{
	return (pw->limit[job] ? pw->limit[job] : pw->pi->count) +
	    ((pw->flags[job] & PI_REPROBE) ? 1 : 0);
}

/* pi_sent -- book a probe of JOB that went out at NOW */
static void
pi_sent(struct pi_worker *pw, uint32_t job, uint64_t now, unsigned limit)
{
	pw->fail_since = 0;
	pw->probes++;
	if (pw->sent[job] == 0)
		pw->first_t[job] = pi_tick(pw, now);
	pw->last_t[job] = pi_tick(pw, now);
	pw->flags[job] &= (uint8_t)~PI_NSEEN;
	pw->sent[job]++;
	if (pw->sent[job] < limit)
		pi_push(&pw->retry, job, now);
	else
		pi_push(&pw->final, job,
		    now + pw->pi->timeout_ms * MONO_NS_PER_MS);
}

/*
 * pi_sendto -- send LEN bytes of PKT to SIN on ICMP socket FD.  With
 * IP_RECVERR, an ICMP error about an earlier probe (host unreachable,
 * admin prohibited, ...) leaves its errno pending on the socket (sk_err),
 * and the next send returns that instead of sending: an error that is not
 * about this probe at all, often not even about this address.  The failed
 * send cleared it, so one more try tells: an error that is about this
 * send (no route, a local firewall) comes again.  Returns as sendto.
 */
static ssize_t
pi_sendto(int fd, const uint8_t *pkt, size_t len,
    const struct sockaddr_in *sin)
{
	ssize_t rc = sendto(fd, pkt, len, 0, (const struct sockaddr *)sin,
	    sizeof(*sin));

	if (rc < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
		rc = sendto(fd, pkt, len, 0, (const struct sockaddr *)sin,
		    sizeof(*sin));
	return rc;
}

/*
 * pi_send_fail -- a send of JOB failed with E: 1 to try again a little
 * later (a full queue somewhere: ENOBUFS and friends, for up to
 * PI_SEND_GIVEUP_NS), 0 when the job was given up as unknown.
 * Everything else (EACCES for a broadcast address without SO_BROADCAST,
 * ENETUNREACH without a route, EPERM from a local firewall) decides it.
 */
static int
pi_send_fail(struct pi_worker *pw, uint32_t job, int e, uint64_t now)
{
	if (e == ENOBUFS || e == EAGAIN || e == EINTR) {
		if (pw->fail_since == 0)
			pw->fail_since = now;
		if (now - pw->fail_since < PI_SEND_GIVEUP_NS)
			return 1;
	}
	pw->fail_since = 0;
	pi_final(pw, job, REASON_SEND_ERROR, (uint32_t)e);
	return 0;
}

/*
 * pi_send_arp -- an ARP request for on-link JOB, broadcast on its
 * interface from our address there.  Returns as pi_send_one.
 */
static int
pi_send_arp(struct pi_worker *pw, uint32_t job, uint64_t now, unsigned limit)
{
	const struct probe_icmp *pi = pw->pi;
	const struct probe_iface *ifc = &pi->ifaces[pi->onlink[job] - 1];
	struct sockaddr_ll sll;
	uint8_t pkt[ARP_LEN];

	arp_build_request(pkt, sizeof(pkt), ifc->mac, ifc->addr,
	    pi->addrs[job]);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = ifc->ifindex;
	sll.sll_halen = 6;
	memset(sll.sll_addr, 0xff, 6);
	if (sendto(pw->arp_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sll,
	    sizeof(sll)) < 0)
		return pi_send_fail(pw, job, errno, now);
	pi_sent(pw, job, now, limit);
	return 0;
}

/* pi_echo_sent -- book an echo request to JOB that went out at NOW with
   the sequence number pw->next_seq */
static void
pi_echo_sent(struct pi_worker *pw, uint32_t job, uint64_t now,
    unsigned limit)
{
	struct probe_icmp *pi = pw->pi;
	struct pi_seq *s = &pw->seq[pw->next_seq];

	s->job = job;
	s->sent = pi_tick(pw, now);
	pw->next_seq = pi_seq_next(pw, pw->next_seq, now);
	if (pw->sent[job] == 0 && pi->onlink != NULL && pi->onlink[job])
		pi_push(&pw->onlink, job,
		    now + pi->onlink_hold_ms * MONO_NS_PER_MS);
	pi_sent(pw, job, now, limit);
}

/*
 * pi_send_one -- send the next probe of JOB.  Returns 0 when it went out
 * (or the job was given up as unknown), 1 when it should be retried a
 * little later (ENOBUFS and friends: a full queue somewhere), -1 when
 * nothing may go out now (every sequence number is still in use).
 */
static int
pi_send_one(struct pi_worker *pw, uint32_t job, uint64_t now)
{
	struct probe_icmp *pi = pw->pi;
	struct icmp_probe p;
	struct sockaddr_in sin;
	struct pi_seq *s = &pw->seq[pw->next_seq];
	uint8_t pkt[ICMP_ECHO_LEN];
	unsigned limit = pi_limit(pw, job);

	if (pi_is_arp(pw, job))
		return pi_send_arp(pw, job, now, limit);
	/* Never reuse a sequence number while an answer to it may come. */
	if (pi_seq_live(pw, s, now))
		return -1;
	memset(&p, 0, sizeof(p));
	p.id = (uint16_t)(pw->id + (pw->next_seq >> 16));
	p.seq = (uint16_t)pw->next_seq;
	p.cookie = pi->cookie;
	p.job = job;
	p.dst = pi->addrs[job];
	p.probe = pw->sent[job];
	p.sent_ns = now;
	icmp_build_echo(pkt, sizeof(pkt), &p);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(pi->addrs[job]);
	if (pi_sendto(pw->fd, pkt, sizeof(pkt), &sin) < 0)
		return pi_send_fail(pw, job, errno, now);
	pi_echo_sent(pw, job, now, limit);
	return 0;
}

/*
 * pi_send_batch -- send the echo requests due at the head of Q in one
 * sendmmsg: as many as the tokens allow, up to PI_SEND_BATCH, stopping at
 * a job that is done, goes by ARP or is on-link (those go one by one, as
 * pi_send_one decides) and at a sequence number still held.  The jobs
 * that went out leave Q and take a token each.  Returns how many went;
 * 0 when the head must go alone through pi_send_one (the first message
 * failed: pi_sendto's second try tells a stale error from its own).
 */
static unsigned
pi_send_batch(struct pi_worker *pw, struct ring *q, uint64_t now)
{
	static uint8_t pkt[PI_SEND_BATCH][ICMP_ECHO_LEN];
	struct sockaddr_in sin[PI_SEND_BATCH];
	struct iovec iov[PI_SEND_BATCH];
	struct mmsghdr m[PI_SEND_BATCH];
	struct probe_icmp *pi = pw->pi;
	uint32_t slot = pw->next_seq;
	unsigned n = 0, i, max = PI_SEND_BATCH;
	int sent;

	max = pace_room(&pw->pace, now, max);
	for (; n < max && n < q->len; n++) {
		uint32_t job = ring_at(q, n);
		const struct pi_seq *s = &pw->seq[slot];
		struct icmp_probe p;

		if ((pw->flags[job] & PI_DONE) || pi_is_arp(pw, job) ||
		    (pi->onlink != NULL && pi->onlink[job]) ||
		    pi_seq_live(pw, s, now))
			break;
		memset(&p, 0, sizeof(p));
		p.id = (uint16_t)(pw->id + (slot >> 16));
		p.seq = (uint16_t)slot;
		p.cookie = pi->cookie;
		p.job = job;
		p.dst = pi->addrs[job];
		p.probe = pw->sent[job];
		p.sent_ns = now;
		icmp_build_echo(pkt[n], sizeof(pkt[n]), &p);
		memset(&sin[n], 0, sizeof(sin[n]));
		sin[n].sin_family = AF_INET;
		sin[n].sin_addr.s_addr = htonl(pi->addrs[job]);
		iov[n].iov_base = pkt[n];
		iov[n].iov_len = sizeof(pkt[n]);
		memset(&m[n], 0, sizeof(m[n]));
		m[n].msg_hdr.msg_name = &sin[n];
		m[n].msg_hdr.msg_namelen = sizeof(sin[n]);
		m[n].msg_hdr.msg_iov = &iov[n];
		m[n].msg_hdr.msg_iovlen = 1;
		slot = pi_seq_next(pw, slot, now);
	}
	if (n < 2)
		return 0;   /* one alone: pi_send_one, no gain here */
	sent = sendmmsg(pw->fd, m, n, 0);
	if (sent <= 0)
		return 0;
	/*
	 * A message that failed after the first left its error pending on
	 * the socket (sk_err): the next send returns it, and pi_sendto's
	 * second try tells whether it was that job's own.
	 */
	for (i = 0; i < (unsigned)sent; i++) {
		uint32_t job = ring_pop(q);

		pi_echo_sent(pw, job, now, pi_limit(pw, job));
		pace_take(&pw->pace, now);
	}
	return (unsigned)sent;
}

/*
 * pi_needed -- how many probes silent JOB needs before its silence may
 * count, from the loss this worker has seen for its kind of probe
 * (loss_needed): LOSS_BEYOND when more than max_count.
 */
static unsigned
pi_needed(struct pi_worker *pw, uint32_t job)
{
	const struct probe_icmp *pi = pw->pi;
	const struct pi_loss *l = pi_loss(pw, job);

	return loss_needed(l->hits, l->misses, l->decided, l->n,
	    pi_tries(pw, job), pi->count,
	    pi->max_count, pi->false_free_max);
}

/*
 * pi_neigh_step -- what the kernel's neighbour table says of on-link JOB
 * (pi_is_neigh) since its last probe.  Our probe made the kernel ask ARP:
 *  - a link-layer address: it answered ARP, it is there (used), whatever
 *    it does with echo requests;
 *  - INCOMPLETE: the kernel is still asking.  That is no silence yet, and
 *    no probe may go out meanwhile: it would wait on the same resolution
 *    instead of being an independent try, which the loss model assumes.
 *    Wait (PI_NS_WAIT) until the kernel's own retries end, but no longer
 *    than its mcast_solicit x retrans_time (and a margin) after the probe:
 *    then it cannot tell (neigh-incomplete);
 *  - FAILED, or an entry seen since the probe that is gone now (garbage
 *    collected) once the kernel's retries must have ended: they ended
 *    unanswered, and only that is silence for this probe (PI_NS_FAILED);
 *  - no entry since the probe at all: the probe may never have left (a
 *    full table drops it without a word): one more probe (PI_NS_AGAIN),
 *    and if that makes none either, it cannot tell (no-neighbour-entry);
 *  - the table cannot be read: nothing can be ruled out (unknown);
 *  - an entry of an interface without ARP says nothing: the ICMP
 *    evidence alone decides (PI_NS_FAILED).
 */
static enum pi_nstep
pi_neigh_step(struct pi_worker *pw, uint32_t job, uint64_t now)
{
	const struct probe_icmp *pi = pw->pi;
	const struct probe_iface *ifc = &pi->ifaces[pi->onlink[job] - 1];
	unsigned ms = ifc->resolve_ms ? ifc->resolve_ms : pi->onlink_hold_ms;
	/* the last probe's tick; a wait from it gets the tick on top, and a
	   table read within the tick is read again: neither is cut short */
	uint64_t last = pi_last_ns(pw, job, now);
	uint64_t wait = (uint64_t)ms * MONO_NS_PER_MS + PI_TICK_NS;

	switch (neigh_state(&pw->neigh, pi->addrs[job], ifc->ifindex, now,
	    last + PI_TICK_NS)) {
	case NEIGH_LLADDR:
		if (pi_used(pw, job, 0, now, REASON_ARP_REPLY) &&
		    pw->sent[job] > 0) {
			pi_loss(pw, job)->hits++;
			pi_loss(pw, job)->misses += pi_misses(pw, job,
			    pw->sent[job] - 1u, now - last);
			pw->recheck = 1;
		}
		return PI_NS_DECIDED;
	case NEIGH_INCOMPLETE:
		pw->flags[job] |= PI_NSEEN;
		if (now - last <= wait)
			return PI_NS_WAIT;
		pi_final(pw, job, REASON_NEIGH_INCOMPLETE, 0);
		return PI_NS_DECIDED;
	case NEIGH_FAILED:
	case NEIGH_OTHER:
		pw->flags[job] |= PI_NSEEN;
		return PI_NS_FAILED;
	case NEIGH_NONE:
		/*
		 * Gone after it was seen: garbage collected once its
		 * resolution failed; but only the end of the kernel's retries
		 * makes that sure (a probe sent earlier would join the
		 * resolution still running, and count as a try it is not).
		 */
		if (pw->flags[job] & PI_NSEEN)
			return now - last <= wait ? PI_NS_WAIT :
			    PI_NS_FAILED;
		if (!(pw->flags[job] & PI_REPROBE)) {
			pw->flags[job] |= PI_REPROBE;
			return PI_NS_AGAIN;
		}
		pi_final(pw, job, REASON_NO_NEIGH, 0);
		return PI_NS_DECIDED;
	default:
		pi_final(pw, job, REASON_NEIGH_UNREADABLE, 0);
		return PI_NS_DECIDED;
	}
}

/*
 * pi_settle -- JOB's last probe had its wait (and, through the kernel,
 * its resolution ended): after receive drops on the socket its answer
 * would come to (ICMP or ARP) since its first probe, one more probe, and
 * unknown if that happens again; if the loss measured
 * wants more probes, more (up to max_count, then unknown); else its
 * silence is the final word.
 */
static void
pi_settle(struct pi_worker *pw, uint32_t job, uint64_t now)
{
	const struct probe_icmp *pi = pw->pi;
	struct pi_loss *l = pi_loss(pw, job);
	uint64_t drop_ns = pi_is_arp(pw, job) ? pw->arp_drop_ns : pw->drop_ns;
	unsigned need;

	if (drop_ns != 0 && drop_ns >= pi_first_ns(pw, job, now)) {
		if (!(pw->flags[job] & PI_REPROBE)) {
			pw->flags[job] |= PI_REPROBE;
			/* only drops after this probe count again */
			pw->first_t[job] = pi_tick(pw, now);
			pi_push(&pw->resend, job, 0);
			return;
		}
		pi_final(pw, job, REASON_RCVBUF_OVERFLOW, 0);
		return;
	}
	/*
	 * Loss seen: more probes before "free" (loss-aware).  When even
	 * max_count probes leave a live address's silence likely, it gets
	 * them all, and cannot be free after them.
	 */
	need = pi_needed(pw, job);
	if (need == LOSS_BEYOND && pw->sent[job] >= pi->max_count) {
		if (pw->sent[job] > l->most)
			l->most = pw->sent[job];
		pi_final(pw, job, REASON_LOSS_TOO_HIGH, 0);
		return;
	}
	if (need == LOSS_BEYOND)
		need = pi->max_count;
	if (need > pw->sent[job]) {
		pw->limit[job] = (uint8_t)need;
		pi_push(&pw->resend, job, 0);
		return;
	}
	if (pw->sent[job] > l->most)
		l->most = pw->sent[job];
	pi_final(pw, job, (pw->flags[job] & PI_UNREACH) ?
	    REASON_HOST_UNREACH : REASON_NO_REPLY, 0);
	/* silent on what was known of the loss so far: pi_recheck() */
	if (pw->sent[job] < l->freed_min) {
		l->freed_min = pw->sent[job];
		l->freed_job = job;
	}
}

/*
 * pi_recheck -- the loss measured has grown since some silent jobs were
 * reported: one that got fewer probes than a job of its kind needs now
 * is doubted (loss-too-high), never left free on what was known when it
 * was decided.  Early in a sweep few answers have come, and none missed
 * may just mean too few seen.  An answer still makes it used.  Scans the
 * jobs only when what a kind needs has passed its fewest probes.
 */
static void
pi_recheck(struct pi_worker *pw)
{
	const struct probe_icmp *pi = pw->pi;
	unsigned need[RECORD_LOSS_MAX], k, scan = 0;
	size_t j;

	pw->recheck = 0;
	for (k = 0; k < RECORD_LOSS_MAX; k++) {
		struct pi_loss *l = &pw->loss[k];

		need[k] = 0;
		if (l->freed_min == UINT_MAX)
			continue;
		need[k] = pi_needed(pw, l->freed_job);
		if (need[k] > l->freed_min) {
			scan = 1;
			l->freed_min = UINT_MAX;   /* found again below */
		}
	}
	for (j = 0; scan && j < pi->n; j++) {
		uint32_t job = (uint32_t)j;
		struct pi_loss *l;

		if ((pw->flags[job] & (PI_HELD | PI_DONE | PI_USED)) !=
		    (PI_HELD | PI_DONE) || pw->limit[job] == PI_DOUBTED)
			continue;
		l = pi_loss(pw, job);
		k = (unsigned)(l - pw->loss);
		if (need[k] <= pw->sent[job]) {
			if (pw->sent[job] < l->freed_min) {
				l->freed_min = pw->sent[job];
				l->freed_job = job;
			}
			continue;
		}
		pw->limit[job] = PI_DOUBTED;
		pi_result(pw, job, REASON_LOSS_TOO_HIGH, 0, 0);
	}
}

/*
 * pi_neigh_next -- act on what pi_neigh_step found for JOB: look again
 * later, send the next probe, or settle it when no more are planned.
 */
static void
pi_neigh_next(struct pi_worker *pw, uint32_t job, uint64_t now)
{
	switch (pi_neigh_step(pw, job, now)) {
	case PI_NS_WAIT:
		pi_push(&pw->nwait, job, now + PI_NEIGH_POLL_NS);
		break;
	case PI_NS_AGAIN:
		pi_push(&pw->resend, job, 0);
		break;
	case PI_NS_FAILED:
		if (pw->sent[job] < pi_limit(pw, job))
			pi_push(&pw->resend, job, 0);
		else
			pi_settle(pw, job, now);
		break;
	default:
		break;
	}
}

/*
 * pi_timers -- move due jobs on: after a retry gap a silent job goes to
 * the send queue; after its last probe's wait it settles.  An on-link job
 * that the kernel resolves goes on only once the resolution its last
 * probe started has ended (pi_neigh_step).
 */
static void
pi_timers(struct pi_worker *pw, uint64_t now)
{
	uint64_t gap = pi_gap_ns(pw);
	uint32_t job;

	while (ring_due(&pw->retry, now > gap ? now - gap : 0)) {
		job = ring_pop(&pw->retry);
		if (pw->flags[job] & PI_DONE)
			continue;
		if (pi_is_neigh(pw, job))
			pi_neigh_next(pw, job, now);
		else
			pi_push(&pw->resend, job, 0);
	}
	while (ring_due(&pw->nwait, now)) {
		job = ring_pop(&pw->nwait);
		if (!(pw->flags[job] & PI_DONE))
			pi_neigh_next(pw, job, now);
	}
	if (ring_due(&pw->final, now))
		pi_drop_check(pw, now);
	while (ring_due(&pw->final, now)) {
		job = ring_pop(&pw->final);
		if (pw->flags[job] & PI_DONE)
			continue;
		if (pi_is_neigh(pw, job))
			pi_neigh_next(pw, job, now);
		else
			pi_settle(pw, job, now);
	}
	while (ring_due(&pw->onlink, now))
		ring_pop(&pw->onlink);
}

/*
 * pi_refill -- queue held jobs for their first probe, up to
 * PI_FRESH_AHEAD of them; those decided meanwhile are skipped.  Returns
 * how many are queued.
 */
static size_t
pi_refill(struct pi_worker *pw)
{
	uint32_t j;

	while (pw->fresh.len < PI_FRESH_AHEAD &&
	    ring_pop_run(&pw->taken, &j))
		if (!(pw->flags[j] & PI_DONE))
			pi_push(&pw->fresh, j, 0);
	return pw->fresh.len;
}

/*
 * pi_send -- send what is due while the rate allows: probes that are due
 * again first, then new jobs.  A new on-link job waits while too many
 * first probes to on-link addresses may still be resolving: the kernel's
 * neighbour table holds about gc_thresh3 (1024) entries and silently drops
 * probes to new neighbours beyond that.
 */
static void
pi_send(struct pi_worker *pw, uint64_t now)
{
	struct probe_icmp *pi = pw->pi;

	if (now < pw->backoff_until)
		return;
	pace_refill(&pw->pace, now);
	while (pace_ready(&pw->pace, now)) {
		struct ring *q;
		uint32_t job;
		int rc;

		if (pw->resend.len > 0) {
			q = &pw->resend;
		} else if (pw->fresh.len > 0 || pi_refill(pw) > 0) {
			q = &pw->fresh;
			job = ring_head(q);
			if (pi->onlink != NULL && pi->onlink[job] &&
			    pw->arp_fd < 0 && pw->onlink.len >= pi->onlink_max)
				return;
		} else {
			return;
		}
		job = ring_head(q);
		if (pw->flags[job] & PI_DONE) {
			ring_pop(q);
			continue;
		}
		if (pi_send_batch(pw, q, now) > 0)
			continue;
		rc = pi_send_one(pw, job, now);
		if (rc < 0)
			return;
		if (rc > 0) {
			pw->backoff_until = now + PI_SEND_RETRY_NS;
			return;
		}
		ring_pop(q);
		pace_take(&pw->pace, now);
	}
}

/*
 * pi_take_jobs -- queue what the parent sent, and hold it.  A job this
 * worker already reported an answer for (a stray reply meant for the
 * worker it replaced) is decided in the parent already: nothing to probe.
 */
static void
pi_take_jobs(struct pi_worker *pw)
{
	uint32_t first, count, j;
	int rc;

	while ((rc = pool_worker_jobs(pw->w, &first, &count)) == 1) {
		uint32_t run = first;

		for (j = first; j < first + count && j < pw->pi->n; j++) {
			if (pw->flags[j] & PI_HELD) {
				/* held already: queued once is enough */
				pi_push_run(pw, run, j - run);
				run = j + 1;
				continue;
			}
			pw->flags[j] |= PI_HELD;
			if (pw->flags[j] & PI_USED)
				pw->flags[j] |= PI_DONE;
		}
		pi_push_run(pw, run, j - run);
	}
	if (rc < 0)
		pw->parent_done = 1;
}

/* pi_next_wake -- nanoseconds until something is due, at most LIMIT */
static uint64_t
pi_next_wake(const struct pi_worker *pw, uint64_t now, uint64_t limit)
{
	const struct ring *rings[] = { &pw->retry, &pw->final, &pw->onlink,
	    &pw->nwait };
	uint64_t wake = limit;
	size_t i;

	for (i = 0; i < sizeof(rings) / sizeof(rings[0]); i++) {
		const struct ring *r = rings[i];

		if (r->len > 0) {
			uint64_t due = ring_head_due(r) +
			    (r == &pw->retry ? pi_gap_ns(pw) : 0);
			uint64_t d = due > now ? due - now : 0;

			if (d < wake)
				wake = d;
		}
	}
	if (pw->resend.len > 0 || pw->fresh.len > 0 || pw->taken.len > 0) {
		/*
		 * At high rates wake once per half millisecond and send a
		 * small burst: a wake-up per packet costs more syscalls than
		 * the packet itself.
		 */
		uint64_t d = pace_wait_ns(&pw->pace, now);

		if (d > 0 && d < PI_MIN_SLEEP_NS)
			d = PI_MIN_SLEEP_NS;
		if (pw->backoff_until > now && pw->backoff_until - now > d)
			d = pw->backoff_until - now;
		/* blocked on on-link room or sequence numbers: poll again */
		if (d == 0)
			d = MONO_NS_PER_MS;
		if (d < wake)
			wake = d;
	}
	return wake;
}

/*
 * pi_stats -- tell the parent our counters before we go: one STATS record
 * per kind of probe whose loss was measured (the echo one carries the
 * probe, reply and drop counts of both).
 */
static void
pi_stats(struct pi_worker *pw)
{
	struct record r;
	unsigned k;

	for (k = 0; k < RECORD_LOSS_MAX; k++) {
		const struct pi_loss *l = &pw->loss[k];

		if (k == RECORD_LOSS_ARP && l->n == 0)
			continue;
		memset(&r, 0, sizeof(r));
		r.type = RECORD_STATS;
		r.kind = (uint8_t)k;
		r.job = l->hits > UINT32_MAX ? UINT32_MAX : (uint32_t)l->hits;
		r.rtt_us = l->misses > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)l->misses;
		r.probes = l->most > UINT8_MAX ? UINT8_MAX : (uint8_t)l->most;
		if (k == RECORD_LOSS_ICMP) {
			r.count = (uint32_t)pw->probes;
			r.aux = (uint32_t)pw->replies;
			r.aux2 = (uint32_t)(pisock_drops_total(&pw->drops) +
			    pw->arp_drops);
		}
		pi_say(pw, &r);
	}
}

int
probe_icmp_run(void *ctx, unsigned slot, struct pool_worker *w)
{
	struct probe_icmp *pi = ctx;
	struct pi_worker pw;
	struct pollfd pfd[3];
	uint64_t now;
	uint32_t v;
	size_t j;

	memset(&pw, 0, sizeof(pw));
	pool_worker_batch(w);
	pw.pi = pi;
	pw.w = w;
	pw.fd = pi->fds[slot];
	pw.id = pi->ids[slot];
	pw.arp_fd = pi->arp_fds != NULL && pi->onlink != NULL ?
	    pi->arp_fds[slot] : -1;
	/* conflict detection needs a MAC per job: for up to a /12 */
	if (pw.arp_fd >= 0 && pi->n <= (1u << 20))
		pw.mac = calloc(pi->n ? pi->n : 1, 6);
	/* whole pages: a worker touches only those of the chunks it holds */
	pw.sent = bigmem_calloc(pi->n, 1);
	pw.flags = bigmem_calloc(pi->n, 1);
	pw.first_t = bigmem_calloc(pi->n, sizeof(*pw.first_t));
	pw.last_t = bigmem_calloc(pi->n, sizeof(*pw.last_t));
	pw.limit = bigmem_calloc(pi->n, 1);
	pw.nids = pi->kind == PROBE_ICMP_RAW && pi->nids > 0 ? pi->nids : 1;
	pw.seq_ids = 1;
	pw.seq = calloc((size_t)pw.nids << 16, sizeof(*pw.seq));
	if (pw.sent == NULL || pw.flags == NULL || pw.first_t == NULL ||
	    pw.last_t == NULL || pw.seq == NULL || pw.limit == NULL)
		return 1;
	/* the population each loss estimate speaks for */
	for (v = 0; v < RECORD_LOSS_MAX; v++)
		pw.loss[v].freed_min = UINT_MAX;
	for (j = 0; j < pi->n; j++)
		pi_loss(&pw, (uint32_t)j)->n++;
	/*
	 * A sequence number is not reused within a timeout: an ICMP error
	 * that quotes too little to hold our payload is matched through it
	 * (and through the quoted destination, so even a stale match cannot
	 * land on another address).  Longer would cap a worker's rate at
	 * 65536 probes per hold and id.
	 */
	pw.hold_ns = (uint64_t)pi->timeout_ms * MONO_NS_PER_MS;
	now = mono_now_ns();
	pw.t0 = now;
	if (pace_init(&pw.pace, pi->rate_pps, now) < 0)
		return 1;
	pw.said_ns = now;
	neigh_init(&pw.neigh);
	/* drops the socket saw before us (a dead predecessor's) are not ours */
	if (pisock_meminfo_drops(pw.fd, &v) < 0)
		v = 0;
	pisock_drops_init(&pw.drops, v);
	if (pw.arp_fd >= 0)
		pisock_packet_drops(pw.arp_fd, &v);   /* the same for ARP */
	/* the first round reads everything; later ones what ppoll named */
	pfd[0].revents = pfd[1].revents = pfd[2].revents = POLLIN;
	while (!pw.parent_done) {
		struct timespec ts;
		uint64_t wake;

		if (pfd[1].revents != 0)
			pi_take_jobs(&pw);
		if (pw.parent_done)
			break;
		now = mono_now_ns();
		if (pfd[0].revents & POLLERR)
			pi_errqueue(&pw, now);
		if (pfd[0].revents & POLLIN)
			pi_receive(&pw, now);
		if (pfd[2].revents != 0)
			pi_arp_receive(&pw, now);
		pi_timers(&pw, now);
		if (pw.recheck)
			pi_recheck(&pw);
		pi_send(&pw, now);
		if (now - pw.said_ns >= PI_HEARTBEAT_NS) {
			struct record r;

			/* Proof of life, and the probe count for progress. */
			memset(&r, 0, sizeof(r));
			r.type = RECORD_HEARTBEAT;
			r.count = (uint32_t)pw.probes;
			pi_say(&pw, &r);
		}
		wake = pi_next_wake(&pw, now, PI_HEARTBEAT_NS);
		ts.tv_sec = (time_t)(wake / 1000000000ull);
		ts.tv_nsec = (long)(wake % 1000000000ull);
		pfd[0].fd = pw.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = pool_worker_fd(w);
		pfd[1].events = POLLIN;
		pfd[2].fd = pw.arp_fd;   /* -1: ignored by poll */
		pfd[2].events = POLLIN;
		/* what this round found goes out before the wait */
		if (pool_worker_flush(w) < 0)
			_exit(0);
		if (ppoll(pfd, 3, &ts, NULL) <= 0)
			pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
	}
	/* The run is over: report what already arrived, then leave. */
	pi_receive(&pw, mono_now_ns());
	pi_arp_receive(&pw, mono_now_ns());
	pi_errqueue(&pw, mono_now_ns());
	pi_drop_check(&pw, mono_now_ns());
	pi_stats(&pw);
	free(pw.mac);
	bigmem_free(pw.sent);
	bigmem_free(pw.flags);
	bigmem_free(pw.first_t);
	bigmem_free(pw.last_t);
	bigmem_free(pw.limit);
	free(pw.seq);
	neigh_free(&pw.neigh);
	pace_free(&pw.pace);
	ring_free(&pw.taken);
	ring_free(&pw.fresh);
	ring_free(&pw.resend);
	ring_free(&pw.retry);
	ring_free(&pw.final);
	ring_free(&pw.onlink);
	ring_free(&pw.nwait);
	return 0;
}
