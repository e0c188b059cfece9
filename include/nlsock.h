/* nlsock.h - a NETLINK_ROUTE socket and its requests, through libmnl */
#ifndef IPSWEEP_NLSOCK_H
#define IPSWEEP_NLSOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mnl_socket;
struct nlmsghdr;

/* nlsock_open -- a bound NETLINK_ROUTE socket (close-on-exec), or NULL */
struct mnl_socket *nlsock_open(void);

/*
 * nlsock_ask -- send REQ (a dump, or a request for one object, with its
 * sequence number set) and hand every datagram of the answer to
 * PARSE(CTX, buf, len, seq) until it returns nonzero: 1 (done) or -1
 * (error).  Returns 0, or -1 when the socket fails or PARSE said -1.
 */
int nlsock_ask(struct mnl_socket *nl, const struct nlmsghdr *req,
    int (*parse)(void *ctx, const void *buf, size_t len, uint32_t seq),
    void *ctx);

#endif
