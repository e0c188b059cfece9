#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The ping(8) engine (--method exec) reads what ping says, not only its
# exit status: ping exits 1 both for "no reply" and for "every reply was an
# ICMP error".  One sweep, every range behind the same router:
#  - P: a filter answers every echo request with admin-prohibited (3/13),
#    twelve hosts live behind it: all unknown, admin-prohibited, 3/13;
#  - U: the router has no route on (net unreachable, 3/0), twelve live
#    behind it: all unknown, icmp-error, 3/0;
#  - T: echo requests reach the router with TTL 1: unknown, icmp-error,
#    11/0;
#  - 198.51.100.7: no route in the scanner (ping: "connect: Network is
#    unreachable", exit 2): unknown, send-error;
#  - C, the control: plain silence (a blackhole route) is still free, and
#    its live hosts used.
# Exit 3, no live host free.  Then C alone exits 0 with the same free set,
# and on an on-link segment with -W 5000 an address whose ARP fails for
# every probe ("Destination Host Unreachable" from our own kernel) is free
# (host-unreachable, the weak silence).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T_=$LAB_TMP

if ! lab_run sh -c 'command -v ping' >/dev/null 2>&1; then
	lab_bad "ping(8) is not installed: --method exec cannot run"
	lab_finish
fi

P=10.81.1.0/24 U=10.81.2.0/24 C=10.81.3.0/24 T=10.81.4.0/28
NOROUTE=198.51.100.7
for r in P U C; do
	lab_expand "${!r}" | awk 'NR % 21 == 4' >"$T_/live$r"
	lab_routed "${!r}" @"$T_/live$r"
done
lab_routed "$T" 10.81.4.3
echo 10.81.4.3 >"$T_/liveT"
lab_reject "$P" admin-prohibited
lab_net_unreach "$U"
lab_ttl_expire "$T"
cat "$T_"/live[PUCT] >"$T_/live"
lab_minus <(lab_expand "$C") "$T_/liveC" >"$T_/freeC"

