/* addr.c - strict IPv4 dotted-quad parsing and formatting */
#include <stdio.h>

#include "addr.h"

/*
 * addr_parse -- four octets of one to three decimal digits, separated by
 * single dots.  A leading zero is refused ("010" is octal to inet_aton), as
 * is anything that is not a digit or a dot: a NUL inside LEN, blanks, signs,
 * "0x".  Stores nothing on failure.
 */
int
addr_parse(const char *s, size_t len, uint32_t *out)
{
	uint32_t a = 0;
	size_t i = 0;
	int octet;

	if (s == NULL)
		return -1;
	for (octet = 0; octet < 4; octet++) {
		unsigned v = 0;
		size_t start = i;

		if (octet > 0) {
			if (i >= len || s[i] != '.')
				return -1;
			start = ++i;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (i - start == 3)
				return -1;
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		if (i == start || v > 255)
			return -1;
		if (s[start] == '0' && i - start > 1)
			return -1;
		a = a << 8 | v;
	}
	if (i != len)
		return -1;
	*out = a;
	return 0;
}

char *
addr_format(uint32_t a, char buf[ADDR_STRLEN])
{
	char *p = buf;
	int shift;

	/* by hand: a /12's output is a million of these (snprintf: 0.2 s) */
	for (shift = 24; shift >= 0; shift -= 8) {
		unsigned o = a >> shift & 0xff;

		if (o >= 100)
			*p++ = (char)('0' + o / 100);
		if (o >= 10)
			*p++ = (char)('0' + o / 10 % 10);
		*p++ = (char)('0' + o % 10);
		*p++ = shift > 0 ? '.' : '\0';
	}
	return buf;
}

/*
 * addr_special -- the blocks ipsweep(1) never probes: nothing can answer
 * for 0/8, and a probe to multicast or 240/4 (which holds the limited
 * broadcast) either fails with EACCES or draws replies from other hosts.
 */
const char *
addr_special(uint32_t a)
{
	if (a >> 24 == 0)
		return "this network";
	if (a >> 28 == 0xe)
		return "multicast";
	if (a >> 28 == 0xf)
		return "reserved";
	return NULL;
}

long
addr_index(const uint32_t *addrs, size_t n, uint32_t a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addrs[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && addrs[lo] == a ? (long)lo : -1;
}
