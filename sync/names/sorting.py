"""Sort keys: family name then given name by a collation; organizations by their name."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from sync.names.affiliation import _only_suffixes
from sync.names.cleaning import _is_cjk
from sync.names.lexicon import _AFTER_PARTICLE, _PARTICLES, _SUFFIXES, _TITLES, _VIETNAMESE_FAMILY, _wordset

# --------------------------------------------------------------------------------------------
# Sorting

_CJK_COMPOUND_FAMILY = _wordset(  # two-character Chinese surnames
    "欧阳 司马 诸葛 上官 司徒 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司空 夏侯 令狐 歐陽 司馬 諸葛"
)


@lru_cache(maxsize=1)
def _collator() -> Callable[[str], bytes]:
    """The Unicode Collation Algorithm: ICU's root collator (CLDR) where PyICU is installed
    (the pyicu-wheels package bundles ICU; ~100x faster), else pure-Python pyuca (DUCET).
    Both give bytes, so keys compare the same way whichever is used."""
    try:
        import icu

        return icu.Collator.createInstance(icu.Locale.getRoot()).getSortKey  # type: ignore[no-any-return]
    except ImportError:
        import pyuca

        collator = pyuca.Collator()
        return lambda text: b"".join(w.to_bytes(2, "big") for w in collator.sort_key(text))


def collation_backend() -> str:
    """Which collation the sort uses ("icu" or "pyuca"), for `signsync doctor` and tests."""
    return "pyuca" if _collator().__class__.__name__ == "function" else "icu"


@lru_cache(maxsize=1 << 17)
def _coll(text: str) -> bytes:
    return _collator()(text)


def split_family(name: str) -> tuple[str, str, str]:
    """(family core, given names, particles) for sorting an individual's display name.

    Lowercase particles are ignored for the primary order ("Ludwig van der Berg" sorts under
    B, "Alfred de Zayas" under Z: the Dutch/German/French library convention); capitalized
    ones belong to the surname ("Martin Van Buren" under V, "Marine Le Pen" under L).
    Han/Kana/Hangul names are family-first; without spaces the first character (or a known
    two-character surname) is the family name. Known Vietnamese surnames in first place make
    the name family-first too.
    """
    text = name.split(",", 1)[0] if "," in name and not _only_suffixes(name.split(",", 1)[1]) else name
    words = text.split()
    while len(words) > 1 and words[0].casefold() in _TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1].casefold().rstrip(",") in _SUFFIXES:
        words.pop()
    if not words:
        return "", "", ""
    joined = "".join(words)
    if all(_is_cjk(c) for c in joined if c.isalpha()) and any(c.isalpha() for c in joined):
        if len(words) > 1:
            return words[0], " ".join(words[1:]), ""
        fam_len = 2 if joined[:2] in _CJK_COMPOUND_FAMILY and len(joined) > 2 else 1
        return joined[:fam_len], joined[fam_len:], ""
    if len(words) > 1 and words[0].casefold() in _VIETNAMESE_FAMILY:
        return words[0], " ".join(words[1:]), ""
    if len(words) == 1:
        return words[0], "", ""
    # family = last word plus the particles/capitalized particles before it
    i = len(words) - 1
    while i > 1 and (words[i - 1].casefold() in _PARTICLES or words[i - 1].casefold() in _AFTER_PARTICLE):
        i -= 1
    family_words = words[i:]
    given = " ".join(words[:i])
    particles = [w for w in family_words[:-1] if w.islower()]
    core_words = [w for w in family_words[:-1] if not w.islower()] + [family_words[-1]]
    core = " ".join(core_words)
    # "al-Assad": a lowercase article joined by a hyphen is ignored too
    m = re.match(r"^(al|el|ad|as|an|ar|at|az)-(.+)$", core)
    if m:
        particles.append(m.group(1) + "-")
        core = m.group(2)
    return core, given, " ".join(particles)


def sort_key(name: str, kind: str, sort_as: str = "") -> tuple[object, ...]:
    """A comparable key: surname-first collation for individuals, whole name for organizations.

    `sort_as` (an editor's or signer's "sort as" text, e.g. "García Márquez, Gabriel")
    overrides the rule and is collated as written. Collation is the Unicode Collation
    Algorithm (ICU or pyuca, see _collator), not code points: "Ängström" sorts with A, "Çelik" with C.
    """
    tie = _coll(name.casefold()) + b"\x00\x00" + name.encode("utf-32-be")
    if sort_as.strip():
        return (_coll(sort_as.strip()), b"", b"", tie)
    if kind == "organization":
        words = name.split()
        if len(words) > 1 and words[0].casefold() == "the":
            words = words[1:]  # "The Guardian" under G
        return (_coll(" ".join(words)), b"", b"", tie)
    core, given, particles = split_family(name)
    return (_coll(core), _coll(given), _coll(particles), tie)
