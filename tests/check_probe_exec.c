/* check_probe_exec.c - what ping(8) says, read right: real outputs */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include "evidence.h"
#include "probe_exec.h"
#include "verdict.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* an address in host order; wait statuses by hand: exit N is N << 8, a
   signal is its number */
#define A(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define EXIT(n) ((n) << 8)

Suite *probe_exec_suite(void);

/*
 * Real outputs of Debian 12's iputils-ping 20221126, `LC_ALL=C ping -n -c
 * 2 -W 1 ADDR` (without -q unless the name says so) in a lab of network
 * namespaces, stdout and stderr through one pipe as probe_exec reads
 * them.  The router is 192.0.2.1; 10.77.91.0/24 is on-link, the scanner
 * 10.77.91.1.  "synthetic" marks texts taken from ping's binary and
 * manual that the lab cannot produce, and cuts of real outputs.
 */
static const char all[] =
    "PING 10.77.90.1 (10.77.90.1) 56(84) bytes of data.\n"
    "64 bytes from 10.77.90.1: icmp_seq=1 ttl=63 time=0.056 ms\n"
    "64 bytes from 10.77.90.1: icmp_seq=2 ttl=63 time=0.081 ms\n"
    "\n"
    "--- 10.77.90.1 ping statistics ---\n"
    "2 packets transmitted, 2 received, 0% packet loss, time 1019ms\n"
    "rtt min/avg/max/mdev = 0.056/0.068/0.081/0.012 ms\n";

static const char partial[] =   /* the router dropped the first probe */
    "PING 10.77.90.3 (10.77.90.3) 56(84) bytes of data.\n"
    "64 bytes from 10.77.90.3: icmp_seq=2 ttl=63 time=0.080 ms\n"
    "\n"
    "--- 10.77.90.3 ping statistics ---\n"
    "2 packets transmitted, 1 received, 50% packet loss, time 1011ms\n"
    "rtt min/avg/max/mdev = 0.080/0.080/0.080/0.000 ms\n";

static const char dups[] =       /* the router copied a reply (nft dup) */
    "PING 10.77.90.60 (10.77.90.60) 56(84) bytes of data.\n"
    "64 bytes from 10.77.90.60: icmp_seq=1 ttl=63 time=0.053 ms\n"
    "64 bytes from 10.77.90.60: icmp_seq=1 ttl=63 time=0.054 ms (DUP!)\n"
    "64 bytes from 10.77.90.60: icmp_seq=2 ttl=63 time=0.086 ms\n"
    "\n"
    "--- 10.77.90.60 ping statistics ---\n"
    "2 packets transmitted, 2 received, +1 duplicates, 0% packet loss, "
    "time 1019ms\n"
    "rtt min/avg/max/mdev = 0.053/0.064/0.086/0.015 ms\n";

static const char silent[] =    /* a blackhole route: nothing comes */
    "PING 10.77.90.20 (10.77.90.20) 56(84) bytes of data.\n"
    "\n"
    "--- 10.77.90.20 ping statistics ---\n"
    "2 packets transmitted, 0 received, 100% packet loss, time 1011ms\n"
    "\n";

static const char prohib[] =    /* nft: reject with icmp admin-prohibited */
    "PING 10.77.90.5 (10.77.90.5) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Packet filtered\n"
    "From 192.0.2.1 icmp_seq=2 Packet filtered\n"
    "\n"
    "--- 10.77.90.5 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1019ms\n"
    "\n";

static const char host_prohib[] =
    "PING 10.77.90.8 (10.77.90.8) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Destination Host Prohibited\n"
    "From 192.0.2.1 icmp_seq=2 Destination Host Prohibited\n"
    "\n"
    "--- 10.77.90.8 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1019ms\n"
    "\n";

static const char net_prohib[] =
    "PING 10.77.90.9 (10.77.90.9) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Destination Net Prohibited\n"
    "From 192.0.2.1 icmp_seq=2 Destination Net Prohibited\n"
    "\n"
    "--- 10.77.90.9 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1019ms\n"
    "\n";

