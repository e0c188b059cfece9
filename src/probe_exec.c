/* probe_exec.c - the fallback engine: run ping(8) per address, many at
   once, and read them */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "mono.h"
#include "probe_exec.h"
#include "record.h"
#include "verdict.h"

#define PX_TICK_MS      50
#define PX_HEARTBEAT_NS (250 * MONO_NS_PER_MS)
#define PX_READS        64   /* reads per px_drain call: a flood of output
				must not starve the heartbeats */
#define PX_GIVEUP_NS    (5000 * MONO_NS_PER_MS)  /* no ping can start */

/*
 * Reading ping(8).  ipsweep runs iputils ping with -n and LC_ALL=C, and
 * without -q: -q hides the per-probe "From ..." lines and the "sendmsg:"
 * messages, and its summary's "+N errors" alone cannot tell a local ARP
 * failure (a normal sign of a free address) from a firewall's "Packet
 * filtered".  Exit 1 means both "no reply" and "every reply was an error",
 * so the status alone never makes an address silent: the text must show
 * silence, and every line must be one we know.
 */

/* px_skip -- the length of P when the N bytes at S start with it, else 0 */
static size_t
px_skip(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return k <= n && memcmp(s, p, k) == 0 ? k : 0;
}

/* px_is -- 1 when the N bytes at S are P exactly */
static int
px_is(const char *s, size_t n, const char *p)
{
	return strlen(p) == n && memcmp(s, p, n) == 0;
}

/*
 * px_num -- the decimal number that starts the N bytes at S into *V;
 * returns the digits read, 0 for none.  It saturates far above any count
 * ping prints, so that a huge number never wraps into a small one.
 */
static size_t
px_num(const char *s, size_t n, unsigned long *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (*v < 100000000)
			*v = *v * 10 + (unsigned long)(s[i] - '0');
	return i;
}

/*
 * px_ms -- milliseconds as iputils prints them ("0.041", "12.5", "1500")
 * at the start of the N bytes at S, in microseconds (saturated) into *US;
 * returns the bytes read, 0 when S does not start with a digit.
 */
static size_t
px_ms(const char *s, size_t n, uint32_t *us)
{
	uint64_t ms = 0, frac = 0, scale = 1000;
	size_t i;

	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (ms < 10000000)
			ms = ms * 10 + (uint64_t)(s[i] - '0');
	if (i == 0)
		return 0;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(s[i] - '0') * scale;
			}
	ms = ms * 1000 + frac;
	*us = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	return i;
}

uint32_t
probe_exec_rtt(const char *out)
{
	static const char key[] = "rtt min/avg/max/mdev = ";
	const char *p = strstr(out, key);
	size_t n, k;
	uint32_t us;

	if (p == NULL)
		return 0;
	p += sizeof(key) - 1;
	n = strlen(p);
	k = px_ms(p, n, &us);
	return k > 0 && k < n && p[k] == '/' ? us : 0;
}

/*
 * The error texts of iputils' pr_icmph(), which end "From A icmp_seq=N
 * TEXT" lines.  PX_EXACT: TEXT is the whole rest; PX_PREFIX: more follows
 * (an mtu, a next hop, a pointer); PX_CODE: the code is the number after
 * TEXT.
 */
enum { PX_EXACT, PX_PREFIX, PX_CODE };

static const struct px_icmp {
	const char *text;
	uint8_t type, code, match;
} px_icmps[] = {
	{"Destination Net Unreachable", 3, 0, PX_EXACT},
	{"Destination Host Unreachable", 3, 1, PX_EXACT},
	{"Destination Protocol Unreachable", 3, 2, PX_EXACT},
	{"Destination Port Unreachable", 3, 3, PX_EXACT},
	{"Frag needed and DF set (mtu = ", 3, 4, PX_PREFIX},
	{"Source Route Failed", 3, 5, PX_EXACT},
	{"Destination Net Unknown", 3, 6, PX_EXACT},
	{"Destination Host Unknown", 3, 7, PX_EXACT},
	{"Source Host Isolated", 3, 8, PX_EXACT},
	{"Destination Net Prohibited", 3, 9, PX_EXACT},
	{"Destination Host Prohibited", 3, 10, PX_EXACT},
	{"Destination Net Unreachable for Type of Service", 3, 11, PX_EXACT},
	{"Destination Host Unreachable for Type of Service", 3, 12, PX_EXACT},
	{"Packet filtered", 3, 13, PX_EXACT},
	{"Precedence Violation", 3, 14, PX_EXACT},
	{"Precedence Cutoff", 3, 15, PX_EXACT},
	{"Dest Unreachable, Bad Code: ", 3, 0, PX_CODE},
	{"Source Quench", 4, 0, PX_EXACT},
	{"Redirect Network", 5, 0, PX_PREFIX},
	{"Redirect Host", 5, 1, PX_PREFIX},
	{"Redirect Type of Service and Network", 5, 2, PX_PREFIX},
	{"Redirect Type of Service and Host", 5, 3, PX_PREFIX},
	{"Redirect, Bad Code: ", 5, 0, PX_CODE},
	{"Time to live exceeded", 11, 0, PX_EXACT},
	{"Frag reassembly time exceeded", 11, 1, PX_EXACT},
	{"Time exceeded, Bad Code: ", 11, 0, PX_CODE},
	{"Parameter problem: pointer = ", 12, 0, PX_PREFIX},
};

