"""Fold new submissions into the registry. Pure: no I/O, no clock.

Every submission ends in exactly one outcome, counted in the Summary:
unchanged (already in the registry), new (published), merged (into an existing or earlier
entry), held (a pending entry an editor must decide), rejected (with a reason).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Container, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, cast

from sync.dedupe.matching import Candidate, Match, MatchIndex, Tier
from sync.model import (
    CONSENT_CODES,
    Change,
    Kind,
    Reason,
    ReasonCode,
    Signatory,
    Status,
    Submission,
    Summary,
    consent_reason,
    read_reasons,
    revoked_reason,
)
from sync.names import NameReading, Watchlist, read_names
from sync.names.redact import MASKS, mask_personal, without_masks
from sync.store.privacy import Sealer, public_reason
from sync.store.registry import stamp
from sync.support.workers import collector_paused


@dataclass(frozen=True, slots=True)
class Reconciled:
    """The registry after the new submissions, and what happened to each of them."""

    signatories: tuple[Signatory, ...]
    changes: tuple[Change, ...]
    summary: Summary


AUTO_CASED = "auto-cased"  # the flag sync.names sets on a name it recased


def escape_controls(text: str) -> str:
    """The raw text with control and invisible characters shown as \\uXXXX, on one line."""
    if text.isprintable():  # the common case: nothing to show (every character below is not)
        return text
    out = []
    for ch in text:
        if ch in "\r\n\t":
            out.append(" ")
        elif not ch.isprintable() or ch in "\u200b\u200c\u200d\u200e\u200f\ufeff\u00ad":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _without_personal_data(reading: NameReading) -> NameReading:
    """The reading with email addresses, phone numbers, postal addresses and identity numbers
    taken out of what is shown; an affiliation that held one waits for an editor (it would
    otherwise be published)."""
    affiliation = mask_personal(reading.affiliation)
    hold = reading.hold
    if any(m in affiliation for m in MASKS):
        affiliation = without_masks(affiliation)
        if not any("in the affiliation" in h for h in hold):
            hold = hold + ("personal data was removed from the affiliation",)
    return replace(
        reading,
        raw=mask_personal(reading.raw),
        display=mask_personal(reading.display),
        affiliation=affiliation,
        hold=hold,
    )


def _may_hold_personal_data(text: str) -> bool:
    """A cheap test first: an email has an @, the rest digits (most names have neither)."""
    return "@" in text or any(c.isdigit() for c in text)


def _new_id(fingerprint: str, taken: Container[str]) -> str:
    n = 0
    while True:
        digest = hashlib.sha256(f"{fingerprint}:{n}".encode()).hexdigest()[:10]
        sid = f"s-{digest}"
        if sid not in taken:
            return sid
        n += 1


# --- the signer's own spelling ------------------------------------------------------------


def letters_key(name: str) -> str:
    """The letters of a name in order, without case, diacritics, spaces or punctuation:
    two spellings with the same letters_key differ only in form ("JOSE GARCIA", "José García")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _form_quality(name: str, flags: tuple[str, ...]) -> tuple[int, int]:
    """Of two forms of the same letters, the better: typed (not auto-cased), then with more
    diacritics ('José' over 'Jose')."""
    marks = sum(1 for c in unicodedata.normalize("NFD", name) if unicodedata.combining(c))
    return (0 if AUTO_CASED in flags else 1, marks)


@dataclass(frozen=True, slots=True)
class Spelling:
    """Which name an entry keeps when a new response merges into it, and what to say."""

    name: str
    flags: tuple[str, ...]
    changed: bool
    message: str  # '' when nothing worth saying changed
    by_signer: bool = False  # the signer typed other letters (not only another case or accents)


