/* sweep.c - run a sweep: sockets, pool, collector, output, exit status */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "collector.h"
#include "config.h"
#include "mono.h"
#include "onlink.h"
#include "output.h"
#include "pool.h"
#include "priv.h"
#include "probe_exec.h"
#include "probe_icmp.h"
#include "sweep.h"
#include "tcp.h"


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
	sigset_t set;

	if (pipe2(sweep_wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sweep_on_signal;
	sigemptyset(&sa.sa_mask);
	/* as ping(8): installed even over an inherited "ignore" */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a blocked mask inherited from the launcher would make us deaf */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
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
sweep_print(const struct options *o, const struct collector *c,
    const struct sweep_input *in, const struct output_run *run)
{
	int rc;

	if (in->stdout_closed) {
		errno = EBADF;
		return -1;
	}
	rc = output_write(stdout, o, c, in->names, in->name_of, run);
	if (fflush(stdout) == EOF || ferror(stdout) || rc < 0)
		return errno == EPIPE ? 1 : -1;
	return 0;
}

/* sweep_report -- unknown addresses, -v events and the summary, on stderr */
static void
sweep_report(const struct options *o, const struct collector *c,
    size_t n_skipped)
{
	char a[ADDR_STRLEN], why[128], ev[128];
	size_t j, shown = 0, late = 0;

	if (o->quiet)
		return;
	for (j = 0; j < c->n; j++) {
		const struct collector_entry *e = &c->e[j];

		late += e->late;
		addr_format(c->addrs[j], a);
		if (e->verdict == VERDICT_USED && o->verbose > 0) {
			fprintf(stderr, "ipsweep: %s: used (%s", a,
			    output_evidence(e, ev, sizeof(ev)));
			if (e->rtt_us > 0)
				fprintf(stderr, ", %u.%03u ms", e->rtt_us / 1000,
				    e->rtt_us % 1000);
			fputs(")\n", stderr);
		}
		if (e->verdict != VERDICT_UNKNOWN)
			continue;
		if (shown++ >= SWEEP_UNKNOWN_SHOWN && o->verbose == 0)
			continue;
		output_reason(e, why, sizeof(why));
		output_evidence(e, ev, sizeof(ev));
		if (strncmp(why, ev, strlen(ev)) == 0)
			fprintf(stderr, "ipsweep: %s: unknown (%s)\n", a, why);
		else
			fprintf(stderr, "ipsweep: %s: unknown (%s; %s)\n", a,
			    why, ev);
	}
	if (shown > SWEEP_UNKNOWN_SHOWN && o->verbose == 0)
		fprintf(stderr, "ipsweep: ... and %zu more unknown (-v lists "
		    "them all)\n", shown - SWEEP_UNKNOWN_SHOWN);
	if (late > 0)
		fprintf(stderr, "ipsweep: %zu late repl%s turned free into "
		    "used\n", late, late == 1 ? "y" : "ies");
	fprintf(stderr, "ipsweep: %zu addresses: %zu free, %zu used, %zu "
	    "unknown", c->n + n_skipped, c->counts[VERDICT_FREE],
	    c->counts[VERDICT_USED], c->counts[VERDICT_UNKNOWN]);
	if (c->counts[VERDICT_NOT_NEEDED] > 0)
		fprintf(stderr, ", %zu not needed",
		    c->counts[VERDICT_NOT_NEEDED]);
	if (n_skipped > 0)
		fprintf(stderr, ", %zu skipped", n_skipped);
	fputc('\n', stderr);
}

/*
 * The state of the progress line and of --first, fed by the pool's tick.
 */
struct sweep_tick {
	const struct options *o;
	int show;                 /* draw a progress line on stderr */
	uint64_t start_ns;
	uint64_t last_ns;         /* last redraw */
	uint64_t last_probes;
	double pps;               /* smoothed send rate */
	size_t cursor;            /* --first: jobs below this are decided */
	uint64_t free_below;      /* --first: free ones among them */
	int drawn;
};

/*
 * sweep_tick -- redraw the progress line (at most five times a second) and
 * tell the pool to stop once --first's N lowest free addresses are known:
 * every address below the Nth free one is decided.
 */
static int
sweep_tick(void *arg, const struct collector *c, const struct pool_stats *st)
{
	struct sweep_tick *t = arg;
	uint64_t now = mono_now_ns();

	if (t->show && now - t->last_ns >= 200 * MONO_NS_PER_MS) {
		size_t done = c->n - c->counts[VERDICT_PENDING];
		double dt = (double)(now - t->last_ns) / 1e9;
		double el = (double)(now - t->start_ns) / 1e9;
		double left = done > 0 ? el * (double)(c->n - done) / done : 0;

		t->pps = t->last_ns == t->start_ns ? 0 :
		    0.7 * t->pps + 0.3 * (double)(st->probes_now -
		    t->last_probes) / dt;
		t->last_probes = st->probes_now;
		t->last_ns = now;
		fprintf(stderr, "\r\033[Kipsweep: %zu/%zu decided, %zu free, "
		    "%zu used, %.0f probes/s, ~%.0f s left", done, c->n,
		    c->counts[VERDICT_FREE], c->counts[VERDICT_USED], t->pps,
		    left);
		t->drawn = 1;
	}
	if (t->o->first == 0)
		return 0;
	while (t->cursor < c->n &&
	    collector_done(c, t->cursor, EVIDENCE_WIRE)) {
		t->free_below += collector_candidate(c, t->cursor);
		t->cursor++;
		if (t->free_below >= t->o->first)
			return 1;
	}
	return 0;
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

/*
 * sweep_params -- pool settings for ENG: chunks of about an eighth of a
 * worker's share, and a window deep enough to keep sending at the rate for
 * a whole probe cycle.  ping(8) runs one address at a time: small chunks
 * balance the workers.
 */
static void
sweep_params(const struct options *o, const struct probe_icmp *pi, int native,
    unsigned workers, size_t n, uint64_t deadline_ns, struct pool_params *pp)
{
	double per;

	memset(pp, 0, sizeof(*pp));
	pp->workers = workers;
	pp->chunk = (uint32_t)(n / (workers * 8u));
	if (pp->chunk < 1)
		pp->chunk = 1;
	if (pp->chunk > 256)
		pp->chunk = 256;
	if (native) {
		per = pi->rate_pps * ((double)o->count * pi->retry_ms +
		    o->timeout_ms) / 1000.0 / o->count;
		pp->window = per * 1.5 + 2.0 * pp->chunk > 1e9 ? 1000000000u :
		    (uint32_t)(per * 1.5) + 2 * pp->chunk;
		/* --first: go in order, a little ahead of what is needed */
		if (o->first > 0 && pp->window > o->first * 4 + 64)
			pp->window = (uint32_t)(o->first * 4 + 64);
	} else {
		pp->chunk = 1;
		pp->window = 2;
	}
	pp->max_tries = 2;
	pp->respawns = workers * 2;
	/* a ping(8) worker is busy for count seconds plus its wait */
	pp->watchdog_ms = native ? 5000 :
	    5000 + o->count * (1000 + o->timeout_ms);
	/*
	 * After the last verdict, listen another half timeout: a reply up to
	 * one and a half timeouts late still counts for the last addresses
	 * (earlier ones are listened to while the run goes on).
	 */
	pp->linger_ms = native ? o->timeout_ms / 2 : 0;
	pp->drain_ms = 2000;
	pp->stop = &sweep_signal;
	pp->wake_fd = sweep_wake[0];
	pp->note = sweep_note;
	pp->note_arg = (void *)o;
	pp->deadline_ns = deadline_ns;
}

void
sweep_estimate(const struct options *o, size_t n, uint64_t *probes,
    uint64_t *most, double *seconds)
{
	double retry = o->timeout_ms / 2 ? o->timeout_ms / 2 : 1;

	*probes = (uint64_t)n * o->count;
	/* loss-aware probes, plus one after drops in our own socket */
	*most = (uint64_t)n * (o->max_count + 1);
	*seconds = n == 0 ? 0 : (double)*probes / o->rate_pps +
	    ((o->count - 1) * retry + o->timeout_ms * 1.5) / 1000.0;
}

/*
 * sweep_canaries -- probe the canaries of every range asked for, with the
 * engine ENG already set up for the main run, before that run.  Fills CC
 * (caller frees it and *ADDRS) with their verdicts.  Returns the number of
 * canary addresses (0: none configured), or -1 on a system error.
 */
static long
sweep_canaries(const struct options *o, const struct sweep_input *in,
    struct probe_icmp *pi, struct probe_exec *px,
    const struct pool_engine *eng, unsigned workers, uint64_t deadline_ns,
    struct collector *cc, uint32_t **addrs)
{
	struct targets_set all;
	struct pool_params pp;
	struct pool_stats st;
	char err[256];
	size_t i, n = 0;
	int rc = 0;

	*addrs = NULL;
	memset(cc, 0, sizeof(*cc));
	if (in->canaries == NULL)
		return 0;
	targets_init(&all);
	for (i = 0; i < in->n_names && rc == 0; i++)
		rc = targets_add_set(&all, &in->canaries[i]);
	targets_normalise(&all);
	if (rc == 0 && all.n > 0)
		rc = targets_expand(&all, (uint64_t)CONFIG_CANARY_MAX *
		    (in->n_names + 1), addrs, &n, err, sizeof(err));
	targets_free(&all);
	if (rc < 0 || n == 0)
		return rc < 0 ? -1 : 0;
	if (collector_init(cc, *addrs, n) < 0)
		return -1;
	pi->addrs = px->addrs = *addrs;
	pi->n = px->n = n;
	pi->onlink = NULL;   /* it is indexed by the main run's jobs */
	if (workers > n)
		workers = (unsigned)n;
	sweep_params(o, pi, eng->run == probe_icmp_run, workers, n,
	    deadline_ns, &pp);
	if (o->verbose > 0)
		fprintf(stderr, "ipsweep: probing %zu canar%s first\n", n,
		    n == 1 ? "y" : "ies");
	if (pool_run(&pp, eng, cc, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "ipsweep: %s\n", err);
		return -1;
	}
	/* cut short: the canaries' silence would prove nothing */
	return st.stopped ? 0 : (long)n;
}

/*
 * sweep_ports -- the TCP ports for name I of IN: --tcp's, then those of its
 * `tcp =` lines not already there, into PORTS.  Returns how many.
 */
static size_t
sweep_ports(const struct options *o, const struct sweep_input *in, size_t i,
    uint16_t *ports)
{
	size_t k, m, np = o->n_tcp_ports;

	memcpy(ports, o->tcp_ports, np * sizeof(ports[0]));
	for (k = 0; in->tcp != NULL && in->name_of != NULL && k < in->tcp[i].n;
	    k++) {
		for (m = 0; m < np && ports[m] != in->tcp[i].ports[k]; m++)
			;
		if (m == np)
			ports[np++] = in->tcp[i].ports[k];
	}
	return np;
}

/*
 * sweep_canary_evidence -- the canary phase's word on the addresses of each
 * range with canaries: when one answered, the path to the range is open
 * (silent, canary-answered); when none did, a filter may be dropping ICMP,
 * and nothing in the range can be free (cannot tell, canary-silent).
 * When the canary run did not finish (CC NULL), the phase says nothing and
 * the addresses stay undecided.  Says on stderr which ranges it held back.
 */
static void
sweep_canary_evidence(const struct sweep_input *in, const struct collector *cc,
    struct collector *c)
{
	char a[ADDR_STRLEN];
	size_t i, j, k, hit;

	for (i = 0; i < in->n_names; i++) {
		const struct targets_set *cs = &in->canaries[i];
		int alive = 0;

		if (cs->n == 0)
			continue;
		for (k = 0; k < cc->n && !alive; k++)
			alive = cc->e[k].verdict == VERDICT_USED &&
			    targets_contains(cs, cc->addrs[k]);
		hit = 0;
		for (j = 0; j < c->n; j++) {
			if (!targets_contains(&in->sets[i], c->addrs[j]))
				continue;
			hit += !alive && collector_candidate(c, j);
			collector_report(c, j, EVIDENCE_CANARY, alive ?
			    REASON_CANARY_OK : REASON_CANARY_SILENT, 0, 0, 0);
		}
		if (!alive)
			fprintf(stderr, "ipsweep: range '%s': no canary "
			    "answered (%s%s): its %zu silent addresses are "
			    "unknown, not free; is a filter dropping ICMP?\n",
			    in->names[i], addr_format(cs->spans[0].lo, a),
			    targets_count(cs) > 1 ? ", ..." : "", hit);
	}
}

/* sweep_tcp_reason -- the evidence in one tcp_probe() result */
static unsigned
sweep_tcp_reason(uint8_t res)
{
	switch (res) {
	case TCP_ALIVE_ACCEPT:
		return REASON_TCP_ACCEPT;
	case TCP_ALIVE_REFUSED:
		return REASON_TCP_REFUSED;
	case TCP_SILENT:
	case TCP_UNREACH:
		return REASON_TCP_SILENT;
	case TCP_ERROR:
		return REASON_TCP_ERROR;
	default:
		return REASON_NONE;   /* not tried: the phase did not finish */
	}
}

/*
 * sweep_tcp -- the TCP phase: for each name, the ports of --tcp and of its
 * `tcp =` lines, tried on the addresses of that name that may still be
 * free; what each attempt learnt goes to the collector.  Addresses it
 * did not finish (a signal, the deadline) get no word from it, so they
 * cannot be free.  Returns 0, or -1 when it stopped early or ran out of
 * memory (said on stderr unless it was a signal).
 */
static int
sweep_tcp(const struct options *o, const struct sweep_input *in,
    struct collector *c, uint64_t deadline_ns)
{
	uint16_t ports[OPTIONS_TCP_PORTS_MAX + CONFIG_TCP_MAX];
	uint32_t *addrs = calloc(c->n ? c->n : 1, sizeof(*addrs));
	size_t *job = calloc(c->n ? c->n : 1, sizeof(*job));
	uint8_t *res = calloc(c->n ? c->n : 1, 1);
	char err[256];
	size_t i, j, k, m, np;
	int rc = 0;

	if (addrs == NULL || job == NULL || res == NULL) {
		fprintf(stderr, "ipsweep: out of memory\n");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < (in->name_of ? in->n_names : 1); i++) {
		np = sweep_ports(o, in, i, ports);
		for (j = 0, m = 0; np > 0 && j < c->n; j++)
			if (collector_candidate(c, j) &&
			    (in->name_of == NULL || in->name_of[j] == i)) {
				addrs[m] = c->addrs[j];
				job[m++] = j;
			}
		if (m == 0)
			continue;
		if (o->verbose > 0)
			fprintf(stderr, "ipsweep: trying %zu TCP port%s on %zu "
			    "silent addresses\n", np, np == 1 ? "" : "s", m);
		if (tcp_probe(addrs, m, ports, np, o->timeout_ms, 256,
		    deadline_ns, res, err, sizeof(err)) < 0) {
			if (errno != EINTR && errno != ETIMEDOUT)
				fprintf(stderr, "ipsweep: TCP probes: %s\n", err);
			rc = -1;
		}
		for (k = 0; k < m; k++)
			collector_report(c, job[k], EVIDENCE_TCP,
			    sweep_tcp_reason(res[k]), 0, 0, 0);
	}
	free(addrs);
	free(job);
	free(res);
	return rc;
}

/*
 * sweep_status -- the exit status from the verdicts, as ipsweep(1) says.
 * --first ends with 0 only when it still has a free address to show after
 * every phase: the addresses it did not need were never checked, so with
 * none left free the answer is incomplete (3).
 */
static int
sweep_status(const struct options *o, const struct collector *c,
    const struct pool_stats *st)
{
	if (sweep_signal != 0)
		return 128 + sweep_signal;
	if (st->enough && c->counts[VERDICT_FREE] > 0)
		return 0;
	if (c->counts[VERDICT_UNKNOWN] > 0 ||
	    (st->enough && c->counts[VERDICT_NOT_NEEDED] > 0))
		return 3;
	/* --min-free 1, the default: "some address is free" */
	return c->counts[VERDICT_FREE] >= o->min_free ? 0 : 1;
}

/*
 * sweep_needs -- what each address needs before it can be free: the wire
 * phase always, the canary phase in a range with canaries, the TCP phase
 * when its range (or --tcp) has ports.
 */
static void
sweep_needs(const struct options *o, const struct sweep_input *in,
    struct collector *c)
{
	uint16_t ports[OPTIONS_TCP_PORTS_MAX + CONFIG_TCP_MAX];
	size_t i, j;

	for (i = 0; in->canaries != NULL && i < in->n_names; i++) {
		if (in->canaries[i].n == 0)
			continue;
		for (j = 0; j < c->n; j++)
			if (targets_contains(&in->sets[i], c->addrs[j]))
				collector_need(c, j, EVIDENCE_CANARY);
	}
	for (i = 0; i < (in->name_of ? in->n_names : 1); i++) {
		if (sweep_ports(o, in, i, ports) == 0)
			continue;
		for (j = 0; j < c->n; j++)
			if (in->name_of == NULL || in->name_of[j] == i)
				collector_need(c, j, EVIDENCE_TCP);
	}
}

/* sweep_why -- why a phase did not finish: a signal, the deadline, ... */
static unsigned
sweep_why(const struct pool_stats *st, uint64_t deadline_ns)
{
	if (sweep_signal != 0)
		return REASON_INTERRUPTED;
	if (deadline_ns != 0 && mono_now_ns() >= deadline_ns)
		return REASON_DEADLINE;
	if (st->enough)
		return REASON_NOT_NEEDED;
	if (st->stopped)
		return REASON_DEADLINE;
	return REASON_PHASE_FAILED;
}

/* sweep_all_exec_errors -- 1 when ping(8) itself failed for every job */
static int
sweep_all_exec_errors(const struct collector *c)
{
	size_t j;

	for (j = 0; j < c->n; j++)
		if (c->e[j].reason != REASON_EXEC_ERROR)
			return 0;
	return c->n > 0;
}

/* sweep_loss_note -- the loss measured for one kind of probe, on stderr */
static void
sweep_loss_note(const struct pool_stats *st, unsigned kind, const char *what,
    const char *probes)
{
	uint64_t h = st->hits[kind], m = st->misses[kind];

	if (m == 0)
		return;
	fprintf(stderr, "ipsweep: %s %.1f%% measured on %llu answering "
	    "addresses; silent addresses got up to %u %s\n", what,
	    100.0 * (double)m / (double)(m + h), (unsigned long long)h,
	    st->most[kind], probes);
}

int
sweep_main(const struct options *o, const struct sweep_input *in)
{
	struct probe_icmp pi;
	struct probe_exec px;
	struct pool_params pp;
	struct pool_engine eng;
	struct pool_stats st;
	struct collector c;
	struct output_run run;
	struct sweep_tick tick;
	struct collector cc;
	uint32_t *caddrs = NULL;
	long ncanary;
	char err[256];
	struct probe_iface ifaces[ONLINK_IFACES_MAX + 1];
	uint8_t *onlink = NULL;
	unsigned workers, phase;
	uint64_t deadline_ns = 0;
	size_t n = in->n;
	int rc, status, native;

	if (o->deadline_s > 0)
		deadline_ns = mono_now_ns() +
		    (uint64_t)o->deadline_s * 1000 * MONO_NS_PER_MS;
	if (collector_init(&c, in->addrs, n) < 0) {
		fprintf(stderr, "ipsweep: out of memory\n");
		return 4;
	}
	sweep_needs(o, in, &c);
	memset(&cc, 0, sizeof(cc));
	if (sweep_signals() < 0) {
		fprintf(stderr, "ipsweep: pipe: %s\n", strerror(errno));
		collector_free(&c);
		return 4;
	}
	memset(&run, 0, sizeof(run));
	run.start = time(NULL);
	workers = o->jobs;
	if (workers > n)
		workers = n ? (unsigned)n : 1;
	memset(&pi, 0, sizeof(pi));
	memset(&px, 0, sizeof(px));
	px.addrs = in->addrs;
	px.n = n;
	px.count = o->count;
	px.timeout_s = (o->timeout_ms + 999) / 1000;
	px.ping = "ping";
#ifdef IPSWEEP_TEST_HOOKS
	/* For the tests only: a tiny receive buffer provokes drops. */
	if (getenv("IPSWEEP_TEST_RCVBUF") != NULL)
		pi.rcvbuf = atoi(getenv("IPSWEEP_TEST_RCVBUF"));
#endif
	onlink = onlink_mark(in->addrs, n, &pi, workers, ifaces);
	status = sweep_engine(o, workers, &pi, &px, &eng);
	native = status == 0 && eng.run == probe_icmp_run;
	/* ARP needs CAP_NET_RAW too: without it, the neighbour table. */
	if (native && onlink != NULL && probe_icmp_open_arp(&pi) == 0)
		eng.fd2 = probe_icmp_fd2;
	if (status == 0 && priv_drop(err, sizeof(err)) < 0) {
		fprintf(stderr, "ipsweep: %s\n", err);
		status = 4;
	}
	if (status != 0) {
		probe_icmp_close(&pi);
		collector_free(&c);
		free(onlink);
		return status;
	}
	pi.addrs = in->addrs;
	pi.n = n;
	pi.count = o->count;
	pi.max_count = o->max_count;
	pi.false_free_max = 1.0 - o->confidence;
	pi.timeout_ms = o->timeout_ms;
	/* The next probe to a silent address goes out half a timeout after the
	 * previous one (sooner once replies show the round trip is short);
	 * every probe is still listened to for a whole timeout, and a reply
	 * to any of them counts however late it comes. */
	pi.retry_ms = o->timeout_ms / 2 ? o->timeout_ms / 2 : 1;
	pi.rate_pps = (double)o->rate_pps / workers;
	pi.cookie = sweep_cookie();
	pi.onlink = onlink;
	run.method = native ? probe_icmp_kind_name(pi.kind) : "exec";
	run.jobs = workers;
	run.count = o->count;
	run.timeout_ms = o->timeout_ms;
	run.rate_pps = o->rate_pps;
	run.n_skipped = in->n_skipped;
	if (o->verbose > 0 && native)
		fprintf(stderr, "ipsweep: method icmp (%s sockets), %u workers, "
		    "%u packets/s, %u probes per address, timeout %u ms; "
		    "on-link targets: %s\n",
		    run.method, workers, o->rate_pps, o->count, o->timeout_ms,
		    onlink == NULL ? "none" : pi.arp_fds != NULL ?
		    "ARP (AF_PACKET)" : "ICMP and the neighbour table");
	else if (o->verbose > 0)
		fprintf(stderr, "ipsweep: method exec (ping -c %u -W %u), %u "
		    "workers\n", px.count, px.timeout_s, workers);

	/* Phase 1, the canaries of every range that has some. */
	ncanary = sweep_canaries(o, in, &pi, &px, &eng, workers, deadline_ns,
	    &cc, &caddrs);
	pi.addrs = px.addrs = in->addrs;
	pi.n = px.n = n;
	pi.onlink = onlink;
	if (ncanary < 0) {
		status = 4;
		goto out;
	}
	/* Phase 2, the wire sweep. */
	sweep_params(o, &pi, native, workers, n, deadline_ns, &pp);
	memset(&tick, 0, sizeof(tick));
	tick.o = o;
	tick.show = o->progress > 0 ||
	    (o->progress < 0 && !o->quiet && isatty(STDERR_FILENO));
	tick.start_ns = tick.last_ns = mono_now_ns();
	pp.tick = sweep_tick;
	pp.tick_arg = &tick;
	rc = pool_run(&pp, &eng, &c, &st, err, sizeof(err));
	probe_icmp_close(&pi);
	if (tick.drawn)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		fprintf(stderr, "ipsweep: %s\n", err);
		status = 4;
		goto out;
	}
	if (st.stopped || st.enough)
		collector_finish(&c, EVIDENCE_WIRE, sweep_why(&st,
		    deadline_ns));
	/* The canaries' word, once their run finished. */
	if (ncanary > 0)
		sweep_canary_evidence(in, &cc, &c);
	/* Phase 3, TCP, while there is time. */
	if (sweep_signal == 0 && !st.stopped &&
	    (deadline_ns == 0 || mono_now_ns() < deadline_ns) &&
	    sweep_tcp(o, in, &c, deadline_ns) < 0 && sweep_signal == 0 &&
	    (deadline_ns == 0 || mono_now_ns() < deadline_ns)) {
		status = 4;
		goto out;
	}
	/* What a phase did not finish cannot be free. */
	for (phase = 0; phase < EVIDENCE_PHASE_MAX; phase++)
		collector_finish(&c, phase, sweep_why(&st, deadline_ns));
	run.duration_s = (double)(mono_now_ns() - tick.start_ns) / 1e9;
	run.partial = st.stopped || st.enough || sweep_signal != 0 ||
	    (deadline_ns != 0 && mono_now_ns() >= deadline_ns);
	if (!native && sweep_signal == 0 && !st.stopped &&
	    sweep_all_exec_errors(&c)) {
		/* ping failed for every address: it cannot probe either. */
		sweep_no_permission("ping(8) failed for every address");
		status = 4;
		goto out;
	}
	if (o->verbose > 0)
		fprintf(stderr, "ipsweep: %llu probes sent, %llu replies, %llu "
		    "receive drops, %u workers started, %u died, %.2f s\n",
		    (unsigned long long)st.probes,
		    (unsigned long long)st.replies,
		    (unsigned long long)st.drops, st.started, st.died,
		    run.duration_s);
	rc = sweep_print(o, &c, in, &run);
	if (rc > 0) {
		/* The reader left (| head -1): quietly, as a SIGPIPE death. */
		status = 141;
		goto out;
	}
	if (rc < 0) {
		fprintf(stderr, "ipsweep: write error: %s\n", strerror(errno));
		status = 4;
		goto out;
	}
	sweep_report(o, &c, in->n_skipped);
	if (native && !o->quiet) {
		sweep_loss_note(&st, RECORD_LOSS_ICMP, "loss", "probes");
		sweep_loss_note(&st, RECORD_LOSS_ARP, "ARP loss",
		    "ARP requests");
	}
	if (sweep_signal != 0)
		fprintf(stderr, "ipsweep: interrupted: the list is partial, %zu "
		    "addresses undecided\n", c.counts[VERDICT_UNKNOWN]);
	else if (deadline_ns != 0 && (st.stopped ||
	    mono_now_ns() >= deadline_ns) && !o->quiet)
		fprintf(stderr, "ipsweep: deadline of %u s reached: the list is "
		    "partial\n", o->deadline_s);
	status = sweep_status(o, &c, &st);
out:
	free(onlink);
	collector_free(&c);
	collector_free(&cc);
	free(caddrs);
	return status;
}
