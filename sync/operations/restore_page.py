"""`signsync restore-page BACKUP`: put a page back as a backup holds it.

The write goes through the target's own conflict check (the page is read, then written only if
it is still as read), the page's content before the restore is itself backed up first, and the
state then records the restored list as signsync's own, so the next plan does not call it an
edit by hand.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from render.page import checksum, region_text
from sync.config import Config
from sync.errors import MarkerError, SignsyncError
from sync.publish.targets import page_target
from sync.publish.targets.backup import load_backup, save_backup
from sync.store.state import ABSENT, PageRecord, State, state_path_for
from sync.support.files import atomic_write_text


def restore_page(config: Config, backup_path: Path) -> list[str]:
    """Write the backup's content to the page the config publishes to; return notes."""
    backup = load_backup(backup_path)
    target = page_target(config)
    if backup.identity != target.identity:
        raise SignsyncError.because(
            f"{backup_path} is a backup of {backup.label}, but {config.path} publishes to {target.label}",
            "restore it with the config that publishes to that page (--config)",
        )
    now = target.read()
    if now.content == backup.content:
        return [f"{target.label} is already as in {backup_path} (taken {backup.taken}); nothing written"]
    registry_path = config.registry.path
    notes = []
    if now.content is not None:
        saved = save_backup(registry_path, target, now)
        notes.append(f"saved {target.label} as it was to {saved}")
    notes.append(target.write(backup.content, now))
    notes.append(f"restored {target.label} as it was at {backup.taken}")
    _record_restored_list(config, registry_path, backup.content, target.label)
    notes.append(
        "the next `signsync apply` publishes the current list again: pause scheduled runs "
        "to keep this version"
    )
    return notes


def _record_restored_list(config: Config, registry_path: Path, content: str, label: str) -> None:
    """Record the restored list's checksum as signsync's own (no false "edited by hand")."""
    from sync.operations.plan import page_format

    state, _ = State.load(registry_path)
    try:
        region = region_text(content, label)
    except MarkerError:
        page = None  # no list on the page: nothing to compare a later edit with
    else:
        page = PageRecord(checksum(region, page_format(config, label)))
    atomic_write_text(state_path_for(registry_path), replace(state, page=page, applied=ABSENT).dump())
