#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# tests/lab/selftest.sh -- check the lab itself, with the system ping (and
# fping and nmap when installed), all run inside the lab's scanner
# namespace.  Needs no ipsweep: run-tests.sh runs it first, so that a broken
# lab shows up as such and not as a dozen failing sweep tests.
#
#   bash tests/lab/selftest.sh        (root)
#
# What it establishes, and the t-*.sh tests rely on:
#   - live routed and on-link addresses answer;
#   - dead addresses are silent: no reply and no ICMP error (routed), or at
#     most the scanner's own local "host unreachable" (on-link, no ARP);
#   - lab_drop_echo: silent, but an on-link host still answers ARP;
#   - lab_prohibit: ping prints "Packet filtered" (ICMP type 3 code 13);
#   - lab_late: the reply arrives after the delay, not before;
#   - lab_loss: about that share of echo requests is lost;
#   - lab_onlink_host2: a second MAC on the segment;
#   - a routed /16 with ~2000 live addresses builds in a few seconds;
#   - lab_destroy leaves no namespace and no responder behind.
set -u
. "$(dirname "$0")/lab.sh"

lab_require || exit 1
lab_init

# ping -c1 -W1 in the scanner ns; prints ping's output, keeps its status.
# Results of pings started earlier with ping_bg are taken from their files
# (the silent ones each take the full second, so they run in parallel).
p1() {
	local i
	if [[ -e $LAB_TMP/ping.$1.started ]]; then
		# (`wait` would also wait for the late responders.)
		for ((i = 0; i < 100; i++)); do
			[[ -e $LAB_TMP/ping.$1 ]] && break
			sleep 0.1
		done
		cat "$LAB_TMP/ping.$1"
		return "$(cat "$LAB_TMP/ping.$1.rc")"
	fi
	lab_run ping -n -c 1 -W 1 "$1" 2>&1
}

ping_bg() {
	local a
	for a in "$@"; do
		: >"$LAB_TMP/ping.$a.started"
		{
			lab_run ping -n -c 1 -W 1 "$a" >"$LAB_TMP/ping.$a.tmp" 2>&1
			echo $? >"$LAB_TMP/ping.$a.rc"
			mv "$LAB_TMP/ping.$a.tmp" "$LAB_TMP/ping.$a"
		} &
	done
}

expect_reply() {
	local out
	out=$(p1 "$1")
	if grep -q "bytes from $1:" <<<"$out"; then
		lab_ok "$1 answers ($2)"
	else
		lab_bad "$1 does not answer ($2): $(tr '\n' ' ' <<<"$out")"
	fi
}

# Silent: no reply, and no ICMP error of any kind in ping's output.
expect_silent() {
	local out rc
	out=$(p1 "$1")
	rc=$?
	if [[ $rc == 1 ]] && grep -q ' 0 received, 100% packet loss' <<<"$out" &&
		! grep -qE 'From |errors|filtered|nreachable' <<<"$out"; then
		lab_ok "$1 is silent: no reply, no error ($2)"
	else
		lab_bad "$1 is not silent ($2): rc=$rc $(tr '\n' ' ' <<<"$out")"
	fi
}

echo "== build"
t0=$EPOCHREALTIME
lab_pick 42 31 10.201.0.0/16 >"$LAB_TMP/live16"
lab_routed 10.201.0.0/16 @"$LAB_TMP/live16"
t1=$EPOCHREALTIME
n16=$(wc -l <"$LAB_TMP/live16")
ms16=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
if ((n16 >= 1800 && ms16 < 5000)); then
	lab_ok "routed /16 with $n16 live addresses built in $ms16 ms"
else
	lab_bad "routed /16 with $n16 live addresses took $ms16 ms (want >= 1800 live, < 5000 ms)"
