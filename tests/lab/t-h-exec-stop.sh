#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Signals and output" (Ctrl-C, SIGTERM) for the ping(8) engine
# (--method exec, the fallback).  Its workers are each waiting in a
# `ping -c 2 -W 5` when the signal comes, so:
#  - Ctrl-C reaches the pings too (same process group).  An interrupted
#    ping exits 1 ("no reply"), which must NOT become "free": only a ping
#    that ran its whole course says free.  The lab has two hosts that
#    answer after 2.5 s: interrupted at 1.5 s, they must not be printed.
#    Nothing can be decided free in 1.5 s (a silent ping takes 6 s), so
#    stdout must be empty.
#  - SIGTERM to the parent: exit 143 promptly, workers stop quietly (no
#    "worker killed" reports), and no ping is left running.
# Eight targets and -j 8: one ping per worker, all in flight at once.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
LAB_SWEEP_CAP=30

lab_routed 10.77.58.0/24 10.77.58.1
lab_late 10.77.58.3 2500
lab_late 10.77.58.6 2500
lab_expand 10.77.58.1-8 >"$LAB_TMP/all"
printf '%s\n' 10.77.58.1 10.77.58.3 10.77.58.6 >"$LAB_TMP/live"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
ARGS=(--method exec -j 8 -n 2 -W 5000 10.77.58.1-8)

# A full run first: the late hosts are used, the rest free.
lab_sweep ref "${ARGS[@]}"
lab_check_rc "full run" 0 "$LAB_RC"
lab_check_list "full run: the complement (late hosts used)" "$LAB_TMP/free" "$LAB_TMP/ref.out"

# run_signal TAG SIG WHO WANT: start ipsweep leading its own session, signal
# it 1.5 s in (WHO: group or parent), check.
run_signal() {
	local tag=$1 sig=$2 who=$3 want=$4 pid i t0 ms rc left target bad
	echo "  \$ setsid ipsweep ${ARGS[*]} &"
	ip netns exec "$LAB_SCAN" setsid "$IPSWEEP" "${ARGS[@]}" \
		>"$LAB_TMP/$tag.out" 2>"$LAB_TMP/$tag.err" &
	pid=$!
	sleep 1.5
	if [[ $(ps -o pgid= -p "$pid" | tr -d ' ') != "$pid" ]]; then
		lab_bad "$tag: ipsweep ($pid) is not running as its own group leader"
		return
	fi
	echo "    pings running: $(pgrep -s "$pid" -x ping | wc -l)"
	target=$pid
	[[ $who == group ]] && target=-$pid
	echo "  kill -$sig -- $target"
	kill "-$sig" -- "$target"
	t0=$(date +%s%N)
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	ms=$((($(date +%s%N) - t0) / 1000000))
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	echo "    exit $rc after $ms ms, stdout $(wc -l <"$LAB_TMP/$tag.out") lines; stderr:"
	sed 's/^/    | /' "$LAB_TMP/$tag.err"
	lab_check_rc "$tag" "$want" "$rc"
	bad=$(lab_common "$LAB_TMP/$tag.out" "$LAB_TMP/live" | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$tag: no live address printed free"
	else
		lab_bad "$tag: LIVE addresses printed free (their ping was interrupted before the reply): $bad"
	fi
	if [[ -s $LAB_TMP/$tag.out ]]; then
		lab_bad "$tag: printed free after 1.5 s, before any ping could have run its course (6 s): $(tr '\n' ' ' <"$LAB_TMP/$tag.out")"
	else
		lab_ok "$tag: nothing printed (no address could be decided free in 1.5 s)"
	fi
	if grep -q 'interrupted: the list is partial' "$LAB_TMP/$tag.err"; then
		lab_ok "$tag: stderr says the list is partial"
	else
		lab_bad "$tag: stderr does not say that the list is partial"
	fi
	if grep -Eqi 'worker .*(killed|signal|died)' "$LAB_TMP/$tag.err"; then
		lab_bad "$tag: workers did not stop quietly: $(grep -Ei 'worker .*(killed|signal|died)' "$LAB_TMP/$tag.err" | head -n 2 | tr '\n' '|')"
	else
		lab_ok "$tag: workers stopped quietly"
	fi
	if ((ms < 1500)); then
		lab_ok "$tag: ended $ms ms after the signal"
	else
		lab_bad "$tag: took $ms ms to end after the signal"
	fi
	sleep 0.2
	left=$(ps -e -o pid=,sid=,stat=,args= | awk -v s="$pid" '$2 == s' | sed 's/^ *//; s/  */ /g' | tr '\n' ';')
	if [[ -z $left ]]; then
		lab_ok "$tag: nothing of the run left (no ping, no zombie)"
	else
		lab_bad "$tag: left behind 0.2 s after ipsweep ended (pid sid stat command): $left"
	fi
	left=$(lab_scan_procs | tr '\n' ' ')
	# shellcheck disable=SC2086 # a list of pids
	[[ -z $left ]] || kill -KILL $left 2>/dev/null
	sleep 0.1
}

run_signal int INT group 130
run_signal term TERM parent 143
lab_finish
