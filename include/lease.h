/* lease.h - DHCP lease files: ISC dhcpd, Kea memfile CSV and dnsmasq */
#ifndef IPSWEEP_LEASE_H
#define IPSWEEP_LEASE_H

#include <stddef.h>
#include <stdint.h>

enum lease_format {
	LEASE_AUTO = 0,   /* lease_detect() decides */
	LEASE_ISC,        /* dhcpd.leases(5) */
	LEASE_KEA,        /* Kea's memfile CSV, kea-leases4.csv */
	LEASE_DNSMASQ,    /* dnsmasq's dnsmasq.leases */
	LEASE_FORMAT_MAX
};

/* A lease that never ends (ISC "ends never", dnsmasq expiry 0, Kea's
   infinite valid lifetime). */
#define LEASE_FOREVER INT64_MAX
/*
 * How long after its end a lease still holds its address back: a client
 * that was away a little too long may come back and ask for it again,
 * and a server that reclaims lazily may still think it bound.
 */
#define LEASE_GRACE_S 3600
/* Room for a hostname or a MAC address, with its NUL; longer ones are cut. */
#define LEASE_TEXT_MAX 64

struct lease {
	uint32_t addr;               /* host order */
	int64_t ends;                /* UTC, seconds since the epoch, or
					LEASE_FOREVER */
	int held;                    /* 1: its state holds the address
					(active, abandoned, declined, ...);
					0: free, released, reclaimed */
	unsigned line;               /* where it starts in the file */
	char host[LEASE_TEXT_MAX];   /* client hostname, printable, or "" */
	char mac[LEASE_TEXT_MAX];    /* hardware address, or "" */
};

struct lease_list {
	struct lease *v;             /* owned; ascending address, one each */
	size_t n;
	size_t cap;
	unsigned format;             /* what was parsed (never LEASE_AUTO) */
};

/* lease_format_name -- "auto", "isc", "kea", "dnsmasq"; "?" otherwise */
const char *lease_format_name(unsigned format);

/* lease_format_parse -- the enum lease_format of LEN bytes of S, or -1 */
int lease_format_parse(const char *s, size_t len);

/*
 * lease_detect -- the format of the lease file BUF (LEN bytes): Kea's has
 * a header line "address,...", dnsmasq's lines start with an expiry time
 * in decimal, ISC's has comments, "lease" blocks or its other statements.
 * Returns an enum lease_format, LEASE_AUTO for an empty file (no lease in
 * any format), or -1 when it is none of them.
 */
int lease_detect(const char *buf, size_t len);

/*
 * lease_parse -- the leases of BUF (LEN bytes, not NUL-terminated, may
 * hold any byte) in FORMAT (LEASE_AUTO: lease_detect) into OUT, which it
 * initialises.  Strict about structure (unbalanced blocks, a truncated
 * lease, a bad address or time, a CSV row of the wrong width are errors),
 * forgiving about what it skips (statements and columns it does not use,
 * IPv6 leases).  When an address appears more than once, its last entry
 * wins: ISC and Kea append a new entry for every change.  No syscalls.
 * Returns 0, or -1 with "PATH:LINE: problem" in ERR (OUT then empty).
 */
int lease_parse(struct lease_list *out, unsigned format, const char *path,
    const char *buf, size_t len, char *err, size_t errlen);

void lease_free(struct lease_list *l);

/*
 * lease_active -- 1 when L holds its address at NOW (seconds since the
 * epoch): its state holds it and it ends after NOW - GRACE_S
 */
int lease_active(const struct lease *l, int64_t now, int64_t grace_s);

/*
 * lease_timegm -- seconds since the epoch of the UTC date and time, or -1
 * when a field is out of range (month 1-12, day 1-length of the month,
 * hour 0-23, minute 0-59, second 0-60, year 1970-9999).  Pure: no TZ.
 */
int64_t lease_timegm(int year, int mon, int day, int hour, int min, int sec);

#endif
