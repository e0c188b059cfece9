/* sweep.c - one run: its phases under one deadline and one stop flag */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "collector.h"
#include "diag.h"
#include "engine.h"
#include "mono.h"
#include "output.h"
#include "phase.h"
#include "pool.h"
#include "progress.h"
#include "records.h"
#include "signals.h"
#include "sweep.h"

/* sweep_note -- the pool's messages, as important as it says they are */
static void
sweep_note(void *arg, enum diag_severity sev, const char *msg)
{
	(void)arg;
	diag_msg(sev, "%s", msg);
}

/* sweep_no_permission -- the three ways to let ipsweep probe */
static void
sweep_no_permission(const char *why)
{
	diag_err("%s", why);
	diag_err("no permission to send ICMP echo; any one of these grants "
	    "it:");
	diag_err("  run as root,");
	diag_err("  setcap cap_net_raw+ep on the ipsweep binary, or");
	diag_err("  sysctl net.ipv4.ping_group_range to include group %ld",
	    (long)getgid());
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
 * sweep_print -- the selected addresses to stdout, then a flush whose
 * result we check: a full disk must not pass for an empty list.  Returns 0,
 * 1 when stdout was closed by the reader (EPIPE: stay quiet), -1 with
 * errno on a write error.
 */
static int
sweep_print(const struct options *o, const struct collector *c,
    const struct plan *p, const struct output_run *run, int stdout_closed)
{
	int rc;

	if (stdout_closed) {
		errno = EBADF;
		return -1;
	}
	rc = output_write(stdout, o, c, p, run);
	if (fflush(stdout) == EOF || ferror(stdout) || rc < 0)
		return errno == EPIPE ? 1 : -1;
	return 0;
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
	if (signals_caught() != 0)
		return 128 + signals_caught();
	if (st->enough && c->counts[VERDICT_FREE] > 0)
		return 0;
	if (c->counts[VERDICT_UNKNOWN] > 0 ||
	    (st->enough && c->counts[VERDICT_NOT_NEEDED] > 0))
		return 3;
	/* --min-free 1, the default: "some address is free" */
	return c->counts[VERDICT_FREE] >= o->min_free ? 0 : 1;
}

/* sweep_expired -- 1 once the run's deadline (0: none) has passed */
static int
sweep_expired(uint64_t deadline_ns)
{
	return deadline_ns != 0 && mono_now_ns() >= deadline_ns;
}

/* sweep_why -- why a phase did not finish: a signal, the deadline, ... */
static unsigned
sweep_why(const struct pool_stats *st, uint64_t deadline_ns)
{
	if (signals_caught() != 0)
		return REASON_INTERRUPTED;
	if (sweep_expired(deadline_ns) || st->stopped)
		return REASON_DEADLINE;
	if (st->enough)
		return REASON_NOT_NEEDED;
	return REASON_PHASE_FAILED;
}

/* sweep_all_exec_errors -- 1 when ping(8) itself failed for every job, 2
   when not one could even be started */
static int
sweep_all_exec_errors(const struct collector *c)
{
	size_t j, started = 0;

	for (j = 0; j < c->n; j++) {
		if (collector_reason(c, j) != REASON_EXEC_ERROR)
			return 0;
		if (!(collector_entry(c, j).aux & PROBE_EXEC_NOT_STARTED))
			started++;
	}
	return c->n == 0 ? 0 : started == 0 ? 2 : 1;
}

/*
 * sweep_run_info -- the runs-table row of this run into *HR: the names
 * asked for and the settings into NAMES and SETTINGS (LEN bytes each),
 * the counts of C as the probes left them
 */
static void
sweep_run_info(const struct options *o, const struct collector *c,
    const struct output_run *run, int64_t now, struct history_run *hr,
    char *names, char *settings, size_t len)
{
	size_t i, off = 0;

	names[0] = '\0';
	for (i = 0; i < o->n_names && off < len; i++)
		off += (size_t)snprintf(names + off, len - off, "%s%s",
		    i > 0 ? " " : "", o->names[i]);
	snprintf(settings, len, "method=%s jobs=%u count=%u max_count=%u "
	    "timeout_ms=%u rate_pps=%u tcp_ports=%zu free_for_s=%llu",
	    run->method != NULL ? run->method : "?", run->jobs, o->count,
	    o->max_count, o->timeout_ms, o->rate_pps, o->n_tcp_ports,
	    (unsigned long long)o->free_for_s);
	memset(hr, 0, sizeof(*hr));
	hr->started = (int64_t)run->start;
	hr->finished = now;
	hr->ranges = names;
	hr->settings = settings;
	hr->total = c->n + run->n_skipped;
	hr->n_free = c->counts[VERDICT_FREE];
	hr->n_used = c->counts[VERDICT_USED];
	hr->n_unknown = c->counts[VERDICT_UNKNOWN];
	hr->complete = !run->partial;
}

/* sweep_new_mac -- history_mac_fn: say that job J answered from a new MAC */
static void
sweep_new_mac(void *arg, size_t j, const struct history_job *hj)
{
	const struct collector *c = arg;
	char a[ADDR_STRLEN], t[32];

	diag_note("%s: a new link-layer address %s answered ARP (%s was seen "
	    "there at %s)", addr_format(c->addrs[j], a), hj->own.mac,
	    hj->merged.mac, output_time(hj->merged.last_seen, t, sizeof(t)));
}

/*
 * sweep_history -- record the run in H (one transaction) and give the
 * jobs that have a --free-for window the history's evidence: what it
 * read, or "cannot tell" when it could not.  *BRIEF gets what the output
 * shows of the history (caller frees), when it shows any: a structured
 * format or --diff.  Returns 0, or -1 when the run was not recorded (said
 * why).
 */
static int
sweep_history(const struct options *o, const struct plan *p,
    struct history *h, struct collector *c, struct output_run *run,
    struct history_brief **brief)
{
	struct history_run hr;
	char names[1024], settings[1024];
	int64_t now = history_now();
	size_t n, j, short_ = 0;
	int rc = -1;

	*brief = NULL;
	if (o->format != OPTIONS_FORMAT_PLAIN || o->diff) {
		*brief = calloc(c->n ? c->n : 1, sizeof(**brief));
		if (*brief == NULL) {
			diag_err("history database '%s': out of memory; this "
			    "run is not recorded", h->name);
			h = NULL;
		}
	}
	if (h != NULL && h->be != NULL) {
		sweep_run_info(o, c, run, now, &hr, names, settings,
		    sizeof(names));
		rc = history_sweep(h, c, o, p, &hr, now, *brief,
		    sweep_new_mac, c);
		if (rc < 0)
			diag_err("history database '%s': %s; this run is not "
			    "recorded", h->name, h->err);
	}
	n = 0;
	if (rc < 0) {
		free(*brief);
		*brief = NULL;
		/* nothing read for sure: no window is covered */
		n = history_evidence(c, o, p, NULL, now);
	}
	for (j = 0; j < c->n; j++)
		short_ += collector_reason(c, j) == REASON_HISTORY_SHORT;
	if (short_ > 0)
		diag_note("%zu silent address%s not free: the history does "
		    "not cover --free-for yet (history-too-short)", short_,
		    short_ == 1 ? " is" : "es are");
	else if (n > 0 && rc < 0)
		diag_note("silent addresses are not free: --free-for needs "
		    "the history");
	run->hist = *brief;
	return rc;
}

/*
 * sweep_phases -- the canaries, the wire sweep and the TCP pass for plan
 * P with engine E, their evidence into C.  What a phase did not finish
 * (a signal, the deadline, --first) it leaves undecided, and
 * collector_finish() then makes it unknown (or not needed): never free.
 * Returns 0, or an exit status after saying why.
 */
static int
sweep_phases(const struct options *o, const struct plan *p, struct engine *e,
    struct collector *c, uint64_t deadline_ns, struct pool_stats *st,
    struct output_run *run)
{
	struct phase_canaries pc;
	struct pool_params base, pp;
	struct tcp_stop stop;
	struct progress prog;
	char err[256];
	unsigned phase;
	int rc;

	memset(&base, 0, sizeof(base));
	base.stop = signals_flag();
	base.wake_fd = signals_wake_fd();
	base.deadline_ns = deadline_ns;
	base.note = sweep_note;
	base.forward = engine_forward;
	base.forward_arg = e;
	memset(st, 0, sizeof(*st));

	/* The canaries of every range that has some, first. */
	if (phase_canaries_run(&pc, o, p, e, &base, err, sizeof(err)) < 0) {
		diag_err("%s", err);
		phase_canaries_free(&pc);
		return 4;
	}
	/* The wire sweep. */
	engine_params(e, o, p->n, &base, &pp);
	progress_init(&prog, o);
	pp.tick = progress_tick;
	pp.tick_arg = &prog;
	rc = pool_run(&pp, &e->pool, c, st, err, sizeof(err));
	if (rc == 0)
		phase_path_report(p, c, e->onlink, !e->native);
	engine_close(e);
	progress_clear(&prog);
	if (rc < 0) {
		diag_err("%s", err);
		phase_canaries_free(&pc);
		return 4;
	}
	if (st->stopped || st->enough)
		collector_finish(c, EVIDENCE_WIRE, sweep_why(st, deadline_ns));
	phase_canaries_report(&pc, p, c);
	phase_canaries_free(&pc);
	/* TCP, while there is time. */
	stop.deadline_ns = deadline_ns;
	stop.flag = signals_flag();
	stop.wake_fd = signals_wake_fd();
	if (signals_caught() == 0 && !st->stopped &&
	    !sweep_expired(deadline_ns) &&
	    phase_tcp(p, c, o->timeout_ms, &stop, err, sizeof(err)) < 0 &&
	    errno != EINTR && errno != ETIMEDOUT) {
		diag_err("TCP probes: %s", err);
		return 4;
	}
	/* The reverse lookups of what is still free, while there is time:
	   a failure leaves those addresses unknown, and the run goes on. */
	if (plan_has_dns(p) && signals_caught() == 0 && !st->stopped &&
	    !sweep_expired(deadline_ns) &&
	    phase_dns(p, c, o, &stop, err, sizeof(err)) < 0)
		diag_err("DNS: %s", err);
	/* What a phase did not finish cannot be free. */
	for (phase = 0; phase < EVIDENCE_PHASE_MAX; phase++)
		collector_finish(c, phase, sweep_why(st, deadline_ns));
	run->duration_s = (double)(mono_now_ns() - prog.start_ns) / 1e9;
	run->partial = st->stopped || st->enough || signals_caught() != 0 ||
	    sweep_expired(deadline_ns);
	return 0;
}

int
sweep_main(const struct options *o, const struct plan *p, struct history *h,
    int stdout_closed)
{
	struct engine e;
	struct pool_stats st;
	struct collector c;
	struct output_run run;
	struct history_brief *brief = NULL;
	struct records rec;
	char err[512];
	uint64_t deadline_ns = 0;
	long rc;
	int status, recorded = 1;

	if (o->deadline_s > 0)
		deadline_ns = mono_now_ns() +
		    (uint64_t)o->deadline_s * 1000 * MONO_NS_PER_MS;
	if (collector_init(&c, p->addrs, p->n) < 0) {
		diag_err("out of memory");
		return 4;
	}
	phase_needs(p, &c);
	/* The records first: a broken file stops the run before a probe. */
	if (records_load(&rec, p, err, sizeof(err)) < 0) {
		diag_err("%s", err);
		collector_free(&c);
		return 2;
	}
	rc = records_report(&rec, p, &c, (int64_t)time(NULL));
	records_free(&rec);
	if (rc < 0) {
		diag_err("out of memory");
		collector_free(&c);
		return 4;
	}
	if (signals_setup() < 0) {
		diag_err("pipe: %s", strerror(errno));
		collector_free(&c);
		return 4;
	}
	memset(&run, 0, sizeof(run));
	run.start = time(NULL);
	switch (engine_open(&e, o, p->addrs, p->n, err, sizeof(err))) {
	case ENGINE_OK:
		break;
	case ENGINE_NO_PERMISSION:
		sweep_no_permission(err);
		status = 4;
		goto out;
	default:
		diag_err("%s", err);
		status = 4;
		goto out;
	}
	if (e.fallback[0] != '\0')
		diag_note("%s", e.fallback);
	if (e.limit[0] != '\0')
		diag_note("%s", e.limit);
	run.method = engine_method(&e);
	run.jobs = e.workers;
	run.count = o->count;
	run.timeout_ms = o->timeout_ms;
	run.rate_pps = o->rate_pps;
	run.n_skipped = p->n_skipped;
	if (e.native)
		diag_verbose(1, "method icmp (%s sockets), %u workers, %u "
		    "packets/s, %u probes per address, timeout %u ms; "
		    "on-link targets: %s",
		    run.method, e.workers, o->rate_pps, o->count,
		    o->timeout_ms, e.onlink == NULL ? "none" :
		    e.pi.arp_fds != NULL ? "ARP (AF_PACKET)" :
		    "ICMP and the neighbour table");
	else
		diag_verbose(1, "method exec (ping -c %u -i %u.%03u -W %u), %u "
		    "workers, %u pings at once each", e.px.count,
		    e.px.interval_ms / 1000, e.px.interval_ms % 1000,
		    e.px.timeout_s, e.workers, e.px.inflight);

	status = sweep_phases(o, p, &e, &c, deadline_ns, &st, &run);
	if (status != 0)
		goto out;
	if (!e.native && signals_caught() == 0 && !st.stopped &&
	    (rc = sweep_all_exec_errors(&c)) != 0) {
		/* ping failed for every address: it cannot probe either. */
		if (rc == 2)
			diag_err("ping(8) could not be started for any address: "
			    "%s; RLIMIT_NPROC or RLIMIT_NOFILE may be too low",
			    strerror((int)(collector_entry(&c, 0).aux &
			    0xffffu)));
		else
			sweep_no_permission("ping(8) failed for every address");
		status = 4;
		goto out;
	}
	diag_verbose(1, "%llu probes sent, %llu replies, %llu receive drops, "
	    "%u workers started, %u died, %.2f s",
		    (unsigned long long)st.probes,
		    (unsigned long long)st.replies,
		    (unsigned long long)st.drops, st.started, st.died,
		    run.duration_s);
	if (h != NULL && sweep_history(o, p, h, &c, &run, &brief) < 0)
		recorded = 0;
	rc = sweep_print(o, &c, p, &run, stdout_closed);
	if (rc > 0) {
		/* The reader left (| head -1): quietly, as a SIGPIPE death. */
		status = 141;
		goto out;
	}
	if (rc < 0) {
		diag_err("write error: %s", strerror(errno));
		status = 4;
		goto out;
	}
	output_summary(&c, p->n_skipped);
	if (e.native)
		output_loss(&st);
	if (signals_caught() != 0)
		diag_warn("interrupted: the list is partial, %zu addresses "
		    "undecided", c.counts[VERDICT_UNKNOWN]);
	else if (run.partial && !st.enough)
		diag_note("deadline of %u s reached: the list is partial",
		    o->deadline_s);
	status = sweep_status(o, &c, &st);
	if (!recorded && status < 128)
		status = SWEEP_EXIT_HISTORY;
out:
	engine_close(&e);
	collector_free(&c);
	free(brief);
	return status;
}
