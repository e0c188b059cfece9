/* check_evidence.c - unit tests for the one rule: evidence to verdict */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "evidence.h"
#include "verdict.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

Suite *evidence_suite(void);

#define W EVIDENCE_WIRE
#define C EVIDENCE_CANARY
#define T EVIDENCE_TCP
#define BW EVIDENCE_BIT(EVIDENCE_WIRE)
#define BC EVIDENCE_BIT(EVIDENCE_CANARY)
#define BT EVIDENCE_BIT(EVIDENCE_TCP)

#define A EVIDENCE_ANSWERED
#define S EVIDENCE_SILENT
#define D EVIDENCE_CANNOT_TELL
#define X EVIDENCE_NONE

/*
 * Every reason with the class it must have, in enum order.  A reason
 * appended to enum reason without a row here fails test_class_table: so
 * nobody adds a kind of evidence without deciding what it proves.
 */
static const struct {
	unsigned reason, cls;
} t_classes[] = {
	{ REASON_NONE, X },
	{ REASON_ECHO_REPLY, A },
	{ REASON_NO_REPLY, S },
	{ REASON_HOST_UNREACH, S },
	{ REASON_ADMIN_PROHIBITED, D },
	{ REASON_ICMP_ERROR, D },
	{ REASON_SEND_ERROR, D },
	{ REASON_OTHER_SOURCE, D },
	{ REASON_WORKER_DIED, D },
	{ REASON_INTERRUPTED, D },
	{ REASON_DEADLINE, D },
	{ REASON_EXEC_ERROR, D },
	{ REASON_SPECIAL, X },
	{ REASON_RCVBUF_OVERFLOW, D },
	{ REASON_NOT_NEEDED, D },
	{ REASON_ARP_REPLY, A },
	{ REASON_NEIGH_UNREADABLE, D },
	{ REASON_CANARY_SILENT, D },
	{ REASON_TCP_ACCEPT, A },
	{ REASON_TCP_REFUSED, A },
	{ REASON_NO_NEIGH, D },
	{ REASON_CANARY_OK, S },
	{ REASON_TCP_SILENT, S },
	{ REASON_TCP_ERROR, D },
	{ REASON_LOSS_TOO_HIGH, D },
	{ REASON_NEIGH_INCOMPLETE, D },
	{ REASON_PING_ERRORS, D },
	{ REASON_ICMP_FROM_TARGET, A },
	{ REASON_PHASE_FAILED, D },
	{ REASON_RANGE_ERRORS, D },
	{ REASON_RESERVED, A },
	{ REASON_DHCP_LEASE, A },
	{ REASON_DHCP_POOL, A },
	{ REASON_DNS_PTR, A },
	{ REASON_IPAM, A },
	{ REASON_DNS_NONE, S },
	{ REASON_DNS_ERROR, D },
	{ REASON_HISTORY_SEEN, A },
	{ REASON_HISTORY_QUIET, S },
	{ REASON_HISTORY_SHORT, D },
	{ REASON_HISTORY_ERROR, D },
};

START_TEST(test_class)
{
	ck_assert_msg(evidence_class(t_classes[_i].reason) == t_classes[_i].cls,
	    "%s: class %u, want %u", reason_name(t_classes[_i].reason),
	    evidence_class(t_classes[_i].reason), t_classes[_i].cls);
}
END_TEST

START_TEST(test_class_table)
{
	static const unsigned bad[] = { REASON_MAX, REASON_MAX + 1, 255, 256,
					UINT_MAX };
	unsigned r;
	size_t i;

	ck_assert_msg(NELEM(t_classes) == REASON_MAX, "%zu rows for %d "
	    "reasons: a reason has no expected class", NELEM(t_classes),
	    REASON_MAX);
	for (r = 0; r < NELEM(t_classes); r++)
		ck_assert_uint_eq(t_classes[r].reason, r);
	for (i = 0; i < NELEM(bad); i++)
		ck_assert_uint_eq(evidence_class(bad[i]), EVIDENCE_NONE);
}
END_TEST

/* One piece of evidence: REASON from PHASE. */
struct t_event {
	unsigned phase, reason;
};

#define T_MAXEV 4