static const char half_prohib[] =  /* every other probe rejected, the
				      rest dropped */
    "PING 10.77.90.11 (10.77.90.11) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Packet filtered\n"
    "\n"
    "--- 10.77.90.11 ping statistics ---\n"
    "2 packets transmitted, 0 received, +1 errors, 100% packet loss, "
    "time 1012ms\n"
    "\n";

static const char net_unreach[] =
    "PING 10.77.90.6 (10.77.90.6) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Destination Net Unreachable\n"
    "From 192.0.2.1 icmp_seq=2 Destination Net Unreachable\n"
    "\n"
    "--- 10.77.90.6 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1019ms\n"
    "\n";

static const char ttl[] =       /* ping -t 1: the router's time exceeded */
    "PING 10.77.90.1 (10.77.90.1) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Time to live exceeded\n"
    "From 192.0.2.1 icmp_seq=2 Time to live exceeded\n"
    "\n"
    "--- 10.77.90.1 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1019ms\n"
    "\n";

static const char port_unreach[] =  /* from the router, not the target */
    "PING 10.77.90.10 (10.77.90.10) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Destination Port Unreachable\n"
    "From 192.0.2.1 icmp_seq=2 Destination Port Unreachable\n"
    "\n"
    "--- 10.77.90.10 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1019ms\n"
    "\n";

static const char router_host_unreach[] =  /* nft: host-unreachable */
    "PING 10.77.90.7 (10.77.90.7) 56(84) bytes of data.\n"
    "From 192.0.2.1 icmp_seq=1 Destination Host Unreachable\n"
    "From 192.0.2.1 icmp_seq=2 Destination Host Unreachable\n"
    "\n"
    "--- 10.77.90.7 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1019ms\n"
    "\n";

static const char arp_failed[] =   /* on-link, -W 5: every probe */
    "PING 10.77.91.52 (10.77.91.52) 56(84) bytes of data.\n"
    "From 10.77.91.1 icmp_seq=1 Destination Host Unreachable\n"
    "From 10.77.91.1 icmp_seq=2 Destination Host Unreachable\n"
    "\n"
    "--- 10.77.91.52 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1018ms\n"
    "pipe 2\n";

static const char arp_failed_some[] =  /* on-link, -c 4: 3 of 4 probes */
    "PING 10.77.91.141 (10.77.91.141) 56(84) bytes of data.\n"
    "From 10.77.91.1 icmp_seq=1 Destination Host Unreachable\n"
    "From 10.77.91.1 icmp_seq=2 Destination Host Unreachable\n"
    "From 10.77.91.1 icmp_seq=3 Destination Host Unreachable\n"
    "\n"
    "--- 10.77.91.141 ping statistics ---\n"
    "4 packets transmitted, 0 received, +3 errors, 100% packet loss, "
    "time 3050ms\n"
    "pipe 4\n";

static const char arp_pending[] =  /* on-link, -W 1: ARP not failed yet */
    "PING 10.77.91.50 (10.77.91.50) 56(84) bytes of data.\n"
    "\n"
    "--- 10.77.91.50 ping statistics ---\n"
    "2 packets transmitted, 0 received, 100% packet loss, time 1023ms\n"
    "\n";

static const char send_rejected[] =  /* our own nft output chain: reject */
    "PING 10.77.90.40 (10.77.90.40) 56(84) bytes of data.\n"
    "From 192.0.2.2 icmp_seq=1 Destination Port Unreachable\n"
    "ping: sendmsg: Operation not permitted\n"
    "From 192.0.2.2 icmp_seq=2 Destination Port Unreachable\n"
    "ping: sendmsg: Operation not permitted\n"
    "\n"
    "--- 10.77.90.40 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1007ms\n"
    "\n";

static const char no_route[] =     /* exit 2 */
    "ping: connect: Network is unreachable\n";