def choose_spelling(
    old: str, old_flags: tuple[str, ...], new: str, new_flags: tuple[str, ...], *, same_signer: bool
) -> Spelling:
    """The signer's own latest spelling wins; where only case or diacritics differ, the better
    form is kept. `same_signer`: the responses share an email identity (tiers A and D)."""
    keep = Spelling(old, old_flags, False, "")
    if not new or new == old and new_flags == old_flags:
        return keep
    if letters_key(new) == letters_key(old):
        better_new = _form_quality(new, new_flags) > _form_quality(old, old_flags)
        tie = _form_quality(new, new_flags) == _form_quality(old, old_flags)
        if not (better_new or (tie and same_signer)):
            return keep
        if new == old:  # only the flags differ: nothing to tell
            return Spelling(new, new_flags, True, "")
        why = (
            "as typed, not auto-cased"
            if AUTO_CASED in old_flags and AUTO_CASED not in new_flags
            else "with diacritics"
            if better_new
            else "the signer's latest"
        )
        return Spelling(new, new_flags, True, f"spelling '{new}' kept over '{old}' ({why})")
    if not same_signer:
        return keep
    return Spelling(
        new, new_flags, True, f"spelling changed by the signer: '{old}' -> '{new}'", by_signer=True
    )


@dataclass(frozen=True, slots=True)
class AffiliationChoice:
    """Which affiliation an entry keeps when a response merges into it, and what to say."""

    affiliation: str
    changed: bool
    taken: str  # '' or what the plan says was taken
    not_taken: str  # '' or what the plan says was not taken, and why
    by_signer: bool = False  # other letters (not only another case or accents)


def _affiliation_quality(text: str, flags: tuple[str, ...]) -> tuple[int, int]:
    """Of two forms of the same letters, the better: typed in mixed case (not all one case, nor
    recased by signsync), then with more diacritics."""
    cased = any(c.isupper() for c in text) and any(c.islower() for c in text)
    marks = sum(1 for c in unicodedata.normalize("NFD", text) if unicodedata.combining(c))
    return (1 if cased and "affiliation auto-cased" not in flags else 0, marks)


def choose_affiliation(
    old: str,
    new: str,
    new_flags: tuple[str, ...],
    new_hold: tuple[str, ...],
    *,
    same_signer: bool,
    old_flags: tuple[str, ...] = (),
) -> AffiliationChoice:
    """The affiliation by the names' rule (`choose_spelling`): the same signer's latest wins;
    where only case or diacritics differ, the better form; another signer's (a name alone made
    the merge) is not taken. Judged as the names engine judged the response: one it dropped
    (a comment, an email), or from a response it would hold, is not taken. A blank one takes
    nothing away."""
    keep = AffiliationChoice(old, False, "", "")
    dropped = next(
        (f.removeprefix("affiliation dropped: ") for f in new_flags if f.startswith("affiliation dropped: ")),
        "",
    )
    if not new:
        if dropped and old:
            return replace(keep, not_taken=f"affiliation (the names engine dropped it: {dropped})")
        if old:
            return replace(keep, not_taken=f"a blank affiliation (left blank this time: '{old}' stands)")
        return keep
    if new == old:
        return keep
    if letters_key(new) == letters_key(old):
        better = _affiliation_quality(new, new_flags), _affiliation_quality(old, old_flags)
        if better[0] > better[1] or (better[0] == better[1] and same_signer):
            return AffiliationChoice(new, True, f"affiliation '{new}' (was '{old}')", "")
        return replace(keep, not_taken=f"affiliation '{new}' (only its form differs: '{old}' is kept)")
    if new_hold:
        return replace(
            keep, not_taken=f"affiliation '{new}' (the response would be held: {'; '.join(new_hold)})"
        )
    if not same_signer:
        return replace(
            keep, not_taken=f"affiliation '{new}' (no email shows it is the same signer: a same name only)"
        )
    was = f" (was '{old}')" if old else " (there was none)"
    return AffiliationChoice(new, True, f"affiliation '{new}'{was}", "", by_signer=True)


# --- consent ------------------------------------------------------------------------------


