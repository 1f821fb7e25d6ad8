"""A local emulator of the Google Sheets API v4 (read side) and Google's OAuth token endpoint.

Real gspread + google-auth talk to it over real HTTP on 127.0.0.1, so the sheet source is tested
without a Google account and without mocks. It answers what Google answers (held to recorded
answers by tests/integration/test_emulator_conformance.py):

- ``POST /token``: the JWT-bearer grant google-auth's service-account credentials send. The RS256
  signature is verified against the service account's registered public key; a bad signature
  gets Google's ``400 {"error": "invalid_grant", ...}``.
- ``GET /v4/spreadsheets/{key}``: spreadsheets.get metadata.
- ``GET /v4/spreadsheets/{key}/values/{range}`` and ``GET .../values:batchGet?ranges=..``:
  Google's A1 parsing (quoted titles, ``A2:F``, ``2:5``, whole-sheet titles), trimming of
  trailing empty cells and rows, clipping to the grid, ``values`` left out for an empty range,
  ``valueRenderOption`` (FORMATTED_VALUE, UNFORMATTED_VALUE, FORMULA), ``dateTimeRenderOption``.
- Google's error bodies for 400/401/403/404/429/500/503; a per-spreadsheet ACL (which
  client_email may read) gives real 403s.
- A request log (``emu.log``) and fault injection (``emu.fail_next("values", "429", times=3)``).

Try the sheet path by hand, without a Google account (from the repository root)::

    python -m tests.support.sheets_emulator --csv responses.csv --key /tmp/test-key.json --port 8765
    # prints the spreadsheet key (default: emulated-sheet) and keeps serving until Ctrl-C

    # in another shell, beside a signsync.toml:
    export GOOGLE_APPLICATION_CREDENTIALS=/tmp/test-key.json
    export NO_PROXY=127.0.0.1,localhost

    # signsync.toml
    [source]
    kind = "sheet"
    spreadsheet = "emulated-sheet"
    api_endpoint = "http://127.0.0.1:8765"

    signsync doctor        # then: signsync plan

The key file's ``token_uri`` points at the emulator, which trusts only that key. Add
``--deny`` to see the 403 a sheet not shared with the service account gives.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import re
import secrets
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
DEFAULT_CLIENT_EMAIL = "signsync-test@emulated.iam.gserviceaccount.com"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
READ_SCOPES = frozenset(
    {
        "https://www.googleapis.com/auth/spreadsheets.readonly",
        "https://www.googleapis.com/auth/spreadsheets",
        "https://www.googleapis.com/auth/drive.readonly",
        "https://www.googleapis.com/auth/drive",
        "https://www.googleapis.com/auth/drive.file",
    }
)

# What spreadsheets.get returns for a new spreadsheet (copied from the recorded answers).
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
DEFAULT_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": t, "color": {"rgbColor": c}} for t, c in _THEME_COLORS],
}

# Google's error texts.
STATUS_TEXT = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
MESSAGES = {
    401: (
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project."
    ),
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    429: (
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per "
        "user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'."
    ),
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}
MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)

VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATETIME_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")
MAJOR_DIMENSIONS = ("ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED")
# Query parameters every Google API accepts (system parameters).
SYSTEM_PARAMS = {
    "$.xgafv",
    "alt",
    "callback",
    "fields",
    "key",
    "prettyPrint",
    "quotaUser",
    "access_token",
    "upload_protocol",
    "uploadType",
}

# Fault kinds for fail_next(); see SheetsEmulator.fail_next.
FAULT_KINDS = (
    "429",
    "429-retry-after",
    "400",
    "401",
    "403",
    "404",
    "500",
    "503",
    "slow",
    "reset",
    "malformed",
    "invalid_grant",
)
# Short names for the endpoints, usable as fail_next patterns and in RequestRecord.kind.
ENDPOINT_PATTERNS = {
    "token": r"^/token$",
    "metadata": r"^/v4/spreadsheets/[^/:]+$",
    "values": r"^/v4/spreadsheets/[^/]+/values[/:]",
}


# ---------------------------------------------------------------- cells and A1 notation


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell with more than a plain value: a formula, or a date shown as text.

    ``value`` is the effective (unformatted) value: str, int, float or bool. ``formatted`` is
    the text shown in the sheet when it differs from the default rendering of ``value``;
    ``is_date`` marks a date/time serial number (dateTimeRenderOption applies).
    """

    value: str | int | float | bool
    formatted: str | None = None
    formula: str | None = None
    is_date: bool = False


