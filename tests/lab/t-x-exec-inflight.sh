#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The ping(8) engine runs many pings at once, each through its own pipe:
#  - a routed /24 with the real ping(8) and the default -j: the exact
#    complement;
#  - a stand-in ping (first in PATH) that counts the pings running at the
#    moment it starts and waits until it has seen the limit reached (or
#    every job started): with -j 1 --exec-inflight 4 no ping ever sees more
#    than 4 running, and some see 4; each answers for its own address only
#    (odd last byte: replies, even: silence), so output crossing from one
#    pipe to another would show as other-source or a wrong verdict;
#  - RLIMIT_NOFILE 20 (under prlimit) lowers the 64 asked for to 8, with a
#    note naming the limit, and no ping sees more than 8;
#  - -j 30 on 30 addresses: 64 each would be 1920 pings, more than the
#    128 all workers may run together: 4 each, with a note;
#  - RLIMIT_NPROC binds a user that is not root: as a uid of its own with
#    the real ping(8), room for 4 processes (ipsweep, one worker, two
#    pings) lowers the number to 2 with a note, and the run is exact; room
#    for 2 (no ping at all) ends, after the worker's 5 s of trying, in
#    exit 4 with a message naming the limits, nothing on stdout.
# The stand-in waits at most 20 s for its peers; a run that needed that
# long fails on the counts, never on a clock.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
LAB_SWEEP_CAP=60
command -v prlimit >/dev/null || { echo "prlimit (util-linux) is missing"; exit 1; }

# Part 1: real pings, a routed /24.
P=10.77.84.0/24
lab_pick 84 60 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
lab_sweep real --method exec -v "$P"
lab_check_rc "real ping(8), routed /24" 0 "$LAB_RC"
lab_check_list "real ping(8), routed /24: the complement" "$LAB_TMP/free" "$LAB_TMP/real.out"
if grep -Eq 'method exec .*[0-9]+ workers, 64 pings at once each' "$LAB_TMP/real.err"; then
	lab_ok "real: -v says 64 pings at once per worker"
else
	lab_bad "real: -v does not say 64 pings at once per worker"
fi

