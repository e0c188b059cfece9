#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Privileges and environment":
#  - root: works; the parent drops every capability once its sockets are
#    open, so while sweeping the parent and every worker show CapEff 0 (and
#    CapPrm 0: nothing to raise again).
#  - a copy with the file capability cap_net_raw+ep, run by an unprivileged
#    user whose group is outside ping_group_range: the raw path (-v says
#    "raw sockets"), the same free list as root, CapEff/CapPrm 0 everywhere.
#  - no capability, ping_group_range excluding the user: --method auto falls
#    back to ping(8) and says so once (naming setcap, ping_group_range and
#    root), same free list; --method icmp exits 4 naming the three ways,
#    prints nothing and sends nothing.
#  - --method exec as root: the same free list as the ICMP path.
#  - a setuid-root or setgid-root copy, run by the user: refused at the
#    start (exit 4, the message naming setcap), before it reads the
#    environment or any file: it neither opens $IPSWEEP_CONFIG nor creates
#    the --lock file, and sends nothing.
# setpriv keeps no-new-privs off and the bounding set whole, so that file
# capabilities (ours, and Debian ping's cap_net_raw) take effect.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }
command -v setcap >/dev/null || { echo "setcap (libcap2-bin) is missing"; exit 1; }
LAB_SWEEP_CAP=30
U=65534

P=10.77.52.0/24
lab_pick 52 80 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
echo "lab: $P, $(wc -l <"$LAB_TMP/live") live"

# Copies the unprivileged user can run: the lab's directories are ours.
BIN=$LAB_TMP/bin
mkdir -p "$BIN"
chmod 755 "$LAB_DIR" "$LAB_TMP" "$BIN"
cp "$IPSWEEP" "$BIN/ipsweep-cap"
cp "$IPSWEEP" "$BIN/ipsweep-plain"
chmod 755 "$BIN/ipsweep-cap" "$BIN/ipsweep-plain"
setcap cap_net_raw+ep "$BIN/ipsweep-cap" || { echo "setcap failed on $BIN/ipsweep-cap"; exit 1; }
AS_USER=(--reuid="$U" --regid="$U" --clear-groups)
if ! setpriv "${AS_USER[@]}" test -x "$BIN/ipsweep-plain"; then
	echo "user $U cannot run $BIN/ipsweep-plain (a directory above it is closed)"
	exit 1
fi
pgr=$(lab_run sysctl -n net.ipv4.ping_group_range | tr -s '\t ' ' ')
if [[ $pgr == "1 0" ]]; then
	lab_ok "scanner ns: ping_group_range is '1 0' (no group may use datagram sockets)"
else
	lab_bad "scanner ns: ping_group_range is '$pgr', expected '1 0'"
fi
REAL=$IPSWEEP
SETPRIV=$(command -v setpriv)

# check_caps TAG PID UID: parent PID and its worker children hold no
# capability and run as UID.  Called while the sweep runs.  Each process's
# status is read once, into a variable: a worker ending between two reads
# of /proc would show empty fields.  A process that is gone (or no longer
# ipsweep) when it is read is not counted; the parent and at least one
# worker must be, so when none could be read, look again (a short while).
check_caps() {
	local tag=$1 pid=$2 uid=$3 p bad st eff prm u workers parent try
	for ((try = 0; try < 40; try++)); do
		bad="" workers=0 parent=0
		for p in $pid $(pgrep -P "$pid"); do
			[[ $(readlink "/proc/$p/exe" 2>/dev/null) == */ipsweep* ]] || continue
			st=$(cat "/proc/$p/status" 2>/dev/null) || continue
			eff=$(awk '/^CapEff:/ { print $2 }' <<<"$st")
			prm=$(awk '/^CapPrm:/ { print $2 }' <<<"$st")
			u=$(awk '/^Uid:/ { print $2 "/" $3 "/" $4 }' <<<"$st")
			[[ -n $eff && -n $prm && -n $u ]] || continue
			if [[ $p == "$pid" ]]; then parent=1; else workers=$((workers + 1)); fi
			[[ $eff == 0000000000000000 ]] || bad+=" pid $p CapEff $eff;"
			[[ $prm == 0000000000000000 ]] || bad+=" pid $p CapPrm $prm;"
			[[ $u == "$uid/$uid/$uid" ]] || bad+=" pid $p uids $u;"
		done
		((parent == 1 && workers > 0)) && break
		sleep 0.05
	done
	if ((parent == 0 || workers == 0)); then
		lab_bad "$tag: could not read ipsweep (pid $pid, read: $parent) and a worker (read: $workers)"
	elif [[ -n $bad ]]; then
		lab_bad "$tag: privileges still held:$bad"
	else
		lab_ok "$tag: parent and $workers workers: CapEff 0, CapPrm 0, uid $uid"
	fi
}

