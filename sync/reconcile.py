"""Fold new submissions into the registry. Pure: no I/O, no clock.

Every submission ends in exactly one outcome, counted in the Summary:
unchanged (already in the registry), new (published), merged (into an existing or earlier
entry), held (a pending entry an editor must decide), rejected (with a reason).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol, cast

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


def _completeness(name: str, flags: tuple[str, ...]) -> tuple[int, int, int]:
    """Which spelling wins a merge: typed (not auto-cased) first, then more non-ASCII letters
    (diacritics: 'José' beats 'Jose'), then the longer."""
    return (
        0 if "auto-cased" in flags else 1,
        sum(1 for c in name if ord(c) > 127 and c.isalpha()),
        len(name),
    )


class RegistryView(Protocol):
    """What reconciling needs of the registry: a few look-ups, never the whole of it. Two
    implementations: `LoadedRegistry` (entries in memory) and `sync.cache.CachedRegistry`."""

    def known(self, fingerprints: Iterable[str]) -> set[str]:
        """The fingerprints among these that some entry already holds."""
        ...

    def get(self, sid: str) -> Signatory | None:
        """The entry with this id."""
        ...

    def index_for(self, queries: list[Candidate]) -> MatchIndex:
        """A match index that answers these queries exactly as one over the whole registry
        (entries not rejected, in registry order) would."""
        ...


class LoadedRegistry:
    """A RegistryView over entries in memory."""

    def __init__(self, signatories: tuple[Signatory, ...] | list[Signatory]) -> None:
        self.signatories = signatories
        self.by_id: dict[str, Signatory] = {s.id: s for s in signatories}

    def known(self, fingerprints: Iterable[str]) -> set[str]:
        wanted = set(fingerprints)
        return {fp for s in self.signatories for fp in s.responses if fp in wanted}

    def get(self, sid: str) -> Signatory | None:
        return self.by_id.get(sid)

    def index_for(self, queries: list[Candidate]) -> MatchIndex:
        return MatchIndex(Candidate.of_entry(s) for s in self.signatories if s.status != "rejected")


@dataclass(frozen=True, slots=True)
class Changed:
    """What reconciling changed: new and updated entries by id (updated ones first, in the
    order they were touched, then new ones in the order they were made), and why."""

    updates: dict[str, Signatory]
    changes: tuple[Change, ...]
    summary: Summary


def reconcile(
    registry: tuple[Signatory, ...],
    submissions: tuple[Submission, ...],
    *,
    policy: str = "publish",
    watchlist: Watchlist | None = None,
) -> Reconciled:
    """Fold `submissions` into `registry` (see the module docstring for the outcomes)."""
    view = LoadedRegistry(registry)
    changed = reconcile_changes(view, submissions, policy=policy, watchlist=watchlist)
    by_id = view.by_id
    by_id.update(changed.updates)
    return Reconciled(tuple(by_id.values()), changed.changes, changed.summary)


# Complexity (C901) allowed: one loop that gives each submission exactly one outcome (reject, merge,
# hold, add), read top to bottom; the counts stay provably complete in one place.
def reconcile_changes(  # noqa: C901
    view: RegistryView,
    submissions: tuple[Submission, ...],
    *,
    policy: str = "publish",
    watchlist: Watchlist | None = None,
) -> Changed:
    """Fold `submissions` into the registry `view`; only the entries that change come back."""
    updates: dict[str, Signatory] = {}
    changes: list[Change] = []
    counts = dict(new=0, merged=0, held=0, rejected=0, unchanged=0)

    def entry(sid: str) -> Signatory | None:
        got = updates.get(sid)
        return got if got is not None else view.get(sid)

    def new_id(fingerprint: str) -> str:
        n = 0
        while True:
            digest = hashlib.sha256(f"{fingerprint}:{n}".encode()).hexdigest()[:10]
            sid = f"s-{digest}"
            if entry(sid) is None:
                return sid
            n += 1

    known = view.known(sub.fingerprint for sub in submissions)
    fresh: list[Submission] = []
    seen_now: set[str] = set()
    for sub in submissions:
        if sub.fingerprint in known or sub.fingerprint in seen_now:
            counts["unchanged"] += 1
        else:
            seen_now.add(sub.fingerprint)
            fresh.append(sub)
    fresh.sort(key=lambda s: (s.timestamp is None, s.timestamp or 0, s.row))

    readings: list[tuple[Submission, NameReading, tuple[str, ...], str, Candidate | None]] = []
    for sub in fresh:
        reading = read_name(sub.name_raw, sub.affiliation_raw, sub.kind_raw, watchlist)
        if "@" in sub.name_raw or "@" in sub.affiliation_raw:
            reading = _without_emails(reading)
        emails: tuple[str, ...] = (sub.email_key,) if sub.email_key else ()
        reject = reading.reject
        if not reject and not sub.name_raw.strip():
            reject = "no name given"
        if not reject and sub.consent is False:
            reject = "did not consent to publication"
        cand = None
        if not reject:
            cand = Candidate.of_reading("", reading, emails, (sub.email_local_key,))
        readings.append((sub, reading, emails, reject, cand))
    # Indexing the registry is most of a run's work: only when there is something to match.
    queries = [c for *_, c in readings if c is not None]
    index = view.index_for(queries) if queries else None

    for sub, reading, emails, reject, maybe_cand in readings:
        signed = sub.timestamp.isoformat(sep=" ") if sub.timestamp else sub.timestamp_raw.strip()
        typed = redact_emails(escape_controls(sub.name_raw))
        if maybe_cand is None:
            sid = new_id(sub.fingerprint)
            updates[sid] = stamp(
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

        cand = maybe_cand
        assert index is not None
        matches = index.match(cand)
        merge = next((m for m in matches if m.merge), None)
        target = entry(merge.id) if merge is not None else None
        if merge is not None and target is not None:
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
            updates[target.id] = updated
            index.add(replace(cand, id=target.id, email_keys=updated.email_keys))
            changes.append(Change("merge", target.id, (sub.fingerprint,), reason, updated.name))
            counts["merged"] += 1
            continue

        hold = list(reading.hold)
        for m in matches:
            other = entry(m.id) if not m.merge else None
            if other is not None:
                hold.append(f"possible duplicate of {m.id} '{other.name}' ({m.reason})")
        if policy == "review" and not hold:
            hold.append("policy: every new entry waits for approval")
        sid = new_id(sub.fingerprint)
        status: Status = "pending" if hold else "published"
        new_entry = stamp(
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
        updates[sid] = new_entry
        index.add(replace(cand, id=sid, status=status))
        if hold:
            changes.append(Change("hold", sid, (sub.fingerprint,), "; ".join(hold), new_entry.name))
            counts["held"] += 1
        else:
            changes.append(Change("add", sid, (sub.fingerprint,), "", new_entry.name))
            counts["new"] += 1

    summary = Summary(responses=len(submissions), **counts)
    return Changed(updates, tuple(changes), summary)
