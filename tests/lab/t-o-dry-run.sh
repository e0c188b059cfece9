#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --dry-run prints the addresses that would be probed on stdout and, on
# stderr, "N addresses to probe: M probes (up to U if loss is seen), about
# S s at R packets/s": N the address count, M = N * -n, U = N * (--max-count
# + 1), R the --rate, and S a time
# no shorter than sending M probes at R (and one timeout) and no longer
# than that plus every probe's timeout.  -q leaves stderr empty (stdout the
# same).  Nothing is sent.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T=$LAB_TMP

P=10.77.50.0/24
lab_routed "$P" 10.77.50.1
lab_icmp_counter_start

o_same() {
	if cmp -s "$2" "$3"; then
		lab_ok "$1 ($(wc -l <"$3") lines)"
	else
		lab_bad "$1: differs (- expected, + actual)"
		diff -u "$2" "$3" | tail -n +3 | head -n 12 | sed 's/^/       /'
	fi
}

# o_estimate TAG N COUNT TIMEOUT_MS RATE: check TAG's stderr estimate
o_estimate() {
	local tag=$1 n=$2 cnt=$3 w=$4 rate=$5 line re s
	line=$(grep -E 'addresses to probe' "$T/$tag.err")
	re="^ipsweep: $n addresses to probe: $((n * cnt)) probes \(up to [0-9]+ if loss is seen\), about ([0-9]+(\.[0-9]+)?) s at $rate packets/s\$"
	if [[ $(wc -l <"$T/$tag.err") == 1 && $line =~ $re ]]; then
		s=${BASH_REMATCH[1]}
		lab_ok "$tag: '$line'"
		if awk -v s="$s" -v m="$((n * cnt))" -v r="$rate" -v c="$cnt" -v w="$w" 'BEGIN {
			lo = m / r; if (w / 1000 > lo) lo = w / 1000
			hi = m / r + (c + 1) * w / 1000
			exit !(s + 0.05 >= lo && s - 0.05 <= hi) }'; then
			lab_ok "$tag: about $s s is plausible for $((n * cnt)) probes at $rate/s, -n $cnt, -W $w"
		else
			lab_bad "$tag: about $s s is implausible for $((n * cnt)) probes at $rate/s, -n $cnt, -W $w"
		fi
	else
		lab_bad "$tag: stderr is not the one estimate line for $n addresses, $((n * cnt)) probes, $rate packets/s: $(head -c 300 "$T/$tag.err")"
	fi
}

lab_expand "$P" >"$T/exp24"
lab_sweep d24 --dry-run "$P"
lab_check_rc "--dry-run $P" 0 "$LAB_RC"
o_same "--dry-run: stdout lists the addresses" "$T/exp24" "$T/d24.out"
o_estimate d24 254 2 1000 20000

lab_sweep d24q --dry-run -q "$P"
lab_check_rc "--dry-run -q" 0 "$LAB_RC"
lab_check_empty "--dry-run -q: stderr" "$T/d24q.err"
o_same "--dry-run -q: the same stdout" "$T/exp24" "$T/d24q.out"

# Other settings change the numbers: -n 3 -W 2000 --rate 100.
lab_sweep dn3 --dry-run -n 3 -W 2000 --rate 100 "$P"
lab_check_rc "--dry-run -n 3 -W 2000 --rate 100" 0 "$LAB_RC"
o_estimate dn3 254 3 2000 100

# A /16 and a special address (skipped, not probed, not counted).
lab_expand 10.78.0.0/16 >"$T/exp16"
lab_sweep d16 --dry-run -n 1 --rate 65534 10.78.0.0/16 224.0.0.5
lab_check_rc "--dry-run on a /16 plus a multicast address" 0 "$LAB_RC"
o_same "--dry-run /16: stdout lists the addresses" "$T/exp16" "$T/d16.out"
grep -v 'skipping' "$T/d16.err" >"$T/d16.err2"
mv "$T/d16.err2" "$T/d16.err"
o_estimate d16 65534 1 1000 65534

sent=$(lab_icmp_counter)
if [[ $sent == 0 ]]; then
	lab_ok "--dry-run sent no ICMP"
else
	lab_bad "--dry-run sent $sent ICMP packets"
fi

# "Up to U" is an upper bound of the real sweep with the same
# options: counted with the nftables counter, once on a clean path and once
# with 30% of echo requests dropped (where loss-aware probing may add
# probes: the bound must still hold, or the estimate must say so).
L=10.77.51.0/24
lab_pick 51 120 "$L" >"$T/liveL"
lab_routed "$L" @"$T/liveL"
for loss in 0 30; do
	lab_loss "$loss"
	lab_sweep "est$loss" --dry-run -W 300 "$L"
	m=$(sed -n 's/.*(up to \([0-9]*\) if loss is seen).*/\1/p' "$T/est$loss.err")
	lab_icmp_counter_start
	lab_sweep "real$loss" -W 300 "$L"
	sent=$(lab_icmp_counter)
	if [[ -n $m ]] && ((sent <= m)); then
		lab_ok "loss $loss%: the sweep sent $sent probes, --dry-run said up to $m"
	else
		lab_bad "loss $loss%: the sweep sent $sent probes, --dry-run said 'up to ${m:-?}'"
	fi
done
lab_finish
