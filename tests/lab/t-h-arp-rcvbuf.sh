#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The ARP socket's receive buffer overflows in a burst of replies: the
# drops are detected (PACKET_STATISTICS), the affected addresses are asked
# again or unknown (rcvbuf-overflow), never free because of our own drops.
#
# IPSWEEP_TEST_RCVBUF=1 (only in a binary built with IPSWEEP_TEST_HOOKS,
# which make lab-tests names in IPSWEEP_TEST_BIN: make test-bin builds it
# as build/hooks/ipsweep; the kernel rounds the buffer up to its minimum,
# a few packets; it sizes the ARP sockets too) and one worker
# asking ARP fast on an on-link /24 with ~120 live hosts: their replies
# arrive in a burst the socket cannot hold.  -n 1, so that a dropped reply
# is the only evidence of its host.  No live address free, no silent one
# used, every unknown one rcvbuf-overflow (or loss-too-high, when the run
# states an ARP loss above 0%), drops reported (-v); at
# --rate 200000 and again at 20000 (fewer drops: a mix of re-probed and
# unknown addresses).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
lab_test_hooks IPSWEEP_TEST_RCVBUF

P=10.77.48.0/24
lab_pick 48 500 "$P" | grep -vx 10.77.48.1 | lab_sort_ip >"$LAB_TMP/live"
lab_onlink "$P" 10.77.48.1 @"$LAB_TMP/live"
lab_expand "$P" | grep -vx 10.77.48.1 >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/silent"
echo "lab: $P on-link, $(wc -l <"$LAB_TMP/live") live"
export IPSWEEP_TEST_RCVBUF=1

# check_run TAG WHAT
check_run() {
	local tag=$1 what=$2 out=$LAB_TMP/$1.out bad drops
	case $LAB_RC in
	0 | 3) lab_ok "$what: exit $LAB_RC (0, or 3 with unknown addresses)" ;;
	*) lab_bad "$what: exit $LAB_RC, expected 0 or 3" ;;
	esac
	awk -F'\t' '$2 == "free" { print $1 }' "$out" >"$LAB_TMP/$tag.free"
	awk -F'\t' '$2 == "used" { print $1 }' "$out" >"$LAB_TMP/$tag.used"
	awk -F'\t' '$2 == "unknown" { print $1 }' "$out" >"$LAB_TMP/$tag.unknown"
	echo "    verdicts: $(wc -l <"$LAB_TMP/$tag.free") free, $(wc -l <"$LAB_TMP/$tag.used") used, $(wc -l <"$LAB_TMP/$tag.unknown") unknown"
	bad=$(lab_common "$LAB_TMP/$tag.free" "$LAB_TMP/live" | head -n 10 | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$what: no live address free"
	else
		lab_bad "$what: LIVE addresses free (lost in our own drops): $bad"
	fi
	bad=$(lab_common "$LAB_TMP/$tag.used" "$LAB_TMP/silent" | head -n 10 | tr '\n' ' ')
	[[ -z $bad ]] && lab_ok "$what: no silent address used" ||
		lab_bad "$what: silent addresses used: $bad"
	# loss-too-high only where the run stated a loss: an address that
	# answered only the probe sent again after our drops counts the first
	# one as lost (ours or the network's: nobody can tell), and the loss
	# so measured may hold silent addresses back
	local also=rcvbuf-overflow
	grep -qE 'ARP loss ([1-9][0-9]*\.[0-9]|0\.[1-9])% measured' "$LAB_TMP/$tag.err" &&
		also=loss-too-high
	bad=$(awk -F'\t' -v also="$also" '$2 == "unknown" && $3 != "rcvbuf-overflow" && $3 != also { print $1 " " $3 }' "$out" | head -n 5 | tr '\n' ';')
	[[ -z $bad ]] && lab_ok "$what: every unknown address has reason rcvbuf-overflow (or $also)" ||
		lab_bad "$what: unknown for another reason: $bad"
	drops=$(sed -n 's/.* \([0-9][0-9]*\) receive drops.*/\1/p' "$LAB_TMP/$tag.err" | head -n 1)
	if [[ -n $drops ]] && ((drops > 0)); then
		lab_ok "$what: $drops receive drops detected"
	else
		lab_bad "$what: no receive drop reported ('${drops:-no -v line}'): not detected, or not provoked"
	fi
}

lab_sweep burst -v --all -n 1 -j 1 --rate 200000 "$P"
check_run burst "--rate 200000"
lab_sweep mix -v --all -n 1 -j 1 --rate 20000 "$P"
check_run mix "--rate 20000"
lab_finish
