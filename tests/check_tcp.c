/*
 * check_tcp.c - unit tests for port lists and TCP probing on loopback.
 * Every port is the test's own (a listener on an ephemeral port, a port
 * bound and closed again, a listener whose queue is full); no assertion
 * depends on how fast the machine is: durations are checked only from
 * below (a timeout cannot end early), and how many connections run at
 * once is counted, not inferred from the time taken.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

/*
 * A watcher: a thread that counts, while tcp_probe runs in the test's
 * thread, the descriptors open beyond BASE (the probe's sockets) and keeps
 * the most seen at once.  Descriptors are numbered lowest-free first, so a
 * count made while sockets close and open cannot exceed the most that
 * were really open at one time.  When its condition holds it interrupts
 * the probe with SIGUSR1, again every few milliseconds (a signal that
 * comes before the probe is back in poll() does not interrupt it), until
 * the test says the probe returned.
 */
struct t_watch {
	pthread_t probe;          /* the thread in tcp_probe */
	pthread_t thread;
	int base;                 /* descriptors open before the probe */
	int stop_at;              /* interrupt once this many are open; 0 no */
	int listener;             /* or once the probe has closed (RST) the
				     connection this listener accepts; -1 no */
	int conn;                 /* that connection, accepted here, or -1 */
	atomic_int max;           /* most open at once */
	atomic_int done;          /* tcp_probe returned */
};

/* t_count_fds -- descriptors open in this process, or -1 (any thread) */
static int
t_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the DIR's own */
}

/*
 * t_reset_seen -- whether the probe has accepted a connection on listener
 * W->listener and closed it again: accepted here into W->conn, it reads
 * as reset.  tcp_probe notes an address's result before it closes the
 * socket that settled it.
 */
static int
t_reset_seen(struct t_watch *w)
{
	char b;

	if (w->conn < 0)
		w->conn = accept4(w->listener, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (w->conn < 0)
		return 0;
	return recv(w->conn, &b, 1, 0) == -1 && errno == ECONNRESET;
}

static void *
t_watch_run(void *arg)
{
	struct t_watch *w = arg;
	int fire = 0, n;

	while (!atomic_load(&w->done)) {
		n = t_count_fds();
		if (n >= 0) {
			n -= w->base;
			if (n > atomic_load(&w->max))
				atomic_store(&w->max, n);
			if (w->stop_at > 0 && n >= w->stop_at)
				fire = 1;
		}
		if (w->listener >= 0 && !fire && t_reset_seen(w))
			fire = 1;
		if (fire)
			pthread_kill(w->probe, SIGUSR1);
		usleep(fire ? 5000 : 100);
	}
	return NULL;
}

static void
t_on_signal(int sig)
{
	(void)sig;
}

/*
 * t_watch_start -- start watching, with the probe's sockets counted above
 * the descriptors open now; STOP_AT and LISTENER as in struct t_watch.
 * SIGUSR1 interrupts system calls (no SA_RESTART, as in sweep.c).
 */
static void
t_watch_start(struct t_watch *w, int stop_at, int listener)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = t_on_signal;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	w->probe = pthread_self();
	w->base = t_nfds();
	w->stop_at = stop_at;
	w->listener = listener;
	w->conn = -1;
	atomic_store(&w->max, 0);
	atomic_store(&w->done, 0);
	ck_assert_int_eq(pthread_create(&w->thread, NULL, t_watch_run, w), 0);
}

/* t_watch_end -- after tcp_probe returned: the most sockets open at once */
static int
t_watch_end(struct t_watch *w)
{
	atomic_store(&w->done, 1);
	ck_assert_int_eq(pthread_join(w->thread, NULL), 0);
	if (w->conn >= 0)
		close(w->conn);
	return atomic_load(&w->max);
}

/* ------------------------------------------------------------- probing */

