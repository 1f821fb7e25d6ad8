"""Data built once per machine (sync/support/built.py): whole files, rebuilt when stale or broken."""

from __future__ import annotations

import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.support import built


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SIGNSYNC_CACHE_DIR", str(folder))
    return folder


def _counting(items: dict[str, int], calls: list[int]) -> Callable[[], Iterator[tuple[str, int]]]:
    def build() -> Iterator[tuple[str, int]]:
        calls.append(1)
        yield from items.items()

    return build


RANKS = {"maria": 3, "jürgen": 120, "владимир": 45, "李": 1, "o'brien": 900, "": 7}


def test_a_table_is_built_once_then_read_in_place(cache: Path) -> None:
    calls: list[int] = []
    first = built.built_ints("ranks", b"v1", _counting(RANKS, calls))
    again = built.built_ints("ranks", b"v1", _counting(RANKS, calls))
    assert calls == [1]  # the second reader built nothing
    for table in (first, again):
        assert {k: table.get(k) for k in RANKS} == RANKS
        assert table.get("nobody") is None
        assert table.get("nobody", 10**9) == 10**9
        assert "maria" in table and "mari" not in table
        assert len(table) == len(RANKS)
    (only,) = cache.glob("ranks-*.bin")
    assert stat.S_IMODE(only.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_another_identity_gets_its_own_table(cache: Path) -> None:
    calls: list[int] = []
    built.built_ints("ranks", b"v1", _counting(RANKS, calls))
    newer = built.built_ints("ranks", b"v2", _counting({"maria": 4}, calls))
    assert calls == [1, 1]
    assert newer.get("maria") == 4 and newer.get("jürgen") is None
    assert len(list(cache.glob("ranks-*.bin"))) == 2


@pytest.mark.parametrize("damage", ["truncated", "empty", "other bytes"])
def test_a_file_that_is_not_whole_is_built_again(cache: Path, damage: str) -> None:
    calls: list[int] = []
    built.built_ints("ranks", b"v1", _counting(RANKS, calls))
    (path,) = cache.glob("ranks-*.bin")
    data = path.read_bytes()
    if damage == "truncated":  # a disk that filled up while it was written
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"x" * len(data))
    table = built.built_ints("ranks", b"v1", _counting(RANKS, calls))
    assert calls == [1, 1]
    assert {k: table.get(k) for k in RANKS} == RANKS
    assert path.read_bytes() == data


def test_a_folder_that_cannot_be_written_gives_the_same_table_in_memory(cache: Path) -> None:
    if os.geteuid() == 0:
        cache.parent.joinpath("file").write_text("")
        os.environ["SIGNSYNC_CACHE_DIR"] = str(cache.parent / "file" / "cache")  # not a folder
    else:
        cache.mkdir(mode=0o500)
    calls: list[int] = []
    table = built.built_ints("ranks", b"v1", _counting(RANKS, calls))
    assert {k: table.get(k) for k in RANKS} == RANKS
    assert table.get("nobody") is None


def _build_slowly(folder: str, queue: multiprocessing.Queue[dict[str, int | None]]) -> None:
    os.environ["SIGNSYNC_CACHE_DIR"] = folder
    items = {f"name{i}": i for i in range(20_000)}
    table = built.built_ints("race", b"v1", lambda: items.items())
    queue.put({k: table.get(k) for k in ("name0", "name19999", "name20000")})


def test_processes_building_at_once_each_read_a_whole_table(cache: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[dict[str, int | None]] = ctx.Queue()
    procs = [ctx.Process(target=_build_slowly, args=(str(cache), queue)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert results == [{"name0": 0, "name19999": 19999, "name20000": None}] * 4
    assert [p.name for p in cache.iterdir()] == [next(cache.glob("race-*.bin")).name]  # no temporary left


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.text(max_size=12), st.binary(max_size=20), max_size=80),
    st.lists(st.text(max_size=12), max_size=20),
)
def test_a_frozen_map_answers_as_the_dict_it_was_written_from(
    items: dict[str, bytes], probes: list[str]
) -> None:
    import io

    out = io.BytesIO()
    built.write_map(out, items.items())
    frozen = built.FrozenMap((b"pad" + out.getvalue(), 3))
    assert len(frozen) == len(items)
    for key in [*items, *probes]:
        assert frozen.get(key) == items.get(key)
        assert (key in frozen) == (key in items)


def test_tables_of_another_identity_unused_for_two_weeks_are_removed_when_one_is_built(cache: Path) -> None:
    built.built_ints("ranks", b"v1", lambda: RANKS.items())
    built.built_ints("ranks", b"v2", lambda: RANKS.items())
    built.built_ints("other", b"v1", lambda: RANKS.items())
    old = time.time() - 15 * 86_400
    v1, v2 = sorted(cache.glob("ranks-*.bin"), key=lambda p: p.stat().st_mtime_ns)
    (other,) = cache.glob("other-*.bin")
    for path in (v1, v2, other):
        os.utime(path, (old, old))
    built.built_ints("ranks", b"v2", lambda: RANKS.items())  # read: touched, not built
    assert v1.exists() and time.time() - v2.stat().st_mtime < 60
    built.built_ints("ranks", b"v3", lambda: RANKS.items())  # built: the unused v1 goes
    assert not v1.exists() and v2.exists() and other.exists()
    assert len(list(cache.glob("ranks-*.bin"))) == 2
