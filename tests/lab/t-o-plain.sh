#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The plain format: --all prints ADDRESS<TAB>VERDICT<TAB>REASON for every
# address (live: used/echo-reply, silent: free/no-reply, behind a filter:
# unknown/admin-prohibited), byte for byte; -0/--null ends each record with
# a NUL instead of a newline, usable with `xargs -0` and otherwise the same
# as the plain output; -0 with a structured format is a usage error (exit 2)
# that sends nothing.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T=$LAB_TMP

P=10.77.42.0/24
PROHIB=10.77.42.99
{
	lab_pick 42 70 "$P"
	printf '%s\n' 10.77.42.1 10.77.42.254
} | lab_sort_ip | grep -vx "$PROHIB" >"$T/live"
lab_routed "$P" @"$T/live"
lab_prohibit "$PROHIB"
lab_expand "$P" >"$T/all"
{ cat "$T/live"; echo "$PROHIB"; } | lab_sort_ip >"$T/notfree"
lab_minus "$T/all" "$T/notfree" >"$T/free"
echo "lab: $P, $(wc -l <"$T/live") live, $PROHIB admin-prohibited"
awk -v p="$PROHIB" 'NR == FNR { live[$0]; next }
	{ print $0 "\t" (($0 in live) ? "used\techo-reply" : ($0 == p ? "unknown\tadmin-prohibited" : "free\tno-reply")) }' \
	"$T/live" "$T/all" >"$T/exp.all"

o_same() {
	local e=$2 a=$3
	[[ $a == - ]] && { cat >"$T/.o_same.a"; a=$T/.o_same.a; }
	if cmp -s "$e" "$a"; then
		lab_ok "$1 ($(wc -c <"$a") bytes)"
	else
		lab_bad "$1: differs (- expected, + actual)"
		diff -u "$e" "$a" | tail -n +3 | head -n 20 | cat -A | sed 's/^/       /'
	fi
}

# -0 with a structured format: a usage error before anything is sent.
lab_icmp_counter_start
for fmt in csv json ndjson; do
	lab_sweep "null-$fmt" -0 --format "$fmt" -W 500 "$P"
	lab_check_rc "-0 --format $fmt (usage error)" 2 "$LAB_RC"
	lab_check_empty "-0 --format $fmt: stdout" "$T/null-$fmt.out"
	if [[ -s $T/null-$fmt.err ]]; then
		lab_ok "-0 --format $fmt: stderr says why: $(head -n 1 "$T/null-$fmt.err")"
	else
		lab_bad "-0 --format $fmt: nothing on stderr"
	fi
done
lab_sweep null-plain -0 --format plain --dry-run "$P"
lab_check_rc "-0 --format plain is allowed" 0 "$LAB_RC"
sent=$(lab_icmp_counter)
if [[ $sent == 0 ]]; then
	lab_ok "the usage errors and the dry run sent no ICMP"
else
	lab_bad "the usage errors sent $sent ICMP packets"
fi

# Plain --all, byte for byte.
lab_sweep all --all -W 500 "$P"
lab_check_rc "--all (one unknown)" 3 "$LAB_RC"
o_same "--all: ADDRESS<TAB>VERDICT<TAB>REASON for every address, sorted" "$T/exp.all" "$T/all.out"

lab_sweep plain -W 500 "$P"
lab_check_rc "plain" 3 "$LAB_RC"
o_same "plain: the free set" "$T/free" "$T/plain.out"

# -0: NUL-terminated records.
lab_sweep z -0 -W 500 "$P"
lab_check_rc "-0" 3 "$LAB_RC"
nnul=$(tr -cd '\0' <"$T/z.out" | wc -c)
nnl=$(tr -cd '\n' <"$T/z.out" | wc -c)
if [[ $nnul == "$(wc -l <"$T/free")" && $nnl == 0 && $(tail -c 1 "$T/z.out" | od -An -tx1 | tr -d ' ') == 00 ]]; then
	lab_ok "-0: $nnul records, each ended by NUL, no newline"
else
	lab_bad "-0: $nnul NULs (expected $(wc -l <"$T/free")), $nnl newlines (expected 0), last byte $(tail -c 1 "$T/z.out" | od -An -tx1)"
fi
xargs -0 -n 1 printf '%s\n' <"$T/z.out" | o_same "-0 | xargs -0: the same records as plain" "$T/plain.out" -
tr '\0' '\n' <"$T/z.out" | o_same "-0: plain with NUL for newline" "$T/plain.out" -

# The man page's example, a real pipe into xargs -0.
lab_run timeout -k 5 60 "$IPSWEEP" -0 -W 500 -i "$P" 2>"$T/pipe.err" | xargs -0 -n1 echo free: >"$T/pipe.out"
sed 's/^/free: /' "$T/free" >"$T/pipe.exp"
o_same "ipsweep -0 ... | xargs -0 -n1 echo free:" "$T/pipe.exp" "$T/pipe.out"

lab_sweep zl --null -W 500 "$P"
lab_check_rc "--null" 3 "$LAB_RC"
o_same "--null: the same bytes as -0" "$T/z.out" "$T/zl.out"

lab_sweep zall -0 --all -W 500 "$P"
lab_check_rc "-0 --all" 3 "$LAB_RC"
tr '\0' '\n' <"$T/zall.out" | o_same "-0 --all: the --all records, NUL-terminated" "$T/exp.all" -
lab_sweep zalive -0 --alive -W 500 "$P"
lab_check_rc "-0 --alive" 3 "$LAB_RC"
xargs -0 -n 1 printf '%s\n' <"$T/zalive.out" | o_same "-0 --alive | xargs -0: the live set" "$T/live" -
lab_finish
