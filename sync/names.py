"""Names engine (first version; the full engine replaces this module behind the same interface)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CONTROLS = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\u00ad\u061c]")
PLACEHOLDERS = {"i agree", "test", "asdf", "n/a", "na", "yes", "please add my name", "agree"}
PARTICLES = {"de", "van", "der", "von", "da", "di", "del", "la", "le", "du"}


@dataclass(frozen=True, slots=True)
class Watchlist:
    keys: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class NameReading:
    raw: str
    display: str
    affiliation: str
    kind: str
    flags: tuple[str, ...]
    hold: tuple[str, ...]
    reject: str
    key: str
    nospace_key: str
    ascii_key: str


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(sorted(re.sub(r"[^\w\s]", " ", text).split()))


def affiliation_key(text: str) -> str:
    return _key(text)


def load_watchlist(path: str | None) -> Watchlist:
    return Watchlist()


def read_name(
    name_raw: str, affiliation_raw: str = "", kind_answer: str = "", watchlist: Watchlist | None = None
) -> NameReading:
    text = " ".join(CONTROLS.sub("", unicodedata.normalize("NFC", name_raw)).split())
    aff = " ".join(affiliation_raw.split())
    flags: list[str] = []
    m = re.match(r"^(.*?)\s*\((.+)\)$", text) or re.match(r"^([^,]+),\s*(.+)$", text)
    if m:
        text, tail = m.group(1), m.group(2)
        aff = aff or tail
        flags.append("affiliation split from name")
    if text and (text == text.upper() or text == text.lower()) and text.upper() != text.lower():
        text = " ".join(w if w.lower() in PARTICLES and i else w.capitalize()
                        for i, w in enumerate(text.lower().split()))
        flags.append("auto-cased")
    reject = ""
    low = text.casefold()
    if not any(c.isalpha() for c in text):
        reject = "no letters in the name"
    elif low in PLACEHOLDERS:
        reject = f"placeholder text, not a name: '{text}'"
    elif "@" in text:
        reject = "an email address, not a name"
    elif re.search(r"https?://|www\.", low):
        reject = "a web address, not a name"
    kind = "organization" if re.search(r"organi[sz]ation", kind_answer, re.I) else "individual"
    key = "" if reject else _key(text)
    return NameReading(name_raw, text, aff, kind, tuple(flags), (), reject, key,
                       key.replace(" ", ""), key)


def sort_key(name: str, kind: str, sort_as: str = "") -> tuple[str, ...]:
    if sort_as:
        return (_key(sort_as),)
    parts = name.split()
    if kind == "organization" or not parts:
        return (name.casefold(),)
    return (parts[-1].casefold(), name.casefold())
