"""Editors' decisions on the registry: approve, reject, merge, rename, sort-as, withdraw,
restore. Each is a pure function from the signatories to new signatories plus a message;
the CLI loads the registry, calls one, and writes the registry back. Everything an editor
decides lands in the registry file, so it shows in the diff and survives every rerun.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sync.errors import SignsyncError
from sync.matching import Candidate, MatchIndex
from sync.model import Signatory
from sync.names import read_name
from sync.responses import canonical_email, keyed_hash

DEFAULT_WITHDRAW_REASON = "withdrawn at the signer's request"


class ReviewError(SignsyncError):
    """An editor's command names no entry, or more than one."""


@dataclass(frozen=True, slots=True)
class Decision:
    """The registry after an editor's command, and what to tell them."""

    signatories: tuple[Signatory, ...]
    messages: tuple[str, ...]


def find(signatories: tuple[Signatory, ...], ref: str) -> Signatory:
    """The entry whose id is `ref` or starts with it (as with git's short hashes)."""
    ref = ref.strip()
    exact = [s for s in signatories if s.id == ref]
    if exact:
        return exact[0]
    hits = [s for s in signatories if s.id.startswith(ref) or s.id.startswith("s-" + ref)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise ReviewError(f"no entry with id {ref}: `signsync review --all` lists them")
    raise ReviewError(f"id {ref} is ambiguous: {', '.join(s.id for s in hits[:5])}: give more characters")


def _put(signatories: tuple[Signatory, ...], new: Signatory) -> tuple[Signatory, ...]:
    return tuple(new if s.id == new.id else s for s in signatories)


# How far off the page a status keeps an entry: a merge keeps the stricter of the two.
STRICTNESS = {"published": 0, "pending": 1, "rejected": 2, "withdrawn": 3}


def decided_by(who: str, what: str, when: str) -> str:
    """The registry's `decided` cell: when, who, what ("2026-11-29T10:00:00Z editor approve")."""
    return " ".join(filter(None, (when, who, what)))


def _was(reason: str) -> str:
    """An earlier reason, kept after a new decision, without its own history (no nesting)."""
    return reason.split(" (was: ", 1)[0].strip()


def _with_history(new: str, old: str) -> str:
    old = _was(old)
    return f"{new} (was: {old})" if old and old != new else new


def _refuse_withdrawn(s: Signatory, command: str) -> None:
    if s.status == "withdrawn":
        why = f" ({_was(s.reason)})" if s.reason else ""
        raise ReviewError(
            f"{s.id} '{s.name}' is withdrawn{why}: `signsync {command}` cannot change that; "
            f"only `signsync restore {s.id}` brings it back"
        )


def set_status(
    signatories: tuple[Signatory, ...],
    refs: list[str],
    status: str,
    reason: str = "",
    *,
    action: str = "",
    when: str = "",
) -> Decision:
    """approve (published), reject (with a reason), restore (published).

    A withdrawn entry is changed only by `restore` (action="restore"); approve and reject
    refuse it. A reason is never erased by an empty one: an empty --reason keeps the
    earlier one. The decision, its time and its reason are kept in the row."""
    action = action or {"published": "approve", "rejected": "reject"}.get(status, status)
    out = signatories
    messages = []
    for ref in refs:
        s = find(out, ref)
        if action != "restore":
            _refuse_withdrawn(s, action)
        if s.status == status:
            if status == "rejected" and reason.strip() and reason.strip() != s.reason:
                new = replace(s, reason=reason.strip(), decided=decided_by("editor", action, when))
                out = _put(out, new)
                messages.append(f"{s.id} {s.name}: still rejected; reason now '{new.reason}'")
            else:
                messages.append(f"{s.id} {s.name}: already {status}")
            continue
        if status == "rejected":
            new_reason = reason.strip() or _with_history("rejected by an editor", s.reason)
        elif action == "restore":
            new_reason = _with_history("restored by an editor", s.reason)
        else:
            new_reason = _with_history("approved by an editor", s.reason)
        new = replace(
            s,
            status=status,  # type: ignore[arg-type]
            reason=new_reason,
            decided=decided_by("editor", action, when),
        )
        out = _put(out, new)
        messages.append(f"{s.id} {s.name}: {s.status} -> {status}")
    return Decision(out, tuple(messages))


def merge(signatories: tuple[Signatory, ...], ref: str, into_ref: str, *, when: str = "") -> Decision:
    """Fold entry `ref` into `into_ref`: its responses and email hashes move over and it goes.
    The kept entry keeps its own name (rename it if the other spelling was better), and the
    stricter of the two statuses: merging a withdrawn or rejected entry never publishes it."""
    src, dst = find(signatories, ref), find(signatories, into_ref)
    if src.id == dst.id:
        raise ReviewError(f"cannot merge {src.id} into itself")
    strict = src if STRICTNESS[src.status] > STRICTNESS[dst.status] else dst
    merged = replace(
        dst,
        status=strict.status,
        reason=strict.reason or dst.reason or src.reason,
        responses=dst.responses + tuple(r for r in src.responses if r not in dst.responses),
        email_keys=dst.email_keys + tuple(e for e in src.email_keys if e not in dst.email_keys),
        domain_keys=dst.domain_keys + tuple(d for d in src.domain_keys if d not in dst.domain_keys),
        signed=min(filter(None, (dst.signed, src.signed)), default=""),
        decided=decided_by("editor", "merge", when),
    )
    out = tuple(s for s in _put(signatories, merged) if s.id != src.id)
    message = f"merged {src.id} '{src.name}' into {dst.id} '{dst.name}'"
    if merged.status != dst.status:
        message += f"; {dst.id} is now {merged.status}, as {src.id} was (the stricter status is kept)"
    if merged.status == "withdrawn":
        message += f"; only `signsync restore {dst.id}` publishes it"
    return Decision(out, (message,))


def rename(signatories: tuple[Signatory, ...], ref: str, name: str, *, when: str = "") -> Decision:
    """Set the display name; it sticks (signsync never changes an edited name). The status
    stays as it is: renaming a withdrawn entry does not publish it."""
    name = " ".join(name.split())
    if not name:
        raise ReviewError("the new name is empty: give the name as it should appear")
    s = find(signatories, ref)
    message = f"{s.id}: '{s.name}' -> '{name}'"
    if s.status == "withdrawn":
        message += f" (still withdrawn: `signsync restore {s.id}` publishes it)"
    new = replace(s, name=name, decided=decided_by("editor", "rename", when))
    return Decision(_put(signatories, new), (message,))


def sort_as(signatories: tuple[Signatory, ...], ref: str, key: str) -> Decision:
    """Set what the entry sorts by ('' to go back to the rule)."""
    s = find(signatories, ref)
    return Decision(
        _put(signatories, replace(s, sort_as=key.strip())), (f"{s.id} '{s.name}' sorts as '{key.strip()}'",)
    )


def withdraw(
    signatories: tuple[Signatory, ...], who: str, hash_key: str, reason: str, *, when: str = ""
) -> Decision:
    """A signer's removal request, by id, email or name. Permanent: a later response by the
    same email merges into the withdrawn entry and stays withdrawn until an editor restores it."""
    who = who.strip()
    if "@" in who:
        key = keyed_hash(hash_key.encode("utf-8"), "email", canonical_email(who))
        hits = [s for s in signatories if key in s.email_keys]
        if not hits:
            raise ReviewError("no entry has that email address (check for a typo, or withdraw by id)")
    else:
        try:
            hits = [find(signatories, who)]
        except ReviewError as not_an_id:
            name_key = read_name(who).key
            hits = [s for s in signatories if name_key and read_name(s.name).key == name_key]
            if not hits:
                raise ReviewError(
                    f"no entry named or numbered '{who}': `signsync review --all` lists them"
                ) from not_an_id
            if len(hits) > 1:
                listing = "; ".join(f"{s.id} {s.name} ({s.affiliation or 'no affiliation'})" for s in hits)
                raise ReviewError(
                    f"{len(hits)} entries are named '{who}': withdraw by id: {listing}"
                ) from not_an_id
    out = signatories
    messages = []
    for s in hits:
        if s.status == "withdrawn" and not reason.strip():
            messages.append(f"{s.id} {s.name}: already withdrawn")
            continue
        new_reason = reason.strip() or _with_history(DEFAULT_WITHDRAW_REASON, s.reason)
        decided = decided_by("editor", "withdraw", when)
        new = replace(s, status="withdrawn", reason=new_reason, decided=decided)
        out = _put(out, new)
        messages.append(f"{s.id} {s.name}: {'still ' if s.status == 'withdrawn' else ''}withdrawn")
    return Decision(out, tuple(messages))


@dataclass(frozen=True, slots=True)
class Held:
    """A pending entry with what the editor needs to decide it."""

    entry: Signatory
    suggestions: tuple[str, ...]


def noted(s: Signatory) -> bool:
    """A published entry signsync left a note on (a namesake or a similar name at another
    address): worth an editor's look, though not held."""
    return s.status == "published" and bool(s.reason) and not s.decided


def held_entries(signatories: tuple[Signatory, ...], include_all: bool = False) -> list[Held]:
    """Pending entries and published ones with a note (or every entry), with suggested
    duplicates among the others."""
    shown = [s for s in signatories if include_all or s.status == "pending" or noted(s)]
    shown_ids = {s.id for s in shown}
    # Index the others first, so an entry never hides its duplicates behind itself.
    index = MatchIndex(
        Candidate.of_entry(s) for s in signatories if s.status != "rejected" and s.id not in shown_ids
    )
    by_id = {s.id: s for s in signatories}
    out = []
    for s in shown:
        candidate = Candidate.of_entry(s)
        hints = []
        for m in index.match(candidate):
            if m.id != s.id and m.id in by_id:
                o = by_id[m.id]
                hints.append(f"{m.reason}: {o.id} '{o.name}' ({o.status}) -> signsync merge {s.id} {o.id}")
        if s.status != "rejected":
            index.add(candidate)
        out.append(Held(s, tuple(hints)))
    return out
