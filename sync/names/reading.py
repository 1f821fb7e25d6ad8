"""`read_name`: one typed name (with its affiliation and kind answer) -> NameReading."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from anyascii import anyascii

from sync.names.affiliation import (
    _PAREN_PART_RE,
    _has_affiliation_words,
    _looks_like_org,
    _split_name,
    has_institution_word,
    split_institution_tail,
    without_affiliation_parts,
)
from sync.names.casing import _case_state, recase
from sync.names.checks import _holds, _kind_from_answer, _placeholder, _reject_reason
from sync.names.cleaning import _ascii_key, _keys, affiliation_key, clean_text
from sync.names.judgement import (
    _EXCLAIM_RE,
    _UNSPACED,
    UNKNOWN_EXCLAMATION,
    Verdict,
    _exclaims,
    _name_rank,
    _script,
    comment_words,
    has_markup,
    is_word_or_name,
    judge,
    keyboard_mash,
    known_name,
    lowercase_words,
    scripts_without_data,
    segments,
)
from sync.names.lexicon import (
    _AFTER_PARTICLE,
    _BIDI_RE,
    _MARKS,
    _ORG_SMALL,
    _PARTICLES,
    _ROMAN_RE,
    _SUFFIXES,
    _TITLES,
    _URL_RE,
    _VIETNAMESE_FAMILY,
    MAX_CHARS_HOLD,
    MAX_TOKENS_HOLD,
    _profanity,
)
from sync.names.notable import notable_affiliation
from sync.names.redact import has_email, mask_emails, mask_personal, personal_data
from sync.names.watchlist import Watchlist, _default_watchlist
from sync.support.workers import map_rows

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


def read_names(rows: Sequence[tuple[str, str, str]], watchlist: Watchlist | None = None) -> list[NameReading]:
    """`read_name` of each (name, affiliation, kind answer), in order: the same readings, made
    by worker processes when there are many (sync/support/workers.py)."""
    wl = watchlist if watchlist is not None else _default_watchlist()
    return [NameReading(*fields) for fields in map_rows(partial(_reading_fields, wl), rows, heavy=True)]


def _reading_fields(wl: Watchlist, rows: Sequence[tuple[str, str, str]]) -> list[tuple[Any, ...]]:
    # Plain tuples (NameReading's fields in order): a worker sends them back several times
    # faster than the objects.
    out = []
    for name, aff, kind in rows:
        r = _read_name_cached(name, aff, kind, wl)
        out.append(
            (
                r.raw,
                r.display,
                r.affiliation,
                r.kind,
                r.flags,
                r.hold,
                r.reject,
                r.key,
                r.nospace_key,
                r.ascii_key,
            )
        )
    return out


@lru_cache(maxsize=1 << 17)  # repeated submissions and reruns; ~64 MB when full
# Complexity (C901) allowed: the reading's steps in their order, each a short guarded step; split, a
# dozen intermediate values would be threaded through helpers.
def _read_name_cached(name_raw: str, affiliation_raw: str, kind_answer: str, wl: Watchlist) -> NameReading:  # noqa: C901
    flags: list[str] = []
    holds: list[str] = []
    text, removed, fixed = clean_text(name_raw)
    aff_text, aff_removed, aff_fixed, aff_flags, aff_holds = _clean_affiliation(affiliation_raw)
    if removed or aff_removed:
        # Zero-width spaces, soft hyphens, BOMs come from copy and paste: removed, flagged.
        # Bidi overrides and isolates can make the page show another text: held.
        flags.append("invisible characters removed")
        if _BIDI_RE.search(name_raw) or _BIDI_RE.search(affiliation_raw):
            holds.append("bidi control characters (they can reorder the text on the page)")
    if fixed or aff_fixed:
        flags.append("mojibake fixed")
    flags.extend(aff_flags)
    holds.extend(aff_holds)
    kind, answered = _kind_from_answer(kind_answer)
    org_answered = kind == "organization" and answered

    def rejected(reason: str, display: str) -> NameReading:
        return NameReading(
            name_raw, mask_personal(display), aff_text, kind, tuple(flags), tuple(holds), reason, "", "", ""
        )

    reject = _reject_reason(text)
    if reject:
        return rejected(reject, text)
    untitled, titles = drop_local_titles(text) if kind == "individual" else (text, "")
    if titles and untitled:
        # "prof. dr hab.", "mgr", "Univ.-Prof. Mag.", "د.", "박사": an editor leaves them out of
        # the page (the typed text keeps them); plain "Dr." and "Prof." stay as typed
        text = untitled
        flags.append(f"title left out: {titles}")
    markup = has_markup(text)

    # Affiliation typed into the name field (individuals only: an organization's name may
    # well contain commas and dashes).
    name = text
    affiliation = aff_text
    looks_org = kind == "individual" and _looks_like_org_name_whole(text)
    greeting = _comment_tail(text) if kind == "individual" and not markup and not looks_org else None
    if greeting is not None:
        # "Name, good luck!": the signer stays, the greeting goes (the typed text keeps it)
        name = text = greeting[0]
        flags.append(f"comment {greeting[2]} the name dropped: {greeting[1]!r}")
    if kind == "individual" and not markup and not looks_org and _SEPARATOR_RE.search(text):
        # before "Agreed, well said" could be read as "Surname, Given"
        verdict = judge(without_affiliation_parts(text), kind)
        if verdict.reject:
            return rejected(verdict.reject, text)
        split = _split_name(text)
        name = split.name
        flags.extend(split.flags)
        holds.extend(split.hold)
        affiliation = _join_affiliations(split.affiliation, aff_text)
    elif kind == "individual" and not markup and (glued := split_cjk_affiliation(text)):
        # "鈴木一郎 東京大学", "刘洋（北京大学）": a Han name with its institution glued on
        name = glued[0]
        if glued[1] in _LOCAL_SUFFIXES:  # "蔡培慧教授": a title
            flags.append(f"title left out: {glued[1]}")
        else:
            flags.append("affiliation split from name")
            affiliation = _join_affiliations(glued[1], aff_text)
    elif (
        kind == "individual"
        and not markup
        and (looks_org or has_institution_word(text))
        and not _SEPARATOR_RE.search(text)
    ):
        head, tail, found = split_institution_tail(text)
        if tail:
            name = head
            flags.append("affiliation split from name")
            affiliation = _join_affiliations(tail, aff_text)
        elif found:
            holds.append("institution in the name field: put the name and the affiliation apart")
    name = _trim_trailing(name)
    if kind == "individual" and name != text:
        # a title inside the name field's text, leading once the affiliation or the surname
        # went ("Brown, Dr. Alice" -> "Dr. Alice Brown")
        retitled, more = drop_local_titles(name)
        if more and retitled:
            name = retitled
            flags.append(f"title left out: {more}")

    # a parenthesised tail still in the name (a handle, pronouns) is held for what it is,
    # not read as a sentence ("Eric Canton (they/them)")
    verdict = judge(_PAREN_PART_RE.sub(" ", name), kind, words=not (looks_org and name == text))
    if verdict.reject:
        return rejected(verdict.reject, text)
    if verdict.hold:
        holds.append(verdict.hold)

    if kind == "organization" and not markup and (moved := _acronym_last(name)) != name:
        # "ZNP Związek Nauczycielstwa Polskiego" -> "Związek Nauczycielstwa Polskiego (ZNP)"
        name = moved
        flags.append("acronym put after the name")
    state = _case_state(name)
    if markup:
        pass  # never recase inside tags (<Script>)
    elif state in ("upper", "lower") and sum(ch.isalpha() for ch in name) > 1 and not _brand(name, kind):
        keep = _acronyms(name) if kind == "organization" else frozenset()
        recased = recase(name, kind == "organization", keep)
        if kind == "individual":
            recased = _conjunction_particle(recased)
        if recased != name:
            name = recased
            flags.append("auto-cased")
    elif state == "mixed" and kind == "individual":
        reordered = _capitals_surname(name)
        if reordered != name:
            name = reordered
            flags.append("surname typed in capitals")
    dropped = _affiliation_problem(affiliation) if affiliation else ""
    if dropped:
        # the signer is published, the affiliation is not (the typed text keeps it)
        flags.append(f"affiliation dropped: {dropped}")
        affiliation = ""
    # Affiliations: only shouted ones are recased ("UNIVERSITY OF BATH"); a single capitalized
    # word is likely an acronym ("UNICEF", "MIT"), and lowercase may be deliberate.
    if affiliation and _case_state(affiliation) == "upper" and len(affiliation.split()) > 1:
        new_aff = recase(affiliation, True, _acronyms(affiliation))
        if new_aff != affiliation:
            affiliation = new_aff
            flags.append("affiliation auto-cased")
    if not name.isascii():
        name = unicodedata.normalize("NFC", name)
    if not affiliation.isascii():
        affiliation = unicodedata.normalize("NFC", affiliation)

    key, nospace = _keys(name, kind)
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
    ascii_key = _ascii_key(key)
    holds.extend(_holds(name, key, nospace, kind, answered, wl, ascii_key))
    if affiliation and wl.notable and (bait := notable_affiliation(affiliation)):
        holds.append(bait)  # "The White House", "Elon Musk" as the affiliation
    if kind == "individual" and answered and _looks_like_org(name):
        flags.append("organization words, but signed as an individual")
    if org_answered:
        holds[:] = [h for h in holds if h not in _NORMAL_FOR_ORGANIZATIONS]
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
        ascii_key=ascii_key,
    )


def _acronym_last(name: str) -> str:
    """An organization's name opened by its own acronym (the capitals are the initials of the
    words after it, small words skipped: "GEW Gewerkschaft Erziehung und Wissenschaft"), written
    as editors do: the name, then the acronym in parentheses."""
    words = name.split()
    if len(words) < 3 or not (words[0].isupper() and words[0].isalpha() and 2 <= len(words[0]) <= 6):
        return name
    rest = words[1:]
    if any(w.isupper() for w in rest):
        return name  # the whole name in capitals: nothing tells the acronym apart
    initials = "".join(w[0] for w in rest if w[:1].isupper() and w.casefold() not in _ORG_SMALL)
    if initials.casefold() != words[0].casefold():
        return name
    return f"{' '.join(rest)} ({words[0]})"


@lru_cache(maxsize=1 << 14)  # affiliations repeat far more than names
def _clean_affiliation(raw: str) -> tuple[str, bool, bool, tuple[str, ...], tuple[str, ...]]:
    """(text, controls removed, mojibake fixed, flags, holds) for the affiliation as typed.

    No raw email address may be stored or published (design.md): any is masked in the derived
    text (`raw` keeps what was typed). A phone number, a home address or an identity number is
    never published: masked, flagged, and the entry waits for an editor."""
    text, removed, fixed = clean_text(raw)
    flags: list[str] = []
    holds: list[str] = []
    if has_email(text):
        text = mask_emails(text)
        flags.append("email removed from affiliation")
        holds.append("email address in the affiliation: spam-like")
    elif ("." in text or ":" in text) and _URL_RE.search(text):
        holds.append("link in the affiliation: spam-like")
    personal = [k for k in personal_data(text) if k != "email address"]
    if personal:
        text = mask_personal(text)
        flags.append("personal data removed")
        holds.append(f"{' and '.join(personal)} in the affiliation (removed)")
    return text, removed, fixed, tuple(flags), tuple(holds)


def _join_affiliations(from_name: str, typed: str) -> str:
    """The affiliation split from the name field and the one typed in its own box."""
    if not from_name:
        return typed
    if not typed:
        return from_name
    if affiliation_key(from_name) in affiliation_key(typed):
        return typed
    return f"{from_name}, {typed}"  # never drop what was typed: keep both, the name-field part first


_TRAILING_RE = re.compile(r"[\s,;:\u055d\u060c\u1363\u1364\u3001\uff0c]+$|(?<=[^\W\d_]{2})\.+$")
# a final "." that belongs to the name: an initial ("John F."), "Jr.", "Inc.", "e.V."
_KEEP_DOT_RE = re.compile(
    r"(?i)(?:^|\s)(?:[^\W\d_]|jr|sr|snr|jnr|esq|inc|ltd|co|corp|bros|e\.v|s\.a|ph\.d)\.$"
)


def _trim_trailing(name: str) -> str:
    """Drop a trailing comma, semicolon or full stop typed after a name ("Ana Lima.")."""
    if not name or name[-1] not in ".,;: \u055d\u060c\u1363\u1364\u3001\uff0c":
        return name
    last = name.rsplit(None, 1)[-1].casefold() if name.strip() else ""
    if last in _TITLES or last in _SUFFIXES:
        return name  # "Dr.", "Jr.", "Ph.D."
    while True:
        new = name if _KEEP_DOT_RE.search(name) and name.endswith(".") else _TRAILING_RE.sub("", name)
        new = new.rstrip(",;: ") if new.endswith((",", ";", ":")) else new
        if new == name:
            return name
        name = new


def _conjunction_particle(name: str) -> str:
    """ "Montserrat Vila I Antequera" -> "... Vila i Antequera": the Catalan "i" (and Spanish
    "y") joining two surnames is lowercase. Only between surnames (third word or later, a
    surname after it): in "John I Smith" the I is an initial."""
    words = name.split(" ")
    if len(words) < 4:
        return name
    for i in range(2, len(words) - 1):
        if (
            words[i] in ("I", "Y")
            and len(words[i - 1]) > 2
            and len(words[i + 1]) > 2
            and words[i + 1][:1].isupper()
        ):
            words[i] = words[i].lower()
    return " ".join(words)


def _acronyms(text: str) -> frozenset[str]:
    """Words of an all-capitals organization name to keep in capitals: short, and not words
    of any of the signers' languages nor names ("QMUL", "KBS"; not "LEEDS" or "UNITE")."""
    out = set()
    for w in text.split():
        core = w.strip(".,;:()[]").casefold()
        if 2 <= len(core) <= 5 and core.isalpha() and not is_word_or_name(core):
            out.add(core)
    return frozenset(out)


