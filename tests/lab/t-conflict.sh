#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Two hosts with different MACs claim one on-link address: ipsweep, asking
# ARP itself, reports the conflict on stderr (both MACs) and calls the
# address used.  An on-link host that drops echo requests is used too
# (arp-reply), and the rest is exact.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.22.0/24
lab_onlink "$P" 10.77.22.1 10.77.22.10 10.77.22.11 10.77.22.12
lab_onlink_host2 10.77.22.11
lab_drop_echo 10.77.22.12
lab_expand 10.77.22.0/27 | grep -vxE '10\.77\.22\.(1|10|11|12)' >"$LAB_TMP/free"

lab_sweep c --all -j 3 10.77.22.0/27
lab_check_rc "conflict run" 0 "$LAB_RC"
grep $'\tfree\t' "$LAB_TMP/c.out" | cut -f1 >"$LAB_TMP/c.free"
lab_check_list "free: all but the scanner and the three hosts" "$LAB_TMP/free" "$LAB_TMP/c.free"
if grep -qE '^ipsweep: 10\.77\.22\.11: address conflict: ([0-9a-f]{2}:){5}[0-9a-f]{2} and ([0-9a-f]{2}:){5}[0-9a-f]{2} both answer ARP' "$LAB_TMP/c.err"; then
	lab_ok "stderr reports the conflict on 10.77.22.11 with both MACs"
else
	lab_bad "no conflict report for 10.77.22.11"
fi
if [[ $(grep -c 'address conflict' "$LAB_TMP/c.err") == 1 ]]; then
	lab_ok "only 10.77.22.11 is reported as a conflict"
else
	lab_bad "conflict reports: $(grep 'address conflict' "$LAB_TMP/c.err")"
fi
for a in 10.77.22.11 10.77.22.12; do
	if grep -qE "^$a"$'\tused\t' "$LAB_TMP/c.out"; then
		lab_ok "$a is used"
	else
		lab_bad "$a: $(grep "^$a"$'\t' "$LAB_TMP/c.out")"
	fi
done
lab_finish