def consent_hold(sub: Submission) -> Reason | None:
    """Why a submission without an explicit yes is held (None when it consented or was not asked)."""
    if sub.consent is not False:
        return None
    answer = " ".join(mask_personal(escape_controls(sub.consent_raw)).split())
    if len(answer) > 60:
        answer = answer[:57] + "..."
    return consent_reason(answer)


def consent_state(no_consent: Reason | None) -> str:
    """The registry's consent state for a response held by `consent_hold` ('' for a yes)."""
    if no_consent is None:
        return ""
    return "blank" if no_consent.code is ReasonCode.CONSENT_UNANSWERED else "declined"


def _held_for_consent(s: Signatory) -> bool:
    return s.status == "pending" and s.consent in ("declined", "blank")


# --- reconcile ----------------------------------------------------------------------------


def _editor_rejected(s: Signatory) -> bool:
    """Rejected by an editor (not by signsync's rules): a later response from the same signer
    stays rejected. A comment signsync rejected never stands in a later real name's way."""
    return s.status == "rejected" and bool(s.decided)  # signsync's own rules record no decision


# Complexity (C901) allowed: one loop that gives each submission exactly one outcome (reject, merge,
# hold, add), read top to bottom; the counts stay provably complete in one place.
def in_match_index(s: Signatory) -> bool:
    """Which registry entries new responses are matched against."""
    return s.status != "rejected" or _editor_rejected(s)


class RegistryView(Protocol):
    """What reconciling needs of the registry: a few look-ups, never the whole of it. Two
    implementations: `LoadedRegistry` (entries in memory) and `sync.cache.CachedRegistry`."""

    def known(self, fingerprints: Iterable[str]) -> set[str]:
        """The fingerprints among these that some entry already holds."""
        ...

    def get(self, sid: str) -> Signatory | None:
        """The entry with this id."""
        ...

    def get_many(self, sids: Iterable[str]) -> None:
        """Read these entries ahead, together (`get` then answers them from memory)."""
        ...

    def index_for(self, queries: list[Candidate]) -> MatchIndex:
        """A match index that answers these queries exactly as one over the whole registry
        (the entries `in_match_index`, in registry order) would."""
        ...


class LoadedRegistry:
    """A RegistryView over entries in memory."""

    def __init__(self, signatories: Sequence[Signatory]) -> None:
        self.signatories = signatories
        self.by_id: dict[str, Signatory] = {s.id: s for s in signatories}

    def known(self, fingerprints: Iterable[str]) -> set[str]:
        wanted = set(fingerprints)
        return {fp for s in self.signatories for fp in s.responses if fp in wanted}

    def get(self, sid: str) -> Signatory | None:
        return self.by_id.get(sid)

    def get_many(self, sids: Iterable[str]) -> None:
        """In memory already."""

    def index_for(self, queries: list[Candidate]) -> MatchIndex:
        return MatchIndex(Candidate.of_entry(s) for s in self.signatories if in_match_index(s))


class _Entries(MutableMapping[str, Signatory]):
    """The registry as reconciling sees it: the view's entries with this run's updates over
    them. Reads go to the view one id at a time; writes stay here."""

    def __init__(self, view: RegistryView, sealer: Sealer) -> None:
        self.view = view
        self.sealer = sealer
        self.updates: dict[str, Signatory] = {}

    def __getitem__(self, sid: str) -> Signatory:
        got = self.updates.get(sid)
        if got is None:
            got = self.view.get(sid)
            if got is None:
                raise KeyError(sid)
        return got

    def __contains__(self, sid: object) -> bool:
        return isinstance(sid, str) and (sid in self.updates or self.view.get(sid) is not None)

    def __setitem__(self, sid: str, s: Signatory) -> None:
        # Sealed as it is stored: an entry kept private never holds its text in clear, not even
        # for the rest of this run (another entry's note would quote it).
        self.updates[sid] = self.sealer.seal(s)

    def __delitem__(self, sid: str) -> None:
        raise TypeError("reconciling never removes an entry")

    def __iter__(self) -> Iterator[str]:
        return iter(self.updates)

    def __len__(self) -> int:
        return len(self.updates)

    def add(self, sid: str) -> None:
        """`taken.add`: the id is written right after; nothing to do."""


