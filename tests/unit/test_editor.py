"""The editors' decisions in sync/operations/editor.py as pure functions over the registry's
entries: approve, reject, merge, rename, sort-as, withdraw, the held list. In memory, no CLI."""

from __future__ import annotations

import pytest

from sync.intake.responses import canonical_email, keyed_hash
from sync.model import Signatory
from sync.operations.editor import ReviewError, held_entries, merge, rename, set_status, sort_as, withdraw

KEY = "test-hash-key"


def email_key(address: str) -> str:
    return keyed_hash(KEY.encode(), "email", canonical_email(address))


# --- editors' decisions ----------------------------------------------------------------------


def entry(id: str, name: str, status: str = "pending", email: str = "", **more: str) -> Signatory:
    return Signatory(
        id,
        status,  # type: ignore[arg-type]
        "individual",
        name,
        responses=(f"r-{id}",),
        email_keys=(email_key(email),) if email else (),
        **more,  # type: ignore[arg-type]
    )


REGISTRY = (
    entry("s-aaa111", "Ada Lovelace", "published", "ada@x.org"),
    entry("s-aab222", "Claire Murphy", "pending", "c1@x.org", reason="possible duplicate"),
    entry("s-bbb333", "Claire Murphy", "published", "c2@y.org"),
    entry("s-ccc444", "Bill Gates", "pending"),
)


def by_id(signatories: tuple[Signatory, ...]) -> dict[str, Signatory]:
    return {s.id: s for s in signatories}


@pytest.mark.parametrize(
    ("refs", "status", "reason", "expected"),
    [
        (
            ["s-aab222"],
            "published",
            "",
            {"s-aab222": ("published", "approved by an editor (was: possible duplicate)")},
        ),
        (["ccc"], "rejected", "not a signer", {"s-ccc444": ("rejected", "not a signer")}),
        (
            ["s-aab2", "s-ccc4"],
            "published",
            "",
            {
                "s-aab222": ("published", "approved by an editor (was: possible duplicate)"),
                "s-ccc444": ("published", "approved by an editor"),
            },
        ),
    ],
)
def test_set_status(refs: list[str], status: str, reason: str, expected: dict[str, tuple[str, str]]) -> None:
    decision = set_status(REGISTRY, refs, status, reason)
    after = by_id(decision.signatories)
    for sid, (want_status, want_reason) in expected.items():
        assert (after[sid].status, after[sid].reason) == (want_status, want_reason)
    untouched = set(after) - set(expected)
    assert all(after[sid] == by_id(REGISTRY)[sid] for sid in untouched)
    assert len(decision.messages) == len(refs)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("s-zzz", "no entry with id s-zzz"),
        ("s-aa", "id s-aa is ambiguous: s-aaa111, s-aab222"),
    ],
)
def test_an_id_must_name_one_entry(ref: str, message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        set_status(REGISTRY, [ref], "published")


def test_merge_moves_responses_and_emails_and_keeps_the_target_name() -> None:
    decision = merge(REGISTRY, "s-aab222", "s-bbb333")
    after = by_id(decision.signatories)
    assert "s-aab222" not in after
    kept = after["s-bbb333"]
    assert kept.name == "Claire Murphy"
    assert kept.responses == ("r-s-bbb333", "r-s-aab222")
    assert kept.email_keys == (email_key("c2@y.org"), email_key("c1@x.org"))
    with pytest.raises(ReviewError, match="into itself"):
        merge(REGISTRY, "s-bbb333", "s-bbb")


def test_rename_and_sort_as() -> None:
    renamed = by_id(rename(REGISTRY, "s-aaa111", "  Ada   King ").signatories)["s-aaa111"]
    assert renamed.name == "Ada King"
    with pytest.raises(ReviewError, match="the new name is empty"):
        rename(REGISTRY, "s-aaa111", "   ")
    assert by_id(sort_as(REGISTRY, "s-aaa111", " King ").signatories)["s-aaa111"].sort_as == "King"


@pytest.mark.parametrize(
    ("who", "withdrawn"),
    [
        ("ADA@x.org", ["s-aaa111"]),  # by email, in any spelling of it
        ("s-ccc444", ["s-ccc444"]),  # by id
        ("ada lovelace", ["s-aaa111"]),  # by name
    ],
)
def test_withdraw(who: str, withdrawn: list[str]) -> None:
    after = by_id(withdraw(REGISTRY, who, KEY, "asked by email").signatories)
    assert sorted(sid for sid, s in after.items() if s.status == "withdrawn") == withdrawn
    assert all(after[sid].reason == "asked by email" for sid in withdrawn)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("nobody@x.org", "no entry has that email address"),
        ("Claire Murphy", "2 entries are named 'Claire Murphy': withdraw by id"),
        ("Nobody Here", "no entry named or numbered 'Nobody Here'"),
    ],
)
def test_withdraw_refuses_what_it_cannot_tell(who: str, message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        withdraw(REGISTRY, who, KEY, "asked")


def test_held_entries_suggest_the_namesake_but_never_themselves() -> None:
    held = {h.entry.id: h.suggestions for h in held_entries(REGISTRY)}
    assert set(held) == {"s-aab222", "s-ccc444"}
    assert any("s-bbb333" in hint and "signsync merge s-aab222 s-bbb333" in hint for hint in held["s-aab222"])
    assert not any("s-aab222 'Claire" in hint for hint in held["s-aab222"])
    assert held["s-ccc444"] == ()
