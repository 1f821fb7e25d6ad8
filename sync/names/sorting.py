"""Sort keys: family name then given name by a collation; organizations by their name.

Sorting for a page's language: that language's collation (ICU's CLDR tailoring: Spanish ñ
after n, Swedish å ä ö after z, Turkish ç ğ ı ö ş ü in their places) and that culture's
surname rule.

SURNAME_RULES is the per-language table (docs/page.md); a language not in it uses the
default rule of sync.names.split_family (last surname, particles aside; Han/Kana/Hangul names
family name first). An entry's `sort_as` overrides every rule.

| rule | languages | sorts "A B C" by |
|---|---|---|
| first-surname | es, ca, gl | B (first of two surnames), then C, then A: "Juan Pérez García" under Pérez |
| last-surname | pt (and the default) | C: "Lula da Silva" under Silva; pt: not Filho/Neto |
| family-first | hu, vi, zh, ja, ko | A (written family name first): "Nagy Imre" under Nagy |
| given-name | is | A (Icelandic names are patronymics): "Björk Guðmundsdóttir" under Björk |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from sync.names.affiliation import _only_suffixes
from sync.names.cleaning import _is_cjk
from sync.names.lexicon import (
    _AFTER_PARTICLE,
    _PARTICLES,
    _SUFFIXES,
    _TITLES,
    _VIETNAMESE_FAMILY,
    _literal_words,
)

# --------------------------------------------------------------------------------------------
# Sorting

_CJK_COMPOUND_FAMILY = _literal_words(  # two-character Chinese surnames
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
    return language_sort_key(name, kind, sort_as)  # no language: root collation, last surname


# --------------------------------------------------------------------------------------------
# Per-language sorting ([page] language)

SURNAME_RULES: dict[str, str] = {
    "es": "first-surname",
    "ca": "first-surname",
    "gl": "first-surname",
    "pt": "last-surname",
    "hu": "family-first",
    "vi": "family-first",
    "zh": "family-first",
    "ja": "family-first",
    "ko": "family-first",
    "is": "given-name",
}
_CONNECTORS = frozenset({"y", "i", "e"})  # "Ortega y Gasset", "Puig i Cadafalch"
_UNIT_PARTICLES = (_PARTICLES | {"la", "las", "los"}) - _CONNECTORS
# Portuguese generational suffixes: the surname before them decides ("da Silva Filho" under Silva).
_PT_GENERATION = frozenset({"filho", "filha", "neto", "neta", "júnior", "junior", "sobrinho", "sobrinha"})
# Second parts of common compound given names ("Juan Carlos", "María José", "José Luis"): with
# three words, "Juan Carlos Pérez" is two given names and one surname, not Carlos Pérez.
# Only names that are rarely surnames; anything else needs `sort-as`.
_SECOND_GIVEN = _literal_words(
    "carlos luis josé jose maría maria antonio manuel miguel pablo ángel angel andrés andres "
    "francisco javier alberto eduardo fernando jesús jesus isabel teresa elena luisa carmen "
    "ignacio ramón ramon enrique rafael ricardo daniel felipe gabriel sebastián sebastian "
    "alejandro camila fernanda paula lucía lucia sofía sofia valentina andrea esteban emilio "
    "joão joao paulo pedro eugenia inés ines belén belen pilar dolores mercedes rosa"
)


def base_language(tag: str) -> str:
    return tag.replace("_", "-").split("-", 1)[0].casefold()


def surname_rule(language: str) -> str:
    """The rule the table gives `language` (a BCP 47 tag), "last-surname" when not listed."""
    return SURNAME_RULES.get(base_language(language), "last-surname")


@lru_cache(maxsize=32)
def _language_collator(language: str) -> Callable[[str], bytes] | None:
    """ICU's collator tailored for `language`; None without ICU (pyuca has no tailorings)."""
    if not language or collation_backend() != "icu":
        return None
    import icu

    collator = icu.Collator.createInstance(icu.Locale.forLanguageTag(language.replace("_", "-")))
    return collator.getSortKey  # type: ignore[no-any-return]


@lru_cache(maxsize=1 << 17)
def _lcoll(language: str, text: str) -> bytes:
    collator = _language_collator(language)
    return collator(text) if collator is not None else _coll(text)


def _words(name: str) -> list[str]:
    words = name.split()
    while len(words) > 1 and words[0].casefold() in _TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1].casefold().rstrip(",") in _SUFFIXES:
        words.pop()
    return words


def _surname_unit(words: list[str], end: int) -> int:
    """Where the surname ending at words[end-1] starts: lowercase particles ("de la") go with it."""
    i = end - 1
    while i > 1 and words[i - 1].casefold() in _UNIT_PARTICLES and words[i - 1].islower():
        i -= 1
    return i


def _first_surname(name: str) -> tuple[str, str, str]:
    """(first surname, second surname, given names) of a Spanish-style name."""
    words = _words(name)
    if "," in name:  # "Pérez García, Juan": written surname first
        family, given = name.split(",", 1)
        fw = family.split()
        return (fw[0] if fw else "", " ".join(fw[1:]), given.strip())
    if len(words) < 3 or (len(words) == 3 and words[1].casefold() in _SECOND_GIVEN):
        core, given, _ = split_family(name)
        return core, "", given
    second = _surname_unit(words, len(words))
    first_end = second
    if first_end > 1 and words[first_end - 1].casefold() in _CONNECTORS:
        first_end -= 1  # "Ortega y Gasset"
    if first_end < 2:  # one given name and one surname with particles: "María de la Cruz"
        core, given, _ = split_family(name)
        return core, "", given
    first = _surname_unit(words, first_end)
    strip = [w for w in words[first:first_end] if not w.islower()]
    return " ".join(strip), " ".join(w for w in words[second:] if not w.islower()), " ".join(words[:first])


def language_sort_key(name: str, kind: str, sort_as: str = "", language: str = "") -> tuple[object, ...]:
    """A comparable key for `name` on a page in `language`: its collation and surname rule.

    Without a language this is sync.names.sort_key's order (root collation, last surname)."""
    coll = (lambda text: _lcoll(language, text)) if language else _coll
    tie = coll(name.casefold()) + b"\x00\x00" + name.encode("utf-32-be")
    if sort_as.strip():
        return (coll(sort_as.strip()), b"", b"", tie)
    if kind == "organization":
        words = name.split()
        if len(words) > 1 and words[0].casefold() == "the":
            words = words[1:]  # "The Guardian" under G
        return (coll(" ".join(words)), b"", b"", tie)
    rule = surname_rule(language)
    if rule == "first-surname":
        first, second, given = _first_surname(name)
        return (coll(first), coll(second), coll(given), tie)
    if rule == "given-name":
        words = _words(name)
        return (coll(" ".join(words[:-1]) or name), coll(words[-1] if words else ""), b"", tie)
    if rule == "family-first":
        words = _words(name)
        if len(words) > 1 and not all(_is_cjk(c) for c in "".join(words) if c.isalpha()):
            return (coll(words[0]), coll(" ".join(words[1:])), b"", tie)
    if rule == "last-surname" and base_language(language) == "pt":
        words = name.split()
        if len(words) > 2 and words[-1].casefold() in _PT_GENERATION:
            name = " ".join(words[:-1])  # "José da Silva Filho" under Silva
    core, given, particles = split_family(name)
    return (coll(core), coll(given), coll(particles), tie)
