/* check_pool.c - the worker pool run with fake probers: faults, hygiene */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "pool.h"
#include "record.h"
#include "verdict.h"

Suite *pool_suite(void);

#define T_MAX_JOBS 1000

/* Exit statuses of a fake worker that found its descriptors wrong. */
#define T_EXIT_LEAK  99   /* a descriptor it should not have */
#define T_EXIT_STDIO 98   /* stdin or stdout is not /dev/null */
#define T_EXIT_EFD   97   /* the engine's descriptor is missing */

enum t_mode {
	T_CLEAN,
	T_SIGKILL,      /* raise(SIGKILL) on the fault job */
	T_HANG,         /* pause() for ever on the fault job, no heartbeat */
	T_GARBAGE,      /* send garbage of kind f->garbage on the fault job */
	T_EXIT_TORN,    /* 5 bytes of a record, then _exit(0) */
	T_STALL,        /* on the fault job: signal the parent, then idle */
	T_LATE,         /* silence, then an answer, for the fault job */
	T_FOREIGN,      /* before each job's evidence, silence or a doubt
			   that would show for job + 1 */
	T_FOREIGN_WORD, /* on the fault job, evidence f->word for
			   f->other_job too */
};

struct t_fake {
	const uint32_t *addrs;
	size_t n;
	enum t_mode mode;
	uint32_t fault_job;
	uint32_t other_job;
	unsigned word;        /* T_FOREIGN_WORD: the reason it sends */
	unsigned garbage;
	char once[64];        /* flag file: the fault fires once; "" always */
	int efd;              /* the engine's descriptor, or -1 */
	ino_t efd_ino;
	int hb_ms;            /* heartbeat period while idle */
	int stall_ignores_eof;
	int stall_signal;     /* T_STALL: send SIGUSR1 to the parent */
	int hb_each;          /* a heartbeat with the probe count after each
				 job, as probe_icmp's progress heartbeats */
	int stall_flush;      /* T_STALL: once the job pipe closes, silence
				 for the fault job (as a probe cut short
				 looks) and an answer for other_job */
	int batch;            /* records queued (pool_worker_batch), flushed
				 before each wait, as probe_icmp does */
	int wrap;             /* T_FOREIGN: the last job's word is on
				 other_job */
};

static uint32_t t_addrs[T_MAX_JOBS];
static char t_notes[8192];
static unsigned t_nnotes;
static enum diag_severity t_most_sev;   /* the gravest severity noted */
static volatile sig_atomic_t t_stop;
static int t_stop_on_note;

/*
 * The verdict a fake worker's evidence about an address leads to: a pure
 * function of the address.
 */
static unsigned
t_truth(uint32_t a)
{
	if (a % 7 == 0)
		return VERDICT_UNKNOWN;
	if (a % 3 == 0)
		return VERDICT_USED;
	return VERDICT_FREE;
}

static unsigned
t_truth_reason(uint32_t a)
{
	switch (t_truth(a)) {
	case VERDICT_UNKNOWN:
		return REASON_ADMIN_PROHIBITED;
	case VERDICT_USED:
		return REASON_ECHO_REPLY;
	default:
		return REASON_NO_REPLY;
	}
}

/* t_truth_record -- the EVIDENCE a clean worker sends for JOB */
static struct record
t_truth_record(const uint32_t *addrs, uint32_t job)
{
	struct record r;
	uint32_t a = addrs[job];

	memset(&r, 0, sizeof(r));
	r.type = RECORD_EVIDENCE;
	r.job = job;
	r.reason = (uint8_t)t_truth_reason(a);
	r.probes = (uint8_t)(a % 5 + 1);
	r.rtt_us = t_truth(a) == VERDICT_USED ? a % 100000 + 1 : 0;
	r.aux = a ^ 0x5a5a5a5au;
	return r;
}

/* t_once -- 1 the first time any process asks (an O_EXCL flag file) */
static int
t_once(const struct t_fake *f)
{
	int fd;

	if (f->once[0] == '\0')
		return 1;
	fd = open(f->once, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* t_is_devnull -- FD is open on /dev/null */
static int
t_is_devnull(int fd)
{
	char path[32], target[64];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return 0;
	target[len] = '\0';
	return strcmp(target, "/dev/null") == 0;
}

/*
 * t_worker_fds -- in the worker: only 0-2, its two pipe ends and the
 * engine's descriptor may be open.  Returns 0 and the result pipe in
 * *RES_FD, or the exit status that reports the fault.
 */
static int
t_worker_fds(const struct t_fake *f, int job_fd, int *res_fd)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	struct stat sb;
	int dfd, fd, others = 0, efd_seen = 0, job_seen = 0;

	*res_fd = -1;
	if (d == NULL)
		return T_EXIT_LEAK;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		if (fd == dfd || fd <= 2)
			continue;
		if (fd == job_fd)
			job_seen = 1;
		else if (f->efd >= 0 && fd == f->efd)
			efd_seen = 1;
		else {
			others++;
			*res_fd = fd;
		}
	}
	closedir(d);
	if (!job_seen || others != 1)
		return T_EXIT_LEAK;
	/* the one other descriptor must be the write end of a pipe */
	if (fstat(*res_fd, &sb) < 0 || !S_ISFIFO(sb.st_mode) ||
	    (fcntl(*res_fd, F_GETFL) & O_ACCMODE) != O_WRONLY)
		return T_EXIT_LEAK;
	if (fstat(job_fd, &sb) < 0 || !S_ISFIFO(sb.st_mode) ||
	    (fcntl(job_fd, F_GETFL) & O_ACCMODE) != O_RDONLY)
		return T_EXIT_LEAK;
	if (f->efd >= 0 && (!efd_seen || fstat(f->efd, &sb) < 0 ||
	    sb.st_ino != f->efd_ino))
		return T_EXIT_EFD;
	if (!t_is_devnull(0) || !t_is_devnull(1))
		return T_EXIT_STDIO;
	return 0;
}

