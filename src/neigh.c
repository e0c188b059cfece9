/* neigh.c - the kernel's IPv4 neighbour table: dump, parse, look up */
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "neigh.h"
#include "nlsock.h"

#define NEIGH_AGE_NS (100 * 1000000ull)

void
neigh_init(struct neigh *t)
{
	memset(t, 0, sizeof(*t));
	t->nl = NULL;
}

void
neigh_free(struct neigh *t)
{
	if (t->nl != NULL)
		mnl_socket_close(t->nl);
	free(t->e);
	neigh_init(t);
}

/*
 * neigh_classify -- a link-layer address counts only in the states where
 * the kernel keeps a confirmed one (a FAILED entry may still carry the
 * address it had before).  NUD_NONE is an entry created for a packet
 * whose resolution has not started yet: it is treated as INCOMPLETE.
 */
unsigned
neigh_classify(unsigned ndm_state, int has_lladdr)
{
	if (ndm_state & NUD_PERMANENT)
		return NEIGH_LLADDR;
	if (has_lladdr && (ndm_state & (NUD_REACHABLE | NUD_STALE |
	    NUD_DELAY | NUD_PROBE)))
		return NEIGH_LLADDR;
	if (ndm_state & NUD_INCOMPLETE)
		return NEIGH_INCOMPLETE;
	if (ndm_state & NUD_FAILED)
		return NEIGH_FAILED;
	if (ndm_state == NUD_NONE)
		return NEIGH_INCOMPLETE;
	return NEIGH_OTHER;
}

/* neigh_add -- append A in STATE; -1 on ENOMEM */
static int
neigh_add(struct neigh *t, uint32_t a, unsigned state)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct neigh_entry *p = realloc(t->e, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		t->e = p;
		t->cap = cap;
	}
	t->e[t->n].addr = a;
	t->e[t->n].state = (uint8_t)state;
	t->n++;
	return 0;
}

int
neigh_parse(struct neigh *t, const void *buf, size_t len, uint32_t seq)
{
	const struct nlmsghdr *nh;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (nh = buf; mnl_nlmsg_ok(nh, left);
	    nh = mnl_nlmsg_next(nh, &left)) {
		const struct ndmsg *nd = mnl_nlmsg_get_payload(nh);
		const struct nlattr *attr;
		int lladdr = 0, have_dst = 0;
		uint32_t dst = 0;

		if (nh->nlmsg_seq != seq)
			continue;
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == NLMSG_ERROR)
			return -1;
		if (nh->nlmsg_type != RTM_NEWNEIGH ||
		    mnl_nlmsg_get_payload_len(nh) < sizeof(*nd) ||
		    nd->ndm_family != AF_INET)
			continue;
		mnl_attr_for_each(attr, nh, sizeof(*nd)) {
			if (mnl_attr_get_type(attr) == NDA_DST &&
			    mnl_attr_get_payload_len(attr) == 4) {
				memcpy(&dst, mnl_attr_get_payload(attr), 4);
				have_dst = 1;
			} else if (mnl_attr_get_type(attr) == NDA_LLADDR &&
			    mnl_attr_get_payload_len(attr) > 0)
				lladdr = 1;
		}
		if (have_dst && neigh_add(t, ntohl(dst),
		    neigh_classify(nd->ndm_state, lladdr)) < 0)
			return -1;
	}
	return 0;
}

static int
neigh_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct neigh_entry *)a)->addr;
	uint32_t y = ((const struct neigh_entry *)b)->addr;

	return x < y ? -1 : x > y;
}

void
neigh_sort(struct neigh *t)
{
	if (t->n > 1)
		qsort(t->e, t->n, sizeof(*t->e), neigh_cmp);
}

unsigned
neigh_lookup(const struct neigh *t, uint32_t a)
{
	struct neigh_entry key;
	const struct neigh_entry *e;

	if (t->n == 0)
		return NEIGH_NONE;
	key.addr = a;
	e = bsearch(&key, t->e, t->n, sizeof(key), neigh_cmp);
	return e == NULL ? NEIGH_NONE : e->state;
}

/* neigh_parse_cb -- neigh_parse for nlsock_dump */
static int
neigh_parse_cb(void *t, const void *buf, size_t len, uint32_t seq)
{
	return neigh_parse(t, buf, len, seq);
}

int
neigh_load(struct neigh *t)
{
	union {
		struct nlmsghdr align;
		char buf[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ndmsg))];
	} u;
	struct nlmsghdr *nh;
	struct ndmsg *nd;

	if (t->nl == NULL)
		t->nl = nlsock_open();
	if (t->nl == NULL)
		return -1;
	nh = mnl_nlmsg_put_header(u.buf);
	nh->nlmsg_type = RTM_GETNEIGH;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh->nlmsg_seq = ++t->seq;
	nd = mnl_nlmsg_put_extra_header(nh, sizeof(*nd));
	nd->ndm_family = AF_INET;
	t->n = 0;
	if (nlsock_dump(t->nl, nh, neigh_parse_cb, t) < 0)
		return -1;
	neigh_sort(t);
	return 0;
}

unsigned
neigh_state(struct neigh *t, uint32_t a, uint64_t now, uint64_t since)
{
	if (t->read_ns == 0 || now - t->read_ns > NEIGH_AGE_NS ||
	    t->read_ns <= since) {
		if (neigh_load(t) < 0) {
			t->read_ns = 0;
			return NEIGH_UNREADABLE;
		}
		t->read_ns = now;
	}
	return neigh_lookup(t, a);
}
