"""Cleaning (NFC, controls, mojibake, whitespace) and the matching keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ftfy
import ftfy.badness
from anyascii import anyascii

from sync.names.lexicon import (
    _APOS_TABLE,
    _CASED_MARKS_RE,
    _CC_RE,
    _CONFUSABLES,
    _CONTROL_TABLE,
    _JOINERS,
    _NON_NAME_RE,
    _SUFFIXES,
    _TITLES,
    _WS_RE,
    _data_lines,
)

# --------------------------------------------------------------------------------------------
# Cleaning


# Mojibake is made of Latin-1/cp1252 characters (UTF-8 read as Windows-1252 or Latin-1),
# MacRoman symbols, or Cyrillic letters (UTF-8 read as Windows-1251): a name with none of
# them (Polish, Greek, Arabic, Han, Devanagari...) is not passed to ftfy's slower check.
_MOJIBAKE_CHARS_RE = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u2122\u2200-\u22ff\u0400-\u045f\ufb01\ufb02]"
)


_INVISIBLE_SPACE_RE = re.compile("(?<=[^\\W\\d_])[\u200b\u2060\ufeff]+(?=[^\\W\\d_])")


def _invisible_space(m: re.Match[str]) -> str:
    before, after = m.string[m.start() - 1], m.string[m.end()]
    return " " if before.islower() and after.isupper() else m.group()


def clean_text(text: str) -> tuple[str, bool, bool]:
    """NFC, controls removed, mojibake fixed, whitespace collapsed.

    Returns (text, controls_removed, mojibake_fixed).
    """
    if not text:
        return "", False, False
    if text.isascii():  # most names: already NFC, nothing for ftfy, no Unicode controls
        if text.isprintable():  # no control characters at all (the common case)
            return " ".join(text.split()), False, False
        removed = _CC_RE.search(text) is not None
        if removed:
            text = _CC_RE.sub(" ", text)
        return _WS_RE.sub(" ", text).strip(), removed, False
    text = unicodedata.normalize("NFC", text)
    fixed = False
    # Before control removal: mojibake of "í" contains U+00AD. Gate on is_bad: fix_text on
    # every name rewrote 2,573 of 1M valid names.
    if _MOJIBAKE_CHARS_RE.search(text) and ftfy.badness.is_bad(text):
        new = unicodedata.normalize("NFC", ftfy.fix_text(text))
        fixed = new != text
        text = new
    removed = False
    if not text.isascii():
        # "Emma\u200bJohansson": an invisible space between a word and a capital was a space
        spaced = _INVISIBLE_SPACE_RE.sub(_invisible_space, text)
        stripped = spaced.translate(_CONTROL_TABLE)
        removed = stripped != text
        text = stripped
    if _CC_RE.search(text):
        text = _CC_RE.sub(" ", text)  # a stray control byte separates words at most
        removed = True
    text = _WS_RE.sub(" ", text).strip()
    return text, removed, fixed


def _strip_marks(text: str) -> str:
    """Drop combining marks that follow Latin/Greek/Cyrillic letters ("José" -> "Jose").

    Marks after other letters stay: stripping all marks breaks Devanagari.
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _CASED_MARKS_RE.sub("", unicodedata.normalize("NFD", text)))


_ASCII_PUNCT_RE = re.compile(r"[^A-Za-z0-9\s]")


def _punct_to_space(text: str) -> str:
    """Everything but letters, marks and digits becomes a space (marks matter in Indic text)."""
    if text.isascii():
        return _ASCII_PUNCT_RE.sub(" ", text)
    return _NON_NAME_RE.sub(" ", text)


def _tokens_for_key(text: str) -> list[str]:
    if text.isascii():
        text = text.casefold().translate(_APOS_TABLE)
    else:
        # one decomposition serves both NFKC (compatibility forms) and mark stripping
        text = unicodedata.normalize("NFKD", text).casefold()
        text = text.translate(_APOS_TABLE).translate(_JOINERS)
        text = unicodedata.normalize("NFC", _CASED_MARKS_RE.sub("", text))
    # keep "ph.d"-style titles recognisable before punctuation goes
    # Titles and suffixes go from the ends only ("Ma" inside a name is a surname); twice,
    # because "Dr." and "Ph.D." are recognised before punctuation goes, "Dr" after. A name of
    # titles only ends up empty and is rejected.
    words = text.split()
    while words and words[0] in _TITLES:
        words.pop(0)
    while words and words[-1].rstrip(",") in _SUFFIXES:
        words.pop()
    toks = _punct_to_space(" ".join(words)).split()
    while toks and toks[0] in _TITLES:
        toks.pop(0)
    while toks and toks[-1] in _SUFFIXES:
        toks.pop()
    return toks


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3040 <= o <= 0x30FF
        or 0xAC00 <= o <= 0xD7AF
        or 0x20000 <= o <= 0x2FFFF
        or 0xF900 <= o <= 0xFAFF
    )


