#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# The Debian package, end to end on this machine: `make deb` (reused when
# up to date; DEB_BUILD_OPTIONS=nocheck, make unit runs apart), dpkg -i,
# what it installed (cap_net_raw+p on /usr/bin/ipsweep, the conffile, the
# units verified, the completion), `ipsweep --version` and a lab sweep as
# user nobody through /usr/bin/ipsweep (raw sockets and ARP from the
# permitted file capability alone, which ipsweep raises), then dpkg -r (the conffile stays) and dpkg -P
# (nothing of the package is left).  Skipped, saying so, where ipsweep is
# already installed by dpkg or /usr/bin/ipsweep exists: this test does not
# touch an installation it did not make.
set -u
. "$(dirname "$0")/lab.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
if dpkg-query -W -f='${Status}' ipsweep 2>/dev/null | grep -q 'installed\|config-files'; then
	echo "skip t-deb: the ipsweep package is installed here already"
	exit 0
fi
if [[ -e /usr/bin/ipsweep ]]; then
	echo "skip t-deb: /usr/bin/ipsweep exists (not from this test)"
	exit 0
fi
lab_test_begin "$@"

# Built once: make reuses the package while nothing it is made of changed.
t0=$SECONDS
DEB_BUILD_OPTIONS=nocheck env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -C "$root" --no-print-directory deb >"$LAB_TMP/deb.log" 2>&1 ||
	{ tail -n 30 "$LAB_TMP/deb.log"; lab_bad "make deb failed"; lab_finish; }
deb=$(ls "$root"/build/deb/ipsweep_*_"$(dpkg-architecture -qDEB_HOST_ARCH)".deb)
echo "  make deb: $((SECONDS - t0)) s, $deb"
version=$(dpkg-deb -f "$deb" Version)

# The package goes with the lab, however the test ends (lab_init's traps
# remove the lab only).
installed=0
# shellcheck disable=SC2317  # called from the traps
cleanup() {
	((installed)) && dpkg -P ipsweep >/dev/null 2>&1
	installed=0
	lab_destroy
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 130' INT
trap 'cleanup; trap - EXIT; exit 143' TERM
trap 'cleanup; trap - EXIT; exit 129' HUP
# Set first: a signal during dpkg -i runs the trap only after dpkg ends,
# before anything after it.
installed=1
dpkg -i "$deb" >"$LAB_TMP/dpkg-i.log" 2>&1 ||
	{ sed 's/^/  | /' "$LAB_TMP/dpkg-i.log"; lab_bad "dpkg -i failed"; lab_finish; }
sed 's/^/  | /' "$LAB_TMP/dpkg-i.log"
dpkg -L ipsweep >"$LAB_TMP/files"
lab_ok "dpkg -i: $(grep -c . "$LAB_TMP/files") paths"

caps=$(getcap /usr/bin/ipsweep)
if [[ $caps == *cap_net_raw=p ]]; then
	lab_ok "postinst: $caps"
else
	lab_bad "postinst gave no cap_net_raw: '$caps'"
fi
if dpkg-query -W -f='${Conffiles}\n' ipsweep | grep -q '^ /etc/ipsweep/ranges.conf '; then
	lab_ok "/etc/ipsweep/ranges.conf is a conffile"
else
	lab_bad "/etc/ipsweep/ranges.conf is not a conffile"
fi
unitdir=$(dirname "$(grep '/ipsweep@.service$' "$LAB_TMP/files")")
if out=$(cd "$unitdir" && systemd-analyze verify --man=no ipsweep@.service ipsweep@.timer 2>&1) &&
	[[ -z $out ]] && grep -q '^ExecStart=/usr/bin/ipsweep ' "$unitdir/ipsweep@.service"; then
	lab_ok "the units in $unitdir verify clean, ExecStart /usr/bin/ipsweep"
else
	lab_bad "the installed units: $out"
fi
comp=$(bash -c '. /usr/share/bash-completion/bash_completion
	_completion_loader ipsweep; complete -p ipsweep' 2>&1)
if [[ $comp == "complete -F _ipsweep ipsweep" ]]; then
	lab_ok "bash-completion loads the completion: $comp"
else
	lab_bad "bash-completion: '$comp'"
fi

# As nobody: --version, then a sweep in the lab.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
v=$(nobody /usr/bin/ipsweep --version 2>&1)
if [[ $v == *"$version"* ]]; then
	lab_ok "ipsweep --version as nobody: $v"
else
	lab_bad "ipsweep --version as nobody: '$v', not $version"
fi
P=10.77.11.0/28
lab_onlink "$P" 10.77.11.1 10.77.11.4 10.77.11.9
lab_expand "$P" | grep -vxE '10\.77\.11\.(1|4|9)' >"$LAB_TMP/free"
echo "  \$ (nobody) /usr/bin/ipsweep -v -W 300 $P"
lab_run setpriv --reuid=65534 --regid=65534 --clear-groups \
	/usr/bin/ipsweep -v -W 300 "$P" >"$LAB_TMP/sweep.out" 2>"$LAB_TMP/sweep.err"
rc=$?
sed 's/^/    | /' "$LAB_TMP/sweep.err" | head -n 12
lab_check_rc "sweep as nobody" 0 "$rc"
if grep -q 'method icmp (raw sockets).*ARP (AF_PACKET)' "$LAB_TMP/sweep.err"; then
	lab_ok "nobody got raw sockets and ARP from the file capability"
else
	lab_bad "nobody did not use raw sockets and ARP"
fi
lab_check_list "sweep as nobody: the free list" "$LAB_TMP/free" "$LAB_TMP/sweep.out"

# Remove, then purge: nothing of the package is left.
dpkg -r ipsweep >"$LAB_TMP/dpkg-r.log" 2>&1 || lab_bad "dpkg -r failed"
st=$(dpkg-query -W -f='${Status}' ipsweep 2>/dev/null)
if [[ $st == *config-files* && -f /etc/ipsweep/ranges.conf && ! -e /usr/bin/ipsweep ]]; then
	lab_ok "dpkg -r: binary gone, conffile kept ($st)"
else
	lab_bad "dpkg -r: status '$st', conffile $([[ -f /etc/ipsweep/ranges.conf ]] && echo kept || echo gone)"
fi
dpkg -P ipsweep >"$LAB_TMP/dpkg-p.log" 2>&1 || lab_bad "dpkg -P failed"
installed=0
leftover=$(while read -r f; do
	# directories other packages share (/usr/bin, /etc, ...) stay
	if [[ -d $f ]]; then
		[[ $f == */ipsweep ]] && echo "$f"
	elif [[ -e $f || -L $f ]]; then
		echo "$f"
	fi
done <"$LAB_TMP/files")
st=$(dpkg-query -W -f='${Status}' ipsweep 2>/dev/null)
if [[ -z $leftover && $st != *installed* && $st != *config-files* &&
	! -e /etc/ipsweep && ! -e /var/lib/ipsweep ]]; then
	lab_ok "dpkg -P: nothing left ($(wc -l <"$LAB_TMP/files") paths checked)"
else
	lab_bad "dpkg -P: left: ${leftover:-none}; status '$st'"
fi
lab_finish