CellValue = str | int | float | bool | Cell | None


def _number_text(value: int | float) -> str:
    """Google's default ("automatic") rendering of a number."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _json_number(value: int | float) -> int | float:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def render_cell(cell: CellValue, value_render: str, datetime_render: str) -> Any:
    """One cell as the values API returns it for the given render options."""
    if cell is None:
        return ""
    if not isinstance(cell, Cell):
        cell = Cell(cell)
    if value_render == "FORMULA" and cell.formula:
        return cell.formula
    if value_render == "FORMATTED_VALUE":
        if cell.formatted is not None:
            return cell.formatted
        if isinstance(cell.value, bool):
            return "TRUE" if cell.value else "FALSE"
        if isinstance(cell.value, int | float):
            return _number_text(cell.value)
        return cell.value
    if cell.is_date and datetime_render == "FORMATTED_STRING" and cell.formatted is not None:
        return cell.formatted
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        return _json_number(cell.value)
    return cell.value


def is_empty(cell: CellValue) -> bool:
    """True for a cell Google treats as empty (trimmed from the end of rows and ranges)."""
    if cell is None:
        return True
    if isinstance(cell, Cell):
        return cell.value == "" and not cell.formula
    return cell == ""


_SERIAL_EPOCH = date(1899, 12, 30)
_ARITHMETIC = re.compile(r"^=\s*(-?\d+(?:\.\d+)?)\s*([-+*/])\s*(-?\d+(?:\.\d+)?)\s*$")


def user_entered(value: Any) -> CellValue:
    """Interpret a value as typed into the sheet (valueInputOption=USER_ENTERED), minimally.

    Numbers stay numbers, numeric text becomes a number, ISO dates (YYYY-MM-DD) become date
    serial numbers shown as typed, and ``=a op b`` formulas over two numbers are evaluated.
    Anything else stays text. Enough to replay the recorded answers; not a spreadsheet engine.
    """
    if not isinstance(value, str):
        return value
    match = _ARITHMETIC.match(value)
    if match:
        a, op, b = float(match.group(1)), match.group(2), float(match.group(3))
        result = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else float("nan")}[op]
        return Cell(_json_number(result), formula=value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        serial = (date.fromisoformat(value) - _SERIAL_EPOCH).days
        return Cell(serial, formatted=value, is_date=True)
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d*\.\d+", value):
        return float(value)
    return value


def column_letters(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


class RangeError(ValueError):
    """An A1 range Google would refuse with 400 INVALID_ARGUMENT (the message is Google's)."""


@dataclass(frozen=True, slots=True)
class A1Range:
    """A parsed A1 range: sheet title (None: the first sheet) and optional bounds (1-based)."""

    title: str | None
    start_row: int | None = None
    start_col: int | None = None
    end_row: int | None = None
    end_col: int | None = None
    whole_sheet: bool = False
    single_cell: bool = False


_PART = re.compile(r"^([A-Za-z]{0,3})(\d{0,7})$")


def _parse_cells(text: str, original: str) -> A1Range:
    parts = text.split(":")
    if len(parts) > 2 or not all(parts):
        raise RangeError(f"Unable to parse range: {original}")
    parsed = []
    for part in parts:
        match = _PART.match(part)
        if not match or not (match.group(1) or match.group(2)):
            raise RangeError(f"Unable to parse range: {original}")
        col = column_number(match.group(1)) if match.group(1) else None
        row = int(match.group(2)) if match.group(2) else None
        if row == 0:
            raise RangeError(f"Unable to parse range: {original}")
        parsed.append((row, col))
    if len(parsed) == 1:
        row, col = parsed[0]
        if row is None or col is None:
            raise RangeError(f"Unable to parse range: {original}")
        return A1Range(None, row, col, row, col, single_cell=True)
    (r1, c1), (r2, c2) = parsed
    # "A:B" has no rows, "1:2" no columns; a row-only start with a column end is refused.
    if (c1 is None) != (c2 is None) and c1 is None:
        raise RangeError(f"Unable to parse range: {original}")
    if r1 is None and r2 is not None and c1 is not None:
        r1 = 1
    return A1Range(None, r1, c1, r2, c2)


def parse_a1(text: str, titles: Sequence[str]) -> A1Range:
    """Parse an A1 range the way the Sheets API does.

    ``'My sheet'!A2:F``, ``Sheet1!A:A``, ``Sheet1`` (whole sheet), ``'D3'`` (a title that looks
    like a cell must be quoted), ``A1:B2`` (first sheet), ``2:5`` (whole rows). Titles may be
    quoted with ``'`` (a quote inside doubled) or, when unambiguous, bare.
    """
    original = text
    title: str | None
    cells: str | None
    if text.startswith("'"):
        i, chars = 1, []
        while True:
            if i >= len(text):
                raise RangeError(f"Unable to parse range: {original}")
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    chars.append("'")
                    i += 2
                    continue
                break
            chars.append(text[i])
            i += 1
        title = "".join(chars)
        rest = text[i + 1 :]
        if rest and not rest.startswith("!"):
            raise RangeError(f"Unable to parse range: {original}")
        cells = rest[1:] if rest else None
    elif "!" in text:
        title, cells = text.rsplit("!", 1)
    else:
        try:
            return _parse_cells(text, original)
        except RangeError:
            if text in titles:
                return A1Range(text, whole_sheet=True)
            raise
    if title not in titles:
        raise RangeError(f"Unable to parse range: {original}")
    if cells is None or cells == "":
        if cells == "":
            raise RangeError(f"Unable to parse range: {original}")
        return A1Range(title, whole_sheet=True)
    cell_range = _parse_cells(cells, original)
    return A1Range(
        title,
        cell_range.start_row,
        cell_range.start_col,
        cell_range.end_row,
        cell_range.end_col,
        single_cell=cell_range.single_cell,
    )


_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[A-Za-z]{1,3}|\d+)$")


