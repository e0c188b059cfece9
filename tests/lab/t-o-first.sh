#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --first N prints exactly the N lowest free addresses (the head of the full
# free list), exits 0, and stops the sweep early: on a /20 the --first 1 run
# takes less than half the time of the full sweep (both at --rate 3000, so
# that a full sweep is dominated by sending).  An unknown (admin-prohibited)
# address below the first free one does not change the answer or the
# status.  With fewer free addresses than N (--first 500, 246 free) all the
# free ones are printed and the status is the one a full sweep would give
# (ipsweep(1)): 0 with the default --min-free 1, 1 with --min-free 247.
# --first with --all or --alive (in either order) is a usage error.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
T=$LAB_TMP

A=10.77.46.0/24
printf '%s\n' 10.77.46.1 10.77.46.2 10.77.46.4 10.77.46.7 10.77.46.100 \
	10.77.46.101 10.77.46.200 10.77.46.254 >"$T/liveA"
lab_routed "$A" @"$T/liveA"
B=10.77.48.0/20
{
	lab_pick 48 30 "$B"
	printf '%s\n' 10.77.48.1 10.77.48.3
} | lab_sort_ip | grep -vx 10.77.48.2 >"$T/liveB"
lab_routed "$B" @"$T/liveB"
lab_prohibit 10.77.48.2
lab_expand "$A" >"$T/allA"
lab_minus "$T/allA" "$T/liveA" >"$T/freeA"
echo "lab: $A with 8 live (246 free); $B with $(wc -l <"$T/liveB") live and 10.77.48.2 admin-prohibited"

o_elapsed() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'
}

o_same() {
	local e=$2 a=$3
	[[ $e == - ]] && { cat >"$T/.o_same.e"; e=$T/.o_same.e; }
	[[ $a == - ]] && { cat >"$T/.o_same.a"; a=$T/.o_same.a; }
	if cmp -s "$e" "$a"; then
		lab_ok "$1: $(tr '\n' ' ' <"$a" | cut -c 1-80)"
	else
		lab_bad "$1: differs (- expected, + actual)"
		diff -u "$e" "$a" | tail -n +3 | head -n 12 | sed 's/^/       /'
	fi
}

# o_summary_adds TAG TOTAL: "N addresses: F free, U used, K unknown[, M not
# needed]" with F + U + K + M = N = TOTAL
o_summary_adds() {
	local line
	line=$(grep -E '(^|: )[0-9]+ addresses: [0-9]+ free, [0-9]+ used, [0-9]+ unknown(, [0-9]+ not needed)?$' "$T/$1.err" | tail -n 1)
	if [[ -z $line ]]; then
		lab_bad "$1: no summary line"
		return
	fi
	local n f u k m
	read -r n f u k m < <(sed -E 's/.*\b([0-9]+) addresses: ([0-9]+) free, ([0-9]+) used, ([0-9]+) unknown(, ([0-9]+) not needed)?$/\1 \2 \3 \4 \6/' <<<"$line")
	m=${m:-0}
	if ((n == $2 && f + u + k + m == n)); then
		lab_ok "$1: summary adds up to $2: ${line#ipsweep: }"
	else
		lab_bad "$1: summary does not add up to $2: $line"
	fi
}

# 1. The reference: the full free list of A.
lab_sweep fullA "$A"
lab_check_rc "full sweep of $A" 0 "$LAB_RC"
o_same "full sweep: the free set" "$T/freeA" "$T/fullA.out"

for n in 1 5; do
	lab_sweep "first$n" --first "$n" "$A"
	lab_check_rc "--first $n" 0 "$LAB_RC"
	head -n "$n" "$T/fullA.out" | o_same "--first $n: the $n lowest free addresses" - "$T/first$n.out"
	o_summary_adds "first$n" 254
done

# json says the list is partial when --first stopped early
t0s=$(date +%s)
lab_sweep first5j --first 5 --format json "$A"
lab_check_rc "--first 5 --format json" 0 "$LAB_RC"
if "$PY" "$HERE/o-parse.py" json "$T/first5j.out" --expect partial=true \
	--expect total=254 --expect start_near="$t0s" >"$T/first5j.canon" 2>"$T/first5j.perr"; then
	lab_ok "--first 5 --format json: parsed, partial: true"
else
	lab_bad "--first 5 --format json: the parser found problems:"
	sed 's/^/       /' "$T/first5j.perr"
fi
cut -f1 "$T/first5j.canon" | o_same "--first 5 --format json: the same 5 addresses" "$T/first5.out" -

# 2. Fewer free than N: all of them; the status follows --min-free.
lab_sweep first500 --first 500 "$A"
lab_check_rc "--first 500 with 246 free (--min-free 1 met)" 0 "$LAB_RC"
o_same "--first 500: all 246 free addresses" "$T/freeA" "$T/first500.out"
lab_check_summary first500 254 246 8 0
lab_sweep first500m --first 500 --min-free 247 "$A"
lab_check_rc "--first 500 --min-free 247 with 246 free" 1 "$LAB_RC"
o_same "--first 500 --min-free 247: still all 246 free addresses" "$T/freeA" "$T/first500m.out"

# 3. Only with the default selection.
for sel in --all --alive; do
	lab_sweep "firstsel$sel" --first 1 "$sel" "$A"
	lab_check_rc "--first 1 $sel (usage error)" 2 "$LAB_RC"
	lab_check_empty "--first 1 $sel: stdout" "$T/firstsel$sel.out"
	lab_sweep "selfirst$sel" "$sel" --first 1 "$A"
	lab_check_rc "$sel --first 1 (usage error)" 2 "$LAB_RC"
	lab_check_empty "$sel --first 1: stdout" "$T/selfirst$sel.out"
done

# 4. Early stop on a /20, with an unknown address below the first free one.
t0=$(date +%s.%N)
lab_sweep fullB --rate 3000 "$B"
tfull=$(o_elapsed "$t0")
lab_check_rc "full sweep of $B (10.77.48.2 unknown)" 3 "$LAB_RC"
t0=$(date +%s.%N)
lab_sweep firstB --rate 3000 --first 1 "$B"
tfirst=$(o_elapsed "$t0")
lab_check_rc "--first 1 on $B: 1 found, the unknown below does not matter" 0 "$LAB_RC"
head -n 1 "$T/fullB.out" | o_same "--first 1 on $B: the lowest free address" - "$T/firstB.out"
if [[ $(cat "$T/firstB.out") == 10.77.48.4 ]]; then
	lab_ok "--first 1 on $B: 10.77.48.4 (.1, .3 live, .2 prohibited)"
else
	lab_bad "--first 1 on $B: '$(head -c 100 "$T/firstB.out")', expected 10.77.48.4"
fi
o_summary_adds firstB 4094
if grep -q 'not needed' "$T/firstB.err"; then
	lab_ok "--first 1 on $B: the summary counts addresses not needed"
else
	lab_bad "--first 1 on $B: no 'not needed' in the summary"
fi
if awk -v a="$tfirst" -v b="$tfull" 'BEGIN { exit !(a < b / 2) }'; then
	lab_ok "--first 1 on $B took $tfirst s, the full sweep $tfull s (less than half)"
else
	lab_bad "--first 1 on $B took $tfirst s, the full sweep $tfull s: not less than half"
fi
lab_finish
