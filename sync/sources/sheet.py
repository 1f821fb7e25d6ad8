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

Transient failures (429, 5xx, timeouts, dropped connections, garbled answers) are retried with
tenacity: exponential backoff with full jitter, ``Retry-After`` honoured, at most
``max_attempts`` tries per request and ``max_retry_seconds`` for the whole read; then a
one-line SourceError. The service account's private key never appears in any message.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import google.auth.exceptions
import gspread
import requests
from google.auth.transport.requests import Request as GoogleAuthRequest
from google.oauth2 import service_account
from gspread.exceptions import APIError
from tenacity import RetryCallState, Retrying, retry_if_exception

from sync.config import Config
from sync.errors import SourceError
from sync.model import ResponseTable, SourceRow
from sync.retry import RETRY_STATUSES, backoff, retry_after

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
GOOGLE_SHEETS = "https://sheets.googleapis.com"
CREDENTIALS_FILE_VAR = "GOOGLE_APPLICATION_CREDENTIALS"
CREDENTIALS_JSON_VAR = "SIGNSYNC_SERVICE_ACCOUNT_JSON"
TOKEN_STEP = "getting an access token"
MAX_CHUNK_REQUESTS = 50  # values requests of a full read: under 60 reads a minute with the rest

# The tab a Google Form writes to, in the languages Forms names it in ("Form Responses 1").
_FORM_TAB = re.compile(
    r"^(form responses|respuestas de formulario|r[ée]ponses au formulaire|formularantworten"
    r"|risposte del modulo|respostas ao formul[áa]rio|formulierreacties|odpowiedzi z formularza"
    r"|formulärsvar|svar på skjema|formularsvar|lomakkeen vastaukset|ответы на форму"
    r"|フォームの回答|表单回复|表單回應|설문지 응답|yanıtlar) ?\d*$",
    re.IGNORECASE,
)
_PEM = re.compile(r"-----BEGIN[^-]*PRIVATE KEY-----.*?-----END[^-]*PRIVATE KEY-----", re.DOTALL)

T = TypeVar("T")
Sleep = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class Check:
    """One line of `signsync doctor`: what was checked, whether it passed, and the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


@dataclass(frozen=True, slots=True)
class ServiceAccountKey:
    """The parsed service-account key and where it came from (never printed whole)."""

    info: dict[str, str]
    where: str

    @property
    def client_email(self) -> str:
        return self.info.get("client_email", "")

    def __repr__(self) -> str:
        return f"ServiceAccountKey({self.client_email!r}, from {self.where})"


class SheetError(SourceError):
    """A SourceError from the sheet source, keeping the problem and the fix apart for doctor.

    The message is "<problem>: <fix>", on one line, with no private key in it.
    """

    def __init__(self, problem: str, fix: str, secret: str = ""):
        self.problem = _one_line(problem, secret)
        self.fix = _one_line(fix, secret)
        super().__init__(f"{self.problem}: {self.fix}")


class _GarbledAnswer(Exception):
    """An answer that is not the JSON Google sends (a proxy's page, a cut-off body)."""


# ---------------------------------------------------------------- small pure helpers


def spreadsheet_key(value: str) -> str:
    """The spreadsheet key from a key or a full URL (…/spreadsheets/d/KEY/edit#gid=0)."""
    match = re.search(r"/spreadsheets/d/([a-zA-Z0-9_-]+)", value)
    return match.group(1) if match else value.strip()


def quote_title(title: str) -> str:
    """A tab title quoted for A1 notation: 'It''s here'."""
    return "'" + title.replace("'", "''") + "'"


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
            f"no tab named '{wanted}' in the spreadsheet (tabs: {_list(titles)})",
            "fix [source] worksheet, or remove it to use the form's response tab",
        )
    grid = [s for s in sheets if s.get("sheetType", "GRID") == "GRID"]
    for props in grid:
        if _FORM_TAB.match(props["title"].strip()):
            return props
    if not grid:
        raise SheetError(
            f"the spreadsheet has no grid tab (tabs: {_list(titles)})",
            "set [source] spreadsheet to the form's response sheet",
        )
    return grid[0]


