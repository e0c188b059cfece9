#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Every address answers: stdout empty, exit 1 (sweep complete, nothing free).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_expand 10.77.3.0/28 >"$LAB_TMP/all"
lab_routed 10.77.3.0/24 @"$LAB_TMP/all"

lab_sweep cidr 10.77.3.0/28
lab_check_rc "all live /28" 1 "$LAB_RC"
lab_check_empty "all live /28: stdout" "$LAB_TMP/cidr.out"
lab_check_summary cidr 14 0 14 0

lab_sweep range 10.77.3.1-10.77.3.14
lab_check_rc "all live 10.77.3.1-10.77.3.14" 1 "$LAB_RC"
lab_check_empty "all live range: stdout" "$LAB_TMP/range.out"
lab_finish
