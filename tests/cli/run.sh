#!/bin/bash
# run.sh - command-line tests: run the built ipsweep, check stdout, stderr
# and exit status for the "Configuration and command line" rows of
# TESTPLAN.md, and the man pages against --help.
#
#   bash tests/cli/run.sh ./ipsweep
#
# Nothing here sends a packet: every run of ipsweep uses --dry-run, --list,
# --help, --usage or --version (run() refuses anything else), so even a
# broken error path cannot start a sweep.  Prints one line per failed check
# and ends with "N passed, N failed"; exits 1 when a check failed.

set -u

if [ $# -ne 1 ]; then
	echo "usage: bash tests/cli/run.sh PATH-TO-IPSWEEP" >&2
	exit 2
fi
IPSWEEP=$(realpath -- "$1") || exit 2
ROOT=$(realpath -- "$(dirname -- "$0")/../..") || exit 2
[ -x "$IPSWEEP" ] || { echo "run.sh: $IPSWEEP is not executable" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipsweep-cli.XXXXXX") || exit 2
trap 'rm -rf -- "$TMP"' EXIT
chmod 0755 "$TMP"   # the unreadable-file check runs as nobody
mkdir "$TMP/home"

passed=0
failed=0

pass() { passed=$((passed + 1)); }

# visible TEXT -- TEXT on one line: control bytes shown, newlines as \n
visible() {
	local s
	s=$(printf '%s' "$1" | cat -v)
	printf '%s' "${s//$'\n'/\\n}"
}

# fail NAME WHAT EXPECTED GOT -- one line saying what differs
fail() {
	failed=$((failed + 1))
	printf 'FAIL %s: %s: expected '\''%s'\'', got '\''%s'\''\n' "$1" "$2" \
	    "$(visible "$3")" "$(visible "$4")"
}

# eq NAME WHAT EXPECTED GOT
eq() {
	if [ "$3" == "$4" ]; then pass; else fail "$@"; fi
}

# match NAME WHAT REGEX GOT -- extended regex, whole text
match() {
	if printf '%s' "$4" | grep -Eqz -- "^($3)\$"; then
		pass
	else
		fail "$1" "$2" "/$3/" "$4"
	fi
}

# re STRING -- STRING as an extended regex that matches only itself
re() {
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# Environment for every run: no configuration of the user's leaks in.
ENVV=()

# run ARGS... -- ipsweep in a clean environment; sets OUT, ERR, RC
run() {
	local a safe=0
	for a in "$@"; do
		case $a in
		--dry-run|--list|--help|--usage|--version) safe=1 ;;
		esac
	done
	if [ $safe = 0 ]; then
		echo "run.sh: refusing to run ipsweep $* (it could probe)" >&2
		exit 2
	fi
	timeout 5 env -i PATH="$PATH" HOME="$TMP/home" LC_ALL=C \
	    "${ENVV[@]}" "$IPSWEEP" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	# --dry-run's cost estimate is checked on its own (EST), so that the
	# other checks can ask for an otherwise exact stderr.
	EST=$(grep -E '^ipsweep: [0-9]+ addresses to probe: ' \
	    "$TMP/err")
	ERR=$(grep -vE '^ipsweep: [0-9]+ addresses to probe: ' \
	    "$TMP/err")
}

# expect NAME RC STDOUT STDERR ARGS... -- exact stdout, stderr, status
expect() {
	local name=$1 rc=$2 out=$3 err=$4
	shift 4
	run "$@"
	eq "$name" "exit status" "$rc" "$RC"
	eq "$name" "stdout" "$out" "$OUT"
	eq "$name" "stderr" "$err" "$ERR"
}

# usage_err MESSAGE -- what a usage error prints on stderr
usage_err() {
	printf 'ipsweep: %s\nTry '\''ipsweep --help'\'' for more information.' \
	    "$1"
}

# conf NAME CONTENT -- write CONTENT (printf format) to $TMP/NAME
conf() {
	# shellcheck disable=SC2059
	printf "$2" >"$TMP/$1"
}

# seq_addrs PREFIX FIRST LAST -- PREFIX.FIRST .. PREFIX.LAST, one a line
seq_addrs() {
	local i
	for ((i = $2; i <= $3; i++)); do echo "$1.$i"; done
}

# the system file, as --help shows it
SYSCONF_FILE=$("$IPSWEEP" --help |
    sed -n 's|^ *\(/.*/ipsweep/ranges\.conf\)$|\1|p')
[ -n "$SYSCONF_FILE" ] || SYSCONF_FILE=/etc/ipsweep/ranges.conf

########################################################################
# Configuration files that cannot be read

expect missing 2 "" "ipsweep: $TMP/nope.conf: No such file or directory" \
    --dry-run -c "$TMP/nope.conf" lab
expect missing-list 2 "" \
    "ipsweep: $TMP/nope.conf: No such file or directory" \
    --list -c "$TMP/nope.conf"
# literal targets need no configuration
expect missing-literal 0 "127.0.0.1" "" \
    --dry-run -c "$TMP/nope.conf" 127.0.0.1

mkdir "$TMP/dir.conf"
expect directory 2 "" "ipsweep: $TMP/dir.conf: Is a directory" \
    --dry-run -c "$TMP/dir.conf" lab
# a file that exists but is broken is an error even for a literal target
expect directory-literal 2 "" "ipsweep: $TMP/dir.conf: Is a directory" \
    --dry-run -c "$TMP/dir.conf" 127.0.0.1

mkfifo "$TMP/fifo.conf"
run --dry-run -c "$TMP/fifo.conf" lab
eq fifo "exit status (124: it hung)" 2 "$RC"
eq fifo stdout "" "$OUT"
match fifo stderr "ipsweep: $(re "$TMP/fifo.conf"): [ -~]+" "$ERR"

conf unreadable.conf '[lab]\nrange = 10.0.0.1\n'
chmod 000 "$TMP/unreadable.conf"
if [ "$(id -u)" != 0 ]; then
	expect unreadable 2 "" \
	    "ipsweep: $TMP/unreadable.conf: Permission denied" \
	    --dry-run -c "$TMP/unreadable.conf" lab
elif setpriv --reuid=65534 --regid=65534 --clear-groups \
    test -x "$IPSWEEP" 2>/dev/null; then
	# root reads any file: run this one check as nobody
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    env -i PATH="$PATH" HOME=/nonexistent LC_ALL=C timeout 5 \
	    "$IPSWEEP" --dry-run -c "$TMP/unreadable.conf" lab \
	    >"$TMP/out" 2>"$TMP/err"
	eq unreadable "exit status" 2 "$?"
	eq unreadable stdout "" "$(cat "$TMP/out")"
	eq unreadable stderr \
	    "ipsweep: $TMP/unreadable.conf: Permission denied" \
	    "$(cat "$TMP/err")"
else
	echo "skip unreadable: running as root, which reads any file, and" \
	    "nobody cannot run $IPSWEEP"
fi

########################################################################
# Empty configurations

conf empty.conf ''
expect empty 2 "" "ipsweep: unknown range 'lab'
ipsweep: no ranges defined in $TMP/empty.conf" \
    --dry-run -c "$TMP/empty.conf" lab
conf comments.conf '# nothing here\n\n   # indented\n\t\n#'
expect comments-only 2 "" "ipsweep: unknown range 'lab'
ipsweep: no ranges defined in $TMP/comments.conf" \
    --dry-run -c "$TMP/comments.conf" lab
expect empty-list 0 "" "ipsweep: no ranges defined in $TMP/empty.conf" \
    --list -c "$TMP/empty.conf"
expect empty-list-quiet 0 "" "" --list -q -c "$TMP/empty.conf"

########################################################################
# Over-long lines: the tail must never be read as a line of its own

x1023=$(printf '%*s' 1023 '' | tr ' ' x)
conf long1.conf "[lab]\nrange = 10.0.0.1\n#${x1023}[evil]\nrange = 10.9.9.9\n"
expect long-section 2 "" "ipsweep: $TMP/long1.conf:3: line too long" \
    --dry-run -c "$TMP/long1.conf" lab
conf long2.conf "[lab]\n#${x1023}x range = 10.9.9.9\n"
expect long-key 2 "" "ipsweep: $TMP/long2.conf:2: line too long" \
    --dry-run -c "$TMP/long2.conf" lab
conf long3.conf "[lab]\nrange = 10.0.0.1 #${x1023}\n"
expect long-value 2 "" "ipsweep: $TMP/long3.conf:2: line too long" \
    --dry-run -c "$TMP/long3.conf" lab
# 1024 bytes before the line end are still fine, with LF or CRLF
conf long-ok.conf "[lab]\n#${x1023}\r\nrange = 10.0.0.1 \n#${x1023}"
expect long-ok 0 "10.0.0.1" "" --dry-run -c "$TMP/long-ok.conf" lab

########################################################################
# NUL bytes, binary junk, control characters: the line, escaped

conf nul.conf '[lab]\nrange = 10.0.0.1\0range = 10.9.9.9\n'
run --dry-run -c "$TMP/nul.conf" lab
eq nul "exit status" 2 "$RC"
eq nul stdout "" "$OUT"
match nul stderr "ipsweep: $(re "$TMP/nul.conf"):2: [ -~]+" "$ERR"

conf junk.conf \
    '[lab]\nrange = 10.0.0.1\n\x7fELF\x02\x01\x01\xff\xfe\x1b[2J\x9b\n'
run --dry-run -c "$TMP/junk.conf" lab
eq junk "exit status" 2 "$RC"
eq junk stdout "" "$OUT"
match junk stderr "ipsweep: $(re "$TMP/junk.conf"):3: [ -~]+" "$ERR"

conf ctl.conf '[lab]\nrange = 10.0.0.1\n[la\x1b[31mb]\nrange = 10.0.0.2\n'
run --dry-run -c "$TMP/ctl.conf" lab
eq ctl-name "exit status" 2 "$RC"
eq ctl-name stdout "" "$OUT"
match ctl-name stderr \
    "ipsweep: $(re "$TMP/ctl.conf"):3: [ -~]*\\\\x1b\\[31m[ -~]*" "$ERR"

# control characters in a name on the command line are escaped too
conf one.conf '[lab]\nrange = 10.0.0.1\n'
expect ctl-arg 2 "" "ipsweep: unknown range 'a\\x1b[2Jb'
ipsweep: known ranges: lab" \
    --dry-run -c "$TMP/one.conf" "$(printf 'a\033[2Jb')"

########################################################################
# CRLF and no final newline: the same result as LF

body='# pool\n[a]\nrange = 10.1.0.0/29, 10.1.0.20-22 # tail\n'
body+='exclude = 10.1.0.3\n\n[b]\nrange=10.2.0.1 10.2.0.5-10.2.0.6\n'
conf lf.conf "$body"
conf crlf.conf "$(printf '%s' "$body" | sed 's/\\n/\\r\\n/g')"
conf nofinal.conf "${body%\\n}"
conf crlf-nofinal.conf \
    "$(printf '%s' "$body" | sed 's/\\n/\\r\\n/g;s/\\r\\n$//')"
run --dry-run -c "$TMP/lf.conf" a b
want_lf=$OUT
eq lf "dry run" "10.1.0.1
10.1.0.2
10.1.0.4
10.1.0.5
10.1.0.6
10.1.0.20
10.1.0.21
10.1.0.22
10.2.0.1
10.2.0.5
10.2.0.6" "$want_lf"
run --list -c "$TMP/lf.conf"
list_lf=${OUT//"$TMP/lf.conf"/FILE}
eq lf "list" "a	8	FILE:2
b	3	FILE:6" "$list_lf"
for f in crlf nofinal crlf-nofinal; do
	expect "$f" 0 "$want_lf" "" --dry-run -c "$TMP/$f.conf" a b
	run --list -c "$TMP/$f.conf"
	eq "$f" list "$list_lf" "${OUT//"$TMP/$f.conf"/FILE}"
done

########################################################################
# Addresses are parsed strictly, in the file and on the command line

n=0
for bad in 256.1.1.1 010.0.0.1 10.1 0x0a.0.0.1 1.2.3.4/33 1.2.3.4/-1 \
    1.2.3.4/ 1.2.3 1.2.3.4.5 1.2.3.4/24 1.2.3.0/024 10.0.0.1/24 \
    255.255.255.250-260 10.0.0.1-10.0.0.256 1.2.3.4-; do
	n=$((n + 1))
	conf "bad$n.conf" "[lab]\nrange = 10.0.0.1\nrange = $bad\n"
	run --dry-run -c "$TMP/bad$n.conf" lab
	eq "bad-in-file '$bad'" "exit status" 2 "$RC"
	eq "bad-in-file '$bad'" stdout "" "$OUT"
	match "bad-in-file '$bad'" stderr \
	    "ipsweep: $(re "$TMP/bad$n.conf"):3: [ -~]+" "$ERR"
done
for bad in 256.1.1.1 010.0.0.1 0x0a.0.0.1 1.2.3.4/33 1.2.3.4/-1 1.2.3.4/ \
    1.2.3.4.5 10.0.0.1/24 255.255.255.250-260; do
	run --dry-run -c "$TMP/one.conf" "$bad"
	eq "bad-arg '$bad'" "exit status" 2 "$RC"
	eq "bad-arg '$bad'" stdout "" "$OUT"
	match "bad-arg '$bad'" stderr "ipsweep: [ -~]*'$(re "$bad")'[ -~]*" \
	    "$ERR"
done
# short forms read as range names, never as addresses
expect short-form 2 "" "ipsweep: unknown range '10.1'
ipsweep: known ranges: lab" --dry-run -c "$TMP/one.conf" 10.1

########################################################################
# Big blocks, the expansion limit, exact counts, reversed ranges

expect slash0 2 "" \
    "ipsweep: 4294967294 addresses exceed the limit of 65536 (see --max-addresses)" \
    --dry-run 0.0.0.0/0
expect slash0-cap 2 "" \
    "ipsweep: 4294967294 addresses exceed the limit of 16777216 (see --max-addresses)" \
    --dry-run --max-addresses 16777216 0.0.0.0/0
expect slash1 2 "" \
    "ipsweep: 2147483646 addresses exceed the limit of 65536 (see --max-addresses)" \
    --dry-run 128.0.0.0/1
expect slash8 2 "" \
    "ipsweep: 16777214 addresses exceed the limit of 65536 (see --max-addresses)" \
    --dry-run 10.0.0.0/8
conf big.conf '[big]\nrange = 10.0.0.0/8\n'
expect slash8-conf 2 "" \
    "ipsweep: 16777214 addresses exceed the limit of 65536 (see --max-addresses)" \
    --dry-run -c "$TMP/big.conf" big
# allowed with the cap raised; only its first line is read
first=$(timeout 10 env -i PATH="$PATH" HOME="$TMP/home" "$IPSWEEP" \
    -q --dry-run --max-addresses 16777216 10.0.0.0/8 2>"$TMP/err" |
    head -n 1)
eq slash8-allowed "first line" 10.0.0.1 "$first"
eq slash8-allowed stderr "" "$(cat "$TMP/err")"
# one above the limit, and exactly the limit
expect limit-plus-1 2 "" \
    "ipsweep: 65537 addresses exceed the limit of 65536 (see --max-addresses)" \
    --dry-run 10.0.0.0-10.1.0.0
run --dry-run 10.0.0.0-10.0.255.255
eq limit-exact "exit status" 0 "$RC"
eq limit-exact "line count" 65536 "$(printf '%s\n' "$OUT" | wc -l)"
eq limit-exact "unique lines" 65536 "$(printf '%s\n' "$OUT" | sort -u | wc -l)"
eq limit-exact "last line" 10.0.255.255 "${OUT##*$'\n'}"
expect limit-low 2 "" \
    "ipsweep: 3 addresses exceed the limit of 2 (see --max-addresses)" \
    --dry-run --max-addresses 2 127.0.0.1-3
# the count after merging, not the sum of the parts
expect limit-merged 0 "$(seq_addrs 127.0.0 1 3)" "" \
    --dry-run --max-addresses 3 127.0.0.1-3 127.0.0.2 127.0.0.0/30
run --dry-run 10.0.0.0/16
eq slash16 "line count" 65534 "$(printf '%s\n' "$OUT" | wc -l)"
expect slash30 0 "$(seq_addrs 10.9.9 1 2)" "" --dry-run 10.9.9.0/30
expect slash31 0 "$(seq_addrs 10.9.9 0 1)" "" --dry-run 10.9.9.0/31
expect slash32 0 "10.9.9.7" "" --dry-run 10.9.9.7/32
expect reversed 2 "" "ipsweep: reversed range '10.0.0.5-10.0.0.1'" \
    --dry-run 10.0.0.5-10.0.0.1
expect reversed-octet 2 "" "ipsweep: reversed range '10.0.0.5-1'" \
    --dry-run 10.0.0.5-1
conf rev.conf '[lab]\nrange = 10.0.0.5-10.0.0.1\n'
expect reversed-conf 2 "" \
    "ipsweep: $TMP/rev.conf:2: reversed range '10.0.0.5-10.0.0.1'" \
    --dry-run -c "$TMP/rev.conf" lab
expect top 0 "$(seq_addrs 223.255.255 250 255)" "" \
    --dry-run 223.255.255.250-255

########################################################################
# Duplicate names, overlaps, the same address twice

conf dup.conf \
    '[a]\nrange = 10.0.0.1\n[b]\nrange = 10.0.0.2\n\n[a]\nrange = 10.0.0.3\n'
run --dry-run -c "$TMP/dup.conf" b
eq dup-name "exit status" 2 "$RC"
eq dup-name stdout "" "$OUT"
# both line numbers: the duplicate's in front, the first one's in the text
match dup-name stderr \
    "ipsweep: $(re "$TMP/dup.conf"):6: [ -~]*'a'[ -~]*\\b1\\b[ -~]*" "$ERR"
conf overlap.conf \
    '[a]\nrange = 10.0.0.0/29, 10.0.0.2\n[b]\nrange = 10.0.0.4-10\nrange = 10.0.0.6\n'
expect overlap 0 "$(seq_addrs 10.0.0 1 10)" "" \
    --dry-run -c "$TMP/overlap.conf" a b 10.0.0.3 -i a
expect same-twice 0 "$(seq_addrs 127.0.0 1 2)" "" \
    --dry-run 127.0.0.1 127.0.0.1 127.0.0.0/30 127.0.0.1-2
run --dry-run 127.0.0.2 -i 127.0.0.1 127.0.0.1/32
eq same-twice-2 stdout "$(seq_addrs 127.0.0 1 2)" "$OUT"

########################################################################
# Special addresses: skipped with a note; 127/8 is probed

expect special 0 "$(seq_addrs 10.0.0 1 2)
127.0.0.1" \
    "ipsweep: skipping 3 special addresses (this network, multicast, reserved)" \
    --dry-run 0.0.0.0 255.255.255.255 224.0.0.1 127.0.0.1 10.0.0.0/30
expect special-quiet 0 "127.0.0.1" "" \
    --dry-run -q 0.0.0.0 255.255.255.255 127.0.0.1
expect special-verbose 0 "127.0.0.1" "ipsweep: skipping 0.0.0.0 (this network)
ipsweep: skipping 239.255.255.255 (multicast)
ipsweep: skipping 240.0.0.0 (reserved)
ipsweep: skipping 3 special addresses (this network, multicast, reserved)" \
    --dry-run -v 0.0.0.0 239.255.255.255-240.0.0.0 127.0.0.1
expect special-one 0 "" "ipsweep: skipping 1 special address (reserved)" \
    --dry-run 255.255.255.255

########################################################################
# Unknown names

conf three.conf '[lab-a]\nrange = 10.0.0.1\n[lab-b]\nrange = 10.0.0.2\n'
printf '[10.121.49]\nrange = 10.0.0.3\n' >>"$TMP/three.conf"
expect unknown 2 "" "ipsweep: unknown range 'lab-c'
ipsweep: known ranges: lab-a, lab-b, 10.121.49" \
    --dry-run -c "$TMP/three.conf" lab-a lab-c
expect unknown-missing 2 "" \
    "ipsweep: $TMP/nope.conf: No such file or directory" \
    --dry-run -c "$TMP/nope.conf" 127.0.0.1 lab-c
expect unknown-empty 2 "" "ipsweep: unknown range ''
ipsweep: known ranges: lab-a, lab-b, 10.121.49" \
    --dry-run -c "$TMP/three.conf" ""
# a name wins over a target of the same spelling
conf named.conf '[10.0.0.1]\nrange = 10.0.0.9\n'
expect name-first 0 "10.0.0.9" "" --dry-run -c "$TMP/named.conf" 10.0.0.1

########################################################################
# Options: numbers, names, usage errors

for spec in "-j jobs 1 256" "--jobs jobs 1 256" "-n count 1 20" \
    "-W timeout 1 60000" "--timeout timeout 1 60000" \
    "--rate rate 1 1000000" "--max-addresses max-addresses 1 16777216"; do
	read -r opt name lo hi <<<"$spec"
	for v in 0 -1 abc 1e9 99999999999999999999 "" 5x +5 " 5" 0x10 \
	    $((hi + 1)); do
		expect "$opt '$v'" 2 "" \
		    "$(usage_err "option '--$name': '$v' is not a whole number from $lo to $hi")" \
		    --dry-run "$opt" "$v" 127.0.0.1
	done
	expect "$opt $lo" 0 127.0.0.1 "" --dry-run "$opt" "$lo" 127.0.0.1
	expect "$opt $hi" 0 127.0.0.1 "" --dry-run "$opt" "$hi" 127.0.0.1
done
expect method-bad 2 "" \
    "$(usage_err "option '--method': 'ping' is not one of icmp, exec, auto")" \
    --dry-run --method ping 127.0.0.1
for m in icmp exec auto; do
	expect "method-$m" 0 127.0.0.1 "" --dry-run --method "$m" 127.0.0.1
done
expect unknown-option 2 "" "$(usage_err "--frobnicate: unknown option")" \
    --dry-run --frobnicate 127.0.0.1
expect missing-argument 2 "" "$(usage_err "-j: missing argument")" \
    --dry-run 127.0.0.1 -j
expect no-names 2 "" "$(usage_err "no range name or target given")" \
    --dry-run
expect quiet-verbose 2 "" \
    "$(usage_err "options '--quiet' and '--verbose' cannot be used together")" \
    --dry-run -q -v 127.0.0.1
expect list-names 2 "" \
    "$(usage_err "option '--list' takes no range name or target")" \
    --list -c "$TMP/one.conf" lab
expect positional-after-dashes 0 "127.0.0.1" "" --dry-run -- 127.0.0.1
expect version 0 "ipsweep $(sed -n 's/^VERSION *= *//p' "$ROOT/Makefile")" "" \
    --version
run --usage
eq usage "exit status" 0 "$RC"
eq usage stderr "" "$ERR"
match usage stdout "Usage: ipsweep .*" "$OUT"

########################################################################
# The shipped ranges.conf

run --dry-run -c "$ROOT/ranges.conf" -i 10.121.49
eq shipped "exit status" 0 "$RC"
eq shipped stderr "" "$ERR"
eq shipped "addresses" \
    "$(seq_addrs 10.121.49 101 159; seq_addrs 10.121.49 163 194)" "$OUT"
eq shipped "count" 91 "$(printf '%s\n' "$OUT" | wc -l)"
# shipped_line NAME -- the line of [NAME] in the shipped file
shipped_line() {
	grep -n -F "[$1]" "$ROOT/ranges.conf" | grep -v ':#' | cut -d: -f1
}
ENVV=(IPSWEEP_CONFIG="$ROOT/ranges.conf")
expect shipped-list 0 "10.121.49	91	$ROOT/ranges.conf:$(shipped_line 10.121.49)
10.72.84	124	$ROOT/ranges.conf:$(shipped_line 10.72.84)
10.72.83	116	$ROOT/ranges.conf:$(shipped_line 10.72.83)" "" --list
run --dry-run 10.121.49 10.72.84 10.72.83
eq shipped-all count $((91 + 124 + 116)) "$(printf '%s\n' "$OUT" | wc -l)"
ENVV=()

########################################################################
# Output: closed pipes, full disks, closed descriptors

# the reader leaves early: no message, with SIGPIPE at its default ...
err=$( { timeout 10 env -i PATH="$PATH" HOME="$TMP/home" "$IPSWEEP" \
    -q --dry-run 10.0.0.0/16 | head -n 1 >"$TMP/out"; } 2>&1)
eq head-1 stdout 10.0.0.1 "$(cat "$TMP/out")"
eq head-1 stderr "" "$err"
# ... and ignored, when every write fails with EPIPE
(
	trap '' PIPE
	timeout 10 env -i PATH="$PATH" HOME="$TMP/home" "$IPSWEEP" \
	    -q --dry-run 10.0.0.0/16 2>"$TMP/err" | head -n 1 >"$TMP/out"
	exit "${PIPESTATUS[0]}"
)
rc=$?
err=$(cat "$TMP/err")
eq head-1-sigpipe-ignored stdout 10.0.0.1 "$(cat "$TMP/out")"
eq head-1-sigpipe-ignored stderr "" "$err"
eq head-1-sigpipe-ignored "exit status" 141 "$rc"

if [ -w /dev/full ]; then
	for args in "-q --dry-run 127.0.0.1" "-q --dry-run 10.0.0.0/16" "--help" \
	    "--version" "--list -c $ROOT/ranges.conf"; do
		# shellcheck disable=SC2086
		timeout 5 env -i PATH="$PATH" HOME="$TMP/home" LC_ALL=C \
		    "$IPSWEEP" $args >/dev/full 2>"$TMP/err"
		rc=$?
		eq "full '$args'" "exit status" 4 "$rc"
		eq "full '$args'" stderr \
		    "ipsweep: write error: No space left on device" \
		    "$(cat "$TMP/err")"
	done
else
	echo "skip /dev/full: not writable here"
fi

# fds 0, 1, 2 closed at start: nothing breaks, messages still go to fd 2
timeout 5 env -i PATH="$PATH" HOME="$TMP/home" "$IPSWEEP" -q --dry-run \
    127.0.0.1 <&- >"$TMP/out" 2>"$TMP/err"
eq stdin-closed "exit status" 0 "$?"
eq stdin-closed stdout 127.0.0.1 "$(cat "$TMP/out")"
eq stdin-closed stderr "" "$(cat "$TMP/err")"
timeout 5 env -i PATH="$PATH" HOME="$TMP/home" "$IPSWEEP" -q --dry-run \
    127.0.0.1 >&- 2>"$TMP/err"
# stdout closed: /dev/null holds fd 1, and the lost list is a write error
eq stdout-closed "exit status" 4 "$?"
eq stdout-closed stderr "ipsweep: write error: Bad file descriptor" \
    "$(cat "$TMP/err")"
timeout 5 env -i PATH="$PATH" HOME="$TMP/home" LC_ALL=C "$IPSWEEP" \
    --dry-run -j 0 127.0.0.1 <&- >&- 2>"$TMP/err"
eq stdio-closed-error "exit status" 2 "$?"
eq stdio-closed-error stderr \
    "$(usage_err "option '--jobs': '0' is not a whole number from 1 to 256")" \
    "$(cat "$TMP/err")"
timeout 5 env -i PATH="$PATH" HOME="$TMP/home" "$IPSWEEP" --dry-run \
    127.0.0.1 2>&- >"$TMP/out"
eq stderr-closed "exit status" 0 "$?"
eq stderr-closed stdout 127.0.0.1 "$(cat "$TMP/out")"
timeout 5 env -i PATH="$PATH" HOME="$TMP/home" "$IPSWEEP" --dry-run \
    -j 0 127.0.0.1 2>&- >"$TMP/out"
eq stderr-closed-error "exit status" 2 "$?"
eq stderr-closed-error stdout "" "$(cat "$TMP/out")"

########################################################################
# Where the configuration is looked up

L=$TMP/lookup
mkdir -p "$L/xdg/ipsweep" "$L/home/.config/ipsweep" "$L/emptyxdg"
for w in opt env xdg home; do
	printf '[%s]\nrange = 127.0.0.1\n' "$w" >"$L/$w.conf"
done
cp "$L/xdg.conf" "$L/xdg/ipsweep/ranges.conf"
cp "$L/home.conf" "$L/home/.config/ipsweep/ranges.conf"

# lookup NAME EXPECTED-FILE ARGS... (ENVV set by the caller)
lookup() {
	local name=$1 want=$2
	shift 2
	run --list "$@"
	if [ -e "$want" ]; then
		eq "lookup $name" "exit status" 0 "$RC"
		eq "lookup $name" "file" "$want:1" \
		    "$(printf '%s' "$OUT" | cut -f3)"
	else
		eq "lookup $name" "exit status" 2 "$RC"
		eq "lookup $name" stderr \
		    "ipsweep: $want: No such file or directory" "$ERR"
	fi
}
ENVV=(IPSWEEP_CONFIG="$L/env.conf" XDG_CONFIG_HOME="$L/xdg" HOME="$L/home")
lookup option "$L/opt.conf" -c "$L/opt.conf"
lookup env "$L/env.conf"
ENVV=(IPSWEEP_CONFIG= XDG_CONFIG_HOME="$L/xdg" HOME="$L/home")
lookup env-empty "$L/xdg/ipsweep/ranges.conf"
ENVV=(XDG_CONFIG_HOME="$L/xdg" HOME="$L/home")
lookup xdg "$L/xdg/ipsweep/ranges.conf"
ENVV=(HOME="$L/home")
lookup home "$L/home/.config/ipsweep/ranges.conf"
ENVV=(XDG_CONFIG_HOME= HOME="$L/home")
lookup xdg-empty "$L/home/.config/ipsweep/ranges.conf"
ENVV=(XDG_CONFIG_HOME=relative HOME="$L/home")
lookup xdg-relative "$L/home/.config/ipsweep/ranges.conf"
# an XDG directory without the file falls through to the system file
ENVV=(XDG_CONFIG_HOME="$L/emptyxdg" HOME="$L/home")
lookup xdg-without-file "$SYSCONF_FILE"
ENVV=(HOME="$L/emptyxdg")
lookup system "$SYSCONF_FILE"
ENVV=(IPSWEEP_CONFIG="$L/nope.conf" HOME="$L/home")
lookup env-missing "$L/nope.conf"
ENVV=()

########################################################################
# The manual pages against --help

for page in ipsweep.1 ranges.conf.5; do
	if [ -f "$ROOT/man/$page" ]; then
		eq "groff $page" warnings "" \
		    "$(groff -mandoc -ww -z "$ROOT/man/$page" 2>&1)"
	else
		fail "groff $page" "the page" "man/$page" "no such file"
	fi
done

run --help
eq help "exit status" 0 "$RC"
eq help stderr "" "$ERR"
# --name[=ARG] of every option line of --help, and of every .It of OPTIONS
help_opts=$(printf '%s\n' "$OUT" | grep -E '^ +(-[a-zA-Z0-9], )?--[a-z]' |
    sed -E 's/^ +(-[a-zA-Z0-9], )?(--[a-z-]+(=[^ ]+)?).*/\1\2/' | sort)
man_opts=$(sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$ROOT/man/ipsweep.1" |
    grep '^\.It Fl' |
    sed -E 's/^\.It //; s/ Ns = Ns Ar /=/; s/ Ns \| Ns Ar /|/g;
	s/^Fl ([a-zA-Z0-9]) , Fl \\-/-\1, --/; s/^Fl \\-/--/' | sort)
eq "help vs man" "options" "$help_opts" "$man_opts"
# the SYNOPSIS names every long option that the usage line names
help_syn=$("$IPSWEEP" --usage | grep -oE -- '--[a-z-]+' | sort -u)
man_syn=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$ROOT/man/ipsweep.1" |
    grep -oE '\\-[a-z-]+' | sed 's/^\\/-/' | sort -u)
eq "usage vs SYNOPSIS" "long options" "$help_syn" "$man_syn"
eq "help lists options" count 37 "$(printf '%s\n' "$help_opts" | wc -l)"

# --dry-run says on stderr what the sweep would cost, and -q silences it
run --dry-run -n 3 --rate 1000 10.0.0.0/30
eq dry-run-estimate estimate \
    "ipsweep: 2 addresses to probe: 6 probes (up to 26 if loss is seen), about 2.5 s at 1000 packets/s" \
    "$EST"
run -q --dry-run 10.0.0.0/30
eq dry-run-quiet estimate "" "$EST"

# records: the new keys parse (in a range, and the settings before the
# first range), bad values name file and line; --dry-run reads no record
conf records.conf 'dhcp-leases = /nonexistent/dhcpd.leases\ndns = yes\n[lab]\nrange = 10.0.0.1-10.0.0.3\nreserved = 10.0.0.2\ndhcp-pool = 10.0.0.3\ndhcp-leases = kea:k.csv\nipam-csv = i.csv\ndns = no\n'
expect records-keys 0 "$(seq_addrs 10.0.0 1 3)" "" --dry-run -c "$TMP/records.conf" lab
conf rec-fmt.conf '[lab]\nrange = 10.0.0.1\ndhcp-leases = isk:/x\n'
expect records-format 2 "" "ipsweep: $TMP/rec-fmt.conf:3: unknown lease file format 'isk' (isc, kea, dnsmasq or auto)" \
    --dry-run -c "$TMP/rec-fmt.conf" lab
conf rec-dns.conf '[lab]\nrange = 10.0.0.1\ndns = on\n'
expect records-dns 2 "" "ipsweep: $TMP/rec-dns.conf:3: 'dns' is 'yes' or 'no', not 'on'" \
    --dry-run -c "$TMP/rec-dns.conf" lab
conf rec-out.conf 'reserved = 10.0.0.1\n[lab]\nrange = 10.0.0.1\n'
expect records-outside 2 "" "ipsweep: $TMP/rec-out.conf:1: key 'reserved' outside a [range] section" \
    --dry-run -c "$TMP/rec-out.conf" lab
conf rec-empty.conf '[lab]\nrange = 10.0.0.1\nipam-csv =   \n'
expect records-empty 2 "" "ipsweep: $TMP/rec-empty.conf:3: empty value for 'ipam-csv'" \
    --dry-run -c "$TMP/rec-empty.conf" lab
conf rec-nofile.conf '[lab]\nrange = 10.0.0.1\ndhcp-leases = dnsmasq:\n'
expect records-nofile 2 "" "ipsweep: $TMP/rec-nofile.conf:3: no file after the format in 'dhcp-leases'" \
    --dry-run -c "$TMP/rec-nofile.conf" lab
conf rec-resv.conf '[lab]\nrange = 10.0.0.1\nreserved = 10.0.0.300\n'
expect records-reserved-bad 2 "" "ipsweep: $TMP/rec-resv.conf:3: invalid target '10.0.0.300'" \
    --dry-run -c "$TMP/rec-resv.conf" lab
# --dns-server: a.b.c.d or a.b.c.d:port
expect dns-server-ok 0 "10.0.0.1" "" --dry-run --dns-server 192.0.2.53:5353 10.0.0.1
for bad in 192.0.2 192.0.2.53: 192.0.2.53:0 192.0.2.53:65536 ns.example 192.0.2.53:x; do
	expect "dns-server-$bad" 2 "" \
	    "$(usage_err "option '--dns-server': '$bad' is not a.b.c.d or a.b.c.d:port")" \
	    --dry-run --dns-server "$bad" 10.0.0.1
done
# The history's options: strict durations, and the combinations refused
for v in 0d 30 30x -1d 1.5h 3651d "" "1d 2h"; do
	expect "free-for-bad-$v" 2 "" \
	    "$(usage_err "option '--free-for': '$v' is not a duration such as 30d, 12h or 90m")" \
	    --dry-run --free-for "$v" 10.0.0.1
done
expect free-for-ok 0 "10.0.0.1" "" -q --dry-run --free-for 1d12h 10.0.0.1
expect no-history-diff 2 "" \
    "$(usage_err "option '--no-history' cannot be used with '--diff', '--last-seen' or '--free-for'")" \
    --dry-run --no-history --diff 10.0.0.1
expect no-history-free-for 2 "" \
    "$(usage_err "option '--no-history' cannot be used with '--diff', '--last-seen' or '--free-for'")" \
    --dry-run --no-history --free-for 1h 10.0.0.1
expect diff-all 2 "" \
    "$(usage_err "option '--diff' selects the changes: not with '--alive', '--all' or '--first'")" \
    --dry-run --diff --all 10.0.0.1
expect last-seen-dry-run 2 "" \
    "$(usage_err "option '--last-seen' cannot be used with '--diff', '--dry-run' or '--null'")" \
    --dry-run --last-seen 10.0.0.1
conf settings.conf 'db = /nonexistent/h.db\n[lab]\nrange = 10.0.0.1\nfree-for = 2w\n'
expect settings-conf 0 "10.0.0.1" "" -q --dry-run -c "$TMP/settings.conf" lab
conf settings-bad.conf '[lab]\nrange = 10.0.0.1\ndb = /x.db\n'
expect settings-bad 2 "" \
    "ipsweep: $TMP/settings-bad.conf:3: key 'db' belongs in the settings, before the first [range]" \
    --dry-run -c "$TMP/settings-bad.conf" 10.0.0.1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