/* px_icmp_text -- ICMP type<<8|code of the error TEXT (N bytes), or -1 */
static long
px_icmp_text(const char *s, size_t n)
{
	const struct px_icmp *m;
	unsigned long code;
	size_t i, k;

	for (i = 0; i < sizeof(px_icmps) / sizeof(px_icmps[0]); i++) {
		m = &px_icmps[i];
		if (m->match == PX_EXACT) {
			if (px_is(s, n, m->text))
				return (long)m->type << 8 | m->code;
			continue;
		}
		if ((k = px_skip(s, n, m->text)) == 0)
			continue;
		if (m->match == PX_PREFIX)
			return (long)m->type << 8 | m->code;
		if (px_num(s + k, n - k, &code) == 0 || code > 255)
			return -1;
		return (long)m->type << 8 | (long)code;
	}
	return -1;
}

/*
 * The strerror(3) texts, in the C locale, of the errors that a send or a
 * connect can end in: REASON_SEND_ERROR carries the errno.
 */
static const struct px_errno {
	const char *text;
	int err;
} px_errnos[] = {
	{"Operation not permitted", EPERM},
	{"Permission denied", EACCES},
	{"Network is unreachable", ENETUNREACH},
	{"No route to host", EHOSTUNREACH},
	{"Network is down", ENETDOWN},
	{"Host is down", EHOSTDOWN},
	{"No buffer space available", ENOBUFS},
	{"Message too long", EMSGSIZE},
	{"Invalid argument", EINVAL},
	{"Cannot assign requested address", EADDRNOTAVAIL},
	{"Connection refused", ECONNREFUSED},
	{"No such device", ENODEV},
	{"No such device or address", ENXIO},
	{"Resource temporarily unavailable", EAGAIN},
	{"Cannot allocate memory", ENOMEM},
	{"Input/output error", EIO},
};

/* px_errno -- the errno whose text is the N bytes at S, or 0 */
static int
px_errno(const char *s, size_t n)
{
	size_t i;

	/* "local error: message too long, mtu=1400" (IP_RECVERR) */
	if (px_skip(s, n, "message too long, mtu="))
		return EMSGSIZE;
	for (i = 0; i < sizeof(px_errnos) / sizeof(px_errnos[0]); i++)
		if (px_is(s, n, px_errnos[i].text))
			return px_errnos[i].err;
	return 0;
}

/* What one pass over ping's output found: counts, not flags, since the
   rules compare them with the summary. */
struct px_scan {
	uint32_t addr;           /* the address ping probed */
	unsigned replies;        /* reply lines from ADDR */
	uint32_t rtt_us;         /* the first one's time= (0: none) */
	uint32_t rtt_min_us;     /* the "rtt min/..." line's minimum */
	unsigned others;         /* reply lines from another address */
	uint32_t other;          /* the first such address */
	unsigned stats;          /* summary lines ("N packets transmitted") */
	unsigned long sent, received, dups, corrupt, errors;
	unsigned errs;           /* "From A icmp_seq=N TEXT" lines */
	unsigned host_unreach;   /* ... Destination Host Unreachable */
	unsigned prohibited;     /* ... type 3 code 9, 10 or 13 */
	unsigned icmp;           /* ... any other error we can read */
	unsigned unread;         /* ... a TEXT we do not know */
	unsigned target;         /* ... sent by ADDR itself */
	uint32_t prohibited_aux, icmp_aux, target_aux;  /* the first of each */
	unsigned send;           /* "ping: sendmsg: ..." and the like */
	int send_errno;          /* the first errno of those we know */
	unsigned strange;        /* lines we do not know at all */
};

/* px_reply -- "64 bytes from A: icmp_seq=1 ttl=64 time=0.041 ms[ (DUP!)]";
   -1 when S is no such line */
