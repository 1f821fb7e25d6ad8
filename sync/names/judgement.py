"""Is it a name at all? Comments, sentences, keyboard mash and markup typed into the name field.

The judgement generalises instead of listing phrases:
- markup and template text (``<b>``, ``</i>``, ``&amp;``, ``{{ }}``) is never a name;
- "!" and "?" (and Spanish "¡" "¿") end exclamations and questions, not names;
- keyboard mash: a run of 6 neighbouring keys on one keyboard row (QWERTY, QWERTZ, AZERTY), or
  a whole word of 5 (4 on QWERTY),
  a Latin word of 4+ letters without a vowel, or one short chunk typed over and over ("dfdfdf");
- dictionary words: a word that is frequent in one of the signers' languages (wordfreq's lists
  for English, Spanish, French, German, Portuguese, Italian, Dutch, Polish, Russian, Turkish and
  Arabic) and is not also a common given name or surname (sync/data/name_words.txt, built from
  names-dataset by tools/build_name_words.py, plus sync/data/name_like_words.txt) is evidence
  that the text is a comment. The share of such words decides: all of them, reject; half or
  more, hold for an editor.

Each verdict carries a reason written for an editor. Organizations are judged only on markup,
exclamations and mash: their names are made of dictionary words ("Friends of the Earth").
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import icu
import regex
from anyascii import anyascii

from sync.names.frequencies import language_table
from sync.names.lexicon import (
    _AFFILIATION_WORDS,
    _AFTER_PARTICLE,
    _MARKS,
    _PARTICLES,
    _ROMAN_RE,
    _SUFFIXES,
    _TITLES,
    _VIETNAMESE_FAMILY,
    _data_lines,
)
from sync.support.built import IntMap, built_ints, data_identity

_ACRONYM_MAX = 8  # one word in capitals this long is an acronym, not mash ("RNDDH", "SDPI")
UNKNOWN_EXCLAMATION = "an exclamation or question after words signsync does not know, not a name"
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl", "pl", "ru", "tr", "ar")
WORD_ZIPF = 3.0  # >= 1 in a million words: tools/build_name_words.py uses the same cut
REJECT_ZIPF = 5.0  # two capitalized words both this common ("Well Done") are a comment
SINGLE_REJECT_ZIPF = 5.5  # one word alone this common ("Thanks", "Support") is not a name
LOWERCASE_ZIPF = 5.5  # "said" in "well said": this common and in lowercase, a word even if a name

# --------------------------------------------------------------------------------------------
# Markup


_MARKUP_RE = re.compile(
    r"</?[A-Za-z!/][^<>]*>|<[A-Za-z]|&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,6});|\{\{|\}\}|\{%|%\}"
    r"|[$#@%]\{|<%|%>"
    r"|\[/?(?:url|b|i|img|link)\b|(?i:javascript:|data:text)"
)
_DANGEROUS_RE = re.compile(
    r"(?i)<\s*/?\s*(?:script|iframe|object|embed|svg|img|style|link|meta)\b|\bon\w+\s*="
    # template and lookup injection: ${jndi:...}, {{7*7}}, #{...}, <%= %>, {% %}
    r"|[$#@%]\{|\{\{|\{%|<%"
)


def has_markup(text: str) -> bool:
    """Tag-like text: HTML/XML tags, character references, template braces, BBCode."""
    return bool(
        ("<" in text or "&" in text or "{" in text or "}" in text or "[" in text or ":" in text)
        and _MARKUP_RE.search(text)
    )


# --------------------------------------------------------------------------------------------
# Keyboard mash

_ROWS = (
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "yxcvbnm",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "1234567890",
)
_RUNS6 = frozenset(r[i : i + 6] for row in _ROWS for r in (row, row[::-1]) for i in range(len(r) - 5))
_RUNS5 = frozenset(r[i : i + 5] for row in _ROWS for r in (row, row[::-1]) for i in range(len(r) - 4))
# four keys in a row only on QWERTY ("asdf", "hjkl"): on AZERTY "reza" is a name (Reza)
_RUNS4 = frozenset(r[i : i + 4] for row in _ROWS[:3] for r in (row, row[::-1]) for i in range(len(r) - 3))
_VOWELS = frozenset("aeiouyw")  # w and y are vowels in Welsh (Llwyd) and many transliterations
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# words of any script: letters with their combining marks (Devanagari, Thai, Bengali vowel signs)
# combining marks of every script (Indic, Thai, Myanmar, Khmer vowel signs), ZWNJ/ZWJ
_WORD_RE = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_MARKS}\u200c\u200d])*(?:['’\-][^\W\d_]+)*")
_NOT_MASH = frozenset({"gmbh", "mrs", "mmes", "phd", "dphil", "msc", "bsc", "mph", "llm", "jr", "sr"})
_CHUNK_REPEAT_RE = re.compile(r"^(.{2,3})\1{2,}$|^([^aeiouy]{2})\2+$")


@lru_cache(maxsize=1 << 16)  # words repeat a lot (given names)
def _mash_word(word: str) -> str:
    """Why a lowercase ASCII word reads as keyboard mash ('' if it does not)."""
    n = len(word)
    # six keys in a row anywhere, or a whole word of five ("Hertzum" holds "ertzu": not mash)
    if n >= 6 and any(word[i : i + 6] in _RUNS6 for i in range(n - 5)):
        return "a run of neighbouring keys"
    if (n == 5 and word in _RUNS5) or (n == 4 and word in _RUNS4):
        return "a run of neighbouring keys"
    if n >= 4 and _VOWELS.isdisjoint(word):
        return "a word without vowels"
    if n >= 4 and _CHUNK_REPEAT_RE.match(word):
        return "the same letters typed over and over"
    return ""


@lru_cache(maxsize=1)
def _layout_runs() -> tuple[frozenset[str], frozenset[str]]:
    """Runs of 6 neighbouring keys, and of 5, on any row of any XKB layout with letters beyond
    ASCII (sync/data/keyboard_rows.txt, built by tools/build_keyboard_rows.py), both ways."""
    runs6: set[str] = set()
    runs5: set[str] = set()
    for row in _data_lines("keyboard_rows.txt"):
        if row.isascii():
            continue  # ASCII words are judged on _ROWS above (AZERTY's "reza" is a name)
        for r in (row, row[::-1]):
            runs6.update(r[i : i + 6] for i in range(len(r) - 5))
            runs5.update(r[i : i + 5] for i in range(len(r) - 4))
    return frozenset(runs6), frozenset(runs5)


# Hangul jamo typed apart (ㅁㄴㅇㄹ) and Zhuyin/Bopomofo letters (ㄅㄆㄇㄈ) spell no name:
# names are written in syllable blocks and Han characters
_KEYBOARD_LETTERS_RE = re.compile(r"^[\u3131-\u318e\u3105-\u312f\u31a0-\u31bf\u02c7\u02ca\u02cb\u02d9\s]+$")


@lru_cache(maxsize=1 << 16)
def _layout_mash(word: str) -> str:
    """Why a casefolded word with letters beyond ASCII reads as mash on some layout ('' if not)."""
    runs6, runs5 = _layout_runs()
    n = len(word)
    if n >= 6 and any(word[i : i + 6] in runs6 for i in range(n - 5)):
        return "a run of neighbouring keys"
    if n == 5 and word in runs5:
        return "a run of neighbouring keys"
    return ""


def keyboard_mash(text: str) -> tuple[int, int, str]:
    """(mash words, Latin words, first reason) over the ASCII words of 3+ letters of `text`.

    Words typed in capitals inside mixed-case text are acronyms ("CNRS"), not mash.
    """
    single_case = text.isupper() or text.islower()
    words = [
        w.lower()
        for w in _TOKEN_RE.findall(text)
        if len(w) >= 3
        and w.isascii()
        and w.isalpha()
        and (single_case or not w.isupper())
        and w.lower() not in _NOT_MASH
    ]
    hits = [r for r in (_mash_word(w) for w in words) if r]
    if not text.isascii():
        if _KEYBOARD_LETTERS_RE.match(text):
            return 1, 1, "keyboard letters typed one by one"
        others = [w.casefold() for w in _WORD_RE.findall(text) if not w.isascii() and len(w) >= 5]
        more = [r for r in (_layout_mash(w) for w in others) if r]
        return len(hits) + len(more), len(words) + len(others), (hits + more)[0] if hits or more else ""
    return len(hits), len(words), hits[0] if hits else ""


# --------------------------------------------------------------------------------------------
# Dictionary words


_WORD_CUT = 10 ** (WORD_ZIPF - 9.0)  # Zipf = log10(frequency per billion words)


_FIRST_LANGUAGES = frozenset(LANGUAGES)


@lru_cache(maxsize=1 << 16)  # words repeat a lot (given names)
def _zipf(word: str) -> float:
    """The word's highest Zipf frequency in LANGUAGES, or 0.0 below WORD_ZIPF: read from the
    every-language table (word_languages) that the entry's own languages come from too, so a
    new word costs one look-up, not two (sync/names/frequencies.py)."""
    return max((z for lang, z in word_languages(word).items() if lang in _FIRST_LANGUAGES), default=0.0)


def _word_frequency(word: str) -> float:
    """The word's highest frequency in LANGUAGES, or 0.0 below WORD_ZIPF."""
    z = _zipf(word)
    return 10 ** (z - 9.0) if z else 0.0


