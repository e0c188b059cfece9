/* pool.c - fork a fixed pool of workers, feed them jobs, collect evidence */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bigmem.h"
#include "mono.h"
#include "pool.h"

#define POOL_POLL_MS 100
/*
 * Jobs of a dead worker wait this long before they are handed out again:
 * when several workers die at once (pkill -P, the OOM killer), the others'
 * ends are seen by then, and no job is counted against a worker that was
 * already dead when it got it.
 */
#define POOL_REQUEUE_GRACE_NS (200 * MONO_NS_PER_MS)

struct pool_worker {
	int job_fd;
	int res_fd;
	uint8_t buf[RECORD_SIZE * 64];
	size_t have;
	size_t off;
	uint8_t out[RECORD_SIZE * 64];  /* records not yet written */
	size_t out_len;
	int batch;             /* 1: records wait in OUT for a flush */
};

struct pool_slot {
	pid_t pid;            /* 0: no worker in this slot */
	int job_fd;           /* parent's write end, -1 once closed */
	int res_fd;           /* parent's read end */
	uint32_t outstanding; /* jobs handed to it and not decided */
	uint64_t last_ns;     /* when it last said anything */
	uint64_t hb_probes;   /* probes it said it sent, in its heartbeats */
	long alone;           /* the suspect job it holds alone, or -1 */
	int hung;             /* killed by the watchdog */
	int bad;              /* killed for sending garbage */
	uint8_t buf[RECORD_SIZE];
	size_t have;
};

struct pool {
	const struct pool_params *p;
	const struct pool_engine *e;
	struct collector *c;
	struct pool_stats *st;
	struct pool_slot *slots;
	uint16_t *owner;       /* job -> slot + 1, 0: nobody */
	uint8_t *tries;        /* job -> workers that took it */
	size_t next;           /* first job never handed out */
	uint32_t *requeue;     /* jobs to hand out again, FIFO */
	size_t rq_head, rq_tail;
	uint32_t *suspect;     /* jobs that were with two dying workers */
	size_t sus_head, sus_tail;
	uint64_t requeue_ns;   /* requeued jobs wait until then */
	struct pollfd *pfd;    /* pool_wait's poll set: workers + wake fd */
	unsigned *who;         /* pfd index -> slot, ~0u for the wake fd */
	unsigned respawns;
	int closing;           /* job pipes closed: the end of the run */
	int stopping;          /* stopped early: only USED evidence counts now,
				  as a probe cut short may look silent */
};

/* pool_note -- format a message for the user through p->note */
static void pool_note(struct pool *pl, enum diag_severity sev,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
pool_note(struct pool *pl, enum diag_severity sev, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (pl->p->note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pl->p->note(pl->p->note_arg, sev, msg);
}

/*
 * pool_child_fds -- in the child: stdin and stdout become /dev/null (a
 * worker never prints), and every descriptor but 0-2 and KEEP[] closes.
 */
static void
pool_child_fds(const int *keep, size_t n)
{
	int devnull = open("/dev/null", O_RDWR);
	unsigned lo = 3;
	size_t i, j;
	int sorted[8];

	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		if (devnull > 2)
			close(devnull);
	}
	for (i = 0; i < n; i++)
		sorted[i] = keep[i];
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			int t = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (sorted[i] < 3)
			continue;
		if ((unsigned)sorted[i] > lo)
			close_range(lo, (unsigned)sorted[i] - 1, 0);
		lo = (unsigned)sorted[i] + 1;
	}
	close_range(lo, ~0u, 0);
}

/*
 * pool_spawn -- start a worker in slot S.  Returns 0, or -1 with errno
 * when a pipe or the fork failed (nothing is left half-made).
 */