static const char target_prohib[] =  /* the on-link host's own filter */
    "PING 10.77.91.3 (10.77.91.3) 56(84) bytes of data.\n"
    "From 10.77.91.3 icmp_seq=1 Packet filtered\n"
    "From 10.77.91.3 icmp_seq=2 Packet filtered\n"
    "\n"
    "--- 10.77.91.3 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1012ms\n"
    "\n";

static const char target_port[] =
    "PING 10.77.90.1 (10.77.90.1) 56(84) bytes of data.\n"
    "From 10.77.90.1 icmp_seq=1 Destination Port Unreachable\n"
    "From 10.77.90.1 icmp_seq=2 Destination Port Unreachable\n"
    "\n"
    "--- 10.77.90.1 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1013ms\n"
    "\n";

/* with -q (as ipsweep ran ping before): the lines are gone */
static const char q_all[] =
    "PING 10.77.90.1 (10.77.90.1) 56(84) bytes of data.\n"
    "\n"
    "--- 10.77.90.1 ping statistics ---\n"
    "2 packets transmitted, 2 received, 0% packet loss, time 1031ms\n"
    "rtt min/avg/max/mdev = 0.037/0.045/0.054/0.008 ms\n";

static const char q_prohib[] =
    "PING 10.77.90.5 (10.77.90.5) 56(84) bytes of data.\n"
    "\n"
    "--- 10.77.90.5 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1018ms\n"
    "\n";

static const char q_arp_failed[] =
    "PING 10.77.91.52 (10.77.91.52) 56(84) bytes of data.\n"
    "\n"
    "--- 10.77.91.52 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1018ms\n"
    "pipe 2\n";

static const char q_send_rejected[] =  /* -q hides "sendmsg:" too */
    "PING 10.77.90.40 (10.77.90.40) 56(84) bytes of data.\n"
    "\n"
    "--- 10.77.90.40 ping statistics ---\n"
    "2 packets transmitted, 0 received, +2 errors, 100% packet loss, "
    "time 1011ms\n"
    "\n";

#define SILENT_HEAD \
    "PING 10.77.90.20 (10.77.90.20) 56(84) bytes of data.\n\n"
#define SILENT_TAIL \
    "--- 10.77.90.20 ping statistics ---\n" \
    "2 packets transmitted, 0 received, 100% packet loss, time 1011ms\n\n"
#define R20 A(10, 77, 90, 20)

