/* neigh.c - the kernel's IPv4 neighbour table: dump, parse, look up */
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "neigh.h"

#define NEIGH_AGE_NS (100 * 1000000ull)

void
neigh_init(struct neigh *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

void
neigh_free(struct neigh *t)
{
	if (t->fd >= 0)
		close(t->fd);
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
	size_t left = len;

	for (nh = buf; NLMSG_OK(nh, left); nh = NLMSG_NEXT(nh, left)) {
		const struct ndmsg *nd = NLMSG_DATA(nh);
		const struct rtattr *rta;
		int rlen, lladdr = 0, have_dst = 0;
		uint32_t dst = 0;

		if (nh->nlmsg_seq != seq)
			continue;
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == NLMSG_ERROR)
			return -1;
		if (nh->nlmsg_type != RTM_NEWNEIGH ||
		    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)) ||
		    nd->ndm_family != AF_INET)
			continue;
		rlen = (int)RTM_PAYLOAD(nh);
		for (rta = RTM_RTA(nd); RTA_OK(rta, rlen);
		    rta = RTA_NEXT(rta, rlen)) {
			if (rta->rta_type == NDA_DST &&
			    RTA_PAYLOAD(rta) == 4) {
				memcpy(&dst, RTA_DATA(rta), 4);
				have_dst = 1;
			} else if (rta->rta_type == NDA_LLADDR &&
			    RTA_PAYLOAD(rta) > 0)
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

int
neigh_load(struct neigh *t)
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
	} req;
	union {
		struct nlmsghdr align;
		char buf[16384];
	} u;
	int rc = 0;

	if (t->fd < 0)
		t->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_ROUTE);
	if (t->fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNEIGH;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = ++t->seq;
	req.nd.ndm_family = AF_INET;
	if (send(t->fd, &req, sizeof(req), 0) < 0)
		return -1;
	t->n = 0;
	while (rc == 0) {
		ssize_t got = recv(t->fd, u.buf, sizeof(u.buf), 0);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		rc = neigh_parse(t, u.buf, (size_t)got, t->seq);
	}
	if (rc < 0)
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
