/* ipamcsv.h - IPAM exports (NetBox, phpIPAM) as CSV: documented addresses */
#ifndef IPSWEEP_IPAMCSV_H
#define IPSWEEP_IPAMCSV_H

#include <stddef.h>
#include <stdint.h>

/* Room for a name or a status, with its NUL; longer ones are cut. */
#define IPAMCSV_TEXT_MAX 64
/* The most columns a row may have. */
#define IPAMCSV_COLS_MAX 128

struct ipamcsv_entry {
	uint32_t addr;                  /* host order */
	unsigned line;                  /* where its row starts */
	char name[IPAMCSV_TEXT_MAX];    /* DNS name, hostname, name or
					   description; printable, or "" */
	char status[IPAMCSV_TEXT_MAX];  /* as written, or "" */
};

struct ipamcsv_list {
	struct ipamcsv_entry *v;        /* owned, in file order */
	size_t n;
	size_t cap;
};

/*
 * ipamcsv_status_free -- 1 when the status word S (LEN bytes) lets an
 * address be free: "free", "available" or "deprecated", in any case.
 * Anything else, an empty status too, documents it as in use.
 */
int ipamcsv_status_free(const char *s, size_t len);

/*
 * ipamcsv_parse -- the documented IPv4 addresses of the CSV export BUF
 * (LEN bytes; RFC 4180: quoted fields, "" inside them, CRLF or LF, an
 * optional UTF-8 byte order mark) into OUT, which it initialises: only
 * those whose status does not let them be free.  The header names the
 * columns, in any case:
 *   address  "address", "ip address", "ip_address", "ip_addr", "ip",
 *            "ipaddress": a.b.c.d, optionally with "/len"
 *   status   "status" or "state"
 *   name     "dns name", "dns_name", "hostname", "host name", "name",
 *            "description": the first of these a row fills
 * Every row must be as wide as the header; IPv6 rows are skipped.  No
 * syscalls.  Returns 0, or -1 with "PATH:LINE: problem" in ERR.
 */
int ipamcsv_parse(struct ipamcsv_list *out, const char *path,
    const char *buf, size_t len, char *err, size_t errlen);

void ipamcsv_free(struct ipamcsv_list *l);

#endif
