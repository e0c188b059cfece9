#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# tests/lab/lab-shell.sh IPSWEEP -- `make lab-shell`: build the demo lab
# (demolab.sh) and open an interactive shell in its scanner namespace, with
# the binary's directory first in PATH and IPSWEEP_CONFIG pointing at the
# repository's ranges.conf, so that `ipsweep -i 10.121.49` works as in the
# README.  The lab is removed when the shell exits (or when this script is
# ended by any signal but SIGKILL; run-tests.sh removes leftovers of those).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lab.sh"
. "$here/demolab.sh"

if (($# != 1)); then
	echo "usage: $0 IPSWEEP" >&2
	exit 2
fi
ipsweep=$(lab_abspath "$1")
[[ -x $ipsweep ]] || echo "lab-shell: warning: '$1' is not executable yet" >&2
bindir=$(dirname "$ipsweep")
lab_require || exit 1

lab_init
demo_lab_build

shell=${SHELL:-/bin/bash}
[[ -x $shell ]] || shell=/bin/bash

echo "======================================================================"
echo " ipsweep lab shell: you are root in network namespace $LAB_SCAN."
echo " Only the lab is reachable from here; no packet leaves the lab."
echo
demo_lab_describe | sed 's/^/ /'
echo
echo " PATH starts with $bindir"
echo " IPSWEEP_CONFIG=$repo/ranges.conf"
echo " Try:   ipsweep -i 10.121.49        ipsweep -v --alive -i 10.72.83"
echo "        ping -c1 10.72.84.11        ip route; ip neigh"
echo " Other lab namespaces: $(lab_netns | tr '\n' ' ')"
echo "   (look inside with: ip netns exec NAME ip addr)"
echo " The lab is removed when you leave this shell (exit or Ctrl-D)."
echo "======================================================================"

rc_file=$LAB_TMP/bashrc
{
	# shellcheck disable=SC2016 # expanded by the lab shell, not here
	echo '[ -r ~/.bashrc ] && . ~/.bashrc'
	echo "PS1='[ipsweep-lab] \\w\\\$ '"
} >"$rc_file"

# A trapped (not ignored) SIGINT: the shell inherits the default disposition
# and handles Ctrl-C itself, while this script keeps waiting for it.
trap ':' INT
cd "$repo" || exit 1
args=(-i)
[[ $(basename "$shell") == bash ]] && args=(--rcfile "$rc_file" -i)
lab_run env PATH="$bindir:$PATH" IPSWEEP_CONFIG="$repo/ranges.conf" \
	IPSWEEP_LAB="$LAB" "$shell" "${args[@]}"
rc=$?
trap 'lab_destroy; trap - EXIT; exit 130' INT
lab_destroy
echo "lab-shell: lab removed."
exit "$rc"
