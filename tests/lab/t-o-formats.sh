#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --format csv, json and ndjson read back with real parsers (Python's csv
# and json modules through o-parse.py, python3 -m json.tool, and jq when
# installed) and agree with the plain output of the same lab: a routed /24
# with a known live set, one address behind an admin-prohibited filter and
# one special (skipped) address.  For each format, the default selection
# lists exactly the free set, --alive exactly the live set, and --all every
# expanded address exactly once with its verdict, reason, rtt and the first
# name on the command line that holds it (two named ranges of a -c file, one
# with an exclusion and a name that needs quoting in csv and escaping in
# json, then two literal targets).  The json run header is checked too.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
T=$LAB_TMP

P=10.77.41.0/24
PROHIB=10.77.41.77
{
	lab_pick 41 60 "$P"
	printf '%s\n' 10.77.41.1 10.77.41.60 10.77.41.200 10.77.41.254
} | lab_sort_ip | grep -vx "$PROHIB" >"$T/live"
lab_routed "$P" @"$T/live"
lab_prohibit "$PROHIB"
lab_expand "$P" >"$T/all"
{ cat "$T/live"; echo "$PROHIB"; } | lab_sort_ip >"$T/notfree"
lab_minus "$T/all" "$T/notfree" >"$T/free"
nall=$(wc -l <"$T/all") nlive=$(wc -l <"$T/live") nfree=$(wc -l <"$T/free")
echo "lab: $P, $nlive live, $PROHIB admin-prohibited, $nfree free"

# Ranges: "office" .1-.120 less .60-.69; 'q"t\x' .200-.210 (a name with a
# double quote and a backslash: both are allowed by ranges.conf(5)).
QNAME='q"t\x'
cat >"$T/ranges.conf" <<EOF
[office]
range = 10.77.41.1-10.77.41.120
exclude = 10.77.41.60-10.77.41.69

[$QNAME]
range = 10.77.41.200-10.77.41.210
EOF
# The first name that holds each address, in command-line order:
#   office, q"t\x, 10.77.41.128/25 (without .128, its network address, and
#   .255), then 10.77.41.0/24 for the rest (.60-.69, .121-.128).
ARGS=(-c "$T/ranges.conf" -W 500 -j 2 -i office "$QNAME" 10.77.41.128/25 "$P" 224.0.0.1)
# Expected canonical rows (o-parse.py's columns 1-4 and 6):
# ADDRESS RANGE VERDICT REASON RTT
QNAME="$QNAME" PROHIB="$PROHIB" awk -F. '
	NR == FNR { live[$0]; next }
	{
		o = $4 + 0
		if ((o >= 1 && o <= 59) || (o >= 70 && o <= 120)) r = "office"
		else if (o >= 200 && o <= 210) r = ENVIRON["QNAME"]
		else if (o >= 129 && o <= 254) r = "10.77.41.128/25"
		else r = "10.77.41.0/24"
		if ($0 in live) v = "used\techo-reply\tnum"
		else if ($0 == ENVIRON["PROHIB"]) v = "unknown\tadmin-prohibited\tnull"
		else v = "free\tno-reply\tnull"
		split(v, w, "\t")
		printf "%s\t%s\t%s\t%s\t%s\n", $0, r, w[1], w[2], w[3]
	}' "$T/live" "$T/all" >"$T/exp.all"
awk -F'\t' '$3 == "free"' "$T/exp.all" >"$T/exp.free"
awk -F'\t' '$3 == "used"' "$T/exp.all" >"$T/exp.alive"

# o_same WHAT EXPECTED ACTUAL: byte-identical files (order matters).
o_same() {
	local e=$2 a=$3
	[[ $e == - ]] && { cat >"$LAB_TMP/.o_same.e"; e=$LAB_TMP/.o_same.e; }
	[[ $a == - ]] && { cat >"$LAB_TMP/.o_same.a"; a=$LAB_TMP/.o_same.a; }
	set -- "$1" "$e" "$a"
	if cmp -s "$2" "$3"; then
		lab_ok "$1 ($(wc -l <"$3") lines)"
	else
		lab_bad "$1: differs (- expected, + actual)"
		diff -u "$2" "$3" | tail -n +3 | head -n 30 | sed 's/^/       /'
	fi
}

lab_run "$IPSWEEP" --version >"$T/version" 2>&1
VERSION=$(awk '$1 == "ipsweep" { print $2 }' "$T/version")
[[ -n $VERSION ]] || lab_bad "ipsweep --version printed no version: $(cat "$T/version")"

# Plain output of the same lab: what the structured formats must agree with.
lab_sweep plain "${ARGS[@]}"
lab_check_rc "plain (one address unknown)" 3 "$LAB_RC"
o_same "plain: stdout is the free set, sorted" "$T/free" "$T/plain.out"
if grep -qE "(^|: )$((nall + 1)) addresses: $nfree free, $nlive used, 1 unknown, 1 skipped\$" "$T/plain.err"; then
	lab_ok "plain: summary counts $((nall + 1)) = $nfree free + $nlive used + 1 unknown + 1 skipped"
else
	lab_bad "plain: no summary '$((nall + 1)) addresses: $nfree free, $nlive used, 1 unknown, 1 skipped'"
fi
lab_sweep plainalive --alive "${ARGS[@]}"
lab_check_rc "plain --alive" 3 "$LAB_RC"
o_same "plain --alive: stdout is the live set, sorted" "$T/live" "$T/plainalive.out"

