#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# canary = in ranges.conf: a range whose canaries all stay silent prints no
# address free (canary-silent, exit 3), so that a filter that starts
# dropping ICMP cannot turn a whole pool free.  A range whose canary
# answers is swept as usual, and a second range in the same run is not
# affected by the first one's dead canary.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.20.0/24
printf '%s\n' 10.77.20.1 10.77.20.9 >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
cat >"$LAB_TMP/ranges.conf" <<CONF
[up]
range = 10.77.20.2-10.77.20.20
canary = 10.77.20.1      # the gateway answers
[down]
range = 10.77.20.100-10.77.20.110
canary = 10.77.20.250    # silent: as if ICMP were filtered
CONF
lab_expand 10.77.20.2-10.77.20.20 | grep -vx 10.77.20.9 >"$LAB_TMP/free-up"

lab_sweep up -c "$LAB_TMP/ranges.conf" up
lab_check_rc "canary answers" 0 "$LAB_RC"
lab_check_list "canary answers: the complement" "$LAB_TMP/free-up" "$LAB_TMP/up.out"

lab_sweep down -c "$LAB_TMP/ranges.conf" down
lab_check_rc "canary silent" 3 "$LAB_RC"
lab_check_list "canary silent: nothing free" /dev/null "$LAB_TMP/down.out"
lab_check_summary down 11 0 0 11
if grep -q "range 'down': no canary answered (10.77.20.250)" "$LAB_TMP/down.err"; then
	lab_ok "stderr names the range and its silent canary"
else
	lab_bad "no message about the silent canary of 'down'"
fi

lab_sweep both --all -c "$LAB_TMP/ranges.conf" up down
lab_check_rc "both ranges" 3 "$LAB_RC"
if [[ $(grep -c $'\tfree\t' "$LAB_TMP/both.out") == 18 &&
	$(grep -c $'\tunknown\tcanary-silent' "$LAB_TMP/both.out") == 11 ]]; then
	lab_ok "both: 18 free in 'up', 11 canary-silent in 'down'"
else
	lab_bad "both: wrong verdicts: $(cut -f2,3 "$LAB_TMP/both.out" | sort | uniq -c | tr '\n' ';')"
fi
lab_finish
