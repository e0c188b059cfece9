#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Signals and output":
#  - `ipsweep ... | head -1` ends promptly and quietly; no worker left.
#    A /22 free list (14 KB) may fit in the pipe buffer, so ipsweep may or
#    may not see EPIPE (status 0 or 141); `--all` on a /20 (about 100 KB)
#    always does: status 141, nothing on stderr about it.  A reader that is
#    gone before the sweep ends (`| true`) is the same.
#  - stdout on /dev/full: "ipsweep: write error: No space left on device",
#    exit 4, no worker left.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
LAB_SWEEP_CAP=30

W=10.77.32.0/20
P=10.77.40.0/22
lab_pick 23 50 "$W" >"$LAB_TMP/live"
lab_routed "$W" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all22"
lab_minus "$LAB_TMP/all22" "$LAB_TMP/live" >"$LAB_TMP/free22"
echo "lab: $W, $(wc -l <"$LAB_TMP/live") live; sweeping $P and $W"

# now_ms: monotonic enough for a few seconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

check_nothing_left() {
	local left
	sleep 0.2
	left=$(lab_scan_procs | tr '\n' ' ')
	if [[ -z $left ]]; then
		lab_ok "$1: no process left in the scanner namespace"
	else
		lab_bad "$1: processes left in the scanner namespace: $left"
		ps -o pid,ppid,stat,etime,comm -p "$(tr -s " " "," <<<"${left% }")" 2>/dev/null | sed 's/^/       /'
	fi
}

# check_quiet TAG: no complaint about the pipe on stderr
check_quiet() {
	if grep -Eqi 'write error|broken pipe|EPIPE|sigpipe' "$LAB_TMP/$1.err"; then
		lab_bad "$1: stderr complains about the closed pipe: $(grep -Ei 'write error|broken pipe|EPIPE|sigpipe' "$LAB_TMP/$1.err" | head -n 2 | tr '\n' '|')"
	else
		lab_ok "$1: nothing on stderr about the closed pipe"
	fi
}

# piped TAG READER ARGS...: "ipsweep ARGS | READER" in the scanner ns;
# READER's output in TAG.out, ipsweep's stderr in TAG.err, ipsweep's
# status in PRC, the whole pipeline's time in MS.
piped() {
	local tag=$1 reader=$2 t0
	shift 2
	echo "  \$ ipsweep $* | $reader"
	t0=$(now_ms)
	# shellcheck disable=SC2016
	ip netns exec "$LAB_SCAN" timeout -k 5 "$LAB_SWEEP_CAP" bash -c '
		ipsweep=$1 reader=$2 err=$3
		shift 3
		"$ipsweep" "$@" 2>"$err" | $reader
		echo "${PIPESTATUS[0]}"' \
		piped "$IPSWEEP" "$reader" "$LAB_TMP/$tag.err" "$@" >"$LAB_TMP/$tag.raw"
	MS=$(($(now_ms) - t0))
	PRC=$(tail -n 1 "$LAB_TMP/$tag.raw")
	sed '$d' "$LAB_TMP/$tag.raw" >"$LAB_TMP/$tag.out"
	echo "    ipsweep exit $PRC, pipeline ${MS} ms, reader got $(wc -l <"$LAB_TMP/$tag.out") lines; stderr:"
	head -n 5 "$LAB_TMP/$tag.err" | sed 's/^/    | /'
}

# --- reference runs, to file: the expected output and how long they take
t0=$(now_ms)
lab_sweep ref22 -n 2 "$P"
D22=$(($(now_ms) - t0))
lab_check_rc "reference /22" 0 "$LAB_RC"
lab_check_list "reference /22: the complement" "$LAB_TMP/free22" "$LAB_TMP/ref22.out"
t0=$(now_ms)
lab_sweep ref20 -n 1 --all "$W"
D20=$(($(now_ms) - t0))
lab_check_rc "reference /20 --all" 0 "$LAB_RC"
first20=$(head -n 1 "$LAB_TMP/ref20.out")
want20=$'10.77.32.1\tfree\tno-reply'
grep -qx 10.77.32.1 "$LAB_TMP/live" && want20=$'10.77.32.1\tused\techo-reply'
if [[ $first20 == "$want20" ]]; then
	lab_ok "reference /20 --all: first line '$first20'"
