"""Score a labelled names corpus (tests/data/names_corpus.csv format) with the names engine.

    python tools/score_corpus.py tests/data/names_corpus.csv            # measures + per-language table
    python tools/score_corpus.py PATH --mismatches                      # also every mismatch
    python tools/score_corpus.py PATH --last-id 830                     # only rows 1-830

Each row is one form response: raw name, affiliation and "Signing as" answers, an email label
("local@domain": same label = same address; same local part = same email name), and what a
careful editor would want: display name, affiliation, kind, decision (publish/hold/reject),
duplicate group (rows with the same group are one signatory; blank = on its own), tags, and
optionally `lang` (ISO 639-1: the language the row is written in or the signer's; blank = "?").
Escapes like \\u200b in the name and display columns stand for invisible characters.

Rows are folded in order as the pipeline does: read, match against the entries so far, merge
into the entry of a merge=True match or start a new entry. The measures (the ones editors care
about, as in the names issue):
- junk published: rows labelled reject that end up published;
- real signers kept off: rows labelled publish that are held or rejected (and, apart: rows held
  as a "possible duplicate" while nobody of their labelled group is on the page);
- same signer twice: labelled groups with two or more entries on the page;
- display exact: published rows labelled publish whose display is what the editor wrote;
- editor burden: held rows / rows (and with the rows the matcher holds as possible duplicates,
  which the pipeline's editor sees too; a row merged into an entry so held stays held).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync.dedupe.matching import Candidate, MatchIndex
from sync.names import affiliation_key, load_watchlist, read_name

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")


def unescape(text: str) -> str:
    """The corpus's \\uXXXX escapes as the characters they stand for."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def load_rows(path: Path) -> list[dict[str, str]]:
    """The corpus rows, escapes resolved; `lang` is "?" where the file has no such column or value."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["name"] = unescape(r["name"])
        r["display"] = unescape(r["display"])
        r["lang"] = (r.get("lang") or "").strip() or "?"
    return rows


SHARED_DOMAIN = 5  # addresses at one label domain beyond which it stands for "some webmail"


def _ratio(n: int, d: int) -> float:
    return n / d if d else 1.0


# Complexity allowed: one fold over the rows, then the counts, in the order the docstring gives.
def run_corpus(path: Path, last_id: int | None = None) -> dict[str, object]:  # noqa: C901
    """Fold the corpus through read_name and MatchIndex; every measure and mismatch.

    `last_id`: score only the rows up to that id (an older, smaller version of the corpus).
    """
    rows = [r for r in load_rows(path) if last_id is None or int(r["id"]) <= last_id]
    wl = load_watchlist(None)
    index = MatchIndex()
    locals_at: defaultdict[str, set[str]] = defaultdict(set)
    for r in rows:
        local, _, domain = r["email"].partition("@")
        locals_at[domain].add(local)
    shared = {d for d, found in locals_at.items() if len(found) > SHARED_DOMAIN or not d}
    entry_of: dict[str, str] = {}  # row id -> entry id
    shown: dict[str, set[str]] = defaultdict(set)  # row id -> entries its matches named
    mismatches: list[str] = []
    counts: defaultdict[str, int] = defaultdict(int)
    held_as_duplicate: set[str] = set()
    decisions: dict[str, str] = {}
    displays: dict[str, str] = {}
    for r in rows:
        reading = read_name(r["name"], r["affiliation"], r["kind_answer"], wl)
        decisions[r["id"]] = reading.decision
        displays[r["id"]] = reading.display
        got = (reading.display, reading.affiliation, reading.kind, reading.decision)
        want = (r["display"], r["exp_affiliation"], r["exp_kind"], r["decision"])
        for field, g, w in zip(("display", "affiliation", "kind", "decision"), got, want, strict=True):
            counts[f"{field} total"] += 1
            if g == w:
                counts[f"{field} ok"] += 1
            else:
                mismatches.append(
                    f"row {r['id']} [{r['lang']}] {field}: got {g!r}, want {w!r} "
                    f"(hold={reading.hold}, reject={reading.reject!r})"
                )
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
            # the label's domain, as the pipeline keys an organization's email domain (never a
            # webmail provider's: here, a label domain shared by many addresses, like "@x")
            domain_keys=(domain,) if (domain := email.partition("@")[2]) not in shared else (),
        )
        matches = index.match(cand)
        for m in matches:
            shown[r["id"]].add(m.id)
        merge = next((m for m in matches if m.merge), None)
        if merge is None and any(m.hold for m in matches):
            held_as_duplicate.add(r["id"])  # the pipeline holds it: "possible duplicate of ..."
        elif merge is not None and merge.id in held_as_duplicate:
            held_as_duplicate.add(r["id"])  # merged into an entry held so: it stays held
        entry = merge.id if merge else r["id"]
        entry_of[r["id"]] = entry
        index.add(
            Candidate(
                entry,
                cand.key,
                cand.nospace_key,
                cand.ascii_key,
                cand.email_keys,
                cand.email_local_keys,
                cand.affiliation_key,
                cand.kind,
                cand.status,
                domain_keys=cand.domain_keys,
            )
        )

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

    by_id = {r["id"]: r for r in rows}
    flagged_want = {r["id"] for r in rows if r["decision"] != "publish"}
    reject_want = {r["id"] for r in rows if r["decision"] == "reject"}
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
    # a real signer held as a "possible duplicate" while nobody of their labelled group is on the
    # page (two people at one address) is kept off the page too
    on_page_groups = {by_id[i]["group"] for i in on_page if by_id[i]["group"]}
    kept_off = want_publish - published
    held_not_dup = {
        i
        for i in want_publish & held_as_duplicate
        if not by_id[i]["group"] or by_id[i]["group"] not in on_page_groups
    }
    display_ok = {i for i in want_publish & published if displays[i] == by_id[i]["display"]}
    entries_per_group: defaultdict[str, set[str]] = defaultdict(set)
    for i in on_page & set(entry_of):
        if by_id[i]["group"]:
            entries_per_group[by_id[i]["group"]].add(entry_of[i])
    twice = sorted(g for g, v in entries_per_group.items() if len(v) > 1)
    group_lang = {}
    for r in rows:
        group_lang.setdefault(r["group"], r["lang"])

    per_lang: dict[str, dict[str, float]] = {}
    for lang in sorted({r["lang"] for r in rows}):
        mine = {r["id"] for r in rows if r["lang"] == lang}
        pub_want = want_publish & mine
        per_lang[lang] = {
            "rows": len(mine),
            "junk published": len(reject_want & published & mine),
            "real kept off": len(kept_off & mine),
            "twice": sum(group_lang[g] == lang for g in twice),
            "display exact": _ratio(len(display_ok & mine), len(pub_want & published)),
            "burden": _ratio(sum(decisions[i] == "hold" for i in mine), len(mine)),
        }
    return {
        "rows": len(rows),
        "junk published": sorted(reject_want & published, key=int),
        "flagged rows published": sorted(flagged_want & published, key=int),
        "legitimate signers kept off": sorted(kept_off, key=int),
        "held as a duplicate, nobody of their group on the page": sorted(held_not_dup, key=int),
        "duplicates on the page": twice,
        "wrong merges": len(pred_pairs - true_pairs),
        "display exact (published)": _ratio(len(display_ok), len(want_publish & published)),
        "editor burden (held / rows)": _ratio(sum(d == "hold" for d in decisions.values()), len(rows)),
        # and the rows the matcher holds as possible duplicates (the pipeline's whole queue)
        "editor burden with duplicate holds": _ratio(
            len({i for i, d in decisions.items() if d == "hold"} | held_as_duplicate), len(rows)
        ),
        "merge precision": _ratio(len(pred_pairs & true_pairs), len(pred_pairs)),
        "merge recall": _ratio(len(pred_pairs & true_pairs), len(true_pairs)),
        "merge pairs": (len(pred_pairs), len(true_pairs)),
        "merge-or-hint recall": _ratio(len((pred_pairs & true_pairs) | hinted), len(true_pairs)),
        "flag precision": _ratio(len(flagged_got & flagged_want), len(flagged_got)),
        "flag recall": _ratio(len(flagged_got & flagged_want), len(flagged_want)),
        "reject precision": _ratio(len(reject_got & reject_want), len(reject_got)),
        "reject recall": _ratio(len(reject_got & reject_want), len(reject_want)),
        "display accuracy": _ratio(counts["display ok"], counts["display total"]),
        "affiliation accuracy": _ratio(counts["affiliation ok"], counts["affiliation total"]),
        "kind accuracy": _ratio(counts["kind ok"], counts["kind total"]),
        "decision accuracy": _ratio(counts["decision ok"], counts["decision total"]),
        "watch-list or reject rows published": watch_published,
        "per language": per_lang,
        "mismatches": mismatches,
    }


def measures_table(result: dict[str, object]) -> list[str]:
    """The issue's five measures, then one line per language."""
    junk = result["junk published"]
    kept = result["legitimate signers kept off"]
    twice = result["duplicates on the page"]
    alone = result["held as a duplicate, nobody of their group on the page"]
    lines = [
        f"rows: {result['rows']}",
        f"junk published:              {len(junk)}  {junk}",  # type: ignore[arg-type]
        f"real signers kept off:       {len(kept)}  {kept}",  # type: ignore[arg-type]
        f"  (held as duplicates, alone: {len(alone)})",  # type: ignore[arg-type]
        f"same signer twice on page:   {len(twice)}  {twice}",  # type: ignore[arg-type]
        f"display exact:               {result['display exact (published)']:.3f}",
        f"editor burden (held/rows):   {result['editor burden (held / rows)']:.3f}",
        f"  (with duplicate holds:      {result['editor burden with duplicate holds']:.3f})",
        f"wrong merges:                {result['wrong merges']}",
        "",
        f"{'lang':<5} {'rows':>5} {'junk':>5} {'kept off':>9} {'twice':>6} {'display':>8} {'burden':>7}",
    ]
    per_lang: dict[str, dict[str, float]] = result["per language"]  # type: ignore[assignment]
    for lang, m in per_lang.items():
        lines.append(
            f"{lang:<5} {m['rows']:>5.0f} {m['junk published']:>5.0f} {m['real kept off']:>9.0f} "
            f"{m['twice']:>6.0f} {m['display exact']:>8.3f} {m['burden']:>7.3f}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a labelled corpus CSV")
    parser.add_argument("--mismatches", action="store_true", help="print every mismatch first")
    parser.add_argument(
        "--last-id", type=int, default=None, metavar="N", help="score only the rows with id <= N (e.g. 830)"
    )
    args = parser.parse_args(argv)
    if not args.path.is_file():
        print(f"Error: no such file {args.path}: give the path of a labelled corpus CSV", file=sys.stderr)
        return 1
    result = run_corpus(args.path, args.last_id)
    if args.mismatches:
        for line in result["mismatches"]:  # type: ignore[attr-defined]
            print("  " + line)
    print("\n".join(measures_table(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
