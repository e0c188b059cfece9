/* duration.c - parse and print spans of time such as 30d, 12h, 90m */
#include <stdio.h>

#include "duration.h"

/* duration_unit -- the seconds of unit letter C, or 0 for no unit */
static uint64_t
duration_unit(char c)
{
	switch (c) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 3600;
	case 'd':
		return 86400;
	case 'w':
		return 7 * 86400;
	default:
		return 0;
	}
}

int
duration_parse(const char *s, size_t len, uint64_t *out)
{
	uint64_t total = 0;
	size_t i = 0;

	if (len == 0)
		return -1;
	while (i < len) {
		uint64_t v = 0, unit;
		size_t start = i;

		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			v = v * 10 + (uint64_t)(s[i] - '0');
			if (v > DURATION_MAX_S)
				return -1;
		}
		if (i == start || i == len ||
		    (unit = duration_unit(s[i])) == 0)
			return -1;
		i++;
		if (v > DURATION_MAX_S / unit)
			return -1;
		total += v * unit;
		if (total > DURATION_MAX_S)
			return -1;
	}
	if (total == 0)
		return -1;
	*out = total;
	return 0;
}

const char *
duration_format(uint64_t secs, char *buf, size_t len)
{
	static const struct {
		char c;
		uint64_t s;
	} units[] = { {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1} };
	size_t i, off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (secs == 0) {
		snprintf(buf, len, "0s");
		return buf;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]) && off < len; i++) {
		if (secs / units[i].s == 0)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%llu%c",
		    (unsigned long long)(secs / units[i].s), units[i].c);
		secs %= units[i].s;
	}
	return buf;
}
