/* dns.c - reverse (PTR) lookups through c-ares, many in flight at once */
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ares.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "dns.h"
#include "escape.h"
#include "mono.h"

/* The longest one poll() waits, so that the stop flag is seen soon. */
#define DNS_POLL_MAX_MS 200

/* The state of one dns_ptr() call, shared with the callbacks. */
struct dns_run {
	const uint32_t *addrs;
	uint8_t *res;
	char **text;
	size_t busy;        /* queries sent and not yet called back */
};

/* One query: its run and which address it is for. */
struct dns_query {
	struct dns_run *run;
	size_t k;
};

int
dns_server_ok(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t alen = colon != NULL ? (size_t)(colon - s) : strlen(s);
	unsigned long port = 0;
	uint32_t a;
	size_t i;

	if (addr_parse(s, alen, &a) < 0)
		return 0;
	if (colon == NULL)
		return 1;
	if (colon[1] == '\0' || strlen(colon + 1) > 5)
		return 0;
	for (i = 1; colon[i] != '\0'; i++) {
		if (colon[i] < '0' || colon[i] > '9')
			return 0;
		port = port * 10 + (unsigned long)(colon[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

/*
 * dns_callback -- a query's answer.  NXDOMAIN (ARES_ENOTFOUND) and an
 * answer without a PTR record (ARES_ENODATA) are the only ways to learn
 * that there is no name; a cancelled query was not tried; anything else
 * failed.
 */
static void
dns_callback(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct dns_query *q = arg;
	struct dns_run *run = q->run;
	struct hostent *h = NULL;
	struct in_addr ia;
	size_t k = q->k;

	(void)timeouts;
	run->busy--;
	if (status == ARES_ECANCELLED || status == ARES_EDESTRUCTION)
		return;
	if (status == ARES_SUCCESS) {
		ia.s_addr = htonl(run->addrs[k]);
		status = ares_parse_ptr_reply(abuf, alen, &ia, sizeof(ia),
		    AF_INET, &h);
		if (status == ARES_SUCCESS && (h == NULL || h->h_name == NULL ||
		    h->h_name[0] == '\0'))
			status = ARES_ENODATA;
	}
	switch (status) {
	case ARES_SUCCESS:
		run->res[k] = DNS_NAME;
		run->text[k] = strdup(h->h_name);
		break;
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
		run->res[k] = DNS_NONE;
		break;
	default:
		run->res[k] = DNS_FAILED;
		run->text[k] = strdup(ares_strerror(status));
		break;
	}
	if (h != NULL)
		ares_free_hostent(h);
}

/* dns_stopped -- 1 when STOP says to stop now */
static int
dns_stopped(const struct tcp_stop *stop)
{
	return stop != NULL && ((stop->flag != NULL && *stop->flag) ||
	    (stop->deadline_ns != 0 && mono_now_ns() >= stop->deadline_ns));
}

/*
 * dns_wait -- one poll() over the channel's sockets (and the stop
 * self-pipe), then let c-ares read, write or time out what is due
 */
static int
dns_wait(ares_channel ch, const struct tcp_stop *stop, char *err,
    size_t errlen)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM + 1];
	struct timeval maxtv, tv, *tvp;
	nfds_t n = 0;
	unsigned bits;
	int i, ms, r, any = 0;

	/* the bits by hand: c-ares's ARES_GETSOCK_WRITABLE shifts a signed
	   1 into the sign bit for the last socket */
	bits = (unsigned)ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
	for (i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
		unsigned rd = bits >> i & 1u;
		unsigned wr = bits >> (i + ARES_GETSOCK_MAXNUM) & 1u;

		if (!rd && !wr)
			continue;
		pfd[n].fd = socks[i];
		pfd[n].events = (short)((rd ? POLLIN : 0) | (wr ? POLLOUT : 0));
		pfd[n].revents = 0;
		n++;
	}
	maxtv.tv_sec = 0;
	maxtv.tv_usec = DNS_POLL_MAX_MS * 1000;
	tvp = ares_timeout(ch, &maxtv, &tv);
	ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
	if (stop != NULL && stop->deadline_ns != 0) {
		uint64_t now = mono_now_ns(), left;

		left = stop->deadline_ns > now ? (stop->deadline_ns - now +
		    MONO_NS_PER_MS - 1) / MONO_NS_PER_MS : 0;
		if ((uint64_t)ms > left)
			ms = (int)left;
	}
	if (stop != NULL && stop->wake_fd >= 0) {
		pfd[n].fd = stop->wake_fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
	}
	r = poll(pfd, n + (stop != NULL && stop->wake_fd >= 0), ms);
	if (r < 0 && errno != EINTR) {
		escape_err(err, errlen, "poll: %s", strerror(errno));
		return -1;
	}
	for (i = 0; r > 0 && (nfds_t)i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		any = 1;
		ares_process_fd(ch, pfd[i].revents & (POLLIN | POLLERR |
		    POLLHUP) ? pfd[i].fd : ARES_SOCKET_BAD,
		    pfd[i].revents & POLLOUT ? pfd[i].fd : ARES_SOCKET_BAD);
	}
	if (!any)   /* the timeouts: resend, or give up on a server */
		ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	return 0;
}

int
dns_ptr(const uint32_t *addrs, size_t n, const char *server,
    unsigned timeout_ms, unsigned inflight, const struct tcp_stop *stop,
    uint8_t *res, char **text, char *err, size_t errlen)
{
	struct ares_options ao;
	struct dns_query *q;
	struct dns_run run;
	ares_channel ch;
	size_t next = 0, k;
	char name[32];
	int rc, ret = 0;

	memset(res, DNS_NOT_TRIED, n);
	for (k = 0; k < n; k++)
		text[k] = NULL;
	if (n == 0)
		return 0;
	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		escape_err(err, errlen, "c-ares: %s", ares_strerror(rc));
		return -1;
	}
	memset(&ao, 0, sizeof(ao));
	ao.timeout = (int)timeout_ms;
	ao.tries = 2;
	rc = ares_init_options(&ch, &ao, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (rc != ARES_SUCCESS) {
		escape_err(err, errlen, "c-ares: %s", ares_strerror(rc));
		ares_library_cleanup();
		return -1;
	}
	if (server != NULL &&
	    (rc = ares_set_servers_ports_csv(ch, server)) != ARES_SUCCESS) {
		escape_err(err, errlen, "DNS server '%s': %s", server,
		    ares_strerror(rc));
		ares_destroy(ch);
		ares_library_cleanup();
		return -1;
	}
	q = calloc(n, sizeof(*q));
	if (q == NULL) {
		escape_err(err, errlen, "out of memory");
		ares_destroy(ch);
		ares_library_cleanup();
		return -1;
	}
	memset(&run, 0, sizeof(run));
	run.addrs = addrs;
	run.res = res;
	run.text = text;
	if (inflight == 0)
		inflight = 1;
	while (next < n || run.busy > 0) {
		if (dns_stopped(stop))
			break;
		while (next < n && run.busy < inflight) {
			uint32_t a = addrs[next];

			snprintf(name, sizeof(name), "%u.%u.%u.%u.in-addr.arpa",
			    a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff,
			    a >> 24);
			q[next].run = &run;
			q[next].k = next;
			run.busy++;
			ares_query(ch, name, ns_c_in, ns_t_ptr, dns_callback,
			    &q[next]);
			next++;
		}
		if (run.busy > 0 && dns_wait(ch, stop, err, errlen) < 0) {
			ret = -1;
			break;
		}
	}
	/* what is still open was not tried: cancelled, left DNS_NOT_TRIED */
	ares_destroy(ch);
	ares_library_cleanup();
	free(q);
	return ret;
}