static int
px_reply(struct px_scan *sc, const char *s, size_t n)
{
	unsigned long bytes;
	uint32_t from, us;
	const char *t;
	size_t k, a;

	if ((k = px_num(s, n, &bytes)) == 0)
		return -1;
	s += k, n -= k;
	if ((k = px_skip(s, n, " bytes from ")) == 0)
		return -1;
	s += k, n -= k;
	for (a = 0; a < n && s[a] != ':'; a++)
		;
	if (a == n || addr_parse(s, a, &from) != 0)
		return -1;
	s += a + 1, n -= a + 1;
	if (px_skip(s, n, " icmp_seq=") == 0)
		return -1;
	if (from != sc->addr) {
		if (sc->others++ == 0)
			sc->other = from;
		return 0;
	}
	if (sc->replies++ == 0 && (t = memmem(s, n, " time=", 6)) != NULL &&
	    px_ms(t + 6, n - (size_t)(t + 6 - s), &us) > 0)
		sc->rtt_us = us;
	return 0;
}

/*
 * px_error -- "From A icmp_seq=N TEXT" (IP_RECVERR: every ICMP error
 * about a probe) or "From A: icmp_seq=N TEXT" (the raw socket's own path,
 * for redirects and source quench); -1 when S is no such line.
 */
static int
px_error(struct px_scan *sc, const char *s, size_t n)
{
	unsigned long seq;
	uint32_t from;
	size_t k, a;
	long tc;

	if ((k = px_skip(s, n, "From ")) == 0)
		return -1;
	s += k, n -= k;
	for (a = 0; a < n && s[a] != ' ' && s[a] != ':'; a++)
		;
	if (addr_parse(s, a, &from) != 0)
		return -1;
	s += a, n -= a;
	if (n > 0 && s[0] == ':')
		s++, n--;
	if ((k = px_skip(s, n, " icmp_seq=")) == 0)
		return -1;
	s += k, n -= k;
	k = px_num(s, n, &seq);
	if (k == 0 || k == n || s[k] != ' ')
		return -1;
	s += k + 1, n -= k + 1;
	sc->errs++;
	tc = px_icmp_text(s, n);
	if (from == sc->addr) {
		/* the address itself sent it: something holds it */
		if (sc->target++ == 0)
			sc->target_aux = tc < 0 ? 0 : (uint32_t)tc;
	} else if (tc < 0) {
		sc->unread++;
	} else if (tc == (3 << 8 | 1)) {
		sc->host_unreach++;
	} else if (tc == (3 << 8 | 9) || tc == (3 << 8 | 10) ||
	    tc == (3 << 8 | 13)) {
		if (sc->prohibited++ == 0)
			sc->prohibited_aux = (uint32_t)tc;
	} else if (sc->icmp++ == 0) {
		sc->icmp_aux = (uint32_t)tc;
	}
	return 0;
}

/*
 * px_said -- what ping wrote on stderr (error(3): "ping: WHAT: TEXT",
 * argv[0] being "ping") about a send: "sendmsg: ", "connect: " (no route:
 * exit 2) or "local error: " (IP_RECVERR from our own host); -1 for any
 * other line.
 */
static int
px_said(struct px_scan *sc, const char *s, size_t n)
{
	size_t k;
	int e;

	if ((k = px_skip(s, n, "ping: ")) == 0)
		return -1;
	s += k, n -= k;
	if ((k = px_skip(s, n, "sendmsg: ")) == 0 &&
	    (k = px_skip(s, n, "connect: ")) == 0 &&
	    (k = px_skip(s, n, "local error: ")) == 0)
		return -1;
	e = px_errno(s + k, n - k);
	sc->send++;
	if (sc->send_errno == 0)
		sc->send_errno = e;
	return 0;
}

/*
 * px_stats -- "2 packets transmitted, 0 received[, +1 duplicates][, +1
 * corrupted][, +2 errors], 100% packet loss, time 1010ms"; -1 (and *SC
 * untouched) when S is no such line.
 */
