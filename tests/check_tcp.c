/* check_tcp.c - unit tests for port lists and TCP probing on loopback */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "mono.h"
#include "tcp.h"

Suite *tcp_suite(void);

/* Only loopback: 127.0.0.X in host byte order. */
#define LO(x) ((uint32_t)0x7f000000u | (uint32_t)(x))

/* ---------------------------------------------------------- port lists */

static const struct {
	const char *in;
	size_t n;
	uint16_t want[4];
} t_good[] = {
	{"22", 1, {22}},
	{"1", 1, {1}},
	{"65535", 1, {65535}},
	{"22,80,443", 3, {22, 80, 443}},
	{" 22", 1, {22}},
	{"22 ", 1, {22}},
	{"22, 80", 2, {22, 80}},
	{"22 ,\t80\t", 2, {22, 80}},
	{"443,22,443,22,22", 2, {443, 22}},
	{"80,80", 1, {80}},
	{"3389,445,443,80", 4, {3389, 445, 443, 80}},
};
#define T_NGOOD (sizeof(t_good) / sizeof(t_good[0]))

static const struct {
	const char *in;
	const char *msg;
} t_bad[] = {
	{"", "empty port list"},
	{"  \t", "empty port list"},
	{"0", "port '0' out of range 1-65535 in '0'"},
	{"65536", "port '65536' out of range 1-65535 in '65536'"},
	{"99999999999999999999",
	 "port '99999999999999999999' out of range 1-65535"},
	{"22,,80", "empty port in '22,,80'"},
	{"22,", "empty port in '22,'"},
	{",22", "empty port in ',22'"},
	{"22, ,80", "empty port in '22, ,80'"},
	{"22x", "invalid port '22x' in '22x'"},
	{"22,x", "invalid port 'x' in '22,x'"},
	{"-1", "invalid port '-1' in '-1'"},
	{"+22", "invalid port '+22' in '+22'"},
	{"080", "invalid port '080' in '080'"},
	{"00", "invalid port '00' in '00'"},
	{"2 2", "invalid port '2 2' in '2 2'"},
	{"22;80", "invalid port '22;80' in '22;80'"},
	{"0x16", "invalid port '0x16' in '0x16'"},
	{"22\n", "invalid port '22\\x0a' in '22\\x0a'"},
	{"22,\x1b[2J", "invalid port '\\x1b[2J' in '22,\\x1b[2J'"},
};
#define T_NBAD (sizeof(t_bad) / sizeof(t_bad[0]))

START_TEST(test_ports_good)
{
	uint16_t p[8];
	char err[256] = "";
	size_t n = 99, k;

	memset(p, 0xff, sizeof(p));
	ck_assert_msg(tcp_parse_ports(t_good[_i].in, p, 8, &n, err,
			  sizeof(err)) == 0,
	    "'%s' refused: %s", t_good[_i].in, err);
	ck_assert_uint_eq(n, t_good[_i].n);
	for (k = 0; k < n; k++)
		ck_assert_uint_eq(p[k], t_good[_i].want[k]);
}
END_TEST

START_TEST(test_ports_bad)
{
	uint16_t p[8];
	char err[256] = "";
	size_t n = 99;

	ck_assert_int_eq(tcp_parse_ports(t_bad[_i].in, p, 8, &n, err,
			     sizeof(err)),
	    -1);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(strstr(err, t_bad[_i].msg) != NULL,
	    "'%s': message '%s', want '%s'", t_bad[_i].in, err,
	    t_bad[_i].msg);
}
END_TEST