@lru_cache(maxsize=1)
def _name_word_ranks() -> IntMap:
    """Frequent words that are also names, with their best rank as a name (name_words.txt:
    every word frequent in some language and a name within max_rank of its least frequency);
    name_like_words.txt's hand-picked names count as rank 0. Built once per machine into the
    cache folder (sync/support/built.py)."""
    files = ("name_words.txt", "name_like_words.txt")
    return built_ints(
        "name-word-ranks", data_identity(*files, code="sync.names"), lambda: _read_name_word_ranks().items()
    )


def _read_name_word_ranks() -> dict[str, int]:
    out = {}
    for line in _data_lines("name_words.txt"):
        word, _, rank = line.partition(" ")
        out[word.casefold()] = int(rank or 0)
    for line in _data_lines("name_like_words.txt"):
        out[line.split()[0].casefold()] = 0
    return out


@lru_cache(maxsize=1 << 16)  # words repeat a lot (given names)
def _name_word_rank(word: str) -> int | None:
    """The casefolded `word`'s rank in _name_word_ranks (None: not there)."""
    return _name_word_ranks().get(word)


def _is_name_at(word: str, zipf: float) -> bool:
    """Is the casefolded `word`, this frequent in the language read, also a common name there?"""
    rank = _name_word_rank(word)
    return rank is not None and rank <= _max_rank(zipf)


def _max_rank(zipf: float) -> float:
    """The worst name rank at which a word this frequent still counts as a name (the weighing of
    tools/build_name_words.py: Zipf 5 -> rank 400, 4 -> 4,000, 3 -> 40,000, never below 100)."""
    return max(100.0, float(10 ** (7.6 - zipf)))


# French and Italian elisions that open a clause ("J'approuve", "C'est", "Qu'il") and never a name
_CLAUSE_ELISION_RE = re.compile(r"(?i)^(?:j|c|qu|n|s|t|m)['’]")


_SKIP = _PARTICLES | _AFTER_PARTICLE | _TITLES | _SUFFIXES | frozenset(t.rstrip(".") for t in _TITLES)


@dataclass(frozen=True, slots=True)
class WordJudgement:
    """How much of a text is made of dictionary words that are not names."""

    tokens: tuple[str, ...]
    wordy: tuple[str, ...]
    mean_zipf: float
    min_zipf: float
    lowercase_wordy: int  # wordy words written in lowercase inside mixed-case text ("Love this")
    lowercase_words: int  # dictionary words in lowercase inside mixed-case text, names or not

    @property
    def ratio(self) -> float:
        return len(self.wordy) / len(self.tokens) if self.tokens else 0.0


