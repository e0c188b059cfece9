#!/bin/bash
# tests/systemd/verify.sh IPSWEEP -- systemd-analyze verify on
# systemd/ipsweep@.service (ExecStart made to point at IPSWEEP) and
# systemd/ipsweep@.timer, for a template and an instance of each, and
# the service's exposure by systemd-analyze security must stay at most
# IPSWEEP_MAX_EXPOSURE (default 2.5; measured 1.9).  Skipped, saying so,
# where systemd-analyze is absent.  --man=no: the manual pages named in
# Documentation= need not be installed here.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
if (($# != 1)); then
	echo "usage: $0 IPSWEEP" >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if ! command -v systemd-analyze >/dev/null; then
	echo "skip systemd units: systemd-analyze is not installed (apt-get install systemd)"
	exit 0
fi
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

sed "s|@BINDIR@|$(dirname "$bin")|g" "$here/systemd/ipsweep@.service.in" \
	>"$dir/ipsweep@.service"
cp "$here/systemd/ipsweep@.timer" "$dir/"
cp "$dir/ipsweep@.service" "$dir/ipsweep@office.service"
cp "$dir/ipsweep@.timer" "$dir/ipsweep@office.timer"
# The substitution really happened and names this binary.
if grep -q "^ExecStart=$bin -q " "$dir/ipsweep@.service" &&
	! grep -q @BINDIR@ "$dir/ipsweep@.service"; then
	ok "ExecStart is $bin"
else
	bad "ExecStart: $(grep ^ExecStart "$dir/ipsweep@.service")"
fi
for u in ipsweep@.service ipsweep@.timer ipsweep@office.service ipsweep@office.timer; do
	if out=$(cd "$dir" && systemd-analyze verify --man=no "./$u" 2>&1) &&
		[[ -z $out ]]; then
		ok "systemd-analyze verify $u: clean"
	else
		bad "systemd-analyze verify $u: $out"
	fi
done
max=${IPSWEEP_MAX_EXPOSURE:-2.5}
out=$(cd "$dir" && systemd-analyze security --offline=yes \
	--threshold=$((${max%.*} * 10 + ${max#*.})) ./ipsweep@office.service 2>&1)
rc=$?
level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
if ((rc == 0)) && [[ -n $level ]]; then
	ok "systemd-analyze security: exposure $level (at most $max)"
else
	bad "systemd-analyze security: exposure '${level:-?}' above $max (exit $rc)"
fi
echo "$pass passed, $fail failed"
((fail == 0))
