"""Run the hand-labelled corpus tests/data/names_corpus.csv through the names engine.

Each row is one form response: raw name, affiliation and "Signing as" answers, an email label
("local@domain": same label = same address; same local part = same email name), and what a
careful editor would want: display name, affiliation, kind, decision (publish/hold/reject) and
duplicate group (rows with the same group are one signatory; blank = on its own). Escapes
like \\u200b in the name column stand for invisible characters.

Rows are folded in order as the pipeline does: read, match against the entries so far, merge
into the entry of a merge=True match or start a new entry. We then count:
- merges, as pairs of rows put in one entry, against pairs in one labelled group;
- flags, rows held or rejected, against rows labelled hold or reject;
and print every mismatch. Thresholds are at the end of this file, with their reasons.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from pathlib import Path

from sync.matching import Candidate, MatchIndex
from sync.names import affiliation_key, load_watchlist, read_name

CORPUS = Path(__file__).parent / "data" / "names_corpus.csv"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def load_rows() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["name"] = unescape(r["name"])
        r["display"] = unescape(r["display"])
    return rows


def run_corpus() -> dict[str, object]:
    rows = load_rows()
    wl = load_watchlist(None)
    index = MatchIndex()
    entry_of: dict[str, str] = {}  # row id -> entry id
    shown: dict[str, set[str]] = defaultdict(set)  # row id -> entries its matches named
    mismatches: list[str] = []
    counts: defaultdict[str, int] = defaultdict(int)
    for r in rows:
        reading = read_name(r["name"], r["affiliation"], r["kind_answer"], wl)
        got = (reading.display, reading.affiliation, reading.kind, reading.decision)
        want = (r["display"], r["exp_affiliation"], r["exp_kind"], r["decision"])
        for field, g, w in zip(("display", "affiliation", "kind", "decision"), got, want, strict=True):
            counts[f"{field} total"] += 1
            if g == w:
                counts[f"{field} ok"] += 1
            else:
                mismatches.append(
                    f"row {r['id']} {field}: got {g!r}, want {w!r} "
                    f"(hold={reading.hold}, reject={reading.reject!r})"
                )
        counts[f"decision {r['decision']} -> {reading.decision}"] += 1
        if r["decision"] != "publish" and reading.decision == "publish":
            counts["flagged published"] += 1
        if reading.reject:
            continue  # rejected rows never join an entry
        email = r["email"]
        cand = Candidate(
            id=r["id"],
            key=reading.key,
            nospace_key=reading.nospace_key,
            ascii_key=reading.ascii_key,
            email_keys=(email,) if email else (),
            email_local_keys=(email.split("@")[0],) if email else (),
            affiliation_key=affiliation_key(reading.affiliation),
            kind=reading.kind,
            status="pending",
        )
        matches = index.match(cand)
        for m in matches:
            shown[r["id"]].add(m.id)
        merge = next((m for m in matches if m.merge), None)
        entry = merge.id if merge else r["id"]
        entry_of[r["id"]] = entry
        index.add(
            Candidate(
                entry,
                *[
                    getattr(cand, f)
                    for f in (
                        "key",
                        "nospace_key",
                        "ascii_key",
                        "email_keys",
                        "email_local_keys",
                        "affiliation_key",
                        "kind",
                        "status",
                    )
                ],
            )
        )

    # merge pairs
    labelled = {r["id"]: r["group"] for r in rows if r["group"] and r["id"] in entry_of}
    ids = sorted(entry_of, key=int)
    true_pairs = {
        (a, b)
        for a, b in itertools.combinations(ids, 2)
        if labelled.get(a) and labelled.get(a) == labelled.get(b)
    }
    pred_pairs = {(a, b) for a, b in itertools.combinations(ids, 2) if entry_of[a] == entry_of[b]}
    for a, b in sorted(pred_pairs - true_pairs, key=lambda p: (int(p[0]), int(p[1]))):
        mismatches.append(f"WRONG MERGE rows {a} and {b}")
    hinted = set()
    for a, b in sorted(true_pairs - pred_pairs, key=lambda p: (int(p[0]), int(p[1]))):
        if entry_of[a] in shown[b] or entry_of[b] in shown[a]:
            hinted.add((a, b))
            mismatches.append(f"not merged, shown to the editor: rows {a} and {b}")
        else:
            mismatches.append(f"missed duplicate rows {a} and {b}")

    def ratio(n: int, d: int) -> float:
        return n / d if d else 1.0

    flagged_want = {r["id"] for r in rows if r["decision"] != "publish"}
    reject_want = {r["id"] for r in rows if r["decision"] == "reject"}
    decisions = {r["id"]: read_name(r["name"], r["affiliation"], r["kind_answer"], wl).decision for r in rows}
    flagged_got = {i for i, d in decisions.items() if d != "publish"}
    reject_got = {i for i, d in decisions.items() if d == "reject"}
    watch_published = [
        r["id"]
        for r in rows
        if ("watch" in r["tags"].split() or r["decision"] == "reject") and decisions[r["id"]] == "publish"
    ]
    return {
        "rows": len(rows),
        "merge precision": ratio(len(pred_pairs & true_pairs), len(pred_pairs)),
        "merge recall": ratio(len(pred_pairs & true_pairs), len(true_pairs)),
        "merge pairs": (len(pred_pairs), len(true_pairs)),
        "merge-or-hint recall": ratio(len((pred_pairs & true_pairs) | hinted), len(true_pairs)),
        "flag precision": ratio(len(flagged_got & flagged_want), len(flagged_got)),
        "flag recall": ratio(len(flagged_got & flagged_want), len(flagged_want)),
        "reject precision": ratio(len(reject_got & reject_want), len(reject_got)),
        "reject recall": ratio(len(reject_got & reject_want), len(reject_want)),
        "display accuracy": ratio(counts["display ok"], counts["display total"]),
        "affiliation accuracy": ratio(counts["affiliation ok"], counts["affiliation total"]),
        "kind accuracy": ratio(counts["kind ok"], counts["kind total"]),
        "decision accuracy": ratio(counts["decision ok"], counts["decision total"]),
        "watch-list or reject rows published": watch_published,
        "mismatches": mismatches,
    }


# Thresholds. Merge precision must be 1.0: a wrong merge silently removes a real signatory
# (fuzzy matching alone pairs different people), so none is tolerated. No row from
# the watch list or labelled reject may end up published. The other thresholds are what the
# engine achieves on this corpus minus a small margin, so that a regression fails the test;
# merge recall is low by design, because duplicates without email evidence (typos, another
# script, another address) are shown to the editor instead of merged.
THRESHOLDS = {  # achieved when set (2026-11-28): see the comment above for the margins
    "merge precision": 1.0,  # 1.000: never a wrong merge
    "merge recall": 0.75,  # 0.809
    "merge-or-hint recall": 0.93,  # 0.979: merged or at least shown to the editor
    "flag precision": 0.97,  # 1.000
    "flag recall": 0.97,  # 1.000 (watch-list and reject rows: must be all, asserted apart)
    "reject precision": 1.0,  # 1.000: a real name must never be rejected outright
    "reject recall": 0.97,  # 1.000
    "display accuracy": 0.97,  # 0.997
    "affiliation accuracy": 0.97,  # 1.000
    "kind accuracy": 0.97,  # 1.000
    "decision accuracy": 0.97,  # 1.000
}


def test_corpus_size_and_coverage() -> None:
    rows = load_rows()
    assert len(rows) >= 300
    tags = {t for r in rows for t in r["tags"].split()}
    for needed in (
        "autocase",
        "cyrillic",
        "greek",
        "arabic",
        "hebrew",
        "han",
        "devanagari",
        "persian",
        "controls",
        "placeholder",
        "url",
        "email",
        "formula",
        "watch",
        "lookalike",
        "namesake",
        "sameemail",
        "surnamefirst",
        "affsplit",
        "org",
        "mojibake",
        "profanity",
        "realsurname",
    ):
        assert needed in tags, needed


def test_corpus_precision_recall() -> None:
    result = run_corpus()
    print()
    for line in result["mismatches"]:  # type: ignore[attr-defined]
        print("  " + line)
    for name in THRESHOLDS:
        print(f"{name:>22}: {result[name]:.3f}  (threshold {THRESHOLDS[name]:.2f})")
    print(f"{'merge pairs':>22}: {result['merge pairs']} (predicted, labelled)")
    assert result["watch-list or reject rows published"] == []
    failed = {k: result[k] for k, v in THRESHOLDS.items() if result[k] < v}  # type: ignore[operator]
    assert not failed, failed
