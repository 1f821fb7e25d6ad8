"""Large full runs: per-row work in worker processes (sync/support/workers.py) gives what one process
gives (the same readings of every name, memoized or not, the same reconciled registry, in the
same order), and a CSV's repeated answers are held once."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sync.dedupe.reconcile import reconcile
from sync.intake.responses import to_submissions
from sync.intake.sources.csv_source import parse_csv_text
from sync.names import read_name, read_names
from sync.names.reading import _read_name_cached
from sync.support import workers as parallel
from tests.unit.test_names_corpus import CORPUS, HOLDOUT, load_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes for any number of rows, in small chunks (many chunks, out of order)."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 37)
    monkeypatch.setenv("SIGNSYNC_WORKERS", "2")


def _generated(n: int, seed: int) -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_names import make_signatures

    return make_signatures(n, seed=seed)


def _corpus_names() -> list[tuple[str, str, str]]:
    rows = load_rows(CORPUS) + load_rows(HOLDOUT)
    names = [(r["name"], r["affiliation"], r["kind_answer"]) for r in rows]
    names += [(name, aff, "") for _id, name, aff, _email in _generated(1500, seed=5)]
    return names + names[:100]  # repeated rows: the memo answers the second time


def test_read_names_in_workers_equals_read_name_one_row_at_a_time(workers: None) -> None:
    names = _corpus_names()
    _read_name_cached.cache_clear()
    in_workers = read_names(names)
    # Without the memo: the function under lru_cache, called afresh for every row.
    unmemoized = [_read_name_cached.__wrapped__(n, a, k, _default_watchlist()) for n, a, k in names]
    one_by_one = [read_name(n, a, k) for n, a, k in names]
    assert in_workers == unmemoized == one_by_one
    assert len(in_workers) == len(names)


def _default_watchlist():  # type: ignore[no-untyped-def]
    from sync.names.watchlist import _default_watchlist as shipped

    return shipped()


def _die_in_a_worker(rows: Sequence[int]) -> list[int]:
    if os.getpid() != _parent:
        os._exit(3)  # a worker killed mid-chunk
    return [r * 2 for r in rows]


_parent = os.getpid()


def test_a_worker_that_dies_leaves_the_rows_to_this_process(workers: None) -> None:
    assert parallel.map_rows(_die_in_a_worker, list(range(500))) == [r * 2 for r in range(500)]


def _fail(rows: Sequence[int]) -> list[int]:
    raise ValueError(f"row {rows[0]}")


def test_an_error_in_a_worker_is_raised_as_in_one_process(workers: None) -> None:
    with pytest.raises(ValueError, match="row 0"):
        parallel.map_rows(_fail, list(range(100)))


def test_serial_below_the_threshold_and_with_one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    pids: list[int] = []

    def record(rows: Sequence[int]) -> list[int]:
        pids.append(os.getpid())
        return list(rows)

    monkeypatch.setattr(parallel, "CHUNK_ROWS", 10)
    assert parallel.map_rows(record, list(range(100))) == list(range(100))  # below PARALLEL_MIN
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setenv("SIGNSYNC_WORKERS", "1")
    assert parallel.map_rows(record, list(range(100))) == list(range(100))
    assert pids == [os.getpid()] * 2  # each in one call, in this process


def _responses(n: int) -> str:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["Timestamp", "Email Address", "Full name", "Affiliation", "Signing as", "Consent"])
    start = datetime(2026, 1, 5, 8, 0, 0)
    for i, (_id, name, aff, email) in enumerate(_generated(n, seed=13)):
        stamp = (start + timedelta(seconds=37 * i)).strftime("%m/%d/%Y %H:%M:%S")
        out.writerow([stamp, f"{email}@example.org", name, aff, "An individual", "Yes"])
    return buf.getvalue()


def test_reconciling_with_names_read_in_workers_gives_the_same_registry(
    workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = parse_csv_text(_responses(3000), "responses.csv")
    columns = {
        "timestamp": "Timestamp",
        "email": "Email Address",
        "name": "Full name",
        "affiliation": "Affiliation",
        "kind": "Signing as",
        "consent": "Consent",
    }
    subs = to_submissions(table, columns, "test-key-0123456789").submissions
    _read_name_cached.cache_clear()
    parallel_result = reconcile((), subs)
    monkeypatch.setenv("SIGNSYNC_WORKERS", "1")
    _read_name_cached.cache_clear()
    serial_result = reconcile((), subs)
    assert parallel_result == serial_result
    assert parallel_result.summary.merged and parallel_result.summary.held  # duplicates were met


def test_a_csv_holds_each_repeated_answer_once_and_every_cell_as_typed() -> None:
    rows = [f"01/05/2026 08:00:{i:02d},Name {i},An individual,Yes\n" for i in range(50)]
    table = parse_csv_text("Timestamp,Full name,Signing as,Consent\n" + "".join(rows), "responses.csv")
    assert [",".join(r.cells) + "\n" for r in table.rows] == rows
    first, second = table.rows[0].cells, table.rows[1].cells
    assert first[2] is second[2] and first[3] is second[3]  # one "An individual", one "Yes"


def _cache_tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    db = sqlite3.connect(path)
    names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {n: sorted(db.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    db.close()
    return out


def test_a_cache_built_by_workers_holds_what_one_process_stores(
    tmp_path: Path, workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.cache import Cache
    from sync.store.registry import dump_registry
    from sync.support.files import file_digest

    table = parse_csv_text(_responses(2000), "responses.csv")
    columns = {
        "timestamp": "Timestamp",
        "email": "Email Address",
        "name": "Full name",
        "affiliation": "Affiliation",
        "kind": "Signing as",
        "consent": "Consent",
    }
    entries = reconcile((), to_submissions(table, columns, "test-key-0123456789").submissions).signatories
    registry = tmp_path / "signatories.csv"
    registry.write_text(dump_registry(entries), encoding="utf-8")
    built = {}
    for how in ("workers", "one process"):
        if how == "one process":
            monkeypatch.setenv("SIGNSYNC_WORKERS", "1")
        cache = Cache(registry, tmp_path / f"{how}.sqlite")
        cache.open()
        cache.sync([(1, registry, file_digest(registry))])
        cache.close()
        built[how] = _cache_tables(tmp_path / f"{how}.sqlite")
    assert built["workers"]["entries"] and built["workers"]["blocks"]
    assert built["workers"] == built["one process"]
