"""Well-known people from public data: is this name a famous person's, and is it rare enough to say so?

sync/data/notable.txt.gz (built by tools/build_notable.py from Wikidata person labels, the CIA
World Factbook's heads of state and government since 2014 and the World Cup line-ups 1930-2022,
all CC0) lists some 45,000 people with their names in other scripts and precomputed matching keys.
A name read from a form is compared in ASCII (anyascii), word order ignored, hyphens and
apostrophes joined: "Владимир Путин", "Putin Vladimir", "PUTIN, Vladimir" and "习近平" = "Xi Jinping"
all share a key. A middle name or patronymic may be added or dropped ("Vladimir Vladimirovich
Putin", "Путин Владимир Владимирович"), particles aside; any two words of a head of state's full
name match. A name in a script the data has no spelling in (Devanagari, Bengali, Georgian...) is
looked up by its consonants by sound and checked word by word (`sound_key`, `_alike`). The file is
read on the first name that needs it (not by `signsync --version`), and a lookup is a few dict
probes.

Namesakes exist: a famous name made only of very common names ("John Smith", "David Silva",
"Wang Wei") is not held; `_THRESHOLD` weighs how known the person is against how common the name
is (the product of its words' best ranks as names, sync/data/name_ranks.txt.gz).
"""

from __future__ import annotations

import gzip
import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from sync.support.built import FrozenMap, IntMap, built_buffer, data_identity, int_items, write_map

UNRANKED = 1_000_000  # rank given to a word that is no common name anywhere
# fame -> the commonness (product of the words' name ranks) a name must exceed to be held:
# a head of state or government (fame 3) is held unless the name is among the commonest ("Michael
# Higgins" 73: held; "Pedro Sánchez" 5: not); a name known to the Hebrew and the Korean Wikipedia
# or a country's executive (fame 2) is held unless its words are all among the most common names
# ("Robert Lewandowski" 280, "David Silva" 1: not held; "Taylor Swift" 5 x 512 = 2,560:
# held); a name known to one of them only (fame 1: mostly known in its own country) only when it
# is rare (tools/build_notable.py lists a name known to the Hebrew Wikipedia only when no word of
# it is a common name anywhere: Israel's public figures sign real letters).
_THRESHOLD = {3: 50, 2: 1_000, 1: 200_000}
_JOIN = str.maketrans("", "", "'’ʼ`´")  # "Donal'd" -> "donald", "Thiong'o" -> "thiongo"
_NON_ALNUM_RE = re.compile(r"[^a-z0-9-]+")
_FOLDS = (
    ("tsch", "ch"),
    ("dj", "d"),
    ("sch", "sh"),
    ("kh", "h"),
    ("ck", "k"),
    ("ph", "f"),
    ("x", "ks"),
    ("y", "i"),
    ("w", "v"),
)
_DOUBLE_RE = re.compile(r"([a-z])\1+")
# a y (folded to i) between vowels, written by some and not by others: "Tokayev" / "Токаев"
# (tokaev), "Nazarbayev" / "Назарбаев", "Nikolayev" / "Николаев"
_GLIDE_RE = re.compile(r"(?<=[aeiou])i(?=[aeiou])")
# regnal numbers and suffixes ("xi" and "vi" are names: Xi Jinping)
_NUMERAL_RE = re.compile(r"i{2,3}|iv|vi{2,3}|ix|xi{2,3}|xiv|xvi{0,3}|xix|xxi*|\d+")
_WORD_RE = re.compile(r"[^\w-]+|[\d_]+")  # ranks are looked up as written (as "כהן", not "khn")
# a patronymic typed after the given name ("Путин Владимир Владимирович")
# a patronymic typed after the given name ("Путин Владимир Владимирович")
_PATRONYMIC_RE = re.compile(
    r"(?:ovich|evich|ovych|ievich|yevich|ich|ovna|evna|ivna|ichna|oglu|ogly|kyzy|qizi)$"
)
# The fame a person needs to be found by any two words of a longer name: a head of state's
# own surnames and dynasty ("Mohammed bin Salman Al Saud"); others' names are given to children
# ("Victor Hugo Paz", "Søren Kierkegaard Jensen" are their own people), so for them the words
# left out must be rare (`_RARE_EXTRA`) and the words matched uncommon by themselves.
_SUBSET_FAME = 3
# ... or words left out that are rare as names: a second surname of a full legal name
_RARE_EXTRA = 500
# particles inside names, in their ASCII forms ("bin", "al", "van", "de"): left out of some keys
_PARTICLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "al el bin binti bint ibn abu ould ag van von der den de del della di da das dos do du des "
        "ten ter zu vom af av wa la le ap ab",
    )
)


