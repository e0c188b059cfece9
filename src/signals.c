/* signals.c - SIGINT and SIGTERM as a flag and a self-pipe, for every phase */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "signals.h"

static volatile sig_atomic_t signals_got;
static int signals_pipe[2] = { -1, -1 };

/* signals_on -- only records the signal and wakes the poll loop */
static void
signals_on(int sig)
{
	int saved = errno;

	signals_got = sig;
	if (signals_pipe[1] >= 0)
		(void)!write(signals_pipe[1], "", 1);
	errno = saved;
}

int
signals_setup(void)
{
	struct sigaction sa;
	sigset_t set;

	if (signals_pipe[0] < 0 &&
	    pipe2(signals_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signals_on;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocking poll() in a phase returns EINTR */
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

volatile sig_atomic_t *
signals_flag(void)
{
	return &signals_got;
}

int
signals_caught(void)
{
	return (int)signals_got;
}

int
signals_wake_fd(void)
{
	return signals_pipe[0];
}