/*
 * The rule: an address needing NEED gets the events in order; then its
 * verdict and the reason shown.  ANY_ORDER: the reason is the same in
 * every order too (not so when two doubts or two answers race: the first
 * one is shown).
 */
static const struct {
	uint8_t need;
	struct t_event ev[T_MAXEV];
	unsigned nev;
	unsigned verdict, reason;
	int any_order;
} t_rule[] = {
	/* nothing yet; nothing needed is never free */
	{ BW, {{0}}, 0, VERDICT_PENDING, REASON_NONE, 1 },
	{ 0, {{W, REASON_NO_REPLY}}, 1, VERDICT_PENDING, REASON_NONE, 1 },
	/* the wire alone */
	{ BW, {{W, REASON_NO_REPLY}}, 1, VERDICT_FREE, REASON_NO_REPLY, 1 },
	{ BW, {{W, REASON_HOST_UNREACH}}, 1, VERDICT_FREE,
	    REASON_HOST_UNREACH, 1 },
	{ BW, {{W, REASON_ECHO_REPLY}}, 1, VERDICT_USED, REASON_ECHO_REPLY,
	    1 },
	{ BW, {{W, REASON_ICMP_FROM_TARGET}}, 1, VERDICT_USED,
	    REASON_ICMP_FROM_TARGET, 1 },
	{ BW, {{W, REASON_LOSS_TOO_HIGH}}, 1, VERDICT_UNKNOWN,
	    REASON_LOSS_TOO_HIGH, 1 },
	{ BW, {{W, REASON_OTHER_SOURCE}}, 1, VERDICT_UNKNOWN,
	    REASON_OTHER_SOURCE, 1 },
	/* silence of every needed phase, and only then */
	{ BW | BC, {{W, REASON_NO_REPLY}}, 1, VERDICT_PENDING, REASON_NONE,
	    1 },
	{ BW | BC, {{C, REASON_CANARY_OK}}, 1, VERDICT_PENDING, REASON_NONE,
	    1 },
	{ BW | BC, {{W, REASON_NO_REPLY}, {C, REASON_CANARY_OK}}, 2,
	    VERDICT_FREE, REASON_NO_REPLY, 1 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_TCP_SILENT}}, 2,
	    VERDICT_FREE, REASON_NO_REPLY, 1 },
	{ BW | BC | BT, {{W, REASON_NO_REPLY}, {C, REASON_CANARY_OK}}, 2,
	    VERDICT_PENDING, REASON_NONE, 1 },
	{ BW | BC | BT, {{W, REASON_HOST_UNREACH}, {C, REASON_CANARY_OK},
	    {T, REASON_TCP_SILENT}}, 3, VERDICT_FREE, REASON_HOST_UNREACH, 1 },
	/* the reason shown for free is the wire's, whoever spoke first */
	{ BW | BT, {{T, REASON_TCP_SILENT}, {W, REASON_HOST_UNREACH}}, 2,
	    VERDICT_FREE, REASON_HOST_UNREACH, 1 },
	/* silence of a phase it does not need frees nothing */
	{ BW, {{T, REASON_TCP_SILENT}}, 1, VERDICT_PENDING, REASON_NONE, 1 },
	{ BW, {{C, REASON_CANARY_OK}, {T, REASON_TCP_SILENT}}, 2,
	    VERDICT_PENDING, REASON_NONE, 1 },
	/* a silent wire plus a doubt from another phase */
	{ BW | BC, {{W, REASON_NO_REPLY}, {C, REASON_CANARY_SILENT}}, 2,
	    VERDICT_UNKNOWN, REASON_CANARY_SILENT, 1 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_TCP_ERROR}}, 2,
	    VERDICT_UNKNOWN, REASON_TCP_ERROR, 1 },
	{ BW | BC, {{W, REASON_NO_REPLY}, {C, REASON_PHASE_FAILED}}, 2,
	    VERDICT_UNKNOWN, REASON_PHASE_FAILED, 1 },
	/* a doubt from a phase it does not need still holds it back */
	{ BW, {{W, REASON_NO_REPLY}, {T, REASON_TCP_ERROR}}, 2,
	    VERDICT_UNKNOWN, REASON_TCP_ERROR, 1 },
	/* silence and a doubt from the same phase: the doubt */
	{ BW, {{W, REASON_NO_REPLY}, {W, REASON_ADMIN_PROHIBITED}}, 2,
	    VERDICT_UNKNOWN, REASON_ADMIN_PROHIBITED, 1 },
	{ BW, {{W, REASON_WORKER_DIED}, {W, REASON_NO_REPLY}}, 2,
	    VERDICT_UNKNOWN, REASON_WORKER_DIED, 1 },
	/* an answer beats everything, from any phase */
	{ BW, {{W, REASON_ADMIN_PROHIBITED}, {W, REASON_ECHO_REPLY}}, 2,
	    VERDICT_USED, REASON_ECHO_REPLY, 1 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_TCP_REFUSED}}, 2,
	    VERDICT_USED, REASON_TCP_REFUSED, 1 },
	{ BW | BT, {{W, REASON_ECHO_REPLY}, {T, REASON_TCP_SILENT}}, 2,
	    VERDICT_USED, REASON_ECHO_REPLY, 1 },
	{ BW, {{T, REASON_TCP_ACCEPT}}, 1, VERDICT_USED, REASON_TCP_ACCEPT,
	    1 },
	{ BW, {{W, REASON_NO_REPLY}, {W, REASON_ARP_REPLY}}, 2, VERDICT_USED,
	    REASON_ARP_REPLY, 1 },
	{ BW | BC | BT, {{W, REASON_NO_REPLY}, {C, REASON_CANARY_OK},
	    {T, REASON_TCP_SILENT}, {W, REASON_ECHO_REPLY}}, 4, VERDICT_USED,
	    REASON_ECHO_REPLY, 1 },
	{ BW, {{W, REASON_NOT_NEEDED}, {W, REASON_ECHO_REPLY}}, 2,
	    VERDICT_USED, REASON_ECHO_REPLY, 1 },
	/* the first doubt, the first answer are the ones shown */
	{ BW, {{W, REASON_ADMIN_PROHIBITED}, {W, REASON_ICMP_ERROR}}, 2,
	    VERDICT_UNKNOWN, REASON_ADMIN_PROHIBITED, 0 },
	{ BW | BT, {{T, REASON_TCP_REFUSED}, {W, REASON_ECHO_REPLY}}, 2,
	    VERDICT_USED, REASON_TCP_REFUSED, 0 },
	/* not needed (--first), and a real doubt replacing it */
	{ BW, {{W, REASON_NOT_NEEDED}}, 1, VERDICT_NOT_NEEDED,
	    REASON_NOT_NEEDED, 1 },
	{ BW | BT, {{W, REASON_NO_REPLY}, {T, REASON_NOT_NEEDED}}, 2,
	    VERDICT_NOT_NEEDED, REASON_NOT_NEEDED, 1 },
	{ BW | BT, {{W, REASON_NOT_NEEDED}, {T, REASON_NOT_NEEDED}}, 2,
	    VERDICT_NOT_NEEDED, REASON_NOT_NEEDED, 1 },
	{ BW | BT, {{W, REASON_NOT_NEEDED}, {T, REASON_TCP_ERROR}}, 2,
	    VERDICT_UNKNOWN, REASON_TCP_ERROR, 1 },
	{ BW, {{W, REASON_DEADLINE}, {W, REASON_NOT_NEEDED}}, 2,
	    VERDICT_UNKNOWN, REASON_DEADLINE, 1 },
	{ BW | BT, {{W, REASON_NOT_NEEDED}, {T, REASON_INTERRUPTED},
	    {W, REASON_NOT_NEEDED}}, 3, VERDICT_UNKNOWN, REASON_INTERRUPTED,
	    1 },
	/* no evidence changes nothing */
	{ BW, {{W, REASON_NONE}}, 1, VERDICT_PENDING, REASON_NONE, 1 },
	{ BW, {{W, REASON_SPECIAL}, {T, REASON_SPECIAL}}, 2, VERDICT_PENDING,
	    REASON_NONE, 1 },
	{ BW, {{W, REASON_NO_REPLY}, {W, REASON_SPECIAL}}, 2, VERDICT_FREE,
	    REASON_NO_REPLY, 1 },
	/* a need without the wire (the collector always adds it) */
	{ BC, {{C, REASON_CANARY_OK}}, 1, VERDICT_FREE, REASON_CANARY_OK, 1 },
};