def _capitals_surname(name: str) -> str:
    """ "MARTIN Dominique" and "Dominique MARTIN" -> "Dominique Martin".

    The French and administrative habit: the surname in capitals, the given names in mixed
    case. Only when every word is one or the other, the capitals come first or last, and the
    name is not family-first by custom (Vietnamese, Han).
    """
    words = name.split()
    if len(words) < 2 or "," in name:
        return name
    caps = [_is_capitals_word(w) for w in words]
    if all(caps) or not any(caps):
        return name
    if not all(
        c or (w[:1].isupper() and not w.isupper()) or w.casefold() in _PARTICLES
        for w, c in zip(words, caps, strict=True)
    ):
        return name
    n = sum(caps)
    if all(caps[:n]) and not any(caps[n:]):  # surname first
        surname, given = words[:n], words[n:]
    elif all(caps[-n:]) and not any(caps[:-n]):
        given, surname = words[:-n], words[-n:]
    else:
        return name
    if words[0].casefold() in _VIETNAMESE_FAMILY:
        return recase(" ".join(surname), False) + " " + " ".join(given)
    return " ".join(given) + " " + recase(" ".join(surname), False)


def _brand(name: str, kind: str) -> bool:
    """An organization's name of one word in one case ("350.org", "7amleh", an acronym:
    "SUARAM", "İHD"): written so."""
    if " " in name:
        return False
    # one word in capitals without vowels is an acronym whoever signs it ("RNDDH")
    return kind == "organization" or (
        name.isupper() and len(name) <= _ACRONYM_MAX and _NO_VOWEL_RE.match(name) is not None
    )