static int
t_send(struct pool_worker *w, const struct record *r)
{
	return pool_worker_send(w, r);
}

static void
t_heartbeat(struct pool_worker *w)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_HEARTBEAT;
	t_send(w, &r);
}

static void
t_raw(int fd, const uint8_t *buf, size_t len)
{
	ssize_t put;

	do
		put = write(fd, buf, len);
	while (put < 0 && errno == EINTR);
}

/* t_garbage -- kind K of a record the parent must refuse */
static void
t_garbage(const struct t_fake *f, struct pool_worker *w, int res_fd,
    unsigned k, uint32_t job)
{
	struct record r = t_truth_record(f->addrs, job);
	uint8_t buf[RECORD_SIZE];

	switch (k) {
	case 0:     /* 32 bytes of noise */
		memset(buf, 0xa5, sizeof(buf));
		t_raw(res_fd, buf, sizeof(buf));
		break;
	case 1:     /* a good record torn by one flipped bit */
		record_encode(&r, buf);
		buf[9] ^= 0x10;
		t_raw(res_fd, buf, sizeof(buf));
		break;
	case 2:     /* well-formed evidence for a job that does not exist */
		r.job = (uint32_t)f->n;
		t_send(w, &r);
		break;
	case 3:     /* a JOB record, which only the parent sends */
		memset(&r, 0, sizeof(r));
		r.type = RECORD_JOB;
		r.job = 0;
		r.count = 1;
		t_send(w, &r);
		break;
	case 4:     /* sealed evidence with a kind (only STATS have one) */
		r.kind = RECORD_LOSS_ARP;
		t_send(w, &r);
		break;
	case 5:     /* sealed evidence with a reason out of range */
		r.reason = REASON_MAX;
		t_send(w, &r);
		break;
	case 6:     /* sealed evidence with a reason that is no evidence */
		r.reason = REASON_SPECIAL;
		t_send(w, &r);
		break;
	case 7:     /* sealed STATS of a kind of probe that does not exist */
		memset(&r, 0, sizeof(r));
		r.type = RECORD_STATS;
		r.kind = RECORD_LOSS_MAX;
		r.job = 1000;
		t_send(w, &r);
		break;
	default:    /* 5 bytes of a record: the next ones come misaligned */
		record_encode(&r, buf);
		t_raw(res_fd, buf, 5);
		break;
	}
}

#define T_GARBAGE_KINDS 9

/*
 * The loss counters a fake worker in SLOT reports before it leaves: for
 * echo requests, its replies as hits, its jobs as misses and SLOT + 2 as
 * the most probes; for ARP requests, fixed values that must land in the
 * ARP counters only, and whose probe, reply and drop counts must not be
 * added to the run's (those are the echo requests').
 */
#define T_ARP_HITS 1
#define T_ARP_MISSES 10
#define T_ARP_MOST 7

/* t_stats -- the two STATS records a fake worker ends with */
static void
t_stats(struct pool_worker *w, unsigned slot, uint64_t probes,
    uint64_t replies)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_STATS;
	r.kind = RECORD_LOSS_ARP;
	r.job = T_ARP_HITS;
	r.rtt_us = T_ARP_MISSES;
	r.probes = T_ARP_MOST;
	r.count = 1000;
	r.aux = 500;
	r.aux2 = 100;
	t_send(w, &r);
	memset(&r, 0, sizeof(r));
	r.type = RECORD_STATS;
	r.kind = RECORD_LOSS_ICMP;
	r.job = (uint32_t)replies;
	r.rtt_us = (uint32_t)probes;
	r.probes = (uint8_t)(slot + 2);
	r.count = (uint32_t)probes;
	r.aux = (uint32_t)replies;
	r.aux2 = 1;   /* one per worker that ended cleanly */
	t_send(w, &r);
}

/* t_idle -- T_STALL: wait, with heartbeats, until the job pipe closes */
static int
t_idle(const struct t_fake *f, unsigned slot, struct pool_worker *w,
    uint64_t *probes, uint64_t *replies)
{
	struct pollfd pfd;
	uint32_t first, count;
	struct record r;
	int rc;

	for (;;) {
		pfd.fd = pool_worker_fd(w);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, f->hb_ms > 0 ? f->hb_ms : 50) <= 0) {
			t_heartbeat(w);
			continue;
		}
		if (f->stall_ignores_eof) {
			t_heartbeat(w);
			poll(NULL, 0, f->hb_ms > 0 ? f->hb_ms : 50);
			continue;
		}
		while ((rc = pool_worker_jobs(w, &first, &count)) == 1)
			;
		if (rc < 0)
			break;
	}
	if (f->stall_flush) {
		r = t_truth_record(f->addrs, f->fault_job);
		r.reason = REASON_NO_REPLY;
		t_send(w, &r);
		r = t_truth_record(f->addrs, f->other_job);
		r.reason = REASON_ECHO_REPLY;
		r.rtt_us = 999;
		t_send(w, &r);
	}
	t_stats(w, slot, *probes, *replies);
	return 0;
}

/*
 * t_job -- answer JOB as the fake's mode says.  Returns -1 when the worker
 * should leave at once with status 0 (T_STALL after the pipe closed).
 */
