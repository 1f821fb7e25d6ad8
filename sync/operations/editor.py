"""Editors' decisions on the registry: approve, reject, merge, rename, sort-as, withdraw,
restore, add (signatures that arrive another way), pin and unpin. Each is a pure function from
the signatories to new signatories plus a message; the CLI loads the registry, calls one, and
writes the registry back. Everything an editor decides lands in the registry file, so it shows
in the diff and survives every rerun.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sync.config import Config
from sync.dedupe.matching import Candidate, MatchIndex
from sync.dedupe.reconcile import choose_affiliation, reconcile
from sync.errors import SignsyncError
from sync.intake.responses import canonical_email, keyed_hash
from sync.model import (
    CONSENT_CODES,
    Signatory,
    Submission,
    read_reasons,
    reason_with_history,
    reason_without_history,
)
from sync.names import Watchlist, affiliation_key, read_name
from sync.names.redact import mask_personal, personal_data
from sync.store.privacy import Sealer, public_reason

DEFAULT_WITHDRAW_REASON = "withdrawn at the signer's request"


def _held_for_consent(reason: str) -> bool:
    """Whether a registry reason cell holds a missing consent (a "No", or no answer)."""
    return any(r.code in CONSENT_CODES for r in read_reasons(reason))


class ReviewError(SignsyncError):
    """An editor's command names no entry, or more than one."""


@dataclass(frozen=True, slots=True)
class Decision:
    """The registry after an editor's command, and what to tell them."""

    signatories: tuple[Signatory, ...]
    messages: tuple[str, ...]


def record_decision(
    config: Config,
    decide: Callable[[tuple[Signatory, ...], Config], Decision],
    *,
    lock_wait: float,
    may_create: bool = False,
    check_key: bool = False,
    command: str = "",
) -> tuple[Decision, bool]:
    """Load the registry under its lock, make one editor's decision, and write it back; returns
    the decision and whether a file was written (not when the registry already said so).
    `may_create`: the decision may start a registry (an initial list added before any apply).
    `check_key`: the decision hashes with SIGNSYNC_HASH_KEY, which must be the registry's.
    `command` (as typed) is what `signsync undo` names when it takes the decision back."""
    from sync.operations.undo import remember_after, remember_before
    from sync.store.registry import check_registry_files, load_registry, write_registry
    from sync.store.state import check_hash_key
    from sync.support.files import check_writable, interrupts_deferred, run_lock

    path = config.registry.path
    with run_lock(path, lock_wait):
        registry = load_registry(path)
        check_registry_files(path, registry.state)
        if not registry.exists and not may_create:
            raise SignsyncError(f"no registry at {path} yet: run `signsync apply` first")
        if check_key:
            check_hash_key(config.hash_key, registry.state, registry.state_path)
        decision = decide(registry.signatories, config)
        if decision.signatories == registry.signatories and registry.exists:
            return decision, False
        check_writable(path, "[registry] path")
        before = remember_before(path)
        with interrupts_deferred():
            write_registry(
                registry, sealed_for_registry(config, decision.signatories), config.registry.shard_rows
            )
            remember_after(path, before, command)
    return decision, True


def sealed_for_registry(config: Config, signatories: Sequence[Signatory]) -> list[Signatory]:
    """The entries as the registry may hold them: anyone kept private sealed (their text in the
    private column with SIGNSYNC_PRIVATE_KEY, else dropped)."""
    from sync.store.privacy import has_private_text, sealer_of

    if not any(has_private_text(s) for s in signatories):
        return list(signatories)
    sealer = sealer_of(config)
    return [sealer.seal(s) if has_private_text(s) else s for s in signatories]


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


def editor_text(text: str, what: str) -> tuple[str, list[str]]:
    """An editor's --reason or --note as the registry may keep it (it is committed, often in a
    public repository): emails, phone numbers, addresses and identity numbers masked, and a
    message saying so."""
    found = personal_data(text)
    if not found:
        return text, []
    return mask_personal(text), [
        f"the {what} held {' and '.join(found)}: masked (the registry is not private)"
    ]


def _put(signatories: tuple[Signatory, ...], new: Signatory) -> tuple[Signatory, ...]:
    return tuple(new if s.id == new.id else s for s in signatories)


