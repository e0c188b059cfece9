#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# ICMP errors from a router about the path, not about the host:
#  - 10.80.2.0/24: the router answers every packet to it with "net
#    unreachable" (ICMP type 3 code 0), as a router that lost its route (a
#    VPN or WAN outage) does.  Twelve hosts live behind it: they answer echo
#    before the outage.
#  - 10.80.3.0/24: echo requests to it reach the router with TTL 1 (an nft
#    rule sets it, in place of a routing loop), so the router answers "time
#    exceeded" (ICMP type 11 code 0); TCP passes and is refused by the
#    twelve live hosts' kernels, so they are certainly there.
# Neither error says anything about the target: the probe never reached it.
# So no address may be printed free: all are unknown, exit 3, with the
# native engine and with ping(8) (--method exec, where ping exits 1 with
# "+N errors" as for plain silence).
# Last, the router's ICMP rate limits go back to the kernel's defaults (the
# lab turns them off): most of the range then gets no error at all, only
# silence, and must still not be free (range-icmp-errors).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

U=10.80.2.0/24
X=10.80.3.0/24
lab_expand "$U" | awk 'NR % 21 == 5' >"$LAB_TMP/liveU"
lab_expand "$X" | awk 'NR % 21 == 9' >"$LAB_TMP/liveX"
lab_routed "$U" @"$LAB_TMP/liveU"
lab_routed "$X" @"$LAB_TMP/liveX"
cat "$LAB_TMP/liveU" "$LAB_TMP/liveX" >"$LAB_TMP/live"
LU=$(sed -n 3p "$LAB_TMP/liveU")
LX=$(sed -n 3p "$LAB_TMP/liveX")
echo "lab: $U and $X, $(wc -l <"$LAB_TMP/liveU") and $(wc -l <"$LAB_TMP/liveX") live"

# The lab: live before the errors start, then the errors ping reports.
for a in "$LU" "$LX"; do
	if lab_run ping -n -c 1 -W 1 "$a" >"$LAB_TMP/ping0" 2>&1; then
		lab_ok "lab: $a answers echo before the router's errors start"
	else
		lab_bad "lab: $a does not answer echo at all: $(tr '\n' '|' <"$LAB_TMP/ping0")"
	fi
done
lab_net_unreach "$U"
lab_ttl_expire "$X"
# e_ping ADDR TEXT: ping ADDR exits 1, reporting TEXT and "+1 errors"
e_ping() {
	local prc
	lab_run ping -n -c 1 -W 1 "$1" >"$LAB_TMP/ping1" 2>&1
	prc=$?
	if ((prc == 1)) && grep -q "From 192.0.2.1 .*$2" "$LAB_TMP/ping1" && grep -q '+1 errors' "$LAB_TMP/ping1"; then
		lab_ok "lab: ping $1 exits 1: 'From 192.0.2.1 ... $2', '+1 errors'"
	else
		lab_bad "lab: ping $1: exit $prc, $(tr '\n' '|' <"$LAB_TMP/ping1")"
	fi
}
e_ping "$LU" 'Destination Net Unreachable'
e_ping "$LX" 'Time to live exceeded'
# e_tcp ADDR TEXT: a TCP connect to ADDR:80 fails with TEXT
e_tcp() {
	lab_run timeout 3 bash -c "exec 3<>/dev/tcp/$1/80" >"$LAB_TMP/tcp" 2>&1
	if grep -q "$2" "$LAB_TMP/tcp"; then
		lab_ok "lab: TCP to $1:80: $2"
	else
		lab_bad "lab: TCP to $1:80 did not fail with '$2': $(tr '\n' '|' <"$LAB_TMP/tcp")"
	fi
}
e_tcp "$LU" 'Network is unreachable'
e_tcp "$LX" 'Connection refused'

# e_check TAG WHAT: exit 3, nothing printed (so no live host free).
e_check() {
	local bad
	lab_check_rc "$2" 3 "$LAB_RC"
	bad=$(lab_common "$LAB_TMP/$1.out" "$LAB_TMP/live" | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$2: no live host printed free"
	else
		lab_bad "$2: LIVE hosts printed FREE: $bad"
	fi
	if [[ ! -s $LAB_TMP/$1.out ]]; then
		lab_ok "$2: nothing printed free"
	else
		lab_bad "$2: $(wc -l <"$LAB_TMP/$1.out") addresses printed free: $(head -n 8 "$LAB_TMP/$1.out" | tr '\n' ' ')..."
	fi
}

# (--method exec with -j 64: each ping(8) takes about 1 s, 254 of them.)
lab_sweep nu-native "$U"
e_check nu-native "net unreachable, native"
lab_sweep nu-exec --method exec -j 64 "$U"
e_check nu-exec "net unreachable, --method exec"
lab_sweep tx-native "$X"
e_check tx-native "time exceeded, native"
lab_sweep tx-exec --method exec -j 64 "$X"
e_check tx-exec "time exceeded, --method exec"

# A real router: at most about one error a second to one host after a
# short burst.  First show that the lab now really keeps most errors back.
lab_exec "${LAB}r" sysctl -qw net.ipv4.icmp_ratelimit=1000 \
	net.ipv4.icmp_msgs_per_sec=1000 net.ipv4.icmp_msgs_burst=50
# The per-host bucket holds six errors and refills at one a second; the
# sweeps above emptied it, so give it time to fill (a refill, not a race).
sleep 7
lab_sweep rl-all --all -v "$U"
n_err=$(grep -c $'\tunknown\ticmp-error$' "$LAB_TMP/rl-all.out")
n_range=$(grep -c $'\tunknown\trange-icmp-errors$' "$LAB_TMP/rl-all.out")
if ((n_err > 0 && n_err < 100)); then
	lab_ok "lab: rate-limited, the router answered only $n_err of 254 addresses"
else
	lab_bad "lab: rate-limited, the router answered $n_err of 254 addresses (expected some, far from all)"
fi
if ((n_err + n_range == 254)); then
	lab_ok "rate-limited: the $n_range addresses without an error are range-icmp-errors"
else
	lab_bad "rate-limited: $n_err icmp-error + $n_range range-icmp-errors != 254: $(cut -f2,3 "$LAB_TMP/rl-all.out" | sort | uniq -c | tr '\n' ' ')"
fi
if grep -q "range '10.80.2.0/24': the path answered .* with icmp type 3 code 0: its $n_range silent addresses are unknown" "$LAB_TMP/rl-all.err"; then
	lab_ok "rate-limited: stderr says why"
else
	lab_bad "rate-limited: no warning about the range on stderr"
fi
lab_sweep rl-native "$U"
e_check rl-native "net unreachable, rate-limited, native"
lab_sweep rl-exec --method exec -j 64 "$U"
e_check rl-exec "net unreachable, rate-limited, --method exec"
lab_finish
