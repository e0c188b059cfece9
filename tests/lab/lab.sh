# shellcheck shell=bash
# tests/lab/lab.sh -- a network-namespace lab for ipsweep's end-to-end tests,
# `make demo`, `make lab-shell` and `make bench`.  Source it from bash:
#
#     . tests/lab/lab.sh
#     lab_init                                  # root; traps clean up on exit
#     lab_routed 10.77.1.0/24 10.77.1.5 10.77.1.9
#     lab_run ping -c1 -W1 10.77.1.5            # runs in the scanner netns
#
# SAFETY.  Every packet the lab makes stays inside namespaces that it created
# itself.  Nothing is ever sent from the caller's own namespace: the lab puts
# no interface there (veth pairs are created inside lab namespaces), and
# lab_run/lab_exec always enter a lab namespace first.  lab_destroy (also run
# by the traps lab_init installs, for EXIT, INT, TERM and HUP) kills the lab's
# processes and deletes all of its namespaces; it is idempotent.
#
# TOPOLOGY (names are "$LAB" plus one letter; $LAB is "ips<pid>" so that
# runs never collide and leftovers can be traced to their owner):
#
#   $LAB_SCAN (s)  --r0/s0--  router (r)  --h0/r0--  hosts (h)
#        |                       \--t0/r0-- late (t)      [routed late hosts]
#        +--o<k>--  bridge ns (b): bridge br<k>  --b0--  lan<k> (l<k>)
#                                               --b0--  host2 (m<k>)
#                                               --o<k>-- late (t) [on-link]
#
#   Transit links use 192.0.2.0/24 (TEST-NET-1), which tests must not sweep:
#   scanner 192.0.2.2 -- 192.0.2.1 router 192.0.2.5 -- 192.0.2.6 hosts;
#   router 192.0.2.9 -- 192.0.2.10 late.  The scanner has NO default route:
#   only lab prefixes are reachable, anything else fails locally with
#   ENETUNREACH and sends nothing.
#
# Dead addresses are silent: in the hosts namespace each routed prefix is a
# blackhole route (dropped without an ICMP error), live addresses are /32 on
# lo (the local table wins over the blackhole).  On a segment, dead addresses
# simply get no ARP answer (the scanner's own kernel then reports "host
# unreachable" locally, exactly as on a real LAN).  Every lab namespace has
# IPv6 off (no ND/MLD chatter), redirects off, rp_filter off and ICMP rate
# limiting off (so that errors the tests ask for are never rate-limited).
#
# Limits: the kernel's neighbour (ARP) table and its gc_thresh1-3 limits
# (1024 entries by default) are shared by all namespaces and can only be
# changed in the host's own namespace, which the lab does not touch: an
# on-link sweep competes with any other on-link sweep running at the same
# time.  Two labs never share anything else.  A lab whose owner was killed
# with SIGKILL stays until lab_gc runs (run-tests.sh runs it first); its
# late responders exit by themselves within a second.
#
# API (every function exits the script with a message on a setup error; the
# traps then remove the lab):
#   lab_require                 0 if root, ip netns, nft, sysctl, python3 work;
#                               else prints why and returns 1
#   lab_init                    new lab: sets LAB, LAB_DIR (state, removed
#                               with the lab), LAB_TMP (scratch dir, same),
#                               IPSWEEP_DB (exported: the lab's own history
#                               database, under LAB_TMP),
#                               LAB_SCAN (scanner netns name); installs traps
#   lab_routed PREFIX/LEN [LIVE|@FILE]...
#                               route PREFIX from the scanner through the
#                               router to the hosts ns; LIVE answer, the rest
#                               is silent.  Repeatable for more prefixes.
#   lab_onlink SUBNET/LEN SCANNER_ADDR [LIVE|@FILE]...
#                               a bridge segment: the scanner gets
#                               SCANNER_ADDR/LEN, one lan ns holds every LIVE
#                               (answers ARP for all).  Repeatable.
#   lab_onlink_host2 ADDR...    ADDR on a second host of ADDR's segment, with
#                               its own MAC (an address conflict if ADDR is
#                               also live in the lan ns)
#   lab_drop_echo ADDR...       the host owning ADDR silently drops echo
#                               requests to it (still answers ARP on-link);
#                               a routed ADDR nobody owns is dropped at the
#                               router, and so is a routed RANGE given as
#                               a.b.c.d/nn or a.b.c.d-e.f.g.h (one rule)
#   lab_prohibit ADDR...        echo requests to ADDR are answered with ICMP
#                               type 3 code 13 (admin prohibited): by the
#                               router for routed ADDR (as a firewall would),
#                               by the owning host for on-link ADDR
#   lab_loss PERCENT            the router drops that share of echo requests
#                               (routed ranges only); 0 removes the rule
#   lab_reject PREFIX/LEN TYPE [all]
#                               the router answers echo requests to PREFIX
#                               (every packet to it with "all") with ICMP
#                               TYPE, an nft `reject with icmp type` name:
#                               net-unreachable (3/0), host-unreachable
#                               (3/1), admin-prohibited (3/13), ...
#   lab_net_unreach PREFIX/LEN  lab_reject PREFIX net-unreachable all: a
#                               router that lost its route (or VPN) to PREFIX
#   lab_ttl_expire PREFIX/LEN   echo requests to PREFIX reach the router with
#                               TTL 1: it answers time exceeded (ICMP 11/0),
#                               as a routing loop would; other traffic passes
#   lab_arp_loss PERCENT        the lab's bridges drop that share of the ARP
#                               requests they forward (every on-link
#                               segment); 0 keeps only the counter
#   lab_arp_counts              "SEEN DROPPED": ARP requests the bridges
#                               forwarded or dropped since lab_arp_loss
#   lab_syn_record              the router records, for each address and
#                               port, when the first TCP SYN to it passed
#                               (routed ranges); restarts the record
#   lab_syn_ages                "ADDR PORT MS" lines: ms since that SYN
#   lab_syn_unfinished FILE PORTS MS
#                               the addresses of FILE whose TCP check on
#                               PORTS (22,80) cannot have run MS ms: a port
#                               with no SYN recorded, or a SYN younger than
#                               MS; each with why
#   lab_late ADDR DELAY_MS      a host (own ns, kernel echo off) whose python
#                               responder answers echo requests to ADDR after
#                               DELAY_MS, copying id, seq and payload
#   lab_ping_group_range LO HI  net.ipv4.ping_group_range in the scanner ns
#   lab_resolver ADDR           the scanner ns resolves names through ADDR:
#                               /etc/netns/$LAB_SCAN/resolv.conf, which `ip
#                               netns exec` mounts over /etc/resolv.conf
#                               (lab_run, lab_sweep); removed with the lab
#   lab_dnsmasq HOSTS [ARG...]  a DNS server in the scanner ns on
#                               $LAB_DNS_ADDR:53 (the scanner's transit
#                               address), answering from the hosts file HOSTS
#                               only (ARGs: more dnsmasq options, such as
#                               --bogus-priv for NXDOMAIN on private reverse
#                               names); waits until the first address of HOSTS
#                               resolves; LAB_DNS_PID; returns 1 if it never does
#   lab_run CMD...              run CMD in the scanner namespace
#   lab_exec NS CMD...          run CMD in lab namespace NS
#   lab_netns                   list this lab's namespaces
#   lab_live                    print the addresses configured live (routed,
#                               on-link, host2, late, scanner's own on-link
#                               addresses), sorted numerically
#   lab_describe                a human summary of the lab
#   lab_destroy                 kill lab processes, delete its namespaces
#   lab_gc                      remove labs whose owner process is gone
# Address helpers (pure text, no lab needed):
#   lab_expand TARGET...        addresses of a.b.c.d, a.b.c.d/nn (below /31
#                               without network and broadcast), a.b.c.d-e.f.g.h,
#                               a.b.c.d-h; numerically sorted
#   lab_pick SEED PERMILLE TARGET...
#                               deterministic pseudo-random subset (Park-Miller
#                               generator in awk, identical on mawk and gawk)
#   lab_sort_ip [FILE]          numeric sort, unique
#   lab_minus A B               lines of file A not in file B (order kept)
#   lab_common A B              lines of file A also in file B
# Test helpers (for t-*.sh):
#   lab_test_begin IPSWEEP      resolve the binary, lab_init
#   lab_test_hooks KNOB         IPSWEEP: the test-hook binary that has KNOB
#   lab_sweep TAG ARGS...       run "$IPSWEEP ARGS" in the scanner ns
#                               ($LAB_SWEEP_CAP s, default 60); stdout -> $LAB_TMP/TAG.out, stderr ->
#                               TAG.err, status -> LAB_RC and TAG.rc
#   lab_sweep_bg TAG ARGS...    the same in the background, LAB_BG_PID is
#                               ipsweep itself (its children: the workers)
#   lab_sweep_wait TAG          wait for it (same cap), LAB_RC
#   lab_scan_procs              pids still in the scanner namespace
#   lab_icmp_counter_start      count ICMP leaving the scanner (nftables)
#   lab_icmp_counter            ... and print the count
#   lab_abspath PATH            PATH made absolute
#   lab_check_list WHAT EXPECTED_FILE ACTUAL_FILE   same set, diff on failure
#   lab_check_sorted WHAT FILE  numerically sorted, each line once
#   lab_check_rc WHAT EXPECTED ACTUAL
#   lab_check_empty WHAT FILE
#   lab_check_summary TAG TOTAL FREE USED UNKNOWN   the stderr summary line
#   lab_ok MSG / lab_bad MSG    record a passed/failed check
#   lab_finish                  print the verdict, exit 0 or 1

