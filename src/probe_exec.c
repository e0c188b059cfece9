/* probe_exec.c - the fallback engine: run ping(8) per address, as the seed did */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "mono.h"
#include "probe_exec.h"
#include "record.h"
#include "verdict.h"

#define PX_TICK_MS      50

/*
 * ping(8) has a file capability, so the kernel clears a parent-death
 * signal at its exec: it would outlive us.  So the worker takes SIGTERM as
 * its own parent-death signal and kills its ping before it goes.
 */
static volatile sig_atomic_t px_term;
static pid_t px_parent;

/* px_on_term -- only a flag: px_ping looks at it every tick */
static void
px_on_term(int sig)
{
	(void)sig;
	px_term = 1;
}

/* px_gone -- 1 when the run is over for us: the parent died or closed
   our job pipe (it stops the sweep, or has every verdict) */
static int
px_gone(struct pool_worker *w)
{
	struct pollfd pfd = { pool_worker_fd(w), 0, 0 };

	if (px_term) {
		px_term = 0;
		if (getppid() != px_parent)
			return 1;
	}
	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR));
}
#define PX_HEARTBEAT_NS (250 * MONO_NS_PER_MS)

unsigned
probe_exec_evidence(int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return REASON_ECHO_REPLY;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return REASON_NO_REPLY;
	/* ping's 2 is an error; 127 a failed exec; or a signal */
	return REASON_EXEC_ERROR;
}

uint32_t
probe_exec_rtt(const char *out)
{
	const char *p = strstr(out, "rtt min/avg/max/mdev = ");
	unsigned long ms = 0, frac = 0, scale = 1000;

	if (p == NULL)
		return 0;
	for (p += 23; *p >= '0' && *p <= '9' && ms < 10000000; p++)
		ms = ms * 10 + (unsigned long)(*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (unsigned long)(*p - '0') * scale;
			}
	if (*p != '/')
		return 0;
	return (uint32_t)(ms * 1000 + frac);
}

/* px_heartbeat -- tell the parent we live while ping runs */
static int
px_heartbeat(struct pool_worker *w)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_HEARTBEAT;
	return pool_worker_send(w, &r);
}

/*
 * px_ping -- run ping for ADDR and return its wait status; -1 when fork
 * failed.  The child's stdout and stderr are /dev/null: ipsweep's stdout
 * carries results only.
 */
static int
px_ping(const struct probe_exec *px, uint32_t addr, struct pool_worker *w,
    uint32_t *rtt_us)
{
	char a[ADDR_STRLEN], c[16], t[16], out[1024];
	uint64_t said = mono_now_ns();
	size_t have = 0;
	int status, pfd[2];
	pid_t pid, got;

	*rtt_us = 0;
	addr_format(addr, a);
	snprintf(c, sizeof(c), "%u", px->count);
	snprintf(t, sizeof(t), "%u", px->timeout_s);
	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		/* stdout to us (for the round trip), stderr away */
		dup2(pfd[1], 1);
		if (null >= 0)
			dup2(null, 2);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		/* Ctrl-C to the terminal's group must not pass for "no
		   reply" (ping exits 1 on SIGINT): we stop it ourselves. */
		setpgid(0, 0);
		setenv("LC_ALL", "C", 1);   /* "0.041", never "0,041" */
		execlp(px->ping, px->ping, "-n", "-q", "-c", c, "-W", t, a,
		    (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t r;

		while (have < sizeof(out) - 1 &&
		    (r = read(pfd[0], out + have, sizeof(out) - 1 - have)) > 0)
			have += (size_t)r;
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid) {
			while (have < sizeof(out) - 1 && (r = read(pfd[0],
			    out + have, sizeof(out) - 1 - have)) > 0)
				have += (size_t)r;
			out[have] = '\0';
			close(pfd[0]);
			*rtt_us = probe_exec_rtt(out);
			return status;
		}
		if (got < 0 && errno != EINTR) {
			close(pfd[0]);
			return -1;
		}
		if (px_gone(w)) {
			/* no verdict from a ping cut short */
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (mono_now_ns() - said >= PX_HEARTBEAT_NS) {
			if (px_heartbeat(w) < 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				_exit(0);
			}
			said = mono_now_ns();
		}
		poll(NULL, 0, PX_TICK_MS);
	}
}

int
probe_exec_run(void *ctx, unsigned slot, struct pool_worker *w)
{
	const struct probe_exec *px = ctx;
	uint32_t first, count, j;
	struct record r;
	int rc;

	struct sigaction sa;

	(void)slot;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = px_on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	px_parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	for (;;) {
		struct pollfd pfd = { pool_worker_fd(w), POLLIN, 0 };

		rc = pool_worker_jobs(w, &first, &count);
		if (rc < 0)
			break;
		if (rc == 0) {
			if (poll(&pfd, 1, 250) == 0 && px_heartbeat(w) < 0)
				break;
			continue;
		}
		for (j = first; j < first + count && j < px->n; j++) {
			uint32_t rtt;
			int status = px_ping(px, px->addrs[j], w, &rtt);
			unsigned why = status == -1 ? REASON_EXEC_ERROR :
			    probe_exec_evidence(status);

			memset(&r, 0, sizeof(r));
			r.type = RECORD_EVIDENCE;
			r.job = j;
			r.reason = (uint8_t)why;
			r.probes = (uint8_t)px->count;
			r.aux = status == -1 ? 0 : (uint32_t)status;
			r.rtt_us = why == REASON_ECHO_REPLY ? rtt : 0;
			if (pool_worker_send(w, &r) < 0)
				return 0;
		}
	}
	return 0;
}
