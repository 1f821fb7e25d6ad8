"""The watch-list of well-known names held for verification."""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO

from anyascii import anyascii
from rapidfuzz import fuzz, process

from sync.names.cleaning import _ascii_key, _keys, skeleton
from sync.names.lexicon import MAX_CHARS_REJECT, _data_lines, _list_lines
from sync.support.built import built_buffer, data_identity


@dataclass(frozen=True, slots=True, eq=False)
class Watchlist:
    """Names of well-known people to hold for verification (see sync/data/watchlist.txt).

    Each mapping goes from a form of the matching key to the name as listed. eq=False: compared
    and hashed by identity, so a Watchlist can be part of a cache key cheaply.
    """

    names: tuple[str, ...] = ()
    by_key: dict[str, str] = field(default_factory=dict)
    by_nospace: dict[str, str] = field(default_factory=dict)
    by_skeleton: dict[str, str] = field(default_factory=dict)
    # length n -> one-word skeletons whose length allows ratio >= 90 against length n
    by_length: dict[int, tuple[str, ...]] = field(default_factory=dict)
    by_word: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word -> skeletons
    # ASCII transliteration (anyascii) of the key, with and without spaces -> name
    by_ascii: dict[str, str] = field(default_factory=dict)
    # also hold the well-known people of sync/data/notable.txt.gz (sync/names/notable.py)
    notable: bool = False

    def _without_middle_names(self, key: str, nospace_key: str, ascii_key: str) -> str:
        """A listed two-word name as the first and last words of a longer one: a middle name,
        patronymic or second given name added ("Narendra Damodardas Modi", "Владимир
        Владимирович Путин"); "Leonardo DiCaprio-Ferreira" is not "Leonardo DiCaprio"."""
        for pair in _pairs(key):
            hit = self.by_key.get(pair)
            if hit and _ends(nospace_key, pair):
                return hit
        if not key.isascii():
            flat = anyascii(nospace_key).lower()
            for pair in _pairs(ascii_key or _ascii_key(key)):
                hit = self.by_ascii.get(pair) or self.by_key.get(pair)
                if hit and _ends(flat, pair):
                    return hit
        return ""

    def find(self, key: str, nospace_key: str, ascii_key: str = "") -> str:
        """Return the listed name that `key` looks like, or ''.

        `ascii_key`: the key's anyascii form when the caller has it already (read_name does).
        """
        if not self.names or not key:
            return ""
        hit = self.by_key.get(key) or self.by_nospace.get(nospace_key)
        if hit:
            return hit
        if not key.isascii():  # another script: "Владимир Путин", "习近平"
            ascii_key = ascii_key or _ascii_key(key)
            hit = self.by_ascii.get(ascii_key) or self.by_ascii.get(ascii_key.replace(" ", ""))
            if hit:
                return hit
        skel = skeleton(key)
        hit = self.by_skeleton.get(skel) or self.by_skeleton.get(skeleton(nospace_key))
        if hit:
            return hit
        hit = self._without_middle_names(key, nospace_key, ascii_key)
        if hit:
            return hit
        # Fuzzy (ratio >= 90, about one edit): a typo leaves the other word of a two-word name
        # intact, so only listed names sharing a word (or one-word names of a compatible
        # length) are scored.
        words = skel.split()
        if len(words) == 1:
            choices: tuple[str, ...] | list[str] = self.by_length.get(len(skel), ())
        else:
            choices = [x for w in words for x in self.by_word.get(w, ())]
        if not choices:
            return ""
        best = process.extractOne(skel, choices, scorer=fuzz.ratio, score_cutoff=90)
        return self.by_skeleton[best[0]] if best else ""


def _ends(flat: str, pair: str) -> bool:
    """Are the pair's two words the first and the last of the name written without spaces?"""
    a, b = pair.split()
    return (flat.startswith(a) and flat.endswith(b)) or (flat.startswith(b) and flat.endswith(a))


def _pairs(key: str) -> list[str]:
    words = key.split()
    if not 3 <= len(words) <= 6:
        return []
    return [" ".join(sorted(p)) for p in itertools.combinations(words, 2)]


def make_watchlist(names: Iterable[str], notable: bool = False) -> Watchlist:
    """Build a Watchlist from names as they would be written; `notable`: with the well-known
    people built from public data (sync/data/notable.txt.gz) as well."""
    listed = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    by_key: dict[str, str] = {}
    by_nospace: dict[str, str] = {}
    by_skeleton: dict[str, str] = {}
    by_ascii: dict[str, str] = {}
    for name in listed:
        k, ns = _keys(name)
        if not k:
            continue
        by_key.setdefault(k, name)
        by_nospace.setdefault(ns, name)
        by_skeleton.setdefault(skeleton(k), name)
        by_skeleton.setdefault(skeleton(ns), name)
        ak = _ascii_key(k)
        by_ascii.setdefault(ak, name)
        by_ascii.setdefault(ak.replace(" ", ""), name)
    by_length: dict[int, tuple[str, ...]] = {}
    for n in range(1, MAX_CHARS_REJECT + 1):
        near = tuple(s for s in by_skeleton if abs(len(s) - n) * 10 <= len(s) + n)
        if near:
            by_length[n] = near
    by_word: dict[str, list[str]] = {}
    for skel in by_skeleton:
        for w in skel.split():
            by_word.setdefault(w, []).append(skel)
    return Watchlist(
        listed,
        by_key,
        by_nospace,
        by_skeleton,
        by_length,
        {w: tuple(v) for w, v in by_word.items()},
        by_ascii,
        notable,
    )


@lru_cache(maxsize=1)
def _default_watchlist() -> Watchlist:
    """The shipped list, built once per machine into the cache folder (sync/support/built.py:
    building its indexes takes ~0.1-0.3 s)."""

    def write(fh: BinaryIO) -> None:
        pickle.dump(make_watchlist(_data_lines("watchlist.txt"), notable=True), fh, pickle.HIGHEST_PROTOCOL)

    buffer, start = built_buffer("watchlist", data_identity("watchlist.txt", code="sync.names"), write)
    loaded = pickle.loads(memoryview(buffer)[start:])  # written just above by this version
    if not isinstance(loaded, Watchlist):
        raise TypeError("the built watch-list is not a Watchlist")  # only if the file was tampered with
    return loaded


def load_watchlist(path: str | None) -> Watchlist:
    """Read a watch-list file (one name per line, '#' comments); None: the shipped default.
    Either way the well-known people built from public data are held too."""
    if path is None:
        return _default_watchlist()
    from pathlib import Path

    from sync.support.files import read_text

    text = read_text(
        Path(path),
        "[names] watchlist",
        missing="fix the path in signsync.toml or remove the setting to use the shipped list",
    )
    return make_watchlist(_list_lines(text), notable=True)