/* t_apply -- a fresh evidence needing NEED, then N events of EV in ORDER */
static void
t_apply(struct evidence *e, uint8_t need, const struct t_event *ev,
    unsigned n, const unsigned *order)
{
	unsigned k;

	memset(e, 0, sizeof(*e));
	e->need = need;
	for (k = 0; k < n; k++)
		ck_assert_int_ge(evidence_add(e, ev[order[k]].phase,
		    ev[order[k]].reason), 0);
}

START_TEST(test_rule)
{
	static const unsigned id[T_MAXEV] = { 0, 1, 2, 3 };
	struct evidence e;

	t_apply(&e, t_rule[_i].need, t_rule[_i].ev, t_rule[_i].nev, id);
	ck_assert_msg(evidence_verdict(&e) == t_rule[_i].verdict &&
	    evidence_reason(&e) == t_rule[_i].reason,
	    "row %d: %s/%s, want %s/%s", _i, verdict_name(evidence_verdict(&e)),
	    reason_name(evidence_reason(&e)),
	    verdict_name(t_rule[_i].verdict), reason_name(t_rule[_i].reason));
}
END_TEST

/* t_perm -- the K-th permutation of 0..N-1 into P (factorial numbering) */
static void
t_perm(unsigned k, unsigned n, unsigned *p)
{
	unsigned pool[T_MAXEV], i, j, f;

	for (i = 0; i < n; i++)
		pool[i] = i;
	for (i = 0; i < n; i++) {
		for (f = 1, j = 2; j < n - i; j++)
			f *= j;
		j = k / f;
		k %= f;
		p[i] = pool[j];
		for (; j + 1 < n - i; j++)
			pool[j] = pool[j + 1];
	}
}

