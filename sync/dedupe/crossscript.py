"""The same name written in two scripts ("Armen Rustamyan" / "Արմեն Ռուստամյան", "Reza Hosseini" /
"رضا حسینی", "Hwang Ju-hong" / "황주홍"): keys under which the two meet, and the check that they
are one name, not two names that only share their consonants.

A name in another script is read in Latin letters twice, by anyascii and by ICU (each gets some
scripts better: ICU knows Bengali's inherent vowels, anyascii Sinhala and Burmese), after fixing
what both get wrong for names: an Indic nasal sign (anusvara, tippi) is "n" ("सिंह" "Singh", not
"simh"), and Persian, Urdu and Uyghur pronounce ض ذ ظ as "z" ("رضا" is "Reza"). Scripts that
write no short vowels (Arabic, Hebrew) get more readings: their w/v/y letters taken as vowels
(و in "محمود", ו in "גרוסמן"), and w as the consonant v (و in "پروانه", Parvaneh).

Keys (`cross_keys`) are the words' consonants by sound class: blocking only. Two names meeting
under one must then pass `same_across_scripts`, word by word, vowels compared too where the
script writes them: "Łukasz Nowak" and "Алексей Шевченко" share the consonants "l k s n k" but
not one word, and are two people.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

import icu
from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

_ABJADS = frozenset({"ARABIC", "HEBREW", "SYRIAC"})
# Scripts where ICU's reading finds what anyascii's misses (Indic inherent vowels: "ਅਮਰਜੀਤ"
# "amarajita"; Hebrew ב as b; Chinese syllables apart; Burmese, Thaana; Armenian ու as "u",
# not anyascii's "ow"). Elsewhere anyascii
# reads names as they are spelled in Latin ("Δημήτρης" "dimitris", not ICU's "demetres"), and
# ICU's compound transliterator is slow (~0.1 ms a name).
_ICU_SCRIPTS = "DEVANAGARI BENGALI GURMUKHI GUJARATI ORIYA TAMIL TELUGU KANNADA MALAYALAM"
_ICU_SCRIPTS += " HEBREW CJK MYANMAR THAANA ARMENIAN"
_ICU_HELPS = frozenset(_ICU_SCRIPTS.split())
# Indic nasal signs (anusvara, Gurmukhi tippi and bindi, candrabindu): "n" before the next consonant
_NASALS_RE = re.compile(
    "[\u0901\u0902\u0981\u0982\u0a01\u0a02\u0a70\u0a81\u0a82\u0b01\u0b02\u0b82"
    "\u0c01\u0c02\u0c81\u0c82\u0d02\u0d82\u1036\u17c6]"
)
# Letters only Persian, Urdu, Pashto, Kurdish and Uyghur write: where they are, ض ذ ظ are "z"
_PERSIANATE_RE = re.compile(
    "[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06d0\u06d5\u06be\u0649\u06c7\u06c6\u06c8]"
)
_PERSIAN_Z = str.maketrans({"\u0636": "\u0632", "\u0630": "\u0632", "\u0638": "\u0632"})
_NOT_WORD_RE = re.compile(r"[^a-z ]+")
_VOWELISH_RE = re.compile(r"[wvy]")
_MAX_SUBSETS = 4  # words past which a name's word-by-word variants and two-word keys are not made


@lru_cache(maxsize=1)
def _icu_latin() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


@lru_cache(maxsize=1 << 16)
def script_of(key: str) -> str:
    """The script of a key's first letter ("LATIN", "CYRILLIC", "CJK", "HANGUL", "KANA"...)."""
    for ch in key:
        if ch.isalpha():
            if ch.isascii():
                return "LATIN"
            first = unicodedata.name(ch, "UNKNOWN").split()[0]
            return "KANA" if first in ("HIRAGANA", "KATAKANA") else first
    return ""


def _words(text: str) -> tuple[str, ...]:
    return tuple(_NOT_WORD_RE.sub(" ", text.replace("'", "").replace("`", "")).split())


def _vowelless(word: str) -> str:
    stripped = _VOWELISH_RE.sub("", word)
    return stripped if len(stripped) >= 2 else word


