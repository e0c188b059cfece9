#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Privileges and environment": started with SIGCHLD or SIGPIPE
# ignored, or with fds 0/1/2 closed: same results; no socket or pipe ever
# becomes fd 1.  Also "Process faults": a worker killed under an inherited
# SIGCHLD=SIG_IGN is still noticed, reaped (no zombie) and replaced.  And
# an inherited signal mask: SIGCHLD/SIGPIPE blocked changes nothing;
# SIGINT/SIGTERM blocked must not make ipsweep deaf to SIGTERM.
#
# h-sigexec.py sets the dispositions, mask and closed fds, then execs
# ipsweep (same pid).  Every run sweeps the same routed /22 and must print
# exactly the reference list.  With stdout closed there is nowhere to print
# to: ipsweep must say so ("write error", exit 4), not crash and not write
# its list into one of its own sockets or pipes.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
LAB_SWEEP_CAP=30
SIGEXEC=$LAB_HERE/h-sigexec.py
PY=$(lab__python)

P=10.77.44.0/22
lab_pick 44 50 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
nfree=$(wc -l <"$LAB_TMP/free")
nlive=$(wc -l <"$LAB_TMP/live")
echo "lab: $P, $nlive live, $nfree free"
ARGS=(-n 2 -W 1000 "$P")
REAL=$IPSWEEP

# wrapped TAG SIGEXEC-OPTIONS...: lab_sweep through h-sigexec.py
wrapped() {
	local tag=$1
	shift
	IPSWEEP=$PY
	lab_sweep "$tag" "$SIGEXEC" "$@" -- "$REAL" "${ARGS[@]}"
	IPSWEEP=$REAL
}

# check_same TAG LABEL: exit 0, the reference list, the same summary
check_same() {
	local tag=$1 what=$2
	lab_check_rc "$what" 0 "$LAB_RC"
	lab_check_list "$what: the complement" "$LAB_TMP/free" "$LAB_TMP/$tag.out"
	lab_check_summary "$tag" 1022 "$nfree" "$nlive" 0
}

check_nothing_left() {
	local left
	sleep 0.2
	left=$(lab_scan_procs | tr '\n' ' ')
	if [[ -z $left ]]; then
		lab_ok "$1: no process left in the scanner namespace"
	else
		lab_bad "$1: processes left in the scanner namespace: $left"
	fi
}

# check_std_fds TAG PID: fds 0-2 of PID and of its children are never a
# socket or a pipe (a pipe is fine where the test itself made one: never
# here, every run writes to files).
check_std_fds() {
	local tag=$1 pid=$2 p fd l bad="" seen=0 kids
	kids=$(pgrep -P "$pid" | tr '\n' ' ')
	for p in $pid $kids; do
		for fd in 0 1 2; do
			l=$(readlink "/proc/$p/fd/$fd" 2>/dev/null) || continue
			seen=$((seen + 1))
			[[ $l == socket:* || $l == pipe:* ]] && bad+=" pid $p fd $fd -> $l;"
		done
	done
	if [[ -z $kids ]]; then
		lab_bad "$tag: no worker of pid $pid to look at"
	elif [[ -n $bad ]]; then
		lab_bad "$tag: a socket or pipe sits on a standard fd:$bad"
	else
		lab_ok "$tag: fds 0-2 of the parent and workers ($kids) are no socket or pipe ($seen looked at)"
	fi
}

# bg TAG SIGEXEC-OPTIONS...: the same in the background; LAB_BG_PID is
# ipsweep (ip netns exec and the wrapper both exec)
bg() {
	local tag=$1 i
	shift
	IPSWEEP=$PY
	lab_sweep_bg "$tag" "$SIGEXEC" "$@" -- "$REAL" "${ARGS[@]}"
	IPSWEEP=$REAL
	for ((i = 0; i < 100; i++)); do
		[[ $(readlink "/proc/$LAB_BG_PID/exe" 2>/dev/null) == "$REAL" ]] &&
			[[ -n $(pgrep -P "$LAB_BG_PID") ]] && break
		sleep 0.02
	done
}

lab_sweep ref "${ARGS[@]}"
check_same ref "reference run"

