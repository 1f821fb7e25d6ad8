"""Find existing registry entries that a new signature duplicates, by these tiers of evidence:

| tier | rule | merge |
|---|---|---|
| A | same email (hash) and names that can be the same person | yes |
| A | same email, different name ("Mia"/"Max Wong": a shared address) or kind | no: shown |
| B | same k_sorted, same or missing email and affiliation, same kind, no namesake in view | yes |
| C | same k_sorted, different email, affiliation or kind; or B with several candidates | no |
| D | fuzzy >= 92 (or same k_nospace) and same email local part | yes |
| E | fuzzy 88-91, or >= 92 without the same email local part, or same k_ascii | no: a hint |

Refinements of the plain table, each to avoid a silent wrong merge:
- a shared address (household, an organizer signing colleagues up, a person signing for
  themselves and their organization) merges only names compatible token by token;
- "same name, no email" (B) is refused when the name already belongs to two entries, or to
  one entry and a namesake: which one is meant is the editor's call;
- "different email" means both sides have emails and none is shared: then only D merges,
  whose same local part (jane.doe@ at two providers) counts as the same email identity.
Fuzzy matching alone merges different people (Catherine/Katherine Wright), hence the email
evidence for D. `match` never returns more than one merge=True, nor the query's own id, and
shows at most MAX_SHOWN namesakes (C) and hints (E).

Speed: exact tiers are dict look-ups. Fuzzy candidates come from small blocks (see `blocking_keys`)
holding each distinct key once, each scored by rapidfuzz in C (process.extract with a score
cut-off, which skips keys of too different a length), never pair by pair in Python.
"""

from __future__ import annotations

import heapq
import itertools
import re
import unicodedata
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from operator import itemgetter

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from sync.dedupe.crossscript import (
    cross_keys,
    part_keys,
    romanizations,
    same_across_scripts,
    script_of,
    sounds,
    typed_words,
)
from sync.model import Signatory
from sync.names import NameReading, affiliation_key, name_keys
from sync.names.notable import commonness