# bg_caps TAG UID ARGS...: lab_sweep_bg, then check_caps once the workers
# run (the drop happens before the first fork)
bg_caps() {
	local tag=$1 uid=$2 i
	shift 2
	lab_sweep_bg "$tag" "$@"
	for ((i = 0; i < 100; i++)); do
		[[ -n $(pgrep -P "$LAB_BG_PID") ]] &&
			[[ $(readlink "/proc/$LAB_BG_PID/exe" 2>/dev/null) == */ipsweep* ]] && break
		sleep 0.02
	done
	sleep 0.3
	check_caps "$tag" "$LAB_BG_PID" "$uid"
	lab_sweep_wait "$tag"
}

# --- root, ICMP (raw sockets)
bg_caps root 0 -v -n 2 -W 2000 "$P"
lab_check_rc "root" 0 "$LAB_RC"
lab_check_list "root: the complement" "$LAB_TMP/free" "$LAB_TMP/root.out"
if grep -q 'raw sockets' "$LAB_TMP/root.err"; then
	lab_ok "root: -v says raw sockets"
else
	lab_bad "root: -v does not say 'raw sockets'"
fi

# --- unprivileged user, the cap_net_raw+ep copy
IPSWEEP=$SETPRIV
bg_caps cap "$U" "${AS_USER[@]}" "$BIN/ipsweep-cap" -v -n 2 -W 2000 "$P"
IPSWEEP=$REAL
lab_check_rc "user $U, setcap copy" 0 "$LAB_RC"
lab_check_list "user $U, setcap copy: same list as root" "$LAB_TMP/root.out" "$LAB_TMP/cap.out"
if grep -q 'raw sockets' "$LAB_TMP/cap.err"; then
	lab_ok "setcap copy: -v says raw sockets"
else
	lab_bad "setcap copy: -v does not say 'raw sockets'"
fi

# --- unprivileged user, no capability: auto falls back to ping(8)
IPSWEEP=$SETPRIV
lab_sweep auto "${AS_USER[@]}" "$BIN/ipsweep-plain" -j 64 -n 1 "$P"
IPSWEEP=$REAL
lab_check_rc "user $U, no capability, --method auto" 0 "$LAB_RC"
lab_check_list "fallback to ping(8): same list as root" "$LAB_TMP/root.out" "$LAB_TMP/auto.out"
n=$(grep -ci 'falling back\|fall back\|fell back' "$LAB_TMP/auto.err")
if ((n == 1)); then
	lab_ok "fallback: said once on stderr"
else
	lab_bad "fallback: said $n times on stderr, expected once"
fi
line=$(grep -i 'falling back\|fall back\|fell back' "$LAB_TMP/auto.err" | head -n 1)
miss=""
for w in 'ping(8)' 'setcap cap_net_raw+ep' 'ping_group_range' 'root'; do
	grep -qiF -- "$w" <<<"$line" || miss+=" '$w'"
done
if [[ -z $miss ]]; then
	lab_ok "fallback message names ping(8), setcap cap_net_raw+ep, ping_group_range and root"
else
	lab_bad "fallback message lacks$miss: $line"
fi

# --- unprivileged user, no capability, --method icmp: exit 4, nothing sent
lab_icmp_counter_start
IPSWEEP=$SETPRIV
lab_sweep icmp "${AS_USER[@]}" "$BIN/ipsweep-plain" --method icmp -n 1 "$P"
IPSWEEP=$REAL
lab_check_rc "user $U, no capability, --method icmp" 4 "$LAB_RC"
lab_check_empty "--method icmp without permission: stdout" "$LAB_TMP/icmp.out"
miss=""
for w in 'root' 'setcap cap_net_raw+ep' 'ping_group_range'; do
	grep -qiF -- "$w" "$LAB_TMP/icmp.err" || miss+=" '$w'"