static int
t_job(const struct t_fake *f, unsigned slot, struct pool_worker *w,
    int res_fd, uint32_t job, uint64_t *probes, uint64_t *replies)
{
	struct record r = t_truth_record(f->addrs, job), x;
	int fault = job == f->fault_job;

	switch (f->mode) {
	case T_SIGKILL:
		if (fault && t_once(f))
			raise(SIGKILL);
		break;
	case T_HANG:
		if (fault && t_once(f))
			for (;;)
				pause();
		break;
	case T_GARBAGE:
		if (fault && t_once(f))
			t_garbage(f, w, res_fd, f->garbage, job);
		break;
	case T_EXIT_TORN:
		if (fault && t_once(f)) {
			uint8_t buf[RECORD_SIZE];

			record_encode(&r, buf);
			t_raw(res_fd, buf, 5);
			_exit(0);
		}
		break;
	case T_STALL:
		if (fault && t_once(f)) {
			if (f->stall_signal)
				kill(getppid(), SIGUSR1);
			t_idle(f, slot, w, probes, replies);
			return -1;
		}
		break;
	case T_LATE:
		if (fault) {
			r.reason = REASON_NO_REPLY;
			r.rtt_us = 0;
			t_send(w, &r);
			r.reason = REASON_ECHO_REPLY;
			r.rtt_us = 4242;
		}
		break;
	case T_FOREIGN:
		/* f->wrap: the last job's word is on f->other_job, which
		   this worker decided before */
		if (f->n > 1 && (job + 1 < f->n || f->wrap)) {
			uint32_t next = job + 1 < f->n ? job + 1 :
			    f->other_job;

			/* evidence that would show, were it taken: a doubt
			   turns free unknown, silence before an answer sets
			   the late flag, and the probe count shows in any
			   case */
			x = t_truth_record(f->addrs, next);
			x.reason = t_truth(f->addrs[next]) == VERDICT_FREE ?
			    REASON_SEND_ERROR : REASON_NO_REPLY;
			x.probes = 250;
			t_send(w, &x);
		}
		break;
	case T_FOREIGN_WORD:
		if (fault) {
			x = t_truth_record(f->addrs, f->other_job);
			x.reason = (uint8_t)f->word;
			x.rtt_us = 777;
			x.aux = 0xdead;
			t_send(w, &x);
		}
		break;
	case T_CLEAN:
		break;
	}
	(*probes)++;
	*replies += r.reason == REASON_ECHO_REPLY;
	t_send(w, &r);
	if (f->hb_each) {
		memset(&x, 0, sizeof(x));
		x.type = RECORD_HEARTBEAT;
		x.count = (uint32_t)*probes;
		t_send(w, &x);
	}
	return 0;
}

/*
 * t_run_worker -- the fake prober: poll the job pipe, answer every job,
 * send STATS once the parent closes the pipe.
 */
static int
t_run_worker(void *ctx, unsigned slot, struct pool_worker *w)
{
	const struct t_fake *f = ctx;
	uint64_t probes = 0, replies = 0;
	uint32_t first, count, j;
	struct pollfd pfd;
	int res_fd, bad, rc;

	bad = t_worker_fds(f, pool_worker_fd(w), &res_fd);
	if (bad != 0)
		return bad;
	if (f->batch)
		pool_worker_batch(w);
	for (;;) {
		pfd.fd = pool_worker_fd(w);
		pfd.events = POLLIN;
		if (f->batch && pool_worker_flush(w) < 0)
			return 0;
		rc = poll(&pfd, 1, f->hb_ms > 0 ? f->hb_ms : -1);
		if (rc == 0) {
			t_heartbeat(w);
			continue;
		}
		if (rc < 0)
			continue;
		while ((rc = pool_worker_jobs(w, &first, &count)) == 1)
			for (j = first; j < first + count; j++)
				if (t_job(f, slot, w, res_fd, j, &probes,
				    &replies) < 0)
					return 0;
		if (rc < 0)
			break;
	}
	t_stats(w, slot, probes, replies);
	return 0;
}

static int
t_engine_fd(void *ctx, unsigned slot)
{
	const struct t_fake *f = ctx;

	(void)slot;
	return f->efd;
}

static void
t_note(void *arg, enum diag_severity sev, const char *msg)
{
	size_t len = strlen(t_notes);

	(void)arg;
	t_nnotes++;
	if (t_nnotes == 1 || sev < t_most_sev)
		t_most_sev = sev;
	snprintf(t_notes + len, sizeof(t_notes) - len, "%s\n", msg);
	if (t_stop_on_note)
		t_stop = 1;
}

static void
t_on_usr1(int sig)
{
	(void)sig;
	t_stop = 1;
}

/* t_nfds -- descriptors open in this process */
static int
t_nfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the directory's own */
}

/* Everything a test looks at after one pool_run. */
struct t_run {
	struct collector c;
	struct pool_stats st;
	char err[256];
};

static void
t_params(struct pool_params *p, unsigned workers, uint32_t chunk,
    uint32_t window)
{
	memset(p, 0, sizeof(*p));
	p->workers = workers;
	p->chunk = chunk;
	p->window = window;
	p->max_tries = 2;
	p->respawns = workers * 2;
	p->watchdog_ms = 0;
	/* a hang guard only: a clean worker leaves as soon as its pipe
	   closes, and a wait for it must not decide an outcome */
	p->drain_ms = 10000;
	p->stop = &t_stop;
	p->wake_fd = -1;
	p->note = t_note;
	p->note_arg = NULL;
}

/*
 * t_deadline -- end the run after MS at the latest, so that a pool that
 * stalls fails an assertion on st.stopped instead of the test's timeout
 */
static void
t_deadline(struct pool_params *p, unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	p->deadline_ns = (uint64_t)ts.tv_sec * 1000000000u +
	    (uint64_t)ts.tv_nsec + (uint64_t)ms * 1000000u;
}

static void
t_fake_init(struct t_fake *f, size_t n, enum t_mode mode, uint32_t fault)
{
	size_t i;

	for (i = 0; i < T_MAX_JOBS; i++)
		t_addrs[i] = 0x0a000000u + (uint32_t)i * 5 + 2;
	memset(f, 0, sizeof(*f));
	f->addrs = t_addrs;
	f->n = n;
	f->mode = mode;
	f->fault_job = fault;
	f->efd = -1;
	f->hb_ms = 50;
}

