#!/usr/bin/env python3
"""late_responder.py -- answer ICMP echo requests to one address, late.

Run by lab.sh (lab_late) inside a lab namespace whose kernel does not answer
echo requests (net.ipv4.icmp_echo_ignore_all=1).  A raw ICMP socket bound to
ADDR receives a copy of every ICMP packet sent to ADDR (raw delivery happens
before the kernel's own ICMP handling, so the sysctl does not hide them);
each valid echo request is answered DELAY_MS later with an echo reply that
copies its id, sequence and payload, type 0, correct checksum, sent from ADDR
(the socket is bound to it).

It stops on SIGTERM (lab_destroy sends it) and, in case the lab's owner was
killed without running its traps, when the OWNER pid no longer exists.
"""

import argparse
import heapq
import os
import select
import socket
import sys
import time


def checksum(data: bytes) -> int:
    """RFC 1071 Internet checksum, odd lengths padded with a zero byte."""
    if len(data) % 2:
        data += b"\0"
    total = 0
    for i in range(0, len(data), 2):
        total += (data[i] << 8) | data[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def owner_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", required=True)
    ap.add_argument("--delay-ms", type=int, required=True)
    ap.add_argument("--owner", type=int, required=True)
    ap.add_argument("--ready", required=True, help="file created when listening")
    args = ap.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    # Bound: only packets for ADDR are delivered, and replies leave from ADDR.
    sock.bind((args.addr, 0))
    want = socket.inet_aton(args.addr)
    delay = args.delay_ms / 1000.0
    pending = []  # heap of (due, n, destination, reply)
    n = 0
    with open(args.ready, "w") as f:
        f.write("%d\n" % os.getpid())
    next_owner_check = time.monotonic() + 1.0

    while True:
        now = time.monotonic()
        timeout = 0.5
        if pending:
            timeout = max(0.0, min(timeout, pending[0][0] - now))
        ready, _, _ = select.select([sock], [], [], timeout)
        if ready:
            pkt, (src, _) = sock.recvfrom(65535)
            ihl = (pkt[0] & 0x0F) * 4
            icmp = pkt[ihl:]
            # Echo request (8/0) to our address with a valid checksum; a
            # real host drops a request whose checksum is wrong.
            if (len(pkt) >= 20 and pkt[16:20] == want and len(icmp) >= 8
                    and icmp[0] == 8 and icmp[1] == 0 and checksum(icmp) == 0):
                body = bytes([0, 0, 0, 0]) + icmp[4:]   # type 0 code 0, id, seq, payload
                c = checksum(body)
                reply = body[:2] + bytes([c >> 8, c & 0xFF]) + body[4:]
                n += 1
                heapq.heappush(pending, (time.monotonic() + delay, n, src, reply))
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, dst, reply = heapq.heappop(pending)
            try:
                sock.sendto(reply, (dst, 0))
            except OSError as e:
                print("late_responder %s: sendto %s: %s" % (args.addr, dst, e),
                      file=sys.stderr)
        if now >= next_owner_check:
            if not owner_alive(args.owner):
                return 0
            next_owner_check = now + 1.0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
