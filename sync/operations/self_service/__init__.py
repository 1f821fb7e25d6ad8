"""Signers confirm, correct and withdraw their own signature through a second Google Form
(docs/self-service.md): the plan reads that form's responses and applies them
(`actions.py`), holds new entries for confirmation under publish = "on_confirmation", and
lists new signers in an outbox; after apply, `send_after_apply` emails them (`mail.py`).

The state (`<registry>.self-service.json`: the second form's cursor, used tokens and refused
rows as keyed hashes, the outbox as entry ids and email keys) is written by apply along with
the registry. No email address is kept anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sync.config import Config
from sync.errors import RegistryError, TemplateError
from sync.model import Change, FileChange, Signatory, Summary, text_sha256
from sync.names import Watchlist
from sync.operations.self_service.actions import (
    Applied,
    Seen,
    apply_requests,
    hold_unconfirmed,
    still_unconfirmed,
)
from sync.operations.self_service.requests import RequestRead, SignerRequest, read_requests
from sync.operations.self_service.tokens import token_key
from sync.support.files import read_text_or_none


def state_path(registry_path: Path) -> Path:
    """`<registry>.self-service.json` beside the registry."""
    return registry_path.with_name(registry_path.stem + ".self-service.json")


def load_state(path: Path) -> tuple[dict[str, Any], str | None]:
    text = read_text_or_none(path, "the self-service state")
    if not text:
        return {}, text
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise RegistryError(f"{path} is damaged ({exc}): restore it from git") from None
    if not isinstance(doc, dict):
        raise RegistryError(f"{path} is not a self-service state: restore it from git")
    return doc, text


def dump_state(state: Mapping[str, Any]) -> str:
    return json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class SignerSide:
    """The second form as this plan read it, and the state it was read against."""

    read: RequestRead
    seen: Seen
    state: dict[str, Any]
    state_text: str | None
    key: bytes
    pending: tuple[SignerRequest, ...]  # rows no earlier run handled


def prepare(config: Config, *, full: bool = False) -> SignerSide | None:
    """Read the second form (None when [self_service] is off)."""
    if config.self_service is None:
        return None
    state, text = load_state(state_path(config.registry.path))
    read = read_requests(config, None if full else state.get("cursor"))
    seen = Seen(dict(state.get("used", {})), frozenset(state.get("refused", [])))
    key = token_key(config.hash_key)
    pending = tuple(r for r in read.requests if not seen.done(r, key))
    return SignerSide(read, seen, state, text, key, pending)


def addresses_read(config: Config, table: Any) -> dict[str, str] | None:
    """email key -> address for the rows this run read (a ResponseTable), when emails are sent:
    held in memory for the mail step after apply, never saved."""
    ss = config.self_service
    if ss is None or not ss.smtp_host or not config.columns.email:
        return None
    from sync.intake.responses import map_columns
    from sync.operations.self_service.mail import addresses_in

    cmap, _ = map_columns(table.headers, config.columns.by_field(), table.origin)
    return addresses_in(table.rows, cmap.index["email"], config.hash_key)


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class SignerOutcome:
    """What the signer side added to a plan (filled in as the plan is made)."""

    applied: Applied | None = None
    outbox_new: list[list[str]] = field(default_factory=list)
    held_new: int = 0


def before_reconcile(
    side: SignerSide | None,
    signatories: tuple[Signatory, ...],
    config: Config,
    watchlist: Watchlist,
    outcome: SignerOutcome,
) -> tuple[Signatory, ...]:
    """The registry with the signers' requests applied."""
    if side is None or not side.pending:
        return signatories
    ss = config.self_service
    assert ss is not None
    applied = apply_requests(
        signatories,
        side.pending,
        side.key,
        side.seen,
        publish=ss.publish,
        when=now_text(),
        watchlist=watchlist,
        policy=config.names.policy,
    )
    outcome.applied = applied
    return applied.signatories


