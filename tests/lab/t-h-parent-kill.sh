#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Process faults": the parent is killed (SIGKILL, so it can clean
# up nothing) mid-sweep: every worker exits within about a second
# (PR_SET_PDEATHSIG or EOF on its pipe), and nothing it started outlives
# it: no orphans.  Three ways to run: root (raw sockets), an unprivileged
# user with a cap_net_raw+ep copy (the drop of privileges must not lose the
# death signal), and --method exec, whose workers run ping(8).
# The sweep is long (-W 5000) so that everything is in full flight.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }
LAB_SWEEP_CAP=30
LIMIT_MS=1500

P=10.77.56.0/24
lab_pick 56 80 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"

BIN=$LAB_TMP/bin
mkdir -p "$BIN"
chmod 755 "$LAB_DIR" "$LAB_TMP" "$BIN"
cp "$IPSWEEP" "$BIN/ipsweep-cap"
chmod 755 "$BIN/ipsweep-cap"
setcap cap_net_raw+ep "$BIN/ipsweep-cap" || { echo "setcap failed"; exit 1; }
REAL=$IPSWEEP

# kill_parent TAG WHAT ARGS...: start, SIGKILL the parent 1 s in, then
# watch the scanner namespace empty.
kill_parent() {
	local tag=$1 what=$2 i workers desc t0 ms left
	shift 2
	lab_sweep_bg "$tag" "$@"
	sleep 1
	workers=$(pgrep -P "$LAB_BG_PID" | tr '\n' ' ')
	desc=$(lab_scan_procs | grep -vx "$LAB_BG_PID" | tr '\n' ' ')
	if [[ -z $workers ]] || ! kill -0 "$LAB_BG_PID" 2>/dev/null; then
		lab_bad "$what: no running sweep with workers to kill (pid $LAB_BG_PID)"
		lab_sweep_wait "$tag"
		return
	fi
	echo "  kill -KILL $LAB_BG_PID (workers: $workers; all its processes: $desc)"
	kill -KILL "$LAB_BG_PID"
	t0=$(date +%s%N)
	at_limit=""
	for ((i = 0; i < 200; i++)); do
		left=$(lab_scan_procs | tr '\n' ' ')
		[[ -z $left ]] && break
		ms=$((($(date +%s%N) - t0) / 1000000))
		if ((ms > LIMIT_MS)) && [[ -z $at_limit ]]; then
			at_limit=$(ps -o pid=,ppid=,etime=,args= -p "$(tr -s ' ' ',' <<<"${left% }")" |
				sed 's/^ *//; s/  */ /g' | tr '\n' ';')
		fi
		sleep 0.05
	done
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [[ -z $left && -z $at_limit ]]; then
		lab_ok "$what: every process of the sweep gone ${ms} ms after the parent's death"
	elif [[ -z $left ]]; then
		lab_bad "$what: processes outlived the parent by more than $LIMIT_MS ms (the last left after ${ms} ms); at $LIMIT_MS ms (pid ppid elapsed command): $at_limit"
	else
		lab_bad "$what: still in the scanner namespace ${ms} ms after the parent's death: $left"
	fi
	lab_sweep_wait "$tag" >/dev/null
	left=$(lab_scan_procs | tr '\n' ' ')
	# shellcheck disable=SC2086 # a list of pids
	[[ -z $left ]] || kill -KILL $left 2>/dev/null
}

kill_parent root "root, raw sockets" -n 3 -W 5000 "$P"

IPSWEEP=$(command -v setpriv)
kill_parent cap "user 65534, setcap copy" --reuid=65534 --regid=65534 --clear-groups \
	"$BIN/ipsweep-cap" -n 3 -W 5000 "$P"
IPSWEEP=$REAL

kill_parent exec "root, --method exec" --method exec -j 8 -n 3 -W 5000 "$P"
lab_finish
