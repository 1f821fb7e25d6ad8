"""Matching gives the same answer whatever order a name's blocks are visited in (the order of a
set of strings: it changes with Python's hash seed from run to run). A stored name can sit in a
crowded block (scored on k_sorted only) and a small one (scored in typed order too): its score
must be the best of them, not the last one seen."""

from __future__ import annotations

import itertools

import pytest

from sync.dedupe import matching
from sync.dedupe.matching import Candidate, MatchIndex
from sync.names import read_name


def _cand(i: int, name: str, email: str) -> Candidate:
    return Candidate.of_reading(f"s{i}", read_name(name), (email,), (email,))


def _stored() -> list[Candidate]:
    stored = [_cand(0, "Marta Maria Garcia Lopez", "e0")]
    # A crowd in the block 'lopez|gmm' (a g- name, lopez, two m- names): over SMALL_BLOCK keys.
    givens = ["Gabriel", "Gonzalo", "Gustavo", "Guido", "Gerardo", "Gilberto", "Gregorio", "Guillermo"]
    mids = ["Mateo", "Miguel", "Marco", "Mario", "Martin", "Manuel", "Mauro", "Matias", "Moises"]
    for g, m in itertools.product(givens, mids):
        stored.append(_cand(len(stored), f"{g} Lopez {m} Molina", f"e{len(stored)}"))
    assert len(stored) - 1 > matching.SMALL_BLOCK
    return stored


@pytest.mark.parametrize("order", ["as is", "reversed", "crowded first", "crowded last"])
def test_a_similar_name_gets_its_best_score_whatever_the_block_order(
    order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = matching.blocking_keys

    def ordered(key: str, nospace: str) -> tuple[str, ...]:
        blocks = sorted(plain(key, nospace))
        if order == "reversed":
            blocks.reverse()
        elif order == "crowded first":
            blocks.sort(key=lambda b: b != "lopez|gmm")
        elif order == "crowded last":
            blocks.sort(key=lambda b: b == "lopez|gmm")
        return tuple(blocks)

    monkeypatch.setattr(matching, "blocking_keys", ordered)
    matching._block_hashes.cache_clear()
    try:
        index = MatchIndex(_stored())
        query = _cand(999, "Marta Marxa Garcia Lopez", "other")
        (match,) = [m for m in index.match(query) if m.id == "s0"]
    finally:
        matching._block_hashes.cache_clear()
    # typed order "martamariagarcialopez" / "martamarxagarcialopez" scores 95; k_sorted 92
    assert (match.tier, match.reason, round(match.score, 2)) == (
        "E",
        "similar name (95), different email",
        95.24,
    )
