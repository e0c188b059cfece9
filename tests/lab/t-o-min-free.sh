#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --min-free N: exit 1 when fewer than N addresses are free, for capacity
# alerts; the free list is printed either way.  A /24 with 246 free:
# --min-free 246 exits 0, --min-free 247 exits 1 with the same stdout.  A
# fully live range: the default (1) exits 1, --min-free 0 exits 0; both
# print nothing.  Out-of-range and malformed values are usage errors.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T=$LAB_TMP

P=10.77.47.0/24
printf '%s\n' 10.77.47.1 10.77.47.2 10.77.47.30 10.77.47.31 10.77.47.99 \
	10.77.47.150 10.77.47.253 10.77.47.254 >"$T/live"
lab_routed "$P" @"$T/live"
lab_expand "$P" >"$T/all"
lab_minus "$T/all" "$T/live" >"$T/free"
FULL=10.77.49.0/28
lab_expand "$FULL" >"$T/fulllive"
lab_routed "$FULL" @"$T/fulllive"
echo "lab: $P with 246 free; $FULL with all 14 live"

o_same() {
	if cmp -s "$2" "$3"; then
		lab_ok "$1 ($(wc -l <"$3") lines)"
	else
		lab_bad "$1: differs (- expected, + actual)"
		diff -u "$2" "$3" | tail -n +3 | head -n 12 | sed 's/^/       /'
	fi
}

lab_sweep def -W 500 "$P"
lab_check_rc "default --min-free 1, 246 free" 0 "$LAB_RC"
o_same "default: stdout is the free list" "$T/free" "$T/def.out"

lab_sweep m246 -W 500 --min-free 246 "$P"
lab_check_rc "--min-free 246, 246 free" 0 "$LAB_RC"
o_same "--min-free 246: stdout is the free list" "$T/free" "$T/m246.out"
lab_check_summary m246 254 246 8 0

lab_sweep m247 -W 500 --min-free 247 "$P"
lab_check_rc "--min-free 247, 246 free" 1 "$LAB_RC"
o_same "--min-free 247: stdout is still the free list" "$T/free" "$T/m247.out"
lab_check_summary m247 254 246 8 0

lab_sweep m247eq -W 500 --min-free=247 --format csv "$P"
lab_check_rc "--min-free=247 --format csv" 1 "$LAB_RC"
if [[ $(tail -n +2 "$T/m247eq.out" | cut -d, -f1) == "$(cat "$T/free")" ]]; then
	lab_ok "--min-free=247 --format csv: the free rows are all there"
else
	lab_bad "--min-free=247 --format csv: the rows are not the free list"
fi

lab_sweep fdef -W 500 "$FULL"
lab_check_rc "fully live, default --min-free 1" 1 "$LAB_RC"
lab_check_empty "fully live, default: stdout" "$T/fdef.out"
lab_check_summary fdef 14 0 14 0

lab_sweep f0 -W 500 --min-free 0 "$FULL"
lab_check_rc "fully live, --min-free 0" 0 "$LAB_RC"
lab_check_empty "fully live, --min-free 0: stdout" "$T/f0.out"
lab_check_summary f0 14 0 14 0

# The range of the value: 0 to 16777216, whole decimal numbers.
lab_icmp_counter_start
for v in 16777217 -1 1e3 0x10 " 5" ""; do
	lab_sweep mbad -W 500 --min-free "$v" "$P"
	lab_check_rc "--min-free '$v' (usage error)" 2 "$LAB_RC"
	lab_check_empty "--min-free '$v': stdout" "$T/mbad.out"
done
sent=$(lab_icmp_counter)
if [[ $sent == 0 ]]; then
	lab_ok "the usage errors sent nothing"
else
	lab_bad "the usage errors sent $sent ICMP packets"
fi
lab_sweep mmax -W 500 --min-free 16777216 "$P"
lab_check_rc "--min-free 16777216 (the maximum, not met)" 1 "$LAB_RC"
o_same "--min-free 16777216: stdout is the free list" "$T/free" "$T/mmax.out"
lab_finish