fi
lab_routed 10.77.1.0/24 10.77.1.1 10.77.1.5 10.77.1.9 10.77.1.200 10.77.1.254
lab_routed 10.78.0.0/24 10.78.0.7
lab_onlink 10.72.83.0/24 10.72.83.1 10.72.83.10 10.72.83.11 10.72.83.12
lab_onlink_host2 10.72.83.20
lab_drop_echo 10.77.1.9 10.72.83.11 10.77.1.77
lab_prohibit 10.77.1.200 10.72.83.12
lab_late 10.77.1.50 1500
lab_late 10.72.83.60 1500
lab_describe

echo "== routed"
ping_bg 10.77.1.6 10.77.1.0 10.77.1.9 10.77.1.77 10.77.1.200 10.72.83.11 10.72.83.99
expect_reply 10.77.1.5 "routed live"
expect_reply 10.77.1.1 "routed live, first address"
expect_reply 10.78.0.7 "second routed prefix"
expect_reply "$(sed -n 100p "$LAB_TMP/live16")" "routed /16 live"
expect_silent 10.77.1.6 "routed dead"
expect_silent 10.77.1.0 "routed network address"
expect_silent 10.77.1.9 "routed live, drops echo"
expect_silent 10.77.1.77 "routed dead, dropped at the router"
out=$(p1 10.77.1.200)
if grep -q 'From 192.0.2.1 icmp_seq=1 Packet filtered' <<<"$out"; then
	lab_ok "10.77.1.200: the router answers 'Packet filtered' (type 3 code 13)"
else
	lab_bad "10.77.1.200 prohibited: $(tr '\n' ' ' <<<"$out")"
fi
out=$(p1 10.99.0.1)
if grep -q 'Network is unreachable' <<<"$out"; then
	lab_ok "an address outside the lab has no route in the scanner (nothing is sent)"
else
	lab_bad "10.99.0.1 outside the lab: $(tr '\n' ' ' <<<"$out")"
fi

echo "== on-link"
expect_reply 10.72.83.10 "on-link live"
expect_reply 10.72.83.20 "on-link, second host"
expect_reply 10.72.83.1 "the scanner's own address"
out=$(p1 10.72.83.11)
if grep -q ' 0 received' <<<"$out" && ! grep -q 'bytes from' <<<"$out"; then
	lab_ok "10.72.83.11 (drops echo) does not answer ping"
else
	lab_bad "10.72.83.11 (drops echo): $(tr '\n' ' ' <<<"$out")"
fi
nb=$(lab_run ip -4 neigh show 10.72.83.11)
if grep -qE 'lladdr .* (REACHABLE|STALE|DELAY|PROBE)' <<<"$nb"; then
	lab_ok "10.72.83.11 answered ARP: $nb"
else
	lab_bad "10.72.83.11 has no neighbour entry: '$nb'"
fi
out=$(p1 10.72.83.12)
if grep -q 'From 10.72.83.12 icmp_seq=1 Packet filtered' <<<"$out"; then
	lab_ok "10.72.83.12: its host answers 'Packet filtered'"
else
	lab_bad "10.72.83.12 prohibited: $(tr '\n' ' ' <<<"$out")"
fi
out=$(p1 10.72.83.99)
if grep -q ' 0 received' <<<"$out" && ! grep -q 'bytes from' <<<"$out"; then
	lab_ok "10.72.83.99 (on-link dead) does not answer"
else
	lab_bad "10.72.83.99: $(tr '\n' ' ' <<<"$out")"
fi
m1=$(lab_run ip -4 neigh show 10.72.83.10 | awk '{ print $5 }')
m2=$(lab_run ip -4 neigh show 10.72.83.20 | awk '{ print $5 }')
if [[ -n $m1 && -n $m2 && $m1 != "$m2" ]]; then
	lab_ok "host2 has its own MAC ($m2, lan host $m1)"
else
	lab_bad "host2 MAC '$m2' vs lan MAC '$m1'"
fi