_ACRONYM_MAX = 8
_NO_VOWEL_RE = re.compile(r"^[B-DF-HJ-NP-TV-XZ]+$")


def _is_capitals_word(word: str) -> bool:
    core = word.strip(".,'’-")
    return (
        len([c for c in core if c.isalpha()]) >= 2
        and "." not in core  # initials ("С.С.")
        and core.isupper()
        and not _ROMAN_RE.match(core)
        and core.casefold() not in _SUFFIXES
        and core.casefold().rstrip(".") not in _SUFFIXES
    )


_NORMAL_FOR_ORGANIZATIONS = frozenset(
    {
        "digits in name",
        "looks like a web address",
        f"longer than {MAX_CHARS_HOLD} characters",
        f"more than {MAX_TOKENS_HOLD} words",
        "same character 3+ times",
        "several people in one entry?",
    }
)


_SEPARATOR_RE = re.compile(r"[,(\[|]|\s[-\u2013\u2014]\s")  # where an affiliation may start


# commas of every script: Latin, Arabic "،", ideographic "、", full-width "，", Armenian "՝",
# Ethiopic "፣", Mongolian "᠂", NKo, Vai, Lisu, Bamum
_COMMAS = ",\u055d\u060c\u07f8\u1363\u1802\u1808\u3001\uff0c\ua4fe\ua60d\ua6f5"
_TAIL_SPLIT_RE = re.compile(f"\\s*[{_COMMAS}]\\s*|\\s+[-\u2013\u2014]\\s+|\\s*[:;]\\s+")


