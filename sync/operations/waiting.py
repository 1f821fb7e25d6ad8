"""How long the oldest consenting signer not yet on the page has waited: every run says it, and
`[notify] promise_hours` alerts when it passes the page's promise ("within a few hours").

A signer waits from their response's timestamp until their name is on the page: while held for
an editor (not for their consent: a "No" is not waiting), and while a plan that publishes them
waits for its pull request to be merged (each run on the default branch plans them again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sync.model import CONSENT_CODES, Signatory, read_reasons


def _held_for_consent(reason: str) -> bool:
    """Whether a registry reason cell holds a missing consent (a "No", or no answer)."""
    return any(r.code in CONSENT_CODES for r in read_reasons(reason))


@dataclass(frozen=True, slots=True)
class Waiting:
    """The signer who has waited longest, and for how long."""

    id: str
    name: str
    signed: str
    hours: float
    held: bool  # held for an editor (else: published by this plan, not yet applied or merged)

    def sentence(self) -> str:
        where = "held for an editor's decision" if self.held else "in this plan, not yet on the page"
        return (
            f"the oldest consenting response not yet on the page has waited {_duration(self.hours)}: "
            f"{self.id} '{self.name}' (signed {self.signed}, {where})"
        )


def _duration(hours: float) -> str:
    if hours < 1:
        return f"{max(0, round(hours * 60))} min"
    if hours < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"


def _signed_at(signed: str) -> datetime | None:
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(signed.strip(), layout)
        except ValueError:
            continue
    return None


def oldest_waiting(
    signatories: Iterable[Signatory], published_before: set[str], now: datetime
) -> Waiting | None:
    """Of the entries a plan leaves published but that were not on the page before it, and those
    held for an editor (not for their consent), the one signed longest ago. `now` is naive, in
    the responses' own clock (the timestamps carry no time zone)."""
    best: tuple[datetime, Signatory, bool] | None = None
    for s in signatories:
        held = s.status == "pending" and not s.sealed and not _held_for_consent(s.reason)
        new_on_page = s.status == "published" and not s.sealed and s.id not in published_before
        if not (held or new_on_page):
            continue
        at = _signed_at(s.signed)
        if at is None:
            continue
        if best is None or at < best[0]:
            best = (at, s, held)
    if best is None:
        return None
    at, s, held = best
    return Waiting(s.id, s.name, s.signed, (now - at).total_seconds() / 3600, held)
