#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The history (SQLite): a host live in run 1 and down in run 2 is free in
# run 2 without --free-for and not free with --free-for 1h (history-seen);
# --diff between two runs shows exactly the host that went down (-) and the
# one that came up (+); a fresh database with --free-for prints nothing free
# and says why (history-too-short); --last-seen shows what was seen; a file
# that is no database, or a full disk (a 64 KiB tmpfs in a mount namespace
# of the run's own), is an error naming the database, the result is still
# printed and the exit status is 5.  On a segment, the MAC that answered
# ARP is recorded, and a new device on an old address is pointed out.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T=$LAB_TMP
DB=$IPSWEEP_DB

P=10.77.111.0/28
X=10.77.111.5      # live in run 1, down in run 2
Y=10.77.111.7      # down in run 1, live in run 2
printf '%s\n' 10.77.111.1 10.77.111.2 "$X" 10.77.111.9 >"$T/live1"
lab_routed "$P" @"$T/live1"
F=10.77.116.0/22   # every address silent: 1022 rows for the full disk
lab_routed "$F"
lab_expand "$P" >"$T/all"
echo "lab: $P, live $(tr '\n' ' ' <"$T/live1")"

# pings ADDR: 0 when ADDR answers one echo request from the scanner
pings() { lab_run ping -n -q -c 1 -W 1 "$1" >/dev/null 2>&1; }

# the lab really has X up and Y down
pings "$X" && lab_ok "lab: $X answers before run 1" || lab_bad "lab: $X does not answer"
pings "$Y" && lab_bad "lab: $Y answers before run 1" || lab_ok "lab: $Y is silent before run 1"

lab_sweep r1 -W 300 "$P"
lab_check_rc "run 1" 0 "$LAB_RC"
lab_check_list "run 1: free = all less live" <(lab_minus "$T/all" "$T/live1") "$T/r1.out"
n=$(sqlite3 "$DB" "SELECT count(*) FROM addresses WHERE state = 'used'")
[[ $n == 4 ]] && lab_ok "run 1 recorded 4 used rows" || lab_bad "run 1 recorded $n used rows, expected 4"
cp "$DB" "$T/after-run1.db"

# X goes down (its host drops echo requests), Y comes up (on the hosts'
# loopback, as every live routed address of the lab)
lab_drop_echo "$X"
lab_exec "${LAB}h" ip addr add "$Y/32" dev lo
pings "$X" && lab_bad "lab: $X still answers" || lab_ok "lab: $X is silent now"
pings "$Y" && lab_ok "lab: $Y answers now" || lab_bad "lab: $Y does not answer"
{ grep -vx "$X" "$T/live1"; echo "$Y"; } | lab_sort_ip >"$T/live2"

lab_sweep r2 -W 300 "$P"
lab_check_rc "run 2" 0 "$LAB_RC"
lab_check_list "run 2 without --free-for: free = all less the live of now ($X among them)" \
	<(lab_minus "$T/all" "$T/live2") "$T/r2.out"

# --diff against the database as run 1 left it: exactly -X and +Y
IPSWEEP_DB=$T/after-run1.db lab_sweep diff --diff -W 300 "$P"
lab_check_rc "--diff" 0 "$LAB_RC"
printf '%s\n' "-$X" "+$Y" >"$T/diff.exp"
if cmp -s "$T/diff.exp" "$T/diff.out"; then
	lab_ok "--diff: exactly -$X and +$Y"
else
	lab_bad "--diff: got '$(tr '\n' ' ' <"$T/diff.out")', expected '-$X +$Y'"
fi
IPSWEEP_DB=$T/after-run1.db lab_sweep diff2 --diff -W 300 "$P"
lab_check_empty "--diff right after: no change, stdout" "$T/diff2.out"

# --free-for 1h: X was seen used in run 1, minutes ago: not free
lab_sweep ff --all --free-for 1h -W 300 "$P"
lab_check_rc "--free-for 1h (histories too short: unknown)" 3 "$LAB_RC"
if grep -qx "$X	used	history-seen" "$T/ff.out"; then
	lab_ok "--free-for 1h: $X is used (history-seen)"
else
	lab_bad "--free-for 1h: $X is '$(grep "^$X	" "$T/ff.out")', expected used history-seen"
fi
if grep -q "	free	" "$T/ff.out"; then
	lab_bad "--free-for 1h: something is free: $(grep "	free	" "$T/ff.out" | head -3)"
else
	lab_ok "--free-for 1h: nothing free"
fi