FUZZY_MERGE = 92.0  # >= 92 still pairs different people, so it needs email evidence
FUZZY_HINT = 88.0  # below this typo duplicates are rare and different people common
SMALL_BLOCK = 64  # blocks this small are also scored in typed order (see MatchIndex._fuzzy)
MAX_SHOWN = 5  # C (namesake) and E (hint) matches per query; more would bury the editor
# Similar keys looked at per query. Real lists rarely give a name more than a handful of similar
# keys; generated ones ("Person Number1".."Person Number50000") give every name thousands, and
# turning each into a Match made a run quadratic. The best-scoring ones are kept, and every key of
# an entry with the same email name, so a D merge is never lost to the cap.
MAX_FUZZY = 50
# A block that will hold more keys than this is scored ahead for a batch of queries (`prepare`):
# one call into rapidfuzz's cdist over the block, in C, instead of one scan per query, each
# keeping only its best keys (see `_crowded_hits`). Generated lists whose names all look alike
# put every name in one such block, and each name then has thousands of similar keys.
CROWDED = 256
CROWD_PAIRS_MIN = 5_000_000  # fewer pairs to score ahead: not worth loading numpy (~0.1 s)
CROWD_CELLS = 2_000_000  # scores held at once while scoring a crowded block ahead (16 MB)
# The typed_key of an entry kept private (sync/store/privacy.py): its name is not kept, and its
# email alone says a later response is the same signer's (who may not be published without a yes).
SEALED_KEY = "\x00sealed"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry (existing or new) as matching sees it: keys and hashes only, no raw text."""

    id: str
    key: str
    nospace_key: str
    ascii_key: str
    email_keys: tuple[str, ...]  # HMAC hashes of canonical emails (opaque strings)
    email_local_keys: tuple[str, ...]  # HMAC hashes of the email local parts
    affiliation_key: str
    kind: str
    status: str
    domain_keys: tuple[str, ...] = ()  # HMAC hashes of email domains (not webmail providers)
    # An entry an editor renamed: the key of the name its signer typed. The signer writes again
    # under that name, and their email must still find them (tier A), e.g. to take back consent.
    typed_key: str = ""

    @classmethod
    def of_entry(cls, s: Signatory) -> Candidate:
        """A registry entry as matching sees it (keys from its name, not a full reading: fast)."""
        key, nospace, ascii_key = name_keys(s.name, s.kind)
        typed_key = name_keys(s.typed, s.kind)[0] if s.typed else ""
        if s.sealed:
            typed_key = SEALED_KEY
        elif typed_key == key or not s.edited:  # the cheap test first: most names are as typed
            typed_key = ""
        return cls(
            id=s.id,
            key=key,
            nospace_key=nospace,
            ascii_key=ascii_key,
            email_keys=s.email_keys,
            email_local_keys=(),
            affiliation_key=affiliation_key(s.affiliation),
            kind=s.kind,
            status=s.status,
            domain_keys=s.domain_keys,
            typed_key=typed_key,
        )

    @classmethod
    def of_reading(
        cls,
        id: str,
        reading: NameReading,
        email_keys: tuple[str, ...] = (),
        email_local_keys: tuple[str, ...] = (),
        status: str = "",
        domain_keys: tuple[str, ...] = (),
    ) -> Candidate:
        """A new response as matching sees it: its name reading and its email hashes (empty
        strings are dropped, so a Submission's '' email_key can be passed as is)."""
        return cls(
            id=id,
            key=reading.key,
            nospace_key=reading.nospace_key,
            ascii_key=reading.ascii_key,
            email_keys=tuple(e for e in email_keys if e),
            email_local_keys=tuple(e for e in email_local_keys if e),
            affiliation_key=affiliation_key(reading.affiliation),
            kind=reading.kind,
            status=status,
            domain_keys=tuple(d for d in domain_keys if d),
        )


class Tier(StrEnum):
    """How strong a Match's evidence is: the rows of the table above (the value is its letter)."""

    EMAIL = "A"  # same email
    NAME = "B"  # same name key, nothing that tells them apart
    NAMESAKE = "C"  # same name key, told apart (or too many to choose)
    EMAIL_NAME = "D"  # similar name and the same email name
    SIMILAR = "E"  # a similar name: a hint only

    @property
    def same_signer(self) -> bool:
        """Evidence from the signer's email (A, D): the same signer, whatever the name says."""
        return self is Tier.EMAIL or self is Tier.EMAIL_NAME


@dataclass(frozen=True, slots=True)
class Match:
    """One existing entry that a candidate may duplicate."""

    tier: Tier
    id: str  # the existing entry
    merge: bool  # True only for A, B, D; False: keep apart, show to the editor
    reason: str
    score: float
    # For merge=False: hold the new entry for an editor (True), or publish it with a note
    # (False: namesakes told apart by email and affiliation, similar names at other emails).
    hold: bool = True
    # A merge (same signer's evidence) shown instead because another entry matched first.
    outranked: bool = False


_TIER_ORDER = {Tier.EMAIL: 0, Tier.NAME: 1, Tier.EMAIL_NAME: 2, Tier.NAMESAKE: 3, Tier.SIMILAR: 4}


@lru_cache(maxsize=1 << 16)  # the keys of one batch of new names; bounded for 1M-entry runs
def _block_hashes(key: str, nospace: str) -> tuple[int, ...]:
    return tuple(hash(b) for b in blocking_keys(key, nospace))


def blocking_keys(key: str, nospace: str) -> tuple[str, ...]:
    """Blocking keys: which stored names a query is scored against.

    A one-edit typo changes one token, so for every token we block on the token plus the
    first letters of the other tokens ("maria|s" for "maria smith"), and again plus their last
    letters ("maria>h"): small blocks, and one typo anywhere in "smith" still meets one of
    them. The two longest tokens together catch an added or dropped middle name or initial
    ("j maria smith" / "maria smith"). Names without spaces (Han, Kana, Hangul, or one word)
    block on their first and last two characters.
    """
    toks = key.split()
    out: set[str] = set()
    firsts = [t[0] for t in toks]  # already in order: k_sorted's tokens are sorted
    for i, t in enumerate(toks):
        if len(t) >= 2:
            out.add(t + "|" + "".join(firsts[:i] + firsts[i + 1 :]))
            out.add(t + ">" + "".join(sorted(u[-1] for j, u in enumerate(toks) if j != i)))
    if len(toks) >= 2:
        a, b = sorted(sorted(toks, key=len, reverse=True)[:2])
        out.add(f"{a}+{b}")
    elif len(nospace) >= 3:
        out.add("^" + nospace[:2])
        out.add(nospace[-2:] + "$")
    return tuple(out)


def _tokens_compatible(a: str, b: str) -> bool:
    """Could token `a` stand for token `b`? Equal, an initial, a short form ("chris" for
    "christopher"), or a typo (ratio >= 80: "abdulahi"/"abdullahi", "jon"/"john")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == 1 or (len(short) >= 3 and long_.startswith(short)):
        return long_.startswith(short)
    return fuzz.ratio(a, b) >= 80


def _names_compatible(a: str, b: str) -> bool:
    """Could two keys name the same person? Every token of the shorter name must stand for a
    different token of the longer one ("l nasser" / "leila nasser", "chris johnson" /
    "christopher johnson"), so "mia wong" and "max wong" sharing an address stay apart.
    A missing key (a rejected reading) is compatible: the email decides.
    """
    if not a or not b or a == b:
        return True
    short, long_ = sorted((a.split(), b.split()), key=len)
    rest = list(long_)
    for t in short:
        hit = next((u for u in rest if _tokens_compatible(t, u)), None)
        if hit is None:
            return False
        rest.remove(hit)
    return True


def _clearly_different(a: str, b: str) -> bool:
    """Two full names (two words or more each) whose words that differ are nothing alike: no
    initial, short form or typo of one another ("laura bennett" / "daniel bennett")."""
    ta, tb = a.split(), b.split()
    if len(ta) < 2 or len(tb) < 2:
        return False
    only_a = [t for t in ta if t not in tb]
    only_b = [t for t in tb if t not in ta]
    if not only_a or not only_b:
        return False
    return all(
        len(x) > 1 and len(y) > 1 and not _tokens_compatible(x, y) and fuzz.ratio(x, y) < 60
        for x in only_a
        for y in only_b
    )


def _across_scripts(c: Candidate, other: Candidate) -> bool:
    """Are two candidates' names one name in two scripts ("Reza Hosseini" / "رضا حسینی")?"""
    return (
        bool(c.key and other.key)
        and script_of(c.key) != script_of(other.key)
        and same_across_scripts(c.key, c.nospace_key, other.key, other.nospace_key)
    )


_ACRONYM = "organization name is the other's acronym (initials of its words)"
_MIDDLE = "the same name with a middle name, second surname or patronymic added or dropped"
MAX_MIDDLE = 64  # names sharing a middle-name key past which it is a common name: not looked at
# A name this common (the product of its words' best ranks as given names or surnames in any
# country, `sync.names.notable.commonness`: "John Smith" 1, "Wang Wei" 8, "Lena Fischer" 40) is
# borne by many people: the same name with a middle name added ("Anna Müller" / "Anna Maria
# Müller") at another address is more likely another person than the same signer twice. Rarer
# names ("Ana Cano" 69, "Rimantas Dagys" 33,781) are held.
COMMON_NAME = 50
_COMMON = "a common name, namesakes are likely"


@lru_cache(maxsize=1 << 16)
def _common_name(key: str) -> bool:
    """Is a key of two words or more a name so common that namesakes are likely?"""
    return " " in key and commonness(key) <= COMMON_NAME


def _acronym_of(c: Candidate, other: Candidate) -> bool:
    """Two organizations meeting under an acronym key ("a:msf"): one is the acronym, the other
    the name of three words or more it abbreviates."""
    return c.kind == other.kind == "organization" and (" " in c.key) != (" " in other.key)


def _word_added(a: str, b: str) -> bool:
    """Has the longer of two keys a word of two letters or more that stands for none of the
    shorter's? An initial added ("John A. Smith" / "John Smith") is too common between two
    people at two addresses to hold them."""
    short, long_ = sorted((a.split(), b.split()), key=len)
    return any(len(t) > 1 and not any(_tokens_compatible(t, u) for u in short) for t in long_)


def _same_first_word(c: Candidate, other: Candidate) -> bool:
    """Do two names begin with the same word (or one an initial or short form of the other), in
    typed order?"""
    a, b = typed_words(c.key, c.nospace_key), typed_words(other.key, other.nospace_key)
    return bool(a and b) and _tokens_compatible(a[0], b[0])


def may_be_middle_name(c: Candidate, other: Candidate) -> bool:
    """Can `other`, met under a middle-name key (`part_keys`), be `c`'s name with words added or
    dropped (MatchIndex._middle_name): in one script, the shorter's every word standing for one of
    the longer's, both beginning with the same word? Neither organizations."""
    return not (
        not other.key
        or other.key.count(" ") == c.key.count(" ")
        or "organization" in (c.kind, other.kind)  # "X" and "X UK" are two organizations
        or script_of(other.key) != script_of(c.key)
        or not _names_compatible(c.key, other.key)
        or not _same_first_word(c, other)  # "Claire Dubois" is not "Marie-Claire Dubois"
    )


def meets_across(c: Candidate, other: Candidate, key: str) -> bool:
    """Does `match(c)` look at `other` when the two share the cross key `key` (`cross_keys`,
    MatchIndex._cross_candidates): an organization's acronym beside its name, or one name in two
    scripts (a Latin name looks only at names in other scripts)?"""
    if key.startswith("a:"):
        return c.kind == "organization" and _acronym_of(c, other)
    return _across_scripts(c, other)


@dataclass(frozen=True, slots=True)
class MiddleKeys:
    """What a MatchIndex built from part of the registry needs to answer middle-name look-ups
    (`MatchIndex._longer_or_shorter`) as one built from all of it: for the candidates it is built
    from, by id, the middle-name keys (`part_keys`: whole, parts) the queries look up (a query's
    parts among the wholes, its whole among the parts); and for each of those keys, how many of
    the registry's entries indexed under it are left out (a key shared by more than MAX_MIDDLE
    names is not looked at: the count decides, not only the entries loaded)."""

    parts: Mapping[str, tuple[str, tuple[str, ...]]]
    unloaded_wholes: Mapping[str, int]  # a whole key -> entries with it not among the candidates
    unloaded_parts: Mapping[str, int]  # a part key -> the same


_NO_PARTS: tuple[str, tuple[str, ...]] = ("", ())


def _comparable(a: str, b: str) -> tuple[str, str]:
    """Two keys in one script: romanized by sound class when their scripts differ (a name in Latin
    letters and another in Georgian are told apart by their sounds, not by having no letter in
    common: "Zurab Tkemaladze" / "ნინო ტყემალაძე" share a surname, "tkemaladze"/"tqemaladze")."""
    if not a or not b or script_of(a) == script_of(b):
        return a, b
    ra, rb = romanizations(a), romanizations(b)
    if not ra or not rb:
        return a, b
    return " ".join(map(sounds, ra[0])), " ".join(map(sounds, rb[0]))


class MatchIndex:
    """An in-memory index of candidates; `match` finds the entries a candidate duplicates.

    Not a frozen value: it is built once per run from the registry and grown with `add` as
    new signatures are accepted, so each query only scores the new name against its blocks.
    """

    def __init__(
        self,
        candidates: Iterable[Candidate] = (),
        blocks: dict[str, tuple[list[str], list[str]]] | None = None,
        crosses: Mapping[str, tuple[str, ...]] | None = None,
        middle: MiddleKeys | None = None,
    ) -> None:
        """`blocks` (optional): the fuzzy blocks the queries will look at, filled in advance as
        block -> ([key, ...], [typed-order key of the key's first candidate, ...]) for every key of the
        candidates to come, including keys whose candidates are left out because no query can
        reach them (see `similar_keys`): then `candidates` are not blocked again.

        `crosses` (optional, with `blocks`): for `candidates`, by id, those of their cross-script
        keys (`cross_keys`) that the queries to come have, the only ones a query looks up: the
        cache knows them, and working out every loaded entry's keys again costs more than the
        rest of a small run's matching. Items `add`ed later get all of theirs.

        `middle` (optional, with `crosses`): for `candidates`, the middle-name keys (`part_keys`)
        the queries to come look up, and how many registry entries not among `candidates` each
        of those keys has (see MiddleKeys)."""
        # Look-ups map to an item number, or to a list of them once there are several: most
        # keys, emails and blocks have one item, and a million small lists would make the
        # cyclic garbage collector, not the matching, the slowest part of a large build.
        self._items: list[Candidate] = []
        # Items an entry's later state replaced (`update`): never matched again. Kept in the
        # look-ups (removing from a million shared lists would cost more than skipping).
        self._retired: set[int] = set()
        self._by_email: dict[str, int | list[int]] = {}
        self._by_local: dict[str, int | list[int]] = {}  # email local parts (tier D evidence)
        self._by_key: dict[str, int | list[int]] = {}
        self._by_nospace: dict[str, int | list[int]] = {}
        self._by_ascii: dict[str, int | list[int]] = {}
        # cross_keys, by the script of the item's name (script -> key -> items): a name only
        # looks for names in other scripts, and the names of its own script under its keys (its
        # namesakes, names sharing its consonants: a number that grows with the registry) are
        # never looked at. Acronym keys ("a:") of organizations only.
        self._by_cross: dict[str, dict[str, int | list[int]]] = {}
        self._by_acronym: dict[str, int | list[int]] = {}
        # part_keys: a name's own ("w:" of all its words) and those of two or three of its words
        self._by_whole: dict[str, int | list[int]] = {}
        self._by_part: dict[str, int | list[int]] = {}
        self._by_domain: dict[str, int | list[int]] = {}  # organizations only
        # hash(block) -> a key, or a list of keys once there are several (items are found
        # from keys through _by_key). Hashes, not the block strings: ~6 blocks per name are
        # the largest part of a 1M index, and a rare collision only adds a name to score.
        self._blocks: dict[int, str | list[str]] = {}
        # key -> the typed-order key (k_nospace) of the first candidate with it: what small
        # blocks are also scored on. A key is in some block iff it is here.
        self._nospace: dict[str, str] = {}
        # hash(block) -> the typed-order keys of its keys, in the same order, for the blocks of
        # 2 to SMALL_BLOCK keys (the only ones scored in typed order): kept as the block grows,
        # not built again for every query that meets the block.
        self._typed: dict[int, list[str]] = {}
        # Scored ahead by `prepare`: the queries in the order they will come, the next one's
        # position, and for each its crowded blocks' hits (block -> (the block's size when the
        # query meets it, [(key, score)], whether only the best were kept)).
        self._queries: Sequence[Candidate] = ()
        self._next = 0
        self._crowds: dict[int, _Crowd] = {}  # hash(block) -> what was scored ahead in it
        for block, (keys, typed) in (blocks or {}).items():
            self._blocks[hash(block)] = keys[0] if len(keys) == 1 else list(keys)  # grows: a copy
            self._nospace.update(zip(keys, typed, strict=True))
        for b, entry in self._blocks.items():
            if entry.__class__ is not str and len(entry) <= SMALL_BLOCK:
                self._typed[b] = [self._nospace[k] for k in entry]
        # part key -> registry entries under it that are not indexed here (see MiddleKeys)
        self._unloaded_wholes: Mapping[str, int] = {} if middle is None else middle.unloaded_wholes
        self._unloaded_parts: Mapping[str, int] = {} if middle is None else middle.unloaded_parts
        parts = None if middle is None else middle.parts
        for c in candidates:
            self.add(
                c,
                None if crosses is None else crosses.get(c.id, ()),
                None if parts is None else parts.get(c.id, _NO_PARTS),
            )

    def __len__(self) -> int:
        """The candidates indexed, less the earlier states `update` retired."""
        return len(self._items) - len(self._retired)

    def prepare(self, queries: Sequence[Candidate]) -> None:
        """Score ahead, in batches, the similar names of the queries `match` will be asked next,
        in this order, each query `add`ed (under any id) after its `match`, as reconciling does.

        Only blocks that will hold more than CROWDED keys are scored ahead: for each query that
        meets one with more than SMALL_BLOCK keys, against the keys the block will hold then.
        `match` uses a query's hits when it comes in turn and the block has the size foreseen;
        otherwise (another order, other adds) it scores the block itself: the same answer."""
        self._queries, self._next = queries, 0
        self._crowds = self._foresee_crowds(queries)
        if sum(sum(crowd.sizes) for crowd in self._crowds.values()) < CROWD_PAIRS_MIN:
            self._crowds = {}  # a small batch: scored as it comes, as fast without numpy to load
        for crowd in self._crowds.values():
            crowd.score([queries[pos].key for pos in crowd.positions])

    def _foresee_crowds(self, queries: Sequence[Candidate]) -> dict[int, _Crowd]:
        """The blocks that these queries' keys will crowd, each with its keys in the order they
        will join it, and the queries that will meet it past SMALL_BLOCK keys, with its size then."""
        present = self._nospace
        grow: dict[int, int] = {}
        joined: set[str] = set()
        for c in queries:  # how many keys each block will gain
            if c.key and c.key not in present and c.key not in joined:
                joined.add(c.key)
                for b in _block_hashes(c.key, c.nospace_key):
                    grow[b] = grow.get(b, 0) + 1
        crowds = {b: _Crowd(self._keys(b)) for b, n in grow.items() if n + self._size(b) > CROWDED}
        joined.clear()
        for pos, c in enumerate(queries if crowds else ()):
            if not c.key:
                continue
            new_key = c.key not in present and c.key not in joined
            for b in _block_hashes(c.key, c.nospace_key):
                crowd = crowds.get(b)
                if crowd is not None:
                    crowd.meet(pos, c.key if new_key else "")
            if new_key:
                joined.add(c.key)
        return crowds

    def _size(self, b: int) -> int:
        entry = self._blocks.get(b)
        return 0 if entry is None else 1 if entry.__class__ is str else len(entry)

    def _keys(self, b: int) -> list[str]:
        entry = self._blocks.get(b)
        if entry is None:
            return []
        return [entry] if isinstance(entry, str) else list(entry)

    def add(
        self,
        c: Candidate,
        crosses: tuple[str, ...] | None = None,
        parts: tuple[str, tuple[str, ...]] | None = None,
    ) -> None:
        """Index one candidate. Ids are the caller's: add each response of a merged entry
        under the entry's id and `match` reports the entry once; it never returns `c.id`.
        `crosses`, `parts`: its cross-script and middle-name keys when known (see __init__),
        else worked out here."""
        i = len(self._items)
        self._items.append(c)
        for e in c.email_keys:
            _put(self._by_email, e, i)
        for e in c.email_local_keys:
            _put(self._by_local, e, i)
        if c.kind == "organization":
            for d in c.domain_keys:
                _put(self._by_domain, d, i)
        if not c.key:
            return  # rejected readings have no key: matchable by email only
        new_key = c.key not in self._nospace
        _put(self._by_key, c.key, i)
        if c.nospace_key:
            _put(self._by_nospace, c.nospace_key, i)
        if c.ascii_key and c.ascii_key != c.key:
            _put(self._by_ascii, c.ascii_key, i)
        self._index_names(c, i, crosses, parts)
        if new_key:
            # Blocks hold each distinct key once: namesakes share every block, and scoring
            # them again in each would cost more than all the rest at a million names.
            self._nospace[c.key] = c.nospace_key
            self._block(c.key, c.nospace_key)

    def _index_names(
        self,
        c: Candidate,
        i: int,
        known: tuple[str, ...] | None = None,
        known_parts: tuple[str, tuple[str, ...]] | None = None,
    ) -> None:
        """Index item `i` under its cross-script, acronym and middle-name keys."""
        script = script_of(c.key)
        crosses = self._by_cross.get(script)
        if crosses is None:
            crosses = self._by_cross[script] = {}
        for k in cross_keys(c.key, c.nospace_key, c.ascii_key) if known is None else known:
            if not k.startswith("a:"):
                _put(crosses, k, i)
            elif c.kind == "organization":
                _put(self._by_acronym, k, i)
        whole, parts = part_keys(c.key) if known_parts is None else known_parts
        if whole:
            _put(self._by_whole, whole, i)
        for k in parts:
            _put(self._by_part, k, i)

    def update(self, before: Candidate, after: Candidate) -> None:
        """The entry `before` changed (a response merged into it, a withdrawal): from now on it
        is matched as `after` only, exactly as an index built afresh from the registry would
        match it. Without this, the entry's earlier state would still merge what its new state
        keeps apart (an entry without email merging a namesake at a second address after taking
        the first one's), and one run would decide otherwise than two."""
        seen: set[int] = set()
        for i in itertools.chain(
            _get(self._by_key, before.key) if before.key else (),
            *(_get(self._by_email, e) for e in before.email_keys),
        ):
            if i not in seen and self._items[i].id == before.id:
                seen.add(i)
        self._retired |= seen
        self.add(after)

    def _block(self, key: str, nospace: str) -> None:
        """A new key joins its fuzzy blocks."""
        blocks = self._blocks
        typed = self._typed
        for b in _block_hashes(key, nospace):
            entry = blocks.get(b)
            if entry is None:
                blocks[b] = key
            elif entry.__class__ is str:
                blocks[b] = [entry, key]
                typed[b] = [self._nospace[entry], nospace]
            else:
                entry.append(key)  # type: ignore[union-attr]
                if len(entry) <= SMALL_BLOCK:
                    typed[b].append(nospace)
                elif len(entry) == SMALL_BLOCK + 1:
                    del typed[b]  # no longer scored in typed order

    # Complexity (C901) allowed: the tiers are one decision table whose rules override each other in
    # order (A before B, a second name merge demotes both); split, the precedence would be lost.
    def match(self, c: Candidate) -> list[Match]:  # noqa: C901
        """Existing entries that `c` may duplicate, best first; at most one has merge=True.

        When several entries qualify for a merge by name alone (B or D: two "John Smith"s
        already), none is merged: which one is meant is the editor's call.
        """
        position = -1
        if self._next < len(self._queries) and self._queries[self._next] is c:
            position = self._next  # in turn: its crowded blocks were scored ahead
            self._next += 1
        # Keyed by entry id: an entry indexed under several responses counts once.
        found: dict[str, Match] = {}
        mine_email = set(c.email_keys)
        mine_local = set(c.email_local_keys)

        retired = self._retired

        def consider(i: int, m: Match) -> None:
            if i in retired:
                return
            old = found.get(m.id)
            if old is None or (_TIER_ORDER[m.tier], -m.score) < (_TIER_ORDER[old.tier], -old.score):
                found[m.id] = m

        # Tier A: same email. A shared address (a household, an organizer signing up others,
        # a person signing for themselves and their organization) must not swallow a different
        # name, so A merges only names that could be the same one.
        for e in mine_email:
            for i in _get(self._by_email, e):
                other = self._items[i]
                if other.id == c.id:
                    continue
                if other.typed_key == SEALED_KEY:
                    consider(i, Match(Tier.EMAIL, other.id, True, "same email", 100.0))
                elif c.kind != other.kind and c.kind and other.kind:
                    consider(i, Match(Tier.EMAIL, other.id, False, "same email, different kind", 100.0))
                elif _names_compatible(c.key, other.key):
                    consider(i, Match(Tier.EMAIL, other.id, True, "same email", 100.0))
                elif other.typed_key and _names_compatible(c.key, other.typed_key):
                    reason = "same email, the name its signer typed before an editor renamed it"
                    consider(i, Match(Tier.EMAIL, other.id, True, reason, 100.0))
                elif _across_scripts(c, other):
                    # one name in two scripts from one address: most likely one signer, but
                    # two scripts are never merged silently
                    reason = "same email, the same name in another script"
                    consider(i, Match(Tier.EMAIL, other.id, False, reason, 100.0))
                elif c.kind == other.kind == "organization" and _org_kin(c.key, other.key):
                    # one address, two names of organizations sharing a word, or one an acronym:
                    # one organization's in two languages ("ПЦ «Мемориал»" / "Правозащитный центр
                    # «Мемориал»") more likely than two organizations
                    reason = "same email, organization names sharing a word or an acronym"
                    consider(i, Match(Tier.EMAIL, other.id, False, reason, 100.0))
                elif c.kind == other.kind == "organization":
                    # one address, two organization names with nothing in common: one
                    # organization in two languages ("Academia Mayor de la Lengua Quechua" /
                    # "Qhapaq Qhichwa Simi Yachay Wasi") or a coalition's members signed up by
                    # its coordinator; the editor tells which
                    reason = "same email, two organization names (one in two languages, or two members?)"
                    consider(i, Match(Tier.EMAIL, other.id, False, reason, 100.0))
                elif _clearly_different(*_comparable(c.key, other.key)):
                    # "Laura Bennett" and "Daniel Bennett" at one address: two people (a couple,
                    # colleagues), both published; the note tells the editor
                    reason = "same email, a clearly different name (a shared address): published apart"
                    consider(i, Match(Tier.EMAIL, other.id, False, reason, 100.0, hold=False))
                else:
                    consider(
                        i,
                        Match(
                            Tier.EMAIL, other.id, False, "same email, different name (shared address?)", 100.0
                        ),
                    )

        if c.key:
            # Tiers B and C: same k_sorted. A common name can have hundreds of namesakes in
            # a large registry. Once more than MAX_SHOWN entries share the name, no B can
            # merge any more (it is ambiguous) and no more C is shown, so only a possible D
            # (same email name) is still worth a Match object.
            same_name = 0
            namesakes = _get(self._by_key, c.key)
            pos = 0
            while pos < len(namesakes) and same_name <= MAX_SHOWN:
                i = namesakes[pos]
                pos += 1
                other = self._items[i]
                if other.id == c.id or other.id in found or i in retired:
                    continue
                consider(i, self._same_name(c, other, mine_email))
                same_name += 1
            if pos < len(namesakes) and mine_local:
                # The namesakes left that share the query's email name, in index order: found
                # through the email names, not by walking a common name's every namesake.
                first = namesakes[pos]
                sharing = {
                    j
                    for e in mine_local
                    for j in _get(self._by_local, e)
                    if j >= first and self._items[j].key == c.key and j not in retired
                }
                for i in sorted(sharing):
                    other = self._items[i]
                    if other.id == c.id or other.id in found:
                        continue
                    consider(i, self._same_name(c, other, mine_email))
            # Same letters, different spacing ("Le Cun" / "LeCun"): as similar as can be.
            for i in _get(self._by_nospace, c.nospace_key):
                other = self._items[i]
                if other.id != c.id and other.key != c.key:
                    consider(i, self._similar(100.0, c, other, mine_email, mine_local))
            # Tier E: same name in another script ("Ольга Иванова" / "Olga Ivanova"). Only
            # non-ASCII keys are in _by_ascii; ASCII ones are found under their own key.
            if c.ascii_key:
                same_script = () if c.ascii_key == c.key else _get(self._by_key, c.ascii_key)
                for i in itertools.chain(_get(self._by_ascii, c.ascii_key), same_script):
                    other = self._items[i]
                    # in one script, other letters are another name ("周玉" / "周雨")
                    if other.id != c.id and other.key != c.key and script_of(other.key) != script_of(c.key):
                        consider(
                            i, Match(Tier.SIMILAR, other.id, False, "same name in another script", FUZZY_HINT)
                        )
            # Tier E: the same consonants in another script ("דוד גרוסמן" / "David Grossman",
            # "周晓玲" / "Zhou Xiaoling"): held for the editor, never merged.
            # Only those that are one name word by word: sharing consonants is not enough
            # ("Łukasz Nowak" / "Алексей Шевченко").
            for i, acronym in self._cross_candidates(c):
                other = self._items[i]
                if other.id == c.id or other.id in found:
                    continue
                if acronym:
                    if _acronym_of(c, other):
                        consider(i, Match(Tier.SIMILAR, other.id, False, _ACRONYM, FUZZY_HINT))
                elif _across_scripts(c, other):
                    reason = "same name in another script (sounds compared word by word)"
                    consider(i, Match(Tier.SIMILAR, other.id, False, reason, FUZZY_HINT))
            # Tiers D and E: similar name.
            cut: list[int] = []
            fuzzy = self._fuzzy(c, position, cut)
            ranked = len(fuzzy) > MAX_FUZZY or bool(cut)  # then capped: best first, then D's keys
            similar = list(self._capped(fuzzy, mine_local, cut, c.key).items())
            if ranked:
                self._consider_best(c, similar, found, consider, mine_email, mine_local)
            else:
                for key, score in similar:
                    for i in _get(self._by_key, key):
                        other = self._items[i]
                        if other.id != c.id:
                            consider(i, self._similar(score, c, other, mine_email, mine_local))
            if c.kind == "organization":
                for i, m in self._org_variants(c):
                    consider(i, m)
            for i in self._longer_or_shorter(c):
                other = self._items[i]
                if other.id == c.id or i in retired:
                    continue
                middle = self._middle_name(c, other, mine_email)
                old = found.get(other.id)
                if middle and (old is None or (old.tier == Tier.SIMILAR and not old.hold)):
                    found[other.id] = middle
        return _rank(found.values())

    def _longer_or_shorter(self, c: Candidate) -> Iterable[int]:
        """Items whose name is `c`'s with words added (a middle name, a second surname, a
        patronymic), or `c`'s without some: met under `part_keys`. A key shared by more than
        MAX_MIDDLE names is a common name: a middle name added to it is no evidence (counting
        the registry's entries under it that the index was built without, see MiddleKeys)."""
        whole, parts = part_keys(c.key)
        if not whole:
            return
        for table, keys, unloaded in (
            (self._by_part, (whole,), self._unloaded_parts),
            (self._by_whole, parts, self._unloaded_wholes),
        ):
            for k in keys:
                items = _get(table, k)
                if len(items) + unloaded.get(k, 0) <= MAX_MIDDLE:
                    yield from items

    def _middle_name(self, c: Candidate, other: Candidate, mine: set[str]) -> Match | None:
        """A possible duplicate when one name is the other with words added, in one script, the
        shorter's every word standing for one of the longer's ("Rimantas Dagys" / "Rimantas Jonas
        Dagys", "Denis Galabuzi" / "Dennis Galabuzi Ssozi"): held like a namesake, unless emails
        and affiliations tell the two apart, or at two addresses only an initial was added."""
        if not may_be_middle_name(c, other):
            return None
        if not self._emails_differ(c, other, mine):
            return Match(Tier.SIMILAR, other.id, False, _MIDDLE, FUZZY_HINT)
        affiliations = c.affiliation_key and other.affiliation_key
        if (affiliations and c.affiliation_key != other.affiliation_key) or not _word_added(c.key, other.key):
            return Match(Tier.SIMILAR, other.id, False, _MIDDLE, FUZZY_HINT, hold=False)
        # At two addresses a word more is the same signer's only with more to go on: a name too
        # rare for namesakes, or the same email name, email domain or affiliation. A common name
        # with a middle name added ("Anna Müller" / "Anna Maria Müller") is most often another
        # person: published, with a note.
        shorter = min(c.key, other.key, key=lambda k: k.count(" "))
        if _common_name(shorter) and not (
            (affiliations and c.affiliation_key == other.affiliation_key)
            or not set(c.email_local_keys).isdisjoint(other.email_local_keys)
            or not set(c.domain_keys).isdisjoint(other.domain_keys)
        ):
            return Match(Tier.SIMILAR, other.id, False, f"{_MIDDLE}; {_COMMON}", FUZZY_HINT, hold=False)
        return Match(Tier.SIMILAR, other.id, False, _MIDDLE, FUZZY_HINT)

    def _cross_candidates(self, c: Candidate) -> Iterable[tuple[int, bool]]:
        """(item, met under an acronym key) for the items sharing a cross key with `c`: names in
        other scripts, in the order they were indexed (non-Latin ones before Latin ones, as the
        Latin ones were kept apart before), organizations' acronyms. The items of `c`'s own
        script are left out: they are never the same name in another script.

        Nor are, under a words key ("w:"), the names of one word (or when `c`'s is): two names
        of which one is a word are the same name only with the same consonants in typed order
        (`same_across_scripts`), that is with an "n:" key in common, and the keys come sorted,
        so those were met under it before. (The words keys of names of a few short words, a
        Chinese name read in syllables, meet more names the longer the registry: looking at
        each made a first run quadratic.)"""
        mine = script_of(c.key)
        others = [table for script, table in self._by_cross.items() if script not in (mine, "LATIN")]
        latin = None if mine == "LATIN" else self._by_cross.get("LATIN")
        spaced = " " in c.key
        items = self._items
        for k in cross_keys(c.key, c.nospace_key, c.ascii_key):
            if k.startswith("a:"):
                if c.kind == "organization":
                    yield from ((i, True) for i in _get(self._by_acronym, k))
                continue
            words = k.startswith("w:")
            if words and not spaced:
                continue
            found = [got for table in others if (got := _get(table, k))]
            tail = _get(latin, k) if latin is not None else ()  # after the others, as before
            if not found and not tail:
                continue
            hits: Iterable[int] = found[0] if len(found) == 1 else heapq.merge(*found)
            if tail:
                hits = itertools.chain(hits, tail)
            if words:
                hits = (i for i in hits if " " in items[i].key)
            yield from ((i, False) for i in hits)

    def _consider_best(
        self,
        c: Candidate,
        similar: list[tuple[str, float]],
        found: dict[str, Match],
        consider: Callable[[int, Match], None],
        mine_email: set[str],
        mine_local: set[str],
    ) -> None:
        """`consider` the entries of capped similar keys (best first, then the keys sharing the
        query's email name), leaving out those that cannot be shown: a hint (E) is shown among the
        MAX_SHOWN best by score, then id. A key sharing the email name (it can merge, D) always
        counts, and so do the hints it could still turn into a D."""
        head, tail = similar[:MAX_FUZZY], similar[MAX_FUZZY:]
        local = {self._items[i].key for e in mine_local for i in _get(self._by_local, e)}
        upgradable = {self._items[i].id for key in local for i in _get(self._by_key, key)}
        start = 0
        while start < len(head):
            score = head[start][1]
            end = start
            while end < len(head) and head[end][1] == score:
                end += 1
            group = head[start:end]
            start = end
            above = sum(
                1 for m in found.values() if m.tier == "E" and m.score > score and m.id not in upgradable
            )
            slots = MAX_SHOWN - above
            # In order of id, as they would be shown; one entry's items keep their order.
            entries = sorted(
                (self._items[i].id, seq, i, key in local)
                for seq, (key, i) in enumerate((key, i) for key, _s in group for i in _get(self._by_key, key))
            )
            shown: set[str] = set()
            for sid, _seq, i, can_merge in entries:
                if sid == c.id or (len(shown) >= slots and not can_merge):
                    continue
                consider(i, self._similar(score, c, self._items[i], mine_email, mine_local))
                m = found.get(sid)  # none: an entry's earlier state, retired by `update`
                if m is not None and m.tier == "E" and m.score == score and sid not in upgradable:
                    shown.add(sid)
        for key, score in tail:
            for i in _get(self._by_key, key):
                other = self._items[i]
                if other.id != c.id:
                    consider(i, self._similar(score, c, other, mine_email, mine_local))

    # -- tiers ---------------------------------------------------------------------------------

    @staticmethod
    def _emails_differ(c: Candidate, other: Candidate, mine: set[str]) -> bool:
        theirs = other.email_keys
        return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)

    def _same_name(self, c: Candidate, other: Candidate, mine: set[str]) -> Match:
        conflict = bool(
            c.affiliation_key and other.affiliation_key and c.affiliation_key != other.affiliation_key
        )
        if c.kind == "organization" and other.kind == "organization" and not conflict:
            # An organization is identified by its name: its secretary and its chair sign it
            # from two addresses.
            return Match(Tier.NAME, other.id, True, "same organization", 100.0)
        if self._emails_differ(c, other, mine):
            if not set(c.email_local_keys).isdisjoint(other.email_local_keys):
                return Match(Tier.EMAIL_NAME, other.id, True, "same name and same email name", 100.0)
            if conflict:
                # Two "Ana Torres", a nurse in Lima and a lawyer in Quito: two people.
                return Match(
                    Tier.NAMESAKE,
                    other.id,
                    False,
                    "same name, different email and affiliation",
                    100.0,
                    hold=False,
                )
            return Match(Tier.NAMESAKE, other.id, False, "same name, different email (namesake?)", 100.0)
        if c.affiliation_key and other.affiliation_key and c.affiliation_key != (other.affiliation_key):
            return Match(
                Tier.NAMESAKE, other.id, False, "same name, different affiliation (namesake?)", 100.0
            )
        if c.kind and other.kind and c.kind != other.kind:
            return Match(Tier.NAMESAKE, other.id, False, "same name, different kind", 100.0)
        return Match(Tier.NAME, other.id, True, "same name", 100.0)

    def _similar(
        self, score: float, c: Candidate, other: Candidate, mine: set[str], mine_local: set[str]
    ) -> Match:
        s = round(score)
        kinds_agree = c.kind == other.kind or not c.kind or not other.kind
        if score >= FUZZY_MERGE and kinds_agree and not mine_local.isdisjoint(other.email_local_keys):
            return Match(Tier.EMAIL_NAME, other.id, True, f"similar name ({s}) and same email name", score)
        one_org = c.kind == other.kind == "organization" and (
            score >= 100.0 or c.key.count(" ") == other.key.count(" ")
        )
        if self._emails_differ(c, other, mine) and not one_org:
            if _arabic_letters_folded(c.key) == _arabic_letters_folded(other.key):
                # "Mahad Cabdalle Cawad" / "Mahad Abdalle Awad": one name in two Latin
                # spellings of its Arabic letters, not two people with similar names
                return Match(Tier.SIMILAR, other.id, False, _SPELLED, score)
            if _typing_slip(c.key, other.key):
                # "Richard Thompson" / "Richard Tohmpson": a letter doubled, dropped or two
                # swapped, into no known name: one signer's slip, not another person
                return Match(Tier.SIMILAR, other.id, False, _SLIP, score)
            # "Caroline Hughes" / "Karoline Hughes" at two addresses: two people, most
            # likely; published, with a note for the editor. (An organization signs from
            # several addresses and has no namesakes: the same letters (its acronym beside
            # its full name), or as many words, one spelled otherwise,
            # "Academia de la Llingua Asturiana" / "Academia de la Lengua Asturiana", is held
            # for the editor; a word more is a branch, "Amnesty International UK".)
            return Match(
                Tier.SIMILAR, other.id, False, f"similar name ({s}), different email", score, hold=False
            )
        return Match(Tier.SIMILAR, other.id, False, f"similar name ({s})", score)

    def _org_variants(self, c: Candidate) -> Iterable[tuple[int, Match]]:
        """Organizations sent from one email domain (not a webmail provider's) whose names could
        be one organization's: possible duplicates, for the editor. An organization signs from
        its own domain under its name, a longer or shorter one ("X" / "X Branch", "Amnesty
        Internationalin Suomen osasto ry" / "Amnesty Suomi"), its acronym ("CCC", "İHD") or its
        name in another script ("ArmSoft LLC" / "ԱրմՍոֆթ ՍՊԸ"); two names with nothing in common
        from one domain (a coalition's members sent by its coordinator) are two signers."""
        mine = set(c.email_keys)
        for d in c.domain_keys:
            for i in _get(self._by_domain, d):
                other = self._items[i]
                if other.id == c.id or other.kind != "organization" or other.key == c.key:
                    continue
                short, long_ = sorted((c.nospace_key, other.nospace_key), key=len)
                if len(short) >= 3 and long_.startswith(short):
                    yield i, Match(Tier.SIMILAR, other.id, False, _EXTENDS, FUZZY_HINT)
                elif _org_kin(c.key, other.key):
                    yield i, Match(Tier.SIMILAR, other.id, False, _KIN, FUZZY_HINT)
                elif mine.isdisjoint(other.email_keys):
                    # two addresses of one domain (info@, office@): one organization's staff
                    # signing under its name in two languages ("Artsen Zonder Grenzen" /
                    # "Médecins Sans Frontières") more likely than two organizations
                    yield i, Match(Tier.SIMILAR, other.id, False, _SAME_DOMAIN, FUZZY_HINT)

    def _capped(
        self, fuzzy: dict[str, float], mine_local: set[str], cut: Sequence[int] = (), query_key: str = ""
    ) -> dict[str, float]:
        """At most MAX_FUZZY similar keys, best first, plus every key of an entry that shares
        the query's email name (the only ones that can merge, tier D).

        `cut`: crowded blocks of which `fuzzy` holds only the best keys (each block's MAX_FUZZY
        best are there, so the best of all are too); a key sharing the email name that such a
        block left out is scored here against `query_key`, as a scan of the block would have."""
        if len(fuzzy) <= MAX_FUZZY and not cut:
            return fuzzy
        # The MAX_FUZZY largest (score, key), as heapq.nlargest gives them; sorted in C.
        keep = [k for k, _s in sorted(fuzzy.items(), key=itemgetter(1, 0), reverse=True)[:MAX_FUZZY]]
        for e in mine_local:
            for i in _get(self._by_local, e):
                key = self._items[i].key
                if cut and key and key != query_key:
                    mine = _block_hashes(key, self._nospace[key])
                    if any(b in mine for b in cut):
                        score = fuzz.ratio(query_key, key, score_cutoff=FUZZY_HINT)
                        if score > fuzzy.get(key, 0.0):
                            fuzzy[key] = score
                if key in fuzzy:
                    keep.append(key)
        return {k: fuzzy[k] for k in keep}

    def _fuzzy(self, c: Candidate, position: int = -1, cut: list[int] | None = None) -> dict[str, float]:
        """Key -> fuzz.ratio with k_sorted (>= FUZZY_HINT) over the candidate's blocks; a key met
        in several blocks keeps its best score (blocks come in the salted hash order of a set).
        `position`: the query's place in what `prepare` was given (its crowded blocks were
        scored ahead); the crowded blocks of which only the best keys were kept go in `cut`.

        One rapidfuzz call per block; its score cut-off rejects keys of too different a
        length before comparing them. The candidate's own key is left to the exact tiers.
        A typo in a word's first letter reorders k_sorted ("caroline hughes" / "hughes
        karoline" score 47): small blocks are scored again on the names in typed order
        (k_nospace), which that typo does not reorder.
        """
        best: dict[str, float] = {}
        crowds = self._crowds
        for b in _block_hashes(c.key, c.nospace_key):
            entry = self._blocks.get(b)
            if entry is None:
                continue
            crowd = crowds.get(b) if position >= 0 else None
            if crowd is not None and crowd.hits_into(best, position, self._size(b)):
                if crowd.truncated and cut is not None:
                    cut.append(b)
                continue
            if entry.__class__ is str:  # most blocks: one key, scored without process.extract
                if entry != c.key:
                    score = fuzz.ratio(c.key, entry, score_cutoff=FUZZY_HINT)
                    if c.nospace_key:
                        theirs = self._nospace[entry]
                        score = max(score, fuzz.ratio(c.nospace_key, theirs, score_cutoff=FUZZY_HINT))
                    if score > best.get(entry, 0.0):
                        best[entry] = score
                continue
            self._score_block(c, b, entry, best)  # type: ignore[arg-type]
        return best

    def _score_block(self, c: Candidate, b: int, keys: list[str], best: dict[str, float]) -> None:
        """Score `c` against the keys of block `b` (two or more) into `best`."""
        for choice, score, _ in process.extract(
            c.key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_HINT, limit=None
        ):
            if choice != c.key and score > best.get(choice, 0.0):
                best[choice] = score
        if c.nospace_key and len(keys) <= SMALL_BLOCK:
            typed_order = self._typed[b]
            for _, score, i in process.extract(
                c.nospace_key, typed_order, scorer=fuzz.ratio, score_cutoff=FUZZY_HINT, limit=None
            ):
                key = keys[i]
                if key != c.key and score > best.get(key, 0.0):
                    best[key] = score


