/* escape.h - show untrusted bytes in messages without harming the terminal */
#ifndef IPSWEEP_ESCAPE_H
#define IPSWEEP_ESCAPE_H

#include <stdarg.h>
#include <stddef.h>

/*
 * escape_quote -- copy LEN bytes of S into DST (DSTLEN bytes, NUL
 * terminated) for a message: printable ASCII as is, every other byte and
 * the backslash as \xNN, so that a NUL or an escape sequence in a file or
 * an argument cannot cut or rewrite the user's terminal line.  Input beyond
 * MAX bytes, or beyond what DST holds, is cut and marked with "...".
 * Returns DST.
 */
const char *escape_quote(char *dst, size_t dstlen, const char *s, size_t len,
    size_t max);

/*
 * escape_err -- one formatted line into the caller's error buffer ERR (the
 * modules' way to explain a -1), if it gave one.
 */
void escape_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * escape_vlineerr -- a parse error of a file: "PATH:LINE: " and FMT with
 * AP into ERR (if given); the caller quotes untrusted bytes with
 * escape_quote first.  Returns -1, the parsers' error value.
 */
int escape_vlineerr(char *err, size_t errlen, const char *path,
    unsigned line, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

#endif
