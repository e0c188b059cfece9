#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --lock FILE.  With the lock held by another process (flock(1), and then a
# running ipsweep with the same --lock), ipsweep exits at once (well under
# a second) with status 75, names FILE on stderr, prints nothing on stdout
# and sends nothing: no ICMP leaves the scanner (nftables counter) and the
# scanner's link counts no transmitted packet.  Without the lock held it
# runs normally (exit 0, the free list), and a missing lock file is created.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T=$LAB_TMP

P=10.77.45.0/24
printf '%s\n' 10.77.45.1 10.77.45.9 10.77.45.10 10.77.45.11 10.77.45.128 \
	10.77.45.200 10.77.45.201 10.77.45.254 >"$T/live"
lab_routed "$P" @"$T/live"
lab_expand "$P" >"$T/all"
lab_minus "$T/all" "$T/live" >"$T/free"
LOCK=$T/sweep.lock

# o_held: the lock file has a lock in /proc/locks (looking does not take
# it, unlike flock -n, which could make a starting ipsweep find it held)
o_held() {
	local ino
	ino=$(stat -c %i "$LOCK" 2>/dev/null) || return 1
	awk -v ino="$ino" '{ n = split($6, a, ":"); if (a[n] == ino) f = 1 } END { exit !f }' /proc/locks
}

o_elapsed() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'
}

# tx packets of the scanner's link to the router (r0)
o_tx() {
	lab_run ip -s -j link show dev r0 |
		"${PY:-/usr/bin/python3}" -c 'import json, sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'
}

# o_locked TAG: the checks of a run that found the lock held
o_locked() {
	local tag=$1 el=$2
	lab_check_rc "$tag: lock held by another process" 75 "$LAB_RC"
	if awk -v e="$el" 'BEGIN { exit !(e < 0.5) }'; then
		lab_ok "$tag: exits at once ($el s)"
	else
		lab_bad "$tag: took $el s to give up (expected well under 1 s)"
	fi
	lab_check_empty "$tag: stdout" "$T/$tag.out"
	if grep -qF -- "$LOCK" "$T/$tag.err"; then
		lab_ok "$tag: stderr names the lock file: $(head -n 1 "$T/$tag.err")"
	else
		lab_bad "$tag: stderr does not name $LOCK: $(head -c 300 "$T/$tag.err")"
	fi
}

o_nothing_sent() {
	local tag=$1 icmp tx
	icmp=$(lab_icmp_counter)
	tx=$(o_tx)
	if [[ $icmp == 0 ]]; then
		lab_ok "$tag: no ICMP left the scanner (nft counter 0)"
	else
		lab_bad "$tag: $icmp ICMP packets left the scanner"
	fi
	if [[ $tx == "$TX0" ]]; then
		lab_ok "$tag: r0 transmitted nothing (tx packets still $tx)"
	else
		lab_bad "$tag: r0 tx packets went from $TX0 to $tx"
	fi
}

# 1. Held by flock(1) in the scanner namespace (so that the lab removes it
# whatever happens); -o: the lock belongs to flock itself, not to sleep.
# Not through lab_run, a shell function: $! must be flock's own pid (ip
# netns exec execs it).
: >"$LOCK"
ip netns exec "$LAB_SCAN" flock -o "$LOCK" sleep 10 &
FPID=$!
for ((i = 0; i < 50; i++)); do
	o_held && break
	sleep 0.1
done
if ! o_held; then
	lab_bad "flock(1) did not take the lock"
	lab_finish
fi
lab_icmp_counter_start
TX0=$(o_tx)
t0=$(date +%s.%N)
lab_sweep held --lock "$LOCK" "$P"
o_locked held "$(o_elapsed "$t0")"
o_nothing_sent held

# The same with the other forms of the option and a big sweep: still at once.
t0=$(date +%s.%N)
lab_sweep held2 -n 3 -W 3000 --lock="$LOCK" --format json 10.77.45.0/24
o_locked held2 "$(o_elapsed "$t0")"
o_nothing_sent held2

kill "$FPID" 2>/dev/null
wait "$FPID" 2>/dev/null
for ((i = 0; i < 50; i++)); do
	o_held || break
	sleep 0.1
done

# 2. Free again: a normal run.
lab_sweep free --lock "$LOCK" "$P"
lab_check_rc "lock free: a normal run" 0 "$LAB_RC"
lab_check_list "lock free: stdout is the free set" "$T/free" "$T/free.out"
lab_check_summary free 254 246 8 0
# The counters do count: the run that sent shows up in both.
icmp=$(lab_icmp_counter) tx=$(o_tx)
if ((icmp >= 254 + 246 && tx > TX0)); then
	lab_ok "the counters see a real run: $icmp ICMP sent, r0 tx $TX0 -> $tx"
else
	lab_bad "the counters missed a real run: $icmp ICMP, r0 tx $TX0 -> $tx"
fi

# 3. Held by a running ipsweep: the second run gives up at once.
lab_sweep_bg first --lock "$LOCK" -W 3000 "$P"
for ((i = 0; i < 100; i++)); do
	o_held && break
	sleep 0.02
done
t0=$(date +%s.%N)
lab_sweep second --lock "$LOCK" "$P"
o_locked second "$(o_elapsed "$t0")"
if kill -0 "$LAB_BG_PID" 2>/dev/null; then
	lab_ok "the second run ended while the first still ran"
else
	lab_bad "the first run had already ended: the overlap was not tested"
fi
lab_sweep_wait first
lab_check_rc "the first run, holding the lock" 0 "$LAB_RC"
lab_check_list "the first run: stdout is the free set" "$T/free" "$T/first.out"

# 4. A lock file that does not exist is created.
NEWLOCK=$T/new/missing.lock
mkdir -p "$T/new"
lab_sweep create --lock "$NEWLOCK" "$P"
lab_check_rc "--lock with a missing file" 0 "$LAB_RC"
if [[ -f $NEWLOCK ]]; then
	lab_ok "the missing lock file was created"
else
	lab_bad "$NEWLOCK was not created"
fi
lab_check_list "--lock with a missing file: stdout is the free set" "$T/free" "$T/create.out"
lab_finish