def _comment_tail(text: str) -> tuple[str, str, str] | None:
    """(name, comment, "after"|"before") when `text` is a name with a greeting or comment
    after it ("Ana Lima, good luck!", "Ana Lima – merci pour cette lettre", "Monika Płatek,
    pozdrawiam serdecznie", "권미혁 감사합니다") or before it ("Kiitos paljon, Matti Virtanen",
    "terveisin Silvia Modig"): the comment part alone reads as a comment, and the rest as a plain
    name. After a comma, dash or colon a part in lowercase, or one the word lists doubt, is a
    comment unless it holds title or institution words (then it is an affiliation)."""
    if split_cjk_affiliation(text):
        return None  # "鈴木一郎 東京大学": an institution, not a greeting
    parts = _TAIL_SPLIT_RE.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        head, tail = parts[0].strip(), parts[1].strip()
        if _comment_part(tail, head) and _plain_name(head):
            return head, tail, "after"
        if _comment_part(head, tail) and _plain_name(tail):
            return tail, head, "before"
        return None
    words = text.split()
    if len(words) < 2:
        return None
    # no separator: lowercase words before a capitalized name ("le meas Mairéad Farrell")
    # or words of a script without case before a name in Latin letters ("धन्यवाद Wongdi Sherpa")
    lead = 0
    while lead < len(words) - 2 and not words[lead][:1].isupper():
        lead += 1
    if lead and all(w[:1].isupper() for w in words[lead:]):
        head, name = " ".join(words[:lead]), " ".join(words[lead:])
        said = judge(head, "individual") if not lowercase_words(["", *words[:lead]]) else Verdict(hold="-")
        if said != Verdict() and _plain_name(name):
            return name, head, "before"
    # ... or a sentence after it: an exclamation, or words of a script without spaces
    unspaced = len(words) == 2 and _unspaced_name(words[0])
    if unspaced or _exclaims(text):
        for k in range(1, min(4, len(words)) + 1):
            head, tail = " ".join(words[:-k]), " ".join(words[-k:])
            why = judge(tail, "individual").reject
            comment = _comment_part(tail, head) if unspaced else bool(why) and why != UNKNOWN_EXCLAMATION
            if comment and _plain_name(head, single=True):
                return head, tail, "after"
    return None


