#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# "Administratively prohibited" (ICMP 3/13) means a filter is in the way:
# the address is unknown, never free, and the exit status is 3 (a router in
# front of a routed range).  An on-link host that rejects echo that way
# still answers ARP, which ipsweep asks directly when it may: it is used.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_routed 10.77.6.0/24 10.77.6.1 10.77.6.2
lab_prohibit 10.77.6.5
lab_expand 10.77.6.0/28 >"$LAB_TMP/all"
printf '%s\n' 10.77.6.1 10.77.6.2 10.77.6.5 >"$LAB_TMP/notfree"
lab_minus "$LAB_TMP/all" "$LAB_TMP/notfree" >"$LAB_TMP/free"

lab_sweep routed 10.77.6.0/28
lab_check_rc "routed, one prohibited" 3 "$LAB_RC"
lab_check_list "routed: free = all but live and prohibited" "$LAB_TMP/free" "$LAB_TMP/routed.out"
lab_check_summary routed 14 11 2 1
if grep -q '10\.77\.6\.5\b' "$LAB_TMP/routed.err"; then
	lab_ok "stderr names the unknown address 10.77.6.5"
else
	lab_bad "stderr does not name the unknown address 10.77.6.5"
fi

lab_onlink 10.77.7.0/24 10.77.7.1 10.77.7.2 10.77.7.3
lab_prohibit 10.77.7.3
lab_expand 10.77.7.0/28 >"$LAB_TMP/all7"
printf '%s\n' 10.77.7.1 10.77.7.2 10.77.7.3 >"$LAB_TMP/notfree7"
lab_minus "$LAB_TMP/all7" "$LAB_TMP/notfree7" >"$LAB_TMP/free7"

lab_sweep onlink --all 10.77.7.0/28
lab_check_rc "on-link, one prohibited" 0 "$LAB_RC"
grep $'\tfree\t' "$LAB_TMP/onlink.out" | cut -f1 >"$LAB_TMP/onlink.free"
lab_check_list "on-link: free = all but live, scanner and prohibited" "$LAB_TMP/free7" "$LAB_TMP/onlink.free"
lab_check_summary onlink 14 11 3 0
if grep -q $'^10\.77\.7\.3\tused\tarp-reply$' "$LAB_TMP/onlink.out"; then
	lab_ok "the prohibiting on-link host is used (arp-reply)"
else
	lab_bad "10.77.7.3: $(grep '^10\.77\.7\.3\b' "$LAB_TMP/onlink.out")"
fi
lab_finish
