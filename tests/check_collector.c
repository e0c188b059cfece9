/* check_collector.c - unit tests for the parent's table of evidence */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "collector.h"
#include "evidence.h"
#include "record.h"
#include "verdict.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *collector_suite(void);

#define T_N 8

#define W EVIDENCE_WIRE
#define C EVIDENCE_CANARY
#define T EVIDENCE_TCP
#define BW EVIDENCE_BIT(EVIDENCE_WIRE)
#define BC EVIDENCE_BIT(EVIDENCE_CANARY)
#define BT EVIDENCE_BIT(EVIDENCE_TCP)

static const uint32_t t_addrs[T_N] = {
	0x0a000001, 0x0a000002, 0x0a000003, 0x0a000004,
	0x0a000005, 0x0a000006, 0x0a000007, 0x0a000008,
};

/* t_ev -- an EVIDENCE record for JOB with details that identify TAG */
static struct record
t_ev(uint32_t job, unsigned reason, uint32_t tag)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_EVIDENCE;
	r.job = job;
	r.reason = (uint8_t)reason;
	r.probes = (uint8_t)(tag & 0xff);
	r.rtt_us = 1000 + tag;
	r.aux = 0xa0000000u | tag;
	return r;
}

/*
 * t_consistent -- 1 when C agrees with itself: each entry's verdict and
 * reason are what evidence.c makes of its evidence, the counts sum to n
 * and match a recount, and left[] matches a recount of the jobs that need
 * a phase and have not had its word.  Plain code, no ck_assert: the random
 * walk calls it thousands of times; WHY says what was wrong.
 */
static int
t_consistent(const struct collector *c, const char **why)
{
	size_t recount[VERDICT_MAX] = {0}, left[EVIDENCE_PHASE_MAX] = {0};
	size_t sum = 0, j;
	unsigned v, p;

	for (j = 0; j < c->n; j++) {
		const struct collector_entry ent = collector_entry(c, j);
		const struct collector_entry *e = &ent;

		if (e->verdict >= VERDICT_MAX ||
		    e->verdict != evidence_verdict(&e->ev)) {
			*why = "an entry's verdict is stale";
			return 0;
		}
		if (e->reason != evidence_reason(&e->ev)) {
			*why = "an entry's reason is stale";
			return 0;
		}
		recount[e->verdict]++;
		for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
			left[p] += (e->ev.need & EVIDENCE_BIT(p)) &&
			    !(e->ev.done & EVIDENCE_BIT(p));
	}
	for (v = 0; v < VERDICT_MAX; v++) {
		if (c->counts[v] != recount[v]) {
			*why = "counts disagree with a recount";
			return 0;
		}
		sum += c->counts[v];
	}
	if (sum != c->n) {
		*why = "counts do not sum to n";
		return 0;
	}
	for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
		if (c->left[p] != left[p]) {
			*why = "left[] disagrees with a recount";
			return 0;
		}
	return 1;
}

static void
t_check(const struct collector *c)
{
	const char *why = "";

	ck_assert_msg(t_consistent(c, &why), "%s: pending %zu free %zu "
	    "unknown %zu used %zu not-needed %zu, n %zu; left %zu %zu %zu",
	    why, c->counts[VERDICT_PENDING], c->counts[VERDICT_FREE],
	    c->counts[VERDICT_UNKNOWN], c->counts[VERDICT_USED],
	    c->counts[VERDICT_NOT_NEEDED], c->n, c->left[W], c->left[C],
	    c->left[T]);
}