def quote_title(title: str) -> str:
    """A sheet title as Google writes it in an answer's ``range``: quoted only when needed."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


# ---------------------------------------------------------------- spreadsheets


@dataclass
class SheetState:
    """One tab: properties and cells (rows of CellValue; row 1 is rows[0])."""

    sheet_id: int
    title: str
    index: int
    row_count: int = 1000
    column_count: int = 26
    frozen_rows: int = 0
    rows: list[list[CellValue]] = field(default_factory=list)

    def _grow(self) -> None:
        self.row_count = max(self.row_count, len(self.rows))
        width = max((len(r) for r in self.rows), default=0)
        self.column_count = max(self.column_count, width)

    def set_rows(self, rows: Iterable[Sequence[CellValue]]) -> None:
        """Replace every cell (the grid grows to fit, never shrinks)."""
        self.rows = [list(r) for r in rows]
        self._grow()

    def append_rows(self, rows: Iterable[Sequence[CellValue]]) -> None:
        """Append rows after the last row holding data, as a form does."""
        while self.rows and all(is_empty(c) for c in self.rows[-1]):
            self.rows.pop()
        self.rows.extend(list(r) for r in rows)
        self._grow()

    def delete_rows(self, start_row: int, count: int = 1) -> None:
        """Delete sheet rows start_row..start_row+count-1 (1-based); the grid shrinks too."""
        del self.rows[start_row - 1 : start_row - 1 + count]
        self.row_count = max(1, self.row_count - count)

    def sort_rows(
        self, key: Callable[[list[CellValue]], Any], start_row: int = 2, reverse: bool = False
    ) -> None:
        """Sort the rows from start_row on (1-based), as an editor's "Sort sheet" does."""
        head, body = self.rows[: start_row - 1], self.rows[start_row - 1 :]
        self.rows = head + sorted(body, key=key, reverse=reverse)

    def set_cell(self, row: int, col: int, value: CellValue) -> None:
        """Set one cell (1-based row and column)."""
        while len(self.rows) < row:
            self.rows.append([])
        line = self.rows[row - 1]
        while len(line) < col:
            line.append("")
        line[col - 1] = value
        self._grow()

    def write(self, start_row: int, start_col: int, values: Sequence[Sequence[CellValue]]) -> None:
        """Write a block of values with its top-left corner at (start_row, start_col)."""
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                self.set_cell(start_row + r, start_col + c, "" if value is None else value)

    def clear(self) -> None:
        """Clear every value (the grid keeps its size)."""
        self.rows = []

    def cell(self, row: int, col: int) -> CellValue:
        if row - 1 < len(self.rows) and col - 1 < len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def properties(self) -> dict[str, Any]:
        grid: dict[str, Any] = {"rowCount": self.row_count, "columnCount": self.column_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        return {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }


@dataclass
class SpreadsheetState:
    """One spreadsheet: properties, tabs, and who may read it (None: any valid token)."""

    key: str
    title: str
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    sheets: list[SheetState] = field(default_factory=list)
    readers: set[str] | None = None

    def sheet(self, title: str | None = None) -> SheetState:
        """The tab with this title (default: the first)."""
        if title is None:
            return self.sheets[0]
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)

    def add_sheet(
        self,
        title: str,
        rows: Iterable[Sequence[CellValue]] = (),
        *,
        sheet_id: int | None = None,
        index: int | None = None,
        row_count: int = 1000,
        column_count: int = 26,
        frozen_rows: int = 0,
    ) -> SheetState:
        """Add a tab (at the end unless index is given) and return it."""
        if sheet_id is None:
            sheet_id = max((s.sheet_id for s in self.sheets), default=-1) + 1
        sheet = SheetState(sheet_id, title, len(self.sheets), row_count, column_count, frozen_rows)
        self.sheets.insert(len(self.sheets) if index is None else index, sheet)
        self._reindex()
        sheet.set_rows(rows)
        return sheet

    def delete_sheet(self, sheet_id: int) -> None:
        self.sheets = [s for s in self.sheets if s.sheet_id != sheet_id]
        self._reindex()

    def _reindex(self) -> None:
        for i, sheet in enumerate(self.sheets):
            sheet.index = i

    def metadata(self) -> dict[str, Any]:
        return {
            "spreadsheetId": self.key,
            "properties": {
                "title": self.title,
                "locale": self.locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": self.time_zone,
                "defaultFormat": json.loads(json.dumps(DEFAULT_FORMAT)),
                "spreadsheetTheme": json.loads(json.dumps(DEFAULT_THEME)),
            },
            "sheets": [{"properties": s.properties()} for s in self.sheets],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit",
        }