# Part 2: the stand-in.  Q is routed (nothing is live: only the stand-in
# answers, and it sends nothing).
Q=10.77.83.0/28
lab_routed 10.77.83.0/24
FAKE=$LAB_TMP/fake
mkdir -p "$FAKE/bin"
cat >"$FAKE/bin/ping" <<'EOF'
#!/bin/bash
# stand-in ping(8): -n -c C -W T ADDR
d=$FAKE_PING_DIR
a=${!#}
: >"$d/run.$$"
: >"$d/start.$a"
trap 'rm -f "$d/run.$$"' EXIT
n=$(find "$d" -maxdepth 1 -name 'run.*' | wc -l)
echo "$n" >>"$d/seen"
for ((i = 0; i < 2000; i++)); do
	n=$(find "$d" -maxdepth 1 -name 'run.*' | wc -l)
	echo "$n" >>"$d/seen"
	((n >= FAKE_PING_K)) && break
	(($(find "$d" -maxdepth 1 -name 'start.*' | wc -l) >= FAKE_PING_N)) && break
	sleep 0.01
done
# let the others see the same count before this one goes
sleep 0.2
echo "PING $a ($a) 56(84) bytes of data."
if ((${a##*.} % 2)); then
	echo "64 bytes from $a: icmp_seq=1 ttl=64 time=0.041 ms"
	echo "64 bytes from $a: icmp_seq=2 ttl=64 time=0.052 ms"
	echo
	echo "--- $a ping statistics ---"
	echo "2 packets transmitted, 2 received, 0% packet loss, time 1001ms"
	echo "rtt min/avg/max/mdev = 0.041/0.046/0.052/0.005 ms"
	exit 0
fi
echo
echo "--- $a ping statistics ---"
echo "2 packets transmitted, 0 received, 100% packet loss, time 1001ms"
exit 1
EOF
chmod 755 "$FAKE/bin/ping"
lab_expand "$Q" >"$LAB_TMP/allq"
awk -F. '$4 % 2 == 0' "$LAB_TMP/allq" >"$LAB_TMP/freeq"
NQ=$(wc -l <"$LAB_TMP/allq")

# fake_run TAG K IPSWEEP-ARGS...: a sweep of Q with the stand-in, its
# barrier at K
fake_run() {
	local tag=$1 k=$2 max
	shift 2
	rm -rf "$FAKE/d.$tag"
	mkdir -p "$FAKE/d.$tag"
	export FAKE_PING_DIR=$FAKE/d.$tag FAKE_PING_K=$k FAKE_PING_N=$NQ
	PATH=$FAKE/bin:$PATH lab_sweep "$tag" "$@"
	lab_check_rc "$tag" 0 "$LAB_RC"
	lab_check_list "$tag: the stand-in's free set" "$LAB_TMP/freeq" "$LAB_TMP/$tag.out"
	max=$(sort -n "$FAKE/d.$tag/seen" | tail -n 1)
	if [[ $max == "$k" ]]; then
		lab_ok "$tag: at most $k pings ran at once, and $k did"
	else
		lab_bad "$tag: the most pings seen running at once: ${max:-none}, expected $k"
	fi
}

fake_run limit4 4 --method exec -j 1 --exec-inflight 4 "$Q"
IPSWEEP_REAL=$IPSWEEP
IPSWEEP=$(command -v prlimit)
fake_run nofile 8 --nofile=20:20 "$IPSWEEP_REAL" --method exec -j 1 "$Q"
IPSWEEP=$IPSWEEP_REAL
if grep -q '^ipsweep: 8 ping(8) processes at once per worker, not 64: RLIMIT_NOFILE is 20$' "$LAB_TMP/nofile.err"; then
	lab_ok "nofile: the note names RLIMIT_NOFILE and the 8 that run"
else
	lab_bad "nofile: no note naming RLIMIT_NOFILE and 8 pings at once"
fi

# All workers together: -j 30, one job each, the stand-in not waiting.
rm -rf "$FAKE/d.total"
mkdir -p "$FAKE/d.total"
FAKE_PING_DIR=$FAKE/d.total FAKE_PING_K=1 FAKE_PING_N=1 PATH=$FAKE/bin:$PATH \
	lab_sweep total --method exec -j 30 10.77.83.0/27
lab_check_rc "-j 30" 0 "$LAB_RC"
if grep -q '^ipsweep: 4 ping(8) processes at once per worker, not 64: 128 at most for all 30 workers$' "$LAB_TMP/total.err"; then
	lab_ok "-j 30: 4 pings each, 128 at most in all, with a note"
else
	lab_bad "-j 30: no note of 4 pings per worker for 128 in all"
fi

# Part 3: RLIMIT_NPROC, a uid no other process uses, the real ping(8).
U=47307
if pgrep -u "$U" >/dev/null; then
	echo "uid $U has processes already: RLIMIT_NPROC counts would be off"
	exit 1
fi
R=10.77.84.0/29
lab_expand "$R" >"$LAB_TMP/allr"
lab_minus "$LAB_TMP/allr" "$LAB_TMP/live" >"$LAB_TMP/freer"
BIN=$LAB_TMP/ubin
mkdir -p "$BIN"
chmod 755 "$LAB_DIR" "$LAB_TMP" "$BIN"
cp "$IPSWEEP_REAL" "$BIN/ipsweep"
chmod 755 "$BIN/ipsweep"
IPSWEEP=$(command -v prlimit)
lab_sweep np4 --nproc=4:4 setpriv --reuid="$U" --regid="$U" --clear-groups \
	"$BIN/ipsweep" --method exec -j 1 "$R"
lab_check_rc "nproc 4" 0 "$LAB_RC"
lab_check_list "nproc 4: the complement" "$LAB_TMP/freer" "$LAB_TMP/np4.out"
if grep -q '^ipsweep: 2 ping(8) processes at once per worker, not 64: RLIMIT_NPROC is 4$' "$LAB_TMP/np4.err"; then
	lab_ok "nproc 4: the note names RLIMIT_NPROC and the 2 that run"
else
	lab_bad "nproc 4: no note naming RLIMIT_NPROC and 2 pings at once"
fi
lab_sweep np2 --nproc=2:2 setpriv --reuid="$U" --regid="$U" --clear-groups \
	"$BIN/ipsweep" --method exec -j 1 "$R"
IPSWEEP=$IPSWEEP_REAL
lab_check_rc "nproc 2 (no ping can start)" 4 "$LAB_RC"
lab_check_empty "nproc 2: stdout" "$LAB_TMP/np2.out"
if grep -q '^ipsweep: ping(8) could not be started for any address: .*RLIMIT_NPROC' "$LAB_TMP/np2.err"; then
	lab_ok "nproc 2: the error names the limits"
else
	lab_bad "nproc 2: no error saying ping(8) could not be started"
fi
sleep 0.2
if [[ -n $(pgrep -u "$U") ]]; then
	lab_bad "processes of uid $U left: $(pgrep -u "$U" | tr '\n' ' ')"
else
	lab_ok "no process of uid $U left"
fi
lab_finish
