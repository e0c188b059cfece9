#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Locale and time zone do not change the output.  The same lab swept with
# the C locale in UTC (the reference), with LC_ALL=C.UTF-8 and
# TZ=Asia/Kathmandu (UTC+05:45), and with LC_ALL=de_DE.UTF-8 (decimal
# comma, thousands dot; compiled with localedef into the lab's scratch
# directory when the system has no such locale) and TZ=Asia/Kathmandu:
# plain stdout, plain --all, the summary and the --dry-run estimate are
# byte-identical; json and csv still parse (a decimal comma would break
# both) and agree field for field; json "start" is UTC ("Z", within
# seconds of the real time, not 5 h 45 off).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
T=$LAB_TMP

P=10.77.52.0/24
PROHIB=10.77.52.40
{
	lab_pick 52 50 "$P"
	echo 10.77.52.1
} | lab_sort_ip | grep -vx "$PROHIB" >"$T/live"
lab_routed "$P" @"$T/live"
lab_prohibit "$PROHIB"

o_same() {
	if cmp -s "$2" "$3"; then
		lab_ok "$1 ($(wc -c <"$3") bytes)"
	else
		lab_bad "$1: differs (- expected, + actual)"
		diff -u "$2" "$3" | tail -n +3 | head -n 12 | sed 's/^/       /'
	fi
}

# The environments: NAME and env(1) assignments (ENV_NAME, read by o_run
# through a nameref).
ENVS=(ref)
# shellcheck disable=SC2034
ENV_ref=()
ENVS+=(cutf8)
# shellcheck disable=SC2034
ENV_cutf8=(LC_ALL=C.UTF-8 TZ=Asia/Kathmandu)
DE=""
if locale -a 2>/dev/null | grep -qix 'de_DE.utf-\?8'; then
	DE=(LC_ALL=de_DE.UTF-8)
elif command -v localedef >/dev/null 2>&1 && mkdir -p "$T/locale" &&
	localedef -i de_DE -f UTF-8 "$T/locale/de_DE.UTF-8" >"$T/localedef.log" 2>&1; then
	DE=(LOCPATH="$T/locale" LC_ALL=de_DE.UTF-8)
fi
if [[ -n ${DE[*]} ]]; then
	ENVS+=(de)
	ENV_de=("${DE[@]}" TZ=Asia/Kathmandu)
	dp=$(lab_run env -u LANG -u LANGUAGE "${ENV_de[@]}" locale -k decimal_point 2>&1)
	if [[ $dp == 'decimal_point=","' ]]; then
		lab_ok "de_DE.UTF-8 is in effect (decimal comma) in the scanner namespace"
	else
		lab_bad "de_DE.UTF-8 did not take effect: $dp"
	fi
else
	echo "  (no de_DE locale and no localedef: de_DE not tested)"
fi

# o_run TAG ENVNAME ARGS...: ipsweep ARGS in the scanner ns with a clean
# locale/TZ plus the environment's assignments.
o_run() {
	local tag=$1 e=$2
	shift 2
	local -n ev="ENV_$e"
	echo "  \$ ${ev[*]} ipsweep $*"
	lab_run timeout -k 5 60 env -u LC_ALL -u LANG -u LANGUAGE -u LC_NUMERIC \
		-u LC_TIME -u LC_MESSAGES -u LC_CTYPE -u TZ -u LOCPATH "${ev[@]}" \
		"$IPSWEEP" "$@" >"$T/$tag.out" 2>"$T/$tag.err"
	LAB_RC=$?
	echo "    exit $LAB_RC, stdout $(wc -l <"$T/$tag.out") lines"
}

for e in "${ENVS[@]}"; do
	o_run "$e.plain" "$e" -W 500 "$P"
	lab_check_rc "$e: plain (one unknown)" 3 "$LAB_RC"
	o_run "$e.all" "$e" -W 500 --all "$P"
	lab_check_rc "$e: --all" 3 "$LAB_RC"
	t0=$(date +%s)
	o_run "$e.json" "$e" -W 500 --all --format json "$P"
	lab_check_rc "$e: --all --format json" 3 "$LAB_RC"
	if "$PY" "$HERE/o-parse.py" json "$T/$e.json.out" --all --expect start_near="$t0" \
		--expect timeout_ms=500 >"$T/$e.json.canon" 2>"$T/$e.json.perr"; then
		lab_ok "$e: json parses, start is UTC within seconds of $(date -u -d "@$t0" +%H:%M:%SZ)"
	else
		lab_bad "$e: json: $(head -n 3 "$T/$e.json.perr")"
	fi
	"$PY" "$HERE/o-parse.py" header "$T/$e.json.out" 2>&1 | grep -Ev '^(start|duration_s)=' >"$T/$e.json.head"
	o_run "$e.csv" "$e" -W 500 --all --format csv "$P"
	lab_check_rc "$e: --all --format csv" 3 "$LAB_RC"
	if "$PY" "$HERE/o-parse.py" csv "$T/$e.csv.out" >"$T/$e.csv.canon" 2>"$T/$e.csv.perr"; then
		lab_ok "$e: csv parses, 7 fields a row, rtt_ms numbers"
	else
		lab_bad "$e: csv: $(head -n 3 "$T/$e.csv.perr")"
	fi
	o_run "$e.dry" "$e" --dry-run -n 3 -W 1500 --rate 1234 "$P"
	lab_check_rc "$e: --dry-run" 0 "$LAB_RC"
done

for e in "${ENVS[@]}"; do
	[[ $e == ref ]] && continue
	o_same "$e: plain stdout byte-identical to the reference" "$T/ref.plain.out" "$T/$e.plain.out"
	o_same "$e: plain --all stdout byte-identical" "$T/ref.all.out" "$T/$e.all.out"
	grep -E 'addresses:' "$T/ref.plain.err" >"$T/ref.sum"
	grep -E 'addresses:' "$T/$e.plain.err" >"$T/$e.sum"
	o_same "$e: the summary line is identical" "$T/ref.sum" "$T/$e.sum"
	o_same "$e: the --dry-run estimate is identical" "$T/ref.dry.err" "$T/$e.dry.err"
	o_same "$e: --dry-run stdout is identical" "$T/ref.dry.out" "$T/$e.dry.out"
	o_same "$e: json --all rows agree with the reference" "$T/ref.json.canon" "$T/$e.json.canon"
	o_same "$e: json header (without start and duration) agrees" "$T/ref.json.head" "$T/$e.json.head"
	o_same "$e: csv --all rows agree with the reference" "$T/ref.csv.canon" "$T/$e.csv.canon"
done
lab_finish