# x_rows TAG PREFIX VERDICT REASON [LOST]: every address of PREFIX in TAG's
# --all output has that verdict and reason.  With LOST, an unknown one may
# have range-icmp-errors instead: each ping(8) has a raw socket that gets
# every ICMP error of the sweep, and one that falls behind loses its own
# without a word; the range rule holds such an address back (never free).
# At least half must carry the reason itself (ping's words were read).
x_rows() {
	local tag=$1 prefix=$2 want="$3	$4" lost=${5:-} n got alt
	n=$(lab_expand "$prefix" | wc -l)
	got=$(lab_expand "$prefix" | awk -F '\t' -v w="$want" '
		FILENAME != "-" { row[$1] = $2 "\t" $3; next }
		row[$1] == w { ok++ } END { print ok + 0 }' "$LAB_TMP/$tag.out" -)
	alt=0
	[[ -n $lost ]] && alt=$(lab_expand "$prefix" | awk -F '\t' '
		FILENAME != "-" { row[$1] = $2 "\t" $3; next }
		row[$1] == "unknown\trange-icmp-errors" { ok++ } END { print ok + 0 }' "$LAB_TMP/$tag.out" -)
	if ((got == n)); then
		lab_ok "$tag: all $n of $prefix: $3 $4"
	elif ((got + alt == n && 2 * got >= n)); then
		lab_ok "$tag: $got of $n of $prefix: $3 $4, $alt unknown range-icmp-errors (ping(8) lost their errors)"
	else
		lab_bad "$tag: $got of $n of $prefix are '$3 $4'; rows: $(lab_expand "$prefix" |
			awk -F '\t' 'FILENAME != "-" { row[$1] = $2 " " $3; next } { print row[$1] }' \
				"$LAB_TMP/$tag.out" - | sort | uniq -c | tr -s ' \n' ' ')"
	fi
}

# x_first TAG PREFIX REASON: the first address of PREFIX that TAG found
# unknown for REASON (one whose error ping(8) did not lose)
x_first() {
	lab_expand "$2" | awk -F '\t' -v r="$3" '
		FILENAME != "-" { row[$1] = $2 "\t" $3; next }
		row[$1] == "unknown\t" r { print $1; exit }' "$LAB_TMP/$1.out" -
}

# x_said TAG ADDR TEXT: the stderr line about ADDR (-v: every unknown is
# listed) says TEXT: the ICMP type and code ping reported.
x_said() {
	if grep -qF "ipsweep: $2: unknown ($3" "$LAB_TMP/$1.err"; then
		lab_ok "$1: stderr: $2: unknown ($3...)"
	else
		lab_bad "$1: no 'unknown ($3' for $2 on stderr: $(grep -F "$2:" "$LAB_TMP/$1.err")"
	fi
}

# -j 64: two ping(8)s per worker at a time (128 for all), 543 addresses.
lab_sweep all --method exec --all -v -j 64 -n 2 -W 1000 "$P" "$U" "$C" "$T" "$NOROUTE"
lab_check_rc "exec: prohibited, unreachable, expired, unroutable, silent" 3 "$LAB_RC"
awk -F '\t' '$2 == "free" { print $1 }' "$T_/all.out" >"$T_/all.free"
bad=$(lab_common "$T_/all.free" "$T_/live" | tr '\n' ' ')
if [[ -z $bad ]]; then
	lab_ok "all: no live host free"
else
	lab_bad "all: LIVE hosts printed FREE: $bad"
fi
x_rows all "$P" unknown admin-prohibited lost
x_said all "$(x_first all "$P" admin-prohibited)" "admin-prohibited; icmp type 3 code 13"
x_rows all "$U" unknown icmp-error lost
x_said all "$(x_first all "$U" icmp-error)" "icmp-error; icmp type 3 code 0"
x_rows all "$T" unknown icmp-error lost
x_said all "$(x_first all "$T" icmp-error)" "icmp-error; icmp type 11 code 0"
if grep -q $'^198\\.51\\.100\\.7\tunknown\tsend-error: Network is unreachable$' "$T_/all.out"; then
	lab_ok "all: $NOROUTE unknown, send-error: Network is unreachable"
else
	lab_bad "all: $NOROUTE: $(grep -F "$NOROUTE" "$T_/all.out")"
fi
lab_check_list "all: free = the silent addresses of the control" "$T_/freeC" "$T_/all.free"
if awk -F '\t' 'NR == FNR { live[$1]; next } ($1 in live) && !($2 == "used" && $3 == "echo-reply") { bad = 1 }
	END { exit bad }' "$T_/liveC" "$T_/all.out"; then
	lab_ok "all: the control's live hosts are used, echo-reply"
else
	lab_bad "all: the control's live hosts: $(grep -F -f "$T_/liveC" "$T_/all.out" | cut -f2,3 | sort | uniq -c | tr -s ' \n\t' ' ')"
fi
if awk -F '\t' '$2 == "free" && $3 != "no-reply" { bad = 1 } END { exit bad }' "$T_/all.out"; then
	lab_ok "all: every free address is no-reply"
else
	lab_bad "all: free for another reason: $(awk -F '\t' '$2 == "free" && $3 != "no-reply"' "$T_/all.out" | head -n 3 | tr '\n\t' '; ')"
fi

# The control alone: silence is free, exit 0.
lab_sweep control --method exec -j 64 -n 2 -W 1000 "$C"
lab_check_rc "exec: control alone" 0 "$LAB_RC"
lab_check_list "control: free = all but the live" "$T_/freeC" "$T_/control.out"

# On-link: ping -c 2 -W 5 outlasts ARP's three tries (about 3 s), so both
# probes come back "Destination Host Unreachable" from our own kernel.
lab_onlink 10.81.9.0/29 10.81.9.1 10.81.9.3
lab_sweep onlink --method exec --all -j 8 -n 2 -W 5000 10.81.9.0/29
lab_check_rc "exec: on-link" 0 "$LAB_RC"
want=$'10.81.9.1\tused\techo-reply\n10.81.9.2\tfree\thost-unreachable\n10.81.9.3\tused\techo-reply'
want+=$'\n10.81.9.4\tfree\thost-unreachable\n10.81.9.5\tfree\thost-unreachable\n10.81.9.6\tfree\thost-unreachable'
if [[ $(cat "$T_/onlink.out") == "$want" ]]; then
	lab_ok "on-link: live used; ARP failed for every probe: free, host-unreachable"
else
	lab_bad "on-link: rows: $(tr '\n\t' '; ' <"$T_/onlink.out")"
fi
lab_finish