START_TEST(test_init)
{
	struct collector c;
	size_t j;
	unsigned p, v;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	ck_assert_ptr_eq(c.addrs, t_addrs);
	ck_assert_uint_eq(c.n, T_N);
	ck_assert_ptr_nonnull(c.e);
	for (v = 0; v < VERDICT_MAX; v++)
		ck_assert_uint_eq(c.counts[v], v == VERDICT_PENDING ? T_N : 0);
	ck_assert_uint_eq(c.left[W], T_N);
	ck_assert_uint_eq(c.left[C], 0);
	ck_assert_uint_eq(c.left[T], 0);
	for (j = 0; j < T_N; j++) {
		ck_assert_uint_eq(c.e[j].ev.need, BW);
		ck_assert_uint_eq(collector_verdict(&c, j), VERDICT_PENDING);
		ck_assert_uint_eq(collector_reason(&c, j), REASON_NONE);
		ck_assert_uint_eq(collector_entry(&c, j).late, 0);
		ck_assert_int_eq(collector_candidate(&c, j), 0);
		for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
			ck_assert_int_eq(collector_done(&c, j, p), 0);
	}
	t_check(&c);
	collector_free(&c);
	ck_assert_ptr_null(c.e);
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

START_TEST(test_init_empty)
{
	struct collector c;
	struct record r = t_ev(0, REASON_ECHO_REPLY, 1);
	unsigned v;

	ck_assert_int_eq(collector_init(&c, NULL, 0), 0);
	ck_assert_ptr_nonnull(c.e);
	for (v = 0; v < VERDICT_MAX; v++)
		ck_assert_uint_eq(c.counts[v], 0);
	ck_assert_uint_eq(c.left[W], 0);
	ck_assert_int_eq(collector_record(&c, &r), -1);
	ck_assert_int_eq(collector_report(&c, 0, W, REASON_NO_REPLY, 1, 0,
	    0), -1);
	ck_assert_int_eq(collector_done(&c, 0, W), 0);
	ck_assert_int_eq(collector_candidate(&c, 0), 0);
	collector_need(&c, 0, T);
	ck_assert_uint_eq(c.left[T], 0);
	collector_finish(&c, W, REASON_INTERRUPTED);
	t_check(&c);
	collector_free(&c);
}
END_TEST

/*
 * Two wire records for job 3: the first (tag 9, none for FROM_NONE) puts
 * it in a state, the second (tag 4) comes on top.  The verdict is the
 * larger of the two in PENDING < FREE < UNKNOWN < USED; the details are
 * those of the evidence that decided it; probes are the most either said.
 */
#define FROM_NONE REASON_NONE
static const unsigned t_from[] = {
	FROM_NONE, REASON_NO_REPLY, REASON_ADMIN_PROHIBITED, REASON_ECHO_REPLY,
};
static const unsigned t_to[] = {
	REASON_NO_REPLY, REASON_ADMIN_PROHIBITED, REASON_ECHO_REPLY,
};

/* t_verdict_of -- what one wire record of REASON alone makes of a job */
static unsigned
t_verdict_of(unsigned reason)
{
	switch (reason) {
	case REASON_NO_REPLY:
		return VERDICT_FREE;
	case REASON_ADMIN_PROHIBITED:
		return VERDICT_UNKNOWN;
	case REASON_ECHO_REPLY:
		return VERDICT_USED;
	default:
		return VERDICT_PENDING;
	}
}

START_TEST(test_record_table)
{
	unsigned from = t_from[_i / NELEM(t_to)], to = t_to[_i % NELEM(t_to)];
	unsigned vf = t_verdict_of(from), vt = t_verdict_of(to);
	unsigned want = vf > vt ? vf : vt;
	struct collector c;
	struct record r1 = t_ev(3, from, 9), r2 = t_ev(3, to, 4);
	const struct record *by;
	struct collector_entry ent;
	const struct collector_entry *e = &ent;
	int rc;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	if (from != FROM_NONE)
		ck_assert_int_eq(collector_record(&c, &r1), 1);
	rc = collector_record(&c, &r2);
	ent = collector_entry(&c, 3);
	ck_assert_msg(e->verdict == want, "%s then %s gave %s, want %s",
	    reason_name(from), reason_name(to), verdict_name(e->verdict),
	    verdict_name(want));
	/* 1 only for the wire phase's first word */
	ck_assert_int_eq(rc, from == FROM_NONE ? 1 : 0);
	ck_assert_int_eq(collector_done(&c, 3, W), 1);
	/* the details are those of the evidence that set the verdict */
	by = want == vt && want != vf ? &r2 : &r1;
	ck_assert_uint_eq(e->reason, by->reason);
	ck_assert_uint_eq(e->aux, by->aux);
	ck_assert_uint_eq(e->rtt_us, by->reason == REASON_ECHO_REPLY ?
	    by->rtt_us : 0);
	ck_assert_uint_eq(e->probes, from == FROM_NONE ? 4 : 9);
	ck_assert_uint_eq(e->late, from == REASON_NO_REPLY &&
	    to == REASON_ECHO_REPLY);
	ck_assert_uint_eq(c.counts[want], 1);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], T_N - 1);
	ck_assert_uint_eq(c.left[W], T_N - 1);
	/* no other job moved */
	ck_assert_int_eq(collector_done(&c, 2, W), 0);
	ck_assert_int_eq(collector_done(&c, 4, W), 0);
	t_check(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_record_order)
{
	/* the same evidence in either order ends in the same verdict */
	struct collector a, b;
	struct record f = t_ev(5, REASON_NO_REPLY, 1);
	struct record u = t_ev(5, REASON_ECHO_REPLY, 2);
	struct record k = t_ev(5, REASON_ICMP_ERROR, 3);

	ck_assert_int_eq(collector_init(&a, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_init(&b, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_record(&a, &f), 1);
	ck_assert_int_eq(collector_record(&a, &k), 0);
	ck_assert_int_eq(collector_record(&a, &u), 0);
	ck_assert_int_eq(collector_record(&b, &u), 1);
	ck_assert_int_eq(collector_record(&b, &k), 0);
	ck_assert_int_eq(collector_record(&b, &f), 0);
	ck_assert_uint_eq(collector_verdict(&a, 5), VERDICT_USED);
	ck_assert_uint_eq(collector_verdict(&b, 5), VERDICT_USED);
	ck_assert_uint_eq(collector_reason(&a, 5), REASON_ECHO_REPLY);
	ck_assert_uint_eq(collector_reason(&b, 5), REASON_ECHO_REPLY);
	ck_assert_uint_eq(collector_entry(&a, 5).rtt_us, u.rtt_us);
	ck_assert_uint_eq(collector_entry(&b, 5).rtt_us, u.rtt_us);
	ck_assert_uint_eq(collector_entry(&a, 5).aux, u.aux);
	ck_assert_uint_eq(collector_entry(&b, 5).aux, u.aux);
	/* the reply came after the wire's silence in a only */
	ck_assert_uint_eq(collector_entry(&a, 5).late, 1);
	ck_assert_uint_eq(collector_entry(&b, 5).late, 0);
	t_check(&a);
	t_check(&b);
	collector_free(&a);
	collector_free(&b);
}
END_TEST

/*
 * The late flag: a reply (echo or ARP) after the wire phase said
 * "silent" for the job, and before any other answer.  Up to three events
 * on job 0, which needs every phase.
 */
struct t_event {
	unsigned phase, reason;
};

static const struct {
	struct t_event ev[3];
	unsigned nev;
	int late;
} t_late[] = {
	{ {{W, REASON_NO_REPLY}, {W, REASON_ECHO_REPLY}}, 2, 1 },
	{ {{W, REASON_NO_REPLY}, {W, REASON_ARP_REPLY}}, 2, 1 },
	{ {{W, REASON_HOST_UNREACH}, {W, REASON_ECHO_REPLY}}, 2, 1 },
	/* a reply reported by another phase is late all the same */
	{ {{W, REASON_NO_REPLY}, {C, REASON_ECHO_REPLY}}, 2, 1 },
	/* once late, late: a second answer does not clear it */
	{ {{W, REASON_NO_REPLY}, {W, REASON_ECHO_REPLY},
	   {W, REASON_ARP_REPLY}}, 3, 1 },
	/* a doubt in between does not matter: the wire had said silent */
	{ {{W, REASON_NO_REPLY}, {T, REASON_TCP_ERROR},
	   {W, REASON_ECHO_REPLY}}, 3, 1 },
	/* no wire silence before the reply */
	{ {{W, REASON_ECHO_REPLY}}, 1, 0 },
	{ {{W, REASON_ECHO_REPLY}, {W, REASON_NO_REPLY}}, 2, 0 },
	{ {{W, REASON_ADMIN_PROHIBITED}, {W, REASON_ECHO_REPLY}}, 2, 0 },
	{ {{C, REASON_CANARY_OK}, {W, REASON_ECHO_REPLY}}, 2, 0 },
	{ {{T, REASON_TCP_SILENT}, {W, REASON_ECHO_REPLY}}, 2, 0 },
	/* answers that are not a late reply to our probes */
	{ {{W, REASON_NO_REPLY}, {T, REASON_TCP_ACCEPT}}, 2, 0 },
	{ {{W, REASON_NO_REPLY}, {T, REASON_TCP_REFUSED}}, 2, 0 },
	{ {{W, REASON_NO_REPLY}, {W, REASON_ICMP_FROM_TARGET}}, 2, 0 },
	/* the first answer came before the silence */
	{ {{W, REASON_ECHO_REPLY}, {W, REASON_NO_REPLY},
	   {W, REASON_ECHO_REPLY}}, 3, 0 },
	{ {{T, REASON_TCP_ACCEPT}, {W, REASON_NO_REPLY},
	   {W, REASON_ECHO_REPLY}}, 3, 0 },
};

START_TEST(test_late)
{
	struct collector c;
	unsigned k;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	collector_need(&c, 0, C);
	collector_need(&c, 0, T);
	for (k = 0; k < t_late[_i].nev; k++)
		ck_assert_int_ge(collector_report(&c, 0, t_late[_i].ev[k].phase,
		    t_late[_i].ev[k].reason, 1, 10, 0), 0);
	ck_assert_uint_eq(collector_entry(&c, 0).late, t_late[_i].late);
	ck_assert_uint_eq(collector_entry(&c, 1).late, 0);
	t_check(&c);
	collector_free(&c);
}
END_TEST

/* Records collector_record must refuse with -1, changing nothing. */
static const struct {
	uint8_t type, reason;
	uint32_t job;
} t_refused[] = {
	{ RECORD_JOB, REASON_ECHO_REPLY, 2 },
	{ RECORD_HEARTBEAT, REASON_ECHO_REPLY, 2 },
	{ RECORD_STATS, REASON_ECHO_REPLY, 2 },
	{ RECORD_CONFLICT, REASON_ECHO_REPLY, 2 },
	{ 0, REASON_ECHO_REPLY, 2 },
	{ RECORD_TYPE_MAX, REASON_ECHO_REPLY, 2 },
	{ RECORD_EVIDENCE, REASON_ECHO_REPLY, T_N },
	{ RECORD_EVIDENCE, REASON_ADMIN_PROHIBITED, T_N + 1 },
	{ RECORD_EVIDENCE, REASON_ECHO_REPLY, UINT32_MAX },
	{ RECORD_EVIDENCE, REASON_MAX, 2 },
	{ RECORD_EVIDENCE, 200, 2 },
	{ RECORD_EVIDENCE, 255, 2 },
};

START_TEST(test_record_refused)
{
	struct collector c, before;
	struct collector_entry e2, e2b;
	struct record r;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	/* job 2 free already: a refused answer must not turn it used */
	r = t_ev(2, REASON_NO_REPLY, 4);
	ck_assert_int_eq(collector_record(&c, &r), 1);
	memcpy(&before, &c, sizeof(before));
	e2 = collector_entry(&c, 2);
	r = t_ev(t_refused[_i].job, t_refused[_i].reason, 5);
	r.type = t_refused[_i].type;
	ck_assert_int_eq(collector_record(&c, &r), -1);
	ck_assert_mem_eq(&c.e[2], &e2.ev, sizeof(e2.ev));
	e2b = collector_entry(&c, 2);
	ck_assert_mem_eq(&e2b, &e2, sizeof(e2));
	ck_assert_mem_eq(c.counts, before.counts, sizeof(c.counts));
	ck_assert_mem_eq(c.left, before.left, sizeof(c.left));
	ck_assert_uint_eq(collector_verdict(&c, 2), VERDICT_FREE);
	/* a refused one on a pending job leaves it pending */
	r.job = t_refused[_i].job == 2 ? 6 : r.job;
	ck_assert_int_eq(collector_record(&c, &r), -1);
	ck_assert_int_eq(collector_done(&c, 6, W), 0);
	ck_assert_uint_eq(collector_verdict(&c, 6), VERDICT_PENDING);
	t_check(&c);
	collector_free(&c);
}
END_TEST

/* Reports collector_report must refuse with -1: job, phase or reason. */
static const struct {
	size_t j;
	unsigned phase, reason;
} t_bad_report[] = {
	{ T_N, W, REASON_ECHO_REPLY },
	{ (size_t)-1, W, REASON_ECHO_REPLY },
	{ 1, EVIDENCE_PHASE_MAX, REASON_ECHO_REPLY },
	{ 1, EVIDENCE_PHASE_MAX, REASON_NO_REPLY },
	{ 1, 8, REASON_ECHO_REPLY },   /* past the need and done bits */
	{ 1, UINT_MAX, REASON_ADMIN_PROHIBITED },
	{ 1, W, REASON_MAX },
	{ 1, T, 255 },
	{ 1, C, UINT_MAX },
};

START_TEST(test_report_refused)
{
	struct collector c;
	struct collector_slot e[T_N];
	size_t counts[VERDICT_MAX], left[EVIDENCE_PHASE_MAX];

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	collector_need(&c, 1, T);
	memcpy(e, c.e, sizeof(e));
	memcpy(counts, c.counts, sizeof(counts));
	memcpy(left, c.left, sizeof(left));
	ck_assert_int_eq(collector_report(&c, t_bad_report[_i].j,
	    t_bad_report[_i].phase, t_bad_report[_i].reason, 3, 77, 88), -1);
	ck_assert_mem_eq(c.e, e, sizeof(e));
	ck_assert_uint_eq(c.n_d, 0);
	ck_assert_mem_eq(c.counts, counts, sizeof(counts));
	ck_assert_mem_eq(c.left, left, sizeof(left));
	ck_assert_int_eq(collector_done(&c, t_bad_report[_i].j,
	    t_bad_report[_i].phase), 0);
	t_check(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_report_no_evidence)
{
	/* REASON_NONE and SPECIAL are no evidence: 0, and nothing moves */
	static const unsigned none[] = { REASON_NONE, REASON_SPECIAL };
	struct collector c;
	size_t i;
	unsigned p;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	for (i = 0; i < NELEM(none); i++)
		for (p = 0; p < EVIDENCE_PHASE_MAX; p++) {
			ck_assert_int_eq(collector_report(&c, 4, p, none[i], 0,
			    55, 66), 0);
			ck_assert_int_eq(collector_done(&c, 4, p), 0);
		}
	ck_assert_uint_eq(collector_verdict(&c, 4), VERDICT_PENDING);
	ck_assert_uint_eq(collector_entry(&c, 4).rtt_us, 0);
	ck_assert_uint_eq(collector_entry(&c, 4).aux, 0);
	ck_assert_uint_eq(c.left[W], T_N);
	/* and after them, a job is decided as if they never came */
	ck_assert_int_eq(collector_report(&c, 4, W, REASON_NO_REPLY, 1, 0, 0),
	    1);
	ck_assert_uint_eq(collector_verdict(&c, 4), VERDICT_FREE);
	ck_assert_uint_eq(collector_reason(&c, 4), REASON_NO_REPLY);
	t_check(&c);
	collector_free(&c);
}
END_TEST

/*
 * left[] and needs, step by step on one collector: each step is a
 * collector_need (reason 0, rc unused) or a collector_report, then the
 * expected left[] and the verdict of the step's job.
 */
enum { T_NEED, T_REPORT, T_FINISH };

static const struct {
	int op;
	size_t j;
	unsigned phase, reason;
	int rc;
	size_t left[EVIDENCE_PHASE_MAX];
	unsigned verdict;   /* of job J after the step */
} t_steps[] = {
	{ T_NEED, 0, C, 0, 0, { 8, 1, 0 }, VERDICT_PENDING },
	{ T_NEED, 0, C, 0, 0, { 8, 1, 0 }, VERDICT_PENDING }, /* twice */
	{ T_NEED, 1, C, 0, 0, { 8, 2, 0 }, VERDICT_PENDING },
	{ T_NEED, T_N, C, 0, 0, { 8, 2, 0 }, VERDICT_PENDING }, /* no job */
	{ T_NEED, 1, EVIDENCE_PHASE_MAX, 0, 0, { 8, 2, 0 },
	    VERDICT_PENDING },
	/* the wire's silence alone does not free a job that needs more */
	{ T_REPORT, 0, W, REASON_NO_REPLY, 1, { 7, 2, 0 }, VERDICT_PENDING },
	{ T_REPORT, 0, C, REASON_CANARY_OK, 1, { 7, 1, 0 }, VERDICT_FREE },
	{ T_REPORT, 0, C, REASON_CANARY_OK, 0, { 7, 1, 0 }, VERDICT_FREE },
	/* a canary's word on a job that does not need it: left unchanged */
	{ T_REPORT, 5, C, REASON_CANARY_OK, 1, { 7, 1, 0 }, VERDICT_PENDING },
	/* needing it afterwards: its word is in already */
	{ T_NEED, 5, C, 0, 0, { 7, 1, 0 }, VERDICT_PENDING },
	{ T_REPORT, 5, W, REASON_NO_REPLY, 1, { 6, 1, 0 }, VERDICT_FREE },
	/* a new need takes a free job back to pending */
	{ T_NEED, 5, T, 0, 0, { 6, 1, 1 }, VERDICT_PENDING },
	{ T_REPORT, 5, T, REASON_TCP_SILENT, 1, { 6, 1, 0 }, VERDICT_FREE },
	/* a doubt is a final word too: it counts off left[] */
	{ T_REPORT, 1, C, REASON_CANARY_SILENT, 1, { 6, 0, 0 },
	    VERDICT_UNKNOWN },
	{ T_REPORT, 1, C, REASON_CANARY_OK, 0, { 6, 0, 0 }, VERDICT_UNKNOWN },
	{ T_REPORT, 1, W, REASON_NO_REPLY, 1, { 5, 0, 0 }, VERDICT_UNKNOWN },
	/* an answer from a phase the job does not need ends nothing */
	{ T_REPORT, 2, T, REASON_TCP_ACCEPT, 1, { 5, 0, 0 }, VERDICT_USED },
	{ T_REPORT, 2, W, REASON_NO_REPLY, 1, { 4, 0, 0 }, VERDICT_USED },
	{ T_NEED, 3, T, 0, 0, { 4, 0, 1 }, VERDICT_PENDING },
	{ T_FINISH, 0, W, REASON_DEADLINE, 0, { 0, 0, 1 }, VERDICT_FREE },
	{ T_FINISH, 0, T, REASON_DEADLINE, 0, { 0, 0, 0 }, VERDICT_FREE },
	{ T_REPORT, 3, T, REASON_TCP_SILENT, 0, { 0, 0, 0 },
	    VERDICT_UNKNOWN },
};

START_TEST(test_left_steps)
{
	struct collector c;
	size_t s;
	int rc;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	for (s = 0; s < NELEM(t_steps); s++) {
		if (t_steps[s].op == T_NEED) {
			collector_need(&c, t_steps[s].j, t_steps[s].phase);
		} else if (t_steps[s].op == T_FINISH) {
			collector_finish(&c, t_steps[s].phase,
			    t_steps[s].reason);
		} else {
			rc = collector_report(&c, t_steps[s].j,
			    t_steps[s].phase, t_steps[s].reason, 1, 0, 0);
			ck_assert_msg(rc == t_steps[s].rc, "step %zu: "
			    "report gave %d, want %d", s, rc, t_steps[s].rc);
		}
		ck_assert_msg(!memcmp(c.left, t_steps[s].left, sizeof(c.left)),
		    "step %zu: left %zu %zu %zu, want %zu %zu %zu", s,
		    c.left[W], c.left[C], c.left[T], t_steps[s].left[W],
		    t_steps[s].left[C], t_steps[s].left[T]);
		if (t_steps[s].j < T_N)
			ck_assert_msg(collector_verdict(&c, t_steps[s].j) ==
			    t_steps[s].verdict, "step %zu: job %zu is %s, "
			    "want %s", s, t_steps[s].j,
			    verdict_name(collector_verdict(&c, t_steps[s].j)),
			    verdict_name(t_steps[s].verdict));
		t_check(&c);
	}
	collector_free(&c);
}
END_TEST

/*
 * collector_finish on a table of single jobs: job 0 needs NEED, gets up
 * to two events, then finish(PHASE, WHY).  Untouched when it does not
 * need PHASE or PHASE had its word already.
 */
static const struct {
	uint8_t need;
	struct t_event ev[2];
	unsigned nev;
	unsigned phase, why;
	unsigned verdict, reason;
	int done;   /* PHASE done on job 0 afterwards */
} t_finish[] = {
	/* pending on the wire: the doubt decides */
	{ BW, {{0}}, 0, W, REASON_INTERRUPTED, VERDICT_UNKNOWN,
	    REASON_INTERRUPTED, 1 },
	{ BW, {{0}}, 0, W, REASON_NOT_NEEDED, VERDICT_NOT_NEEDED,
	    REASON_NOT_NEEDED, 1 },
	/* decided on the wire: untouched */
	{ BW, {{W, REASON_NO_REPLY}}, 1, W, REASON_DEADLINE, VERDICT_FREE,
	    REASON_NO_REPLY, 1 },
	{ BW, {{W, REASON_ECHO_REPLY}}, 1, W, REASON_DEADLINE, VERDICT_USED,
	    REASON_ECHO_REPLY, 1 },
	{ BW, {{W, REASON_SEND_ERROR}}, 1, W, REASON_DEADLINE,
	    VERDICT_UNKNOWN, REASON_SEND_ERROR, 1 },
	/* a phase the job does not need: untouched, still free */
	{ BW, {{W, REASON_NO_REPLY}}, 1, T, REASON_DEADLINE, VERDICT_FREE,
	    REASON_NO_REPLY, 0 },
	{ BW, {{0}}, 0, C, REASON_DEADLINE, VERDICT_PENDING, REASON_NONE, 0 },
	/* silent on the wire, the TCP pass unfinished: never free */
	{ BW | BT, {{W, REASON_NO_REPLY}}, 1, T, REASON_DEADLINE,
	    VERDICT_UNKNOWN, REASON_DEADLINE, 1 },
	{ BW | BT, {{W, REASON_NO_REPLY}}, 1, T, REASON_INTERRUPTED,
	    VERDICT_UNKNOWN, REASON_INTERRUPTED, 1 },
	{ BW | BC, {{W, REASON_HOST_UNREACH}}, 1, C, REASON_PHASE_FAILED,
	    VERDICT_UNKNOWN, REASON_PHASE_FAILED, 1 },
	/* --first: not needed */
	{ BW | BT, {{W, REASON_NO_REPLY}}, 1, T, REASON_NOT_NEEDED,
	    VERDICT_NOT_NEEDED, REASON_NOT_NEEDED, 1 },
	/* TCP said silent already: finishing it changes nothing */
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_TCP_SILENT}}, 2, T,
	    REASON_DEADLINE, VERDICT_FREE, REASON_NO_REPLY, 1 },
	/* an answer stays an answer */
	{ BW | BT, {{W, REASON_NO_REPLY}, {W, REASON_ARP_REPLY}}, 2, T,
	    REASON_DEADLINE, VERDICT_USED, REASON_ARP_REPLY, 1 },
	/* the first doubt explains best; NOT_NEEDED gives way to a real one */
	{ BW | BT, {{W, REASON_ICMP_ERROR}}, 1, T, REASON_DEADLINE,
	    VERDICT_UNKNOWN, REASON_ICMP_ERROR, 1 },
	{ BW | BT, {{W, REASON_NOT_NEEDED}}, 1, T, REASON_DEADLINE,
	    VERDICT_UNKNOWN, REASON_DEADLINE, 1 },
	{ BW | BT, {{W, REASON_DEADLINE}}, 1, T, REASON_NOT_NEEDED,
	    VERDICT_UNKNOWN, REASON_DEADLINE, 1 },
};

