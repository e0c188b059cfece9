#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# tests/lab/demo.sh IPSWEEP -- `make demo`: build a lab holding the three
# ranges of the shipped ranges.conf (live hosts at the positions listed in
# demolab.sh), sweep each by name inside the lab's scanner namespace, show
# the command, stdout, stderr and exit status, check that no printed free
# address is in use ("false free: 0"), and remove the lab.
#
# Runs as root (network namespaces).  Exits 0 when every sweep ran and no
# address in use was printed free, 1 otherwise.
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
[[ -x $ipsweep ]] || { echo "demo: '$1' is not an executable ipsweep" >&2; exit 1; }
lab_require || exit 1

lab_init
demo_lab_build

# The sweeps run from the repository, with its ranges.conf, as the README
# shows.
cd "$repo" || exit 1
conf=ranges.conf
if [[ ! -r $conf ]]; then
	echo "demo: $repo/ranges.conf is missing" >&2
	exit 1
fi

echo "ipsweep demo"
echo
demo_lab_describe
echo

incomplete=0
total_false=0
for name in "${DEMO_RANGES[@]}"; do
	out=$LAB_TMP/$name.out err=$LAB_TMP/$name.err
	echo "----------------------------------------------------------------------"
	echo "\$ ipsweep -c $conf -i $name"
	t0=$EPOCHREALTIME
	lab_run timeout -k 5 120 "$ipsweep" -c "$conf" -i "$name" >"$out" 2>"$err"
	rc=$?
	t1=$EPOCHREALTIME
	n=$(wc -l <"$out")
	echo "stdout: $n free address(es)$( ((n > 0)) && echo ', in columns:')"
	# In columns: a /24 of free addresses would not fit on a screen.
	((n > 0)) && pr -t -6 -w 96 "$out" | sed 's/^/  /'
	echo "stderr:"
	sed 's/^/  /' "$err"
	echo "exit status: $rc  ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s)"

	# The check: printed free addresses against the addresses in use.
	false_free=$(lab_common "$out" "$DEMO_USED" | tr '\n' ' ')
	nfalse=$(wc -w <<<"$false_free")
	unknown_printed=$(lab_common "$out" "$DEMO_UNKNOWN" | tr '\n' ' ')
	if ((nfalse == 0)); then
		echo "false free: 0"
	else
		echo "false free: $nfalse  ($false_free-- in use, printed free)"
	fi
	if [[ -n $unknown_printed ]]; then
		echo "printed free although behind a prohibiting filter: $unknown_printed"
		nfalse=$((nfalse + $(wc -w <<<"$unknown_printed")))
	fi
	total_false=$((total_false + nfalse))
	case $rc in
	0 | 1 | 3) ;;
	*) incomplete=$((incomplete + 1)) ;;
	esac
done
echo "----------------------------------------------------------------------"
lab_destroy
echo "lab removed."
status=0
if ((total_false > 0)); then
	echo "demo: $total_false address(es) in use were printed free" >&2
	status=1
fi
if ((incomplete > 0)); then
	echo "demo: $incomplete sweep(s) did not complete (see the exit statuses above)" >&2
	status=1
fi
exit "$status"
