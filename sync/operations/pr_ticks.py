"""Editors' decisions ticked in the review pull request, recorded on the default branch.

The review (`plan --format markdown`, the pull request's body) lists every entry waiting for a
decision as a task-list checkbox, "- [ ] publish **Name** (`s-...`): reason", plus a folded
"keep off" box for each, and ends with a digest of the registry it was made from. When an editor
edits the body (ticks boxes), GitHub sends a `pull_request` event with action `edited`, the new
body and the old one (`changes.body.from`). This module reads that event and decides what, if
anything, to record. It does nothing, and says why, when:

- the sender is not a user with write access (`permission` comes from GitHub's API),
- the edit changed anything but checkboxes (text added, lines moved: a forged box),
- a ticked id is not an entry waiting for a decision (in the registry, or held by the plan),
- the review was made from another registry than the one on the default branch now (stale: a
  decision since, or a merge), or carries no digest.

Held entries of an open pull request exist only on its branch: the decisions are recorded in the
default branch's registry by adding those entries' rows (from a plan made now, which holds them
again) with the editor's decision, so the next sync keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sync.config import Config
from sync.errors import SignsyncError
from sync.model import Signatory

REVIEW_MARK = "signsync-review"
WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})
_BOX = re.compile(r"^- \[([ xX])\] (publish|keep off) .*?\(`(s-[0-9a-f]+)`\)", re.M)
_DIGEST = re.compile(rf"<!-- {REVIEW_MARK} registry=([0-9a-f]{{64}}|none) -->")


class EventError(SignsyncError):
    """The event file is not a pull request event GitHub sends."""


@dataclass(frozen=True, slots=True)
class Ticks:
    """What an edit of the review ticked: ids to publish and ids to keep off the page."""

    publish: tuple[str, ...]
    keep_off: tuple[str, ...]
    digest: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to record (`ticks` None: nothing) and why not. `refused`: the edit ticked boxes but
    nothing is recorded, so the editor should be told why (in the pull request)."""

    ticks: Ticks | None
    message: str
    refused: bool = False


def boxes(body: str) -> dict[tuple[str, str], bool]:
    """(action, id) -> ticked, for every checkbox line of a review."""
    return {(m.group(2), m.group(3)): m.group(1) != " " for m in _BOX.finditer(body)}


def _unticked(body: str) -> str:
    return _BOX.sub(lambda m: m.group(0).replace(f"[{m.group(1)}]", "[ ]", 1), body.replace("\r\n", "\n"))


def read_ticks(old: str, new: str) -> Outcome:
    """The boxes ticked by an edit from `old` to `new` (unticking does nothing)."""
    before, after = boxes(old), boxes(new)
    ticked = [key for key, on in after.items() if on and not before.get(key, False)]
    if _unticked(old) != _unticked(new):
        message = "the edit changed more than checkboxes: nothing recorded; tick boxes only"
        return Outcome(None, message, refused=bool(ticked))
    match = _DIGEST.search(old)
    if match is None:
        return Outcome(None, "the pull request body is not a signsync review (no digest): nothing recorded")
    publish = {i for action, i in ticked if action == "publish"}
    keep_off = {i for action, i in ticked if action == "keep off"}
    both = publish & keep_off
    if both:
        message = f"{', '.join(sorted(both))} ticked both publish and keep off: nothing recorded"
        return Outcome(None, message, refused=True)
    if not ticked:
        return Outcome(None, "no box was ticked: nothing to record")
    return Outcome(Ticks(tuple(sorted(publish)), tuple(sorted(keep_off)), match.group(1)), "")


def from_event(event: Mapping[str, Any], permission: str, branch: str) -> Outcome:
    """Check who edited which pull request, then read the ticks of the edit."""
    pr = event.get("pull_request")
    if not isinstance(pr, Mapping) or event.get("action") != "edited":
        raise EventError("the event is not a pull request edit: run this on `pull_request: types: [edited]`")
    sender = event.get("sender") or {}
    login = str(sender.get("login", "?"))
    if (pr.get("head") or {}).get("ref") != branch:
        return Outcome(
            None, f"pull request #{pr.get('number')} is not signsync's ({branch}): nothing recorded"
        )
    if sender.get("type") != "User":
        return Outcome(None, f"edited by {login}, not a person: nothing recorded")
    old = (event.get("changes") or {}).get("body", {}).get("from")
    if not isinstance(old, str):
        return Outcome(None, "the body was not edited: nothing to record")
    outcome = read_ticks(old, str(pr.get("body") or ""))
    if outcome.ticks is not None and permission not in WRITE_PERMISSIONS:
        message = f"@{login} has {permission or 'no'} access, not write: nothing recorded"
        return Outcome(None, message, refused=True)
    return outcome