# ---------------------------------------------------------------- faults and the log


@dataclass
class Fault:
    """A fault to inject into the next ``times`` requests whose path matches ``pattern``."""

    pattern: str
    kind: str
    times: int = 1
    retry_after: float | None = None
    delay: float = 5.0
    message: str | None = None

    def matches(self, path: str) -> bool:
        return re.search(ENDPOINT_PATTERNS.get(self.pattern, self.pattern), path) is not None


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the emulator saw and what it answered.

    status 0: no answer (yet): still being answered, or the connection was reset.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    kind: str  # "token", "metadata", "values" or "other"
    fault: str | None = None
    client_email: str | None = None
    scope: str | None = None
    # Filled in once the answer is sent (0 until then): the answer body's size in bytes and
    # the seconds from the request's arrival to the answer's last byte written.
    bytes: int = 0
    seconds: float = 0.0


def endpoint_kind(path: str) -> str:
    """Which endpoint a path is: token, metadata, values or other."""
    for kind, pattern in ENDPOINT_PATTERNS.items():
        if re.search(pattern, path):
            return kind
    return "other"


class _Answer(Exception):
    """Raised inside request handling to answer with an error body."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def google_error(status: int, message: str | None = None) -> _Answer:
    """Google's JSON error answer: {"error": {"code", "message", "status"}}."""
    return _Answer(
        status,
        {"error": {"code": status, "message": message or MESSAGES[status], "status": STATUS_TEXT[status]}},
    )


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---------------------------------------------------------------- the emulator