/*
 * t_run -- pool_run over N jobs with fake F; checks that it returned 0,
 * left no child and no extra descriptor behind.  With ONCE, the fault fires
 * in the first worker that meets it only.  With EFD, the engine keeps a
 * descriptor, and a decoy descriptor is open that no worker may inherit.
 * SIGPIPE is ignored as sweep_main() does: pool_run() writes job records
 * to workers that may have died, and counts on EPIPE.
 */
static void
t_run(const struct pool_params *p, struct t_fake *f, int once, int efd,
    struct t_run *out)
{
	struct pool_engine e;
	char dir[] = "/tmp/check_pool.XXXXXX";
	int before, after, decoy = -1, rc;
	struct stat sb;
	pid_t left;
	void (*old_pipe)(int);

	memset(out, 0, sizeof(*out));
	t_notes[0] = '\0';
	t_nnotes = 0;
	if (once) {
		ck_assert_ptr_nonnull(mkdtemp(dir));
		snprintf(f->once, sizeof(f->once), "%s/once", dir);
	}
	if (efd) {
		f->efd = open("/dev/null", O_RDONLY);
		ck_assert_int_ge(f->efd, 0);
		ck_assert_int_eq(fstat(f->efd, &sb), 0);
		f->efd_ino = sb.st_ino;
		decoy = open("/dev/zero", O_RDONLY);
		ck_assert_int_ge(decoy, 0);
	}
	ck_assert_int_eq(collector_init(&out->c, f->addrs, f->n), 0);
	memset(&e, 0, sizeof(e));
	e.run = t_run_worker;
	e.fd = t_engine_fd;
	e.ctx = f;
	old_pipe = signal(SIGPIPE, SIG_IGN);
	before = t_nfds();
	rc = pool_run(p, &e, &out->c, &out->st, out->err, sizeof(out->err));
	after = t_nfds();
	signal(SIGPIPE, old_pipe);
	if (once) {
		unlink(f->once);
		rmdir(dir);
	}
	left = waitpid(-1, NULL, WNOHANG);
	ck_assert_msg(left == -1 && errno == ECHILD,
	    "a child is left after pool_run (waitpid gave %ld)", (long)left);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(before == after, "descriptors: %d before, %d after",
	    before, after);
	if (efd) {
		close(f->efd);
		close(decoy);
	}
}

/* t_counts -- the counts sum to n and agree with the entries */
static void
t_counts(const struct collector *c)
{
	size_t recount[VERDICT_MAX] = {0}, sum = 0, j;
	unsigned v;

	for (j = 0; j < c->n; j++)
		recount[collector_verdict(c, j)]++;
	for (v = 0; v < VERDICT_MAX; v++) {
		ck_assert_uint_eq(c->counts[v], recount[v]);
		sum += c->counts[v];
	}
	ck_assert_uint_eq(sum, c->n);
}

/* t_job_clean -- job J ended as a clean worker decides it */
static void
t_job_clean(const struct collector *c, size_t j)
{
	struct record r = t_truth_record(c->addrs, (uint32_t)j);
	const struct collector_entry ent = collector_entry(c, j);
	const struct collector_entry *e = &ent;

	ck_assert_msg(e->verdict == t_truth(c->addrs[j]) &&
	    e->reason == r.reason,
	    "job %zu: %s/%s, want %s/%s (notes: %s)", j,
	    verdict_name(e->verdict), reason_name(e->reason),
	    verdict_name(t_truth(c->addrs[j])), reason_name(r.reason),
	    t_notes);
	ck_assert_uint_eq(e->probes, r.probes);
	ck_assert_uint_eq(e->rtt_us, r.rtt_us);
	ck_assert_uint_eq(e->aux, r.aux);
	ck_assert_uint_eq(e->late, 0);
}

/* t_all_clean -- every job but SKIP (or all, SKIP = n) as in a clean run */
static void
t_all_clean(const struct collector *c, size_t skip)
{
	size_t j;

	for (j = 0; j < c->n; j++)
		if (j != skip)
			t_job_clean(c, j);
	t_counts(c);
}

static size_t
t_count_truth(size_t n, unsigned v)
{
	size_t j, k = 0;

	for (j = 0; j < n; j++)
		k += t_truth(t_addrs[j]) == v;
	return k;
}

/* t_first_free -- the first job at or after FROM whose truth is FREE */
static uint32_t
t_first_free(uint32_t from)
{
	uint32_t j;

	for (j = from; t_truth(t_addrs[j]) != VERDICT_FREE; j++)
		;
	return j;
}

static unsigned
t_count_str(const char *hay, const char *needle)
{
	unsigned k = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		k++;
		hay += strlen(needle);
	}
	return k;
}

/* (1) clean runs: n jobs, P workers, chunk, window */
static const struct {
	size_t n;
	unsigned workers;
	uint32_t chunk, window;
} t_clean[] = {
	{ 1, 1, 1, 1 },
	{ 1, 3, 1, 4 },
	{ 1, 8, 4, 8 },        /* -j larger than the addresses */
	{ 7, 1, 1, 1 },
	{ 7, 3, 2, 4 },
	{ 7, 16, 1, 2 },       /* -j larger than the addresses */
	{ 1000, 1, 16, 40 },
	{ 1000, 3, 1, 1 },
	{ 1000, 3, 16, 40 },
	{ 1000, 8, 256, 600 },
	{ 0, 2, 1, 1 },        /* nothing to do at all */
};

