#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --alive prints exactly the live set, sorted; the exit status still says
# that free addresses exist (0).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.4.0/24
{ lab_pick 23 100 "$P"; echo 10.77.4.1; } | lab_sort_ip >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
echo "lab: $P, $(wc -l <"$LAB_TMP/live") live"

lab_sweep alive --alive "$P"
lab_check_rc "--alive (free addresses exist)" 0 "$LAB_RC"
lab_check_list "--alive: stdout is the live set" "$LAB_TMP/live" "$LAB_TMP/alive.out"
lab_check_sorted "--alive: stdout" "$LAB_TMP/alive.out"
lab_finish
