"""Write a synthetic registry of N entries (a script, not a test), to time `apply`'s
nothing-new and incremental runs against a large registry without a full first run:

    python bench/synthetic_registry.py SITE 1000000 10000

SITE gets the registry in shards of 50,000 (written by signsync's own `dump_registry`; names
from bench_names.make_signatures, all published, dated before the new ones), the example page
with `max_listed = 1000`, a CSV source with no rows (`responses.csv`) and `new.csv` with the
next M responses. Then, with SIGNSYNC_HASH_KEY set: `apply --yes` once (builds the cache and
records the state), `apply --yes` again (nothing new), copy new.csv over responses.csv and
`apply --yes` (M new).
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_names import make_signatures  # noqa: E402
from bench_pipeline import HEADERS, form_rows  # noqa: E402

from sync.model import Signatory, generated_checksum  # noqa: E402
from sync.store.registry import dump_registry, shard_path  # noqa: E402


def main() -> None:
    site, n, extra = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    site.mkdir(parents=True, exist_ok=True)
    people = make_signatures(n + extra, seed=4)
    start = datetime(2025, 1, 5, 8, 0, 0)
    entries = []
    for i, (_id, name, aff, email) in enumerate(people[:n]):
        s = Signatory(
            "s-" + hashlib.sha256(f"syn{i}".encode()).hexdigest()[:10],
            "published",
            "individual",
            " ".join(name.split()),
            aff,
            "",
            (start + timedelta(seconds=30 * i)).isoformat(sep=" "),
            name,
            (),
            "",
            (hashlib.sha256(f"fp{i}".encode()).hexdigest()[:16],),
            (hashlib.sha256(email.encode()).hexdigest()[:16],),
        )
        entries.append(replace(s, generated=generated_checksum(s)))
    registry = site / "signatories.csv"
    for k in range(0, n, 50_000):
        shard_path(registry, k // 50_000 + 1).write_text(
            dump_registry(entries[k : k + 50_000]), encoding="utf-8"
        )
    shutil.copy(ROOT / "examples" / "statement.html", site / "statement.html")
    (site / "signsync.toml").write_text(
        '[source]\nkind = "csv"\npath = "responses.csv"\n\n[columns]\n'
        f'timestamp = "{HEADERS[0]}"\nemail = "{HEADERS[1]}"\nname = "{HEADERS[2]}"\n'
        f'affiliation = "{HEADERS[3]}"\nkind = "{HEADERS[4]}"\nconsent = "{HEADERS[5]}"\n\n'
        '[registry]\npath = "signatories.csv"\n\n[page]\npath = "statement.html"\nmax_listed = 1000\n',
        encoding="utf-8",
    )
    with open(site / "responses.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(HEADERS)
    with open(site / "new.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(form_rows(people[n:], n))
    print(f"{site}: {n:,} entries in {-(-n // 50_000)} shards; new.csv holds {extra:,} responses")


if __name__ == "__main__":
    main()