@lru_cache(maxsize=1)
def _organization_words() -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]:
    """(legal forms as word tuples by their last word, longest first; leading generic words),
    from sync/data/organization_words.txt and the legal forms of every jurisdiction in
    sync/data/legal_forms.txt (ISO 20275, see tools/build_legal_forms.py)."""
    forms: set[tuple[str, ...]] = set()
    leading: set[str] = set()
    section = ""
    for line in _data_lines("organization_words.txt"):
        if line.startswith("["):
            section = line
            continue
        words = tuple(_tokens_for_key(line))
        if section.startswith("[legal"):
            forms.add(words)
        elif len(words) == 1:
            leading.add(words[0])
    for line in _data_lines("legal_forms.txt"):
        words = tuple(_tokens_for_key(line))
        if words:
            forms.add(words)
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted((f for f in forms if f), key=len, reverse=True):
        by_last.setdefault(form[-1], []).append(form)
    return {k: tuple(v) for k, v in by_last.items()}, frozenset(leading)


_ACRONYM_PAREN_RE = re.compile(r"\s*[(\[]\s*([^\W\d_][\w&.\-]{1,11})\s*[)\]]\s*$")
_LEADING_FORM_MAX = 3  # words of a legal form that can lead a name ("PT", "ООО", "Công ty TNHH")


def _legal_form_at(toks: list[str], forms: dict[str, tuple[tuple[str, ...], ...]], end: bool) -> int:
    """How many words of a legal form `toks` end with (or, `end` False, start with: a form of
    at most _LEADING_FORM_MAX words); 0 when none, or when no word of the name would be left."""
    if end:
        for form in forms.get(toks[-1], ()):
            if len(form) < len(toks) and tuple(toks[-len(form) :]) == form:
                return len(form)
        return 0
    for n in range(min(_LEADING_FORM_MAX, len(toks) - 1), 0, -1):
        if tuple(toks[:n]) in forms.get(toks[n - 1], ()):
            return n
    return 0


def organization_key_tokens(name: str) -> tuple[list[str], str]:
    """An organization's key words and its acronym ('' if none): a final "(ACRONYM)", legal
    forms at the end ("e.V.", "sp. z o.o.", "asbl", "Gesellschaft mit beschränkter Haftung") or
    at the start of a longer name ("PT", "ООО"), and generic words at the start ("The",
    "Association", "Fundación", "Verein") left out, as long as a word is left."""
    acronym = ""
    m = _ACRONYM_PAREN_RE.search(name)
    if m and m.start() > 0:
        acronym = "".join(_tokens_for_key(m.group(1)))
        name = name[: m.start()]
    toks = _tokens_for_key(name)
    forms, leading = _organization_words()
    while len(toks) > 1 and (n := _legal_form_at(toks, forms, end=True)):
        del toks[-n:]
    while len(toks) > 1 and (n := _legal_form_at(toks, forms, end=False)):
        del toks[:n]
    while len(toks) > 1 and toks[0] in leading:
        toks.pop(0)
    return toks, acronym


def _keys(name: str, kind: str = "") -> tuple[str, str]:
    """(k_sorted, k_nospace) for a display name; an organization's without its legal form and
    generic words, and its k_nospace its acronym when the name gives one ("... (EFFI)")."""
    if kind == "organization":
        toks, acronym = organization_key_tokens(name)
        if toks:
            return " ".join(sorted(toks)), acronym or "".join(toks)
    toks = _tokens_for_key(name)
    nospace = "".join(toks)
    # CJK names are written with or without a space between family and given name.
    if nospace and all(_is_cjk(c) for c in nospace if c.isalpha()) and any(c.isalpha() for c in nospace):
        return nospace, nospace
    return " ".join(sorted(toks)), nospace


@lru_cache(maxsize=1 << 16)  # namesakes, and the same entry's keys for the cache and the index
def name_keys(name: str, kind: str = "") -> tuple[str, str, str]:
    """(key, nospace_key, ascii_key) for a display name of that kind (what read_name stores)."""
    k, ns = _keys(name, kind)
    return k, ns, _ascii_key(k)


def _ascii_key(key: str) -> str:
    if key.isascii():
        return key
    # anyascii writes soft signs and some letters as apostrophes ("Ольга" -> "Ol'ga"): drop them
    text = anyascii(key).lower().replace("'", "").replace("`", "")
    return " ".join(sorted(_ASCII_PUNCT_RE.sub(" ", text).split()))


def skeleton(key: str) -> str:
    """A confusable skeleton of a matching key: lookalike letters mapped to Latin ones.

    For impersonation checks only (UTS #39 in spirit, with a compact Latin/Cyrillic/Greek
    table), never for display.
    """
    # keys have no combining marks after Latin/Greek/Cyrillic letters left to strip
    return key.translate(_CONFUSABLES).replace("rn", "m")


@lru_cache(maxsize=1 << 14)  # affiliations repeat a lot
def affiliation_key(text: str) -> str:
    """Normalized affiliation for comparisons: case, accents, punctuation and "the" ignored."""
    text, _, _ = clean_text(text)
    text = _strip_marks(unicodedata.normalize("NFKC", text).casefold().translate(_APOS_TABLE))
    toks = _punct_to_space(text).split()
    if toks and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)