static int
px_stats(struct px_scan *sc, const char *s, size_t n)
{
	unsigned long sent, received, v, dups = 0, corrupt = 0, errors = 0;
	size_t k;

	if ((k = px_num(s, n, &sent)) == 0)
		return -1;
	s += k, n -= k;
	if ((k = px_skip(s, n, " packets transmitted, ")) == 0)
		return -1;
	s += k, n -= k;
	if ((k = px_num(s, n, &received)) == 0)
		return -1;
	s += k, n -= k;
	if ((k = px_skip(s, n, " received")) == 0)
		return -1;
	for (s += k, n -= k; n > 0; s += k, n -= k) {
		if ((k = px_skip(s, n, ", ")) == 0)
			return -1;
		s += k, n -= k;
		if (px_skip(s, n, "+") && (k = px_num(s + 1, n - 1, &v)) > 0) {
			s += k + 1, n -= k + 1;
			if ((k = px_skip(s, n, " duplicates")) > 0)
				dups = v;
			else if ((k = px_skip(s, n, " corrupted")) > 0)
				corrupt = v;
			else if ((k = px_skip(s, n, " errors")) > 0)
				errors = v;
			else
				return -1;
		} else if ((k = px_skip(s, n, "time ")) > 0) {
			if ((k += px_num(s + k, n - k, &v)) == 5 ||
			    px_skip(s + k, n - k, "ms") == 0)
				return -1;
			k += 2;
		} else {
			/* "%g%% packet loss": 100, 50, 33.3333 */
			for (k = 0; k < n && ((s[k] >= '0' && s[k] <= '9') ||
			    s[k] == '.' || s[k] == 'e' || s[k] == '+' ||
			    s[k] == '-'); k++)
				;
			if (k == 0 || px_skip(s + k, n - k, "% packet loss") == 0)
				return -1;
			k += 13;
		}
	}
	sc->stats++;
	sc->sent = sent;
	sc->received = received;
	sc->dups = dups;
	sc->corrupt = corrupt;
	sc->errors = errors;
	return 0;
}

/* px_line -- account for one line (N bytes, no newline) in *SC */
static void
px_line(struct px_scan *sc, const char *s, size_t n)
{
	static const char stats[] = " ping statistics ---";
	unsigned long v;
	size_t k;

	if (n == 0 || px_skip(s, n, "PING "))
		return;
	if (px_skip(s, n, "--- ") && n >= sizeof(stats) - 1 &&
	    px_is(s + n - (sizeof(stats) - 1), sizeof(stats) - 1, stats))
		return;
	if ((k = px_skip(s, n, "rtt min/avg/max/mdev = ")) > 0) {
		/* the minimum, for when no reply line had a time */
		px_ms(s + k, n - k, &sc->rtt_min_us);
		return;
	}
	/* "pipe 2": more than one probe was out at a time */
	if ((k = px_skip(s, n, "pipe ")) > 0 && k < n &&
	    px_num(s + k, n - k, &v) == n - k)
		return;
	if (px_reply(sc, s, n) == 0 || px_error(sc, s, n) == 0 ||
	    px_said(sc, s, n) == 0 || px_stats(sc, s, n) == 0)
		return;
	sc->strange++;
}

unsigned
probe_exec_last_hop(unsigned why, int onlink, uint32_t *aux)
{
	if (why != REASON_HOST_UNREACH || onlink)
		return why;
	*aux = 3u << 8 | 1u;
	return REASON_ICMP_ERROR;
}

/*
 * probe_exec_parse -- the rules, in order:
 *  1. A reply line from ADDR: ECHO_REPLY, whatever the status (a reply is
 *     proof, and "used" is never the dangerous way to be wrong).  An ICMP
 *     error sent by ADDR itself: ICMP_FROM_TARGET.  Replies only from
 *     other addresses: OTHER_SOURCE.  Exit 0 with "N received" > 0 but no
 *     reply line (as ping -q prints it): ECHO_REPLY.
 *  2. An exit other than 1 or 2 (0 without a reply, 127 for a failed exec)
 *     or a signal: EXEC_ERROR.
 *  3. Exit 1 with the whole output (not truncated, the last line
 *     complete), every line one we know, nothing on stderr, one summary
 *     with a probe sent, 0 received, no duplicates, none corrupted, and
 *     a. no "+N errors" and no "From" line: NO_REPLY;
 *     b. or only "Destination Host Unreachable" lines, as many as "+N
 *        errors" and as probes sent: HOST_UNREACH, a weak silence.  ping
 *        prints that text both when our own kernel's ARP failed (on-link:
 *        a normal sign of a free address) and when a router said so.  It
 *        stands for silence only when every probe got it and nothing
 *        else came: some probes with it and others with nothing, or with
 *        any other error, cannot tell (PING_ERRORS).
 *  4. Else it cannot tell, and says why when it can: a send error
 *     (SEND_ERROR with the errno; PING_ERRORS when the text is unknown),
 *     a prohibition (ADMIN_PROHIBITED, 3<<8|code), another ICMP error
 *     (ICMP_ERROR, type<<8|code), other errors ping counted (PING_ERRORS),
 *     else output we cannot read (EXEC_ERROR with the status).
 */
