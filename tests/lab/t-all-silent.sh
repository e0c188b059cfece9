#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Every target silent (blackholed, no ICMP error): all free after the
# configured probes, exit 0.  Both a CIDR block and a last-octet range.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_routed 10.77.2.0/24
lab_expand 10.77.2.0/24 >"$LAB_TMP/all"

lab_sweep cidr 10.77.2.0/24
lab_check_rc "all silent /24" 0 "$LAB_RC"
lab_check_list "all silent /24: every address free" "$LAB_TMP/all" "$LAB_TMP/cidr.out"
lab_check_sorted "all silent /24: stdout" "$LAB_TMP/cidr.out"
lab_check_summary cidr 254 254 0 0

lab_expand 10.77.2.10-20 >"$LAB_TMP/r"
lab_sweep range -n 1 10.77.2.10-20
lab_check_rc "all silent 10.77.2.10-20, -n 1" 0 "$LAB_RC"
lab_check_list "all silent range: every address free" "$LAB_TMP/r" "$LAB_TMP/range.out"
lab_finish
