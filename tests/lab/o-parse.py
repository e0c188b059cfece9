#!/usr/bin/env python3
# tests/lab/o-parse.py -- read ipsweep's structured output with real parsers
# (Python's csv and json modules), check it against ipsweep(1)'s OUTPUT
# FORMATS, and print one canonical line per address on stdout:
#
#   ADDRESS<TAB>RANGE<TAB>VERDICT<TAB>REASON<TAB>PROBES<TAB>RTT<TAB>EVIDENCE
#
# where RTT is "num" (a number) or "null", so that the three formats (and
# runs) can be compared with diff.  Any violation is printed on stderr and
# the exit status is 1; the canonical lines are printed only on success.
#
# usage: o-parse.py csv|json|ndjson FILE [--all] [--expect KEY=VALUE]...
#   --all                 the run used --all: json counts must match the list
#   --expect version=V    json header checks; KEYs: version, method, jobs,
#            count=N      count, timeout_ms, rate_pps, partial (true/false),
#            ...          total, free, used, unknown, not_needed, skipped,
#                         start_near
#                         (epoch seconds; start must be within 15 s of it)
#
# usage: o-parse.py header FILE   print the json run header as KEY=VALUE
#                                 lines (settings.* and counts.* flattened)
import calendar
import csv
import ipaddress
import json
import re
import sys
import time

CSV_HEADER = ["address", "range", "verdict", "reason", "probes", "rtt_ms",
              "evidence"]
OBJ_KEYS = set(CSV_HEADER)
# With a history in use (the default), every record also carries these:
# an ISO 8601 UTC time, or empty (csv) / null (json) for none.
HIST_KEYS = ["last_seen", "free_since"]
ISO_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
TOP_KEYS = {"version", "start", "duration_s", "method", "settings",
            "partial", "counts", "addresses"}
SETTINGS_KEYS = {"jobs", "count", "timeout_ms", "rate_pps"}
COUNTS_KEYS = {"total", "free", "used", "unknown", "not_needed", "skipped"}
VERDICTS = {"free", "used", "unknown", "not-needed"}
METHODS = {"raw", "datagram", "exec"}
REASONS = {"echo-reply", "arp-reply", "no-reply", "host-unreachable",
           "admin-prohibited", "icmp-error", "other-source", "worker-died",
           "interrupted", "deadline", "exec-error", "rcvbuf-overflow",
           "not-needed", "neighbour-table-unreadable", "canary-silent",
           "tcp-accept", "tcp-refused", "no-neighbour-entry",
           "canary-answered", "tcp-silent", "tcp-error", "loss-too-high",
           "neighbour-incomplete", "ping-errors", "icmp-from-target",
           "phase-failed", "range-icmp-errors", "history-seen",
           "history-quiet", "history-too-short", "history-unreadable"}

errors = []


def bad(msg):
    errors.append(msg)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool))


def dotted(s):
    """the address as an int, or None when S is not a strict dotted quad"""
    if not isinstance(s, str) or not re.fullmatch(
            r"(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}", s):
        return None
    try:
        return int(ipaddress.IPv4Address(s))
    except ValueError:
        return None


def check_record(where, rec):
    """REC: a dict with the 7 members, rtt_ms a number/None. -> canon line"""
    a = rec["address"]
    if dotted(a) is None:
        bad(f"{where}: address {a!r} is not a dotted quad")
    for k in ("range", "verdict", "reason", "evidence"):
        if not isinstance(rec[k], str):
            bad(f"{where}: {k} is not a string: {rec[k]!r}")
            return None
    if rec["range"] == "":
        bad(f"{where}: empty range")
    v = rec["verdict"]
    if v not in VERDICTS:
        bad(f"{where}: verdict {v!r} not one of {sorted(VERDICTS)}")
    r = rec["reason"]
    if r not in REASONS and not r.startswith("send-error: "):
        bad(f"{where}: reason {r!r} is not documented")
    p = rec["probes"]
    if not is_int(p) or p < 0:
        bad(f"{where}: probes {p!r} is not a whole number")
    rtt = rec["rtt_ms"]
    if v == "used":
        if not is_num(rtt) or rtt <= 0:
            bad(f"{where}: used, but rtt_ms {rtt!r} is not a positive number")
    elif rtt is not None:
        bad(f"{where}: {v}, but rtt_ms is {rtt!r}, not null")
    if rec["evidence"].strip() == "":
        bad(f"{where}: empty evidence")
    if "last_seen" in rec:
        for k in HIST_KEYS:
            t = rec[k]
            if t is not None and not (isinstance(t, str) and
                                      re.fullmatch(ISO_RE, t)):
                bad(f"{where}: {k} {t!r} is not an ISO 8601 UTC time")
        if v == "used" and r != "history-seen" and rec["last_seen"] is None:
            bad(f"{where}: used now, but last_seen is null")
        if v == "free" and rec["free_since"] is None:
            bad(f"{where}: free, but free_since is null")
    for k in ("range", "reason", "evidence"):
        if any(c in rec[k] for c in "\t\n\r"):
            bad(f"{where}: {k} holds a tab or line end: {rec[k]!r}")
    return "\t".join([a, rec["range"], v, r, str(p),
                      "null" if rtt is None else "num", rec["evidence"]])


