"""Backups of a page's content as it was before signsync first wrote to it.

A WordPress page that was never revised has no revision of its first content, and a file has
no history at all: so before the first write to a page (and before every write while the page
has no revision) its raw content is saved to a JSON file beside the registry:

    signatories.page-backup.wordpress-1a2b3c4d.20261129T224500Z.json

holding which page it is (`identity`), when it was taken, the content's SHA-256 and the
content itself, byte for byte. `signsync restore-page FILE` puts it back.
"""

from __future__ import annotations

import glob
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync.errors import SignsyncError
from sync.model import text_sha256
from sync.publish.targets.base import PageSnapshot, PageTarget
from sync.support.files import atomic_write_text, read_bytes_or_none

BACKUP_FORMAT = "signsync page backup 1"


@dataclass(frozen=True, slots=True)
class PageBackup:
    """A saved page: which page, what it held, when."""

    identity: dict[str, Any]
    label: str
    taken: str
    content: str


def _key(target: PageTarget) -> str:
    """A short, stable name for the page in backup file names."""
    identity = json.dumps(target.identity, sort_keys=True)
    return f"{target.name}-{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:8]}"


def _prefix(registry_path: Path, target: PageTarget) -> str:
    return f"{registry_path.stem}.page-backup.{_key(target)}."


def backups_of(registry_path: Path, target: PageTarget) -> list[Path]:
    """The backups of this target's page beside the registry, oldest first."""
    prefix = _prefix(registry_path, target)
    return sorted(p for p in registry_path.parent.glob(prefix + "*.json") if p.is_file())


def needs_backup(registry_path: Path, target: PageTarget, version: dict[str, Any]) -> bool:
    """Before the first write to the page, or while the page has no revision to go back to."""
    return version.get("revision_count") == 0 or not backups_of(registry_path, target)


def save_backup(registry_path: Path, target: PageTarget, snapshot: PageSnapshot) -> Path:
    """Save the page's content as read in `snapshot`; returns the new file's path. Removes the
    temp files of a backup a killed run was writing (only for a holder of the run lock)."""
    if snapshot.content is None:
        raise SignsyncError(f"{snapshot.label} does not exist: there is nothing to back up")
    for stale in registry_path.parent.glob(f".{glob.escape(_prefix(registry_path, target))}*.tmp"):
        stale.unlink(missing_ok=True)
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    path = registry_path.parent / f"{_prefix(registry_path, target)}{stamp}.json"
    n = 1
    while path.exists():  # two writes within a second
        n += 1
        path = registry_path.parent / f"{_prefix(registry_path, target)}{stamp}-{n}.json"
    doc = {
        "format": BACKUP_FORMAT,
        "page": target.identity,
        "label": snapshot.label,
        "taken": now.isoformat(timespec="seconds"),
        "sha256": text_sha256(snapshot.content),
        "content": snapshot.content,
    }
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    return path


def load_backup(path: Path) -> PageBackup:
    """Read a backup saved by `save_backup`; a file that is not one (or was altered) is refused."""
    raw = read_bytes_or_none(path, "a page backup")  # a folder or no permission: one line
    if raw is None:
        raise SignsyncError.because(
            f"no backup at {path}", "name a file signsync saved (signsync apply printed its name)"
        )
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SignsyncError.because(
            f"{path} is not a signsync page backup ({exc})",
            "name a file signsync saved (…page-backup…json beside the registry)",
        ) from None
    fields = ("page", "label", "taken", "sha256", "content")
    if not isinstance(doc, dict) or doc.get("format") != BACKUP_FORMAT or any(f not in doc for f in fields):
        raise SignsyncError.because(
            f"{path} is not a signsync page backup",
            "name a file signsync saved (…page-backup…json beside the registry)",
        )
    content = doc["content"]
    if not isinstance(content, str) or text_sha256(content) != doc["sha256"]:
        raise SignsyncError.because(
            f"{path}: the saved content does not match its checksum (the file was edited)",
            "use an unedited backup",
        )
    return PageBackup(dict(doc["page"]), str(doc["label"]), str(doc["taken"]), content)
