/* onlink.c - which targets sit on a connected subnet, and how to reach them */
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "onlink.h"
#include "route.h"

/* onlink_read_uint -- an unsigned number from a /proc file, or DEF */
static unsigned
onlink_read_uint(const char *path, unsigned def)
{
	FILE *f = fopen(path, "re");
	unsigned v;

	if (f == NULL)
		return def;
	if (fscanf(f, "%u", &v) != 1)
		v = def;
	fclose(f);
	return v;
}

/*
 * onlink_neigh_uint -- net.ipv4.neigh.NAME.KEY, else its default, else DEF
 */
static unsigned
onlink_neigh_uint(const char *name, const char *key, unsigned def)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/neigh/default/%s",
	    key);
	def = onlink_read_uint(path, def);
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/neigh/%s/%s", name,
	    key);
	return onlink_read_uint(path, def);
}

/*
 * onlink_resolve_ms -- how long the kernel asks ARP for an address on
 * interface NAME before it gives up: mcast_solicit broadcast requests and
 * app_solicit questions to a user-space daemon, retrans_time apart (that
 * interface's values), and half a second of margin for the timer and our
 * polling.
 */
static unsigned
onlink_resolve_ms(const char *name)
{
	unsigned solicit = onlink_neigh_uint(name, "mcast_solicit", 3) +
	    onlink_neigh_uint(name, "app_solicit", 0);

	return solicit * onlink_neigh_uint(name, "retrans_time_ms", 1000) +
	    500;
}

uint32_t
onlink_source(const struct ifaddrs *ifa, const char *name, uint32_t a)
{
	const struct ifaddrs *i;
	uint32_t first = 0, best = 0, best_mask = 0;
	int found = 0;

	for (i = ifa; i != NULL; i = i->ifa_next) {
		uint32_t ad, m;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    i->ifa_netmask == NULL || strcmp(i->ifa_name, name) != 0)
			continue;
		ad = ntohl(((const struct sockaddr_in *)i->ifa_addr)->
		    sin_addr.s_addr);
		m = ntohl(((const struct sockaddr_in *)i->ifa_netmask)->
		    sin_addr.s_addr);
		if (first == 0)
			first = ad;
		if ((ad & m) == (a & m) && (!found || m > best_mask)) {
			best = ad;
			best_mask = m;
			found = 1;
		}
	}
	return found ? best : first;
}

/*
 * onlink_iface -- the index in IFS of the entry for interface NAME and
 * our address there for target A (onlink_source), adding it (with the
 * ifindex and MAC from getifaddrs) when it is new.  One entry per
 * interface and subnet: an ARP request goes out with the sender address
 * of the subnet its target is on, since a host may ignore (and a filter
 * drop) a request from another subnet.  An interface without a 6-byte
 * link-layer address or without an IPv4 address gets ifindex 0: ARP is
 * not possible there.  Returns -1 when the table is full.
 */
static int
onlink_iface(const struct ifaddrs *ifa, const char *name, uint32_t a,
    struct probe_iface *ifs, char (*names)[16], size_t *n)
{
	const struct ifaddrs *i;
	struct probe_iface f;
	uint32_t src = onlink_source(ifa, name, a);
	size_t k;

	for (k = 0; k < *n; k++)
		if (strcmp(names[k], name) == 0 && ifs[k].addr == src)
			return (int)k;
	if (*n >= ONLINK_IFACES_MAX)
		return -1;
	memset(&f, 0, sizeof(f));
	for (i = ifa; i != NULL; i = i->ifa_next) {
		const struct sockaddr_ll *ll;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_PACKET ||
		    strcmp(i->ifa_name, name) != 0)
			continue;
		ll = (const struct sockaddr_ll *)i->ifa_addr;
		if (ll->sll_halen == 6) {
			f.ifindex = ll->sll_ifindex;
			memcpy(f.mac, ll->sll_addr, 6);
		}
	}
	f.addr = src;
	if (f.addr == 0)
		f.ifindex = 0;
	f.resolve_ms = onlink_resolve_ms(name);
	f.solicit = onlink_neigh_uint(name, "mcast_solicit", 3);
	f.retrans_ms = onlink_neigh_uint(name, "retrans_time_ms", 1000);
	ifs[*n] = f;
	snprintf(names[*n], 16, "%s", name);
	return (int)(*n)++;
}