/* t_clean_check -- case I of t_clean, BATCH: records queued */
static void
t_clean_check(int i, int batch)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;
	size_t n = t_clean[i].n;

	t_fake_init(&f, n, T_CLEAN, UINT32_MAX);
	f.batch = batch;
	t_params(&p, t_clean[i].workers, t_clean[i].chunk,
	    t_clean[i].window);
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, i % 2, &r);
	ck_assert_msg(r.st.died == 0, "died %u: %s", r.st.died, t_notes);
	t_all_clean(&r.c, n);
	ck_assert_uint_eq(r.c.counts[VERDICT_PENDING], 0);
	ck_assert_uint_eq(r.c.counts[VERDICT_USED],
	    t_count_truth(n, VERDICT_USED));
	ck_assert_uint_eq(r.c.counts[VERDICT_FREE],
	    t_count_truth(n, VERDICT_FREE));
	ck_assert_uint_eq(r.c.counts[VERDICT_UNKNOWN],
	    t_count_truth(n, VERDICT_UNKNOWN));
	ck_assert_uint_eq(r.st.started, t_clean[i].workers);
	ck_assert_uint_eq(r.st.hung, 0);
	ck_assert_uint_eq(r.st.bad_records, 0);
	ck_assert_int_eq(r.st.stopped, 0);
	ck_assert_uint_eq(t_nnotes, 0);
	/* each job probed exactly once; every worker's STATS arrived */
	ck_assert_uint_eq(r.st.probes, n);
	ck_assert_uint_eq(r.st.replies, t_count_truth(n, VERDICT_USED));
	ck_assert_uint_eq(r.st.drops, t_clean[i].workers);
	/* the loss counters, each in its own kind */
	ck_assert_uint_eq(r.st.hits[RECORD_LOSS_ICMP],
	    t_count_truth(n, VERDICT_USED));
	ck_assert_uint_eq(r.st.misses[RECORD_LOSS_ICMP], n);
	ck_assert_uint_eq(r.st.most[RECORD_LOSS_ICMP],
	    t_clean[i].workers + 1);
	ck_assert_uint_eq(r.st.hits[RECORD_LOSS_ARP],
	    T_ARP_HITS * t_clean[i].workers);
	ck_assert_uint_eq(r.st.misses[RECORD_LOSS_ARP],
	    T_ARP_MISSES * t_clean[i].workers);
	ck_assert_uint_eq(r.st.most[RECORD_LOSS_ARP], T_ARP_MOST);
	collector_free(&r.c);
}

START_TEST(test_clean)
{
	t_clean_check(_i, 0);
}
END_TEST

/* The same with the records queued: every one arrives, none twice. */
START_TEST(test_clean_batched)
{
	t_clean_check(_i, 1);
}
END_TEST

/* (2) a worker killed by SIGKILL the first time it meets one job */
static const struct {
	unsigned workers;
	uint32_t chunk, window, fault;
} t_kill[] = {
	{ 3, 4, 8, 57 },
	{ 1, 1, 1, 0 },        /* the only worker, on the first job */
	{ 1, 16, 40, 199 },    /* the only worker, on the last job */
	{ 4, 1, 3, 100 },
};

START_TEST(test_sigkill_once)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 200, T_SIGKILL, t_kill[_i].fault);
	f.hb_each = 1;
	t_params(&p, t_kill[_i].workers, t_kill[_i].chunk, t_kill[_i].window);
	p.respawns = 2;
	t_deadline(&p, 10000);
	t_run(&p, &f, 1, 1, &r);
	t_all_clean(&r.c, r.c.n);
	ck_assert_uint_eq(r.c.counts[VERDICT_PENDING], 0);
	ck_assert_uint_eq(r.st.died, 1);
	ck_assert_uint_eq(r.st.hung, 0);
	ck_assert_uint_eq(r.st.bad_records, 0);
	ck_assert_int_eq(r.st.stopped, 0);
	/* it died holding an undecided job: a replacement was started */
	ck_assert_uint_eq(r.st.started, t_kill[_i].workers + 1);
	/* every job probed once: the dead worker's count came from its
	 * heartbeats, the others' from their STATS */
	ck_assert_uint_eq(r.st.probes, 200);
	ck_assert_msg(strstr(t_notes, "signal 9") != NULL &&
	    strstr(t_notes, "worker") != NULL,
	    "the note does not name the signal: '%s'", t_notes);
	ck_assert_uint_eq(t_nnotes, 1);
	/* a worker's death is a note: -q hides it, the run recovers */
	ck_assert_int_eq(t_most_sev, DIAG_NOTE);
	collector_free(&r.c);
}
END_TEST

/*
 * (3) a poison job kills every worker that takes it: after MAX_TRIES
 * dying workers it is a suspect, tried alone once more, and then UNKNOWN
 * (worker-died): MAX_TRIES + 1 deaths exactly.  The rest is decided
 * normally.
 */
START_TEST(test_poison)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;
	unsigned max_tries = (unsigned)_i + 1;

	t_fake_init(&f, 60, T_SIGKILL, 17);
	t_params(&p, 3, 1, 1);
	p.max_tries = max_tries;
	p.respawns = 10;
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_uint_eq(collector_verdict(&r.c, 17), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&r.c, 17), REASON_WORKER_DIED);
	t_all_clean(&r.c, 17);
	ck_assert_uint_eq(r.c.counts[VERDICT_PENDING], 0);
	ck_assert_uint_eq(r.st.died, max_tries + 1);
	ck_assert_uint_ge(r.st.started, 3);
	ck_assert_uint_le(r.st.started, 3 + r.st.died);
	ck_assert_uint_le(r.st.started, 3 + p.respawns);
	ck_assert_uint_eq(t_count_str(t_notes, "signal 9"), max_tries + 1);
	ck_assert_int_eq(r.st.stopped, 0);
	collector_free(&r.c);
}
END_TEST

START_TEST(test_poison_no_respawn)
{
	/* the only worker dies and may not be replaced: the run ends with
	 * every job it could not do unknown (worker-died) */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;
	size_t j;

	t_fake_init(&f, 10, T_SIGKILL, 3);
	t_params(&p, 1, 1, 1);
	p.respawns = 0;
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_int_eq(r.st.stopped, 0);
	for (j = 0; j < 3; j++)
		t_job_clean(&r.c, j);
	for (j = 3; j < 10; j++) {
		ck_assert_uint_eq(collector_verdict(&r.c, j), VERDICT_UNKNOWN);
		ck_assert_uint_eq(collector_reason(&r.c, j),
		    REASON_WORKER_DIED);
	}
	t_counts(&r.c);
	ck_assert_uint_eq(r.st.started, 1);
	ck_assert_uint_eq(r.st.died, 1);
	collector_free(&r.c);
}
END_TEST