static const struct {
	const char *name;
	int status;
	uint32_t addr;
	const char *out;
	size_t len;        /* 0: strlen(out) */
	int truncated;
	unsigned reason;
	uint32_t aux, rtt_us;
} vectors[] = {
	{"all replies", EXIT(0), A(10, 77, 90, 1), all, 0, 0,
	    REASON_ECHO_REPLY, 0, 56},
	{"partial replies", EXIT(0), A(10, 77, 90, 3), partial, 0, 0,
	    REASON_ECHO_REPLY, 0, 80},
	{"duplicates", EXIT(0), A(10, 77, 90, 60), dups, 0, 0,
	    REASON_ECHO_REPLY, 0, 53},
	{"no reply", EXIT(1), R20, silent, 0, 0, REASON_NO_REPLY, 0, 0},
	{"all prohibited (3/13)", EXIT(1), A(10, 77, 90, 5), prohib, 0, 0,
	    REASON_ADMIN_PROHIBITED, 3 << 8 | 13, 0},
	{"host prohibited (3/10)", EXIT(1), A(10, 77, 90, 8), host_prohib,
	    0, 0, REASON_ADMIN_PROHIBITED, 3 << 8 | 10, 0},
	{"net prohibited (3/9)", EXIT(1), A(10, 77, 90, 9), net_prohib, 0, 0,
	    REASON_ADMIN_PROHIBITED, 3 << 8 | 9, 0},
	{"one prohibited, one dropped", EXIT(1), A(10, 77, 90, 11),
	    half_prohib, 0, 0, REASON_ADMIN_PROHIBITED, 3 << 8 | 13, 0},
	{"net unreachable", EXIT(1), A(10, 77, 90, 6), net_unreach, 0, 0,
	    REASON_ICMP_ERROR, 3 << 8 | 0, 0},
	{"time exceeded", EXIT(1), A(10, 77, 90, 1), ttl, 0, 0,
	    REASON_ICMP_ERROR, 11 << 8 | 0, 0},
	{"port unreachable from a router", EXIT(1), A(10, 77, 90, 10),
	    port_unreach, 0, 0, REASON_ICMP_ERROR, 3 << 8 | 3, 0},
	{"host unreachable from the router, every probe", EXIT(1),
	    A(10, 77, 90, 7), router_host_unreach, 0, 0, REASON_HOST_UNREACH,
	    0, 0},
	{"on-link ARP failed, every probe", EXIT(1), A(10, 77, 91, 52),
	    arp_failed, 0, 0, REASON_HOST_UNREACH, 0, 0},
	{"on-link ARP failed, 3 of 4 probes", EXIT(1), A(10, 77, 91, 141),
	    arp_failed_some, 0, 0, REASON_PING_ERRORS, 0, 0},
	{"on-link ARP still pending", EXIT(1), A(10, 77, 91, 50),
	    arp_pending, 0, 0, REASON_NO_REPLY, 0, 0},
	{"send error (sendmsg EPERM)", EXIT(1), A(10, 77, 90, 40),
	    send_rejected, 0, 0, REASON_SEND_ERROR, EPERM, 0},
	{"no route (connect, exit 2)", EXIT(2), A(10, 99, 0, 1), no_route,
	    0, 0, REASON_SEND_ERROR, ENETUNREACH, 0},
	{"prohibited by the target itself", EXIT(1), A(10, 77, 91, 3),
	    target_prohib, 0, 0, REASON_ICMP_FROM_TARGET, 3 << 8 | 13, 0},
	{"port unreachable from the target", EXIT(1), A(10, 77, 90, 1),
	    target_port, 0, 0, REASON_ICMP_FROM_TARGET, 3 << 8 | 3, 0},
	{"-q: all replies", EXIT(0), A(10, 77, 90, 1), q_all, 0, 0,
	    REASON_ECHO_REPLY, 0, 37},
	{"-q: prohibited is only +2 errors", EXIT(1), A(10, 77, 90, 5),
	    q_prohib, 0, 0, REASON_PING_ERRORS, 0, 0},
	{"-q: ARP failure is only +2 errors", EXIT(1), A(10, 77, 91, 52),
	    q_arp_failed, 0, 0, REASON_PING_ERRORS, 0, 0},
	{"-q: send error is only +2 errors", EXIT(1), A(10, 77, 90, 40),
	    q_send_rejected, 0, 0, REASON_PING_ERRORS, 0, 0},

	/* the same replies, but ADDR is another address */
	{"replies from another address", EXIT(0), A(10, 77, 90, 2), all, 0,
	    0, REASON_OTHER_SOURCE, A(10, 77, 90, 1), 0},
	/* statuses: a reply line is proof whatever the status */
	{"replies, then SIGKILL", SIGKILL, A(10, 77, 90, 1), all, 0, 0,
	    REASON_ECHO_REPLY, 0, 56},
	{"silence, then SIGKILL", SIGKILL, R20, silent, 0, 0,
	    REASON_EXEC_ERROR, SIGKILL, 0},
	{"silence text, exit 0", EXIT(0), R20, silent, 0, 0,
	    REASON_EXEC_ERROR, EXIT(0), 0},
	{"silence text, exit 2", EXIT(2), R20, silent, 0, 0,
	    REASON_EXEC_ERROR, EXIT(2), 0},
	{"exec failed", EXIT(127), R20, "", 0, 0, REASON_EXEC_ERROR,
	    EXIT(127), 0},
	{"exit 1, no output", EXIT(1), R20, "", 0, 0, REASON_EXEC_ERROR,
	    EXIT(1), 0},
	{"SIGTERM, no output", SIGTERM, R20, "", 0, 0, REASON_EXEC_ERROR,
	    SIGTERM, 0},
	/* synthetic: a setup error (exit 2) is no send error */
	{"socket refused (exit 2)", EXIT(2), R20,
	    "ping: socket: Operation not permitted\n", 0, 0,
	    REASON_EXEC_ERROR, EXIT(2), 0},

	/* truncated: never silent, never free */
	{"truncated flag on silence", EXIT(1), R20, silent, 0, 1,
	    REASON_EXEC_ERROR, EXIT(1), 0},
	{"cut inside the summary", EXIT(1), R20, silent, 60, 0,
	    REASON_EXEC_ERROR, EXIT(1), 0},
	{"cut before the summary's end", EXIT(1), R20, silent,
	    sizeof(silent) - 4, 0, REASON_EXEC_ERROR, EXIT(1), 0},
	{"prohibited, cut before the summary", EXIT(1), A(10, 77, 90, 5),
	    prohib, 100, 1, REASON_ADMIN_PROHIBITED, 3 << 8 | 13, 0},
	{"every probe ARP failed, truncated", EXIT(1), A(10, 77, 91, 52),
	    arp_failed, 0, 1, REASON_PING_ERRORS, 0, 0},
	{"replies, cut after the first", EXIT(0), A(10, 77, 90, 1), all,
	    112, 1, REASON_ECHO_REPLY, 0, 56},
	{"a reply line cut short", EXIT(0), A(10, 77, 90, 1), all, 92, 1,
	    REASON_ECHO_REPLY, 0, 0},

	/* synthetic: a line we do not know forbids silence */
	{"silence and a warning", EXIT(1), R20,
	    SILENT_HEAD "ping: Warning: time of day goes back\n" SILENT_TAIL,
	    0, 0, REASON_EXEC_ERROR, EXIT(1), 0},
	{"silence and sendmsg ENOBUFS", EXIT(1), R20,
	    SILENT_HEAD "ping: sendmsg: No buffer space available\n"
	    SILENT_TAIL, 0, 0, REASON_SEND_ERROR, ENOBUFS, 0},
	{"silence and an unknown send error text", EXIT(1), R20,
	    SILENT_HEAD "ping: sendmsg: Frobnicated\n" SILENT_TAIL, 0, 0,
	    REASON_PING_ERRORS, 0, 0},
	{"local error, message too long", EXIT(1), R20,
	    SILENT_HEAD "ping: local error: message too long, mtu=1400\n"
	    SILENT_TAIL, 0, 0, REASON_SEND_ERROR, EMSGSIZE, 0},
	{"silence, and a reply from a broadcast", EXIT(0), R20,
	    SILENT_HEAD "64 bytes from 10.77.90.255: icmp_seq=1 ttl=64 "
	    "time=0.1 ms\n" SILENT_TAIL, 0, 0, REASON_OTHER_SOURCE,
	    A(10, 77, 90, 255), 0},
	{"a bad code", EXIT(1), R20,
	    SILENT_HEAD "From 192.0.2.1 icmp_seq=1 Dest Unreachable, Bad "
	    "Code: 14\n" SILENT_TAIL, 0, 0, REASON_ICMP_ERROR, 3 << 8 | 14, 0},
	{"frag needed", EXIT(1), R20,
	    SILENT_HEAD "From 192.0.2.1 icmp_seq=1 Frag needed and DF set "
	    "(mtu = 1400)\n" SILENT_TAIL, 0, 0, REASON_ICMP_ERROR,
	    3 << 8 | 4, 0},
	{"redirect (raw socket path)", EXIT(1), R20,
	    SILENT_HEAD "From 192.0.2.1: icmp_seq=1 Redirect Host(New "
	    "nexthop: 192.0.2.9)\n" SILENT_TAIL, 0, 0, REASON_ICMP_ERROR,
	    5 << 8 | 1, 0},
	{"an error text we do not know", EXIT(1), R20,
	    SILENT_HEAD "From 192.0.2.1 icmp_seq=1 Something new\n"
	    SILENT_TAIL, 0, 0, REASON_PING_ERRORS, 0, 0},
	{"host unreachable, then prohibited", EXIT(1), R20,
	    SILENT_HEAD "From 192.0.2.1 icmp_seq=1 Destination Host "
	    "Unreachable\nFrom 192.0.2.1 icmp_seq=2 Packet filtered\n"
	    "--- 10.77.90.20 ping statistics ---\n2 packets transmitted, 0 "
	    "received, +2 errors, 100% packet loss, time 1011ms\n", 0, 0,
	    REASON_ADMIN_PROHIBITED, 3 << 8 | 13, 0},
	{"host unreachable for TOS is no host unreachable", EXIT(1), R20,
	    SILENT_HEAD "From 192.0.2.1 icmp_seq=1 Destination Host "
	    "Unreachable for Type of Service\nFrom 192.0.2.1 icmp_seq=2 "
	    "Destination Host Unreachable for Type of Service\n"
	    "--- 10.77.90.20 ping statistics ---\n2 packets transmitted, 0 "
	    "received, +2 errors, 100% packet loss, time 1011ms\n", 0, 0,
	    REASON_ICMP_ERROR, 3 << 8 | 12, 0},
	{"+N errors without a line", EXIT(1), R20,
	    SILENT_HEAD "--- 10.77.90.20 ping statistics ---\n2 packets "
	    "transmitted, 0 received, +1 errors, 100% packet loss, time "
	    "1011ms\n", 0, 0, REASON_PING_ERRORS, 0, 0},
	{"an error line, but no +N errors", EXIT(1), R20,
	    SILENT_HEAD "From 192.0.2.1 icmp_seq=1 Destination Host "
	    "Unreachable\nFrom 192.0.2.1 icmp_seq=2 Destination Host "
	    "Unreachable\n" SILENT_TAIL, 0, 0, REASON_PING_ERRORS, 0, 0},
	{"corrupted replies", EXIT(1), R20,
	    SILENT_HEAD "--- 10.77.90.20 ping statistics ---\n2 packets "
	    "transmitted, 0 received, +1 corrupted, 100% packet loss, time "
	    "1011ms\n", 0, 0, REASON_PING_ERRORS, 0, 0},
	{"nothing sent", EXIT(1), R20,
	    SILENT_HEAD "--- 10.77.90.20 ping statistics ---\n0 packets "
	    "transmitted, 0 received\n", 0, 0, REASON_EXEC_ERROR, EXIT(1), 0},
	{"two summaries", EXIT(1), R20, SILENT_HEAD SILENT_TAIL SILENT_TAIL,
	    0, 0, REASON_EXEC_ERROR, EXIT(1), 0},
	{"a summary with junk", EXIT(1), R20,
	    SILENT_HEAD "--- 10.77.90.20 ping statistics ---\n2 packets "
	    "transmitted, 0 received, 100% packet loss, time 1011ms, "
	    "perhaps\n", 0, 0, REASON_EXEC_ERROR, EXIT(1), 0},
	{"a NUL in a line", EXIT(1), R20, SILENT_HEAD "\0x\n" SILENT_TAIL,
	    sizeof(SILENT_HEAD "\0x\n" SILENT_TAIL) - 1, 0,
	    REASON_EXEC_ERROR, EXIT(1), 0},
	{"the summary only, 1 of 3 sent", EXIT(1), R20,
	    "3 packets transmitted, 0 received, 100% packet loss, time "
	    "2000ms\n", 0, 0, REASON_NO_REPLY, 0, 0},
};