@dataclass(frozen=True, slots=True)
class Changed:
    """What reconciling changed: new and updated entries by id, in the order they were first
    touched, and why."""

    updates: dict[str, Signatory]
    changes: tuple[Change, ...]
    summary: Summary


def reconcile(
    registry: tuple[Signatory, ...],
    submissions: tuple[Submission, ...],
    *,
    policy: str = "publish",
    watchlist: Watchlist | None = None,
    sealer: Sealer | None = None,
) -> Reconciled:
    """Fold `submissions` into `registry` (see the module docstring for the outcomes).
    `sealer` keeps the text of entries kept private (without one it is dropped)."""
    view = LoadedRegistry(registry)
    changed = reconcile_changes(view, submissions, policy=policy, watchlist=watchlist, sealer=sealer)
    by_id = view.by_id
    by_id.update(changed.updates)
    return Reconciled(tuple(by_id.values()), changed.changes, changed.summary)


def reconcile_changes(
    view: RegistryView,
    submissions: tuple[Submission, ...],
    *,
    policy: str = "publish",
    watchlist: Watchlist | None = None,
    sealer: Sealer | None = None,
) -> Changed:
    """Fold `submissions` into the registry `view`; only the entries that change come back."""
    with collector_paused():  # a full run makes an entry, a change and index rows per response
        return _reconcile_changes(view, submissions, policy, watchlist, sealer or Sealer())


