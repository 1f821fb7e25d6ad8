"""The registry: every signatory, one per line of a CSV file beside the page, in a stable order
so that a git diff shows exactly who changed. Its state (the source's cursor, the page section's
checksum) lives in a JSON file beside it.

Editors may edit the CSV by hand. The `generated` column holds a checksum of name, affiliation
and kind as signsync last wrote them: when they no longer match, an editor changed them, and
signsync never changes them again.

A large registry is split into shards so that no file grows past what git hosts accept
(GitHub warns at 50 MB): `signatories.csv` holds the first `shard_rows` signatories,
`signatories.part002.csv` the next, and so on. An entry stays in the shard it was written to;
new signers go to the last shard until it is full. Each shard is a complete CSV with the same
header, read and checked on its own (`read_registry_file`), and written in registry order.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from sync.errors import RegistryError
from sync.fsutil import read_text_or_none
from sync.model import KINDS, STATUSES, Kind, Signatory, Status, generated_checksum

COLUMNS = (
    "id",
    "status",
    "kind",
    "name",
    "affiliation",
    "sort_as",
    "signed",
    "typed",
    "flags",
    "reason",
    "responses",
    "email_keys",
    "generated",
    "decided",
    "domain_keys",
)
# `decided` and `domain_keys` came later: a registry without them loads (they read as empty),
# and the next write adds them at the end of each line.
# Written only when an entry uses them, so a registry from before they existed stays byte-identical.
OPTIONAL_COLUMNS = ("pin", "note")
STATE_VERSION = 1
SHARD_ROWS = 50_000  # ~12 MB at signsync's ~240 bytes a row; [registry] shard_rows


@dataclass(frozen=True, slots=True)
class Shard:
    """One registry file: its number (1 is the registry path itself), its text and entries."""

    number: int
    path: Path
    text: str | None
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True, slots=True)
class Registry:
    """The registry as read: its signatories (file order), its state, and the texts it came from."""

    path: Path
    signatories: tuple[Signatory, ...]
    state: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    state_text: str | None = None
    shards: tuple[Shard, ...] = ()

    @property
    def state_path(self) -> Path:
        return state_path_for(self.path)

    @property
    def exists(self) -> bool:
        return any(sh.text is not None for sh in self.shards) or self.text is not None

    def shard_of(self) -> dict[str, int]:
        """Entry id -> the number of the shard it is in."""
        return {s.id: sh.number for sh in self.shards for s in sh.signatories}


def shard_path(path: Path, number: int) -> Path:
    """Shard 1 is `signatories.csv`, shard 2 `signatories.part002.csv`, and so on."""
    return path if number == 1 else path.with_name(f"{path.stem}.part{number:03d}{path.suffix}")


def shard_files(path: Path) -> list[tuple[int, Path]]:
    """The registry's files that exist, by shard number."""
    found = [(1, path)] if path.is_file() else []
    part = re.compile(re.escape(path.stem) + r"\.part(\d{3,})" + re.escape(path.suffix))
    for p in path.parent.glob(f"{glob.escape(path.stem)}.part*{glob.escape(path.suffix)}"):
        m = part.fullmatch(p.name)
        if m and int(m.group(1)) > 1 and p.name == shard_path(path, int(m.group(1))).name:
            found.append((int(m.group(1)), p))
    return sorted(found)


def registry_fingerprint(shas: list[tuple[str, str | None]]) -> str | None:
    """One hash for the registry's files ((name, sha256) each, by shard number). A registry in
    one file keeps the plain hash of its text."""
    if len(shas) <= 1:
        return shas[0][1] if shas else None
    text = "".join(f"{name}\t{sha}\n" for name, sha in shas)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def state_path_for(path: Path) -> Path:
    """`signatories.csv` keeps its state in `signatories.state.json`."""
    return path.with_name(path.stem + ".state.json")


def stamp(s: Signatory) -> Signatory:
    """Mark `s` as signsync's own output (not edited by hand)."""
    return replace(s, generated=generated_checksum(s))


# A cell starting with one of these runs as a formula when an editor opens the registry in a
# spreadsheet (CSV injection): written with a leading apostrophe, read back without it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_out(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell_in(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _split(text: str, sep: str = " ") -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(sep) if p.strip())


