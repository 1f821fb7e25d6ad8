"""The registry: every signatory, one per line of a CSV file beside the page, in a stable order
so that a git diff shows exactly who changed. Its state (the source's cursor, the page section's
checksum) lives in a JSON file beside it (`sync/store/state.py`).

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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from sync.errors import RegistryError
from sync.model import CONSENT_STATES, KINDS, STATUSES, Kind, Signatory, Status, generated_checksum
from sync.store.privacy import legacy_consent, without_private_text
from sync.store.state import State, state_path_for
from sync.support.files import file_digest, read_text_or_none

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
OPTIONAL_COLUMNS = ("pin", "note", "confirmed", "consent", "private", "name_keys")
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
    state: State = State()
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


def journal_path(path: Path) -> Path:
    """Where `signsync reshard` keeps every entry while it rewrites the files (sync/operations/reshard.py)."""
    return path.with_name(f"{path.stem}.reshard{path.suffix}")


def shard_files(path: Path) -> list[tuple[int, Path]]:
    """The registry's files that exist, by shard number. Refused while an interrupted
    `signsync reshard` has left its journal: the files may then hold some entries twice."""
    journal = journal_path(path)
    if journal.exists():
        raise RegistryError(
            f"{journal} is there: a `signsync reshard` was interrupted while it rewrote the registry "
            "files; run `signsync reshard` again to finish it (the journal holds every entry)"
        )
    return unchecked_shard_files(path)


def unchecked_shard_files(path: Path) -> list[tuple[int, Path]]:
    """The registry's files that exist, by shard number (whatever the journal says)."""
    found = [(1, path)] if path.is_file() else []
    part = re.compile(re.escape(path.stem) + r"\.part(\d{3,})" + re.escape(path.suffix))
    for p in path.parent.glob(f"{glob.escape(path.stem)}.part*{glob.escape(path.suffix)}"):
        m = part.fullmatch(p.name)
        if m and int(m.group(1)) > 1 and p.name == shard_path(path, int(m.group(1))).name:
            found.append((int(m.group(1)), p))
    return sorted(found)


GIT_HOST_WARN_BYTES = 50_000_000  # GitHub warns at 50 MB per file and refuses 100 MB


def check_registry_files(path: Path, state: State) -> None:
    """Stop when the registry's files are not what the state knows: the registry gone while the
    state lists published entries, a shard missing between two others, or fewer files than the
    last run wrote. Read as they are, the lost entries would come back as new signers, a
    withdrawn one published again, and editors' decisions gone."""
    files = shard_files(path)  # an interrupted reshard is named first: rerunning it mends the gap
    numbers = [n for n, _p in files]
    restore = "restore it from git (`git checkout -- {name}`, or from the last commit that held it)"
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        missing = [n for n in range(1, max(numbers) + 1) if n not in numbers]
        name = shard_path(path, missing[0]).name
        raise RegistryError(
            f"{name} is missing between the registry's other files ({', '.join(p.name for _n, p in files)}): "
            + restore.format(name=name)
            + "; signsync stops rather than take its entries for new signers"
        )
    published = state.published
    if not files and published:
        raise RegistryError(
            f"the registry {path.name} is missing, while {state_path_for(path).name} lists "
            f"{len(published)} published entries: "
            + restore.format(name=path.name)
            + "; to start a new registry on purpose, move the state file away too"
        )
    recorded = state.other.get("registry_files")
    if isinstance(recorded, int) and files and len(files) < recorded:
        name = shard_path(path, len(files) + 1).name
        raise RegistryError(
            f"the registry has {len(files)} file(s) but the last run wrote {recorded}: {name} is missing; "
            + restore.format(name=name)
            + "; signsync stops rather than take its entries for new signers"
        )


def size_warnings(path: Path) -> list[str]:
    """A line for each registry file too large for a git host (only `os.stat`: cheap)."""
    out = []
    for _n, p in unchecked_shard_files(path):
        try:
            size = p.stat().st_size
        except OSError:
            continue
        if size > GIT_HOST_WARN_BYTES:
            out.append(
                f"{p.name} is {size / 1e6:.1f} MB: git hosts warn at 50 MB per file and refuse 100 MB; "
                "run `signsync reshard` to split the registry into files of [registry] shard_rows "
                "entries (lower shard_rows if the files are still too large)"
            )
    return out


def registry_file_digests(path: Path) -> list[tuple[int, Path, str | None]]:
    """Each file of the registry at `path` (by shard number) with the digest of its bytes."""
    return [(n, p, file_digest(p)) for n, p in shard_files(path)]