def _list(titles: Sequence[str]) -> str:
    return ", ".join(f"'{t}'" for t in titles) or "none"


def _one_line(text: str, secret: str = "") -> str:
    """A message on one line with any private key removed."""
    if secret:
        text = text.replace(secret, "[private key]")
    text = _PEM.sub("[private key]", text)
    return " ".join(text.split())


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked to wait in the failed answer, if any."""
    return retry_after(getattr(exc, "response", None))


def _status(exc: APIError) -> int:
    return exc.response.status_code if exc.response is not None else int(exc.code)


def _is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: quota, server trouble, network, garbled answers."""
    if isinstance(exc, APIError):
        return _status(exc) in RETRY_STATUSES
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return bool(getattr(exc, "retryable", False))
    return isinstance(
        exc,
        (
            requests.Timeout,
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.JSONDecodeError,
            google.auth.exceptions.TransportError,
            _GarbledAnswer,
        ),
    )


def _is_timeout(exc: BaseException) -> bool:
    # google-auth wraps the requests Timeout of a token request in a TransportError
    return isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower()


def _describe(exc: BaseException, timeout: float) -> str:
    """What went wrong, briefly, for a message."""
    if isinstance(exc, APIError):
        error = exc.error if isinstance(exc.error, dict) else {}
        status = error.get("status", "")
        message = str(error.get("message", ""))
        if len(message) > 300:
            message = message[:300].rsplit(" ", 1)[0] + " ..."
        if error.get("code") == -1:
            return f"HTTP {_status(exc)} with an answer that is not Google's JSON"
        return f"HTTP {_status(exc)} {status}: {message}".strip()
    if _is_timeout(exc):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, (requests.exceptions.JSONDecodeError, _GarbledAnswer)):
        return "the answer was not valid JSON"
    if isinstance(exc, requests.ConnectionError | google.auth.exceptions.TransportError):
        return "the connection failed or was reset"
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return _describe_refresh(exc)
    return type(exc).__name__


def _describe_refresh(exc: google.auth.exceptions.RefreshError) -> str:
    """The token endpoint's answer: OAuth's {"error", "error_description"} or an API error."""
    data = exc.args[1] if len(exc.args) > 1 else None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            return f"HTTP {error.get('code')} {error.get('status', '')}: {error.get('message', '')}"
        if error:
            description = data.get("error_description")
            return f"token request refused: {error}" + (f": {description}" if description else "")
    return f"token request failed: {exc.args[0] if exc.args else exc}"


# ---------------------------------------------------------------- credentials


def load_service_account(config: Config) -> ServiceAccountKey:
    """The service-account key named by GOOGLE_APPLICATION_CREDENTIALS (a file) or given in
    SIGNSYNC_SERVICE_ACCOUNT_JSON (its JSON text), from the environment or .env."""
    path = config.secret(CREDENTIALS_FILE_VAR)
    text = config.secret(CREDENTIALS_JSON_VAR)
    setup = (
        "create a service-account JSON key (see the README's Google Sheet setup) and set "
        f"{CREDENTIALS_FILE_VAR} to its path or {CREDENTIALS_JSON_VAR} to its content"
    )
    if path:
        file = Path(path).expanduser()
        if not file.is_absolute():
            file = config.base_dir / file
        where = f"{CREDENTIALS_FILE_VAR}={file}"
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SheetError(f"no service-account key file at {file} ({where})", setup) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SheetError(
                f"cannot read the key file {file} ({type(exc).__name__})",
                "check its permissions, or download the JSON key again",
            ) from None
    elif text:
        where = CREDENTIALS_JSON_VAR
    else:
        raise SheetError(
            f"no Google credentials: neither {CREDENTIALS_FILE_VAR} nor {CREDENTIALS_JSON_VAR} is set", setup
        )
    try:
        info = json.loads(text)
    except ValueError as exc:
        raise SheetError(
            f"the service-account key in {where} is not valid JSON (line {getattr(exc, 'lineno', '?')})",
            "download the JSON key again",
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        kind = info.get("type") if isinstance(info, dict) else type(info).__name__
        raise SheetError(
            f"the key in {where} is not a service-account key (type {kind!r})",
            "create a key for a service account (IAM > Service accounts > Keys > "
            "Add key > JSON), not an OAuth client",
        )
    missing = [k for k in ("client_email", "private_key", "token_uri") if not info.get(k)]
    if missing:
        raise SheetError(
            f"the service-account key in {where} lacks {', '.join(missing)}", "download the JSON key again"
        )
    return ServiceAccountKey(info, where)


def _credentials(key: ServiceAccountKey) -> service_account.Credentials:
    try:
        credentials: service_account.Credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            key.info, scopes=SCOPES
        )
        return credentials
    except (ValueError, TypeError, IndexError):
        # The exception text may quote the key: say nothing of it.
        raise SheetError(
            f"the private key in {key.where} cannot be read (service account {key.client_email})",
            "download a new JSON key",
        ) from None