echo "== late"
for a in 10.77.1.50 10.72.83.60; do
	# The first reply's time shows that nothing came earlier.
	out=$(lab_run ping -n -c 2 -i 0.2 -W 3 -s 61 -p a5 "$a" 2>&1)
	ms=$(sed -n 's/.*bytes from .* time=\([0-9.]*\) ms.*/\1/p' <<<"$out" | head -n 1)
	if [[ -n $ms ]] && awk -v t="$ms" 'BEGIN { exit !(t >= 1500 && t < 2000) }' &&
		grep -q ' 2 received' <<<"$out" && ! grep -qiE 'wrong|DUP|corrupt' <<<"$out"; then
		lab_ok "$a: both replies after ${ms} ms, payload (odd size, pattern) intact"
	else
		lab_bad "$a late reply: $(tr '\n' ' ' <<<"$out")"
	fi
done

echo "== loss"
lab_loss 30
out=$(lab_run ping -n -q -c 1000 -i 0.002 -W 1 10.77.1.5 2>&1)
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' <<<"$out")
if [[ -n $loss ]] && awk -v l="$loss" 'BEGIN { exit !(l >= 22 && l <= 38) }'; then
	lab_ok "lab_loss 30: ${loss}% of 1000 echo requests lost"
else
	lab_bad "lab_loss 30: '$loss'% lost: $(tr '\n' ' ' <<<"$out")"
fi
lab_loss 0
out=$(lab_run ping -n -q -c 200 -i 0.002 -W 1 10.77.1.5 2>&1)
if grep -q ' 0% packet loss' <<<"$out"; then
	lab_ok "lab_loss 0: no loss"
else
	lab_bad "lab_loss 0: $(tr '\n' ' ' <<<"$out")"
fi

echo "== peers (when installed)"
# Live and answering in 10.77.1.0/24: 1, 5, 254, 50 (late 1.5 s, so only
# with a long enough timeout).
printf '%s\n' 10.77.1.1 10.77.1.5 10.77.1.254 >"$LAB_TMP/exp24"
if command -v fping >/dev/null; then
	# The late host (1.5 s) is left out: whether a peer waits that long
	# depends on its adaptive timeouts (nmap does, fping does not).
	lab_run fping -a -q -r 1 -i 1 -g 10.77.1.0/24 2>/dev/null |
		grep -vx 10.77.1.50 >"$LAB_TMP/fping24"
	lab_check_list "fping -a on routed /24" "$LAB_TMP/exp24" "$LAB_TMP/fping24"
else
	echo "  (fping not installed)"
fi
if command -v nmap >/dev/null; then
	lab_run nmap -sn -PE -n -oG - 10.77.1.0/24 2>/dev/null |
		awk '/Status: Up/ && $2 != "10.77.1.50" { print $2 }' >"$LAB_TMP/nmap24"
	lab_check_list "nmap -sn -PE on routed /24" "$LAB_TMP/exp24" "$LAB_TMP/nmap24"
	printf '%s\n' 10.72.83.1 10.72.83.10 10.72.83.11 10.72.83.12 10.72.83.20 10.72.83.60 >"$LAB_TMP/exp83"
	lab_run nmap -sn -n -oG - 10.72.83.0/24 2>/dev/null |
		awk '/Status: Up/ { print $2 }' >"$LAB_TMP/nmap83"
	lab_check_list "nmap -sn (ARP) on on-link /24" "$LAB_TMP/exp83" "$LAB_TMP/nmap83"
else
	echo "  (nmap not installed)"
fi

echo "== destroy"
mapfile -t nses < <(lab_netns)
resp=$(cat "$LAB_DIR/late-10.77.1.50.ready")
t0=$EPOCHREALTIME
lab_destroy
t1=$EPOCHREALTIME
left=()
for ns in "${nses[@]}"; do
	[[ -e /run/netns/$ns ]] && left+=("$ns")
done
if ((${#left[@]} == 0)); then
	lab_ok "lab_destroy removed ${#nses[@]} namespaces in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }') ms"
else
	lab_bad "namespaces left: ${left[*]}"
fi
if kill -0 "$resp" 2>/dev/null; then
	lab_bad "late responder $resp still running"
else
	lab_ok "late responder stopped"
fi
lab_finish
