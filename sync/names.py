"""Clean one signatory name: display form, affiliation, kind, holds/rejects and matching keys.

The rules and the numbers behind them are in shared research `names.md`; in short:
- the raw text is kept; everything else is derived from it, so a rule can be fixed and rerun;
- display: NFC, invisible/bidi controls removed (ZWJ/ZWNJ kept), mojibake fixed only when ftfy
  says the text is bad, whitespace collapsed, case fixed only for single-case input;
- an affiliation typed into the name field is split off only when the tail reads like one;
- a reading is published, held for an editor (``hold``) or rejected (``reject``) with reasons;
- matching keys (``key``, ``nospace_key``, ``ascii_key``) are never displayed.

Everything here is a pure function of its arguments; results are cached by raw text because
the same names come back on every run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import ftfy
import ftfy.badness
from anyascii import anyascii
from rapidfuzz import fuzz, process

# --------------------------------------------------------------------------------------------
# Value objects


@dataclass(frozen=True, slots=True)
class NameReading:
    """What signsync made of one typed name (see module docstring)."""

    raw: str  # as typed
    display: str  # cleaned display name
    affiliation: str  # from the affiliation field, else split from the name field ('' if none)
    kind: str  # "individual" | "organization"
    flags: tuple[str, ...]  # informative, shown to editors
    hold: tuple[str, ...]  # reasons to hold for editor review (empty: publishable)
    reject: str  # '' or the reason to reject outright
    key: str  # k_sorted matching key ('' when rejected)
    nospace_key: str  # k_nospace
    ascii_key: str  # anyascii(k_sorted), review hints only

    @property
    def decision(self) -> str:
        """ "reject", "hold" or "publish"."""
        if self.reject:
            return "reject"
        return "hold" if self.hold else "publish"


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

    def find(self, key: str, nospace_key: str) -> str:
        """Return the listed name that `key` looks like, or ''."""
        if not self.names or not key:
            return ""
        hit = self.by_key.get(key) or self.by_nospace.get(nospace_key)
        if hit:
            return hit
        skel = skeleton(key)
        hit = self.by_skeleton.get(skel) or self.by_skeleton.get(skeleton(nospace_key))
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


# --------------------------------------------------------------------------------------------
# Character classes

# Invisible and bidi controls to remove (names.md). ZWNJ U+200C and ZWJ U+200D are NOT here:
# Persian and Indic names need them.
_CONTROLS = (
    {0x200B, 0x200E, 0x200F, 0xFEFF, 0x00AD, 0x061C, 0x180E, 0x034F}
    | set(range(0x202A, 0x202F))
    | set(range(0x2060, 0x2070))
    | set(range(0xE0000, 0xE0080))
)
_CONTROL_TABLE = {cp: None for cp in _CONTROLS}
_CC_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0/C1 except tab/newline/CR
_JOINERS = {0x200C: None, 0x200D: None}
_APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4\u02b9\u2032"
_APOS_TABLE = {ord(c): None for c in _APOSTROPHES}
_APOS_TO_ASCII = {ord(c): "'" for c in _APOSTROPHES}
_WS_RE = re.compile(r"\s+")

# Compact confusable table (subset of UTS #39 confusables.txt): Cyrillic and Greek letters that
# look like Latin ones, plus digits people use as letters. Applied after casefold and after
# combining marks are stripped, so only lowercase forms are needed.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "з": "3",
        "и": "u",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "п": "n",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ь": "b",
        "г": "r",
        "һ": "h",
        "ӏ": "l",
        "ү": "y",
        "ɡ": "g",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "μ": "u",
        "γ": "y",
        "ς": "c",
        "σ": "o",
        # Latin lookalikes and digits
        "ı": "i",
        "ȷ": "j",
        "ℓ": "l",
        "0": "o",
        "1": "l",
        "|": "l",
        "$": "s",
        "5": "s",
    }
)


def _char_class(pred: object, limit: int = 0x20000) -> str:
    """A regex character class of the code points below `limit` for which pred(ch) holds.

    Built once at import (~50 ms) so that per-name checks are one regex search instead of a
    Python loop over characters.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(limit):
        if pred(chr(cp)):  # type: ignore[operator]
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )


