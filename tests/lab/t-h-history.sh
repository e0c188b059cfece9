#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The history's transaction, with the test hooks of build/hooks/ipsweep
# (IPSWEEP_TEST_HISTORY_PAUSE=FILE: the run's rows are written but not
# committed, FILE is created and the run waits until it is removed;
# IPSWEEP_TEST_NOW=SECONDS: the time the run records and judges by;
# IPSWEEP_TEST_BUSY_MS: a shorter busy timeout than the 10 s):
#   - a run killed with SIGKILL in the middle of its write leaves the
#     SQLite file consistent (PRAGMA integrity_check) and as it was before
#     that run; the next run records normally;
#   - two runs at once against one file both land: the second waits for
#     the first's write lock (busy timeout) while the first holds it;
#   - a run that waits longer than its busy timeout prints its result,
#     says the database is locked, naming it, and exits 5;
#   - --free-for frees silent addresses once the history covers the window
#     (runs 2 h and 1 h ago), not when it is shorter (3h), and not when
#     the runs in between paused longer than the 25 h gap.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
lab_test_hooks IPSWEEP_TEST_HISTORY_PAUSE
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing (make deps)"; exit 1; }
T=$LAB_TMP
DB=$T/h.db
export IPSWEEP_DB=$DB

P=10.77.112.0/28
printf '%s\n' 10.77.112.1 10.77.112.6 10.77.112.9 >"$T/live"
lab_routed "$P" @"$T/live"
lab_expand "$P" >"$T/all"
lab_minus "$T/all" "$T/live" >"$T/free"

# wait_for FILE: until FILE exists (30 s at most); 0 when it does
wait_for() {
	local i
	for ((i = 0; i < 300; i++)); do
		[[ -e $1 ]] && return 0
		sleep 0.1
	done
	return 1
}

sql() { sqlite3 "$DB" "$1"; }

# ---- SIGKILL in the middle of the write
lab_sweep k1 --site a -W 300 "$P"
lab_check_rc "run 1" 0 "$LAB_RC"
sql "SELECT * FROM addresses ORDER BY addr" >"$T/rows.before"
IPSWEEP_TEST_HISTORY_PAUSE=$T/pause-k2 IPSWEEP_TEST_NOW=$(($(date +%s) + 7200)) \
	lab_sweep_bg k2 --site a -W 300 "$P"
if wait_for "$T/pause-k2"; then
	lab_ok "run 2 paused inside its transaction"
else
	lab_bad "run 2 never reached its transaction"
fi
kill -KILL "$LAB_BG_PID"
lab_sweep_wait k2
lab_check_rc "run 2, killed" 137 "$LAB_RC"
ic=$(sql "PRAGMA integrity_check")
[[ $ic == ok ]] && lab_ok "after the kill: integrity_check ok" || lab_bad "after the kill: integrity_check '$ic'"
n=$(sql "SELECT count(*) FROM runs")
[[ $n == 1 ]] && lab_ok "after the kill: one run recorded" || lab_bad "after the kill: $n runs recorded, expected 1"
sql "SELECT * FROM addresses ORDER BY addr" >"$T/rows.after"
if [[ -s $T/rows.before ]] && cmp -s "$T/rows.before" "$T/rows.after"; then
	lab_ok "after the kill: the rows are those of run 1 ($(wc -l <"$T/rows.after"))"
else
	lab_bad "after the kill: the rows changed"
fi
lab_sweep k3 --site a -W 300 "$P"
lab_check_rc "run 3, after the kill" 0 "$LAB_RC"
n=$(sql "SELECT count(*) FROM runs")
[[ $n == 2 ]] && lab_ok "run 3 recorded" || lab_bad "$n runs recorded after run 3, expected 2"

# ---- two runs at once: A holds the write lock until B has probed and waits
rm -f "$DB" "$DB-wal" "$DB-shm"
IPSWEEP_TEST_HISTORY_PAUSE=$T/pause-a ip netns exec "$LAB_SCAN" "$IPSWEEP" \
	--site a -W 300 "$P" >"$T/ca.out" 2>"$T/ca.err" &
