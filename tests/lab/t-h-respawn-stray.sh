#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# A worker killed mid-sweep is replaced by one that reuses its slot's
# socket, so the replacement receives what was meant for its predecessor.
# Here every probe is answered by an ICMP time exceeded (quoting the whole
# probe, cookie and job included) 400 ms late, from a crafted responder,
# and the single worker is killed a second into a slow sweep: errors about
# the dead worker's jobs reach the replacement before the parent hands
# those jobs on (it waits a moment before requeuing).  The replacement
# must not decide jobs it does not hold: it once took such an error as
# that job's final word, skipped the job when it was handed over, and the
# sweep never ended.  Now the sweep ends, every probed address unknown
# (icmp-error), none free, and the worker's death is reported.
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"
LAB_SWEEP_CAP=25

N=10.77.81
lab_routed $N.0/24
specs=() bare=()
for ((i = 1; i <= 100; i++)); do
	bare+=("$N.$i")
	specs+=("$N.$i=errfull:11.0@400")
done
lab_bare "${bare[@]}"
lab_spawn "${LAB}t" "$(lab__python)" "$LAB_HERE/h-crafted.py" --owner "$$" \
	--ready "$LAB_TMP/crafted.ready" "${specs[@]}"
for ((i = 0; i < 100; i++)); do
	[[ -s $LAB_TMP/crafted.ready ]] && break
	kill -0 "$LAB_SPAWN_PID" 2>/dev/null || break
	sleep 0.05
done
[[ -s $LAB_TMP/crafted.ready ]] || { echo "h-crafted.py did not start"; exit 1; }

# 100 addresses at 50 probes a second: two seconds of first probes.
lab_sweep_bg stray --all -j 1 -n 1 --rate 50 $N.1-100
worker=""
for ((i = 0; i < 50; i++)); do
	worker=$(pgrep -P "$LAB_BG_PID" | head -n 1)
	[[ -n $worker ]] && break
	sleep 0.1
done
sleep 1
if [[ -z $worker ]] || ! kill -0 "$LAB_BG_PID" 2>/dev/null; then
	lab_bad "no worker to kill (ipsweep pid $LAB_BG_PID)"
else
	echo "  killing worker $worker of ipsweep $LAB_BG_PID"
	kill -KILL "$worker"
fi
lab_sweep_wait stray
if ((SECONDS - LAB_BG_START < LAB_SWEEP_CAP)); then
	lab_ok "the sweep ended by itself"
else
	lab_bad "the sweep hung: jobs of the dead worker were never decided"
fi
lab_check_rc "stray errors" 3 "$LAB_RC"
lab_check_summary stray 100 0 0 100
bad=$(awk -F'\t' '$2 != "unknown" || ($3 != "icmp-error" && $3 != "worker-died")' "$LAB_TMP/stray.out" | head -n 3 | tr '\n\t' '; ')
if [[ -z $bad && $(wc -l <"$LAB_TMP/stray.out") == 100 ]]; then
	lab_ok "every address unknown (icmp-error)"
else
	lab_bad "verdicts: $bad"
fi
if grep -q "killed by signal 9" "$LAB_TMP/stray.err"; then
	lab_ok "stderr reports the dead worker"
else
	lab_bad "stderr does not report the dead worker"
fi
lab_finish