# Basic Multilingual Plane only: there the regex engine tests a class with one table look-up;
# classes reaching past U+FFFF are scanned range by range, several times slower per character.
_MARKS = _char_class(lambda ch: unicodedata.category(ch)[0] == "M", 0x10000)
_SYMBOLS = _char_class(lambda ch: unicodedata.category(ch) in ("So", "Co"), 0x10000)
_LATIN = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff"
_GREEK = r"\u0370-\u03ff\u1f00-\u1fff"
_CYRILLIC = r"\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
# combining marks directly after a Latin/Greek/Cyrillic letter (in NFD)
_CASED_MARKS_RE = re.compile(
    f"(?<=[{_LATIN}{_GREEK}{_CYRILLIC}])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)  # the combining diacritics these scripts use
_NON_NAME_RE = re.compile(f"[^\\w\\s\u200c\u200d{_MARKS}]|_")
_SYMBOL_RE = re.compile(f"[{_SYMBOLS}\ufe0f\ud800-\udfff]|[\U0001f000-\U0001faff]")
_LATIN_RE = re.compile(f"[{_LATIN}]")
_GREEK_CYR_RE = re.compile(f"[{_GREEK}{_CYRILLIC}]")
_DIGIT_RE = re.compile(r"\d")
_LETTER_RE = re.compile(r"[^\W\d_]")


# --------------------------------------------------------------------------------------------
# Word lists (why each exists is said where it is used)


def _wordset(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps long word lists readable)."""
    return frozenset(text.split())


_TITLES = _wordset(
    "dr dr. doctor prof prof. professor mr mr. mrs mrs. ms ms. mx mx. miss sir dame rev rev. "
    "revd reverend fr fr. hon hon. rt rt. dott dott. dra dra. ing ing. mag mag. pr pr. "
    "sr. sra sra. srta"
)
# Only unambiguous post-nominals: "Ma" and "Ba" are surnames, so MA/BA are not removed.
_SUFFIXES = _wordset(
    "jr jr. sr snr jnr ii iii iv phd ph.d ph.d. md m.d. esq esq. msc bsc mba dphil obe mbe "
    "cbe frs qc kc mp mep"
)
# Particles written in lowercase inside a name ("Ludwig van der Berg", "Alfred de Zayas").
_PARTICLES = _wordset(
    "van von der den de del della degli dei di da das dos do du des ten ter te zu zum "
    "zur vom y e bin binti ibn bint af av het 't wa"
)
# Only after another particle: French "Le Pen" keeps its capital; Spanish "de la Fuente" not.
_AFTER_PARTICLE = _wordset("la las los le les lo")
# Vietnamese names are family-first and "Van"/"Thi" are middle names, not particles.
_VIETNAMESE_FAMILY = _wordset(
    "nguyen nguyễn tran trần le lê pham phạm hoang hoàng huynh huỳnh phan vu vũ vo võ dang "
    "đặng bui bùi do đỗ ho hồ ngo ngô duong dương ly lý"
)
# Scottish/Irish Mac names; others ("Machado", "Mack", "Macy") are not Mac+Name.
_MAC_NAMES = _wordset(
    "macdonald macleod mackenzie macmillan macarthur macintyre macgregor macneil maclean "
    "macfarlane macaulay macpherson macdougall mackay mackinnon maclachlan macrae macqueen "
    "maccallum macdowell macbride maccormack macewan macinnes maclaren macnamara macneill "
    "macgowan macbeth"
)
_ORG_SMALL = _wordset(
    "of the and for in on at to a an by with de des du la le les et für und der die das y e "
    "per del della di da dos do van von"
)
_ACRONYMS = _wordset(
    "uk us usa eu un nhs ngo ngos lgbt lgbtq lgbtqi lgbtqia bds cnd tuc ucu nut neu rmt cwu "
    "gmb pcs seiu aclu naacp anc jvp ifj nupge cupe afl cio uaw awu bbc itv ucl lse mit "
    "ucla nyu cuny suny eth epfl kth"
)
# Words that make a name look like an organization (hold unless the form said so) and that
# make a tail after a comma/dash/bar/parenthesis look like an affiliation.
# Words that are also surnames or given names (Church, Temple, Branch, Dean, Red) or look like
# initials (S.A., B.V., E.V.) are left out: they would hold real people's names.
_ORG_WORDS = _wordset(
    """university universität universite université universidad universidade università
    universiteit uni college school institute institut instituto istituto academy akademie
    hospital clinic department dept faculty center centre centro foundation fondation
    stiftung fundación fundação fondazione union unión gewerkschaft syndicat sindicato
    association associação asociación associazione verein society sociedad société council
    committee comité comitato coalition network netzwerk réseau party partei parti
    partido partito mosque synagogue ltd inc llc llp gmbh plc ngo trust magazine journal
    newspaper review media news laboratory lab group gruppe campaign movement alliance
    federation federación league collective kollektiv cooperative co-op coop ministry
    government parliament assembly museum library labour labor organization organisation
    organización organizzazione organisatie initiative forum project projekt office agency
    company corporation corp bureau caucus club friends solidarity international
    internacional internationale"""
)
_TITLE_WORDS = _wordset(
    """professor lecturer reader researcher scientist director editor
    journalist reporter author writer poet novelist artist musician composer filmmaker
    activist organizer organiser teacher student phd candidate doctoral postdoc fellow
    president vice chair chairman chairwoman chairperson ceo cto cfo founder co-founder
    cofounder member mp mep msp councillor councilor senator representative deputy mayor
    minister secretary general coordinator volunteer rabbi imam pastor priest bishop
    reverend nurse doctor physician surgeon lawyer attorney barrister solicitor judge
    emeritus emerita retired former head dean rector chancellor provost associate assistant
    adjunct visiting senior junior principal lead manager officer trustee spokesperson
    spokesman spokeswoman advisor adviser consultant economist historian philosopher
    sociologist anthropologist engineer architect psychologist psychiatrist therapist
    pharmacist dentist veterinarian scholar academic curator librarian photographer
    actor actress director producer designer"""
)
_AFFILIATION_WORDS = _ORG_WORDS | _TITLE_WORDS


def _split_bars(text: str) -> list[str]:
    return text.split("|")


# Placeholder and comment text typed instead of a name. "Anonymous" is rejected too: it names
# nobody, cannot be verified and would merge with every other "Anonymous"; the raw text is kept
# in the audit trail and an editor can still publish it by hand.
_PLACEHOLDERS = frozenset(
    p.strip()
    for p in _split_bars(
        """i agree|agree|agreed|i support|support|i support this|i sign|signed|sign|sign me up|
    count me in|test|testing|test test|tester|asdf|asdfgh|asdfghjkl|qwerty|qwertz|abc|abcd|
    xxx|xx|x|n a|na|none|nil|null|undefined|nan|yes|no|ok|okay|y|n|name|your name|my name|
    full name|first name last name|firstname lastname|first last|name surname|
    anonymous|anon|anonym|anónimo|anonimo|anonyme|not given|prefer not to say|
    please add my name|add my name|please add me|add me|please include my name|include me|
    lorem ipsum|foo|bar|foo bar|blah|blah blah|hello|hi|thanks|thank you|me|myself|
    solidarity|in solidarity|see above|same as above|as above|idem|ditto"""
    )
)
_COMMENT_STARTS = (
    "please add",
    "please include",
    "please sign",
    "i agree",
    "i support",
    "i sign",
    "i fully",
    "i am signing",
    "i'm signing",
    "im signing",
    "add my name",
    "count me",
    "sign me",
    "i would like",
    "i'd like",
    "thank you",
)

_URL_RE = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)\S+|\b\S+\.(?:com|net|io)/\S*")
_DOMAIN_RE = re.compile(
    r"(?i)(?<![\w.])[a-z0-9-]{2,}\.(?:com|org|net|edu|gov|io|info|co|uk|de|fr|nl|ru|ly|me)\b"
)
_EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_REPEAT_RE = re.compile(r"(\w)\1\1")
# "John and Jane Smith", "J. Smith & M. Jones", "A. Roe / B. Poe": a couple or a list
_SEVERAL_RE = re.compile(r"(?i)\s(?:&|and|und|/|\+)\s|;")
_ROMAN_RE = re.compile(r"(?i)^(?:ii|iii|iv|vi|vii|viii|ix|xi|xii)$")

MAX_CHARS_REJECT = 200  # longer than any real name with an affiliation: pasted text
MAX_CHARS_HOLD = 100
MAX_TOKENS_HOLD = 10


# --------------------------------------------------------------------------------------------
# Data files


def _data_lines(filename: str) -> list[str]:
    text = resources.files("sync").joinpath("data", filename).read_text(encoding="utf-8")
    return _list_lines(text)


def _list_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=1)
def _profanity() -> frozenset[str]:
    allowed = {w.casefold() for w in _data_lines("name_allowlist.txt")}
    return frozenset(w.casefold() for w in _data_lines("profanity.txt")) - allowed


def make_watchlist(names: Iterable[str]) -> Watchlist:
    """Build a Watchlist from names as they would be written."""
    listed = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    by_key: dict[str, str] = {}
    by_nospace: dict[str, str] = {}
    by_skeleton: dict[str, str] = {}
    for name in listed:
        k, ns = _keys(name)
        if not k:
            continue
        by_key.setdefault(k, name)
        by_nospace.setdefault(ns, name)
        by_skeleton.setdefault(skeleton(k), name)
        by_skeleton.setdefault(skeleton(ns), name)
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
        listed, by_key, by_nospace, by_skeleton, by_length, {w: tuple(v) for w, v in by_word.items()}
    )


@lru_cache(maxsize=1)
def _default_watchlist() -> Watchlist:
    return make_watchlist(_data_lines("watchlist.txt"))


def load_watchlist(path: str | None) -> Watchlist:
    """Read a watch-list file (one name per line, '#' comments); None: the shipped default."""
    if path is None:
        return _default_watchlist()
    from pathlib import Path

    from sync.fsutil import read_text

    text = read_text(
        Path(path),
        "[names] watchlist",
        missing="fix the path in signsync.toml or remove the setting to use the shipped list",
    )
    return make_watchlist(_list_lines(text))


# --------------------------------------------------------------------------------------------
# Cleaning


# Mojibake is made of Latin-1/cp1252 characters (UTF-8 read as Windows-1252 or Latin-1),
# MacRoman symbols, or Cyrillic letters (UTF-8 read as Windows-1251): a name with none of
# them (Polish, Greek, Arabic, Han, Devanagari...) is not passed to ftfy's slower check.
_MOJIBAKE_CHARS_RE = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u2122\u2200-\u22ff\u0400-\u045f\ufb01\ufb02]"
)


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
    # every name rewrote 2,573 of 1M valid names (names.md).
    if _MOJIBAKE_CHARS_RE.search(text) and ftfy.badness.is_bad(text):
        new = unicodedata.normalize("NFC", ftfy.fix_text(text))
        fixed = new != text
        text = new
    removed = False
    if not text.isascii():
        stripped = text.translate(_CONTROL_TABLE)
        removed = stripped != text
        text = stripped
    if _CC_RE.search(text):
        text = _CC_RE.sub(" ", text)  # a stray control byte separates words at most
        removed = True
    text = _WS_RE.sub(" ", text).strip()
    return text, removed, fixed


def _strip_marks(text: str) -> str:
    """Drop combining marks that follow Latin/Greek/Cyrillic letters ("José" -> "Jose").

    Marks after other letters stay: stripping all marks breaks Devanagari (names.md).
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


@lru_cache(maxsize=1 << 16)
def _keys(name: str) -> tuple[str, str]:
    """(k_sorted, k_nospace) for a display name."""
    toks = _tokens_for_key(name)
    nospace = "".join(toks)
    # CJK names are written with or without a space between family and given name.
    if nospace and all(_is_cjk(c) for c in nospace if c.isalpha()) and any(c.isalpha() for c in nospace):
        return nospace, nospace
    return " ".join(sorted(toks)), nospace


def name_keys(name: str) -> tuple[str, str, str]:
    """(key, nospace_key, ascii_key) for a display name (what read_name stores)."""
    k, ns = _keys(name)
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


# --------------------------------------------------------------------------------------------
# Case


def _case_state(text: str) -> str:
    """ "upper", "lower", "mixed" or "none" (no cased letters: scripts without case).

    str.isupper/islower are True when every cased character is upper/lower and there is one.
    """
    if text.isupper():
        return "upper"
    if text.islower():
        return "lower"
    return "mixed" if any(ch.isupper() or ch.islower() for ch in text) else "none"


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


def _recase_organization(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        core = low.strip(".,()")
        if core in _ACRONYMS or (
            len(core) >= 2 and core.isalpha() and core.isascii() and not any(v in core for v in "aeiouy")
        ):
            out.append(w.upper())  # NHS, BDS, CND: no vowels or a known acronym
        elif i > 0 and core in _ORG_SMALL:
            out.append(low)
        elif core in ("e.v", "e.v."):
            out.append(low.replace("e.v", "e.V"))
        else:
            out.append("-".join(_cap_part(p) for p in low.split("-")))
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# Affiliation split and surname-first order


def _words(text: str) -> list[str]:
    return [w.strip(".,;:()[]'\"").casefold() for w in text.split()]


_WORD_RE = re.compile(r"\w+(?:[-']\w+)*")


def _word_set(text: str) -> set[str]:
    """Lowercase words of `text` ("Dept." -> "dept", "Co-op" -> "co-op")."""
    return set(_WORD_RE.findall(text.casefold()))


def _has_affiliation_words(text: str, whole: str = "") -> bool:
    """Does `text` (a tail of `whole`) hold title or institution words?"""
    if not _AFFILIATION_WORDS.isdisjoint(_word_set(text)):
        return True
    # an acronym ("Jane Doe, MIT") reads as an institution, unless everything is in capitals
    return _case_state(whole or text) != "upper" and any(
        w.isupper() and 2 <= len(w) <= 6 and w.isalpha() for w in (x.strip(".,;:()") for x in text.split())
    )


def _only_suffixes(text: str) -> bool:
    ws = [w for w in _words(text) if w]
    return bool(ws) and all(w in _SUFFIXES or w + "." in _SUFFIXES for w in ws)


def _looks_like_org(text: str) -> bool:
    return not _ORG_WORDS.isdisjoint(_word_set(text))


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
        if _has_affiliation_words(tail, text) and not _looks_like_org(head):
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
        if len(real_fam) == 1 and 1 <= len(giv_words) <= 3:
            name = f"{given} {family}"
            if suffixes:
                name += ", " + ", ".join(suffixes)
            return _Split(name, "", ("surname-first order",))
    return _Split(text, "", (), ("comma in name: surname first, or an affiliation?",))


# --------------------------------------------------------------------------------------------
# Checks


def _placeholder(text: str) -> bool:
    plain = text.casefold().replace("\u2019", "'")
    if plain.startswith(_COMMENT_STARTS):
        return True
    if len(text) > 40:  # longer than any placeholder in the list
        return False
    low = " ".join(_punct_to_space(plain.translate(_APOS_TABLE)).split())
    return low in _PLACEHOLDERS


def _mask_emails(text: str) -> str:
    return _EMAIL_RE.sub("[email removed]", text) if "@" in text else text


def _reject_reason(text: str) -> str:
    if not text:
        return "empty name"
    if len(text) > MAX_CHARS_REJECT:
        return f"longer than {MAX_CHARS_REJECT} characters: pasted text, not a name"
    if text[0] in "=+-@":
        return "starts with = + - or @ (spreadsheet formula injection)"
    if not _LETTER_RE.search(text):
        return "no letters"
    if "@" in text and _EMAIL_RE.search(text):
        return "email address in the name"
    if ("." in text or ":" in text) and _URL_RE.search(text):
        return "web address in the name"
    if _placeholder(text):
        return "placeholder or comment, not a name"
    return ""


def _mixed_script_token(text: str) -> bool:
    """A word mixing Latin with Cyrillic or Greek letters: a lookalike-letter trick."""
    if text.isascii() or not _GREEK_CYR_RE.search(text):
        return False
    return any(_LATIN_RE.search(w) and _GREEK_CYR_RE.search(w) for w in text.split())


def _has_emoji(text: str) -> bool:
    return not text.isascii() and _SYMBOL_RE.search(text) is not None


def _holds(
    display: str, key: str, nospace: str, kind: str, kind_answered: bool, watchlist: Watchlist
) -> list[str]:
    holds: list[str] = []
    listed = watchlist.find(key, nospace)
    if listed:
        holds.append(f"watch list: looks like {listed}")
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
    """("organization"|"individual", answered?) from the form's "Signing as" answer."""
    from sync.kind_answer import kind_from_answer

    return kind_from_answer(answer)


# --------------------------------------------------------------------------------------------
# read_name


def read_name(
    name_raw: str,
    affiliation_raw: str = "",
    kind_answer: str = "",
    watchlist: Watchlist | None = None,
) -> NameReading:
    """Clean one typed name (and its affiliation and "Signing as" answer) into a NameReading.

    `watchlist` None means the shipped default list; pass `make_watchlist(())` for none.
    """
    wl = watchlist if watchlist is not None else _default_watchlist()
    return _read_name_cached(name_raw, affiliation_raw, kind_answer, wl)


@lru_cache(maxsize=1 << 17)  # repeated submissions and reruns; ~64 MB when full
def _read_name_cached(name_raw: str, affiliation_raw: str, kind_answer: str, wl: Watchlist) -> NameReading:
    flags: list[str] = []
    holds: list[str] = []
    text, removed, fixed = clean_text(name_raw)
    aff_text, aff_removed, aff_fixed = clean_text(affiliation_raw)
    if removed or aff_removed:
        flags.append("controls removed")
        holds.append("controls removed")
    if fixed or aff_fixed:
        flags.append("mojibake fixed")
    # No raw email address may be stored or published (design.md): mask any in the derived
    # texts. `raw` keeps what was typed; callers store `display` for the audit trail.
    if "@" in aff_text and _EMAIL_RE.search(aff_text):
        aff_text = _mask_emails(aff_text)
        flags.append("email removed from affiliation")
        holds.append("email in the affiliation")
    kind, answered = _kind_from_answer(kind_answer)

    reject = _reject_reason(text)
    if reject:
        return NameReading(
            name_raw, _mask_emails(text), aff_text, kind, tuple(flags), tuple(holds), reject, "", "", ""
        )

    # Affiliation typed into the name field (individuals only: an organization's name may
    # well contain commas and dashes).
    name = text
    affiliation = aff_text
    if kind == "individual" and _SEPARATOR_RE.search(text) and not _looks_like_org_name_whole(text):
        split = _split_name(text)
        name = split.name
        flags.extend(split.flags)
        holds.extend(split.hold)
        if split.affiliation:
            if not aff_text:
                affiliation = split.affiliation
            elif affiliation_key(split.affiliation) not in affiliation_key(aff_text):
                # never drop what was typed: keep both, the name-field part first
                affiliation = f"{split.affiliation}, {aff_text}"

    state = _case_state(name)
    if state in ("upper", "lower") and sum(ch.isalpha() for ch in name) > 1:
        recased = _recase_organization(name) if kind == "organization" else _recase_individual(name)
        if recased != name:
            name = recased
            flags.append("auto-cased")
    # Affiliations: only shouted ones are recased ("UNIVERSITY OF BATH"); a single capitalized
    # word is likely an acronym ("UNICEF", "MIT"), and lowercase may be deliberate.
    if affiliation and _case_state(affiliation) == "upper" and len(affiliation.split()) > 1:
        new_aff = _recase_organization(affiliation)
        if new_aff != affiliation:
            affiliation = new_aff
            flags.append("affiliation auto-cased")

    key, nospace = _keys(name)
    if not key:
        return NameReading(
            name_raw,
            name,
            affiliation,
            kind,
            tuple(flags),
            tuple(holds),
            "no name left after titles",
            "",
            "",
            "",
        )
    holds.extend(_holds(name, key, nospace, kind, answered, wl))
    if kind == "individual" and answered and _looks_like_org(name):
        flags.append("organization words, but signed as an individual")
    return NameReading(
        raw=name_raw,
        display=name,
        affiliation=affiliation,
        kind=kind,
        flags=tuple(dict.fromkeys(flags)),
        hold=tuple(dict.fromkeys(holds)),
        reject="",
        key=key,
        nospace_key=nospace,
        ascii_key=_ascii_key(key),
    )


_SEPARATOR_RE = re.compile(r"[,(\[|]|\s[-\u2013\u2014]\s")  # where an affiliation may start


def _looks_like_org_name_whole(text: str) -> bool:
    """The name field before any comma/dash/bar/parenthesis names an organization."""
    return _looks_like_org(_SEPARATOR_RE.split(text, maxsplit=1)[0])


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