wrapped chld --ignore CHLD
check_same chld "SIGCHLD ignored"
wrapped pipe --ignore PIPE
check_same pipe "SIGPIPE ignored"
wrapped both --ignore CHLD --ignore PIPE
check_same both "SIGCHLD and SIGPIPE ignored"
wrapped blk --block CHLD --block PIPE
check_same blk "SIGCHLD and SIGPIPE blocked"

# Started with SIGINT and SIGTERM blocked (a launcher's signal mask is
# inherited): ipsweep relies on both, so it must unblock them; SIGTERM
# 0.8 s in must still end the run with 143 and a partial list.
bg blkterm --block TERM --block INT
sleep 0.8
echo "  kill -TERM $LAB_BG_PID"
kill -TERM "$LAB_BG_PID"
lab_sweep_wait blkterm
lab_check_rc "SIGINT+SIGTERM blocked at start, then SIGTERM" 143 "$LAB_RC"
bad=$(lab_common "$LAB_TMP/blkterm.out" "$LAB_TMP/live" | tr '\n' ' ')
[[ -z $bad ]] || lab_bad "SIGTERM with a blocked start: live addresses printed: $bad"
check_nothing_left "SIGINT+SIGTERM blocked at start"

# SIGCHLD ignored, and a worker killed a second in: the parent must still
# see it die (an inherited SIG_IGN would make the kernel reap it behind
# waitpid's back), hand its jobs on, and leave no zombie.
bg killed --ignore CHLD
sleep 1
victim=$(pgrep -P "$LAB_BG_PID" | head -n 1)
if [[ -n $victim ]]; then
	echo "  killing worker $victim of ipsweep $LAB_BG_PID"
	kill -KILL "$victim"
	sleep 0.5
	z=$(ps -o pid=,stat= --ppid "$LAB_BG_PID" | awk '$2 ~ /^Z/ { print $1 }' | tr '\n' ' ')
	if kill -0 "$LAB_BG_PID" 2>/dev/null; then
		if [[ -z $z ]]; then
			lab_ok "SIGCHLD ignored + killed worker: no zombie child 0.5 s later"
		else
			lab_bad "SIGCHLD ignored + killed worker: zombie children of ipsweep: $z"
		fi
	fi
else
	lab_bad "SIGCHLD ignored: no worker of ipsweep ($LAB_BG_PID) to kill"
fi
lab_sweep_wait killed
lab_check_rc "SIGCHLD ignored + killed worker" 0 "$LAB_RC"
lab_check_list "SIGCHLD ignored + killed worker: the complement" "$LAB_TMP/free" "$LAB_TMP/killed.out"
if [[ -n $victim ]] && grep -Eq "$victim.*(signal 9|Killed)" "$LAB_TMP/killed.err"; then
	lab_ok "SIGCHLD ignored + killed worker: stderr names worker $victim and SIGKILL"
else
	lab_bad "SIGCHLD ignored + killed worker: stderr does not name worker $victim and signal 9"
fi
check_nothing_left "SIGCHLD ignored + killed worker"

# Closed descriptors.
wrapped in0 --close 0
check_same in0 "stdin closed"

bg err2 --close 2
check_std_fds "stderr closed" "$LAB_BG_PID"
lab_sweep_wait err2
lab_check_rc "stderr closed" 0 "$LAB_RC"
lab_check_list "stderr closed: the complement" "$LAB_TMP/free" "$LAB_TMP/err2.out"

bg out1 --close 1
check_std_fds "stdout closed" "$LAB_BG_PID"
lab_sweep_wait out1
lab_check_rc "stdout closed (nowhere to print the list)" 4 "$LAB_RC"
if grep -Eq '^ipsweep: write error: ' "$LAB_TMP/out1.err"; then
	lab_ok "stdout closed: 'ipsweep: write error: ...' on stderr"
else
	lab_bad "stdout closed: no 'ipsweep: write error: ...' on stderr (the free list went nowhere)"
fi
check_nothing_left "stdout closed"

bg all3 --close 0 --close 1 --close 2
check_std_fds "fds 0-2 closed" "$LAB_BG_PID"
lab_sweep_wait all3
if ((LAB_RC < 128)); then
	lab_ok "fds 0-2 closed: no crash (exit $LAB_RC)"
else
	lab_bad "fds 0-2 closed: exit $LAB_RC (killed by a signal?)"
fi
lab_check_rc "fds 0-2 closed (nowhere to print the list)" 4 "$LAB_RC"
check_nothing_left "fds 0-2 closed"
lab_finish
