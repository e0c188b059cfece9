# shellcheck shell=bash
# tests/lab/e-arp-loss.sh -- the body of t-e-arp-loss-root.sh and
# t-e-arp-loss-unpriv.sh (sourced after lab.sh; not a test by itself).
#
# ARP loss on a segment: 10.80.12.0/24 on-link, scanner 10.80.12.1, 40 live
# hosts; the bridge drops 20%, then 60%, of the ARP requests it forwards
# (lab_arp_loss: nftables in the bridge namespace; netem cannot do this
# here).  A live host whose ARP requests were all lost looks silent, like a
# free address.  Each case runs once at -W 500 and once at -W 1000 (loss is
# random: no repetition, the assertions hold whatever the draw):
#   - the lab: the bridge's counters show that share of requests dropped
#     during that very sweep (a lab check, with generous bounds);
#   - no live host is printed free: the only hard assertion about ipsweep's
#     verdicts;
#   - stderr states the ARP loss measured (loosely: a line with "ARP" and
#     "loss").
# How many silent addresses came out free or unknown is printed for
# information only.
# Options: --confidence 0.9999 for every run, so that a correct run prints
# a live host free with probability 1e-4 at most (the default 0.99 allows
# 1% per run, too much for eight runs); and at 60% as root --max-count 20,
# the highest allowed, since 0.6^12 (the default cap of 12) leaves about
# one live host in 500 silent: the sweep gets room to reach its confidence,
# or else must leave the silent addresses unknown.  Without privilege each
# probe is a whole kernel resolution (3 s): there the default cap of 12
# keeps a run under a minute, and what it cannot confirm is unknown.
# e_arp_loss WHO [PERCENT...]: the runs at those losses (default 20 60),
# each at -W 500 and -W 1000 (or the -W values in E_ARP_LOSS_W).
# WHO: "root" (ipsweep asks ARP itself on an AF_PACKET socket) or "unpriv"
# (nobody, no capabilities, datagram ICMP sockets with the scanner's
# ping_group_range widened: the kernel resolves, ipsweep reads the
# neighbour table).  The scanner's neighbour table is flushed before each
# run, so that every run starts from nothing resolved.

e_arp_loss() {
	local who=$1 P=10.80.12.0/24 S=10.80.12.1 pct W tag args seen dropped share
	local pcts=${*:2}
	pcts=${pcts:-20 60}
	local bad nfree nunk lfree luse lunk ok i
	if [[ $who == unpriv ]]; then
		command -v setpriv >/dev/null || { lab_bad "setpriv (util-linux) is missing"; return; }
	fi
	lab_pick 12 170 "$P" | grep -vx "$S" | head -n 40 >"$LAB_TMP/live"
	lab_onlink "$P" "$S" @"$LAB_TMP/live"
	lab_expand "$P" | grep -vx "$S" >"$LAB_TMP/all"
	lab_minus "$LAB_TMP/all" "$LAB_TMP/live" >"$LAB_TMP/silent"
	echo "lab: $P on-link, scanner $S, $(wc -l <"$LAB_TMP/live") live, $(wc -l <"$LAB_TMP/silent") silent; ipsweep as $who"
	[[ $(wc -l <"$LAB_TMP/live") == 40 ]] || lab_bad "lab: not 40 live hosts"
	[[ $who == unpriv ]] && lab_ping_group_range 0 2147483647

	# The lab, before any sweep: at 60%, one ping to each live host at
	# once (one ARP request each within its second): many must fail.
	lab_arp_loss 60
	lab_run ip neigh flush all
	while read -r a; do
		lab_run ping -n -c 1 -W 1 "$a" >/dev/null 2>&1 &
		echo "$!" >>"$LAB_TMP/pings"
	done <"$LAB_TMP/live"
	ok=0
	while read -r i; do
		wait "$i" && ok=$((ok + 1))
	done <"$LAB_TMP/pings"
	read -r seen dropped < <(lab_arp_counts)
	if ((ok < 35 && dropped > 0)); then
		lab_ok "lab: at 60% ARP loss, $ok of 40 live hosts answered one ping; the bridge dropped $dropped of $seen ARP requests"
	else
		lab_bad "lab: at 60% ARP loss, $ok of 40 live hosts answered one ping; the bridge dropped $dropped of $seen ARP requests"
	fi

	for pct in $pcts; do
		for W in ${E_ARP_LOSS_W:-500 1000}; do
			tag=$who-$pct-$W
			args=(--all --confidence 0.9999 -W "$W")
			[[ $pct == 60 && $who == root ]] && args+=(--max-count 20)
			lab_run ip neigh flush all
			lab_arp_loss "$pct"   # also restarts the counters
			if [[ $who == root ]]; then
				lab_sweep "$tag" "${args[@]}" "$P"
			else
				local real_ipsweep=$IPSWEEP
				IPSWEEP=$(command -v setpriv)
				lab_sweep "$tag" --reuid=65534 --regid=65534 --clear-groups \
					--bounding-set=-all --inh-caps=-all --no-new-privs \
					"$real_ipsweep" "${args[@]}" "$P"
				IPSWEEP=$real_ipsweep
			fi
			read -r seen dropped < <(lab_arp_counts)
			share=$((seen > 0 ? dropped * 100 / seen : 0))
			if ((seen >= 100 && share >= pct - 15 && share <= pct + 15)); then
				lab_ok "$tag: lab: the bridge dropped $dropped of $seen ARP requests ($share%)"
			else
				lab_bad "$tag: lab: the bridge dropped $dropped of $seen ARP requests ($share%), not about $pct%"
			fi
			case $LAB_RC in
			0 | 1 | 3) ;;
			*) lab_bad "$tag: exit $LAB_RC" ;;
			esac
			awk -F '\t' '$2 == "free" { print $1 }' "$LAB_TMP/$tag.out" >"$LAB_TMP/$tag.free"
			bad=$(lab_common "$LAB_TMP/$tag.free" "$LAB_TMP/live" | tr '\n' ' ')
			if [[ -z $bad ]]; then
				lab_ok "$tag: no live host printed free"
			else
				lab_bad "$tag: $(wc -w <<<"$bad") LIVE hosts printed FREE: $bad"
			fi
			if grep -Eqi 'arp.*loss|loss.*arp' "$LAB_TMP/$tag.err"; then
				lab_ok "$tag: stderr states the ARP loss: $(grep -Ei 'arp.*loss|loss.*arp' "$LAB_TMP/$tag.err" | head -n 1)"
			else
				lab_bad "$tag: stderr does not state the ARP loss measured"
			fi
			nfree=$(lab_common "$LAB_TMP/$tag.free" "$LAB_TMP/silent" | wc -l)
			nunk=$(awk -F '\t' '$2 == "unknown" { print $1 }' "$LAB_TMP/$tag.out" | lab_common /dev/stdin "$LAB_TMP/silent" | wc -l)
			lfree=$(lab_common "$LAB_TMP/$tag.free" "$LAB_TMP/live" | wc -l)
			luse=$(awk -F '\t' '$2 == "used" { print $1 }' "$LAB_TMP/$tag.out" | lab_common /dev/stdin "$LAB_TMP/live" | wc -l)
			lunk=$(awk -F '\t' '$2 == "unknown" { print $1 }' "$LAB_TMP/$tag.out" | lab_common /dev/stdin "$LAB_TMP/live" | wc -l)
			lab_ok "$tag: (info) exit $LAB_RC; silent addresses: $nfree free, $nunk unknown of $(wc -l <"$LAB_TMP/silent"); live: $luse used, $lunk unknown, $lfree free"
		done
	done
}