@lru_cache(maxsize=1 << 16)
def _token_info(raw: str) -> tuple[bool, float, bool]:
    """(counted, highest Zipf frequency, also a common name) for one word; words repeat a lot."""
    low = raw.casefold().replace("’", "'")
    if len(low) < 2 or low in _SKIP or _ROMAN_RE.match(low):
        return False, 0.0, False
    if "-" in low:  # "Eun-ji", "Marie-Claire": a hyphenated word is a name's, not a dictionary's
        parts = [low]
    elif "'" in low:  # "d'accordo" is a word, "D'Angelo" a name
        parts = [low, *(p for p in low.split("'") if len(p) >= 3)]
    else:
        parts = [low]
    zipfs = [_zipf(p) for p in parts]
    return True, max(zipfs), any(_is_name_at(p, z) for p, z in zip(parts, zipfs, strict=True))


# Scripts written without spaces between words (and Korean, whose words carry endings that
# wordfreq lists apart): a token is cut into the longest dictionary words it starts with.
_UNSPACED = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL"})
_FUNCTION_ZIPF = 6.0  # a one-character word this common (的, 是, の) is grammar, not a name
_SEGMENT_MAX = 6
# scripts where one character alone is often a grammar word (的, の): a Hangul syllable alone is
# as often part of a name (박서준 is 박 + 서 + 준)
_GRAMMAR_CHARS = frozenset({"CJK", "HIRAGANA", "KATAKANA"})
_CASELESS_ZIPF = 4.5  # a word of a several-word entry in a script without case counts from here
_SURNAME_RANK = 50  # a Han character this high as a name anywhere opens a name (王, 李, 陈)
_HAN_WORD_ZIPF = 4.5  # ... unless the whole is this common a word


def _han_name(word: str) -> bool:
    return (
        2 <= len(word) <= 4
        and all(_script(ch) == "CJK" for ch in word)
        and _name_rank(word[0]) <= _SURNAME_RANK
        and max(word_languages(word).values(), default=0.0) < _HAN_WORD_ZIPF  # 谢谢 is "thanks"
    )


@lru_cache(maxsize=1 << 16)
def word_languages(word: str) -> dict[str, float]:
    """The languages (of every wordfreq list) in which the casefolded `word` is frequent, with
    its Zipf frequency in each."""
    return language_table(_WORD_CUT).languages(word)


@lru_cache(maxsize=1 << 14)
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


@lru_cache(maxsize=1 << 16)
def segments(token: str) -> tuple[str, ...]:
    """`token` cut into dictionary words (longest first), when it is in a script written
    without spaces and not a dictionary word as a whole; else the token itself. A character
    that starts no longer word stands alone."""
    low = token.casefold()
    if not low or _script(low[0]) not in _UNSPACED or len(low) != len(token) or word_languages(low):
        return (token,)
    out = []
    i = 0
    while i < len(low):
        for j in range(min(len(low), i + _SEGMENT_MAX), i, -1):
            if j - i == 1 or word_languages(low[i:j]):
                out.append(low[i:j])
                i = j
                break
    return tuple(out)


def scripts_without_data(text: str) -> frozenset[str]:
    """The scripts of `text`'s letters that no wordfreq list has words in (Thai, Georgian...)."""
    known = language_table(_WORD_CUT).scripts
    return frozenset(s for s in {_script(ch) for ch in text if ch.isalpha()} if s and s not in known)


@lru_cache(maxsize=1)
def _name_ranks() -> IntMap:
    """Given names and surnames of every country with their best rank (names-dataset, built by
    tools/build_name_ranks.py): built once per machine into the cache folder (parsing the file
    takes ~0.5 s), then looked up in place (sync/support/built.py)."""
    identity = data_identity("name_ranks.txt.gz", code="sync.names")
    return built_ints("name-ranks", identity, lambda: _read_name_ranks().items())


