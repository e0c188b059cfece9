#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# ARP loss on an on-link /24 (20% of ARP requests dropped, -W 500 and
# -W 1000): no live host may be printed free, and stderr states the ARP
# loss measured.  ipsweep as nobody without capabilities (datagram ICMP
# sockets): the kernel resolves, ipsweep reads the neighbour table.  60% is
# t-e-arp-loss-unpriv60.
# The cases and the reasons for their options are in e-arp-loss.sh.
set -u
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/e-arp-loss.sh"
lab_test_begin "$@"
e_arp_loss unpriv 20
lab_finish
