#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# ICMP errors that say the probe never reached the target's network make
# an address unknown, never free.  Two routed /24s hold live hosts behind
# the router, which answers every echo request to the first with "net
# unreachable" (3/0) and to the second with "host unreachable" (3/1), both
# at once -- sooner than any last hop that tried ARP could (nftables
# reject rules, as a filter or a router without a way there would).  No
# address of either may be printed free.  Then the router's own routing
# table does it (no route; an "unreachable" route), for two addresses
# with one probe each: the kernel rate-limits those errors (5 at once,
# then one a second per source, net.ipv4.route.error_cost, which a lab
# namespace cannot change; every ICMP error to that source, the rejects
# above too, spends the same budget), and an address whose error was
# suppressed is plain silence: the router's counter shows each error
# was sent, and a sweep that lost one to the budget is run again.  A
# third /24 through the same router is the control.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_routed 10.77.40.0/24 10.77.40.3 10.77.40.7 10.77.40.200
lab_routed 10.77.41.0/24 10.77.41.3 10.77.41.9 10.77.41.201
lab_routed 10.77.42.0/24 10.77.42.5 10.77.42.6
lab__nft "${LAB}r" <<-EOF2
	add rule ip lab rt_filter ip daddr 10.77.40.0/24 icmp type echo-request reject with icmp type net-unreachable
	add rule ip lab rt_filter ip daddr 10.77.41.0/24 icmp type echo-request reject with icmp type host-unreachable
EOF2

# check_unknown TAG WHAT N CODE: all N unknown, icmp-error, exit 3
check_unknown() {
	local tag=$1 what=$2 n=$3 code=$4 bad
	lab_check_rc "$what" 3 "$LAB_RC"
	lab_check_summary "$tag" "$n" 0 0 "$n"
	bad=$(awk -F'\t' '$2 != "unknown" || $3 != "icmp-error"' "$LAB_TMP/$tag.out" | head -n 3 | tr '\n\t' '; ')
	if [[ -z $bad ]]; then
		lab_ok "$what: every address unknown (icmp-error)"
	else
		lab_bad "$what: $bad"
	fi
	if grep -q "icmp type 3 code $code" "$LAB_TMP/$tag.err"; then
		lab_ok "$what: stderr names ICMP type 3 code $code"
	else
		lab_bad "$what: stderr does not name ICMP type 3 code $code"
	fi
}

lab_sweep net --all 10.77.40.0/28
check_unknown net "net unreachable" 14 0
lab_sweep host --all 10.77.41.0/28
check_unknown host "fast host unreachable" 14 1

# router_unreach: how many "destination unreachable" the router has sent
router_unreach() {
	lab_exec "${LAB}r" awk '/^Icmp:/ { if (!c) { for (i = 1; i <= NF; i++)
		if ($i == "OutDestUnreachs") c = i } else { print $c; exit } }' /proc/net/snmp
}

# routed_sweep TAG ADDR...: sweep them with one probe each once the
# router's budget for us has refilled -- and again (up to 3 times) when it
# still sent fewer errors than addresses: a suppressed error is plain
# silence, a condition this test does not test.  Says how many it sent.
routed_sweep() {
	local tag=$1 try before sent
	shift
	for try in 1 2 3; do
		sleep 6   # the router's error budget for us refills (one a second)
		before=$(router_unreach)
		lab_sweep "$tag" --all -n 1 "$@"
		sent=$(($(router_unreach) - before))
		((sent >= $#)) && break
		echo "      (the router sent $sent errors for $# addresses: its budget; again)"
	done
	if ((sent >= $#)); then
		lab_ok "$tag: the router sent an error for each of the $# addresses ($sent)"
	else
		lab_bad "$tag: the router sent $sent errors for $# addresses, 3 times"
	fi
}

lab_exec "${LAB}r" nft flush chain ip lab rt_filter
lab_exec "${LAB}r" ip route del 10.77.40.0/24
lab_exec "${LAB}r" ip route replace unreachable 10.77.41.0/24
routed_sweep rnet 10.77.40.3 10.77.40.4
check_unknown rnet "no route at the router" 2 0
routed_sweep rhost 10.77.41.3 10.77.41.4
check_unknown rhost "unreachable route at the router" 2 1

lab_expand 10.77.42.0/28 | grep -vxE '10\.77\.42\.(5|6)' >"$LAB_TMP/free"
lab_sweep ctl 10.77.42.0/28
lab_check_rc "control" 0 "$LAB_RC"
lab_check_list "control: the complement" "$LAB_TMP/free" "$LAB_TMP/ctl.out"
lab_finish
