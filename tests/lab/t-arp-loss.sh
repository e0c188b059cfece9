#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Loss-aware ARP: on a directly connected /24 with ~80 live hosts, the lan
# host ignores 30% of the ARP requests it gets (nftables, arp family).
# Two requests alone would miss about 9% of the live hosts.  ipsweep
# measures the ARP loss on the addresses that answered, asks silent ones
# again until a live one staying silent is unlikely, prints no live host
# free, and says on stderr what loss it measured.  The first run has
# --max-count 20: each of the two workers measures the loss on its half of
# the live hosts and trusts an upper bound of it, which at 30% wants 11 to
# 13 requests, at the default cap of 12; with room, most silent addresses
# must come out free (loss-aware, not merely unknown).  With --max-count 2 the
# loss measured asks for more requests than allowed: the silent addresses
# are unknown (loss-too-high), none is free.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.44.0/24
lab_pick 44 300 "$P" | grep -vx 10.77.44.1 | lab_sort_ip >"$LAB_TMP/live"
lab_onlink "$P" 10.77.44.1 @"$LAB_TMP/live"
lab_exec "${LAB}l0" nft -f - <<-EOF2
	add table arp lab
	add chain arp lab in { type filter hook input priority 0; policy accept; }
	add rule arp lab in arp operation request numgen random mod 100 < 30 counter drop
EOF2
{ cat "$LAB_TMP/live"; echo 10.77.44.1; } >"$LAB_TMP/used"
echo "lab: $P on-link, $(wc -l <"$LAB_TMP/live") live, 30% of ARP requests ignored"

lab_sweep arp --all --max-count 20 "$P"
case $LAB_RC in
0 | 3) lab_ok "exit $LAB_RC (0, or 3 with unknown addresses)" ;;
*) lab_bad "exit $LAB_RC, expected 0 or 3" ;;
esac
awk -F'\t' '$2 == "free" { print $1 }' "$LAB_TMP/arp.out" >"$LAB_TMP/arp.free"
ff=$(lab_common "$LAB_TMP/arp.free" "$LAB_TMP/live" | wc -l)
if [[ $ff == 0 ]]; then
	lab_ok "no live host printed free"
else
	lab_bad "$ff live hosts printed free"
fi
if [[ $(wc -l <"$LAB_TMP/arp.free") -gt 100 ]]; then
	lab_ok "$(wc -l <"$LAB_TMP/arp.free") silent addresses free"
else
	lab_bad "only $(wc -l <"$LAB_TMP/arp.free") addresses free"
fi
if grep -qE '^ipsweep: ARP loss [0-9.]+% measured on [0-9]+ answering addresses; silent addresses were asked up to [0-9]+ times$' "$LAB_TMP/arp.err"; then
	lab_ok "stderr states the ARP loss: $(grep '^ipsweep: ARP loss' "$LAB_TMP/arp.err")"
else
	lab_bad "no ARP loss statement on stderr"
fi
pct=$(sed -nE 's/^ipsweep: ARP loss ([0-9]+)\..*/\1/p' "$LAB_TMP/arp.err")
if [[ -n $pct ]] && ((pct >= 15 && pct <= 45)); then
	lab_ok "measured ARP loss ${pct}% is near the 30% ignored"
else
	lab_bad "measured ARP loss '${pct}' is far from 30%"
fi
most=$(sed -nE 's/.*were asked up to ([0-9]+) times$/\1/p' "$LAB_TMP/arp.err")
if [[ -n $most ]] && ((most > 2)); then
	lab_ok "silent addresses were asked $most times (more than -n 2)"
else
	lab_bad "silent addresses were asked '${most}' times"
fi

lab_sweep cap --all --max-count 2 "$P"
lab_check_rc "--max-count 2" 3 "$LAB_RC"
if [[ -z $(awk -F'\t' '$2 == "free"' "$LAB_TMP/cap.out") ]]; then
	lab_ok "--max-count 2: nothing free"
else
	lab_bad "--max-count 2: $(awk -F'\t' '$2 == "free"' "$LAB_TMP/cap.out" | wc -l) addresses free"
fi
n=$(awk -F'\t' '$2 == "unknown" && $3 == "loss-too-high"' "$LAB_TMP/cap.out" | wc -l)
if ((n > 100)); then
	lab_ok "--max-count 2: $n silent addresses unknown (loss-too-high)"
else
	lab_bad "--max-count 2: $n addresses loss-too-high"
fi
lab_finish
