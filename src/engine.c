/* engine.c - choose and set up the probe engine a run's phases share */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "addr.h"
#include "arp.h"
#include "diag.h"
#include "engine.h"
#include "mono.h"
#include "priv.h"

/* engine_cookie -- 64 random bits for this run */
static uint64_t
engine_cookie(void)
{
	uint64_t c;

	if (getrandom(&c, sizeof(c), 0) != sizeof(c))
		c = mono_now_ns() ^ ((uint64_t)getpid() << 32);
	return c;
}

/* engine_find -- 1 when PROG is an executable file somewhere in PATH */
static int
engine_find(const char *prog)
{
	const char *path = getenv("PATH"), *p, *colon;
	char buf[4096];

	if (path == NULL || *path == '\0')
		path = "/usr/bin:/bin:/usr/sbin:/sbin";
	for (p = path; ; p = colon + 1) {
		size_t len;

		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if (len > 0 && len + strlen(prog) + 2 < sizeof(buf)) {
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, p, prog);
			if (access(buf, X_OK) == 0)
				return 1;
		}
		if (colon == NULL)
			return 0;
	}
}

/*
 * engine_nids -- ICMP ids for a raw socket's worker sending RATE_PPS:
 * a sequence number is not reused within a timeout, so one id (65536 of
 * them) caps a worker at 65536 probes per timeout.  Enough ids for the
 * rate and a quarter more, a power of two.
 */
static unsigned
engine_nids(double rate_pps, unsigned timeout_ms)
{
	double need = rate_pps * timeout_ms / 1000.0 * 1.25 / 65536.0;
	unsigned k = 1;

	while (k < need && k < PROBE_ICMP_IDS_MAX)
		k *= 2;
	return k;
}

/*
 * engine_inflight -- how many ping(8)s each of the WORKERS may run at once:
 * --exec-inflight, fewer when a limit cannot hold that many.  A worker
 * keeps one descriptor per ping (two while it starts one) besides its own
 * few, within RLIMIT_NOFILE; RLIMIT_NPROC (which binds every uid but root)
 * counts the pings with every other process of the user, so what the
 * workers run stays below it (what other processes take is found at
 * run time: a worker whose fork fails runs fewer from then on).  All
 * workers together run at most ENGINE_EXEC_TOTAL.  Says in E->limit when
 * it lowered the number.
 */
static unsigned
engine_inflight(struct engine *e, unsigned want)
{
	unsigned per = want, workers = e->workers ? e->workers : 1;
	struct rlimit rl;

	if ((uint64_t)per * workers > ENGINE_EXEC_TOTAL) {
		per = ENGINE_EXEC_TOTAL / workers ? ENGINE_EXEC_TOTAL / workers : 1;
		snprintf(e->limit, sizeof(e->limit), "%u ping(8) processes "
		    "at once per worker, not %u: %u at most for all %u workers",
		    per, want, ENGINE_EXEC_TOTAL, workers);
	}

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)per + ENGINE_WORKER_FDS) {
		per = rl.rlim_cur > ENGINE_WORKER_FDS ?
		    (unsigned)(rl.rlim_cur - ENGINE_WORKER_FDS) : 1;
		snprintf(e->limit, sizeof(e->limit), "%u ping(8) processes "
		    "at once per worker, not %u: RLIMIT_NOFILE is %llu", per,
		    want, (unsigned long long)rl.rlim_cur);
	}
	if (getuid() != 0 && getrlimit(RLIMIT_NPROC, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < ((rlim_t)per + 1) * workers + 1) {
		per = rl.rlim_cur > (rlim_t)workers * 2 + 1 ?
		    (unsigned)((rl.rlim_cur - 1) / workers - 1) : 1;
		snprintf(e->limit, sizeof(e->limit), "%u ping(8) processes "
		    "at once per worker, not %u: RLIMIT_NPROC is %llu", per,
		    want, (unsigned long long)rl.rlim_cur);
	}
	return per;
}

/*
 * engine_pick -- ICMP sockets when they open, else ping(8) when --method
 * allows it.  Returns an enum engine_status.
 */
