"""Recasing text typed in one case (only in scripts with case)."""

from __future__ import annotations

import re
import unicodedata

from sync.names.lexicon import (
    _ACRONYMS,
    _AFTER_PARTICLE,
    _APOS_TO_ASCII,
    _MAC_NAMES,
    _ORG_SMALL,
    _PARTICLES,
    _ROMAN_RE,
    _SUFFIXES,
    _TITLES,
    _VIETNAMESE_FAMILY,
)

# --------------------------------------------------------------------------------------------
# Case


# Georgian has capitals (Mtavruli) that are not used to begin names: a Georgian name typed in
# lowercase is written correctly, so Georgian counts as a script without case here.
_GEORGIAN_RE = re.compile("[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")
# Dotted capital İ or dotless ı: typed on a Turkish keyboard, so "I" is dotless there too.
# (Ş or Ğ alone is not enough: "ELIF ŞAHIN" typed on another keyboard is Elif Şahin.)
_TURKISH_RE = re.compile("[İı]")


def _case_state(text: str) -> str:
    """ "upper", "lower", "mixed" or "none" (no cased letters: scripts without case).

    str.isupper/islower are True when every cased character is upper/lower and there is one.
    Text mixing cased letters with letters of a script without case ("주간 SBS 매거진") is
    "mixed": the capitals there are acronyms, not shouting. Georgian counts as without case.
    """
    if not text.isascii():
        if _GEORGIAN_RE.search(text):
            return "none"
        if any(ch.isalpha() and not (ch.isupper() or ch.islower()) for ch in text):
            return "mixed" if any(ch.isupper() or ch.islower() for ch in text) else "none"
    if text.isupper():
        return "upper"
    if text.islower():
        return "lower"
    return "mixed" if any(ch.isupper() or ch.islower() for ch in text) else "none"


def recase(text: str, organization: bool, keep_upper: frozenset[str] = frozenset()) -> str:
    """Recase text typed in one case; Turkish dotted/dotless I kept right; result in NFC.

    `keep_upper`: casefolded words to leave in capitals (acronyms found by the caller).
    """
    turkish = not text.isascii() and _TURKISH_RE.search(text) is not None
    work = text.replace("I", "ı").replace("İ", "i") if turkish else text
    out = _recase_organization(work, keep_upper) if organization else _recase_individual(work)
    if turkish and len(out) == len(work):
        # an "I" made from a dotted i is a dotted capital in Turkish ("İsmail"; "Işık" stays)
        out = "".join("İ" if ch == "I" and src == "i" else ch for ch, src in zip(out, work, strict=True))
    return unicodedata.normalize("NFC", out)


def _cap(word: str) -> str:
    """First letter upper, the rest lower (Python handles Greek final sigma)."""
    if not word:
        return word
    lower = word.replace("İ", "i").lower()
    if lower.startswith("ij") and lower[2:3].isalpha():  # Dutch digraph: IJzerman
        return "IJ" + lower[2:]
    for i, ch in enumerate(lower):
        if ch.isalpha():
            return lower[:i] + ch.upper() + lower[i + 1 :]
    return lower


def _cap_part(part: str) -> str:
    """Capitalize one hyphen-free part, handling Mc/Mac/O'/D'."""
    low = part.lower()
    a = low.translate(_APOS_TO_ASCII)
    if "'" in a:
        head, _, tail = a.partition("'")
        apos = part[len(head)]
        if len(head) == 1 and tail:  # O'Brien, D'Angelo, L'Heureux
            return head.upper() + apos + _cap(tail)
        # Thiong'o, Мар'яна: the apostrophe is inside the word
        return _cap(head) + apos + tail.lower()
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + _cap(low[2:])
    if low in _MAC_NAMES:
        return "Mac" + _cap(low[3:])
    if _ROMAN_RE.match(low):
        return low.upper()
    return _cap(low)


def _joins_names(words: list[str], i: int) -> bool:
    """Can words[i] (not first, not last) be a particle? One-letter "e"/"y" join two names
    ("Ortega y Gasset"); between initials ("A B C D E F") they are initials too."""
    return len(words[i]) > 1 or (len(words[i - 1]) > 1 and len(words[i + 1]) > 1)


def _recase_individual(text: str) -> str:
    words = text.split(" ")
    vietnamese = len(words) > 1 and words[0].lower() in _VIETNAMESE_FAMILY
    out: list[str] = []
    prev_particle = False
    for i, w in enumerate(words):
        low = w.lower()
        bare = low.rstrip(",")
        last = i == len(words) - 1
        if low in _TITLES or bare in _SUFFIXES:
            out.append(_title_case_title(w))
            prev_particle = False
            continue
        if (
            i > 0
            and not last
            and not vietnamese
            and _joins_names(words, i)
            and (bare in _PARTICLES or (prev_particle and bare in _AFTER_PARTICLE))
        ):
            out.append(low)
            prev_particle = True
            continue
        parts = low.split("-")
        capped = []
        for j, p in enumerate(parts):
            if j == 0 and i > 0 and len(parts) > 1 and p in ("al", "el"):
                capped.append(p)  # Bashar al-Assad
            else:
                capped.append(_cap_part(p))
        out.append("-".join(capped))
        prev_particle = False
    return " ".join(out)


def _title_case_title(word: str) -> str:
    low = word.lower()
    if low.rstrip(".,") in ("phd", "ph.d"):
        return word[: len(word)] if word.isupper() else "PhD" + low[len(low.rstrip(".,")) :]
    if low.rstrip(".,") in ("obe", "mbe", "cbe", "frs", "qc", "kc", "mp", "mep", "md", "msc", "bsc", "mba"):
        return word.upper()
    if _ROMAN_RE.match(low.rstrip(".,")):
        return word.upper()
    return _cap(low)


def _recase_organization(text: str, keep_upper: frozenset[str] = frozenset()) -> str:
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        core = low.strip(".,()")
        if (
            core in _ACRONYMS
            or core in keep_upper
            or (len(core) >= 2 and core.isalpha() and core.isascii() and not any(v in core for v in "aeiouy"))
        ):
            out.append(w.upper())  # NHS, BDS, CND: no vowels or a known acronym
        elif i > 0 and core in _ORG_SMALL:
            out.append(low)
        elif core in ("e.v", "e.v."):
            out.append(low.replace("e.v", "e.V"))
        else:
            out.append("-".join(_cap_part(p) for p in low.split("-")))
    return " ".join(out)
