"""reconcile() directly: each submission's one outcome, with its reason. Table-driven, in memory,
no CLI (the CLI tests cover the wiring)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from sync.dedupe.reconcile import reconcile
from sync.intake.responses import canonical_email, keyed_hash
from sync.model import Submission
from sync.names import make_watchlist
from sync.operations.editor import rename
from sync.store.privacy import Sealer
from sync.store.registry import dump_registry

KEY = "test-hash-key"
NO_WATCH = make_watchlist([])


def email_key(address: str) -> str:
    return keyed_hash(KEY.encode(), "email", canonical_email(address))


def sub(
    n: int, name: str, email: str = "", *, affiliation: str = "", consent: bool | None = True
) -> Submission:
    """Response number `n` (its fingerprint and row), signed on day n of November 2026."""
    return Submission(
        fingerprint=f"fp{n:04d}",
        row=n + 1,
        timestamp=datetime(2026, 11, n, 9, 0, 0),
        timestamp_raw=f"11/{n}/2026 09:00:00",
        email_key=email_key(email) if email else "",
        email_local_key=keyed_hash(KEY.encode(), "local", email.split("@")[0]) if email else "",
        name_raw=name,
        affiliation_raw=affiliation,
        consent_raw={True: "Yes", False: "No", None: ""}[consent],
        consent=consent,
    )


def outcomes(result_changes: tuple) -> list[tuple[str, tuple[str, ...]]]:
    return [(c.action, c.responses) for c in result_changes]


# --- reconcile -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submissions", "expected"),
    [
        pytest.param([sub(1, "Ada Lovelace", "ada@x.org")], [("add", ("fp0001",))], id="new"),
        pytest.param(
            [sub(1, "Ada Lovelace", "ada@x.org"), sub(2, "Ada Lovelace", "ADA@x.org")],
            [("add", ("fp0001",)), ("merge", ("fp0002",))],
            id="same email merges",
        ),
        pytest.param(
            [sub(1, "Ada Lovelace", "ada@x.org", consent=False)],
            [("hold", ("fp0001",))],
            id="no consent is held",
        ),
        pytest.param([sub(1, "   ", "ada@x.org")], [("reject", ("fp0001",))], id="no name"),
        pytest.param(
            [sub(1, "Claire Murphy", "c1@x.org"), sub(2, "Claire Murphy", "c2@y.org")],
            [("add", ("fp0001",)), ("hold", ("fp0002",))],
            id="namesake with another email is held",
        ),
        pytest.param(
            [sub(2, "Ben Chacko", "b@x.org"), sub(1, "Amina Yusuf", "a@x.org")],
            [("add", ("fp0001",)), ("add", ("fp0002",))],
            id="outcomes in signing order",
        ),
    ],
)
def test_each_submission_has_one_outcome(submissions: list[Submission], expected: list) -> None:
    result = reconcile((), tuple(submissions), watchlist=NO_WATCH)
    assert outcomes(result.changes) == expected
    s = result.summary
    assert s.responses == len(submissions) == s.new + s.merged + s.held + s.rejected + s.unchanged


SEALER = Sealer.from_secret("an editor's private key, 32 characters or more", "hash key")


def test_the_reasons_say_why() -> None:
    """The plan's reasons; for someone kept private only the public one, and the editor's
    key opens the private one."""
    result = reconcile(
        (),
        (sub(1, "Ada Lovelace", "a@x.org", consent=False), sub(2, "", "b@x.org")),
        watchlist=NO_WATCH,
        sealer=SEALER,
    )
    reasons = {c.responses[0]: c.reason for c in result.changes}
    assert reasons["fp0001"] == "kept off the page: the answer to the consent question is not a yes"
    assert reasons["fp0002"] in ("empty name", "no name given")
    declined = next(s for s in result.signatories if "fp0001" in s.responses)
    assert declined.name == "" and "Ada" not in dump_registry([declined])
    assert SEALER.reasons(declined) == ["consent answer 'No' is not a yes"]
    assert (SEALER.open(declined) or {})["name"] == "Ada Lovelace"


def test_a_response_already_in_the_registry_is_unchanged_and_the_registry_kept() -> None:
    first = reconcile((), (sub(1, "Ada Lovelace", "a@x.org"),), watchlist=NO_WATCH)
    again = reconcile(first.signatories, (sub(1, "Ada Lovelace", "a@x.org"),), watchlist=NO_WATCH)
    assert again.changes == ()
    assert again.signatories == first.signatories
    assert (again.summary.responses, again.summary.unchanged) == (1, 1)


def test_review_policy_holds_every_new_entry() -> None:
    result = reconcile((), (sub(1, "Ada Lovelace", "a@x.org"),), policy="review", watchlist=NO_WATCH)
    (entry,) = result.signatories
    assert entry.status == "pending"
    assert entry.reason == "policy: every new entry waits for approval"


def test_a_withdrawn_signer_who_signs_again_stays_withdrawn() -> None:
    first = reconcile((), (sub(1, "Ada Lovelace", "a@x.org"),), watchlist=NO_WATCH)
    (entry,) = first.signatories
    withdrawn = (replace(entry, status="withdrawn", reason="asked"),)
    later = reconcile(withdrawn, (sub(2, "Ada Lovelace", "a@x.org"),), watchlist=NO_WATCH)
    (kept,) = later.signatories
    assert kept.status == "withdrawn"
    assert kept.responses == ("fp0001", "fp0002")
    assert "stays withdrawn" in later.changes[0].reason


def test_an_edited_name_is_never_changed_by_a_merge() -> None:
    first = reconcile((), (sub(1, "A. Lovelace", "a@x.org"),), watchlist=NO_WATCH)
    (entry,) = first.signatories
    edited = (replace(entry, name="Augusta Ada King"),)  # an editor's hand edit
    later = reconcile(edited, (sub(2, "Ada Lovelace", "a@x.org"),), watchlist=NO_WATCH)
    assert later.signatories[0].name == "Augusta Ada King"


def test_reconcile_changes_none_of_its_inputs() -> None:
    registry = reconcile((), (sub(1, "Ada Lovelace", "a@x.org"),), watchlist=NO_WATCH).signatories
    submissions = (sub(2, "Ada Lovelace", "a@x.org"), sub(3, "Ben Chacko", "b@x.org"))
    before = (registry, submissions)
    reconcile(registry, submissions, watchlist=NO_WATCH)
    assert (registry, submissions) == before


@pytest.mark.parametrize("same_run", [True, False], ids=["one run", "three runs"])
def test_a_yes_by_name_alone_never_publishes_another_responses_no(same_run: bool) -> None:
    """A "No" without an email, then "Yes" twice from an address under the same name (found by
    the state-machine test): the yes may be another person, or the same one changing their mind.
    Either way the declined response stays off the page, and the yes is published on its own."""
    subs = (
        sub(1, "Helen Barker", consent=False),
        sub(2, "Helen Barker", "helen@x.org"),
        sub(3, "Helen Barker", "helen@x.org"),
    )
    if same_run:
        entries = reconcile((), subs, watchlist=NO_WATCH).signatories
    else:
        entries = ()
        for s in subs:
            entries = reconcile(entries, (s,), watchlist=NO_WATCH).signatories
    by_response = {fp: e for e in entries for fp in e.responses}
    declined, yes = by_response["fp0001"], by_response["fp0002"]
    assert declined.status == "pending" and declined.responses == ("fp0001",)
    assert declined.consent == "declined" and declined.name == ""
    assert yes.status == "published" and yes.responses == ("fp0002", "fp0003")
    assert declined.id not in yes.reason  # a note pointing at it would say who declined


def test_the_same_signers_yes_still_lifts_their_own_no() -> None:
    """With the email to show it is the same signer, a later yes releases the held entry."""
    subs = (sub(1, "Helen Barker", "helen@x.org", consent=False), sub(2, "Helen Barker", "helen@x.org"))
    (entry,) = reconcile((), subs, watchlist=NO_WATCH).signatories
    assert entry.status == "published" and entry.responses == ("fp0001", "fp0002")


def test_a_signer_an_editor_renamed_is_still_found_by_their_email() -> None:
    """José García signs; an editor renames the entry (a pen name); José later answers "No"
    from the same address under the name he typed: that takes his signature back (found by the
    state-machine test: the new name and the typed one share no word, so the email's match
    was taken for a shared address and the entry stayed on the page)."""
    first = reconcile((), (sub(1, "José García", "jose@x.org"),), watchlist=NO_WATCH)
    (entry,) = first.signatories
    renamed = rename(first.signatories, entry.id, "bell hooks").signatories
    later = reconcile(
        renamed, (sub(2, "José García", "jose@x.org", consent=False),), watchlist=NO_WATCH, sealer=SEALER
    )
    (kept,) = later.signatories
    assert kept.status == "withdrawn" and kept.consent == "revoked" and kept.name == "", kept
    assert (SEALER.open(kept) or {})["name"] == "bell hooks"
    assert kept.responses == ("fp0001", "fp0002")
    # Another name from the same address is still a shared address, not him.
    other = reconcile(renamed, (sub(3, "Maria Lopez", "jose@x.org", consent=False),), watchlist=NO_WATCH)
    assert {s.id: s.status for s in other.signatories}[entry.id] == "published"
