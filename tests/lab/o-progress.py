#!/usr/bin/env python3
# tests/lab/o-progress.py FILE TOTAL [--pty] -- take ipsweep's progress line
# out of what its stderr showed (a file, or a pty's output captured by
# script(1) with --pty: "\r\n" line ends), check it, and print the rest,
# which must then be exactly the stderr of a run without progress.
#
# A progress frame is "\r\033[K" + "ipsweep: D/TOTAL decided, F free,
# U used, R probes/s, ~S s left" (no line end); the line is erased with a
# last "\r\033[K" before the summary.  Checks: every frame names TOTAL,
# D never goes down and stays <= TOTAL, F + U <= D, and the last frame is
# erased before anything else is written.
#
# Exit status: 0 frames found and all is well, 3 no frame at all (the text
# is printed unchanged), 1 a check failed (said on stderr).
import re
import sys

ERASE = "\r\x1b[K"
FRAME = re.compile(
    r"\r\x1b\[Kipsweep: (\d+)/(\d+) decided, (\d+) free, (\d+) used, "
    r"(\d+) probes/s, ~(\d+) s left")


def main(argv):
    if len(argv) < 3:
        print("usage: o-progress.py FILE TOTAL [--pty]", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        text = f.read().decode("utf-8", "replace")
    total = int(argv[2])
    if "--pty" in argv[3:]:
        text = text.replace("\r\n", "\n")
    frames = list(FRAME.finditer(text))
    if not frames:
        sys.stdout.write(text)
        return 3
    problems = []
    last_d = -1
    for m in frames:
        d, t, fr, u = (int(m.group(i)) for i in range(1, 5))
        if t != total:
            problems.append(f"frame {m.group(0)!r}: total {t}, expected {total}")
        if d < last_d or d > total:
            problems.append(f"frame {m.group(0)!r}: decided {d} after {last_d} (of {total})")
        if fr + u > d:
            problems.append(f"frame {m.group(0)!r}: free + used > decided")
        last_d = d
    # Between frames nothing but other frames; after the last one an erase.
    end = frames[-1].end()
    if not text.startswith(ERASE, end):
        problems.append(f"the last frame is not erased: followed by {text[end:end + 40]!r}")
    out = FRAME.sub("", text)
    # the final erase (one; more are harmless but we expect exactly one)
    if out.count(ERASE) != 1:
        problems.append(f"{out.count(ERASE)} erase sequences outside the frames, expected 1")
    out = out.replace(ERASE, "", 1)
    if "\x1b" in out or "\r" in out:
        problems.append(f"escape or carriage return left after the frames: {out[:200]!r}")
    sys.stdout.write(out)
    for p in problems[:10]:
        print(p, file=sys.stderr)
    print(f"{len(frames)} progress frames, last decided {last_d}/{total}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
