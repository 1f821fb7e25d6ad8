"""Read responses from a CSV file: a CSV saved from the response sheet, or the Form's
"Download responses (.csv)". Cells stay strings; nothing is guessed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sync.errors import SourceError
from sync.model import ResponseTable, SourceRow


def parse_csv_text(text: str, origin: str) -> ResponseTable:
    """Parse CSV text (header row first) into a ResponseTable."""
    text = text.removeprefix("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise SourceError(f"{origin}: not a readable CSV ({exc}): export it again") from exc
    if not rows or not any(c.strip() for c in rows[0]):
        raise SourceError(
            f"{origin}: no header row: the first line must hold the question titles "
            "(export the responses again, with headers)"
        )
    headers = tuple(rows[0])
    data = tuple(SourceRow(number=i + 2, cells=tuple(r)) for i, r in enumerate(rows[1:]))
    return ResponseTable(origin=origin, headers=headers, rows=data, read_path="full read (CSV)")


def read_csv(path: Path) -> ResponseTable:
    """Read a responses CSV; a clear error when it is missing or not UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(
            f"no responses file at {path}: download it from the form (Responses > "
            "Download responses (.csv)) or fix [source] path"
        ) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 (byte {exc.start}): save it again as UTF-8 CSV") from exc
    return parse_csv_text(text, path.name)