# Transit addresses (see TOPOLOGY).
LAB__SCAN_ADDR=192.0.2.2
LAB__RTR_SCAN=192.0.2.1
LAB__RTR_HOSTS=192.0.2.5
LAB__HOSTS_ADDR=192.0.2.6
LAB__RTR_LATE=192.0.2.9
LAB__LATE_ADDR=192.0.2.10

# Where lab state lives: one directory per lab, with the owner's pid, the
# namespaces it made and the pids of its helper processes.  lab_gc uses it
# to remove the leftovers of a killed run (and only those).
LAB_STATE_ROOT=${LAB_STATE_ROOT:-/run/ipsweep-lab}
LAB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

lab__die() {
	printf 'lab: %s\n' "$*" >&2
	exit 1
}

lab__python() {
	# /usr/bin/python3 first: a pyenv shim may not work under `ip netns exec`
	# with a reduced environment.
	if [[ -x /usr/bin/python3 ]]; then
		printf '%s\n' /usr/bin/python3
	else
		command -v python3
	fi
}

lab_require() {
	local missing=""
	if [[ $(id -u) != 0 ]]; then
		echo "lab: needs root (network namespaces, veth, nftables); run as root" >&2
		return 1
	fi
	local c
	for c in ip nft sysctl timeout; do
		command -v "$c" >/dev/null 2>&1 || missing+=" $c"
	done
	[[ -n $(lab__python) ]] || missing+=" python3"
	if [[ -n $missing ]]; then
		echo "lab: missing commands:$missing (Debian: iproute2 nftables procps coreutils python3)" >&2
		return 1
	fi
	if ! ip netns list >/dev/null 2>&1; then
		echo "lab: 'ip netns' does not work here (no network namespace support?)" >&2
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- addresses

# lab__ip2int ADDR -> decimal on stdout; strict dotted quad (no octal/hex).
lab__ip2int() {
	local a=$1 o1 o2 o3 o4
	[[ $a =~ ^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$ ]] ||
		lab__die "not an IPv4 address: '$a'"
	o1=${BASH_REMATCH[1]} o2=${BASH_REMATCH[2]} o3=${BASH_REMATCH[3]} o4=${BASH_REMATCH[4]}
	((o1 < 256 && o2 < 256 && o3 < 256 && o4 < 256)) || lab__die "not an IPv4 address: '$a'"
	echo $(((o1 << 24) | (o2 << 16) | (o3 << 8) | o4))
}

lab__int2ip() {
	local n=$1
	echo "$(((n >> 24) & 255)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))"
}

# lab__cidr A.B.C.D/LEN -> "NETINT LEN" (network address, host bits cleared)
lab__cidr() {
	local p=$1 a len n mask
	[[ $p == */* ]] || lab__die "not a prefix a.b.c.d/len: '$p'"
	a=${p%/*} len=${p#*/}
	[[ $len =~ ^([0-9]|[12][0-9]|3[0-2])$ ]] || lab__die "bad prefix length in '$p'"
	n=$(lab__ip2int "$a") || exit 1
	mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
	echo "$((n & mask)) $len"
}

# lab__in_cidr ADDR PREFIX -> status 0 if ADDR is inside PREFIX
lab__in_cidr() {
	local n net len mask
	n=$(lab__ip2int "$1") || exit 1
	read -r net len < <(lab__cidr "$2")
	mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
	(((n & mask) == net))
}

# lab__awk_ip: awk functions shared by the list helpers (awk is fast enough
# for a /16 where a bash loop is not).
# shellcheck disable=SC2016
LAB__AWK_IP='
function ip2n(s,   p) { split(s, p, "."); return ((p[1] * 256 + p[2]) * 256 + p[3]) * 256 + p[4] }
function n2ip(n) { return sprintf("%d.%d.%d.%d", int(n / 16777216) % 256, int(n / 65536) % 256, int(n / 256) % 256, n % 256) }
function pw2(k,   r) { r = 1; while (k-- > 0) r *= 2; return r }
function bad(t) { printf "lab: bad target %s\n", t > "/dev/stderr"; exit 2 }
function okip(s,   p, i) { if (s !~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/) return 0; split(s, p, "."); for (i = 1; i <= 4; i++) if (p[i] + 0 > 255 || p[i] ~ /^0[0-9]/) return 0; return 1 }
# range(t): sets LO and HI for target t, with the CIDR network/broadcast rule
function range(t,   a, len, size, b, base) {
	if (t ~ /\//) {
		split(t, a, "/"); len = a[2]
		if (!okip(a[1]) || len !~ /^[0-9]+$/ || len > 32) bad(t)
		size = pw2(32 - len); LO = ip2n(a[1]) - ip2n(a[1]) % size; HI = LO + size - 1
		if (len < 31) { LO++; HI-- }
	} else if (t ~ /-/) {
		split(t, a, "-")
		if (!okip(a[1])) bad(t)
		LO = ip2n(a[1])
		if (a[2] ~ /^[0-9]+$/) { base = LO - LO % 256; HI = base + a[2]; if (a[2] > 255) bad(t) }
		else if (okip(a[2])) HI = ip2n(a[2])
		else bad(t)
		if (HI < LO) bad(t)
	} else {
		if (!okip(t)) bad(t)
		LO = HI = ip2n(t)
	}
}
'

lab_expand() {
	printf '%s\n' "$@" | awk "$LAB__AWK_IP"'
		NF { range($1); for (n = LO; n <= HI; n++) print n }' |
		sort -n -u | awk "$LAB__AWK_IP"'{ print n2ip($1) }'
}

# lab_pick SEED PERMILLE TARGET... : each address of the targets is kept
# with probability PERMILLE/1000, decided by a Park-Miller generator seeded
# with SEED (products stay below 2^53, so awk doubles are exact).
lab_pick() {
	local seed=$1 permille=$2
	shift 2
	lab_expand "$@" | awk -v seed="$seed" -v pm="$permille" '
		BEGIN { x = seed % 2147483647; if (x <= 0) x += 2147483646 }
		{ x = (x * 16807) % 2147483647; if (x % 1000 < pm) print }'
}

# lab_abspath PATH: PATH made absolute, its directory part resolved
# ("./ipsweep" -> "/work/main/ipsweep"); the file need not exist.
lab_abspath() {
	local d
	d=$(cd "$(dirname "$1")" 2>/dev/null && pwd) || d=$(dirname "$1")
	[[ $d == /* ]] || d=$PWD/$d
	printf '%s/%s\n' "${d%/}" "$(basename "$1")"
}

lab_sort_ip() {
	sort -t . -k1,1n -k2,2n -k3,3n -k4,4n -u "$@"
}

# (FILENAME, not NR == FNR: an empty second file must not swallow the first)
lab_minus() {
	awk -v b="$2" 'FILENAME == b { s[$0]; next } !($0 in s)' "$2" "$1"
}

lab_common() {
	awk -v b="$2" 'FILENAME == b { s[$0]; next } ($0 in s)' "$2" "$1"
}

# lab__addrs ARG... : print the addresses named by the args; "@FILE" reads
# FILE (one per line).  Each is checked to be a dotted quad.
lab__addrs() {
	local a
	for a in "$@"; do
		if [[ $a == @* ]]; then
			[[ -r ${a#@} ]] || lab__die "cannot read address file '${a#@}'"
			grep -v '^[[:space:]]*$' "${a#@}"
		else
			printf '%s\n' "$a"
		fi
	done | awk "$LAB__AWK_IP"'{ if (!okip($1)) { print "lab: not an IPv4 address: " $1 > "/dev/stderr"; exit 2 } print $1 }'
}

# ---------------------------------------------------------------- lifecycle

lab_init() {
	[[ -z ${LAB:-} ]] || lab__die "lab_init: lab $LAB already exists in this shell (lab_destroy first)"
	lab_require || exit 1
	mkdir -p "$LAB_STATE_ROOT" || lab__die "cannot create $LAB_STATE_ROOT"
	# "ips<pid>", or "ips<pid>_<n>" if a dead run with our recycled pid left
	# something behind.  mkdir is the atomic claim.
	local name="ips$$" n=0
	while ! mkdir "$LAB_STATE_ROOT/$name" 2>/dev/null || [[ -e /run/netns/${name}s ]]; do
		n=$((n + 1))
		((n < 100)) || lab__die "cannot find a free lab name"
		name="ips$$_$n"
	done
	LAB=$name
	LAB_DIR=$LAB_STATE_ROOT/$LAB
	LAB_TMP=$LAB_DIR/tmp
	LAB_SCAN=${LAB}s
	LAB__OWNER=$$
	LAB__ONLINK=()     # subnets, index k = segment number
	LAB__ROUTED=()     # prefixes
	mkdir -p "$LAB_TMP"
	# The history of every ipsweep run in this lab goes into a database
	# of its own (never the machine's /var/lib/ipsweep or ~/.local/state),
	# removed with the lab.  It is writable by the unprivileged users some
	# tests run ipsweep as: SQLite gives its -wal and -shm files the mode
	# of the database file.  A test may point IPSWEEP_DB elsewhere.
	mkdir -p "$LAB_TMP/history" && chmod 1777 "$LAB_TMP/history" &&
		: >"$LAB_TMP/history/history.db" &&
		chmod 666 "$LAB_TMP/history/history.db" ||
		lab__die "cannot create the lab's history database"
	export IPSWEEP_DB=$LAB_TMP/history/history.db
	echo "$$" >"$LAB_DIR/owner"
	: >"$LAB_DIR/netns"
	: >"$LAB_DIR/pids"
	: >"$LAB_DIR/live"
	: >"$LAB_DIR/notes"
	# Traps: the lab goes away however the script ends.  Callers keep
	# their own temporary files under $LAB_TMP rather than adding traps.
	trap 'lab_destroy' EXIT
	trap 'lab_destroy; trap - EXIT; exit 130' INT
	trap 'lab_destroy; trap - EXIT; exit 143' TERM
	trap 'lab_destroy; trap - EXIT; exit 129' HUP
	lab__ns_add "$LAB_SCAN"
}

# lab__ns_add NAME: a namespace with lo up and the lab's sysctls.
lab__ns_add() {
	local ns=$1
	ip netns add "$ns" || lab__die "ip netns add $ns failed"
	echo "$ns" >>"$LAB_DIR/netns"
	ip -n "$ns" link set lo up || lab__die "lo up in $ns failed"
	# conf.default must be set before the veths are created to apply to
	# them.  -e: a kernel without IPv6 has no such keys.
	ip netns exec "$ns" sysctl -q -e -w \
		net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.default.send_redirects=0 \
		net.ipv4.conf.all.accept_redirects=0 \
		net.ipv4.conf.default.accept_redirects=0 \
		net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.icmp_ratelimit=0 \
		net.ipv4.icmp_msgs_per_sec=1000000 \
		net.ipv4.icmp_msgs_burst=1000000 >/dev/null ||
		lab__die "sysctl in $ns failed"
}

lab__ns_exists() {
	grep -qx -- "$1" "$LAB_DIR/netns"
}

lab__need() {
	[[ -n ${LAB:-} && -d ${LAB_DIR:-/nonexistent} ]] || lab__die "no lab: call lab_init first"
}

# lab__batch NS: feed stdin to `ip -n NS -batch -` (one process for many
# addresses or routes: a /16 with 2000 live hosts builds in well under a
# second this way, against ~10 ms per `ip` process otherwise).
lab__batch() {
	ip -n "$1" -batch - || lab__die "ip -n $1 -batch failed"
}

lab__nft() {
	ip netns exec "$1" nft -f - || lab__die "nft in $1 failed"
}

lab_netns() {
	lab__need
	cat "$LAB_DIR/netns"
}

lab_exec() {
	local ns=$1
	shift
	lab__need
	lab__ns_exists "$ns" || lab__die "lab_exec: '$ns' is not a namespace of lab $LAB"
	ip netns exec "$ns" "$@"
}

lab_run() {
	lab__need
	ip netns exec "$LAB_SCAN" "$@"
}

lab_ping_group_range() {
	lab__need
	ip netns exec "$LAB_SCAN" sysctl -q -w "net.ipv4.ping_group_range=$1 $2" ||
		lab__die "cannot set ping_group_range in $LAB_SCAN"
}

LAB_DNS_ADDR=$LAB__SCAN_ADDR

lab_resolver() {
	lab__need
	mkdir -p "/etc/netns/$LAB_SCAN" || lab__die "cannot create /etc/netns/$LAB_SCAN"
	echo "$LAB_SCAN" >>"$LAB_DIR/etc"
	echo "nameserver $1" >"/etc/netns/$LAB_SCAN/resolv.conf"
}

lab_dnsmasq() {
	local hosts=$1 first i
	shift
	lab__need
	lab_spawn "$LAB_SCAN" dnsmasq -k --conf-file=/dev/null --user=root \
		--no-resolv --no-hosts --addn-hosts="$hosts" \
		--listen-address="$LAB_DNS_ADDR" --bind-interfaces --port=53 \
		--pid-file="$LAB_DIR/dnsmasq.pid" --log-facility="$LAB_DIR/dnsmasq.log" "$@"
	LAB_DNS_PID=$LAB_SPAWN_PID
	first=$(awk 'NF { print $1; exit }' "$hosts")
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$LAB_SCAN" getent hosts "$first" >/dev/null && return 0
		sleep 0.1
	done
	return 1
}

lab__note() {
	printf '%s\n' "$*" >>"$LAB_DIR/notes"
}

# lab__kill_list PID...: TERM, a short grace, then KILL what is left.
lab__kill_list() {
	local p left=() i
	for p in "$@"; do
		kill -TERM "$p" 2>/dev/null && left+=("$p")
	done
	for i in 1 2 3 4 5 6 7 8 9 10; do
		local still=()
		for p in "${left[@]}"; do
			kill -0 "$p" 2>/dev/null && still+=("$p")
		done
		left=("${still[@]}")
		((${#left[@]} == 0)) && return 0
		sleep 0.1
		: "$i"
	done
	for p in "${left[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	return 0
}

# lab__destroy_dir DIR: remove one lab given its state directory.  Kills
# the helpers it recorded, then every process still inside one of its
# namespaces (they can only be ours: nothing else enters them), then
# deletes the namespaces.
lab__destroy_dir() {
	local dir=$1 ns pids=() p
	[[ -d $dir ]] || return 0
	if [[ -s $dir/pids ]]; then
		mapfile -t pids <"$dir/pids"
		lab__kill_list "${pids[@]}"
	fi
	if [[ -s $dir/etc ]]; then
		# the /etc/netns/NS directories lab_resolver made
		while read -r ns; do
			[[ $ns == ips* ]] && rm -rf "/etc/netns/$ns"
		done <"$dir/etc"
		rmdir /etc/netns 2>/dev/null
	fi
	if [[ -s $dir/netns ]]; then
		while read -r ns; do
			[[ -n $ns ]] || continue
			pids=()
			while read -r p; do
				[[ -n $p && $p != "$$" && $p != "$BASHPID" ]] && pids+=("$p")
			done < <(ip netns pids "$ns" 2>/dev/null)
			((${#pids[@]})) && lab__kill_list "${pids[@]}"
		done <"$dir/netns"
		while read -r ns; do
			[[ -n $ns ]] || continue
			if [[ -e /run/netns/$ns ]]; then
				ip netns del "$ns" 2>/dev/null ||
					echo "lab: could not delete netns $ns" >&2
			fi
		done <"$dir/netns"
	fi
	rm -rf "$dir"
}

lab_destroy() {
	# Only the shell that made the lab tears it down: a subshell or command
	# substitution that inherited the variables must not.
	[[ -n ${LAB:-} ]] || return 0
	[[ ${LAB__OWNER:-} == "$BASHPID" ]] || return 0
	lab__destroy_dir "$LAB_DIR"
	unset LAB LAB_DIR LAB_TMP LAB_SCAN LAB__OWNER
	LAB__ONLINK=()
	LAB__ROUTED=()
	return 0
}

# lab_gc: remove labs whose owner process no longer exists (a run killed by
# SIGKILL cannot run its trap).  Labs of live owners are left alone.
lab_gc() {
	local d owner
	[[ -d $LAB_STATE_ROOT ]] || return 0
	for d in "$LAB_STATE_ROOT"/ips*; do
		[[ -d $d ]] || continue
		owner=$(cat "$d/owner" 2>/dev/null)
		[[ $owner =~ ^[0-9]+$ ]] || continue
		kill -0 "$owner" 2>/dev/null && continue
		echo "lab: removing leftover lab ${d##*/} (owner $owner is gone)" >&2
		lab__destroy_dir "$d"
	done
}

# ---------------------------------------------------------------- topology

# The router and hosts namespaces, made on the first lab_routed call.
lab__routed_core() {
	local r=${LAB}r h=${LAB}h
	lab__ns_exists "$r" && return 0
	lab__ns_add "$r"
	lab__ns_add "$h"
	ip netns exec "$r" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null ||
		lab__die "cannot enable forwarding in $r"
	# Both veth pairs are created inside lab namespaces: nothing ever
	# appears in the caller's namespace, and fixed short names cannot clash
	# with another lab's.
	ip -n "$LAB_SCAN" link add r0 type veth peer name s0 netns "$r" ||
		lab__die "veth scanner-router failed"
	ip -n "$r" link add h0 type veth peer name r0 netns "$h" ||
		lab__die "veth router-hosts failed"
	lab__batch "$LAB_SCAN" <<-EOF
		address add $LAB__SCAN_ADDR/30 dev r0
		link set r0 up
	EOF
	lab__batch "$r" <<-EOF
		address add $LAB__RTR_SCAN/30 dev s0
		address add $LAB__RTR_HOSTS/30 dev h0
		link set s0 up
		link set h0 up
	EOF
	lab__batch "$h" <<-EOF
		address add $LAB__HOSTS_ADDR/30 dev r0
		link set r0 up
		route add default via $LAB__RTR_HOSTS
	EOF
	# The router's filter tables: "rt_filter" for prohibit/drop rules, "rt_loss"
	# (earlier priority) for random loss.
	lab__nft "$r" <<-EOF
		add table ip lab
		add chain ip lab rt_loss { type filter hook forward priority -10; policy accept; }
		add chain ip lab rt_filter { type filter hook forward priority 0; policy accept; }
	EOF
}

lab_routed() {
	(($# >= 1)) || lab__die "usage: lab_routed PREFIX/LEN [LIVE|@FILE]..."
	lab__need
	local prefix=$1 net len cidr r=${LAB}r h=${LAB}h
	shift
	read -r net len < <(lab__cidr "$prefix") || exit 1
	cidr=$(lab__int2ip "$net")/$len
	[[ $cidr == 192.0.2.* ]] && lab__die "lab_routed: 192.0.2.0/24 is the lab's transit network"
	lab__routed_core
	local live=$LAB_TMP/.routed.$$ bad
	lab__addrs "$@" >"$live" || exit 1
	# Every live address must be inside the prefix.
	bad=$(awk -v net="$net" -v len="$len" "$LAB__AWK_IP"'
		{ size = pw2(32 - len); if (ip2n($1) - ip2n($1) % size != net) { print $1; exit } }' "$live")
	[[ -z $bad ]] || lab__die "lab_routed: $bad is not in $cidr"
	lab__batch "$LAB_SCAN" <<<"route add $cidr via $LAB__RTR_SCAN"
	lab__batch "$r" <<<"route add $cidr via $LAB__HOSTS_ADDR"
	{
		# blackhole: packets to dead addresses vanish, no ICMP error.
		echo "route add blackhole $cidr"
		awk '{ print "address add " $1 "/32 dev lo" }' "$live"
	} | lab__batch "$h"
	cat "$live" >>"$LAB_DIR/live"
	LAB__ROUTED+=("$cidr")
	echo "$cidr" >>"$LAB_DIR/routed"
	lab__note "routed   $cidr: $(wc -l <"$live") live (hosts ns ${h}), the rest silent"
	rm -f "$live"
}

# lab__segment ADDR -> index k of the on-link segment holding ADDR, or fail.
lab__segment() {
	local k
	for k in "${!LAB__ONLINK[@]}"; do
		if lab__in_cidr "$1" "${LAB__ONLINK[$k]}"; then
			echo "$k"
			return 0
		fi
	done
	return 1
}

lab__routed_prefix() {
	local p
	for p in "${LAB__ROUTED[@]}"; do
		if lab__in_cidr "$1" "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# lab__bridge_ns: the namespace that holds the bridges, ${LAB}b.
lab__bridge_ns() {
	lab__ns_exists "${LAB}b" || lab__ns_add "${LAB}b"
}

# lab__attach NS IFNAME K PORT: veth IFNAME in NS, its peer PORT enslaved to
# bridge br<K> in the bridge namespace.
lab__attach() {
	local ns=$1 ifname=$2 k=$3 port=$4 b=${LAB}b
	ip -n "$ns" link add "$ifname" type veth peer name "$port" netns "$b" ||
		lab__die "veth $ns:$ifname -> $b:$port failed"
	lab__batch "$b" <<-EOF
		link set $port master br$k
		link set $port up
	EOF
	ip -n "$ns" link set "$ifname" up || lab__die "link up $ns:$ifname failed"
}

lab_onlink() {
	(($# >= 2)) || lab__die "usage: lab_onlink SUBNET/LEN SCANNER_ADDR [LIVE|@FILE]..."
	lab__need
	local subnet=$1 saddr=$2 net len cidr k b l live bad
	shift 2
	read -r net len < <(lab__cidr "$subnet") || exit 1
	cidr=$(lab__int2ip "$net")/$len
	lab__in_cidr "$saddr" "$cidr" || lab__die "lab_onlink: scanner address $saddr is not in $cidr"
	k=${#LAB__ONLINK[@]}
	lab__bridge_ns
	b=${LAB}b
	l=${LAB}l$k
	lab__ns_add "$l"
	# STP is off by default, so ports forward at once (no forward delay).
	lab__batch "$b" <<-EOF
		link add br$k type bridge
		link set br$k up
	EOF
	lab__attach "$LAB_SCAN" "o$k" "$k" "s$k"
	lab__attach "$l" b0 "$k" "l$k"
	lab__batch "$LAB_SCAN" <<<"address add $saddr/$len dev o$k"
	live=$LAB_TMP/.onlink.$$
	lab__addrs "$@" >"$live" || exit 1
	bad=$(awk -v net="$net" -v len="$len" "$LAB__AWK_IP"'
		{ size = pw2(32 - len); if (ip2n($1) - ip2n($1) % size != net) { print $1; exit } }' "$live")
	[[ -z $bad ]] || lab__die "lab_onlink: $bad is not in $cidr"
	grep -qx -- "$saddr" "$live" && lab__die "lab_onlink: $saddr is the scanner's own address"
	{
		# /32s plus one connected route: the kernel answers ARP for
		# every one of them on b0 (arp_ignore=0).
		awk '{ print "address add " $1 "/32 dev b0" }' "$live"
		echo "route add $cidr dev b0"
	} | lab__batch "$l"
	LAB__ONLINK[k]=$cidr
	echo "$cidr" >>"$LAB_DIR/onlink"
	{ cat "$live"; echo "$saddr"; } >>"$LAB_DIR/live"
	lab__note "on-link  $cidr: scanner $saddr on o$k, $(wc -l <"$live") live (lan ns $l, bridge br$k in $b)"
	rm -f "$live"
}

lab_onlink_host2() {
	lab__need
	local a k m list
	list=$(lab__addrs "$@") || exit 1
	for a in $list; do
		k=$(lab__segment "$a") || lab__die "lab_onlink_host2: $a is on no lab segment"
		m=${LAB}m$k
		if ! lab__ns_exists "$m"; then
			lab__ns_add "$m"
			lab__attach "$m" b0 "$k" "m$k"
			lab__batch "$m" <<<"route add ${LAB__ONLINK[$k]} dev b0"
		fi
		lab__batch "$m" <<<"address add $a/32 dev b0"
		echo "$a" >>"$LAB_DIR/live"
		lab__note "host2    $a on a second host of segment $k (ns $m, MAC $(ip -n "$m" -br link show b0 | awk '{ print $3 }'))"
	done
}

# lab__owner ADDR -> the lab namespace that has ADDR as a local address.
lab__owner() {
	local ns
	while read -r ns; do
		[[ $ns == "$LAB_SCAN" || $ns == "${LAB}r" || $ns == "${LAB}b" ]] && continue
		if ip -n "$ns" -4 -o address show to "$1/32" 2>/dev/null | grep -q .; then
			echo "$ns"
			return 0
		fi
	done <"$LAB_DIR/netns"
	return 1
}

# lab__host_filter NS: an input chain for per-address rules in NS.
lab__host_filter() {
	lab__nft "$1" <<-EOF
		add table ip lab
		add chain ip lab host_in { type filter hook input priority 0; policy accept; }
	EOF
}

# lab__drop_echo_range RANGE: one router rule for a routed range.
lab__drop_echo_range() {
	local lo hi
	lo=$(lab_expand "$1" | head -n 1)
	hi=$(lab_expand "$1" | tail -n 1)
	[[ -n $lo && -n $hi ]] || lab__die "lab_drop_echo: bad range '$1'"
	if ! lab__routed_prefix "$lo" >/dev/null || ! lab__routed_prefix "$hi" >/dev/null; then
		lab__die "lab_drop_echo: $1 is not in a routed lab range"
	fi
	echo "add rule ip lab rt_filter ip daddr $lo-$hi icmp type echo-request drop" | lab__nft "${LAB}r"
	lab__note "drop     $lo-$hi: the router drops echo requests to them silently"
}

lab_drop_echo() {
	lab__need
	local a ns list t addrs=()
	for t in "$@"; do
		if [[ $t != @* && ($t == */* || $t == *-*) ]]; then
			lab__drop_echo_range "$t"
		else
			addrs+=("$t")
		fi
	done
	((${#addrs[@]})) || return 0
	list=$(lab__addrs "${addrs[@]}") || exit 1
	for a in $list; do
		if ns=$(lab__owner "$a"); then
			lab__host_filter "$ns"
			echo "add rule ip lab host_in ip daddr $a icmp type echo-request drop" | lab__nft "$ns"
			lab__note "drop     $a: its host ($ns) drops echo requests silently"
		elif lab__routed_prefix "$a" >/dev/null; then
			echo "add rule ip lab rt_filter ip daddr $a icmp type echo-request drop" | lab__nft "${LAB}r"
			lab__note "drop     $a: the router drops echo requests to it silently"
		else
			lab__die "lab_drop_echo: no lab host or route for $a"
		fi
	done
}

lab_prohibit() {
	lab__need
	local a ns list
	list=$(lab__addrs "$@") || exit 1
	for a in $list; do
		if lab__routed_prefix "$a" >/dev/null; then
			# A firewall in the path, as in the field: the error comes
			# from the router (192.0.2.1), type 3 code 13.
			echo "add rule ip lab rt_filter ip daddr $a icmp type echo-request reject with icmp type admin-prohibited" |
				lab__nft "${LAB}r"
			lab__note "prohibit $a: the router answers admin-prohibited (ICMP 3/13)"
		elif ns=$(lab__owner "$a"); then
			lab__host_filter "$ns"
			echo "add rule ip lab host_in ip daddr $a icmp type echo-request reject with icmp type admin-prohibited" |
				lab__nft "$ns"
			lab__note "prohibit $a: its host ($ns) answers admin-prohibited (ICMP 3/13)"
		else
			lab__die "lab_prohibit: no lab host or route for $a"
		fi
	done
}

lab_loss() {
	if (($# != 1)) || [[ ! $1 =~ ^([0-9]|[1-9][0-9]|100)$ ]]; then
		lab__die "usage: lab_loss PERCENT (0-100)"
	fi
	lab__need
	lab__ns_exists "${LAB}r" || lab__die "lab_loss: no routed range yet (the router drops)"
	{
		echo "flush chain ip lab rt_loss"
		(($1 > 0)) && echo "add rule ip lab rt_loss icmp type echo-request numgen random mod 100 < $1 counter drop"
	} | lab__nft "${LAB}r"
	lab__note "loss     the router drops $1% of echo requests (routed ranges)"
}

# lab__filter_once KEY: 0 the first time KEY is seen in this lab, 1 after
# (so that a filter asked for twice is added once).
lab__filter_once() {
	if grep -qxF -- "$1" "$LAB_DIR/filters" 2>/dev/null; then
		return 1
	fi
	printf '%s\n' "$1" >>"$LAB_DIR/filters"
}

# lab__prefix PREFIX/LEN -> normalised a.b.c.d/len (host bits cleared)
lab__prefix() {
	local net len
	read -r net len < <(lab__cidr "$1") || exit 1
	[[ -n ${len:-} ]] || exit 1
	echo "$(lab__int2ip "$net")/$len"
}

lab_reject() {
	if (($# < 2 || $# > 3)) || [[ $# == 3 && $3 != all ]] || [[ ! $2 =~ ^[a-z-]+$ ]]; then
		lab__die "usage: lab_reject PREFIX/LEN ICMP_TYPE [all]"
	fi
	lab__need
	local cidr match="icmp type echo-request " what="echo requests"
	cidr=$(lab__prefix "$1") || exit 1
	lab__ns_exists "${LAB}r" || lab__die "lab_reject: no routed range yet (the router rejects)"
	if [[ ${3:-} == all ]]; then
		match="" what="every packet"
	fi
	lab__filter_once "reject $cidr $2 ${3:-echo}" || return 0
	echo "add rule ip lab rt_filter ip daddr $cidr ${match}reject with icmp type $2" |
		lab__nft "${LAB}r"
	lab__note "reject   $cidr: the router answers $what with ICMP $2"
}

lab_net_unreach() {
	(($# == 1)) || lab__die "usage: lab_net_unreach PREFIX/LEN"
	lab_reject "$1" net-unreachable all
}

lab_ttl_expire() {
	(($# == 1)) || lab__die "usage: lab_ttl_expire PREFIX/LEN"
	lab__need
	local cidr
	cidr=$(lab__prefix "$1") || exit 1
	lab__ns_exists "${LAB}r" || lab__die "lab_ttl_expire: no routed range yet"
	lab__filter_once "ttl $cidr" || return 0
	# Before routing: forwarding then finds TTL 1 and answers 11/0 itself.
	lab__nft "${LAB}r" <<-EOF
		add chain ip lab rt_ttl { type filter hook prerouting priority -150; policy accept; }
		add rule ip lab rt_ttl ip daddr $cidr icmp type echo-request ip ttl set 1
	EOF
	lab__note "ttl      $cidr: echo requests reach the router with TTL 1 (time exceeded, ICMP 11/0)"
}

# The bridges of every segment live in ${LAB}b; a flooded request passes
# the bridge forward hook once per output port, so each host of a segment
# loses its own share.
lab_arp_loss() {
	if (($# != 1)) || [[ ! $1 =~ ^([0-9]|[1-9][0-9]|100)$ ]]; then
		lab__die "usage: lab_arp_loss PERCENT (0-100)"
	fi
	lab__need
	lab__ns_exists "${LAB}b" || lab__die "lab_arp_loss: no on-link segment yet"
	{
		echo "add table bridge lab"
		echo "add chain bridge lab arp_loss { type filter hook forward priority -10; policy accept; }"
		echo "flush chain bridge lab arp_loss"
		echo "add rule bridge lab arp_loss arp operation request counter"
		(($1 > 0)) && echo "add rule bridge lab arp_loss arp operation request numgen random mod 100 < $1 counter drop"
	} | lab__nft "${LAB}b"
	lab__note "arp-loss the bridges drop $1% of ARP requests (on-link segments)"
}

lab_arp_counts() {
	lab__need
	ip netns exec "${LAB}b" nft list chain bridge lab arp_loss 2>/dev/null |
		awk '/counter packets/ { for (i = 1; i < NF; i++) if ($i == "packets") c[n++] = $(i + 1) }
			END { if (n == 0) exit 1; print c[0], (n > 1 ? c[1] : 0) }' ||
		lab__die "lab_arp_counts: no lab_arp_loss yet"
}

# The set's elements expire after an hour; the time left tells when each
# was added (the first SYN only: `add` leaves an existing element alone, so
# retransmitted SYNs change nothing).  Recorded before the loss and filter
# chains, so a SYN they drop still counts as sent.
lab_syn_record() {
	lab__need
	lab__ns_exists "${LAB}r" || lab__die "lab_syn_record: no routed range yet"
	lab__nft "${LAB}r" <<-EOF
		add set ip lab syns { type ipv4_addr . inet_service; flags dynamic,timeout; timeout 1h; size 1048576; }
		add chain ip lab rt_syns { type filter hook forward priority -20; policy accept; }
		flush chain ip lab rt_syns
		flush set ip lab syns
		add rule ip lab rt_syns tcp flags & (syn | ack) == syn add @syns { ip daddr . tcp dport }
	EOF
}

lab_syn_ages() {
	lab__need
	ip netns exec "${LAB}r" nft list set ip lab syns 2>/dev/null | tr ',{}' '\n' |
		awk '$2 == "." && $4 == "expires" {
			left = 0; t = $5
			while (match(t, /^[0-9]+(ms|d|h|m|s)/)) {
				v = substr(t, 1, RLENGTH); t = substr(t, RLENGTH + 1)
				u = v; sub(/^[0-9]+/, "", u); v += 0
				left += v * (u == "ms" ? 1 : u == "s" ? 1000 : u == "m" ? 60000 : u == "h" ? 3600000 : 86400000)
			}
			print $1, $3, 3600000 - left
		}'
}

lab_syn_unfinished() {
	if (($# != 3)) || [[ ! $2 =~ ^[0-9]+(,[0-9]+)*$ || ! $3 =~ ^[0-9]+$ ]]; then
		lab__die "usage: lab_syn_unfinished FILE PORTS MS"
	fi
	lab__need
	local ages=$LAB_TMP/.syn_ages.$$
	lab_syn_ages >"$ages"
	awk -v ports="$2" -v ms="$3" -v a="$ages" '
		FILENAME == a { age[$1 " " $2] = $3; next }
		NF {
			n = split(ports, p, ",")
			for (i = 1; i <= n; i++) {
				k = $1 " " p[i]
				if (!(k in age)) { print $1, "no SYN to port " p[i]; next }
				if (age[k] < ms) { print $1, "SYN to port " p[i] " only " age[k] " ms before"; next }
			}
		}' "$ages" "$1"
	rm -f "$ages"
}

# lab__late_ns: the late namespace, ${LAB}t: kernel echo replies off, the
# python responder answers.
lab__late_ns() {
	local t=${LAB}t
	if ! lab__ns_exists "$t"; then
		lab__ns_add "$t"
		ip netns exec "$t" sysctl -q -w net.ipv4.icmp_echo_ignore_all=1 >/dev/null ||
			lab__die "cannot set icmp_echo_ignore_all in $t"
	fi
}

lab_late() {
	if (($# != 2)) || [[ ! $2 =~ ^[0-9]+$ ]]; then
		lab__die "usage: lab_late ADDR DELAY_MS"
	fi
	lab__need
	local a=$1 delay=$2 t k r=${LAB}r py ready pid i
	lab__addrs "$a" >/dev/null || exit 1
	lab__late_ns
	t=${LAB}t
	if k=$(lab__segment "$a"); then
		if ! ip -n "$t" link show "o$k" >/dev/null 2>&1; then
			lab__attach "$t" "o$k" "$k" "t$k"
			lab__batch "$t" <<<"route add ${LAB__ONLINK[$k]} dev o$k"
		fi
		lab__batch "$t" <<<"address add $a/32 dev o$k"
	elif lab__routed_prefix "$a" >/dev/null; then
		if ! ip -n "$t" link show r0 >/dev/null 2>&1; then
			ip -n "$r" link add t0 type veth peer name r0 netns "$t" ||
				lab__die "veth router-late failed"
			lab__batch "$r" <<-EOF
				address add $LAB__RTR_LATE/30 dev t0
				link set t0 up
			EOF
			lab__batch "$t" <<-EOF
				address add $LAB__LATE_ADDR/30 dev r0
				link set r0 up
				route add default via $LAB__RTR_LATE
			EOF
		fi
		lab__batch "$t" <<<"address add $a/32 dev lo"
		# More specific than the prefix route to the hosts ns.
		lab__batch "$r" <<<"route add $a/32 via $LAB__LATE_ADDR"
	else
		lab__die "lab_late: $a is in no lab range"
	fi
	py=$(lab__python)
	ready=$LAB_DIR/late-$a.ready
	rm -f "$ready"
	ip netns exec "$t" "$py" "$LAB_HERE/late_responder.py" \
		--addr "$a" --delay-ms "$delay" --owner "$LAB__OWNER" --ready "$ready" \
		</dev/null >>"$LAB_DIR/late.log" 2>&1 &
	pid=$!
	echo "$pid" >>"$LAB_DIR/pids"
	for ((i = 0; i < 100; i++)); do
		[[ -e $ready ]] && break
		kill -0 "$pid" 2>/dev/null || lab__die "late responder for $a died: $(cat "$LAB_DIR/late.log")"
		sleep 0.05
	done
	[[ -e $ready ]] || lab__die "late responder for $a did not start"
	echo "$a" >>"$LAB_DIR/live"
	lab__note "late     $a answers echo requests after ${delay} ms (ns $t, responder pid $pid)"
}

lab_live() {
	lab__need
	lab_sort_ip "$LAB_DIR/live"
}

lab_describe() {
	lab__need
	echo "lab $LAB: scanner namespace $LAB_SCAN; namespaces: $(tr '\n' ' ' <"$LAB_DIR/netns")"
	sed 's/^/  /' "$LAB_DIR/notes"
}

# ---------------------------------------------------------------- tests

LAB_CHECKS_OK=0
LAB_CHECKS_BAD=0

lab_ok() {
	LAB_CHECKS_OK=$((LAB_CHECKS_OK + 1))
	printf '  ok   %s\n' "$*"
}

lab_bad() {
	LAB_CHECKS_BAD=$((LAB_CHECKS_BAD + 1))
	printf '  FAIL %s\n' "$*"
}

lab_finish() {
	if ((LAB_CHECKS_BAD > 0)); then
		echo "$LAB_CHECKS_BAD of $((LAB_CHECKS_OK + LAB_CHECKS_BAD)) checks failed"
		exit 1
	fi
	((LAB_CHECKS_OK > 0)) || { echo "no check ran"; exit 1; }
	echo "all $LAB_CHECKS_OK checks passed"
	exit 0
}

# lab_test_begin IPSWEEP: for t-*.sh.  The binary must exist; a test that
# cannot find it fails for that reason, before any lab is built.
lab_test_begin() {
	(($# >= 1)) || lab__die "usage: $0 IPSWEEP"
	IPSWEEP=$(lab_abspath "$1")
	if [[ ! -f $IPSWEEP || ! -x $IPSWEEP ]]; then
		echo "ipsweep binary '$1' not found or not executable" >&2
		exit 1
	fi
	lab_init
}

# lab_test_hooks KNOB: for tests of a test-only knob (IPSWEEP_TEST_KNOB,
# read only by a binary built with IPSWEEP_TEST_HOOKS: make test-bin builds
# build/hooks/ipsweep, which make lab-tests names in IPSWEEP_TEST_BIN).
# IPSWEEP becomes that binary; a test that cannot find it fails, saying
# why.
lab_test_hooks() {
	IPSWEEP=$(lab_abspath "${IPSWEEP_TEST_BIN:-$IPSWEEP}")
	if ! grep -qaF "$1" "$IPSWEEP"; then
		echo "$IPSWEEP was built without test hooks ($1):"
		echo "build one with 'make test-bin' and set IPSWEEP_TEST_BIN=build/hooks/ipsweep"
		exit 1
	fi
	echo "binary with test hooks: $IPSWEEP"
}

# lab_sweep TAG ARGS...: one ipsweep run in the scanner namespace, capped at
# LAB_SWEEP_CAP seconds (default 60) so that a hung sweep fails the test
# instead of the whole suite (timeout(1) then exits 124).
lab_sweep() {
	local tag=$1
	shift
	lab__need
	echo "  \$ ipsweep $*"
	ip netns exec "$LAB_SCAN" timeout -k 5 "${LAB_SWEEP_CAP:-60}" "$IPSWEEP" "$@" \
		>"$LAB_TMP/$tag.out" 2>"$LAB_TMP/$tag.err"
	LAB_RC=$?
	echo "$LAB_RC" >"$LAB_TMP/$tag.rc"
	echo "    exit $LAB_RC, stdout $(wc -l <"$LAB_TMP/$tag.out") lines; stderr:"
	head -n 20 "$LAB_TMP/$tag.err" | sed 's/^/    | /'
	(($(wc -l <"$LAB_TMP/$tag.err") > 20)) && echo "    | ..."
	return 0
}

# lab_sweep_bg TAG ARGS...: start ipsweep in the scanner ns in the
# background, with no wrapper, so that LAB_BG_PID is ipsweep itself (`ip
# netns exec` execs the command) and its children are the workers.
# lab_sweep_wait TAG collects it (killing it after 60 s).
lab_sweep_bg() {
	local tag=$1
	shift
	lab__need
	echo "  \$ ipsweep $* &"
	ip netns exec "$LAB_SCAN" "$IPSWEEP" "$@" \
		>"$LAB_TMP/$tag.out" 2>"$LAB_TMP/$tag.err" &
	LAB_BG_PID=$!
	LAB_BG_START=$SECONDS
}

lab_sweep_wait() {
	local tag=$1 cap=${LAB_SWEEP_CAP:-60}
	while kill -0 "$LAB_BG_PID" 2>/dev/null && ((SECONDS - LAB_BG_START < cap)); do
		sleep 0.1
	done
	if kill -0 "$LAB_BG_PID" 2>/dev/null; then
		echo "    ipsweep still running $cap s after its start (hung?): killing it"
		kill -KILL "$LAB_BG_PID" 2>/dev/null
	fi
	wait "$LAB_BG_PID"
	LAB_RC=$?
	echo "$LAB_RC" >"$LAB_TMP/$tag.rc"
	echo "    exit $LAB_RC, stdout $(wc -l <"$LAB_TMP/$tag.out") lines; stderr:"
	head -n 20 "$LAB_TMP/$tag.err" | sed 's/^/    | /'
	return 0
}

# lab_scan_procs: pids of processes still in the scanner namespace.
lab_scan_procs() {
	lab__need
	ip netns pids "$LAB_SCAN" 2>/dev/null
}

# lab_icmp_counter_start / lab_icmp_counter: count ICMP packets leaving the
# scanner namespace (to prove that nothing was sent).
lab_icmp_counter_start() {
	lab__nft "$LAB_SCAN" <<-EOF
		add table ip labcount
		add chain ip labcount out { type filter hook output priority 0; policy accept; }
		flush chain ip labcount out
		add rule ip labcount out ip protocol icmp counter
	EOF
}

lab_icmp_counter() {
	ip netns exec "$LAB_SCAN" nft list chain ip labcount out |
		sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'
}

lab_check_list() {
	local what=$1 exp=$2 act=$3 e a
	e=$(lab_sort_ip "$exp")
	a=$(lab_sort_ip "$act")
	if [[ $e == "$a" ]]; then
		lab_ok "$what ($(grep -c . <<<"$e") addresses)"
		return 0
	fi
	lab_bad "$what: lists differ: $(lab_minus <(printf '%s\n' "$e") <(printf '%s\n' "$a") | grep -c .) missing, $(lab_minus <(printf '%s\n' "$a") <(printf '%s\n' "$e") | grep -c .) extra (- expected, + actual)"
	diff -u <(printf '%s\n' "$e") <(printf '%s\n' "$a") | tail -n +3 | head -n 40 | sed 's/^/       /'
	return 1
}

lab_check_sorted() {
	local what=$1 f=$2
	if lab_sort_ip "$f" | cmp -s - "$f"; then
		lab_ok "$what is sorted numerically, each line once"
	else
		lab_bad "$what is not sorted numerically or repeats a line"
		return 1
	fi
}

lab_check_rc() {
	if [[ $2 == "$3" ]]; then
		lab_ok "$1: exit $3"
	else
		lab_bad "$1: exit $3, expected $2"
		return 1
	fi
}

lab_check_empty() {
	if [[ ! -s $2 ]]; then
		lab_ok "$1 is empty"
	else
		lab_bad "$1 is not empty: $(head -c 300 "$2")"
		return 1
	fi
}

# The summary line may carry a "ipsweep: " prefix; it must end the line.
lab_check_summary() {
	local tag=$1 want="$2 addresses: $3 free, $4 used, $5 unknown"
	if grep -qE -- "(^|: )$want\$" "$LAB_TMP/$tag.err"; then
		lab_ok "summary '$want'"
	else
		lab_bad "no summary line '$want' on stderr"
		return 1
	fi
}

# ---------------------------------------------------------------- bare hosts
# (added for the t-h-*.sh tests)
#   lab_bare ADDR...            ADDR on the late host (ns ${LAB}t, kernel echo
#                               replies off) like lab_late, but with no
#                               responder: the test runs its own there (a
#                               raw-socket program, with lab_spawn); ADDR is
#                               not added to lab_live.  Routed ADDR only.
#   lab_spawn NS CMD...         run CMD in the background in lab namespace NS,
#                               stdin /dev/null; lab_destroy kills it.  Sets
#                               LAB_SPAWN_PID.

lab_bare() {
	lab__need
	local a t=${LAB}t r=${LAB}r list
	list=$(lab__addrs "$@") || exit 1
	for a in $list; do
		lab__routed_prefix "$a" >/dev/null || lab__die "lab_bare: $a is in no routed lab range"
		lab__late_ns
		if ! ip -n "$t" link show r0 >/dev/null 2>&1; then
			ip -n "$r" link add t0 type veth peer name r0 netns "$t" ||
				lab__die "veth router-late failed"
			lab__batch "$r" <<-EOB
				address add $LAB__RTR_LATE/30 dev t0
				link set t0 up
			EOB
			lab__batch "$t" <<-EOB
				address add $LAB__LATE_ADDR/30 dev r0
				link set r0 up
				route add default via $LAB__RTR_LATE
			EOB
		fi
		lab__batch "$t" <<<"address add $a/32 dev lo"
		lab__batch "$r" <<<"route add $a/32 via $LAB__LATE_ADDR"
		lab__note "bare     $a on the late host ($t), kernel echo off, no responder"
	done
}

lab_spawn() {
	local ns=$1
	shift
	lab__need
	lab__ns_exists "$ns" || lab__die "lab_spawn: '$ns' is not a namespace of lab $LAB"
	ip netns exec "$ns" "$@" </dev/null &
	LAB_SPAWN_PID=$!
	echo "$LAB_SPAWN_PID" >>"$LAB_DIR/pids"
}
