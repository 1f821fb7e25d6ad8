"""The registry: every signatory, one per line of a CSV file beside the page, in a stable order
so that a git diff shows exactly who changed. Its state (the source's cursor, the page section's
checksum) lives in a JSON file beside it.

Editors may edit the CSV by hand. The `generated` column holds a checksum of name, affiliation
and kind as signsync last wrote them: when they no longer match, an editor changed them, and
signsync never changes them again.
"""

from __future__ import annotations

import csv
import io
import json
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
)
STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Registry:
    """The registry as read: its signatories (file order), its state, and the texts it came from."""

    path: Path
    signatories: tuple[Signatory, ...]
    state: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    state_text: str | None = None

    @property
    def state_path(self) -> Path:
        return state_path_for(self.path)


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
    where = {c: header.index(c) if c in header else None for c in COLUMNS}
    out: list[Signatory] = []
    seen: set[str] = set()
    statuses, kinds = set(STATUSES), set(KINDS)
    index = [where[c] for c in COLUMNS]
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
            )
        )
    return tuple(out)


def registry_order(signatories: tuple[Signatory, ...] | list[Signatory]) -> list[Signatory]:
    """File order: by first signature, then id. New signers land at the end of the file."""
    return sorted(signatories, key=lambda s: (s.signed or "~", s.id))


def dump_registry(signatories: tuple[Signatory, ...] | list[Signatory]) -> str:
    """The registry CSV text: one record per line, stable order."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in registry_order(signatories):
        writer.writerow(
            (
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
            )
        )
    return buf.getvalue()


def dump_state(state: dict[str, Any]) -> str:
    return json.dumps({"version": STATE_VERSION, **state}, indent=2, sort_keys=True) + "\n"


def load_registry(path: Path) -> Registry:
    """Read the registry and its state; a missing registry is an empty one (first run)."""
    text = read_text_or_none(path)
    signatories = parse_registry(text, str(path)) if text is not None else ()
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
    return Registry(path, signatories, state, text, state_text)
