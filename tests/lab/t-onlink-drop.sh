#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# TESTPLAN: "a host that answers ARP but drops ICMP, on a directly connected
# subnet: not free (the neighbour table shows it)".  10.77.9.3 answers ARP
# and silently drops every echo request.  It must not be printed; whether it
# ends as used or unknown is ipsweep's choice (exit 0 or 3).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_onlink 10.77.9.0/24 10.77.9.1 10.77.9.2 10.77.9.3
lab_drop_echo 10.77.9.3
lab_expand 10.77.9.0/28 >"$LAB_TMP/all"
printf '%s\n' 10.77.9.1 10.77.9.2 10.77.9.3 >"$LAB_TMP/notfree"
lab_minus "$LAB_TMP/all" "$LAB_TMP/notfree" >"$LAB_TMP/free"

lab_sweep drop 10.77.9.0/28
case $LAB_RC in
0 | 3) lab_ok "exit $LAB_RC (0 or 3)" ;;
*) lab_bad "exit $LAB_RC, expected 0 or 3" ;;
esac
if grep -qx 10.77.9.3 "$LAB_TMP/drop.out"; then
	lab_bad "10.77.9.3 answers ARP (it is in use) but was printed FREE"
fi
lab_check_list "free = all but live, scanner and the ICMP-dropping host" "$LAB_TMP/free" "$LAB_TMP/drop.out"
lab_finish
