#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# sendto() failures decide only their own address, as unknown, and the
# sweep goes on: the broadcast address of a connected subnet (EACCES: no
# SO_BROADCAST) and an address without a route (ENETUNREACH: the scanner
# has no default route, so nothing is sent).  Neither may come out free.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_onlink 10.77.28.0/24 10.77.28.1 10.77.28.250
lab_sweep e --all 10.77.28.250-255 198.51.100.7
lab_check_rc "send errors" 3 "$LAB_RC"
want=$'10.77.28.250\tused\n10.77.28.251\tfree\n10.77.28.252\tfree\n10.77.28.253\tfree\n10.77.28.254\tfree\n10.77.28.255\tunknown\n198.51.100.7\tunknown'
got=$(cut -f1,2 "$LAB_TMP/e.out")
if [[ $got == "$want" ]]; then
	lab_ok "broadcast and unroutable are unknown, the rest decided"
else
	lab_bad "verdicts: $(tr '\n\t' '; ' <<<"$got")"
fi
if grep -q $'^10\\.77\\.28\\.255\tunknown\tsend-error: Permission denied$' "$LAB_TMP/e.out" &&
	grep -q $'^198\\.51\\.100\\.7\tunknown\tsend-error: Network is unreachable$' "$LAB_TMP/e.out"; then
	lab_ok "the reasons name EACCES and ENETUNREACH"
else
	lab_bad "reasons: $(grep -E '255|198' "$LAB_TMP/e.out" | tr '\n\t' '; ')"
fi
lab_finish