else
	lab_bad "reference /20 --all: first line '$first20', expected '$want20'"
fi

# --- | head -1 on the /22: the lowest free address, promptly, quietly
piped head22 "head -n 1" -n 2 "$P"
want=$(head -n 1 "$LAB_TMP/free22")
if [[ $(cat "$LAB_TMP/head22.out") == "$want" ]]; then
	lab_ok "/22 | head -1: the lowest free address ($want)"
else
	lab_bad "/22 | head -1: got '$(head -c 100 "$LAB_TMP/head22.out")', expected '$want'"
fi
if [[ $PRC == 0 || $PRC == 141 ]]; then
	lab_ok "/22 | head -1: ipsweep exit $PRC (0, or 141 if it saw the reader leave)"
else
	lab_bad "/22 | head -1: ipsweep exit $PRC, expected 0 or 141"
fi
check_quiet head22
if ((MS < D22 + 3000)); then
	lab_ok "/22 | head -1: done in $MS ms (a run to a file takes $D22 ms)"
else
	lab_bad "/22 | head -1: took $MS ms, a run to a file takes $D22 ms"
fi
check_nothing_left "/22 | head -1"

# --- --all on the /20 | head -1: ~100 KB, more than a pipe holds: EPIPE
piped head20 "head -n 1" -n 1 --all "$W"
if [[ $(cat "$LAB_TMP/head20.out") == "$want20" ]]; then
	lab_ok "/20 --all | head -1: '$want20'"
else
	lab_bad "/20 --all | head -1: got '$(head -c 100 "$LAB_TMP/head20.out")', expected '$want20'"
fi
lab_check_rc "/20 --all | head -1 (the reader left: quietly, 141)" 141 "$PRC"
check_quiet head20
if grep -q 'addresses:' "$LAB_TMP/head20.err"; then
	lab_bad "/20 --all | head -1: a summary was printed after the reader left"
else
	lab_ok "/20 --all | head -1: no summary after the reader left"
fi
if ((MS < D20 + 3000)); then
	lab_ok "/20 --all | head -1: done in $MS ms (a run to a file takes $D20 ms)"
else
	lab_bad "/20 --all | head -1: took $MS ms, a run to a file takes $D20 ms"
fi
check_nothing_left "/20 --all | head -1"

# --- the reader is gone before the sweep even ends
piped true22 true -n 2 "$P"
lab_check_rc "/22 | true (reader gone from the start)" 141 "$PRC"
check_quiet true22
if ((MS < D22 + 3000)); then
	lab_ok "/22 | true: done in $MS ms"
else
	lab_bad "/22 | true: took $MS ms, a run to a file takes $D22 ms"
fi
check_nothing_left "/22 | true"

# --- stdout on /dev/full
echo "  \$ ipsweep -n 2 $P >/dev/full"
ip netns exec "$LAB_SCAN" timeout -k 5 "$LAB_SWEEP_CAP" "$IPSWEEP" -n 2 "$P" \
	>/dev/full 2>"$LAB_TMP/full.err"
rc=$?
sed 's/^/    | /' "$LAB_TMP/full.err"
lab_check_rc "stdout on /dev/full" 4 "$rc"
if grep -qx 'ipsweep: write error: No space left on device' "$LAB_TMP/full.err"; then
	lab_ok "/dev/full: 'ipsweep: write error: No space left on device'"
else
	lab_bad "/dev/full: no line 'ipsweep: write error: No space left on device' on stderr"
fi
n=$(grep -c 'write error' "$LAB_TMP/full.err")
if ((n == 1)); then
	lab_ok "/dev/full: the write error is reported once"
else
	lab_bad "/dev/full: 'write error' appears $n times"
fi
check_nothing_left "/dev/full"
lab_finish
