#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The progress line.  With stderr on a pseudo-terminal (script(1) from
# util-linux, inside the scanner namespace) a progress line ("D/TOTAL
# decided, ...") is drawn on stderr and erased before the summary; with
# stderr a file or a pipe there is no progress text at all, only the
# summary line; --progress forces it into a file, --no-progress and -q
# keep it off a terminal.  Standard output (always a file here, separate
# from the pty) is byte-identical in every case, and so is what is left of
# stderr once the progress frames are taken out.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
T=$LAB_TMP

if ! command -v script >/dev/null 2>&1; then
	lab_bad "script(1) (util-linux) is not installed: cannot make a pty"
	lab_finish
fi

P=10.77.43.0/24
printf '%s\n' 10.77.43.1 10.77.43.2 10.77.43.3 10.77.43.50 10.77.43.100 \
	10.77.43.101 10.77.43.200 10.77.43.254 >"$T/live"
lab_routed "$P" @"$T/live"
lab_expand "$P" >"$T/all"
lab_minus "$T/all" "$T/live" >"$T/free"
SUMMARY="ipsweep: 254 addresses: 246 free, 8 used, 0 unknown"
# A default timeout: the run takes about 2 s, many progress redraws (every
# 200 ms).
ARGS=(-i "$P")

o_same() {
	if cmp -s "$2" "$3"; then
		lab_ok "$1"
	else
		lab_bad "$1: differs (- expected, + actual)"
		diff -u "$2" "$3" | tail -n +3 | head -n 20 | cat -A | sed 's/^/       /'
	fi
}

# o_pty TAG ARGS...: ipsweep ARGS with stderr on a pty (captured by script
# to TAG.tty), stdout to the file TAG.out; LAB_RC its status (script -e).
o_pty() {
	local tag=$1 cmd
	shift
	printf -v cmd '%q ' "$IPSWEEP" "$@"
	cmd+=" >$(printf '%q' "$T/$tag.out")"
	echo "  \$ script -qfec \"ipsweep $* >$tag.out\" /dev/null"
	lab_run timeout -k 5 60 script -qfec "$cmd" /dev/null </dev/null >"$T/$tag.tty" 2>"$T/$tag.script.err"
	LAB_RC=$?
	echo "    exit $LAB_RC, stdout $(wc -l <"$T/$tag.out") lines, pty $(wc -c <"$T/$tag.tty") bytes"
}

# o_strip TAG FILE [--pty]: the progress frames out of FILE into TAG.rest;
# sets O_FRAMES to yes (frames found, well-formed), no (none), or bad.
o_strip() {
	local tag=$1 file=$2 rc
	shift 2
	"$PY" "$HERE/o-progress.py" "$file" 254 "$@" >"$T/$tag.rest" 2>"$T/$tag.prog"
	rc=$?
	case $rc in
	0) O_FRAMES=yes ;;
	3) O_FRAMES=no ;;
	*) O_FRAMES=bad ;;
	esac
}

# 1. stderr to a file: the reference.  Only the summary, no progress.
lab_sweep file "${ARGS[@]}"
lab_check_rc "stderr a file" 0 "$LAB_RC"
lab_check_list "stdout is the free set" "$T/free" "$T/file.out"
printf '%s\n' "$SUMMARY" >"$T/summary"
o_same "stderr a file: exactly the summary line, no progress text" "$T/summary" "$T/file.err"

# 2. stderr to a pipe.
echo "  \$ ipsweep ${ARGS[*]} 2>&1 >pipe.out | cat"
lab_run timeout -k 5 60 "$IPSWEEP" "${ARGS[@]}" 2>&1 >"$T/pipe.out" | cat >"$T/pipe.err"
rc=${PIPESTATUS[0]}
lab_check_rc "stderr a pipe" 0 "$rc"
o_same "stderr a pipe: exactly the summary line, no progress text" "$T/summary" "$T/pipe.err"
o_same "stderr a pipe: stdout byte-identical" "$T/file.out" "$T/pipe.out"

# 3. stderr on a pty: a progress line, erased before the summary.
o_pty tty "${ARGS[@]}"
lab_check_rc "stderr a pty" 0 "$LAB_RC"
o_strip tty "$T/tty.tty" --pty
case $O_FRAMES in
yes) lab_ok "stderr a pty: progress line drawn ($(tail -n 1 "$T/tty.prog")) and erased" ;;
no) lab_bad "stderr a pty: no progress line ('decided') on the terminal: $(head -c 300 "$T/tty.tty" | cat -A)" ;;
*) lab_bad "stderr a pty: the progress line is malformed: $(head -n 5 "$T/tty.prog")" ;;
esac
if grep -q decided "$T/tty.tty"; then
	lab_ok "stderr a pty: the terminal shows 'decided'"
else
	lab_bad "stderr a pty: 'decided' never appears on the terminal"
fi
o_same "stderr a pty: without the progress frames, the summary line only" "$T/summary" "$T/tty.rest"
o_same "stderr a pty: stdout byte-identical" "$T/file.out" "$T/tty.out"

# 4. --no-progress on a pty: nothing but the summary.
o_pty ttyno --no-progress "${ARGS[@]}"
lab_check_rc "--no-progress on a pty" 0 "$LAB_RC"
tr -d '\r' <"$T/ttyno.tty" >"$T/ttyno.txt"
o_same "--no-progress on a pty: the terminal shows the summary line only" "$T/summary" "$T/ttyno.txt"
o_same "--no-progress on a pty: stdout byte-identical" "$T/file.out" "$T/ttyno.out"

# 5. -q on a pty: no progress, no summary: nothing at all.
o_pty ttyq -q "${ARGS[@]}"
lab_check_rc "-q on a pty" 0 "$LAB_RC"
lab_check_empty "-q on a pty: the terminal" "$T/ttyq.tty"
o_same "-q on a pty: stdout byte-identical" "$T/file.out" "$T/ttyq.out"

# 6. --progress with stderr a file: forced on.
lab_sweep forced --progress "${ARGS[@]}"
lab_check_rc "--progress into a file" 0 "$LAB_RC"
o_strip forced "$T/forced.err"
case $O_FRAMES in
yes) lab_ok "--progress into a file: progress line drawn ($(tail -n 1 "$T/forced.prog")) and erased" ;;
no) lab_bad "--progress into a file: no progress line: $(head -c 300 "$T/forced.err" | cat -A)" ;;
*) lab_bad "--progress into a file: the progress line is malformed: $(head -n 5 "$T/forced.prog")" ;;
esac
o_same "--progress into a file: without the frames, the summary line only" "$T/summary" "$T/forced.rest"
o_same "--progress into a file: stdout byte-identical" "$T/file.out" "$T/forced.out"

# 7. --progress into a pipe: forced on there too.
echo "  \$ ipsweep --progress ${ARGS[*]} 2>&1 >pipep.out | cat"
lab_run timeout -k 5 60 "$IPSWEEP" --progress "${ARGS[@]}" 2>&1 >"$T/pipep.out" | cat >"$T/pipep.err"
rc=${PIPESTATUS[0]}
lab_check_rc "--progress into a pipe" 0 "$rc"
o_strip pipep "$T/pipep.err"
if [[ $O_FRAMES == yes ]] && cmp -s "$T/summary" "$T/pipep.rest"; then
	lab_ok "--progress into a pipe: progress frames, then the summary line"
else
	lab_bad "--progress into a pipe: frames=$O_FRAMES, rest: $(head -c 200 "$T/pipep.rest" | cat -A)"
fi
o_same "--progress into a pipe: stdout byte-identical" "$T/file.out" "$T/pipep.out"
lab_finish
