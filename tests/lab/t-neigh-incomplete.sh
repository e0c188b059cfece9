#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Without CAP_NET_RAW, on-link targets get echo requests through a datagram
# socket and the kernel resolves them; ipsweep reads its neighbour table.
# An INCOMPLETE entry means the kernel is still asking ARP: not silence.
#  - 10.77.46.9 answers only every third ARP request (nftables in the lan
#    host), so the kernel's resolution succeeds on its third request, about
#    two seconds after the probe.  With -n 1 -W 500 its wait is over long
#    before: it used to be taken for silent and printed free.  Now ipsweep
#    waits for the kernel's retries: used (arp-reply, or echo-reply when
#    the queued probe's reply comes first).  The two requests it left
#    unanswered count as loss (about one retrans_time each): stderr states
#    the ARP loss as 2 of the 5 requests of the three live hosts.
#  - 10.77.46.20 is silent.  With -n 2 each probe must be its own ARP
#    resolution (a probe sent while the first is still INCOMPLETE would
#    only wait on it): the lan host sees exactly two rounds of three
#    requests (net.ipv4.neigh.*.mcast_solicit), and it is free.
#  - 10.77.46.5 answers ARP and drops echo: used (arp-reply).
#  - 10.77.46.21 is silent, but once the sweep has started the scanner's
#    retrans_time on the segment goes from 1 s to 10 s: the kernel keeps
#    asking far longer than ipsweep, which read the old value, waits for
#    (mcast_solicit x retrans_time and a margin): unknown
#    (neighbour-incomplete), not free.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }

P=10.77.46.0/24
lab_onlink "$P" 10.77.46.1 10.77.46.5 10.77.46.9 10.77.46.30
lab_drop_echo 10.77.46.5
lab_exec "${LAB}l0" nft -f - <<-EOF2
	add table arp lab
	add chain arp lab in { type filter hook input priority 0; policy accept; }
	add rule arp lab in arp operation request arp daddr ip 10.77.46.9 numgen inc mod 3 != 2 counter drop
	add rule arp lab in arp operation request arp daddr ip 10.77.46.20 counter
EOF2
lab_ping_group_range 0 2147483647
IPSWEEP_REAL=$IPSWEEP

# sweep TAG ARGS...: ipsweep as nobody without capabilities
sweep() {
	local tag=$1
	shift
	lab_run ip neigh flush all
	IPSWEEP=$(command -v setpriv)
	lab_sweep "$tag" --reuid=65534 --regid=65534 --clear-groups \
		--bounding-set=-all --inh-caps=-all --no-new-privs \
		"$IPSWEEP_REAL" "$@"
	IPSWEEP=$IPSWEEP_REAL
}

# verdict TAG ADDR: "VERDICT REASON" of ADDR in TAG's --all output
verdict() {
	awk -F'\t' -v a="$2" '$1 == a { print $2, $3 }' "$LAB_TMP/$1.out"
}

sweep slow --all -n 1 -W 500 10.77.46.9 10.77.46.5 10.77.46.30
case $LAB_RC in
1) lab_ok "-n 1 -W 500: exit 1 (three live hosts, none free)" ;;
*) lab_bad "-n 1 -W 500: exit $LAB_RC, not 1" ;;
esac
v=$(verdict slow 10.77.46.9)
if [[ $v == "used arp-reply" || $v == "used echo-reply" ]]; then
	lab_ok "10.77.46.9, resolved on the kernel's third request: $v"
else
	lab_bad "10.77.46.9, resolved on the kernel's third request: '$v' (printed free if the INCOMPLETE entry was taken for silence)"
fi
v=$(verdict slow 10.77.46.5)
[[ $v == "used arp-reply" ]] && lab_ok "10.77.46.5 (drops echo): $v" ||
	lab_bad "10.77.46.5 (drops echo): '$v'"
v=$(verdict slow 10.77.46.30)
[[ $v == "used echo-reply" ]] && lab_ok "10.77.46.30: $v" || lab_bad "10.77.46.30: '$v'"
# The loss is measured per ARP request, from how long each answered
# resolution took: 10.77.46.9 lost two requests (about 2 s), the two
# others none: 2 of 5.
if grep -q 'ARP loss 40\.0% measured on 3 answering addresses' "$LAB_TMP/slow.err"; then
	lab_ok "ARP loss measured per request: $(grep 'ARP loss' "$LAB_TMP/slow.err")"
else
	lab_bad "ARP loss not 2 of 5 requests: $(grep 'ARP loss' "$LAB_TMP/slow.err")"
fi

t0=$SECONDS
sweep indep --all -n 2 -W 500 10.77.46.20
secs=$((SECONDS - t0))
if ((secs >= 6)); then
	lab_ok "-W 500 still waited for the kernel's retries, twice (${secs} s)"
else
	lab_bad "-W 500: the sweep took ${secs} s, less than two rounds of the kernel's 3 s of ARP retries"
fi
v=$(verdict indep 10.77.46.20)
[[ $v == free* ]] && lab_ok "10.77.46.20 (silent, -n 2): $v" ||
	lab_bad "10.77.46.20 (silent, -n 2): '$v'"
n=$(lab_exec "${LAB}l0" nft list chain arp lab in |
	awk '/10\.77\.46\.20/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }')
if [[ $n == 6 ]]; then
	lab_ok "10.77.46.20: 6 ARP requests, two independent resolutions of 3"
else
	lab_bad "10.77.46.20: $n ARP requests, expected 6 (two resolutions of 3; 3 means the second probe waited on the first)"
fi

sweep_bg() {
	lab_run ip neigh flush all
	ip netns exec "$LAB_SCAN" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--bounding-set=-all --inh-caps=-all --no-new-privs \
		"$IPSWEEP_REAL" "$@" >"$LAB_TMP/long.out" 2>"$LAB_TMP/long.err" &
	LAB_BG_PID=$!
	LAB_BG_START=$SECONDS
}
sweep_bg --all -n 1 -W 500 10.77.46.21
sleep 0.5
lab_run sysctl -q -w net.ipv4.neigh.o0.retrans_time_ms=10000
lab_sweep_wait long
lab_run sysctl -q -w net.ipv4.neigh.o0.retrans_time_ms=1000
v=$(verdict long 10.77.46.21)
if [[ $v == "unknown neighbour-incomplete" ]]; then
	lab_ok "10.77.46.21, still INCOMPLETE past the kernel's usual retries: $v"
else
	lab_bad "10.77.46.21, still INCOMPLETE past the kernel's usual retries: '$v'"
fi
lab_finish
