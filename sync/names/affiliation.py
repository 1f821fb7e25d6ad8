"""Affiliation typed into the name field, and surname-first order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sync.names.casing import _case_state
from sync.names.judgement import is_name_word, is_word_not_name, known_name
from sync.names.lexicon import (
    _AFFILIATION_WORDS,
    _AFTER_PARTICLE,
    _ORG_WORDS,
    _PARTICLES,
    _SUFFIXES,
)
from sync.names.lexicon import (
    _ORG_SMALL as _ORG_SMALL_WORDS,
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


_HANDLE_RE = re.compile(r"(?i)^(?:@|`|aka\b|a\.k\.a\.?\s)")
_DOMAIN_TAIL_RE = re.compile(r"(?i)^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$")


def _names_an_organization(tail: str) -> bool:
    """A parenthesised tail that starts with a capital ("Daily Courier", "Collabora", "GNOME")
    or is a domain ("ibiblio.org") names an organization. Handles ("@jdoe", "`jdoe`", "aka
    jdoe", a lowercase word), pronouns ("she/her") and nicknames (in quotes, or one short or
    name-like word: "Bob", "Mimi") are not."""
    if " " not in tail and tail.istitle() and (len(tail) <= 5 or is_name_word(tail)):
        return False  # "Robert Smith (Bob)", "Maria Lopez (Mimi)": a nickname
    return (
        bool(tail)
        and not _PRONOUNS_RE.match(tail)
        and not _HANDLE_RE.match(tail)
        and '"' not in tail
        and (tail[:1].isupper() or _DOMAIN_TAIL_RE.match(tail) is not None)
    )


# Words that open an institution's name ("University of Bath", "Instituto de ...").
# Stems of words that open an institution's name ("University of Bath", "Universitetet i
# Oslo", "Instituto de ...", "Hochschule für ...").
_INSTITUTION_HEAD_RE = re.compile(
    r"(?i)^(?:univers|institu|academ|akadem|colleg|hochschul|politecn|polytech|hospit|facult|fakult"
    r"|escuela|école|ecole|school|schule|museum|museo|musée|library|bibliot|ministr|department|dept)"
)


def has_institution_word(text: str) -> bool:
    """A word after the second that opens an institution's name ("Universitetet", "Instituto")."""
    return any(_INSTITUTION_HEAD_RE.match(w) for w in text.split()[2:])


_AFFILIATION_SEGMENT_RE = re.compile(r"[,;(\[\])|]|\s[-\u2013\u2014]\s")


def without_affiliation_parts(text: str) -> str:
    """`text` less its parenthesised parts and the comma/dash-separated parts that read as an
    affiliation: what is left must read as a name."""
    text = _PAREN_PART_RE.sub(" ", text)  # a parenthesised tail is read on its own
    parts = [p.strip() for p in _AFFILIATION_SEGMENT_RE.split(text)]
    kept = [p for p in parts if p and not _has_affiliation_words(p, text)]
    return ", ".join(kept)


_PAREN_PART_RE = re.compile(r"\([^()]*\)")


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
        if i >= 2 and _INSTITUTION_HEAD_RE.match(core):
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


def _affiliation_after_name(head: str, tail: str) -> bool:
    """ "Paweł Lewandowski, Politechnika Warszawska": a name of two or three words, then two or
    more capitalized words that are not all given names or surnames ("García López, María José"
    is surname first): an institution in any language, whether or not its words are listed."""
    h, t = head.split(), tail.split()
    return (
        2 <= len(h) <= 3
        and len(t) >= 2
        and all(w[:1].isupper() or w.casefold() in _ORG_SMALL_WORDS for w in t)
        and not all(is_name_word(w) or known_name(w.casefold()) for w in t)
    )


def _surname_first(text: str) -> _Split:
    """ "Doe, Jane" -> "Jane Doe"; a comma that reads neither way is held, not guessed."""
    if "," not in text:
        return _Split(text, "")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) == 2 and _affiliation_after_name(parts[0], parts[1]):
        return _Split(parts[0], parts[1], ("affiliation split from name",))
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