static int
pool_spawn(struct pool *pl, unsigned s)
{
	struct pool_slot *sl = &pl->slots[s];
	int jp[2], rp[2], e;
	pid_t parent = getpid(), pid;

	if (pipe2(jp, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(rp, O_CLOEXEC) < 0) {
		e = errno;
		close(jp[0]);
		close(jp[1]);
		errno = e;
		return -1;
	}
	fflush(NULL);   /* no buffered line may be written twice */
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(jp[0]);
		close(jp[1]);
		close(rp[0]);
		close(rp[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		struct pool_worker w;
		int keep[4], nk = 0, efd;

		/* If the parent dies, so do we (and at once if it has). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		/*
		 * Ctrl-C and `kill -TERM -PGID` reach the whole group: the
		 * parent decides, closes our pipe, and we leave quietly.  A
		 * dead parent still ends us (PR_SET_PDEATHSIG above).
		 */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		signal(SIGCHLD, SIG_DFL);
		keep[nk++] = jp[0];
		keep[nk++] = rp[1];
		efd = pl->e->fd ? pl->e->fd(pl->e->ctx, s) : -1;
		if (efd >= 0)
			keep[nk++] = efd;
		efd = pl->e->fd2 ? pl->e->fd2(pl->e->ctx, s) : -1;
		if (efd >= 0)
			keep[nk++] = efd;
		pool_child_fds(keep, (size_t)nk);
		memset(&w, 0, sizeof(w));
		w.job_fd = jp[0];
		w.res_fd = rp[1];
		fcntl(w.job_fd, F_SETFL, O_NONBLOCK);
		e = pl->e->run(pl->e->ctx, s, &w);
		(void)pool_worker_flush(&w);
		_exit(e);
	}
	close(jp[0]);
	close(rp[1]);
	fcntl(jp[1], F_SETFL, O_NONBLOCK);
	fcntl(rp[0], F_SETFL, O_NONBLOCK);
	memset(sl, 0, sizeof(*sl));
	sl->alone = -1;
	sl->pid = pid;
	sl->job_fd = jp[1];
	sl->res_fd = rp[0];
	sl->last_ns = mono_now_ns();
	pl->st->started++;
	return 0;
}

/* pool_rq_pop_run -- take a run of consecutive requeued jobs, at most MAX */
static int
pool_rq_pop_run(struct pool *pl, uint32_t max, uint32_t *first,
    uint32_t *count)
{
	while (pl->rq_head < pl->rq_tail &&
	    collector_done(pl->c, pl->requeue[pl->rq_head], EVIDENCE_WIRE))
		pl->rq_head++;
	if (pl->rq_head == pl->rq_tail)
		return 0;
	*first = pl->requeue[pl->rq_head++];
	*count = 1;
	while (*count < max && pl->rq_head < pl->rq_tail &&
	    pl->requeue[pl->rq_head] == *first + *count)
		pl->rq_head++, (*count)++;
	return 1;
}

/*
 * pool_give -- hand worker S one chunk of jobs, requeued jobs first, if
 * it holds fewer than WINDOW undecided ones.  Returns 1 when it took one, 0
 * when it is full, its pipe is full, or no job is left.
 */
static int
pool_give(struct pool *pl, unsigned s)
{
	struct pool_slot *sl = &pl->slots[s];
	uint8_t buf[RECORD_SIZE];
	struct record r;
	uint32_t first, count, j, room, max;
	size_t save_head;
	int from_rq;

	if (sl->pid <= 0 || sl->job_fd < 0 || sl->alone >= 0 ||
	    sl->outstanding >= pl->p->window)
		return 0;
	if (mono_now_ns() < pl->requeue_ns &&
	    (pl->rq_head < pl->rq_tail || pl->sus_head < pl->sus_tail))
		return 0;
	/*
	 * A suspect goes to an idle worker and alone: if that worker dies
	 * too, the job is the culprit, and no innocent job shares its fate.
	 */
	while (pl->sus_head < pl->sus_tail &&
	    collector_done(pl->c, pl->suspect[pl->sus_head], EVIDENCE_WIRE))
		pl->sus_head++;
	if (pl->sus_head < pl->sus_tail && sl->outstanding == 0) {
		first = pl->suspect[pl->sus_head];
		memset(&r, 0, sizeof(r));
		r.type = RECORD_JOB;
		r.job = first;
		r.count = 1;
		record_encode(&r, buf);
		if (write(sl->job_fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return 0;
		pl->sus_head++;
		pl->owner[first] = (uint16_t)(s + 1);
		pl->tries[first]++;
		sl->outstanding = 1;
		sl->alone = first;
		return 1;
	}
	room = pl->p->window - sl->outstanding;
	max = room < pl->p->chunk ? room : pl->p->chunk;
	save_head = pl->rq_head;
	from_rq = pool_rq_pop_run(pl, max, &first, &count);
	if (!from_rq) {
		if (pl->next >= pl->c->n)
			return 0;
		first = (uint32_t)pl->next;
		count = pl->c->n - pl->next < max ?
		    (uint32_t)(pl->c->n - pl->next) : max;
	}
	memset(&r, 0, sizeof(r));
	r.type = RECORD_JOB;
	r.job = first;
	r.count = count;
	record_encode(&r, buf);
	if (write(sl->job_fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		/* A full pipe or a dead worker: try again later. */
		if (from_rq)
			pl->rq_head = save_head;
		return 0;
	}
	if (!from_rq)
		pl->next += count;
	for (j = first; j < first + count; j++) {
		/* decided already (a reply to another worker's probe) */
		if (collector_done(pl->c, j, EVIDENCE_WIRE))
			continue;
		pl->owner[j] = (uint16_t)(s + 1);
		pl->tries[j]++;
		sl->outstanding++;
	}
	return 1;
}

/*
 * pool_dispatch -- deal chunks round the workers, one each per turn, so
 * that every worker gets a fair share whatever the window.
 */
static void
pool_dispatch(struct pool *pl)
{
	unsigned s;
	int gave;

	do {
		gave = 0;
		for (s = 0; s < pl->p->workers; s++)
			gave |= pool_give(pl, s);
	} while (gave);
}

/* pool_decided -- the wire phase is over for job J: its owner has one job
   less */
static void
pool_decided(struct pool *pl, uint32_t j)
{
	unsigned o = pl->owner[j];

	if (o > 0 && pl->slots[o - 1].outstanding > 0)
		pl->slots[o - 1].outstanding--;
	if (o > 0 && pl->slots[o - 1].alone == (long)j)
		pl->slots[o - 1].alone = -1;
	/* the owner stays: its later doubt on the job still counts (a
	   worker whose loss measured since says it got too few probes) */
}

/*
 * pool_record -- act on one record from worker S.  Silence and "cannot
 * tell" count only from the worker that holds the job, and not once the
 * run is stopping (a probe cut short looks silent); an answer (a reply
 * with our cookie) counts from anyone, at any time.  The worker that
 * decided a job keeps it for a later "cannot tell" (its loss measured
 * since says the job got too few probes), never for silence.  Returns -1 for
 * garbage.
 */
static int
pool_record(struct pool *pl, unsigned s, const uint8_t *buf)
{
	struct record r;

	if (record_decode(buf, RECORD_SIZE, &r) < 0)
		return -1;
	switch (r.type) {
	case RECORD_EVIDENCE:
		if (r.job >= pl->c->n)
			return -1;
		if (evidence_class(r.reason) != EVIDENCE_ANSWERED &&
		    (pl->owner[r.job] != s + 1 || pl->stopping))
			return 0;
		/* on a job it decided, only its later doubt still counts */
		if (evidence_class(r.reason) == EVIDENCE_SILENT &&
		    collector_done(pl->c, r.job, EVIDENCE_WIRE))
			return 0;
		if (collector_record(pl->c, &r) == 1)
			pool_decided(pl, r.job);
		return 0;
	case RECORD_HEARTBEAT:
		pl->slots[s].hb_probes = r.count;
		return 0;
	case RECORD_CONFLICT:
		/* not the pool's business: for whoever set up the engine */
		if (r.job >= pl->c->n)
			return -1;
		if (pl->p->forward != NULL)
			pl->p->forward(pl->p->forward_arg, &r);
		return 0;
	case RECORD_STATS:
		pl->st->hits[r.kind] += r.job;
		pl->st->misses[r.kind] += r.rtt_us;
		if (r.probes > pl->st->most[r.kind])
			pl->st->most[r.kind] = r.probes;
		if (r.kind != RECORD_LOSS_ICMP)
			return 0;
		pl->slots[s].hb_probes = 0;
		pl->st->probes += r.count;
		pl->st->replies += r.aux;
		pl->st->drops += r.aux2;
		return 0;
	default:
		return -1;   /* JOB records go the other way */
	}
}

/*
 * pool_read -- read what worker S wrote.  Returns 0 when it read something,
 * 1 at end of file (the worker is gone), 2 when nothing is waiting.  A
 * worker that sends garbage is killed: it can no longer be trusted, and its
 * jobs go to another.
 */
static int
pool_read(struct pool *pl, unsigned s)
{
	struct pool_slot *sl = &pl->slots[s];
	uint8_t buf[RECORD_SIZE * 128];
	ssize_t got;
	size_t off = 0, take;

	got = read(sl->res_fd, buf, sizeof(buf));
	if (got == 0)
		return 1;
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 2 : 1;
	sl->last_ns = mono_now_ns();
	while (off < (size_t)got) {
		take = RECORD_SIZE - sl->have;
		if (take > (size_t)got - off)
			take = (size_t)got - off;
		memcpy(sl->buf + sl->have, buf + off, take);
		sl->have += take;
		off += take;
		if (sl->have < RECORD_SIZE)
			break;
		sl->have = 0;
		if (!sl->bad && pool_record(pl, s, sl->buf) < 0) {
			pl->st->bad_records++;
			sl->bad = 1;
			pool_note(pl, DIAG_NOTE, "worker %u (pid %ld) sent a "
			    "malformed record; stopping it", s, (long)sl->pid);
			kill(sl->pid, SIGKILL);
		}
	}
	return 0;
}

/*
 * pool_reassign -- the undecided jobs of dead worker S go back in the
 * queue.  One that MAX_TRIES dying workers held becomes a suspect, to be
 * tried alone; a suspect that kills the worker holding it alone is the
 * culprit and becomes UNKNOWN (worker-died).  So a poison job costs at most
 * MAX_TRIES + 1 workers and takes no innocent job down with it.
 */
static void
pool_reassign(struct pool *pl, unsigned s)
{
	struct pool_slot *sl = &pl->slots[s];
	size_t j;

	for (j = 0; j < pl->next; j++) {
		if (pl->owner[j] != s + 1)
			continue;
		pl->owner[j] = 0;
		/* At the end of the run the caller says why it is undecided. */
		if (collector_done(pl->c, j, EVIDENCE_WIRE) || pl->closing)
			continue;
		if (sl->alone == (long)j)
			collector_report(pl->c, j, EVIDENCE_WIRE,
			    REASON_WORKER_DIED, 0, 0, 0);
		else if (pl->tries[j] < pl->p->max_tries)
			pl->requeue[pl->rq_tail++] = (uint32_t)j;
		else
			pl->suspect[pl->sus_tail++] = (uint32_t)j;
	}
	sl->outstanding = 0;
	sl->alone = -1;
	pl->requeue_ns = mono_now_ns() + POOL_REQUEUE_GRACE_NS;
}

/* pool_describe -- say how a worker ended, from its wait status */
static void
pool_describe(struct pool *pl, unsigned s, pid_t pid, int status)
{
	struct pool_slot *sl = &pl->slots[s];

	if (sl->hung)
		pool_note(pl, DIAG_NOTE, "worker %u (pid %ld) stopped "
		    "answering; killed by the watchdog", s, (long)pid);
	else if (WIFSIGNALED(status))
		pool_note(pl, DIAG_NOTE, "worker %u (pid %ld) killed by signal "
		    "%d (%s)", s, (long)pid, WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		pool_note(pl, DIAG_NOTE, "worker %u (pid %ld) exited with "
		    "status %d", s, (long)pid, WEXITSTATUS(status));
	else
		pool_note(pl, DIAG_NOTE, "worker %u (pid %ld) ended", s,
		    (long)pid);
}

/* pool_work_left -- 1 while some job is undecided and not lost */
static int
pool_work_left(const struct pool *pl)
{
	return pl->c->left[EVIDENCE_WIRE] > 0;
}

/*
 * pool_gone -- worker S closed its pipe: reap it, decode how it ended,
 * hand its jobs on and, while the run goes on, start a replacement.
 */
static void
pool_gone(struct pool *pl, unsigned s)
{
	struct pool_slot *sl = &pl->slots[s];
	pid_t pid = sl->pid;
	int status = 0, normal;

	/* what it sent counts even if it never said goodbye */
	pl->st->probes += sl->hb_probes;
	sl->hb_probes = 0;
	if (waitpid(pid, &status, WNOHANG) == 0) {
		/* It closed its pipe but lives on: it is of no use now. */
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (sl->job_fd >= 0)
		close(sl->job_fd);
	close(sl->res_fd);
	sl->job_fd = -1;
	sl->res_fd = -1;
	sl->pid = 0;
	normal = pl->closing && !sl->hung && !sl->bad && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0;
	if (normal)
		return;
	pl->st->died++;
	if (sl->hung)
		pl->st->hung++;
	pool_describe(pl, s, pid, status);
	pool_reassign(pl, s);
	if (pl->closing || !pool_work_left(pl))
		return;
	if (pl->respawns < pl->p->respawns) {
		if (pool_spawn(pl, s) == 0) {
			pl->respawns++;
			return;
		}
		pool_note(pl, DIAG_WARNING, "cannot start a new worker: %s",
		    strerror(errno));
	}
}

/* pool_live -- number of workers running */
static unsigned
pool_live(const struct pool *pl)
{
	unsigned s, n = 0;

	for (s = 0; s < pl->p->workers; s++)
		n += pl->slots[s].pid > 0;
	return n;
}

/*
 * pool_wait -- one round: poll the workers' pipes (and the wake fd) for up
 * to TIMEOUT_MS, read what came, handle workers that ended.
 */
static void
pool_wait(struct pool *pl, int timeout_ms)
{
	struct pollfd *pfd = pl->pfd;
	unsigned *who = pl->who, s, n = 0, i;

	for (s = 0; s < pl->p->workers; s++) {
		if (pl->slots[s].pid <= 0)
			continue;
		pfd[n].fd = pl->slots[s].res_fd;
		pfd[n].events = POLLIN;
		who[n++] = s;
	}
	if (pl->p->wake_fd >= 0) {
		pfd[n].fd = pl->p->wake_fd;
		pfd[n].events = POLLIN;
		who[n++] = ~0u;
	}
	if (poll(pfd, n, timeout_ms) > 0) {
		for (i = 0; i < n; i++) {
			int r = 0, rounds = 0;

			if (pfd[i].revents == 0)
				continue;
			if (who[i] == ~0u) {
				char junk[64];

				while (read(pl->p->wake_fd, junk,
				    sizeof(junk)) > 0)
					;
				continue;
			}
			/* Bounded, so that one chatty worker starves none. */
			while (rounds++ < 64 && (r = pool_read(pl, who[i])) == 0)
				;
			if (r == 1)
				pool_gone(pl, who[i]);
		}
	}
}

/* pool_watchdog -- kill workers that have said nothing for too long */
static void
pool_watchdog(struct pool *pl, uint64_t now)
{
	unsigned s;
	uint64_t limit = (uint64_t)pl->p->watchdog_ms * MONO_NS_PER_MS;

	if (limit == 0)
		return;
	for (s = 0; s < pl->p->workers; s++) {
		struct pool_slot *sl = &pl->slots[s];

		if (sl->pid > 0 && !sl->hung && now - sl->last_ns > limit) {
			sl->hung = 1;
			kill(sl->pid, SIGKILL);
		}
	}
}

/*
 * pool_close -- the end: close every job pipe so the workers flush and
 * exit, read what they still send for up to DRAIN_MS, then kill and reap
 * whatever is left.
 */
static void
pool_close(struct pool *pl)
{
	uint64_t end;
	unsigned s;

	pl->closing = 1;
	for (s = 0; s < pl->p->workers; s++)
		if (pl->slots[s].pid > 0 && pl->slots[s].job_fd >= 0) {
			close(pl->slots[s].job_fd);
			pl->slots[s].job_fd = -1;
		}
	end = mono_now_ns() + (uint64_t)pl->p->drain_ms * MONO_NS_PER_MS;
	while (pool_live(pl) > 0 && mono_now_ns() < end)
		pool_wait(pl, POOL_POLL_MS);
	for (s = 0; s < pl->p->workers; s++)
		if (pl->slots[s].pid > 0) {
			kill(pl->slots[s].pid, SIGKILL);
			pool_gone(pl, s);
		}
}

int
pool_run(const struct pool_params *p, const struct pool_engine *e,
    struct collector *c, struct pool_stats *st, char *err, size_t errlen)
{
	struct pool pl;
	struct sigaction ign, old_pipe;
	uint64_t linger_end = 0;
	unsigned s, started = 0;
	int rc = -1;

	/* Writing to a dead worker's pipe must give EPIPE, not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);
	memset(st, 0, sizeof(*st));
	memset(&pl, 0, sizeof(pl));
	pl.p = p;
	pl.e = e;
	pl.c = c;
	pl.st = st;
	pl.slots = calloc(p->workers, sizeof(*pl.slots));
	pl.owner = bigmem_calloc(c->n, sizeof(*pl.owner));
	pl.tries = bigmem_calloc(c->n, sizeof(*pl.tries));
	/* each job is requeued at most max_tries times */
	pl.requeue = bigmem_calloc((c->n ? c->n : 1) * (p->max_tries + 1),
	    sizeof(*pl.requeue));
	pl.suspect = bigmem_calloc(c->n, sizeof(*pl.suspect));
	pl.pfd = calloc(p->workers + 1, sizeof(*pl.pfd));
	pl.who = calloc(p->workers + 1, sizeof(*pl.who));
	if (pl.slots == NULL || pl.owner == NULL || pl.tries == NULL ||
	    pl.requeue == NULL || pl.suspect == NULL || pl.pfd == NULL ||
	    pl.who == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (s = 0; s < p->workers; s++) {
		pl.slots[s].job_fd = pl.slots[s].res_fd = -1;
		if (pool_spawn(&pl, s) < 0) {
			snprintf(err, errlen, "cannot start worker %u: %s", s,
			    strerror(errno));
			if (started == 0)
				goto out;
			pool_note(&pl, DIAG_WARNING, "%s; going on with %u "
			    "worker%s", err, started, started == 1 ? "" : "s");
			break;
		}
		started++;
	}
	rc = 0;
	for (;;) {
		uint64_t now = mono_now_ns();

		if ((p->stop != NULL && *p->stop) ||
		    (p->deadline_ns != 0 && now >= p->deadline_ns)) {
			st->stopped = pool_work_left(&pl);
			pl.stopping = 1;
			break;
		}
		if (!pool_work_left(&pl)) {
			/* Every address decided: listen a little longer. */
			if (linger_end == 0)
				linger_end = now + (uint64_t)p->linger_ms *
				    MONO_NS_PER_MS;
			if (now >= linger_end || pool_live(&pl) == 0)
				break;
		} else if (pool_live(&pl) == 0) {
			/* Every worker died and none may replace them. */
			collector_finish(c, EVIDENCE_WIRE, REASON_WORKER_DIED);
			break;
		}
		pool_dispatch(&pl);
		pool_wait(&pl, POOL_POLL_MS);
		pool_watchdog(&pl, mono_now_ns());
		if (p->tick != NULL) {
			st->probes_now = st->probes;
			for (s = 0; s < p->workers; s++)
				st->probes_now += pl.slots[s].hb_probes;
			if (p->tick(p->tick_arg, c, st)) {
				st->enough = 1;
				pl.stopping = 1;
				break;
			}
		}
	}
	pool_close(&pl);
out:
	free(pl.slots);
	bigmem_free(pl.owner);
	bigmem_free(pl.tries);
	bigmem_free(pl.requeue);
	bigmem_free(pl.suspect);
	free(pl.pfd);
	free(pl.who);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return rc;
}

/* Child side. */

int
pool_worker_fd(const struct pool_worker *w)
{
	return w->job_fd;
}

int
pool_worker_jobs(struct pool_worker *w, uint32_t *first, uint32_t *count)
{
	struct record r;
	ssize_t got;

	for (;;) {
		if (w->have - w->off >= RECORD_SIZE) {
			int ok = record_decode(w->buf + w->off, RECORD_SIZE,
			    &r);

			w->off += RECORD_SIZE;
			if (ok < 0 || r.type != RECORD_JOB)
				return -1;  /* the parent is not itself */
			*first = r.job;
			*count = r.count;
			return 1;
		}
		memmove(w->buf, w->buf + w->off, w->have - w->off);
		w->have -= w->off;
		w->off = 0;
		got = read(w->job_fd, w->buf + w->have,
		    sizeof(w->buf) - w->have);
		if (got > 0) {
			w->have += (size_t)got;
			continue;
		}
		if (got == 0)
			return -1;
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	}
}

void
pool_worker_batch(struct pool_worker *w)
{
	w->batch = 1;
}

int
pool_worker_send(struct pool_worker *w, const struct record *r)
{
	record_encode(r, w->out + w->out_len);
	w->out_len += RECORD_SIZE;
	if (w->batch && w->out_len + RECORD_SIZE <= sizeof(w->out))
		return 0;
	return pool_worker_flush(w);
}

int
pool_worker_flush(struct pool_worker *w)
{
	size_t off = 0;
	ssize_t put;

	while (off < w->out_len) {
		put = write(w->res_fd, w->out + off, w->out_len - off);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0) {
			w->out_len = 0;
			return -1;
		}
		off += (size_t)put;
	}
	w->out_len = 0;
	return 0;
}
