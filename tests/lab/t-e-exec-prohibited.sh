#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# "Administratively prohibited" for the ping(8) engine (--method exec).  A
# filter on the router answers every echo request to 10.80.1.0/24 with ICMP
# type 3 code 13; twelve hosts live behind it (TCP passes the filter, and
# their kernels answer a SYN to a closed port with an RST).  ping(8) prints
# "Packet filtered" and exits 1 with "+N errors", the same status as "no
# reply": taken for "no reply", every address, the live ones too, would be
# printed free.  A filter in the way is doubt: every address must be
# unknown, nothing printed, exit 3.  The native engine on the same lab is
# the control (it sees the ICMP error itself).
set -u
. "$(dirname "$0")/lab.sh"
lab_test_begin "$@"

P=10.80.1.0/24
printf '%s\n' 10.80.1.3 10.80.1.17 10.80.1.29 10.80.1.44 10.80.1.58 10.80.1.91 \
	10.80.1.120 10.80.1.133 10.80.1.160 10.80.1.201 10.80.1.222 10.80.1.250 >"$LAB_TMP/live"
lab_routed "$P" @"$LAB_TMP/live"
lab_expand "$P" >"$LAB_TMP/all"
nall=$(wc -l <"$LAB_TMP/all")
LIVE=10.80.1.44

# The lab: the host answers echo before the filter, not after; the filter's
# error is what ping reports; TCP still reaches the host (its RST).
if lab_run ping -n -c 1 -W 1 "$LIVE" >"$LAB_TMP/ping0" 2>&1; then
	lab_ok "lab: $LIVE answers echo without the filter"
else
	lab_bad "lab: $LIVE does not answer echo even without the filter: $(tr '\n' '|' <"$LAB_TMP/ping0")"
fi
lab_reject "$P" admin-prohibited
lab_run ping -n -c 1 -W 1 "$LIVE" >"$LAB_TMP/ping1" 2>&1
prc=$?
if ((prc == 1)) && grep -q 'Packet filtered' "$LAB_TMP/ping1" && grep -q '+1 errors' "$LAB_TMP/ping1"; then
	lab_ok "lab: behind the filter, ping $LIVE exits 1 with 'Packet filtered', '+1 errors'"
else
	lab_bad "lab: ping $LIVE behind the filter: exit $prc, $(tr '\n' '|' <"$LAB_TMP/ping1")"
fi
lab_run timeout 3 bash -c "exec 3<>/dev/tcp/$LIVE/80" >"$LAB_TMP/tcp1" 2>&1
if grep -q 'Connection refused' "$LAB_TMP/tcp1"; then
	lab_ok "lab: $LIVE is there behind the filter: TCP port 80 refused (RST)"
else
	lab_bad "lab: no RST from $LIVE:80: $(tr '\n' '|' <"$LAB_TMP/tcp1")"
fi

# e_empty TAG WHAT: TAG's stdout is empty (else its count and first lines).
e_empty() {
	if [[ ! -s $LAB_TMP/$1.out ]]; then
		lab_ok "$1: stdout is empty ($2)"
	else
		lab_bad "$1: $(wc -l <"$LAB_TMP/$1.out") addresses printed free ($2): $(head -n 8 "$LAB_TMP/$1.out" | tr '\n' ' ')..."
	fi
}

# e_no_live TAG: no live address among TAG's free ones (plain stdout).
e_no_live() {
	local bad
	bad=$(lab_common "$LAB_TMP/$1.out" "$LAB_TMP/live" | tr '\n' ' ')
	if [[ -z $bad ]]; then
		lab_ok "$1: no live host printed free"
	else
		lab_bad "$1: LIVE hosts behind the filter printed FREE: $bad"
	fi
}

# -j 64: each ping(8) takes about 1 s (two probes), 254 of them.
ARGS=(--method exec -j 64 "$P")
lab_sweep exec "${ARGS[@]}"
lab_check_rc "exec, prohibited /24" 3 "$LAB_RC"
e_no_live exec
e_empty exec "every address is behind the filter"

lab_sweep execall --all "${ARGS[@]}"
lab_check_rc "exec --all" 3 "$LAB_RC"
awk -F '\t' '$2 == "free" { print $1 }' "$LAB_TMP/execall.out" >"$LAB_TMP/execall.free"
bad=$(lab_common "$LAB_TMP/execall.free" "$LAB_TMP/live" | tr '\n' ' ')
if [[ -z $bad ]]; then
	lab_ok "exec --all: no live host free"
else
	lab_bad "exec --all: LIVE hosts free: $bad"
fi
nunk=$(awk -F '\t' '$2 == "unknown"' "$LAB_TMP/execall.out" | wc -l)
if ((nunk == nall)) && cut -f1 "$LAB_TMP/execall.out" | lab_sort_ip | cmp -s - "$LAB_TMP/all"; then
	lab_ok "exec --all: all $nall addresses unknown"
else
	lab_bad "exec --all: $nunk of $nall addresses unknown; verdicts: $(cut -f2,3 "$LAB_TMP/execall.out" | sort | uniq -c | tr -s ' \n\t' ' ')"
fi

# Control: the native engine sees the 3/13 error itself.
lab_sweep native "$P"
lab_check_rc "native, prohibited /24" 3 "$LAB_RC"
e_no_live native
e_empty native "every address is behind the filter"
lab_finish
