#!/usr/bin/env python3
"""ratemax.py OUT -- for the bench: sample this network namespace's count
of ICMP echo requests sent (Icmp OutEchos in /proc/net/snmp, raw and
datagram sockets alike) every 5 ms until SIGTERM, then write to OUT the
most sent within any 100 ms (between two samples at most 100 ms apart: a
slight underestimate at worst) and the total, as "MAX TOTAL"."""
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
    first = out_echos()
    win = collections.deque([(time.monotonic(), first)])
    most = 0
    while not stop:
        time.sleep(0.005)
        now, c = time.monotonic(), out_echos()
        while now - win[0][0] > 0.1:
            win.popleft()
        if win:
            most = max(most, c - win[0][1])
        win.append((now, c))
    with open(sys.argv[1], "w") as f:
        f.write("%d %d\n" % (most, out_echos() - first))


if __name__ == "__main__":
    main()
