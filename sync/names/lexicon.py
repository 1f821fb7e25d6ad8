"""Character classes, word lists and shipped data files used by the names engine."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

# --------------------------------------------------------------------------------------------
# Character classes

# Invisible and bidi controls to remove. ZWNJ U+200C and ZWJ U+200D are NOT here:
# Persian and Indic names need them.
_CONTROLS = (
    {0x200B, 0x200E, 0x200F, 0xFEFF, 0x00AD, 0x061C, 0x180E, 0x034F}
    | set(range(0x202A, 0x202F))
    | set(range(0x2060, 0x2070))
    | set(range(0xE0000, 0xE0080))
)
_CONTROL_TABLE = {cp: None for cp in _CONTROLS}
# Of those, the ones that can reorder or hide text: bidi embeddings, overrides and isolates, and
# tag characters. An entry with these is held; other invisible characters are only removed.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")
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


def _literal_words(text: str) -> frozenset[str]:
    """A word list written as one white-space separated string, as a set (keeps long lists
    readable)."""
    return frozenset(text.split())


_TITLES = _literal_words(
    "dr dr. doctor prof prof. professor mr mr. mrs mrs. ms ms. mx mx. miss sir dame rev rev. "
    "revd reverend fr fr. hon hon. rt rt. dott dott. dra dra. ing ing. mag mag. pr pr. "
    "sr. sra sra. srta"
)
# Only unambiguous post-nominals: "Ma" and "Ba" are surnames, so MA/BA are not removed.
_SUFFIXES = _literal_words(
    "jr jr. sr snr jnr ii iii iv phd ph.d ph.d. md m.d. esq esq. msc bsc mba dphil obe mbe "
    "cbe frs qc kc mp mep"
)
# Particles written in lowercase inside a name ("Ludwig van der Berg", "Alfred de Zayas").
_PARTICLES = _literal_words(
    "van von der den de del della degli dei di da das dos do du des ten ter te zu zum "
    "zur vom y e bin binti ibn bint af av het 't wa"
)
# Only after another particle: French "Le Pen" keeps its capital; Spanish "de la Fuente" not.
_AFTER_PARTICLE = _literal_words("la las los le les lo")
# Vietnamese names are family-first and "Van"/"Thi" are middle names, not particles.
_VIETNAMESE_FAMILY = _literal_words(
    "nguyen nguyễn tran trần le lê pham phạm hoang hoàng huynh huỳnh phan vu vũ vo võ dang "
    "đặng bui bùi do đỗ ho hồ ngo ngô duong dương ly lý"
)
# Scottish/Irish Mac names; others ("Machado", "Mack", "Macy") are not Mac+Name.
_MAC_NAMES = _literal_words(
    "macdonald macleod mackenzie macmillan macarthur macintyre macgregor macneil maclean "
    "macfarlane macaulay macpherson macdougall mackay mackinnon maclachlan macrae macqueen "
    "maccallum macdowell macbride maccormack macewan macinnes maclaren macnamara macneill "
    "macgowan macbeth"
)
_ORG_SMALL = _literal_words(
    "of the and for in on at to a an by with de des du la le les et für und der die das y e "
    "per del della di da dos do van von"
)
_ACRONYMS = _literal_words(
    "uk us usa eu un nhs ngo ngos lgbt lgbtq lgbtqi lgbtqia bds cnd tuc ucu nut neu rmt cwu "
    "gmb pcs seiu aclu naacp anc jvp ifj nupge cupe afl cio uaw awu bbc itv ucl lse mit "
    "ucla nyu cuny suny eth epfl kth"
)
# Words that make a name look like an organization (hold unless the form said so) and that
# make a tail after a comma/dash/bar/parenthesis look like an affiliation.
# Words that are also surnames or given names (Church, Temple, Branch, Dean, Red) or look like
# initials (S.A., B.V., E.V.) are left out: they would hold real people's names.
_ORG_WORDS = _literal_words(
    """university universität universite université universidad universidade università
    universiteit uni college school institute institut instituto istituto academy akademie
    hospital clinic department dept faculty center centre centro foundation fondation
    stiftung fundación fundação fondazione union unión gewerkschaft syndicat sindicato
    association associação asociación associazione verein society sociedad société council
    committee comité comitato coalition network netzwerk réseau party partei parti
    partido partito mosque synagogue ltd inc llc llp gmbh plc trust magazine journal
    newspaper review media news laboratory lab group gruppe campaign movement alliance
    federation federación league collective kollektiv cooperative co-op coop ministry
    government parliament assembly museum library labour labor organization organisation
    organización organizzazione organisatie initiative forum project projekt office agency
    company corporation corp bureau caucus club friends solidarity international
    internacional internationale"""
)
_TITLE_WORDS = _literal_words(
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
    actor actress director producer designer developer contributor maintainer creator
    committer programmer administrator owner"""
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
    # the hand list, and the many languages' words of the LDNOOBW lists (tools/build_profanity.py)
    listed = _data_lines("profanity.txt") + _data_lines("profanity_world.txt")
    return frozenset(w.casefold() for w in listed) - allowed
