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

from pathlib import Path

import pytest

from tools.score_corpus import load_rows as _load_rows
from tools.score_corpus import measures_table, unescape
from tools.score_corpus import run_corpus as _run_corpus

CORPUS = Path(__file__).parent.parent / "data" / "names_corpus.csv"
# Rows written at the same time as the corpus's issue-10 rows and set apart before any rule was
# tuned on them: measured and reported, never used to choose a rule or a threshold.
HOLDOUT = Path(__file__).parent.parent / "data" / "names_corpus_holdout.csv"

__all__ = ["CORPUS", "HOLDOUT", "load_rows", "run_corpus", "unescape"]


def load_rows(path: Path = CORPUS) -> list[dict[str, str]]:
    return _load_rows(path)


def run_corpus(path: Path = CORPUS, last_id: int | None = None) -> dict[str, object]:
    return _run_corpus(path, last_id)


# The corpus as it was before rows in some forty more languages were added (rows 1-830): held to
# its own limits, which must never get worse.
FIRST_PART = 830


# Thresholds. Merge precision must be 1.0: a wrong merge silently removes a real signatory
# (fuzzy matching alone pairs different people), so none is tolerated. No row from
# the watch list or labelled reject may end up published. The other thresholds are what the
# engine achieves on this corpus minus a small margin, so that a regression fails the test;
# merge recall is low by design, because duplicates without email evidence (typos, another
# script, another address) are shown to the editor instead of merged.
THRESHOLDS = {  # achieved on 830 rows when set (2026-11-29): margins as said above
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
    print("\n".join(measures_table(result)))
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
    result = run_corpus(last_id=FIRST_PART)
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


# The whole corpus, rows in every language: measured when the rows were written (before any rule
# was changed for them: 92 junk published, 11 real signers kept off, 28 listed twice, display
# 0.977) and lowered as the engine learned; the targets are 0 junk, at most 5 kept off,
# at most 1 twice, display >= 0.97 and burden <= 0.08 on sets it has not seen.
WORLD_PART = 1188
WORLD_LIMITS = {
    "junk published": 0,
    "legitimate signers kept off": 1,
    "duplicates on the page": 1,
    "wrong merges": 0,
}
WORLD_DISPLAY = 0.99

# Rows 1189 on: a development set of 686 responses in 69 languages written blind (by a helper who
# never read the code, tags "dev"), appended with its group labels prefixed "d" (and joined to
# the main corpus's groups where the same organization or person was in both). Its first score,
# before any rule was changed for it: 51 junk published, 30 real signers kept off, 23 listed
# twice, display 0.830, burden 0.155. The limits are what the engine achieves today, so that a
# change making it worse fails; the targets (0, 5, 1, 0.97, 0.08) are the goal.
DEV_PART = 1874
DEV_LIMITS = {
    "junk published": 2,
    "legitimate signers kept off": 12,
    "duplicates on the page": 0,
    "wrong merges": 0,
}
DEV_DISPLAY = 0.99

# Rows 1875 on: a second blind development set, 719 responses in 27 languages (tags "dev3",
# groups prefixed "e"; the Odia row 1629 joined to its group eor07: the same person). Its first
# score, before any rule was changed for it (commit 1230602): 20 junk published, 23 real
# signers kept off, 23 listed twice, display 0.986, burden 0.167, 1 wrong merge (main at
# e96fd49, without the cross-script work: 52 listed twice). Limits: what the engine achieves
# on the whole corpus today.
DEV3_LIMITS = {
    "junk published": 7,
    "legitimate signers kept off": 26,
    "duplicates on the page": 9,
    "wrong merges": 0,
}
DEV3_DISPLAY = 0.989
DEV3_PART = 2593

# Rows 2594 on: a third blind development set, 814 responses in 30 languages none of the rows
# before had (tags "dev4", groups prefixed "f"; rows 49, 1575 and three junk rows of dev3 joined
# to the dev4 groups of the same person or text). Its first score, before any rule was changed
# for it (main at d79203b): 80 junk published, 11 real signers kept off, 18 listed twice,
# display 0.964, burden 0.170, 2 wrong merges. Limits: what the engine achieves on the whole
# corpus today. The one wrong merge: "Ольга Иванова" typed without an email (row 281) and a
# namesake at an address (row 3005) are one signatory by the matching rule (same name, no
# conflicting email).
DEV4_LIMITS = {
    "junk published": 56,
    "legitimate signers kept off": 30,
    "duplicates on the page": 20,
    "wrong merges": 1,
}
DEV4_DISPLAY = 0.986


@pytest.mark.parametrize(
    ("last_id", "limits", "display"),
    [
        pytest.param(WORLD_PART, WORLD_LIMITS, WORLD_DISPLAY, id="every-language"),
        pytest.param(DEV_PART, DEV_LIMITS, DEV_DISPLAY, id="development-set"),
        pytest.param(DEV3_PART, DEV3_LIMITS, DEV3_DISPLAY, id="second-development-set"),
        pytest.param(None, DEV4_LIMITS, DEV4_DISPLAY, id="third-development-set"),
    ],
)
def test_corpus_part(last_id: int | None, limits: dict[str, int], display: float) -> None:
    result = run_corpus(last_id=last_id)
    report(result, {})
    for name, limit in limits.items():
        value = result[name]
        assert (len(value) if isinstance(value, list) else value) <= limit, (name, value)
    assert result["display exact (published)"] >= display  # type: ignore[operator]


def test_holdout_corpus() -> None:
    """The held-out rows: reported, with the limits that protect the page."""
    result = run_corpus(HOLDOUT)
    report(result, {})
    for name, limit in LIMITS.items():
        value = result[name]
        assert (len(value) if isinstance(value, list) else value) <= limit, (name, value)
    assert result["watch-list or reject rows published"] == []
    assert result["display exact (published)"] >= 0.97  # type: ignore[operator]


_HEADER = "id,name,affiliation,kind_answer,email,display,exp_affiliation,exp_kind,decision,group,tags"


def test_scorer_reports_each_language_and_accepts_files_without_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tools.score_corpus import main

    with_lang = tmp_path / "with.csv"
    with_lang.write_text(
        _HEADER + ",lang\n"
        "1,Maria Lopez,,,m@a,Maria Lopez,,individual,publish,,,es\n"
        "2,asdf,,,x@b,asdf,,individual,reject,,,en\n"
        "3,Ingrid Svensson,,,i@a,Ingrid Svensson,,individual,publish,,,sv\n",
        encoding="utf-8",
    )
    assert main([str(with_lang)]) == 0
    out = capsys.readouterr().out
    assert "junk published:              0  []" in out
    assert "real signers kept off:       0  []" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("lang ")) + 1
    table = {line.split()[0]: line.split()[1:] for line in lines[start:] if line.strip()}
    assert table == {
        "en": ["1", "0", "0", "0", "1.000", "0.000"],
        "es": ["1", "0", "0", "0", "1.000", "0.000"],
        "sv": ["1", "0", "0", "0", "1.000", "0.000"],
    }
    without = tmp_path / "without.csv"
    without.write_text(
        _HEADER + "\n1,Maria Lopez,,,m@a,Maria Lopez,,individual,publish,,\n", encoding="utf-8"
    )
    assert main([str(without)]) == 0
    assert "\n?         1 " in capsys.readouterr().out
    assert main([str(tmp_path / "missing.csv")]) == 1
    assert capsys.readouterr().err.startswith("Error: no such file")