def _read_name_ranks() -> dict[str, int]:
    raw = resources.files("sync").joinpath("data", "name_ranks.txt.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    start = 0
    while text.startswith("#", start):  # the header's comment lines
        start = text.index("\n", start) + 1
    # "name rank" lines, names without spaces: one split and a zip (several times faster than
    # a loop over the lines, and this runs in every process that reads a name)
    tokens = text[start:].split()
    return dict(zip(tokens[0::2], map(int, tokens[1::2]), strict=True))


@lru_cache(maxsize=1 << 16)
def _name_rank(word: str) -> int:
    """The casefolded `word`'s best rank as a name in any country, as written or in Latin letters
    (anyascii: "nguyễn" -> "nguyen", "प्रिया" -> "priya"); a Korean syllable block counts by its
    given name after the one-syllable surname ("김지영" -> "지영")."""
    ranks = _name_ranks()
    best = min(ranks.get(word, 10**9), ranks.get(anyascii(word).lower(), 10**9))
    if not word.isascii():
        for latin in _transliterators():
            best = min(best, ranks.get(latin.transliterate(word), 10**9))
    if len(word) in (3, 4) and _script(word[0]) == "HANGUL":
        best = min(best, ranks.get(word[1:], 10**9))
    return best


# ICU's transliterations besides anyascii's: ISO-like (शर्मा -> "sarma") and the BGN/PCGN
# romanizations of Ukrainian and Russian ("володимир" -> "volodymyr")
_TRANSLITERATIONS = (
    "Any-Latin; Latin-ASCII; Lower",
    "uk-uk_Latn/BGN; Latin-ASCII; Lower",
    "ru-ru_Latn/BGN; Latin-ASCII; Lower",
)


@lru_cache(maxsize=1)
def _transliterators() -> tuple[icu.Transliterator, ...]:
    return tuple(icu.Transliterator.createInstance(t) for t in _TRANSLITERATIONS)


@lru_cache(maxsize=1 << 16)
def _entry_zipfs(parts: tuple[str, ...]) -> tuple[float, ...]:
    """Each part's Zipf frequency in the language(s) the whole entry is most likely written in:
    those in which the most of its parts are frequent words (ties: all of them)."""
    langs = [word_languages(x) for x in parts]
    counts: dict[str, int] = {}
    for d in langs:
        for lang in d:
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return (0.0,) * len(parts)
    top = max(counts.values())
    chosen = {lang for lang, c in counts.items() if c == top}
    return tuple(max((z for lang, z in d.items() if lang in chosen), default=0.0) for d in langs)


def judge_words(text: str) -> WordJudgement:
    """Count the words of `text` that are frequent dictionary words and not also names.

    Particles, titles and one-letter initials are left out. In a text that is not typed in one
    case, a lowercase word is not being used as a name ("well said": the "said" is not Said).
    """
    mixed = not text.islower() and not text.isupper()
    tokens: list[str] = []
    wordy: list[str] = []
    total = 0.0
    low_z = 99.0
    lowercase = 0
    lowercase_any = 0
    words = _WORD_RE.findall(text)
    raws = [seg for raw in words for seg in segments(raw)]
    in_entry = list(_entry_zipfs(tuple(r.casefold().replace("’", "'") for r in raws)))
    # a name by its shape: a Vietnamese family name first ("Nguyễn Thị Mai": every syllable is
    # also a word), or a Han name of two to four characters opening with a common surname
    if words and (words[0].casefold() in _VIETNAMESE_FAMILY or _han_name(words[0])) and len(words) <= 5:
        in_entry = [0.0] * len(raws)
    several = len(words) >= 2
    for raw, z_entry in zip(raws, in_entry, strict=True):
        counted, z, name_like = _token_info(raw)
        if not counted:
            if len(raw) == 1 and z_entry >= _FUNCTION_ZIPF and _script(raw) in _GRAMMAR_CHARS:  # 的, の
                tokens.append(raw)
                wordy.append(raw)
                total += z_entry
                low_z = min(low_z, z_entry)
            continue
        caseless = raw.lower() == raw.upper()
        if z < WORD_ZIPF and several and caseless and z_entry < _CASELESS_ZIPF:
            z_entry = 0.0  # names in scripts without case are words as often as not (वर्मा)
        if z_entry > z:
            z = z_entry
            low = raw.casefold()
            # names fill text in these languages' lists more than in the eleven first built
            # for: half a Zipf point of slack ("Володимир", uk 5.36, rank 414)
            name_like = not (mixed and raw.islower()) and (
                _is_name_at(low, z_entry) or _name_rank(low) <= _max_rank(z_entry - 0.5)
            )
        tokens.append(raw)
        if z < WORD_ZIPF:
            continue
        lower = mixed and raw.islower()
        lowercase_any += lower
        lowercase_in_mixed = lower and z >= LOWERCASE_ZIPF
        if lowercase_in_mixed or not name_like:
            wordy.append(raw)
            total += z
            low_z = min(low_z, z)
            lowercase += lowercase_in_mixed
    mean = total / len(wordy) if wordy else 0.0
    return WordJudgement(tuple(tokens), tuple(wordy), mean, low_z, lowercase, lowercase_any)


# --------------------------------------------------------------------------------------------
# Thanks, greetings and "anonymous" in any language (sync/data/comment_words.txt)

# scripts written without spaces: a word that starts with a listed phrase is that phrase and more
# ("ขอบคุณมากครับ", "ကျေးဇူးတင်ပါတယ်ဗျာ")
_PREFIX_SCRIPTS = frozenset({"THAI", "LAO", "KHMER", "MYANMAR", "CJK", "HIRAGANA", "KATAKANA", "TIBETAN"})
_PREFIX_MIN = 3
_COMMENT_NAME_RANK = 200  # "Rahmat" (94), "Asante" (13) alone may be a name; "Merci" (983) is not


def _comment_tokens(text: str) -> list[str]:
    return _WORD_RE.findall(unicodedata.normalize("NFC", text).replace("\u2019", "'"))


@lru_cache(maxsize=1)
def _comment_lexicon() -> tuple[dict[str, tuple[tuple[str, ...], ...]], tuple[str, ...], tuple[str, ...]]:
    """(phrases by their first word, longest first; prefixes of unspaced scripts; sentence
    endings of unspaced scripts) from sync/data/comment_words.txt."""
    by_first: dict[str, set[tuple[str, ...]]] = {}
    prefixes: set[str] = set()
    endings: set[str] = set()
    for line in _data_lines("comment_words.txt"):
        if line.startswith("~"):
            endings.add(unicodedata.normalize("NFC", line[1:].strip()))
            continue
        words = tuple(w.casefold() for w in _comment_tokens(line))
        if not words:
            continue
        by_first.setdefault(words[0], set()).add(words)
        if len(words) == 1 and len(words[0]) >= _PREFIX_MIN and _script(words[0][0]) in _PREFIX_SCRIPTS:
            prefixes.add(words[0])
    phrases = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()}
    return phrases, tuple(sorted(prefixes)), tuple(sorted(endings))


def _listed(low: list[str]) -> list[int]:
    """For each casefolded word: 0 not listed, 1 a listed word alone, 2 one of a listed phrase
    of several words (or a word of a script without spaces opening with a listed one)."""
    phrases, prefixes, endings = _comment_lexicon()
    n = len(low)
    covered = [0] * n
    i = 0
    while i < n:
        for phrase in phrases.get(low[i], ()):
            k = len(phrase)
            if tuple(low[i : i + k]) == phrase:
                covered[i : i + k] = [2 if k > 1 else 1] * k
                i += k
                break
        else:
            w = low[i]
            if _script(w[0]) in _PREFIX_SCRIPTS and (
                w.startswith(prefixes) or any(w.endswith(e) and len(w) > len(e) for e in endings)
            ):
                covered[i] = 2
            i += 1
    return covered


def _caseless(word: str) -> bool:
    return word.lower() == word.upper()


def _unread_name_beside(words: list[str], covered: list[int]) -> bool:
    """Words in a script without a word list beside the listed ones that may be a name no list
    knows: two or more (a Thai name), or one of a name's few syllables ("အောင်ကျော်မိုး")."""
    rest = [
        w
        for w, c in zip(words, covered, strict=True)
        if not c and _letters(w) > 1 and _caseless(w) and scripts_without_data(w)
    ]
    return len(rest) >= 2 or (
        len(rest) == 1 and bool(scripts_without_data(rest[0])) and _name_shaped(rest[0])
    )