START_TEST(test_probe_accept)
{
	uint16_t port = 0;
	int l, c, nfds = t_nfds();
	uint32_t a = LO(1);
	uint8_t r = 0xee;
	char err[256] = "", b;

	l = t_listen(LO(1), 16, &port);
	ck_assert_int_eq(tcp_probe(&a, 1, &port, 1, 2000, 8, NULL, &r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r, TCP_ALIVE_ACCEPT);
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

	ck_assert_int_eq(tcp_probe(&a, 1, &port, 1, 2000, 8, NULL, &r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r, TCP_ALIVE_REFUSED);
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
		ck_assert_int_eq(tcp_probe(a, 8, &port, 1, 2000, inflight[i], NULL,
				     r, err, sizeof(err)),
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
	ck_assert_int_eq(tcp_probe(a, 2, ports, 2, 2000, 1, NULL, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ALIVE_REFUSED);
	ck_assert_uint_eq(r[1], TCP_ALIVE_REFUSED);
	ck_assert_int_eq(t_pending(l), 0);
	/* the other order: accepted first, the closed port not needed */
	ports[0] = open;
	ports[1] = t_closed_port();
	ck_assert_int_eq(tcp_probe(a, 1, ports, 2, 2000, 1, NULL, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ALIVE_ACCEPT);
	ck_assert_int_eq(t_pending(l), 1);
	close(l);
}
END_TEST

/*
 * A port whose SYNs are dropped times out: TCP_SILENT, and not before
 * timeout_ms (the clock is monotonic, so this bound cannot fail by
 * chance).  The test case's time limit guards against a hang.
 */
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
	ck_assert_int_eq(tcp_probe(&a, 1, &port, 1, 300, 8, NULL, &r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_uint_eq(r, TCP_SILENT);
	ck_assert_msg(ms >= 300, "timeout 300 ms ended after %.0f ms", ms);
	ck_assert_int_eq(t_nfds(), nfds + 2);
	close(fill);
	close(l);
}
END_TEST

/*
 * The in-flight limit, counted: three silent ports go one at a time with
 * MAX_INFLIGHT 1 (never two sockets at once, and three timeouts in all),
 * and all three at once with 3 (the watcher interrupts the probe once it
 * has seen them; a probe that kept to one would never get there, and
 * would run into the test case's time limit).  A fourth, open, port
 * settles the address at once and the silent ones in flight are abandoned:
 * the probe returns long before their timeout.
 */
START_TEST(test_probe_inflight)
{
	uint16_t ports[4] = {0, 0, 0, 0};
	uint32_t a = LO(1);
	uint8_t r;
	char err[256] = "";
	int l[4], fill[3], k, nfds;
	struct t_watch w;
	uint64_t t0;
	double ms;

	for (k = 0; k < 3; k++)
		l[k] = t_silent_port(LO(1), &ports[k], &fill[k]);
	l[3] = t_listen(LO(1), 16, &ports[3]);
	nfds = t_nfds();

	t_watch_start(&w, 0, -1);
	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(&a, 1, ports, 3, 100, 1, NULL, &r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_int_le(t_watch_end(&w), 1);
	ck_assert_uint_eq(r, TCP_SILENT);
	ck_assert_msg(ms >= 300, "3 silent ports one at a time: %.0f ms", ms);

	t_watch_start(&w, 3, -1);
	errno = 0;
	ck_assert_int_eq(tcp_probe(&a, 1, ports, 3, 60000, 3, NULL, &r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(t_watch_end(&w), 3);
	ck_assert_uint_eq(r, TCP_UNTRIED);
	ck_assert_int_eq(t_nfds(), nfds);

	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(&a, 1, ports, 4, 60000, 4, NULL, &r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_uint_eq(r, TCP_ALIVE_ACCEPT);
	ck_assert_msg(ms < 60000, "silent ports not abandoned: %.0f ms", ms);
	ck_assert_int_eq(t_nfds(), nfds);

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
	uint16_t ports[2], open = 0;
	uint8_t r[2];
	char err[256] = "";
	int l = t_listen(LO(0xffffff), 16, &open);

	/* even a port with a listener: the broadcast address is refused */
	ports[0] = t_closed_port();
	ports[1] = open;
	ck_assert_int_eq(tcp_probe(a, 1, ports, 2, 500, 4, NULL, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ERROR);
	ck_assert_int_eq(tcp_probe(a, 2, ports, 1, 500, 4, NULL, r, err,
			     sizeof(err)),
	    0);
	ck_assert_uint_eq(r[0], TCP_ERROR);
	ck_assert_uint_eq(r[1], TCP_ALIVE_REFUSED);
	ck_assert_int_eq(t_pending(l), 0);
	close(l);
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
	ck_assert_int_eq(tcp_probe(a, 2, &port, 1, 200, 4, NULL, r, err,
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
	uint16_t ports[2] = {t_closed_port(), 0};
	uint8_t r[2];
	char err[256];

	ck_assert_int_eq(tcp_probe(a, 0, ports, 1, 100, 1, NULL, r, err,
			     sizeof(err)),
	    0);
	memset(r, 0xee, sizeof(r));
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, ports, 0, 100, 1, NULL, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(r[0], TCP_UNTRIED);
	ck_assert_uint_eq(r[1], TCP_UNTRIED);
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, ports, 2, 100, 1, NULL, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(err, "invalid TCP port 0");
	ck_assert_int_eq(tcp_probe(a, 2, ports, 1, 0, 1, NULL, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(tcp_probe(a, 2, ports, 1, 100, 0, NULL, r, err,
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
	ck_assert_int_eq(tcp_probe(a, 40, &port, 1, 2000, 1000, NULL, r, err,
			     sizeof(err)),
	    0);
	for (j = 0; j < 40; j++)
		ck_assert_uint_eq(r[j], j == 4 ? TCP_ALIVE_ACCEPT :
						 TCP_ALIVE_REFUSED);
	ck_assert_int_eq(t_nfds(), nfds);

	rl.rlim_cur = (rlim_t)t_lowest_free();
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, &closed, 1, 2000, 10, NULL, r, err,
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
 * HALF = (LOWEST_FREE + 40) / 2 at a time (counted; the 40 free
 * descriptors would allow more), so at least three rounds of the timeout.
 * And HALF are used: a second run is interrupted once HALF are open.
 */
START_TEST(test_probe_nofile_half)
{
	struct rlimit rl, old;
	uint32_t a[60];
	uint8_t r[60];
	uint16_t port = 0;
	char err[256] = "";
	int l, fill, low, half, rounds;
	struct t_watch w;
	size_t j;
	uint64_t t0;
	double ms;

	l = t_silent_port(LO(1), &port, &fill);
	for (j = 0; j < 60; j++)
		a[j] = LO(1); /* the same address 60 times is allowed */
	low = t_lowest_free();
	ck_assert_int_le(low, 18); /* else half the limit would be >= 30 */
	half = (low + 40) / 2;
	rounds = (60 + half - 1) / half;
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	rl.rlim_cur = (rlim_t)low + 40;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	t_watch_start(&w, 0, -1);
	t0 = mono_now_ns();
	ck_assert_int_eq(tcp_probe(a, 60, &port, 1, 100, 1000, NULL, r, err,
			     sizeof(err)),
	    0);
	ms = t_ms_since(t0);
	ck_assert_int_le(t_watch_end(&w), half);
	for (j = 0; j < 60; j++)
		ck_assert_uint_eq(r[j], TCP_SILENT);
	ck_assert_msg(ms >= rounds * 100,
	    "60 at a limit of %d: %.0f ms, want %d rounds of 100 or more",
	    low + 40, ms, rounds);

	t_watch_start(&w, half, -1);
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 60, &port, 1, 60000, 1000, NULL, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_int_eq(t_watch_end(&w), half);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	close(fill);
	close(l);
}
END_TEST

/*
 * A signal stops the probe at once (the caller decides what SIGINT
 * means): -1 with EINTR, settled addresses kept, the rest TCP_UNTRIED.  The
 * signal comes once 127.0.0.2 has accepted and the probe has reset that
 * connection, with 127.0.0.1's still waiting out its long timeout.
 */
START_TEST(test_probe_eintr)
{
	uint32_t a[2] = {LO(1), LO(2)};
	uint16_t port = 0, p2;
	uint8_t r[2];
	char err[256] = "";
	int l1, l2, fill, nfds;
	struct t_watch w;

	l2 = t_listen(LO(2), 16, &port);
	p2 = port;
	l1 = t_silent_port(LO(1), &p2, &fill);
	ck_assert_uint_eq(p2, port);
	nfds = t_nfds();
	t_watch_start(&w, 0, l2);
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, &port, 1, 60000, 8, NULL, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINTR);
	t_watch_end(&w);
	ck_assert_str_eq(err, "interrupted");
	ck_assert_uint_eq(r[0], TCP_UNTRIED);
	ck_assert_uint_eq(r[1], TCP_ALIVE_ACCEPT);
	ck_assert_int_eq(t_nfds(), nfds);
	close(fill);
	close(l1);
	close(l2);
}
END_TEST

/*
 * A deadline already past: -1 with ETIMEDOUT at once, every address
 * TCP_UNTRIED, and not one connection started (the listener has none).
 */
START_TEST(test_probe_deadline_past)
{
	uint32_t a[2] = {LO(1), LO(2)};
	uint16_t port = 0;
	uint8_t r[2];
	char err[256] = "";
	struct tcp_stop stop = { 1, NULL, -1 };
	int l, nfds;

	l = t_listen(LO(1), 16, &port);
	nfds = t_nfds();
	memset(r, 0xee, sizeof(r));
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, &port, 1, 2000, 8, &stop, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_str_eq(err, "deadline reached");
	ck_assert_uint_eq(r[0], TCP_UNTRIED);
	ck_assert_uint_eq(r[1], TCP_UNTRIED);
	ck_assert_int_eq(t_pending(l), 0);
	ck_assert_int_eq(t_nfds(), nfds);
	close(l);
}
END_TEST

/*
 * The stop flag set (a signal that came while nothing was polling):
 * -1 with EINTR before one connection is started, every address
 * TCP_UNTRIED.
 */
START_TEST(test_probe_stop_flag)
{
	uint32_t a[2] = {LO(1), LO(2)};
	uint16_t port = 0;
	uint8_t r[2];
	char err[256] = "";
	volatile sig_atomic_t flag = SIGINT;
	struct tcp_stop stop = { 0, &flag, -1 };
	int l, nfds;

	l = t_listen(LO(1), 16, &port);
	nfds = t_nfds();
	memset(r, 0xee, sizeof(r));
	errno = 0;
	ck_assert_int_eq(tcp_probe(a, 2, &port, 1, 2000, 8, &stop, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, EINTR);
	ck_assert_uint_eq(r[0], TCP_UNTRIED);
	ck_assert_uint_eq(r[1], TCP_UNTRIED);
	ck_assert_int_eq(t_pending(l), 0);
	ck_assert_int_eq(t_nfds(), nfds);
	close(l);
}
END_TEST

/*
 * The deadline comes while a connection is open: one socket at a time,
 * 127.0.0.2 refuses at once, 127.0.0.1 is silent (its SYNs dropped) and
 * outlives the deadline with a 60 s timeout, so 127.0.0.3 (listening) is
 * never reached.  -1 with ETIMEDOUT; the refusal is kept, the others are
 * TCP_UNTRIED, not silent.
 */
START_TEST(test_probe_deadline_open)
{
	uint32_t a[3] = {LO(2), LO(1), LO(3)};
	uint16_t port = 0, p3;
	uint8_t r[3];
	char err[256] = "";
	struct tcp_stop stop = { 0, NULL, -1 };
	int l1, l3, fill, nfds;

	l1 = t_silent_port(LO(1), &port, &fill);
	p3 = port;
	l3 = t_listen(LO(3), 16, &p3);
	ck_assert_uint_eq(p3, port);
	nfds = t_nfds();
	memset(r, 0xee, sizeof(r));
	errno = 0;
	stop.deadline_ns = mono_now_ns() + 500 * MONO_NS_PER_MS;
	ck_assert_int_eq(tcp_probe(a, 3, &port, 1, 60000, 1, &stop, r, err,
			     sizeof(err)),
	    -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_str_eq(err, "deadline reached");
	ck_assert_uint_eq(r[0], TCP_ALIVE_REFUSED);
	ck_assert_uint_eq(r[1], TCP_UNTRIED);
	ck_assert_uint_eq(r[2], TCP_UNTRIED);
	ck_assert_int_eq(t_pending(l3), 0);
	ck_assert_int_eq(t_nfds(), nfds);
	close(fill);
	close(l1);
	close(l3);
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
	tcase_add_test(tp, test_probe_inflight);
	tcase_add_test(tp, test_probe_error);
	tcase_add_test(tp, test_probe_error_and_silent);
	tcase_add_test(tp, test_probe_args);
	tcase_add_test(tp, test_probe_nofile);
	tcase_add_test(tp, test_probe_nofile_half);
	tcase_add_test(tp, test_probe_eintr);
	tcase_add_test(tp, test_probe_deadline_past);
	tcase_add_test(tp, test_probe_stop_flag);
	tcase_add_test(tp, test_probe_deadline_open);
	suite_add_tcase(s, tp);
	return s;
}
