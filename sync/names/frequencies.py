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
import itertools
import math
import os
import sqlite3
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sync.support.built import FrozenMap, built_buffer, write_map
from sync.support.files import cache_dir


def _wordfreq_data(languages: tuple[str, ...]) -> list[Path]:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return []
    data = Path(spec.origin).parent / "data"
    return [data / f"small_{lang}.msgpack.gz" for lang in languages]


def _lists_identity(languages: tuple[str, ...], cut: float) -> bytes | None:
    """What a table of these lists is made from: the languages, the cut and wordfreq's data
    files (path, size, time); None when the files cannot be found."""
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
    return h.digest()


def _table_path(languages: tuple[str, ...], cut: float) -> Path | None:
    """The table's file for these lists (None when wordfreq's data files cannot be found)."""
    identity = _lists_identity(languages, cut)
    if identity is None:
        return None
    return cache_dir() / f"word-frequencies-{identity.hex()[:16]}.db"


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
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
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


# --------------------------------------------------------------------------------------------
# Every language wordfreq has a list for, each word with the languages it is frequent in


def available_languages() -> tuple[str, ...]:
    """The languages of wordfreq's "small" lists, from its data folder (no import of wordfreq)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return ()
    data = Path(spec.origin).parent / "data"
    return tuple(sorted(p.name[len("small_") : -len(".msgpack.gz")] for p in data.glob("small_*.msgpack.gz")))


def _script_of(ch: str) -> str:
    """The script of a letter, as the first word of its Unicode name ("CYRILLIC", "CJK", "THAI")."""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


_SCRIPT_WORDS = 500  # a script with fewer words than this among a list's first 5,000 has no data


def _count_scripts(table: dict[str, float], cut: float, scripts: dict[str, int]) -> None:
    """Add the scripts of `table`'s words at or above `cut` to `scripts` (counted over its 5,000
    commonest words: a list's script shows in its first words)."""
    for word, freq in itertools.islice(table.items(), 5000):
        first = next((ch for ch in word if ch.isalpha()), "")
        if freq >= cut and first:
            script = _script_of(first)
            scripts[script] = scripts.get(script, 0) + 1


_SCRIPTS_KEY = "\0scripts"  # the entry of a languages table that lists the scripts with data


def _language_items(languages: tuple[str, ...], cut: float) -> Iterator[tuple[str, bytes]]:
    """word -> "lang:zipf lang:zipf" (the languages the word reaches `cut` in), and under
    _SCRIPTS_KEY the scripts the lists hold words in (see _count_scripts)."""
    merged: dict[str, list[str]] = {}
    scripts: dict[str, int] = {}
    for lang, table in zip(languages, frequency_lists(languages), strict=True):
        for word, freq in table.items():
            if freq >= cut:
                merged.setdefault(word, []).append(f"{lang}:{math.log10(freq) + 9.0:.2f}")
        _count_scripts(table, cut, scripts)
    for word, values in merged.items():
        yield word, " ".join(values).encode()
    yield _SCRIPTS_KEY, " ".join(s for s, n in sorted(scripts.items()) if n >= _SCRIPT_WORDS).encode()


@dataclass(frozen=True, slots=True)
class LanguageTable:
    """Look-ups in every wordfreq language: a word's languages, and the scripts with data."""

    languages: Callable[[str], dict[str, float]]  # word -> {lang: zipf} (zipf >= the cut)
    scripts: frozenset[str]  # scripts wordfreq has words in ("LATIN", "CJK", "HANGUL", ...)


def _parse(value: str) -> dict[str, float]:
    out = {}
    for part in value.split():
        lang, _, z = part.partition(":")
        out[lang] = float(z)
    return out


@lru_cache(maxsize=2)
def language_table(cut: float) -> LanguageTable:
    """Every wordfreq language's words at or above `cut` (a frequency), with their languages;
    built once per machine into the cache folder (sync/support/built.py) and looked up in
    place."""
    languages = available_languages()
    identity = _lists_identity(languages, cut)
    if identity is not None:
        table = FrozenMap(
            built_buffer(
                "word-languages", identity, lambda fh: write_map(fh, _language_items(languages, cut))
            )
        )
        scripts = frozenset(table.get(_SCRIPTS_KEY, b"").decode().split())

        def from_table(word: str) -> dict[str, float]:
            value = table.get(word)
            return _parse(value.decode()) if value else {}

        return LanguageTable(from_table, scripts)
    lists = dict(zip(languages, frequency_lists(languages), strict=True))
    seen: dict[str, int] = {}
    for table_ in lists.values():
        _count_scripts(table_, cut, seen)

    def from_lists(word: str) -> dict[str, float]:
        return {lang: math.log10(t[word]) + 9.0 for lang, t in lists.items() if t.get(word, 0.0) >= cut}

    return LanguageTable(from_lists, frozenset(s for s, n in seen.items() if n >= _SCRIPT_WORDS))
