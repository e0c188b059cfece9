/* diag.c - messages for the user on stderr, filtered by -q and -v */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#define DIAG_PREFIX "ipsweep: "

static int diag_quiet;
static int diag_level;

void
diag_setup(int quiet, int verbose)
{
	diag_quiet = quiet != 0;
	diag_level = verbose > 0 ? verbose : 0;
}

int
diag_shown(enum diag_severity sev, int level)
{
	switch (sev) {
	case DIAG_ERROR:
	case DIAG_WARNING:
		return 1;
	case DIAG_NOTE:
		return !diag_quiet;
	case DIAG_VERBOSE:
		return level >= 1 && level <= diag_level;
	}
	return 1;
}

/*
 * diag_write -- the prefix, FMT with AP and a newline, as one fwrite on
 * stderr (unbuffered: one write(2)).  A message too long for the stack
 * buffer gets one from the heap; without memory it goes out in pieces.
 */
static void
diag_write(const char *fmt, va_list ap)
{
	char buf[1024], *p = buf;
	size_t pre = sizeof(DIAG_PREFIX) - 1;
	va_list again;
	int n;

	memcpy(buf, DIAG_PREFIX, pre);
	va_copy(again, ap);
	n = vsnprintf(buf + pre, sizeof(buf) - pre, fmt, ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	if ((size_t)n + pre + 1 >= sizeof(buf)) {
		p = malloc(pre + (size_t)n + 2);
		if (p == NULL) {
			fputs(DIAG_PREFIX, stderr);
			vfprintf(stderr, fmt, again);
			fputc('\n', stderr);
			va_end(again);
			return;
		}
		memcpy(p, DIAG_PREFIX, pre);
		vsnprintf(p + pre, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	p[pre + (size_t)n] = '\n';
	fwrite(p, 1, pre + (size_t)n + 1, stderr);
	if (p != buf)
		free(p);
}

void
diag_vmsg(enum diag_severity sev, const char *fmt, va_list ap)
{
	if (diag_shown(sev, 1))
		diag_write(fmt, ap);
}

void
diag_msg(enum diag_severity sev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg(sev, fmt, ap);
	va_end(ap);
}

void
diag_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg(DIAG_ERROR, fmt, ap);
	va_end(ap);
}

void
diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg(DIAG_WARNING, fmt, ap);
	va_end(ap);
}

void
diag_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmsg(DIAG_NOTE, fmt, ap);
	va_end(ap);
}

void
diag_verbose(int level, const char *fmt, ...)
{
	va_list ap;

	if (!diag_shown(DIAG_VERBOSE, level))
		return;
	va_start(ap, fmt);
	diag_write(fmt, ap);
	va_end(ap);
}

void
diag_usage(const char *msg)
{
	diag_err("%s\nTry 'ipsweep --help' for more information.", msg);
}