def after_reconcile(
    config: Config,
    entries: Mapping[str, Signatory],
    changes: tuple[Change, ...],
    summary: Summary,
    outcome: SignerOutcome,
    before: Callable[[str], Signatory | None],
) -> tuple[dict[str, Signatory], tuple[Change, ...], Summary]:
    """New entries held for confirmation (publish = "on_confirmation"), and the new signers
    with an email and consent put in the outbox. Returns the entries changed."""
    ss = config.self_service
    if ss is None:
        return {}, changes, summary
    updated: dict[str, Signatory] = {}
    if ss.publish == "on_confirmation":
        updated, changes, moved = hold_unconfirmed(entries, changes)
        updated |= still_unconfirmed(entries, changes, before)
        summary = replace(summary, new=summary.new - moved, held=summary.held + moved)
        outcome.held_new = moved
    if ss.smtp_host:
        for c in changes:
            s = updated.get(c.id) or entries.get(c.id)
            if c.action not in ("add", "hold") or s is None or not s.email_keys:
                continue
            if s.status in ("rejected", "withdrawn") or s.sealed:
                continue  # only a signer who said yes to publication is written to
            outcome.outbox_new.append([s.id, s.email_keys[0]])
    return updated, changes, summary


def plan_additions(
    config: Config, side: SignerSide | None, outcome: SignerOutcome, label: str
) -> tuple[tuple[Change, ...], list[str], list[str], FileChange | None]:
    """The signer side's changes, notes and warnings for the plan, and its state file."""
    if side is None:
        return (), [], [], None
    notes = [f"read {side.read.origin} (self-service): {side.read.read_path}"]
    warnings = list(side.read.warnings)
    changes: tuple[Change, ...] = ()
    applied = outcome.applied
    state = dict(side.state)
    if side.read.cursor is not None:
        state["cursor"] = side.read.cursor
    if applied is not None:
        changes = applied.changes
        c = applied.counts
        line = (
            f"self-service: {c['confirm']} confirmed, {c['correct']} corrected, {c['withdraw']} "
            f"withdrawn by their signers"
        )
        if c["no effect"]:
            line += f"; {c['no effect']} request(s) changed nothing"
        notes.append(line)
        if c["invalid"] or c["reused"]:
            warnings.append(
                f"self-service: {c['invalid']} link(s) not valid (forged, altered or for another "
                f"entry) and {c['reused']} used before: nothing done for them"
            )
        notes += applied.notes
        state["used"] = dict(sorted(applied.seen.used.items()))
        state["refused"] = sorted(applied.seen.refused)
    if outcome.held_new:
        notes.append(f"{outcome.held_new} new signature(s) wait for their signer's confirmation")
    if outcome.outbox_new:
        from sync.operations.self_service.mail import SentRecord, sent_key, sent_path

        sent = SentRecord.load(sent_path(config.registry.path)).sent
        old = [pair for pair in state.get("outbox", []) if sent_key(config.hash_key, *pair) not in sent]
        state["outbox"] = old + [p for p in outcome.outbox_new if p not in old]
        notes.append(f"{len(outcome.outbox_new)} new signer(s) will be emailed their links after apply")
    text = dump_state(state)
    if text == side.state_text or (side.state_text is None and not (state.keys() - {"cursor"})):
        return changes, notes, warnings, None
    change = FileChange(label, text_sha256(side.state_text), text, "", show=False, role="self-service")
    return changes, notes, warnings, change


# --- the email after apply -------------------------------------------------------------------


def send_after_apply(
    config: Config, addresses: Mapping[str, str] | None, today: date | None = None
) -> list[str]:
    """Email the new signers in the outbox their links (within the caps); lines for stderr.
    Never raises for a mail problem: a failed send is a warning, and waits for the next run."""
    from sync.operations.self_service.letters import pending_outgoing
    from sync.operations.self_service.mail import SentRecord, send_batch, sent_path

    ss = config.self_service
    if ss is None or not ss.smtp_host:
        return []
    today = today or datetime.now(UTC).date()
    state, _ = load_state(state_path(config.registry.path))
    record_path = sent_path(config.registry.path)
    record = SentRecord.load(record_path)
    try:
        plan = pending_outgoing(config, state.get("outbox", []), record, addresses or {}, today)
    except TemplateError as exc:
        # The signatures went ahead: a mistake in the campaign's template only holds the emails.
        return [f"warning: no signer email sent: {exc}; they wait for the next run"]
    if plan.outgoing or plan.given_up:
        done = send_batch(config, plan.outgoing, record, record_path, plan.given_up, today)
        lines = [*done.notes, *(f"warning: {w}" for w in done.warnings)]
    else:
        lines = []
    return lines + list(plan.waiting)
