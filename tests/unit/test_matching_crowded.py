"""Names that all look alike ("Person Number1".."Person NumberN") put every name in one crowded
block. `MatchIndex.prepare` scores such blocks ahead for the whole batch of queries, keeping each
query's best keys; matching must answer exactly as the plain walk that scores the block for each
query, whatever the order the queries then come in."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from sync.dedupe import matching
from sync.dedupe.matching import CROWDED, MAX_FUZZY, Candidate, MatchIndex
from sync.names import name_keys
from tests.unit.test_matching_shortcuts import Reference


def _alike(first: int, count: int, seed: int) -> list[Candidate]:
    """Generated names that all look alike; some share an email name (the only evidence that
    can merge similar names), some an email, a few are namesakes."""
    rng = random.Random(seed)
    out = []
    for i in range(first, first + count):
        n = rng.randrange(1, 3 * (first + count)) if rng.random() < 0.1 else i
        key, nospace, ascii_key = name_keys(f"Person Numberedalikeinalonglist{n}")
        # Names of one hundred share an email name: similar, yet seldom among the best keys.
        local = f"h{n // 100}" if rng.random() < 0.5 else f"own{i}"
        email = f"e{rng.randrange(300)}" if rng.random() < 0.2 else f"mail{i}"
        sid = f"s{rng.randrange(10**6):06d}"  # ids in no relation to the names: ties ranked by id
        out.append(Candidate(sid, key, nospace, ascii_key, (email,), (local,), "", "individual", "published"))
    return out


@pytest.fixture(autouse=True)
def score_ahead_small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Score crowded blocks ahead however few the pairs (the batches here are kept small)."""
    monkeypatch.setattr(matching, "CROWD_PAIRS_MIN", 0)


@pytest.mark.parametrize("seed", [1, 2])
def test_crowded_blocks_scored_ahead_answer_as_the_plain_walk(seed: int) -> None:
    stored, queries = _alike(0, 1200, seed), _alike(1200, 500, seed)
    index, reference = MatchIndex(stored), Reference(stored)
    index.prepare(queries)
    assert index._crowds, "the alike names make a crowded block"
    truncated = merged = 0
    for q in queries:
        truncated += len(reference._fuzzy(q)) > MAX_FUZZY
        got = index.match(q)
        assert got == reference.match(q), q
        merged += any("same email name" in m.reason for m in got)
        index.add(q)
        reference.add(q)
    assert truncated > 100  # most queries had more similar keys than the cap keeps
    assert merged > 100  # similar names with the same email name (D), found past the cap


def test_queries_out_of_turn_or_other_adds_are_scored_live() -> None:
    stored, queries = _alike(0, 300, 5), _alike(300, 200, 5)
    index, reference = MatchIndex(stored), Reference(stored)
    index.prepare(queries)
    rng = random.Random(9)
    for q in queries:
        if rng.random() < 0.2:
            continue  # never asked: later queries meet smaller blocks than foreseen
        if rng.random() < 0.1:  # added under another key than foreseen
            other = replace(q, key=q.key + "x", nospace_key=q.nospace_key + "x")
            index.add(other)
            reference.add(other)
            continue
        assert index.match(q) == reference.match(q), q
        index.add(q)
        reference.add(q)


def test_few_pairs_are_scored_as_they_come(monkeypatch: pytest.MonkeyPatch) -> None:
    stored, queries = _alike(0, 1200, 4), _alike(1200, 50, 4)
    index = MatchIndex(stored)
    index.prepare(queries)
    assert index._crowds
    monkeypatch.setattr(matching, "CROWD_PAIRS_MIN", 50 * 2000)  # more than the pairs to score
    index.prepare(queries)
    assert not index._crowds


def test_small_batches_are_not_scored_ahead() -> None:
    stored, queries = _alike(0, 20, 3), _alike(20, 20, 3)
    index = MatchIndex(stored)
    index.prepare(queries)
    assert not index._crowds
    assert len(stored) + len(queries) < CROWDED
    assert matching.SMALL_BLOCK < CROWDED
