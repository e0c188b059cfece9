#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Policy routing: the scanner is on 10.77.9.0/24 (main table: on-link), but
# a rule sends 10.77.9.128/25 to table 100, through the lab router.  The
# kernel then never asks ARP for the upper half; ipsweep must not either
# (the main table's longest-prefix match alone, as /proc/net/route shows
# it, says on-link: that had ipsweep ask ARP on the segment for all of it,
# and print the two hosts behind the router free, ARP silent).  The lower
# half stays on-link and is asked with ARP.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

LO=10.77.9.0/25
HI=10.77.9.128/25
lab_onlink 10.77.9.0/24 10.77.9.1 10.77.9.10 10.77.9.20 10.77.9.100
lab_routed "$HI" 10.77.9.150 10.77.9.200
# lab_routed gave the scanner a main-table route for HI: move it behind
# a rule instead.
lab_run ip route del "$HI" || lab_bad "cannot delete the main route"
lab_run ip route add default via 192.0.2.1 table 100 || lab_bad "table 100"
lab_run ip rule add to "$HI" lookup 100 pref 1000 || lab_bad "ip rule"
lab_arp_loss 0
echo "lab: 10.77.9.0/24 on-link on o0, rule to $HI lookup 100 (via 192.0.2.1)"

# The lab really routes by the rule: the kernel sends .200 via the router,
# .100 on the segment, while the main table alone matches .200 on-link.
hi=$(lab_run ip -4 route get 10.77.9.200)
lo=$(lab_run ip -4 route get 10.77.9.100)
main=$(lab_run ip -4 route show table main match 10.77.9.200 | grep -v '^default')
echo "  ip route get 10.77.9.200: $hi"
echo "  ip route get 10.77.9.100: $lo"
echo "  main table for 10.77.9.200: $main"
if [[ $hi == *"via 192.0.2.1 dev r0"* && $lo != *via* &&
	$main == "10.77.9.0/24 dev o0"* && $main != *via* ]]; then
	lab_ok "the rule takes effect (main alone says on-link)"
else
	lab_bad "the lab does not route $HI by the rule"
fi

# The upper half: no ARP request on the segment, the hosts behind the
# router found, the rest free (.255 is the broadcast address: unknown).
lab_expand "$HI" | grep -vxE '10\.77\.9\.(150|200|255)' >"$LAB_TMP/hi.free"
read -r before _ < <(lab_arp_counts)
lab_sweep hi -v -n 1 -W 300 "$HI"
read -r after _ < <(lab_arp_counts)
echo "  ARP requests on the segment during the sweep: $((after - before))"
if ((after == before)); then
	lab_ok "$HI: no ARP on the segment"
else
	lab_bad "$HI: $((after - before)) ARP requests on the segment"
fi
if grep -q 'on-link targets: none' "$LAB_TMP/hi.err"; then
	lab_ok "$HI: no on-link target"
else
	lab_bad "$HI: ipsweep took targets for on-link"
fi
lab_check_list "$HI: the free list" "$LAB_TMP/hi.free" "$LAB_TMP/hi.out"

# The lower half: on-link, asked by ARP (so the counter does count).
lab_expand "$LO" | grep -vxE '10\.77\.9\.(0|1|10|20|100)' >"$LAB_TMP/lo.free"
read -r before _ < <(lab_arp_counts)
lab_sweep lo -v -n 1 -W 300 "$LO"
read -r after _ < <(lab_arp_counts)
echo "  ARP requests on the segment during the sweep: $((after - before))"
if ((after - before >= 120)); then
	lab_ok "$LO: asked by ARP"
else
	lab_bad "$LO: only $((after - before)) ARP requests"
fi
grep -q 'on-link targets: ARP' "$LAB_TMP/lo.err" ||
	lab_bad "$LO: not on-link"
lab_check_list "$LO: the free list" "$LAB_TMP/lo.free" "$LAB_TMP/lo.out"
lab_finish
