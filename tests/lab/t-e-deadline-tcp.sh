#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --deadline bounds the --tcp pass too.  10.80.8.0/22, routed, silent to
# everything (blackholed: a SYN times out), except four hosts at its top,
# 10.80.11.250-253, that drop echo and refuse TCP (RST).  With the default
# -W 1000, three ports and at most 256 connections at a time, the TCP pass
# alone takes about 12 s; --deadline 3 must end the run after about 3 s
# (checked: under 6 s), exit 3 (the undecided addresses are unknown), say
# that the list is partial, and print no address whose TCP check did not
# finish.  That is checked from the outside: the router records when the
# first SYN to each address and port passed, and a silent address's check
# lasts -W on every port (ipsweep(1): "each given -W milliseconds"), so a
# printed address must have had a SYN on each of the three ports at least
# 1000 ms before the run ended.  The RST hosts, reached last, must not be
# printed either.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.80.8.0/22
PORTS=22,80,443
W=1000
lab_expand 10.80.11.250-253 >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_drop_echo @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
echo "lab: $P silent, but for $(wc -l <"$LAB_TMP/live") hosts that drop echo and refuse TCP"

# The lab: a dead address's connect hangs; a live one is refused.
lab_run timeout 2 bash -c 'exec 3<>/dev/tcp/10.80.9.77/443' >"$LAB_TMP/tcp" 2>&1
trc=$?
if ((trc == 124)); then
	lab_ok "lab: a dead address's TCP connect hangs (no answer in 2 s)"
else
	lab_bad "lab: TCP to dead 10.80.9.77:443 ended with $trc: $(tr '\n' '|' <"$LAB_TMP/tcp")"
fi
lab_run timeout 3 bash -c 'exec 3<>/dev/tcp/10.80.11.251/443' >"$LAB_TMP/tcp" 2>&1
if grep -q 'Connection refused' "$LAB_TMP/tcp"; then
	lab_ok "lab: 10.80.11.251 refuses TCP port 443 (RST)"
else
	lab_bad "lab: 10.80.11.251:443 was not refused: $(tr '\n' '|' <"$LAB_TMP/tcp")"
fi

lab_syn_record
t0=$(date +%s.%N)
lab_sweep dl --deadline 3 --tcp "$PORTS" "$P"
el=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
lab_syn_unfinished "$LAB_TMP/dl.out" "$PORTS" "$W" >"$LAB_TMP/dl.unfinished"
echo "    the run took $el s"
if awk -v e="$el" 'BEGIN { exit !(e < 6.0) }'; then
	lab_ok "--deadline 3: the run took $el s (< 3 s + 3 s)"
else
	lab_bad "--deadline 3: the run took $el s, expected less than 6 s"
fi
lab_check_rc "--deadline 3 --tcp $PORTS" 3 "$LAB_RC"
if grep -qE '(^|: )deadline of 3 s reached: the list is partial$' "$LAB_TMP/dl.err"; then
	lab_ok "stderr says the deadline was reached and the list is partial"
else
	lab_bad "stderr does not say 'deadline of 3 s reached: the list is partial'"
fi
if [[ ! -s $LAB_TMP/dl.unfinished ]]; then
	lab_ok "every printed address had its TCP check on $PORTS (SYNs >= $W ms before the end); $(wc -l <"$LAB_TMP/dl.out") printed"
else
	lab_bad "$(wc -l <"$LAB_TMP/dl.unfinished") of $(wc -l <"$LAB_TMP/dl.out") printed addresses had no finished TCP check, e.g. $(head -n 3 "$LAB_TMP/dl.unfinished" | tr '\n' ';')"
fi
bad=$(lab_common "$LAB_TMP/dl.out" "$LAB_TMP/live" | tr '\n' ' ')
if [[ -z $bad ]]; then
	lab_ok "no live host printed free"
else
	lab_bad "LIVE hosts printed FREE: $bad"
fi
lab_finish
