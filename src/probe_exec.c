/* probe_exec.c - the fallback engine: run ping(8) per address, as the seed did */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "mono.h"
#include "probe_exec.h"
#include "record.h"
#include "verdict.h"

#define PX_TICK_MS      50
#define PX_HEARTBEAT_NS (250 * MONO_NS_PER_MS)

void
probe_exec_verdict(int status, unsigned *verdict, unsigned *reason)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		*verdict = VERDICT_USED;
		*reason = REASON_ECHO_REPLY;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
		*verdict = VERDICT_FREE;
		*reason = REASON_NO_REPLY;
	} else {
		/* ping's 2 is an error; 127 a failed exec; or a signal */
		*verdict = VERDICT_UNKNOWN;
		*reason = REASON_EXEC_ERROR;
	}
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
px_ping(const struct probe_exec *px, uint32_t addr, struct pool_worker *w)
{
	char a[ADDR_STRLEN], c[16], t[16];
	uint64_t said = mono_now_ns();
	int status;
	pid_t pid, got;

	addr_format(addr, a);
	snprintf(c, sizeof(c), "%u", px->count);
	snprintf(t, sizeof(t), "%u", px->timeout_s);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execlp(px->ping, px->ping, "-n", "-q", "-c", c, "-W", t, a,
		    (char *)NULL);
		_exit(127);
	}
	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			return status;
		if (got < 0 && errno != EINTR)
			return -1;
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

	(void)slot;
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
			unsigned v, why;
			int status = px_ping(px, px->addrs[j], w);

			if (status == -1) {
				v = VERDICT_UNKNOWN;
				why = REASON_EXEC_ERROR;
			} else
				probe_exec_verdict(status, &v, &why);
			memset(&r, 0, sizeof(r));
			r.type = RECORD_RESULT;
			r.job = j;
			r.verdict = (uint8_t)v;
			r.reason = (uint8_t)why;
			r.probes = (uint8_t)px->count;
			r.aux = status == -1 ? 0 : (uint32_t)status;
			if (pool_worker_send(w, &r) < 0)
				return 0;
		}
	}
	return 0;
}