START_TEST(test_poison_no_storm)
{
	/* plenty of respawns allowed: still only MAX_TRIES + 1 deaths */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 30, T_SIGKILL, 29);
	t_params(&p, 2, 1, 1);
	p.respawns = 100;
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_int_eq(r.st.stopped, 0);
	ck_assert_uint_eq(collector_verdict(&r.c, 29), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&r.c, 29), REASON_WORKER_DIED);
	t_all_clean(&r.c, 29);
	ck_assert_uint_eq(r.st.died, 3);
	ck_assert_uint_le(r.st.started, 5);
	collector_free(&r.c);
}
END_TEST

/*
 * (3b) the poison job shares a chunk with innocent jobs.  Only the poison
 * job should end unknown; the innocent jobs the dying worker still held
 * must be decided by someone.
 */
START_TEST(test_poison_chunk)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 12, T_SIGKILL, 1);
	t_params(&p, 1, 4, 4);
	p.respawns = 10;
	p.max_tries = 2;
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_uint_eq(collector_verdict(&r.c, 1), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&r.c, 1), REASON_WORKER_DIED);
	ck_assert_uint_eq(r.st.died, 3);
	ck_assert_uint_le(r.st.started, 4);
	/* jobs 2 and 3 rode along with job 1 twice: not their fault */
	t_all_clean(&r.c, 1);
	ck_assert_int_eq(r.st.stopped, 0);
	collector_free(&r.c);
}
END_TEST

/*
 * (4) a worker that hangs, without heartbeats, on one job, once.  Healthy
 * workers say something at least every hb_ms (50): a watchdog twenty
 * times that leaves a loaded machine no excuse to kill one of them.
 */
#define T_WATCHDOG_MS 1000

START_TEST(test_hang_once)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 60, T_HANG, 23);
	t_params(&p, 3, 2, 4);
	p.watchdog_ms = T_WATCHDOG_MS;
	t_deadline(&p, 15000);
	t_run(&p, &f, 1, 1, &r);
	t_all_clean(&r.c, r.c.n);
	ck_assert_uint_eq(r.c.counts[VERDICT_PENDING], 0);
	ck_assert_uint_ge(r.st.hung, 1);
	ck_assert_uint_eq(r.st.died, r.st.hung);
	ck_assert_uint_eq(r.st.bad_records, 0);
	ck_assert_int_eq(r.st.stopped, 0);
	ck_assert_msg(strstr(t_notes, "watchdog") != NULL, "notes: %s",
	    t_notes);
	collector_free(&r.c);
}
END_TEST

START_TEST(test_hang_always)
{
	/* every worker that takes the job hangs: it is given up, bounded */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 20, T_HANG, 5);
	t_params(&p, 2, 1, 1);
	p.watchdog_ms = T_WATCHDOG_MS;
	p.max_tries = 2;
	t_deadline(&p, 15000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_uint_eq(collector_verdict(&r.c, 5), VERDICT_UNKNOWN);
	ck_assert_uint_eq(collector_reason(&r.c, 5), REASON_WORKER_DIED);
	t_all_clean(&r.c, 5);
	ck_assert_uint_eq(r.st.hung, 3);
	ck_assert_uint_eq(r.st.died, 3);
	ck_assert_int_eq(r.st.stopped, 0);
	collector_free(&r.c);
}
END_TEST

/* (5) garbage and torn records: refused, the worker replaced */
START_TEST(test_garbage)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 100, T_GARBAGE, 41);
	f.garbage = (unsigned)_i;
	t_params(&p, 3, 4, 8);
	t_deadline(&p, 10000);
	t_run(&p, &f, 1, 0, &r);
	t_all_clean(&r.c, r.c.n);
	ck_assert_uint_eq(r.c.counts[VERDICT_PENDING], 0);
	ck_assert_msg(r.st.bad_records == 1, "garbage kind %d: %u bad records",
	    _i, r.st.bad_records);
	ck_assert_uint_eq(r.st.died, 1);
	ck_assert_uint_eq(r.st.started, 4);
	ck_assert_int_eq(r.st.stopped, 0);
	ck_assert_msg(strstr(t_notes, "malformed") != NULL, "notes: %s",
	    t_notes);
	collector_free(&r.c);
}
END_TEST

START_TEST(test_torn_exit)
{
	/* 5 bytes of a record, then the worker is gone: nothing of it is
	 * taken for a verdict, its jobs are done again */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 50, T_EXIT_TORN, 10);
	t_params(&p, 2, 4, 8);
	t_deadline(&p, 10000);
	t_run(&p, &f, 1, 0, &r);
	t_all_clean(&r.c, r.c.n);
	ck_assert_uint_eq(r.c.counts[VERDICT_PENDING], 0);
	ck_assert_uint_eq(r.st.died, 1);
	ck_assert_msg(strstr(t_notes, "exited with status 0") != NULL,
	    "notes: %s", t_notes);
	collector_free(&r.c);
}
END_TEST

