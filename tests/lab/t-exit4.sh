#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Cannot probe at all: an unprivileged user outside ping_group_range (the
# namespace default "1 0"), no capabilities and none obtainable (empty
# bounding set), with --method icmp: exit 4, stdout empty, a message naming
# the ways to grant it, nothing sent.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }

lab_routed 10.77.22.0/24 10.77.22.1
lab_icmp_counter_start
real_ipsweep=$IPSWEEP
IPSWEEP=$(command -v setpriv)
lab_sweep user --reuid=65534 --regid=65534 --clear-groups --bounding-set=-all \
	--inh-caps=-all --no-new-privs "$real_ipsweep" --method icmp 10.77.22.0/28
lab_check_rc "unprivileged, no ICMP socket" 4 "$LAB_RC"
lab_check_empty "stdout" "$LAB_TMP/user.out"
if grep -qi 'ping_group_range' "$LAB_TMP/user.err" && grep -qi 'cap_net_raw' "$LAB_TMP/user.err"; then
	lab_ok "stderr names ping_group_range and cap_net_raw"
else
	lab_bad "stderr does not name the ways to grant ICMP (ping_group_range, cap_net_raw)"
fi
n=$(lab_icmp_counter)
if [[ $n == 0 ]]; then
	lab_ok "no ICMP packet left the scanner namespace"
else
	lab_bad "$n ICMP packets left the scanner namespace"
fi
lab_finish
