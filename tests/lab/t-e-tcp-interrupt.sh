#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Ctrl-C during the --tcp pass.  10.80.4.0/22, routed:
#   10.80.4.1 10.80.5.1          answer echo
#   10.80.4.2-4 10.80.7.240-251  drop echo; TCP port 80 is closed, so their
#                                kernels answer a SYN with an RST: live
#   the rest                     silent to everything: a SYN times out
# With -W 3000, about a thousand ICMP-silent addresses and at most 256
# connections at a time, the TCP pass takes about 12 s.  SIGINT comes
# twice, in two runs: as soon as -v says "trying 1 TCP port" (while the
# connections are being opened), and once the router has seen 100 SYNs
# (connections in flight).  An address whose TCP check had not finished is
# undecided: it must not be printed free; the run ends promptly (within -W
# + 2 s: even waiting out the connections in flight takes only -W), exits
# 130 and says the list is partial.  "Finished" is checked from the outside:
# the router records when the first SYN to each address passed, and a
# silent address's check lasts -W from its SYN (ipsweep(1): "each given -W
# milliseconds"), so every printed address must have had its SYN at least
# 3000 ms before the run ended.  The RST hosts at the top of the range are
# the last ones the pass reaches.
# A control run without the signal first: the RST hosts are used
# (tcp-refused), none of the live hosts is free.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
LAB_SWEEP_CAP=60

P=10.80.4.0/22
W=3000
{
	printf '%s\n' 10.80.4.2 10.80.4.3 10.80.4.4
	lab_expand 10.80.7.240-251
} >"$LAB_TMP/rst"
{ printf '%s\n' 10.80.4.1 10.80.5.1; cat "$LAB_TMP/rst"; } | lab_sort_ip >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_drop_echo @"$LAB_TMP/rst"
lab_expand "$P" >"$LAB_TMP/all"
echo "lab: $P, $(wc -l <"$LAB_TMP/live") live, $(wc -l <"$LAB_TMP/rst") of them silent to echo but refusing TCP"

# The lab: an RST host is silent to echo and refuses TCP; a dead address
# is silent to both (its connect hangs until timeout(1) ends it).
RST=10.80.7.245
if lab_run ping -n -c 1 -W 1 "$RST" >"$LAB_TMP/ping" 2>&1; then
	lab_bad "lab: $RST answers echo: $(tr '\n' '|' <"$LAB_TMP/ping")"
else
	lab_ok "lab: $RST is silent to echo"
fi
lab_run timeout 3 bash -c "exec 3<>/dev/tcp/$RST/80" >"$LAB_TMP/tcp" 2>&1
if grep -q 'Connection refused' "$LAB_TMP/tcp"; then
	lab_ok "lab: $RST refuses TCP port 80 (RST): a host is there"
else
	lab_bad "lab: $RST:80 was not refused: $(tr '\n' '|' <"$LAB_TMP/tcp")"
fi
lab_run timeout 2 bash -c 'exec 3<>/dev/tcp/10.80.6.77/80' >"$LAB_TMP/tcp" 2>&1
trc=$?
if ((trc == 124)); then
	lab_ok "lab: a dead address's TCP connect hangs (no answer in 2 s)"
else
	lab_bad "lab: TCP to dead 10.80.6.77:80 ended with $trc: $(tr '\n' '|' <"$LAB_TMP/tcp")"
fi

# e_no_live TAG FILE: no live address in FILE
e_no_live() {
	local bad
	bad=$(lab_common "$2" "$LAB_TMP/live" | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$1: no live host printed free"
	else
		lab_bad "$1: LIVE hosts printed FREE (ICMP-silent, TCP not checked): $bad"
	fi
}

# Control: the whole run.
lab_sweep ctl --all --tcp 80 -W "$W" "$P"
lab_check_rc "control" 0 "$LAB_RC"
awk -F '\t' '$2 == "free" { print $1 }' "$LAB_TMP/ctl.out" >"$LAB_TMP/ctl.free"
e_no_live control "$LAB_TMP/ctl.free"
awk -F '\t' '$2 == "used" && $3 == "tcp-refused" { print $1 }' "$LAB_TMP/ctl.out" >"$LAB_TMP/ctl.refused"
lab_check_list "control: the RST hosts are used, tcp-refused" "$LAB_TMP/rst" "$LAB_TMP/ctl.refused"

# e_interrupt TAG SYNS: a run with the SYN record restarted; SIGINT once
# the -v line is there and the router has seen SYNS SYNs; then the checks.
e_interrupt() {
	local tag=$1 syns=$2 seen=0 i tsig el extra
	lab_syn_record
	lab_sweep_bg "$tag" -v --tcp 80 -W "$W" "$P"
	for ((i = 0; i < 600; i++)); do
		# (syns 0: no nft call between the line and the signal)
		if grep -qE 'trying [0-9]+ TCP port' "$LAB_TMP/$tag.err" &&
			((syns == 0 || $(lab_syn_ages | wc -l) >= syns)); then
			seen=1
			break
		fi
		kill -0 "$LAB_BG_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -INT "$LAB_BG_PID" 2>/dev/null
	tsig=$(date +%s.%N)
	if ((seen)); then
		echo "  kill -INT $LAB_BG_PID ($(grep -E 'trying [0-9]+ TCP port' "$LAB_TMP/$tag.err"); $(lab_syn_ages | wc -l) SYNs so far)"
		lab_ok "$tag: the TCP pass was under way; SIGINT sent"
	else
		lab_bad "$tag: no 'trying N TCP port' line and $syns SYNs within 30 s (or ipsweep ended first)"
	fi
	lab_sweep_wait "$tag"
	lab_syn_unfinished "$LAB_TMP/$tag.out" 80 "$W" >"$LAB_TMP/$tag.unfinished"
	el=$(awk -v a="$tsig" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	lab_check_rc "$tag: interrupted in the TCP pass" 130 "$LAB_RC"
	if awk -v e="$el" -v w="$W" 'BEGIN { exit !(e < w / 1000 + 2) }'; then
		lab_ok "$tag: ended $el s after SIGINT"
	else
		lab_bad "$tag: ended $el s after SIGINT (more than -W + 2 s: the signal went unnoticed?)"
	fi
	e_no_live "$tag" "$LAB_TMP/$tag.out"
	if [[ ! -s $LAB_TMP/$tag.unfinished ]]; then
		lab_ok "$tag: every printed address had its TCP check (SYN >= $W ms before the end); $(wc -l <"$LAB_TMP/$tag.out") printed"
	else
		lab_bad "$tag: $(wc -l <"$LAB_TMP/$tag.unfinished") of $(wc -l <"$LAB_TMP/$tag.out") printed addresses had no finished TCP check, e.g. $(head -n 3 "$LAB_TMP/$tag.unfinished" | tr '\n' ';')"
	fi
	extra=$(lab_minus "$LAB_TMP/$tag.out" "$LAB_TMP/all" | head -n 3 | tr '\n' ' ')
	if [[ -z $extra ]]; then
		lab_ok "$tag: every printed address is in $P"
	else
		lab_bad "$tag: addresses outside $P printed: $extra"
	fi
	if grep -q 'interrupted: the list is partial' "$LAB_TMP/$tag.err"; then
		lab_ok "$tag: stderr says the list is partial"
	else
		lab_bad "$tag: stderr does not say that the list is partial"
	fi
}

e_interrupt early 0
e_interrupt inflight 100
lab_finish
