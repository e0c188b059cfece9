#!/usr/bin/env python3
"""h-crafted.py -- answer echo requests with crafted packets (for
tests/lab/t-h-crafted.sh).

    h-crafted.py --owner PID --ready FILE [--log FILE] ADDR=MODE[:ARG][@DELAY_MS]...

Runs in a lab namespace whose kernel does not answer echo requests
(net.ipv4.icmp_echo_ignore_all=1, lab_bare) and where every ADDR is a local
address.  A raw ICMP socket sees every echo request; each valid one (echo
request, checksum right) to a listed ADDR is answered at once, through an
IPPROTO_RAW socket (we write the IP header), according to MODE, after
DELAY_MS milliseconds (default 0):

  ok          a correct echo reply (id, seq and payload copied)
  dup         the correct reply three times
  other:SRC   the correct reply, but from source address SRC
  badsum      the reply with a wrong ICMP checksum
  trunc       the reply cut after 16 bytes of payload (magic, cookie, job),
              its checksum right for what is sent
  opts        the correct reply in an IP header with options (record route,
              IHL 8)
  cookie      the reply with our id and seq but one cookie byte changed,
              checksum recomputed (right)
  junkok      badsum, trunc and cookie replies, then a correct one
  te-ip12     ICMP time exceeded quoting only 12 bytes of the IP header
  un-ihl      ICMP host unreachable quoting an IP header whose IHL says 60
              bytes, with 28 bytes present
  pp-icmp4    ICMP parameter problem quoting the IP header and 4 bytes of
              the echo request (less than its header)
  te-8        ICMP time exceeded quoting the IP header and exactly 8 bytes of
              the echo request (RFC 792's minimum: id and seq, no payload)
  un-8        ICMP host unreachable, the same 8-byte quote
  te-none     ICMP time exceeded with nothing quoted at all
  err:T.C[,SRC]
              ICMP type T code C with the same 8-byte quote, from SRC
              (default: ADDR itself)
  errfull:T.C ICMP type T code C quoting the whole request, from ADDR
  silent      nothing (a control)

Errors are sent from ADDR to the prober.  It stops on SIGTERM and when the
OWNER pid is gone (checked every second).
"""

import heapq
import os
import select
import socket
import struct
import sys
import time


def checksum(data: bytes) -> int:
    """RFC 1071, odd lengths padded with a zero byte."""
    if len(data) % 2:
        data += b"\0"
    total = 0
    for i in range(0, len(data), 2):
        total += (data[i] << 8) | data[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def with_sum(icmp: bytes) -> bytes:
    """ICMP message ICMP with its checksum field filled in."""
    body = icmp[:2] + b"\0\0" + icmp[4:]
    c = checksum(body)
    return body[:2] + struct.pack("!H", c) + body[4:]


def ip_header(src: str, dst: str, options: bytes = b"") -> bytes:
    """IPv4 header, protocol ICMP; the kernel fills total length, id and
    header checksum for an IPPROTO_RAW socket."""
    assert len(options) % 4 == 0
    ihl = 5 + len(options) // 4
    return struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 0, 0, 0, 64, 1, 0,
                       socket.inet_aton(src), socket.inet_aton(dst)) + options


