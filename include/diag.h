/* diag.h - messages for the user on stderr, one place decides what shows */
#ifndef IPSWEEP_DIAG_H
#define IPSWEEP_DIAG_H

#include <stdarg.h>

/*
 * How much a message matters.  Whoever reports something says which one
 * it is; whether it is shown under -q or -v is decided here only, never
 * from the message's text.
 */
enum diag_severity {
	DIAG_ERROR = 0,   /* the run fails or its result is wrong: always */
	DIAG_WARNING,     /* something went wrong, the run goes on: always */
	DIAG_NOTE,        /* worth knowing (summary, fallbacks): not with -q */
	DIAG_VERBOSE      /* detail: with -v only (level 1) */
};

/*
 * diag_setup -- what to show from now on: with QUIET no notes, and
 * diag_verbose(LEVEL, ...) only for LEVEL <= VERBOSE.  Until it is called
 * errors, warnings and notes show and verbose messages do not.
 */
void diag_setup(int quiet, int verbose);

/*
 * diag_shown -- 1 when a message of severity SEV (LEVEL for DIAG_VERBOSE,
 * 1 or more) would be printed now, for callers that would have to work to
 * build it.
 */
int diag_shown(enum diag_severity sev, int level);

/*
 * diag_msg -- "ipsweep: MESSAGE\n" on stderr when SEV is shown (DIAG_VERBOSE
 * counts as level 1).  The line is written with one write, so that
 * messages of several processes do not mix within a line.
 */
void diag_msg(enum diag_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_vmsg(enum diag_severity sev, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* diag_err, diag_warn, diag_note -- diag_msg with that severity */
void diag_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* diag_verbose -- a message shown only when -v was given LEVEL times */
void diag_verbose(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * diag_usage -- a usage error: MSG as an error and, on the next line of
 * the same write, "Try 'ipsweep --help' for more information."  The caller
 * exits with status 2.
 */
void diag_usage(const char *msg);

#endif
