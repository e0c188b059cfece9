/* sweep.c - run a sweep: sockets, pool, collector, output, exit status */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "addr.h"
#include "collector.h"
#include "mono.h"
#include "pool.h"
#include "priv.h"
#include "probe_exec.h"
#include "probe_icmp.h"
#include "route.h"
#include "sweep.h"

/* How many unknown addresses are listed one by one without -v. */
#define SWEEP_UNKNOWN_SHOWN 20

static volatile sig_atomic_t sweep_signal;
static int sweep_wake[2] = { -1, -1 };

/* sweep_on_signal -- only records the signal and wakes the poll loop */
static void
sweep_on_signal(int sig)
{
	int saved = errno;

	sweep_signal = sig;
	if (sweep_wake[1] >= 0)
		(void)!write(sweep_wake[1], "", 1);
	errno = saved;
}

/*
 * sweep_signals -- SIGINT and SIGTERM stop the sweep through a flag and a
 * self-pipe; SIGPIPE is ignored so that a closed stdout shows up as EPIPE
 * from write (handled quietly); SIGCHLD goes back to its default in case we
 * were started with it ignored, which would make the kernel reap workers
 * behind our back.
 */
static int
sweep_signals(void)
{
	struct sigaction sa;

	if (pipe2(sweep_wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sweep_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	return 0;
}

/* sweep_note -- pool messages go to stderr */
static void
sweep_note(void *arg, const char *msg)
{
	const struct options *o = arg;

	if (!o->quiet || strncmp(msg, "cannot", 6) == 0)
		fprintf(stderr, "ipsweep: %s\n", msg);
}

/* sweep_read_uint -- an unsigned number from a /proc file, or DEF */
static unsigned
sweep_read_uint(const char *path, unsigned def)
{
	FILE *f = fopen(path, "re");
	unsigned v;

	if (f == NULL)
		return def;
	if (fscanf(f, "%u", &v) != 1)
		v = def;
	fclose(f);
	return v;
}

/*
 * sweep_onlink -- mark the jobs that sit on a directly connected subnet and
 * size the room for their first probes: the neighbour table holds
 * gc_thresh3 entries, an unresolved one lives mcast_solicit * retrans_time,
 * and a probe to a new neighbour beyond that is dropped without a word.
 */
static uint8_t *
sweep_onlink(const uint32_t *addrs, size_t n, struct probe_icmp *pi,
    unsigned workers)
{
	struct route_table rt;
	uint8_t *on;
	size_t j, count = 0;
	unsigned thresh, solicit, retrans, room;

	if (route_load(&rt) < 0)
		return NULL;
	on = calloc(n ? n : 1, 1);
	if (on == NULL) {
		route_free(&rt);
		return NULL;
	}
	for (j = 0; j < n; j++)
		count += on[j] = (uint8_t)route_onlink(&rt, addrs[j]);
	route_free(&rt);
	thresh = sweep_read_uint("/proc/sys/net/ipv4/neigh/default/gc_thresh3",
	    1024);
	solicit = sweep_read_uint(
	    "/proc/sys/net/ipv4/neigh/default/mcast_solicit", 3);
	retrans = sweep_read_uint(
	    "/proc/sys/net/ipv4/neigh/default/retrans_time_ms", 1000);
	/* Measured: 896 of 1024 in flight lost nothing, 1000 hit ENOBUFS. */
	room = thresh > 256 ? thresh - 128 : thresh / 2;
	pi->onlink_max = room / workers ? room / workers : 1;
	pi->onlink_hold_ms = solicit * retrans + 500;
	if (count == 0) {
		free(on);
		return NULL;
	}
	return on;
}

/* sweep_cookie -- 64 random bits for this run */
static uint64_t
sweep_cookie(void)
{
	uint64_t c;

	if (getrandom(&c, sizeof(c), 0) != sizeof(c))
		c = mono_now_ns() ^ ((uint64_t)getpid() << 32);
	return c;
}

/*
 * sweep_print -- the selected addresses to stdout, then a flush whose
 * result we check: a full disk must not pass for an empty list.  Returns 0,
 * 1 when stdout was closed by the reader (EPIPE: stay quiet), -1 with
 * errno on a write error.
 */
static int
sweep_print(const struct collector *c, unsigned want)
{
	char a[ADDR_STRLEN];
	size_t j;

	for (j = 0; j < c->n; j++) {
		if (c->e[j].verdict != want)
			continue;
		if (fputs(addr_format(c->addrs[j], a), stdout) == EOF ||
		    putchar('\n') == EOF)
			break;
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		return errno == EPIPE ? 1 : -1;
	return 0;
}

/* sweep_report -- unknown addresses and the summary, on stderr */
static void
sweep_report(const struct options *o, const struct collector *c,
    size_t n_skipped)
{
	char a[ADDR_STRLEN];
	size_t j, shown = 0, late = 0;

	for (j = 0; j < c->n; j++) {
		const struct collector_entry *e = &c->e[j];

		late += e->late;
		if (e->verdict != VERDICT_UNKNOWN || o->quiet)
			continue;
		if (shown++ >= SWEEP_UNKNOWN_SHOWN && o->verbose == 0)
			continue;
		addr_format(c->addrs[j], a);
		if (e->reason == REASON_SEND_ERROR)
			fprintf(stderr, "ipsweep: %s: unknown (send-error: %s)\n",
			    a, strerror((int)e->aux));
		else if (e->reason == REASON_OTHER_SOURCE) {
			char b[ADDR_STRLEN];

			fprintf(stderr, "ipsweep: %s: unknown (answered by %s)\n",
			    a, addr_format(e->aux, b));
		} else
			fprintf(stderr, "ipsweep: %s: unknown (%s)\n", a,
			    reason_name(e->reason));
	}
	if (o->quiet)
		return;
	if (shown > SWEEP_UNKNOWN_SHOWN && o->verbose == 0)
		fprintf(stderr, "ipsweep: ... and %zu more unknown (-v lists "
		    "them all)\n", shown - SWEEP_UNKNOWN_SHOWN);
	if (late > 0 && o->verbose > 0)
		fprintf(stderr, "ipsweep: %zu late replies turned free into "
		    "used\n", late);
	fprintf(stderr, "ipsweep: %zu addresses: %zu free, %zu used, %zu "
	    "unknown", c->n + n_skipped, c->counts[VERDICT_FREE],
	    c->counts[VERDICT_USED], c->counts[VERDICT_UNKNOWN]);
	if (n_skipped > 0)
		fprintf(stderr, ", %zu skipped", n_skipped);
	fputc('\n', stderr);
}

/* sweep_no_permission -- the three ways to let ipsweep probe */
static void
sweep_no_permission(const char *why)
{
	fprintf(stderr,
	    "ipsweep: %s\n"
	    "ipsweep: no permission to send ICMP echo; any one of these "
	    "grants it:\n"
	    "ipsweep:   run as root,\n"
	    "ipsweep:   setcap cap_net_raw+ep on the ipsweep binary, or\n"
	    "ipsweep:   sysctl net.ipv4.ping_group_range to include group "
	    "%ld\n", why, (long)getgid());
}

/* sweep_find_ping -- 1 when PROG is an executable file somewhere in PATH */
static int
sweep_find_ping(const char *prog)
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
 * sweep_engine -- pick the method: ICMP sockets (opened here, while we
 * may), else ping(8) when --method allows it.  Fills ENG.  Returns 0, or an
 * exit status when nothing can probe.
 */
static int
sweep_engine(const struct options *o, unsigned workers, struct probe_icmp *pi,
    struct probe_exec *px, struct pool_engine *eng)
{
	char err[256];

	memset(eng, 0, sizeof(*eng));
	if (o->method != OPTIONS_METHOD_EXEC) {
		if (probe_icmp_open(pi, workers, 0, err, sizeof(err)) == 0) {
			eng->run = probe_icmp_run;
			eng->fd = probe_icmp_fd;
			eng->ctx = pi;
			return 0;
		}
		if (errno != EPERM && errno != EACCES) {
			fprintf(stderr, "ipsweep: %s\n", err);
			return 4;
		}
		if (o->method == OPTIONS_METHOD_ICMP) {
			sweep_no_permission(err);
			return 4;
		}
		if (!o->quiet)
			fprintf(stderr, "ipsweep: %s; falling back to ping(8), "
			    "one address per worker at a time (slow).  Root, "
			    "setcap cap_net_raw+ep on ipsweep, or "
			    "net.ipv4.ping_group_range enables the native "
			    "method\n", err);
	}
	if (!sweep_find_ping(px->ping)) {
		sweep_no_permission("ping(8) not found in PATH");
		return 4;
	}
	eng->run = probe_exec_run;
	eng->ctx = px;
	return 0;
}

int
sweep_main(const struct options *o, const uint32_t *addrs, size_t n,
    size_t n_skipped)
{
	struct probe_icmp pi;
	struct probe_exec px;
	struct pool_params pp;
	struct pool_engine eng;
	struct pool_stats st;
	struct collector c;
	char err[256];
	uint8_t *onlink = NULL;
	unsigned workers;
	double per;
	int rc, status;

	if (collector_init(&c, addrs, n) < 0) {
		fprintf(stderr, "ipsweep: out of memory\n");
		return 4;
	}
	if (sweep_signals() < 0) {
		fprintf(stderr, "ipsweep: pipe: %s\n", strerror(errno));
		collector_free(&c);
		return 4;
	}
	workers = o->jobs;
	if (workers > n)
		workers = n ? (unsigned)n : 1;
	memset(&pi, 0, sizeof(pi));
	memset(&px, 0, sizeof(px));
	px.addrs = addrs;
	px.n = n;
	px.count = o->count;
	px.timeout_s = (o->timeout_ms + 999) / 1000;
	px.ping = "ping";
	/* For the tests only: a tiny receive buffer provokes drops. */
	if (getenv("IPSWEEP_TEST_RCVBUF") != NULL)
		pi.rcvbuf = atoi(getenv("IPSWEEP_TEST_RCVBUF"));
	status = sweep_engine(o, workers, &pi, &px, &eng);
	if (status == 0 && priv_drop(err, sizeof(err)) < 0) {
		fprintf(stderr, "ipsweep: %s\n", err);
		status = 4;
	}
	if (status != 0) {
		probe_icmp_close(&pi);
		collector_free(&c);
		return status;
	}
	pi.addrs = addrs;
	pi.n = n;
	pi.count = o->count;
	pi.timeout_ms = o->timeout_ms;
	/* The next probe to a silent address goes out half a timeout after the
	 * previous one (sooner once replies show the round trip is short);
	 * every probe is still listened to for a whole timeout, and a reply
	 * to any of them counts however late it comes. */
	pi.retry_ms = o->timeout_ms / 2 ? o->timeout_ms / 2 : 1;
	pi.rate_pps = (double)o->rate_pps / workers;
	pi.cookie = sweep_cookie();
	if (eng.run == probe_icmp_run)
		onlink = sweep_onlink(addrs, n, &pi, workers);
	pi.onlink = onlink;
	if (o->verbose > 0 && eng.run == probe_icmp_run)
		fprintf(stderr, "ipsweep: method icmp (%s sockets), %u workers, "
		    "%u packets/s, %u probes per address, timeout %u ms\n",
		    probe_icmp_kind_name(pi.kind), workers, o->rate_pps,
		    o->count, o->timeout_ms);
	else if (o->verbose > 0)
		fprintf(stderr, "ipsweep: method exec (ping -c %u -W %u), %u "
		    "workers\n", px.count, px.timeout_s, workers);

	memset(&pp, 0, sizeof(pp));
	pp.workers = workers;
	pp.chunk = (uint32_t)(n / (workers * 8u));
	if (pp.chunk < 1)
		pp.chunk = 1;
	if (pp.chunk > 256)
		pp.chunk = 256;
	if (eng.run == probe_icmp_run) {
		/* Enough jobs to keep sending at the rate for a probe cycle. */
		per = pi.rate_pps * ((double)o->count * pi.retry_ms +
		    o->timeout_ms) / 1000.0 / o->count;
		pp.window = per * 1.5 + 2.0 * pp.chunk > 1e9 ? 1000000000u :
		    (uint32_t)(per * 1.5) + 2 * pp.chunk;
	} else {
		/* ping runs one address at a time: small chunks balance. */
		pp.chunk = 1;
		pp.window = 2;
	}
	pp.max_tries = 2;
	pp.respawns = workers * 2;
	pp.watchdog_ms = 5000;
	pp.drain_ms = 2000;
	pp.stop = &sweep_signal;
	pp.wake_fd = sweep_wake[0];
	pp.note = sweep_note;
	pp.note_arg = (void *)o;
	rc = pool_run(&pp, &eng, &c, &st, err, sizeof(err));
	probe_icmp_close(&pi);
	free(onlink);
	if (rc < 0) {
		fprintf(stderr, "ipsweep: %s\n", err);
		collector_free(&c);
		return 4;
	}
	if (st.stopped)
		collector_finish(&c, sweep_signal ? REASON_INTERRUPTED :
		    REASON_DEADLINE);
	if (eng.run == probe_exec_run && sweep_signal == 0 &&
	    c.counts[VERDICT_FREE] == 0 && c.counts[VERDICT_USED] == 0 &&
	    n > 0) {
		/* ping failed for every address: it cannot probe either. */
		sweep_no_permission("ping(8) failed for every address");
		collector_free(&c);
		return 4;
	}
	if (o->verbose > 0)
		fprintf(stderr, "ipsweep: %llu probes sent, %llu replies, %llu "
		    "receive drops, %u workers started, %u died\n",
		    (unsigned long long)st.probes,
		    (unsigned long long)st.replies,
		    (unsigned long long)st.drops, st.started, st.died);
	rc = sweep_print(&c, o->alive ? VERDICT_USED : VERDICT_FREE);
	if (rc > 0) {
		/* The reader left (| head -1): quietly, as a SIGPIPE death. */
		collector_free(&c);
		return 141;
	}
	if (rc < 0) {
		fprintf(stderr, "ipsweep: write error: %s\n", strerror(errno));
		collector_free(&c);
		return 4;
	}
	sweep_report(o, &c, n_skipped);
	if (sweep_signal != 0) {
		fprintf(stderr, "ipsweep: interrupted: the list is partial, %zu "
		    "addresses undecided\n", c.counts[VERDICT_UNKNOWN]);
		status = 128 + sweep_signal;
	} else if (c.counts[VERDICT_UNKNOWN] > 0)
		status = 3;
	else if (c.counts[VERDICT_FREE] > 0)
		status = 0;
	else
		status = 1;
	collector_free(&c);
	return status;
}