def check_order(recs):
    prev = None
    for i, rec in enumerate(recs):
        n = dotted(rec["address"])
        if n is None:
            continue
        if prev is not None and n <= prev:
            bad(f"record {i + 1}: {rec['address']} is not above the "
                f"previous address (order or duplicate)")
        prev = n


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    if not rows:
        bad("csv: no header line")
        return []
    header = CSV_HEADER
    if rows[0] == CSV_HEADER + HIST_KEYS:
        header = CSV_HEADER + HIST_KEYS
    elif rows[0] != CSV_HEADER:
        bad(f"csv: header is {rows[0]!r}, expected {CSV_HEADER!r} "
            f"(+ {HIST_KEYS!r})")
        return []
    recs = []
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            bad(f"csv line {i}: {len(row)} fields, expected "
                f"{len(header)}: {row!r}")
            continue
        rec = dict(zip(header, row))
        for k in HIST_KEYS:
            if k in rec and rec[k] == "":
                rec[k] = None
        if not re.fullmatch(r"[0-9]+", rec["probes"]):
            bad(f"csv line {i}: probes {rec['probes']!r} is not a number")
            rec["probes"] = -1
        else:
            rec["probes"] = int(rec["probes"])
        if rec["rtt_ms"] == "":
            rec["rtt_ms"] = None
        else:
            try:
                rec["rtt_ms"] = float(rec["rtt_ms"])
            except ValueError:
                bad(f"csv line {i}: rtt_ms {rec['rtt_ms']!r} is no number")
                rec["rtt_ms"] = None
        rec["_where"] = f"csv line {i}"
        recs.append(rec)
    return recs


def check_obj(where, o):
    if not isinstance(o, dict):
        bad(f"{where}: not a JSON object: {o!r}")
        return None
    if set(o) != OBJ_KEYS and set(o) != OBJ_KEYS | set(HIST_KEYS):
        bad(f"{where}: members {sorted(o)}, expected {sorted(OBJ_KEYS)} "
            f"(+ {HIST_KEYS})")
        return None
    o = dict(o)
    o["_where"] = where
    return o


def read_ndjson(path):
    recs = []
    with open(path, encoding="utf-8") as f:
        data = f.read()
    if data and not data.endswith("\n"):
        bad("ndjson: the last line has no line end")
    for i, line in enumerate(data.split("\n")[:-1] if data else [], start=1):
        try:
            o = json.loads(line)
        except json.JSONDecodeError as e:
            bad(f"ndjson line {i}: not JSON ({e}): {line[:200]!r}")
            continue
        o = check_obj(f"ndjson line {i}", o)
        if o is not None:
            recs.append(o)
    return recs


