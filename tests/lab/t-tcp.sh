#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# DEPENDS ON --tcp: fails until ipsweep accepts `--tcp PORTS` (issue 5,
# "TCP evidence") and reports its evidence as reasons tcp-accept and
# tcp-refused.
#
# --tcp finds hosts that drop ICMP echo.  In 10.77.13.0/28, routed:
#   .1 .2  answer echo
#   .10    drops echo, but a TCP listener on $PORT accepts: used, tcp-accept
#          (its other ports drop SYNs, so that no refusal races the accept)
#   .11    drops echo, no listener: its kernel answers a SYN with an RST,
#          which proves a host is there: used, tcp-refused
#   rest   silent to everything (blackholed): free
# And 10.77.13.20, outside that sweep, owned by nobody: the router rejects
# TCP to it with ICMP port unreachable, as a firewall may.  Linux reports
# that as ECONNREFUSED too, but it proves nothing about .20: not used.
# The same sweep without --tcp prints .10 and .11 free, which shows that
# the lab really hides them from ICMP (else this test could not fail).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.13.0/24
T=10.77.13.0/28
PORT=8080
PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3

lab_routed "$P" 10.77.13.1 10.77.13.2 10.77.13.10 10.77.13.11
lab_drop_echo 10.77.13.10 10.77.13.11
H=${LAB}h
lab_expand "$T" >"$LAB_TMP/all"
printf '%s\n' 10.77.13.1 10.77.13.2 10.77.13.10 10.77.13.11 >"$LAB_TMP/used"
lab_minus "$LAB_TMP/all" "$LAB_TMP/used" >"$LAB_TMP/free"
printf '%s\n' 10.77.13.1 10.77.13.2 >"$LAB_TMP/used_icmp"
lab_minus "$LAB_TMP/all" "$LAB_TMP/used_icmp" >"$LAB_TMP/free_icmp"

# The listener, in the hosts namespace only; its pid from inside, since
# lab_exec's own pid is a subshell's.
# shellcheck disable=SC2016 # $$ and $1-$4 belong to the inner sh
lab_exec "$H" sh -c 'echo $$ >"$1"; exec "$2" -m http.server "$3" --bind "$4"' \
	sh "$LAB_TMP/listener.pid" "$PY" "$PORT" 10.77.13.10 \
	>"$LAB_TMP/listener.log" 2>&1 &
LISTENER=$!
for _ in $(seq 100); do
	lab_exec "$H" ss -Hltn "sport = :$PORT" | grep -q . && break
	sleep 0.1
done
if lab_exec "$H" ss -Hltn "sport = :$PORT" | grep -q 10.77.13.10; then
	lab_ok "listener on 10.77.13.10:$PORT"
else
	lab_bad "no listener on 10.77.13.10:$PORT: $(cat "$LAB_TMP/listener.log")"
fi

lab_exec "$H" nft -f - <<-EOF || lab_bad "cannot add the host's TCP filter"
	add table ip tcphost
	add chain ip tcphost in { type filter hook input priority 0; policy accept; }
	add rule ip tcphost in ip daddr 10.77.13.10 tcp dport != $PORT drop
EOF

lab_sweep icmp "$T"
lab_check_rc "without --tcp" 0 "$LAB_RC"
lab_check_list "without --tcp: the ICMP-dropping hosts look free" "$LAB_TMP/free_icmp" "$LAB_TMP/icmp.out"

lab_sweep tcp --tcp "22,80,$PORT" "$T"
lab_check_rc "--tcp" 0 "$LAB_RC"
for a in 10.77.13.10 10.77.13.11; do
	if grep -qx "$a" "$LAB_TMP/tcp.out"; then
		lab_bad "--tcp: $a drops echo but answers TCP, and was printed FREE"
	fi
done
lab_check_list "--tcp: free = all but the four hosts" "$LAB_TMP/free" "$LAB_TMP/tcp.out"
lab_check_summary tcp 14 10 4 0

lab_sweep all --all --tcp "22,80,$PORT" "$T"
lab_check_rc "--all --tcp" 0 "$LAB_RC"
# check_line ADDR VERDICT [REASON]: the --all line of ADDR (tab separated)
check_line() {
	local got want="$2${3:+ $3}"
	got=$(awk -F '\t' -v a="$1" -v r="${3:+1}" \
		'$1 == a { print (r ? $2 " " $3 : $2) }' "$LAB_TMP/all.out")
	if [[ $got == "$want" ]]; then
		lab_ok "--all: $1 $want"
	else
		lab_bad "--all: $1 is '${got:-missing}', expected '$want'"
	fi
}
check_line 10.77.13.10 used tcp-accept
check_line 10.77.13.11 used tcp-refused
check_line 10.77.13.1 used echo-reply
check_line 10.77.13.5 free

lab_exec "${LAB}r" nft -f - <<-EOF || lab_bad "cannot add the router's TCP reject rule"
	add table ip tcpfw
	add chain ip tcpfw fw { type filter hook forward priority 0; policy accept; }
	add rule ip tcpfw fw ip daddr 10.77.13.20 tcp flags syn reject with icmp type port-unreachable
EOF
lab_sweep fw --all --tcp "22,80,$PORT" 10.77.13.20
got=$(awk -F '\t' '$1 == "10.77.13.20" { print $2 }' "$LAB_TMP/fw.out")
case $got in
free | unknown) lab_ok "--tcp: a router's ICMP port unreachable for 10.77.13.20 leaves it $got" ;;
*) lab_bad "--tcp: 10.77.13.20 is '${got:-missing}': a router's ICMP port unreachable must not make it used" ;;
esac

if [[ -s $LAB_TMP/listener.pid ]] && kill "$(cat "$LAB_TMP/listener.pid")" 2>/dev/null; then
	wait "$LISTENER"
fi
lab_finish
