#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# A directly connected /24 (bridge segment) with live hosts: the free list is
# exactly the complement of the live hosts and the scanner's own address.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.8.0/24
{ lab_pick 5 80 "$P"; echo 10.77.8.254; } | grep -vx 10.77.8.1 | lab_sort_ip >"$LAB_TMP/live"
lab_onlink "$P" 10.77.8.1 @"$LAB_TMP/live"
{ cat "$LAB_TMP/live"; echo 10.77.8.1; } >"$LAB_TMP/used"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/used" >"$LAB_TMP/free"
echo "lab: $P on-link, scanner 10.77.8.1, $(wc -l <"$LAB_TMP/live") live"

lab_sweep onlink "$P"
lab_check_rc "on-link /24" 0 "$LAB_RC"
lab_check_list "on-link /24: stdout is the complement of live + scanner" "$LAB_TMP/free" "$LAB_TMP/onlink.out"
lab_check_sorted "on-link /24: stdout" "$LAB_TMP/onlink.out"
lab_check_summary onlink 254 "$(wc -l <"$LAB_TMP/free")" "$(wc -l <"$LAB_TMP/used")" 0
lab_finish
