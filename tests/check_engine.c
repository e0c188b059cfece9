/* check_engine.c - pool settings per engine, method names, ARP conflicts */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arp.h"
#include "diag.h"
#include "engine.h"
#include "options.h"
#include "pool.h"
#include "record.h"
#include "testutil.h"

Suite *engine_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * engine_params: the native window is 1.5 times what one worker sends in
 * a probe cycle (rate_pps * (count * retry_ms + timeout_ms) / count /
 * 1000) plus two chunks; chunks are an eighth of a worker's share.
 */
static const struct {
	int native;
	unsigned workers;
	double rate_pps;       /* per worker */
	unsigned retry_ms;
	const char *args;      /* -n, -W, --first */
	size_t n;
	unsigned want_workers;
	uint32_t chunk;
	uint32_t window;
	unsigned watchdog_ms;
	unsigned linger_ms;
	unsigned inflight;     /* ping(8): --exec-inflight as the engine took it */
} params[] = {
	{1, 4, 5000, 500, "-n 2 -W 1000 x", 1000, 4, 31, 7562, 5000, 500, 0},
	/* fewer jobs than workers: one worker per job */
	{1, 4, 5000, 500, "-n 2 -W 1000 x", 3, 3, 1, 7502, 5000, 500, 0},
	{1, 4, 5000, 500, "-n 2 -W 1000 x", 0, 1, 1, 7502, 5000, 500, 0},
	/* chunks of ENGINE_CHUNK_MAX at most */
	{1, 1, 5000, 500, "-n 2 -W 1000 x", 1000000, 1, 4096, 15692, 5000, 500,
	    0},
	{1, 2, 5000, 500, "-n 2 -W 1000 x", 4096, 2, 256, 8012, 5000, 500, 0},
	{1, 2, 5000, 500, "-n 2 -W 1000 x", 4095, 2, 255, 8010, 5000, 500, 0},
	/* --first caps the window at 4 * first + 64 */
	{1, 4, 5000, 500, "-n 2 -W 1000 --first 10 x", 1000, 4, 31, 104, 5000,
	    500, 0},
	{1, 4, 5000, 500, "-n 2 -W 1000 --first 1874 x", 1000, 4, 31, 7560,
	    5000, 500, 0},
	{1, 4, 5000, 500, "-n 2 -W 1000 --first 1875 x", 1000, 4, 31, 7562,
	    5000, 500, 0},
	{1, 8, 2500, 125, "-n 3 -W 250 x", 65536, 8, 1024, 2829, 5000, 125, 0},
	{1, 4, 1e9, 1000, "-n 1 -W 60000 x", 1000, 4, 31, 1000000000u, 5000,
	    30000, 0},
	{1, 4, 0.5, 1, "-n 1 -W 1 x", 1000, 4, 31, 62, 5000, 0, 0},
	/* ping(8), busy count seconds and a wait: a window of the pings
	   running at once and two chunks, chunks of at most a quarter of
	   them (0 running at once counts as 1) */
	{0, 4, 5000, 500, "-n 2 -W 1000 x", 1000, 4, 1, 2, 9000, 0, 0},
	{0, 4, 5000, 500, "-n 2 -W 1000 --first 1 x", 1000, 4, 1, 2, 9000, 0, 0},
	{0, 4, 5000, 500, "-n 5 -W 3000 x", 2, 2, 1, 2, 25000, 0, 0},
	{0, 4, 5000, 500, "-n 2 -W 1000 x", 1000, 4, 16, 96, 9000, 0, 64},
	{0, 2, 5000, 500, "-n 2 -W 1000 x", 254, 2, 15, 94, 9000, 0, 64},
	{0, 2, 5000, 500, "-n 2 -W 1000 x", 254, 2, 1, 3, 9000, 0, 1},
	{0, 1, 5000, 500, "-n 2 -W 1000 x", 5, 1, 1, 1026, 9000, 0, 1024},
};

static volatile sig_atomic_t params_stop;

static void
params_note(void *arg, enum diag_severity sev, const char *msg)
{
	(void)arg;
	(void)sev;
	(void)msg;
}

static void
params_forward(void *arg, const struct record *r)
{
	(void)arg;
	(void)r;
}

