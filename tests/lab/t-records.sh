#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Records as evidence: `reserved =`, `dhcp-pool =`, DHCP lease files of
# ISC dhcpd, Kea and dnsmasq written here (leases active now, ended within
# the grace, ended two days ago, freed), and an IPAM CSV export.  In a
# routed range where everything but one address is silent, the records
# hold back exactly the reserved, pooled, leased and documented
# addresses: the sweep without them first shows that all of those are
# silent, so that only the records can have held them back.  --all, csv and
# json carry the reason and the lease's client or the IPAM name; the
# summary counts them.  A lease file that is missing or corrupt stops the
# run (exit 2) before a probe, naming the file.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
T=$LAB_TMP

P=10.77.121.0/24
lab_routed "$P" 10.77.121.1
R=10.77.121.1-10.77.121.70
now=$(date +%s)
isc_time() { date -u -d "@$1" '+%w %Y/%m/%d %H:%M:%S'; }

# ISC: .20 active a day on, .21 ended 30 min ago (grace), .22 ended two
# days ago, .23 active then freed, .24 never ends, .25 epoch form.
cat >"$T/dhcpd.leases" <<EOF
# The format of this file is documented in the dhcpd.leases(5) manual page.
authoring-byte-order little-endian;
lease 10.77.121.20 {
  starts $(isc_time $((now - 3600)));
  ends $(isc_time $((now + 86400)));
  binding state active;
  hardware ethernet 52:54:00:00:00:20;
  client-hostname "isc-twenty";
}
lease 10.77.121.21 {
  ends $(isc_time $((now - 1800)));
  binding state active;
}
lease 10.77.121.22 {
  ends $(isc_time $((now - 172800)));
  binding state active;
}
lease 10.77.121.23 {
  ends $(isc_time $((now + 86400)));
  binding state active;
}
lease 10.77.121.23 {
  ends $(isc_time $((now + 86400)));
  binding state free;
}
lease 10.77.121.24 { ends never; binding state active; }
lease 10.77.121.25 { ends epoch $((now + 600)); binding state active; }
EOF
# Kea: .30 active, .31 expired-reclaimed, .32 declined (held), .33 ended
# two days ago.
cat >"$T/kea-leases4.csv" <<EOF
address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id
10.77.121.30,52:54:00:00:00:30,,3600,$((now + 3000)),1,0,0,kea-thirty,0,,0
10.77.121.31,52:54:00:00:00:31,,3600,$((now + 3000)),1,0,0,,2,,0
10.77.121.32,,,3600,$((now + 3000)),1,0,0,,1,,0
10.77.121.33,52:54:00:00:00:33,,3600,$((now - 172800)),1,0,0,,0,,0
EOF
# dnsmasq: .40 active, .41 infinite (0), .42 ended two days ago.
cat >"$T/dnsmasq.leases" <<EOF
$((now + 3600)) 52:54:00:00:00:40 10.77.121.40 dnsmasq-forty 01:52:54:00:00:00:40
0 52:54:00:00:00:41 10.77.121.41 * *
$((now - 172800)) 52:54:00:00:00:42 10.77.121.42 old *
EOF
# IPAM (NetBox columns): .45 active, .46 deprecated, .47 reserved.
cat >"$T/ipam.csv" <<EOF
IP Address,VRF,Status,Role,DNS Name,Description
10.77.121.45/24,,Active,,printer.example.net,
10.77.121.46/24,,Deprecated,,old.example.net,
10.77.121.47/24,,Reserved,,,"VIP, do not use"
EOF
cat >"$T/ranges.conf" <<EOF
dhcp-leases = dnsmasq.leases      # the settings: every range
[recs]
range = $R
reserved = 10.77.121.2, 10.77.121.8/30
dhcp-pool = 10.77.121.60-10.77.121.70
dhcp-leases = isc:dhcpd.leases
dhcp-leases = $T/kea-leases4.csv
ipam-csv = ipam.csv
EOF
printf '%s\n' 10.77.121.2 10.77.121.8 10.77.121.9 10.77.121.10 10.77.121.11 \
	10.77.121.20 10.77.121.21 10.77.121.24 10.77.121.25 10.77.121.30 \
	10.77.121.32 10.77.121.40 10.77.121.41 10.77.121.45 10.77.121.47 \
	>"$T/held"
lab_expand 10.77.121.60-10.77.121.70 >>"$T/held"
lab_expand "$R" | grep -vx 10.77.121.1 >"$T/silent"
lab_minus "$T/silent" "$T/held" >"$T/free"

# The lab: without the records every one of them is free (silent).
lab_sweep bare -n 1 -W 300 "$R"
lab_check_rc "no records" 0 "$LAB_RC"
lab_check_list "no records: every silent address free" "$T/silent" "$T/bare.out"

