"""Read responses from a CSV file: a CSV saved from the response sheet, or the Form's
"Download responses (.csv)", as spreadsheet programs write it in any locale: the separator
(`,` `;` or tab) is read from the header row, a byte-order mark and CRLF line ends are fine.
Cells stay strings; nothing is guessed.

Incremental reads: the cursor (plain JSON, in the registry's state) remembers how many bytes
and rows were read (``bytes``; ``rows``: the number of the last row read, header = row 1), whether
the file ended without a line break there (``open``), the SHA-256 of those bytes (which hold the
last rows read), and what a full read says of those rows (``rejected``; the plan adds
``responses``, ``blank`` and ``unparsed``). It holds only for the registry, config and version
the last apply recorded (sync/operations/plan.py checks). The next run hashes the file's first
``bytes`` bytes (no parsing): when they are unchanged, only the rows after them are parsed, and
the plan counts the earlier ones as a full read would. A file saved again with rows sorted,
deleted or edited (or another file) gives another hash, and then a full read; so does a registry
or config changed since.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sync.errors import SourceError
from sync.intake.sources.answers import AnswerPool
from sync.model import EarlierRows, ResponseTable, SourceRow
from sync.support.files import decode_utf8, read_bytes_or_none
from sync.support.workers import collector_paused

SEPARATORS = (",", ";", "\t")
# A Google Sheets cell holds at most 50,000 characters; a longer cell is not a form answer.
# Python's csv module stops the whole file at 131,072: read past it, reject just that row.
CELL_LIMIT = 131_072

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def sniff_separator(text: str) -> str:
    """The separator that splits the header row into the most cells (a tie: the comma)."""
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]  # old Macs end lines with CR alone
    counts = {sep: _cells(first, sep) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: (counts[sep], sep == ","))


def _cells(line: str, sep: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=sep), []))
    except csv.Error:  # a quote left open on the header line: the full parse says so
        return 0


def parse_csv_text(text: str, origin: str) -> ResponseTable:
    """Parse CSV text (header row first) into a ResponseTable. A row with a cell over
    CELL_LIMIT characters is left out, with its reason in `rejected`."""
    return _parse_all(text, origin).table


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A parse and where it ended: the number of the last row read (header = 1), and whether
    the text's last row was left out as cut off (then it must be read again)."""

    table: ResponseTable
    last: int
    cut_off: bool
    sep: str


def _parse_all(text: str, origin: str) -> _Parsed:
    text = text.removeprefix("\ufeff")
    sep = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise SourceError(f"{origin}: not a readable CSV ({exc}): export it again") from exc
    if header is None or not any(c.strip() for c in header):
        raise SourceError(
            f"{origin}: no header row: the first line must hold the question titles "
            "(export the responses again, with headers)"
        )
    headers = tuple(header)
    with collector_paused():  # a row object per line, long-lived, no reference cycles
        rows, rejected, last, cut_off = _parse_rows(reader, text, headers, 1, origin)
    read_path = "full read (CSV)" if sep == "," else f"full read (CSV separated by {sep!r})"
    table = ResponseTable(origin=origin, headers=headers, rows=rows, read_path=read_path, rejected=rejected)
    return _Parsed(table, last, cut_off, sep)


def _parse_rows(
    reader: Any, text: str, headers: tuple[str, ...], count: int, origin: str
) -> tuple[tuple[SourceRow, ...], tuple[str, ...], int, bool]:
    """The rows `reader` gives, numbered from `count` + 1 on; the rows left out with their
    reasons; the number of the last row; whether that last row was cut off (left out)."""
    data: list[SourceRow] = []
    rejected: list[str] = []
    answers = AnswerPool(len(headers))
    cut_off = False
    try:
        # Rows are taken one at a time (never a second full copy of the file's cells); each is
        # kept once the next one is read, as only the last row may be a cut-off one.
        last: list[str] | None = None
        for r in reader:
            if last is not None:
                _add_row(data, rejected, last, count, headers, origin, answers)
            last = r
            count += 1
    except csv.Error as exc:
        raise SourceError(f"{origin}: not a readable CSV ({exc}): export it again") from exc
    if last is not None:
        if len(last) < len(headers) and not text.endswith(("\n", "\r")):
            # A spreadsheet writes every cell of every row: a last row short of cells, with no
            # line break after it, is a file cut off mid-row. Its missing cells are not empty answers.
            cut_off = True
            rejected.insert(  # said first, as before the other rows' reasons
                0,
                f"{origin}: row {count} left out: it has {len(last)} of {len(headers)} cells and "
                "the file ends there, as if it was cut off; export the responses again",
            )
        else:
            _add_row(data, rejected, last, count, headers, origin, answers)
    return tuple(data), tuple(rejected), count, cut_off


def _add_row(
    data: list[SourceRow],
    rejected: list[str],
    r: list[str],
    number: int,
    headers: tuple[str, ...],
    origin: str,
    answers: AnswerPool,
) -> None:
    """Row `number` (the header is row 1) into `data`, or its reason into `rejected`."""
    long = [j for j, c in enumerate(r) if len(c) > CELL_LIMIT]
    if long:
        j = long[0]
        column = headers[j] if j < len(headers) else f"column {j + 1}"
        rejected.append(
            f"{origin}: row {number} left out: its cell in '{column}' holds {len(r[j]):,} characters "
            f"(the limit is {CELL_LIMIT:,}); shorten it in the sheet and export again"
        )
        return
    data.append(SourceRow(number=number, cells=answers.shared(r)))


