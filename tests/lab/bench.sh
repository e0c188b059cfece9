#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# tests/lab/bench.sh IPSWEEP -- `make bench`: ipsweep against fping, nmap
# and a minimal raw-socket sender in one lab, one table from one run.  Speed is measured here, never
# asserted (the exit status says only whether the bench itself could run).
#
# Cases (deterministic pseudo-random live sets, fixed seeds, lab_pick):
#   routed /24   10.200.1.0/24, ~5% live
#   routed /16   10.201.0.0/16, ~3% live, scattered
#   on-link /20  10.202.0.0/20, 100 live, the scanner is 10.202.0.1
#   on-link /20 + 5 drop ICMP
#                10.203.0.0/20, the same 100 live host numbers (same seed),
#                the scanner is 10.203.0.1; 5 of the live hosts (every 20th,
#                from the 10th) silently drop echo requests but answer ARP:
#                they are in use, a tool that prints them free is wrong.
#                Its own segment, so that the plain on-link case is untouched.
#   routed /22, 30% loss
#                10.204.0.0/22, 109 live (as in t-loss.sh); the router drops
#                30% of echo requests during this case only (lab_loss 30,
#                back to 0 after it: the loss applies to every routed range).
#   on-link /24, 20% and 60% ARP loss
#                10.205.0.0/24, 40 live, the scanner is 10.205.0.1; the
#                bridges drop that share of ARP requests during the case
#                only (lab_arp_loss); arp-scan joins the peers here.
#   routed /22, --dns
#                10.206.0.0/22, ~5% live; a dnsmasq of the lab's own (in the
#                scanner namespace, /etc/netns/NS/resolv.conf naming it)
#                has PTR names for ~10% of the addresses, NXDOMAIN for the
#                rest.  ipsweep with and without --dns: the cost of the
#                lookups.  A named address counts as in use, so the run
#                without --dns shows them as false free.
#   routed /12, 1% live
#                10.208.0.0/12 (1048574 hosts), ipsweep at --rate 1000000
#                (on a new history, without one, then with the first
#                run's million rows in it) and the raw sender only.
# Runs: ipsweep at its defaults (--method exec on the /24; --rate 100000
#   and --rate 1000000 on the /16; on the /16
#   also --no-history, then the default again: the cost of recording the
#   run in the history, an SQLite file of the lab's own, IPSWEEP_DB);
#   fping -a -q -r 1 -i 1 -g PREFIX;  nmap -sn -PE -n PREFIX (routed), and
#   nmap -sn -n PREFIX on-link (its default there: ARP discovery);
#   nmap -sn -PE -n --min-rate 20000 on the /16.  The two added cases get
#   the same three tools as the plain routed and on-link ones.
#   rawsend (tests/bench/rawsend.c, built by make bench, its path in
#   BENCH_RAWSEND; no row without it) on the routed cases: two rounds (as
#   many probes as ipsweep's default -n 2 sends to a silent address) of one
#   echo request per address, sendmmsg as fast as the kernel takes them,
#   then 1 s of listening (ipsweep's default timeout); the prefix split
#   among one sending process per CPU (row "rawsend", the yardstick: the
#   sending is the kernel's work on the sender's core, and ipsweep's
#   workers use every core too), from one process (row "rawsend-1"), and
#   through PACKET_MMAP TX rings, one per CPU, whole frames to the router's
#   MAC past the IP output path (row "rawsend-ring": what a ring would win).
#   No pacing, no gap between the rounds: the lab's physical limit for
#   that many packets, not a correct tool.
# Columns: wall s; peak MiB (all processes of the run together: the largest
#   sum, over 20 ms samples, of VmHWM over the process and its descendants;
#   see memrun.py); PSS MiB (the largest sum of their proportional set
#   sizes, every 200 ms: every page counted once); exit; free found; false free (in use, reported free:
#   the error that causes address conflicts); false used (free, not
#   reported free); max/100ms (the most echo requests the scanner namespace
#   sent within 100 ms, from Icmp OutEchos sampled every 5 ms by
#   ratemax.py: the pacing check, --rate 20000 means at most 2000); x raw
#   (wall time over the raw sender's in the same case and run: the machine
#   is shared, so read ratios, not seconds).  A peer's "free" is the prefix's addresses (without
#   network and broadcast) minus those it reports alive.  The scanner's own
#   address counts as in use.
# Every run starts with the scanner's neighbour cache flushed, so that no run
# profits from ARP work done by the one before.
#
# Environment: BENCH_QUICK=1 skips the slowest peer runs (fping and plain
# nmap on the /16: minutes each).  BENCH_CASES="r24 l20" runs only those
# cases (r24, r16, l20, l20drop, r22loss, l24arp20, l24arp60, r22dns, r12;
# all by default, in that order).
# BENCH_TIMEOUT caps each run (s, default 900).  BENCH_BASELINE=PATH adds,
# after each ipsweep row, a row for the ipsweep binary at PATH with the same
# settings (tool "ipsweep-base"): a before/after comparison in one run.
# A row with false free > 0 also prints (in the progress lines) the first
# false-free addresses and, for ipsweep, the tail of its stderr.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab.sh"