lab_sweep recs -n 1 -W 300 -c "$T/ranges.conf" recs
lab_check_rc "records" 0 "$LAB_RC"
lab_check_list "records hold back exactly the recorded addresses" "$T/free" "$T/recs.out"
lab_check_summary recs 70 $(($(wc -l <"$T/free"))) $((1 + $(wc -l <"$T/held"))) 0
want="$(wc -l <"$T/held") held back by records: 5 reserved, 8 dhcp-lease, 11 dhcp-pool, 2 ipam"
if grep -qF "$want" "$T/recs.err"; then
	lab_ok "summary: '$want'"
else
	lab_bad "no summary '$want': $(grep 'held back' "$T/recs.err")"
fi

lab_sweep all -n 1 -W 300 --all -c "$T/ranges.conf" recs
check_line() { # ADDR REGEX: the --all line of ADDR matches
	if grep -qE "^$1	$2" "$T/all.out"; then
		lab_ok "--all: $1 $2"
	else
		lab_bad "--all: $1: '$(grep "^$1	" "$T/all.out")', want /$2/"
	fi
}
check_line 10.77.121.2 'used	reserved$'
check_line 10.77.121.11 'used	reserved$'
check_line 10.77.121.20 'used	dhcp-lease	DHCP lease: isc-twenty \(52:54:00:00:00:20\), ends [0-9-]+ [0-9:]+ UTC$'
check_line 10.77.121.21 'used	dhcp-lease	'
check_line 10.77.121.22 'free	no-reply$'
check_line 10.77.121.23 'free	no-reply$'
check_line 10.77.121.24 'used	dhcp-lease	DHCP lease: never ends$'
check_line 10.77.121.30 'used	dhcp-lease	DHCP lease: kea-thirty \(52:54:00:00:00:30\)'
check_line 10.77.121.31 'free	'
check_line 10.77.121.33 'free	'
check_line 10.77.121.40 'used	dhcp-lease	DHCP lease: dnsmasq-forty \(52:54:00:00:00:40\)'
check_line 10.77.121.41 'used	dhcp-lease	DHCP lease: 52:54:00:00:00:41, never ends$'
check_line 10.77.121.42 'free	'
check_line 10.77.121.45 'used	ipam	documented in the IPAM: printer.example.net status Active$'
check_line 10.77.121.46 'free	'
check_line 10.77.121.47 'used	ipam	documented in the IPAM: VIP, do not use status Reserved$'
check_line 10.77.121.65 'used	dhcp-pool$'

lab_sweep csv -n 1 -W 300 --all --format csv -c "$T/ranges.conf" recs
# (the history's last_seen and free_since may follow: ipsweep(1))
if grep -qE '^10\.77\.121\.47,recs,used,ipam,1,,"documented in the IPAM: VIP, do not use status Reserved"(,[0-9TZ:-]*,[0-9TZ:-]*)?$' "$T/csv.out"; then
	lab_ok "csv: the IPAM name, quoted"
else
	lab_bad "csv: $(grep '^10.77.121.47,' "$T/csv.out")"
fi
lab_sweep json -n 1 -W 300 --all --format json -c "$T/ranges.conf" recs
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = {x["address"]: x for x in d["addresses"]}
assert a["10.77.121.40"]["reason"] == "dhcp-lease", a["10.77.121.40"]
assert "dnsmasq-forty" in a["10.77.121.40"]["evidence"]
assert a["10.77.121.2"]["verdict"] == "used"
assert d["counts"]["used"] == int(sys.argv[2]), d["counts"]
' "$T/json.out" $((1 + $(wc -l <"$T/held"))); then
	lab_ok "json: reasons, evidence and counts"
else
	lab_bad "json: does not parse or disagrees"
fi

# A missing file, and a corrupt one: exit 2 before any probe.
lab_icmp_counter_start
sed 's/kea-leases4.csv/nothere.csv/' "$T/ranges.conf" >"$T/missing.conf"
lab_sweep missing -n 1 -W 300 -c "$T/missing.conf" recs
lab_check_rc "a missing lease file" 2 "$LAB_RC"
if grep -qF "ipsweep: $T/nothere.csv: No such file or directory (dhcp-leases, named at $T/missing.conf:7)" "$T/missing.err"; then
	lab_ok "the missing file is named, with where it was named"
else
	lab_bad "missing file message: $(cat "$T/missing.err")"
fi
head -c 150 "$T/dhcpd.leases" >"$T/cut.leases"
sed 's/isc:dhcpd.leases/cut.leases/' "$T/ranges.conf" >"$T/cut.conf"
lab_sweep cut -n 1 -W 300 -c "$T/cut.conf" recs
lab_check_rc "a truncated lease file" 2 "$LAB_RC"
if grep -qE "ipsweep: $T/cut.leases:[0-9]+: " "$T/cut.err"; then
	lab_ok "the truncated file is named with its line"
else
	lab_bad "truncated file message: $(cat "$T/cut.err")"
fi
lab_check_empty "stdout of the failed runs" "$T/cut.out"
n=$(lab_icmp_counter)
if [[ $n == 0 ]]; then
	lab_ok "no ICMP sent by the runs that failed on their records"
else
	lab_bad "$n ICMP packets sent by runs that should have stopped first"
fi
lab_finish