START_TEST(test_finish_table)
{
	struct collector c;
	unsigned k, p;
	size_t j, left[EVIDENCE_PHASE_MAX];
	struct collector_entry other, now;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
		if (t_finish[_i].need & EVIDENCE_BIT(p))
			collector_need(&c, 0, p);
	for (k = 0; k < t_finish[_i].nev; k++)
		ck_assert_int_ge(collector_report(&c, 0,
		    t_finish[_i].ev[k].phase, t_finish[_i].ev[k].reason, 1, 0,
		    0), 0);
	/* the other jobs are settled, so that only job 0 is in question */
	for (j = 1; j < T_N; j++)
		collector_report(&c, j, W, REASON_NO_REPLY, 1, 0, 0);
	other = collector_entry(&c, 1);
	memcpy(left, c.left, sizeof(left));
	collector_finish(&c, t_finish[_i].phase, t_finish[_i].why);
	ck_assert_msg(collector_verdict(&c, 0) == t_finish[_i].verdict &&
	    collector_reason(&c, 0) == t_finish[_i].reason,
	    "%s/%s, want %s/%s",
	    verdict_name(collector_verdict(&c, 0)),
	    reason_name(collector_reason(&c, 0)),
	    verdict_name(t_finish[_i].verdict),
	    reason_name(t_finish[_i].reason));
	ck_assert_int_eq(collector_done(&c, 0, t_finish[_i].phase),
	    t_finish[_i].done);
	ck_assert_uint_eq(c.left[t_finish[_i].phase], 0);
	for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
		if (p != t_finish[_i].phase)
			ck_assert_uint_eq(c.left[p], left[p]);
	now = collector_entry(&c, 1);
	ck_assert_mem_eq(&now, &other, sizeof(other));
	t_check(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_finish_many)
{
	/* finish reaches every job in need of the phase, the last one too,
	 * and no other; a second finish changes nothing */
	struct collector c;
	size_t j;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	ck_assert_int_eq(collector_report(&c, 0, W, REASON_ECHO_REPLY, 1, 5,
	    0), 1);
	for (j = 1; j < T_N; j++)
		if (j != 4)
			ck_assert_int_eq(collector_report(&c, j, W,
			    REASON_NO_REPLY, 1, 0, 0), 1);
	collector_need(&c, 2, T);
	collector_need(&c, 7, T);
	collector_need(&c, 3, C);
	ck_assert_int_eq(collector_report(&c, 3, C, REASON_CANARY_OK, 0, 0, 0),
	    1);
	collector_finish(&c, T, REASON_DEADLINE);
	ck_assert_uint_eq(collector_verdict(&c, 2), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_verdict(&c, 7), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&c, 7), REASON_DEADLINE);
	ck_assert_int_eq(collector_done(&c, 4, T), 0);
	ck_assert_int_eq(collector_done(&c, 1, T), 0);
	ck_assert_uint_eq(collector_verdict(&c, 1), VERDICT_FREE);
	ck_assert_uint_eq(collector_verdict(&c, 3), VERDICT_FREE);
	ck_assert_uint_eq(collector_verdict(&c, 4), VERDICT_PENDING);
	ck_assert_uint_eq(c.left[T], 0);
	ck_assert_uint_eq(c.left[W], 1);
	collector_finish(&c, W, REASON_INTERRUPTED);
	ck_assert_uint_eq(collector_verdict(&c, 4), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&c, 4), REASON_INTERRUPTED);
	ck_assert_uint_eq(collector_verdict(&c, 0), VERDICT_USED);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], 0);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], 4);
	ck_assert_uint_eq(c.counts[VERDICT_UNKNOWN], 3);
	ck_assert_uint_eq(c.counts[VERDICT_USED], 1);
	collector_finish(&c, W, REASON_DEADLINE);
	collector_finish(&c, T, REASON_NOT_NEEDED);
	ck_assert_uint_eq(collector_reason(&c, 4), REASON_INTERRUPTED);
	ck_assert_uint_eq(collector_reason(&c, 7), REASON_DEADLINE);
	/* a phase out of range is ignored */
	collector_finish(&c, EVIDENCE_PHASE_MAX, REASON_DEADLINE);
	t_check(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_finish_last_pending)
{
	/* only the very last job is pending: the early stop must reach it */
	struct collector c;
	uint32_t j;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	for (j = 0; j + 1 < T_N; j++) {
		struct record r = t_ev(j, REASON_NO_REPLY, j);

		ck_assert_int_eq(collector_record(&c, &r), 1);
	}
	collector_finish(&c, W, REASON_DEADLINE);
	ck_assert_uint_eq(collector_verdict(&c, T_N - 1), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&c, T_N - 1), REASON_DEADLINE);
	ck_assert_uint_eq(c.counts[VERDICT_FREE], T_N - 1);
	t_check(&c);
	collector_free(&c);
}
END_TEST

