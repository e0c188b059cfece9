#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Network behaviour": another ping or a second ipsweep running at
# the same time: no cross-talk, same results as alone.
#
# A routed /21 (5% live, plus one host that answers 600 ms late) swept
# alone, then three sweeps at once in the same scanner namespace, on the
# same range, with the same settings: two as root (raw sockets: each sees
# every ICMP packet of the namespace, the other's replies included) and
# one as an unprivileged user (datagram sockets), while ping(8) -i 0.2
# runs against a live address and a silent one of the range.  Each must
# print exactly the list of the lone run, and the same counts; the pings
# must see all their replies from the live host and none from the silent.  Done twice
# (more chances for an id collision between the runs).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }
LAB_SWEEP_CAP=30

P=10.77.64.0/21
lab_pick 71 50 "$P" >"$LAB_TMP/picked"
grep -vx 10.77.66.77 "$LAB_TMP/picked" >"$LAB_TMP/fast"
lab_routed "$P" @"$LAB_TMP/fast"
lab_late 10.77.66.77 600
lab_live >"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
nlive=$(wc -l <"$LAB_TMP/live")
nfree=$(wc -l <"$LAB_TMP/free")
liveone=$(sed -n 5p "$LAB_TMP/fast")
silentone=$(sed -n 7p "$LAB_TMP/free")
echo "lab: $P, $nlive live (10.77.66.77 late), pings to $liveone (live) and $silentone (silent)"
lab_ping_group_range 0 2147483647
REAL=$IPSWEEP
SETPRIV=$(command -v setpriv)
ARGS=(-n 2 -W 1000 -j 3 "$P")
total=$(wc -l <"$LAB_TMP/all")

check_run() {
	local tag=$1 what=$2
	lab_check_rc "$what" 0 "$(cat "$LAB_TMP/$tag.rc")"
	lab_check_list "$what: the complement" "$LAB_TMP/free" "$LAB_TMP/$tag.out"
	lab_check_summary "$tag" "$total" "$nfree" "$nlive" 0
}

lab_sweep alone "${ARGS[@]}"
check_run alone "alone"

# bg_run TAG CMD...: in the scanner ns, in the background; status in TAG.rc
bg_run() {
	local tag=$1
	shift
	(
		ip netns exec "$LAB_SCAN" timeout -k 5 "$LAB_SWEEP_CAP" "$@" \
			>"$LAB_TMP/$tag.out" 2>"$LAB_TMP/$tag.err"
		echo $? >"$LAB_TMP/$tag.rc"
	) &
}

for round in 1 2; do
	echo "  round $round: ping -i 0.2 $liveone, ping -i 0.2 $silentone, 3 sweeps at once"
	# shellcheck disable=SC2016
	lab_spawn "$LAB_SCAN" sh -c 'exec ping -n -q -i 0.2 "$1" >"$2" 2>&1' sh \
		"$liveone" "$LAB_TMP/ping-live.$round"
	p1=$LAB_SPAWN_PID
	# shellcheck disable=SC2016
	lab_spawn "$LAB_SCAN" sh -c 'exec ping -n -q -i 0.2 "$1" >"$2" 2>&1' sh \
		"$silentone" "$LAB_TMP/ping-silent.$round"
	p2=$LAB_SPAWN_PID
	sleep 0.5
	bg_run "a$round" "$REAL" "${ARGS[@]}"
	bg_run "b$round" "$REAL" "${ARGS[@]}"
	bg_run "c$round" "$SETPRIV" --reuid=47304 --regid=47304 --clear-groups \
		--bounding-set=-all --inh-caps=-all --no-new-privs "$REAL" -v "${ARGS[@]}"
	wait_ok=1
	for ((i = 0; i < 300; i++)); do
		[[ -s $LAB_TMP/a$round.rc && -s $LAB_TMP/b$round.rc && -s $LAB_TMP/c$round.rc ]] && break
		sleep 0.1
	done
	[[ -s $LAB_TMP/a$round.rc && -s $LAB_TMP/b$round.rc && -s $LAB_TMP/c$round.rc ]] || wait_ok=0
	kill -INT "$p1" "$p2" 2>/dev/null
	wait "$p1" "$p2" 2>/dev/null
	# ping(8) must not have been disturbed either: every echo answered by
	# the live host, none "answered" for the silent one.
	read -r tx rx < <(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$LAB_TMP/ping-live.$round")
	if [[ -n ${tx:-} ]] && ((tx >= 5 && rx == tx)); then
		lab_ok "round $round: ping $liveone alongside: $rx of $tx answered"
	else
		lab_bad "round $round: ping $liveone alongside: '$(grep transmitted "$LAB_TMP/ping-live.$round")'"
	fi
	read -r tx rx < <(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$LAB_TMP/ping-silent.$round")
	if [[ -n ${tx:-} ]] && ((tx >= 5 && rx == 0)); then
		lab_ok "round $round: ping $silentone alongside: $tx sent, none answered"
	else
		lab_bad "round $round: ping $silentone alongside: '$(grep transmitted "$LAB_TMP/ping-silent.$round")'"
	fi
	if ((wait_ok == 0)); then
		lab_bad "round $round: the sweeps did not all end within 30 s"
		continue
	fi
	for t in a b c; do
		echo "    sweep $t$round: exit $(cat "$LAB_TMP/$t$round.rc"); $(grep 'addresses:' "$LAB_TMP/$t$round.err")"
		# a failed sweep's own words (but -v's list of verdicts)
		[[ $(cat "$LAB_TMP/$t$round.rc") == 0 ]] ||
			grep -v ': \(free\|used\|unknown\) (' "$LAB_TMP/$t$round.err" | sed 's/^/      | /' | tail -n 8
	done
	check_run "a$round" "round $round, root sweep A"
	check_run "b$round" "round $round, root sweep B"
	if grep -q 'datagram sockets' "$LAB_TMP/c$round.err"; then
		lab_ok "round $round, unprivileged sweep C: datagram sockets"
	else
		lab_bad "round $round, unprivileged sweep C: -v does not say 'datagram sockets'"
	fi
	check_run "c$round" "round $round, unprivileged sweep C"
done
lab_finish