def parse_registry(text: str, origin: str) -> tuple[Signatory, ...]:
    """Parse registry CSV text; errors name the line and what to fix. Columns are found by
    their header, so an editor may reorder them or add their own."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in ("id", "status", "kind", "name") if c not in header]
    if missing:
        raise RegistryError(
            f"{origin}: the header row lacks {', '.join(missing)}: restore the first line "
            f"from git (it should read {','.join(COLUMNS)})"
        )
    where = {c: header.index(c) if c in header else None for c in COLUMNS + OPTIONAL_COLUMNS}
    out: list[Signatory] = []
    seen: set[str] = set()
    statuses, kinds = set(STATUSES), set(KINDS)
    index = [where[c] for c in COLUMNS]
    pin_at, note_at = where["pin"], where["note"]
    for row in reader:
        width = len(row)
        (
            sid,
            status,
            kind,
            name,
            affiliation,
            sort_as,
            signed,
            typed,
            flags,
            reason,
            responses,
            email_keys,
            generated,
            decided,
            domain_keys,
        ) = (row[i].strip() if i is not None and i < width else "" for i in index)
        if not sid:
            if not any(c.strip() for c in row):
                continue
            raise RegistryError(
                f"{origin}:{reader.line_num}: a row without an id: give it back its id or delete the row"
            )
        if sid in seen:
            raise RegistryError(f"{origin}:{reader.line_num}: id {sid} appears twice: keep one of the rows")
        seen.add(sid)
        if status not in statuses:
            raise RegistryError(
                f"{origin}:{reader.line_num}: status '{status}' for {sid} is not one of {', '.join(STATUSES)}"
            )
        if kind not in kinds:
            raise RegistryError(
                f"{origin}:{reader.line_num}: kind '{kind}' for {sid} is not one of {', '.join(KINDS)}"
            )
        pin_text = row[pin_at].strip() if pin_at is not None and pin_at < width else ""
        if pin_text and not (pin_text.isascii() and pin_text.isdigit()):
            raise RegistryError(
                f"{origin}:{reader.line_num}: pin '{pin_text}' for {sid} is not a whole number: "
                f"set it with `signsync pin {sid} --position N`, or clear it with `signsync unpin {sid}`"
            )
        out.append(
            Signatory(
                sid,
                cast(Status, status),  # checked against STATUSES above
                cast(Kind, kind),  # checked against KINDS above
                _cell_in(name),
                _cell_in(affiliation),
                _cell_in(sort_as),
                signed,
                _cell_in(typed),
                _split(flags, ";") if flags else (),
                _cell_in(reason),
                tuple(responses.split()),
                tuple(email_keys.split()),
                generated,
                decided,
                tuple(domain_keys.split()),
                pin=int(pin_text or 0),
                note=_cell_in(row[note_at].strip()) if note_at is not None and note_at < width else "",
            )
        )
    return tuple(out)


def registry_order(signatories: Sequence[Signatory]) -> list[Signatory]:
    """File order: by first signature, then id. New signers land at the end of the file."""
    return sorted(signatories, key=lambda s: (s.signed or "~", s.id))


def registry_key(s: Signatory) -> tuple[str, str]:
    """The sort key of registry order."""
    return (s.signed or "~", s.id)


def _row(s: Signatory, optional: Sequence[str] = ()) -> tuple[str, ...]:
    extra = [(str(s.pin) if s.pin else "") if c == "pin" else _cell_out(s.note) for c in optional]
    return (
        s.id,
        s.status,
        s.kind,
        _cell_out(s.name),
        _cell_out(s.affiliation),
        _cell_out(s.sort_as),
        s.signed,
        _cell_out(s.typed),
        "; ".join(s.flags),
        _cell_out(s.reason),
        " ".join(s.responses),
        " ".join(s.email_keys),
        s.generated,
        s.decided,
        " ".join(s.domain_keys),
        *extra,
    )


def optional_columns(signatories: Sequence[Signatory]) -> list[str]:
    """The optional columns a file of these entries has: those some entry uses."""
    return [c for c in OPTIONAL_COLUMNS if any(getattr(s, c) for s in signatories)]


def dump_registry(signatories: tuple[Signatory, ...] | list[Signatory]) -> str:
    """The registry CSV text (one file or one shard): one record per line, stable order."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    optional = optional_columns(signatories)
    writer.writerow(COLUMNS + tuple(optional))
    writer.writerows(_row(s, optional) for s in registry_order(signatories))
    return buf.getvalue()