/*
 * aux and rtt_us go with the evidence behind the reason shown: job 0
 * needs every phase; each event carries its own rtt and aux.
 */
static const struct {
	struct t_event ev[3];
	uint32_t rtt[3], aux[3];
	unsigned nev;
	unsigned reason;
	uint32_t want_rtt, want_aux;
} t_details[] = {
	/* a doubt's details; a doubt has no round trip */
	{ {{W, REASON_ADMIN_PROHIBITED}}, {55}, {0x0309}, 1,
	    REASON_ADMIN_PROHIBITED, 0, 0x0309 },
	/* the first doubt stays, with its details */
	{ {{W, REASON_ICMP_ERROR}, {T, REASON_TCP_ERROR}}, {0, 0},
	    {0x0b00, 13}, 2, REASON_ICMP_ERROR, 0, 0x0b00 },
	/* an answer after a doubt brings its own */
	{ {{W, REASON_ICMP_ERROR}, {W, REASON_ECHO_REPLY}}, {0, 321},
	    {0x0b00, 7}, 2, REASON_ECHO_REPLY, 321, 7 },
	/* a second answer changes neither */
	{ {{W, REASON_ECHO_REPLY}, {W, REASON_ARP_REPLY}}, {100, 50}, {1, 2},
	    2, REASON_ECHO_REPLY, 100, 1 },
	/* a doubt after an answer changes neither */
	{ {{W, REASON_ECHO_REPLY}, {T, REASON_TCP_ERROR}}, {100, 0}, {1, 2},
	    2, REASON_ECHO_REPLY, 100, 1 },
	/* the first answer that had a round trip gives it */
	{ {{T, REASON_TCP_REFUSED}, {W, REASON_ECHO_REPLY}}, {0, 300}, {4, 5},
	    2, REASON_TCP_REFUSED, 300, 4 },
	/* a real doubt after NOT_NEEDED brings its details */
	{ {{W, REASON_NOT_NEEDED}, {T, REASON_TCP_ERROR}}, {0, 0}, {3, 24},
	    2, REASON_TCP_ERROR, 0, 24 },
	/* silence then a doubt: the doubt's */
	{ {{W, REASON_NO_REPLY}, {C, REASON_CANARY_SILENT}}, {0, 0}, {0, 9},
	    2, REASON_CANARY_SILENT, 0, 9 },
	/* silence never carries a round trip */
	{ {{W, REASON_NO_REPLY}}, {77}, {0}, 1, REASON_NONE, 0, 0 },
};

