#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Signals and output": Ctrl-C (SIGINT to the whole process group)
# -> exit 130; SIGTERM to the parent, SIGTERM to the whole group (as
# systemd and timeout(1) send it), or `timeout 2 ipsweep ...` -> 143
# (timeout itself exits 124; with --preserve-status it passes on 143).
# In each case: workers stop quietly, the parent reaps them, prints only
# free addresses it had decided (never a live one), says on stderr that the
# list is partial, and leaves no process behind (worker or zombie).
#
# A routed /22 (5% live) swept with -n 3 --rate 1000 takes about 4 s: at
# 2 s about a third of the addresses are decided, so the printed list is
# partial but not empty.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.40.0/22
lab_pick 41 50 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
nfree=$(wc -l <"$LAB_TMP/free")
echo "lab: $P, $(wc -l <"$LAB_TMP/live") live, $nfree free"
ARGS=(-n 3 --rate 1000 "$P")

# start_session TAG: ipsweep in the scanner ns as the leader of a session
# (and process group) of its own, like a shell job.  In a script without
# job control the background command is not a group leader, so setsid(1)
# does not fork: $! ends up being ipsweep itself.
start_session() {
	local tag=$1 i
	echo "  \$ setsid ipsweep ${ARGS[*]} &"
	ip netns exec "$LAB_SCAN" setsid "$IPSWEEP" "${ARGS[@]}" \
		>"$LAB_TMP/$tag.out" 2>"$LAB_TMP/$tag.err" &
	PID=$!
	for ((i = 0; i < 50; i++)); do
		[[ $(readlink "/proc/$PID/exe" 2>/dev/null) == "$IPSWEEP" ]] && break
		sleep 0.02
	done
	if [[ $(readlink "/proc/$PID/exe" 2>/dev/null) != "$IPSWEEP" ||
		$(ps -o pgid= -p "$PID" | tr -d ' ') != "$PID" ]]; then
		lab_bad "$tag: ipsweep did not start as pid $PID leading its own group"
		return 1
	fi
	return 0
}

# session_procs SID: every process (zombies too) of session SID
session_procs() {
	ps -e -o pid=,sid=,stat=,comm= | awk -v s="$1" '$2 == s'
}

# wait_exit TAG: wait for $PID (10 s at most), set RC and ELAPSED_MS
wait_exit() {
	local tag=$1 t0 i
	t0=$(date +%s%N)
	for ((i = 0; i < 100; i++)); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$PID" 2>/dev/null; then
		lab_bad "$tag: ipsweep still running 10 s after the signal"
		kill -KILL "$PID"
	fi
	wait "$PID"
	RC=$?
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
	echo "    exit $RC after ${ELAPSED_MS} ms, stdout $(wc -l <"$LAB_TMP/$tag.out") lines; stderr:"
	grep -v ': unknown (' "$LAB_TMP/$tag.err" | head -n 10 | sed 's/^/    | /'
}

