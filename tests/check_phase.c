/* check_phase.c - the canary and path phases' word on each job, and needs */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "collector.h"
#include "config.h"
#include "diag.h"
#include "options.h"
#include "phase.h"
#include "plan.h"
#include "testutil.h"

Suite *phase_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char conf_text[] =
    /* for phase_needs */
    "[can]\nrange = 10.0.0.1-10.0.0.4\ncanary = 10.0.0.254\n"
    "[plain]\nrange = 10.0.0.3-10.0.0.6\n"
    "[ports]\nrange = 10.0.0.6-10.0.0.8\ntcp = 22\n"
    /* for phase_canaries_report: r4 overlaps r1 in 10.0.1.4 */
    "[r1]\nrange = 10.0.1.1-10.0.1.4\ncanary = 10.0.1.254, 10.0.1.253\n"
    "[r2]\nrange = 10.0.2.1-10.0.2.4\ncanary = 10.0.2.254\n"
    "[r3]\nrange = 10.0.3.1-10.0.3.2\n"
    "[r4]\nrange = 10.0.1.4-10.0.1.5\ncanary = 10.0.4.254\n"
    /* for phase_path_report: p3 is the end of p1 */
    "[p1]\nrange = 10.1.0.1-10.1.0.6\n"
    "[p2]\nrange = 10.2.0.1-10.2.0.3\n"
    "[p3]\nrange = 10.1.0.5-10.1.0.6\n";

/* Options, the configuration, the plan and a collector of its jobs. */
struct fix {
	char argbuf[256];
	struct options o;
	struct config cfg;
	struct plan p;
	struct collector c;
};

/* fix_build -- the plan for ARGS (blank-separated), its jobs' collector */
static void
fix_build(struct fix *f, const char *args)
{
	char err[256];
	size_t bad;

	memset(f, 0, sizeof(*f));
	tu_options(&f->o, f->argbuf, sizeof(f->argbuf), args);
	config_init(&f->cfg);
	ck_assert_msg(config_parse(&f->cfg, "t.conf", conf_text,
	    sizeof(conf_text) - 1, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(plan_build(&f->p, &f->o, &f->cfg, &bad, err,
	    sizeof(err)) == PLAN_OK, "plan '%s': %s", args, err);
	ck_assert_int_eq(collector_init(&f->c, f->p.addrs, f->p.n), 0);
	diag_setup(0, 0);
}

static void
fix_free(struct fix *f)
{
	collector_free(&f->c);
	plan_free(&f->p);
	config_free(&f->cfg);
	options_free(&f->o);
}

/* a broken path's error per job: net unreachable, too-soon host
   unreachable, source route failed, net unknown, host isolated, ... */
static const unsigned path_codes[] = { 0, 1, 5, 6, 8, 11, 12, 15, 0 };
#define PATH_AUX(j) ((uint32_t)(3u << 8 | path_codes[(j) % 9]))

/*
 * wire -- the wire phase's word on each job of C, one letter per job
 * (blanks ignored): n no reply, h host unreachable, e echo reply,
 * i icmp error of a broken path (aux PATH_AUX(j)), a net prohibited (3/9),
 * A communication prohibited (3/13) and x port unreachable from
 * elsewhere (3/3), which speak for one host only, p ping errors (aux 0),
 * s send error, o other source, - none yet
 */
static void
wire(struct collector *c, const char *codes)
{
	size_t j = 0;
	unsigned reason;
	uint32_t aux;

	for (; *codes != '\0'; codes++) {
		if (*codes == ' ')
			continue;
		ck_assert_uint_lt(j, c->n);
		aux = 0;
		switch (*codes) {
		case 'n':
			reason = REASON_NO_REPLY;
			break;
		case 'h':
			reason = REASON_HOST_UNREACH;
			break;
		case 'e':
			reason = REASON_ECHO_REPLY;
			break;
		case 'i':
			reason = REASON_ICMP_ERROR;
			aux = PATH_AUX(j);
			break;
		case 'a':
			reason = REASON_ADMIN_PROHIBITED;
			aux = 3u << 8 | 9u;
			break;
		case 'A':
			reason = REASON_ADMIN_PROHIBITED;
			aux = 3u << 8 | 13u;
			break;
		case 'x':
			reason = REASON_ICMP_ERROR;
			aux = 3u << 8 | 3u;
			break;
		case 'p':
			reason = REASON_PING_ERRORS;
			break;
		case 's':
			reason = REASON_SEND_ERROR;
			aux = 101;
			break;
		case 'o':
			reason = REASON_OTHER_SOURCE;
			aux = 0x0a0909fe;
			break;
		default:
			reason = REASON_NONE;
			break;
		}
		if (reason != REASON_NONE)
			ck_assert_int_eq(collector_report(c, j, EVIDENCE_WIRE,
			    reason, 2, 0, aux), 1);
		j++;
	}
	ck_assert_uint_eq(j, c->n);
}

/*
 * dump -- "verdict:reason" per job of C, blank-separated; a
 * range-icmp-errors job shows its aux too ("/0x302")
 */
static const char *
dump(const struct collector *c)
{
	static char buf[2048];
	size_t j, o = 0;

	buf[0] = '\0';
	for (j = 0; j < c->n && o < sizeof(buf); j++) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s:%s",
		    j ? " " : "", verdict_name(collector_verdict(c, j)),
		    reason_name(collector_reason(c, j)));
		if (collector_reason(c, j) == REASON_RANGE_ERRORS &&
		    o < sizeof(buf))
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
			    "/%#x", (unsigned)collector_entry(c, j).aux);
	}
	return buf;
}