START_TEST(test_details)
{
	struct collector c;
	unsigned k;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	collector_need(&c, 0, C);
	collector_need(&c, 0, T);
	for (k = 0; k < t_details[_i].nev; k++)
		ck_assert_int_ge(collector_report(&c, 0,
		    t_details[_i].ev[k].phase, t_details[_i].ev[k].reason, 1,
		    t_details[_i].rtt[k], t_details[_i].aux[k]), 0);
	ck_assert_uint_eq(collector_reason(&c, 0), t_details[_i].reason);
	ck_assert_uint_eq(collector_entry(&c, 0).rtt_us,
	    t_details[_i].want_rtt);
	ck_assert_uint_eq(collector_entry(&c, 0).aux, t_details[_i].want_aux);
	t_check(&c);
	collector_free(&c);
}
END_TEST

START_TEST(test_probes)
{
	/* probes: the most any report said, capped at 255, never lowered */
	struct collector c;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	collector_need(&c, 0, T);
	ck_assert_int_eq(collector_report(&c, 0, W, REASON_NO_REPLY, 3, 0, 0),
	    1);
	ck_assert_uint_eq(collector_entry(&c, 0).probes, 3);
	ck_assert_int_eq(collector_report(&c, 0, T, REASON_TCP_SILENT, 0, 0,
	    0), 1);
	ck_assert_uint_eq(collector_entry(&c, 0).probes, 3);
	ck_assert_int_eq(collector_report(&c, 0, W, REASON_ECHO_REPLY, 2, 9,
	    0), 0);
	ck_assert_uint_eq(collector_entry(&c, 0).probes, 3);
	ck_assert_int_eq(collector_report(&c, 1, W, REASON_NO_REPLY, 1000, 0,
	    0), 1);
	ck_assert_uint_eq(collector_entry(&c, 1).probes, 255);
	t_check(&c);
	collector_free(&c);
}
END_TEST

