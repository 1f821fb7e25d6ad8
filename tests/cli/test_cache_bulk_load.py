"""The cache's bulk load of the shards apply wrote (a first run, a shard dumped whole): their
records are read into entries by worker processes, chunk by chunk, and each chunk is stored
while the workers go on (sync/cache/ `_put_text`). What it stores, and so what every later run
writes, must be what storing the whole parsed shard stores, at a size where the shards and the
chunks are many."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import sync.cache as cache
from sync.cache import Cache
from sync.store.registry import registry_file_digests
from sync.support import workers as parallel
from tests.cli.test_scale import HEADER, _generated_rows, _Pair


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes for any number of rows, in small chunks (many chunks per shard)."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 23)
    monkeypatch.setenv("SIGNSYNC_WORKERS", "2")


@pytest.fixture
def cache_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache's bulk load in worker processes, in small chunks, whatever its size (the rest
    of a run as usual: a small run reads its names in this process)."""

    def forced(func: Callable[[Sequence[Any]], list[Any]], rows: Sequence[Any]) -> Iterator[list[Any]]:
        with monkeypatch.context() as m:
            m.setattr(parallel, "PARALLEL_MIN", 1)
            m.setattr(parallel, "CHUNK_ROWS", 7)
            m.setenv("SIGNSYNC_WORKERS", "2")
            yield from parallel.map_chunks(func, rows)

    monkeypatch.setattr(cache, "map_chunks", forced)


_TABLES = ("entries", "responses", "emails", "domains", "blocks", "keys", "published", "shards")


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in _TABLES}
    finally:
        db.close()


def test_shards_stored_in_chunks_by_workers_hold_what_the_parsed_files_give(
    tmp_path: Path, cache_workers: None
) -> None:
    rows = _generated_rows(330)
    pair = _Pair(tmp_path, "shard_rows = 40")
    pair.write_responses(HEADER + "".join(rows[:300]))
    pair.apply("first run, 300 in shards of 40")
    registry = pair.cached.parent / "signatories.csv"
    assert len(registry_file_digests(registry)) >= 6
    pair.write_responses(HEADER + "".join(rows))
    pair.apply("30 more")
    (recorded,) = pair.cache_files()
    # The same registry files stored by reading each one whole (as a rebuilt cache reads them).
    rebuilt = Cache(registry, tmp_path / "rebuilt.sqlite")
    rebuilt.open()
    try:
        assert rebuilt.sync(registry_file_digests(registry))  # every shard read from its file
    finally:
        rebuilt.close()
    got, want = _content(recorded), _content(tmp_path / "rebuilt.sqlite")
    assert got["entries"] and got["blocks"] and got["emails"]
    for table in _TABLES:
        assert got[table] == want[table], table


def _die_after_the_first_chunks(rows: Sequence[int]) -> list[int]:
    if os.getpid() != _parent and rows[0] >= 100:
        os._exit(3)  # a worker killed once some chunks were given back
    return [r * 3 for r in rows]


_parent = os.getpid()


def test_chunks_come_in_order_and_a_worker_that_dies_leaves_the_rest_to_this_process(
    workers: None,
) -> None:
    parts = list(parallel.map_chunks(_die_after_the_first_chunks, list(range(400))))
    assert [r for part in parts for r in part] == [r * 3 for r in range(400)]
    assert len(parts) >= 2  # given back chunk by chunk


def test_chunks_in_workers_are_the_rows_in_order(workers: None) -> None:
    parts = list(parallel.map_chunks(lambda rows: [r + 1 for r in rows], list(range(1000))))
    assert len(parts) > 10 and max(len(p) for p in parts) <= 23
    assert [r for part in parts for r in part] == list(range(1, 1001))
