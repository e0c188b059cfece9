/* escape.c - untrusted bytes made safe for messages */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

const char *
escape_quote(char *dst, size_t dstlen, const char *s, size_t len, size_t max)
{
	size_t i, o = 0;

	if (dstlen == 0)
		return dst;
	for (i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o + 5 >= dstlen)
			break;
		if (c >= 0x20 && c < 0x7f && c != '\\')
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, dstlen - o, "\\x%02x",
			    c);
	}
	if (i < len && o + 4 < dstlen) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

void
escape_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
escape_vlineerr(char *err, size_t errlen, const char *path, unsigned line,
    const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	escape_err(err, errlen, "%s:%u: %s", path, line, msg);
	return -1;
}