/* collector_candidate: may job 0 (needing NEED) still end free? */
static const struct {
	uint8_t need;
	struct t_event ev[2];
	unsigned nev;
	int want;
} t_cand[] = {
	{ BW, {{0}}, 0, 0 },
	{ BW, {{W, REASON_NO_REPLY}}, 1, 1 },
	{ BW, {{W, REASON_HOST_UNREACH}}, 1, 1 },
	{ BW | BT, {{W, REASON_NO_REPLY}}, 1, 1 },
	{ BW | BC | BT, {{W, REASON_NO_REPLY}, {C, REASON_CANARY_OK}}, 2, 1 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_TCP_SILENT}}, 2, 1 },
	{ BW | BC, {{W, REASON_NO_REPLY}, {C, REASON_CANARY_SILENT}}, 2, 0 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_TCP_ACCEPT}}, 2, 0 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_TCP_ERROR}}, 2, 0 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_NOT_NEEDED}}, 2, 0 },
	{ BW, {{W, REASON_ADMIN_PROHIBITED}}, 1, 0 },
	{ BW, {{W, REASON_ECHO_REPLY}}, 1, 0 },
	{ BW, {{W, REASON_NOT_NEEDED}}, 1, 0 },
	{ BW, {{W, REASON_WORKER_DIED}}, 1, 0 },
	/* another phase's silence is not the wire's */
	{ BW | BC, {{C, REASON_CANARY_OK}}, 1, 0 },
	{ BW | BT, {{T, REASON_TCP_SILENT}}, 1, 0 },
	/* no evidence is no silence */
	{ BW, {{W, REASON_SPECIAL}}, 1, 0 },
};

