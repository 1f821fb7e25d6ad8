"""How long the oldest consenting signer not yet on the page has waited: every run says it, and
`[notify] promise_hours` alerts when it passes the page's promise ("within a few hours").

A signer waits from their response's timestamp until their name is on the page: while held for
an editor (not for their consent: a "No" is not waiting), and while a plan that publishes them
waits for its pull request to be merged (each run on the default branch plans them again).

Timestamps carry no time zone: a Google Sheet writes them in its own (the spreadsheet's
settings, which the Sheets API gives), a CSV in the zone `[source] timezone` names. Without
either they are taken as UTC, and the plan says so with the setting that fixes it. A wall-clock
time is turned into an instant by its zone's rules on that date (summer time included); a time a
clock change repeats is taken at its first occurrence, one it skips as if the clock had not
changed yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    zone: str = ""  # the timestamps' time zone ('' when none was known: UTC assumed)

    def sentence(self) -> str:
        where = "held for an editor's decision" if self.held else "in this plan, not yet on the page"
        signed = f"{self.signed} {self.zone}" if self.zone else self.signed
        text = (
            f"the oldest consenting response not yet on the page has waited {_duration(self.hours)}: "
            f"{self.id} '{self.name}' (signed {signed}, {where})"
        )
        if not self.zone:
            text += (
                "; its time was taken as UTC (the source names no time zone): set [source] timezone "
                'to the form\'s, e.g. timezone = "Europe/Berlin"'
            )
        return text


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


def time_zone(name: str | None) -> tzinfo | None:
    """The zone of this IANA name (None for none, or one this machine's database lacks)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def oldest_waiting(
    signatories: Iterable[Signatory], published_before: set[str], now: datetime, zone_name: str | None = None
) -> Waiting | None:
    """Of the entries a plan leaves published but that were not on the page before it, and those
    held for an editor (not for their consent), the one signed longest ago. `now` is aware (any
    zone); the entries' `signed` times are wall-clock times in the zone `zone_name` (UTC when
    None or unknown: the Waiting says so)."""
    zone = time_zone(zone_name)
    best: tuple[datetime, Signatory, bool] | None = None
    for s in signatories:
        held = s.status == "pending" and not s.sealed and not _held_for_consent(s.reason)
        new_on_page = s.status == "published" and not s.sealed and s.id not in published_before
        if not (held or new_on_page):
            continue
        local = _signed_at(s.signed)
        if local is None:
            continue
        at = local.replace(tzinfo=zone or UTC)  # fold=0: a repeated hour's first occurrence
        if best is None or at < best[0]:
            best = (at, s, held)
    if best is None:
        return None
    at, s, held = best
    hours = (now - at.astimezone(UTC)).total_seconds() / 3600
    return Waiting(s.id, s.name, s.signed, hours, held, zone_name or "" if zone is not None else "")
