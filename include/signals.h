/* signals.h - SIGINT and SIGTERM as a flag and a self-pipe, for every phase */
#ifndef IPSWEEP_SIGNALS_H
#define IPSWEEP_SIGNALS_H

#include <signal.h>

/*
 * signals_setup -- SIGINT and SIGTERM set the flag and wake the self-pipe
 * (installed even over an inherited "ignore", as ping(8) does, and
 * unblocked); SIGPIPE is ignored, so that a closed stdout shows up as
 * EPIPE; SIGCHLD goes back to its default, or the kernel would reap the
 * workers behind our back.  Returns 0, or -1 with errno when the pipe
 * cannot be made.
 */
int signals_setup(void);

/* signals_flag -- the flag: 0, or the number of the signal that came */
volatile sig_atomic_t *signals_flag(void);

/* signals_caught -- the signal that stops the run, or 0 */
int signals_caught(void);

/* signals_wake_fd -- the self-pipe's read end (poll it), or -1 */
int signals_wake_fd(void);

#endif