static int
engine_pick(struct engine *e, const struct options *o, char *err,
    size_t errlen)
{
	if (o->method != OPTIONS_METHOD_EXEC) {
		if (probe_icmp_open(&e->pi, e->workers, 0, err, errlen) == 0) {
			e->native = 1;
			e->pool.run = probe_icmp_run;
			e->pool.fd = probe_icmp_fd;
			e->pool.ctx = &e->pi;
			return ENGINE_OK;
		}
		if (errno != EPERM && errno != EACCES)
			return ENGINE_SYSTEM;
		if (o->method == OPTIONS_METHOD_ICMP)
			return ENGINE_NO_PERMISSION;
		snprintf(e->fallback, sizeof(e->fallback), "%s; falling back "
		    "to ping(8), %u at a time.  Root, setcap cap_net_raw+ep "
		    "on ipsweep, or net.ipv4.ping_group_range enables the "
		    "native method", err, e->workers * e->px.inflight);
	}
	if (!engine_find(e->px.ping)) {
		snprintf(err, errlen, "ping(8) not found in PATH");
		return ENGINE_NO_PERMISSION;
	}
	e->pool.run = probe_exec_run;
	e->pool.ctx = &e->px;
	return ENGINE_OK;
}

unsigned
engine_workers(unsigned cpus, unsigned rate_pps)
{
	unsigned want = rate_pps / ENGINE_WORKER_PPS +
	    (rate_pps % ENGINE_WORKER_PPS != 0);

	if (want < 2)
		want = 2;
	return want < cpus ? want : cpus ? cpus : 1;
}

int
engine_open(struct engine *e, const struct options *o, const uint32_t *addrs,
    size_t n, char *err, size_t errlen)
{
	int rc;

	memset(e, 0, sizeof(*e));
	e->workers = o->jobs_given ? o->jobs :
	    engine_workers(o->jobs, o->rate_pps);
	if (e->workers > n)
		e->workers = n ? (unsigned)n : 1;
	e->px.count = o->count;
	e->px.timeout_s = (o->timeout_ms + 999) / 1000;
	/* the native engine's gap between probes, half a timeout, within
	   what ping(8) takes from a user and never slower than its 1 s */
	e->px.interval_ms = e->px.timeout_s * 500;
	if (e->px.interval_ms > 1000)
		e->px.interval_ms = 1000;
	if (e->px.interval_ms < 200)
		e->px.interval_ms = 200;
	e->px.ping = "ping";
	e->px.inflight = engine_inflight(e, o->exec_inflight ?
	    o->exec_inflight : OPTIONS_EXEC_INFLIGHT_DEFAULT);
	/* each ping sends COUNT probes: --rate over COUNT pings a second */
	e->px.spawn_pps = (double)o->rate_pps / e->workers / o->count;
#ifdef IPSWEEP_TEST_HOOKS
	/* For the tests only: a tiny receive buffer provokes drops. */
	if (getenv("IPSWEEP_TEST_RCVBUF") != NULL)
		e->pi.rcvbuf = atoi(getenv("IPSWEEP_TEST_RCVBUF"));
#endif
	e->onlink = onlink_mark(addrs, n, &e->pi, e->workers, e->ifaces);
	/* a failure only leaves the capability unused: sockets say why */
	(void)priv_raise_net_raw();
	e->pi.nids = engine_nids((double)o->rate_pps / e->workers,
	    o->timeout_ms);
#ifdef IPSWEEP_TEST_HOOKS
	/* For the tests only: fewer ids, so that sequence numbers run out. */
	if (getenv("IPSWEEP_TEST_NIDS") != NULL)
		e->pi.nids = (unsigned)atoi(getenv("IPSWEEP_TEST_NIDS"));
#endif
	rc = engine_pick(e, o, err, errlen);
	if (rc != ENGINE_OK)
		return rc;
	if (e->native)
		e->limit[0] = '\0';   /* it was about ping(8) */
	/* ARP needs CAP_NET_RAW too: without it, the neighbour table. */
	if (e->native && e->onlink != NULL && probe_icmp_open_arp(&e->pi) == 0)
		e->pool.fd2 = probe_icmp_fd2;
	/* ping(8) needs its file capability at exec: no sealing then */
	if (priv_drop_mode(e->native ? PRIV_MODE_SEALED : PRIV_MODE_EXEC,
	    err, errlen) < 0)
		return ENGINE_SYSTEM;
	e->pi.count = o->count;
	e->pi.max_count = o->max_count;
	e->pi.false_free_max = 1.0 - o->confidence;
	e->pi.timeout_ms = o->timeout_ms;
	/* The next probe to a silent address goes out half a timeout after the
	 * previous one (sooner once replies show the round trip is short);
	 * every probe is still listened to for a whole timeout, and a reply
	 * to any of them counts however late it comes. */
	e->pi.retry_ms = o->timeout_ms / 2 ? o->timeout_ms / 2 : 1;
	e->pi.rate_pps = (double)o->rate_pps / e->workers;
	e->pi.cookie = engine_cookie();
	engine_jobs(e, addrs, n, 1);
	return ENGINE_OK;
}

