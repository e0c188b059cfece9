#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# A filter on a router rejects echo requests to a whole routed /24 with
# "administratively prohibited" (3/13), twelve hosts live behind it, and
# the router rate-limits its ICMP errors as Linux does by default
# (icmp_ratelimit 1000 ms: a burst, then about one a second to the
# scanner; the other labs turn that off).  So most addresses get no error
# at all, and look exactly like free ones.  One prohibited address speaks
# for itself, but two are a filter on the range: every silent address of
# the range is unknown (range-icmp-errors), no live host is printed free,
# exit 3; the native engine and the ping(8) engine alike.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.80.5.0/24
printf '%s\n' 10.80.5.3 10.80.5.17 10.80.5.29 10.80.5.44 10.80.5.58 10.80.5.91 \
	10.80.5.120 10.80.5.133 10.80.5.160 10.80.5.201 10.80.5.222 10.80.5.250 >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_reject "$P" admin-prohibited
lab_exec "${LAB}r" sysctl -q -w net.ipv4.icmp_ratelimit=1000 \
	net.ipv4.icmp_msgs_per_sec=1000 net.ipv4.icmp_msgs_burst=50
lab_exec "${LAB}r" nft -f - <<-'EOF2'
	add chain ip lab rt_out { type filter hook output priority 0; policy accept; }
	add rule ip lab rt_out icmp type destination-unreachable icmp code admin-prohibited counter
EOF2

# errors_sent: how many 3/13 errors the router has sent so far
errors_sent() {
	lab_exec "${LAB}r" nft list chain ip lab rt_out |
		awk '/counter packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# check TAG: no live host free, exit 3, and the lab really withheld most
# errors during that sweep (BEFORE: the count before it)
check() {
	local tag=$1 before=$2 sent bad
	sent=$(($(errors_sent) - before))
	if ((sent > 0 && sent < 200)); then
		lab_ok "$tag: lab: the router sent $sent prohibited errors for 254 addresses (rate-limited)"
	else
		lab_bad "$tag: lab: the router sent $sent prohibited errors: not rate-limited as the test needs"
	fi
	lab_check_rc "$tag" 3 "$LAB_RC"
	awk -F '\t' '$2 == "free" { print $1 }' "$LAB_TMP/$tag.out" >"$LAB_TMP/$tag.free"
	bad=$(lab_common "$LAB_TMP/$tag.free" "$LAB_TMP/live" | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$tag: no live host printed free"
	else
		lab_bad "$tag: LIVE hosts behind the filter printed FREE: $bad"
	fi
	if [[ ! -s $LAB_TMP/$tag.free ]]; then
		lab_ok "$tag: nothing free ($(cut -f2,3 "$LAB_TMP/$tag.out" | sort | uniq -c | tr -s ' \n\t' ' '))"
	else
		lab_bad "$tag: $(wc -l <"$LAB_TMP/$tag.free") addresses free behind the filter"
	fi
	if grep -q "range '$P': a filter answered" "$LAB_TMP/$tag.err"; then
		lab_ok "$tag: stderr: $(grep -m 1 "a filter answered" "$LAB_TMP/$tag.err")"
	else
		lab_bad "$tag: no warning about the filter on the range"
	fi
}

n0=$(errors_sent)
lab_sweep native --all "$P"
check native "$n0"
sleep 2   # the router's token bucket fills again
n0=$(errors_sent)
lab_sweep exec --all --method exec "$P"
check exec "$n0"
lab_finish