# How far off the page a status keeps an entry: a merge keeps the stricter of the two.
STRICTNESS = {"published": 0, "pending": 1, "rejected": 2, "withdrawn": 3}


def decided_by(who: str, what: str, when: str) -> str:
    """The registry's `decided` cell: when, who, what ("2026-11-29T10:00:00Z editor approve")."""
    return " ".join(filter(None, (when, who, what)))


CONSENT_WHY = {
    "declined": "the signer's answer to the consent question is not a yes",
    "blank": "the signer left the consent question unanswered",
    "revoked": "the signer revoked their consent in a later response",
    "withdrawn": "the signer asked to be withdrawn",
    "erased": "the signer asked to be erased",
    "renewed": "the signer said yes again after a withdrawal, and only `signsync restore` publishes that",
}


def refuse_without_consent(s: Signatory, command: str) -> None:
    """Consent is the signer's: no editor command puts on the page (or names in public) someone
    whose latest word is not a yes. ReviewError saying why and what can change it."""
    if not s.sealed:
        return
    if s.consent == "renewed":
        how = f"`signsync restore {s.id}` publishes it (the signer's latest answer is a yes)"
    elif s.consent in ("declined", "blank", "revoked"):
        how = "only the signer can change that, by answering the form again with a yes (same email address)"
    else:
        how = (
            "that stays so: a later yes from the signer's email is held, and `signsync restore` may then "
            "publish it"
        )
    raise ReviewError(
        f"{s.id} is kept off the page: {CONSENT_WHY[s.consent]}; `signsync {command}` cannot change "
        f"that; {how}"
    )


def _refuse_withdrawn(s: Signatory, command: str) -> None:
    if s.status == "withdrawn":
        why = f" ({reason_without_history(s.reason)})" if s.reason else ""
        named = f" '{s.name}'" if s.name else ""
        raise ReviewError(
            f"{s.id}{named} is withdrawn{why}: `signsync {command}` cannot change that; "
            f"only `signsync restore {s.id}` brings it back, after a new yes from the signer"
        )


def set_status(
    signatories: tuple[Signatory, ...],
    refs: list[str],
    status: str,
    reason: str = "",
    *,
    action: str = "",
    when: str = "",
    who: str = "editor",
    sealer: Sealer | None = None,
) -> Decision:
    """approve (published), reject (with a reason), restore (published). `who` is recorded in
    the `decided` cell (a GitHub login for a box ticked in the review pull request).

    A withdrawn entry is changed only by `restore` (action="restore"); approve and reject
    refuse it. A reason is never erased by an empty one: an empty --reason keeps the
    earlier one. The decision, its time and its reason are kept in the row.

    Nobody whose latest word is not a yes is published (`refuse_without_consent`); `restore`
    publishes a withdrawn signer's later yes, read back from the private column (`sealer`)."""
    action = action or {"published": "approve", "rejected": "reject"}.get(status, status)
    out = signatories
    reason, messages = editor_text(reason, "reason")
    for ref in refs:
        s = find(out, ref)
        if status == "published" and not (action == "restore" and s.consent == "renewed"):
            refuse_without_consent(s, action)
        if action != "restore":
            _refuse_withdrawn(s, action)
        if status == "published" and s.consent == "renewed":
            s = (sealer or Sealer()).unseal(s)
            s = replace(s, reason="")
        if s.status == status:
            if status == "rejected" and reason.strip() and reason.strip() != s.reason:
                new = replace(s, reason=reason.strip(), decided=decided_by(who, action, when))
                out = _put(out, new)
                messages.append(f"{s.id} {s.name}: still rejected; reason now '{new.reason}'")
            elif action == "approve" and noted(s):
                # The editor read the note (a namesake, a similar name) and keeps the entry.
                new_reason = reason_with_history("approved by an editor", s.reason)
                out = _put(out, replace(s, reason=new_reason, decided=decided_by(who, action, when)))
                messages.append(f"{s.id} {s.name}: stays published; its note is settled")
            else:
                messages.append(f"{s.id} {s.name}: already {status}")
            continue
        if status == "rejected" and s.sealed:
            new_reason = reason.strip() or public_reason(s.consent)
        elif status == "rejected":
            new_reason = reason.strip() or reason_with_history("rejected by an editor", s.reason)
        elif action == "restore":
            new_reason = reason_with_history("restored by an editor", s.reason)
        else:
            new_reason = reason_with_history("approved by an editor", s.reason)
        new = replace(
            s,
            status=status,  # type: ignore[arg-type]
            reason=new_reason,
            decided=decided_by(who, action, when),
        )
        out = _put(out, new)
        messages.append(f"{s.id} {s.name}: {s.status} -> {status}")
    return Decision(out, tuple(messages))


