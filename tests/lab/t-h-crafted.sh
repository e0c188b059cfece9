#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN "Network behaviour": duplicate replies; a reply from a different
# source; a reply with a bad checksum; truncated packets; an IP header with
# options; ICMP errors quoting short or odd headers; our id with a wrong
# cookie: no crash, no misclassification.
#
# h-crafted.py answers echo requests to the addresses of a bare lab host
# (kernel echo off) with crafted packets, one behaviour per address (see
# its header).  Policy (ipsweep(1), Evidence): a reply counts only when its
# checksum and cookie check out; a reply with our cookie from another
# address makes the probed address unknown (other-source, "answered by")
# and the answering address, if swept, used; time exceeded, net
# unreachable or unknown quoting our probe make it unknown (icmp-error);
# host unreachable supports free only when it took the time of a failed
# ARP (half a second or more), else it is unknown too; port unreachable
# from the target itself makes it used (icmp-from-target), from anyone
# else unknown; anything that cannot be ours is ignored (the address stays
# free).
# Checked with --all (ADDRESS<TAB>VERDICT<TAB>REASON) on the raw path
# (root) and the datagram path (an unprivileged user; the kernel itself
# drops some of these packets there, with the same outcome).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }
LAB_SWEEP_CAP=30

N=10.77.80
lab_routed $N.0/24 $N.30
# address  mode            expected verdict and reason
SPEC="
10 ok          used    echo-reply
11 dup         used    echo-reply
12 other:$N.13 unknown other-source
13 -           used    echo-reply
14 other:10.77.99.99 unknown other-source
15 badsum      free    no-reply
16 trunc       free    no-reply
17 opts        used    echo-reply
18 cookie      free    no-reply
19 junkok      used    echo-reply
20 te-ip12     free    no-reply
21 un-ihl      free    no-reply
22 pp-icmp4    free    no-reply
23 te-8        unknown icmp-error
24 un-8        unknown icmp-error
25 te-none     free    no-reply
26 silent      free    no-reply
27 un-8@550    free    host-unreachable
28 err:3.0     unknown icmp-error
29 err:3.3     used    icmp-from-target
32 err:3.3,10.77.99.98 unknown icmp-error
33 err:3.6     unknown icmp-error
30 -           used    echo-reply
31 -           free    no-reply
"
specs=() bare=()
: >"$LAB_TMP/expect"
while read -r host mode verdict reason; do
	[[ -n $host ]] || continue
	printf '%s\t%s\t%s\n' "$N.$host" "$verdict" "$reason" >>"$LAB_TMP/expect"
	[[ $mode == - ]] && continue
	bare+=("$N.$host")
	specs+=("$N.$host=$mode")
done <<<"$SPEC"
lab_bare "${bare[@]}"
lab_spawn "${LAB}t" "$(lab__python)" "$LAB_HERE/h-crafted.py" --owner "$$" \
	--ready "$LAB_TMP/crafted.ready" --log "$LAB_TMP/crafted.log" "${specs[@]}"
for ((i = 0; i < 100; i++)); do
	[[ -s $LAB_TMP/crafted.ready ]] && break
	kill -0 "$LAB_SPAWN_PID" 2>/dev/null || break
	sleep 0.05
done
[[ -s $LAB_TMP/crafted.ready ]] || { echo "h-crafted.py did not start"; exit 1; }
cut -f1 "$LAB_TMP/expect" >"$LAB_TMP/targets"
TARGETS=$(tr '\n' ' ' <"$LAB_TMP/targets")
nt=$(wc -l <"$LAB_TMP/targets")
REAL=$IPSWEEP

# check_all TAG WHAT: every line of --all against the table
check_all() {
	local tag=$1 what=$2 addr verdict reason got gv gr n
	if [[ $LAB_RC == 3 ]]; then
		lab_ok "$what: exit 3 (some addresses unknown), no crash"
	else
		lab_bad "$what: exit $LAB_RC, expected 3 (unknown addresses, no crash)"
	fi
	n=$(wc -l <"$LAB_TMP/$tag.out")
	if [[ $n == "$nt" && $(cut -f1 "$LAB_TMP/$tag.out" | lab_sort_ip | wc -l) == "$nt" ]]; then
		lab_ok "$what: $nt lines, each address once"
	else
		lab_bad "$what: $n lines for $nt addresses"
	fi
	while IFS=$'\t' read -r addr verdict reason; do
		got=$(awk -F'\t' -v a="$addr" '$1 == a' "$LAB_TMP/$tag.out")
		gv=$(cut -f2 <<<"$got")
		gr=$(cut -f3 <<<"$got")
		if [[ $gv == "$verdict" && ($reason == '*' || $gr == "$reason") ]]; then
			lab_ok "$what: $addr ($(awk -v a="${addr##*.}" '$1 == a { print $2 }' <<<"$SPEC")) $gv $gr"
		else
			lab_bad "$what: $addr ($(awk -v a="${addr##*.}" '$1 == a { print $2 }' <<<"$SPEC")): got '$gv $gr', expected '$verdict $reason'"
		fi
	done <"$LAB_TMP/expect"
	if grep -q "$N.12.*$N.13" "$LAB_TMP/$tag.err"; then
		lab_ok "$what: stderr says $N.12 was answered by $N.13"
	else
		lab_bad "$what: stderr does not name $N.13 as the answerer of $N.12"
	fi
	lab_check_summary "$tag" "$nt" "$(grep -c $'\tfree\t' "$LAB_TMP/expect")" \
		"$(grep -c $'\tused\t' "$LAB_TMP/expect")" "$(grep -c $'\tunknown\t' "$LAB_TMP/expect")"
}

# shellcheck disable=SC2086
lab_sweep raw -v --all -n 2 -W 700 $TARGETS
check_all raw "raw"
if grep -q 'raw sockets' "$LAB_TMP/raw.err"; then lab_ok "raw: -v says raw sockets"; else lab_bad "raw: -v does not say raw sockets"; fi

lab_ping_group_range 0 2147483647
IPSWEEP=$(command -v setpriv)
# shellcheck disable=SC2086
lab_sweep dgram --reuid=47306 --regid=47306 --clear-groups --bounding-set=-all \
	--inh-caps=-all --no-new-privs "$REAL" -v --all -n 2 -W 700 $TARGETS
IPSWEEP=$REAL
check_all dgram "datagram"
if grep -q 'datagram sockets' "$LAB_TMP/dgram.err"; then lab_ok "datagram: -v says datagram sockets"; else lab_bad "datagram: -v does not say datagram sockets"; fi

# The responder really was asked (else the free verdicts prove nothing).
for a in "${bare[@]}"; do
	grep -q "^$a " "$LAB_TMP/crafted.log" || lab_bad "h-crafted.py never saw a probe to $a"
done
if kill -0 "$LAB_SPAWN_PID" 2>/dev/null; then
	lab_ok "h-crafted.py ran throughout ($(wc -l <"$LAB_TMP/crafted.log") probes answered)"
else
	lab_bad "h-crafted.py died: $(cat "$LAB_DIR/late.log" 2>/dev/null)"
fi
lab_finish