def _comment_part(part: str, other: str) -> bool:
    """Does `part`, beside the name `other`, read as a greeting or comment?"""
    verdict = judge(part, "individual")
    if verdict.reject:
        return not verdict.reject.startswith("markup")
    if _has_affiliation_words(part) or _looks_like_org(part) or has_markup(part):
        return False
    lowercase = part.islower() and not other.islower()  # "Deo Sanga, asanteni sana"
    # a capitalized word the lists doubt is as often an affiliation ("Greenpeace"); in a script
    # without case, or in lowercase, a doubtful word is a greeting ("მადლობა", "धन्यवाद")
    caseless = _case_state(part) == "none"  # Georgian counts as without case (casing.py)
    # a sentence in sentence case after the name ("Ngai akurathime", "Dios ti agngina"): a
    # lowercase word after the first that no list knows is a sentence's, not an institution's
    sentence = "in lowercase" in verdict.hold or verdict.hold.startswith("dictionary words (")
    return lowercase or (
        bool(verdict.hold)
        and (caseless or sentence or ("dictionary" in verdict.hold and not part[:1].isupper()))
    )


def _unspaced_name(word: str) -> bool:
    """One word of a script written without spaces between a name's parts (Han, kana, Hangul)."""
    return bool(word) and _script(word[0]) in _UNSPACED


def _plain_name(text: str, single: bool = False) -> bool:
    """A name of two or more words (or, with `single`, one word of a script without spaces:
    "권미혁") with nothing doubtful about it: in a script with case every word capitalized (or a
    particle), in one without, a known name among its words."""
    words = text.split()
    if not words or any(ch in text for ch in "([{") or _reject_reason(text) or _looks_like_org(text):
        return False
    if len(words) < 2 and not (single and _unspaced_name(text)):
        return False
    if _case_state(text) == "none" and not _unspaced_name(text):
        # two words the word lists read as no common words are a name (Hebrew, Arabic); in a
        # script without a word list, or three words and more, known names must say so
        known = sum(known_name(w.casefold()) for w in words)
        if (len(words) > 2 or scripts_without_data(text)) and (not known or 2 * known < len(words)):
            return False
    elif _case_state(text) != "none" and not all(
        w[:1].isupper() or w.casefold() in _PARTICLES or w.casefold() in _AFTER_PARTICLE for w in words
    ):
        return False
    return judge(text, "individual") == Verdict()