done
if [[ -z $miss ]]; then
	lab_ok "--method icmp without permission: stderr names root, setcap cap_net_raw+ep and ping_group_range"
else
	lab_bad "--method icmp without permission: stderr lacks$miss"
fi
sent=$(lab_icmp_counter)
if [[ $sent == 0 ]]; then
	lab_ok "--method icmp without permission: no ICMP packet left the scanner"
else
	lab_bad "--method icmp without permission: $sent ICMP packets left the scanner"
fi

# --- root, --method exec: the same list as ICMP; ipsweep itself holds
# nothing (ping gets its own capability from its file)
bg_caps exec 0 --method exec -j 64 -n 1 "$P"
lab_check_rc "root, --method exec" 0 "$LAB_RC"
lab_check_list "--method exec: same list as ICMP" "$LAB_TMP/root.out" "$LAB_TMP/exec.out"

# --- setuid-root and setgid-root copies, run by the user: refused at once,
# before the environment or any file is looked at.  Each copy runs twice:
# with $IPSWEEP_CONFIG naming a FIFO (reading it is an error, or a hang
# until the time cap), and with a good configuration and --lock FILE, which
# a copy that went on would create as the effective root and then sweep.
# The copy lives on a tmpfs of its own, mounted in a mount namespace that
# ends with the run: the lab's directory may be on a nosuid mount (/run
# usually is), where a setuid bit does nothing.
command -v unshare >/dev/null || { echo "unshare (util-linux) is missing"; exit 1; }
SUID_DIR=$LAB_TMP/suid
mkdir -p "$SUID_DIR"
mkfifo -m 666 "$LAB_TMP/config.fifo"
printf '[lab]\nrange = %s\n' "$P" >"$LAB_TMP/good.conf"
chmod 644 "$LAB_TMP/good.conf"
# suid-run.sh DIR SRC MODE CMD...: a suid tmpfs on DIR, SRC copied there
# as DIR/ipsweep with MODE, then CMD (run under unshare -m)
cat >"$LAB_TMP/suid-run.sh" <<'EOF'
d=$1 src=$2 mode=$3
shift 3
mount -t tmpfs -o suid,mode=0755 ipsweep-suid "$d" || exit 98
cp "$src" "$d/ipsweep" && chown root:root "$d/ipsweep" &&
	chmod "$mode" "$d/ipsweep" || exit 98
exec "$@"
EOF
lab_icmp_counter_start
for kind in suid sgid; do
	if [[ $kind == suid ]]; then mode=4755 ids="uid $U, euid 0"; else mode=2755 ids="gid $U, egid 0"; fi
	want="ipsweep: refusing to run setuid or setgid ($ids): install with 'setcap cap_net_raw+ep' instead"
	lock=$LAB_TMP/$kind.lock
	for run in env lock; do
		if [[ $run == env ]]; then
			args=(env IPSWEEP_CONFIG="$LAB_TMP/config.fifo" "$SUID_DIR/ipsweep" -n 1 "$P")
		else
			args=("$SUID_DIR/ipsweep" -c "$LAB_TMP/good.conf" --lock "$lock" -n 1 lab)
		fi
		IPSWEEP=$(command -v unshare)
		lab_sweep "$kind-$run" -m --propagation private sh "$LAB_TMP/suid-run.sh" \
			"$SUID_DIR" "$REAL" "$mode" "$SETPRIV" "${AS_USER[@]}" "${args[@]}"
		IPSWEEP=$REAL
		lab_check_rc "user $U, $kind-root copy (mode $mode), $run" 4 "$LAB_RC"
		lab_check_empty "$kind-root copy, $run: stdout" "$LAB_TMP/$kind-$run.out"
		got=$(cat "$LAB_TMP/$kind-$run.err")
		if [[ $got == "$want" ]]; then
			lab_ok "$kind-root copy, $run: refused, naming setcap"
		else
			lab_bad "$kind-root copy, $run: stderr '$got', expected '$want'"
		fi
	done
	if [[ -e $lock ]]; then
		lab_bad "$kind-root copy: created the --lock file"
	else
		lab_ok "$kind-root copy: no --lock file created"
	fi
done
sent=$(lab_icmp_counter)
if [[ $sent == 0 ]]; then
	lab_ok "setuid and setgid copies: no ICMP packet left the scanner"
else
	lab_bad "setuid and setgid copies: $sent ICMP packets left the scanner"
fi
lab_finish
