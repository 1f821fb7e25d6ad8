"""MatchIndex's shortcuts for large registries answer as the plain walk they replace: the
namesakes past MAX_SHOWN are found through the email names, and small blocks keep their typed
order instead of building it per query. A reference index (the code before the shortcuts,
kept here) and the index must return the same matches for every query, in the same order."""

from __future__ import annotations

import itertools
import random

from sync.dedupe.crossscript import script_of
from sync.dedupe.matching import (
    _ACRONYM,
    _TIER_ORDER,
    FUZZY_HINT,
    MAX_SHOWN,
    SMALL_BLOCK,
    Candidate,
    Match,
    MatchIndex,
    _acronym_of,
    _across_scripts,
    _block_hashes,
    _clearly_different,
    _comparable,
    _get,
    _names_compatible,
    _org_kin,
    _rank,
    fuzz,
    process,
)
from sync.names import name_keys


class Reference(MatchIndex):
    """MatchIndex.match and _fuzzy as they were: every namesake walked, typed order rebuilt."""

    def match(self, c: Candidate) -> list[Match]:
        """Existing entries that `c` may duplicate, best first; at most one has merge=True.

        When several entries qualify for a merge by name alone (B or D: two "John Smith"s
        already), none is merged: which one is meant is the editor's call.
        """
        # Keyed by entry id: an entry indexed under several responses counts once.
        found: dict[str, Match] = {}
        mine_email = set(c.email_keys)
        mine_local = set(c.email_local_keys)

        def consider(i: int, m: Match) -> None:
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
                if c.kind != other.kind and c.kind and other.kind:
                    consider(i, Match("A", other.id, False, "same email, different kind", 100.0))
                elif _names_compatible(c.key, other.key):
                    consider(i, Match("A", other.id, True, "same email", 100.0))
                elif _across_scripts(c, other):
                    reason = "same email, the same name in another script"
                    consider(i, Match("A", other.id, False, reason, 100.0))
                elif c.kind == other.kind == "organization" and _org_kin(c.key, other.key):
                    reason = "same email, organization names sharing a word or an acronym"
                    consider(i, Match("A", other.id, False, reason, 100.0))
                elif c.kind == other.kind == "organization":
                    reason = "same email, two organization names (one in two languages, or two members?)"
                    consider(i, Match("A", other.id, False, reason, 100.0))
                elif _clearly_different(*_comparable(c.key, other.key)):
                    reason = "same email, a clearly different name (a shared address): published apart"
                    consider(i, Match("A", other.id, False, reason, 100.0, hold=False))
                else:
                    consider(
                        i, Match("A", other.id, False, "same email, different name (shared address?)", 100.0)
                    )

        if c.key:
            # Tiers B and C: same k_sorted. A common name can have hundreds of namesakes in
            # a large registry. Once more than MAX_SHOWN entries share the name, no B can
            # merge any more (it is ambiguous) and no more C is shown, so only a possible D
            # (same email name) is still worth a Match object.
            same_name = 0
            for i in _get(self._by_key, c.key):
                other = self._items[i]
                if other.id == c.id or other.id in found:
                    continue
                if same_name > MAX_SHOWN and mine_local.isdisjoint(other.email_local_keys):
                    continue
                consider(i, self._same_name(c, other, mine_email))
                same_name += 1
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
                    if other.id != c.id and other.key != c.key and script_of(other.key) != script_of(c.key):
                        consider(i, Match("E", other.id, False, "same name in another script", FUZZY_HINT))
            for i, acronym in self._cross_candidates(c):
                other = self._items[i]
                if other.id == c.id or other.id in found:
                    continue
                if acronym:
                    if _acronym_of(c, other):
                        consider(i, Match("E", other.id, False, _ACRONYM, FUZZY_HINT))
                elif _across_scripts(c, other):
                    reason = "same name in another script (sounds compared word by word)"
                    consider(i, Match("E", other.id, False, reason, FUZZY_HINT))
            # Tiers D and E: similar name.
            for key, score in self._capped(self._fuzzy(c), mine_local).items():
                for i in _get(self._by_key, key):
                    other = self._items[i]
                    if other.id != c.id:
                        consider(i, self._similar(score, c, other, mine_email, mine_local))
            if c.kind == "organization":
                for i, m in self._org_variants(c):
                    consider(i, m)
            for i in self._longer_or_shorter(c):
                other = self._items[i]
                if other.id == c.id:
                    continue
                middle = self._middle_name(c, other, mine_email)
                old = found.get(other.id)
                if middle and (old is None or (old.tier == "E" and not old.hold)):
                    found[other.id] = middle
        return _rank(found.values())

    def _fuzzy(self, c: Candidate) -> dict[str, float]:
        """Key -> fuzz.ratio with k_sorted (>= FUZZY_HINT) over the candidate's blocks; a key met
        in several blocks keeps its best score (blocks come in the salted hash order of a set).

        One rapidfuzz call per block; its score cut-off rejects keys of too different a
        length before comparing them. The candidate's own key is left to the exact tiers.
        A typo in a word's first letter reorders k_sorted ("caroline hughes" / "hughes
        karoline" score 47): small blocks are scored again on the names in typed order
        (k_nospace), which that typo does not reorder.
        """
        best: dict[str, float] = {}
        for b in _block_hashes(c.key, c.nospace_key):
            entry = self._blocks.get(b)
            if entry is None:
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
            keys: list[str] = entry  # type: ignore[assignment]
            for choice, score, _ in process.extract(
                c.key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_HINT, limit=None
            ):
                if choice != c.key and score > best.get(choice, 0.0):
                    best[choice] = score
            if c.nospace_key and len(keys) <= SMALL_BLOCK:
                nospace = self._nospace
                typed_order = [nospace[k] for k in keys]
                for _, score, i in process.extract(
                    c.nospace_key, typed_order, scorer=fuzz.ratio, score_cutoff=FUZZY_HINT, limit=None
                ):
                    key = keys[i]
                    if key != c.key and score > best.get(key, 0.0):
                        best[key] = score
        return best