unsigned
probe_exec_parse(int status, uint32_t addr, const char *out, size_t len,
    int truncated, uint32_t *rtt_us, uint32_t *aux)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1, whole;
	struct px_scan sc;
	size_t i, start = 0;

	memset(&sc, 0, sizeof(sc));
	sc.addr = addr;
	*rtt_us = 0;
	*aux = 0;
	for (i = 0; i < len; i++)
		if (out[i] == '\n') {
			px_line(&sc, out + start, i - start);
			start = i + 1;
		}
	if (start < len) {
		/* a last line cut short: it may still show a reply, but the
		   output is not whole */
		px_line(&sc, out + start, len - start);
		truncated = 1;
	}
	if (sc.replies > 0) {
		*rtt_us = sc.rtt_us != 0 ? sc.rtt_us : sc.rtt_min_us;
		return REASON_ECHO_REPLY;
	}
	if (sc.target > 0) {
		*aux = sc.target_aux;
		return REASON_ICMP_FROM_TARGET;
	}
	if (sc.others > 0) {
		*aux = sc.other;
		return REASON_OTHER_SOURCE;
	}
	if (code == 0 && sc.stats == 1 && sc.received > 0) {
		*rtt_us = sc.rtt_min_us;
		return REASON_ECHO_REPLY;
	}
	if (code != 1 && code != 2) {
		*aux = (uint32_t)status;
		return REASON_EXEC_ERROR;
	}
	whole = code == 1 && !truncated && sc.strange == 0 && sc.send == 0 &&
	    sc.stats == 1 && sc.sent > 0 && sc.received == 0 &&
	    sc.dups == 0 && sc.corrupt == 0;
	if (whole && sc.errors == 0 && sc.errs == 0)
		return REASON_NO_REPLY;
	if (whole && sc.host_unreach == sc.errs && sc.errors == sc.errs &&
	    sc.errors == sc.sent)
		return REASON_HOST_UNREACH;
	if (sc.send > 0) {
		if (sc.send_errno == 0)
			return REASON_PING_ERRORS;
		*aux = (uint32_t)sc.send_errno;
		return REASON_SEND_ERROR;
	}
	if (sc.prohibited > 0) {
		*aux = sc.prohibited_aux;
		return REASON_ADMIN_PROHIBITED;
	}
	if (sc.icmp > 0) {
		*aux = sc.icmp_aux;
		return REASON_ICMP_ERROR;
	}
	if (sc.errs > 0 || sc.errors > 0 || sc.dups > 0 || sc.corrupt > 0 ||
	    sc.received > 0)
		return REASON_PING_ERRORS;
	*aux = (uint32_t)status;
	return REASON_EXEC_ERROR;
}

/*
 * ping(8) has a file capability, so the kernel clears a parent-death
 * signal at its exec: it would outlive us.  So the worker takes SIGTERM as
 * its own parent-death signal and kills its pings before it goes.
 */
static volatile sig_atomic_t px_term;
static pid_t px_parent;

/* px_on_term -- only a flag: the worker's loop looks at it every tick */
static void
px_on_term(int sig)
{
	(void)sig;
	px_term = 1;
}

/* px_gone -- 1 when the run is over for us: the parent died or closed
   our job pipe (it stops the sweep, or has every verdict) */
static int
px_gone(struct pool_worker *w)
{
	struct pollfd pfd = { pool_worker_fd(w), 0, 0 };

	if (px_term) {
		px_term = 0;
		if (getppid() != px_parent)
			return 1;
	}
	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR));
}

/* px_heartbeat -- tell the parent we live while the pings run */
static int
px_heartbeat(struct pool_worker *w)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.type = RECORD_HEARTBEAT;
	return pool_worker_send(w, &r);
}

/* What the worker kept of one ping's output. */
struct px_out {
	char text[PROBE_EXEC_OUT_MAX];
	size_t len;
	int truncated;     /* ping wrote more, or we could not read it all */
};

/*
 * px_drain -- read what the non-blocking FD holds into O; past
 * PROBE_EXEC_OUT_MAX read on and drop it (ping must never block on a full
 * pipe) and mark O truncated.  Returns 1 at EOF or on a read error (the
 * caller closes FD), 0 when the pipe is empty, 2 after PX_READS reads
 * (call again).
 */
static int
px_drain(int fd, struct px_out *o)
{
	char junk[4096];
	ssize_t r;
	int i;

	for (i = 0; i < PX_READS; i++) {
		if (o->len < sizeof(o->text))
			r = read(fd, o->text + o->len, sizeof(o->text) - o->len);
		else
			r = read(fd, junk, sizeof(junk));
		if (r > 0) {
			if (o->len < sizeof(o->text))
				o->len += (size_t)r;
			else
				o->truncated = 1;
		} else if (r == 0) {
			return 1;
		} else if (errno == EAGAIN) {
			return 0;
		} else if (errno != EINTR) {
			o->truncated = 1;
			return 1;
		}
	}
	return 2;
}

