/* neigh.c - the kernel's IPv4 neighbour table: dump, parse, look up */
#include <errno.h>
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
#ifdef IPSWEEP_TEST_HOOKS
	if (getenv("IPSWEEP_TEST_NEIGH_SKIP") != NULL)
		t->skip_every = (unsigned)atoi(getenv("IPSWEEP_TEST_NEIGH_SKIP"));
#endif
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

/*
 * neigh_msg -- the address and enum neigh_state of one RTM_NEWNEIGH
 * message NH of the IPv4 family: 1, or 0 when it is none or names no
 * address.
 */
static int
neigh_msg(const struct nlmsghdr *nh, uint32_t *a, unsigned *state)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nh);
	const struct nlattr *attr;
	int lladdr = 0, have_dst = 0;
	uint32_t dst = 0;

	if (nh->nlmsg_type != RTM_NEWNEIGH ||
	    mnl_nlmsg_get_payload_len(nh) < sizeof(*nd) ||
	    nd->ndm_family != AF_INET)
		return 0;
	mnl_attr_for_each(attr, nh, sizeof(*nd)) {
		if (mnl_attr_get_type(attr) == NDA_DST &&
		    mnl_attr_get_payload_len(attr) == 4) {
			memcpy(&dst, mnl_attr_get_payload(attr), 4);
			have_dst = 1;
		} else if (mnl_attr_get_type(attr) == NDA_LLADDR &&
		    mnl_attr_get_payload_len(attr) > 0)
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
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (nh = buf; mnl_nlmsg_ok(nh, left);
	    nh = mnl_nlmsg_next(nh, &left)) {
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

/* neigh_parse_cb -- neigh_parse for nlsock_ask */
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
	if (nlsock_ask(t->nl, nh, neigh_parse_cb, t) < 0)
		return -1;
	neigh_sort(t);
	return 0;
}

/* What neigh_get's request for one address came back with. */
struct neigh_ask {
	uint32_t a;
	unsigned state;     /* enum neigh_state */
	int unsupported;    /* the kernel does not know the request */
};

/* neigh_get_parse -- the answer to neigh_get's request, for nlsock_ask */
static int
neigh_get_parse(void *arg, const void *buf, size_t len, uint32_t seq)
{
	struct neigh_ask *q = arg;
	const struct nlmsghdr *nh;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (nh = buf; mnl_nlmsg_ok(nh, left); nh = mnl_nlmsg_next(nh, &left)) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nh);
		uint32_t a;

		if (nh->nlmsg_seq != seq)
			continue;
		q->state = NEIGH_UNREADABLE;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			if (mnl_nlmsg_get_payload_len(nh) < sizeof(*e))
				return 1;
			if (e->error == -ENOENT)
				q->state = NEIGH_NONE;
			else if (e->error == -EOPNOTSUPP ||
			    e->error == -EINVAL)
				q->unsupported = 1;
		} else if (!neigh_msg(nh, &a, &q->state) || a != q->a)
			q->state = NEIGH_UNREADABLE;
		return 1;
	}
	return 0;
}

/*
 * neigh_get -- what the kernel says of A on interface IFINDEX, asked for
 * that one address (RTM_GETNEIGH without NLM_F_DUMP, Linux 4.19 and
 * later).  Returns an enum neigh_state; NEIGH_UNREADABLE when it cannot
 * be asked (1 in *UNSUPPORTED when the kernel does not know the request).
 */
static unsigned
neigh_get(struct neigh *t, uint32_t a, int ifindex, int *unsupported)
{
	union {
		struct nlmsghdr align;
		char buf[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ndmsg)) +
		    MNL_ATTR_HDRLEN + sizeof(uint32_t)];
	} u;
	struct neigh_ask q = { a, NEIGH_UNREADABLE, 0 };
	struct nlmsghdr *req = mnl_nlmsg_put_header(u.buf);
	struct ndmsg *nd;

	req->nlmsg_type = RTM_GETNEIGH;
	req->nlmsg_flags = NLM_F_REQUEST;
	req->nlmsg_seq = ++t->seq;
	nd = mnl_nlmsg_put_extra_header(req, sizeof(*nd));
	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = ifindex;
	mnl_attr_put_u32(req, NDA_DST, htonl(a));
	if (nlsock_ask(t->nl, req, neigh_get_parse, &q) < 0)
		return NEIGH_UNREADABLE;
	*unsupported = q.unsupported;
	return q.state;
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