def _people(n: int, seed: int) -> list[Candidate]:
    """Few distinct names (dozens of namesakes each, typos of them in the same blocks), few
    email names (many namesakes share one), both kinds, some without an email."""
    rng = random.Random(seed)
    given = ["maria", "jose", "ana", "john", "li", "olga", "fatima", "kwame", "eva", "ahmed"]
    family = ["garcia", "smith", "wang", "ivanova", "okafor", "silva", "khan", "muller"]
    out = []
    for i in range(n):
        g, f = rng.choice(given), rng.choice(family)
        if rng.random() < 0.7:  # a typo: a similar key in the same blocks
            j = rng.randrange(len(f))
            f = f[:j] + rng.choice("aeiourst") + f[j + 1 :]
        name = (
            f"{g.title()} {f.title()}"
            if rng.random() < 0.9
            else f"{g.title()} {rng.choice(given).title()} {f.title()}"
        )
        key, nospace, ascii_key = name_keys(name)
        local = f"l{rng.randrange(40)}" if rng.random() < 0.8 else ""
        email = f"e{rng.randrange(400)}" if local else ""
        kind = "organization" if rng.random() < 0.05 else "individual"
        sid = f"s{rng.randrange(n)}" if rng.random() < 0.1 else f"s{i}"  # merged: one id, several items
        out.append(
            Candidate(
                sid,
                key,
                nospace,
                ascii_key,
                (email,) if email else (),
                (local,) if local else (),
                "",
                kind,
                "published",
            )
        )
    return out


def _typed_in_step(index: MatchIndex) -> None:
    for b, entry in index._blocks.items():
        if isinstance(entry, list) and len(entry) <= SMALL_BLOCK:
            assert index._typed[b] == [index._nospace[k] for k in entry]
        else:
            assert b not in index._typed


def test_matches_are_those_of_the_plain_walk_as_the_index_grows() -> None:
    people = _people(5000, seed=7)
    index, reference = MatchIndex(), Reference()
    for c in people:
        got = index.match(c)
        assert got == reference.match(c), c
        index.add(c)
        reference.add(c)
    _typed_in_step(index)
    assert max(len(v) for v in index._by_key.values() if isinstance(v, list)) > 3 * MAX_SHOWN  # namesakes
    assert any(isinstance(v, list) and len(v) > SMALL_BLOCK for v in index._blocks.values())  # large blocks


def test_blocks_given_in_advance_keep_their_typed_order() -> None:
    people = _people(800, seed=3)
    blocks: dict[str, tuple[list[str], list[str]]] = {}
    first: dict[str, str] = {}
    for c in people:
        first.setdefault(c.key, c.nospace_key)
    from sync.dedupe.matching import blocking_keys

    for key, nospace in first.items():
        for b in blocking_keys(key, nospace):
            keys, typed = blocks.setdefault(b, ([], []))
            keys.append(key)
            typed.append(nospace)
    index = MatchIndex(people[:400], blocks)
    _typed_in_step(index)
    for c in people[400:]:
        index.add(c)
    _typed_in_step(index)
