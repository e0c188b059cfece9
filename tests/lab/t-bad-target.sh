#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# A bad target is a usage error: exit 2, stdout empty, a message on stderr,
# and nothing sent (an nftables counter on the scanner's output counts ICMP).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

lab_routed 10.77.10.0/24 10.77.10.1
lab_icmp_counter_start

i=0
for args in "10.77.10.256" "10.77.10" "010.77.10.1" "0x0a.77.10.1" "10.77.10.0/33" \
	"10.77.10.1/" "10.77.10.9-3" "10.77.10.1-256" "10.77.10.1 10.77.10.999" "-j 0 10.77.10.1" \
	"-W 0 10.77.10.1" "-n abc 10.77.10.1"; do
	i=$((i + 1))
	# shellcheck disable=SC2086 # word splitting wanted: several arguments
	lab_sweep "bad$i" $args
	lab_check_rc "'$args'" 2 "$LAB_RC"
	lab_check_empty "'$args': stdout" "$LAB_TMP/bad$i.out"
	[[ -s $LAB_TMP/bad$i.err ]] || lab_bad "'$args': no message on stderr"
done

n=$(lab_icmp_counter)
if [[ $n == 0 ]]; then
	lab_ok "no ICMP packet left the scanner namespace"
else
	lab_bad "$n ICMP packets left the scanner namespace during usage errors"
fi
lab_finish
