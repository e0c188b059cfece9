#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# tests/lab/run-tests.sh IPSWEEP -- the end-to-end tests in network
# namespaces: the lab's self-test first, then every tests/lab/t-*.sh, each
# as its own process with its own lab and a time cap.  Prints one PASS/FAIL
# line per test (a failing test's output below it) and ends with the line
# "N passed, N failed"; exits 1 if anything failed.  A test that leaves its
# lab behind fails.
#
# It needs root and working `ip netns`; without them it says so and fails
# (a suite that silently passes without running would hide everything).
# LAB_TESTS="t-late t-onlink" runs only those.  LAB_TEST_TIMEOUT (s, default
# 120) caps each test.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab.sh"

if (($# != 1)); then
	echo "usage: $0 IPSWEEP" >&2
	exit 2
fi
ipsweep=$(lab_abspath "$1")

if ! lab_require; then
	echo "lab tests cannot run here: see above"
	echo "0 passed, 1 failed"
	exit 1
fi

# Leftovers of runs killed with SIGKILL (their traps could not run).
lab_gc

timeout_s=${LAB_TEST_TIMEOUT:-120}
logdir=$(mktemp -d /tmp/ipsweep-lab-tests.XXXXXX) || exit 1
trap 'rm -rf "$logdir"' EXIT
pass=0 fail=0

# run_one NAME CMD...: run a test in the background, so that its pid is
# known: its lab is "ips<pid>" (lab_init), which tells whether it left one
# behind.  A test running longer than the cap gets SIGTERM (its traps
# remove its lab), then SIGKILL.
current=""
on_signal() {
	[[ -n $current ]] && kill -TERM "$current" 2>/dev/null && wait "$current"
	exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

run_one() {
	local name=$1 t0 rc pid secs leaked="" d i
	shift
	t0=$SECONDS
	"$@" >"$logdir/$name.log" 2>&1 </dev/null &
	pid=$!
	current=$pid
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS - t0 >= timeout_s)); then
			echo "(stopped after ${timeout_s} s)" >>"$logdir/$name.log"
			kill -TERM "$pid" 2>/dev/null
			for ((i = 0; i < 50; i++)); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.2
			done
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
	wait "$pid"
	rc=$?
	current=""
	secs=$((SECONDS - t0))
	for d in "$LAB_STATE_ROOT/ips$pid" "$LAB_STATE_ROOT/ips${pid}"_*; do
		[[ -d $d ]] && leaked+=" ${d##*/}"
	done
	if [[ -n $leaked ]]; then
		echo "the test left its lab behind:$leaked (removed now)" >>"$logdir/$name.log"
		lab_gc >>"$logdir/$name.log" 2>&1
		rc=1
	fi
	if ((rc == 0)); then
		pass=$((pass + 1))
		printf 'PASS %s (%d s)\n' "$name" "$secs"
	else
		fail=$((fail + 1))
		printf 'FAIL %s (%d s, status %d)\n' "$name" "$secs" "$rc"
		sed 's/^/    /' "$logdir/$name.log"
	fi
}

selected() {
	[[ -z ${LAB_TESTS:-} ]] && return 0
	[[ " $LAB_TESTS " == *" $1 "* ]]
}

selected selftest && run_one selftest bash "$here/selftest.sh"

shopt -s nullglob
tests=("$here"/t-*.sh)
if ((${#tests[@]} == 0)); then
	echo "FAIL no tests/lab/t-*.sh found"
	fail=$((fail + 1))
fi
# A name in LAB_TESTS that is no test is a mistake, not a test that passed.
for name in ${LAB_TESTS:-}; do
	if [[ $name != selftest && ! -f $here/$name.sh ]]; then
		echo "FAIL $name (LAB_TESTS names no such test)"
		fail=$((fail + 1))
	fi
done
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	selected "$name" || continue
	run_one "$name" bash "$t" "$ipsweep"
done

echo "$pass passed, $fail failed"
((fail == 0))
