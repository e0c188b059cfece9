#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Replies that arrive after the timeout make the address used, never free
# (DESIGN.md: "any valid echo reply from it, at any time in the run").
# 10.77.5.10 answers every echo request 1300 ms late; 10.77.5.11 is silent.
#  - -n 2 -W 1000: the first probe's reply comes 1.3 s after it, when that
#    probe has timed out: it must still be matched and count.
#  - -n 1 -W 1000: the only probe's reply arrives 300 ms after its timeout,
#    after the address was decided free.  ipsweep(1) promises to listen half
#    a timeout past the last verdict; if it stopped at the timeout, it would
#    print 10.77.5.10 as free: a used address handed out.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_routed 10.77.5.0/24
lab_late 10.77.5.10 1300
echo 10.77.5.11 >"$LAB_TMP/free"

lab_sweep two -n 2 -W 1000 10.77.5.10 10.77.5.11
lab_check_rc "-n 2, late reply" 0 "$LAB_RC"
lab_check_list "-n 2: only the silent address is free" "$LAB_TMP/free" "$LAB_TMP/two.out"
lab_check_summary two 2 1 1 0

lab_sweep one -n 1 -W 1000 10.77.5.10 10.77.5.11
lab_check_rc "-n 1, late reply" 0 "$LAB_RC"
if grep -qx 10.77.5.10 "$LAB_TMP/one.out"; then
	lab_bad "-n 1: 10.77.5.10 answers 1.3 s after its only probe (-W 1000) and was printed FREE: ipsweep finished before the late reply arrived"
fi
lab_check_list "-n 1: only the silent address is free" "$LAB_TMP/free" "$LAB_TMP/one.out"
lab_check_summary one 2 1 1 0
lab_finish