START_TEST(test_rule_any_order)
{
	/* every order of a row's events gives the row's verdict */
	unsigned n = t_rule[_i].nev, order[T_MAXEV], k, nperm = 1, i;
	unsigned seen;
	struct evidence e;

	for (i = 2; i <= n; i++)
		nperm *= i;
	for (k = 0; k < nperm; k++) {
		t_perm(k, n, order);
		/* the permutation is one: each index once */
		for (seen = 0, i = 0; i < n; i++)
			seen |= 1u << order[i];
		ck_assert_uint_eq(seen, (1u << n) - 1);
		t_apply(&e, t_rule[_i].need, t_rule[_i].ev, n, order);
		ck_assert_msg(evidence_verdict(&e) == t_rule[_i].verdict,
		    "row %d, order %u: %s, want %s", _i, k,
		    verdict_name(evidence_verdict(&e)),
		    verdict_name(t_rule[_i].verdict));
		if (t_rule[_i].any_order)
			ck_assert_msg(evidence_reason(&e) == t_rule[_i].reason,
			    "row %d, order %u: reason %s, want %s", _i, k,
			    reason_name(evidence_reason(&e)),
			    reason_name(t_rule[_i].reason));
	}
}
END_TEST

/*
 * evidence_add's return: 1 for a phase's first word, 0 for a repeat or
 * for no evidence, -1 out of range.  Job state: the phases done before.
 */
static const struct {
	uint8_t done_before;   /* phases given a word first (NO_REPLY) */
	unsigned phase, reason;
	int rc;
} t_add[] = {
	{ 0, W, REASON_NO_REPLY, 1 },
	{ 0, W, REASON_ECHO_REPLY, 1 },
	{ 0, W, REASON_ADMIN_PROHIBITED, 1 },
	{ 0, T, REASON_TCP_SILENT, 1 },
	{ 0, C, REASON_CANARY_SILENT, 1 },
	{ BW, W, REASON_NO_REPLY, 0 },
	{ BW, W, REASON_ECHO_REPLY, 0 },
	{ BW, W, REASON_DEADLINE, 0 },
	{ BW, T, REASON_TCP_ACCEPT, 1 },
	{ BW | BT, T, REASON_TCP_ERROR, 0 },
	{ BW | BT, C, REASON_CANARY_OK, 1 },
	{ 0, W, REASON_NONE, 0 },
	{ 0, W, REASON_SPECIAL, 0 },
	{ BW, T, REASON_SPECIAL, 0 },
	{ 0, EVIDENCE_PHASE_MAX, REASON_NO_REPLY, -1 },
	{ 0, 8, REASON_ECHO_REPLY, -1 },
	{ 0, UINT_MAX, REASON_ECHO_REPLY, -1 },
	{ 0, W, REASON_MAX, -1 },
	{ BW, W, 255, -1 },
	{ 0, T, UINT_MAX, -1 },
};