_NO_HITS: tuple[array[int], array[float], bool] = (array("l"), array("d"), False)


class _Crowd:
    """A crowded block as `MatchIndex.prepare` foresees it: its keys in the order they join it,
    the queries that meet it (their positions, in order) with its size then, and what each
    query scored in it."""

    __slots__ = ("keys", "positions", "sizes", "hits", "cursor", "truncated")

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.positions: array[int] = array("q")
        self.sizes: array[int] = array("q")
        # query number (in positions) -> (positions in keys, their scores, only the best kept);
        # none: no hit
        self.hits: dict[int, tuple[array[int], array[float], bool]] = {}
        self.cursor = 0
        self.truncated = False  # the last query taken: only its best keys were kept

    def meet(self, position: int, new_key: str) -> None:
        """The query at `position` meets the block (scored ahead past SMALL_BLOCK keys: smaller,
        it is scored in typed order too, live); `new_key`: the key it adds to the block, or ''."""
        if len(self.keys) > SMALL_BLOCK:
            self.positions.append(position)
            self.sizes.append(len(self.keys))
        if new_key:
            self.keys.append(new_key)

    def score(self, queries: list[str]) -> None:
        """Each query's hits in the keys the block holds when the query meets it: one cdist
        call (in C, on every core) per batch of queries, each keeping its best keys."""
        import numpy as np
        from rapidfuzz.process import cdist

        from sync.support.workers import worker_count

        rows = max(1, CROWD_CELLS // max(1, len(self.keys)))
        for start in range(0, len(queries), rows):
            part = queries[start : start + rows]
            width = max(self.sizes[start : start + len(part)])
            scores = cdist(
                part,
                self.keys[:width],
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_HINT,
                dtype=np.float64,
                workers=worker_count(),
            )
            for n, (query, row) in enumerate(zip(part, scores, strict=True), start=start):
                found = np.flatnonzero(row[: self.sizes[n]])
                if not len(found):
                    continue
                truncated = False
                keys = self.keys
                if len(found) > MAX_FUZZY + 1:
                    # The query's own key may be among the best: one more than the cap is kept,
                    # the best by (score, key) as `_capped` ranks them, so ties at the cut
                    # (names alike but for a number) keep the same keys it would.
                    values = row[found]
                    kth = np.partition(values, -(MAX_FUZZY + 1))[-(MAX_FUZZY + 1)]
                    above = found[values > kth]
                    tied = sorted(found[values == kth].tolist(), key=keys.__getitem__, reverse=True)
                    found = np.concatenate(
                        (above, np.array(tied[: MAX_FUZZY + 1 - len(above)], dtype=found.dtype))
                    )
                    truncated = True
                # kept as positions in `keys` and scores, not (key, score) tuples: every query's
                # hits wait here until matching reaches it (1 GB of tuples at 100,000 alike names)
                js = [j for j in found.tolist() if keys[j] != query]
                self.hits[n] = (array("l", js), array("d", row[js].tolist()), truncated)

    def hits_into(self, best: dict[str, float], position: int, size: int) -> bool:
        """Put the hits of the query at `position` into `best` (a key keeps its best score),
        if it was scored ahead against the block at `size` keys; False when it was not."""
        n, positions = self.cursor, self.positions
        while n < len(positions) and positions[n] < position:  # queries that skipped the block
            self.hits.pop(n, None)
            n += 1
        self.cursor = n
        if n >= len(positions) or positions[n] != position:
            return False
        self.cursor = n + 1
        if self.sizes[n] != size:
            return False
        js, scores, self.truncated = self.hits.pop(n, _NO_HITS)
        keys = self.keys
        for j, score in zip(js, scores, strict=True):
            key = keys[j]
            if score > best.get(key, 0.0):
                best[key] = score
        return True


def similar_keys(c: Candidate, blocks: dict[str, tuple[list[str], list[str]]]) -> set[str]:
    """The keys of `blocks` (block -> ([key], [k_nospace]), as MatchIndex takes them) that
    MatchIndex._fuzzy can find for `c`: those scoring >= FUZZY_HINT on k_sorted, or, in blocks of
    at most SMALL_BLOCK keys, on k_nospace. A superset of what `match` scores once this run's
    new entries have joined the blocks (a block only grows, and past SMALL_BLOCK keys its typed
    order is no longer scored), so an index holding these keys' candidates answers `match` as
    one holding every candidate of the blocks. The candidate's own key is left out, as `_fuzzy`
    leaves it to the exact tiers."""
    out: set[str] = set()
    if not c.key:
        return out
    for block in blocking_keys(c.key, c.nospace_key):
        got = blocks.get(block)
        if not got:
            continue
        keys, typed = got
        found = process.extract(c.key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_HINT, limit=None)
        out.update(k for k, _score, _i in found)
        if c.nospace_key and len(keys) <= SMALL_BLOCK:
            found = process.extract(
                c.nospace_key, typed, scorer=fuzz.ratio, score_cutoff=FUZZY_HINT, limit=None
            )
            out.update(keys[i] for _ns, _score, i in found)
    out.discard(c.key)
    return out


_SPELLED = "the same name in another Latin spelling of its Arabic letters (c/x for ع/ح)"
# Latin spellings of Arabic letters that others leave out or write otherwise: Somali writes ع as
# "c" and ح as "x" ("Cabdalle" / "Abdalle", "Xasan" / "Hasan").
_AYN_RE = re.compile(r"(?:(?<=\b)|(?<=[aeiou]))c(?=[aeiou])")
_HA = str.maketrans({"x": "h"})


@lru_cache(maxsize=1 << 16)
def _arabic_letters_folded(key: str) -> tuple[str, ...]:
    """A Latin key's words with Somali "c" (ع) before a vowel left out and "x" (ح) read as "h",
    sorted: where two spellings of one name meet."""
    return tuple(sorted(_AYN_RE.sub("", w.translate(_HA)) for w in key.split()))


_SLIP = "similar name, one word a typing slip of the other's (a letter doubled, dropped or swapped)"
KNOWN_NAME = 1_000  # a word ranked this high as a given name or surname somewhere is a spelling of its own


@lru_cache(maxsize=1 << 16)
def _typing_slip(a: str, b: str) -> bool:
    """Two keys alike but for one word, the one a typing slip of the other (a letter doubled,
    dropped or two next to each other swapped, not one letter for another: "Caroline" /
    "Karoline" are two names), where they are not both known names ("Jon" / "John")."""
    only_a, only_b = list(a.split()), list(b.split())
    for w in a.split():
        if w in only_b:
            only_a.remove(w)
            only_b.remove(w)
    if len(only_a) != 1 or len(only_b) != 1:
        return False
    x, y = only_a[0], only_b[0]
    if min(len(x), len(y)) < 4 or DamerauLevenshtein.distance(x, y, score_cutoff=1) != 1:
        return False
    if len(x) == len(y) and Levenshtein.distance(x, y) != 2:
        return False  # one letter for another: another name as often as a slip
    return max(_word_commonness(x), _word_commonness(y)) > KNOWN_NAME


@lru_cache(maxsize=1 << 16)
def _word_commonness(word: str) -> int:
    """`commonness` of one word, remembered: a word of a crowded block meets many others."""
    return commonness(word)


_EXTENDS = "organization name extends the other's, same email domain"
_KIN = "organization name shares a word, is an acronym or is in another script, same email domain"
_SAME_DOMAIN = (
    "organization names from two addresses of one email domain (one organization in two languages?)"
)
_ACRONYM_MAX = 6  # a one-word organization key this short reads as an acronym ("ccc", "gyla")


def _org_kin(a: str, b: str) -> bool:
    """Could two organization keys from one domain name one organization? A shared word of four
    letters or more, an acronym-like key on one side, or two scripts."""
    wa, wb = a.split(), b.split()
    if any(len(w) >= 4 for w in set(wa) & set(wb)):
        return True
    if (len(wa) == 1 and len(a) <= _ACRONYM_MAX) or (len(wb) == 1 and len(b) <= _ACRONYM_MAX):
        return True
    return _latin(a) != _latin(b)


@lru_cache(maxsize=1 << 16)
def _latin(key: str) -> bool:
    """Is a key written in Latin letters ("şahın" is; "שרה", "周" are not)?"""
    return key.isascii() or all(
        unicodedata.name(ch, "LATIN").startswith("LATIN") for ch in key if ch.isalpha()
    )


def _put(table: dict[str, int | list[int]], key: str, i: int) -> None:
    """Add item `i` under `key`: a bare int for the first, a list from the second on."""
    v = table.get(key)
    if v is None:
        table[key] = i
    elif v.__class__ is int:
        table[key] = [v, i]
    else:
        v.append(i)  # type: ignore[union-attr]


def _get(table: dict[str, int | list[int]], key: str) -> tuple[int, ...] | list[int]:
    v = table.get(key)
    if v is None:
        return ()
    return (v,) if v.__class__ is int else v  # type: ignore[return-value]


def _rank(found: Collection[Match]) -> list[Match]:
    """Best first; at most one merge; ambiguous name-only merges demoted; hints capped."""
    if len(found) <= 1:  # most queries: nothing to order, demote or cap
        return list(found)
    ranked = sorted(found, key=lambda m: (_TIER_ORDER[m.tier], -m.score, m.id))
    name_merges = [m for m in ranked if m.merge and m.tier in (Tier.NAME, Tier.EMAIL_NAME)]
    email_merge = any(m.merge and m.tier == Tier.EMAIL for m in ranked)
    # A same-name merge without email evidence (B) is only safe when the name is not already
    # known to belong to different people: with a namesake (C) in view, which one is meant?
    namesakes = sum(m.tier == Tier.NAMESAKE for m in ranked)
    if namesakes and not email_merge and any(m.tier == Tier.NAME for m in name_merges):
        name_merges = name_merges + [m for m in ranked if m.tier == Tier.NAMESAKE]
    out: list[Match] = []
    merged = False
    shown = {Tier.NAMESAKE: 0, Tier.SIMILAR: 0}
    for m in ranked:
        if (m.merge and m.tier == Tier.NAME and not email_merge and len(name_merges) > 1) or (
            m.merge
            and m.tier == Tier.EMAIL_NAME
            and not email_merge
            and sum(x.tier == Tier.EMAIL_NAME for x in name_merges) > 1
        ):
            tier = Tier.NAMESAKE if m.tier == Tier.NAME else Tier.SIMILAR
            m = Match(tier, m.id, False, m.reason + f" as {len(name_merges)} entries: which?", m.score)
        elif m.merge and merged:
            m = Match(
                m.tier, m.id, False, m.reason + "; another entry matched first", m.score, outranked=True
            )
        merged = merged or m.merge
        if m.tier in shown:
            shown[m.tier] += 1
            if shown[m.tier] > MAX_SHOWN:
                continue
        out.append(m)
    out.sort(key=lambda m: (not m.merge, _TIER_ORDER[m.tier], -m.score, m.id))
    return out