for fmt in csv json ndjson; do
	for sel in free alive all; do
		tag=$fmt-$sel
		selopt=()
		[[ $sel != free ]] && selopt=("--$sel")
		t0=$(date +%s)
		lab_sweep "$tag" --format "$fmt" "${selopt[@]}" "${ARGS[@]}"
		lab_check_rc "$tag" 3 "$LAB_RC"
		popt=()
		[[ $sel == all ]] && popt=(--all)
		if [[ $fmt == json ]]; then
			popt+=(--expect "version=$VERSION" --expect jobs=2
				--expect count=2 --expect timeout_ms=500
				--expect rate_pps=20000 --expect partial=false
				--expect total=$((nall + 1)) --expect free="$nfree"
				--expect used="$nlive" --expect unknown=1
				--expect skipped=1 --expect start_near="$t0")
		fi
		if "$PY" "$HERE/o-parse.py" "$fmt" "$T/$tag.out" "${popt[@]}" \
			>"$T/$tag.canon" 2>"$T/$tag.perr"; then
			lab_ok "$tag: parsed, every field as documented$([[ $fmt == json ]] && echo ', run header as expected')"
		else
			lab_bad "$tag: the parser found problems:"
			sed 's/^/       /' "$T/$tag.perr"
		fi
		cut -f1-4,6 "$T/$tag.canon" >"$T/$tag.rows"
		o_same "$tag: address, range, verdict, reason, rtt as expected" "$T/exp.$sel" "$T/$tag.rows"
		case $sel in
		free) cut -f1 "$T/$tag.canon" | o_same "$tag: addresses = plain stdout" "$T/plain.out" - ;;
		alive) cut -f1 "$T/$tag.canon" | o_same "$tag: addresses = plain --alive stdout" "$T/plainalive.out" - ;;
		all)
			# every expanded address once, and nothing else
			cut -f1 "$T/$tag.canon" | o_same "$tag: every expanded address exactly once" "$T/all" -
			# probes: -n 2; a live address answers the first probe
			badp=$(awk -F'\t' '($3 == "used" && $5 != 1) || ($3 == "free" && $5 != 2) || ($3 == "unknown" && $5 < 1)' "$T/$tag.canon")
			if [[ -z $badp ]]; then
				lab_ok "$tag: probes: 1 for used, 2 (-n 2) for free, >= 1 for unknown"
			else
				lab_bad "$tag: unexpected probe counts: $(head -n 3 <<<"$badp")"
			fi
			;;
		esac
	done
done

# The same run in three formats says the same thing, field for field.
o_same "csv --all and json --all agree in every field" "$T/csv-all.canon" "$T/json-all.canon"
o_same "ndjson --all and json --all agree in every field" "$T/ndjson-all.canon" "$T/json-all.canon"
for fmt in csv json ndjson; do
	awk -F'\t' '$3 == "free"' "$T/$fmt-all.canon" | o_same "$fmt: default selection = the free rows of --all" - "$T/$fmt-free.canon"
	awk -F'\t' '$3 == "used"' "$T/$fmt-all.canon" | cut -f1-4,6,7 >"$T/$fmt-all.used"
	cut -f1-4,6,7 "$T/$fmt-alive.canon" | o_same "$fmt: --alive = the used rows of --all" "$T/$fmt-all.used" -
done

# Other parsers: python3 -m json.tool, and jq when installed.
for sel in free alive all; do
	if "$PY" -m json.tool "$T/json-$sel.out" >/dev/null 2>"$T/jt.err"; then
		lab_ok "json-$sel: python3 -m json.tool accepts it"
	else
		lab_bad "json-$sel: python3 -m json.tool refuses it: $(head -c 300 "$T/jt.err")"
	fi
	if "$PY" -m json.tool --json-lines "$T/ndjson-$sel.out" >/dev/null 2>"$T/jt.err"; then
		lab_ok "ndjson-$sel: python3 -m json.tool --json-lines accepts every line"
	else
		lab_bad "ndjson-$sel: python3 -m json.tool --json-lines refuses it: $(head -c 300 "$T/jt.err")"
	fi
done
if command -v jq >/dev/null 2>&1; then
	# shellcheck disable=SC2016
	JQROW='.address + "\t" + .range + "\t" + .verdict + "\t" + .reason + "\t" + (if .rtt_ms == null then "null" elif (.rtt_ms | type) == "number" then "num" else "bad" end)'
	for sel in free alive all; do
		jq -r ".addresses[] | $JQROW" "$T/json-$sel.out" >"$T/jq-json-$sel" 2>&1
		o_same "jq: json-$sel rows" "$T/exp.$sel" "$T/jq-json-$sel"
		jq -r "$JQROW" "$T/ndjson-$sel.out" >"$T/jq-ndjson-$sel" 2>&1
		o_same "jq: ndjson-$sel rows" "$T/exp.$sel" "$T/jq-ndjson-$sel"
		if jq -e -s 'length > 0 and all(type == "object")' "$T/ndjson-$sel.out" >/dev/null &&
			[[ $(jq -c . "$T/ndjson-$sel.out" | wc -l) == $(wc -l <"$T/ndjson-$sel.out") ]]; then
			lab_ok "jq: ndjson-$sel: one JSON object per line"
		else
			lab_bad "jq: ndjson-$sel: not one JSON object per line"
		fi
	done
	got=$(jq -r '[.counts.total, .counts.free, .counts.used, .counts.unknown, .counts.skipped, .partial, (.start | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")), (.method | IN("raw", "datagram", "exec"))] | map(tostring) | join(" ")' "$T/json-all.out" 2>&1)
	want="$((nall + 1)) $nfree $nlive 1 1 false true true"
	if [[ $got == "$want" ]]; then
		lab_ok "jq: json header: counts $want (total free used unknown skipped partial start-ok method-ok)"
	else
		lab_bad "jq: json header: '$got', expected '$want'"
	fi
else
	echo "  (jq not installed: jq checks skipped)"
fi
lab_finish
