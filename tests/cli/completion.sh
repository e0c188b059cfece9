#!/bin/bash
# tests/cli/completion.sh IPSWEEP -- the bash completion
# (completions/ipsweep.bash) sourced with bash-completion and asked to
# complete command lines for IPSWEEP: every option of --help, the values
# of --format and --method, range names from --list of the configuration
# named with -c.  Skipped, saying so, without bash-completion.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
bc=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
if (($# != 1)); then
	echo "usage: $0 IPSWEEP" >&2
	exit 2
fi
if [[ ! -r $bc ]]; then
	echo "skip completion: $bc missing (apt-get install bash-completion)"
	exit 0
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/other.conf" <<-EOF2
	[lab-a]
	range = 192.0.2.1-192.0.2.5
	[lab-b]
	range = 192.0.2.9
	[office]
	range = 198.51.100.0/30
EOF2
pass=0 fail=0

# complete LINE: the completions bash offers at the end of LINE, sorted,
# one a line (LINE's words split on blanks; a trailing blank: a new word)
complete_line() {
	BIN=$bin LINE=$1 BC=$bc COMP=$here/completions/ipsweep.bash bash -c '
		. "$BC" || exit 1
		. "$COMP" || exit 1
		# only real completion may set options; nospace is not tested
		compopt() { :; }
		read -r -a COMP_WORDS <<<"$LINE"
		[[ $LINE == *" " ]] && COMP_WORDS+=("")
		COMP_WORDS[0]=$BIN
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$BIN ${LINE#* }"
		COMP_POINT=${#COMP_LINE}
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		_ipsweep "$BIN" "$cur" "$prev"
		printf "%s\n" "${COMPREPLY[@]}"' | sort
}

# expect NAME LINE WANT...: the completions of LINE are exactly WANT
expect() {
	local name=$1 line=$2 got want
	shift 2
	got=$(complete_line "$line")
	want=$(printf '%s\n' "$@" | sort)
	if [[ $got == "$want" ]]; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: '$line' completed to:"
		printf '%s\n' "$got" | sed 's/^/  | /'
		echo "  wanted:"
		printf '%s\n' "$want" | sed 's/^/  | /'
		fail=$((fail + 1))
	fi
}

cd "$here" || exit 1
expect format-opt "ipsweep --form" --format=
expect format-val "ipsweep --format " csv json ndjson plain
expect format-eq "ipsweep --format=n" ndjson
expect method-val "ipsweep --method " auto exec icmp
expect ranges-shipped "ipsweep -c ranges.conf -i 10.72" 10.72.83 10.72.84
expect ranges-other "ipsweep -c $tmp/other.conf lab" lab-a lab-b
expect ranges-other-ip "ipsweep --config=$tmp/other.conf --ip o" office
# the configuration in use without -c: here $IPSWEEP_CONFIG
IPSWEEP_CONFIG=$tmp/other.conf expect ranges-env "ipsweep -q " lab-a lab-b office
expect number-arg "ipsweep --jobs " ""
expect short-opt "ipsweep -q" -q

# Every long option of --help is offered after "--".
all=$(complete_line "ipsweep --")
missing=""
for o in $("$bin" --help | grep -oE -- '--[a-z0-9-]+' | sort -u); do
	grep -qE -- "^$o=?\$" <<<"$all" || missing="$missing $o"
done
if [[ -z $missing && $(wc -l <<<"$all") -ge 20 ]]; then
	echo "ok   every option of --help ($(wc -l <<<"$all") offered)"
	pass=$((pass + 1))
else
	echo "FAIL options not offered:${missing:- (too few: $(wc -l <<<"$all"))}"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
((fail == 0))