START_TEST(test_candidate)
{
	struct collector c;
	unsigned k, p;

	ck_assert_int_eq(collector_init(&c, t_addrs, T_N), 0);
	for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
		if (t_cand[_i].need & EVIDENCE_BIT(p))
			collector_need(&c, 0, p);
	for (k = 0; k < t_cand[_i].nev; k++)
		ck_assert_int_ge(collector_report(&c, 0, t_cand[_i].ev[k].phase,
		    t_cand[_i].ev[k].reason, 1, 0, 0), 0);
	ck_assert_int_eq(collector_candidate(&c, 0), t_cand[_i].want);
	/* and never a job out of range */
	ck_assert_int_eq(collector_candidate(&c, T_N), 0);
	ck_assert_int_eq(collector_candidate(&c, (size_t)-1), 0);
	collector_free(&c);
}
END_TEST

/* t_lcg -- a fixed pseudo-random sequence, so a failure replays */
static uint32_t
t_lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/*
 * The safety order of verdicts: evidence may move a job up it, never
 * down, except PENDING to FREE (the last silence came).  FREE is lowest:
 * a new need takes FREE back to PENDING, which is safe.
 */
static const unsigned t_rank[VERDICT_MAX] = {
	[VERDICT_FREE] = 0,
	[VERDICT_PENDING] = 1,
	[VERDICT_NOT_NEEDED] = 2,
	[VERDICT_UNKNOWN] = 3,
	[VERDICT_USED] = 4,
	[VERDICT_SKIPPED] = 5,
};

/* What the test itself knows of a job, from what it reported. */
struct t_model {
	uint8_t need, done, silent;
	int answered, doubt, not_needed;
};

/* t_model_verdict -- the rule, restated from the model */
static unsigned
t_model_verdict(const struct t_model *m)
{
	if (m->answered)
		return VERDICT_USED;
	if (m->doubt)
		return VERDICT_UNKNOWN;
	if (m->not_needed)
		return VERDICT_NOT_NEEDED;
	if (m->need != 0 && (m->need & m->silent) == m->need)
		return VERDICT_FREE;
	return VERDICT_PENDING;
}

/* t_model_add -- REASON from PHASE; returns what collector_report should */
static int
t_model_add(struct t_model *m, unsigned phase, unsigned reason)
{
	uint8_t bit;
	int fresh;

	if (phase >= EVIDENCE_PHASE_MAX || reason >= REASON_MAX)
		return -1;
	bit = EVIDENCE_BIT(phase);
	fresh = !(m->done & bit);
	switch (evidence_class(reason)) {
	case EVIDENCE_ANSWERED:
		m->answered = 1;
		break;
	case EVIDENCE_SILENT:
		m->silent |= bit;
		break;
	case EVIDENCE_CANNOT_TELL:
		if (reason == REASON_NOT_NEEDED)
			m->not_needed = 1;
		else
			m->doubt = 1;
		break;
	default:
		return 0;
	}
	m->done |= bit;
	return fresh;
}

START_TEST(test_random_walk)
{
	/* random needs, reports (some invalid) and finishes: the collector
	 * agrees with the model and with itself after every step, and no
	 * job ever moves down the safety order */
	enum { N = 64 };
	static uint32_t addrs[N];
	static struct t_model m[N];
	struct collector c;
	uint8_t prev[N];
	uint32_t seed = 12345 + (uint32_t)_i;
	const char *why = "";
	int i, rc, want;
	size_t j;
	unsigned p;

	memset(m, 0, sizeof(m));
	for (j = 0; j < N; j++)
		m[j].need = BW;
	ck_assert_int_eq(collector_init(&c, addrs, N), 0);
	for (i = 0; i < 5000; i++) {
		unsigned op = t_lcg(&seed) % 16, ph, reason;

		for (j = 0; j < N; j++)
			prev[j] = collector_verdict(&c, j);
		j = t_lcg(&seed) % (N + 2);
		ph = t_lcg(&seed) % (EVIDENCE_PHASE_MAX + 1);
		reason = t_lcg(&seed) % (REASON_MAX + 2);
		if (op == 0) {
			collector_need(&c, j, ph);
			if (j < N && ph < EVIDENCE_PHASE_MAX)
				m[j].need |= EVIDENCE_BIT(ph);
		} else if (op == 1 && t_lcg(&seed) % 8 == 0) {
			if (ph < EVIDENCE_PHASE_MAX) {
				reason = evidence_class(reason) ==
				    EVIDENCE_CANNOT_TELL ? reason :
				    REASON_DEADLINE;
				for (j = 0; j < N; j++)
					if ((m[j].need & EVIDENCE_BIT(ph)) &&
					    !(m[j].done & EVIDENCE_BIT(ph)))
						t_model_add(&m[j], ph, reason);
			}
			collector_finish(&c, ph, reason);
		} else {
			rc = collector_report(&c, j, ph, reason,
			    t_lcg(&seed) % 4, t_lcg(&seed) % 3, (uint32_t)i);
			want = j < N ? t_model_add(&m[j], ph, reason) : -1;
			if (rc != want)
				ck_abort_msg("step %d: report(%zu, %u, %s) "
				    "gave %d, want %d", i, j, ph,
				    reason_name(reason), rc, want);
		}
		for (j = 0; j < N; j++) {
			unsigned v = collector_verdict(&c, j);

			if (v != t_model_verdict(&m[j]))
				ck_abort_msg("step %d: job %zu is %s, the "
				    "model says %s", i, j, verdict_name(v),
				    verdict_name(t_model_verdict(&m[j])));
			if (t_rank[v] < t_rank[prev[j]] &&
			    !(prev[j] == VERDICT_PENDING &&
			    v == VERDICT_FREE))
				ck_abort_msg("step %d: job %zu went from %s to "
				    "%s", i, j, verdict_name(prev[j]),
				    verdict_name(v));
		}
		if (!t_consistent(&c, &why))
			ck_abort_msg("step %d: %s", i, why);
	}
	/* what every phase did not finish cannot stay pending */
	for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
		collector_finish(&c, p, REASON_DEADLINE);
	ck_assert_uint_eq(c.counts[VERDICT_PENDING], 0);
	for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
		ck_assert_uint_eq(c.left[p], 0);
	t_check(&c);
	collector_free(&c);
}
END_TEST