void
engine_jobs(struct engine *e, const uint32_t *addrs, size_t n, int main)
{
	free(e->conflict);   /* indexed by the previous list's jobs */
	e->conflict = NULL;
	e->pi.addrs = e->px.addrs = addrs;
	e->pi.n = e->px.n = n;
	e->pi.onlink = e->px.onlink = main ? e->onlink : NULL;
}

/*
 * engine_params -- chunks of about an eighth of a worker's share (at most
 * ENGINE_CHUNK_MAX), and a
 * window deep enough to keep sending at the rate for a whole probe cycle.
 * ping(8): a window of the pings a worker runs at once and two chunks
 * more, chunks of at most a quarter of those (small ones balance the
 * workers).
 */
void
engine_params(const struct engine *e, const struct options *o, size_t n,
    const struct pool_params *base, struct pool_params *pp)
{
	unsigned workers = e->workers;
	double per;

	*pp = *base;
	if (workers > n)
		workers = (unsigned)n;
	if (workers == 0)
		workers = 1;
	pp->workers = workers;
	pp->chunk = (uint32_t)(n / (workers * 8u));
	if (pp->chunk < 1)
		pp->chunk = 1;
	if (pp->chunk > ENGINE_CHUNK_MAX)
		pp->chunk = ENGINE_CHUNK_MAX;
	if (e->native) {
		per = e->pi.rate_pps * ((double)o->count * e->pi.retry_ms +
		    o->timeout_ms) / 1000.0 / o->count;
		pp->window = per * 1.5 + 2.0 * pp->chunk > 1e9 ? 1000000000u :
		    (uint32_t)(per * 1.5) + 2 * pp->chunk;
		/* --first: go in order, a little ahead of what is needed */
		if (o->first > 0 && pp->window > o->first * 4 + 64)
			pp->window = (uint32_t)(o->first * 4 + 64);
	} else {
		uint32_t most = e->px.inflight / 4 ? e->px.inflight / 4 : 1;

		if (pp->chunk > most)
			pp->chunk = most;
		pp->window = e->px.inflight + 2 * pp->chunk;
	}
	pp->max_tries = 2;
	pp->respawns = workers * 2;
	/* a ping(8) worker is busy for count seconds plus its wait */
	pp->watchdog_ms = e->native ? 5000 :
	    5000 + o->count * (1000 + o->timeout_ms);
	/*
	 * After the last verdict, listen another half timeout: a reply up to
	 * one and a half timeouts late still counts for the last addresses
	 * (earlier ones are listened to while the run goes on).
	 */
	pp->linger_ms = e->native ? o->timeout_ms / 2 : 0;
	pp->drain_ms = 2000;
}

void
engine_forward(void *arg, const struct record *r)
{
	struct engine *e = arg;
	uint32_t w[4] = { r->count, r->rtt_us, r->aux, r->aux2 };
	uint8_t m1[6], m2[6];
	char a[ADDR_STRLEN], b1[18], b2[18];

	if (r->type != RECORD_CONFLICT || r->job >= e->pi.n)
		return;
	if (e->conflict == NULL) {
		e->conflict = calloc(e->pi.n ? e->pi.n : 1, 1);
	}
	if (e->conflict != NULL) {
		if (e->conflict[r->job])
			return;
		e->conflict[r->job] = 1;
	}
	e->conflicts++;
	arp_unpack_macs(w, m1, m2);
	diag_warn("%s: address conflict: %s and %s both answer ARP for it",
	    addr_format(e->pi.addrs[r->job], a), arp_format_mac(m1, b1),
	    arp_format_mac(m2, b2));
}

const char *
engine_method(const struct engine *e)
{
	return e->native ? probe_icmp_kind_name(e->pi.kind) : "exec";
}

void
engine_close(struct engine *e)
{
	probe_icmp_close(&e->pi);
	free(e->onlink);
	e->onlink = NULL;
	free(e->conflict);
	e->conflict = NULL;
}