def registry_digest(path: Path) -> str | None:
    """The digest of the registry's files as they are on disk (None: no registry yet): what the
    last apply recorded, and what a review names as the registry it was made from."""
    return registry_fingerprint([(p.name, sha) for _n, p, sha in registry_file_digests(path)])


def registry_fingerprint(shas: list[tuple[str, str | None]]) -> str | None:
    """One hash for the registry's files ((name, sha256) each, by shard number). A registry in
    one file keeps the plain hash of its text."""
    if len(shas) <= 1:
        return shas[0][1] if shas else None
    text = "".join(f"{name}\t{sha}\n" for name, sha in shas)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


# Every registry signsync ever wrote has these columns: a registry without one of them was
# damaged (a column deleted in a spreadsheet program), and running on it would blank that field
# for every signer. Columns added later (e.g. a decision date) are optional: old files lack them.
REQUIRED_COLUMNS = COLUMNS[:13]  # up to `generated`; `decided` and `domain_keys` came later
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{2,63}")
_HASH = re.compile(r"[0-9a-f]{16}")
_RESPONSE = re.compile(r"(?:[a-z]+-)?[0-9a-f]{16}")  # "manual-...": an entry `signsync add` made
_GENERATED = re.compile(r"[0-9a-f]{8}")
_EXAMPLE_HEADER = ",".join(COLUMNS)


def _problem(origin: str, line: int, column: int | None, header: list[str], text: str) -> str:
    where = f"{origin}:{line}"
    if column is not None:
        name = header[column] if column < len(header) else ""
        where += f": column {column + 1}" + (f" ({name})" if name else "")
    return f"{where}: {text}"


