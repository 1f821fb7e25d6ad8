"""Fold new submissions into the registry. Pure: no I/O, no clock.

Every submission ends in exactly one outcome, counted in the Summary:
unchanged (already in the registry), new (published), merged (into an existing or earlier
entry), held (a pending entry an editor must decide), rejected (with a reason).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import cast

from sync.matching import Candidate, MatchIndex
from sync.model import Change, Kind, Signatory, Status, Submission, Summary
from sync.names import NameReading, Watchlist, read_name
from sync.registry import stamp


@dataclass(frozen=True, slots=True)
class Reconciled:
    """The registry after the new submissions, and what happened to each of them."""

    signatories: tuple[Signatory, ...]
    changes: tuple[Change, ...]
    summary: Summary


_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
EMAIL_REMOVED = "[email address removed]"


def redact_emails(text: str) -> str:
    """Email addresses typed into the name or affiliation field never reach the registry,
    the plan or the page."""
    return _EMAIL.sub(EMAIL_REMOVED, text) if "@" in text else text


def escape_controls(text: str) -> str:
    """The raw text with control and invisible characters shown as \\uXXXX, on one line."""
    out = []
    for ch in text:
        if ch in "\r\n\t":
            out.append(" ")
        elif not ch.isprintable() or ch in "\u200b\u200c\u200d\u200e\u200f\ufeff\u00ad":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _without_emails(reading: NameReading) -> NameReading:
    """The reading with email addresses taken out of what is shown; an affiliation that held
    one waits for an editor (it would otherwise be published)."""
    affiliation = redact_emails(reading.affiliation)
    hold = reading.hold
    if affiliation != reading.affiliation:
        affiliation = " ".join(affiliation.replace(EMAIL_REMOVED, "").split()).strip(" ,;-")
        hold = hold + ("an email address was removed from the affiliation",)
    return replace(
        reading,
        raw=redact_emails(reading.raw),
        display=redact_emails(reading.display),
        affiliation=affiliation,
        hold=hold,
    )


def _new_id(fingerprint: str, taken: set[str]) -> str:
    n = 0
    while True:
        digest = hashlib.sha256(f"{fingerprint}:{n}".encode()).hexdigest()[:10]
        sid = f"s-{digest}"
        if sid not in taken:
            return sid
        n += 1


def _completeness(name: str, flags: tuple[str, ...]) -> tuple[int, int, int]:
    """Which spelling wins a merge: typed (not auto-cased) first, then more non-ASCII letters
    (diacritics: 'José' beats 'Jose'), then the longer."""
    return (
        0 if "auto-cased" in flags else 1,
        sum(1 for c in name if ord(c) > 127 and c.isalpha()),
        len(name),
    )


# Complexity (C901) allowed: one loop that gives each submission exactly one outcome (reject, merge,
# hold, add), read top to bottom; the counts stay provably complete in one place.
def reconcile(  # noqa: C901
    registry: tuple[Signatory, ...],
    submissions: tuple[Submission, ...],
    *,
    policy: str = "publish",
    watchlist: Watchlist | None = None,
) -> Reconciled:
    """Fold `submissions` into `registry` (see the module docstring for the outcomes)."""
    known = {fp for s in registry for fp in s.responses}
    by_id: dict[str, Signatory] = {s.id: s for s in registry}
    taken = set(by_id)
    changes: list[Change] = []
    counts = dict(new=0, merged=0, held=0, rejected=0, unchanged=0)

    fresh: list[Submission] = []
    seen_now: set[str] = set()
    for sub in submissions:
        if sub.fingerprint in known or sub.fingerprint in seen_now:
            counts["unchanged"] += 1
        else:
            seen_now.add(sub.fingerprint)
            fresh.append(sub)
    fresh.sort(key=lambda s: (s.timestamp is None, s.timestamp or 0, s.row))
    # Indexing the registry is most of a run's work: only when there is something to match.
    index = MatchIndex(Candidate.of_entry(s) for s in registry if s.status != "rejected") if fresh else None

    for sub in fresh:
        reading = read_name(sub.name_raw, sub.affiliation_raw, sub.kind_raw, watchlist)
        if "@" in sub.name_raw or "@" in sub.affiliation_raw:
            reading = _without_emails(reading)
        signed = sub.timestamp.isoformat(sep=" ") if sub.timestamp else sub.timestamp_raw.strip()
        typed = redact_emails(escape_controls(sub.name_raw))
        emails = (sub.email_key,) if sub.email_key else ()
        reject = reading.reject
        if not reject and not sub.name_raw.strip():
            reject = "no name given"
        if not reject and sub.consent is False:
            reject = "did not consent to publication"
        if reject:
            sid = _new_id(sub.fingerprint, taken)
            taken.add(sid)
            by_id[sid] = stamp(
                Signatory(
                    sid,
                    "rejected",
                    cast(Kind, reading.kind),  # read_name gives "individual" or "organization"
                    reading.display or typed,
                    reading.affiliation,
                    "",
                    signed,
                    typed,
                    reading.flags,
                    reject,
                    (sub.fingerprint,),
                    emails,
                )
            )
            changes.append(Change("reject", sid, (sub.fingerprint,), reject, reading.display))
            counts["rejected"] += 1
            continue

        cand = Candidate.of_reading("", reading, emails, (sub.email_local_key,))
        assert index is not None
        matches = index.match(cand)
        merge = next((m for m in matches if m.merge), None)
        if merge is not None and merge.id in by_id:
            target = by_id[merge.id]
            updated = replace(
                target,
                responses=target.responses + (sub.fingerprint,),
                email_keys=target.email_keys + tuple(e for e in emails if e not in target.email_keys),
            )
            reason = f"{merge.reason}: merged into {target.id}"
            if target.status == "withdrawn":
                reason += " (withdrawn: stays withdrawn until an editor restores it)"
            elif not target.edited and _completeness(reading.display, reading.flags) > _completeness(
                target.name, target.flags
            ):
                reason += f"; spelling '{reading.display}' wins over '{target.name}' (more complete)"
                updated = stamp(
                    replace(
                        updated,
                        name=reading.display,
                        flags=reading.flags,
                        affiliation=target.affiliation or reading.affiliation,
                    )
                )
            elif not target.edited and not target.affiliation and reading.affiliation:
                updated = stamp(replace(updated, affiliation=reading.affiliation))
            by_id[target.id] = updated
            index.add(replace(cand, id=target.id, email_keys=updated.email_keys))
            changes.append(Change("merge", target.id, (sub.fingerprint,), reason, updated.name))
            counts["merged"] += 1
            continue

        hold = list(reading.hold)
        for m in matches:
            if not m.merge and m.id in by_id:
                hold.append(f"possible duplicate of {m.id} '{by_id[m.id].name}' ({m.reason})")
        if policy == "review" and not hold:
            hold.append("policy: every new entry waits for approval")
        sid = _new_id(sub.fingerprint, taken)
        taken.add(sid)
        status: Status = "pending" if hold else "published"
        entry = stamp(
            Signatory(
                sid,
                status,
                cast(Kind, reading.kind),
                reading.display,
                reading.affiliation,
                "",
                signed,
                typed,
                reading.flags,
                "; ".join(hold),
                (sub.fingerprint,),
                emails,
            )
        )
        by_id[sid] = entry
        index.add(replace(cand, id=sid, status=status))
        if hold:
            changes.append(Change("hold", sid, (sub.fingerprint,), "; ".join(hold), entry.name))
            counts["held"] += 1
        else:
            changes.append(Change("add", sid, (sub.fingerprint,), "", entry.name))
            counts["new"] += 1

    summary = Summary(responses=len(submissions), **counts)
    return Reconciled(tuple(by_id.values()), tuple(changes), summary)