def merge(
    signatories: tuple[Signatory, ...],
    ref: str,
    into_ref: str,
    *,
    when: str = "",
    sealer: Sealer | None = None,
) -> Decision:
    """Fold entry `ref` into `into_ref`: its responses and email hashes move over and it goes.
    The kept entry keeps its own name (rename it if the other spelling was better), and the
    stricter of the two statuses: merging a withdrawn or rejected entry never publishes it."""
    src, dst = find(signatories, ref), find(signatories, into_ref)
    if src.id == dst.id:
        raise ReviewError(f"cannot merge {src.id} into itself")
    strict = _stricter(src, dst)
    private = next((s for s in (strict, src, dst) if s.sealed), None)
    merged = replace(
        dst,
        status=strict.status,
        # Someone kept private stays so: the merged entry keeps their consent state (and the
        # other entry's text moves into the private column with theirs).
        consent=private.consent if private is not None else "",
        private=dst.private,
        name_keys=dst.name_keys + tuple(k for k in src.name_keys if k not in dst.name_keys),
        reason=strict.reason or dst.reason or src.reason,
        responses=dst.responses + tuple(r for r in src.responses if r not in dst.responses),
        email_keys=dst.email_keys + tuple(e for e in src.email_keys if e not in dst.email_keys),
        domain_keys=dst.domain_keys + tuple(d for d in src.domain_keys if d not in dst.domain_keys),
        signed=min(filter(None, (dst.signed, src.signed)), default=""),
        decided=decided_by("editor", "merge", when),
    )
    if src.private and sealer is not None and sealer.has_key:
        # A sealed cell belongs to its entry's id: the other entry's private text is opened and
        # sealed again into the kept one (the caller seals it).
        doc = sealer.open(src) or {}
        text = {f: str(doc.get(f, "")) for f in ("name", "affiliation", "typed")}
        merged = replace(
            merged,
            name=merged.name or text["name"],
            affiliation=merged.affiliation or text["affiliation"],
            typed=merged.typed or text["typed"],
        )
    merged, taken = _newer_affiliation(src, dst, merged)
    out = tuple(s for s in _put(signatories, merged) if s.id != src.id)
    message = f"merged {src.id} '{src.name}' into {dst.id} '{dst.name}'" + taken
    if merged.status != dst.status:
        message += f"; {dst.id} is now {merged.status}, as {src.id} was (the stricter status is kept)"
    if merged.status == "withdrawn":
        message += f"; only `signsync restore {dst.id}` publishes it"
    if private is not None and not dst.sealed:
        message += f"; {dst.id} is now kept off the page and private: {CONSENT_WHY[private.consent]}"
    return Decision(out, (message,))


def _newer_affiliation(src: Signatory, dst: Signatory, merged: Signatory) -> tuple[Signatory, str]:
    """The affiliation a merge keeps, by the rule for a re-submission (the same signer's latest
    wins: the editor says they are the same): the newer entry's, unless it has none (a blank
    takes nothing away) or the kept entry's was corrected by an editor. Entries kept private
    keep theirs (their text is sealed). Returns the entry and what the message adds."""
    if src.sealed or dst.sealed or dst.edited or src.affiliation == dst.affiliation:
        return merged, ""
    older, newer = (dst, src) if (src.signed, src.id) > (dst.signed, dst.id) else (src, dst)
    choice = choose_affiliation(older.affiliation, newer.affiliation, (), (), same_signer=True)
    if choice.affiliation == merged.affiliation:
        return merged, ""
    from sync.store.registry import stamp

    kept = stamp(replace(merged, affiliation=choice.affiliation))
    why = f"the newer, was '{dst.affiliation}'" if dst.affiliation else f"{dst.id} had none"
    return kept, f"; affiliation '{choice.affiliation}' taken from {src.id} ({why})"


