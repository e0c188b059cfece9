#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Two subnets on one interface: the scanner has 10.77.50.1/24 and
# 10.77.51.1/24 on the same segment, with live hosts in both.  The lan
# host ignores ARP requests whose sender address is not in the subnet of
# the address asked for (as arp_ignore=2 hosts and some filters do).  An
# ARP request must carry the scanner's address of its target's subnet:
# when the first target decided the sender address for the interface,
# every request for 10.77.51.x said "tell 10.77.50.1", went unanswered,
# and the live hosts there were printed free.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_onlink 10.77.50.0/24 10.77.50.1 10.77.50.5 10.77.50.9
lab_run ip address add 10.77.51.1/24 dev o0
lab__batch "${LAB}l0" <<-EOF2
	address add 10.77.51.6/32 dev b0
	address add 10.77.51.10/32 dev b0
	route add 10.77.51.0/24 dev b0
EOF2
lab_exec "${LAB}l0" nft -f - <<-EOF2
	add table arp lab
	add chain arp lab in { type filter hook input priority 0; policy accept; }
	add rule arp lab in arp operation request arp daddr ip 10.77.50.0/24 arp saddr ip != 10.77.50.0/24 counter drop
	add rule arp lab in arp operation request arp daddr ip 10.77.51.0/24 arp saddr ip != 10.77.51.0/24 counter drop
EOF2
{
	lab_expand 10.77.50.0/28 10.77.51.0/28
} | grep -vxE '10\.77\.50\.(1|5|9)|10\.77\.51\.(1|6|10)' >"$LAB_TMP/free"

lab_sweep two --all 10.77.50.0/28 10.77.51.0/28
lab_check_rc "two subnets" 0 "$LAB_RC"
awk -F'\t' '$2 == "free" { print $1 }' "$LAB_TMP/two.out" >"$LAB_TMP/two.free"
lab_check_list "free: all but the scanner's and the live addresses" "$LAB_TMP/free" "$LAB_TMP/two.free"
for a in 10.77.50.5 10.77.50.9 10.77.51.6 10.77.51.10; do
	v=$(awk -F'\t' -v a="$a" '$1 == a { print $2, $3 }' "$LAB_TMP/two.out")
	if [[ $v == "used arp-reply" ]]; then
		lab_ok "$a: $v"
	else
		lab_bad "$a: '$v'"
	fi
done
n=$(lab_exec "${LAB}l0" nft list chain arp lab in |
	awk '/counter/ { for (i = 1; i < NF; i++) if ($i == "packets") s += $(i + 1) } END { print s + 0 }')
if [[ $n == 0 ]]; then
	lab_ok "no ARP request carried the other subnet's sender address"
else
	lab_bad "$n ARP requests carried the other subnet's sender address"
fi
lab_finish