@lru_cache(maxsize=1 << 14)
def comment_words(text: str) -> str:
    """The thanks, greeting or "anonymous" words of `text` (listed for an editor) when the entry
    is made of them and of words that are no name ('' when it is not).

    A listed word counts as a comment word when it is one of a listed phrase of several words,
    or is no known name, or is written in lowercase inside mixed-case text ("Чоң рахмат"); a
    capitalized known name ("Rahmat Hidayat", "Kwame Asante") is a name. The entry is a comment
    when no other word in it is a name: a known name (not a lowercase word of some language),
    or a capitalized word outside a sentence-case text ("Dankon pro via laboro" is one).
    """
    words = _comment_tokens(text)
    low = [w.casefold() for w in words]
    covered = _listed(low)
    if not any(covered):
        return ""
    n = len(words)
    mixed = not text.islower() and not text.isupper()
    lowercase = [mixed and w.islower() for w in words]
    sentence_case = mixed and words[0][:1].isupper() and all(w.islower() or _caseless(w) for w in words[1:])

    def as_word(k: int) -> bool:
        if covered[k] == 2 or lowercase[k] or not known_name(low[k]):
            return True
        if sentence_case and k == 0 and n > 1:  # "Рахмет сізге": the sentence's first word
            return not any(known_name(x) and not word_languages(x) for x in low[1:])
        # alone, a listed word is a name only where it is a common one, capitalized ("Asante")
        return n == 1 and (_caseless(words[k]) or _name_rank(low[k]) > _COMMENT_NAME_RANK)

    said = [k for k in range(n) if covered[k] and as_word(k)]
    if not said or _unread_name_beside(words, covered):
        return ""
    for k in range(n):
        if covered[k] or _letters(words[k]) < 2 or (sentence_case and k):
            continue  # in sentence case ("Baie dankie vir julle werk") the later words are a sentence's
        if known_name(low[k]) and not (lowercase[k] and word_languages(low[k])):
            return ""  # a name beside the greeting: the greeting is split off (reading.py)
        if words[k][:1].isupper() and not sentence_case:
            return ""
    return ", ".join(f"'{words[k]}'" for k in said[:4])


# --------------------------------------------------------------------------------------------
# The verdict


@dataclass(frozen=True, slots=True)
class Verdict:
    reject: str = ""
    hold: str = ""


# Sentence punctuation of every script: Unicode's Sentence_Terminal ("!", "?", "।", "။", "።",
# "。", "؟", "։"...) with the inverted Spanish marks and the Armenian exclamation and question
# marks and emphasis mark (written over a word, so not listed there), the Tibetan shad, less the
# full stop that also ends initials.
_EXCLAIM_RE = regex.compile(r"(?V1)[[\p{Sentence_Terminal}¡¿՛՜՞\u0f0d-\u0f12]--[.\uff0e\ufe52\u2024]]")


def _exclaims(text: str) -> bool:
    """Sentence punctuation of any script in `text` (see _EXCLAIM_RE)."""
    if text.isascii():
        return "!" in text or "?" in text
    return _EXCLAIM_RE.search(text) is not None


_SENTENCE_RE = re.compile(r"[^\W\d_]{3,}[.;:]\s+\S")  # "Well done. Great": a full stop after a word


def is_word_or_name(word: str) -> bool:
    """Is the casefolded `word` a frequent word of the signers' languages, or a common name?"""
    return bool(_word_frequency(word)) or _name_word_rank(word) is not None


def is_name_word(word: str) -> bool:
    """A common given name or surname that is also a frequent word ("Rose", "Bob")."""
    low = word.casefold()
    return _is_name_at(low, _zipf(low))


def is_word_not_name(word: str) -> bool:
    """A frequent word of the signers' languages that is not also a common name ("Greenpeace")."""
    low = word.casefold()
    return bool(_word_frequency(low)) and not _is_name_at(low, _zipf(low))


def judge(text: str, kind: str, words: bool = True) -> Verdict:
    """Reject what is surely not a name, hold what is doubtful (see the module docstring).

    `words` False skips the dictionary-word judgement (text that names an organization).
    """
    if has_markup(text):
        if _DANGEROUS_RE.search(text):
            return Verdict(reject="markup or script code, not a name")
        return Verdict(hold="markup in the name (tags or codes like <b> or &amp;): type it as plain text")
    mash, latin_words, why = keyboard_mash(text)
    if text.isupper() and " " not in text and len(text) <= _ACRONYM_MAX:
        mash = 0  # an organization's acronym ("HRCP", "RNDDH"): consonants in capitals, held below
    if mash and mash == latin_words:
        return Verdict(reject=f"keyboard mash, not a name ({why})")
    mash_hold = Verdict(hold=f"looks like keyboard mash ({why})") if mash else Verdict()
    exclaim = _exclaims(text)
    if kind == "organization":
        return Verdict(hold="'!' or '?' in an organization's name: a comment?") if exclaim else mash_hold
    if not words:
        # names of organizations are made of dictionary words; a sentence is still not one
        sentence = _sentence(text)
        return sentence if sentence.reject else mash_hold
    if _CLAUSE_ELISION_RE.match(text) and not _AFFILIATION_WORDS.intersection(text.casefold().split()):
        return Verdict(reject="reads as a sentence (J'..., C'...), not a name")
    said = comment_words(text)
    if said:
        return Verdict(reject=f"a comment (thanks, a greeting or 'anonymous'), not a name ({said})")
    verdict = _judge_dictionary_words(text, exclaim)
    if not (verdict.reject or verdict.hold or mash_hold.hold):
        verdict = unread_verdict(text)
    return verdict if verdict.reject or verdict.hold else mash_hold


def _title_case(tokens: tuple[str, ...]) -> bool:
    """Every longer word capitalized, and two or more of them ("Stop the War", "Friends of the Earth")."""
    long = [x for x in tokens if len(x) > 3]
    return len(long) >= 2 and all(x[:1].isupper() for x in long)


