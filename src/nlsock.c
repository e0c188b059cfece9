/* nlsock.c - a NETLINK_ROUTE socket and its requests, through libmnl */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <sys/socket.h>

#include "nlsock.h"

struct mnl_socket *
nlsock_open(void)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);

	if (nl != NULL && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		nl = NULL;
	}
	return nl;
}

/* nlsock_recv -- one datagram from the kernel into BUF, again on EINTR */
static ssize_t
nlsock_recv(struct mnl_socket *nl, void *buf, size_t len)
{
	ssize_t got;

	do
		got = mnl_socket_recvfrom(nl, buf, len);
	while (got < 0 && errno == EINTR);
	return got;
}

int
nlsock_ask(struct mnl_socket *nl, const struct nlmsghdr *req,
    int (*parse)(void *ctx, const void *buf, size_t len, uint32_t seq),
    void *ctx)
{
	/* 16 KiB: the kernel fills a dump datagram up to what we read */
	union {
		struct nlmsghdr align;
		char buf[16384];
	} u;
	int rc = 0;

	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -1;
	while (rc == 0) {
		ssize_t got = nlsock_recv(nl, u.buf, sizeof(u.buf));

		if (got <= 0)
			return -1;
		rc = parse(ctx, u.buf, (size_t)got, req->nlmsg_seq);
	}
	return rc < 0 ? -1 : 0;
}