/*
 * phase_needs: W the wire phase, C the canary phase (a range with
 * canaries holds the job, first or not), T the TCP phase (the job's
 * first range has ports).
 */
static const struct {
	const char *args;
	const char *needs;     /* per job, blank-separated */
} needs[] = {
	{"can", "WC WC WC WC"},
	{"plain", "W W W W"},
	{"plain can", "WC WC WC WC W W"},
	{"can plain", "WC WC WC WC W W"},
	{"10.0.0.2 can", "WC WC WC WC"},
	{"10.0.0.9 can", "WC WC WC WC W"},
	{"ports plain", "W W W WT WT WT"},
	{"plain ports", "W W W W WT WT"},
	{"--tcp 80 plain", "WT WT WT WT"},
	{"--tcp 80 can ports", "WCT WCT WCT WCT WT WT WT"},
	{"--tcp 80 10.0.0.7", "WT"},
	{"10.0.0.7", "W"},
	{"10.0.0.7 ports can", "WC WC WC WC WT W WT"},
};

START_TEST(test_needs)
{
	char buf[256];
	struct fix f;
	size_t j, o = 0, n_can = 0, n_tcp = 0;

	fix_build(&f, needs[_i].args);
	phase_needs(&f.p, &f.c);
	buf[0] = '\0';
	for (j = 0; j < f.c.n && o < sizeof(buf); j++) {
		uint8_t need = f.c.e[j].ev.need;

		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s%s%s%s",
		    j ? " " : "",
		    need & EVIDENCE_BIT(EVIDENCE_WIRE) ? "W" : "",
		    need & EVIDENCE_BIT(EVIDENCE_CANARY) ? "C" : "",
		    need & EVIDENCE_BIT(EVIDENCE_TCP) ? "T" : "",
		    need & ~0x7u ? "?" : "");
		n_can += (need & EVIDENCE_BIT(EVIDENCE_CANARY)) != 0;
		n_tcp += (need & EVIDENCE_BIT(EVIDENCE_TCP)) != 0;
		ck_assert_uint_eq(collector_verdict(&f.c, j), VERDICT_PENDING);
	}
	ck_assert_str_eq(buf, needs[_i].needs);
	ck_assert_uint_eq(f.c.left[EVIDENCE_WIRE], f.c.n);
	ck_assert_uint_eq(f.c.left[EVIDENCE_CANARY], n_can);
	ck_assert_uint_eq(f.c.left[EVIDENCE_TCP], n_tcp);
	/* twice is once */
	phase_needs(&f.p, &f.c);
	ck_assert_uint_eq(f.c.left[EVIDENCE_CANARY], n_can);
	ck_assert_uint_eq(f.c.left[EVIDENCE_TCP], n_tcp);
	fix_free(&f);
}
END_TEST