# Complexity (C901) allowed: one loop that gives each submission exactly one outcome (reject, merge,
# hold, add), read top to bottom; the counts stay provably complete in one place.
def _reconcile_changes(  # noqa: C901
    view: RegistryView,
    submissions: tuple[Submission, ...],
    policy: str,
    watchlist: Watchlist | None,
    sealer: Sealer,
) -> Changed:
    known = view.known(sub.fingerprint for sub in submissions)
    by_id = _Entries(view, sealer)
    taken = by_id
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
    readings = []
    # Names are read first, all at once: in worker processes when there are many.
    names = read_names([(sub.name_raw, sub.affiliation_raw, sub.kind_raw) for sub in fresh], watchlist)
    for sub, reading in zip(fresh, names, strict=True):
        if _may_hold_personal_data(sub.name_raw) or _may_hold_personal_data(sub.affiliation_raw):
            reading = _without_personal_data(reading)
        emails = (sub.email_key,) if sub.email_key else ()
        domains = (sub.email_domain_key,) if sub.email_domain_key else ()
        cand = Candidate.of_reading("", reading, emails, (sub.email_local_key,), domain_keys=domains)
        readings.append((sub, reading, emails, domains, cand))
    # Indexing the registry is most of a run's work: only when there is something to match,
    # and (from the cache) only the entries these responses can meet.
    queries = [r[-1] for r in readings]
    index = view.index_for(queries) if readings else None
    if index is not None:
        index.prepare(queries)  # crowded blocks: every query's similar names scored in one batch
    del queries
    del fresh, names
    readings.reverse()  # taken from the end, in order: each row's reading is freed once done
    while readings:
        sub, reading, emails, domains, cand = readings.pop()
        own = (sub.fingerprint,)  # one tuple for the entry and its change
        signed = sub.timestamp.isoformat(sep=" ") if sub.timestamp else sub.timestamp_raw.strip()
        # Stripped as the registry reads its cells back: a line written again must not change.
        typed = mask_personal(escape_controls(sub.name_raw)).strip()
        no_consent = consent_hold(sub)
        assert index is not None
        found = index.match(cand)
        if len(found) > 1:  # the entries they name, read in one query (from the cache)
            view.get_many(m.id for m in found if m.id not in by_id.updates)
        matches = [m for m in found if m.id in by_id]
        merge = next((m for m in matches if m.merge), None)
        if no_consent and merge is not None and not merge.tier.same_signer:
            # Without an email to say it is the same signer, an answer without a yes neither
            # joins an entry on the page nor takes one off it: it waits on its own.
            matches = [m for m in matches if m is not merge]
            merge = None
        elif merge is not None and not merge.tier.same_signer and _held_for_consent(by_id[merge.id]):
            # Nor does a yes lift another response's "no" on the strength of the name alone: it
            # starts its own entry (on the page if nothing else holds it) and the declined one
            # keeps waiting. Merged, a later response from this yes's email would have counted as
            # the same signer and published the declined response with it.
            demoted = Match(
                Tier.NAMESAKE,
                merge.id,
                False,
                "held without consent; not merged: no email shows it is the same signer",
                merge.score,
                hold=False,
            )
            matches = [demoted if m is merge else m for m in matches]
            merge = None
        target = by_id[merge.id] if merge is not None else None

        # The same signer (same email, a name that can be theirs): every entry of theirs.
        signer = [by_id[m.id] for m in matches if m.tier.same_signer and (m.merge or m.outranked)]
        revoked = [s for s in signer if s.status in ("published", "pending") and not s.sealed]
        # A re-submission that leaves the consent question blank is no withdrawal: as on a first
        # response, a blank answer gives no yes, and takes none back (an explicit "No" does).
        blank_again = (
            no_consent is not None
            and no_consent.code is ReasonCode.CONSENT_UNANSWERED
            and bool(revoked)
            and target is not None
        )
        if blank_again:
            no_consent = None
        if no_consent and revoked and target is not None:
            # A later answer without a yes from the same signer withdraws the signature,
            # whatever the name field says this time.
            why = revoked_reason(no_consent).text
            decided = f"{signed.replace(' ', 'T')} signer consent-revoked".strip()
            home = target if target in revoked else revoked[0]
            for s in revoked:
                mine = s is home
                by_id[s.id] = replace(
                    s,
                    status="withdrawn",
                    consent="revoked",
                    reason=why,
                    decided=decided,
                    responses=s.responses + (own if mine else ()),
                    email_keys=s.email_keys + tuple(e for e in emails if mine and e not in s.email_keys),
                    domain_keys=s.domain_keys + tuple(d for d in domains if mine and d not in s.domain_keys),
                )
                changes.append(Change("withdraw", s.id, own if mine else (), why, s.name))
            for s in revoked:
                _reindex(index, s, by_id[s.id])
            counts["merged"] += 1
            continue
        if target is not None and merge is not None and target.status in ("withdrawn", "rejected"):
            # Whatever a withdrawn signer (or one an editor rejected) sends next stays with that
            # decision, even a comment: it never starts a new entry an editor could publish.
            updated, reason = _merge_into(target, sub, reading, merge, [], by_id, policy, no_consent)
            by_id[target.id] = updated
            _reindex(index, target, by_id[target.id])
            changes.append(Change("merge", target.id, own, reason, updated.name))
            counts["merged"] += 1
            continue

        reject = reading.reject
        if not reject and not sub.name_raw.strip():
            reject = "no name given"
        if reject:
            sid = _new_id(sub.fingerprint, taken)
            taken.add(sid)
            by_id[sid] = _new_entry(
                sid,
                "rejected",
                reading,
                reading.display or typed,
                signed,
                typed,
                reject,
                own,
                emails,
                domains,
                consent_state(no_consent),
            )
            changes.append(Change("reject", sid, own, reject, reading.display))
            counts["rejected"] += 1
            continue

        others = [m for m in matches if not m.merge and by_id[m.id].status != "rejected"]
        if target is not None and merge is not None:
            updated, reason = _merge_into(
                target, sub, reading, merge, others, by_id, policy, no_consent, blank_again
            )
            by_id[target.id] = updated
            _reindex(index, target, by_id[target.id])
            # A published entry the signer's new text takes off the page for an editor's approval.
            held_again = target.status == "published" and updated.status == "pending"
            changes.append(Change("hold" if held_again else "merge", target.id, own, reason, updated.name))
            counts["held" if held_again else "merged"] += 1
            continue

        hold, notes = _holds(reading, others, by_id, policy, no_consent)
        sid = _new_id(sub.fingerprint, taken)
        taken.add(sid)
        status: Status = "pending" if hold else "published"
        reason = "; ".join(hold or [n.replace("NEW", sid) for n in notes])
        entry = _new_entry(
            sid,
            status,
            reading,
            reading.display,
            signed,
            typed,
            reason,
            own,
            emails,
            domains,
            consent_state(no_consent),
        )
        by_id[sid] = entry
        entry = by_id[sid]
        # Matched from now on as a later run will match it (someone kept private: by their
        # email only): what one run decides, two runs decide alike.
        index.add(Candidate.of_entry(entry))
        if hold:
            changes.append(Change("hold", sid, own, reason, entry.name))
            counts["held"] += 1
        else:
            changes.append(Change("add", sid, own, reason, entry.name))
            counts["new"] += 1

    summary = Summary(responses=len(submissions), **counts)
    return Changed(by_id.updates, _public_changes(changes, by_id.updates), summary)