def _sentence(text: str, judged: WordJudgement | None = None) -> Verdict:
    """A sentence in sentence case ("Merci pour cette initiative"), even with an organization
    word in it: three or more words, all but one dictionary words, two or more in lowercase."""
    judged = judged or judge_words(text)
    n, w = len(judged.tokens), len(judged.wordy)
    title_case = _title_case(judged.tokens)  # "Friends of the Earth"
    if n >= 3 and w >= n - 1 and judged.lowercase_words >= 2 and not title_case:
        listed = ", ".join(f"'{x}'" for x in judged.wordy[:4])
        return Verdict(reject=f"reads as a sentence, not a name (common words: {listed})")
    return Verdict()


def _judge_dictionary_words(text: str, exclaim: bool) -> Verdict:
    judged = judge_words(text)
    n, w = len(judged.tokens), len(judged.wordy)
    listed = ", ".join(f"'{x}'" for x in judged.wordy[:4])
    if exclaim:
        # a full stop, exclamation or question mark of another script ("।", "።", "。") never
        # belongs to a name; "!" and "?" after one unknown word are held
        other_script = any(m.group() not in "!?" for m in _EXCLAIM_RE.finditer(text))
        if w or n >= 3 or not n or other_script:
            return Verdict(reject="an exclamation or question, not a name")
        if not any(known_name(t.casefold()) for t in judged.tokens):
            # ... nor after words none of which is a known name ("Galatoomaa!", "Jërëjëf!"); as
            # the tail of an entry such words may be its name's (reading._comment_tail)
            return Verdict(reject=UNKNOWN_EXCLAMATION)
        return Verdict(hold="'!' or '?' in the name")
    if n and w == n and not any(ch.isdigit() for ch in text):
        surely = (
            n >= 3
            or (n == 2 and (judged.lowercase_words or judged.min_zipf >= REJECT_ZIPF))
            or (n == 1 and judged.mean_zipf >= SINGLE_REJECT_ZIPF and len(text.split()) == 1)
        )
        # Every word capitalized ("Stop the War", "Extinction Rebellion") is how names of
        # groups and campaigns are written: doubtful rather than surely a comment.
        title_case = n >= 3 and _title_case(judged.tokens)
        if surely and not title_case:
            return Verdict(reject=f"reads as a comment, not a name (common words: {listed})")
        return Verdict(hold=f"made of dictionary words ({listed}): a comment, not a name?")
    sentence = _sentence(text, judged)  # "Bravo pour cette lettre": sentence case, one word a name
    if sentence.reject:
        return sentence
    if judged.lowercase_wordy and 2 * w >= n:
        return Verdict(hold=f"dictionary words ({listed}) in the name: a comment, not a name?")
    if w >= 2 and (2 * w >= n or _SENTENCE_RE.search(text)):
        return Verdict(hold=f"mostly dictionary words ({listed}): a comment, not a name?")
    return Verdict()


# --------------------------------------------------------------------------------------------
# Text the word lists cannot read: judged by the names it holds and by its shape
#
# wordfreq has lists for 42 languages; names-dataset knows given names and surnames of 106
# countries. A comment in another language ("Diolch yn fawr", "Eskerrik asko", a Georgian or
# Khmer "thank you") is made of words neither knows, while nearly every real name holds at least
# one known name. So: a name's words are capitalized where the script has case (a sentence's
# later words are not), and an entry none of whose words is a known name or a word is held.

# a lowercase word this long (in letters) after the first is a sentence's, unless a particle
_LOWERCASE_WORD = 4
# particles of four letters and more, written in lowercase inside names of many languages
_LONG_PARTICLES = frozenset({"dela", "delos", "ferch", "verch", "ould", "dello", "degli", "della", "binti"})


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


# the palochka of Caucasian Cyrillic alphabets ("гьечӀо", "щыӀэкъым") is typed in its capital
# form inside lowercase words: it says nothing of the word's case
_CASELESS_LETTERS = str.maketrans({"\u04c0": "", "\u04cf": ""})


def _lower(word: str) -> bool:
    """Is the word in lowercase, its caseless letters (the palochka) left aside?"""
    return word.translate(_CASELESS_LETTERS).islower()


def lowercase_words(words: list[str]) -> list[str]:
    """The words after the first written in lowercase, four letters or more, that are not
    particles ("Diolch yn fawr" -> ["fawr"]; "Ludwig van der Berg" -> [])."""
    return [
        w
        for w in words[1:]
        if _lower(w)
        and _letters(w) >= _LOWERCASE_WORD
        and w not in _SKIP
        and w not in _LONG_PARTICLES
        and not _ROMAN_RE.match(w)
    ]


# scripts whose transliteration gives names-dataset's own spelling already (_name_rank), or that
# are judged by their dictionary segments
_FAITHFUL = frozenset({"LATIN", "CYRILLIC", "GREEK"}) | _UNSPACED
_NOT_LOWER_ASCII_RE = re.compile(r"[^a-z]")
# ICU's ISO-style letters written as names are usually spelled in Latin letters ("naresa" ->
# "naresh", "cuppiramaniyan" -> "chuppiramaniyan")
_ROMANIZED = str.maketrans({"ś": "sh", "ṣ": "sh", "Ś": "sh", "Ṣ": "sh"})
_C_RE = re.compile(r"c(?!h)")
_DOUBLE_RE = re.compile(r"(.)\1")
_VARIANT_MIN = 4  # shorter transliterations match some name by chance


@lru_cache(maxsize=1)
def _to_ascii() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Latin-ASCII; Lower")


@lru_cache(maxsize=1)
def _to_latin() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; NFC; Lower")


