#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Without CAP_NET_RAW ipsweep reads the kernel's neighbour table, one dump
# for many addresses.  A dump of a table that changes while it is read
# (entries garbage collected, the hash table grown) can miss entries, and
# "no entry any more" was taken for "resolution failed": the next probe
# then went out while the kernel was still asking ARP for the last one, and
# only waited on that resolution instead of being a try of its own.  At
# 60% ARP loss that made a live host look silent through "eleven" tries
# that were far fewer, and printed it free.
# IPSWEEP_TEST_NEIGH_SKIP=2 (test-only knob, a binary built with
# IPSWEEP_TEST_HOOKS: make test-bin) loses every second entry of every
# dump.  On an on-link /27 (3 live hosts, one of them drops echo requests)
# with -n 2, each silent address must get exactly two whole resolutions:
# 2 x mcast_solicit ARP requests, counted per address by the lan host
# (without the fix, some got one and a half or one); every silent address
# free, every live host used.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
lab_test_hooks IPSWEEP_TEST_NEIGH_SKIP
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is missing"; exit 1; }

P=10.77.52.0/27
printf '%s\n' 10.77.52.5 10.77.52.9 10.77.52.12 >"$LAB_TMP/live"
lab_onlink "$P" 10.77.52.1 @"$LAB_TMP/live"
lab_drop_echo 10.77.52.12
lab_expand "$P" | grep -vx 10.77.52.1 >"$LAB_TMP/all"
lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/silent"
lab_exec "${LAB}l0" nft -f - <<-EOF2
	add table arp lab
	add set arp lab asked { type ipv4_addr; size 1024; flags dynamic; counter; }
	add chain arp lab in { type filter hook input priority 0; policy accept; }
	add rule arp lab in arp operation request add @asked { arp daddr ip }
EOF2
lab_ping_group_range 0 2147483647
solicit=$(lab_run sysctl -n net.ipv4.neigh.o0.mcast_solicit)
lab_run ip neigh flush all

export IPSWEEP_TEST_NEIGH_SKIP=2
REAL=$IPSWEEP
IPSWEEP=$(command -v setpriv)
lab_sweep miss --reuid=65534 --regid=65534 --clear-groups \
	--bounding-set=-all --inh-caps=-all --no-new-privs \
	"$REAL" --all -n 2 -W 500 "$P"
IPSWEEP=$REAL
unset IPSWEEP_TEST_NEIGH_SKIP

# requests per address, "ADDR COUNT"
lab_exec "${LAB}l0" nft list set arp lab asked |
	grep -oE '[0-9.]+ counter packets [0-9]+' |
	awk '{ print $1, $4 }' >"$LAB_TMP/asked"
[[ -s $LAB_TMP/asked ]] || lab_bad "lab: the lan host counted no ARP request"
want=$((2 * solicit))
bad=$(awk -v w="$want" 'NR == FNR { n[$1] = $2; next }
	{ c = ($1 in n) ? n[$1] : 0; if (c != w) printf "%s:%d ", $1, c }' \
	"$LAB_TMP/asked" "$LAB_TMP/silent")
if [[ -z $bad ]]; then
	lab_ok "each of the $(wc -l <"$LAB_TMP/silent") silent addresses was asked ARP exactly $want times (two whole resolutions)"
else
	lab_bad "silent addresses not asked $want times (address:requests): $bad"
fi
[[ $LAB_RC == 0 ]] && lab_ok "exit 0" || lab_bad "exit $LAB_RC, not 0"
awk -F '\t' '$2 == "free" { print $1 }' "$LAB_TMP/miss.out" >"$LAB_TMP/free"
awk -F '\t' '$2 == "used" { print $1 }' "$LAB_TMP/miss.out" >"$LAB_TMP/used"
if cmp -s <(lab_sort_ip "$LAB_TMP/free") <(lab_sort_ip "$LAB_TMP/silent"); then
	lab_ok "every silent address free, nothing else"
else
	lab_bad "free addresses differ from the silent ones: $(tr '\n' ' ' <"$LAB_TMP/free")"
fi
if [[ -z $(lab_minus "$LAB_TMP/live" "$LAB_TMP/used") ]]; then
	lab_ok "every live host used ($(grep -E '^10\.77\.52\.(5|9|12)	' "$LAB_TMP/miss.out" | cut -f1,3 | tr '\t\n' ': '))"
else
	lab_bad "live hosts not used: $(lab_minus "$LAB_TMP/live" "$LAB_TMP/used" | tr '\n' ' ')"
fi
lab_finish
