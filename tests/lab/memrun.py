#!/usr/bin/env python3
"""memrun.py -- run a command; report its wall time, exit status and the
peak memory of it and all its descendants together.

    memrun.py --stdout F --stderr F [--timeout S] [--interval MS] -- CMD...

Prints one line:  wall=SECONDS rc=STATUS peak_kib=KIB pss_kib=KIB samples=N

Method (used by bench.sh): every INTERVAL ms (default 20) the process tree
rooted at CMD is found by reading /proc/*/stat (only pids above the root's,
which is where its children are, until pids wrap), and the VmHWM ("resident
set high-water mark") of every process in it is added up.  peak_kib is the
largest such sum.  VmHWM only grows, so a short spike between two samples
is still counted at the next one as long as the process is alive; shared
pages (libc, the program text) are counted once per process, so the figure
errs on the high side.  A process that is born and dies between two samples
is missed.  /usr/bin/time -f %M would give only the largest single process.
pss_kib is the largest sum, over every 10th sample, of the processes'
proportional set sizes (Pss in /proc/PID/smaps_rollup): each page shared
by k processes counts 1/k in each, so the sum is the memory they take
together, each page once (a sample, not a high-water mark).

rc is the exit status, or 128+N when the command died of signal N; on
--timeout the whole process group is killed and rc is 124.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time


def tree(root: int) -> list:
    parent = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        pid = int(d)
        if pid < root:
            continue
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces.
        rest = stat[stat.rfind(b")") + 2:].split()
        parent[pid] = int(rest[1])
    found = [root]
    i = 0
    while i < len(found):
        p = found[i]
        found.extend(c for c, pp in parent.items() if pp == p)
        i += 1
    return found


def proc_kib(pid: int, name: str, key: str) -> int:
    """The KiB of KEY ("VmHWM:") in /proc/PID/NAME, or 0."""
    try:
        with open("/proc/%d/%s" % (pid, name)) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # gone, or a zombie / kernel thread without memory


def hwm_kib(pid: int) -> int:
    return proc_kib(pid, "status", "VmHWM:")


def pss_kib(pid: int) -> int:
    """Proportional set size: each shared page split among its sharers,
    so that the sum over processes counts every page once."""
    return proc_kib(pid, "smaps_rollup", "Pss:")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stdout", required=True)
    ap.add_argument("--stderr", required=True)
    ap.add_argument("--timeout", type=float, default=0)
    ap.add_argument("--interval", type=float, default=20)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    with open(a.stdout, "wb") as out, open(a.stderr, "wb") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        # A waiter thread takes the end time the moment the command
        # exits, not at the next sample.
        done = threading.Event()
        end = [0.0]

        def waiter():
            p.wait()
            end[0] = time.monotonic()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        peak = 0
        peak_pss = 0
        samples = 0
        timed_out = False
        while not done.is_set():
            procs = tree(p.pid)
            peak = max(peak, sum(hwm_kib(q) for q in procs))
            # smaps_rollup walks the page tables: every 10th sample
            # only, so that measuring does not slow what it measures
            if samples % 10 == 0:
                peak_pss = max(peak_pss, sum(pss_kib(q) for q in procs))
            samples += 1
            if a.timeout and time.monotonic() - t0 > a.timeout:
                timed_out = True
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                done.wait()
                break
            done.wait(a.interval / 1000.0)
        wall = end[0] - t0
    rc = p.returncode
    if timed_out:
        rc = 124
    elif rc < 0:
        rc = 128 - rc
    print("wall=%.3f rc=%d peak_kib=%d pss_kib=%d samples=%d"
          % (wall, rc, peak, peak_pss, samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