/* One ping(8) in flight. */
struct px_kid {
	pid_t pid;         /* 0: the slot is free */
	int fd;            /* our end of its pipe; -1 after EOF */
	int reaped;        /* waitpid has its STATUS */
	int status;
	uint32_t job;
	struct px_out out;
};

/* A worker: the jobs it holds, the pings it runs. */
struct px_run {
	const struct probe_exec *px;
	struct pool_worker *w;
	struct px_kid *kids;      /* px->inflight slots */
	unsigned cap;             /* pings that may run at once: inflight,
				     lowered when a fork or a pipe meets a
				     limit */
	unsigned active;          /* slots in use */
	uint32_t *q;              /* jobs not started yet: q[qh..qn) */
	size_t qh, qn, qcap;
	char **envp;              /* ping's environment (LC_ALL=C) */
	struct pollfd *pfds;      /* 1 + px->inflight */
	unsigned *pkid;           /* pfds[i + 1] is kids[pkid[i]]'s pipe */
	double tokens;            /* pings we may start now (--rate) */
	uint64_t tokens_ns;       /* when TOKENS was last topped up */
	uint64_t fail_since;      /* forks fail with none running since, or 0 */
};

/* px_stop -- kill every ping, reap them and leave: no evidence from a
   ping cut short */
static void
px_stop(struct px_run *r)
{
	unsigned i;
	int status;

	for (i = 0; i < r->px->inflight; i++)
		if (r->kids[i].pid > 0 && !r->kids[i].reaped)
			kill(r->kids[i].pid, SIGKILL);
	for (i = 0; i < r->px->inflight; i++)
		if (r->kids[i].pid > 0 && !r->kids[i].reaped)
			while (waitpid(r->kids[i].pid, &status, 0) < 0 &&
			    errno == EINTR)
				;
	_exit(0);
}

/*
 * px_env -- a copy of ENVIRON for ping: LC_ALL=C (the texts
 * probe_exec_parse knows, "0.041" not "0,041") and no LANGUAGE.  NULL
 * when out of memory.  Made once per worker, before any fork.
 */
static char **
px_env(void)
{
	extern char **environ;
	size_t n = 0, k = 0;
	char **e;

	while (environ != NULL && environ[n] != NULL)
		n++;
	if ((e = calloc(n + 2, sizeof(*e))) == NULL)
		return NULL;
	for (n = 0; environ != NULL && environ[n] != NULL; n++)
		if (strncmp(environ[n], "LC_ALL=", 7) != 0 &&
		    strncmp(environ[n], "LANGUAGE=", 9) != 0)
			e[k++] = environ[n];
	e[k++] = (char *)"LC_ALL=C";
	e[k] = NULL;
	return e;
}

/*
 * px_spawn -- start `ping -n -c COUNT -i INTERVAL -W TIMEOUT ADDR` for JOB
 * in the free slot K: fork and exec (no shell), stdout and stderr both
 * into one new pipe (the order of the two does not matter to
 * probe_exec_parse; ipsweep's own stdout carries results only, ping never
 * writes there).  Returns 0, or -1 with errno when a limit (processes,
 * descriptors, memory) stopped it: try again once a ping has ended.  A
 * failed exec exits 127.
 */
