#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Network behaviour": more than 65535 probes from one worker: no
# sequence reuse inside the timeout, no misattribution.
#
# -j 1 -n 2 on a routed /16 with ~3% live: about 129000 probes from one
# worker, so the 16-bit sequence number wraps.  The free list must be
# exactly the complement of the live set.  Three runs:
#  - default rate and timeout (the sequence space lasts 3.3 s, longer than
#    a timeout);
#  - --rate 50000 -W 3000 with one ICMP id (IPSWEEP_TEST_NIDS=1, a knob of
#    the test-hooks build that make lab-tests names in IPSWEEP_TEST_BIN):
#    150000 probes would go out within one timeout, more sequence numbers
#    than one id has, so ipsweep must hold back rather than reuse one
#    whose answer may still come;
#  - the same with the ids ipsweep takes for that rate itself (several per
#    raw socket, 65536 sequence numbers each): an error quoting only an id
#    and a sequence number still lands on its own probe or nowhere.
# Three addresses (on a bare lab host, h-crafted.py) answer every probe
# with a time-exceeded error quoting only 8 bytes of it (id and seq: the
# sequence number is the only way to tell which probe it was), 4 s late:
# by then that sequence number belongs to another address's probe, still
# inside its timeout.  Taking the error for that other probe would make an
# unrelated silent address unknown: the complement would not be exact.
# The three themselves must not end up used (free or unknown both fit).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
LAB_SWEEP_CAP=45

P=10.79.0.0/16
LATE_ERR="10.79.40.1 10.79.120.7 10.79.200.200"
lab_pick 97 30 "$P" | grep -vxF -e 10.79.40.1 -e 10.79.120.7 -e 10.79.200.200 >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
# shellcheck disable=SC2086
lab_bare $LATE_ERR
specs=()
for a in $LATE_ERR; do specs+=("$a=te-8@4000"); done
lab_spawn "${LAB}t" "$(lab__python)" "$LAB_HERE/h-crafted.py" --owner "$$" \
	--ready "$LAB_TMP/crafted.ready" --log "$LAB_TMP/crafted.log" "${specs[@]}"
for ((i = 0; i < 100; i++)); do
	[[ -s $LAB_TMP/crafted.ready ]] && break
	kill -0 "$LAB_SPAWN_PID" 2>/dev/null || break
	sleep 0.05
done
[[ -s $LAB_TMP/crafted.ready ]] || { echo "h-crafted.py did not start"; exit 1; }
# shellcheck disable=SC2086 # a list
printf '%s\n' $LATE_ERR >"$LAB_TMP/lateerr"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" | lab_minus /dev/stdin "$LAB_TMP/lateerr" >"$LAB_TMP/free"
nlive=$(wc -l <"$LAB_TMP/live")
echo "lab: $P, $nlive live; late short-quoted errors from $LATE_ERR"

check_run() {
	local tag=$1 what=$2 probes started bad
	lab_check_rc "$what" 0 "$LAB_RC"
	# The late-error addresses may be free or unknown: out of the check.
	lab_minus "$LAB_TMP/$tag.out" "$LAB_TMP/lateerr" >"$LAB_TMP/$tag.rest"
	lab_check_list "$what: the exact complement" "$LAB_TMP/free" "$LAB_TMP/$tag.rest"
	bad=$(lab_common "$LAB_TMP/$tag.out" "$LAB_TMP/live" | head -n 10 | tr '\n' ' ')
	[[ -z $bad ]] || lab_bad "$what: LIVE addresses printed free: $bad"
	for a in $LATE_ERR; do
		if grep -q "^ipsweep: $a: used" "$LAB_TMP/$tag.err"; then
			lab_bad "$what: $a (only ICMP errors) was called used"
		fi
	done
	probes=$(sed -n 's/^ipsweep: \([0-9]*\) probes sent.*/\1/p' "$LAB_TMP/$tag.err")
	started=$(sed -n 's/.* \([0-9]*\) workers started.*/\1/p' "$LAB_TMP/$tag.err")
	if [[ -n $probes && $started == 1 ]] && ((probes > 65535)); then
		lab_ok "$what: $probes probes from 1 worker (more than 65535)"
	else
		lab_bad "$what: '${probes:-?}' probes from '${started:-?}' workers: not the case under test"
	fi
}

lab_sweep def -v -j 1 -n 2 "$P"
check_run def "default rate"
HOOKS=$(lab_abspath "${IPSWEEP_TEST_BIN:-}")
if [[ -n ${IPSWEEP_TEST_BIN:-} ]] && grep -qaF IPSWEEP_TEST_NIDS "$HOOKS"; then
	IPSWEEP_TEST_NIDS=1 IPSWEEP=$HOOKS lab_sweep fast1 -v -j 1 -n 2 --rate 50000 -W 3000 "$P"
	check_run fast1 "--rate 50000 -W 3000, one id"
else
	lab_bad "no test-hooks build with IPSWEEP_TEST_NIDS in IPSWEEP_TEST_BIN: build one with 'make test-bin' and set IPSWEEP_TEST_BIN=build/hooks/ipsweep"
fi
lab_sweep fast -v -j 1 -n 2 --rate 50000 -W 3000 "$P"
check_run fast "--rate 50000 -W 3000, the ids for the rate"
n=$(wc -l <"$LAB_TMP/crafted.log")
if ((n >= 6)); then
	lab_ok "h-crafted.py answered $n probes with late errors"
else
	lab_bad "h-crafted.py saw only $n probes"
fi
lab_finish
