/* addr.h - strict IPv4 dotted-quad parsing and formatting */
#ifndef IPSWEEP_ADDR_H
#define IPSWEEP_ADDR_H

#include <stddef.h>
#include <stdint.h>

/* "255.255.255.255" plus the terminating NUL */
#define ADDR_STRLEN 16

/*
 * addr_parse -- parse exactly LEN bytes of S as a dotted quad.
 * Four decimal octets 0-255, no leading zeros ("0" itself is fine), no sign,
 * no blanks, nothing before or after.  Octal, hex and short forms that
 * inet_aton(3) accepts are refused.  Stores the address in host byte order.
 * Returns 0, or -1 when S is not such an address.
 */
int addr_parse(const char *s, size_t len, uint32_t *out);

/*
 * addr_index -- the index of A in the N ascending addresses ADDRS, or -1
 * when it is not among them.  Pure.
 */
long addr_index(const uint32_t *addrs, size_t n, uint32_t a);

/* addr_format -- write A (host order) as a dotted quad into BUF; returns BUF */
char *addr_format(uint32_t a, char buf[ADDR_STRLEN]);

/*
 * addr_special -- why A is never probed, or NULL when it may be.
 * Policy (ipsweep(1), ADDRESSES): 0.0.0.0/8 "this network",
 * 224.0.0.0/4 "multicast", 240.0.0.0/4 "reserved" (this includes the
 * limited broadcast 255.255.255.255).  127.0.0.0/8 is probed.
 */
const char *addr_special(uint32_t a);

#endif