/*
 * phase_canaries_report on the plan "r1 r2 r3 r4": jobs 10.0.1.1-4 (r1),
 * 10.0.1.5 (r4, which also holds 10.0.1.4), 10.0.2.1-4 (r2), 10.0.3.1-2
 * (r3, no canaries).  The canaries, ascending: 10.0.1.253 and 10.0.1.254
 * (r1), 10.0.2.254 (r2), 10.0.4.254 (r4).
 */
static const uint32_t canary_addrs[] = {
	0x0a0001fd, 0x0a0001fe, 0x0a0002fe, 0x0a0004fe
};

static const struct {
	const char *canaries;  /* wire() codes of the canaries */
	int finished;
	const char *jobs;      /* wire() codes of the jobs */
	const char *want;      /* dump() after the report */
	const char *warn;      /* all of stderr */
} canaries[] = {
	/* r1 answered; r2 and r4 did not */
	{"nenn", 1, "nnen n nnes ne",
	    "free:no-reply free:no-reply used:echo-reply "
	    "unknown:canary-silent unknown:canary-silent "
	    "unknown:canary-silent unknown:canary-silent used:echo-reply "
	    "unknown:send-error free:no-reply used:echo-reply",
	    "ipsweep: range 'r2': no canary answered (10.0.2.254): its 2 "
	    "silent addresses are unknown, not free; is a filter dropping "
	    "ICMP?\n"
	    "ipsweep: range 'r4': no canary answered (10.0.4.254): its 2 "
	    "silent addresses are unknown, not free; is a filter dropping "
	    "ICMP?\n"},
	/* the same, cut short: no word, nothing free that needs one */
	{"nenn", 0, "nnen n nnes ne",
	    "pending:none pending:none used:echo-reply pending:none "
	    "pending:none pending:none pending:none used:echo-reply "
	    "unknown:send-error free:no-reply used:echo-reply", ""},
	/* r2 answered; r1 (both silent) and r4 did not */
	{"nnen", 1, "nnnn n nnnn nn",
	    "unknown:canary-silent unknown:canary-silent "
	    "unknown:canary-silent unknown:canary-silent "
	    "unknown:canary-silent free:no-reply free:no-reply "
	    "free:no-reply free:no-reply free:no-reply free:no-reply",
	    "ipsweep: range 'r1': no canary answered (10.0.1.253, ...): its "
	    "4 silent addresses are unknown, not free; is a filter dropping "
	    "ICMP?\n"
	    "ipsweep: range 'r4': no canary answered (10.0.4.254): its 1 "
	    "silent address is unknown, not free; is a filter dropping "
	    "ICMP?\n"},
	/* all answered: silence is free, the rest as it was */
	{"eeee", 1, "nhe- s n-nn ne",
	    "free:no-reply free:host-unreachable used:echo-reply "
	    "pending:none unknown:send-error free:no-reply pending:none "
	    "free:no-reply free:no-reply free:no-reply used:echo-reply", ""},
	/* another source's answer, or none yet, is no answer; r4's does not
	   speak for 10.0.1.4, which r1 holds too */
	{"o-ne", 1, "nnnn n nnnn nn",
	    "unknown:canary-silent unknown:canary-silent "
	    "unknown:canary-silent unknown:canary-silent free:no-reply "
	    "unknown:canary-silent unknown:canary-silent "
	    "unknown:canary-silent unknown:canary-silent free:no-reply "
	    "free:no-reply",
	    "ipsweep: range 'r1': no canary answered (10.0.1.253, ...): its "
	    "4 silent addresses are unknown, not free; is a filter dropping "
	    "ICMP?\n"
	    "ipsweep: range 'r2': no canary answered (10.0.2.254): its 4 "
	    "silent addresses are unknown, not free; is a filter dropping "
	    "ICMP?\n"},
	/* a range answered for does not decide its undecided jobs */
	{"enne", 1, "---- - nnen --",
	    "pending:none pending:none pending:none pending:none "
	    "pending:none unknown:canary-silent unknown:canary-silent "
	    "used:echo-reply unknown:canary-silent pending:none "
	    "pending:none",
	    "ipsweep: range 'r2': no canary answered (10.0.2.254): its 3 "
	    "silent addresses are unknown, not free; is a filter dropping "
	    "ICMP?\n"},
};