pid_a=$!
wait_for "$T/pause-a" && lab_ok "run A holds the write lock" || lab_bad "run A never paused"
ip netns exec "$LAB_SCAN" "$IPSWEEP" --site b -W 300 "$P" >"$T/cb.out" 2>"$T/cb.err" &
pid_b=$!
# B's workers come and go: B has probed and is at the database
seen=0
for ((i = 0; i < 300; i++)); do
	kids=$(pgrep -P "$pid_b" | wc -l)
	((kids > 0)) && seen=1
	((seen && kids == 0)) && break
	sleep 0.1
done
((seen)) && lab_ok "run B probed while A held the lock" || lab_bad "run B's workers never showed"
kill -0 "$pid_b" 2>/dev/null && lab_ok "run B waits for the lock" || lab_bad "run B ended while A held the lock"
rm -f "$T/pause-a"
wait "$pid_a"; rc_a=$?
wait "$pid_b"; rc_b=$?
lab_check_rc "run A" 0 "$rc_a"
lab_check_rc "run B" 0 "$rc_b"
lab_check_list "run B: free list" "$T/free" "$T/cb.out"
n=$(sql "SELECT group_concat(site, ' ') FROM (SELECT site FROM runs ORDER BY site)")
[[ $n == "a b" ]] && lab_ok "both runs landed (runs of sites $n)" || lab_bad "runs of sites '$n', expected 'a b'"
n=$(sql "SELECT count(*) FROM addresses")
[[ $n == 28 ]] && lab_ok "both sites' rows: 28" || lab_bad "$n address rows, expected 28"
[[ $(sql "PRAGMA integrity_check") == ok ]] && lab_ok "integrity_check ok" || lab_bad "integrity_check failed"

# ---- locked longer than the busy timeout (500 ms here)
IPSWEEP_TEST_HISTORY_PAUSE=$T/pause-l ip netns exec "$LAB_SCAN" "$IPSWEEP" \
	--site a -W 300 "$P" >"$T/la.out" 2>"$T/la.err" &
pid_a=$!
wait_for "$T/pause-l" && lab_ok "run A holds the write lock again" || lab_bad "run A never paused"
IPSWEEP_TEST_BUSY_MS=500 lab_sweep lb --site b -W 300 "$P"
rm -f "$T/pause-l"
wait "$pid_a"; rc_a=$?
lab_check_rc "run B, locked out" 5 "$LAB_RC"
lab_check_list "run B, locked out: the free list is still printed" "$T/free" "$T/lb.out"
grep -qF "history database '$DB': cannot lock: database is locked" "$T/lb.err" &&
	lab_ok "run B: stderr says the database is locked, naming it" ||
	lab_bad "run B: stderr does not say the database is locked"
lab_check_rc "run A, which held the lock" 0 "$rc_a"

# ---- --free-for against a history of a known length
rm -f "$DB" "$DB-wal" "$DB-shm"
now=$(date +%s)
IPSWEEP_TEST_NOW=$((now - 7200)) lab_sweep f1 -W 300 "$P"
IPSWEEP_TEST_NOW=$((now - 3600)) lab_sweep f2 -W 300 "$P"
IPSWEEP_TEST_NOW=$now lab_sweep f3 --free-for 3h -W 300 "$P"
lab_check_rc "--free-for 3h on 2 h of history" 3 "$LAB_RC"
lab_check_empty "--free-for 3h on 2 h of history: stdout" "$T/f3.out"
IPSWEEP_TEST_NOW=$now lab_sweep f4 --free-for 1h -W 300 "$P"
lab_check_rc "--free-for 1h on 2 h of history" 0 "$LAB_RC"
lab_check_list "--free-for 1h on 2 h of history: the silent addresses" "$T/free" "$T/f4.out"
# a 30 h pause since the last check: the watch starts again
rm -f "$DB" "$DB-wal" "$DB-shm"
IPSWEEP_TEST_NOW=$((now - 40 * 3600)) lab_sweep g1 -W 300 "$P"
IPSWEEP_TEST_NOW=$((now - 30 * 3600)) lab_sweep g2 -W 300 "$P"
IPSWEEP_TEST_NOW=$now lab_sweep g3 --free-for 1h -W 300 "$P"
lab_check_rc "--free-for 1h after a 30 h pause" 3 "$LAB_RC"
lab_check_empty "--free-for 1h after a 30 h pause: stdout" "$T/g3.out"
lab_finish