START_TEST(test_add)
{
	struct evidence e, before;
	unsigned p;
	int rc;

	memset(&e, 0, sizeof(e));
	e.need = BW | BT;
	for (p = 0; p < EVIDENCE_PHASE_MAX; p++)
		if (t_add[_i].done_before & EVIDENCE_BIT(p))
			ck_assert_int_eq(evidence_add(&e, p, REASON_NO_REPLY),
			    1);
	memcpy(&before, &e, sizeof(before));
	rc = evidence_add(&e, t_add[_i].phase, t_add[_i].reason);
	ck_assert_int_eq(rc, t_add[_i].rc);
	if (rc == 1)
		ck_assert_uint_eq(e.done, before.done |
		    EVIDENCE_BIT(t_add[_i].phase));
	else
		ck_assert_uint_eq(e.done, before.done);
	/* refused or no evidence: nothing at all changed */
	if (rc < 0 || evidence_class(t_add[_i].reason) == EVIDENCE_NONE)
		ck_assert_mem_eq(&e, &before, sizeof(e));
	ck_assert_uint_eq(e.need, BW | BT);
}
END_TEST

/*
 * The safety order of verdicts: more evidence may move an address up it,
 * never down, except PENDING to FREE (the last silence came).
 */
static const unsigned t_rank[VERDICT_MAX] = {
	[VERDICT_FREE] = 0,
	[VERDICT_PENDING] = 1,
	[VERDICT_NOT_NEEDED] = 2,
	[VERDICT_UNKNOWN] = 3,
	[VERDICT_USED] = 4,
	[VERDICT_SKIPPED] = 5,
};

/* What a sequence of events amounts to, told apart from the rule's code. */
struct t_model {
	uint8_t silent, done;
	int answered, doubt, not_needed;
};

static unsigned
t_model_verdict(const struct t_model *m, uint8_t need)
{
	if (m->answered)
		return VERDICT_USED;
	if (m->doubt)
		return VERDICT_UNKNOWN;
	if (m->not_needed)
		return VERDICT_NOT_NEEDED;
	if (need != 0 && (m->silent & need) == need)
		return VERDICT_FREE;
	return VERDICT_PENDING;
}