START_TEST(test_canaries)
{
	struct phase_canaries pc;
	struct fix f;
	char *out;
	size_t j, n_can = 0;

	fix_build(&f, "r1 r2 r3 r4");
	ck_assert_uint_eq(f.c.n, 11);
	phase_needs(&f.p, &f.c);
	wire(&f.c, canaries[_i].jobs);
	memset(&pc, 0, sizeof(pc));
	pc.addrs = malloc(sizeof(canary_addrs));
	ck_assert_ptr_nonnull(pc.addrs);
	memcpy(pc.addrs, canary_addrs, sizeof(canary_addrs));
	ck_assert_int_eq(collector_init(&pc.c, pc.addrs,
	    NELEM(canary_addrs)), 0);
	wire(&pc.c, canaries[_i].canaries);
	pc.finished = canaries[_i].finished;
	tu_cap_start();
	phase_canaries_report(&pc, &f.p, &f.c);
	out = tu_cap_end();
	ck_assert_str_eq(dump(&f.c), canaries[_i].want);
	ck_assert_str_eq(out, canaries[_i].warn);
	/* every job of a range with canaries had the canaries' word */
	for (j = 0; j < f.c.n; j++) {
		int held = (f.c.e[j].ev.need &
		    EVIDENCE_BIT(EVIDENCE_CANARY)) != 0;

		n_can += held;
		ck_assert_int_eq(collector_done(&f.c, j, EVIDENCE_CANARY),
		    held && canaries[_i].finished);
	}
	ck_assert_uint_eq(n_can, 9);
	ck_assert_uint_eq(f.c.left[EVIDENCE_CANARY],
	    canaries[_i].finished ? 0 : 9);
	free(out);
	phase_canaries_free(&pc);
	ck_assert_ptr_null(pc.addrs);
	fix_free(&f);
}
END_TEST

/*
 * phase_path_report on "p1 p2" (jobs 10.1.0.1-6, 10.2.0.1-3) or
 * "p3 p1 p2" (the same jobs; 10.1.0.5-6 belong to p3 first).
 */