static int
params_tick(void *arg, const struct collector *c, const struct pool_stats *st)
{
	(void)arg;
	(void)c;
	(void)st;
	return 0;
}

START_TEST(test_params)
{
	struct pool_params base, pp;
	struct options o;
	struct engine e;
	char buf[128];
	int a1, a2, a3;

	tu_options(&o, buf, sizeof(buf), params[_i].args);
	memset(&e, 0, sizeof(e));
	e.native = params[_i].native;
	e.workers = params[_i].workers;
	e.pi.rate_pps = params[_i].rate_pps;
	e.pi.retry_ms = params[_i].retry_ms;
	e.px.inflight = params[_i].inflight;
	/* what the engine sets must replace whatever BASE held */
	memset(&base, 0x5a, sizeof(base));
	base.stop = &params_stop;
	base.wake_fd = 77;
	base.deadline_ns = 123456789012345ull;
	base.note = params_note;
	base.note_arg = &a1;
	base.forward = params_forward;
	base.forward_arg = &a2;
	base.tick = params_tick;
	base.tick_arg = &a3;
	memset(&pp, 0, sizeof(pp));
	engine_params(&e, &o, params[_i].n, &base, &pp);
	ck_assert_uint_eq(pp.workers, params[_i].want_workers);
	ck_assert_uint_eq(pp.chunk, params[_i].chunk);
	ck_assert_uint_eq(pp.window, params[_i].window);
	ck_assert_uint_eq(pp.watchdog_ms, params[_i].watchdog_ms);
	ck_assert_uint_eq(pp.linger_ms, params[_i].linger_ms);
	ck_assert_uint_eq(pp.max_tries, 2);
	ck_assert_uint_eq(pp.respawns, 2 * params[_i].want_workers);
	ck_assert_uint_eq(pp.drain_ms, 2000);
	ck_assert_ptr_eq((void *)pp.stop, (void *)&params_stop);
	ck_assert_int_eq(pp.wake_fd, 77);
	ck_assert_uint_eq(pp.deadline_ns, 123456789012345ull);
	ck_assert(pp.note == params_note);
	ck_assert_ptr_eq(pp.note_arg, &a1);
	ck_assert(pp.forward == params_forward);
	ck_assert_ptr_eq(pp.forward_arg, &a2);
	ck_assert(pp.tick == params_tick);
	ck_assert_ptr_eq(pp.tick_arg, &a3);
	/* the engine itself is left alone */
	ck_assert_uint_eq(e.workers, params[_i].workers);
	options_free(&o);
}
END_TEST

static const struct {
	int native;
	enum probe_icmp_kind kind;
	const char *name;
} methods[] = {
	{0, PROBE_ICMP_NONE, "exec"},
	{0, PROBE_ICMP_RAW, "exec"},
	{0, PROBE_ICMP_DGRAM, "exec"},
	{1, PROBE_ICMP_RAW, "raw"},
	{1, PROBE_ICMP_DGRAM, "datagram"},
};

START_TEST(test_method)
{
	struct engine e;

	memset(&e, 0, sizeof(e));
	e.native = methods[_i].native;
	e.pi.kind = methods[_i].kind;
	ck_assert_str_eq(engine_method(&e), methods[_i].name);
}
END_TEST

/* The jobs the conflict records are about. */
static const uint32_t fwd_addrs[] = { 0x0a000001, 0x0a000002, 0x0a000003 };

#define FWD_STEPS 6
#define LINE(a) "ipsweep: " a ": address conflict: 02:00:5e:00:00:01 and " \
	"a4:bb:cc:dd:ee:0f both answer ARP for it\n"

/* Records to engine_forward: C conflict, E evidence, S stats; job digit. */
static const struct {
	const char *steps;     /* "C1 C1 E0" */
	unsigned conflicts;
	const char *out;
} fwd[] = {
	{"C1", 1, LINE("10.0.0.2")},
	{"C1 C1", 1, LINE("10.0.0.2")},
	{"C1 C2 C1 C2 C2", 2, LINE("10.0.0.2") LINE("10.0.0.3")},
	{"C0 C2 C0", 2, LINE("10.0.0.1") LINE("10.0.0.3")},
	/* a job that is not in the list, a record of another type */
	{"C3", 0, ""},
	{"C9 C0", 1, LINE("10.0.0.1")},
	{"E0 S1 E2", 0, ""},
	{"E0 C0 E0 C0", 1, LINE("10.0.0.1")},
};

