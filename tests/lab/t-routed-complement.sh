#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# A routed /24 with a known live set (~8%, scattered, plus both ends): stdout
# is exactly the complement, numerically sorted, exit 0; the same on a second
# run ("run after run"); the summary counts add up.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.1.0/24
{ lab_pick 11 80 "$P"; echo 10.77.1.1; echo 10.77.1.254; } | lab_sort_ip >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
nall=$(wc -l <"$LAB_TMP/all") nlive=$(wc -l <"$LAB_TMP/live") nfree=$(wc -l <"$LAB_TMP/free")
echo "lab: $P, $nlive live"

for run in 1 2; do
	lab_sweep "run$run" "$P"
	lab_check_rc "run $run" 0 "$LAB_RC"
	lab_check_list "run $run: stdout is the complement of the live set" "$LAB_TMP/free" "$LAB_TMP/run$run.out"
	lab_check_sorted "run $run: stdout" "$LAB_TMP/run$run.out"
	lab_check_summary "run$run" "$nall" "$nfree" "$nlive" 0
done
lab_finish