def read_json(path, expect, all_sel):
    with open(path, encoding="utf-8") as f:
        try:
            doc = json.load(f)
        except json.JSONDecodeError as e:
            bad(f"json: not one JSON document: {e}")
            return [], None
    if not isinstance(doc, dict):
        bad("json: the document is not an object")
        return [], None
    if set(doc) != TOP_KEYS:
        bad(f"json: top-level members {sorted(doc)}, expected "
            f"{sorted(TOP_KEYS)}")
        return [], None
    if not isinstance(doc["version"], str) or doc["version"] == "":
        bad(f"json: version {doc['version']!r}")
    st = doc["start"]
    if not isinstance(st, str) or not re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", st):
        bad(f"json: start {st!r} is not ISO 8601 UTC (YYYY-MM-DDTHH:MM:SSZ)")
        start_epoch = None
    else:
        start_epoch = calendar.timegm(time.strptime(st, "%Y-%m-%dT%H:%M:%SZ"))
    if not is_num(doc["duration_s"]) or doc["duration_s"] < 0:
        bad(f"json: duration_s {doc['duration_s']!r}")
    if doc["method"] not in METHODS:
        bad(f"json: method {doc['method']!r} not in {sorted(METHODS)}")
    s = doc["settings"]
    if not isinstance(s, dict) or set(s) != SETTINGS_KEYS or not all(
            is_int(s[k]) and s[k] > 0 for k in SETTINGS_KEYS):
        bad(f"json: settings {s!r}: expected positive whole numbers "
            f"{sorted(SETTINGS_KEYS)}")
        s = {}
    if not isinstance(doc["partial"], bool):
        bad(f"json: partial {doc['partial']!r} is not a boolean")
    c = doc["counts"]
    if not isinstance(c, dict) or set(c) != COUNTS_KEYS or not all(
            is_int(c[k]) and c[k] >= 0 for k in COUNTS_KEYS):
        bad(f"json: counts {c!r}: expected whole numbers "
            f"{sorted(COUNTS_KEYS)}")
        c = {}
    elif c["total"] != (c["free"] + c["used"] + c["unknown"] +
                        c["not_needed"] + c["skipped"]):
        bad(f"json: counts do not add up: {c!r}")
    if not isinstance(doc["addresses"], list):
        bad("json: addresses is not a list")
        return [], doc
    recs = []
    for i, o in enumerate(doc["addresses"], start=1):
        o = check_obj(f"json addresses[{i - 1}]", o)
        if o is not None:
            recs.append(o)
    if c and all_sel:
        for v in VERDICTS:
            n = sum(1 for r in recs if r["verdict"] == v)
            k = v.replace("-", "_")
            if n != c[k]:
                bad(f"json: counts.{k} is {c[k]}, the --all list has {n}")
        if len(doc["addresses"]) + c["skipped"] != c["total"]:
            bad(f"json: {len(doc['addresses'])} addresses listed, "
                f"counts say {c['total']} - {c['skipped']} skipped")
    # expectations
    for key, want in expect.items():
        if key == "start_near":
            if start_epoch is not None and abs(start_epoch - int(want)) > 15:
                bad(f"json: start {st} is {start_epoch - int(want)} s away "
                    f"from the time the run began (UTC?)")
            continue
        if key in ("version", "method"):
            got = doc[key]
        elif key == "partial":
            got = "true" if doc["partial"] is True else (
                "false" if doc["partial"] is False else doc["partial"])
        elif key in SETTINGS_KEYS:
            got = s.get(key)
        elif key in COUNTS_KEYS:
            got = c.get(key)
        else:
            bad(f"o-parse.py: unknown --expect key {key!r}")
            continue
        if str(got) != want:
            bad(f"json: {key} is {got!r}, expected {want!r}")
    return recs, doc


def main(argv):
    if len(argv) >= 3 and argv[1] == "header":
        with open(argv[2], encoding="utf-8") as f:
            doc = json.load(f)
        for k, v in doc.items():
            if isinstance(v, dict):
                for k2, v2 in v.items():
                    print(f"{k}.{k2}={json.dumps(v2)}")
            elif k != "addresses":
                print(f"{k}={json.dumps(v)}")
        return 0
    if len(argv) < 3 or argv[1] not in ("csv", "json", "ndjson"):
        print("usage: o-parse.py csv|json|ndjson FILE [--all] "
              "[--expect KEY=VALUE]... | o-parse.py header FILE",
              file=sys.stderr)
        return 2
    fmt, path = argv[1], argv[2]
    all_sel = False
    expect = {}
    rest = argv[3:]
    while rest:
        a = rest.pop(0)
        if a == "--all":
            all_sel = True
        elif a == "--expect" and rest and "=" in rest[0]:
            k, v = rest.pop(0).split("=", 1)
            expect[k] = v
        else:
            print(f"o-parse.py: bad argument {a!r}", file=sys.stderr)
            return 2
    if fmt == "csv":
        recs = read_csv(path)
    elif fmt == "ndjson":
        recs = read_ndjson(path)
    else:
        recs, _ = read_json(path, expect, all_sel)
    if fmt != "json" and expect:
        bad("o-parse.py: --expect is for json only")
    lines = []
    for rec in recs:
        line = check_record(rec["_where"], rec)
        if line is not None:
            lines.append(line)
    check_order(recs)
    if errors:
        for e in errors[:30]:
            print(e if e.startswith(fmt) else f"{fmt}: {e}", file=sys.stderr)
        if len(errors) > 30:
            print(f"{fmt}: ... and {len(errors) - 30} more", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