# Titles an editor leaves out of the page: academic, professional, honorific and religious ones,
# in every language ("Dr.", "Prof.", "prof. dr hab.", "Univ.-Prof. Mag.", "akademik", "Fr.", "د.",
# "ד"ר", "डॉ.", "PGS.TS."). A leading run of titles goes whole; the typed text keeps them.
# Beside these lists, any leading abbreviation is a title (_is_abbreviation).
_LOCAL_TITLES = frozenset(  # a long list reads better as one string
    """mgr mgr. inż inż. hab hab. dr.hab. ing ing. ing.arch. dipl.-ing. dipl.-ing dipl.-kfm. mag mag.
    mag.a univ.-prof. univ.-prof univ.prof. o.univ.-prof. ao.univ.-prof. priv.-doz. doz. doc. doc
    akademik akad. academician akademikas phdr. phdr rndr. rndr mudr. mudr judr. judr paeddr.
    ing.-arch. bc. bc mvdr. mddr. thdr. thlic. dott. dott dott.ssa dott.ssa. avv. avv arch. geom.
    fr fr. father padre pater père abbé abbe frère sr. sister hna. hno. pbro. ks. ks rabbi ustaz
    ustadz ustadzah kyai pastor imam haji hajjah advocate adv. pd barrister datuk dato dato' datin
    د. دكتور الدكتور أ.د. ا.د. الأستاذ م. مهندس دکتر مهندس پروفسور
    проф. проф доц. доц акад. акад д-р академик
    δρ. δρ καθ.""".split()  # noqa: SIM905
)
# ... and after the name: Czech/Slovak degrees, the East Asian "professor", "doctor"
_LOCAL_SUFFIXES = frozenset(
    "csc. csc drsc. drsc 박사 교수 교수님 博士 教授 先生 老师 老師 さん 様 氏".split()  # noqa: SIM905
)
# letters closed by a full stop or a Hebrew gershayim, once or more ("Dr.", "PGS.TS.", "ד"ר",
# "Prof.ssa", "ผศ.ดร."): an abbreviation
_LETTER = f"[^\\W\\d_](?:[^\\W\\d_]|[{_MARKS}]){{0,5}}"  # up to 6 letters with their combining marks
_ABBREVIATION_RE = re.compile(f'^(?:{_LETTER}[."\u05f4])+(?:{_LETTER})?$')
_GLUED_TITLE_RE = re.compile(f"^((?:{_LETTER}\\.){{1,3}})({_LETTER}.*)$")
_NAME_ABBREVIATION_RANK = 25  # "Md.", "Mohd.", "Ma.": abbreviated given names, not titles


def _is_abbreviation(word: str) -> bool:
    """A leading abbreviation that is not an initial ("J.", "J.R.") nor an abbreviated given
    name ("Md.", "Mohd."): a title. One letter and a full stop is a title in scripts without
    case ("ড.", "د."), an initial in the others."""
    if not _ABBREVIATION_RE.match(word):
        return False
    if '"' in word or "\u05f4" in word:
        return True  # Hebrew marks an abbreviation with gershayim (ד"ר, עו"ד), initials with a dot
    chunks = [c for c in re.split(r"[.\"\u05f4]", word) if c]
    letters = "".join(chunks)
    if not word.endswith("."):
        if len(chunks[-1]) > 4 or not chunks[-1].islower():
            return False  # a name glued after the abbreviation ("ดร.ปิยบุตร"): see _GLUED_TITLE_RE
        letters = "".join(chunks[:-1])  # "Prof.ssa", "Dott.ssa": the abbreviation, then an ending
    if all(len(c) == 1 for c in chunks) and (letters.lower() != letters.upper() or len(chunks) > 1):
        return False  # initials
    if letters.lower() == letters.upper() and len(chunks) == 1 and sum(ch.isalpha() for ch in letters) == 1:
        return True  # one letter in a script without case: "ড.", "मा." (see drop_local_titles)
    return _name_rank(letters.casefold()) > _NAME_ABBREVIATION_RANK


