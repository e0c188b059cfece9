#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Privileges and environment": RLIMIT_NPROC or RLIMIT_NOFILE too
# low to start the pool: a clear error before anything is sent (exit 4,
# stdout empty, no ICMP packet left the scanner), or fewer workers with a
# warning and correct results; never a half-started pool left behind.
#
# RLIMIT_NPROC binds only an unprivileged user (root ignores it): a
# cap_net_raw+ep copy run as a uid no other process uses, -j 8, with room
# for 0 workers (nproc 1: the parent alone) and for 2 (nproc 3).
# RLIMIT_NOFILE binds root: -j 8 with 5 to 24 descriptors.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
# Under AddressSanitizer (make check's second pass) LeakSanitizer needs a
# thread and /proc at exit, which these very limits deny it: it would turn
# ipsweep's exit status into 1.  Leaks are checked by every other test.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }
command -v prlimit >/dev/null || { echo "prlimit (util-linux) is missing"; exit 1; }
LAB_SWEEP_CAP=30
U=47305

P=10.77.72.0/24
lab_pick 72 80 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"

BIN=$LAB_TMP/bin
mkdir -p "$BIN"
chmod 755 "$LAB_DIR" "$LAB_TMP" "$BIN"
cp "$IPSWEEP" "$BIN/ipsweep-cap"
chmod 755 "$BIN/ipsweep-cap"
setcap cap_net_raw+ep "$BIN/ipsweep-cap" || { echo "setcap failed"; exit 1; }
if pgrep -u "$U" >/dev/null; then
	echo "uid $U has processes already: RLIMIT_NPROC counts would be off"
	exit 1
fi
REAL=$IPSWEEP
PRLIMIT=$(command -v prlimit)

# check_outcome TAG WHAT [fewer|error|any]: one of the two acceptable ends
check_outcome() {
	local tag=$1 what=$2 want=${3:-any} sent left
	sent=$(lab_icmp_counter)
	if [[ $LAB_RC == 4 && $want != fewer ]]; then
		lab_ok "$what: exit 4 (cannot start the pool)"
		lab_check_empty "$what: stdout" "$LAB_TMP/$tag.out"
		if grep -q '^ipsweep: ' "$LAB_TMP/$tag.err"; then
			lab_ok "$what: error: $(head -n 1 "$LAB_TMP/$tag.err")"
		else
			lab_bad "$what: exit 4 without an 'ipsweep: ...' message"
		fi
		if [[ $sent == 0 ]]; then
			lab_ok "$what: nothing was sent"
		else
			lab_bad "$what: $sent ICMP packets were sent before giving up"
		fi
	elif [[ $LAB_RC == 0 && $want != error ]]; then
		lab_ok "$what: exit 0 (a smaller pool)"
		lab_check_list "$what: the complement" "$LAB_TMP/free" "$LAB_TMP/$tag.out"
		if grep -Eq '^ipsweep: .*worker' "$LAB_TMP/$tag.err"; then
			lab_ok "$what: warning: $(grep -E '^ipsweep: .*worker' "$LAB_TMP/$tag.err" | head -n 1)"
		else
			lab_bad "$what: fewer workers than asked, but no warning naming the workers"
		fi
	else
		case $want in
		fewer) lab_bad "$what: exit $LAB_RC, expected 0 (fewer workers)" ;;
		error) lab_bad "$what: exit $LAB_RC, expected 4 (cannot start the pool)" ;;
		*) lab_bad "$what: exit $LAB_RC, expected 4 (error) or 0 (fewer workers)" ;;
		esac
	fi
	sleep 0.2
	left=$(lab_scan_procs | tr '\n' ' ')
	if [[ -z $left ]]; then
		lab_ok "$what: no process left behind"
	else
		lab_bad "$what: processes left behind: $left"
	fi
	if [[ -n $(pgrep -u "$U") ]]; then
		lab_bad "$what: processes of uid $U left: $(pgrep -u "$U" | tr '\n' ' ')"
	fi
}

IPSWEEP=$PRLIMIT
# Room for the parent only: no worker can start.
lab_icmp_counter_start
lab_sweep np1 --nproc=1:1 setpriv --reuid="$U" --regid="$U" --clear-groups \
	"$BIN/ipsweep-cap" -j 8 -n 1 "$P"
check_outcome np1 "RLIMIT_NPROC 1 (no worker possible)" error
# Room for two workers out of eight.
lab_icmp_counter_start
lab_sweep np3 --nproc=3:3 setpriv --reuid="$U" --regid="$U" --clear-groups \
	"$BIN/ipsweep-cap" -j 8 -n 1 "$P"
check_outcome np3 "RLIMIT_NPROC 3 (two of eight workers)"
if [[ $LAB_RC == 0 ]]; then
	if grep -Eq '(^|[^0-9])2 workers' "$LAB_TMP/np3.err"; then
		lab_ok "RLIMIT_NPROC 3: the warning says 2 workers"
	else
		lab_bad "RLIMIT_NPROC 3: the warning does not say that 2 workers run"
	fi
fi

# Root, few descriptors.
for n in 5 8 12 16 20 24; do
	lab_icmp_counter_start
	lab_sweep "nf$n" --nofile="$n:$n" "$REAL" -j 8 -n 1 "$P"
	check_outcome "nf$n" "RLIMIT_NOFILE $n"
done
IPSWEEP=$REAL
lab_finish
