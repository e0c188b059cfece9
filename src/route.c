/* route.c - longest-prefix match over the kernel's main routing table */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

#define ROUTE_RTF_GATEWAY 0x0002
#define ROUTE_RTF_REJECT  0x0200

/* route_swap -- /proc/net/route prints network-order words as native hex */
static uint32_t
route_swap(unsigned long v)
{
	uint32_t x = (uint32_t)v;
	uint8_t b[4];

	memcpy(b, &x, sizeof(b));
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/* route_contiguous -- 1 when MASK is 1s followed by 0s */
static int
route_contiguous(uint32_t mask)
{
	uint32_t inv = ~mask;

	return (inv & (inv + 1)) == 0;
}

int
route_parse(struct route_table *t, const char *buf, size_t len)
{
	size_t pos = 0, cap = 0;

	memset(t, 0, sizeof(*t));
	while (pos < len) {
		char line[512], ifname[64];
		unsigned long dst, gw, mask;
		unsigned flags;
		int refcnt, use, metric;
		size_t end = pos, l;

		while (end < len && buf[end] != '\n')
			end++;
		l = end - pos < sizeof(line) - 1 ? end - pos : sizeof(line) - 1;
		memcpy(line, buf + pos, l);
		line[l] = '\0';
		pos = end + 1;
		if (sscanf(line, "%63s %lx %lx %x %d %d %d %lx", ifname, &dst,
		    &gw, &flags, &refcnt, &use, &metric, &mask) != 8)
			continue;
		if (!route_contiguous(route_swap(mask)))
			continue;
		if (t->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct route_entry *ne = realloc(t->e,
			    ncap * sizeof(*ne));

			if (ne == NULL) {
				route_free(t);
				return -1;
			}
			t->e = ne;
			cap = ncap;
		}
		t->e[t->n].mask = route_swap(mask);
		t->e[t->n].dst = route_swap(dst) & t->e[t->n].mask;
		t->e[t->n].gateway = (flags & ROUTE_RTF_GATEWAY) != 0;
		t->e[t->n].reject = (flags & ROUTE_RTF_REJECT) != 0;
		snprintf(t->e[t->n].ifname, sizeof(t->e[t->n].ifname), "%.15s",
		    ifname);
		t->n++;
	}
	return 0;
}

int
route_load(struct route_table *t)
{
	FILE *f = fopen("/proc/net/route", "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	int rc;

	memset(t, 0, sizeof(*t));
	if (f == NULL)
		return -1;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (nb == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
			cap += 65536;
		}
		got = fread(buf + len, 1, cap - len, f);
		if (got == 0)
			break;
		len += got;
	}
	fclose(f);
	rc = route_parse(t, buf, len);
	free(buf);
	return rc;
}

void
route_free(struct route_table *t)
{
	free(t->e);
	t->e = NULL;
	t->n = 0;
}

const struct route_entry *
route_find(const struct route_table *t, uint32_t a)
{
	const struct route_entry *best = NULL;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct route_entry *r = &t->e[i];

		if ((a & r->mask) != r->dst)
			continue;
		if (best == NULL || r->mask > best->mask)
			best = r;
	}
	return best;
}

int
route_onlink(const struct route_table *t, uint32_t a)
{
	const struct route_entry *best = route_find(t, a);

	return best != NULL && !best->gateway && !best->reject;
}
