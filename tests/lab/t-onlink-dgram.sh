#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# On-link targets without CAP_NET_RAW (datagram ICMP sockets, no AF_PACKET
# for ARP): the kernel resolves them, and a silent one whose link-layer
# address is in the neighbour table (it answered the kernel's ARP) is used,
# not free.  Same free list as root, which asks ARP itself.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }

P=10.77.26.0/24
lab_onlink "$P" 10.77.26.1 10.77.26.20 10.77.26.21 10.77.26.77
lab_drop_echo 10.77.26.21
lab_expand 10.77.26.0/26 | grep -vxE '10\.77\.26\.(1|20|21)' >"$LAB_TMP/free"

lab_sweep root -v 10.77.26.0/26
lab_check_rc "root (ARP)" 0 "$LAB_RC"
lab_check_list "root: free = all but the scanner and both hosts" "$LAB_TMP/free" "$LAB_TMP/root.out"
if grep -q 'on-link targets: ARP' "$LAB_TMP/root.err"; then
	lab_ok "root: -v says on-link targets get ARP"
else
	lab_bad "root: -v does not say on-link targets get ARP"
fi

lab_ping_group_range 0 2147483647
lab_run ip neigh flush all
real_ipsweep=$IPSWEEP
IPSWEEP=$(command -v setpriv)
lab_sweep user --reuid=65534 --regid=65534 --clear-groups --bounding-set=-all \
	--inh-caps=-all --no-new-privs "$real_ipsweep" -v --all 10.77.26.0/26
IPSWEEP=$real_ipsweep
lab_check_rc "unprivileged (neighbour table)" 0 "$LAB_RC"
grep $'\tfree\t' "$LAB_TMP/user.out" | cut -f1 >"$LAB_TMP/user.free"
lab_check_list "unprivileged: same free list as root" "$LAB_TMP/free" "$LAB_TMP/user.free"
if grep -q $'^10\\.77\\.26\\.21\tused\tarp-reply$' "$LAB_TMP/user.out"; then
	lab_ok "unprivileged: the host that drops ICMP is used (arp-reply)"
else
	lab_bad "unprivileged: 10.77.26.21 is $(grep '^10\.77\.26\.21\b' "$LAB_TMP/user.out")"
fi
if grep -q 'on-link targets: ICMP and the neighbour table' "$LAB_TMP/user.err"; then
	lab_ok "unprivileged: -v says on-link targets go through the neighbour table"
else
	lab_bad "unprivileged: -v does not name the neighbour table"
fi
lab_finish
