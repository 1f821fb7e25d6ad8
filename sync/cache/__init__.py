"""What a run needs from earlier runs, kept between runs so that a run's cost grows with the new
responses, not with the registry: each entry's CSV line, its match keys and sort key, and which
response fingerprints are known. SQLite (standard library), one file per registry in the user's
cache folder (`$SIGNSYNC_CACHE_DIR`, else `$XDG_CACHE_HOME/signsync`, else `~/.cache/signsync`).

The registry files stay the source of truth. The cache records the SHA-256 of every shard it
read; before a run uses it, each shard file is hashed again (streaming, ~1 GB/s) and a shard
whose file changed (an editor's hand edit, a `git pull`, a run that died after writing it) is
read again, and only that shard. A cache that is missing, unreadable, from another registry or
from another version of signsync is rebuilt from the files. Deleting it only makes the next
run slower; it never changes what a run writes (tests/properties/test_cache_differential.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from sync.dedupe.crossscript import cross_keys, part_keys, script_of
from sync.dedupe.matching import (
    MAX_MIDDLE,
    MAX_SHOWN,
    Candidate,
    MatchIndex,
    MiddleKeys,
    blocking_keys,
    may_be_middle_name,
    meets_across,
    similar_keys,
)
from sync.dedupe.reconcile import in_match_index
from sync.model import RecentSection, Section, Signatory, remembered_text_sha256, text_sha256
from sync.publish.listing import PageStyle, newest_published, published_section, recent_section
from sync.store.privacy import has_private_text
from sync.store.registry import (
    OPTIONAL_COLUMNS,
    Records,
    dump_line,
    entries_of,
    optional_columns,
    parse_registry,
    parse_registry_lines,
    registry_key,
    split_registry,
)
from sync.support.files import cache_dir, read_text, read_text_or_none
from sync.support.workers import collector_paused, map_chunks, map_rows

SCHEMA_VERSION = "8"  # 8: name keys' roles (emails.r); 7: cross-script keys by romanization
_POS_BITS = 32  # seq = shard << 32 | position in the file: registry order


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code whose output the cache holds (keys, sort keys, lines): a cache made by
    other code is rebuilt."""
    from sync import __version__

    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256(f"{SCHEMA_VERSION}:{__version__}".encode())
    for folder in ("sync", "render"):
        for path in sorted((root / folder).rglob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_path(registry_path: Path) -> Path:
    """The cache file of one registry (its resolved path picks the file)."""
    where = str(Path(registry_path).resolve())
    return (
        cache_dir() / f"{Path(registry_path).stem}-{hashlib.sha256(where.encode()).hexdigest()[:16]}.sqlite"
    )


def make_private_folder(folder: Path) -> None:
    """The cache folder, readable by this user only (0700): its files hold every name."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def make_private_file(path: Path) -> None:
    """The cache file, made (or made again) readable by this user only (0600); SQLite gives its
    -wal and -shm files the same mode."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def cached_registry(path: Path) -> str | None:
    """The registry a cache file was made for (its recorded path), None when unreadable."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            row = db.execute("SELECT v FROM meta WHERE k = 'registry'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


PRUNE_AFTER_SECONDS = 600


def prune_stale_caches(folder: Path, keep: Path | None = None) -> list[Path]:
    """Remove the cache files in `folder` whose registry no longer exists."""
    import time

    removed = []
    recent = time.time() - PRUNE_AFTER_SECONDS
    for p in sorted(folder.glob("*.sqlite")):
        if keep is not None and p == keep:
            continue
        with contextlib.suppress(OSError):
            if p.stat().st_mtime > recent:
                continue  # another statement's first run may not have written its registry yet
        registry = cached_registry(p)
        if registry is None or Path(registry).exists():
            continue
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(p) + suffix).unlink(missing_ok=True)
        removed.append(p)
    return removed


def encode_sort_key(key: tuple[object, ...]) -> bytes:
    """sort_key's tuple of bytes as one bytes value that orders the same way (memcmp)."""
    out = bytearray()
    for part in key:
        assert isinstance(part, bytes)
        out += part.replace(b"\x00", b"\x00\x01") + b"\x00\x00"
    return bytes(out)


@dataclass(slots=True)
class ShardInfo:
    number: int
    name: str
    sha: str
    rows: int
    canonical: bool  # the file is exactly dump_registry of its entries
    last: tuple[str, str]  # registry_key of its last entry ("" when empty)


_TABLES = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shards(number INTEGER PRIMARY KEY, name TEXT, sha TEXT, rows INTEGER,
  canonical INTEGER, last_signed TEXT, last_id TEXT);
CREATE TABLE IF NOT EXISTS entries(id TEXT NOT NULL UNIQUE, shard INTEGER, seq INTEGER PRIMARY KEY, line TEXT,
  status TEXT, kind TEXT, signed TEXT, matchable INTEGER,
  key TEXT, nospace TEXT, ascii TEXT, aff TEXT, emails TEXT, domains TEXT, typed_key TEXT);
CREATE TABLE IF NOT EXISTS responses(fp TEXT PRIMARY KEY, shard INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS emails(e TEXT, seq INTEGER, shard INTEGER, r INTEGER);
CREATE TABLE IF NOT EXISTS domains(d TEXT, seq INTEGER, shard INTEGER);
CREATE TABLE IF NOT EXISTS blocks(b TEXT, key TEXT, nospace TEXT, PRIMARY KEY(b, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keys(key TEXT PRIMARY KEY, nospace TEXT, first INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS published(org INTEGER PRIMARY KEY, n INTEGER);
"""
# Secondary indexes: dropped during a bulk load (a first run, a rebuilt cache) and made
# again after it, several times faster than keeping them up to date row by row.
_INDEXES = """
CREATE INDEX IF NOT EXISTS entries_shard ON entries(shard);
CREATE INDEX IF NOT EXISTS entries_key ON entries(key);
CREATE INDEX IF NOT EXISTS entries_nospace ON entries(nospace);
CREATE INDEX IF NOT EXISTS entries_ascii ON entries(ascii);
CREATE INDEX IF NOT EXISTS entries_recent ON entries(status, signed, id);
CREATE INDEX IF NOT EXISTS entries_published ON entries(status, id);
CREATE INDEX IF NOT EXISTS emails_e ON emails(e);
CREATE INDEX IF NOT EXISTS emails_shard ON emails(shard);
CREATE INDEX IF NOT EXISTS domains_d ON domains(d);
CREATE INDEX IF NOT EXISTS domains_shard ON domains(shard);
"""
_INDEX_NAMES = [line.split()[5] for line in _INDEXES.strip().splitlines()]
# The published count by kind (organizations: org = 1), kept by SQLite as entries come and go
# (entries are only ever inserted and deleted), so a page's count reads two rows, not a
# million. Dropped during a bulk load, like the indexes, and counted once after it.
_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS published_in AFTER INSERT ON entries WHEN new.status = 'published'"
    " BEGIN INSERT INTO published VALUES (new.kind = 'organization', 1)"
    " ON CONFLICT(org) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER IF NOT EXISTS published_out AFTER DELETE ON entries WHEN old.status = 'published'"
    " BEGIN UPDATE published SET n = n - 1 WHERE org = (old.kind = 'organization'); END",
)
BULK_ROWS = 20_000  # loading at least this many rows: drop the indexes, load, index again
BULK_CACHE_KIB = 131_072  # SQLite's page cache during a bulk load (default: 2 MB)


# The emails table holds an entry's email keys (r = 0) and, for an entry in the match index,
# its name keys as "x:" + key, with r saying what the key is to it: the bits of its roles (a
# cross-script or acronym key, `cross_keys`, acronyms of organizations only, the only ones
# matched; the middle-name key of all its words or of some, `part_keys`), one row per key, and
# above them its name's script (`script_code`): a query looks at names in other scripts only.
CROSS, WHOLE, PART = 1, 2, 4
_ROLE_BITS = 3


@lru_cache(maxsize=256)
def script_code(script: str) -> int:
    """A script's name (`script_of`) as a number that is the same in every process."""
    return zlib.crc32(script.encode()) & 0xFFFFFF


def _name_finds(key: str, nospace: str, ascii_key: str, kind: str) -> list[tuple[str, int]]:
    """The emails table's rows ("x:" + key, r) of a name's keys (see CROSS above)."""
    if not key:
        return []
    roles: dict[str, int] = {}
    for k in cross_keys(key, nospace, ascii_key):
        if kind == "organization" or not k.startswith("a:"):
            roles[k] = CROSS
    whole, parts = part_keys(key)
    if whole:
        roles[whole] = roles.get(whole, 0) | WHOLE
    for k in parts:
        roles[k] = roles.get(k, 0) | PART
    script = script_code(script_of(key)) << _ROLE_BITS
    return [("x:" + k, script | r) for k, r in roles.items()]


class _Wanted:
    """What a batch of queries looks up in the cache (`CachedRegistry.index_for`)."""

    def __init__(self, queries: list[Candidate]) -> None:
        self.own: set[str] = set()
        self.whole: set[str] = set()  # keys whose every entry `match` may look at
        # k_nospace / k_ascii -> the keys of the queries with it: `match` looks at the entries
        # with a query's k_nospace or k_ascii but another key (its own key's are namesakes).
        self.nospaces: dict[str, set[str]] = {}
        self.asciis: dict[str, set[str]] = {}
        self.emails: set[str] = set()
        self.domains: set[str] = set()
        self.blocks: set[str] = set()
        self.crossing: dict[str, list[Candidate]] = {}  # "x:" + cross key -> the queries with it
        self.scripts: dict[str, int | None] = {}  # ... -> their one script (None: several)
        # "x:" + middle-name key -> the queries that look it up: a query's whole among the
        # entries' parts (0), its parts among their wholes (1)
        self.middle: tuple[dict[str, list[Candidate]], dict[str, list[Candidate]]] = ({}, {})
        for c in queries:
            self.emails.update(c.email_keys)
            self.domains.update(c.domain_keys)
            if c.key:
                self._name(c)

    def _name(self, c: Candidate) -> None:
        script = script_code(script_of(c.key))
        for k in cross_keys(c.key, c.nospace_key, c.ascii_key):
            if k.startswith("a:"):
                if c.kind == "organization":  # an acronym meets organizations in any script
                    self.crossing.setdefault("x:" + k, []).append(c)
                    self.scripts["x:" + k] = None
                continue
            k = "x:" + k
            self.crossing.setdefault(k, []).append(c)
            self.scripts[k] = script if self.scripts.get(k, script) == script else None
        whole, parts = part_keys(c.key)
        if whole:
            self.middle[0].setdefault("x:" + whole, []).append(c)
            for k in parts:
                self.middle[1].setdefault("x:" + k, []).append(c)
        self.own.add(c.key)
        if c.nospace_key:
            self.nospaces.setdefault(c.nospace_key, set()).add(c.key)
        if c.ascii_key:
            self.asciis.setdefault(c.ascii_key, set()).add(c.key)
            if c.ascii_key != c.key:
                self.whole.add(c.ascii_key)  # the same name in another script: all of them
        self.blocks.update(blocking_keys(c.key, c.nospace_key))

    def crossing_rows(self) -> list[tuple[str, int | None]]:
        return [(k, self.scripts[k]) for k in self.crossing]


def _entry_rows(shard: int, items: Sequence[tuple[int, Signatory]]) -> list[tuple[Any, ...]]:
    """What the cache stores of each (seq, entry): its `entries` row, its response fingerprints,
    email keys, and domain keys (organizations only, as MatchIndex indexes them). Pure: worker
    processes work it out for large shards."""
    out: list[tuple[Any, ...]] = []
    for seq, s in items:
        c = Candidate.of_entry(s)
        row = (
            s.id,
            shard,
            seq,
            dump_line(s),
            s.status,
            s.kind,
            s.signed or "~",  # registry order's key: most recent = largest
            int(in_match_index(s)),
            c.key,
            c.nospace_key,
            c.ascii_key,
            c.affiliation_key,
            " ".join(c.email_keys),
            " ".join(c.domain_keys),
            c.typed_key,
        )
        # the emails table also holds the name keys of an entry in the match index (see CROSS):
        # looked up the same way, one index for both
        finds = [(e, 0) for e in c.email_keys]
        if row[7]:
            finds += _name_finds(c.key, c.nospace_key, c.ascii_key, c.kind)
        out.append((row, s.responses, finds, c.domain_keys if c.kind == "organization" else ()))
    return out


def _record_rows(
    shard: int, records: Records, rows: Sequence[tuple[int, int, int, list[str]]]
) -> list[tuple[Any, ...]]:
    """`_entry_rows` of some of a shard file's records (`split_registry`), each with its entry's
    `registry_key` last: the records read into entries here, in a worker process for a large
    shard."""
    base = shard << _POS_BITS
    entries = entries_of(records, rows)
    items = [(base + r[0], s) for r, s in zip(rows, entries, strict=True)]
    return [
        # and the blocks of a matchable entry's key (with its own k_nospace): what `_put_blocks`
        # stores when the entry is its key's first
        (*row, registry_key(s), blocking_keys(row[0][8], row[0][9]) if row[0][8] and row[0][7] else ())
        for row, (_seq, s) in zip(_entry_rows(shard, items), items, strict=True)
    ]


class CacheUnavailable(Exception):
    """The cache cannot be used (the run goes on without it)."""


class Cache:
    """The cache of one registry, checked against its files (see the module docstring)."""

    def __init__(self, registry_path: Path, path: Path | None = None) -> None:
        self.registry_path = Path(registry_path)
        self.path = path or cache_path(self.registry_path)
        self.db: sqlite3.Connection | None = None
        self.shards: dict[int, ShardInfo] = {}

    # -- opening and checking --------------------------------------------------------------

    def open(self) -> None:
        """Open (or make) the cache file; one that is damaged or from other code or another
        registry is started afresh."""
        try:
            make_private_folder(self.path.parent)
            self.db = self._connect()
            if not self._meta_ok():
                self.db.close()
                self._remove()
                self.db = self._connect()
                self._write_meta()
        except (sqlite3.Error, OSError) as exc:
            self.close()
            try:
                self._remove()
                self.db = self._connect()
                self._write_meta()
            except (sqlite3.Error, OSError):
                self.close()
                raise CacheUnavailable(str(exc)) from exc
        self.shards = {
            n: ShardInfo(n, name, sha, rows, bool(canon), (ls or "", li or ""))
            for n, name, sha, rows, canon, ls, li in self.db.execute(
                "SELECT number, name, sha, rows, canonical, last_signed, last_id FROM shards"
            )
        }

    @property
    def _conn(self) -> sqlite3.Connection:
        """The open connection (`open` made it): CacheUnavailable when the cache is not open."""
        if self.db is None:
            raise CacheUnavailable(f"{self.path}: the cache is not open")
        return self.db

    def prune(self) -> list[Path]:
        """Remove the caches of registries that are gone (a statement deleted or moved): each
        holds every name of its registry. Returns the files removed."""
        return prune_stale_caches(self.path.parent, keep=self.path)

    def _connect(self) -> sqlite3.Connection:
        make_private_file(self.path)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=5)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # a cache: a torn write is detected and rebuilt
        db.execute("PRAGMA temp_store=MEMORY")
        db.executescript(_TABLES + _INDEXES)
        for statement in _TRIGGERS:
            db.execute(statement)
        return db

    def _meta_ok(self) -> bool:
        db = self._conn
        meta = dict(db.execute("SELECT k, v FROM meta").fetchall())
        return meta.get("code") == code_version() and meta.get("registry") == str(
            self.registry_path.resolve()
        )

    def _write_meta(self) -> None:
        db = self._conn
        db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [("code", code_version()), ("registry", str(self.registry_path.resolve()))],
        )

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None

    def sync(self, files: list[tuple[int, Path, str | None]]) -> list[int]:
        """Bring the cache in step with the registry's files ((number, path, sha256) each):
        shards whose file changed are read again, shards that are gone are dropped. Returns
        the numbers of the shards read again."""
        present = {n for n, _p, sha in files if sha is not None}
        stale = [n for n in self.shards if n not in present]
        reread = []
        for n, p, sha in files:
            info = self.shards.get(n)
            if sha is None:
                continue
            if info is None or info.sha != sha or info.name != p.name:
                reread.append((n, p, sha))
        if not stale and not reread:
            return []
        from sync.store.registry import dump_registry

        with self._transaction():
            for n in stale + [n for n, _p, _s in reread]:
                self._drop_shard(n)
            bulk = self._bulk(sum(p.stat().st_size for _n, p, _s in reread) // 200)
            for n, p, sha in reread:
                text = read_text(p, "[registry] path")
                entries = parse_registry(text, str(p))
                if any(has_private_text(s) for s in entries):
                    # Someone kept private named in clear (an older signsync, a hand edit): the
                    # run reads the whole registry and seals them (sync/store/privacy.py).
                    raise CacheUnavailable(f"{p.name} names someone kept private")
                self._put_shard(n, p.name, sha, entries, canonical=dump_registry(entries) == text)
            if bulk:
                self._reindex()
        return [n for n, _p, _s in reread]

    def _bulk(self, rows: int) -> bool:
        """Before loading `rows` entries: drop the secondary indexes when that is cheaper."""
        db = self._conn
        if rows < BULK_ROWS:
            return False
        for name in _INDEX_NAMES:
            db.execute(f"DROP INDEX IF EXISTS {name}")
        db.execute("DROP TRIGGER IF EXISTS published_in")
        db.execute("DROP TRIGGER IF EXISTS published_out")
        # A larger page cache while the tables grow: the primary keys (ids, fingerprints,
        # blocks) take rows in no useful order, and each miss is a page read and written again.
        db.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        return True

    def _reindex(self) -> None:
        db = self._conn
        for statement in _INDEXES.strip().splitlines():
            db.execute(statement)
        db.execute("DELETE FROM published")
        db.execute(
            "INSERT INTO published SELECT kind = 'organization', count(*) FROM entries"
            " WHERE status = 'published' GROUP BY 1"
        )
        for statement in _TRIGGERS:  # one by one: executescript would commit the transaction
            db.execute(statement)

    def _drop_shard(self, n: int) -> None:
        db = self._conn
        keys = {
            k for (k,) in db.execute("SELECT DISTINCT key FROM entries WHERE shard = ? AND matchable", (n,))
        }
        for table in ("entries", "responses", "emails", "domains"):
            db.execute(f"DELETE FROM {table} WHERE shard = ?", (n,))
        db.execute("DELETE FROM shards WHERE number = ?", (n,))
        self.shards.pop(n, None)
        self._recount_keys(keys)

    def _put_shard(
        self, n: int, name: str, sha: str, entries: Iterable[Signatory], *, canonical: bool
    ) -> None:
        """Store one shard's entries (file order) and its fingerprint."""
        with collector_paused():  # a shard's rows: long-lived tuples, no cycles
            self._put_rows(n, name, sha, list(entries), canonical=canonical)

    def _put_rows(self, n: int, name: str, sha: str, entries: list[Signatory], *, canonical: bool) -> None:
        # What is stored of each entry (its line, keys, blocks) is worked out per entry, by
        # worker processes for a large shard (sync/support/workers.py); the inserts stay here.
        rows = map_rows(partial(_entry_rows, n), list(enumerate(entries, n << _POS_BITS)))
        for i in range(0, len(rows), 5000):
            self._insert_rows(n, rows[i : i + 5000])
        last = max([("", ""), *(registry_key(s) for s in entries)]) if canonical else ("", "")
        self._set_shard(ShardInfo(n, name, sha, len(entries), canonical, last))

    def _put_text(self, n: int, name: str, sha: str, text: str) -> None:
        """Store a shard as apply wrote it (in signsync's own form): its records are read into
        entries and worked out (`_record_rows`) by worker processes for a large shard, and each
        chunk is inserted as soon as it is done, while the workers go on with the next. Stores
        what `_put_shard` stores of `parse_registry(text)`; the shard's entries are never all
        in memory at once."""
        records = split_registry(text, name)
        rows = 0
        last = ("", "")
        with (
            collector_paused(),
            contextlib.closing(map_chunks(partial(_record_rows, n, records), records.rows)) as done,
        ):
            for part in done:
                for i in range(0, len(part), 5000):
                    self._insert_rows(n, part[i : i + 5000])
                last = max([last, *(r[4] for r in part)])
                rows += len(part)
        self._set_shard(ShardInfo(n, name, sha, rows, True, last))

    def _set_shard(self, info: ShardInfo) -> None:
        db = self._conn
        db.execute(
            "INSERT OR REPLACE INTO shards VALUES (?, ?, ?, ?, ?, ?, ?)",
            (info.number, info.name, info.sha, info.rows, int(info.canonical), *info.last),
        )
        self.shards[info.number] = info

    def _insert(self, shard: int, first_seq: int, batch: list[Signatory]) -> None:
        self._insert_rows(shard, _entry_rows(shard, list(enumerate(batch, first_seq))))

    def _insert_rows(self, shard: int, rows: list[tuple[Any, ...]]) -> None:
        """Insert entries as `_entry_rows` gives them."""
        db = self._conn
        entries = [r[0] for r in rows]
        responses = [(fp, shard) for r in rows for fp in r[1]]
        emails = [(e, r[0][2], shard, role) for r in rows for e, role in r[2]]
        domains = [(d, r[0][2], shard) for r in rows for d in r[3]]
        firsts: dict[str, tuple[int, str]] = {}  # key -> (seq, k_nospace) of its first matchable entry
        blocks: dict[tuple[str, str], tuple[str, ...]] = {}  # worked out ahead (`_record_rows`)
        for r in rows:
            _id, _shard, seq, _line, _status, _kind, _signed, matchable, key, nospace, *_rest = r[0]
            if key and matchable and (key not in firsts or seq < firsts[key][0]):
                firsts[key] = (seq, nospace)
                if len(r) > 5:
                    blocks[key, nospace] = r[5]
        inserted = db.executemany(
            "INSERT OR IGNORE INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", entries
        ).rowcount  # the rows this statement inserted (not its triggers')
        if inserted != len(entries):
            raise DuplicateInShards()
        responses.sort()  # in key order, as blocks below
        db.executemany("INSERT OR IGNORE INTO responses VALUES (?, ?)", responses)
        db.executemany("INSERT INTO emails VALUES (?, ?, ?, ?)", emails)
        db.executemany("INSERT INTO domains VALUES (?, ?, ?)", domains)
        self._add_keys(firsts, blocks)

    def _add_keys(
        self, firsts: dict[str, tuple[int, str]], blocks: dict[tuple[str, str], tuple[str, ...]] | None = None
    ) -> None:
        """Matchable entries with these keys were stored: a key's first entry (registry order)
        gives its k_nospace, kept in `keys` and in each of the key's rows of `blocks` (so that
        a block reads in one index range). `blocks` holds exactly the keys of `keys`."""
        db = self._conn
        ordered = sorted(firsts)
        before = self._nospace_of(ordered)
        # In key order: B-tree inserts that go to neighbouring pages (the result does not depend
        # on the order; about twice as fast as in arrival order).
        db.executemany(
            "INSERT INTO keys VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE"
            " SET nospace = excluded.nospace, first = excluded.first WHERE excluded.first < keys.first",
            sorted((k, ns, seq) for k, (seq, ns) in firsts.items()),
        )
        # Block rows only for keys met for the first time or whose first entry changed.
        after = {k: ns for k, (seq, ns) in firsts.items() if k not in before}
        if len(after) < len(firsts):
            after = {k: ns for k, ns in self._nospace_of(ordered).items() if before.get(k) != ns}
        self._put_blocks(after, blocks)

    def _nospace_of(self, keys: list[str]) -> dict[str, str]:
        db = self._conn
        out: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(db.execute(f"SELECT key, nospace FROM keys WHERE key IN ({marks})", part))
        return out

    def _put_blocks(
        self, nospace: dict[str, str], known: dict[tuple[str, str], tuple[str, ...]] | None = None
    ) -> None:
        """The block rows of these keys (key -> k_nospace of its first entry); `known`: the
        blocking keys of some (key, k_nospace) pairs, worked out ahead."""
        db = self._conn
        known = known or {}
        db.executemany(
            "INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)",
            sorted(
                {
                    (b, k, ns)
                    for k, ns in nospace.items()
                    for b in (known.get((k, ns)) or blocking_keys(k, ns))
                }
            ),
        )

    def _recount_keys(self, keys: set[str]) -> None:
        """After entries with these keys were removed or replaced: each key's first matchable
        entry again (none: the key leaves `keys`)."""
        db = self._conn
        if not keys:
            return
        db.execute("CREATE TEMP TABLE IF NOT EXISTS recount(k TEXT PRIMARY KEY)")
        db.execute("DELETE FROM recount")
        db.executemany("INSERT OR IGNORE INTO recount VALUES (?)", ((k,) for k in keys))
        before = dict(db.execute("SELECT key, nospace FROM keys WHERE key IN (SELECT k FROM recount)"))
        db.execute("DELETE FROM keys WHERE key IN (SELECT k FROM recount)")
        # SQLite takes the bare columns of a MIN() aggregate from the row holding the minimum.
        db.execute(
            "INSERT INTO keys SELECT key, nospace, MIN(seq) FROM entries"
            " WHERE key IN (SELECT k FROM recount) AND matchable GROUP BY key"
        )
        after = dict(db.execute("SELECT key, nospace FROM keys WHERE key IN (SELECT k FROM recount)"))
        gone = [(b, k) for k, ns in before.items() if k not in after for b in blocking_keys(k, ns)]
        db.executemany("DELETE FROM blocks WHERE b = ? AND key = ?", gone)
        self._put_blocks({k: ns for k, ns in after.items() if before.get(k) != ns})

    # -- reading ---------------------------------------------------------------------------

    def view(self) -> CachedRegistry:
        db = self._conn
        return CachedRegistry(db)

    def line(self, sid: str) -> tuple[int, str] | None:
        """(shard, CSV line) of an entry."""
        db = self._conn
        row = db.execute("SELECT shard, line FROM entries WHERE id = ?", (sid,)).fetchone()
        return (row[0], row[1]) if row else None

    def published_lines(self, skip: set[str]) -> Iterator[str]:
        """The cached lines of the published entries (ids in `skip` left out)."""
        db = self._conn
        for sid, line in db.execute("SELECT id, line FROM entries WHERE status = 'published'"):
            if sid not in skip:
                yield line

    def published_ids(self, skip: set[str]) -> list[str]:
        db = self._conn
        rows = db.execute("SELECT id FROM entries WHERE status = 'published' ORDER BY id").fetchall()
        return [sid for (sid,) in rows if sid not in skip]

    def most_recent(self, n: int) -> list[tuple[str, str]]:
        """The n most recently signed published entries, newest first: (id, cached line)."""
        db = self._conn
        return db.execute(
            "SELECT id, line FROM entries WHERE status = 'published' ORDER BY signed DESC, id DESC LIMIT ?",
            (n,),
        ).fetchall()

    def count_published(self) -> dict[int, int]:
        db = self._conn
        return dict(db.execute("SELECT org, n FROM published").fetchall())

    # -- writing after apply ---------------------------------------------------------------

    def record(self, written: list[ShardWrite]) -> None:
        """After apply wrote these shards: bring the cache up to date with them (appended and
        replaced entries only where the shard was extended in place; else the shard anew)."""
        whole = [w for w in written if self._moved(w)]
        anew = {w.number for w in whole}
        rows = sum(w.text.count("\n") for w in whole) + sum(len(w.appended) for w in written)
        with self._transaction():
            for w in whole:
                self._drop_shard(w.number)
            # Replaced in place before a bulk load drops the indexes these look-ups use.
            old_keys = {
                self._replace(w.number, parse_line(dump_line(s)))  # as the next run reads it back
                for w in written
                if w.number not in anew
                for s in w.replaced
            }
            self._recount_keys(old_keys)
            bulk = self._bulk(rows)
            for w in written:
                if w.number in anew:
                    self._put_text(w.number, w.name, w.after_sha, w.text)
                    continue
                info = self.shards[w.number]
                appended = list(parse_registry_lines(dump_line(s) for s in w.appended))
                start = (w.number << _POS_BITS) + info.rows
                for i in range(0, len(appended), 5000):
                    self._insert(w.number, start + i, appended[i : i + 5000])
                last = max([info.last, *(registry_key(s) for s in w.appended)])
                self._set_shard(
                    ShardInfo(w.number, w.name, w.after_sha, info.rows + len(w.appended), True, last)
                )
            if bulk:
                self._reindex()

    def _moved(self, w: ShardWrite) -> bool:
        """True when the shard must be stored anew: dumped whole, or the cache no longer
        describes the file the write started from."""
        info = self.shards.get(w.number)
        return w.rewritten or info is None or info.sha != w.before_sha

    def _replace(self, shard: int, s: Signatory) -> str:
        """Store `s` in place of the entry with its id (same position); returns the old
        entry's key, whose first entry may have changed (see `_recount_keys`)."""
        db = self._conn
        seq, old_key, old_nospace, old_ascii, old_emails, old_domains, old_kind = db.execute(
            "SELECT seq, key, nospace, ascii, emails, domains, kind FROM entries WHERE id = ?", (s.id,)
        ).fetchone()
        old_crosses = [
            e for e, _r in _name_finds(old_key or "", old_nospace or "", old_ascii or "", old_kind or "")
        ]
        db.execute("DELETE FROM entries WHERE id = ?", (s.id,))
        # Through the e and d indexes: a table scan per replaced entry at a million rows.
        db.executemany(
            "DELETE FROM emails WHERE e = ? AND seq = ?", ((e, seq) for e in old_emails.split() + old_crosses)
        )
        db.executemany("DELETE FROM domains WHERE d = ? AND seq = ?", ((d, seq) for d in old_domains.split()))
        self._insert(shard, seq, [s])
        return str(old_key)

    def drop(self, numbers: Iterable[int]) -> None:
        """Forget these shards (they are read again next time)."""
        with self._transaction():
            for n in numbers:
                self._drop_shard(n)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One SQLite transaction: committed when the block ends, rolled back on any exception
        (Ctrl-C included), so the cache never holds half a shard."""
        db = self._conn
        db.execute("BEGIN")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


@dataclass
class ShardWrite:
    """One shard as a plan writes it, and how it got there (for the cache after apply)."""

    number: int
    name: str
    before: str | None
    before_sha: str | None  # as the cache recorded it
    after_sha: str
    text: str
    rewritten: bool  # dumped whole (else: the old text with lines replaced and appended)
    replaced: list[Signatory] = field(default_factory=list)
    appended: list[Signatory] = field(default_factory=list)
    before_text_sha: str | None = None  # SHA-256 of `before` (the text, a byte-order mark dropped)
    diff: str | None = None  # made by cache_shard_writes' `diff` (then `before` is None)


@dataclass
class ShardPlan:
    """The shards a plan writes, and the hash of every registry file after it."""

    writes: list[ShardWrite]
    shas: list[tuple[str, str | None]]


class CacheUpdate:
    """What apply tells the cache once the files are written."""

    def __init__(self, cache: Cache, writes: list[ShardWrite]) -> None:
        self.cache = cache
        self.writes = writes

    def record(self) -> None:
        try:
            self.cache.record([w for w in self.writes if w.after_sha != w.before_sha])
        except sqlite3.Error:
            # The files are written and true; a cache that cannot follow is dropped.
            self.cache.close()
            self.cache._remove()
        finally:
            self.cache.close()


def cache_shard_writes(
    cache: Cache,
    updates: dict[str, Signatory],
    shard_rows: int,
    diff: Callable[[int, str | None, str], str] | None = None,
) -> ShardPlan:
    """The registry files after `updates` (new and changed entries): each shard that changes,
    as `dump_registry` of its entries would write it, built from its old text where it only
    gains lines at its end or has lines replaced in place (the common case), else dumped
    whole from its parsed text. Shards that were not written in signsync's own form are
    rewritten too, as reading the whole registry would.

    With `diff` (shard number, old text, new text -> the diff to show), each shard's diff is
    made as soon as its new text is, and its old text let go: merges into old entries can
    change every shard of a large registry, and all their old and new texts at once were most
    of a run's memory (1M + 10,000: 20 shards of ~15 MB, each twice)."""
    from sync.store.registry import assign_shards, dump_registry, shard_files, shard_path

    view = cache.view()
    replaced: dict[int, list[tuple[Signatory, str]]] = {}
    new: list[Signatory] = []
    for sid, s in updates.items():
        where = cache.line(sid)
        if where is None:
            new.append(s)
        else:
            replaced.setdefault(where[0], []).append((s, where[1]))
    counts = {n: info.rows for n, info in cache.shards.items()}
    appended = assign_shards(new, {}, counts, shard_rows)
    files = dict(shard_files(cache.registry_path))
    touched = set(replaced) | set(appended) | {n for n, i in cache.shards.items() if not i.canonical}
    if not files:
        touched.add(1)
    writes = []
    for n in sorted(touched):
        info = cache.shards.get(n)
        path = shard_path(cache.registry_path, n)
        before = read_text_or_none(path, "[registry] path") if n in files else None
        reps = replaced.get(n, [])
        apps = registry_order_list(appended.get(n, []))
        text = None
        if before is not None and info is not None and info.canonical:
            text = _splice(before, info, reps, apps, view)
        rewritten = text is None
        if text is None:
            entries = {s.id: s for s in (parse_registry(before, str(path)) if before is not None else ())}
            entries.update((s.id, s) for s, _line in reps)
            entries.update((s.id, s) for s in apps)
            text = dump_registry(list(entries.values()))
        shown = diff(n, before, text) if diff is not None else None
        writes.append(
            ShardWrite(
                n,
                path.name,
                before if shown is None else None,
                info.sha if info is not None else None,
                remembered_text_sha256(text),  # FileChange.changed asks it again
                text,
                rewritten,
                [s for s, _line in reps],
                apps,
                _text_sha(before, info, path),
                shown,
            )
        )
        before = None
    after = {w.number: w.after_sha for w in writes}
    shas: list[tuple[str, str | None]] = []
    for n in sorted(set(files) | set(after)):
        sha = after.get(n) or (cache.shards[n].sha if n in cache.shards else None)
        shas.append((shard_path(cache.registry_path, n).name, sha))
    return ShardPlan(writes, shas)


def _text_sha(before: str | None, info: ShardInfo | None, path: Path) -> str | None:
    """SHA-256 of a shard's text as read. A shard in signsync's own form without a byte-order
    mark is its text's bytes: the hash the cache checked this run is that of its text."""
    if before is None:
        return None
    if info is not None and info.canonical:
        with open(path, "rb") as f:
            if f.read(3) != b"\xef\xbb\xbf":
                return info.sha
    return text_sha256(before)  # not remembered: the plan lets go of the old text


def registry_order_list(entries: list[Signatory]) -> list[Signatory]:
    return sorted(entries, key=registry_key)


def _splice(
    before: str,
    info: ShardInfo,
    reps: list[tuple[Signatory, str]],
    apps: list[Signatory],
    view: CachedRegistry,
) -> str | None:
    """The shard's text with lines replaced in place and new ones added at its end, or None
    when that would not give what dump_registry gives (an entry moves, a new one sorts
    before the last)."""
    if apps and registry_key(apps[0]) <= info.last:
        return None
    # The optional columns the file has (its header): they must stay the same.
    header = before[: before.find("\n")].split(",")
    optional = [c for c in OPTIONAL_COLUMNS if c in header]
    if any(set(optional_columns([s])) - set(optional) for s in apps):
        return None
    cuts: list[tuple[int, int, str]] = []
    for s, _cached in reps:
        old = view.get(s.id)
        if old is None or registry_key(old) != registry_key(s):
            return None
        if any(getattr(old, c) != getattr(s, c) for c in OPTIONAL_COLUMNS):
            return None
        needle = "\n" + dump_line(old, optional)
        at = before.find(needle)
        if at < 0 or before.find(needle, at + 1) >= 0:
            return None
        cuts.append((at + 1, at + len(needle), dump_line(s, optional)))
    cuts.sort()
    parts = []
    pos = 0
    for start, end, line in cuts:
        if start < pos:
            return None
        parts.append(before[pos:start])
        parts.append(line)
        pos = end
    parts.append(before[pos:])
    parts.extend(dump_line(s, optional) for s in apps)
    return "".join(parts)


class DuplicateInShards(Exception):
    """An id in two shards: the caller reads the whole registry, which names both files."""


class CachedRegistry:
    """A RegistryView (sync.dedupe.reconcile) answered from the cache."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._got: dict[str, Signatory | None] = {}
        self._empty: bool | None = None  # no entry at all (a first run): nothing to look up

    def known(self, fingerprints: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(fingerprints))
        out: set[str] = set()
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(
                fp for (fp,) in self.db.execute(f"SELECT fp FROM responses WHERE fp IN ({marks})", part)
            )
        return out

    def get(self, sid: str) -> Signatory | None:
        if self._empty is None:
            self._empty = self.db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None
        if self._empty:
            return None  # a first run asks for every new id it makes: a million look-ups at 1M
        if sid not in self._got:
            row = self.db.execute("SELECT line FROM entries WHERE id = ?", (sid,)).fetchone()
            self._got[sid] = parse_line(row[0]) if row else None
        return self._got[sid]

    def get_many(self, sids: Iterable[str]) -> None:
        """Read the entries with these ids that `get` has not read yet, in one query, their
        lines parsed together."""
        if self._empty is None:
            self._empty = self.db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None
        wanted = [sid for sid in dict.fromkeys(sids) if sid not in self._got]
        if self._empty or not wanted:
            return
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT id, line FROM entries WHERE id IN ({marks})", part).fetchall()
            for (sid, _line), s in zip(
                rows, parse_registry_lines([line for _sid, line in rows]), strict=True
            ):
                self._got[sid] = s
            for sid in part:
                self._got.setdefault(sid, None)

    def index_for(self, queries: list[Candidate]) -> MatchIndex:
        """The entries these queries can meet, and no more (see `_namesakes_needed`): by email,
        email domain, k_nospace, k_ascii, every entry of a key in another script or of a key that
        scores in a fuzzy block (most keys of a block are scored and dropped: their entries are
        never read), and the first namesakes of each query's own key. The blocks themselves are
        read whole (keys only), so `match` scores and sizes them as over the registry.

        Entries met under a cross-script or acronym key (`_crossing`) or a middle-name key
        (`_middle`) are loaded only when some query would look at them: most of those keys are
        broad (the consonants of two short words), and most entries under them are names in
        the query's own script, or not its name with words added or dropped."""
        if self.db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None:
            return MatchIndex()  # a first run: nothing to look up
        w = _Wanted(queries)
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS q(kind INTEGER, v, w)")
        db.execute("DELETE FROM q")
        db.executemany("INSERT INTO q VALUES (4, ?, NULL)", ((b,) for b in w.blocks))
        blocks = _read_blocks(db)
        similar: set[str] = set()  # keys that score in a query's fuzzy block
        for c in queries:
            similar |= similar_keys(c, blocks)
        # w: the one key of all the queries with this k_nospace / k_ascii, whose entries are
        # left to the namesakes below (NULL when several keys share it: all entries).
        db.executemany("INSERT INTO q VALUES (0, ?, NULL)", ((k,) for k in w.whole))
        db.executemany("INSERT INTO q VALUES (1, ?, ?)", ((k, _single(v)) for k, v in w.nospaces.items()))
        db.executemany("INSERT INTO q VALUES (2, ?, ?)", ((k, _single(v)) for k, v in w.asciis.items()))
        db.executemany("INSERT INTO q VALUES (3, ?, NULL)", ((k,) for k in w.emails))
        db.executemany("INSERT INTO q VALUES (5, ?, NULL)", ((k,) for k in w.domains))
        # w: the script of all the queries with this cross key (they look at other scripts only)
        db.executemany("INSERT INTO q VALUES (6, ?, ?)", w.crossing_rows())
        db.executemany("INSERT INTO q VALUES (7, ?, NULL)", ((k,) for k in w.middle[0]))
        db.executemany("INSERT INTO q VALUES (8, ?, NULL)", ((k,) for k in w.middle[1]))
        rows = db.execute(
            f"""
            SELECT {_CANDIDATE} FROM entries WHERE seq IN (
              SELECT seq FROM entries WHERE key IN (SELECT v FROM q WHERE kind = 0)
              UNION SELECT e.seq FROM q JOIN entries e ON e.nospace = q.v
                WHERE q.kind = 1 AND (q.w IS NULL OR e.key != q.w)
              UNION SELECT e.seq FROM q JOIN entries e ON e.ascii = q.v
                WHERE q.kind = 2 AND (q.w IS NULL OR e.key != q.w)
              UNION SELECT seq FROM emails WHERE e IN (SELECT v FROM q WHERE kind = 3)
              UNION SELECT seq FROM domains WHERE d IN (SELECT v FROM q WHERE kind = 5)
            ) AND matchable
            """
        ).fetchall()
        seqs = {row[0] for row in rows}
        counts = self._middle_counts()
        more = self._crossing(w.crossing, seqs) | self._middle(w.middle, counts, seqs)
        rows += self._rows(more)
        rows += self._namesakes_needed(w.own - w.whole, similar - w.whole, rows)
        rows.sort()
        crosses, middle = self._loaded_keys(rows, counts)
        return MatchIndex((_candidate(row) for row in rows), blocks, crosses, middle)

    def _rows(self, seqs: set[int]) -> list[tuple[Any, ...]]:
        """The candidate rows of these entries."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS more(seq INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM more")
        db.executemany("INSERT INTO more VALUES (?)", ((s,) for s in seqs))
        return db.execute(f"SELECT {_CANDIDATE} FROM entries WHERE seq IN (SELECT seq FROM more)").fetchall()

    def _crossing(self, crossing: dict[str, list[Candidate]], seqs: set[int]) -> set[int]:
        """The entries under the queries' cross-script and acronym keys (q kind 6), less those in
        `seqs`, that some query with the key looks at (`meets_across`); of a key that only
        queries in one script have, only the entries in other scripts are read."""
        found: dict[int, list[str]] = {}
        names: dict[int, tuple[str, str, str]] = {}
        for k, seq, key, nospace, kind in self.db.execute(
            f"""
            SELECT q.v, x.seq, en.key, en.nospace, en.kind
            FROM q JOIN emails x ON x.e = q.v JOIN entries en ON en.seq = x.seq
            WHERE q.kind = 6 AND x.r & {CROSS} AND (q.w IS NULL OR x.r >> {_ROLE_BITS} != q.w)
            """
        ):
            if seq in seqs:
                continue
            got = found.get(seq)
            if got is None:
                found[seq] = [k]
                names[seq] = (key, nospace, kind)
            else:
                got.append(k)
        out: set[int] = set()
        memo: dict[tuple[str, str, str, str], bool] = {}
        for seq, keys in found.items():
            key, nospace, kind = names[seq]
            for k in keys:
                meets = memo.get((k, key, nospace, kind))
                if meets is None:
                    other = Candidate("", key, nospace, "", (), (), "", kind, "")
                    meets = memo[k, key, nospace, kind] = any(
                        meets_across(c, other, k[2:]) for c in crossing[k]
                    )
                if meets:
                    out.add(seq)
                    break
        return out

    def _middle_counts(self) -> dict[tuple[int, str], int]:
        """(q kind, "x:" + key) -> the entries under each middle-name key the queries look up
        (q kinds 7: a query's whole among the entries' parts, 8: its parts among their wholes)."""
        return {
            (kind, k): n
            for kind, k, n in self.db.execute(
                f"""
                SELECT q.kind, q.v, COUNT(*) FROM q JOIN emails x ON x.e = q.v
                WHERE q.kind IN (7, 8) AND x.r & CASE q.kind WHEN 7 THEN {PART} ELSE {WHOLE} END
                GROUP BY q.kind, q.v
                """
            )
        }

    def _middle(
        self,
        middle: tuple[dict[str, list[Candidate]], dict[str, list[Candidate]]],
        counts: dict[tuple[int, str], int],
        seqs: set[int],
    ) -> set[int]:
        """The entries under the queries' middle-name keys, less those in `seqs`, that some query
        with the key may take for its name with words added or dropped (`may_be_middle_name`);
        none of a key that `match` does not look at (more than MAX_MIDDLE entries under it)."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS mq(kind INTEGER, v, PRIMARY KEY(kind, v))")
        db.execute("DELETE FROM mq")
        db.executemany(
            "INSERT INTO mq VALUES (?, ?)", ((kind, k) for (kind, k), n in counts.items() if n <= MAX_MIDDLE)
        )
        out: set[int] = set()
        memo: dict[tuple[int, str, str, str, str], bool] = {}
        for kind, k, seq, key, nospace, kind_of in db.execute(
            f"""
            SELECT mq.kind, mq.v, x.seq, en.key, en.nospace, en.kind
            FROM mq JOIN emails x ON x.e = mq.v JOIN entries en ON en.seq = x.seq
            WHERE x.r & CASE mq.kind WHEN 7 THEN {PART} ELSE {WHOLE} END
            """
        ):
            if seq in seqs or seq in out:
                continue
            may = memo.get((kind, k, key, nospace, kind_of))
            if may is None:
                other = Candidate("", key, nospace, "", (), (), "", kind_of, "")
                by = middle[0] if kind == 7 else middle[1]
                may = memo[kind, k, key, nospace, kind_of] = any(may_be_middle_name(c, other) for c in by[k])
            if may:
                out.add(seq)
        return out

    def _loaded_keys(
        self, rows: list[tuple[Any, ...]], counts: dict[tuple[int, str], int]
    ) -> tuple[dict[str, tuple[str, ...]], MiddleKeys]:
        """The loaded entries' name keys that the queries look up (all `match` needs of them:
        MatchIndex's `crosses` and `middle`)."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS loaded(seq INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM loaded")
        db.executemany("INSERT INTO loaded VALUES (?)", ((row[0],) for row in rows))
        crossed: dict[int, list[str]] = {}
        wholes: dict[int, str] = {}
        parts: dict[int, list[str]] = {}
        for kind, e, seq in db.execute(
            f"""
            SELECT q.kind, x.e, x.seq FROM q JOIN emails x ON x.e = q.v
            WHERE q.kind IN (6, 7, 8) AND x.seq IN (SELECT seq FROM loaded) AND CASE q.kind
              WHEN 6 THEN x.r & {CROSS} AND (q.w IS NULL OR x.r >> {_ROLE_BITS} != q.w)
              WHEN 7 THEN x.r & {PART} ELSE x.r & {WHOLE} END
            """
        ):
            if kind == 6:
                crossed.setdefault(seq, []).append(e[2:])
            elif kind == 7:
                parts.setdefault(seq, []).append(e[2:])
            else:
                wholes[seq] = e[2:]
        crosses = {row[1]: tuple(crossed.get(row[0], ())) for row in rows}
        known: dict[str, tuple[str, tuple[str, ...]]] = {}
        present: dict[tuple[int, str], int] = {}  # (q kind, "x:" + key) -> loaded entries under it
        for row in rows:
            seq = row[0]
            whole = wholes.get(seq, "")
            some = tuple(parts.get(seq, ()))
            known[row[1]] = (whole, some)
            if whole:
                present[8, "x:" + whole] = present.get((8, "x:" + whole), 0) + 1
            for k in some:
                present[7, "x:" + k] = present.get((7, "x:" + k), 0) + 1
        unloaded: tuple[dict[str, int], dict[str, int]] = ({}, {})  # wholes, parts
        for (kind, k), n in counts.items():
            if n > present.get((kind, k), 0):
                unloaded[kind == 7][k[2:]] = n - present.get((kind, k), 0)
        return crosses, MiddleKeys(known, unloaded_wholes=unloaded[0], unloaded_parts=unloaded[1])

    def _namesakes_needed(
        self, keys: set[str], similar: set[str], loaded: list[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        """For keys `match` reads only as a query's own key: the entries of each it can look at.
        Its same-name tier (B/C) goes through a key's entries in registry order, skips those
        already matched by email, and looks at no more than MAX_SHOWN + 1 others (a registry
        entry has no email name to bring in more; this run's new entries are in the index anyway).
        Entries matched by email were loaded by their email: the first MAX_SHOWN + 1 + (entries of
        the key already loaded) by registry order hold every one it can look at. (Its k_nospace
        and k_ascii tiers look only at entries of other keys.)

        For keys `similar` to a query's (scored in its fuzzy blocks): every registry entry of such
        a key is a hint (E: a registry entry has no email name, so never a merge, D) with the
        key's score, and `_rank` shows the MAX_SHOWN best by (score, id): the MAX_SHOWN + (entries
        of the key already loaded, which may hold better matches) smallest ids hold every one
        that can be shown."""
        if not keys and not similar:
            return []
        have: dict[str, int] = {}
        seqs = set()
        for row in loaded:
            seqs.add(row[0])
            have[row[2]] = have.get(row[2], 0) + 1
        by_id = f"SELECT {_CANDIDATE} FROM entries WHERE key = ? AND matchable ORDER BY id LIMIT ?"
        out = []
        for k in sorted(similar):
            found = self.db.execute(by_id, (k, MAX_SHOWN + have.get(k, 0))).fetchall()
            out += [row for row in found if row[0] not in seqs]
            seqs.update(row[0] for row in found)
        # One look-up per key: the key index holds a key's entries in seq (rowid) order, so each
        # stops after its first few (a common name has thousands at a million).
        sql = f"SELECT {_CANDIDATE} FROM entries WHERE key = ? AND matchable ORDER BY seq LIMIT ?"
        for k in sorted(keys):
            out += [
                row for row in self.db.execute(sql, (k, MAX_SHOWN + 1 + have.get(k, 0))) if row[0] not in seqs
            ]
        return out


_CANDIDATE = "seq, id, key, nospace, ascii, emails, aff, kind, status, domains, typed_key"
_CANDIDATE_EN = ", ".join("en." + c for c in _CANDIDATE.split(", "))


def _read_blocks(db: sqlite3.Connection) -> dict[str, tuple[list[str], list[str]]]:
    """The blocks asked for in q (kind 4): block -> ([key], [its first entry's k_nospace])."""
    blocks: dict[str, tuple[list[str], list[str]]] = {}
    for b, key, nospace in db.execute(
        "SELECT b, key, nospace FROM blocks WHERE b IN (SELECT v FROM q WHERE kind = 4)"
    ):
        got = blocks.get(b)
        if got is None:
            blocks[b] = ([key], [nospace])
        else:
            got[0].append(key)
            got[1].append(nospace)
    return blocks


def _single(keys: set[str]) -> str | None:
    return next(iter(keys)) if len(keys) == 1 else None


def _candidate(row: tuple[Any, ...]) -> Candidate:
    _seq, sid, key, nospace, ascii_key, em, aff, kind, status, dom, typed_key = row
    return Candidate(
        id=sid,
        key=key,
        nospace_key=nospace,
        ascii_key=ascii_key,
        email_keys=tuple(em.split()),
        email_local_keys=(),
        affiliation_key=aff,
        kind=kind,
        status=status,
        domain_keys=tuple(dom.split()),
        typed_key=typed_key,
    )


def parse_line(line: str) -> Signatory:
    """One cached CSV line back into its entry."""
    (s,) = parse_registry_lines((line,))
    return s


def merge_sorted(
    cached: Iterator[tuple[bytes, str, str, str]], extra: list[tuple[bytes, str, str, str]]
) -> Iterator[tuple[bytes, str, str, str]]:
    """The cache's entries in display order with this run's (sorted) entries merged in."""
    return heapq.merge(cached, sorted(extra), key=lambda r: (r[0], r[1]))


class CachedLister:
    """The published list from the cache with this run's new and changed entries laid over it
    (the same lists sync.publish.listing.LoadedLister gives for the whole registry)."""

    def __init__(self, cache: Cache, updates: dict[str, Signatory], style: PageStyle | None = None) -> None:
        self.cache = cache
        self.updates = updates
        self.view = cache.view()
        self.style = style

    def full(self) -> Section:
        """Every published entry, read from its cached line (the whole list: proportional to it)."""
        mine = [s for s in self.updates.values() if s.status == "published"]
        theirs = list(parse_registry_lines(self.cache.published_lines(set(self.updates))))
        return published_section(theirs + mine, self.style)

    def published_ids(self) -> list[str]:
        mine = sorted(sid for sid, s in self.updates.items() if s.status == "published")
        # Two sorted runs: sorting their concatenation merges them in linear time.
        return sorted([*self.cache.published_ids(set(self.updates)), *mine])

    def recent(self, n: int, full_list_url: str) -> RecentSection:
        counts = self.cache.count_published()
        orgs, people = counts.get(1, 0), counts.get(0, 0)
        was_published = 0  # cached published entries this run changed: skipped below
        for sid, s in self.updates.items():
            old = self.view.get(sid)
            if old is not None and old.status == "published":
                was_published += 1
                orgs, people = (orgs - 1, people) if old.kind == "organization" else (orgs, people - 1)
            if s.status == "published":
                orgs, people = (orgs + 1, people) if s.kind == "organization" else (orgs, people + 1)
        rows = list(
            parse_registry_lines(
                line for sid, line in self.cache.most_recent(n + was_published) if sid not in self.updates
            )
        )
        rows += [s for s in self.updates.values() if s.status == "published"]
        return recent_section(newest_published(rows, n), orgs, people, self.style, full_list_url)