static const struct {
	const char *args;
	const char *onlink;    /* '1' per on-link job, or NULL: no map */
	const char *jobs;      /* wire() codes */
	const char *want;      /* dump() after the report */
	const char *warn;      /* in stderr, or NULL: nothing printed */
	int unseen;            /* the engine loses errors unseen (ping(8)) */
} paths[] = {
	{"p1 p2", NULL, "nnin eh nnn",
	    "unknown:range-icmp-errors/0x305 unknown:range-icmp-errors/0x305 "
	    "unknown:icmp-error unknown:range-icmp-errors/0x305 "
	    "used:echo-reply unknown:range-icmp-errors/0x305 "
	    "free:no-reply free:no-reply free:no-reply",
	    "ipsweep: range 'p1': the path answered 10.1.0.3 with icmp type "
	    "3 code 5: its 4 silent addresses are unknown, not free (routers "
	    "rate-limit such errors); is a route down?\n", 0},
	{"p1 p2", "000000000", "nnin eh nnn",
	    "unknown:range-icmp-errors/0x305 unknown:range-icmp-errors/0x305 "
	    "unknown:icmp-error unknown:range-icmp-errors/0x305 "
	    "used:echo-reply unknown:range-icmp-errors/0x305 "
	    "free:no-reply free:no-reply free:no-reply",
	    "its 4 silent addresses", 0},
	/* an error for an on-link job came from no router */
	{"p1 p2", "001000000", "nnin eh nnn",
	    "free:no-reply free:no-reply unknown:icmp-error free:no-reply "
	    "used:echo-reply free:host-unreachable "
	    "free:no-reply free:no-reply free:no-reply", NULL, 0},
	/* and an on-link job needs no router */
	{"p1 p2", "100001000", "nnin eh nnn",
	    "free:no-reply unknown:range-icmp-errors/0x305 "
	    "unknown:icmp-error unknown:range-icmp-errors/0x305 "
	    "used:echo-reply free:host-unreachable "
	    "free:no-reply free:no-reply free:no-reply",
	    "10.1.0.3 with icmp type 3 code 5: its 2 silent addresses", 0},
	/* the first routed error gives the aux: a prohibition here */
	{"p1 p2", NULL, "nanin n nnn",
	    "unknown:range-icmp-errors/0x309 unknown:admin-prohibited "
	    "unknown:range-icmp-errors/0x309 unknown:icmp-error "
	    "unknown:range-icmp-errors/0x309 "
	    "unknown:range-icmp-errors/0x309 "
	    "free:no-reply free:no-reply free:no-reply",
	    "10.1.0.2 with icmp type 3 code 9: its 4 silent addresses", 0},
	{"p1 p2", "010000000", "nanin n nnn",
	    "unknown:range-icmp-errors/0x306 unknown:admin-prohibited "
	    "unknown:range-icmp-errors/0x306 unknown:icmp-error "
	    "unknown:range-icmp-errors/0x306 "
	    "unknown:range-icmp-errors/0x306 "
	    "free:no-reply free:no-reply free:no-reply",
	    "10.1.0.4 with icmp type 3 code 6: its 4 silent addresses", 0},
	/* ping(8)'s unnamed errors, a host filter, a port unreachable from
	   elsewhere: each speaks for its own host only */
	{"p1 p2", NULL, "nnnnnn npn",
	    "free:no-reply free:no-reply free:no-reply free:no-reply "
	    "free:no-reply free:no-reply "
	    "free:no-reply unknown:ping-errors free:no-reply", NULL, 0},
	{"p1 p2", NULL, "nAnxnn nnn",
	    "free:no-reply unknown:admin-prohibited free:no-reply "
	    "unknown:icmp-error free:no-reply free:no-reply "
	    "free:no-reply free:no-reply free:no-reply", NULL, 0},
	/* two addresses prohibited: a filter on the range, rate-limited */
	{"p1 p2", NULL, "nAnAnn nnn",
	    "unknown:range-icmp-errors/0x30d unknown:admin-prohibited "
	    "unknown:range-icmp-errors/0x30d unknown:admin-prohibited "
	    "unknown:range-icmp-errors/0x30d unknown:range-icmp-errors/0x30d "
	    "free:no-reply free:no-reply free:no-reply",
	    "ipsweep: range 'p1': a filter answered 10.1.0.4 and more with "
	    "icmp type 3 code 13: its 4 silent addresses are unknown, not "
	    "free (routers rate-limit such errors)\n", 0},
	/* but an on-link one came from no router */
	{"p1 p2", "000100000", "nAnAnn nnn",
	    "free:no-reply unknown:admin-prohibited free:no-reply "
	    "unknown:admin-prohibited free:no-reply free:no-reply "
	    "free:no-reply free:no-reply free:no-reply", NULL, 0},
	/* but where errors can be lost unseen (ping(8)), they speak for
	   the range: a silent neighbour's may have been lost */
	{"p1 p2", NULL, "nnnnnn npn",
	    "free:no-reply free:no-reply free:no-reply free:no-reply "
	    "free:no-reply free:no-reply "
	    "unknown:range-icmp-errors/0 unknown:ping-errors "
	    "unknown:range-icmp-errors/0",
	    "ipsweep: range 'p2': ping(8) reported errors for 10.2.0.2: its 2 "
	    "silent addresses are unknown, not free (ping(8) can lose such "
	    "errors without a word)\n", 1},
	{"p1 p2", NULL, "nAnxnn nnn",
	    "unknown:range-icmp-errors/0x30d unknown:admin-prohibited "
	    "unknown:range-icmp-errors/0x30d unknown:icmp-error "
	    "unknown:range-icmp-errors/0x30d unknown:range-icmp-errors/0x30d "
	    "free:no-reply free:no-reply free:no-reply",
	    "range 'p1': ping(8) reported icmp type 3 code 13 for 10.1.0.2: "
	    "its 4 silent addresses", 1},
	/* a path error still comes first, for the aux and the words */
	{"p1 p2", NULL, "nAnin n nnn",
	    "unknown:range-icmp-errors/0x306 unknown:admin-prohibited "
	    "unknown:range-icmp-errors/0x306 unknown:icmp-error "
	    "unknown:range-icmp-errors/0x306 unknown:range-icmp-errors/0x306 "
	    "free:no-reply free:no-reply free:no-reply",
	    "the path answered 10.1.0.4 with icmp type 3 code 6", 1},
	/* on-link errors came from no router, lost or not */
	{"p1 p2", "010000000", "nAnnnn nnn",
	    "free:no-reply unknown:admin-prohibited free:no-reply "
	    "free:no-reply free:no-reply free:no-reply "
	    "free:no-reply free:no-reply free:no-reply", NULL, 1},
	/* doubts that are no path error hold nothing back */
	{"p1 p2", NULL, "nsnonn nnn",
	    "free:no-reply unknown:send-error free:no-reply "
	    "unknown:other-source free:no-reply free:no-reply "
	    "free:no-reply free:no-reply free:no-reply", NULL, 0},
	{"p1 p2", NULL, "hhhhhh nnn",
	    "free:host-unreachable free:host-unreachable "
	    "free:host-unreachable free:host-unreachable "
	    "free:host-unreachable free:host-unreachable "
	    "free:no-reply free:no-reply free:no-reply", NULL, 0},
	/* a job's range is its first: p3 holds 10.1.0.5-6 */
	{"p3 p1 p2", NULL, "nnin nn nnn",
	    "unknown:range-icmp-errors/0x305 unknown:range-icmp-errors/0x305 "
	    "unknown:icmp-error unknown:range-icmp-errors/0x305 "
	    "free:no-reply free:no-reply "
	    "free:no-reply free:no-reply free:no-reply",
	    "range 'p1': the path answered 10.1.0.3 with icmp type 3 code 5: "
	    "its 3 silent addresses", 0},
	{"p3 p1 p2", NULL, "nnnn in nnn",
	    "free:no-reply free:no-reply free:no-reply free:no-reply "
	    "unknown:icmp-error unknown:range-icmp-errors/0x308 "
	    "free:no-reply free:no-reply free:no-reply",
	    "range 'p3': the path answered 10.1.0.5 with icmp type 3 code 8: "
	    "its 1 silent address is unknown", 0},
	/* undecided jobs are no candidates */
	{"p1 p2", NULL, "-nin n- nnn",
	    "pending:none unknown:range-icmp-errors/0x305 "
	    "unknown:icmp-error unknown:range-icmp-errors/0x305 "
	    "unknown:range-icmp-errors/0x305 pending:none "
	    "free:no-reply free:no-reply free:no-reply",
	    "its 3 silent addresses", 0},
	/* each range with its own first error */
	{"p1 p2", NULL, "innnnn nni",
	    "unknown:icmp-error unknown:range-icmp-errors/0x300 "
	    "unknown:range-icmp-errors/0x300 unknown:range-icmp-errors/0x300 "
	    "unknown:range-icmp-errors/0x300 unknown:range-icmp-errors/0x300 "
	    "unknown:range-icmp-errors/0x300 unknown:range-icmp-errors/0x300 "
	    "unknown:icmp-error",
	    "code 0: its 5 silent addresses are unknown, not free (routers "
	    "rate-limit such errors); is a route down?\nipsweep: range 'p2': the path answered 10.2.0.3 with icmp "
	    "type 3 code 0: its 2 silent addresses", 0},
	/* no candidate left: nothing to hold back, nothing to say */
	{"p1 p2", NULL, "ieeeso nnn",
	    "unknown:icmp-error used:echo-reply used:echo-reply "
	    "used:echo-reply unknown:send-error unknown:other-source "
	    "free:no-reply free:no-reply free:no-reply", NULL, 0},
};