/* (6) the stop flag, set by a signal that a stalled worker sends */
START_TEST(test_stop_signal)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;
	struct sigaction sa;
	size_t j;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = t_on_usr1;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	t_stop = 0;
	t_fake_init(&f, 300, T_STALL, 30);
	f.stall_signal = 1;
	f.stall_flush = 1;
	f.other_job = t_first_free(290);
	t_params(&p, 3, 2, 4);
	t_run(&p, &f, 1, 1, &r);
	ck_assert_int_eq(r.st.stopped, 1);
	/* the silence its owner sent once the run was stopping is not taken:
	   a probe cut short looks silent */
	ck_assert_int_eq(collector_done(&r.c, 30, EVIDENCE_WIRE), 0);
	ck_assert_uint_eq(collector_verdict(&r.c, 30), VERDICT_PENDING);
	ck_assert_uint_ge(r.c.counts[VERDICT_PENDING], 1);
	/* an answer is, at any time */
	ck_assert_uint_eq(collector_verdict(&r.c, f.other_job), VERDICT_USED);
	ck_assert_uint_eq(collector_reason(&r.c, f.other_job),
	    REASON_ECHO_REPLY);
	ck_assert_uint_eq(collector_entry(&r.c, f.other_job).rtt_us, 999);
	/* what was decided was decided right */
	for (j = 0; j < r.c.n; j++)
		if (j != f.other_job && collector_done(&r.c, j, EVIDENCE_WIRE))
			t_job_clean(&r.c, j);
	t_counts(&r.c);
	/* the stalled worker left when its pipe closed */
	ck_assert_msg(r.st.died == 0, "notes: %s", t_notes);
	collector_free(&r.c);
}
END_TEST

START_TEST(test_stop_from_note)
{
	/* a worker death, noted, stops the run: its job stays pending */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_stop = 0;
	t_stop_on_note = 1;
	t_fake_init(&f, 400, T_SIGKILL, 50);
	t_params(&p, 2, 1, 2);
	t_run(&p, &f, 1, 0, &r);
	t_stop_on_note = 0;
	ck_assert_int_eq(r.st.stopped, 1);
	ck_assert_uint_eq(r.st.died, 1);
	ck_assert_int_eq(collector_done(&r.c, 50, EVIDENCE_WIRE), 0);
	t_counts(&r.c);
	collector_free(&r.c);
}
END_TEST

START_TEST(test_stop_before)
{
	/* stopped before it began: nothing handed out, workers leave */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_stop = 1;
	t_fake_init(&f, 50, T_CLEAN, UINT32_MAX);
	t_params(&p, 3, 1, 1);
	t_run(&p, &f, 0, 0, &r);
	t_stop = 0;
	ck_assert_int_eq(r.st.stopped, 1);
	ck_assert_uint_eq(r.c.counts[VERDICT_PENDING], 50);
	ck_assert_uint_eq(r.st.started, 3);
	ck_assert_uint_eq(r.st.died, 0);
	ck_assert_uint_eq(r.st.probes, 0);
	ck_assert_uint_eq(r.st.drops, 3);
	collector_free(&r.c);
}
END_TEST

START_TEST(test_deadline)
{
	/* the deadline passes while a worker stalls and ignores the end of
	 * its job pipe: drained, killed, reaped, in bounded time */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_stop = 0;
	t_fake_init(&f, 100, T_STALL, 20);
	f.stall_ignores_eof = 1;
	/* one worker: no healthy one that a short drain could catch still
	   on its way out */
	t_params(&p, 1, 1, 2);
	p.drain_ms = 300;
	t_deadline(&p, 1500);
	t_run(&p, &f, 1, 0, &r);
	ck_assert_int_eq(r.st.stopped, 1);
	ck_assert_int_eq(collector_done(&r.c, 20, EVIDENCE_WIRE), 0);
	/* what came before the stall was decided */
	ck_assert_int_eq(collector_done(&r.c, 19, EVIDENCE_WIRE), 1);
	t_job_clean(&r.c, 19);
	/* the stalled worker was killed when the drain ran out */
	ck_assert_uint_eq(r.st.died, 1);
	ck_assert_msg(strstr(t_notes, "signal 9") != NULL, "notes: %s",
	    t_notes);
	t_counts(&r.c);
	collector_free(&r.c);
}
END_TEST

/* (7) late USED evidence after FREE, from the same worker */
START_TEST(test_late_used)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;
	uint32_t late;
	size_t j;

	t_fake_init(&f, 40, T_LATE, 0);
	late = t_first_free(10);
	f.fault_job = late;
	t_params(&p, 2, 1, 2);
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_uint_eq(collector_verdict(&r.c, late), VERDICT_USED);
	ck_assert_uint_eq(collector_reason(&r.c, late),
	    REASON_ECHO_REPLY);
	ck_assert_uint_eq(collector_entry(&r.c, late).rtt_us, 4242);
	ck_assert_uint_eq(collector_entry(&r.c, late).late, 1);
	for (j = 0; j < r.c.n; j++)
		if (j != late)
			t_job_clean(&r.c, j);
	ck_assert_uint_eq(r.c.counts[VERDICT_USED],
	    t_count_truth(40, VERDICT_USED) + 1);
	ck_assert_uint_eq(r.c.counts[VERDICT_FREE],
	    t_count_truth(40, VERDICT_FREE) - 1);
	t_counts(&r.c);
	ck_assert_uint_eq(r.st.died, 0);
	collector_free(&r.c);
}
END_TEST

/*
 * (8) FREE or UNKNOWN from a worker that does not hold the job is
 * ignored.  Window 1: a worker holds one job only, so the wrong verdict
 * it sends for the next job always comes from a non-owner.
 */
START_TEST(test_foreign_ignored)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_fake_init(&f, 60, T_FOREIGN, UINT32_MAX);
	t_params(&p, 1 + 2 * (unsigned)_i, 1, 1);
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_int_eq(r.st.stopped, 0);
	t_all_clean(&r.c, r.c.n);
	ck_assert_uint_eq(r.st.bad_records, 0);
	ck_assert_uint_eq(r.st.died, 0);
	collector_free(&r.c);
}
END_TEST

/*
 * One worker: after the last job, its word on an earlier job it decided
 * (its loss measured since says too few probes).  A doubt makes a free
 * job unknown; silence on a used one changes nothing, not even the probe
 * count.
 */
