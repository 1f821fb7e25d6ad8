"""Affiliation typed into the name field, and surname-first order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sync.names.casing import _case_state
from sync.names.judgement import is_word_not_name
from sync.names.lexicon import (
    _AFFILIATION_WORDS,
    _AFTER_PARTICLE,
    _ORG_SMALL,
    _ORG_WORDS,
    _PARTICLES,
    _SUFFIXES,
    _literal_words,
)

# --------------------------------------------------------------------------------------------
# Affiliation split and surname-first order


def _space_tokens(text: str) -> list[str]:
    """Casefolded white-space tokens with punctuation stripped at their ends, in order."""
    return [w.strip(".,;:()[]'\"").casefold() for w in text.split()]


_WORD_RE = re.compile(r"\w+(?:[-']\w+)*")


def _regex_words(text: str) -> set[str]:
    """The set of casefolded words of `text`, by \\w runs with inner hyphens and apostrophes
    ("Dept." -> "dept", "Co-op" -> "co-op")."""
    return set(_WORD_RE.findall(text.casefold()))


def _has_affiliation_words(text: str, whole: str = "") -> bool:
    """Does `text` (a tail of `whole`) hold title or institution words?"""
    if not _AFFILIATION_WORDS.isdisjoint(_regex_words(text)):
        return True
    # an acronym ("Jane Doe, MIT") reads as an institution, unless everything is in capitals
    return _case_state(whole or text) != "upper" and any(
        w.isupper() and 2 <= len(w) <= 6 and w.isalpha() for w in (x.strip(".,;:()") for x in text.split())
    )


def _only_suffixes(text: str) -> bool:
    ws = [w for w in _space_tokens(text) if w]
    return bool(ws) and all(w in _SUFFIXES or w + "." in _SUFFIXES for w in ws)


def _looks_like_org(text: str) -> bool:
    return not _ORG_WORDS.isdisjoint(_regex_words(text))


_PRONOUNS_RE = re.compile(r"(?i)^(?:she|he|they|ze|xe|ela|él|elle|sie|er)\s*/")


def _names_an_organization(tail: str) -> bool:
    """A parenthesised tail of two or more capitalized words ("Daily Courier") names an
    organization; one word is more likely a nickname ("Bob"), "she/her" a pronoun."""
    words = tail.split()
    return (
        len(words) >= 2
        and not _PRONOUNS_RE.match(tail)
        and all(w[:1].isupper() or w.casefold() in _ORG_SMALL for w in words)
        and words[0][:1].isupper()
    )


# Words that open an institution's name ("University of Bath", "Instituto de ...").
_INSTITUTION_HEADS = _literal_words(
    "university universität universite université universidad universidade università "
    "universiteit college school institute institut instituto istituto academy akademie "
    "hospital clinic department dept faculty laboratory museum library ministry"
)


def split_institution_tail(text: str) -> tuple[str, str, bool]:
    """ "Jane Doe University of Bath" -> ("Jane Doe", "University of Bath", True).

    An institution typed after the name without a comma. Split only where an institution word
    opens a name of two or more words after a name of two or more words; an institution word
    elsewhere is reported (third value True, nothing split) so the entry is held rather than
    guessed ("Jane Doe Harvard University": where does the name end?).
    Returns (name, affiliation, found).
    """
    words = text.split()
    for i, w in enumerate(words):
        core = w.strip(".,;:()").casefold()
        if core in _INSTITUTION_HEADS and i >= 2:
            if w[:1].isupper() and i < len(words) - 1 and not _looks_like_org(" ".join(words[:i])):
                return " ".join(words[:i]), " ".join(words[i:]), True
            return text, "", True
    return text, "", False


@dataclass(frozen=True, slots=True)
class _Split:
    name: str
    affiliation: str
    flags: tuple[str, ...] = ()
    hold: tuple[str, ...] = ()


_DASH_RE = re.compile(r"\s+[-\u2013\u2014]\s+")
_BAR_RE = re.compile(r"\s*\|\s*")
_PAREN_RE = re.compile(r"^(.*?)\s*[(\[]([^()\[\]]*)[)\]]\s*$")


def _split_name(text: str) -> _Split:
    """Separate an affiliation typed into the name field; fix "Surname, Given" order."""
    m = _PAREN_RE.match(text)
    if m and m.group(1):
        head, tail = m.group(1).strip(), m.group(2).strip()
        if not tail:
            return _Split(head, "")
        if (_has_affiliation_words(tail, text) or _names_an_organization(tail)) and not _looks_like_org(head):
            inner = _split_name(head)
            return _Split(inner.name, tail, inner.flags + ("affiliation split from name",), inner.hold)
        return _Split(text, "", (), ("parentheses in name: affiliation or nickname?",))
    for sep in (_BAR_RE, _DASH_RE):
        parts = sep.split(text, maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[1]:
            head, tail = parts[0].strip(), parts[1].strip()
            if _has_affiliation_words(tail, text) and not _looks_like_org(head):
                inner = _split_name(head)
                return _Split(inner.name, tail, inner.flags + ("affiliation split from name",), inner.hold)
            if sep is _BAR_RE:
                return _Split(text, "", (), ("'|' in name: affiliation?",))
    if "," in text:
        parts = [p.strip() for p in text.split(",")]
        parts = [p for p in parts if p]
        # Drop trailing suffixes ("Jr.", "PhD") from the comma analysis; they stay in display.
        # Find the first part after which everything reads as an affiliation.
        for i in range(1, len(parts)):
            if _only_suffixes(parts[i]):
                continue
            head = ", ".join(parts[:i])
            if _has_affiliation_words(parts[i], text) and not _looks_like_org(head):
                inner = _surname_first(head)  # "Doe, Jane, Professor, ..."
                tail = ", ".join(parts[i:])
                return _Split(inner.name, tail, inner.flags + ("affiliation split from name",), inner.hold)
        return _surname_first(text)
    return _Split(text, "")


def _surname_first(text: str) -> _Split:
    """ "Doe, Jane" -> "Jane Doe"; a comma that reads neither way is held, not guessed."""
    if "," not in text:
        return _Split(text, "")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    suffixes = [p for p in parts[1:] if _only_suffixes(p)]
    core = [p for p in parts if p not in suffixes]
    if len(core) == 1:
        return _Split(text, "")  # "John Smith, Jr."
    if len(core) == 2:
        family, given = core
        fam_words = family.split()
        real_fam = [w for w in fam_words if w.lower() not in _PARTICLES and w.lower() not in _AFTER_PARTICLE]
        giv_words = given.split()
        # "Morales Vega, Lucia": Spanish and Portuguese surnames are often two words
        # ("Karin Berg, Greenpeace" is not one: the given part must not be a dictionary word)
        two_word = (
            len(real_fam) == 2
            and len(giv_words) <= 2
            and all(w[:1].isupper() for w in real_fam)
            and all(not is_word_not_name(w) for w in giv_words)
        )
        if (len(real_fam) == 1 or two_word) and 1 <= len(giv_words) <= 3:
            name = f"{given} {family}"
            if suffixes:
                name += ", " + ", ".join(suffixes)
            return _Split(name, "", ("surname-first order",))
    return _Split(text, "", (), ("comma in name: surname first, or an affiliation?",))
