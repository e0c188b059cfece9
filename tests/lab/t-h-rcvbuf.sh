#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Network behaviour": the socket's receive buffer overflows in a
# burst: detected, the affected addresses probed again or unknown, never
# free because of our own drops.
#
# IPSWEEP_TEST_RCVBUF=1 (test-only knob: SO_RCVBUF in bytes; the kernel
# rounds it up to its minimum, a few packets; only in a binary built with
# IPSWEEP_TEST_HOOKS, which make lab-tests names in IPSWEEP_TEST_BIN: make
# test-bin builds it as build/hooks/ipsweep) and one worker sending fast
# into a routed /16 with ~3% live: the replies arrive in a burst the socket
# cannot hold.  -n 1: a dropped reply is the only evidence of its host
# (with -n 2 the second probe would hide a detection that does not work).  Raw path (root) and datagram path (an unprivileged user,
# ping_group_range widened in the scanner ns), at --rate 200000 (the
# buffer overflows for certain), and raw at --rate 50000 (some drops: a mix
# of re-probed free and unknown addresses).  Every run: no live address
# free, no silent address used, every live one used or unknown
# (rcvbuf-overflow), drops reported (-v), the counts add up.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
lab_test_hooks IPSWEEP_TEST_RCVBUF
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }
LAB_SWEEP_CAP=40

P=10.78.0.0/16
lab_pick 61 30 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/silent"
nlive=$(wc -l <"$LAB_TMP/live")
echo "lab: $P, $nlive live"
export IPSWEEP_TEST_RCVBUF=1
REAL=$IPSWEEP

# check_run TAG WHAT
check_run() {
	local tag=$1 what=$2 out=$LAB_TMP/$1.out f u k bad drops reasons
	if [[ $LAB_RC == 0 || $LAB_RC == 3 ]]; then
		lab_ok "$what: exit $LAB_RC (0, or 3 with unknown addresses)"
	else
		lab_bad "$what: exit $LAB_RC, expected 0 or 3"
	fi
	awk -F'\t' '$2 == "free" { print $1 }' "$out" >"$LAB_TMP/$tag.free"
	awk -F'\t' '$2 == "used" { print $1 }' "$out" >"$LAB_TMP/$tag.used"
	awk -F'\t' '$2 == "unknown" { print $1 }' "$out" >"$LAB_TMP/$tag.unknown"
	f=$(wc -l <"$LAB_TMP/$tag.free")
	u=$(wc -l <"$LAB_TMP/$tag.used")
	k=$(wc -l <"$LAB_TMP/$tag.unknown")
	echo "    verdicts: $f free, $u used, $k unknown; unknown reasons: $(awk -F'\t' '$2 == "unknown" { print $3 }' "$out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
	if ((f + u + k == 65534)) && [[ $(cut -f1 "$out" | lab_sort_ip | wc -l) == 65534 ]]; then
		lab_ok "$what: every address once, with a verdict"
	else
		lab_bad "$what: $f + $u + $k verdicts for 65534 addresses"
	fi
	bad=$(lab_common "$LAB_TMP/$tag.free" "$LAB_TMP/live" | head -n 10 | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$what: no live address free"
	else
		lab_bad "$what: $(lab_common "$LAB_TMP/$tag.free" "$LAB_TMP/live" | wc -l) LIVE addresses free (lost in our own drops): $bad"
	fi
	bad=$(lab_common "$LAB_TMP/$tag.used" "$LAB_TMP/silent" | head -n 10 | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$what: no silent address used"
	else
		lab_bad "$what: silent addresses used: $bad"
	fi
	bad=$(lab_minus "$LAB_TMP/live" <(cat "$LAB_TMP/$tag.used" "$LAB_TMP/$tag.unknown") | head -n 10 | tr '\n' ' ')
	[[ -z $bad ]] || lab_bad "$what: live addresses neither used nor unknown: $bad"
	reasons=$(awk -F'\t' '$2 == "unknown" && $3 != "rcvbuf-overflow" { print $1 " " $3 }' "$out" | head -n 5 | tr '\n' ';')
	if [[ -z $reasons ]]; then
		lab_ok "$what: every unknown address has reason rcvbuf-overflow"
	else
		lab_bad "$what: unknown for another reason: $reasons"
	fi
	drops=$(sed -n 's/.* \([0-9][0-9]*\) receive drops.*/\1/p' "$LAB_TMP/$tag.err" | head -n 1)
	if [[ -n $drops ]] && ((drops > 0)); then
		lab_ok "$what: $drops receive drops detected"
	else
		lab_bad "$what: no receive drop reported ('${drops:-no -v line}'): the overflow was not detected or not provoked"
	fi
	if ((k > 0)) && [[ -n $drops ]] && ((drops == 0)); then
		lab_bad "$what: rcvbuf-overflow unknowns without drops"
	fi
	lab_check_summary "$tag" 65534 "$f" "$u" "$k"
}

lab_sweep raw -v -n 1 --rate 200000 -j 1 --all "$P"
check_run raw "raw, --rate 200000"

lab_sweep mix -v -n 1 --rate 50000 -j 1 --all "$P"
check_run mix "raw, --rate 50000"

lab_ping_group_range 0 2147483647
IPSWEEP=$(command -v setpriv)
lab_sweep dgram --reuid=47303 --regid=47303 --clear-groups --bounding-set=-all \
	--inh-caps=-all --no-new-privs "$REAL" -v -n 1 --rate 200000 -j 1 --all "$P"
IPSWEEP=$REAL
if grep -q 'datagram sockets' "$LAB_TMP/dgram.err"; then
	lab_ok "unprivileged: -v says datagram sockets"
else
	lab_bad "unprivileged: -v does not say 'datagram sockets'"
fi
check_run dgram "datagram, --rate 200000"
lab_finish