@lru_cache(maxsize=1 << 16)
def romanizations(key: str) -> tuple[tuple[str, ...], ...]:
    """A matching key's words in lower-case ASCII, one tuple per reading (one for Latin keys)."""
    if key.isascii():
        return (_words(key),)
    script = script_of(key)
    if script == "LATIN" or not script:
        return (_words(anyascii(key).lower()),)
    text = _NASALS_RE.sub("n", key)
    if script == "ARABIC" and _PERSIANATE_RE.search(text):
        text = text.translate(_PERSIAN_Z)
    out: list[tuple[str, ...]] = []
    readings = [anyascii(text).lower()]
    if script in _ICU_HELPS:
        readings.append(_icu_latin().transliterate(text))
    for reading in readings:
        words = _words(reading)
        if words and words not in out:
            out.append(words)
        if script in _ABJADS and len(words) <= _MAX_SUBSETS:
            # each word's w/v/y letters as vowels, or its w as the consonant "v"
            # (never down to one letter: that would read as an initial)
            choices = [dict.fromkeys((_vowelless(x), x.replace("w", "v"))) for x in words]
            for variant in itertools.product(*choices):
                kept = tuple(x for x in variant if x)
                if kept and kept not in out:
                    out.append(kept)
    return tuple(out)


# Spellings of one sound in the Latin transliterations of different scripts, replaced in this
# order: "ph" (ফ) is "f", "ch"/"sh"/"zh"/"ts"/"tz"/"dz"/"j" (Ч, Ш, Ц, ც, ச, ж, ج, জ) are hissing
# sounds, "kh"/"gh"/"ck" one k, "th"/"dh" one t, and first "ng"/"gn"/"ny" one "n" ("desalegn"/
# "desaleny", "singh"/"sinh");
# "w" after a consonant is a glide ("hwang"/"huang")
_DIGRAPHS = (
    ("ng", "n"),
    ("gn", "n"),
    ("ny", "n"),
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
_GLIDE_RE = re.compile(r"(?<=[^aeiouy])w")
_SOUND_CLASSES = str.maketrans("bfvwgqxdzcjy", "ppppkkktsssi")
_NO_VOWELS = str.maketrans("", "", "aeiouh")
_REPEATS_RE = re.compile(r"(.)\1+")


def _collapse(word: str) -> str:
    """Repeated letters as one ("hosseini" -> "hoseini")."""
    return "".join(ch for ch, _ in itertools.groupby(word))


@lru_cache(maxsize=1 << 17)
def sounds(word: str) -> str:
    """A romanized word by sound class, vowels kept, repeats collapsed ("shavkat" -> "sapkat")."""
    for pair, one in _DIGRAPHS:
        if pair in word:
            word = word.replace(pair, one)
    if "w" in word:
        word = _GLIDE_RE.sub("u", word)
    return _collapse(word.translate(_SOUND_CLASSES))


@lru_cache(maxsize=1 << 17)
def consonants(word: str) -> str:
    """A romanized word's consonants by sound class ("hosseini" -> "sn", "ḥsyny" -> "sn")."""
    return _collapse(sounds(word).translate(_NO_VOWELS))


_MIN_LETTERS = 3  # consonants a key needs: fewer meet too many names to be worth checking


def _parts(skel: list[str]) -> list[str]:
    """The "w:" keys of every two or three of a three- or four-word name's words."""
    if not 2 < len(skel) <= _MAX_SUBSETS:
        return []
    return [
        "w:" + " ".join(sorted(part))
        for size in range(2, len(skel))
        for part in itertools.combinations(skel, size)
        if sum(map(len, part)) >= _MIN_LETTERS
    ]


@lru_cache(maxsize=1 << 16)
def part_keys(key: str) -> tuple[str, tuple[str, ...]]:
    """A name's words' consonants as one key ("w:", as in `cross_keys`), and those of every
    two or three of its words when it has three or four: where a name in one script meets
    itself with a middle name, second surname or patronymic added ("Ana Cano" / "Ana María
    Cano González", "Denis Galabuzi" / "Dennis Galabuzi Ssozi"). ('', ()) for a short name."""
    readings = romanizations(key) if key else ()
    words = readings[0] if readings else ()
    skel = [s for s in map(consonants, words) if s]
    if len(skel) < 2 or sum(map(len, skel)) < _MIN_LETTERS:
        return "", ()
    return "w:" + " ".join(sorted(skel)), tuple(_parts(skel))


@lru_cache(maxsize=1 << 16)
def cross_keys(key: str, nospace: str = "", ascii_key: str = "") -> tuple[str, ...]:
    """Keys under which a name meets itself written in another script: per reading, its words'
    consonants (sorted: "w:"), every two or three of its words when it has three or four (a
    patronymic or middle name on one side: "Рустамян Армен Езнакович" / "Armen Rustamyan"), its
    consonants in typed order without spaces (`nospace`, "n:": names written without spaces,
    "황주홍" / "Hwang Ju-hong"). `ascii_key` is not used (the callers' signature)."""
    out: set[str] = set()
    for words in romanizations(key) if key else ():
        skel = [consonants(w) for w in words]
        skel = [s for s in skel if s] or skel
        if len(skel) >= 2 and sum(map(len, skel)) >= _MIN_LETTERS:
            out.add("w:" + " ".join(sorted(skel)))
            out.update(_parts(skel))
    for words in romanizations(nospace or key) if key else ():
        flat = consonants("".join(words))
        if len(flat) >= _MIN_LETTERS:
            out.add("n:" + flat)
    out.update(acronym_keys(key, nospace))
    return tuple(sorted(out))


# Words an organization's acronym usually skips, in the languages of the corpus and beyond
# ("Médecins Sans Frontières" is MSF, "Legal and Human Rights Centre" LHRC, "Lembaga Bantuan
# Hukum" LBH): articles, prepositions and conjunctions
_FUNCTION_WORDS_TEXT = """
a an and the of for in on at to by with & e et y i und u och og en ja ve va và
de des du d la le les l el los las lo del della delle dei degli di da do dos das dla
der die das den dem für fur von vom zu zum zur im am van voor het op te
för av til till af på fra från pour par sur aux au al il per con su
na za z w we o oraz ze cha ya wa kwa ng mga sa dan untuk bagi yang dari
и в на за по для с со к от о об при без і та й до з у ў ве ile için ва
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_ACRONYM_MIN, _ACRONYM_MAX = 2, 8


def typed_words(key: str, nospace: str) -> list[str]:
    """A key's words in typed order, read off k_nospace (the words in typed order, without
    spaces); [] when it does not spell them (an organization whose k_nospace is its acronym)."""
    words = key.split()
    out: list[str] = []
    pos = 0
    while words and pos < len(nospace):
        word = max((w for w in words if nospace.startswith(w, pos)), key=len, default="")
        if not word:
            return []
        out.append(word)
        words.remove(word)
        pos += len(word)
    return out if not words and pos == len(nospace) else []


@lru_cache(maxsize=1 << 16)
def acronym_keys(key: str, nospace: str) -> tuple[str, ...]:
    """ "a:" keys under which an organization's acronym meets its name: a one-word key of two to
    eight letters is itself ("a:msf"); a name of three words or more gives its initials, all
    of them and those of its words that are not function words ("a:msf" for "Médecins Sans
    Frontières", "a:lhrc" for "Legal and Human Rights Centre")."""
    if " " not in key:
        letters = key if key.isalpha() else ""
        return ("a:" + letters,) if _ACRONYM_MIN <= len(letters) <= _ACRONYM_MAX else ()
    words = typed_words(key, nospace)
    if len(words) < 3:
        return ()
    out = {"".join(w[0] for w in words)}
    content = "".join(w[0] for w in words if w not in _FUNCTION_WORDS)
    if len(content) >= _ACRONYM_MIN:
        out.add(content)
    return tuple(sorted("a:" + x for x in out if x.isalpha() and len(x) <= _ACRONYM_MAX))


_SAME_SOUNDS = 72  # fuzz.ratio of two words' sounds (vowels and all) from one name, on average
_SAME_CONSONANTS = 80  # ... and of their consonants, for longer words
_SAME_WHOLE = 80  # ... of two whole names compared without spaces ("张静" is not "Zoo Hansen")
_MIN_MATCHED = 3  # consonants the matched words must have between them (fewer: too many names)
_MIN_WITH_EXTRA = 6  # ... when the longer name has a word more (one more without short vowels)
_VOWEL_CLASSES = str.maketrans("eo", "iu")
_ONE_VOWEL = str.maketrans("eiou", "aaaa")
# Scripts written without spaces between a name's words: one word there is a whole name
_UNSPACED = frozenset({"CJK", "HANGUL", "KANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"})


def _word_alike(a: str, b: str, vowels: bool, whole: bool = False) -> bool:
    """`vowels`: compare the vowels too; else `a` is written without short vowels, and what it
    writes (its consonants, its long vowels) must be in `b`, in order, but for one in four.
    `whole`: `a` and `b` are whole names without spaces (no word boundaries to go by: closer)."""
    if len(a) == 1 or len(b) == 1:  # an initial: the same first sound
        return sounds(a)[:1] == sounds(b)[:1] or consonants(a)[:1] == consonants(b)[:1]
    ca, cb = consonants(a), consonants(b)
    if ca != cb and (min(len(ca), len(cb)) < 4 or fuzz.ratio(ca, cb) < _SAME_CONSONANTS):
        return False
    sa, sb = sounds(a), sounds(b)
    if vowels:
        # by sound class, vowel quality set aside ("mohamed"/"muhamadu"), and as spelled: sound
        # classes alone make "sanjay" and "sanchez" alike
        coarse = fuzz.ratio(sa.translate(_VOWEL_CLASSES), sb.translate(_VOWEL_CLASSES))
        spelled = fuzz.ratio(_REPEATS_RE.sub(r"\1", a), _REPEATS_RE.sub(r"\1", b))
        return coarse + spelled >= 2 * (_SAME_WHOLE if whole else _SAME_SOUNDS)
    # vowel letters where written, whatever their quality (Kurdish and Uyghur write them all)
    # and an h it begins with (ح, ه) in the other's beginning too ("حسینی" is not "Sean")
    sa, sb = _collapse(sa.translate(_ONE_VOWEL)), _collapse(sb.translate(_ONE_VOWEL))
    if sa[:1] == "h" and "h" not in sb[:2]:
        return False
    return LCSseq.similarity(sa, sb) >= len(sa) - len(sa) // 4


def _words_alike(a: tuple[str, ...], b: tuple[str, ...], vowels: bool) -> bool:
    """Every word of the shorter reading stands for a different word of the longer (which may
    have one more: a middle name, a patronymic), and the matched words have consonants enough
    to tell names apart. Without `vowels`, `a` is the reading of a script without short vowels."""
    if not a or not b or abs(len(a) - len(b)) > 1:
        return False
    flip = len(a) > len(b)
    short, rest = (b, list(a)) if flip else (a, list(b))
    matched = 0
    for w in short:
        hit = next(
            (u for u in rest if (_word_alike(u, w, vowels) if flip else _word_alike(w, u, vowels))), None
        )
        if hit is None:
            return False
        rest.remove(hit)
        matched += len(consonants(w)) if len(w) > 1 else 0
    return matched >= (_MIN_WITH_EXTRA if rest else _MIN_MATCHED if vowels else _MIN_MATCHED + 1)


@lru_cache(maxsize=1 << 16)
def same_across_scripts(a: str, a_nospace: str, b: str, b_nospace: str) -> bool:
    """Could two keys in two scripts (with their k_nospace) be one name? Word by word, or as
    one word in typed order when a side is one word of a script written without spaces
    ("黃柱洪" / "Hwang Ju-hong"); by consonants, and by vowels too unless a side is written
    without short vowels, whose letters must then all be in the other's."""
    if script_of(b) in _ABJADS:
        a, a_nospace, b, b_nospace = b, b_nospace, a, a_nospace
    vowels = script_of(a) not in _ABJADS
    if " " not in a or " " not in b:
        one_word = {script_of(x) for x in (a, b) if " " not in x}
        if " " in a + b and not one_word & _UNSPACED:
            return False
        return _whole_alike(a_nospace or a, b_nospace or b, vowels)
    if any(_words_alike(x, y, vowels) for x, y in itertools.product(romanizations(a), romanizations(b))):
        return True
    # words split otherwise ("गंगालाल तुलाधर" / "Ganga Lal Tuladhar", "Abdulrahman" / "Abdul
    # Rahman"): the whole names in typed order, as closely as a name written without spaces
    # (not for a script without short vowels: too many names share their consonants)
    return (
        vowels
        and a.count(" ") != b.count(" ")
        and bool(a_nospace and b_nospace)
        and min(map(len, (a + " " + b).split())) > 1  # an initial is no word to join
        and _whole_alike(a_nospace, b_nospace, vowels)
    )


def _whole_alike(a: str, b: str, vowels: bool) -> bool:
    """Two whole names without spaces: the same consonants, none more, none fewer, and the vowels
    close (`_word_alike`'s `whole`)."""
    pairs = itertools.product(romanizations(a), romanizations(b))
    return any(
        consonants(x) == consonants(y)
        and _word_alike(x, y, vowels, whole=True)
        and len(consonants(x)) >= (_MIN_MATCHED if vowels else _MIN_MATCHED + 1)
        for x, y in (("".join(x), "".join(y)) for x, y in pairs)
    )