/*
 * onlink_not_arp -- 1 when A must not be asked by ARP: an address of this
 * host (it answers no ARP of ours, but does echo), or the network or
 * broadcast address of one of our subnets (no host answers ARP for it,
 * and it must not come out free: ICMP to it fails with EACCES, unknown).
 */
static int
onlink_not_arp(const struct ifaddrs *ifa, uint32_t a)
{
	const struct ifaddrs *i;

	for (i = ifa; i != NULL; i = i->ifa_next) {
		uint32_t ad, m;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET)
			continue;
		ad = ntohl(((const struct sockaddr_in *)i->ifa_addr)->
		    sin_addr.s_addr);
		m = i->ifa_netmask == NULL ? 0xffffffffu : ntohl(
		    ((const struct sockaddr_in *)i->ifa_netmask)->
		    sin_addr.s_addr);
		if (ad == a)
			return 1;
		if (m < 0xfffffffeu && (a & m) == (ad & m) &&
		    ((a & ~m) == 0 || (a & ~m) == ~m))
			return 1;
	}
	return 0;
}

/*
 * onlink_mark -- mark the jobs that sit on a directly connected subnet
 * (1 + the index of their interface in PI->ifaces, which it fills) and
 * size the room for their first probes when the kernel resolves them: the
 * neighbour table holds gc_thresh3 entries, an unresolved one lives
 * mcast_solicit * retrans_time, and a probe to a new neighbour beyond that
 * is dropped without a word.  Returns NULL when no job is on-link.
 */
uint8_t *
onlink_mark(const uint32_t *addrs, size_t n, struct probe_icmp *pi,
    unsigned workers, struct probe_iface *ifs)
{
	char names[ONLINK_IFACES_MAX][16];
	struct route_table rt;
	struct ifaddrs *ifa = NULL;
	size_t j, count = 0, nifs = 0;
	unsigned thresh, solicit, retrans, room;
	uint8_t *on;

	if (route_load(&rt) < 0)
		return NULL;
	on = calloc(n ? n : 1, 1);
	if (on == NULL || getifaddrs(&ifa) < 0) {
		free(on);
		route_free(&rt);
		return NULL;
	}
	for (j = 0; j < n; j++) {
		const struct route_entry *r = route_find(&rt, addrs[j]);
		int k;

		if (r == NULL || r->gateway || r->reject ||
		    onlink_not_arp(ifa, addrs[j]))
			continue;
		k = onlink_iface(ifa, r->ifname, addrs[j], ifs, names, &nifs);
		/* past the table: still on-link, resolved by the kernel */
		on[j] = (uint8_t)(k < 0 ? ONLINK_IFACES_MAX + 1 : k + 1);
		count++;
	}
	freeifaddrs(ifa);
	route_free(&rt);
	/* the last slot, for targets past the table: no ARP (ifindex 0) */
	memset(&ifs[ONLINK_IFACES_MAX], 0, sizeof(ifs[0]));
	pi->ifaces = ifs;
	thresh = onlink_read_uint("/proc/sys/net/ipv4/neigh/default/gc_thresh3",
	    1024);
	solicit = onlink_read_uint(
	    "/proc/sys/net/ipv4/neigh/default/mcast_solicit", 3);
	retrans = onlink_read_uint(
	    "/proc/sys/net/ipv4/neigh/default/retrans_time_ms", 1000);
	/* Measured: 896 of 1024 in flight lost nothing, 1000 hit ENOBUFS. */
	room = thresh > 256 ? thresh - 128 : thresh / 2;
	pi->onlink_max = room / workers ? room / workers : 1;
	pi->onlink_hold_ms = solicit * retrans + 500;
	if (count == 0) {
		free(on);
		return NULL;
	}
	return on;
}

