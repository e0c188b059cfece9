#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The history in PostgreSQL, two sites: a real server of the test's own
# (initdb in a temporary directory, a Unix socket only, no TCP, run as the
# postgres user), and two labs, one after the other, each with its own
# scanner namespace and the same range: at site "south" 10.77.113.5 is
# live, at site "north" it is silent.  South sweeps 2 h and 1 h ago
# (IPSWEEP_TEST_NOW of build/hooks/ipsweep), north sweeps now with
# --free-for 1h: the addresses silent at both sites are free (south's watch
# covers the hour), and .5 is used by south's evidence (history-seen).
# --last-seen from north shows south's sighting.  The server is stopped and
# removed on exit, also on failure.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
lab_test_hooks IPSWEEP_TEST_NOW
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x $PGBIN/initdb ]] || { echo "no PostgreSQL server binaries (make deps: postgresql)"; exit 1; }
id postgres >/dev/null 2>&1 || { echo "no postgres user (make deps: postgresql)"; exit 1; }

PGDIR=$(mktemp -d /tmp/ipsweep-pg.XXXXXX) || exit 1
chown postgres: "$PGDIR" && chmod 755 "$PGDIR"
pg() { runuser -u postgres -- "$@"; }
pg_stop() {
	[[ -n ${PGDIR:-} ]] || return 0
	[[ -f $PGDIR/data/postmaster.pid ]] &&
		pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$PGDIR"
	PGDIR=
}
# the server goes with the lab, however the test ends
traps() {
	trap 'pg_stop; lab_destroy' EXIT
	trap 'pg_stop; lab_destroy; trap - EXIT; exit 130' INT
	trap 'pg_stop; lab_destroy; trap - EXIT; exit 143' TERM
	trap 'pg_stop; lab_destroy; trap - EXIT; exit 129' HUP
}
traps
pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-sync >"$PGDIR/initdb.log" 2>&1 ||
	{ cat "$PGDIR/initdb.log"; echo "initdb failed"; exit 1; }
pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 30 \
	-o "-c listen_addresses='' -c unix_socket_directories='$PGDIR' -c fsync=off" start >/dev/null ||
	{ cat "$PGDIR/server.log"; echo "the server did not start"; exit 1; }
pg "$PGBIN/createdb" -h "$PGDIR" ipsweep || { echo "createdb failed"; exit 1; }
psql_q() { pg "$PGBIN/psql" -h "$PGDIR" -d ipsweep -Atc "$1"; }
[[ $(psql_q "SHOW listen_addresses") == "" ]] && lab_ok "server: Unix socket only (no listen_addresses)" ||
	lab_bad "server listens on '$(psql_q "SHOW listen_addresses")'"
URL="postgresql:///ipsweep?host=$PGDIR&user=postgres"
unset IPSWEEP_DB

P=10.77.113.0/28
X=10.77.113.5
now=$(date +%s)

# ---- site south: X live
printf '%s\n' 10.77.113.1 "$X" >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_run ping -n -q -c 1 -W 1 "$X" >/dev/null 2>&1 && lab_ok "south: $X answers" ||
	lab_bad "south: $X does not answer"
IPSWEEP_TEST_NOW=$((now - 7200)) lab_sweep s1 --db "$URL" --site south -W 300 "$P"
lab_check_rc "south, 2 h ago" 0 "$LAB_RC"
IPSWEEP_TEST_NOW=$((now - 3600)) lab_sweep s2 --db "$URL" --site south -W 300 "$P"
lab_check_rc "south, 1 h ago" 0 "$LAB_RC"
# the second run rewrote the used rows and touched the others (last_checked
# only): every row checked 1 h ago, watched since 2 h ago
n=$(psql_q "SELECT count(*) FROM addresses WHERE site = 'south' AND last_checked = $((now - 3600)) AND checked_since = $((now - 7200))")
[[ $n == 14 ]] && lab_ok "south: 14 rows checked 1 h ago, watched since 2 h ago" ||
	lab_bad "south: $n rows checked 1 h ago and watched since 2 h ago, expected 14"
lab_destroy

# ---- site north: a lab of its own, X silent there
lab_init
traps
printf '%s\n' 10.77.113.1 10.77.113.9 >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_run ping -n -q -c 1 -W 1 "$X" >/dev/null 2>&1 && lab_bad "north: $X answers" ||
	lab_ok "north: $X is silent"
lab_expand "$P" >"$LAB_TMP/all"
# free at north and never seen at south: all but .1, .5, .9
grep -vxE '10\.77\.113\.(1|5|9)' "$LAB_TMP/all" >"$LAB_TMP/free"
IPSWEEP_TEST_NOW=$now lab_sweep n1 --db "$URL" --site north --all --free-for 1h -W 300 "$P"
lab_check_rc "north, --free-for 1h" 0 "$LAB_RC"
grep -qx "$X	used	history-seen" "$LAB_TMP/n1.out" &&
	lab_ok "north: $X is used by south's evidence (history-seen)" ||
	lab_bad "north: $X is '$(grep "^$X	" "$LAB_TMP/n1.out")'"
lab_check_list "north, --free-for 1h: free = silent at both sites" "$LAB_TMP/free" \
	<(awk -F'\t' '$2 == "free" { print $1 }' "$LAB_TMP/n1.out")
IPSWEEP_TEST_NOW=$now lab_sweep n2 --db "$URL" --last-seen "$P"
lab_check_rc "north, --last-seen" 0 "$LAB_RC"
ls_x=$(awk -F'\t' -v a="$X" '$1 == a { print $3 }' "$LAB_TMP/n2.out")
[[ $ls_x == echo-reply ]] && lab_ok "north, --last-seen: $X seen by echo-reply (at south)" ||
	lab_bad "north, --last-seen: $X evidence '$ls_x'"
n=$(psql_q "SELECT string_agg(site || ':' || n, ' ' ORDER BY site) FROM (SELECT site, count(*) n FROM runs GROUP BY site) r")
[[ $n == "north:1 south:2" ]] && lab_ok "runs per site: $n" || lab_bad "runs per site: '$n'"
n=$(psql_q "SELECT count(*) FROM addresses")
[[ $n == 28 ]] && lab_ok "one row per address and site: 28" || lab_bad "$n address rows, expected 28"
lab_finish