def _stricter(src: Signatory, dst: Signatory) -> Signatory:
    """The entry whose status the merged one keeps: the stricter of the two, except that an
    entry held only as a possible duplicate (not for its consent) joining a published one is
    the editor's answer "the same person": the published one stays on the page."""
    statuses = {src.status, dst.status}
    if statuses == {"published", "pending"}:
        held = src if src.status == "pending" else dst
        if not held.sealed and not _held_for_consent(held.reason):
            return dst if dst.status == "published" else src
    return src if STRICTNESS[src.status] > STRICTNESS[dst.status] else dst


def merge_risks(signatories: tuple[Signatory, ...], ref: str, into_ref: str) -> list[str]:
    """What a merge would do that an editor may not mean (a published signer leaving the page,
    two published signers made one, names with no word in common): shown, and `--yes` asked."""
    src, dst = find(signatories, ref), find(signatories, into_ref)
    if src.id == dst.id:
        return []
    risks = []
    kept = _stricter(src, dst).status
    if src.status == "published" and dst.status == "published":
        risks.append(
            f"both are published: {src.id} '{src.name}' leaves the page and its responses count "
            f"for {dst.id} '{dst.name}'"
        )
    private = src.sealed or dst.sealed  # someone kept private is never named
    for s in (src, dst):
        if s.status == "published" and (kept != "published" or private):
            risks.append(
                f"{s.id} '{s.name}' is published and would be kept off the page ({kept}, as the other)"
            )
    words = {w.casefold() for w in src.name.split() if len(w) > 1}
    if private:
        pass
    elif src.name and dst.name and not words & {w.casefold() for w in dst.name.split() if len(w) > 1}:
        risks.append(f"the names '{src.name}' and '{dst.name}' share no word")
    return risks


def rename(signatories: tuple[Signatory, ...], ref: str, name: str, *, when: str = "") -> Decision:
    """Set the display name; it sticks (signsync never changes an edited name). The status
    stays as it is: renaming a withdrawn entry does not publish it."""
    name = " ".join(name.split())
    if not name:
        raise ReviewError("the new name is empty: give the name as it should appear")
    s = find(signatories, ref)
    refuse_without_consent(s, "rename")
    message = f"{s.id}: '{s.name}' -> '{name}'"
    if s.status == "withdrawn":
        message += f" (still withdrawn: `signsync restore {s.id}` publishes it)"
    new = replace(s, name=name, decided=decided_by("editor", "rename", when))
    return Decision(_put(signatories, new), (message,))


def sort_as(signatories: tuple[Signatory, ...], ref: str, key: str) -> Decision:
    """Set what the entry sorts by ('' to go back to the rule)."""
    s = find(signatories, ref)
    refuse_without_consent(s, "sort-as")
    return Decision(
        _put(signatories, replace(s, sort_as=key.strip())), (f"{s.id} '{s.name}' sorts as '{key.strip()}'",)
    )


def withdraw(
    signatories: tuple[Signatory, ...],
    who: str,
    hash_key: str,
    reason: str,
    *,
    when: str = "",
    shared_ok: bool = False,
) -> Decision:
    """A signer's removal request, by id, email or name. Permanent: a later response by the
    same email merges into the withdrawn entry and stays withdrawn until an editor restores it."""
    who = who.strip()
    if "@" in who:
        key = keyed_hash(hash_key.encode("utf-8"), "email", canonical_email(who))
        hits = [s for s in signatories if key in s.email_keys]
        if not hits:
            raise ReviewError("no entry has that email address (check for a typo, or withdraw by id)")
        if len(hits) > 1 and not shared_ok:
            listing = "; ".join(f"{s.id} '{s.name}' ({s.status})" for s in hits)
            raise ReviewError(
                f"{len(hits)} entries share that address ({listing}): withdraw the one who asked "
                "by id, or all of them with --yes (nothing written)"
            )
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
    reason, messages = editor_text(reason, "reason")
    for s in hits:
        if s.status == "withdrawn" and not reason.strip() and s.consent != "renewed":
            messages.append(f"{s.id}: already withdrawn")
            continue
        new_reason = reason.strip() or reason_with_history(DEFAULT_WITHDRAW_REASON, s.reason)
        decided = decided_by("editor", "withdraw", when)
        consent = s.consent if s.consent in ("revoked", "erased") else "withdrawn"
        new = replace(s, status="withdrawn", consent=consent, reason=new_reason, decided=decided)
        out = _put(out, new)
        messages.append(
            f"{s.id}: {'still ' if s.status == 'withdrawn' else ''}withdrawn (kept private from now on)"
        )
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


