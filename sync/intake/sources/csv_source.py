"""Read responses from a CSV file: a CSV saved from the response sheet, or the Form's
"Download responses (.csv)", as spreadsheet programs write it in any locale: the separator
(`,` `;` or tab) is read from the header row, a byte-order mark and CRLF line ends are fine.
Cells stay strings; nothing is guessed."""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

from sync.errors import SourceError
from sync.intake.sources.answers import AnswerPool
from sync.model import ResponseTable, SourceRow
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
    text = text.removeprefix("\ufeff")
    sep = sniff_separator(text)
    with collector_paused():  # a row object per line, long-lived, no reference cycles
        return _parse(text, sep, origin)


def _parse(text: str, sep: str, origin: str) -> ResponseTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader, None)
        if header is None or not any(c.strip() for c in header):
            raise SourceError(
                f"{origin}: no header row: the first line must hold the question titles "
                "(export the responses again, with headers)"
            )
        headers = tuple(header)
        data: list[SourceRow] = []
        rejected: list[str] = []
        answers = AnswerPool(len(headers))
        # Rows are taken one at a time (never a second full copy of the file's cells); each is
        # kept once the next one is read, as only the last row may be a cut-off one.
        last: list[str] | None = None
        count = 1
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
            rejected.insert(  # said first, as before the other rows' reasons
                0,
                f"{origin}: row {count} left out: it has {len(last)} of {len(headers)} cells and "
                "the file ends there, as if it was cut off; export the responses again",
            )
        else:
            _add_row(data, rejected, last, count, headers, origin, answers)
    read_path = "full read (CSV)" if sep == "," else f"full read (CSV separated by {sep!r})"
    return ResponseTable(
        origin=origin, headers=headers, rows=tuple(data), read_path=read_path, rejected=tuple(rejected)
    )


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


def read_csv(path: Path) -> ResponseTable:
    """Read a responses CSV; a clear error when it is missing, unreadable or not UTF-8."""
    raw = read_bytes_or_none(path, "[source] path")
    if raw is None:
        raise SourceError(
            f"no responses file at {path}: download it from the form (Responses > "
            "Download responses (.csv)) or fix [source] path"
        )
    if raw.startswith(b"PK\x03\x04"):
        return _read_zip(raw, path)
    return parse_csv_text(decode_utf8(raw, path, "[source] path"), path.name)


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
