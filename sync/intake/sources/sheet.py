"""Read form responses from the live Google Sheet (gspread 6 + google-auth service account).

A normal run sends three requests: one token request, one spreadsheets.get (metadata: tabs,
grid size, locale, time zone) and one values:batchGet holding the header row and the data rows
together. Sheets larger than ``chunk_rows`` are read in bounded chunks (one more request each).

Incremental reads: the cursor (``{"spreadsheet", "sheet_id", "rows", "tail"}``, plain JSON)
remembers how many rows were read (``rows``: the sheet row number of the last row, header =
row 1) and a SHA-256 ``tail`` of the last ``overlap_rows`` rows. The
next run reads from row ``rows - overlap + 1`` on; when those rows still hash to ``tail`` only
the rows after them are returned, otherwise (rows deleted, sorted or edited near the end) it
falls back to a full read. An edit *above* the overlap is not seen by an incremental read; a
full read (cursor None) sees everything.

Credentials live in google_credentials.py, the connection and its retries in sheets_client.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sync.config import Config
from sync.errors import SheetError
from sync.intake.sources.answers import AnswerPool
from sync.intake.sources.google_credentials import load_service_account
from sync.intake.sources.sheets_client import SheetsConnection, Sleep, quote_title, spreadsheet_key
from sync.model import ResponseTable, SourceRow

MAX_CHUNK_REQUESTS = 50  # values requests of a full read: under 60 reads a minute with the rest

# The tab a Google Form writes to, in the languages Forms names it in ("Form Responses 1").
_FORM_TAB = re.compile(
    r"^(form responses|respuestas de formulario|r[ée]ponses au formulaire|formularantworten"
    r"|risposte del modulo|respostas ao formul[áa]rio|formulierreacties|odpowiedzi z formularza"
    r"|formulärsvar|svar på skjema|formularsvar|lomakkeen vastaukset|ответы на форму"
    r"|フォームの回答|表单回复|表單回應|설문지 응답|yanıtlar) ?\d*$",
    re.IGNORECASE,
)


def fingerprint_rows(rows: Sequence[Sequence[str]]) -> str:
    """SHA-256 of rows' cells (trailing empty cells ignored, as the API trims them)."""
    trimmed = [_trim(row) for row in rows]
    data = json.dumps(trimmed, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _trim(row: Sequence[str]) -> list[str]:
    cells = list(row)
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def choose_worksheet(sheets: Sequence[dict[str, Any]], wanted: str | None) -> dict[str, Any]:
    """The tab to read: the configured one, else the form's "Form Responses 1", else the first.

    ``sheets`` are spreadsheets.get's ``sheets[].properties``.
    """
    titles = [s["title"] for s in sheets]
    if wanted:
        for props in sheets:
            if props["title"] == wanted:
                return props
        for props in sheets:
            if props["title"].casefold() == wanted.casefold():
                return props
        raise SheetError(
            f"no tab named '{wanted}' in the spreadsheet (tabs: {list_titles(titles)})",
            "fix [source] worksheet, or remove it to use the form's response tab",
        )
    grid = [s for s in sheets if s.get("sheetType", "GRID") == "GRID"]
    for props in grid:
        if _FORM_TAB.match(props["title"].strip()):
            return props
    if not grid:
        raise SheetError(
            f"the spreadsheet has no grid tab (tabs: {list_titles(titles)})",
            "set [source] spreadsheet to the form's response sheet",
        )
    return grid[0]


def list_titles(titles: Sequence[str]) -> str:
    """Tab titles for a message: 'A', 'B' (or none)."""
    return ", ".join(f"'{t}'" for t in titles) or "none"


@dataclass(frozen=True, slots=True)
class _Tab:
    spreadsheet: str
    title: str
    sheet_id: int
    row_count: int


def _rows_from(value_range: dict[str, Any], first_row: int, answers: AnswerPool) -> list[SourceRow]:
    rows = []
    for offset, cells in enumerate(value_range.get("values", [])):
        rows.append(SourceRow(first_row + offset, answers.shared([str(c) for c in cells])))
    return rows


def _read_rows(
    conn: SheetsConnection, key: str, tab: _Tab, start: int, chunk_rows: int
) -> tuple[tuple[str, ...], list[SourceRow]]:
    """The header row and the rows from ``start`` to the end of the grid.

    One values:batchGet holds the header row and the first chunk; each further chunk of
    ``chunk_rows`` rows is one more request.
    """
    title = quote_title(tab.title)
    header_range = f"{title}!1:1"
    ranges = [header_range]
    end = min(start + chunk_rows - 1, tab.row_count)
    if start <= tab.row_count:
        ranges.append(f"{title}!{start}:{end}")
    answers = conn.values(key, ranges)
    header_values = answers[0].get("values", [[]])
    headers = tuple(str(c) for c in header_values[0]) if header_values else ()
    pool = AnswerPool(len(headers))
    rows = _rows_from(answers[1], start, pool) if len(answers) > 1 else []
    next_start = end + 1
    while start <= tab.row_count and next_start <= tab.row_count:
        end = min(next_start + chunk_rows - 1, tab.row_count)
        (answer,) = conn.values(key, [f"{title}!{next_start}:{end}"])
        rows.extend(_rows_from(answer, next_start, pool))
        next_start = end + 1
    # The API trims trailing empty rows; blank rows inside stay (as empty rows).
    while rows and not any(rows[-1].cells):
        rows.pop()
    return headers, rows


def _cursor(
    tab: _Tab, rows: list[SourceRow], previous_last: int, overlap: int, previous_tail: list[SourceRow]
) -> dict[str, Any]:
    """The bookmark after a read: last row read, and the hash of the last ``overlap`` rows."""
    known = {r.number: r for r in previous_tail}
    known.update({r.number: r for r in rows})
    last = max([previous_last, *known]) if known else previous_last
    first = max(2, last - overlap + 1)
    tail_cells = [known[n].cells if n in known else () for n in range(first, last + 1)]
    return {
        "spreadsheet": tab.spreadsheet,
        "sheet_id": tab.sheet_id,
        "rows": last,
        "tail": fingerprint_rows(tail_cells),
    }


def read_sheet(config: Config, cursor: dict[str, Any] | None, *, sleep: Sleep = time.sleep) -> ResponseTable:
    """Read the response sheet: the header row and the rows after ``cursor`` (all when None).

    Returns the new cursor in ``ResponseTable.cursor`` and says in ``read_path`` whether the read
    was incremental or full, and why. ``sleep`` is the wait between retries (tests shorten it).
    """
    source = config.source
    key = spreadsheet_key(source.spreadsheet or "")
    conn = SheetsConnection(config, load_service_account(config), sleep=sleep)
    conn.authorize()
    meta = conn.metadata(key)
    props = choose_worksheet([s["properties"] for s in meta["sheets"]], source.worksheet)
    tab = _Tab(
        key, props["title"], int(props["sheetId"]), int(props.get("gridProperties", {}).get("rowCount", 0))
    )
    overlap = max(0, source.overlap_rows)
    # Google allows 60 read requests a minute per user: a full read of the largest sheet (10M
    # cells, ~1.4M responses) takes bigger chunks rather than more requests than that.
    chunk_rows = max(1, source.chunk_rows, -(-tab.row_count // MAX_CHUNK_REQUESTS))
    spreadsheet_props = meta.get("properties", {})
    origin = f"Google Sheet '{spreadsheet_props.get('title', key)}', tab '{tab.title}'"

    reason = _why_full(cursor, tab)
    if reason is None and cursor is not None:
        table = _read_incremental(conn, key, tab, cursor, overlap, chunk_rows, origin, spreadsheet_props)
        if table is not None:
            return table
        reason = f"the sheet changed at or above row {cursor['rows']} (rows deleted, sorted or edited)"
    headers, rows = _read_rows(conn, key, tab, 2, chunk_rows)
    new_cursor = _cursor(tab, rows, 1, overlap, [])
    return _table(origin, headers, rows, f"full read: {reason}", new_cursor, spreadsheet_props)


def _read_incremental(
    conn: SheetsConnection,
    key: str,
    tab: _Tab,
    cursor: dict[str, Any],
    overlap: int,
    chunk_rows: int,
    origin: str,
    props: dict[str, Any],
) -> ResponseTable | None:
    """The rows after the cursor, when the overlap rows still hash to the cursor's tail;
    None when they do not (the caller then reads everything)."""
    last = int(cursor["rows"])
    start = max(2, last - overlap + 1)
    headers, rows = _read_rows(conn, key, tab, start, chunk_rows)
    by_number = {r.number: r for r in rows}
    overlap_rows = [by_number[n] for n in range(start, last + 1) if n in by_number]
    overlap_cells = [by_number[n].cells if n in by_number else () for n in range(start, last + 1)]
    if fingerprint_rows(overlap_cells) != cursor["tail"]:
        return None
    new = [r for r in rows if r.number > last]
    checked = f"overlap of {last - start + 1} verified" if last >= start else "no overlap checked"
    span = f"rows {new[0].number}-{new[-1].number}" if new else f"no rows after {last}"
    new_cursor = _cursor(tab, new, last, overlap, overlap_rows)
    return _table(origin, headers, new, f"incremental: {span} ({checked})", new_cursor, props)


def _why_full(cursor: dict[str, Any] | None, tab: _Tab) -> str | None:
    """Why the read must be full (None: an incremental read may be tried)."""
    if not cursor:
        return "first run"
    if cursor.get("spreadsheet") != tab.spreadsheet:
        return "reading a different spreadsheet than last time"
    if cursor.get("sheet_id") != tab.sheet_id:
        return f"reading a different tab than last time ('{tab.title}')"
    rows, tail = cursor.get("rows"), cursor.get("tail")
    if not isinstance(rows, int) or isinstance(rows, bool) or not isinstance(tail, str):
        return "the saved cursor is not one this version wrote"
    if rows < 2:
        return "no responses were read last time"
    if rows > tab.row_count:
        return f"the sheet now has fewer rows than the {rows} read last time (rows deleted)"
    return None


def _table(
    origin: str,
    headers: tuple[str, ...],
    rows: list[SourceRow],
    read_path: str,
    cursor: dict[str, Any],
    props: dict[str, Any],
) -> ResponseTable:
    if not any(h.strip() for h in headers):
        raise SheetError(
            f"{origin}: the header row (row 1) is empty",
            "the tab must start with the question titles: set [source] worksheet to the form's response tab",
        )
    return ResponseTable(
        origin=origin,
        headers=headers,
        rows=tuple(rows),
        read_path=read_path,
        cursor=cursor,
        locale=props.get("locale"),
        time_zone=props.get("timeZone"),
    )