START_TEST(test_ports_max)
{
	uint16_t p[3];
	char err[256] = "";
	size_t n = 99;

	/* duplicates do not count against MAX */
	ck_assert_int_eq(tcp_parse_ports("7,8,7,8,8", p, 2, &n, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(p[0], 7);
	ck_assert_uint_eq(p[1], 8);
	ck_assert_int_eq(tcp_parse_ports("7,8,9", p, 2, &n, err, sizeof(err)),
	    -1);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(err, "more than 2 ports in '7,8,9'");
	ck_assert_int_eq(tcp_parse_ports("7,8,9", p, 3, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(tcp_parse_ports(NULL, p, 3, &n, err, sizeof(err)),
	    -1);
	ck_assert_str_eq(err, "empty port list");
	/* a NULL or short error buffer is safe */
	ck_assert_int_eq(tcp_parse_ports("x", p, 3, &n, NULL, 0), -1);
	ck_assert_int_eq(tcp_parse_ports("xyz", p, 3, &n, err, 4), -1);
	ck_assert_str_eq(err, "inv");
}
END_TEST

START_TEST(test_ports_all)
{
	static uint16_t p[65535];
	static char s[65535 * 6 + 1];
	char err[256] = "";
	size_t n = 0, len = 0;
	unsigned v;

	/* every port, highest first, then all of them again */
	for (v = 65535; v >= 1; v--)
		len += (size_t)sprintf(s + len, "%u,", v);
	len += (size_t)sprintf(s + len, "1");
	ck_assert_int_eq(tcp_parse_ports(s, p, 65535, &n, err, sizeof(err)),
	    0);
	ck_assert_uint_eq(n, 65535);
	ck_assert_uint_eq(p[0], 65535);
	ck_assert_uint_eq(p[65534], 1);
	/* a long bad list is quoted, but cut */
	s[len - 1] = 'x';
	ck_assert_int_eq(tcp_parse_ports(s, p, 65535, &n, err, sizeof(err)),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "invalid port 'x' in '65535,"));
	ck_assert_ptr_nonnull(strstr(err, "...'"));
}
END_TEST

/* ------------------------------------------------------------- helpers */

/*
 * t_listen -- a non-blocking TCP socket listening on ADDR, port in *PORT
 * (host order; 0 asks for an ephemeral one)
 */
static int
t_listen(uint32_t addr, int backlog, uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	sin.sin_port = htons(*port);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, backlog), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* t_closed_port -- a loopback port nobody listens on: bound, then closed */
static uint16_t
t_closed_port(void)
{
	uint16_t port = 0;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(LO(1));
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/*
 * t_silent_port -- a port on ADDR whose SYNs the kernel drops without an
 * answer, as a firewall would: a listener with backlog 0 whose accept
 * queue is already full (Linux drops SYNs for a full queue, it does not
 * refuse them).  *FILL gets the connection that fills it.
 */
static int
t_silent_port(uint32_t addr, uint16_t *port, int *fill)
{
	struct sockaddr_in sin;
	int fd = t_listen(addr, 0, port);

	*fill = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(*fill, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(addr);
	sin.sin_port = htons(*port);
	ck_assert_int_eq(connect(*fill, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	return fd;
}

/* t_nfds -- descriptors open in this process */
static int
t_nfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the DIR's own */
}

/* t_lowest_free -- the descriptor number the next open() would get */
static int
t_lowest_free(void)
{
	int fd = dup(0);

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

/*
 * t_pending -- accept one connection waiting on listener FD: 1 if there
 * was one, else 0
 */
static int
t_pending(int fd)
{
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0) {
		ck_assert_msg(errno == EAGAIN || errno == EWOULDBLOCK,
		    "accept: %s", strerror(errno));
		return 0;
	}
	close(c);
	return 1;
}

static double
t_ms_since(uint64_t t0)
{
	return (double)(mono_now_ns() - t0) / 1e6;
}

/* ------------------------------------------------------------- probing */

START_TEST(test_probe_accept)
{
	uint16_t port = 0;
	int l, c, nfds = t_nfds();
	uint32_t a = LO(1);
	uint8_t r = 0xee;
	char err[256] = "", b;
	uint64_t t0;

	l = t_listen(LO(1), 16, &port);
	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(&a, 1, &port, 1, 2000, 8, 0, &r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r, TCP_ALIVE_ACCEPT);
	ck_assert_msg(t_ms_since(t0) < 1000, "accept took %.0f ms",
	    t_ms_since(t0));
	ck_assert_int_eq(t_nfds(), nfds + 1); /* only the listener */
	/* the probe connected, then reset (SO_LINGER 0) rather than a FIN:
	 * no TIME_WAIT left on either side */
	c = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ck_assert_int_ge(c, 0);
	errno = 0;
	ck_assert_int_eq(recv(c, &b, 1, 0), -1);
	ck_assert_int_eq(errno, ECONNRESET);
	ck_assert_int_eq(t_pending(l), 0); /* exactly one connection */
	close(c);
	close(l);
}
END_TEST

START_TEST(test_probe_refused)
{
	uint16_t port = t_closed_port();
	uint32_t a = LO(1);
	uint8_t r = 0xee;
	char err[256] = "";
	int nfds = t_nfds();
	uint64_t t0 = mono_now_ns();

	ck_assert_int_eq(tcp_probe(&a, 1, &port, 1, 2000, 8, 0, &r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r, TCP_ALIVE_REFUSED);
	ck_assert_msg(t_ms_since(t0) < 1000, "refusal took %.0f ms",
	    t_ms_since(t0));
	ck_assert_int_eq(t_nfds(), nfds);
}
END_TEST

/*
 * 127.0.0.1-8 on one port: .3 and .6 listen, the others refuse (all of
 * 127/8 is local).  Every concurrency gives the same answer.
 */
START_TEST(test_probe_many_addresses)
{
	static const unsigned inflight[] = {1, 2, 3, 7, 8, 64, 100000};
	uint32_t a[8];
	uint8_t r[8];
	uint16_t port = 0, p2;
	char err[256] = "";
	int l3, l6, nfds;
	size_t i, j;

	l3 = t_listen(LO(3), 64, &port);
	p2 = port;
	l6 = t_listen(LO(6), 64, &p2);
	ck_assert_uint_eq(p2, port);
	for (j = 0; j < 8; j++)
		a[j] = LO(j + 1);
	nfds = t_nfds();
	for (i = 0; i < sizeof(inflight) / sizeof(inflight[0]); i++) {
		memset(r, 0xee, sizeof(r));
		ck_assert_int_eq(tcp_probe(a, 8, &port, 1, 2000, inflight[i],
				     0, r, err, sizeof(err)),
		    0);
		for (j = 0; j < 8; j++)
			ck_assert_msg(r[j] == (j == 2 || j == 5 ?
						      TCP_ALIVE_ACCEPT :
						      TCP_ALIVE_REFUSED),
			    "inflight %u: 127.0.0.%zu: result %u",
			    inflight[i], j + 1, r[j]);
		ck_assert_int_eq(t_nfds(), nfds);
		/* drain what the listeners accepted for the next round */
		while (t_pending(l3))
			;
		while (t_pending(l6))
			;
	}
	close(l3);
	close(l6);
}
END_TEST

/*
 * A refusal settles its address: with one socket at a time, the closed
 * port listed first is refused and the open port after it is never tried.
 */
START_TEST(test_probe_settles)
{
	uint16_t ports[2], open = 0;
	uint32_t a[2] = {LO(1), LO(2)};
	uint8_t r[2];
	char err[256] = "";
	int l;

	l = t_listen(LO(1), 16, &open);
	ports[0] = t_closed_port();
	ports[1] = open;
	ck_assert_int_eq(tcp_probe(a, 2, ports, 2, 2000, 1, 0, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ALIVE_REFUSED);
	ck_assert_uint_eq(r[1], TCP_ALIVE_REFUSED);
	ck_assert_int_eq(t_pending(l), 0);
	/* the other order: accepted first, the closed port not needed */
	ports[0] = open;
	ports[1] = t_closed_port();
	ck_assert_int_eq(tcp_probe(a, 1, ports, 2, 2000, 1, 0, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ALIVE_ACCEPT);
	ck_assert_int_eq(t_pending(l), 1);
	close(l);
}
END_TEST

/* A port whose SYNs are dropped times out after timeout_ms: TCP_SILENT. */
START_TEST(test_probe_timeout)
{
	uint16_t port = 0;
	uint32_t a = LO(1);
	uint8_t r = 0xee;
	char err[256] = "";
	int l, fill, nfds = t_nfds();
	uint64_t t0;
	double ms;

	l = t_silent_port(LO(1), &port, &fill);
	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(&a, 1, &port, 1, 300, 8, 0, &r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_uint_eq(r, TCP_SILENT);
	ck_assert_msg(ms >= 300 && ms < 600, "timeout 300 ms took %.0f ms", ms);
	ck_assert_int_eq(t_nfds(), nfds + 2);
	close(fill);
	close(l);
}
END_TEST

/*
 * The per-connection timeout and the in-flight limit together: three
 * silent ports take 3 x timeout one at a time, 1 x timeout all at once.
 * A fourth, open, port settles the address at once and the silent ones
 * still in flight are abandoned.
 */
START_TEST(test_probe_inflight_timing)
{
	uint16_t ports[4] = {0, 0, 0, 0};
	uint32_t a = LO(1);
	uint8_t r;
	char err[256] = "";
	int l[4], fill[3], k;
	uint64_t t0;
	double ms;

	for (k = 0; k < 3; k++)
		l[k] = t_silent_port(LO(1), &ports[k], &fill[k]);
	l[3] = t_listen(LO(1), 16, &ports[3]);

	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(&a, 1, ports, 3, 200, 1, 0, &r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_uint_eq(r, TCP_SILENT);
	ck_assert_msg(ms >= 600 && ms < 900, "1 in flight: %.0f ms", ms);

	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(&a, 1, ports, 3, 200, 3, 0, &r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_uint_eq(r, TCP_SILENT);
	ck_assert_msg(ms >= 200 && ms < 450, "3 in flight: %.0f ms", ms);

	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(&a, 1, ports, 4, 2000, 4, 0, &r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_uint_eq(r, TCP_ALIVE_ACCEPT);
	ck_assert_msg(ms < 500, "open port among silent ones: %.0f ms", ms);

	for (k = 0; k < 3; k++) {
		close(fill[k]);
		close(l[k]);
	}
	close(l[3]);
}
END_TEST

/*
 * A connect() the kernel refuses locally decides nothing: TCP to the
 * loopback broadcast address fails with ENETUNREACH, no packet sent.
 * An error on one port does not hide a refusal on another.
 */
START_TEST(test_probe_error)
{
	uint32_t a[2] = {LO(0xffffff), LO(1)};
	uint16_t ports[2];
	uint8_t r[2];
	char err[256] = "";

	ports[0] = t_closed_port();
	ports[1] = 22;
	ck_assert_int_eq(tcp_probe(a, 1, ports, 2, 500, 4, 0, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ERROR);
	ck_assert_int_eq(tcp_probe(a, 2, ports, 1, 500, 4, 0, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ERROR);
	ck_assert_uint_eq(r[1], TCP_ALIVE_REFUSED);
}
END_TEST

/* An error on one port and a timeout on another: TCP_ERROR, not silent. */
START_TEST(test_probe_error_and_silent)
{
	uint32_t a[2] = {LO(1), LO(0xffffff)};
	uint16_t port = 0;
	uint8_t r[2];
	char err[256] = "";
	int l, fill;

	l = t_silent_port(LO(1), &port, &fill);
	ck_assert_int_eq(tcp_probe(a, 2, &port, 1, 200, 4, 0, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_SILENT);
	ck_assert_uint_eq(r[1], TCP_ERROR);
	close(fill);
	close(l);
}
END_TEST

START_TEST(test_probe_args)
{
	uint32_t a[2] = {LO(1), LO(2)};
	uint16_t ports[2] = {22, 0};
	uint8_t r[2];
	char err[256];

	ck_assert_int_eq(tcp_probe(a, 0, ports, 1, 100, 1, 0, r, err,
			     sizeof(err)),
	    0);
	memset(r, 0xee, sizeof(r));
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, ports, 0, 100, 1, 0, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(r[0], TCP_UNTRIED);
	ck_assert_uint_eq(r[1], TCP_UNTRIED);
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, ports, 2, 100, 1, 0, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(err, "invalid TCP port 0");
	ck_assert_int_eq(tcp_probe(a, 2, ports, 1, 0, 1, 0, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(tcp_probe(a, 2, ports, 1, 100, 0, 0, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/*
 * RLIMIT_NOFILE: with room for one or two more descriptors (the limit is
 * on descriptor numbers), a request for 1000 at once still gives every
 * right answer (socket() failing with EMFILE only slows it down), and
 * none left open.  With no room at all, -1 and EMFILE.
 */
START_TEST(test_probe_nofile)
{
	struct rlimit rl, old;
	uint32_t a[40];
	uint8_t r[40];
	uint16_t port = 0, closed = t_closed_port();
	char err[256] = "";
	int l, nfds;
	size_t j;

	l = t_listen(LO(5), 64, &port);
	for (j = 0; j < 40; j++)
		a[j] = LO(j + 1);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	nfds = t_nfds();
	rl = old;
	rl.rlim_cur = (rlim_t)t_lowest_free() + 2;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	memset(r, 0xee, sizeof(r));
	ck_assert_int_eq(tcp_probe(a, 40, &port, 1, 2000, 1000, 0, r, err,
			     sizeof(err)),
	    0);
	for (j = 0; j < 40; j++)
		ck_assert_uint_eq(r[j], j == 4 ? TCP_ALIVE_ACCEPT :
						 TCP_ALIVE_REFUSED);
	ck_assert_int_eq(t_nfds(), nfds);

	rl.rlim_cur = (rlim_t)t_lowest_free();
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, &closed, 1, 2000, 10, 0, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EMFILE);
	ck_assert_str_eq(err, "cannot open a TCP socket: Too many open files");
	ck_assert_uint_eq(r[0], TCP_UNTRIED);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	ck_assert_int_eq(t_nfds(), nfds);
	while (t_pending(l))
		;
	close(l);
}
END_TEST

/*
 * Never more than half of RLIMIT_NOFILE at once, even with room for
 * more: with a limit of LOWEST_FREE + 40, 60 silent connections go at most
 * (LOWEST_FREE + 40) / 2 at a time, three rounds of the timeout or more,
 * where the 40 free descriptors would allow two.
 */
START_TEST(test_probe_nofile_half)
{
	struct rlimit rl, old;
	uint32_t a[60];
	uint8_t r[60];
	uint16_t port = 0;
	char err[256] = "";
	int l, fill, low, rounds;
	size_t j;
	uint64_t t0;
	double ms;

	l = t_silent_port(LO(1), &port, &fill);
	for (j = 0; j < 60; j++)
		a[j] = LO(1); /* the same address 60 times is allowed */
	low = t_lowest_free();
	ck_assert_int_le(low, 18); /* else half the limit would be >= 30 */
	rounds = (60 + (low + 40) / 2 - 1) / ((low + 40) / 2);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	rl.rlim_cur = (rlim_t)low + 40;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(a, 60, &port, 1, 200, 1000, 0, r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	for (j = 0; j < 60; j++)
		ck_assert_uint_eq(r[j], TCP_SILENT);
	ck_assert_msg(ms >= rounds * 200 && ms < rounds * 200 + 300,
	    "60 at a limit of %d: %.0f ms, want %d rounds of 200", low + 40,
	    ms, rounds);
	close(fill);
	close(l);
}
END_TEST

static void
t_on_alarm(int sig)
{
	(void)sig;
}

/*
 * A signal stops the probe at once (the caller decides what SIGINT
 * means): -1 with EINTR, settled addresses kept, the rest TCP_UNTRIED.
 */
START_TEST(test_probe_eintr)
{
	struct sigaction sa, old;
	struct itimerval it;
	uint32_t a[2] = {LO(1), LO(2)};
	uint16_t port = 0, p2;
	uint8_t r[2];
	char err[256] = "";
	int l1, l2, fill, nfds;
	uint64_t t0;
	double ms;

	l2 = t_listen(LO(2), 16, &port);
	p2 = port;
	l1 = t_silent_port(LO(1), &p2, &fill);
	ck_assert_uint_eq(p2, port);
	nfds = t_nfds();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = t_on_alarm; /* no SA_RESTART, as in sweep.c */
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, &old), 0);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 200000;
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	t0 = mono_now_ns();
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, &port, 1, 5000, 8, 0, r, err,
			     sizeof(err)),
	    -1);
	ms = t_ms_since(t0);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_str_eq(err, "interrupted");
	ck_assert_msg(ms < 1000, "interrupt honoured after %.0f ms", ms);
	ck_assert_uint_eq(r[0], TCP_UNTRIED);
	ck_assert_uint_eq(r[1], TCP_ALIVE_ACCEPT);
	ck_assert_int_eq(t_nfds(), nfds);
	sigaction(SIGALRM, &old, NULL);
	close(fill);
	close(l1);
	close(l2);
}
END_TEST

Suite *
tcp_suite(void)
{
	Suite *s = suite_create("tcp");
	TCase *tc = tcase_create("ports");
	TCase *tp = tcase_create("probe");

	tcase_add_loop_test(tc, test_ports_good, 0, T_NGOOD);
	tcase_add_loop_test(tc, test_ports_bad, 0, T_NBAD);
	tcase_add_test(tc, test_ports_max);
	tcase_add_test(tc, test_ports_all);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tp, 20);
	tcase_add_test(tp, test_probe_accept);
	tcase_add_test(tp, test_probe_refused);
	tcase_add_test(tp, test_probe_many_addresses);
	tcase_add_test(tp, test_probe_settles);
	tcase_add_test(tp, test_probe_timeout);
	tcase_add_test(tp, test_probe_inflight_timing);
	tcase_add_test(tp, test_probe_error);
	tcase_add_test(tp, test_probe_error_and_silent);
	tcase_add_test(tp, test_probe_args);
	tcase_add_test(tp, test_probe_nofile);
	tcase_add_test(tp, test_probe_nofile_half);
	tcase_add_test(tp, test_probe_eintr);
	suite_add_tcase(s, tp);
	return s;
}
