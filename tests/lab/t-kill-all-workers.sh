#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# `pkill -KILL -P <ipsweep>` once, mid-sweep: every worker dies at the same
# moment.  The parent must hand their unfinished jobs on (to new workers)
# and the result must equal a clean run.  At the very least (DESIGN.md) no
# address may turn free because of it: that is checked separately so that a
# failure says which of the two broke.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
# A clean run takes about 4 s: 20 s means the sweep hung.
LAB_SWEEP_CAP=20

P=10.77.16.0/22
lab_pick 29 50 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
echo "lab: $P, $(wc -l <"$LAB_TMP/live") live"

lab_sweep clean -n 3 "$P"
lab_check_list "clean run: the complement" "$LAB_TMP/free" "$LAB_TMP/clean.out"

lab_sweep_bg killed -n 3 "$P"
for ((i = 0; i < 50; i++)); do
	pgrep -P "$LAB_BG_PID" >/dev/null && break
	sleep 0.1
done
sleep 1
if kill -0 "$LAB_BG_PID" 2>/dev/null; then
	echo "  pkill -KILL -P $LAB_BG_PID (workers: $(pgrep -P "$LAB_BG_PID" | tr '\n' ' '))"
	pkill -KILL -P "$LAB_BG_PID"
else
	lab_bad "ipsweep ended before its workers could be killed"
fi
lab_sweep_wait killed
falsefree=$(lab_common "$LAB_TMP/killed.out" "$LAB_TMP/live" | tr '\n' ' ')
if [[ -z $falsefree ]]; then
	lab_ok "no live address printed free after the workers died"
else
	lab_bad "live addresses printed free after the workers died: $falsefree"
fi
lab_check_rc "run with all workers killed" 0 "$LAB_RC"
lab_check_list "all workers killed: same stdout as the clean run" "$LAB_TMP/clean.out" "$LAB_TMP/killed.out"
sleep 0.2
leftover=$(lab_scan_procs | tr '\n' ' ')
if [[ -z $leftover ]]; then
	lab_ok "no process left in the scanner namespace"
else
	lab_bad "processes left in the scanner namespace: $leftover"
fi
lab_finish