# --- signatures that arrive another way (email, a list from before the form) -----------------


@dataclass(frozen=True, slots=True)
class ManualEntry:
    """One signature an editor adds by hand (`signsync add`, `--from-file`)."""

    name: str
    affiliation: str = ""
    kind: str = ""  # "organization", "individual", or '' to let the name rules decide
    signed: str = ""  # ISO date (or date and time)
    note: str = ""  # how it arrived: "by email, 2026-11-20"


MANUAL_PREFIX = "manual-"
LIST_COLUMNS = ("name", "affiliation", "kind", "signed", "note")


def read_manual_list(text: str, origin: str, default_signed: str) -> list[tuple[str, ManualEntry]]:
    """The entries of a CSV list (`signsync add --from-file`): a header row naming `name` and
    any of affiliation, kind, signed, note; each entry with its file:line for messages."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [h.strip().casefold() for h in next(reader, [])]
    if "name" not in header:
        raise ReviewError(
            f"{origin}: the first row must name the columns: name (required), "
            f"{', '.join(LIST_COLUMNS[1:])} (optional)"
        )
    unknown = [h for h in header if h and h not in LIST_COLUMNS]
    if unknown:
        raise ReviewError(
            f"{origin}: unknown column '{unknown[0]}': the columns are {', '.join(LIST_COLUMNS)}"
        )
    out = []
    for row in reader:
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
        if not any(cells.values()):
            continue
        where = f"{origin}:{reader.line_num}"
        if not cells.get("name"):
            raise ReviewError(f"{where}: no name: fill it in or delete the row")
        out.append(
            (
                where,
                ManualEntry(
                    cells["name"],
                    cells.get("affiliation", ""),
                    cells.get("kind", "").casefold(),
                    cells.get("signed", "") or default_signed,
                    cells.get("note", ""),
                ),
            )
        )
    return out


def manual_fingerprint(hash_key: str, entry: ManualEntry) -> str:
    """The response id of a manual entry: a keyed hash of what identifies the signer (name and
    affiliation keys, kind), so adding the same entry again is recognised as already there."""
    reading = read_name(entry.name, entry.affiliation, entry.kind)
    identity = "\x1f".join((reading.key, affiliation_key(reading.affiliation), reading.kind))
    return MANUAL_PREFIX + keyed_hash(hash_key.encode("utf-8"), "manual", identity)


def _signed_time(text: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ReviewError(f"{where}: '{text}' is not a date: write it as YYYY-MM-DD") from exc


def add_entries(
    signatories: tuple[Signatory, ...],
    entries: list[tuple[str, ManualEntry]],
    hash_key: str,
    policy: str,
    watchlist: Watchlist | None = None,
    sealer: Sealer | None = None,
    different_person: bool = False,
) -> Decision:
    """Fold hand-added signatures (each with where it came from, for messages) into the
    registry through the same cleaning, duplicate checks and review policy as form responses.

    A name that an entry kept private had (its keyed hash is kept) is refused: consent is the
    signer's, and an editor cannot add back someone who declined, revoked, withdrew or was
    erased (`different_person`: the editor checked it is someone else of the same name)."""
    sealer = sealer or Sealer(None, hash_key)
    tombstones = {k: s for s in signatories if s.sealed for k in s.name_keys}
    subs: list[Submission] = []
    notes: dict[str, str] = {}
    cleaned: list[str] = []
    for where, e in entries:
        if e.kind not in ("", "organization", "individual"):
            raise ReviewError(f"{where}: kind '{e.kind}' is not organization or individual")
        hit = tombstones.get(sealer.name_key(e.name))
        if hit is not None and not different_person:
            raise ReviewError(
                f"{where}: an entry kept off the page has this name ({hit.id}: {CONSENT_WHY[hit.consent]}): "
                "it is not added. If this is someone else of the same name, add them with --different-person"
            )
        fp = manual_fingerprint(hash_key, e)
        stamp_time = _signed_time(e.signed, where)
        subs.append(
            Submission(
                fingerprint=fp,
                row=len(subs) + 1,
                timestamp=stamp_time,
                timestamp_raw=e.signed,
                email_key="",
                email_local_key="",
                name_raw=e.name,
                affiliation_raw=e.affiliation,
                kind_raw=e.kind,
            )
        )
        if e.note.strip():
            note, said = editor_text(" ".join(e.note.split()), "note")
            notes[fp] = note
            cleaned += said
    result = reconcile(signatories, tuple(subs), policy=policy, watchlist=watchlist, sealer=sealer)
    out = []
    for s in result.signatories:
        note = next((notes[fp] for fp in s.responses if fp in notes), "")
        out.append(replace(s, note=note) if note and not s.note else s)
    messages = []
    for c in result.changes:
        what = {"add": "added", "merge": "merged", "hold": "held for review", "reject": "rejected"}
        messages.append(f"{what[c.action]}: {c.id} '{c.name}'" + (f" ({c.reason})" if c.reason else ""))
    done = {fp for c in result.changes for fp in c.responses}
    for sub in subs:
        if sub.fingerprint not in done:
            where = next((s.id for s in signatories if sub.fingerprint in s.responses), "")
            messages.append(f"already in the registry: {where} '{sub.name_raw}' (nothing added)")
    return Decision(tuple(out), tuple(dict.fromkeys(cleaned)) + tuple(messages))


# --- pinned first ---------------------------------------------------------------------------


def _renumber(signatories: tuple[Signatory, ...], order: dict[str, list[str]]) -> tuple[Signatory, ...]:
    """Pins 1..n in each list's order; everything else unpinned."""
    pins = {sid: i + 1 for ids in order.values() for i, sid in enumerate(ids)}
    return tuple(replace(s, pin=pins.get(s.id, 0)) if s.pin != pins.get(s.id, 0) else s for s in signatories)