START_TEST(test_parse)
{
	const char *out = vectors[_i].out;
	size_t len = vectors[_i].len != 0 ? vectors[_i].len : strlen(out);
	uint32_t rtt = 99, aux = 99;
	unsigned why;

	why = probe_exec_parse(vectors[_i].status, vectors[_i].addr, out, len,
	    vectors[_i].truncated, &rtt, &aux);
	ck_assert_msg(why == vectors[_i].reason, "%s: reason %s, expected %s",
	    vectors[_i].name, reason_name(why),
	    reason_name(vectors[_i].reason));
	ck_assert_msg(aux == vectors[_i].aux, "%s: aux %#x, expected %#x",
	    vectors[_i].name, aux, vectors[_i].aux);
	ck_assert_msg(rtt == vectors[_i].rtt_us, "%s: rtt %u, expected %u",
	    vectors[_i].name, rtt, vectors[_i].rtt_us);
}
END_TEST

/*
 * A pipe cut anywhere before the end of the summary line cannot tell; from
 * there on nothing that ping prints after it (an empty line, "pipe N")
 * can change the reading.
 */
START_TEST(test_prefixes)
{
	size_t n = strlen(silent), k, whole;
	uint32_t rtt, aux;

	whole = (size_t)(strstr(silent, "time 1011ms\n") - silent) + 12;
	for (k = 0; k <= n; k++) {
		unsigned why = probe_exec_parse(EXIT(1), R20, silent, k, 0,
		    &rtt, &aux);

		if (k < whole)
			ck_assert_msg(evidence_class(why) ==
			    EVIDENCE_CANNOT_TELL, "prefix of %zu bytes: %s", k,
			    reason_name(why));
		else
			ck_assert_msg(why == REASON_NO_REPLY,
			    "prefix of %zu bytes: %s", k, reason_name(why));
	}
}
END_TEST

