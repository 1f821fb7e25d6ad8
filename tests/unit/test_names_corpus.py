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

from sync.dedupe.matching import Candidate, MatchIndex
from sync.names import affiliation_key, load_watchlist, read_name

CORPUS = Path(__file__).parent.parent / "data" / "names_corpus.csv"
# Rows written at the same time as the corpus's issue-10 rows and set apart before any rule was
# tuned on them: measured and reported, never used to choose a rule or a threshold.
HOLDOUT = Path(__file__).parent.parent / "data" / "names_corpus_holdout.csv"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def load_rows(path: Path = CORPUS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["name"] = unescape(r["name"])
        r["display"] = unescape(r["display"])
    return rows


def run_corpus(path: Path = CORPUS) -> dict[str, object]:
    rows = load_rows(path)
    wl = load_watchlist(None)
    index = MatchIndex()
    entry_of: dict[str, str] = {}  # row id -> entry id
    shown: dict[str, set[str]] = defaultdict(set)  # row id -> entries its matches named
    mismatches: list[str] = []
    counts: defaultdict[str, int] = defaultdict(int)
    held_as_duplicate: set[str] = set()
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
        if merge is None and any(m.hold for m in matches):
            held_as_duplicate.add(r["id"])  # the pipeline holds it: "possible duplicate of ..."
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
    published = {i for i, d in decisions.items() if d == "publish"}
    on_page = published - held_as_duplicate
    want_publish = {r["id"] for r in rows if r["decision"] == "publish"}
    by_id = {r["id"]: r for r in rows}
    display_ok = sum(
        1
        for i in want_publish & published
        if read_name(by_id[i]["name"], by_id[i]["affiliation"], by_id[i]["kind_answer"], wl).display
        == by_id[i]["display"]
    )
    entries_per_group: defaultdict[str, set[str]] = defaultdict(set)
    for i in on_page & set(entry_of):
        if by_id[i]["group"]:
            entries_per_group[by_id[i]["group"]].add(entry_of[i])
    return {
        "rows": len(rows),
        "junk published": sorted(reject_want & published, key=int),
        "flagged rows published": sorted(flagged_want & published, key=int),
        "legitimate signers kept off": sorted(want_publish - published, key=int),
        "duplicates on the page": sorted(g for g, v in entries_per_group.items() if len(v) > 1),
        "wrong merges": len(pred_pairs - true_pairs),
        "display exact (published)": ratio(display_ok, len(want_publish & published)),
        "editor burden (held / rows)": ratio(sum(d == "hold" for d in decisions.values()), len(rows)),
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
THRESHOLDS = {  # achieved on 830 rows when set (2026-11-29, issue 10): margins as said above
    "merge precision": 1.0,  # 1.000: never a wrong merge
    "merge recall": 0.85,  # 0.892
    "merge-or-hint recall": 0.95,  # 0.986: merged or at least shown to the editor
    "flag precision": 0.98,  # 0.995 (a held real signer: one watch-list near-namesake)
    "flag recall": 0.99,  # 1.000 (watch-list and reject rows: must be all, asserted apart)
    "reject precision": 1.0,  # 1.000: a real name must never be rejected outright
    # 0.952: some comments are held rather than rejected ("Good Luck" in title case, one-word
    # "согласен"): an editor's look, never a publication; what matters is "junk published" = 0
    "reject recall": 0.93,
    "display accuracy": 0.98,  # 0.998
    "affiliation accuracy": 0.98,  # 1.000
    "kind accuracy": 0.98,  # 1.000
    "decision accuracy": 0.98,  # 0.992
}


def test_corpus_size_and_coverage() -> None:
    rows = load_rows()
    assert len(rows) >= 800
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


def report(result: dict[str, object], thresholds: dict[str, float]) -> list[str]:
    """Print the figures the issue asks for and return the names of those below threshold."""
    print()
    for line in result["mismatches"]:  # type: ignore[attr-defined]
        print("  " + line)
    for name in thresholds:
        print(f"{name:>28}: {result[name]:.3f}  (threshold {thresholds[name]:.2f})")
    for name in (
        "junk published",
        "flagged rows published",
        "legitimate signers kept off",
        "duplicates on the page",
    ):
        ids = result[name]
        print(f"{name:>28}: {len(ids)}  {ids}")  # type: ignore[arg-type]
    for name in (
        "duplicates on the page",
        "wrong merges",
        "display exact (published)",
        "editor burden (held / rows)",
    ):
        print(f"{name:>28}: {result[name]}")
    print(f"{'merge pairs':>28}: {result['merge pairs']} (predicted, labelled); rows: {result['rows']}")
    return [k for k, v in thresholds.items() if result[k] < v]  # type: ignore[operator]


# The targets on unseen sets: 0 junk published, at most 3-5 real signers kept off, 0
# listed twice, 0 wrong merges, display >= 0.97-0.99, burden <= 6-8%. This corpus holds more
# deliberately hard rows than a real form export (a third of it is junk, lookalikes and watch-list
# names, all of which are held or rejected), so the burden is measured on it but bounded loosely;
# the hard limits are the ones that protect the page: no junk and no watch-list name published,
# no wrong merge, nobody listed twice.
LIMITS = {
    "junk published": 0,
    "wrong merges": 0,
    "duplicates on the page": 0,
}
# One known pair on the main corpus, rows 282/283: the same name in Latin and Greek letters, one
# without an email. Telling them apart or not is the matching policy's (sync/dedupe/matching.py) call:
# today neither merged nor shown. Allowed here so that the limit still catches any other pair.
MAIN_LIMITS = dict(LIMITS, **{"duplicates on the page": 1})


def test_corpus_precision_recall() -> None:
    result = run_corpus()
    failed = report(result, THRESHOLDS)
    assert result["watch-list or reject rows published"] == []
    for name, limit in MAIN_LIMITS.items():
        value = result[name]
        assert (len(value) if isinstance(value, list) else value) <= limit, (name, value)
    # 1% of the corpus's real signers at most (the issue's own bar: 3 of ~600, 5 of ~580)
    assert len(result["legitimate signers kept off"]) <= 0.01 * result["rows"], result[  # type: ignore[arg-type,operator]
        "legitimate signers kept off"
    ]
    assert result["display exact (published)"] >= 0.99  # type: ignore[operator]
    assert not failed, {k: result[k] for k in failed}


def test_holdout_corpus() -> None:
    """The held-out rows: reported, with the limits that protect the page."""
    result = run_corpus(HOLDOUT)
    report(result, {})
    for name, limit in LIMITS.items():
        value = result[name]
        assert (len(value) if isinstance(value, list) else value) <= limit, (name, value)
    assert result["watch-list or reject rows published"] == []
    assert result["display exact (published)"] >= 0.97  # type: ignore[operator]
