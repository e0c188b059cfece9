#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --first N with --tcp: the TCP pass may take back every address that
# --first counted as free.  10.80.13.0/24, routed:
#   .1-.200    drop echo (one router rule), refuse TCP port 80 (RST): live
#   .230       answers echo
#   the rest   silent to everything: free
# --first 2 stops the ICMP sweep once its two lowest free addresses are
# known; the addresses decided by then (the native engine works a window of
# a few dozen ahead, --method exec one per worker) are all RST hosts, and
# TCP shows every one of them live.  Exiting 0 ("free addresses printed")
# with nothing printed would be a lie.  So: if the exit is 0, stdout is not
# empty; nothing printed is live; at most 2 are printed, each TCP-checked
# (a SYN to port 80 at least -W 1000 ms before the end, from the router's
# record).  Native on the whole /24, and --method exec on .196-.215 (five
# RST hosts first).  First the lab: without --tcp, --first 2 prints the two
# lowest RST hosts (echo cannot see them); with --tcp and no --first, all
# 200 are used, tcp-refused.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.80.13.0/24
lab_expand 10.80.13.1-200 >"$LAB_TMP/rst"
{ cat "$LAB_TMP/rst"; echo 10.80.13.230; } >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_drop_echo 10.80.13.1-200

lab_sweep icmp --first 2 "$P"
printf '%s\n' 10.80.13.1 10.80.13.2 >"$LAB_TMP/icmp.want"
lab_check_list "lab: --first 2 without --tcp prints the two lowest RST hosts (silent to echo)" "$LAB_TMP/icmp.want" "$LAB_TMP/icmp.out"
lab_sweep all --all --tcp 80 "$P"
awk -F '\t' '$2 == "used" && $3 == "tcp-refused" { print $1 }' "$LAB_TMP/all.out" >"$LAB_TMP/all.refused"
lab_check_list "lab: --tcp 80 finds the RST hosts used, tcp-refused" "$LAB_TMP/rst" "$LAB_TMP/all.refused"

# e_first TAG WHAT ARGS...: run with the SYN record on, check as above.
e_first() {
	local tag=$1 what=$2 n bad
	shift 2
	lab_syn_record
	lab_sweep "$tag" "$@"
	lab_syn_unfinished "$LAB_TMP/$tag.out" 80 1000 >"$LAB_TMP/$tag.unfinished"
	n=$(wc -l <"$LAB_TMP/$tag.out")
	echo "    printed: $(tr '\n' ' ' <"$LAB_TMP/$tag.out")"
	if ((LAB_RC != 0)); then
		lab_ok "$what: exit $LAB_RC (not 0: no free address promised)"
	elif ((n > 0)); then
		lab_ok "$what: exit 0 with $n addresses printed"
	else
		lab_bad "$what: exit 0 (free addresses printed) but stdout is empty"
	fi
	case $LAB_RC in
	0 | 1 | 3) lab_ok "$what: exit $LAB_RC is a verdict status" ;;
	*) lab_bad "$what: exit $LAB_RC" ;;
	esac
	bad=$(lab_common "$LAB_TMP/$tag.out" "$LAB_TMP/live" | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$what: no live host printed"
	else
		lab_bad "$what: LIVE hosts printed FREE: $bad"
	fi
	if ((n <= 2)); then
		lab_ok "$what: at most 2 printed ($n)"
	else
		lab_bad "$what: $n printed"
	fi
	if [[ ! -s $LAB_TMP/$tag.unfinished ]]; then
		lab_ok "$what: every printed address had its TCP check"
	else
		lab_bad "$what: printed without a finished TCP check: $(head -n 3 "$LAB_TMP/$tag.unfinished" | tr '\n' ';')"
	fi
}

e_first native "--first 2 --tcp 80" --first 2 --tcp 80 "$P"
e_first exec "exec --first 2 --tcp 80" --method exec --first 2 --tcp 80 10.80.13.196-215
lab_finish