/* fwd_send -- the records of STEPS to engine_forward(E) */
static void
fwd_send(struct engine *e, const char *steps)
{
	static const uint8_t m1[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t m2[6] = { 0xa4, 0xbb, 0xcc, 0xdd, 0xee, 0x0f };
	uint32_t w[4];
	struct record r;

	arp_pack_macs(m1, m2, w);
	for (; steps[0] != '\0' && steps[1] != '\0'; steps += 2) {
		if (steps[0] == ' ')
			steps++;
		memset(&r, 0, sizeof(r));
		r.type = steps[0] == 'C' ? RECORD_CONFLICT : steps[0] == 'E' ?
		    RECORD_EVIDENCE : RECORD_STATS;
		r.job = (uint32_t)(steps[1] - '0');
		if (r.type == RECORD_CONFLICT) {
			r.count = w[0];
			r.rtt_us = w[1];
			r.aux = w[2];
			r.aux2 = w[3];
		} else if (r.type == RECORD_EVIDENCE) {
			r.reason = REASON_ECHO_REPLY;
		}
		engine_forward(e, &r);
	}
}

START_TEST(test_forward)
{
	struct engine e;
	char *out;

	diag_setup(1, 0);
	memset(&e, 0, sizeof(e));
	engine_jobs(&e, fwd_addrs, NELEM(fwd_addrs), 1);
	ck_assert_uint_eq(e.pi.n, NELEM(fwd_addrs));
	tu_cap_start();
	fwd_send(&e, fwd[_i].steps);
	out = tu_cap_end();
	ck_assert_uint_eq(e.conflicts, fwd[_i].conflicts);
	ck_assert_str_eq(out, fwd[_i].out);
	free(out);
	engine_close(&e);
	ck_assert_ptr_null(e.conflict);
	ck_assert_ptr_null(e.onlink);
}
END_TEST

/*
 * A new job list starts a new conflict map, indexed by its own jobs: the
 * warning names the new list's address.
 */
START_TEST(test_forward_jobs)
{
	static const uint32_t other[] = { 0xc0a80001, 0xc0a80002 };
	struct engine e;
	char *out;

	diag_setup(1, 0);
	memset(&e, 0, sizeof(e));
	engine_jobs(&e, fwd_addrs, NELEM(fwd_addrs), 1);
	tu_cap_start();
	fwd_send(&e, "C1 C2");
	engine_jobs(&e, other, NELEM(other), 0);
	fwd_send(&e, "C1 C2 C1");
	out = tu_cap_end();
	ck_assert_uint_eq(e.conflicts, 3);
	ck_assert_str_eq(out, LINE("10.0.0.2") LINE("10.0.0.3")
	    LINE("192.168.0.2"));
	free(out);
	engine_close(&e);
}
END_TEST

/* -j not given: the workers the rate needs, 2 at least, one per CPU most */
static const struct {
	unsigned cpus, rate, want;
} workers[] = {
	{ 2, 20000, 2 }, { 8, 20000, 2 }, { 1, 20000, 1 }, { 0, 20000, 1 },
	{ 8, 1, 2 }, { 8, 200000, 2 }, { 8, 200001, 3 }, { 8, 1000000, 8 },
	{ 16, 1000000, 10 }, { 2, 1000000, 2 }, { 256, 4294967295u, 256 },
};

START_TEST(test_workers)
{
	ck_assert_uint_eq(engine_workers(workers[_i].cpus, workers[_i].rate),
	    workers[_i].want);
}
END_TEST

Suite *
engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");

	tcase_add_loop_test(tc, test_params, 0, NELEM(params));
	tcase_add_loop_test(tc, test_method, 0, NELEM(methods));
	tcase_add_loop_test(tc, test_forward, 0, NELEM(fwd));
	tcase_add_test(tc, test_forward_jobs);
	tcase_add_loop_test(tc, test_workers, 0, NELEM(workers));
	suite_add_tcase(s, tc);
	return s;
}
