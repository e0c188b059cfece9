#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# --dns and `dns = yes`: reverse (PTR) lookups through c-ares, against a
# DNS server of the test's own (dnsmasq in the scanner namespace, on its
# lab address, names from a hosts file, NXDOMAIN for the other private
# addresses through --bogus-priv) that /etc/netns/NS/resolv.conf names.
# The lab is shown to resolve first (getent inside the namespace finds the
# names, and not the others).  A sweep with --dns holds back exactly the
# named silent addresses, with their names in --all; without --dns they
# are free.  With the server stopped (getent fails) every silent address
# is unknown, not free (exit 3), as with a server that never answers
# (timeouts); with a server that refuses what it does not know, the
# unnamed addresses are unknown and the named ones used.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T=$LAB_TMP

P=10.77.122.0/24
R=10.77.122.1-10.77.122.40
lab_routed "$P" 10.77.122.1
SERVER=$LAB_DNS_ADDR    # the scanner's own lab address (see lab.sh)
printf '%s\n' "10.77.122.20 h20.lab.example" "10.77.122.21 h21.lab.example" \
	"10.77.122.33 printer.lab.example" >"$T/hosts"
cut -d' ' -f1 "$T/hosts" >"$T/named"
lab_expand "$R" | grep -vx 10.77.122.1 >"$T/silent"
lab_minus "$T/silent" "$T/named" >"$T/free"
lab_resolver "$SERVER"

start_dns() {
	lab_dnsmasq "$T/hosts" "$@"
}

stop_dns() {
	kill "$LAB_DNS_PID" 2>/dev/null
	wait "$LAB_DNS_PID" 2>/dev/null
}

if start_dns --bogus-priv; then
	lab_ok "dnsmasq answers in $LAB_SCAN"
else
	lab_bad "dnsmasq does not answer: $(cat "$LAB_DIR/dnsmasq.log" 2>/dev/null)"
fi
# The lab resolves: the names, and NXDOMAIN for the others.
got=$(lab_run getent hosts 10.77.122.33)
if [[ $got == "10.77.122.33"*"printer.lab.example" ]]; then
	lab_ok "getent in the namespace: $got"
else
	lab_bad "getent hosts 10.77.122.33 in the namespace gave '$got'"
fi
lab_run getent hosts 10.77.122.22 >/dev/null
lab_check_rc "getent of an unnamed address: not found" 2 $?

lab_sweep bare -n 1 -W 300 "$R"
lab_check_rc "without --dns" 0 "$LAB_RC"
lab_check_list "without --dns: every silent address free" "$T/silent" "$T/bare.out"

lab_sweep dns -n 1 -W 300 --dns "$R"
lab_check_rc "--dns" 0 "$LAB_RC"
lab_check_list "--dns holds back exactly the named addresses" "$T/free" "$T/dns.out"
lab_check_summary dns 40 36 4 0
if grep -qF "3 held back by records: 3 dns-ptr" "$T/dns.err"; then
	lab_ok "the summary counts the PTR names"
else
	lab_bad "no 'held back' line: $(cat "$T/dns.err")"
fi

cat >"$T/ranges.conf" <<EOF
[named]
range = $R
dns = yes
EOF
lab_sweep all -n 1 -W 300 --all -c "$T/ranges.conf" named
lab_check_rc "dns = yes, --all" 0 "$LAB_RC"
if grep -qx $'10.77.122.33\tused\tdns-ptr\tPTR printer.lab.example' "$T/all.out" &&
	grep -qx $'10.77.122.20\tused\tdns-ptr\tPTR h20.lab.example' "$T/all.out" &&
	grep -qx $'10.77.122.22\tfree\tno-reply' "$T/all.out"; then
	lab_ok "--all: the PTR names as evidence, the rest free"
else
	lab_bad "--all: $(grep -E '^10.77.122.(20|22|33)\s' "$T/all.out" | tr '\t\n' ' ;')"
fi

# A server that refuses what it does not know (no --bogus-priv, no
# upstream): the named are used, the rest unknown.
stop_dns
start_dns || lab_bad "dnsmasq did not come back"
lab_sweep refused -n 1 -W 300 --dns-server $SERVER "$R"
lab_check_rc "refused" 3 "$LAB_RC"
lab_check_empty "refused: nothing free" "$T/refused.out"
lab_check_summary refused 40 0 4 36

# A server that never answers (a silent, blackholed lab address): every
# lookup times out, and nothing is free.
lab_sweep timeout -n 1 -W 300 --dns-server 10.77.122.250 "$R"
lab_check_rc "timeout" 3 "$LAB_RC"
lab_check_empty "timeout: nothing free" "$T/timeout.out"
lab_check_summary timeout 40 0 1 39
if grep -q "the reverse lookup failed for 39 addresses (Timeout" "$T/timeout.err"; then
	lab_ok "timeout: the 39 lookups failed, said so"
else
	lab_bad "timeout: no message on the failed lookups"
fi

# The server stopped: nothing can be checked, nothing is free.
stop_dns
lab_run getent hosts 10.77.122.20 >/dev/null
lab_check_rc "getent with the server stopped: fails" 2 $?
lab_sweep down -n 1 -W 300 --all --dns "$R"
lab_check_rc "server stopped" 3 "$LAB_RC"
lab_check_summary down 40 0 1 39
n=$(grep -c $'\tunknown\tdns-error\t' "$T/down.out")
if [[ $n == 39 ]]; then
	lab_ok "server stopped: the 39 silent addresses unknown (dns-error), named or not"
else
	lab_bad "server stopped: $n dns-error lines, want 39: $(head -3 "$T/down.out" | tr '\t\n' ' ;')"
fi
lab_finish
