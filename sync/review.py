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


def set_status(
    signatories: tuple[Signatory, ...], refs: list[str], status: str, reason: str = ""
) -> Decision:
    """approve (published), reject (with a reason), restore (published)."""
    out = signatories
    messages = []
    for ref in refs:
        s = find(out, ref)
        new_reason = reason if status in ("rejected", "withdrawn") else ""
        out = _put(out, replace(s, status=status, reason=new_reason))  # type: ignore[arg-type]
        messages.append(f"{s.id} {s.name}: {s.status} -> {status}")
    return Decision(out, tuple(messages))


def merge(signatories: tuple[Signatory, ...], ref: str, into_ref: str) -> Decision:
    """Fold entry `ref` into `into_ref`: its responses and email hashes move over and it goes.
    The kept entry keeps its own name (rename it if the other spelling was better)."""
    src, dst = find(signatories, ref), find(signatories, into_ref)
    if src.id == dst.id:
        raise ReviewError(f"cannot merge {src.id} into itself")
    merged = replace(
        dst,
        responses=dst.responses + tuple(r for r in src.responses if r not in dst.responses),
        email_keys=dst.email_keys + tuple(e for e in src.email_keys if e not in dst.email_keys),
        signed=min(filter(None, (dst.signed, src.signed)), default=""),
    )
    out = tuple(s for s in _put(signatories, merged) if s.id != src.id)
    return Decision(out, (f"merged {src.id} '{src.name}' into {dst.id} '{dst.name}'",))


def rename(signatories: tuple[Signatory, ...], ref: str, name: str) -> Decision:
    """Set the display name; it sticks (signsync never changes an edited name)."""
    name = " ".join(name.split())
    if not name:
        raise ReviewError("the new name is empty: give the name as it should appear")
    s = find(signatories, ref)
    return Decision(_put(signatories, replace(s, name=name)), (f"{s.id}: '{s.name}' -> '{name}'",))


def sort_as(signatories: tuple[Signatory, ...], ref: str, key: str) -> Decision:
    """Set what the entry sorts by ('' to go back to the rule)."""
    s = find(signatories, ref)
    return Decision(
        _put(signatories, replace(s, sort_as=key.strip())), (f"{s.id} '{s.name}' sorts as '{key.strip()}'",)
    )


def withdraw(signatories: tuple[Signatory, ...], who: str, hash_key: str, reason: str) -> Decision:
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
    for s in hits:
        out = _put(out, replace(s, status="withdrawn", reason=reason))
    return Decision(out, tuple(f"{s.id} {s.name}: withdrawn" for s in hits))


@dataclass(frozen=True, slots=True)
class Held:
    """A pending entry with what the editor needs to decide it."""

    entry: Signatory
    suggestions: tuple[str, ...]


def held_entries(signatories: tuple[Signatory, ...], include_all: bool = False) -> list[Held]:
    """Pending entries (or every entry) with suggested duplicates among the others."""
    shown = [s for s in signatories if include_all or s.status == "pending"]
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
