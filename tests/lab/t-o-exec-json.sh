#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The structured formats with --method exec (ping(8) per address): the json
# header says method "exec", the rows agree with the plain output of the
# same method, and every member is as ipsweep(1) documents it, including
# "rtt_ms (a number for used addresses, else null)".
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
T=$LAB_TMP

if ! lab_run sh -c 'command -v ping' >/dev/null 2>&1; then
	lab_bad "ping(8) is not installed: --method exec cannot run"
	lab_finish
fi
P=10.77.53.0/28
printf '%s\n' 10.77.53.1 10.77.53.3 10.77.53.14 >"$T/live"
lab_routed 10.77.53.0/24 @"$T/live"
lab_expand "$P" >"$T/all"
lab_minus "$T/all" "$T/live" >"$T/free"
awk 'NR == FNR { live[$0]; next }
	{ print $0 "\t" (($0 in live) ? "used\techo-reply\tnum" : "free\tno-reply\tnull") }' \
	"$T/live" "$T/all" >"$T/exp.all"

lab_sweep plain --method exec -j 8 -n 1 -W 1000 "$P"
lab_check_rc "--method exec, plain" 0 "$LAB_RC"
lab_check_list "--method exec, plain: the free set" "$T/free" "$T/plain.out"

t0=$(date +%s)
lab_sweep json --method exec -j 8 -n 1 -W 1000 --format json --all "$P"
lab_check_rc "--method exec --format json --all" 0 "$LAB_RC"
if "$PY" "$HERE/o-parse.py" json "$T/json.out" --all --expect method=exec \
	--expect count=1 --expect jobs=8 --expect total=14 --expect free=11 --expect used=3 \
	--expect unknown=0 --expect partial=false --expect start_near="$t0" \
	>"$T/json.canon" 2>"$T/json.perr"; then
	lab_ok "json: parsed; method exec; every member as documented"
else
	lab_bad "json: the parser found problems:"
	sed 's/^/       /' "$T/json.perr"
fi
# The rows without the parser's judgement of rtt_ms: what the document says.
"$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
for o in d["addresses"]:
    rtt = "null" if o["rtt_ms"] is None else ("num" if isinstance(o["rtt_ms"], (int, float)) else "bad")
    print("\t".join([o["address"], o["verdict"], o["reason"], rtt]))
' "$T/json.out" >"$T/json.rows" 2>&1
if cmp -s "$T/exp.all" "$T/json.rows"; then
	lab_ok "json: used = live with echo-reply and a numeric rtt_ms, free = the rest with null"
else
	lab_bad "json: rows differ (- expected, + actual; ADDRESS VERDICT REASON RTT)"
	diff -u "$T/exp.all" "$T/json.rows" | tail -n +3 | head -n 20 | sed 's/^/       /'
fi
lab_finish
