#!/usr/bin/env python3
"""Strict reader of the Prometheus text exposition format 0.0.4, for tests.

    prom_parse.py check FILE             exit 0 when FILE is valid, else print why
    prom_parse.py get FILE NAME [k=v..]  print the value of the one sample NAME
                                         whose labels include every k=v
    prom_parse.py sum FILE NAME [k=v..]  the sum over every matching sample

What "valid" means here, stricter than Prometheus itself: every sample's
family has exactly one # HELP and one # TYPE, before its samples; a family's
lines are contiguous; names and label names match the grammar; label values
use only the \\\\, \\" and \\n escapes; no series appears twice; counters are
>= 0; a histogram has _bucket series with an le label, cumulative, ending in
le="+Inf" equal to _count, and a _sum.
"""
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")


class Bad(Exception):
    pass


def parse_value(s, where):
    if s in ("+Inf", "Inf"):
        return math.inf
    if s == "-Inf":
        return -math.inf
    if s == "NaN":
        return math.nan
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", s):
        raise Bad(f"{where}: bad value {s!r}")
    return float(s)


def parse_labels(s, i, where):
    """s[i] is '{'; returns (dict, index after '}')."""
    labels = {}
    i += 1
    while True:
        if s[i] == "}":
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            raise Bad(f"{where}: bad label name at {s[i:]!r}")
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise Bad(f"{where}: expected =\" after {name}")
        i += 2
        val = []
        while True:
            c = s[i]
            if c == "\\":
                e = s[i + 1]
                if e not in '\\"n':
                    raise Bad(f"{where}: bad escape \\{e}")
                val.append("\n" if e == "n" else e)
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == "\n":
                raise Bad(f"{where}: newline in label value")
            else:
                val.append(c)
                i += 1
        if name in labels:
            raise Bad(f"{where}: label {name} twice")
        labels[name] = "".join(val)
        if s[i] == ",":
            i += 1
        elif s[i] != "}":
            raise Bad(f"{where}: expected , or }} at {s[i:]!r}")


def family_of(name, types):
    for suffix in ("_bucket", "_sum", "_count"):
        base = name[: -len(suffix)]
        if name.endswith(suffix) and types.get(base) in ("histogram", "summary"):
            return base
    return name


def parse(text):
    if text and not text.endswith("\n"):
        raise Bad("text does not end with a newline")
    helps, types, samples, seen = {}, {}, [], set()
    done, current = set(), None
    for n, line in enumerate(text.split("\n")[:-1], 1):
        where = f"line {n}"
        if line == "":
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not NAME.fullmatch(name):
                    raise Bad(f"{where}: bad metric name {name!r}")
                if name in done or (current and current != name and name in helps.keys() | types.keys()):
                    raise Bad(f"{where}: {name} is not contiguous")
                if current != name and current is not None:
                    done.add(current)
                current = name
                if parts[1] == "HELP":
                    if name in helps:
                        raise Bad(f"{where}: second HELP for {name}")
                    helps[name] = parts[3] if len(parts) > 3 else ""
                else:
                    if name in types:
                        raise Bad(f"{where}: second TYPE for {name}")
                    if len(parts) != 4 or parts[3] not in TYPES:
                        raise Bad(f"{where}: bad TYPE line")
                    if any(family_of(s[0], {name: parts[3]}) == name for s in samples):
                        raise Bad(f"{where}: TYPE for {name} after its samples")
                    types[name] = parts[3]
            continue
        m = NAME.match(line)
        if not m:
            raise Bad(f"{where}: bad metric name in {line!r}")
        name, i = m.group(0), m.end()
        labels = {}
        if i < len(line) and line[i] == "{":
            labels, i = parse_labels(line, i, where)
        if i >= len(line) or line[i] != " ":
            raise Bad(f"{where}: expected a space before the value")
        rest = line[i + 1:].split(" ")
        if len(rest) not in (1, 2):
            raise Bad(f"{where}: bad value part {line[i + 1:]!r}")
        value = parse_value(rest[0], where)
        if len(rest) == 2 and not re.fullmatch(r"-?\d+", rest[1]):
            raise Bad(f"{where}: bad timestamp")
        fam = family_of(name, types)
        if fam not in types or fam not in helps:
            raise Bad(f"{where}: {name} has no HELP and TYPE before it")
        if fam != current:
            raise Bad(f"{where}: {name} is not with the rest of {fam}")
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            raise Bad(f"{where}: series {name}{labels} twice")
        seen.add(key)
        if types[fam] == "counter" and not value >= 0:
            raise Bad(f"{where}: counter {name} is {value}")
        samples.append((name, labels, value))
    for fam, t in types.items():
        if t == "histogram":
            check_histogram(fam, samples)
    return samples


def check_histogram(fam, samples):
    series = {}
    for name, labels, value in samples:
        if family_of(name, {fam: "histogram"}) != fam or name == fam:
            continue
        rest = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        s = series.setdefault(rest, {"buckets": [], "sum": None, "count": None})
        if name == fam + "_bucket":
            if "le" not in labels:
                raise Bad(f"{fam}_bucket without le")
            s["buckets"].append((parse_value(labels["le"], fam), value))
        elif name == fam + "_sum":
            s["sum"] = value
        elif name == fam + "_count":
            s["count"] = value
    for rest, s in series.items():
        b = s["buckets"]
        if not b or b[-1][0] != math.inf:
            raise Bad(f"{fam}{dict(rest)}: no le=\"+Inf\" bucket last")
        if [x[0] for x in b] != sorted(x[0] for x in b):
            raise Bad(f"{fam}{dict(rest)}: buckets out of order")
        if any(b[i][1] > b[i + 1][1] for i in range(len(b) - 1)):
            raise Bad(f"{fam}{dict(rest)}: buckets not cumulative")
        if s["count"] is None or s["sum"] is None or s["count"] != b[-1][1]:
            raise Bad(f"{fam}{dict(rest)}: _count/_sum missing or +Inf != _count")


def select(samples, name, want):
    return [v for n, l, v in samples if n == name and all(l.get(k) == x for k, x in want.items())]


def fmt(v):
    return str(int(v)) if v == int(v) else repr(v)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("check", "get", "sum"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[2], encoding="utf-8") as f:
            samples = parse(f.read())
    except (Bad, IndexError, UnicodeDecodeError) as e:
        print(f"invalid exposition text: {e}", file=sys.stderr)
        return 1
    if argv[1] == "check":
        return 0
    want = dict(a.split("=", 1) for a in argv[4:])
    vals = select(samples, argv[3], want)
    if argv[1] == "sum":
        print(fmt(sum(vals)))
        return 0
    if len(vals) != 1:
        print(f"{len(vals)} samples match {argv[3]} {want}", file=sys.stderr)
        return 1
    print(fmt(vals[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
