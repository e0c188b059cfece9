#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --deadline bounds the whole run.  A /16 with -n 3 -W 3000 cannot finish in
# a second: with --deadline 1 the run ends after about 1 s (at most ~3 s
# late), exits 3, says on stderr that the deadline was reached and the list
# is partial, prints no live address as free, and its summary adds up.  A
# second pair of runs (-n 1 -W 300 --rate 5000, --deadline 2) decides
# thousands of addresses free before the deadline: the printed list is
# exactly the free addresses decided (no live one), the json document says
# partial: true, and every undecided address is unknown with reason
# "deadline".
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
T=$LAB_TMP

P=10.78.0.0/16
# ~1% live, spread over the whole /16, plus the first addresses (probed
# first, so certainly decided before the deadline).
{
	lab_pick 78 10 "$P"
	printf '%s\n' 10.78.0.1 10.78.0.2 10.78.0.5
} | lab_sort_ip >"$T/live"
lab_routed "$P" @"$T/live"
lab_expand "$P" >"$T/all"
nall=$(wc -l <"$T/all") nlive=$(wc -l <"$T/live")
echo "lab: $P, $nall addresses, $nlive live"

# o_elapsed START: seconds since START (date +%s.%N), 3 decimals
o_elapsed() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'
}

# o_summary TAG: parse "N addresses: F free, U used, K unknown" into S_*.
o_summary() {
	local line
	line=$(grep -E '(^|: )[0-9]+ addresses: [0-9]+ free, [0-9]+ used, [0-9]+ unknown' "$T/$1.err" | tail -n 1)
	read -r S_TOTAL S_FREE S_USED S_UNKNOWN < <(sed -E 's/.*\b([0-9]+) addresses: ([0-9]+) free, ([0-9]+) used, ([0-9]+) unknown.*/\1 \2 \3 \4/' <<<"$line")
	[[ -n $line ]]
}

o_check_partial_list() {
	local tag=$1
	lab_check_sorted "$tag: stdout" "$T/$tag.out"
	bad=$(lab_common "$T/$tag.out" "$T/live" | head -n 5)
	if [[ -z $bad ]]; then
		lab_ok "$tag: no live address printed free"
	else
		lab_bad "$tag: live addresses printed free: $bad"
	fi
	extra=$(lab_minus "$T/$tag.out" "$T/all" | head -n 5)
	if [[ -z $extra ]]; then
		lab_ok "$tag: every printed address is in $P"
	else
		lab_bad "$tag: addresses outside $P printed: $extra"
	fi
	if grep -qE '(^|: )deadline of [0-9]+ s reached: the list is partial$' "$T/$tag.err"; then
		lab_ok "$tag: stderr says the deadline was reached and the list is partial"
	else
		lab_bad "$tag: stderr does not say 'deadline of N s reached: the list is partial'"
	fi
	if o_summary "$tag"; then
		if ((S_TOTAL == nall && S_FREE + S_USED + S_UNKNOWN == nall)); then
			lab_ok "$tag: summary adds up: $S_TOTAL = $S_FREE free + $S_USED used + $S_UNKNOWN unknown"
		else
			lab_bad "$tag: summary does not add up to $nall: $S_TOTAL = $S_FREE + $S_USED + $S_UNKNOWN"
		fi
		if ((S_FREE == $(wc -l <"$T/$tag.out"))); then
			lab_ok "$tag: the summary's free count ($S_FREE) is the number printed"
		else
			lab_bad "$tag: summary says $S_FREE free, $(wc -l <"$T/$tag.out") printed"
		fi
		if ((S_UNKNOWN > 0 && S_USED <= nlive)); then
			lab_ok "$tag: $S_UNKNOWN undecided (unknown), $S_USED used (<= $nlive live)"
		else
			lab_bad "$tag: $S_UNKNOWN unknown and $S_USED used: the run cannot have finished"
		fi
	else
		lab_bad "$tag: no summary line on stderr"
	fi
}

# 1. The brief's case: it cannot finish in 1 s.
t0=$(date +%s.%N)
lab_sweep dl1 --deadline 1 -n 3 -W 3000 "$P"
el=$(o_elapsed "$t0")
lab_check_rc "--deadline 1 on a /16 (-n 3 -W 3000)" 3 "$LAB_RC"
if awk -v e="$el" 'BEGIN { exit !(e >= 0.95 && e <= 4.0) }'; then
	lab_ok "--deadline 1: the run took $el s (1 s, at most ~3 s slack)"
else
	lab_bad "--deadline 1: the run took $el s, expected 1 to 4 s"
fi
o_check_partial_list dl1

# 2. Some free addresses decided before the deadline, plain and json.
t0=$(date +%s.%N)
lab_sweep dl2 --deadline 2 -n 1 -W 300 --rate 5000 "$P"
el=$(o_elapsed "$t0")
lab_check_rc "--deadline 2 (-n 1 -W 300 --rate 5000)" 3 "$LAB_RC"
if awk -v e="$el" 'BEGIN { exit !(e >= 1.95 && e <= 5.0) }'; then
	lab_ok "--deadline 2: the run took $el s"
else
	lab_bad "--deadline 2: the run took $el s, expected 2 to 5 s"
fi
o_check_partial_list dl2
if (($(wc -l <"$T/dl2.out") >= 1000)); then
	lab_ok "--deadline 2: $(wc -l <"$T/dl2.out") decided free addresses printed"
else
	lab_bad "--deadline 2: only $(wc -l <"$T/dl2.out") free addresses printed (expected thousands at 5000/s)"
fi

t0s=$(date +%s)
lab_sweep dlj --deadline 2 -n 1 -W 300 --rate 5000 --format json --all "$P"
lab_check_rc "--deadline 2 --format json --all" 3 "$LAB_RC"
if "$PY" "$HERE/o-parse.py" json "$T/dlj.out" --all --expect partial=true \
	--expect total="$nall" --expect count=1 --expect timeout_ms=300 \
	--expect rate_pps=5000 --expect start_near="$t0s" >"$T/dlj.canon" 2>"$T/dlj.perr"; then
	lab_ok "json: parsed, partial: true, counts add up and match the list"
else
	lab_bad "json: the parser found problems:"
	sed 's/^/       /' "$T/dlj.perr"
fi
if cut -f1 "$T/dlj.canon" | cmp -s - "$T/all"; then
	lab_ok "json --all: every address of $P once, even the undecided ones"
else
	lab_bad "json --all: the address list is not every address of $P once"
fi
# verdict/reason pairs that may occur, and no live address free
badrows=$(awk -F'\t' 'NR == FNR { live[$0]; next }
	!(($3 == "used" && $4 == "echo-reply" && ($1 in live)) ||
	  ($3 == "free" && $4 == "no-reply" && !($1 in live)) ||
	  ($3 == "unknown" && $4 == "deadline"))' "$T/live" "$T/dlj.canon" | head -n 5)
if [[ -z $badrows ]]; then
	lab_ok "json: used = live with echo-reply, free = silent with no-reply, the rest unknown (deadline)"
else
	lab_bad "json: unexpected rows: $badrows"
fi
ndl=$(awk -F'\t' '$4 == "deadline"' "$T/dlj.canon" | wc -l)
if ((ndl > 0)); then
	lab_ok "json: $ndl addresses unknown with reason 'deadline'"
else
	lab_bad "json: no address has reason 'deadline' though the run was cut short"
fi
lab_finish
