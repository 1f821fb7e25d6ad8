"""The name judgement's word frequencies: the per-machine table gives exactly what wordfreq's
lists give, and a cache folder that cannot hold it falls back to the lists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sync.names import frequencies
from sync.names.judgement import _WORD_CUT, LANGUAGES


def _sample() -> list[str]:
    """Words from every list (frequent, rare, below the cut), shared ones, and absent ones."""
    words: set[str] = {"", "zzqxj", "thanks", "maria", "smith", "d'accordo", "ünïcödé", "спасибо"}
    for table in frequencies.frequency_lists(LANGUAGES):
        items = sorted(table.items())
        words.update(w for w, _f in items[::211])
    return sorted(words)


def _expected(words: list[str], cut: float = _WORD_CUT) -> dict[str, float]:
    lists = frequencies.frequency_lists(LANGUAGES)
    out = {}
    for w in words:
        freq = max(t.get(w, 0.0) for t in lists)
        out[w] = freq if freq >= cut else 0.0
    return out


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SIGNSYNC_CACHE_DIR", str(folder))
    frequencies.word_frequencies.cache_clear()
    yield folder
    frequencies.word_frequencies.cache_clear()


def test_the_table_gives_what_the_lists_give(fresh: Path) -> None:
    words = _sample()
    expected = _expected(words)
    assert sum(1 for f in expected.values() if f) > 1000
    lookup = frequencies.word_frequencies(LANGUAGES, _WORD_CUT)
    (table,) = fresh.glob("word-frequencies-*.db")
    assert {w: lookup(w) for w in words} == expected
    # A later process opens the table it finds.
    frequencies.word_frequencies.cache_clear()
    again = frequencies.word_frequencies(LANGUAGES, _WORD_CUT)
    assert {w: again(w) for w in words} == expected
    assert list(fresh.iterdir()) == [table]


def test_the_cut_leaves_rarer_words_out(fresh: Path) -> None:
    cut = 10 ** (5.0 - 9.0)  # Zipf 5: wordfreq's small lists hold nothing below LANGUAGES' cut
    words = _sample()
    expected = _expected(words, cut)
    assert sum(1 for f in expected.values() if f) > 20 and sum(1 for f in expected.values() if not f) > 1000
    lookup = frequencies.word_frequencies(LANGUAGES, cut)
    assert {w: lookup(w) for w in words} == expected


@pytest.mark.parametrize("damage", ["unwritable", "garbage"])
def test_a_folder_that_cannot_hold_the_table_gives_the_same_frequencies(fresh: Path, damage: str) -> None:
    words = _sample()
    expected = _expected(words)
    if damage == "unwritable":
        fresh.parent.mkdir(parents=True, exist_ok=True)
        fresh.write_text("a file where the cache folder should be")
    else:
        lookup = frequencies.word_frequencies(LANGUAGES, _WORD_CUT)
        (table,) = fresh.glob("word-frequencies-*.db")
        table.write_bytes(b"\xff" * 5000)
        frequencies.word_frequencies.cache_clear()
    lookup = frequencies.word_frequencies(LANGUAGES, _WORD_CUT)
    assert {w: lookup(w) for w in words} == expected


_LANGS = ("en", "de")


def _look_in_worker(word: str) -> tuple[float, int, list[int]]:
    """In a forked worker: the inherited look-up function's answer, this pid, and the pids
    whose connections it holds."""
    from sync.names.frequencies import word_frequencies

    look = word_frequencies(_LANGS, 1e-6)
    answer = look(word)
    (owners,) = [c.cell_contents for c in look.__closure__ or () if isinstance(c.cell_contents, dict)]
    return answer, os.getpid(), sorted(owners)


def test_a_forked_worker_looks_words_up_through_its_own_connection(tmp_path, monkeypatch) -> None:
    """sync.support.workers forks workers after the parent has looked words up: SQLite forbids using
    a connection across fork(), so each process opens its own (and gives the same answers)."""
    import multiprocessing

    from sync.names.frequencies import word_frequencies

    monkeypatch.setenv("SIGNSYNC_CACHE_DIR", str(tmp_path))
    word_frequencies.cache_clear()
    try:
        words = ["the", "und", "haus", "xqzzv", "university"]
        here = [_look_in_worker(w)[0] for w in words]
        assert any(here) and not all(here)
        with multiprocessing.get_context("fork").Pool(2) as pool:
            there = pool.map(_look_in_worker, words)
        assert [t[0] for t in there] == here
        for _answer, pid, owners in there:
            assert pid != os.getpid() and pid in owners and os.getpid() in owners
    finally:
        word_frequencies.cache_clear()
