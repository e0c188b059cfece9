#!/usr/bin/env python3
"""ratemax.py OUT -- for the bench: sample this network namespace's count
of ICMP echo requests sent (Icmp OutEchos in /proc/net/snmp, raw and
datagram sockets alike) every 5 ms until SIGTERM, then write to OUT the
most sent within any 100 ms (between two samples at most 100 ms apart,
from the start of the first reading to the end of the second: a slight
underestimate at worst, never more than was sent within 100 ms) and the
total, as "MAX TOTAL"."""
import collections
import signal
import sys
import time


def out_echos() -> int:
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Icmp:")]
    return int(rows[1][rows[0].index("OutEchos")])


def main() -> None:
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    start = time.monotonic()
    first = out_echos()
    win = collections.deque([(start, first)])
    most = 0
    while not stop:
        time.sleep(0.005)
        start = time.monotonic()
        c = out_echos()
        end = time.monotonic()
        # the two readings are at most END - (an older sample's start) apart
        while win and end - win[0][0] > 0.1:
            win.popleft()
        if win:
            most = max(most, c - win[0][1])
        win.append((start, c))
    with open(sys.argv[1], "w") as f:
        f.write("%d %d\n" % (most, out_echos() - first))


if __name__ == "__main__":
    main()