def _reindex(index: MatchIndex, before: Signatory, after: Signatory) -> None:
    """The index matches a changed entry as it now stands, and only so: as the next run, which
    indexes the registry afresh, will. Batching never changes an outcome: an entry's earlier
    state (say, without the email a merged response brought) must not decide a later response
    of this run that a later run would decide otherwise. The same holds for what the registry
    does not keep (a response's email name, tier D's evidence): it is not indexed either."""
    index.update(Candidate.of_entry(before), Candidate.of_entry(after))


def _public_changes(changes: list[Change], updates: Mapping[str, Signatory]) -> tuple[Change, ...]:
    """The plan's lines, where an entry kept private is neither named nor quoted."""
    out = []
    for c in changes:
        s = updates.get(c.id)
        out.append(
            replace(c, name="", reason=public_reason(s.consent), private=True)
            if s is not None and s.sealed
            else c
        )
    return tuple(out)


def _new_entry(
    sid: str,
    status: Status,
    reading: NameReading,
    name: str,
    signed: str,
    typed: str,
    reason: str,
    responses: tuple[str, ...],
    emails: tuple[str, ...],
    domains: tuple[str, ...],
    consent: str,
) -> Signatory:
    """A new registry entry from one response, as signsync writes it (stamped)."""
    return stamp(
        Signatory(
            id=sid,
            status=status,
            kind=cast(Kind, reading.kind),  # read_name gives "individual" or "organization"
            name=name,
            affiliation=reading.affiliation,
            signed=signed,
            typed=typed,
            flags=reading.flags,
            reason=reason,
            responses=responses,
            email_keys=emails,
            domain_keys=domains,
            consent=consent,
        )
    )


def _holds(
    reading: NameReading,
    others: list[Match],
    by_id: Mapping[str, Signatory],
    policy: str,
    no_consent: Reason | None,
) -> tuple[list[str], list[str]]:
    """Why a new entry (or one whose spelling the signer changed) waits for an editor, and the
    notes that go with it when it does not ("NEW" stands for its own id)."""
    hold = list(reading.hold)
    if no_consent:
        hold.append(no_consent.text)
    notes = []
    for m in others:
        o = by_id[m.id]
        if o.sealed:
            continue  # never named, nor pointed at: a note would say who declined
        if m.hold:
            hold.append(f"possible duplicate of {o.id} '{o.name}' ({m.reason})")
        else:
            what = "same name as" if m.tier == Tier.NAMESAKE else "similar to"
            notes.append(
                f"{what} {o.id} '{o.name}' ({m.reason}); `signsync merge NEW {o.id} --yes` if the same person"
            )
    if policy == "review" and not hold:
        hold.append("policy: every new entry waits for approval")
    return hold, notes


