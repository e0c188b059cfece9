#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# How the ping(8) engine (--method exec) reads its ping, with a fake ping
# first in PATH (it sends nothing; each 127.0.0.x gets its own story):
#  .1  eleven megabytes of "Destination Host Unreachable", then a summary:
#      ping never blocks on the pipe, the run ends promptly, and the
#      truncated output is doubt (unknown ping-errors), never free;
#  .2  a clean silent summary, exit 1: free (the fake is in use);
#  .3  the same, plus "ping: sendmsg: ..." on stderr only: stderr is read
#      (unknown, send-error: Operation not permitted);
#  .4  no output at all, exit 1: unknown exec-error;
#  .5  a silent summary, then killed by a signal: unknown exec-error;
#  .6  a reply line, then exit 1: used (a reply is proof).
# .1 is a range of its own: ping(8) loses errors without a word, so its
# errors hold back the silent addresses of its range; swept with .2 in one
# range, .2 is unknown (range-icmp-errors), not free.
# And ping gets -n -c COUNT -i INTERVAL -W SECONDS ADDR without -q, with
# LC_ALL=C (INTERVAL half of SECONDS, 0.500 for -W 1000).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T_=$LAB_TMP
LAB_SWEEP_CAP=30

mkdir -p "$T_/bin" "$T_/log"
chmod 1777 "$T_/log"
cat >"$T_/bin/ping" <<EOF
#!/bin/sh
log=$T_/log
EOF
cat >>"$T_/bin/ping" <<'EOF'
for a; do addr=$a; done
printf '%s LC_ALL=%s\n' "$*" "${LC_ALL-unset}" >"$log/$addr"
summary() {
	printf '\n--- %s ping statistics ---\n' "$addr"
	printf '2 packets transmitted, 0 received, %s100%% packet loss, time 1001ms\n\n' "$1"
}
case $addr in
127.0.0.1)
	echo "PING $addr ($addr) 56(84) bytes of data."
	yes "From 192.0.2.1 icmp_seq=1 Destination Host Unreachable" | head -n 200000
	summary "+200000 errors, "
	exit 1 ;;
127.0.0.2)
	echo "PING $addr ($addr) 56(84) bytes of data."
	summary ""
	exit 1 ;;
127.0.0.3)
	echo "PING $addr ($addr) 56(84) bytes of data."
	echo "ping: sendmsg: Operation not permitted" >&2
	summary ""
	exit 1 ;;
127.0.0.4)
	exit 1 ;;
127.0.0.5)
	echo "PING $addr ($addr) 56(84) bytes of data."
	summary ""
	kill -KILL $$ ;;
127.0.0.6)
	echo "PING $addr ($addr) 56(84) bytes of data."
	echo "64 bytes from $addr: icmp_seq=2 ttl=64 time=0.123 ms"
	summary ""
	exit 1 ;;
esac
exit 2
EOF
chmod 755 "$T_/bin/ping"

t0=$SECONDS
PATH=$T_/bin:$PATH lab_sweep fake --method exec --all -j 6 -n 2 -W 1000 127.0.0.1 127.0.0.2-6
secs=$((SECONDS - t0))
lab_check_rc "fake ping" 3 "$LAB_RC"
want='127.0.0.1	unknown	ping-errors
127.0.0.2	free	no-reply
127.0.0.3	unknown	send-error: Operation not permitted
127.0.0.4	unknown	exec-error
127.0.0.5	unknown	exec-error
127.0.0.6	used	echo-reply'
if [[ $(cat "$T_/fake.out") == "$want" ]]; then
	lab_ok "fake: flood, silence, stderr, nothing, signal and reply read right"
else
	lab_bad "fake: rows: $(tr '\n\t' '; ' <"$T_/fake.out")"
fi
if ((secs <= 15)); then
	lab_ok "fake: done in $secs s: ping never blocked on a full pipe"
else
	lab_bad "fake: $secs s for six fake pings"
fi
if [[ $(cat "$T_/log/127.0.0.2" 2>/dev/null) == "-n -c 2 -i 0.500 -W 1 127.0.0.2 LC_ALL=C" ]]; then
	lab_ok "ping got '-n -c 2 -i 0.500 -W 1 ADDR' (no -q) with LC_ALL=C"
else
	lab_bad "ping got: $(cat "$T_/log/127.0.0.2" 2>&1)"
fi
PATH=$T_/bin:$PATH lab_sweep range --method exec --all -j 2 -n 2 -W 1000 127.0.0.1-2
want='127.0.0.1	unknown	ping-errors
127.0.0.2	unknown	range-icmp-errors'
if [[ $(cat "$T_/range.out") == "$want" ]] &&
	grep -q "range '127.0.0.1-2': ping(8) reported errors for 127.0.0.1: its 1 silent address is unknown" "$T_/range.err"; then
	lab_ok "one range: .1's errors hold back the silent .2, with a warning"
else
	lab_bad "one range: rows: $(tr '\n\t' '; ' <"$T_/range.out"); stderr: $(grep range "$T_/range.err")"
fi
lab_finish
