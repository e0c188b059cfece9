#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The parent under valgrind --leak-check=full on a lab sweep: no memory
# error and no leak (exit 9 from valgrind otherwise), and the same free list
# as without valgrind.  Workers are not followed: they leave with _exit()
# and hold their job tables to the end by design.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

if grep -q __asan_init "$IPSWEEP" 2>/dev/null; then
	# valgrind and AddressSanitizer cannot share a process; the plain
	# build's run of this test is the one that counts.
	echo "  skip: $IPSWEEP is built with AddressSanitizer"
	exit 0
fi
if ! command -v valgrind >/dev/null; then
	lab_bad "valgrind is not installed (make deps installs it)"
	lab_finish
fi
P=10.77.21.0/26
lab_pick 41 150 "$P" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/free"
printf '[vg]\nrange = %s\ncanary = %s\n' "$P" "$(head -1 "$LAB_TMP/live")" \
    >"$LAB_TMP/ranges.conf"

for fmt in plain json; do
	echo "  \$ valgrind ipsweep --format $fmt -c ranges.conf vg"
	ip netns exec "$LAB_SCAN" timeout 120 valgrind -q --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect,possible \
	    --error-exitcode=9 --child-silent-after-fork=yes \
	    "$IPSWEEP" --format "$fmt" -c "$LAB_TMP/ranges.conf" vg \
	    >"$LAB_TMP/$fmt.out" 2>"$LAB_TMP/$fmt.err"
	rc=$?
	sed 's/^/    | /' "$LAB_TMP/$fmt.err"
	lab_check_rc "valgrind, --format $fmt" 0 "$rc"
done
lab_check_list "under valgrind: the complement" "$LAB_TMP/free" "$LAB_TMP/plain.out"
lab_finish
