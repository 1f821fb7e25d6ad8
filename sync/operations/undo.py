"""`signsync undo`: the registry as it was before the last editor's command.

Each editor's command keeps the registry files it replaced in `.<registry>.undo.json` beside
the registry (the same hashes and names the registry holds, nothing more), with the digest of
the files it wrote. `undo` puts them back only while the registry is still exactly what that
command left: after an apply or another command, git holds the earlier versions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.errors import SignsyncError
from sync.store.registry import registry_digest, unchecked_shard_files
from sync.support.files import atomic_write_text, read_text, read_text_or_none


@dataclass(frozen=True, slots=True)
class Before:
    """The registry's files before a command: name -> text."""

    files: dict[str, str]


def undo_path(registry: Path) -> Path:
    return registry.with_name(f".{registry.stem}.undo.json")


def remember_before(registry: Path) -> Before:
    """The registry's files as they are, before an editor's command writes them."""
    return Before({p.name: read_text(p, "[registry] path") for _n, p in unchecked_shard_files(registry)})


def remember_after(registry: Path, before: Before, command: str) -> None:
    """Record what `undo` needs: the files before, the files the command added (removed by an
    undo), and the digest of the registry it left."""
    if _makes_private(registry, before):
        # The files before named someone the command has just made private (a withdrawal): no
        # copy of them is kept beside the registry (git holds the earlier version).
        undo_path(registry).unlink(missing_ok=True)
        return
    now = {p.name for _n, p in unchecked_shard_files(registry)}
    record: dict[str, Any] = {
        "command": command,
        "files": {**{name: None for name in sorted(now - set(before.files))}, **before.files},
        "after": registry_digest(registry) or "none",
    }
    atomic_write_text(undo_path(registry), json.dumps(record, ensure_ascii=False, indent=1) + "\n")


def _makes_private(registry: Path, before: Before) -> bool:
    """Whether someone kept private now still has text in the registry files before."""
    from sync.store.registry import load_registry, parse_registry

    private = {s.id for s in load_registry(registry).signatories if s.sealed}
    if not private:
        return False
    for name, text in before.files.items():
        for s in parse_registry(text, name):
            if s.id in private and (s.name or s.affiliation or s.typed):
                return True
    return False


def undo_last(registry: Path) -> str:
    """Put the registry back as it was before the last editor's command; its command line."""
    path = undo_path(registry)
    text = read_text_or_none(path, "the undo record")
    if text is None:
        raise SignsyncError(
            "nothing to undo: no editor's command was recorded since the last undo (an apply is "
            "undone with git: `git revert` the commit that holds it)"
        )
    try:
        record = json.loads(text)
        command, files, after = str(record["command"]), dict(record["files"]), str(record["after"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SignsyncError(f"{path} is not an undo record signsync wrote: delete it ({exc})") from exc
    if (registry_digest(registry) or "none") != after:
        raise SignsyncError(
            f"the registry changed since `{command}` (an apply or another command): an undo would lose "
            "that; go back with git instead (`git log -p` on the registry shows each change)"
        )
    for name, content in files.items():
        target = registry.with_name(name)
        if content is None:
            target.unlink(missing_ok=True)
        else:
            atomic_write_text(target, content)
    path.unlink()
    return command