def notable_words(text: str) -> tuple[str, ...]:
    """The words of `text` in lowercase ASCII (anyascii), apostrophes dropped, hyphenated parts
    joined ("Kim Jong-un" -> kim, jongun; "唐纳德·特朗普" -> tangnadetelangpu), initials and
    numerals left out ("John Helmert III" is not King John III), spellings folded (`_fold`)."""
    words: tuple[str, ...] = ()
    for token in text.split():
        words += _token_words(token)
    return words


@lru_cache(maxsize=1 << 16)  # names share their words: each is read once
def _token_words(token: str) -> tuple[str, ...]:
    flat = (token if token.isascii() else anyascii(token)).lower().translate(_JOIN)
    kept = [
        w.replace("-", "")
        for w in _NON_ALNUM_RE.sub(" ", flat).split()
        if len(w.strip("-")) > 1 and not _NUMERAL_RE.fullmatch(w)
    ]
    return tuple(_fold(" ".join(kept)).split())


def _fold(word: str) -> str:
    """One spelling for the ways a name is put in Latin letters (words joined by spaces):
    "Zelenskyy", "Zelens'kyi" and "Zelenskiy" -> "zelenski"; "Klitschko" and "Klychko" ->
    "klichko"; "Volodymyr" and "Volodimir" -> "volodimir"; "Djokovic" and "Đoković" -> "dokovic"
    (y/i, w/v, x/ks, kh/h, German tsch/sch, dj/đ, doubled letters)."""
    for a, b in _FOLDS:
        if a in word:
            word = word.replace(a, b)
    if _DOUBLE_RE.search(word):
        word = _DOUBLE_RE.sub(r"\1", word)
    return _GLIDE_RE.sub("", word) if "i" in word else word


def index_keys(
    words: tuple[str, ...], nospace: bool = True, pair: bool = True, sound: bool = False
) -> list[str]:
    """The keys a listed name is found by: its words in sorted order, also without particles
    ("Mohammad bin Salman" = "Mohammad Salman"); with `pair`, its first and last word
    ('~'-prefixed: a middle name left out, "George Walker Bush" -> "George Bush"); with
    `nospace`, its letters without spaces ('#'-prefixed: "习近平" reads "XiJinPing"); with
    `sound`, its consonants by sound ('%'-prefixed, `sound_key`: what a name typed in another
    script is looked up by)."""
    if not words:
        return []
    keys = [" ".join(sorted(words))]
    bare = _without_particles(words)
    if len(bare) >= 2 and len(bare) < len(words):
        keys.append(" ".join(sorted(bare)))
    if pair and len(words) >= 3:
        keys.append("~" + " ".join(sorted((words[0], words[-1]))))
    if nospace and len(words) >= 2:
        keys.append("#" + "".join(words))
    if sound and (found := sound_key(bare)):
        keys.append(found)
    return keys