@dataclass(frozen=True, slots=True)
class Recorded:
    """The default branch's registry with the decisions, and the commit message."""

    signatories: tuple[Signatory, ...]
    commit_message: str


def record(
    registry: tuple[Signatory, ...],
    waiting: Mapping[str, Signatory],
    ticks: Ticks,
    editor: str,
    pull_request: str,
    when: str = "",
) -> Recorded:
    """Apply the ticks to the default branch's registry, as `signsync approve` / `reject` do,
    with the editor's login on record. `waiting`: the entries a plan made now holds (id ->
    entry), for those not in the registry yet. Refuses an id that is not waiting."""
    from sync.operations.editor import set_status

    by_id = {s.id: s for s in registry}
    out = list(registry)
    lines = []
    for sid in ticks.publish + ticks.keep_off:
        current = by_id.get(sid) or waiting.get(sid)
        if current is None or current.status != "pending":
            raise SignsyncError(f"{sid} is not waiting for a decision: nothing recorded")
        if sid not in by_id:
            out.append(current)
        verb = "publish" if sid in ticks.publish else "keep off"
        lines.append(f"- {verb} {current.name} ({sid})")
    who = f"@{editor}"
    decided = tuple(out)
    if ticks.publish:
        decided = set_status(decided, list(ticks.publish), "published", when=when, who=who).signatories
    if ticks.keep_off:
        reason = f"kept off the page by @{editor} in pull request #{pull_request}"
        decided = set_status(
            decided, list(ticks.keep_off), "rejected", reason, when=when, who=who
        ).signatories
    title = f"signsync: decisions by @{editor} in pull request #{pull_request}"
    body = "\n".join(lines)
    message = f"{title}\n\n{body}\n\nTicked in the review by @{editor} (write access).\n"
    return Recorded(decided, message)


@dataclass(frozen=True, slots=True)
class TickResult:
    """What `record_ticks` did: `recorded` (None: nothing), else why not, and whether to say
    so in the pull request (`tell`: boxes were ticked)."""

    editor: str
    recorded: Recorded | None = None
    why: str = ""
    tell: bool = False


def record_ticks(
    config: Config, event: Mapping[str, Any], permission: str, branch: str, *, lock_wait: float, when: str
) -> TickResult:
    """Record the boxes an editor ticked in the review (the pull request `event`) in the default
    branch's registry, under the registry's lock; nothing when `from_event` or `record` refuses,
    or when the review was made from another registry than the one on disk."""
    from sync.operations.editor import sealed_for_registry
    from sync.operations.plan import make_plan
    from sync.store.registry import load_registry, write_registry
    from sync.support.files import atomic_write_text, run_lock

    outcome = from_event(event, permission.strip(), branch)
    editor = str((event.get("sender") or {}).get("login", ""))
    number = str((event.get("pull_request") or {}).get("number", "?"))
    ticks = outcome.ticks
    if ticks is None:
        return TickResult(editor, why=outcome.message, tell=outcome.refused)
    path = config.registry.path
    with run_lock(path, lock_wait):
        registry = load_registry(path)
        if ticks.digest != review_digest(path):
            return TickResult(
                editor,
                why="the review was made from another registry than the default branch's (a decision "
                "or a merge since): nothing recorded; tick again once the sync has updated the review",
                tell=True,
            )
        known = {s.id for s in registry.signatories}
        waiting = {}
        if any(i not in known for i in ticks.publish + ticks.keep_off):
            waiting = {s.id: s for s in make_plan(config).signatories if s.status == "pending"}
        try:
            recorded = record(registry.signatories, waiting, ticks, editor, number, when=when)
        except SignsyncError as exc:
            return TickResult(editor, why=str(exc), tell=True)
        write_registry(
            registry, sealed_for_registry(config, recorded.signatories), config.registry.shard_rows
        )
        if registry.state.published is None:
            # Keep what the page shows, so the next review lists these as new on the page.
            on_page = tuple(sorted(s.id for s in registry.signatories if s.status == "published"))
            atomic_write_text(registry.state_path, replace(registry.state, published=on_page).dump())
    return TickResult(editor, recorded)


def review_digest(path: Path) -> str:
    """The registry digest a review carries and `review-decisions` compares: the registry's
    files on disk (`registry_digest`), 'none' when there is no registry yet."""
    from sync.store.registry import registry_digest

    return registry_digest(path) or "none"


def read_event(path: Path) -> dict[str, Any]:
    """The event JSON GitHub wrote to GITHUB_EVENT_PATH."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EventError(f'cannot read the event {path}: {exc}: pass --event "$GITHUB_EVENT_PATH"') from exc
    if not isinstance(data, dict):
        raise EventError(f"{path} is not an event object")
    return data
