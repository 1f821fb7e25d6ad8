"""Word frequencies for the name judgement, from wordfreq's lists, looked up one word at a time.

Loading wordfreq's 11 lists takes ~0.3 s (and importing wordfreq ~0.15 s) in every process that
reads a new name, while a run with a few new signers looks up a few hundred words. So the first
run on a machine merges the lists once into a small SQLite table (word -> highest frequency,
only the words at or above the cut) in signsync's cache folder, and later runs look their words
up in it. The table's file name carries a digest of wordfreq's data files, the languages and
the cut, so another wordfreq version gets its own table. Where the folder cannot be written or
read, the lists are loaded in memory as before: the same frequencies, only slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import sqlite3
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from sync.support.files import cache_dir


def _wordfreq_data(languages: tuple[str, ...]) -> list[Path]:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return []
    data = Path(spec.origin).parent / "data"
    return [data / f"small_{lang}.msgpack.gz" for lang in languages]


def _table_path(languages: tuple[str, ...], cut: float) -> Path | None:
    """The table's file for these lists (None when wordfreq's data files cannot be found)."""
    h = hashlib.sha256(f"1:{','.join(languages)}:{cut!r}".encode())
    files = _wordfreq_data(languages)
    if not files:
        return None
    for path in files:
        try:
            st = path.stat()
        except OSError:
            return None
        h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return cache_dir() / f"word-frequencies-{h.hexdigest()[:16]}.db"


def frequency_lists(languages: tuple[str, ...]) -> tuple[dict[str, float], ...]:
    """wordfreq's lists for `languages` (they ship inside its wheel: no network)."""
    from wordfreq import get_frequency_dict

    return tuple(get_frequency_dict(lang, "small") for lang in languages)


def _build(path: Path, languages: tuple[str, ...], cut: float) -> None:
    """Write the merged table to `path` (a temporary file renamed into place: two runs
    building it at once each write a whole file)."""
    merged: dict[str, float] = {}
    for table in frequency_lists(languages):
        for word, freq in table.items():
            if freq >= cut and freq > merged.get(word, 0.0):
                merged[word] = freq
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".word-frequencies-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("CREATE TABLE words(w TEXT PRIMARY KEY, f REAL) WITHOUT ROWID")
            db.executemany("INSERT INTO words VALUES (?, ?)", sorted(merged.items()))
            db.execute("CREATE TABLE done(ok INTEGER)")  # written last: a whole table
            db.commit()
        finally:
            db.close()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
    try:
        db.execute("SELECT 1 FROM done").fetchall()
    except sqlite3.Error:
        db.close()
        raise
    return db


@lru_cache(maxsize=4)
def word_frequencies(languages: tuple[str, ...], cut: float) -> Callable[[str], float]:
    """A function: word -> its highest frequency in `languages`' lists, 0.0 below `cut`."""
    path = _table_path(languages, cut)
    if path is not None:
        try:
            try:
                db = _open(path)
            except sqlite3.Error:
                _build(path, languages, cut)
                db = _open(path)
        except (sqlite3.Error, OSError):
            pass
        else:
            query = "SELECT f FROM words WHERE w = ?"
            # A connection must not be used across fork() (sqlite.org/howtocorrupt.html 2.6):
            # a worker forked by sync.support.workers opens its own on its first look-up.
            owner = {os.getpid(): db}

            def from_table(word: str) -> float:
                conn = owner.get(os.getpid())
                if conn is None:  # the parent's stays in `owner`: never used, never closed here
                    conn = owner[os.getpid()] = _open(path)
                row = conn.execute(query, (word,)).fetchone()
                return row[0] if row else 0.0

            return from_table
    lists = frequency_lists(languages)

    def from_lists(word: str) -> float:
        freq = max(lang.get(word, 0.0) for lang in lists)
        return freq if freq >= cut else 0.0

    return from_lists