def latin_spellings(word: str) -> frozenset[str]:
    """Ways a word of another script is spelled in Latin letters: anyascii's and ICU's
    transliterations, with ś/ṣ as "sh" and c as "ch", doubled letters single and a final
    inherent "a" dropped ("नरेश" -> "naresh", "రెడ్డి" -> "redi", "ቢቂላ" -> "biqila")."""
    out = {_NOT_LOWER_ASCII_RE.sub("", anyascii(word).lower())}
    iso = _to_latin().transliterate(word)
    if iso != word:
        out.add(_NOT_LOWER_ASCII_RE.sub("", _to_ascii().transliterate(iso)))
        named = _C_RE.sub("ch", _to_ascii().transliterate(iso.translate(_ROMANIZED)))
        out.add(_NOT_LOWER_ASCII_RE.sub("", named))
    more = set()
    for v in out:
        more.add(_DOUBLE_RE.sub(r"\1", v))
        if len(v) > _VARIANT_MIN and v.endswith("a"):
            more.add(v[:-1])
    return frozenset(v for v in out | more if len(v) >= _VARIANT_MIN)


_LATIN_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1 << 14)
def spelled_out(word: str) -> bool:
    """Does ICU write the word's vowels in Latin letters? Not for Thai and Lao (their inherent
    vowels are unwritten: "สมศรี" -> "smsri") nor scripts ICU has no transliteration for
    (Sinhala, Khmer, Tibetan): names there cannot be looked up, only judged by their shape."""
    iso = _to_latin().transliterate(word)
    if iso == word:
        return False
    latin = _NOT_LOWER_ASCII_RE.sub("", _to_ascii().transliterate(iso))
    return bool(latin) and 3 * sum(ch in _LATIN_VOWELS for ch in latin) >= len(latin)


@lru_cache(maxsize=1 << 16)
def known_name(word: str) -> bool:
    """Is the casefolded `word` a given name or surname somewhere (names-dataset), as written or
    in one of its Latin spellings (latin_spellings)?"""
    if _name_rank(word) < 10**9:
        return True
    if word.isascii() or _script(word[0]) in _FAITHFUL:
        return False
    ranks = _name_ranks()
    return any(v in ranks for v in latin_spellings(word))


def _known(word: str) -> bool:
    """A known name, or a frequent word of some language."""
    low = word.casefold()
    if known_name(low) or word_languages(low):
        return True
    # a compound's parts ("مهدی\u200cپور", "Mahdi-pour"): one known name makes it a name
    parts = _JOINED_RE.split(low)
    return len(parts) > 1 and any(len(x) > 1 and known_name(x) for x in parts)


_JOINED_RE = re.compile("[\u200c\u200d\\-'’]")


def unread_verdict(text: str) -> Verdict:
    """Hold (or reject) a name the word lists could not judge, by its shape and the names in it.

    - in a script with case, words after the first in lowercase (not particles) are a
      sentence's: two or more of them reject, one holds, unless every word is a known name
      ("Maria santos", typed in a hurry);
    - one word that is neither a known name nor a word of any language ("Aitäh") is held, as is
      one word in a script no word list covers;
    - several words none of which is a known name or a word is held.
    Han, kana and Hangul are judged by their dictionary segments instead (judge_words).
    """
    words = _WORD_RE.findall(text)
    if not words:
        return Verdict()
    cased = _lowercase_verdict(text, words)
    if cased.reject or cased.hold:
        return cased
    ascii_text = text.isascii()
    if not ascii_text and any(_script(w[0]) in _UNSPACED for w in words):
        return Verdict()
    unread = scripts_without_data(text) if not ascii_text else frozenset()
    counted = [w for w in words if _letters(w) > 1]
    if len(words) == 1 and unread:
        return _one_unread_word(words[0], unread)
    shaped = _alone_or_repeated(words, text)
    if shaped.hold:
        return shaped
    if not unread and len(words) > 1 and len(counted) < 3:
        return Verdict()  # two words the lists do not know are as often a rare name (below)
    if (
        unread
        and len(counted) >= 2
        and 2 * sum(_known(w) for w in counted) < len(counted)
        and (len(counted) > 3 or all(spelled_out(w) for w in counted))
    ):
        # several words in a script no word list covers ("დიდი მადლობა"): most must be names
        listed = ", ".join(sorted(s.title() for s in unread))
        return Verdict(hold=f"words in a script signsync has no word list for ({listed}), few known names")
    if counted and not any(_known(w) for w in counted):
        if len(words) == 1:  # initials beside it make it a name ("Ипатьев С.С.")
            return Verdict(hold="one word signsync knows neither as a name nor as a word: a name?")
        # two unknown words are as often a rare name as a comment ("Enum Cohrs", "Раҳматилло
        # Зойиров"); three seldom are
        if len(counted) >= 3:
            return Verdict(hold="no word signsync knows as a name or a word of any language: a name?")
    return Verdict()


def _lowercase_verdict(text: str, words: list[str]) -> Verdict:
    """In a script with case, words after the first in lowercase (not particles) are a
    sentence's: two or more reject, one holds unless every word is a known name."""
    if text.isupper() or _lower(text):
        return Verdict()
    low = lowercase_words(words)
    last = words[-1] if len(words) >= 2 else ""
    if not low and _lower(last) and _letters(last) >= 2 and last not in _SKIP:
        # a name's particles come before its surname ("da Silva", "bin Ali"): a name never
        # ends in a lowercase word, a phrase often does ("Ады чок", "Tɔgɔ tɛ")
        return Verdict(hold=f"the name ends in a word in lowercase ('{last}'): a comment, not a name?")
    if len(low) >= 2:
        listed = ", ".join(f"'{w}'" for w in low[:4])
        return Verdict(reject=f"reads as a sentence, not a name (words in lowercase: {listed})")
    # "Maria perez", typed in a hurry: every word a name and the lowercase ones no word
    if low and not (
        all(known_name(w.casefold()) for w in words if _letters(w) > 1)
        and all(is_name_word(w) or not word_languages(w) for w in low)
    ):
        return Verdict(hold=f"a word in lowercase ('{low[0]}') in the name: a comment, not a name?")
    return Verdict()


def _said_over_and_over(words: list[str]) -> bool:
    """One word typed twice or more ("Shukriya shukriya", "X X"): a comment's or a placeholder's,
    not a name's (names that repeat a word have another one: "Mohamed Ahmed Mohamed")."""
    return len(words) >= 2 and len({w.casefold() for w in words}) == 1 and _letters(words[0]) > 1


