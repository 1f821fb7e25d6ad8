"""The cache's bulk load as a first run does it, alone (a script, not a test).

    python bench/bench_cache_load.py make 200000 /tmp/site   # a CSV site of the benchmark's responses
    (cd /tmp/site && SIGNSYNC_HASH_KEY=... signsync apply --yes)  # its registry (a first run)
    python bench/bench_cache_load.py load /tmp/site            # time storing its shards in a new cache

`make` writes bench_pipeline's CSV site (make_signatures(n + n // 100, seed=4): the first n as
responses.csv, the rest as extra.csv for a 1% run). `load` stores every shard of the site's
registry in an empty cache as apply does after a first run (`Cache.record` of shards written
anew), and prints the wall time, the CPU of this process and of its workers, the peak memory of
each, and a hash of the cache's tables (equal hashes: the same content, whatever the code that
stored it). Run it with PYTHONPATH on another checkout to compare two versions.
"""

from __future__ import annotations

import csv
import hashlib
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

TABLES = ("entries", "responses", "emails", "domains", "blocks", "keys", "published", "shards")


def make(n: int, folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_pipeline import form_rows, make_signatures, write_csv_site

    step = max(1, n // 100)
    signatures = make_signatures(n + step, seed=4)
    write_csv_site(folder, form_rows(signatures[:n], 0), 1000)
    with open(folder / "extra.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(form_rows(signatures[n:], n))
    print(f"{folder}: {n:,} responses (extra.csv: {step:,} more)")


def load(folder: Path) -> None:
    from sync.cache import Cache, ShardWrite
    from sync.store.registry import registry_file_digests

    registry = folder / "signatories.csv"
    files = registry_file_digests(registry)
    writes = [
        ShardWrite(n, p.name, None, None, sha or "", p.read_text(encoding="utf-8"), True)
        for n, p, sha in files
    ]
    where = Path(tempfile.mkdtemp()) / "cache.sqlite"
    cache = Cache(registry, where)
    cache.open()
    wall, cpu = time.time(), time.process_time()
    cache.record(writes)  # closes nothing: the cache stays open for the hash below
    wall, cpu = time.time() - wall, time.process_time() - cpu
    cache.close()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    digest = hashlib.sha256()
    db = sqlite3.connect(where)
    for table in TABLES:
        for row in sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr):
            digest.update(repr(row).encode())
    db.close()
    print(
        f"{len(writes)} shard(s): {wall:.1f} s wall, {cpu:.1f} s CPU here, "
        f"{kids.ru_utime + kids.ru_stime:.1f} s CPU in workers; peak {own.ru_maxrss / 1024:.0f} MB here, "
        f"{kids.ru_maxrss / 1024:.0f} MB a worker; content {digest.hexdigest()[:16]}"
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "make":
        make(int(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "load":
        load(Path(sys.argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
