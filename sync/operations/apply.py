"""Writing a plan: the page first (through its publish target, with a backup before the first
write), then the registry, the data file and the state, each replaced atomically; then the cache."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sync.cache import CacheUpdate
from sync.config import Config
from sync.errors import HandEditError, StalePlanError
from sync.model import FileChange, Plan, text_sha256
from sync.publish.targets import PageSnapshot, PageTarget, page_target
from sync.publish.targets.backup import needs_backup, save_backup
from sync.store.state import State
from sync.support.files import (
    atomic_write_text,
    check_writable,
    file_digest,
    interrupts_deferred,
    read_text_or_none,
    remove_stale_temps,
)
from sync.support.progress import advance, stage


def apply_plan(
    config: Config,
    plan: Plan,
    *,
    force: bool = False,
    cache_update: CacheUpdate | None = None,
    hold_page: bool = False,
) -> list[str]:
    """Write what `plan` holds, page first, then the registry and its state (before the page,
    the state records the checksum of the list being written); then `cache_update` (a plan made
    in this process: `PlanRun.cache_update`) brings the cache up to date.

    Refuses (StalePlanError) when a file changed since the plan was made, and (HandEditError)
    when the page's list was edited by hand, unless `force`. Each file is replaced atomically;
    if the run dies between files, the next plan converges (the page is re-rendered from the
    registry), and the next apply removes the hidden temp files a killed run left.
    """
    base = config.base_dir
    page = next((f for f in plan.files if f.role == "page"), None)
    others = [f for f in plan.files if f.role != "page"]
    if hold_page and config.publish.target != "file":
        # Review first: the registry (in the pull request) now, the page once it is merged
        # (`signsync publish`); the state keeps describing the page as it is live.
        page = None
        others = [_state_keeping_the_page(config, f) if f.role == "state" else f for f in others]
    for f in others:
        # The bytes' hash is the text's for a file without a byte-order mark (signsync's own).
        current = file_digest(base / f.path)
        if current != f.before_sha256:
            current = text_sha256(read_text_or_none(base / f.path))
        if current != f.before_sha256:
            raise StalePlanError(f"{f.path} changed since the plan was made: run `signsync plan` again")
    # Every file about to be written can be: checked before the first write, so a read-only
    # file or folder stops the run with nothing changed.
    for f in plan.files:
        if f.changed and f.target == "file":
            check_writable(base / f.path)
    with interrupts_deferred():
        return _write_plan(config, plan, base, page, others, force, cache_update)


def _state_keeping_the_page(config: Config, change: FileChange) -> FileChange:
    """The state a plan writes, with what it says of the page (its list's checksum, the ids on
    it) as it is now: for a page held back until `signsync publish`."""
    before, _text = State.load(config.registry.path)
    after = State.parse(change.after, change.path)
    # The page is not as the plan leaves it: no quick "nothing new" either.
    kept = replace(after, page=before.page, published=before.published, applied=None)
    return replace(change, after=kept.dump())


def _write_plan(
    config: Config,
    plan: Plan,
    base: Path,
    page: FileChange | None,
    others: list[FileChange],
    force: bool,
    cache_update: CacheUpdate | None,
) -> list[str]:
    notes: list[str] = []
    stage("writing files", len(plan.files))
    for f in plan.files:
        if f.changed and f.target == "file":
            remove_stale_temps(base / f.path)  # left by a run killed mid-write
    if page is not None:
        state_change = next((f for f in others if f.role == "state"), None)
        notes += _write_page(config, page, state_change, force=force)
    # Published outputs first, then the registry, then its state: a crash in between leaves
    # every file whole, and the next run converges.
    for f in others:
        if f.changed:
            atomic_write_text(base / f.path, f.after)
            if f.show:
                notes.append(f"wrote {f.path}")
        advance()
    if cache_update is not None:
        stage("updating the cache")
        cache_update.record()  # after the files: a run that dies first leaves it stale, not wrong
    return notes


def _write_page(
    config: Config, page: FileChange, state_change: FileChange | None, *, force: bool
) -> list[str]:
    """Write the page through its target if the plan changes it (a backup first, when the page
    has none yet or no revision to go back to); otherwise check it is still as planned.
    Returns the notes for the user."""
    if page.meta.get("hand_edited") and not force:
        raise HandEditError(
            f"{page.path}: the list between the markers was edited by hand; apply would "
            "discard that edit. Put the change into the registry and plan again, or use --force"
        )
    target = page_target(config)
    version = {k: v for k, v in page.meta.items() if k != "hand_edited"}
    expected = PageSnapshot(page.path, None, {**version, "sha256": page.before_sha256})
    if not page.changed:
        if text_sha256(target.read().content) != page.before_sha256:
            raise StalePlanError(f"{page.path} changed since the plan was made: run `signsync plan` again")
        return []
    notes = []
    registry_path = config.registry.path
    if needs_backup(registry_path, target, page.meta):
        saved = _backup_page(registry_path, target, expected)
        notes += [saved] if saved else []
    state = (config.base_dir / state_change.path, state_change.after) if state_change else None
    notes.append(_write_recording(target, page.after, expected, state))
    return notes


def _backup_page(registry_path: Path, target: PageTarget, expected: PageSnapshot) -> str | None:
    """Save the page as it is before the write. None when it is no longer as the plan saw it:
    then the write refuses (the target's own conflict check says why) and needs no backup."""
    now = target.read()
    if text_sha256(now.content) != expected.version.get("sha256"):
        return None
    path = save_backup(registry_path, target, now)
    return f"saved {now.label} as it was to {path} (`signsync restore-page {path}` puts it back)"


def _write_recording(
    target: PageTarget, content: str, expected: PageSnapshot, state: tuple[Path, str] | None
) -> str:
    """Write the page; `state` (its path, its text after apply) records the list being written
    for the time of the write. A write that fails or is refused leaves the state as it was."""
    if state is None:
        return target.write(content, expected)
    state_path, new_state_text = state
    before = read_text_or_none(state_path)
    _record_writing(state_path, before, new_state_text)
    try:
        return target.write(content, expected)
    except BaseException:
        if before is None:
            state_path.unlink(missing_ok=True)
        else:
            atomic_write_text(state_path, before)
        raise


def _record_writing(state_path: Path, state_text: str | None, new_state_text: str) -> None:
    """Before the page is replaced, add to the state as it is the checksum of the list about to
    be written: if the run dies between the page and the final state, the next run knows that
    list as its own, not as a hand edit."""
    state = State.parse(state_text, state_path) if state_text is not None else State()
    page = State.parse(new_state_text, state_path).page
    assert page is not None and page.checksum is not None  # the plan's state records its list
    atomic_write_text(state_path, state.writing(page.checksum).dump())