def _pinned_lists(signatories: tuple[Signatory, ...]) -> dict[str, list[str]]:
    order: dict[str, list[str]] = {"organization": [], "individual": []}
    for s in sorted((s for s in signatories if s.pin), key=lambda s: (s.pin, s.id)):
        order[s.kind].append(s.id)
    return order


def pin(signatories: tuple[Signatory, ...], refs: list[str], position: int | None = None) -> Decision:
    """Keep entries at the top of their list, in the order given, from `position` (1 = first;
    default: after the entries already pinned)."""
    if position is not None and position < 1:
        raise ReviewError(f"--position {position}: positions start at 1 (the top of the list)")
    order = _pinned_lists(signatories)
    chosen = [find(signatories, ref) for ref in refs]
    for s in chosen:
        refuse_without_consent(s, "pin")
    messages = []
    for kind in order:
        mine = [s.id for s in chosen if s.kind == kind]
        if not mine:
            continue
        rest = [sid for sid in order[kind] if sid not in mine]
        at = len(rest) if position is None else min(position - 1, len(rest))
        order[kind] = rest[:at] + list(dict.fromkeys(mine)) + rest[at:]
    out = _renumber(signatories, order)
    for s in chosen:
        new = next(x for x in out if x.id == s.id)
        where = "organizations" if s.kind == "organization" else "individuals"
        shown = "" if s.status == "published" else f" (shown once published; now {s.status})"
        messages.append(f"{s.id} '{s.name}': pinned at {new.pin} of {where}{shown}")
    return Decision(out, tuple(dict.fromkeys(messages)))


def unpin(signatories: tuple[Signatory, ...], refs: list[str]) -> Decision:
    """Back to the collation order; the other pinned entries close up."""
    chosen = {find(signatories, ref).id for ref in refs}
    order = {k: [sid for sid in ids if sid not in chosen] for k, ids in _pinned_lists(signatories).items()}
    out = _renumber(signatories, order)
    return Decision(out, tuple(f"{sid}: unpinned" for sid in sorted(chosen)))