if (($# != 1)); then
	echo "usage: $0 IPSWEEP" >&2
	exit 2
fi
ipsweep=$(lab_abspath "$1")
lab_require || exit 1
[[ -x $ipsweep ]] || echo "bench: warning: '$1' is not executable; its rows will say so" >&2

# fping and nmap are Debian packages; install them when missing.
missing=()
command -v fping >/dev/null || missing+=(fping)
command -v nmap >/dev/null || missing+=(nmap)
command -v arp-scan >/dev/null || missing+=(arp-scan)
if ((${#missing[@]})); then
	echo "bench: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } ||
		echo "bench: could not install ${missing[*]}; their rows will fail" >&2
fi

py=$(lab__python)

# Set helpers for the scoring.  lab_minus/lab_common use the NR == FNR idiom,
# which goes wrong when the second file is empty (a run that printed nothing:
# every line of the first file is then taken as the second); these key on
# the file name instead.  bench_minus A B: lines of A not in B (order kept);
# bench_common A B: lines of A also in B.
bench_minus() {
	awk -v b="$2" 'FILENAME == b { s[$0]; next } !($0 in s)' "$2" "$1"
}
bench_common() {
	awk -v b="$2" 'FILENAME == b { s[$0]; next } ($0 in s)' "$2" "$1"
}
quick=${BENCH_QUICK:-0}
baseline=${BENCH_BASELINE:+$(lab_abspath "$BENCH_BASELINE")}
rawsend=${BENCH_RAWSEND:+$(lab_abspath "$BENCH_RAWSEND")}
allcases="r24 r16 l20 l20drop r22loss l24arp20 l24arp60 r22dns r12"
cases=${BENCH_CASES:-$allcases}
cap=${BENCH_TIMEOUT:-900}

lab_init
t0=$EPOCHREALTIME
lab_pick 101 50 10.200.1.0/24 >"$LAB_TMP/live.r24"
lab_routed 10.200.1.0/24 @"$LAB_TMP/live.r24"
lab_pick 42 30 10.201.0.0/16 >"$LAB_TMP/live.r16"
lab_routed 10.201.0.0/16 @"$LAB_TMP/live.r16"
lab_pick 7 30 10.202.0.0/20 | grep -vx 10.202.0.1 | head -n 100 >"$LAB_TMP/live.l20"
lab_onlink 10.202.0.0/20 10.202.0.1 @"$LAB_TMP/live.l20"
lab_pick 7 30 10.203.0.0/20 | grep -vx 10.203.0.1 | head -n 100 >"$LAB_TMP/live.l20drop"
awk 'NR % 20 == 10' "$LAB_TMP/live.l20drop" >"$LAB_TMP/drop.l20drop"
lab_onlink 10.203.0.0/20 10.203.0.1 @"$LAB_TMP/live.l20drop"
lab_drop_echo @"$LAB_TMP/drop.l20drop"
lab_pick 77 107 10.204.0.0/22 | head -n 109 >"$LAB_TMP/live.r22loss"
lab_routed 10.204.0.0/22 @"$LAB_TMP/live.r22loss"
lab_pick 11 160 10.205.0.0/24 | grep -vx 10.205.0.1 | head -n 40 >"$LAB_TMP/live.l24arp20"
cp "$LAB_TMP/live.l24arp20" "$LAB_TMP/live.l24arp60"
lab_onlink 10.205.0.0/24 10.205.0.1 @"$LAB_TMP/live.l24arp20"
lab_pick 12 10 10.208.0.0/12 >"$LAB_TMP/live.r12"
lab_routed 10.208.0.0/12 @"$LAB_TMP/live.r12"
arpif=$(lab_run ip -o -4 addr show | awk '$4 == "10.205.0.1/24" { print $2 }')
lab_pick 33 50 10.206.0.0/22 >"$LAB_TMP/live.r22dns"
lab_routed 10.206.0.0/22 @"$LAB_TMP/live.r22dns"
lab_pick 34 100 10.206.0.0/22 | awk '{ print $1, "h" NR ".bench.example" }' >"$LAB_TMP/hosts.r22dns"
if [[ " $cases " == *" r22dns "* ]]; then
	# the DNS server of the r22dns case
	lab_resolver "$LAB_DNS_ADDR"
	lab_dnsmasq "$LAB_TMP/hosts.r22dns" --bogus-priv ||
		echo "bench: the lab's dnsmasq does not answer; the --dns row will say so" >&2
fi
t1=$EPOCHREALTIME

declare -A prefix=([r24]=10.200.1.0/24 [r16]=10.201.0.0/16 [l20]=10.202.0.0/20
	[l20drop]=10.203.0.0/20 [r22loss]=10.204.0.0/22 [l24arp20]=10.205.0.0/24
	[l24arp60]=10.205.0.0/24 [r22dns]=10.206.0.0/22
	[r12]=10.208.0.0/12)
declare -A label=([r24]="routed /24" [r16]="routed /16" [l20]="on-link /20"
	[l20drop]="on-link /20 + 5 drop ICMP" [r22loss]="routed /22, 30% loss"
	[l24arp20]="on-link /24, 20% ARP loss" [l24arp60]="on-link /24, 60% ARP loss"
	[r22dns]="routed /22, PTR names" [r12]="routed /12, 1% live")
declare -A scanaddr=([l20]=10.202.0.1 [l20drop]=10.203.0.1 [l24arp20]=10.205.0.1
	[l24arp60]=10.205.0.1)
for c in $allcases; do
	cp "$LAB_TMP/live.$c" "$LAB_TMP/used.$c"
	[[ -n ${scanaddr[$c]:-} ]] && echo "${scanaddr[$c]}" >>"$LAB_TMP/used.$c"
	# an address with a PTR name is in use too
	[[ $c == r22dns ]] && cut -d' ' -f1 "$LAB_TMP/hosts.r22dns" >>"$LAB_TMP/used.$c" &&
		lab_sort_ip "$LAB_TMP/used.$c" >"$LAB_TMP/used.tmp" && mv "$LAB_TMP/used.tmp" "$LAB_TMP/used.$c"
	lab_expand "${prefix[$c]}" >"$LAB_TMP/all.$c"
	bench_minus "$LAB_TMP/all.$c" "$LAB_TMP/used.$c" >"$LAB_TMP/free.$c"
done

echo "ipsweep bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, kernel $(uname -r)"
echo "$("$ipsweep" --version 2>/dev/null | head -n 1); $(fping -v 2>&1 | head -n 1); $(nmap --version 2>/dev/null | head -n 1)"
echo "lab built in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s:"
for c in $allcases; do
	printf '  %-25s %-15s %6d addresses, %5d in use, %6d free\n' "${label[$c]}" "${prefix[$c]}" \
		"$(wc -l <"$LAB_TMP/all.$c")" "$(wc -l <"$LAB_TMP/used.$c")" "$(wc -l <"$LAB_TMP/free.$c")"
done
echo "  drop ICMP (answer ARP): $(paste -sd ' ' "$LAB_TMP/drop.l20drop")"
((quick)) && echo "BENCH_QUICK=1: fping and plain nmap on the /16 are skipped"
[[ -n $rawsend ]] || echo "BENCH_RAWSEND is not set: no rawsend rows (make bench sets it)"
echo

rows=()
n=0
# run TOOL CASE SETTINGS KIND CMD...: KIND is "free" (stdout lists free
# addresses), "alive" (stdout lists live ones) or "nmap" (-oG output).
run() {
	local tool=$1 c=$2 settings=$3 kind=$4 res wall rc kib pkib out err found ff fu mib pmib rpid r100
	shift 4
	n=$((n + 1))
	out=$LAB_TMP/run$n.out err=$LAB_TMP/run$n.err
	printf 'run %2d: %-7s %-25s %s ... ' "$n" "$tool" "${label[$c]}" "$settings"
	lab_run ip neigh flush all >/dev/null 2>&1
	sleep 1 # let stragglers of the previous run drain
	ip netns exec "$LAB_SCAN" "$py" "$here/ratemax.py" "$out.rate" &
	rpid=$!
	res=$("$py" "$here/memrun.py" --timeout "$cap" --stdout "$out" --stderr "$err" -- \
		ip netns exec "$LAB_SCAN" "$@")
	kill -TERM "$rpid" 2>/dev/null
	wait "$rpid" 2>/dev/null
	r100=$(awk '{ print $1 }' "$out.rate" 2>/dev/null)
	r100=${r100:--}
	wall=$(sed -n 's/.*wall=\([0-9.]*\).*/\1/p' <<<"$res")
	rc=$(sed -n 's/.*rc=\([0-9]*\).*/\1/p' <<<"$res")
	kib=$(sed -n 's/.*peak_kib=\([0-9]*\).*/\1/p' <<<"$res")
	mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
	pkib=$(sed -n 's/.*pss_kib=\([0-9]*\).*/\1/p' <<<"$res")
	pmib=$(awk -v k="${pkib:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
	case $kind in
	free) lab_sort_ip "$out" >"$out.free" ;;
	alive) bench_minus "$LAB_TMP/all.$c" "$out" >"$out.free" ;;
	nmap)
		awk '/Status: Up/ { print $2 }' "$out" >"$out.alive"
		bench_minus "$LAB_TMP/all.$c" "$out.alive" >"$out.free"
		;;
	arpscan)
		# it does not list the scanner itself, which is in use
		{ awk -F'\t' '$1 ~ /^[0-9.]+$/ { print $1 }' "$out"
		  echo "${scanaddr[$c]}"; } | lab_sort_ip >"$out.alive"
		bench_minus "$LAB_TMP/all.$c" "$out.alive" >"$out.free"
		;;
	esac
	if [[ $tool == ipsweep* && $rc != 0 && $rc != 1 && $rc != 3 ]] ||
		[[ $tool != ipsweep* && ($rc == 124 || $rc -ge 126) ]] ||
		[[ $kind == nmap && ! -s $out ]] ||
		grep -q '^exec of ".*" failed' "$err"; then
		# A failed run: its output is not a result.
		rows+=("$tool|${label[$c]}|$settings|$wall|$mib|$pmib|$rc|-|-|-|$r100")
		echo "FAILED (exit $rc): $(head -n 2 "$err" | tr '\n' ' ')"
		return
	fi
	found=$(wc -l <"$out.free")
	ff=$(bench_common "$out.free" "$LAB_TMP/used.$c" | wc -l)
	fu=$(bench_minus "$LAB_TMP/free.$c" "$out.free" | wc -l)
	rows+=("$tool|${label[$c]}|$settings|$wall|$mib|$pmib|$rc|$found|$ff|$fu|$r100")
	echo "${wall} s, exit $rc, $found free, $ff false free, $fu false used"
	if [[ $tool == ipsweep* ]]; then
		# the loss statements, when there are some
		grep -E '^ipsweep: (ARP )?loss ' "$err" | sed 's/^/        /'
	fi
	if [[ $c == l20drop ]]; then
		echo "        of the 5 hosts that drop ICMP: $(bench_common "$out.free" "$LAB_TMP/drop.l20drop" | wc -l) reported free"
	fi
	if ((ff > 0)); then
		echo "        FALSE FREE: $(bench_common "$out.free" "$LAB_TMP/used.$c" | head -n 20 | paste -sd ' ')"
		if [[ $tool == ipsweep* ]]; then
			echo "        stderr of this run (last 30 lines):"
			tail -n 30 "$err" | sed 's/^/          /'
		fi
	fi
}

# run_rawsend CASE: the raw sender's rows, when there is one: one sending
# process per CPU (the lab's limit on this machine, the "x raw" yardstick)
# and, for comparison, a single one
cpus=$(nproc)
run_rawsend() {
	local ring
	[[ -z $rawsend ]] && return
	run rawsend-1 "$1" "-n 2 -w 1000 -P 1" alive "$rawsend" -n 2 -w 1000 -P 1 "${prefix[$1]}"
	run rawsend "$1" "-n 2 -w 1000 -P $cpus" alive "$rawsend" -n 2 -w 1000 -P "$cpus" "${prefix[$1]}"
	# the same frames through a PACKET_MMAP TX ring, past the IP output
	# path: what a ring would win (not the yardstick: ipsweep uses the IP
	# stack, its routing and its firewall)
	ring=$(bench_ring "${prefix[$1]}") &&
		run rawsend-ring "$1" "-n 2 -w 1000 -P $cpus -m (TX ring)" alive "$rawsend" -n 2 -w 1000 -P "$cpus" -m "$ring" "${prefix[$1]}"
}

# bench_ring PREFIX -> "IFNAME,GWMAC" of the scanner's route to PREFIX
# (its router answers one ping in the lab first), or fail
bench_ring() {
	local dev gw mac
	read -r dev gw < <(lab_run ip -o route get "${1%/*}" | awk '{ for (i = 1; i < NF; i++) {
		if ($i == "dev") d = $(i + 1); if ($i == "via") g = $(i + 1) } } END { print d, g }')
	[[ -n $dev && -n $gw ]] || return 1
	lab_run ping -c 1 -W 1 "$gw" >/dev/null 2>&1
	mac=$(lab_run ip neigh show "$gw" | awk '$0 ~ /lladdr/ { for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1); exit }')
	[[ -n $mac ]] || return 1
	echo "$dev,$mac"
}

# run_ipsweep CASE SETTINGS ARGS...: ipsweep, then the baseline binary
run_ipsweep() {
	local c=$1 settings=$2
	shift 2
	run ipsweep "$c" "$settings" free "$ipsweep" "$@"
	[[ -z $baseline ]] || run ipsweep-base "$c" "$settings" free "$baseline" "$@"
}

for c in $cases; do
	p=${prefix[$c]}
	case $c in
	r24)
		run_rawsend r24
		run_ipsweep r24 "default" "$p"
		run_ipsweep r24 "--method exec" --method exec "$p"
		run fping r24 "-r 1 -i 1" alive fping -a -q -r 1 -i 1 -g "$p"
		run nmap r24 "-sn -PE -n" nmap nmap -sn -PE -n -oG - "$p"
		;;
	r16)
		run_ipsweep r16 "default" "$p"
		run_ipsweep r16 "--rate 100000" --rate 100000 "$p"
		run_ipsweep r16 "--rate 1000000" --rate 1000000 "$p"
		run_rawsend r16
		run_ipsweep r16 "--no-history" --no-history "$p"
		run_ipsweep r16 "default (history rows exist)" "$p"
		echo "        history database after these runs: $(du -k "$IPSWEEP_DB" | cut -f1) KiB," \
			"$(sqlite3 "$IPSWEEP_DB" 'SELECT count(*) FROM addresses') address rows," \
			"$(sqlite3 "$IPSWEEP_DB" 'SELECT count(*) FROM runs') runs"
		((quick)) || run fping r16 "-r 1 -i 1" alive fping -a -q -r 1 -i 1 -g "$p"
		((quick)) || run nmap r16 "-sn -PE -n" nmap nmap -sn -PE -n -oG - "$p"
		run nmap r16 "-sn -PE -n --min-rate 20000" nmap nmap -sn -PE -n --min-rate 20000 -oG - "$p"
		;;
	l20)
		run_ipsweep l20 "default" "$p"
		run fping l20 "-r 1 -i 1" alive fping -a -q -r 1 -i 1 -g "$p"
		run nmap l20 "-sn -n (ARP)" nmap nmap -sn -n -oG - "$p"
		;;
	l20drop)
		run_ipsweep l20drop "default" "$p"
		run fping l20drop "-r 1 -i 1" alive fping -a -q -r 1 -i 1 -g "$p"
		run nmap l20drop "-sn -n (ARP)" nmap nmap -sn -n -oG - "$p"
		;;
	r22loss)
		lab_loss 30
		run_rawsend r22loss
		run_ipsweep r22loss "default" "$p"
		run fping r22loss "-r 1 -i 1" alive fping -a -q -r 1 -i 1 -g "$p"
		run nmap r22loss "-sn -PE -n" nmap nmap -sn -PE -n -oG - "$p"
		lab_loss 0
		;;
	l24arp20 | l24arp60)
		lab_arp_loss "${c#l24arp}"
		run_ipsweep "$c" "default" "$p"
		[[ $c == l24arp60 ]] && run_ipsweep "$c" "--max-count 20" --max-count 20 "$p"
		run fping "$c" "-r 1 -i 1" alive fping -a -q -r 1 -i 1 -g "$p"
		run nmap "$c" "-sn -n (ARP)" nmap nmap -sn -n -oG - "$p"
		run arp-scan "$c" "-I $arpif" arpscan arp-scan -q -x -I "$arpif" "$p"
		lab_arp_loss 0
		;;
	r22dns)
		run_ipsweep r22dns "default" "$p"
		run_ipsweep r22dns "--dns" --dns "$p"
		;;
	r12)
		run_rawsend r12
		run_ipsweep r12 "--rate 1000000" --rate 1000000 --max-addresses 1048576 "$p"
		run_ipsweep r12 "--rate 1000000 --no-history" --rate 1000000 --no-history --max-addresses 1048576 "$p"
		run_ipsweep r12 "--rate 1000000 (history rows exist)" --rate 1000000 --max-addresses 1048576 "$p"
		;;
	*) echo "bench: unknown case '$c' ($allcases)" >&2 ;;
	esac