def _merge_into_decided(
    target: Signatory,
    updated: Signatory,
    sub: Submission,
    reading: NameReading,
    no_consent: Reason | None,
    reason: str,
) -> tuple[Signatory, str]:
    """A response merged into a withdrawn entry, or one an editor rejected: the decision stays,
    and the signer's latest answer is recorded (a yes after a withdrawal: held for a restore)."""
    typed = mask_personal(escape_controls(sub.name_raw)).strip()
    if target.status == "withdrawn":
        if not no_consent and target.consent in ("revoked", "withdrawn", "erased", "renewed"):
            # A yes after a withdrawal: held, kept private, for an editor to restore.
            updated = replace(
                updated, consent="renewed", name=reading.display, affiliation=reading.affiliation, typed=typed
            )
        elif no_consent and target.consent == "renewed":
            updated = replace(updated, consent="revoked")
        return updated, reason + " (withdrawn: stays withdrawn until an editor restores it)"
    if target.status == "rejected":
        if no_consent:
            updated = replace(updated, consent=consent_state(no_consent))
        elif target.consent in ("declined", "blank"):
            updated = replace(
                updated,
                consent="",
                private="",
                name=reading.display,
                affiliation=reading.affiliation,
                typed=typed,
            )
        return updated, reason + " (rejected by an editor: stays rejected until an editor restores it)"
    raise AssertionError(target.status)


def _merge_into(
    target: Signatory,
    sub: Submission,
    reading: NameReading,
    merge: Match,
    others: list[Match],
    by_id: Mapping[str, Signatory],
    policy: str,
    no_consent: Reason | None,
    blank_again: bool = False,
) -> tuple[Signatory, str]:
    """`target` with the response `sub` merged in, and the plan's reason for it: what was taken
    from the response (name spelling, affiliation, consent, kind) and what was not, and why.
    `blank_again`: the consent question was left blank by a signer whose yes stands."""
    emails = (sub.email_key,) if sub.email_key else ()
    domains = (sub.email_domain_key,) if sub.email_domain_key else ()
    updated = replace(
        target,
        responses=target.responses + (sub.fingerprint,),
        email_keys=target.email_keys + tuple(e for e in emails if e not in target.email_keys),
        domain_keys=target.domain_keys + tuple(d for d in domains if d not in target.domain_keys),
    )
    reason = f"{merge.reason}: merged into {target.id}"
    if target.status in ("withdrawn", "rejected"):
        return _merge_into_decided(target, updated, sub, reading, no_consent, reason)
    taken: list[str] = []
    not_taken: list[str] = []
    if target.edited:
        differs = [
            what
            for what, mine, theirs in (
                (f"name spelling '{reading.display}'", target.name, reading.display),
                (f"affiliation '{reading.affiliation}'", target.affiliation, reading.affiliation),
            )
            if theirs and theirs != mine
        ]
        not_taken += [f"{d} (an editor corrected this entry: their text stays)" for d in differs]
        return updated, reason + _account(taken, not_taken)
    same_signer = merge.tier.same_signer
    updated, spelling, affiliation = _take_text(target, updated, reading, same_signer, taken, not_taken)
    consent_held = _held_for_consent(target)
    if consent_held:  # the signer's latest answer: '' for a yes
        updated = replace(
            updated, consent=consent_state(no_consent), private=updated.private if no_consent else ""
        )
        if no_consent:
            not_taken.append("consent (still not a yes: the entry stays off the page)")
        else:
            taken.append("consent: a yes (the earlier answer was not)")
    elif blank_again:
        not_taken.append(
            "a blank consent answer (the consent question left blank this time: the earlier yes stands)"
        )
    reason += _account(taken, not_taken)
    if target.status == "pending" and not target.decided and (spelling.changed or consent_held):
        # Held for what the signer has now corrected (the spelling, the consent answer):
        # judged again as it now reads. Only the same signer (same email) lifts a consent hold.
        hold, notes = _holds(
            reading if spelling.changed else replace(reading, hold=()), others, by_id, policy, no_consent
        )
        earlier = () if target.sealed else read_reasons(target.reason)  # a sealed entry's are private
        consent = [r.text for r in earlier if r.code in CONSENT_CODES]
        kept = consent if not (same_signer and not no_consent) else []
        if not spelling.changed:
            kept += [r.text for r in earlier if r.code not in CONSENT_CODES]
        hold = list(dict.fromkeys(kept + hold))
        status: Status = "pending" if hold else "published"
        updated = replace(
            updated, status=status, reason="; ".join(hold or [n.replace("NEW", target.id) for n in notes])
        )
        if status == "published":
            reason += "; released: nothing holds it any more"
    elif (
        policy == "review" and target.status == "published" and (spelling.by_signer or affiliation.by_signer)
    ):
        # Under review, what the page shows of a signer changes only with an editor's approval,
        # as a new entry goes on it only so: the entry waits, with the signer's new text.
        shown = f"'{target.name}'" + (f" ({target.affiliation})" if target.affiliation else "")
        why = f"policy: a changed name or affiliation waits for approval (on the page as {shown} until now)"
        updated = replace(updated, status="pending", reason=why)
        reason += f"; held: {why}"
    return stamp(updated), reason


