#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# ARP loss on an on-link /24 (20% and 60% of ARP requests dropped, -W 500
# and -W 1000): no live host may be printed free, and stderr states the
# ARP loss measured.  ipsweep as root: it asks ARP itself (AF_PACKET).
# The cases and the reasons for their options are in e-arp-loss.sh.
set -u
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/e-arp-loss.sh"
lab_test_begin "$@"
e_arp_loss root
lab_finish