def dump_line(s: Signatory, optional: Sequence[str] = OPTIONAL_COLUMNS) -> str:
    """One record as `dump_registry` writes it in a file with these optional columns."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow(_row(s, optional))
    return buf.getvalue()


def assign_shards(
    signatories: Sequence[Signatory],
    previous: dict[str, int],
    counts: dict[int, int] | None = None,
    shard_rows: int = SHARD_ROWS,
) -> dict[int, list[Signatory]]:
    """Which shard each entry goes to: an entry already written stays in its shard
    (`previous`: id -> shard number); new entries, in registry order, fill the last shard up
    to `shard_rows` entries, then start the next one. `counts` (shard -> entries) stands in
    for `previous` where the caller holds only the new and changed entries."""
    out: dict[int, list[Signatory]] = {}
    new: list[Signatory] = []
    for s in signatories:
        n = previous.get(s.id)
        if n is None:
            new.append(s)
        else:
            out.setdefault(n, []).append(s)
    sizes = dict(counts) if counts is not None else {n: len(v) for n, v in out.items()}
    last = max([*sizes, *out], default=1)
    for s in registry_order(new):
        if sizes.get(last, 0) >= shard_rows:
            last += 1
        out.setdefault(last, []).append(s)
        sizes[last] = sizes.get(last, 0) + 1
    return out


def dump_state(state: dict[str, Any]) -> str:
    return json.dumps({"version": STATE_VERSION, **state}, indent=2, sort_keys=True) + "\n"


def read_registry_file(path: Path) -> tuple[str | None, tuple[Signatory, ...]]:
    """One registry file (the registry, or one of its shards): its text and its entries,
    checked. A missing file is an empty one."""
    text = read_text_or_none(path)
    return text, parse_registry(text, str(path)) if text is not None else ()


def load_registry(path: Path) -> Registry:
    """Read the registry (every shard) and its state; a missing registry is an empty one."""
    shards = []
    seen: dict[str, Path] = {}
    for number, file in shard_files(path) or [(1, path)]:
        text, entries = read_registry_file(file)
        for s in entries:
            if s.id in seen:
                raise RegistryError(
                    f"{file}: id {s.id} is also in {seen[s.id].name}: keep one of the two rows"
                )
            seen[s.id] = file
        shards.append(Shard(number, file, text, entries))
    first = next((sh for sh in shards if sh.number == 1), None)
    text = first.text if first is not None else None
    signatories = tuple(s for sh in shards for s in sh.signatories)
    state, state_text = load_state(path)
    return Registry(path, signatories, state, text, state_text, tuple(shards))


def load_state(path: Path) -> tuple[dict[str, Any], str | None]:
    """The registry's state (cursor, checksums, what was applied) and its text."""
    spath = state_path_for(path)
    state_text = read_text_or_none(spath)
    state: dict[str, Any] = {}
    if state_text is not None:
        try:
            state = json.loads(state_text)
        except json.JSONDecodeError as exc:
            raise RegistryError(
                f"{spath}: not valid JSON ({exc}): restore it from git, or delete it "
                "(the next run then reads all responses again; nothing is lost)"
            ) from exc
        state.pop("version", None)
    return state, state_text


def write_registry(
    registry: Registry, signatories: Sequence[Signatory], shard_rows: int = SHARD_ROWS
) -> None:
    """Write `signatories` back over `registry` (an editor's command): each entry in its shard,
    only the files that change."""
    from sync.fsutil import atomic_write_text

    layout = assign_shards(signatories, registry.shard_of(), shard_rows=shard_rows)
    texts = {sh.number: sh.text for sh in registry.shards}
    for number in sorted(set(layout) | set(texts)):
        after = dump_registry(layout.get(number, []))
        if after != texts.get(number):
            atomic_write_text(shard_path(registry.path, number), after)
