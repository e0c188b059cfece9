#!/usr/bin/env python3
"""h-sigexec.py -- exec a program with chosen signal dispositions, signal
mask and closed standard descriptors (for tests/lab/t-h-inherited.sh).

    h-sigexec.py [--ignore SIG]... [--block SIG]... [--close FD]... -- PROG ARG...

Python ignores SIGPIPE and SIGXFSZ itself at startup; both are put back to
SIG_DFL first, so that only what is asked for is inherited by PROG.  SIG is
a name without the SIG prefix (CHLD, PIPE, INT, TERM).  FD is 0, 1 or 2 and
is closed just before the exec, after everything else.
"""

import os
import signal
import sys


def sig(name: str) -> int:
    return getattr(signal, "SIG" + name.upper())


def main() -> int:
    args = sys.argv[1:]
    ignore, block, close = [], [], []
    while args and args[0] != "--":
        opt = args.pop(0)
        if not args:
            print("h-sigexec: %s needs a value" % opt, file=sys.stderr)
            return 2
        val = args.pop(0)
        if opt == "--ignore":
            ignore.append(sig(val))
        elif opt == "--block":
            block.append(sig(val))
        elif opt == "--close":
            close.append(int(val))
        else:
            print("h-sigexec: unknown option %s" % opt, file=sys.stderr)
            return 2
    if not args or args[0] != "--" or len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    prog = args[1:]
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    for s in ignore:
        signal.signal(s, signal.SIG_IGN)
    if block:
        signal.pthread_sigmask(signal.SIG_BLOCK, block)
    for fd in close:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        os.execv(prog[0], prog)
    except OSError as e:
        if 2 not in close:
            print("h-sigexec: %s: %s" % (prog[0], e), file=sys.stderr)
        return 127
    return 127


if __name__ == "__main__":
    sys.exit(main())