def _without_particles(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words less "bin", "al", "de", "van"... (kept when nothing else would be left)."""
    kept = tuple(w for w in words if w not in _PARTICLE_WORDS)
    return kept if kept else words


# Consonants by sound, for a name typed in another script: spellings of one sound in the Latin
# readings of different scripts first ("ch", "sh", "zh", "ts", "j" hiss; "kh", "gh" are k; "th",
# "dh" are t; "ph" is f), then letters by class, then no vowels, h or repeats: "Zourabichvili",
# "ზურაბიშვილი" (zurabishvili) and "Зурабишвили" all read "srpspl".
_SOUND_PAIRS = (
    ("ng", "n"),
    ("ph", "f"),
    ("ck", "k"),
    ("ch", "s"),
    ("sh", "s"),
    ("zh", "s"),
    ("kh", "k"),
    ("gh", "k"),
    ("th", "t"),
    ("dh", "t"),
    ("ts", "s"),
    ("tz", "s"),
    ("dz", "s"),
)
_SOUND_CLASSES = str.maketrans("bfvwgqxdzcjy", "ppppkkktsssi", "aeiouh")
_MIN_SOUNDS = 3  # consonants a sound key needs: fewer meet too many other names


@lru_cache(maxsize=1 << 14)
def _sound(word: str) -> str:
    """A word's consonants by sound class (`_SOUND_PAIRS`, `_SOUND_CLASSES`), repeats as one."""
    for pair, one in _SOUND_PAIRS:
        if pair in word:
            word = word.replace(pair, one)
    return _DOUBLE_RE.sub(r"\1", word.translate(_SOUND_CLASSES))


def sound_key(words: tuple[str, ...]) -> str:
    """A two- to four-word name's consonants by sound class, words sorted ('%'-prefixed), or ''
    when the name is too short to tell ("Sanna Marin" and "Sean Moran" share "sn mrn": such
    keys are only looked up for a name typed in another script, and weighed by how common the
    listed name is)."""
    if not 2 <= len(words) <= 4:
        return ""
    sounds = [_sound(word) for word in words]
    if not all(sounds) or sum(map(len, sounds)) < _MIN_SOUNDS:
        return ""
    return "%" + " ".join(sorted(sounds))


def would_hold(fame: int, commonness: int) -> bool:
    """Is a person this known, with a name this common, worth holding a namesake for?"""
    return commonness > _THRESHOLD.get(fame, UNRANKED**2)


def _probe_keys(words: tuple[str, ...]) -> list[tuple[str, bool]]:
    """The keys a typed name is looked up by, each with whether it leaves a word out that is
    not a middle name: as written in any order (also against a listed name's first and last
    word), without spaces, particles aside, with a middle name or a patronymic left out
    ("Vladimir Vladimirovich Putin", "Putin Vladimir Vladimirovich"), and any two of three or
    four words ("Imran Ahmed Khan Niazi", "Mohammed bin Salman Al Saud": `_SUBSET_FAME`)."""
    full = " ".join(sorted(words))
    keys = [(full, False), ("#" + "".join(words), False)]
    if len(words) == 2:  # a listed longer name's first and last word
        keys.append(("~" + full, False))
    bare = _without_particles(words)
    if len(bare) < len(words) and len(bare) >= 2:
        keys.append((" ".join(sorted(bare)), False))
    if 3 <= len(bare) <= 4:
        ends = " ".join(sorted((bare[0], bare[-1])))
        keys.append((ends, False))
        if _PATRONYMIC_RE.search(bare[-1]):
            keys.append((" ".join(sorted(bare[:2])), False))
        keys.extend(
            (two, True)
            for two in dict.fromkeys(" ".join(sorted(p)) for p in itertools.combinations(bare, 2))
            if two != ends
        )
    return keys


# letters of a given name a short form keeps ("Sam" of Samuel, "Chris" of Christopher)
SHORT = 3


def short_key(short: str, surname: str) -> str:
    """The key a head of state or government is found by under a short form of one of his names
    and another of his names ("Sam Matekane": Samuel Matekane): the short form's first `SHORT`
    letters ('^'-prefixed); `_by_short_form` checks that it is a beginning of the listed name."""
    return f"^{short[:SHORT]} {surname}"


def _by_short_form(name: str, words: tuple[str, ...]) -> tuple[str, int]:
    """`_lookup` of a two-word name one of whose words is the beginning of a head of state's or
    government's own name ("Sam Matekane", "Alex Stubb", "Chris Hipkins")."""
    if len(words) != 2:
        return "", 0
    index, names, fames = _table()
    for short, other in (words, words[::-1]):
        person = index.get(short_key(short, other)) if len(short) >= SHORT else None
        if person is None or fames[person] < _SUBSET_FAME:
            continue
        listed = notable_words(names[person])
        if (
            other in listed
            and any(w.startswith(short) and w != short for w in listed)
            and would_hold(fames[person], commonness(name))
        ):
            return names[person], fames[person]
    return "", 0


def commonness(text: str) -> int:
    """How common a name is: the product of its words' best ranks as given names or surnames in
    any country (sync/data/name_ranks.txt.gz), particles and initials left out; a hyphenated
    word counts as common when both parts are ("Min-ho")."""
    from sync.names.judgement import _name_rank  # the names engine's ranks (loaded on first use)
    from sync.names.lexicon import _PARTICLES

    product = 1
    for word in _WORD_RE.sub(" ", text.casefold().translate(_JOIN)).split():
        parts = [p for p in word.split("-") if p]
        if not parts or word in _PARTICLES or len(word) < 2:
            continue
        rank = min(_name_rank(word.replace("-", "")), _name_rank(word))
        if len(parts) > 1:
            rank = min(rank, max(_name_rank(p) for p in parts))
        product *= min(rank, UNRANKED)
    return min(product, UNRANKED**2)


@lru_cache(maxsize=1)
def _table() -> tuple[IntMap, _People, _People]:
    """key -> person, and the persons' names and fame. Built once per machine into the cache
    folder (parsing the file takes ~1 s), then looked up in place (sync/support/built.py).

    The file lists only people worth holding a namesake for (`would_hold`, applied by the
    build); where two share a key, the better known (listed first) keeps it."""

    def items() -> Iterator[tuple[str, bytes]]:
        index, names, fames = _read_table()
        yield from int_items(index.items())
        for person, (name, fame) in enumerate(zip(names, fames, strict=True)):
            yield f"\0{person}", f"{fame}\t{name}".encode()

    buffer = built_buffer(
        "notable", data_identity("notable.txt.gz", code="sync.names"), lambda fh: write_map(fh, items())
    )
    people = FrozenMap(buffer)
    return IntMap(people), _People(people, 1), _People(people, 0)


class _People:
    """One column (0: fame, 1: name) of the persons of the built table, by person number."""

    __slots__ = ("_column", "_people")

    def __init__(self, people: FrozenMap, column: int) -> None:
        self._people = people
        self._column = column

    def __getitem__(self, person: int) -> Any:
        record = self._people.get(f"\0{person}", b"").decode().split("\t", 1)
        return record[1] if self._column else int(record[0])


def _read_table() -> tuple[dict[str, int], tuple[str, ...], tuple[int, ...]]:
    """The table as _table describes it, from sync/data/notable.txt.gz."""
    raw = resources.files("sync").joinpath("data", "notable.txt.gz").read_bytes()
    lines = [ln for ln in gzip.decompress(raw).decode("utf-8").split("\n") if ln and ln[0] != "#"]
    index: dict[str, int] = {}
    names: list[str] = []
    fames: list[int] = []
    for person, line in enumerate(reversed(lines)):  # the first listed is written last: it wins
        head, _, keys = line.rpartition("\t")
        fame, _, rest = head.partition("\t")
        names.append(rest.split("\t", 2)[1])
        fames.append(int(fame))
        index.update(dict.fromkeys(keys.split("|"), person))
    return index, tuple(names), tuple(fames)


def notable_person(name: str) -> str:
    """The well-known person `name` is written like, when the name as typed is rare enough for
    that to mean something (a Hebrew or Arabic spelling without vowels can meet a common name:
    "דוד כהן" is David Cohen, not Dawid Kahane); else ''."""
    return _lookup(name)[0]


def _lookup(name: str, words: tuple[str, ...] | None = None, whole: bool = False) -> tuple[str, int]:
    """`notable_person`, with the person's fame (0 when none); `words`: `notable_words(name)`;
    `whole`: the name must be all of the text (an affiliation: "Nelson Mandela Foundation").

    A name typed in another script than Latin (Devanagari, Bengali, Georgian, Cyrillic...) is also
    read by ICU (which writes Indic inherent vowels) and looked up by its consonants
    (`sound_key`), then compared letter by letter with the listed name; such a match is weighed
    by how common the listed name is, since ranks of names as written in most scripts are few."""
    words = notable_words(name) if words is None else words
    if not words or len(words) > 6:
        return "", 0
    index, names, fames = _table()
    rare = -1  # commonness(name), worked out on the first match
    for key, subset in _probe_keys(words):
        person = index.get(key)
        if person is None:
            continue
        fame = fames[person]
        if rare < 0:
            rare = commonness(name)
        if subset and (whole or fame < _SUBSET_FAME):
            if not whole and _rare_extra(name, key, fame):
                return names[person], fame
        elif would_hold(fame, rare):
            return names[person], fame
    if not whole and (found := _by_short_form(name, words))[0]:
        return found
    if "ё" in name or "Ё" in name:  # "Мирзиёев" is Mirziyoyev (anyascii reads ё as e: Gorbachev)
        found = _lookup(name.replace("ё", "йо").replace("Ё", "Йо"), None, whole)
        if found[0]:
            return found
    if name.isascii() or _script(name) in _NO_SOUNDS:
        return "", 0  # Latin: "José Rodríguez" is not "Jesé Rodríguez"
    return _by_sound(name, words)


def _by_sound(name: str, words: tuple[str, ...]) -> tuple[str, int]:
    """`_lookup` by the consonants of a name typed in another script than Latin."""
    index, names, fames = _table()
    for reading in _readings(name, words):
        person = index.get(sound_key(_without_particles(reading)) or "\0")
        if person is None or not would_hold(fames[person], commonness(names[person])):
            continue
        if _alike(_without_particles(reading), _without_particles(notable_words(names[person]))):
            return names[person], fames[person]
    return "", 0


def _alike(reading: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """Are a reading and a listed name that share a sound key one name: alike as a whole
    (`_SOUND_RATIO`) and word by word (`_WORD_RATIO`: "kozlov" is not "kiselev", though both
    sound "kslp" and "vladimir" makes the wholes alike)?"""
    if fuzz.ratio(" ".join(sorted(reading)), " ".join(sorted(listed))) < _SOUND_RATIO:
        return False
    by_sound = {_sound(w): w for w in listed}
    return all(fuzz.ratio(w, by_sound.get(_sound(w), "")) >= _WORD_RATIO for w in reading)


# Scripts the name ranks (sync/data/name_ranks.txt.gz) have many names in
_RANKED_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
# Scripts not looked up by sound: Latin, Cyrillic, Greek and Armenian (read letter for letter by
# anyascii and compared as spelled: "Владимир Мишаков" is not Vladimir Mashkov), Han and kana
# (read as pinyin), Hangul (Korean labels are listed as written)
_NO_SOUNDS = frozenset(
    {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "", "CJK", "HIRAGANA", "KATAKANA", "HANGUL"}
)
# how alike (rapidfuzz ratio) a reading and the listed name meeting under one sound key must be:
# "gagana thapa" / "gagan thapa" are one name, "jebunnesa aphroj" / "baruch spinoza" two
_SOUND_RATIO = 80
_WORD_RATIO = 60  # "seha" / "sheih" (Bengali শেখ, Sheikh) 67; "barakin" / "parygin" 57


def _script(text: str) -> str:
    """The Unicode script name's first word of the text's first letter ("DEVANAGARI", "CJK")."""
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "UNKNOWN").split()[0]
    return ""


def _rare_extra(name: str, key: str, fame: int) -> bool:
    """Is `name` a less known person's (fame below `_SUBSET_FAME`) under the two-word `key`
    with rare words added ("Cristiano Ronaldo dos Santos Aveiro"), not a name of its own
    ("Victor Hugo Paz")?"""
    if _script(name) not in _RANKED_SCRIPTS:
        return False  # ranks of names as written in other scripts are few
    kept, left = _split_typed(name, frozenset(key.split()))
    return commonness(left) >= _RARE_EXTRA and would_hold(fame, commonness(kept))


def _split_typed(name: str, kept: frozenset[str]) -> tuple[str, str]:
    """The typed words of `name` whose `notable_words` are in `kept`, and the others."""
    mine: list[str] = []
    others: list[str] = []
    for token in name.split():
        (mine if kept.intersection(_token_words(token)) else others).append(token)
    return " ".join(mine), " ".join(others)


# Indic nasal signs (candrabindu, anusvara, Gurmukhi tippi): ICU leaves some out ("ਭਗਵੰਤ" "bhagavata")
_NASALS = str.maketrans(
    dict.fromkeys(
        "\u0901\u0902\u0981\u0982\u0a01\u0a02\u0a70\u0a81\u0a82\u0b01\u0b02\u0b82\u0c02\u0c82\u0d02", "n"
    )
)


# Scripts whose vowels anyascii leaves out ("नरेन्द्र" "nrendr", Yiddish "פּאַטינקין"): ICU
# reads them too
_ICU_SCRIPTS = frozenset(
    re.findall(
        r"\S+",
        "DEVANAGARI BENGALI GURMUKHI GUJARATI ORIYA TAMIL TELUGU KANNADA MALAYALAM THAANA HEBREW "
        "MYANMAR ARMENIAN",
    )
)


def _readings(name: str, words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """A name in another script than Latin read in Latin letters: anyascii's words, and ICU's
    where anyascii leaves vowels out."""
    if _script(name) not in _ICU_SCRIPTS:
        return (words,)
    from sync.names.judgement import _to_latin  # the reader's own (made once: ~50 ms)

    icu_words = notable_words(_to_latin().transliterate(name.translate(_NASALS)))
    return (words, icu_words) if icu_words != words else (words,)


# Offices of heads of state and government, as an affiliation: bait more often than an employer
# ("Jane Doe, The White House"). The whole affiliation must be the office, so "Kremlin-Bicêtre
# hospital" or "White House Farm Café" are not.
_SEATS_OF_POWER = (
    "White House; Executive Office of the President; Office of the Prime "
    "Minister; Prime Minister's Office; Kremlin; Moscow Kremlin; Кремль; Администрация Президента; "
    "Elysée; Palais de l'Élysée; Présidence de la République; Matignon; Downing Street; 10 Downing "
    "Street; Buckingham Palace; Bundeskanzleramt; Bundespräsidialamt; Vatican; Holy See; Palazzo "
    "Chigi; Quirinale; Palacio de la Moncloa; Moncloa; Casa Rosada; Palácio do Planalto; Planalto; "
    "Rashtrapati Bhavan; Zhongnanhai; 中南海; Blue House; 청와대; 대통령실; Kantei; 首相官邸"
)


@lru_cache(maxsize=1)
def _seats() -> frozenset[str]:
    return frozenset(" ".join(w for w in notable_words(s) if w != "the") for s in _SEATS_OF_POWER.split(";"))


def notable_affiliation(affiliation: str) -> str:
    """Why an affiliation looks like bait: a well-known person's name or a head of state's office
    typed as the affiliation ("Elon Musk", "The White House", "Кремль"); else ''."""
    if affiliation.count(" ") > 7:
        return ""  # a long affiliation is neither an office nor a person's name
    words = notable_words(affiliation)
    if not words:
        return ""
    if " ".join(w for w in words if w != "the") in _seats():
        return f"affiliation is a head of state's or government's office ({affiliation}): verify"
    if 2 <= len(words) <= 4:
        person, fame = _lookup(affiliation, words, whole=True)
        if person and fame == 2:  # not "Morning Star", a newspaper (and a wrestler)
            return f"affiliation is a well-known person's name ({person}): verify"
    return ""
