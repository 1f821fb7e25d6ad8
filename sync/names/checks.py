"""Reasons to reject or hold a reading."""

from __future__ import annotations

import re
from functools import lru_cache

from sync.names.affiliation import _looks_like_org
from sync.names.cleaning import _punct_to_space
from sync.names.lexicon import (
    _APOS_TABLE,
    _COMMENT_STARTS,
    _DIGIT_RE,
    _DOMAIN_RE,
    _GREEK_CYR_RE,
    _LATIN_RE,
    _LETTER_RE,
    _PLACEHOLDERS,
    _REPEAT_RE,
    _ROMAN_RE,
    _SEVERAL_RE,
    _SYMBOL_RE,
    _URL_RE,
    MAX_CHARS_HOLD,
    MAX_CHARS_REJECT,
    MAX_TOKENS_HOLD,
    _data_lines,
    _profanity,
)
from sync.names.notable import notable_person
from sync.names.redact import has_email, personal_data
from sync.names.watchlist import Watchlist

# --------------------------------------------------------------------------------------------
# Checks


@lru_cache(maxsize=1)
def _more_placeholders() -> frozenset[str]:
    """ "Anonymous" in many languages and the local "John Doe"s (sync/data/placeholders.txt)."""
    return frozenset(
        " ".join(_punct_to_space(line.casefold().translate(_APOS_TABLE)).split())
        for line in _data_lines("placeholders.txt")
    )


# Hebrew points (niqqud, dagesh, rafe) as Yiddish writes them: "פּלוני אַלמוני" is "פלוני אלמוני"
_HEBREW_POINTS_RE = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\ufb1e]")


def _placeholder(text: str) -> bool:
    plain = _HEBREW_POINTS_RE.sub("", text.casefold().replace("\u2019", "'"))
    if plain.startswith(_COMMENT_STARTS):
        return True
    if len(text) > 40:  # longer than any placeholder in the list
        return False
    low = " ".join(_punct_to_space(plain.translate(_APOS_TABLE)).split())
    if low in _PLACEHOLDERS or low in _more_placeholders():
        return True
    words = low.split()  # "Falan Filan", "فلان فلانی": every word one of the file's placeholders
    return len(words) >= 2 and all(w in _placeholder_words() for w in words)


_PLACEHOLDER_WORD = 3  # shorter one-word lines ("na", "x") are no placeholder beside another word


@lru_cache(maxsize=1)
def _placeholder_words() -> frozenset[str]:
    """The one-word lines of sync/data/placeholders.txt of three letters or more."""
    return frozenset(p for p in _more_placeholders() if " " not in p and len(p) >= _PLACEHOLDER_WORD)


def _reject_reason(text: str) -> str:
    if not text:
        return "empty name"
    if len(text) > MAX_CHARS_REJECT:
        return f"longer than {MAX_CHARS_REJECT} characters: pasted text, not a name"
    if text[0] in "=+-@":
        return "starts with = + - or @ (spreadsheet formula injection)"
    if not _LETTER_RE.search(text):
        return "no letters"
    if has_email(text):
        return "email address in the name"
    personal = personal_data(text) if _DIGIT_RE.search(text) else []
    if personal:
        return f"{personal[0]} in the name"
    if ("." in text or ":" in text) and _URL_RE.search(text):
        return "web address in the name"
    if _placeholder(text) or _test_name(text):
        return "placeholder or comment, not a name"
    if (
        len(text) <= 12
        and 2 <= len(letters := _INITIAL_SPLIT_RE.split(text.strip(" ."))) <= 4
        and all(len(x) == 1 and x.isalpha() for x in letters)
    ):
        return "initials only, not a name"
    return ""


_INITIAL_SPLIT_RE = re.compile(r"[\s.]+")


@lru_cache(maxsize=1)
def _placeholder_names() -> frozenset[str]:
    """Placeholder names that are also real people's (sync/data/placeholder_names.txt), by key."""
    from sync.names.cleaning import name_keys

    return frozenset(name_keys(line)[0] for line in _data_lines("placeholder_names.txt"))


def _test_name(text: str) -> bool:
    """Every word opens with "test" ("Test Testowy", "Tester Testerson", "Testi Testinen")."""
    words = text.casefold().split()
    return len(words) >= 2 and all(w.startswith("test") for w in words)


def _mixed_script_token(text: str) -> bool:
    """A word mixing Latin with Cyrillic or Greek letters: a lookalike-letter trick."""
    if text.isascii() or not _GREEK_CYR_RE.search(text):
        return False
    return any(_LATIN_RE.search(w) and _GREEK_CYR_RE.search(w) for w in text.split())


def _has_emoji(text: str) -> bool:
    return not text.isascii() and _SYMBOL_RE.search(text) is not None


# Complexity (C901) allowed: a flat list of independent checks, each one `if` adding its reason.
def _holds(  # noqa: C901
    display: str,
    key: str,
    nospace: str,
    kind: str,
    kind_answered: bool,
    watchlist: Watchlist,
    ascii_key: str = "",
) -> list[str]:
    holds: list[str] = []
    listed = watchlist.find(key, nospace, ascii_key)
    if listed:
        holds.append(f"watch list: looks like {listed}")
    elif watchlist.notable and (famous := notable_person(display)):
        holds.append(f"well-known person: looks like {famous} (a namesake? verify)")
    if kind == "individual" and key in _placeholder_names():
        holds.append("a placeholder name of its country (the local 'John Doe'): a real signer?")
    if _mixed_script_token(display):
        holds.append("mixed scripts in one word (lookalike letters?)")
    if _DIGIT_RE.search(display):
        holds.append("digits in name")
    if _has_emoji(display):
        holds.append("emoji or symbols in name")
    if _REPEAT_RE.search(display.casefold()) and any(
        _REPEAT_RE.search(w) and not _ROMAN_RE.match(w.strip(".,")) for w in display.casefold().split()
    ):  # "III" after a name is a numeral
        holds.append("same character 3+ times")
    if len(display) < 8 and sum(ch.isalpha() for ch in display) == 1:
        holds.append("one letter")
    if len(display) > MAX_CHARS_HOLD:
        holds.append(f"longer than {MAX_CHARS_HOLD} characters")
    if len(display.split()) > MAX_TOKENS_HOLD:
        holds.append(f"more than {MAX_TOKENS_HOLD} words")
    if "." in display and _DOMAIN_RE.search(display):
        holds.append("looks like a web address")
    bad = _profanity()
    if any(w in bad for w in key.split()):  # key words: casefolded, accents and titles gone
        holds.append("possible profanity")
    if kind == "individual" and not kind_answered and _looks_like_org(display):
        holds.append("looks like an organization")
    elif kind == "individual" and _SEVERAL_RE.search(display):
        holds.append("several people in one entry?")
    return holds


def _kind_from_answer(answer: str) -> tuple[str, bool]:
    """("organization"|"individual", answered?) from the form's "Signing as" answer, judged
    in the languages forms are written in, negations included (sync/names/signing_as.py)."""
    from sync.names.signing_as import kind_from_answer

    return kind_from_answer(answer)