def test_every_corpus_row_names_its_language() -> None:
    for path in (CORPUS, HOLDOUT):
        langs = [r["lang"] for r in load_rows(path)]
        # ISO 639-1, or 639-3 where a language has no two-letter code ("ceb", "kab")
        assert all(len(x) in (2, 3) and x.isalpha() and x.islower() for x in langs), path


def test_a_response_merged_into_an_entry_held_as_a_duplicate_is_not_on_the_page(tmp_path: Path) -> None:
    """The scorer folds rows as the pipeline does: a response that merges (same email) into an
    entry held as a possible duplicate stays off the page with it, and the editor's queue counts
    the rows the matcher holds."""
    corpus = tmp_path / "corpus.csv"
    header = "id,name,affiliation,kind_answer,email,display,exp_affiliation,exp_kind,decision,group,tags,lang"
    rows = [
        "1,Adaeze Okonkwo-Bright,,,a@x,Adaeze Okonkwo-Bright,,individual,publish,g1,,en",
        "2,Adaeze Okonkwo-Bright,,,b@y,Adaeze Okonkwo-Bright,,individual,publish,g1,,en",
        "3,Adaeze Okonkwo-Bright,,,b@y,Adaeze Okonkwo-Bright,,individual,publish,g1,,en",
    ]
    corpus.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = _run_corpus(corpus)
    assert result["duplicates on the page"] == []
    assert result["editor burden (held / rows)"] == 0.0
    assert result["editor burden with duplicate holds"] == 2 / 3