# a word typed this many times in one entry is a chant's or a slogan's, not a name's
_CHANTED = 3


def _chanted(words: list[str]) -> str:
    """A word of two letters or more typed three times or more in one entry ("Om Shanti Shanti
    Shanti Om"): a chant's or a slogan's; names that repeat a word repeat it once."""
    seen: dict[str, int] = {}
    for w in words:
        if _letters(w) > 1:
            low = w.casefold()
            seen[low] = seen.get(low, 0) + 1
            if seen[low] >= _CHANTED:
                return w
    return ""


def _alone_or_repeated(words: list[str], text: str) -> Verdict:
    """Held by its shape: one word said over and over, or one word as a person's whole name."""
    if _said_over_and_over(words):
        return Verdict(hold=f"the same word ('{words[0]}') over and over as the name: a name?")
    chanted = _chanted(words)
    if chanted:
        return Verdict(
            hold=f"the same word ('{chanted}') three times or more in the name: a chant or a slogan?"
        )
    if len(words) == 1 and len(text.split()) == 1:
        return _one_word_alone(words[0])
    return Verdict()


# a name of one word this short ("Ee", "Si", "Тау") is as often a word of some language
_SHORT_ALONE = 3


def _one_word_alone(word: str) -> Verdict:
    """One word typed as a person's whole name, in a script that writes spaces between names:
    real signers give a given name and a surname, while "Yes", "Thanks", "Peace" or "Oo" in a
    language no word list covers are one word. Published only when names-dataset knows it as a
    given name or surname and it is no more common as a word than as a name; a word of three
    letters or fewer is held whatever it is ("Ina", "Wen"): an editor can tell "Ali" from "Si"."""
    low = word.casefold()
    if word.isupper() and _letters(word) >= 2:
        return Verdict()  # an organization's acronym ("KYK", "CNF"), judged as such elsewhere
    if _letters(word) <= _SHORT_ALONE:
        return Verdict(hold=f"one short word ('{word}') as the whole name: a name, or a comment?")
    if not known_name(low):
        if not _known(word):  # "Saluton"
            return Verdict(hold="one word signsync knows neither as a name nor as a word: a name?")
        if word_languages(low):
            return Verdict(
                hold=f"one word ('{word}') of some language, no known given name or surname: a name?"
            )
        return Verdict()  # a compound of known names ("مهدی‌پور")
    if word_languages(low) and not _is_name_at(low, _zipf(low)):
        return Verdict(hold=f"one word ('{word}'), more common as a word than as a name: a comment?")
    return Verdict()


# marks that kill a consonant's vowel (virama, Myanmar asat, Khmer coeng, Sinhala al-lakuna):
# the consonant before closes a syllable or stacks onto the next one
_KILLER_NAMES = ("VIRAMA", "ASAT", "COENG", "AL-LAKUNA")
_NAME_SYLLABLES = (2, 5)  # names of Myanmar, Malayalam, Sinhala: two to five syllables in one word


@lru_cache(maxsize=1 << 12)
def _killer(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return unicodedata.category(ch) == "Mn" and any(k in name for k in _KILLER_NAMES)


@lru_cache(maxsize=1)
def _killer_scripts() -> frozenset[str]:
    """Scripts that write a consonant without its vowel with a killer mark (Devanagari to Khmer,
    Myanmar, Sinhala): there a letter not killed opens a syllable. Thai (no such mark in common
    use) and the syllabaries are not among them."""
    ranges = (range(0x0900, 0x1800), range(0xA800, 0xAB00), range(0x11000, 0x11D00))
    return frozenset(_script(chr(c)) for r in ranges for c in r if _killer(chr(c)))


@lru_cache(maxsize=1 << 14)
def _syllables(word: str) -> int:
    """Orthographic syllables of a word in an abugida (consonants and independent vowels that
    carry a vowel: not killed by a virama, asat or coeng, not a Malayalam chillu); 0 where vowels
    are written as letters of their own (Lao) or the script has no killer mark (Thai, Ethiopic):
    syllables cannot be counted this way."""
    count = 0
    scripts = _killer_scripts()
    for i, ch in enumerate(word):
        if unicodedata.category(ch) != "Lo":
            continue
        if _script(ch) not in scripts:
            return 0
        name = unicodedata.name(ch, "")
        if "VOWEL SIGN" in name or " SARA " in name or "CHILLU" in name:
            if "CHILLU" in name:
                continue
            return 0
        j = i + 1
        while j < len(word) and unicodedata.category(word[j]) == "Mn" and not _killer(word[j]):
            j += 1  # a dot below or nasal sign before the killer (Myanmar "န့်")
        if j < len(word) and _killer(word[j]):
            continue  # closes a syllable, or stacks onto the next consonant (conjuncts, coeng)
        count += 1
    return count


def _one_unread_word(word: str, unread: frozenset[str]) -> Verdict:
    """One word in a script no word list covers: a known name, or a name's few syllables
    ("အောင်ကျော်မိုး", "ഉണ്ണികൃഷ്ണൻ"), is published; else a name, or "thanks"? An editor reads it."""
    if _one_readable_name(word):
        return Verdict()
    listed = ", ".join(sorted(s.title() for s in unread))
    return Verdict(hold=f"one word in a script signsync has no word list for ({listed}): a name?")


def _one_readable_name(word: str) -> bool:
    """A name names-dataset lists as written, or a name's few syllables ("အောင်ကျော်မိုး"): one
    word in a script without a word list that needs no editor. A match only through a Latin
    spelling is not enough alone: a short word of any language spells some name somewhere, and
    a greeting typed as the whole name is as likely as a name."""
    return word.casefold() in _name_ranks() or _name_shaped(word)


def _name_shaped(word: str) -> bool:
    """One word of a script without a word list that has a name's shape: two to five syllables
    (names there are often written as one word: "အောင်ကျော်မိုး", "ഉണ്ണികൃഷ്ണൻ")."""
    low, high = _NAME_SYLLABLES
    return low <= _syllables(word) <= high