static const struct {
	const char *out;
	unsigned rtt_us;
} outs[] = {
	{"\n--- 10.0.0.1 ping statistics ---\n1 packets transmitted, 1 "
	    "received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = "
	    "0.041/0.052/0.063/0.010 ms\n", 41},
	{"rtt min/avg/max/mdev = 12.5/13/14/1 ms", 12500},
	{"rtt min/avg/max/mdev = 1500.123456/1/1/0 ms", 1500123},
	{"rtt min/avg/max/mdev = 7/8/9/0 ms", 7000},
	{"rtt min/avg/max/mdev = 9999999/1/1/0 ms", UINT32_MAX},  /* saturated */
	{"2 packets transmitted, 0 received, 100% packet loss", 0},
	{"rtt min/avg/max/mdev = 0,041/0,052/0,063/0,010 ms", 0}, /* locale */
	{"rtt min/avg/max/mdev = 7", 0},
	{"rtt min/avg/max/mdev = ", 0},
	{"", 0},
};

/*
 * Host unreachable is weak silence only when our own kernel said it (an
 * on-link target); from a router within ping's wait it cannot tell.
 * Every other reason passes unchanged, and AUX with it.
 */
START_TEST(test_last_hop)
{
	uint32_t aux = 77;
	unsigned r;

	ck_assert_uint_eq(probe_exec_last_hop(REASON_HOST_UNREACH, 1, &aux),
	    REASON_HOST_UNREACH);
	ck_assert_uint_eq(aux, 77);
	ck_assert_uint_eq(probe_exec_last_hop(REASON_HOST_UNREACH, 0, &aux),
	    REASON_ICMP_ERROR);
	ck_assert_uint_eq(aux, 3u << 8 | 1u);
	for (r = 0; r < REASON_MAX; r++) {
		if (r == REASON_HOST_UNREACH)
			continue;
		aux = 5;
		ck_assert_uint_eq(probe_exec_last_hop(r, 0, &aux), r);
		ck_assert_uint_eq(probe_exec_last_hop(r, 1, &aux), r);
		ck_assert_uint_eq(aux, 5);
	}
}
END_TEST

START_TEST(test_rtt)
{
	ck_assert_uint_eq(probe_exec_rtt(outs[_i].out), outs[_i].rtt_us);
}
END_TEST

Suite *
probe_exec_suite(void)
{
	Suite *s = suite_create("probe_exec");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, NELEM(vectors));
	tcase_add_test(tc, test_prefixes);
	tcase_add_test(tc, test_last_hop);
	tcase_add_loop_test(tc, test_rtt, 0, NELEM(outs));
	suite_add_tcase(s, tc);
	return s;
}