def _take_text(
    target: Signatory,
    updated: Signatory,
    reading: NameReading,
    same_signer: bool,
    taken: list[str],
    not_taken: list[str],
) -> tuple[Signatory, Spelling, AffiliationChoice]:
    """The name spelling, affiliation and kind a merged response brings, each by the signer's
    latest-spelling rule; what was taken and what was not (and why) go into `taken`/`not_taken`."""
    spelling = choose_spelling(
        target.name, target.flags, reading.display, reading.flags, same_signer=same_signer
    )
    if spelling.changed and target.status == "published" and reading.hold:
        # A published name is not replaced by a spelling that would itself be held.
        if reading.display != target.name:  # not only other flags
            not_taken.append(
                f"name spelling '{reading.display}' (it would be held: {'; '.join(reading.hold)})"
            )
        spelling = Spelling(target.name, target.flags, False, "")
    elif spelling.changed:
        updated = replace(updated, name=spelling.name, flags=spelling.flags)
        if spelling.message:
            taken.append(spelling.message)
    elif reading.display and reading.display != target.name:
        why = (
            f"'{target.name}' is kept: the better form"
            if letters_key(reading.display) == letters_key(target.name)
            else "no email shows it is the same signer: a same name only"
        )
        not_taken.append(f"name spelling '{reading.display}' ({why})")
    affiliation = choose_affiliation(
        target.affiliation,
        reading.affiliation,
        reading.flags,
        reading.hold if target.status == "published" else (),
        same_signer=same_signer,
        old_flags=target.flags,
    )
    if affiliation.changed:
        updated = replace(updated, affiliation=affiliation.affiliation)
        taken.append(affiliation.taken)
    elif affiliation.not_taken:
        not_taken.append(affiliation.not_taken)
    if reading.kind and reading.kind != target.kind:
        not_taken.append(f"kind '{reading.kind}' (an entry's kind is changed by an editor only)")
    return updated, spelling, affiliation


def _account(taken: list[str], not_taken: list[str]) -> str:
    """What the plan says of a re-submission: what was taken from it and what was not, and why."""
    if not taken and not not_taken:
        return "; nothing new in it"
    out = ""
    if taken:
        out += "; taken from it: " + ", ".join(taken)
    if not_taken:
        out += "; not taken: " + ", ".join(not_taken)
    return out