START_TEST(test_own_later_doubt)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;
	struct collector_entry ent;
	const struct collector_entry *e = &ent;
	uint32_t k;
	unsigned want = _i == 0 ? VERDICT_FREE : VERDICT_USED;

	t_fake_init(&f, 60, T_FOREIGN, UINT32_MAX);
	for (k = 0; k + 1 < f.n && t_truth(f.addrs[k]) != want; k++)
		;
	ck_assert_uint_eq(t_truth(f.addrs[k]), want);
	f.wrap = 1;
	f.other_job = k;
	t_params(&p, 1, 1, 1);
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_uint_eq(r.st.bad_records, 0);
	ent = collector_entry(&r.c, k);
	if (want == VERDICT_FREE) {
		ck_assert_uint_eq(e->verdict, VERDICT_UNKNOWN);
		ck_assert_uint_eq(e->reason, REASON_SEND_ERROR);
	} else {
		ck_assert_uint_eq(e->verdict, VERDICT_USED);
		ck_assert_uint_lt(e->probes, 250);
	}
	collector_free(&r.c);
}
END_TEST

/*
 * An answer from a worker that does not hold the job counts (a reply from
 * another address of the list proves it alive), even for a job not yet
 * handed out; a doubt from it does not.  A job decided before it is
 * handed out must not hold a place in a worker's window for ever: the run
 * still finishes.
 */
static const struct {
	unsigned word;
	int taken;
} t_words[] = {
	{ REASON_ECHO_REPLY, 1 },
	{ REASON_ARP_REPLY, 1 },
	{ REASON_ICMP_FROM_TARGET, 1 },
	{ REASON_TCP_ACCEPT, 1 },
	{ REASON_OTHER_SOURCE, 0 },
	{ REASON_ADMIN_PROHIBITED, 0 },
};

START_TEST(test_foreign_word)
{
	struct pool_params p;
	struct t_fake f;
	struct t_run r;
	uint32_t other;
	size_t j;

	t_fake_init(&f, 12, T_FOREIGN_WORD, 2);
	other = t_first_free(5);
	f.other_job = other;
	f.word = t_words[_i].word;
	t_params(&p, 1, 1, 1);
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_msg(r.st.stopped == 0 && r.c.counts[VERDICT_PENDING] == 0,
	    "the run stalled with %zu jobs pending after job %u was decided "
	    "before it was handed out", r.c.counts[VERDICT_PENDING], other);
	if (t_words[_i].taken) {
		ck_assert_uint_eq(collector_verdict(&r.c, other), VERDICT_USED);
		ck_assert_uint_eq(collector_reason(&r.c, other),
		    t_words[_i].word);
		ck_assert_uint_eq(collector_entry(&r.c, other).rtt_us, 777);
		ck_assert_uint_eq(collector_entry(&r.c, other).aux, 0xdead);
		ck_assert_uint_eq(collector_entry(&r.c, other).late, 0);
	} else {
		/* as if it never came: its owner's silence frees it */
		t_job_clean(&r.c, other);
	}
	for (j = 0; j < r.c.n; j++)
		if (j != other)
			t_job_clean(&r.c, j);
	t_counts(&r.c);
	collector_free(&r.c);
}
END_TEST

static unsigned t_ticks;

static int
t_tick_enough(void *arg, const struct collector *c,
    const struct pool_stats *st)
{
	(void)arg;
	(void)st;
	t_ticks++;
	return c->counts[VERDICT_PENDING] < c->n;
}

START_TEST(test_tick_enough)
{
	/* tick() says enough once something is decided: the run ends at
	 * once although a worker stalls, and that is not a stop */
	struct pool_params p;
	struct t_fake f;
	struct t_run r;

	t_stop = 0;
	t_ticks = 0;
	t_fake_init(&f, 50, T_STALL, 3);
	t_params(&p, 2, 1, 1);
	p.tick = t_tick_enough;
	t_deadline(&p, 10000);
	t_run(&p, &f, 0, 0, &r);
	ck_assert_int_eq(r.st.enough, 1);
	ck_assert_int_eq(r.st.stopped, 0);
	ck_assert_uint_ge(t_ticks, 1);
	ck_assert_int_eq(collector_done(&r.c, 3, EVIDENCE_WIRE), 0);
	ck_assert_uint_lt(r.c.counts[VERDICT_PENDING], 50);
	ck_assert_uint_eq(r.st.died, 0);
	t_counts(&r.c);
	collector_free(&r.c);
}
END_TEST

Suite *
pool_suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc;

	tc = tcase_create("clean");
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_clean, 0,
	    (int)(sizeof(t_clean) / sizeof(t_clean[0])));
	tcase_add_loop_test(tc, test_own_later_doubt, 0, 2);
	tcase_add_loop_test(tc, test_clean_batched, 0,
	    (int)(sizeof(t_clean) / sizeof(t_clean[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("deaths");
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_sigkill_once, 0,
	    (int)(sizeof(t_kill) / sizeof(t_kill[0])));
	tcase_add_loop_test(tc, test_poison, 0, 3);
	tcase_add_test(tc, test_poison_no_respawn);
	tcase_add_test(tc, test_poison_no_storm);
	tcase_add_test(tc, test_poison_chunk);
	suite_add_tcase(s, tc);

	tc = tcase_create("hangs");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_hang_once);
	tcase_add_test(tc, test_hang_always);
	suite_add_tcase(s, tc);

	tc = tcase_create("garbage");
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_garbage, 0, T_GARBAGE_KINDS);
	tcase_add_test(tc, test_torn_exit);
	suite_add_tcase(s, tc);

	tc = tcase_create("stop");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_stop_signal);
	tcase_add_test(tc, test_stop_from_note);
	tcase_add_test(tc, test_stop_before);
	tcase_add_test(tc, test_deadline);
	tcase_add_test(tc, test_tick_enough);
	suite_add_tcase(s, tc);

	tc = tcase_create("evidence");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_late_used);
	tcase_add_loop_test(tc, test_foreign_ignored, 0, 2);
	tcase_add_loop_test(tc, test_foreign_word, 0,
	    (int)(sizeof(t_words) / sizeof(t_words[0])));
	suite_add_tcase(s, tc);
	return s;
}
