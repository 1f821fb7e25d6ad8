"""What signers ask for through their links, applied to the registry. Pure: no I/O, no clock.

- withdraw: the same permanent withdrawal as an editor's (only `signsync restore` undoes it);
- correct: the signer's own new spelling, by the registry's rule (the latest spelling of the same
  signer wins; a published name is not replaced by one the names engine would hold);
- confirm: the entry is marked confirmed (and published, under publish = "on_confirmation",
  when nothing else holds it).

A token that is not shaped right, names no entry, does not verify (forged or altered) or was
used before does nothing; it is counted, never named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from sync.dedupe.reconcile import choose_affiliation, choose_spelling
from sync.model import AWAITING_CONFIRMATION_WORDS, Change, ReasonCode, Signatory, has_reason
from sync.names import Watchlist, read_name
from sync.names.redact import has_email
from sync.operations.editor import decided_by
from sync.operations.self_service.requests import SignerRequest
from sync.operations.self_service.tokens import token_entry, token_record, token_valid
from sync.store.privacy import public_reason
from sync.store.registry import stamp

AWAITING = AWAITING_CONFIRMATION_WORDS  # the reason's words; code: ReasonCode.AWAITING_CONFIRMATION
NO_EMAIL = "no email address to confirm with: an editor decides"
WITHDRAWN_BY_SIGNER = "withdrawn by the signer through their personal link"


@dataclass(frozen=True, slots=True)
class Seen:
    """What the state remembers of the second form: used tokens (keyed hash -> the row that
    used it) and the rows that did nothing (row keys)."""

    used: Mapping[str, str] = field(default_factory=dict)
    refused: frozenset[str] = frozenset()

    def done(self, request: SignerRequest, key: bytes) -> bool:
        """A row handled by an earlier run (read again: the CSV every run, the sheet's overlap)."""
        record = token_record(key, request.token)
        return request.row_key in self.refused or self.used.get(record) == request.row_key


@dataclass(frozen=True, slots=True)
class Applied:
    """The registry after the signers' requests, what changed, and what to remember."""

    signatories: tuple[Signatory, ...]
    changes: tuple[Change, ...]
    seen: Seen
    counts: dict[str, int]
    notes: tuple[str, ...]


def address_kind(s: Signatory) -> str:
    """Which kind of address the entry's email is: an institution's own domain, or webmail
    (signsync keeps domain hashes only for non-webmail domains)."""
    return "institutional" if s.domain_keys else "webmail"


def confirmation_text(s: Signatory) -> str:
    """How the review shows an entry's confirmation."""
    if not s.confirmed:
        kind = address_kind(s) if s.email_keys else "no"
        return f"not confirmed ({kind} address)"
    when, _, kind = s.confirmed.partition(" ")
    article = "an" if kind == "institutional" else "a"
    return f"confirmed by the signer on {when[:10]} (from {article} {kind} address)"


def pending_new(pending: list[SignerRequest], seen: Seen, key: bytes) -> list[SignerRequest]:
    """The requests no earlier run handled."""
    return [r for r in pending if not seen.done(r, key)]


def apply_requests(
    signatories: tuple[Signatory, ...],
    requests: tuple[SignerRequest, ...],
    key: bytes,
    seen: Seen,
    *,
    publish: str,
    when: str,
    watchlist: Watchlist | None = None,
    policy: str = "publish",
) -> Applied:
    """Apply the requests no earlier run handled, oldest first (see the module docstring)."""
    by_id = {s.id: s for s in signatories}
    used = dict(seen.used)
    refused = set(seen.refused)
    counts = {"confirm": 0, "correct": 0, "withdraw": 0, "invalid": 0, "reused": 0, "no effect": 0}
    changes: list[Change] = []
    notes: list[str] = []
    fresh = sorted(
        (r for r in requests if not seen.done(r, key)),
        key=lambda r: (r.timestamp is None, r.timestamp.isoformat() if r.timestamp else "", r.row),
    )
    for request in fresh:
        record = token_record(key, request.token)
        entry = by_id.get(token_entry(request.token))
        if entry is None or not token_valid(key, request.token, entry.id, entry.email_keys, request.action):
            counts["invalid"] += 1
            refused.add(request.row_key)
            continue
        if record in used:
            counts["reused"] += 1
            refused.add(request.row_key)
            continue
        used[record] = request.row_key
        stamp_time = request.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ") if request.timestamp else when
        new, change, note = _act(entry, request, stamp_time, publish, watchlist, policy)
        if change is None:
            counts["no effect"] += 1
        else:
            counts[request.action] += 1
            changes.append(change)
            by_id[entry.id] = new
        if note:
            notes.append(note)
    out = tuple(by_id[s.id] for s in signatories)
    return Applied(out, tuple(changes), Seen(used, frozenset(refused)), counts, tuple(notes))


def _act(
    s: Signatory,
    request: SignerRequest,
    when: str,
    publish: str,
    watchlist: Watchlist | None,
    policy: str = "publish",
) -> tuple[Signatory, Change | None, str]:
    if s.status == "withdrawn":
        return s, None, f"{s.id}: a signer's {request.action} link for a withdrawn entry did nothing"
    if request.action == "withdraw":
        new = replace(
            s,
            status="withdrawn",
            consent="withdrawn",  # kept private from now on (sync/store/privacy.py)
            reason=WITHDRAWN_BY_SIGNER,
            decided=decided_by("signer", "withdraw", when),
        )
        return new, Change("withdraw", s.id, (), public_reason("withdrawn"), "", private=True), ""
    if s.sealed:
        # No yes to publication: neither a confirmation nor a correction changes that.
        return s, None, f"{s.id}: a signer's {request.action} link for an entry kept private did nothing"
    if request.action == "confirm":
        return _confirm(s, when, publish)
    return _correct(s, request, when, watchlist, policy)


def _confirm(s: Signatory, when: str, publish: str) -> tuple[Signatory, Change | None, str]:
    if s.confirmed:
        return s, None, ""
    new = replace(s, confirmed=f"{when} {address_kind(s)}")
    reasons = [r for r in s.reason.split("; ") if r]
    why = f"confirmed by the signer ({address_kind(s)} address)"
    if AWAITING in reasons:
        rest = [r for r in reasons if r != AWAITING]
        if s.status == "pending" and not rest:
            new = replace(new, status="published", reason="", decided=decided_by("signer", "confirm", when))
            why += "; published"
        else:
            new = replace(new, reason="; ".join(rest))
            if s.status == "pending":
                why += f"; still waits for an editor ({'; '.join(rest)})"
    return new, Change("confirm", s.id, (), why, s.name), ""


def _correct(
    s: Signatory, request: SignerRequest, when: str, watchlist: Watchlist | None, policy: str = "publish"
) -> tuple[Signatory, Change | None, str]:
    if not request.name and not request.affiliation:
        return s, None, f"{s.id}: a correction with neither a name nor an affiliation did nothing"
    if has_email(request.name) or has_email(request.affiliation):
        return s, None, f"{s.id}: the signer's correction held an email address and was not used"
    reading = read_name(request.name or s.name, request.affiliation or s.affiliation, s.kind, watchlist)
    if reading.reject:
        return s, None, f"{s.id}: the signer's correction was not used ({reading.reject})"
    name, flags, said = s.name, s.flags, []
    letters_changed = False  # other letters, not only another case or accents
    if request.name:
        spelling = choose_spelling(s.name, s.flags, reading.display, reading.flags, same_signer=True)
        if spelling.name == s.name:  # the name as it stands (the link fills it in): only flags differ
            spelling = replace(spelling, changed=False)
        if spelling.changed and s.status == "published" and reading.hold:
            # The registry's rule: a published name is not replaced by one that would be held.
            return (
                s,
                None,
                (
                    f"{s.id}: the signer's new spelling '{reading.display}' was not used "
                    f'({"; ".join(reading.hold)}): `signsync rename {s.id} "..."` if it is right'
                ),
            )
        if spelling.changed:
            name, flags = spelling.name, spelling.flags
            letters_changed = spelling.by_signer
            said.append(f"name '{s.name}' -> '{name}'")
    # The affiliation by the re-submission's rule (sync.dedupe.reconcile.choose_affiliation):
    # the signer's, judged as the names engine judged it.
    choice = choose_affiliation(
        s.affiliation,
        reading.affiliation if request.affiliation else "",
        reading.flags,
        reading.hold if s.status == "published" else (),
        same_signer=True,
        old_flags=s.flags,
    )
    affiliation = choice.affiliation
    if choice.changed:
        said.append(f"affiliation '{s.affiliation}' -> '{affiliation}'")
    unused = (
        f"{s.id}: the signer's new {choice.not_taken} was not used"
        if request.affiliation and choice.not_taken
        else ""
    )
    if not said:
        return s, None, unused
    new = stamp(replace(s, name=name, flags=flags, affiliation=affiliation))
    if s.status == "pending" and reading.hold:
        extra = [h for h in reading.hold if h not in s.reason]
        new = replace(new, reason="; ".join(filter(None, [s.reason, *extra])))
    why = "corrected by the signer: " + ", ".join(said)
    if policy == "review" and s.status == "published" and (letters_changed or choice.by_signer):
        new, why = _held_for_approval(s, new, why)
    return new, Change("correct", s.id, (), why, name), unused


def _held_for_approval(before: Signatory, after: Signatory, why: str) -> tuple[Signatory, str]:
    """Under policy = "review", what the page shows of a signer changes only with an editor's
    approval: the corrected entry waits, with its new text."""
    shown = f"'{before.name}'" + (f" ({before.affiliation})" if before.affiliation else "")
    held = f"policy: a changed name or affiliation waits for approval (on the page as {shown} until now)"
    return replace(after, status="pending", reason=held), f"{why}; held: {held}"


def hold_unconfirmed(
    entries: Mapping[str, Signatory], changes: tuple[Change, ...]
) -> tuple[dict[str, Signatory], tuple[Change, ...], int]:
    """publish = "on_confirmation": each new entry waits for its signer's confirmation (or, with
    no email to confirm with, for an editor). Returns the entries changed, the changes and how
    many new entries were held instead of published."""
    updated: dict[str, Signatory] = {}
    out = []
    moved = 0
    for c in changes:
        s = entries.get(c.id)
        if (
            c.action not in ("add", "hold")
            or s is None
            or s.confirmed
            or s.sealed
            or s.status != ("published" if c.action == "add" else "pending")
        ):
            out.append(c)
            continue
        why = AWAITING if s.email_keys else NO_EMAIL
        reason = "; ".join(filter(None, [s.reason if c.action == "hold" else "", why]))
        updated[s.id] = replace(s, status="pending", reason=reason)
        out.append(replace(c, action="hold", reason=reason))
        moved += c.action == "add"
    return updated, tuple(out), moved


def still_unconfirmed(
    entries: Mapping[str, Signatory], changes: tuple[Change, ...], before: Callable[[str], Signatory | None]
) -> dict[str, Signatory]:
    """publish = "on_confirmation": an entry waiting for its signer's confirmation keeps waiting
    when a later response merges into it (the registry's rules judge its holds again, and
    would otherwise release it unconfirmed)."""
    out: dict[str, Signatory] = {}
    for c in changes:
        s = entries.get(c.id)
        old = before(c.id)
        if c.action != "merge" or s is None or old is None or s.confirmed or not _awaiting(old):
            continue
        if s.status in ("published", "pending") and not _awaiting(s):
            reason = "; ".join(filter(None, [s.reason if s.status == "pending" else "", AWAITING]))
            out[s.id] = replace(s, status="pending", reason=reason)
    return out


def _awaiting(s: Signatory) -> bool:
    """Whether the entry waits for its signer's confirmation (a reason with that code)."""
    return has_reason(s.reason, ReasonCode.AWAITING_CONFIRMATION)