class SheetsEmulator:
    """The emulator: state, token issuing, request routing, faults and the request log.

    Use as a context manager, or call start() and stop(). ``url`` is the api_endpoint to give
    the client; ``token_uri`` goes into the service-account JSON.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, token_lifetime: int = 3600):
        self._lock = threading.RLock()
        self.spreadsheets: dict[str, SpreadsheetState] = {}
        self._keys: dict[str, rsa.RSAPublicKey] = {}
        self._tokens: dict[str, tuple[str, str]] = {}  # token -> (client_email, scope)
        self._faults: list[Fault] = []
        self.log: list[RequestRecord] = []
        self._generation = 0
        self.token_lifetime = token_lifetime
        # Seconds added before every answer (a slower, more realistic network; default none).
        self.latency = 0.0
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.emulator = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    # -- lifecycle
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def start(self) -> SheetsEmulator:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name="sheets-emulator"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> SheetsEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget spreadsheets, issued tokens, faults and the log (trusted keys stay)."""
        with self._lock:
            self.spreadsheets.clear()
            self._tokens.clear()
            self._faults.clear()
            self.log.clear()
            self._generation += 1

    # -- service accounts
    def trust_key(self, client_email: str, public_key: rsa.RSAPublicKey) -> None:
        """Accept JWTs from client_email signed by the private half of public_key."""
        with self._lock:
            self._keys[client_email] = public_key

    def make_service_account(
        self, client_email: str = DEFAULT_CLIENT_EMAIL, key: rsa.RSAPrivateKey | None = None
    ) -> dict[str, str]:
        """A service-account JSON (as a dict) whose token_uri is this emulator, and trust it."""
        key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.trust_key(client_email, key.public_key())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        return {
            "type": "service_account",
            "project_id": "emulated-project",
            "private_key_id": secrets.token_hex(20),
            "private_key": pem,
            "client_email": client_email,
            "client_id": "100000000000000000000",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "",
            "universe_domain": "googleapis.com",
        }

    # -- spreadsheets
    def add_spreadsheet(
        self,
        key: str,
        title: str = "Untitled spreadsheet",
        *,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
        readers: Iterable[str] | None = None,
        sheets: Iterable[tuple[str, Sequence[Sequence[CellValue]]]] | None = None,
    ) -> SpreadsheetState:
        """Create a spreadsheet. ``sheets``: (title, rows) pairs; default one empty "Sheet1".

        ``readers``: the client_emails allowed to read it (None: anyone with a valid token).
        """
        with self._lock:
            book = SpreadsheetState(
                key, title, locale, time_zone, readers=set(readers) if readers is not None else None
            )
            for sheet_title, rows in sheets if sheets is not None else [("Sheet1", [])]:
                book.add_sheet(sheet_title, rows)
            self.spreadsheets[key] = book
            return book

    def load_csv(
        self,
        key: str,
        path: str | Path,
        *,
        sheet_title: str = "Form Responses 1",
        title: str = "Responses",
        **kwargs: Any,
    ) -> SpreadsheetState:
        """A spreadsheet whose one tab holds a CSV file's rows, like a form's response sheet."""
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        book = self.add_spreadsheet(key, title, sheets=[], **kwargs)
        book.add_sheet(sheet_title, rows, frozen_rows=1)
        return book

    def share(self, key: str, client_email: str) -> None:
        """Let client_email read the spreadsheet."""
        with self._lock:
            book = self.spreadsheets[key]
            if book.readers is not None:
                book.readers.add(client_email)

    def unshare(self, key: str, client_email: str) -> None:
        """Stop client_email reading the spreadsheet (403 from then on)."""
        with self._lock:
            book = self.spreadsheets[key]
            if book.readers is None:
                book.readers = set()
            book.readers.discard(client_email)

    @property
    def lock(self) -> threading.RLock:
        """Hold while changing SheetState objects from a test thread."""
        return self._lock

    # -- faults and log
    def fail_next(
        self,
        pattern: str,
        kind: str,
        times: int = 1,
        *,
        retry_after: float | None = None,
        delay: float = 5.0,
        message: str | None = None,
    ) -> None:
        """Make the next ``times`` requests matching ``pattern`` fail with ``kind``.

        pattern: "token", "metadata", "values" or a regex searched in the URL path.
        kind: "429", "429-retry-after" (header Retry-After: retry_after, default 1), "400",
        "401", "403", "404", "500", "503", "slow" (answer normally after ``delay`` seconds, past
        the client's timeout), "reset" (close the connection with a TCP RST), "malformed"
        (200 with broken JSON), "invalid_grant" (the token endpoint's refusal).
        message: replaces Google's usual error message for the status.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")
        if kind == "429-retry-after" and retry_after is None:
            retry_after = 1
        with self._lock:
            self._faults.append(Fault(pattern, kind, times, retry_after, delay, message))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def clear_log(self) -> None:
        """Forget the logged requests (answers still pending are not logged either)."""
        with self._lock:
            self.log.clear()
            self._generation += 1

    def requests(self, kind: str | None = None) -> list[RequestRecord]:
        """The logged requests, optionally only one kind (token, metadata, values)."""
        with self._lock:
            return [r for r in self.log if kind is None or r.kind == kind]

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times > 0 and fault.matches(path):
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- request handling
    def handle(self, handler: _Handler, method: str) -> None:
        """Answer one request: fault, token grant or Sheets API call; log it."""
        started = time.perf_counter()
        split = urlsplit(handler.path)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        kind = endpoint_kind(path)
        fault = self._take_fault(path)
        fault_kind = fault.kind if fault else None
        # Logged on arrival (status 0 until answered), so a test sees requests still pending;
        # the final status is logged just before the answer is sent.
        with self._lock:
            generation = self._generation
            position = len(self.log)
            self.log.append(RequestRecord(method, path, query, 0, kind, fault_kind))

        def finish(status: int, who: tuple[str, str] | None = None) -> None:
            with self._lock:
                if generation == self._generation:  # else the log was cleared meanwhile
                    self.log[position] = RequestRecord(
                        method,
                        path,
                        query,
                        status,
                        kind,
                        fault_kind,
                        who[0] if who else None,
                        who[1] if who else None,
                    )

        def sent(size: int) -> None:
            with self._lock:
                if generation == self._generation:
                    self.log[position] = replace(
                        self.log[position], bytes=size, seconds=time.perf_counter() - started
                    )

        try:
            if self.latency > 0:
                time.sleep(self.latency)
            if fault and fault.kind == "reset":
                self._reset(handler)
                return
            if fault and fault.kind == "slow":
                time.sleep(fault.delay)
            if fault and fault.kind == "malformed":
                finish(200)
                self._send_raw(handler, 200, b'{"spreadsheetId": "trunc', {})
                return
            status, payload, headers, who = self._answer(handler, method, split.path, query, body, fault)
            finish(status, who)
            data = json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")
            self._send_raw(handler, status, data, headers)
            sent(len(data))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout) before the answer

    def _answer(
        self,
        handler: _Handler,
        method: str,
        raw_path: str,
        query: dict[str, list[str]],
        body: bytes,
        fault: Fault | None,
    ) -> tuple[int, dict[str, Any], dict[str, str], tuple[str, str] | None]:
        """(status, JSON body, extra headers, (client_email, scope)) for one request."""
        who: tuple[str, str] | None = None
        try:
            if fault and fault.kind != "slow":
                raise self._fault_answer(fault)
            if method == "POST" and unquote(raw_path) == "/token":
                status, payload, who = self._token(body)
                return status, payload, {}, who
            who = self._authorize(handler)
            status, payload = self._route(method, raw_path, query, who[0], who[1])
            return status, payload, {}, who
        except _Answer as answer:
            return answer.status, answer.body, answer.headers, who
        except Exception as exc:
            return (
                500,
                {"error": {"code": 500, "message": f"emulator bug: {exc!r}", "status": "INTERNAL"}},
                {},
                who,
            )

    @staticmethod
    def _send_raw(handler: _Handler, status: int, data: bytes, headers: dict[str, str]) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    @staticmethod
    def _reset(handler: _Handler) -> None:
        """Close the connection with a TCP RST and no answer."""
        sock = handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True
        sock.close()

    def _fault_answer(self, fault: Fault) -> _Answer:
        if fault.kind == "invalid_grant":
            return _Answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        status = 429 if fault.kind.startswith("429") else int(fault.kind)
        answer = google_error(status, fault.message)
        if fault.kind == "429-retry-after":
            answer.headers["Retry-After"] = _number_text(float(fault.retry_after or 1))
        if status == 401:
            answer.headers["WWW-Authenticate"] = 'Bearer realm="https://accounts.google.com/"'
        return answer

    # -- token endpoint
    def _token(self, body: bytes) -> tuple[int, dict[str, Any], tuple[str, str] | None]:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != JWT_BEARER:
            grant = form.get("grant_type", "")
            raise _Answer(
                400, {"error": "unsupported_grant_type", "error_description": f"Invalid grant_type: {grant}"}
            )
        assertion = form.get("assertion", "")
        bad = _Answer(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        try:
            head_b64, claims_b64, sig_b64 = assertion.split(".")
            header = json.loads(_b64url_decode(head_b64))
            claims = json.loads(_b64url_decode(claims_b64))
            signature = _b64url_decode(sig_b64)
        except ValueError:
            raise _Answer(
                400, {"error": "invalid_request", "error_description": "Invalid JWT: not a signed JWT."}
            ) from None
        if header.get("alg") != "RS256":
            raise bad
        email = claims.get("iss", "")
        with self._lock:
            public_key = self._keys.get(email)
        if public_key is None:
            raise _Answer(
                400, {"error": "invalid_grant", "error_description": "Invalid grant: account not found"}
            )
        try:
            public_key.verify(
                signature, f"{head_b64}.{claims_b64}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            raise bad from None
        now = time.time()
        iat, exp = claims.get("iat", 0), claims.get("exp", 0)
        if claims.get("aud") != GOOGLE_TOKEN_AUDIENCE or not (
            iat - 300 <= now <= exp + 300 and 0 < exp - iat <= 3600
        ):
            raise _Answer(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": (
                        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                        "timeframe. Check your iat and exp values in the JWT claim."
                    ),
                },
            )
        token = "ya29.emulated-" + secrets.token_urlsafe(24)
        scope = claims.get("scope", "")
        with self._lock:
            self._tokens[token] = (email, scope)
        return (
            200,
            {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer"},
            (email, scope),
        )

    def _authorize(self, handler: _Handler) -> tuple[str, str]:
        header = handler.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            answer = google_error(401, MISSING_CREDENTIALS)
            answer.headers["WWW-Authenticate"] = 'Bearer realm="https://accounts.google.com/"'
            raise answer
        with self._lock:
            who = self._tokens.get(header[len("Bearer ") :].strip())
        if who is None:
            answer = google_error(401)
            answer.headers["WWW-Authenticate"] = 'Bearer realm="https://accounts.google.com/"'
            raise answer
        return who

    # -- Sheets API
    def _route(
        self, method: str, raw_path: str, query: dict[str, list[str]], email: str, scope: str
    ) -> tuple[int, dict[str, Any]]:
        match = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(/values(?::batchGet|/(.+))?)?", raw_path)
        if method != "GET" or not match:
            raise google_error(
                404, "Method not found." if match else "The requested URL was not found on this server."
            )
        if not set(scope.split()) & READ_SCOPES:
            raise google_error(403, "Request had insufficient authentication scopes.")
        key = unquote(match.group(1))
        with self._lock:
            book = self.spreadsheets.get(key)
            if book is None:
                raise google_error(404)
            if book.readers is not None and email not in book.readers:
                raise google_error(403)
            if match.group(2) is None:
                self._check_params(query, {"includeGridData", "ranges", "excludeTablesInBandedRanges"})
                return 200, book.metadata()
            allowed = {"valueRenderOption", "dateTimeRenderOption", "majorDimension"}
            if match.group(3) is None:
                self._check_params(query, allowed | {"ranges"})
                ranges = query.get("ranges", [])
                value_ranges = [self._value_range(book, r, query) for r in ranges]
                return 200, {"spreadsheetId": key, "valueRanges": value_ranges}
            self._check_params(query, allowed)
            return 200, self._value_range(book, unquote(match.group(3)), query)

    @staticmethod
    def _check_params(query: dict[str, list[str]], allowed: set[str]) -> None:
        for name in query:
            if name not in allowed and name not in SYSTEM_PARAMS:
                raise google_error(
                    400,
                    f'Invalid JSON payload received. Unknown name "{name}": '
                    "Cannot bind query parameter. Field '{name}' could not "
                    "be found in request message.".replace("{name}", name),
                )

    @staticmethod
    def _option(
        query: dict[str, list[str]],
        name: str,
        field_name: str,
        choices: Sequence[str],
        default: str,
        type_name: str,
    ) -> str:
        value = query.get(name, [default])[-1]
        if value not in choices:
            raise google_error(
                400,
                f"Invalid value at '{field_name}' "
                f"(type.googleapis.com/google.apps.sheets.v4.{type_name}), "
                f'"{value}"',
            )
        return value

    def _value_range(self, book: SpreadsheetState, text: str, query: dict[str, list[str]]) -> dict[str, Any]:
        value_render = self._option(
            query,
            "valueRenderOption",
            "value_render_option",
            VALUE_RENDER,
            "FORMATTED_VALUE",
            "ValueRenderOption",
        )
        datetime_render = self._option(
            query,
            "dateTimeRenderOption",
            "date_time_render_option",
            DATETIME_RENDER,
            "SERIAL_NUMBER",
            "DateTimeRenderOption",
        )
        major = self._option(
            query, "majorDimension", "major_dimension", MAJOR_DIMENSIONS, "ROWS", "Dimension"
        )
        try:
            a1 = parse_a1(text, [s.title for s in book.sheets])
        except RangeError as exc:
            raise google_error(400, str(exc)) from None
        sheet = book.sheet(a1.title)
        r1 = a1.start_row or 1
        c1 = a1.start_col or 1
        r2 = a1.end_row or sheet.row_count
        c2 = a1.end_col or sheet.column_count
        r1, r2 = min(r1, r2), max(r1, r2)
        c1, c2 = min(c1, c2), max(c1, c2)
        title = quote_title(sheet.title)
        if r1 > sheet.row_count or c1 > sheet.column_count:
            asked = f"{column_letters(c1)}{r1}" + ("" if a1.single_cell else f":{column_letters(c2)}{r2}")
            # Google always quotes the title here (seen in issue threads: "Range
            # ('Lighthouse Results'!A1001) exceeds grid limits. Max rows: 1000, ...").
            quoted = "'" + sheet.title.replace("'", "''") + "'"
            raise google_error(
                400,
                f"Range ({quoted}!{asked}) exceeds grid limits. Max rows: "
                f"{sheet.row_count}, max columns: {sheet.column_count}",
            )
        r2, c2 = min(r2, sheet.row_count), min(c2, sheet.column_count)
        if a1.single_cell:
            shown = f"{title}!{column_letters(c1)}{r1}"
        else:
            shown = f"{title}!{column_letters(c1)}{r1}:{column_letters(c2)}{r2}"
        grid = [[sheet.cell(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        if major == "COLUMNS":
            grid = [list(col) for col in zip(*grid, strict=True)] if grid else []
        lines: list[list[Any]] = []
        for line in grid:
            while line and is_empty(line[-1]):
                line.pop()
            lines.append([render_cell(c, value_render, datetime_render) for c in line])
        while lines and not lines[-1]:
            lines.pop()
        answer: dict[str, Any] = {
            "range": shown,
            "majorDimension": "COLUMNS" if major == "COLUMNS" else "ROWS",
        }
        if lines:
            answer["values"] = lines
        return answer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""

    def do_GET(self) -> None:
        self.server.emulator.handle(self, "GET")  # type: ignore[attr-defined]

    def do_POST(self) -> None:
        self.server.emulator.handle(self, "POST")  # type: ignore[attr-defined]

    def do_PUT(self) -> None:
        self.server.emulator.handle(self, "PUT")  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            sys.stderr.write("emulator: " + format % args + "\n")


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a CSV file as a spreadsheet until interrupted (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.sheets_emulator",
        description="Local Google Sheets API emulator over a CSV.",
    )
    parser.add_argument("--csv", required=True, help="CSV file: header row then responses")
    parser.add_argument("--key", required=True, help="where to write the test service-account JSON key")
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any)")
    parser.add_argument("--spreadsheet", default="emulated-sheet", help="spreadsheet key")
    parser.add_argument("--worksheet", default="Form Responses 1", help="tab title")
    parser.add_argument(
        "--email", default=DEFAULT_CLIENT_EMAIL, help="the test service account's client_email"
    )
    parser.add_argument(
        "--deny", action="store_true", help="do not share the sheet with the service account (403)"
    )
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = parser.parse_args(argv)

    emulator = SheetsEmulator(port=args.port)
    emulator._server.verbose = args.verbose  # type: ignore[attr-defined]
    info = emulator.make_service_account(args.email)
    key_path = Path(args.key)
    key_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    key_path.chmod(0o600)
    emulator.load_csv(
        args.spreadsheet, args.csv, sheet_title=args.worksheet, readers=[] if args.deny else [args.email]
    )
    rows = len(emulator.spreadsheets[args.spreadsheet].sheet().rows)
    sys.stderr.write(
        f"Serving {args.csv} ({rows} rows) as spreadsheet '{args.spreadsheet}', tab "
        f"'{args.worksheet}', at {emulator.url}\n"
        f"Service-account key written to {key_path} (client_email {args.email})\n\n"
        f"  export GOOGLE_APPLICATION_CREDENTIALS={key_path.resolve()}\n"
        f"  export NO_PROXY=127.0.0.1,localhost\n\n"
        f'  # signsync.toml\n  [source]\n  kind = "sheet"\n'
        f'  spreadsheet = "{args.spreadsheet}"\n  api_endpoint = "{emulator.url}"\n\n'
        "Ctrl-C stops.\n"
    )
    try:
        emulator._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator._server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