def endpoint_client_class(api_endpoint: str) -> type[gspread.HTTPClient]:
    """A gspread HTTP client that sends the Sheets API calls to ``api_endpoint``."""
    base = api_endpoint.rstrip("/")

    class EndpointHTTPClient(gspread.HTTPClient):
        """gspread's client, with https://sheets.googleapis.com replaced by the endpoint."""

        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
            if endpoint.startswith(GOOGLE_SHEETS):
                endpoint = base + endpoint[len(GOOGLE_SHEETS) :]
            return super().request(method, endpoint, *args, **kwargs)

    return EndpointHTTPClient


class _TimedRequest(GoogleAuthRequest):
    """google-auth's transport with our timeout (its default is 120 s)."""

    def __init__(self, timeout: float):
        super().__init__(requests.Session())
        self._timeout = timeout

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Any = None,
        timeout: Any = None,
        **kwargs: Any,
    ) -> Any:
        return super().__call__(  # type: ignore[no-untyped-call]
            url, method, body, headers, timeout=self._timeout, **kwargs
        )


# ---------------------------------------------------------------- talking to Google


class SheetsConnection:
    """One run's connection: credentials, the gspread client, and the retry budget."""

    def __init__(
        self,
        config: Config,
        key: ServiceAccountKey,
        *,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
    ):
        source = config.source
        self.key = key
        self.timeout = source.timeout_seconds
        self.max_attempts = max(1, source.max_attempts)
        self.max_retry_seconds = source.max_retry_seconds
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._started = time.monotonic()
        self._slept_real = 0.0
        self._waited = 0.0
        self.waits: list[float] = []
        self.credentials = _credentials(key)
        self.client = gspread.Client(self.credentials, http_client=endpoint_client_class(source.api_endpoint))
        self.client.set_timeout(self.timeout)

    # The retry budget counts request time plus the waits we chose, so a test's fake sleep
    # still sees the budget a real run would.
    def _spent(self) -> float:
        return time.monotonic() - self._started - self._slept_real + self._waited

    def _do_sleep(self, seconds: float) -> None:
        self._waited += seconds
        self.waits.append(seconds)
        before = time.monotonic()
        self._sleep(seconds)
        self._slept_real += time.monotonic() - before

    def _stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self.max_attempts:
            return True
        exc = state.outcome.exception() if state.outcome else None
        asked = _retry_after(exc) if exc else None
        remaining = self.max_retry_seconds - self._spent()
        return remaining <= 0 or (asked is not None and asked > remaining)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = _retry_after(exc) if exc else None
        if asked is not None:
            return asked
        remaining = max(0.0, self.max_retry_seconds - self._spent())
        return min(backoff(state.attempt_number, rng=self._rng), remaining)

    def call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one API call with retries; failures become a one-line SheetError."""
        retrying = Retrying(
            stop=self._stop,
            wait=self._wait,
            sleep=self._do_sleep,
            retry=retry_if_exception(_is_transient),
            reraise=True,
        )
        waits_before = len(self.waits)
        try:
            return retrying(fn)
        except SourceError:
            raise
        except (
            APIError,
            google.auth.exceptions.GoogleAuthError,
            requests.RequestException,
            _GarbledAnswer,
        ) as exc:
            attempts = len(self.waits) - waits_before + 1
            problem, fix = self._explain(what, exc, attempts)
            raise SheetError(problem, fix, self.key.info.get("private_key", "")) from None

    def _explain(self, what: str, exc: BaseException, attempts: int) -> tuple[str, str]:
        """(problem, fix) for a failed call."""
        email = self.key.client_email
        detail = _describe(exc, self.timeout)
        if _is_transient(exc):
            asked = _retry_after(exc)
            if asked is not None and attempts < self.max_attempts:
                gave_up = (
                    f"Google asked to wait {asked:g} s, more than is left of the "
                    f"{self.max_retry_seconds:g} s retry budget"
                )
            else:
                gave_up = f"{attempts} attempt{'s' if attempts > 1 else ''} over {self._spent():.1f} s"
            if isinstance(
                exc, requests.ConnectionError | google.auth.exceptions.TransportError
            ) and not _is_timeout(exc):
                where = (
                    "the key's token_uri " + self.key.info.get("token_uri", "")
                    if what == TOKEN_STEP
                    else "[source] api_endpoint"
                )
                return (
                    f"{what} failed: {detail} ({gave_up})",
                    f"Google is unreachable: check the network and {where}, then try again",
                )
            return (
                f"{what} failed: {detail} ({gave_up})",
                "Google is busy or unreachable: try again later, or raise [source] "
                "max_attempts / max_retry_seconds",
            )
        if isinstance(exc, google.auth.exceptions.RefreshError):
            return (
                f"Google refused the service account {email} ({detail})",
                f"the key in {self.key.where} was deleted, disabled or is not this "
                "account's: create a new JSON key for it; also check the computer's clock",
            )
        if isinstance(exc, APIError):
            return self._explain_api(what, exc, detail)
        return f"{what} failed: {detail}", "check [source] api_endpoint and the network"

    def _explain_api(self, what: str, exc: APIError, detail: str) -> tuple[str, str]:
        status = _status(exc)
        email = self.key.client_email
        message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
        if status == 403 and ("has not been used" in message or "disabled" in message):
            return (
                f"{what} failed ({detail})",
                "enable the Google Sheets API for the service account's project (Cloud "
                "console > APIs & Services > Library > Google Sheets API > Enable)",
            )
        if status == 403:
            return (
                f"the service account {email} cannot read the spreadsheet ({detail})",
                f"share the sheet with {email} as Viewer",
            )
        if status == 404:
            return (
                f"{what} failed: spreadsheet not found ({detail})",
                "the spreadsheet key is wrong: copy it from the sheet's URL between /d/ and /edit",
            )
        if status == 401:
            return (
                f"{what} failed: Google did not accept the access token ({detail})",
                f"check the key in {self.key.where} and the computer's clock",
            )
        return f"{what} failed ({detail})", "check [source] spreadsheet and worksheet"

    # -- the three calls
    def authorize(self) -> None:
        """Get the access token (one POST to the key's token_uri)."""

        def refresh() -> None:
            try:
                self.credentials.refresh(  # type: ignore[no-untyped-call]
                    _TimedRequest(self.timeout)
                )
            except (TypeError, KeyError, ValueError) as exc:
                # google-auth indexes the token answer without checking it is JSON
                raise _GarbledAnswer(type(exc).__name__) from None

        self.call(TOKEN_STEP, refresh)

    def metadata(self, key: str) -> dict[str, Any]:
        """spreadsheets.get without grid data: tabs, grid sizes, locale, time zone."""

        def fetch() -> Any:
            try:
                return self.client.http_client.fetch_sheet_metadata(key)
            except (TypeError, KeyError) as exc:
                # gspread's APIError indexes an error body that is not Google's shape
                raise _GarbledAnswer(type(exc).__name__) from None

        answer = self.call("reading the spreadsheet's metadata", fetch)
        if not isinstance(answer, dict) or "sheets" not in answer:
            raise SheetError(
                "the spreadsheet's metadata came back without its tabs", "check [source] api_endpoint"
            )
        return dict(answer)

    def values(self, key: str, ranges: list[str]) -> list[dict[str, Any]]:
        """values:batchGet of ``ranges`` as formatted strings, one request."""
        params: dict[str, Any] = {"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"}

        def fetch() -> list[dict[str, Any]]:
            try:
                answer = self.client.http_client.values_batch_get(key, ranges, params=dict(params))
            except (TypeError, KeyError) as exc:
                raise _GarbledAnswer(type(exc).__name__) from None
            value_ranges = answer.get("valueRanges") if isinstance(answer, dict) else None
            if not isinstance(value_ranges, list) or len(value_ranges) != len(ranges):
                raise _GarbledAnswer("valueRanges missing")
            return value_ranges

        return self.call("reading the responses", fetch)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class _Tab:
    spreadsheet: str
    title: str
    sheet_id: int
    row_count: int


def _rows_from(value_range: dict[str, Any], first_row: int) -> list[SourceRow]:
    rows = []
    for offset, cells in enumerate(value_range.get("values", [])):
        rows.append(SourceRow(first_row + offset, tuple(str(c) for c in cells)))
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
    rows = _rows_from(answers[1], start) if len(answers) > 1 else []
    next_start = end + 1
    while start <= tab.row_count and next_start <= tab.row_count:
        end = min(next_start + chunk_rows - 1, tab.row_count)
        (answer,) = conn.values(key, [f"{title}!{next_start}:{end}"])
        rows.extend(_rows_from(answer, next_start))
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


# ---------------------------------------------------------------- doctor


def check_access(config: Config, *, sleep: Sleep = time.sleep) -> list[Check]:
    """Checks for `signsync doctor`, in order, stopping at the first that fails:
    config, credentials, token, spreadsheet, worksheet, header row. Never shows the key."""
    source = config.source
    if source.kind != "sheet":
        return [Check("config", True, f'[source] kind = "{source.kind}": the Google Sheet is not used')]
    key = spreadsheet_key(source.spreadsheet or "")
    checks = [Check("config", True, f"spreadsheet {key} via {source.api_endpoint}")]
    state: dict[str, Any] = {}

    def credentials() -> Check:
        account = load_service_account(config)
        state["conn"] = SheetsConnection(config, account, sleep=sleep)
        return Check("credentials", True, f"service account {account.client_email} (from {account.where})")

    def token() -> Check:
        state["conn"].authorize()
        return Check("token", True, f"access token obtained from {state['conn'].key.info['token_uri']}")

    def spreadsheet() -> Check:
        state["meta"] = state["conn"].metadata(key)
        props = state["meta"].get("properties", {})
        return Check(
            "spreadsheet",
            True,
            f"'{props.get('title')}' (locale {props.get('locale')}, time zone {props.get('timeZone')})",
        )

    def worksheet() -> Check:
        tabs = [s["properties"] for s in state["meta"]["sheets"]]
        state["tab"] = choose_worksheet(tabs, source.worksheet)
        return Check(
            "worksheet",
            True,
            f"reading '{state['tab']['title']}' (tabs: {_list([t['title'] for t in tabs])})",
        )

    def header() -> Check:
        title = state["tab"]["title"]
        (answer,) = state["conn"].values(key, [f"{quote_title(title)}!1:1"])
        values = answer.get("values", [[]])
        cells = [str(c) for c in values[0]] if values else []
        if not any(c.strip() for c in cells):
            return Check(
                "header row",
                False,
                f"row 1 of '{title}' is empty",
                "the tab must start with the question titles: set [source] worksheet "
                "to the form's response tab",
            )
        shown = ", ".join(f"'{c}'" for c in cells[:8]) + (" ..." if len(cells) > 8 else "")
        return Check("header row", True, f"{len(cells)} columns: {shown}")

    for name, step in (
        ("credentials", credentials),
        ("token", token),
        ("spreadsheet", spreadsheet),
        ("worksheet", worksheet),
        ("header row", header),
    ):
        try:
            check = step()
        except SheetError as exc:
            check = Check(name, False, exc.problem, exc.fix)
        checks.append(check)
        if not check.ok:
            break
    return checks
