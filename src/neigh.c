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
#ifdef IPSWEEP_TEST_HOOKS
	if (getenv("IPSWEEP_TEST_NEIGH_SKIP") != NULL)
		t->skip_every = (unsigned)atoi(getenv("IPSWEEP_TEST_NEIGH_SKIP"));
#endif
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

/*
 * neigh_msg -- the address and enum neigh_state of one RTM_NEWNEIGH
 * message NH of the IPv4 family: 1, or 0 when it is none or names no
 * address.
 */
static int
neigh_msg(const struct nlmsghdr *nh, uint32_t *a, unsigned *state)
{
	const struct ndmsg *nd = NLMSG_DATA(nh);
	const struct rtattr *rta;
	int rlen, lladdr = 0, have_dst = 0;
	uint32_t dst = 0;

	if (nh->nlmsg_type != RTM_NEWNEIGH ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)) ||
	    nd->ndm_family != AF_INET)
		return 0;
	rlen = (int)RTM_PAYLOAD(nh);
	for (rta = RTM_RTA(nd); RTA_OK(rta, rlen); rta = RTA_NEXT(rta, rlen)) {
		if (rta->rta_type == NDA_DST && RTA_PAYLOAD(rta) == 4) {
			memcpy(&dst, RTA_DATA(rta), 4);
			have_dst = 1;
		} else if (rta->rta_type == NDA_LLADDR && RTA_PAYLOAD(rta) > 0)
			lladdr = 1;
	}
	if (!have_dst)
		return 0;
	*a = ntohl(dst);
	*state = neigh_classify(nd->ndm_state, lladdr);
	return 1;
}

int
neigh_parse(struct neigh *t, const void *buf, size_t len, uint32_t seq)
{
	const struct nlmsghdr *nh;
	size_t left = len;

	for (nh = buf; NLMSG_OK(nh, left); nh = NLMSG_NEXT(nh, left)) {
		uint32_t a;
		unsigned state;

		if (nh->nlmsg_seq != seq)
			continue;
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == NLMSG_ERROR)
			return -1;
		if (!neigh_msg(nh, &a, &state))
			continue;
#ifdef IPSWEEP_TEST_HOOKS
		/* IPSWEEP_TEST_NEIGH_SKIP=K: every Kth entry of a dump goes
		   missing, as when entries are removed while it is read */
		if (t->skip_every > 0 && ++t->skipped % t->skip_every == 0)
			continue;
#endif
		if (neigh_add(t, a, state) < 0)
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

/*
 * neigh_get -- what the kernel says of A on interface IFINDEX, asked for
 * that one address (RTM_GETNEIGH without NLM_F_DUMP, Linux 4.19 and
 * later).  Returns an enum neigh_state; NEIGH_UNREADABLE when it cannot
 * be asked (-1 in *UNSUPPORTED when the kernel does not know the request).
 */
static unsigned
neigh_get(struct neigh *t, uint32_t a, int ifindex, int *unsupported)
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
		struct rtattr rta;
		uint32_t dst;
	} req;
	union {
		struct nlmsghdr align;
		char buf[4096];
	} u;
	const struct nlmsghdr *nh;
	ssize_t got;
	size_t left;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNEIGH;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = ++t->seq;
	req.nd.ndm_family = AF_INET;
	req.nd.ndm_ifindex = ifindex;
	req.rta.rta_type = NDA_DST;
	req.rta.rta_len = RTA_LENGTH(sizeof(req.dst));
	req.dst = htonl(a);
	if (send(t->fd, &req, sizeof(req), 0) < 0)
		return NEIGH_UNREADABLE;
	for (;;) {
		got = recv(t->fd, u.buf, sizeof(u.buf), 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return NEIGH_UNREADABLE;
		left = (size_t)got;
		for (nh = &u.align; NLMSG_OK(nh, left);
		    nh = NLMSG_NEXT(nh, left)) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);
			uint32_t got_a;
			unsigned state;

			if (nh->nlmsg_seq != t->seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return NEIGH_UNREADABLE;
				if (e->error == -ENOENT)
					return NEIGH_NONE;
				if (e->error == -EOPNOTSUPP ||
				    e->error == -EINVAL)
					*unsupported = 1;
				return NEIGH_UNREADABLE;
			}
			if (neigh_msg(nh, &got_a, &state) && got_a == a)
				return state;
			return NEIGH_UNREADABLE;
		}
	}
}

unsigned
neigh_state(struct neigh *t, uint32_t a, int ifindex, uint64_t now,
    uint64_t since)
{
	unsigned state;
	int unsupported = 0;

	if (t->read_ns == 0 || now - t->read_ns > NEIGH_AGE_NS ||
	    t->read_ns <= since) {
		if (neigh_load(t) < 0) {
			t->read_ns = 0;
			return NEIGH_UNREADABLE;
		}
		t->read_ns = now;
	}
	state = neigh_lookup(t, a);
	if (state != NEIGH_NONE || t->no_get || ifindex <= 0)
		return state;
	/*
	 * A dump of a table that changes while it is read (entries garbage
	 * collected, the hash table grown) can miss an entry, and "no entry"
	 * decides things: ask for this one address.
	 */
	state = neigh_get(t, a, ifindex, &unsupported);
	if (unsupported) {
		t->no_get = 1;   /* an old kernel: the dump's word stands */
		return NEIGH_NONE;
	}
	return state;
}
