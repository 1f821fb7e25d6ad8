"""`signsync reshard`: lay the registry out again in files of `[registry] shard_rows` entries.

New registries are split as they grow (sync/store/registry.py), and an entry stays in the file it was
written to, so a registry made before shards existed, or one whose `shard_rows` was lowered,
keeps files larger than git hosts accept. Resharding writes every entry, in registry order, into
files of `shard_rows` entries (the last one shorter). Entries, ids and the page do not change;
only which file holds which lines.

Several files are replaced, so a crash in the middle must lose nothing: every entry is first
written to a journal (`signatories.reshard.csv`, atomically), then the shards are written, then
the journal is deleted. While the journal exists every other command refuses to run (sync.store.registry
`shard_files`) and `signsync reshard` finishes the work from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sync.errors import RegistryError
from sync.model import Signatory
from sync.store.registry import (
    dump_registry,
    journal_path,
    load_registry,
    parse_registry,
    registry_order,
    shard_path,
    unchecked_shard_files,
)
from sync.store.state import State, state_path_for
from sync.support.files import (
    atomic_write_text,
    check_writable,
    interrupts_deferred,
    read_text,
    read_text_or_none,
    remove_stale_temps,
)


@dataclass(frozen=True, slots=True)
class Resharded:
    """What a reshard did, for the user."""

    entries: int
    files: int  # registry files after it
    written: tuple[Path, ...]
    removed: tuple[Path, ...]
    largest_bytes: int
    resumed: bool  # finished an interrupted reshard


def layout(signatories: tuple[Signatory, ...] | list[Signatory], shard_rows: int) -> list[list[Signatory]]:
    """Every entry in registry order, `shard_rows` to a file (one empty file for no entries)."""
    ordered = registry_order(signatories)
    return [ordered[i : i + shard_rows] for i in range(0, len(ordered), shard_rows)] or [[]]


def _record_file_count(path: Path, count: int) -> None:
    """The state's count of registry files (checked by every run) follows the new layout."""
    state, text = State.load(path)
    if text is not None and "registry_files" in state.other:
        counted = replace(state, other={**state.other, "registry_files": count})
        atomic_write_text(state_path_for(path), counted.dump())


def reshard(path: Path, shard_rows: int) -> Resharded:
    """Rewrite the registry at `path` into files of at most `shard_rows` entries. Run it under
    the run lock. Finishes an interrupted reshard when its journal is there."""
    journal = journal_path(path)
    resumed = journal.exists()
    if resumed:
        # The journal is complete (written atomically before any shard was touched): it is
        # the registry; the shard files may be any mix of old and new.
        entries = parse_registry(read_text(journal, "the reshard journal"), str(journal))
    else:
        registry = load_registry(path)
        if not registry.exists:
            raise RegistryError(f"no registry at {path}: there is nothing to reshard")
        entries = registry.signatories
    files = layout(entries, shard_rows)
    texts = [dump_registry(chunk) for chunk in files]
    existing = dict(unchecked_shard_files(path))
    wanted = {n: shard_path(path, n) for n in range(1, len(texts) + 1)}
    extra = [p for n, p in sorted(existing.items()) if n not in wanted]
    changed = [
        (wanted[n], text)
        for n, text in enumerate(texts, 1)
        if n not in existing or read_text_or_none(existing[n], "[registry] path") != text
    ]
    for target in [journal, *wanted.values(), *extra]:
        check_writable(target, "[registry] path")
        remove_stale_temps(target)  # left by a killed run (we hold the run lock)
    remove_stale_temps(state_path_for(path))  # a run killed while it recorded the file count
    if changed or extra:
        with interrupts_deferred():
            if not resumed:
                atomic_write_text(journal, dump_registry(list(entries)))
            # Highest first: a file that gains entries is written before the ones that lose
            # them (not needed for safety, the journal holds all, but a reader of a half-done
            # reshard then sees every entry at least once).
            for target, text in reversed(changed):
                atomic_write_text(target, text)
            for p in extra:
                p.unlink(missing_ok=True)
            _record_file_count(path, len(texts))
            journal.unlink()
    elif resumed:
        _record_file_count(path, len(texts))  # the killed run may have stopped before recording it
        journal.unlink()
    return Resharded(
        entries=len(entries),
        files=len(texts),
        written=tuple(t for t, _ in changed),
        removed=tuple(extra),
        largest_bytes=max(len(t.encode("utf-8")) for t in texts),
        resumed=resumed,
    )