def read_csv(path: Path, cursor: dict[str, Any] | None = None) -> ResponseTable:
    """Read a responses CSV, only the rows after `cursor` when the bytes it read are unchanged
    (see the module docstring); a clear error when it is missing, unreadable or not UTF-8."""
    raw = read_bytes_or_none(path, "[source] path")
    if raw is None:
        raise SourceError(
            f"no responses file at {path}: download it from the form (Responses > "
            "Download responses (.csv)) or fix [source] path"
        )
    if raw.startswith(b"PK\x03\x04"):
        return _read_zip(raw, path)  # compressed: read whole every time
    reason = ""
    if cursor is not None:
        new = _read_new(raw, path.name, cursor)
        if isinstance(new, ResponseTable):
            return new
        reason = new
    parsed = _parse_all(decode_utf8(raw, path, "[source] path"), path.name)
    table = parsed.table
    if reason:
        table = replace(table, read_path=f"{table.read_path}: {reason}")
    if parsed.cut_off:
        return table  # the cut-off row is read again next time: no cursor past it
    return replace(table, cursor=_cursor(raw, path.name, parsed.last, parsed.sep, table.rejected))


def _cursor(raw: bytes, name: str, last: int, sep: str, rejected: tuple[str, ...]) -> dict[str, Any]:
    return {
        "file": name,
        "bytes": len(raw),
        "rows": last,
        "open": not raw.endswith((b"\n", b"\r")),
        "sep": sep,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "rejected": list(rejected),
    }


def _read_new(raw: bytes, name: str, cursor: dict[str, Any]) -> ResponseTable | str:
    """The rows after the cursor, or why the whole file must be read."""
    size, rows, sep = cursor.get("bytes"), cursor.get("rows"), cursor.get("sep")
    if "file" not in cursor:
        return "the saved cursor is another source's"
    if isinstance(cursor.get("stale"), str):
        return str(cursor["stale"])
    if cursor.get("file") != name:
        return "reading a different file than last time"
    if (
        not isinstance(size, int)
        or not isinstance(rows, int)
        or isinstance(rows, bool)
        or sep not in SEPARATORS
        or not isinstance(cursor.get("sha256"), str)
        or not isinstance(cursor.get("rejected"), list)
        or not all(isinstance(cursor.get(k), int) for k in ("responses", "blank", "unparsed"))
    ):
        return "the saved cursor is not one this version wrote"
    if len(raw) < size:
        return f"the file is shorter than the {size:,} bytes read last time (rows deleted?)"
    if hashlib.sha256(memoryview(raw)[:size]).hexdigest() != cursor["sha256"]:
        return f"the file changed at or above row {rows} (rows deleted, sorted or edited)"
    rest = raw[size:]
    if raw[:size].endswith(b"\r") and rest.startswith(b"\n"):
        rest = rest[1:]  # the rest of a CR LF line break cut after its CR
    elif cursor.get("open") and rest:
        # The last row read had no line break after it: the new rows start after one.
        brk = 2 if rest.startswith(b"\r\n") else 1 if rest.startswith((b"\n", b"\r")) else 0
        if not brk:
            return f"row {rows}, the last one read, was extended"
        rest = rest[brk:]
    try:
        text = rest.decode("utf-8")
    except UnicodeDecodeError:
        return "the new rows are not UTF-8"
    # The header, as the full read sees it: the first line of the unchanged bytes.
    head = raw[: min(size, 1 << 20)].decode("utf-8", errors="replace").removeprefix("\ufeff")
    header = next(csv.reader(io.StringIO(head, newline=""), delimiter=sep), [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    with collector_paused():
        new, rejected, last, cut_off = _parse_rows(reader, text, tuple(header), rows, name)
    end = last - 1 if cut_off else last  # a cut-off row is not read: it is read again next time
    span = f"rows {rows + 1}-{end}" if end > rows else f"no rows after {rows}"
    before = tuple(str(r) for r in cursor["rejected"])
    # In a full read's order: a cut-off last row is said first, then the rows left out in order.
    said = (*rejected[:1], *before, *rejected[1:]) if cut_off else (*before, *rejected)
    table = ResponseTable(
        origin=name,
        headers=tuple(header),
        rows=new,
        read_path=f"incremental (CSV): {span} (rows 1-{rows} unchanged, by their SHA-256)",
        rejected=said,
        earlier=EarlierRows(cursor["responses"], cursor["blank"], cursor["unparsed"]),
    )
    if cut_off:
        # The cut-off row is read again next time, and the rows before it: the cursor stays
        # where it was ("again": what this read found is not counted in it).
        kept = {k: v for k, v in cursor.items() if k != "stale"}
        return replace(table, cursor={**kept, "again": True})
    return replace(table, cursor=_cursor(raw, name, last, sep, (*before, *rejected)))


def _read_zip(raw: bytes, path: Path) -> ResponseTable:
    """The form's own "Download responses" (`<form title>.csv.zip`): the one CSV inside it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = [
            n
            for n in archive.namelist()
            if n.lower().endswith(".csv") and not n.endswith("/") and not n.startswith("__MACOSX/")
        ]
        if len(names) != 1:
            found = ", ".join(names) if names else "none"
            raise SourceError(
                f"{path}: a zip archive holding {len(names)} CSV files ({found}), not the one the "
                'form\'s "Download responses" gives: unzip the responses CSV and set [source] path to it'
            )
        data = archive.read(names[0])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise SourceError(
            f"{path}: a damaged zip archive ({exc}): download the responses from the form again"
        ) from exc
    origin = f"{path.name} ({names[0]})"
    return parse_csv_text(decode_utf8(data, origin, "[source] path"), origin)
