#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN: "a worker killed with SIGKILL mid-sweep: its unfinished jobs go
# to another worker; the result equals a clean run; stderr names the worker
# and the signal".  A routed /22 (~5% live) swept with -n 3 -j 4: first a
# clean run, then a run in which one worker is killed about a second in.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
# A clean run takes about 4 s: 20 s means the sweep hung.
LAB_SWEEP_CAP=20

P=10.77.12.0/22
lab_pick 17 50 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
echo "lab: $P, $(wc -l <"$LAB_TMP/live") live"

lab_sweep clean -n 3 -j 4 "$P"
lab_check_rc "clean run" 0 "$LAB_RC"
lab_check_list "clean run: the complement" "$LAB_TMP/free" "$LAB_TMP/clean.out"

lab_sweep_bg killed -n 3 -j 4 "$P"
workers=""
for ((i = 0; i < 50; i++)); do
	workers=$(pgrep -P "$LAB_BG_PID" | tr '\n' ' ')
	[[ -n $workers ]] && break
	sleep 0.1
done
sleep 1
victim=$(pgrep -P "$LAB_BG_PID" | head -n 1)
if [[ -z $victim ]]; then
	lab_bad "no worker of ipsweep (pid $LAB_BG_PID) to kill (workers seen: '$workers')"
elif ! kill -0 "$LAB_BG_PID" 2>/dev/null; then
	lab_bad "ipsweep ended before a worker could be killed"
else
	echo "  killing worker $victim of ipsweep $LAB_BG_PID (workers: $workers)"
	kill -KILL "$victim"
fi
lab_sweep_wait killed
lab_check_rc "run with a killed worker" 0 "$LAB_RC"
lab_check_list "killed worker: same stdout as the clean run" "$LAB_TMP/clean.out" "$LAB_TMP/killed.out"
if grep -Eqi "$victim|sigkill|signal 9|killed" "$LAB_TMP/killed.err"; then
	lab_ok "stderr reports the dead worker"
else
	lab_bad "stderr does not name the killed worker ($victim) or SIGKILL"
fi
sleep 0.2
leftover=$(lab_scan_procs | tr '\n' ' ')
if [[ -z $leftover ]]; then
	lab_ok "no process left in the scanner namespace"
else
	lab_bad "processes left in the scanner namespace: $leftover"
fi
lab_finish
