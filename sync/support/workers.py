"""Per-row work of a large run spread over the machine's cores, in the rows' order.

Reading a name (sync.names) is a pure function of the row and most of a full first run's time:
above `PARALLEL_MIN` rows, `map_rows` cuts the rows into chunks and has forked worker
processes do them, and gives the results back in the rows' order, so the outcome is the same
as one process would make (tests/cli/test_parallel.py compares them). The workers are forked: they
inherit the rows and the function from this process (nothing is pickled on the way in), and
send back only their results, which the function keeps small (tuples of strings).

Serial when the machine has one core, the rows are few, the platform is not Linux, or
`SIGNSYNC_WORKERS=1`; and when a worker cannot be started or dies, the rows are done here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

R = TypeVar("R")

PARALLEL_MIN = 20_000  # fewer rows: starting the workers costs more than they save
# Rows that each cost about a millisecond (reading a name): from this many, two workers save
# more than they cost (an incremental run's 10,000 new names at 1M). Each worker loads the names
# engine's data again (~1 s of CPU each at 100k + 1,000: 4.3-4.8 s CPU in one process, 5.6-6.2 s
# with two workers), so 1,000 new names stay in one process.
HEAVY_PARALLEL_MIN = 5_000
CHUNK_ROWS = 4_000  # rows per task: small enough to balance, large enough to pickle cheaply

# Forked workers only on Linux: macOS offers fork, but a process that has used its system
# frameworks (the sheet source's HTTP proxy look-up does) can crash in a forked child.
FORK_SAFE = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()

# The job the forked workers run: set just before they start, inherited through fork.
_job: tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]] | None = None


def worker_count() -> int:
    """How many processes share per-row work: `SIGNSYNC_WORKERS`, else the usable cores."""
    wanted = os.environ.get("SIGNSYNC_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_rows(
    func: Callable[[Sequence[Any]], list[R]], rows: Sequence[Any], *, heavy: bool = False
) -> list[R]:
    """`func(rows)`, computed in chunks by worker processes when the rows are many (`heavy`:
    rows that each cost about a millisecond, worth the workers from HEAVY_PARALLEL_MIN rows).
    `func` maps a slice of rows to one result per row and must be pure (its result depends on
    the rows alone): chunks are done in any process, in any order, and put back in the rows'
    order."""
    out: list[R] = []
    for part in map_chunks(func, rows, heavy=heavy):
        out.extend(part)
    return out


def map_chunks(
    func: Callable[[Sequence[Any]], list[R]], rows: Sequence[Any], *, heavy: bool = False
) -> Generator[list[R], None, None]:
    """`map_rows`, given back chunk by chunk in the rows' order as soon as each is done, so
    that the caller works on one chunk (inserting it into the cache) while the workers compute
    the next ones. The chunks together are `func(rows)`."""
    least = min(PARALLEL_MIN, HEAVY_PARALLEL_MIN) if heavy else PARALLEL_MIN
    # Chunks of at most CHUNK_ROWS, as many for each worker (10,000 rows: four of 2,500).
    cores = worker_count()
    rounds = max(1, -(-len(rows) // (cores * CHUNK_ROWS)))
    chunk = max(1, -(-len(rows) // (cores * rounds)))
    workers = min(cores, -(-len(rows) // chunk))
    if workers < 2 or len(rows) < least or not FORK_SAFE:
        yield func(rows)
        return
    done = 0
    try:
        for part in _in_workers(func, rows, workers, chunk):
            done += len(part)
            yield part
    except (BrokenProcessPool, OSError):
        # No worker could start, or one died: the rows not given back yet are done here.
        yield func(rows[done:])


def _in_workers(
    func: Callable[[Sequence[Any]], list[R]], rows: Sequence[Any], workers: int, chunk: int
) -> Generator[list[R], None, None]:
    global _job
    bounds = [(i, min(i + chunk, len(rows))) for i in range(0, len(rows), chunk)]
    # Buffered output would be written again by every forked worker when it exits.
    sys.stdout.flush()
    sys.stderr.flush()
    _job = (func, rows)
    # Objects made so far are left out of the workers' garbage collections: a collection that
    # visited them would write to (and so copy) every page of this process's heap in each worker.
    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet)
    try:
        yield from pool.map(_chunk, bounds)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        gc.unfreeze()
        _job = None


def _quiet() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None, "a worker runs only the job it was forked with"
    func, rows = _job
    start, end = bounds
    return func(rows[start:end])


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a block that builds millions of long-lived
    objects and no reference cycles (reconciling, the cache's bulk load): each collection of the
    oldest generation walks every object made so far, about a fifth of the reconciling time at
    100k rows and more at 1M. Reference counting still frees everything as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
