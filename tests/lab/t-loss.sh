#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# Loss-aware confirmation: the router drops 30% of echo requests on a
# routed /22 with 109 live hosts.  Two probes alone miss about 9% of them;
# at default settings ipsweep measures the loss, probes silent addresses
# until a live one staying silent is unlikely, and prints none of the
# live hosts free.  stderr states the loss and the probes used.  With
# --max-count 2 the silent addresses are unknown (loss-too-high).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.77.24.0/22
lab_pick 77 107 "$P" | head -109 >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_loss 30
echo "lab: $P, $(wc -l <"$LAB_TMP/live") live, 30% of echo requests dropped"

for run in 1 2; do
	lab_sweep "loss$run" "$P"
	ff=$(lab_common "$LAB_TMP/loss$run.out" "$LAB_TMP/live" | wc -l)
	if [[ $ff == 0 ]]; then
		lab_ok "run $run: no live host printed free"
	else
		lab_bad "run $run: $ff live hosts printed free"
	fi
	if grep -qE '^ipsweep: loss [0-9.]+% measured on [0-9]+ answering addresses; silent addresses got up to [0-9]+ probes$' "$LAB_TMP/loss$run.err"; then
		lab_ok "run $run: stderr states the loss and the probes"
	else
		lab_bad "run $run: no loss statement on stderr"
	fi
done
pct=$(sed -nE 's/^ipsweep: loss ([0-9]+)\..*/\1/p' "$LAB_TMP/loss1.err")
if [[ -n $pct ]] && ((pct >= 15 && pct <= 45)); then
	lab_ok "measured loss ${pct}% is near the 30% dropped"
else
	lab_bad "measured loss '${pct}' is far from 30%"
fi

# --max-count 2 leaves no room for the probes the loss asks for: the
# silent addresses cannot be free (loss-too-high), and no live one is.
lab_sweep two --all --max-count 2 "$P"
lab_check_rc "--max-count 2" 3 "$LAB_RC"
awk -F'\t' '$2 == "free" { print $1 }' "$LAB_TMP/two.out" >"$LAB_TMP/two.free"
ff=$(lab_common "$LAB_TMP/two.free" "$LAB_TMP/live" | wc -l)
if [[ $ff == 0 ]]; then
	lab_ok "--max-count 2: no live host printed free"
else
	lab_bad "--max-count 2: $ff live hosts printed free"
fi
n=$(awk -F'\t' '$2 == "unknown" && $3 == "loss-too-high"' "$LAB_TMP/two.out" | wc -l)
if ((n > 800)); then
	lab_ok "--max-count 2: $n silent addresses unknown (loss-too-high)"
else
	lab_bad "--max-count 2: only $n addresses loss-too-high"
fi
lab_finish
