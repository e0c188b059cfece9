#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The datagram-socket path: an unprivileged user (setpriv to nobody, no
# capabilities at all) whose group is inside net.ipv4.ping_group_range
# (widened in the scanner namespace only, after the root run) gets the same
# result as root on the raw path.  -v names the socket kind.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }

P=10.77.20.0/24
{ lab_pick 31 80 "$P"; echo 10.77.20.254; } | lab_sort_ip >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"

# Root first, with the namespace's default range "1 0": no group may use
# datagram sockets, so root takes the raw path.
lab_sweep root -v "$P"
lab_check_rc "root" 0 "$LAB_RC"
lab_check_list "root: the complement" "$LAB_TMP/free" "$LAB_TMP/root.out"

lab_ping_group_range 0 2147483647

real_ipsweep=$IPSWEEP
IPSWEEP=$(command -v setpriv)
lab_sweep user --reuid=65534 --regid=65534 --clear-groups --bounding-set=-all \
	--inh-caps=-all --no-new-privs "$real_ipsweep" -v "$P"
IPSWEEP=$real_ipsweep
lab_check_rc "unprivileged" 0 "$LAB_RC"
lab_check_list "unprivileged: same stdout as root" "$LAB_TMP/root.out" "$LAB_TMP/user.out"
if grep -Eqi 'dgram|datagram' "$LAB_TMP/user.err"; then
	lab_ok "-v says the datagram socket is used"
else
	lab_bad "-v does not say that a datagram socket is used"
fi
if grep -Eqi 'raw' "$LAB_TMP/root.err"; then
	lab_ok "-v as root says the raw socket is used"
else
	lab_bad "-v as root does not say that a raw socket is used"
fi
lab_finish