START_TEST(test_paths)
{
	uint8_t onlink[16];
	struct fix f;
	char *out;
	size_t j;

	fix_build(&f, paths[_i].args);
	ck_assert_uint_eq(f.c.n, 9);
	phase_needs(&f.p, &f.c);
	wire(&f.c, paths[_i].jobs);
	if (paths[_i].onlink != NULL) {
		ck_assert_uint_eq(strlen(paths[_i].onlink), f.c.n);
		for (j = 0; j < f.c.n; j++)
			onlink[j] = paths[_i].onlink[j] == '1';
	}
	tu_cap_start();
	phase_path_report(&f.p, &f.c, paths[_i].onlink ? onlink : NULL,
	    paths[_i].unseen);
	out = tu_cap_end();
	ck_assert_str_eq(dump(&f.c), paths[_i].want);
	if (paths[_i].warn == NULL)
		ck_assert_str_eq(out, "");
	else
		ck_assert_msg(strstr(out, paths[_i].warn) != NULL,
		    "'%s' not in '%s'", paths[_i].warn, out);
	free(out);
	fix_free(&f);
}
END_TEST

/* t_listen -- a non-blocking listener on loopback ADDR, port *PORT (0: any) */
static int
t_listen(uint32_t addr, uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	sin.sin_port = htons(*port);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* t_pending -- 1 when a connection waits on listener FD (accepted) */
static int
t_pending(int fd)
{
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0) {
		ck_assert_msg(errno == EAGAIN || errno == EWOULDBLOCK,
		    "accept: %s", strerror(errno));
		return 0;
	}
	close(c);
	return 1;
}