def _check_header(header: list[str], origin: str) -> dict[str, int]:
    """Column name -> index; a missing, blank-named-twice or doubled column is an error."""
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegistryError(
            f"{origin}:1: the header row lacks {', '.join(missing)}: put the column(s) back "
            f"(git checkout, or undo in the spreadsheet); an apply without them would blank "
            f"that field for every signer. The header reads: {_EXAMPLE_HEADER}"
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen and name in COLUMNS:
            raise RegistryError(
                f"{origin}:1: column {i + 1}: '{name}' appears twice in the header (also column "
                f"{seen[name] + 1}): delete one of the two columns"
            )
        seen.setdefault(name, i)
    return seen


def _check_row(row: list[str], cells: dict[str, str], width: int) -> list[tuple[int | None, str]]:
    """What is wrong with one data row: (column index or None, problem and fix)."""
    out: list[tuple[int | None, str]] = []
    if len(row) < width:
        out.append(
            (
                None,
                f"the row has {len(row)} cells but the header has {width}: it was cut short; "
                "restore it from git (or delete the row to drop that signer on purpose)",
            )
        )
        return out
    if len(row) > width and any(c.strip() for c in row[width:]):
        out.append(
            (
                width,
                f"the row has {len(row)} cells but the header has {width}: a value holds an "
                "unquoted comma or the row was shifted; fix the row (quote the value) or give "
                "the extra column a header",
            )
        )
    return out


def parse_registry(text: str, origin: str) -> tuple[Signatory, ...]:
    """Parse and check registry CSV text, one file at a time; every problem names the file,
    the line, the column and the fix. Columns are found by their header, so an editor may
    reorder them or add their own; a spreadsheet program's BOM and CRLF line ends are fine.

    Nothing is guessed: a registry with a missing column, a cut-short row or an unknown value
    is refused rather than read with blanks (which the next apply would write back)."""
    if not text.removeprefix("\ufeff").strip():
        raise RegistryError(
            f"{origin} is empty (not even its header row): restore it from git (`git checkout -- "
            f"{Path(origin).name}`, or the last commit that held it); to start a new registry on "
            "purpose, delete the file and its .state.json together"
        )
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        return _read_rows(reader, header, _check_header(header, origin), origin)
    except csv.Error as exc:
        raise RegistryError(
            f"{origin}:{reader.line_num}: not readable as CSV ({exc}): restore the file from git"
        ) from None


@dataclass(frozen=True, slots=True)
class Records:
    """A registry file split into its CSV records, not yet read into entries: `parse_registry`
    in two steps, so that the second (most of the work) can be done in pieces, in any process
    (the cache's bulk load, sync/cache/). `rows`: (number among the non-blank rows, the line
    before the row, the row's last line, its cells), blank rows left out as parse_registry
    leaves them out."""

    origin: str
    header: list[str]
    where: dict[str, int]
    rows: list[tuple[int, int, int, list[str]]]


def split_registry(text: str, origin: str) -> Records:
    """The records of registry CSV text, its header checked (`entries_of` reads them)."""
    if not text.removeprefix("\ufeff").strip():
        parse_registry(text, origin)  # raises: the file is empty
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows: list[tuple[int, int, int, list[str]]] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        where = _check_header(header, origin)
        line = reader.line_num
        for row in reader:
            before, line = line, reader.line_num
            if any(c.strip() for c in row):
                rows.append((len(rows), before, line, row))
    except csv.Error as exc:
        raise RegistryError(
            f"{origin}:{reader.line_num}: not readable as CSV ({exc}): restore the file from git"
        ) from None
    return Records(origin, header, where, rows)


class _Numbered:
    """Some of a file's records as `_read_rows` takes a csv.reader: the rows and their line
    numbers."""

    def __init__(self, rows: Sequence[tuple[int, int, int, list[str]]]) -> None:
        self.rows = rows
        self.line_num = rows[0][1] if rows else 0

    def __iter__(self) -> Any:
        for _n, _before, last, cells in self.rows:
            self.line_num = last
            yield cells


def entries_of(records: Records, rows: Sequence[tuple[int, int, int, list[str]]]) -> tuple[Signatory, ...]:
    """These rows of `records` (a slice of its rows, one entry each), checked as
    `parse_registry` checks them; an id seen twice is found within the rows given only."""
    return _read_rows(_Numbered(rows), records.header, records.where, records.origin)


_LINE_HEADER = list(COLUMNS + OPTIONAL_COLUMNS)


def parse_registry_lines(lines: Iterable[str], origin: str = "cache") -> tuple[Signatory, ...]:
    """Lines as `dump_line` writes them with every optional column (the cache keeps these)
    back into entries, checked as `parse_registry` checks a file's rows; no header to parse."""
    reader = csv.reader(lines)  # one record per item: a quoted line break stays in its item
    try:
        return _read_rows(reader, _LINE_HEADER, _line_where(origin), origin)
    except csv.Error as exc:
        raise RegistryError(f"{origin}:{reader.line_num}: not readable as CSV ({exc})") from None


@lru_cache(maxsize=4)
def _line_where(origin: str) -> dict[str, int]:
    return _check_header(_LINE_HEADER, origin)


def _read_rows(reader: Any, header: list[str], where: dict[str, int], origin: str) -> tuple[Signatory, ...]:
    """The rows after the header (a csv.reader), checked; every problem names its line."""
    width = len(header)
    out: list[Signatory] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    line = reader.line_num
    for row in reader:
        first_line, line = line + 1, reader.line_num
        if not any(c.strip() for c in row):
            continue
        cells = {
            c: row[where[c]].strip() if where.get(c, width) < len(row) else ""
            for c in COLUMNS + OPTIONAL_COLUMNS
        }
        found = _check_row(row, cells, width)
        if not found:
            found = _check_values(cells, where, seen, first_line)
        if found:
            problems += [_problem(origin, first_line, col, header, msg) for col, msg in found]
            continue
        seen[cells["id"]] = first_line
        out.append(_signatory(cells))
    if problems:
        more = f" (and {len(problems) - 1} more problem(s) in this file)" if len(problems) > 1 else ""
        raise RegistryError(problems[0] + more)
    return tuple(out)


def _check_consent(cells: dict[str, str], where: dict[str, int]) -> list[tuple[int | None, str]]:
    out: list[tuple[int | None, str]] = []
    sid = cells["id"]
    consent = cells["consent"]
    if consent and consent not in CONSENT_STATES:
        out.append(
            (
                where["consent"],
                f"consent '{consent}' for {sid} is not one of {', '.join(CONSENT_STATES)} (or empty for a "
                "yes): restore the cell from git",
            )
        )
    if consent and cells["status"] == "published":
        out.append(
            (
                where["status"],
                f"{sid} is published but its consent is '{consent}': only the signer's yes publishes it; "
                "restore the row from git",
            )
        )
    return out


def _check_values(
    cells: dict[str, str], where: dict[str, int], seen: dict[str, int], line: int
) -> list[tuple[int | None, str]]:
    out: list[tuple[int | None, str]] = []
    sid = cells["id"]
    if not sid:
        out.append((where["id"], "a row without an id: give it back its id (git) or delete the row"))
    elif not _ID.fullmatch(sid):
        out.append((where["id"], f"'{sid}' is not an id (like s-3f2a9c01bd): restore it from git"))
    elif sid in seen:
        out.append((where["id"], f"id {sid} appears twice (also line {seen[sid]}): keep one of the rows"))
    if cells["status"] not in STATUSES:
        out.append(
            (where["status"], f"status '{cells['status']}' for {sid} is not one of {', '.join(STATUSES)}")
        )
    if cells["kind"] not in KINDS:
        out.append((where["kind"], f"kind '{cells['kind']}' for {sid} is not one of {', '.join(KINDS)}"))
    consent = cells["consent"]
    out += _check_consent(cells, where)
    if not cells["name"] and cells["status"] in ("published", "pending") and not consent:
        out.append(
            (
                where["name"],
                f"{sid} is {cells['status']} but has no name: write the name, or reject the entry",
            )
        )
    for column in ("responses", "email_keys", "domain_keys", "name_keys"):
        pattern = _RESPONSE if column == "responses" else _HASH
        bad = [t for t in cells[column].split() if not pattern.fullmatch(t)]
        if bad:
            out.append(
                (
                    where[column],
                    f"'{bad[0]}' is not a {column[:-1].replace('_', ' ')} hash (16 hex digits, "
                    "space-separated): restore the cell from git (a spreadsheet program may have "
                    "turned it into a number)",
                )
            )
    pin = cells["pin"]
    if pin and not (pin.isascii() and pin.isdigit()):
        out.append(
            (
                where["pin"],
                f"pin '{pin}' for {sid} is not a whole number: set it with `signsync pin {sid} "
                f"--position N`, or clear it with `signsync unpin {sid}`",
            )
        )
    if cells["generated"] and not _GENERATED.fullmatch(cells["generated"]):
        out.append(
            (
                where["generated"],
                f"'{cells['generated']}' is not a checksum (8 hex digits): restore it from git, or "
                "empty the cell to mark the row as edited by hand",
            )
        )
    return out


def _signatory(cells: dict[str, str]) -> Signatory:
    # A registry from before the `consent` column: the state is read from status and reason
    # (the next write seals what it must, sync/store/privacy.py).
    consent = cells["consent"] or legacy_consent(cells["status"], cells["reason"])
    return Signatory(
        cells["id"],
        cast(Status, cells["status"]),  # checked against STATUSES
        cast(Kind, cells["kind"]),  # checked against KINDS
        _cell_in(cells["name"]),
        _cell_in(cells["affiliation"]),
        _cell_in(cells["sort_as"]),
        cells["signed"],
        _cell_in(cells["typed"]),
        _split(cells["flags"], ";") if cells["flags"] else (),
        _cell_in(cells["reason"]),
        tuple(cells["responses"].split()),
        tuple(cells["email_keys"].split()),
        cells["generated"],
        cells["decided"],
        tuple(cells["domain_keys"].split()),
        pin=int(cells["pin"] or 0),
        note=_cell_in(cells["note"]),
        confirmed=cells["confirmed"],
        consent=consent,
        private=cells["private"],
        name_keys=tuple(cells["name_keys"].split()),
    )


def registry_order(signatories: Sequence[Signatory]) -> list[Signatory]:
    """File order: by first signature, then id. New signers land at the end of the file."""
    return sorted(signatories, key=lambda s: (s.signed or "~", s.id))


def registry_key(s: Signatory) -> tuple[str, str]:
    """The sort key of registry order."""
    return (s.signed or "~", s.id)


def _optional_cell(s: Signatory, column: str) -> str:
    if column == "pin":
        return str(s.pin) if s.pin else ""
    if column == "name_keys":
        return " ".join(s.name_keys)
    return _cell_out(str(getattr(s, column)))


def _row(s: Signatory, optional: Sequence[str] = ()) -> tuple[str, ...]:
    s = without_private_text(s)  # whatever the caller holds, no private text in clear
    extra = [_optional_cell(s, c) for c in optional]
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


def read_registry_file(path: Path) -> tuple[str | None, tuple[Signatory, ...]]:
    """One registry file (the registry, or one of its shards): its text and its entries,
    checked. A missing file is an empty one."""
    text = read_text_or_none(path, "[registry] path")
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
    state, state_text = State.load(path)
    return Registry(path, signatories, state, text, state_text, tuple(shards))


def write_registry(
    registry: Registry, signatories: Sequence[Signatory], shard_rows: int = SHARD_ROWS
) -> None:
    """Write `signatories` back over `registry` (an editor's command): each entry in its shard,
    only the files that change."""
    from sync.support.files import atomic_write_text

    layout = assign_shards(signatories, registry.shard_of(), shard_rows=shard_rows)
    texts = {sh.number: sh.text for sh in registry.shards}
    for number in sorted(set(layout) | set(texts)):
        after = dump_registry(layout.get(number, []))
        if after != texts.get(number):
            atomic_write_text(shard_path(registry.path, number), after)
