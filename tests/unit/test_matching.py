"""Matching (sync/dedupe/matching.py), table-driven: which tier of evidence each new name meets,
at most one merge and never itself; and a property over random names and addresses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.dedupe.matching import Candidate, MatchIndex
from sync.names import make_watchlist, read_name

NO_WATCH = make_watchlist(())


def cand(id: str, name: str, email: str = "", aff: str = "", kind: str = "") -> Candidate:
    r = read_name(name, aff, kind, watchlist=NO_WATCH)
    local = email.split("@")[0] if email else ""
    return Candidate.of_reading(id, r, (email,), (local,), "published")


EXISTING = [
    cand("e1", "John Smith", "john@a.org"),
    cand("e2", "Katherine Wright", "kw@a.org"),
    cand("e3", "Jonathan Miller", "jmiller@a.org"),
    cand("e4", "Mary Jones"),
    cand("e5", "Ana Lima", "", "University of Leeds"),
    cand("e6", "Иван Петров"),
    cand("e7", "Amnesty International", "", "", "organization"),
]

TIERS = [
    # new candidate -> (tier, id, merge) of the best match, or None
    (cand("n", "Johnny Smith", "john@a.org"), ("A", "e1", True)),
    (cand("n", "Mary Smith", "john@a.org"), ("A", "e1", False)),  # shared address
    (cand("n", "SMITH, JOHN"), ("B", "e1", True)),
    (cand("n", "John Smith", "other@b.org"), ("C", "e1", False)),  # namesake
    (cand("n", "Mary Jones", "", "Oxfam"), ("B", "e4", True)),  # old has no affiliation
    (cand("n", "Ana Lima", "", "University of Porto"), ("C", "e5", False)),
    (cand("n", "Ana Lima", "", "The University of Leeds"), ("B", "e5", True)),
    (cand("n", "Jonathon Miller", "jmiller@b.org"), ("D", "e3", True)),
    (cand("n", "Jonathon Miller", "other@b.org"), ("E", "e3", False)),
    (cand("n", "Jonathon Miller"), ("E", "e3", False)),  # no email evidence: hint only
    (cand("n", "Catherine Wright", "cw@a.org"), ("E", "e2", False)),
    (cand("n", "Ivan Petrov"), ("E", "e6", False)),  # same name in another script
    (cand("n", "Amnesty International"), ("C", "e7", False)),  # individual vs organization
    (cand("n", "Maria Garcia"), None),
]


@pytest.mark.parametrize(("new", "expected"), TIERS)
def test_tiers(new: Candidate, expected: tuple[str, str, bool] | None) -> None:
    matches = MatchIndex(EXISTING).match(new)
    if expected is None:
        assert matches == []
        return
    best = matches[0]
    assert (best.tier, best.id, best.merge) == expected
    assert sum(m.merge for m in matches) <= 1


def test_same_letters_other_spacing_merge_only_with_same_email_name() -> None:
    idx = MatchIndex([cand("e", "Yann LeCun", "yl@a.org")])
    assert [(m.tier, m.merge) for m in idx.match(cand("n", "Yann Le Cun", "yl@b.org"))] == [("D", True)]
    assert [(m.tier, m.merge) for m in idx.match(cand("n", "Yann Le Cun"))] == [("E", False)]


def test_same_name_without_email_is_not_merged_when_a_namesake_is_known() -> None:
    idx = MatchIndex([cand("a", "John Smith", "a@x.org"), cand("b", "John Smith", "b@x.org")])
    ms = idx.match(cand("n", "John Smith"))
    assert [m.merge for m in ms] == [False, False]
    idx = MatchIndex([cand("a", "John Smith", "a@x.org"), cand("b", "John Smith", "", "Oxfam")])
    ms = idx.match(cand("n", "John Smith", "c@x.org"))  # C with a, B-eligible with b
    assert not any(m.merge for m in ms)


def test_candidate_of_reading() -> None:
    r = read_name("Maria Lopez, University of Leeds", watchlist=NO_WATCH)
    c = Candidate.of_reading("s1", r, ("",), ("",))
    assert (c.key, c.affiliation_key, c.email_keys, c.kind) == (
        "lopez maria",
        "university of leeds",
        (),
        "individual",
    )


def test_at_most_one_merge_and_never_self() -> None:
    idx = MatchIndex([cand("a", "John Smith", "j@x"), cand("b", "John Smith")])
    ms = idx.match(cand("a", "John Smith", "j@x"))  # same id as an entry: not itself
    assert [m.id for m in ms] == ["b"]
    ms = idx.match(cand("n", "John Smith", "j@x"))
    assert [m.merge for m in ms] == [True, False]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["John Smith", "Jon Smith", "J. Smith", "Mary Smith", "SMITH, JOHN", "Jóhn Smíth", "Maria Lopez"]
        ),
        max_size=8,
    ),
    st.lists(st.sampled_from(["", "a@x", "b@x", "a@y"]), min_size=8, max_size=8),
)
def test_never_two_merges_nor_self(names: list[str], emails: list[str]) -> None:
    idx = MatchIndex()
    for i, (n, e) in enumerate(zip(names, emails, strict=False)):
        c = cand(str(i), n, e)
        ms = idx.match(c)
        assert sum(m.merge for m in ms) <= 1
        assert all(m.id != c.id for m in ms)
        for m in ms:
            if m.merge and e:
                # a merge across two different addresses needs the same email name (tier D)
                other_email = emails[int(m.id)]
                assert (
                    not other_email
                    or other_email == e
                    or (m.tier == "D" and other_email.split("@")[0] == e.split("@")[0])
                )
        idx.add(c)