static int
px_spawn(struct px_run *r, struct px_kid *k, uint32_t job)
{
	const struct probe_exec *px = r->px;
	char a[ADDR_STRLEN], c[16], iv[16], t[16];
	char *argv[] = { (char *)"ping", (char *)"-n", (char *)"-c", c,
	    (char *)"-i", iv, (char *)"-W", t, a, NULL };
	int pfd[2], e;
	pid_t pid;

	k->out.len = 0;
	k->out.truncated = 0;
	k->job = job;
	k->reaped = 0;
	k->status = 0;
	addr_format(px->addrs[job], a);
	snprintf(c, sizeof(c), "%u", px->count);
	snprintf(iv, sizeof(iv), "%u.%03u", px->interval_ms / 1000,
	    px->interval_ms % 1000);
	snprintf(t, sizeof(t), "%u", px->timeout_s);
	/* only our end is non-blocking: ping's writes must wait for us,
	   not fail with EAGAIN and lose its lines */
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	if (fcntl(pfd[0], F_SETFL, O_NONBLOCK) < 0 || (pid = fork()) < 0) {
		e = errno;
		close(pfd[0]);
		close(pfd[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		/* both to us: the send errors are on stderr */
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		/* Ctrl-C to the terminal's group must not pass for "no
		   reply" (ping exits 1 on SIGINT): we stop it ourselves. */
		setpgid(0, 0);
		/* argv[0] "ping": its error(3) messages start "ping: " */
		execvpe(px->ping, argv, r->envp);
		_exit(127);
	}
	close(pfd[1]);
	k->pid = pid;
	k->fd = pfd[0];
	return 0;
}

/* px_report -- send the evidence slot K found and free the slot; -1 when
   the parent is gone */
static int
px_report(struct px_run *r, struct px_kid *k)
{
	const struct probe_exec *px = r->px;
	uint32_t rtt = 0, aux = 0, j = k->job;
	struct record rec;
	unsigned why;

	why = probe_exec_last_hop(probe_exec_parse(k->status, px->addrs[j],
	    k->out.text, k->out.len, k->out.truncated, &rtt, &aux),
	    px->onlink != NULL && px->onlink[j], &aux);
	memset(&rec, 0, sizeof(rec));
	rec.type = RECORD_EVIDENCE;
	rec.job = j;
	rec.reason = (uint8_t)why;
	rec.probes = (uint8_t)px->count;
	rec.aux = aux;
	rec.rtt_us = rtt;
	k->pid = 0;
	r->active--;
	return pool_worker_send(r->w, &rec);
}

/* px_failed -- evidence for JOB that no ping could be started for it,
   the fork or the pipe having failed with errno E */
static int
px_failed(struct px_run *r, uint32_t job, int e)
{
	struct record rec;

	memset(&rec, 0, sizeof(rec));
	rec.type = RECORD_EVIDENCE;
	rec.job = job;
	rec.reason = REASON_EXEC_ERROR;
	rec.aux = PROBE_EXEC_NOT_STARTED | ((uint32_t)e & 0xffffu);
	rec.probes = (uint8_t)r->px->count;
	return pool_worker_send(r->w, &rec);
}

/* px_queue -- add jobs FIRST..FIRST+COUNT (those below px->n) to the
   queue; -1 when out of memory */
static int
px_queue(struct px_run *r, uint32_t first, uint32_t count)
{
	uint32_t j;

	for (j = first; j < first + count && j < r->px->n; j++) {
		if (r->qn == r->qcap && r->qh > 0) {
			memmove(r->q, r->q + r->qh,
			    (r->qn - r->qh) * sizeof(*r->q));
			r->qn -= r->qh;
			r->qh = 0;
		}
		if (r->qn == r->qcap) {
			size_t cap = r->qcap ? r->qcap * 2 : 256;
			uint32_t *q = realloc(r->q, cap * sizeof(*q));

			if (q == NULL)
				return -1;
			r->q = q;
			r->qcap = cap;
		}
		r->q[r->qn++] = j;
	}
	return 0;
}

/* px_tokens -- top up the pings --rate lets us start now (a tenth of a
   second's worth at most: no burst after a pause) */
static void
px_tokens(struct px_run *r, uint64_t now)
{
	double max = r->px->spawn_pps / 10.0;

	if (r->px->spawn_pps <= 0)
		return;
	if (max < 1.0)
		max = 1.0;
	r->tokens += (double)(now - r->tokens_ns) / 1e9 * r->px->spawn_pps;
	if (r->tokens > max)
		r->tokens = max;
	r->tokens_ns = now;
}

/*
 * px_start -- start pings for queued jobs while there is room, --rate
 * allows and no limit stood in the way.  A limit met with pings running
 * lowers the number at once to those; with none running, other
 * processes of the user may end soon: the worker tries again every tick
 * for PX_GIVEUP_NS; after that every job it cannot start a ping for
 * fails (unknown, exec-error).  Returns -1 when the parent is gone.
 */
static int
px_start(struct px_run *r)
{
	uint64_t now = mono_now_ns();
	unsigned i = 0;

	px_tokens(r, now);
	while (r->active < r->cap && r->qh < r->qn &&
	    (r->px->spawn_pps <= 0 || r->tokens >= 1.0)) {
		while (r->kids[i].pid != 0)
			i++;
		if (px_spawn(r, &r->kids[i], r->q[r->qh]) < 0) {
			if (r->active > 0) {
				r->cap = r->active;
				break;
			}
			if (r->fail_since == 0)
				r->fail_since = now;
			if (now - r->fail_since < PX_GIVEUP_NS)
				break;
			if (px_failed(r, r->q[r->qh++], errno) < 0)
				return -1;
			continue;
		}
		r->fail_since = 0;
		r->qh++;
		r->active++;
		if (r->px->spawn_pps > 0)
			r->tokens -= 1.0;
	}
	if (r->qh == r->qn)
		r->qh = r->qn = 0;
	return 0;
}

/*
 * px_reap -- collect the pings that ended: their pipes at EOF and their
 * status taken; a ping that ended with its pipe still open elsewhere
 * (nothing of ours holds it) counts as truncated.  Returns -1 when the
 * parent is gone.
 */
static int
px_reap(struct px_run *r)
{
	unsigned i;
	int status, d;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < r->px->inflight; i++)
			if (r->kids[i].pid == pid && !r->kids[i].reaped) {
				r->kids[i].reaped = 1;
				r->kids[i].status = status;
				break;
			}
	for (i = 0; i < r->px->inflight; i++) {
		struct px_kid *k = &r->kids[i];

		if (k->pid <= 0 || !k->reaped)
			continue;
		/* everything it wrote is in the pipe by now */
		d = 1;
		while (k->fd >= 0 && (d = px_drain(k->fd, &k->out)) == 2)
			;
		if (k->fd >= 0) {
			if (d == 0)
				k->out.truncated = 1;  /* someone else holds it */
			close(k->fd);
			k->fd = -1;
		}
		if (px_report(r, k) < 0)
			return -1;
	}
	return 0;
}

/* px_init -- R ready for PX and W; -1 when out of memory */
static int
px_init(struct px_run *r, const struct probe_exec *px, struct pool_worker *w)
{
	unsigned n = px->inflight ? px->inflight : 1;

	memset(r, 0, sizeof(*r));
	r->px = px;
	r->w = w;
	r->cap = n;
	r->kids = calloc(n, sizeof(*r->kids));
	r->pfds = calloc(n + 1, sizeof(*r->pfds));
	r->pkid = calloc(n, sizeof(*r->pkid));
	r->envp = px_env();
	r->tokens = 1.0;
	r->tokens_ns = mono_now_ns();
	return r->kids && r->pfds && r->pkid && r->envp ? 0 : -1;
}

int
probe_exec_run(void *ctx, unsigned slot, struct pool_worker *w)
{
	const struct probe_exec *px = ctx;
	struct px_run run, *r = &run;
	struct probe_exec one;
	uint64_t said = mono_now_ns(), now;
	uint32_t first, count;
	struct sigaction sa;
	unsigned i, np;
	int rc, tick;

	(void)slot;
	if (px->inflight == 0) {
		one = *px;
		one.inflight = 1;
		px = &one;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = px_on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	px_parent = getppid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (px_init(r, px, w) < 0)
		return 1;
	for (;;) {
		if (px_gone(w))
			px_stop(r);
		while ((rc = pool_worker_jobs(w, &first, &count)) > 0)
			if (px_queue(r, first, count) < 0)
				px_stop(r);
		if (rc < 0)
			px_stop(r);   /* closed: the run is over */
		if (px_start(r) < 0 || px_reap(r) < 0)
			px_stop(r);
		now = mono_now_ns();
		if (now - said >= PX_HEARTBEAT_NS) {
			if (px_heartbeat(w) < 0)
				px_stop(r);
			said = now;
		}
		/* wakes at a job, a ping's output or its end (POLLHUP) */
		r->pfds[0].fd = pool_worker_fd(w);
		r->pfds[0].events = POLLIN;
		r->pfds[0].revents = 0;
		for (i = 0, np = 0; i < px->inflight; i++)
			if (r->kids[i].pid > 0 && r->kids[i].fd >= 0) {
				r->pfds[np + 1].fd = r->kids[i].fd;
				r->pfds[np + 1].events = POLLIN;
				r->pfds[np + 1].revents = 0;
				r->pkid[np++] = i;
			}
		tick = r->active > 0 || r->qh < r->qn ? PX_TICK_MS : 250;
		if (r->qh < r->qn && r->active < r->cap && px->spawn_pps > 0 &&
		    r->tokens < 1.0) {
			int ms = (int)((1.0 - r->tokens) * 1000.0 /
			    px->spawn_pps) + 1;

			if (ms < tick)
				tick = ms;
		}
		if (poll(r->pfds, np + 1, tick) <= 0)
			continue;
		for (i = 0; i < np; i++) {
			struct px_kid *k = &r->kids[r->pkid[i]];

			if (r->pfds[i + 1].revents == 0)
				continue;
			if (px_drain(k->fd, &k->out) == 1) {
				close(k->fd);
				k->fd = -1;
			}
		}
	}
	return 0;
}
