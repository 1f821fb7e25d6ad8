"""Similar-name matching stays bounded when a name has thousands of similar keys (generated
lists: "Person Number1".."Person Number50000"), without losing the one merge that email
evidence allows (tier D)."""

from __future__ import annotations

import itertools

from rapidfuzz import fuzz

from sync.dedupe.matching import FUZZY_MERGE, MAX_FUZZY, Candidate, MatchIndex

STEM = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh"  # one long token


def _entry(i: int, key: str, *, local: str = "") -> Candidate:
    return Candidate(
        id=f"s-{i:010d}",
        key=key,
        nospace_key=key,
        ascii_key="",
        email_keys=(f"email-{i}",),
        email_local_keys=(local,) if local else (f"local-{i}",),
        affiliation_key="",
        kind="individual",
        status="published",
    )


def test_a_same_email_name_merge_survives_many_closer_similar_names() -> None:
    query_key = STEM + "999"
    digits = "012345678"
    closer = [
        STEM + "".join(t)
        for t in itertools.product("9" + digits, repeat=3)
        if sum(a != b for a, b in zip(t, "999", strict=True)) in (1, 2)
    ]
    entries = [_entry(i, key) for i, key in enumerate(closer)]
    same_person = _entry(len(entries), STEM + "000", local="shared-local")
    entries.append(same_person)
    # The case the cap exists for: many more similar keys than it keeps, all scoring higher
    # than the one entry that shares the query's email name.
    assert len(closer) > 4 * MAX_FUZZY
    mine = fuzz.ratio(query_key, same_person.key)
    assert FUZZY_MERGE <= mine < min(fuzz.ratio(query_key, k) for k in closer)

    index = MatchIndex(entries)
    query = _entry(10**9, query_key, local="shared-local")
    found = index.match(query)

    merges = [m for m in found if m.merge]
    assert [(m.tier, m.id) for m in merges] == [("D", same_person.id)]
    assert len(found) <= 1 + 5  # the merge, then at most MAX_SHOWN hints


def test_without_email_evidence_the_best_similar_names_are_the_hints() -> None:
    keys = [STEM + f"{n:03d}" for n in range(300)]
    index = MatchIndex([_entry(i, k) for i, k in enumerate(keys)])
    query = _entry(10**9, STEM + "150")
    hints = [m for m in index.match(query) if m.tier == "E"]
    assert hints and all(not m.merge for m in hints)
    best = max(fuzz.ratio(query.key, k) for k in keys if k != query.key)
    assert hints[0].score == best


def test_an_entry_changed_in_the_run_is_left_out_of_a_crowded_block_not_a_crash() -> None:
    # More similar keys than the cap keeps (the capped walk), one of them the earlier state of
    # an entry a response just changed (MatchIndex.update retires it): that item is never
    # matched again, and the walk goes on without it (it raised KeyError at 1M responses).
    keys = [STEM + f"{n:03d}" for n in range(300)]
    entries = [_entry(i, k) for i, k in enumerate(keys)]
    index = MatchIndex(entries)
    before = entries[50]  # one letter from the query's key, the smallest id: shown first
    after = _entry(50, "zzzz another name entirely")
    index.update(before, after)
    assert len(index) == len(entries)  # the entry counts once: its earlier state is retired
    query = _entry(10**9, STEM + "150")
    found = index.match(query)
    assert found and before.id not in {m.id for m in found}
    hints = [m for m in found if m.tier == "E"]
    best = max(fuzz.ratio(query.key, k) for k in keys if k not in (query.key, before.key))
    assert hints[0].score == best
