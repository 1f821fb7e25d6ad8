"""Prove that a change to the names engine left every reading as it was.

    python tools/check_readings.py --write /tmp/readings.jsonl      # before the change
    python tools/check_readings.py --compare /tmp/readings.jsonl    # after it: exit 1 on a difference

Reads every row of the names corpora (tests/data/names_corpus*.csv: name, affiliation and
"Signing as" answer) and, with `--synthetic N`, N synthetic signatures from bench/bench_names.py
(many scripts, typos, case changes) through `read_name`, in a fresh process, and writes each
NameReading's fields as one JSON line. `--compare` reads the same inputs again and lists every
field that differs (at most 20, then a count). A speed-up of the names engine must leave
this file byte-identical.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tools"))

from sync.names import load_watchlist, read_name  # noqa: E402

FIELDS = (
    "raw",
    "display",
    "affiliation",
    "kind",
    "flags",
    "hold",
    "reject",
    "key",
    "nospace_key",
    "ascii_key",
)


def inputs(synthetic: int) -> Iterator[tuple[str, str, str]]:
    """(name, affiliation, kind answer) of every corpus row, then of the synthetic signatures."""
    from score_corpus import load_rows

    for path in sorted((ROOT / "tests" / "data").glob("names_corpus*.csv")):
        for row in load_rows(path):
            yield row["name"], row["affiliation"], row["kind_answer"]
    if synthetic:
        import bench_names

        for _id, name, aff, _email in bench_names.make_signatures(synthetic):
            yield name, aff, ""


def readings(synthetic: int) -> Iterator[str]:
    wl = load_watchlist(None)
    for name, aff, kind in inputs(synthetic):
        r = read_name(name, aff, kind, wl)
        yield json.dumps([name, aff, kind, *(getattr(r, f) for f in FIELDS)], ensure_ascii=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, help="write the readings (one JSON line each) to this file")
    mode.add_argument("--compare", type=Path, help="compare the readings with this file's")
    ap.add_argument("--synthetic", type=int, default=20_000, help="synthetic signatures too (0: none)")
    args = ap.parse_args()
    if args.write:
        with args.write.open("w", encoding="utf-8") as fh:
            written = 0
            for line in readings(args.synthetic):
                fh.write(line + "\n")
                written += 1
        print(f"{written:,} readings written to {args.write}")
        return 0
    before = args.compare.read_text(encoding="utf-8").splitlines()
    after = list(readings(args.synthetic))
    differ = 0
    if len(before) != len(after):
        print(f"{len(before):,} readings before, {len(after):,} now: not the same inputs")
        return 1
    for old, new in zip(before, after, strict=True):
        if old == new:
            continue
        differ += 1
        if differ <= 20:
            o, n = json.loads(old), json.loads(new)
            changed = [
                f"{f}: {o[3 + i]!r} -> {n[3 + i]!r}" for i, f in enumerate(FIELDS) if o[3 + i] != n[3 + i]
            ]
            print(f"{o[0]!r}: " + "; ".join(changed))
    print(f"{len(after):,} readings, {differ:,} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