def _dotted(word: str) -> bool:
    """Letter groups each closed by a full stop, two or more ("к.т.н.", "Ph.D.")."""
    return bool(_ABBREVIATION_RE.match(word)) and word.endswith(".") and word.count(".") >= 2


def _lowercase_degree(word: str, rest: list[str]) -> bool:
    """Lowercase letters with full stops before a capitalised name ("д.ф.н. Мадина", "dr. hab.
    Jan"): an abbreviated degree or title. Initials are capitals; an all-lowercase name is not
    judged here."""
    if not _dotted(word):
        return False
    letters = word.replace(".", "")
    return letters.islower() and any(w[:1].isupper() for w in rest)


def _post_nominal(words: list[str]) -> bool:
    """A post-nominal after a full name (", M.D.", ", Ph.D."): abbreviated letter groups after a comma,
    with at least two words before it (one word and a comma is "Surname, J.R.": initials)."""
    if len(words) < 3 or not words[-2].endswith(",") or not _dotted(words[-1]):
        return False
    return not any(w.endswith(",") for w in words[:-2])  # one comma: not "Surname, Given, ..."


def _one_letter(word: str) -> bool:
    """One letter (with its vowel signs) and a full stop: an initial or a one-letter title."""
    return word.endswith(".") and sum(ch.isalpha() for ch in word) == 1


@lru_cache(maxsize=1 << 14)  # first words repeat (given names, titles)
def _is_title(word: str) -> bool:
    low = word.casefold()
    if low in _LOCAL_TITLES or low in _TITLES or low in _LOCAL_TITLES_GLUED or _is_abbreviation(word):
        return True
    if low.isascii():
        return False
    # the same titles in another script ("др", "проф", "δρ"), compared in Latin letters, or by
    # their consonants ("ڈاکٹر", "டாக்டர்", "پروفیسور": doctor, professor)
    latin = anyascii(low).lower()
    if latin in _LOCAL_TITLES or latin in _TITLES:
        return True
    sound = _consonant_sound(latin)
    return len(sound) >= 4 and sound in _title_sounds()


_SOUND = str.maketrans("dcgbvqz", "tkkpfks")


def _consonant_sound(latin: str) -> str:
    """A Latin spelling's consonants, voiced ones as voiceless ("doktor", "taktr" -> "tktr")."""
    out: list[str] = []
    for ch in latin.translate(_SOUND):
        if "a" <= ch <= "z" and ch not in "aeiouyhw'" and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1)
def _title_sounds() -> frozenset[str]:
    words = {w.strip(".") for w in _LOCAL_TITLES | _TITLES if w.isascii() and len(w.strip(".")) >= 5}
    return frozenset(s for s in map(_consonant_sound, words) if len(s) >= 4)


# Titles written glued to the given name in scripts without spaces between words: Thai นาย/
# นาง/นางสาว (Mr., Mrs., Miss) and ด.ช./ด.ญ. (boy, girl), Lao ທ້າວ/ນາງ/ນາງສາວ; longest first
_PREFIX_TITLES = ("นางสาว", "นาย", "นาง", "ด.ช.", "ด.ญ.", "ນາງສາວ", "ທ້າວ", "ນາງ")
_LOCAL_TITLES_GLUED = frozenset(_PREFIX_TITLES)

# after one of the titles above, part of it ("Datuk Seri", "Tan Sri")
_TITLE_SEQUELS = frozenset({"seri", "sri"})