# a fresh database: nothing free, and stderr says why
IPSWEEP_DB=$T/fresh.db lab_sweep fresh --free-for 1h -W 300 "$P"
lab_check_rc "fresh database, --free-for 1h" 3 "$LAB_RC"
lab_check_empty "fresh database, --free-for 1h: stdout" "$T/fresh.out"
if grep -q "history does not cover --free-for yet (history-too-short)" "$T/fresh.err"; then
	lab_ok "fresh database: stderr says the history is too short"
else
	lab_bad "fresh database: stderr does not say why"
fi

# --last-seen sends nothing and shows the sightings
lab_sweep ls --last-seen "$P"
lab_check_rc "--last-seen" 0 "$LAB_RC"
ls_x=$(awk -F'\t' -v a="$X" '$1 == a { print $3 }' "$T/ls.out")
ls_free=$(awk -F'\t' '$1 == "10.77.111.3" { print $2 $3 }' "$T/ls.out")
[[ $ls_x == echo-reply ]] && lab_ok "--last-seen: $X last seen by echo-reply" ||
	lab_bad "--last-seen: $X evidence '$ls_x'"
[[ $ls_free == -- ]] && lab_ok "--last-seen: 10.77.111.3 never seen" ||
	lab_bad "--last-seen: 10.77.111.3 shows '$ls_free'"
[[ $(wc -l <"$T/ls.out") == "$(wc -l <"$T/all")" ]] &&
	lab_ok "--last-seen: one line per address" || lab_bad "--last-seen: $(wc -l <"$T/ls.out") lines"

# not a database: error naming it, result printed, exit 5
head -c 4096 /dev/urandom >"$T/garbage.db"
IPSWEEP_DB=$T/garbage.db lab_sweep bad -W 300 "$P"
lab_check_rc "a file that is no database" 5 "$LAB_RC"
lab_check_list "no database: the free list is still printed" <(lab_minus "$T/all" "$T/live2") "$T/bad.out"
grep -qF "history database '$T/garbage.db'" "$T/bad.err" &&
	lab_ok "no database: stderr names it" || lab_bad "no database: stderr does not name it"
IPSWEEP_DB=$T/garbage.db lab_sweep bad2 --free-for 1h -W 300 "$P"
lab_check_empty "no database with --free-for: stdout" "$T/bad2.out"
lab_check_rc "no database with --free-for" 5 "$LAB_RC"

# on a segment: the MAC that answered ARP, and a new one on the same address
S=10.77.120.0/28
M=10.77.120.5
lab_onlink "$S" 10.77.120.1 "$M"
mac1=$(ip -n "${LAB}l0" -br link show b0 | awk '{ print $3 }')
lab_sweep m1 -W 300 "$S"
lab_check_rc "segment, run 1" 0 "$LAB_RC"
lab_sweep m1ls --last-seen "$M"
got=$(cut -f 6 "$T/m1ls.out")
[[ -n $mac1 && $got == "$mac1" ]] && lab_ok "--last-seen: $M answered ARP from $mac1" ||
	lab_bad "--last-seen: $M shows MAC '$got', the lan host has '$mac1'"
# the address moves to another host (another MAC) of the segment
lab_exec "${LAB}l0" ip addr del "$M/32" dev b0
lab_onlink_host2 "$M"
mac2=$(ip -n "${LAB}m0" -br link show b0 | awk '{ print $3 }')
[[ $mac2 != "$mac1" ]] && lab_ok "lab: $M moved from $mac1 to $mac2" || lab_bad "lab: the same MAC"
lab_run ip neigh flush all
lab_sweep m2 -W 300 "$S"
lab_check_rc "segment, run 2" 0 "$LAB_RC"
grep -qF "$M: a new link-layer address $mac2 answered ARP ($mac1 was seen there at" "$T/m2.err" &&
	lab_ok "run 2 says a new device answers for $M" || lab_bad "run 2 does not point out the new MAC"

# a full disk: the schema fits in 64 KiB, a /22's rows do not
mkdir "$T/full"
unshare -m --propagation private bash -c 'mount -t tmpfs -o size=64k ipsweep-full "$1" &&
	df -k "$1" | tail -n 1 >&2 && IPSWEEP_DB=$1/h.db exec ip netns exec "$2" "$3" -W 300 "$4"' \
	_ "$T/full" "$LAB_SCAN" "$IPSWEEP" "$F" >"$T/full.out" 2>"$T/full.err"
rc=$?
sed 's/^/    | /' "$T/full.err"
lab_check_rc "a full disk" 5 "$rc"
lab_check_list "a full disk: the free list is still printed" <(lab_expand "$F") "$T/full.out"
grep -qE "history database '$T/full/h.db': .*(database or disk is full)" "$T/full.err" &&
	lab_ok "a full disk: stderr says so, naming the database" ||
	lab_bad "a full disk: stderr does not say the disk is full"
lab_finish