done

echo
{
	echo "tool|case|settings|wall s|peak MiB|PSS MiB|exit|free found|false free|false used|max/100ms"
	printf '%s\n' "${rows[@]}"
} | awk -F'|' -v OFS='|' '
	# x raw: the wall time over that of rawsend in the same case
	{ line[NR] = $0; tool[NR] = $1; cs[NR] = $2; wall[NR] = $4
	  if ($1 == "rawsend" && $4 != "") raw[$2] = $4 }
	END {
		for (r = 1; r <= NR; r++) {
			x = r == 1 ? "x raw" : (cs[r] in raw && raw[cs[r]] > 0 && tool[r] != "rawsend") ? sprintf("%.2f", wall[r] / raw[cs[r]]) : "-"
			print line[r], x
		}
	}' | awk -F'|' '
	{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } nf = NF }
	END {
		for (r = 1; r <= NR; r++) {
			line = ""
			for (i = 1; i <= nf; i++) {
				# text columns left, numbers right
				f = (i <= 3) ? "%-" w[i] "s" : "%" w[i] "s"
				line = line sprintf(f, cell[r, i]) (i < nf ? "  " : "")
			}
			print line
			if (r == 1) { s = ""; for (i = 1; i <= nf; i++) s = s sprintf("%" w[i] "s", "") (i < nf ? "  " : ""); gsub(/ /, "-", s); print s }
		}
	}'
echo
echo "peak MiB: largest sum of VmHWM over all processes of the run (20 ms samples; shared pages count once per process)."
echo "PSS MiB: largest sum of their proportional set sizes (200 ms samples; every page once: the memory they take together)."
echo "false free: in use but reported free; false used: free but not reported free (used or unknown)."
echo "max/100ms: most echo requests the scanner sent within 100 ms (Icmp OutEchos sampled every 5 ms);"
echo "  ipsweep must stay at or below --rate/10 (default 2000): its pacing never sends more within any 100 ms."
echo "  rawsend-ring's frames pass the IP stack by, and its counters: 0 there."
echo "x raw: wall time over that of rawsend (two rounds, no pacing, one sender per CPU) in the same case and run."
lab_destroy
