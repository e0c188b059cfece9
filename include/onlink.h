/* onlink.h - which targets sit on a connected subnet, and how to reach them */
#ifndef IPSWEEP_ONLINK_H
#define IPSWEEP_ONLINK_H

#include <stddef.h>
#include <stdint.h>

#include "probe_icmp.h"

/* Interfaces that on-link targets may sit behind (one more slot: none). */
#define ONLINK_IFACES_MAX 32

struct ifaddrs;

/*
 * onlink_source -- our IPv4 address on interface NAME (in the list IFA,
 * from getifaddrs) to ask ARP about A from: the one whose subnet holds A,
 * the longest prefix winning; when none does (A is on-link through a
 * route of its own), the interface's first address; 0 when it has none.
 * Pure.
 */
uint32_t onlink_source(const struct ifaddrs *ifa, const char *name,
    uint32_t a);

/*
 * onlink_mark -- for the N addresses of ADDRS, the job -> 1 + interface
 * index map of those the kernel reaches without a gateway, by its policy
 * rules and every table (0: routed, or never to be asked by ARP), with the interfaces in IFS (ONLINK_IFACES_MAX + 1
 * entries, one per interface and subnet of ours) and PI's ifaces,
 * onlink_max and onlink_hold_ms set for WORKERS workers.  Returns the map
 * (the caller frees it), or NULL when no address is on-link or the
 * kernel cannot be asked (netlink).
 */
uint8_t *onlink_mark(const uint32_t *addrs, size_t n, struct probe_icmp *pi,
    unsigned workers, struct probe_iface *ifs);

#endif