/* t_model_add -- the event, from the class table above; evidence_add's rc */
static int
t_model_add(struct t_model *m, unsigned phase, unsigned reason)
{
	uint8_t bit = EVIDENCE_BIT(phase);
	int fresh = !(m->done & bit);

	if (reason >= NELEM(t_classes))
		return -2;   /* a reason with no row: test_class_table says */
	switch (t_classes[reason].cls) {
	case A:
		m->answered = 1;
		break;
	case S:
		m->silent |= bit;
		break;
	case D:
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

/*
 * Every sequence of three events (any phase, any reason, no evidence
 * too) for an address needing NEED (_i): after each event the verdict is
 * the model's, evidence_add returns what the model says, no verdict moves
 * down the safety order, a USED keeps its reason, and FREE comes with
 * the silence of every needed phase and nothing else.
 */
static const uint8_t t_needs[] = { BW, BW | BC, BW | BT, BW | BC | BT,
				   BW | EVIDENCE_BIT(EVIDENCE_DNS) };

START_TEST(test_monotone)
{
	enum { NE = EVIDENCE_PHASE_MAX * REASON_MAX };
	uint8_t need = t_needs[_i];
	unsigned a, b, c, k, seq[3], prev, v;

	for (a = 0; a < NE; a++)
		for (b = 0; b < NE; b++)
			for (c = 0; c < NE; c++) {
				struct evidence e;
				struct t_model m;
				unsigned used_reason = 0;

				memset(&e, 0, sizeof(e));
				memset(&m, 0, sizeof(m));
				e.need = need;
				seq[0] = a;
				seq[1] = b;
				seq[2] = c;
				prev = VERDICT_PENDING;
				for (k = 0; k < 3; k++) {
					unsigned ph = seq[k] / REASON_MAX;
					unsigned r = seq[k] % REASON_MAX;
					int rc = evidence_add(&e, ph, r);

					if (rc != t_model_add(&m, ph, r))
						ck_abort_msg("need %u, %u %u %u"
						    ": add %u gave %d", need, a,
						    b, c, k, rc);
					v = evidence_verdict(&e);
					if (v != t_model_verdict(&m, need))
						ck_abort_msg("need %u, %u %u %u"
						    ", step %u: %s, the model "
						    "says %s", need, a, b, c, k,
						    verdict_name(v),
						    verdict_name(
						    t_model_verdict(&m, need)));
					if (t_rank[v] < t_rank[prev] &&
					    !(prev == VERDICT_PENDING &&
					    v == VERDICT_FREE))
						ck_abort_msg("need %u, %u %u %u"
						    ", step %u: %s to %s", need,
						    a, b, c, k,
						    verdict_name(prev),
						    verdict_name(v));
					if (v == VERDICT_USED) {
						if (used_reason == 0)
							used_reason =
							    evidence_reason(&e);
						if (evidence_reason(&e) !=
						    used_reason)
							ck_abort_msg("need %u, "
							    "%u %u %u: the "
							    "answer shown "
							    "changed", need,
							    a, b, c);
					}
					if (v == VERDICT_FREE &&
					    ((e.silent & need) != need ||
					    e.answered != 0 || e.doubt != 0 ||
					    evidence_class(evidence_reason(&e))
					    != S))
						ck_abort_msg("need %u, %u %u "
						    "%u: free without the "
						    "silence of every phase",
						    need, a, b, c);
					prev = v;
				}
			}
}
END_TEST

START_TEST(test_reason_follows_verdict)
{
	/* evidence_reason is of the class its verdict stands on */
	static const struct {
		uint8_t need;
		struct t_event ev[2];
		unsigned nev, cls;
	} rows[] = {
		{ BW, {{W, REASON_ECHO_REPLY}}, 1, A },
		{ BW, {{W, REASON_NO_REPLY}}, 1, S },
		{ BW, {{W, REASON_SEND_ERROR}}, 1, D },
		{ BW, {{W, REASON_NOT_NEEDED}}, 1, D },
		{ BW | BT, {{W, REASON_NO_REPLY}}, 1, X },
	};
	static const unsigned id[T_MAXEV] = { 0, 1, 2, 3 };
	struct evidence e;
	size_t i;

	for (i = 0; i < NELEM(rows); i++) {
		t_apply(&e, rows[i].need, rows[i].ev, rows[i].nev, id);
		ck_assert_uint_eq(evidence_class(evidence_reason(&e)),
		    rows[i].cls);
	}
	/* a zeroed evidence is pending, with no reason */
	memset(&e, 0, sizeof(e));
	ck_assert_uint_eq(evidence_verdict(&e), VERDICT_PENDING);
	ck_assert_uint_eq(evidence_reason(&e), REASON_NONE);
}
END_TEST

Suite *
evidence_suite(void)
{
	Suite *s = suite_create("evidence");
	TCase *tc = tcase_create("rule");

	/* generous: the exhaustive walk is slow under ASan */
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_class, 0, NELEM(t_classes));
	tcase_add_test(tc, test_class_table);
	tcase_add_loop_test(tc, test_rule, 0, NELEM(t_rule));
	tcase_add_loop_test(tc, test_rule_any_order, 0, NELEM(t_rule));
	tcase_add_loop_test(tc, test_add, 0, NELEM(t_add));
	tcase_add_loop_test(tc, test_monotone, 0, NELEM(t_needs));
	tcase_add_test(tc, test_reason_follows_verdict);
	suite_add_tcase(s, tc);
	return s;
}