def drop_local_titles(text: str) -> tuple[str, str]:
    """(the name without its titles, the titles left out or '')."""
    words = text.split()
    if len(words) > 1 and (prefix := next((t for t in _PREFIX_TITLES if words[0].startswith(t)), "")):
        rest = words[0][len(prefix) :]
        if len(rest) >= 2 and rest[0].isalpha():  # "นายสมชาย ใจดี": Mr. glued to the given name
            words[:1] = [prefix, rest]
    if (
        words
        and not _is_title(words[0])
        and (glued := _GLUED_TITLE_RE.match(words[0]))
        and _is_title(glued.group(1))
    ):
        words[:1] = [glued.group(1), glued.group(2)]  # "ผศ.ดร.ปิยบุตร", "Dr.Smith"
    lead = 0
    while lead < len(words) - 1 and (
        _is_title(words[lead])
        or (lead and words[lead].casefold() in _TITLE_SEQUELS)
        or _lowercase_degree(words[lead], words[lead + 1 :])
    ):
        lead += 1
    # one letter and a full stop before a single word is an initial ("சு. வெங்கடேசன்",
    # "ಕೆ. ಮರುಳಸಿದ್ದಪ್ಪ"), before a full name a title ("ড. হামিদা বানু শোভা", "मा. कमला पन्त")
    while lead and _one_letter(words[lead - 1]) and sum(not _one_letter(w) for w in words[lead:]) < 2:
        lead -= 1
    if lead and not words[lead][:1].isalpha():
        return text, ""  # "Mr. & Mrs. Okafor": the titles are what tells the two apart
    head = words[:lead]
    trail: list[str] = []
    while len(words) - lead - len(trail) > 1:
        last = words[len(words) - 1 - len(trail)].strip(",").casefold()
        if last not in _LOCAL_SUFFIXES and not (not trail and _post_nominal(words[lead:])):
            break
        trail.insert(0, words[len(words) - 1 - len(trail)])
    if not head and not trail:
        return text, ""
    kept = words[lead : len(words) - len(trail)]
    out = " ".join(kept).rstrip(",;")
    left_out = " ".join(head + [w.strip(",") for w in trail])
    return out, left_out


_CJK_INSTITUTION_RE = re.compile(
    r"^([\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af]{2,4})(?:[\s\u3000]+|[（(])"
    r"([^\s（）()]{2,}?(?:大学|大學|大学院|学院|學院|研究所|研究院|研究中心|医院|醫院|病院|公司|会社|協会|协会|"
    r"高校|中学|小学|대학교|대학|연구소|연구원|병원|회사|학교))[）)]?$"
)


def split_cjk_affiliation(text: str) -> tuple[str, str] | None:
    """(name, institution) for a Han or Hangul name with its institution after it, with a space
    or parentheses ("鈴木一郎 東京大学") or glued on ("寺田学立憲民主党", "김성주국민연금공단")."""
    m = _CJK_INSTITUTION_RE.match(text)
    if m:
        return m.group(1), m.group(2)
    return _glued_cjk_tail(text)


_GLUED_SURNAME_RANK = 60  # a first character this common as a name (王, 李, 김, 寺) opens a name


def _glued_cjk_tail(text: str) -> tuple[str, str] | None:
    """A name of two to four Han or Hangul characters, then two or more dictionary words of two
    characters or more, cut where the dictionary cuts the whole ("寺田学|立憲|民主党",
    "蔡培慧|教授"): the tail is an institution or a title."""
    if len(text) < 5 or " " in text or not all(_unspaced_name(ch) for ch in text):
        return None
    surname = _name_rank(text[0]) <= _GLUED_SURNAME_RANK
    cuts = set(itertools.accumulate(len(x) for x in segments(text)))
    for n in (3, 2, 4):
        tail = text[n:]
        if (
            n in cuts
            and len(tail) >= 2
            and (surname or _name_rank(text[:n]) < 10**9)  # "김성주": a known given name after 김
            and all(len(x) >= 2 for x in segments(tail))
        ):
            return text[:n], tail
    return None


@lru_cache(maxsize=1 << 14)  # affiliations repeat far more than names
def _affiliation_problem(affiliation: str) -> str:
    """Why an affiliation must not be published ('' if it may): judged like a name, but with
    the reasons that fit an affiliation (its words are ordinary words: "Friends of the Earth")."""
    if has_markup(affiliation):
        return "markup or template code"
    # the words as names are keyed (casefolded, accents after Latin, Greek and Cyrillic letters
    # gone), which is how the profanity lists are written (tools/build_profanity.py)
    if any(w in _profanity() for w in _keys(affiliation)[0].split()):
        return "profanity"
    mash, words_judged, _ = keyboard_mash(affiliation)
    if mash and mash == words_judged:
        return "keyboard mash"
    exclaims = _EXCLAIM_RE.search(affiliation) is not None
    if (
        _placeholder(affiliation)
        or comment_words(affiliation)
        or (exclaims and judge(affiliation, "individual").reject.startswith("an exclamation"))
    ):
        return "a comment, not an affiliation"
    return ""


def _looks_like_org_name_whole(text: str) -> bool:
    """The name field before any comma/dash/bar/parenthesis names an organization."""
    return _looks_like_org(_SEPARATOR_RE.split(text, maxsplit=1)[0])
