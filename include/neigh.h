/* neigh.h - the kernel's IPv4 neighbour (ARP) table, read over netlink */
#ifndef IPSWEEP_NEIGH_H
#define IPSWEEP_NEIGH_H

#include <stddef.h>
#include <stdint.h>

/* What the table says of one address. */
enum neigh_state {
	NEIGH_NONE = 0,      /* no entry at all */
	NEIGH_INCOMPLETE,    /* the kernel is asking ARP (or about to) */
	NEIGH_FAILED,        /* the kernel asked and got no answer */
	NEIGH_LLADDR,        /* it has a link-layer address: it answered ARP
				lately (REACHABLE, STALE, DELAY, PROBE) or is
				PERMANENT */
	NEIGH_OTHER,         /* an entry that says nothing either way
				(NOARP: the interface does not use ARP) */
	NEIGH_UNREADABLE     /* the table could not be read */
};

struct neigh_entry {
	uint32_t addr;       /* host order */
	uint8_t state;       /* enum neigh_state */
};

/* A snapshot of the table; zeroed with fd -1 is empty and unopened. */
struct neigh {
	int fd;                   /* NETLINK_ROUTE socket, -1 until needed */
	uint32_t seq;
	struct neigh_entry *e;    /* sorted by addr after a load */
	size_t n, cap;
	uint64_t read_ns;         /* when it was read, 0: never */
	int no_get;               /* the kernel answers no single-address
				     RTM_GETNEIGH (before Linux 4.19) */
	unsigned skip_every;      /* test hook: every Kth dump entry lost */
	unsigned skipped;
};

/* neigh_init -- an empty table that opens its socket on first use */
void neigh_init(struct neigh *t);

/* neigh_free -- close the socket and free the entries */
void neigh_free(struct neigh *t);

/*
 * neigh_classify -- the enum neigh_state of an entry in state NDM_STATE
 * (NUD_* bits), HAS_LLADDR when it carried a link-layer address.  Pure.
 */
unsigned neigh_classify(unsigned ndm_state, int has_lladdr);

/*
 * neigh_parse -- add the IPv4 entries of the netlink messages in LEN
 * bytes of BUF that answer request SEQ.  Returns 1 when the dump is
 * complete (NLMSG_DONE), 0 when more is to come, -1 for an error message
 * or ENOMEM.  Pure; the entries are not sorted yet.
 */
int neigh_parse(struct neigh *t, const void *buf, size_t len, uint32_t seq);

/* neigh_sort -- sort the entries for neigh_lookup */
void neigh_sort(struct neigh *t);

/* neigh_lookup -- the state of A in a sorted table (NEIGH_NONE if absent) */
unsigned neigh_lookup(const struct neigh *t, uint32_t a);

/*
 * neigh_load -- read the whole table again (an RTM_GETNEIGH dump).
 * Returns 0, or -1 when it cannot be read.
 */
int neigh_load(struct neigh *t);

/*
 * neigh_state -- the state of A (on interface IFINDEX), from a table read
 * at NOW unless the one held was read less than 100 ms ago and after SINCE
 * (so that a caller who just sent a probe sees what that probe did).  "No
 * entry" is confirmed by asking the kernel for A alone, since a dump can
 * miss an entry that existed all along.  Returns an enum neigh_state,
 * NEIGH_UNREADABLE when the table cannot be read.
 */
unsigned neigh_state(struct neigh *t, uint32_t a, int ifindex, uint64_t now,
    uint64_t since);

#endif
