"""Reasons carry a code apart from their words: the words written to the registry stay exactly as
before, and reading them back gives the code that decides."""

from __future__ import annotations

import pytest

from sync.dedupe.matching import Tier
from sync.model import (
    CONSENT_CODES,
    ReasonCode,
    consent_reason,
    read_reasons,
    reason_with_history,
    reason_without_history,
)


@pytest.mark.parametrize(
    ("answer", "text", "code"),
    [
        ("Nie", "consent answer 'Nie' is not a yes", ReasonCode.CONSENT_NOT_YES),
        ("Keep me anonymous", "consent answer 'Keep me anonymous' is not a yes", ReasonCode.CONSENT_NOT_YES),
        ("", "no answer to the consent question", ReasonCode.CONSENT_UNANSWERED),
    ],
)
def test_consent_reasons_keep_their_registry_words_and_read_back(answer: str, text: str, code: str) -> None:
    reason = consent_reason(answer)
    assert (reason.code, reason.text, reason.answer) == (code, text, answer)
    assert read_reasons(text) == (reason,)


def test_a_registry_cell_reads_as_its_reasons_in_order() -> None:
    cell = "watch list: looks like Bill Gates; consent answer 'No' is not a yes; digits in name"
    reasons = read_reasons(cell)
    assert [r.code for r in reasons] == [ReasonCode.OTHER, ReasonCode.CONSENT_NOT_YES, ReasonCode.OTHER]
    assert [r.text for r in reasons] == cell.split("; ")
    assert reasons[1].answer == "No"
    assert read_reasons("") == ()


@pytest.mark.parametrize(
    "cell",
    [
        "an editor's own words about consent",
        "consent revoked: a later response answered 'No'",
        "approved by an editor (was: no answer to the consent question)",
    ],
)
def test_words_that_only_mention_consent_are_not_a_consent_hold(cell: str) -> None:
    assert not any(r.code in CONSENT_CODES for r in read_reasons(cell))


def test_a_decision_keeps_one_earlier_reason() -> None:
    first = reason_with_history("approved by an editor", "digits in name")
    assert first == "approved by an editor (was: digits in name)"
    assert (
        reason_with_history("rejected by an editor", first)
        == "rejected by an editor (was: approved by an editor)"
    )
    assert reason_with_history("x", "x") == "x"
    assert reason_without_history(first) == "approved by an editor"


def test_only_email_evidence_is_the_same_signer() -> None:
    assert {t for t in Tier if t.same_signer} == {Tier.EMAIL, Tier.EMAIL_NAME}
    assert [t.value for t in Tier] == ["A", "B", "C", "D", "E"]  # the letters of matching's table


def test_waiting_for_the_signers_confirmation_is_a_code_not_a_phrase_search() -> None:
    from sync.model import AWAITING_CONFIRMATION_WORDS, has_reason

    assert has_reason(f"digits in name; {AWAITING_CONFIRMATION_WORDS}", ReasonCode.AWAITING_CONFIRMATION)
    # An earlier reason kept after an editor's decision is history, not a reason that holds now.
    approved = reason_with_history("approved by an editor", AWAITING_CONFIRMATION_WORDS)
    assert not has_reason(approved, ReasonCode.AWAITING_CONFIRMATION)


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        ("No", "consent revoked: a later response answered 'No'"),
        ("", "consent revoked: a later response left the consent question unanswered"),
    ],
)
def test_a_revocation_keeps_its_words_and_reads_back_as_revoked(answer: str, text: str) -> None:
    from sync.model import revoked_reason

    reason = revoked_reason(consent_reason(answer))
    assert (reason.code, reason.text) == (ReasonCode.CONSENT_REVOKED, text)
    assert [r.code for r in read_reasons(text)] == [ReasonCode.CONSENT_REVOKED]