def replies(mode: str, arg: str, req_ip: bytes, req_icmp: bytes,
            me: str, peer: str):
    """The list of (ip packet) to send for one echo request."""
    good = with_sum(b"\0\0\0\0" + req_icmp[4:])
    out = []
    if mode == "ok":
        out.append(ip_header(me, peer) + good)
    elif mode == "dup":
        out += [ip_header(me, peer) + good] * 3
    elif mode == "other":
        out.append(ip_header(arg, peer) + good)
    elif mode in ("badsum", "trunc", "cookie", "junkok"):
        bad = good[:2] + struct.pack("!H", struct.unpack("!H", good[2:4])[0] ^ 0x0101) + good[4:]
        short = with_sum(b"\0\0\0\0" + req_icmp[4:8 + 16])
        body = bytearray(b"\0\0\0\0" + req_icmp[4:])
        body[8 + 4] ^= 0xFF          # first cookie byte
        wrong_cookie = with_sum(bytes(body))
        if mode == "badsum":
            out.append(ip_header(me, peer) + bad)
        elif mode == "trunc":
            out.append(ip_header(me, peer) + short)
        elif mode == "cookie":
            out.append(ip_header(me, peer) + wrong_cookie)
        else:
            out += [ip_header(me, peer) + p for p in (bad, short, wrong_cookie, good)]
    elif mode == "opts":
        rr = bytes([7, 11, 4]) + b"\0" * 8 + b"\0"     # record route, 2 slots, EOL
        out.append(ip_header(me, peer, rr) + good)
    elif mode == "te-ip12":
        out.append(ip_header(me, peer) + with_sum(bytes([11, 0, 0, 0, 0, 0, 0, 0]) + req_ip[:12]))
    elif mode == "un-ihl":
        q = bytearray(req_ip[:20] + req_icmp[:8])
        q[0] = 0x4F                  # IHL 15: 60 bytes claimed, 28 present
        out.append(ip_header(me, peer) + with_sum(bytes([3, 1, 0, 0, 0, 0, 0, 0]) + bytes(q)))
    elif mode == "pp-icmp4":
        out.append(ip_header(me, peer) + with_sum(bytes([12, 0, 0, 0, 0, 0, 0, 0]) + req_ip[:20] + req_icmp[:4]))
    elif mode == "te-8":
        out.append(ip_header(me, peer) + with_sum(bytes([11, 0, 0, 0, 0, 0, 0, 0]) + req_ip[:20] + req_icmp[:8]))
    elif mode == "un-8":
        out.append(ip_header(me, peer) + with_sum(bytes([3, 1, 0, 0, 0, 0, 0, 0]) + req_ip[:20] + req_icmp[:8]))
    elif mode == "err":
        tc, _, src = arg.partition(",")
        t, c = (int(x) for x in tc.split("."))
        out.append(ip_header(src or me, peer) + with_sum(bytes([t, c, 0, 0, 0, 0, 0, 0]) + req_ip[:20] + req_icmp[:8]))
    elif mode == "errfull":
        t, c = (int(x) for x in arg.split("."))
        out.append(ip_header(me, peer) + with_sum(bytes([t, c, 0, 0, 0, 0, 0, 0]) + req_ip + req_icmp))
    elif mode == "te-none":
        out.append(ip_header(me, peer) + with_sum(bytes([11, 0, 0, 0, 0, 0, 0, 0])))
    elif mode == "silent":
        pass
    else:
        raise ValueError("unknown mode " + mode)
    return out


def owner_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> int:
    args = sys.argv[1:]
    owner, ready, log = None, None, None
    table = {}
    while args:
        a = args.pop(0)
        if a == "--owner":
            owner = int(args.pop(0))
        elif a == "--ready":
            ready = args.pop(0)
        elif a == "--log":
            log = args.pop(0)
        elif "=" in a:
            addr, spec = a.split("=", 1)
            spec, _, delay = spec.partition("@")
            mode, _, arg = spec.partition(":")
            socket.inet_aton(addr)
            replies(mode, arg or ("3.1" if mode.startswith("err") else "192.0.2.99"),
                    b"\0" * 20, b"\0" * 40, addr, addr)  # validate
            table[socket.inet_aton(addr)] = (addr, mode, arg, int(delay or 0) / 1000.0)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if owner is None or ready is None or not table:
        print(__doc__, file=sys.stderr)
        return 2
    logf = open(log, "a") if log else None

    rx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())
    next_check = time.monotonic() + 1.0
    pending = []   # heap of (due, n, peer, packet)
    n = 0
    while True:
        timeout = 0.5
        if pending:
            timeout = max(0.0, min(timeout, pending[0][0] - time.monotonic()))
        r, _, _ = select.select([rx], [], [], timeout)
        if r:
            pkt, (peer, _) = rx.recvfrom(65535)
            ent = table.get(pkt[16:20]) if len(pkt) >= 20 else None
            ihl = (pkt[0] & 0x0F) * 4 if pkt else 0
            req_ip, icmp = pkt[:ihl], pkt[ihl:]
            if (ent is not None and len(icmp) >= 8 and icmp[0] == 8 and icmp[1] == 0
                    and checksum(icmp) == 0):
                addr, mode, arg, delay = ent
                due = time.monotonic() + delay
                for out in replies(mode, arg, req_ip, icmp, addr, peer):
                    n += 1
                    heapq.heappush(pending, (due, n, peer, out))
                if logf:
                    logf.write("%s %s seq %d from %s\n" % (addr, mode, struct.unpack("!H", icmp[6:8])[0], peer))
                    logf.flush()
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, peer, out = heapq.heappop(pending)
            try:
                tx.sendto(out, (peer, 0))
            except OSError as e:
                print("h-crafted: sendto %s: %s" % (peer, e), file=sys.stderr)
        if now >= next_check:
            if not owner_alive(owner):
                return 0
            next_check = now + 1.0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