# check_partial TAG RC: the checks every interrupted run must pass
check_partial() {
	local tag=$1 rc=$2 out=$LAB_TMP/$1.out err=$LAB_TMP/$1.err n bad undecided
	lab_check_rc "$tag" "$rc" "$RC"
	n=$(wc -l <"$out")
	bad=$(grep -cvE '^([0-9]{1,3}\.){3}[0-9]{1,3}$' "$out")
	if ((bad == 0)); then
		lab_ok "$tag: stdout holds only whole address lines"
	else
		lab_bad "$tag: $bad stdout lines are not addresses: $(grep -vE '^([0-9]{1,3}\.){3}[0-9]{1,3}$' "$out" | head -n 3 | tr '\n' '|')"
	fi
	lab_check_sorted "$tag: stdout" "$out"
	bad=$(lab_common "$out" "$LAB_TMP/live" | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$tag: no live address printed"
	else
		lab_bad "$tag: LIVE addresses printed as free: $bad"
	fi
	bad=$(lab_minus "$out" "$LAB_TMP/free" | head -n 5 | tr '\n' ' ')
	[[ -z $bad ]] || lab_bad "$tag: printed addresses outside the free set: $bad"
	if ((n > 0 && n < nfree)); then
		lab_ok "$tag: a partial list ($n of $nfree free addresses)"
	else
		lab_bad "$tag: $n addresses printed, expected a partial list (0 < n < $nfree)"
	fi
	undecided=$(sed -n 's/.*interrupted: the list is partial, \([0-9]*\) addresses undecided$/\1/p' "$err")
	if [[ -n $undecided ]] && ((undecided > 0)); then
		lab_ok "$tag: stderr says the list is partial ($undecided undecided)"
	else
		lab_bad "$tag: stderr does not say 'interrupted: the list is partial, N addresses undecided' (N > 0)"
	fi
	# The summary adds up, and its free count is what was printed.
	if grep -qE "^ipsweep: 1022 addresses: $n free, [0-9]+ used, ${undecided:-x} unknown\$" "$err"; then
		lab_ok "$tag: summary: 1022 addresses, $n free, ${undecided:-?} unknown"
	else
		lab_bad "$tag: no summary '1022 addresses: $n free, N used, ${undecided:-?} unknown'"
	fi
	if grep -Eqi 'worker .*(killed|signal|died|exited)' "$err"; then
		lab_bad "$tag: workers did not stop quietly: $(grep -Ei 'worker .*(killed|signal|died|exited)' "$err" | head -n 2 | tr '\n' '|')"
	else
		lab_ok "$tag: no worker death reported (they stopped quietly)"
	fi
}

# check_gone TAG SID WORKERS: nothing left of the run
check_gone() {
	local tag=$1 sid=$2 workers=$3 left w alive=""
	sleep 0.2
	left=$(lab_scan_procs | tr '\n' ' ')
	if [[ -z $left ]]; then
		lab_ok "$tag: no process left in the scanner namespace"
	else
		lab_bad "$tag: processes left in the scanner namespace: $left"
		ps -o pid,ppid,stat,comm -p "$(tr -s " " "," <<<"${left% }")" 2>/dev/null | sed 's/^/       /'
	fi
	if [[ -n $sid ]]; then
		left=$(session_procs "$sid")
		if [[ -z $left ]]; then
			lab_ok "$tag: no process (zombie or not) left in ipsweep's session"
		else
			lab_bad "$tag: left in ipsweep's session: $(tr '\n' '|' <<<"$left")"
		fi
	fi
	[[ $workers == - ]] && return 0
	for w in $workers; do
		kill -0 "$w" 2>/dev/null && alive+=" $w"
	done
	if [[ -n $workers && -z $alive ]]; then
		lab_ok "$tag: the workers seen during the run ($workers) are gone"
	elif [[ -z $workers ]]; then
		lab_bad "$tag: no worker was seen during the run"
	else
		lab_bad "$tag: workers still alive:$alive"
	fi
}

# --- SIGINT to the whole process group (Ctrl-C in a terminal), SIGTERM to
# the parent only (kill PID), SIGTERM to the whole group (kill -TERM -PGID,
# as systemd and timeout(1) do).
# (The ping(8) engine under signals: t-h-exec-stop.sh.)
for c in "int INT -group 130" "term TERM -parent 143" "termgrp TERM -group 143"; do
	read -r tag sig who want <<<"$c"
	start_session "$tag" || continue
	sleep 2
	workers=$(pgrep -P "$PID" | tr '\n' ' ')
	target=$PID
	[[ $who == -group ]] && target=-$PID
	echo "  kill -$sig -- $target   (workers: $workers)"
	kill "-$sig" -- "$target"
	wait_exit "$tag"
	check_partial "$tag" "$want"
	check_gone "$tag" "$PID" "$workers"
	if ((ELAPSED_MS < 1500)); then
		lab_ok "$tag: ipsweep ended ${ELAPSED_MS} ms after SIG$sig"
	else
		lab_bad "$tag: ipsweep took ${ELAPSED_MS} ms to end after SIG$sig"
	fi
done

# --- timeout(1): SIGTERM after 2 s.  timeout itself exits 124; with
# --preserve-status it passes on ipsweep's own status, which must be 143.
IPSWEEP_REAL=$IPSWEEP
IPSWEEP=$(command -v timeout)
lab_sweep tmo 2 "$IPSWEEP_REAL" "${ARGS[@]}"
RC=$LAB_RC
check_partial tmo 124
check_gone tmo "" -
lab_sweep tmop --preserve-status 2 "$IPSWEEP_REAL" "${ARGS[@]}"
RC=$LAB_RC
check_partial tmop 143
check_gone tmop "" -
IPSWEEP=$IPSWEEP_REAL
lab_finish