/*
 * phase_tcp on loopback only: jobs 127.0.0.1-4, listeners on 127.0.0.1,
 * .3 and .4 (one port), none on .2 (refused).  Only candidates are tried,
 * and only with ports.
 */
static const struct {
	int tcp;               /* --tcp PORT given */
	const char *jobs;      /* wire() codes */
	const char *want;      /* dump() after phase_tcp */
	int untried;           /* bit k: listener k (.1, .3, .4) got nothing */
} tcps[] = {
	{1, "nnes", "used:tcp-accept used:tcp-refused used:echo-reply "
	    "unknown:send-error", 6},
	{1, "eesn", "used:echo-reply used:echo-reply unknown:send-error "
	    "used:tcp-accept", 3},
	{1, "-o-n", "pending:none unknown:other-source pending:none "
	    "used:tcp-accept", 3},
	{0, "nnnn", "free:no-reply free:no-reply free:no-reply free:no-reply",
	    7},
};

START_TEST(test_tcp)
{
	static const uint32_t at[3] = { 0x7f000001, 0x7f000003, 0x7f000004 };
	char args[64], err[256];
	uint16_t port = 0;
	int fds[3], k;
	struct fix f;

	fds[0] = t_listen(at[0], &port);
	for (k = 1; k < 3; k++)
		fds[k] = t_listen(at[k], &port);
	if (tcps[_i].tcp)
		snprintf(args, sizeof(args), "--tcp %u 127.0.0.1-4",
		    (unsigned)port);
	else
		snprintf(args, sizeof(args), "127.0.0.1-4");
	fix_build(&f, args);
	ck_assert_uint_eq(f.c.n, 4);
	phase_needs(&f.p, &f.c);
	wire(&f.c, tcps[_i].jobs);
	err[0] = '\0';
	ck_assert_msg(phase_tcp(&f.p, &f.c, 2000, NULL, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_str_eq(dump(&f.c), tcps[_i].want);
	for (k = 0; k < 3; k++) {
		if (tcps[_i].untried & (1 << k))
			ck_assert_int_eq(t_pending(fds[k]), 0);
		close(fds[k]);
	}
	fix_free(&f);
}
END_TEST

Suite *
phase_suite(void)
{
	Suite *s = suite_create("phase");
	TCase *tc = tcase_create("phase");

	tcase_add_loop_test(tc, test_needs, 0, NELEM(needs));
	tcase_add_loop_test(tc, test_canaries, 0, NELEM(canaries));
	tcase_add_loop_test(tc, test_paths, 0, NELEM(paths));
	tcase_add_loop_test(tc, test_tcp, 0, NELEM(tcps));
	suite_add_tcase(s, tc);
	return s;
}