/* Text and MAC live in one detail per job, only for the jobs that have one. */
START_TEST(test_detail_store)
{
	static const uint32_t addrs[3] = { 1, 2, 3 };
	static const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t m2[6] = { 2, 0, 0, 0, 0, 2 };
	struct collector c;

	/* a million jobs are 8 MB (were 24, and 40 before that) */
	ck_assert_uint_eq(sizeof(struct collector_slot), 8);
	ck_assert_int_eq(collector_init(&c, addrs, 3), 0);
	ck_assert_ptr_null(collector_text(&c, 0));
	ck_assert_ptr_null(collector_mac(&c, 0));
	ck_assert_ptr_null(collector_mac(&c, 3));
	ck_assert_uint_eq(c.n_d, 0);
	/* job 1: an ARP reply with its MAC, then a lease's words */
	ck_assert_int_eq(collector_report(&c, 1, EVIDENCE_WIRE,
	    REASON_ARP_REPLY, 1, 10, 0), 1);
	ck_assert_int_eq(collector_set_mac(&c, 1, m1), 0);
	ck_assert_int_eq(collector_set_mac(&c, 1, m2), 0);
	ck_assert_mem_eq(collector_mac(&c, 1), m1, 6);
	ck_assert_int_eq(collector_report_text(&c, 1, EVIDENCE_RECORDS,
	    REASON_DHCP_LEASE, "pc7"), 1);
	/* the ARP reply still explains it: the lease's words are not kept */
	ck_assert_uint_eq(collector_reason(&c, 1), REASON_ARP_REPLY);
	ck_assert_ptr_null(collector_text(&c, 1));
	/* job 2: words that explain it, dropped when other evidence does */
	ck_assert_int_eq(collector_report(&c, 2, EVIDENCE_WIRE,
	    REASON_NO_REPLY, 2, 0, 0), 1);
	ck_assert_int_eq(collector_report_text(&c, 2, EVIDENCE_DNS,
	    REASON_DNS_ERROR, "Timeout"), 1);
	ck_assert_str_eq(collector_text(&c, 2), "Timeout");
	ck_assert_int_eq(collector_set_mac(&c, 2, m2), 0);
	ck_assert_uint_eq(c.n_d, 2);
	ck_assert_int_eq(collector_report(&c, 2, EVIDENCE_RECORDS,
	    REASON_RESERVED, 0, 0, 0), 1);
	ck_assert_ptr_null(collector_text(&c, 2));
	ck_assert_mem_eq(collector_mac(&c, 2), m2, 6);
	ck_assert_int_eq(collector_set_mac(&c, 3, m1), -1);
	collector_free(&c);
}
END_TEST

/*
 * A round trip and a reason's details are found again whatever the order
 * they came in, across the index's growth; silence makes no detail.
 */
START_TEST(test_detail_many)
{
	enum { N = 5000 };
	static uint32_t addrs[N];
	struct collector c;
	size_t j, k;

	for (j = 0; j < N; j++)
		addrs[j] = (uint32_t)j + 1;
	ck_assert_int_eq(collector_init(&c, addrs, N), 0);
	for (k = 0; k < N; k++) {
		j = (k * 2503) % N;   /* every job once, out of order */
		if (j % 3 == 0)
			collector_report(&c, j, EVIDENCE_WIRE,
			    REASON_ECHO_REPLY,
			    1, (uint32_t)j + 7, 0);
		else if (j % 3 == 1)
			collector_report(&c, j, EVIDENCE_WIRE,
			    REASON_SEND_ERROR, 1, 0, (uint32_t)j * 11);
		else
			collector_report(&c, j, EVIDENCE_WIRE, REASON_NO_REPLY,
			    2, 0, 0);
	}
	ck_assert_uint_eq(c.n_d, (N + 2) / 3 + (N + 1) / 3);
	for (j = 0; j < N; j++) {
		struct collector_entry e = collector_entry(&c, j);

		ck_assert_uint_eq(e.rtt_us, j % 3 == 0 ? j + 7 : 0);
		ck_assert_uint_eq(e.aux, j % 3 == 1 ? j * 11 : 0);
		ck_assert_uint_eq(!!(c.e[j].flags & COLLECTOR_DETAIL),
		    j % 3 != 2);
	}
	collector_free(&c);
}
END_TEST

Suite *
collector_suite(void)
{
	Suite *s = suite_create("collector");
	TCase *tc = tcase_create("core");

	/* generous: the random walk is slow under ASan on a loaded machine */
	tcase_set_timeout(tc, 30);

	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_init_empty);
	tcase_add_loop_test(tc, test_record_table, 0,
	    (int)(NELEM(t_from) * NELEM(t_to)));
	tcase_add_test(tc, test_record_order);
	tcase_add_loop_test(tc, test_late, 0, NELEM(t_late));
	tcase_add_loop_test(tc, test_record_refused, 0, NELEM(t_refused));
	tcase_add_loop_test(tc, test_report_refused, 0, NELEM(t_bad_report));
	tcase_add_test(tc, test_report_no_evidence);
	tcase_add_test(tc, test_left_steps);
	tcase_add_loop_test(tc, test_finish_table, 0, NELEM(t_finish));
	tcase_add_test(tc, test_finish_many);
	tcase_add_test(tc, test_finish_last_pending);
	tcase_add_loop_test(tc, test_details, 0, NELEM(t_details));
	tcase_add_test(tc, test_probes);
	tcase_add_loop_test(tc, test_candidate, 0, NELEM(t_cand));
	tcase_add_loop_test(tc, test_random_walk, 0, 4);
	tcase_add_test(tc, test_detail_store);
	tcase_add_test(tc, test_detail_many);
	suite_add_tcase(s, tc);
	return s;
}
