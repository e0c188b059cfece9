/* dns.h - reverse (PTR) lookups through c-ares, many in flight at once */
#ifndef IPSWEEP_DNS_H
#define IPSWEEP_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "tcp.h"

/* What one lookup found. */
enum dns_result {
	DNS_NOT_TRIED = 0,   /* stopped (a signal, the deadline) first */
	DNS_NAME,            /* a PTR name: TEXT holds it */
	DNS_NONE,            /* NXDOMAIN, or the name has no PTR record */
	DNS_FAILED           /* SERVFAIL, refused, timeout, no server, a
				bad answer: TEXT says which */
};

/*
 * dns_server_ok -- 1 when S is "a.b.c.d" or "a.b.c.d:PORT" (port 1-65535),
 * the form --dns-server takes
 */
int dns_server_ok(const char *s);

/*
 * dns_ptr -- look up the PTR name of each of the N addresses ADDRS (host
 * order), at most INFLIGHT at once, two tries per server (c-ares waits
 * TIMEOUT_MS for the first, twice that for the second), through SERVER (dns_server_ok form) or the
 * servers of /etc/resolv.conf when SERVER is NULL.  Stops early on STOP
 * (may be NULL).  RES[k] gets an enum dns_result, TEXT[k] (NULL or
 * malloc'd, the caller frees) the name or what failed.  Returns 0, or -1
 * with ERR when c-ares cannot even start (the caller then counts every
 * address as failed).
 */
int dns_ptr(const uint32_t *addrs, size_t n, const char *server,
    unsigned timeout_ms, unsigned inflight, const struct tcp_stop *stop,
    uint8_t *res, char **text, char *err, size_t errlen);

#endif
