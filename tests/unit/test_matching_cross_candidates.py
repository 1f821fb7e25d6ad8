"""The cross-script candidates `MatchIndex` looks at leave out only names that cannot be the same
name in another script: on the names corpus (many scripts) and on names of a few short words
in three scripts, every name sharing a cross key with a query and passing the cross-script
check is among them, and no name of the query's own script is."""

from __future__ import annotations

import csv
from pathlib import Path

from sync.dedupe.crossscript import cross_keys, script_of
from sync.dedupe.matching import Candidate, MatchIndex, _across_scripts
from sync.names import read_name
from sync.names.watchlist import make_watchlist

CORPUS = Path(__file__).resolve().parents[1] / "data" / "names_corpus.csv"
NO_WATCH = make_watchlist(())
# Names of short words that share consonant keys across scripts (Chinese read in syllables,
# Arabic without short vowels, Latin names of two syllables), and some the same name.
SHORT = [
    "李秀英",
    "Li Xiu Ying",
    "Li Xiuying",
    "Lo Sin Yang",
    "Lisa Young",
    "刘洋",
    "Liu Yang",
    "Lu Yang",
    "王静",
    "Wang Jing",
    "Wan Jin",
    "محمد علي",
    "Mohamed Ali",
    "Mahmud Ali",
    "Maha Dali",
    "周雨",
    "Zhou Yu",
    "Zoe Yu",
    "Su Yi",
    "苏怡",
    "张伟",
    "Zhang Wei",
]


def _index(names: list[tuple[str, str]]) -> tuple[MatchIndex, list[Candidate]]:
    index = MatchIndex()
    items = []
    for n, (name, kind) in enumerate(names):
        r = read_name(name, "", kind, NO_WATCH)
        if not r.key:
            continue
        c = Candidate.of_reading(f"s{n}", r)
        index.add(c)
        items.append(c)
    return index, items


def _check(index: MatchIndex, items: list[Candidate]) -> int:
    """Every item sharing a cross key with a query (what a plain walk of the keys meets) that
    passes the check is a candidate, and no candidate is of the query's own script. Returns the
    pairs that pass."""
    by_key: dict[str, list[int]] = {}
    for i, c in enumerate(items):
        for k in cross_keys(c.key, c.nospace_key, c.ascii_key):
            if not k.startswith("a:"):
                by_key.setdefault(k, []).append(i)
    passed = 0
    for c in items:
        met = {i for k in cross_keys(c.key, c.nospace_key, c.ascii_key) for i in by_key.get(k, ())}
        same = {items[i].id for i in met if items[i].id != c.id and _across_scripts(c, items[i])}
        got = [index._items[i] for i, acronym in index._cross_candidates(c) if not acronym]
        assert same <= {o.id for o in got}, c.key
        assert all(script_of(o.key) != script_of(c.key) for o in got), c.key
        passed += len(same)
    return passed


def test_the_corpus_names_met_across_scripts_are_all_candidates() -> None:
    with open(CORPUS, encoding="utf-8", newline="") as f:
        names = [(row["name"], row["kind_answer"]) for row in csv.DictReader(f)]
    index, items = _index(names)
    assert len({script_of(c.key) for c in items}) > 20
    assert _check(index, items) > 50  # the corpus holds many names in two scripts


def test_short_names_in_three_scripts() -> None:
    index, items = _index([(n, "") for n in SHORT])
    assert _check(index, items) > 5
