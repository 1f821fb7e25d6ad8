"""The live Google Sheet source: real gspread + google-auth over HTTP against the emulator.

Request counts are read from the emulator's log; waits between retries go to a recording
``sleep`` so the tests do not sleep for minutes (the retry budget still counts them).
"""

from __future__ import annotations

import random
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sync.config import Config, parse_config
from sync.errors import SourceError
from sync.intake.sources.sheet import read_sheet
from sync.intake.sources.sheets_client import spreadsheet_key
from sync.model import ResponseTable
from sync.operations.doctor import Check, check_access
from tests.support.sheets_emulator import SheetsEmulator, SpreadsheetState
from tests.support.sheets_plugin import REPORT_TABLES, ServiceAccount

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_sheet"
TAB = "Form Responses 1"
HEADER = ["Timestamp", "Email Address", "Full name", "Affiliation"]


@pytest.fixture(autouse=True)
def _no_ambient_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "SIGNSYNC_SERVICE_ACCOUNT_JSON"):
        monkeypatch.delenv(name, raising=False)


def response(n: int, tag: str = "") -> list[str]:
    """One form response with unique content."""
    day, minute = divmod(n, 1440)
    return [
        f"11/{1 + day % 28}/2026 {minute // 60:02d}:{minute % 60:02d}:00",
        f"person{n}{tag}@example.org",
        f"Person {n}{tag}",
        f"Org {n % 7}",
    ]


def make_sheet(emu: SheetsEmulator, account: ServiceAccount, count: int, **kwargs: Any) -> SpreadsheetState:
    rows = [HEADER] + [response(i) for i in range(1, count + 1)]
    book = emu.add_spreadsheet(
        KEY,
        "Statement signatures",
        locale="de_DE",
        time_zone="Europe/Berlin",
        readers=[account.client_email],
        sheets=[("Notes", [["editor notes"]]), (TAB, rows)],
    )
    for name, value in kwargs.items():
        setattr(book.sheet(TAB), name, value)
    return book


def make_config(
    tmp_path: Path,
    emu: SheetsEmulator,
    account: ServiceAccount,
    env: dict[str, str] | None = None,
    **source: Any,
) -> Config:
    data = {
        "source": {
            "kind": "sheet",
            "spreadsheet": KEY,
            "api_endpoint": emu.url,
            "timeout_seconds": 2,
            "max_attempts": 4,
            "max_retry_seconds": 60,
            **source,
        },
        "columns": {"name": "Full name"},
        "page": {"path": "page.html"},
    }
    if env is None:
        env = {"GOOGLE_APPLICATION_CREDENTIALS": str(account.path)}
    return parse_config(tmp_path / "signsync.toml", data, env)


def data_rows(book: SpreadsheetState) -> list[tuple[str, ...]]:
    """The sheet's data rows (row 2 on) as the API would give them."""
    rows = [tuple(str(c) for c in r) for r in book.sheet(TAB).rows[1:]]
    while rows and not any(rows[-1]):
        rows.pop()
    return [trim(r) for r in rows]


def trim(cells: tuple[str, ...]) -> tuple[str, ...]:
    cells = tuple(cells)
    while cells and cells[-1] == "":
        cells = cells[:-1]
    return cells


def assert_rows_match_sheet(table: ResponseTable, book: SpreadsheetState) -> None:
    """Every returned row has exactly the content of that sheet row."""
    current = data_rows(book)
    numbers = [r.number for r in table.rows]
    assert len(numbers) == len(set(numbers))
    for row in table.rows:
        assert trim(row.cells) == current[row.number - 2], row.number


class Waits(list[float]):
    """A fake sleep that records the waits asked for."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# ---------------------------------------------------------------- normal and incremental runs


def test_normal_run_is_three_requests(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    book = make_sheet(sheets_emulator, service_account, 250)
    table = read_sheet(make_config(tmp_path, sheets_emulator, service_account), None)
    kinds = [r.kind for r in sheets_emulator.log]
    assert kinds == ["token", "metadata", "values"]
    assert all(r.status == 200 for r in sheets_emulator.log)
    token = sheets_emulator.requests("token")[0]
    assert token.scope == "https://www.googleapis.com/auth/spreadsheets.readonly"
    values = sheets_emulator.requests("values")[0]
    assert values.query["ranges"] == [f"'{TAB}'!1:1", f"'{TAB}'!2:1000"]
    assert values.query["valueRenderOption"] == ["FORMATTED_VALUE"]
    assert table.headers == tuple(HEADER)
    assert [r.number for r in table.rows] == list(range(2, 252))
    assert_rows_match_sheet(table, book)
    assert (table.locale, table.time_zone) == ("de_DE", "Europe/Berlin")
    assert table.read_path == "full read: first run"
    assert table.origin == f"Google Sheet 'Statement signatures', tab '{TAB}'"
    assert table.cursor is not None and table.cursor["rows"] == 251
    assert table.cursor["sheet_id"] == book.sheet(TAB).sheet_id
    REPORT_TABLES.setdefault("Sheet source request counts (emulator log)", []).append(
        f"full read, 250 rows: {len(kinds)} requests ({', '.join(kinds)})"
    )


def test_incremental_reads_only_new_rows_and_overlap(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    book = make_sheet(sheets_emulator, service_account, 100)
    config = make_config(tmp_path, sheets_emulator, service_account)
    first = read_sheet(config, None)
    book.sheet(TAB).append_rows([response(i) for i in range(101, 131)])
    sheets_emulator.clear_log()
    second = read_sheet(config, first.cursor)
    assert [r.kind for r in sheets_emulator.log] == ["token", "metadata", "values"]
    assert sheets_emulator.requests("values")[0].query["ranges"] == [f"'{TAB}'!1:1", f"'{TAB}'!97:1000"]
    assert [r.number for r in second.rows] == list(range(102, 132))
    assert second.read_path == "incremental: rows 102-131 (overlap of 5 verified)"
    assert second.headers == tuple(HEADER)
    assert_rows_match_sheet(second, book)
    assert second.cursor is not None and second.cursor["rows"] == 131

    sheets_emulator.clear_log()
    third = read_sheet(config, second.cursor)
    assert third.rows == ()
    assert third.read_path == "incremental: no rows after 131 (overlap of 5 verified)"
    assert third.cursor == second.cursor
    REPORT_TABLES.setdefault("Sheet source request counts (emulator log)", []).extend(
        [
            "incremental, 30 new rows: 3 requests (token, metadata, values)",
            f"incremental, nothing new: {len(sheets_emulator.log)} requests",
        ]
    )


def _delete_row(book: SpreadsheetState) -> None:
    book.sheet(TAB).delete_rows(40)


def _sort_by_name(book: SpreadsheetState) -> None:
    book.sheet(TAB).sort_rows(key=lambda r: str(r[2]))


def _edit_in_overlap(book: SpreadsheetState) -> None:
    book.sheet(TAB).set_cell(99, 3, "Person 98 (typo fixed)")


def _delete_last_row(book: SpreadsheetState) -> None:
    book.sheet(TAB).delete_rows(101)


@pytest.mark.parametrize(
    "change",
    [_delete_row, _sort_by_name, _edit_in_overlap, _delete_last_row],
    ids=["deleted-row", "sorted", "edited-in-overlap", "deleted-last-row"],
)
def test_changed_sheet_falls_back_to_full_read(
    change: Any, tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    book = make_sheet(sheets_emulator, service_account, 100)
    config = make_config(tmp_path, sheets_emulator, service_account)
    first = read_sheet(config, None)
    change(book)
    book.sheet(TAB).append_rows([response(i) for i in range(101, 104)])
    sheets_emulator.clear_log()
    table = read_sheet(config, first.cursor)
    # the incremental attempt, then the full read: one values request more than usual
    assert [r.kind for r in sheets_emulator.log] == ["token", "metadata", "values", "values"]
    assert table.read_path.startswith("full read: "), table.read_path
    assert "rows deleted, sorted or edited" in table.read_path
    assert sorted(trim(r.cells) for r in table.rows) == sorted(data_rows(book))
    assert_rows_match_sheet(table, book)


def test_edit_above_the_overlap_is_not_seen_by_an_incremental_read(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    """A known limit, kept visible: only the overlap rows are hashed, so an edit far above
    them goes unnoticed until a full read (cursor None)."""
    book = make_sheet(sheets_emulator, service_account, 100)
    config = make_config(tmp_path, sheets_emulator, service_account)
    first = read_sheet(config, None)
    book.sheet(TAB).set_cell(10, 3, "Edited Name")
    table = read_sheet(config, first.cursor)
    assert table.read_path.startswith("incremental")
    assert table.rows == ()
    full = read_sheet(config, None)
    assert tuple(r.cells[2] for r in full.rows if r.number == 10) == ("Edited Name",)


@pytest.mark.slow  # many incremental runs over a growing sheet
def test_many_runs_account_for_every_row_exactly_once(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    """Appends, deletions, sorts and edits between runs: the rows returned since the last full
    read, by content, are exactly the sheet's rows, each once."""
    rng = random.Random(20261128)
    book = make_sheet(sheets_emulator, service_account, 20)
    sheet = book.sheet(TAB)
    config = make_config(tmp_path, sheets_emulator, service_account, overlap_rows=3, chunk_rows=400)
    cursor: dict[str, Any] | None = None
    accounted: Counter[tuple[str, ...]] = Counter()
    next_id, paths = 21, Counter()
    for run in range(60):
        op = rng.choice(["append", "append", "append", "delete", "sort", "edit-tail", "none"])
        with sheets_emulator.lock:
            if op == "append":
                count = rng.randint(1, 30)
                sheet.append_rows([response(i) for i in range(next_id, next_id + count)])
                next_id += count
            elif op == "delete" and len(sheet.rows) > 2:
                sheet.delete_rows(rng.randint(2, len(sheet.rows)))
            elif op == "sort":
                sheet.sort_rows(key=lambda r: str(r[2]), reverse=rng.random() < 0.5)
            elif op == "edit-tail" and len(sheet.rows) > 4:
                row = rng.randint(len(sheet.rows) - 2, len(sheet.rows))
                sheet.set_cell(row, 4, f"edited {run}")
        table = read_sheet(config, cursor)
        assert_rows_match_sheet(table, book)
        got = Counter(trim(r.cells) for r in table.rows)
        if table.read_path.startswith("full read"):
            accounted = got
            paths["full"] += 1
        else:
            accounted += got
            paths["incremental"] += 1
        assert accounted == Counter(data_rows(book)), (run, op, table.read_path)
        cursor = table.cursor
    assert paths["incremental"] >= 20 and paths["full"] >= 5, paths
    REPORT_TABLES.setdefault("Sheet source request counts (emulator log)", []).append(
        f"60 runs with appends/deletes/sorts/edits: {paths['incremental']} incremental, "
        f"{paths['full']} full reads, {len(sheets_emulator.log)} requests in all"
    )


def test_large_sheet_is_read_in_chunks(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    book = make_sheet(sheets_emulator, service_account, 95, row_count=96)
    config = make_config(tmp_path, sheets_emulator, service_account, chunk_rows=30)
    table = read_sheet(config, None)
    ranges = [r.query["ranges"] for r in sheets_emulator.requests("values")]
    assert ranges == [
        [f"'{TAB}'!1:1", f"'{TAB}'!2:31"],
        [f"'{TAB}'!32:61"],
        [f"'{TAB}'!62:91"],
        [f"'{TAB}'!92:96"],
    ]
    assert [r.number for r in table.rows] == list(range(2, 97))
    assert_rows_match_sheet(table, book)


def test_blank_and_duplicate_headers_and_blank_rows(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    rows = [["Timestamp", "", "Name", "Name", ""], response(1), [], response(3)]
    sheets_emulator.add_spreadsheet(KEY, "x", sheets=[(TAB, rows)])
    table = read_sheet(make_config(tmp_path, sheets_emulator, service_account), None)
    assert table.headers == ("Timestamp", "", "Name", "Name")  # the API trims the trailing blank
    assert [(r.number, bool(r.cells)) for r in table.rows] == [(2, True), (3, False), (4, True)]


def test_worksheet_choice(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    sheets_emulator.add_spreadsheet(
        KEY, "x", sheets=[("Notes", [["n"]]), ("Respuestas de formulario 1", [["Marca temporal", "Nombre"]])]
    )
    config = make_config(tmp_path, sheets_emulator, service_account)
    assert "'Respuestas de formulario 1'" in read_sheet(config, None).origin
    config = make_config(tmp_path, sheets_emulator, service_account, worksheet="notes")
    assert read_sheet(config, None).headers == ("n",)
    config = make_config(tmp_path, sheets_emulator, service_account, worksheet="Answers")
    with pytest.raises(SourceError) as caught:
        read_sheet(config, None)
    assert str(caught.value) == (
        "no tab named 'Answers' in the spreadsheet (tabs: 'Notes', 'Respuestas de formulario "
        "1'): fix [source] worksheet, or remove it to use the form's response tab"
    )


def test_spreadsheet_url_and_json_credentials(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
    assert spreadsheet_key(url) == KEY
    config = make_config(
        tmp_path,
        sheets_emulator,
        service_account,
        spreadsheet=url,
        env={"SIGNSYNC_SERVICE_ACCOUNT_JSON": service_account.json_text},
    )
    assert len(read_sheet(config, None).rows) == 3


# ---------------------------------------------------------------- failures


def test_burst_of_429_waits_and_succeeds(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 10)
    config = make_config(tmp_path, sheets_emulator, service_account, max_attempts=6)
    sheets_emulator.fail_next("values", "429", times=4)
    waits = Waits()
    table = read_sheet(config, None, sleep=waits)
    assert len(table.rows) == 10
    assert len(waits) == 4
    assert [r.status for r in sheets_emulator.requests("values")] == [429] * 4 + [200]
    # full jitter under a doubling ceiling: 1, 2, 4, 8 s
    assert all(0 <= w <= 2**i for i, w in enumerate(waits))


def test_429_with_retry_after_is_honoured(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 10)
    config = make_config(tmp_path, sheets_emulator, service_account)
    sheets_emulator.fail_next("metadata", "429-retry-after", times=2, retry_after=7)
    waits = Waits()
    read_sheet(config, None, sleep=waits)
    assert waits == [7, 7]


def test_retry_after_beyond_budget_gives_up_at_once(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 10)
    config = make_config(tmp_path, sheets_emulator, service_account, max_retry_seconds=30)
    sheets_emulator.fail_next("values", "429-retry-after", times=1, retry_after=3600)
    waits = Waits()
    with pytest.raises(SourceError) as caught:
        read_sheet(config, None, sleep=waits)
    assert waits == []
    assert str(caught.value) == (
        "reading the responses failed: HTTP 429 RESOURCE_EXHAUSTED: Quota exceeded for quota "
        "metric 'Read requests' and limit 'Read requests per minute per user' of service "
        "'sheets.googleapis.com' for consumer 'project_number:000000000000'. (Google asked to "
        "wait 3600 s, more than is left of the 30 s retry budget): Google is busy or "
        "unreachable: try again later, or raise [source] max_attempts / max_retry_seconds"
    )


def test_permanent_503_gives_up_within_the_configured_time(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 10)
    # Real sleeps: the budget (2 s) ends the retries long before max_attempts (50).
    config = make_config(tmp_path, sheets_emulator, service_account, max_attempts=50, max_retry_seconds=2)
    sheets_emulator.fail_next("values", "503", times=1000)
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        read_sheet(config, None)
    elapsed = time.monotonic() - started
    assert elapsed < 3.5
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        "reading the responses failed: HTTP 503 UNAVAILABLE: The service is currently unavailable. ("
    )
    assert message.endswith(
        "): Google is busy or unreachable: try again later, or raise "
        "[source] max_attempts / max_retry_seconds"
    )
    # and by attempts: max_attempts = 3 means 3 requests, 2 waits
    sheets_emulator.clear_log()
    config = make_config(tmp_path, sheets_emulator, service_account, max_attempts=3)
    waits = Waits()
    with pytest.raises(SourceError, match=r"\(3 attempts over "):
        read_sheet(config, None, sleep=waits)
    assert len(sheets_emulator.requests("values")) == 3 and len(waits) == 2


def test_not_shared_gives_403_with_the_fix(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    sheets_emulator.unshare(KEY, service_account.client_email)
    with pytest.raises(SourceError) as caught:
        read_sheet(make_config(tmp_path, sheets_emulator, service_account), None)
    email = service_account.client_email
    assert str(caught.value) == (
        f"the service account {email} cannot read the spreadsheet (HTTP 403 PERMISSION_DENIED: "
        f"The caller does not have permission): share the sheet with {email} as Viewer"
    )
    assert [r.status for r in sheets_emulator.log] == [200, 403]


def test_wrong_key_gives_404_with_the_fix(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    config = make_config(tmp_path, sheets_emulator, service_account, spreadsheet="1WrongKey")
    with pytest.raises(SourceError) as caught:
        read_sheet(config, None)
    assert str(caught.value) == (
        "reading the spreadsheet's metadata failed: spreadsheet not found (HTTP 404 NOT_FOUND: "
        "Requested entity was not found.): the spreadsheet key is wrong: copy it from the "
        "sheet's URL between /d/ and /edit"
    )


def _secret_parts(account: ServiceAccount) -> list[str]:
    body = [line for line in account.private_key_pem.splitlines() if "-----" not in line]
    return [account.private_key_pem, *body]


def _all_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


@pytest.mark.parametrize("case", ["403", "404", "invalid_grant", "garbled-key", "bad-json", "503", "reset"])
def test_private_key_never_in_error_text(
    case: str, tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    env = {"SIGNSYNC_SERVICE_ACCOUNT_JSON": service_account.json_text}
    if case == "garbled-key":
        lines = service_account.private_key_pem.splitlines()
        lines[5] = lines[5][::-1]
        info = dict(service_account.info, private_key="\n".join(lines))
        import json

        env = {"SIGNSYNC_SERVICE_ACCOUNT_JSON": json.dumps(info)}
    if case == "bad-json":
        env = {"SIGNSYNC_SERVICE_ACCOUNT_JSON": service_account.json_text[:-40]}
    if case in ("403", "404", "503", "reset", "invalid_grant"):
        pattern = {"invalid_grant": "token"}.get(case, "metadata")
        sheets_emulator.fail_next(pattern, case, times=100)
    config = make_config(tmp_path, sheets_emulator, service_account, env=env, max_attempts=2)
    with pytest.raises(SourceError) as caught:
        read_sheet(config, None, sleep=Waits())
    text = _all_text(caught.value)
    for part in _secret_parts(service_account):
        assert part not in text
    assert "PRIVATE KEY" not in text
    assert "\n" not in str(caught.value)


# ---------------------------------------------------------------- the fault matrix

CALLS = ("token", "metadata", "values")
FAULTS = ("429", "429-retry-after", "500", "503", "slow", "reset", "malformed", "token failure")
MATRIX: dict[tuple[str, str], str] = {}


@pytest.mark.slow  # the default run keeps test_permanent_503_gives_up_within_the_configured_time
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("call", CALLS)
def test_fault_matrix(
    call: str, fault: str, tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    """Two faults in a row at each call type: success after bounded retries, or a one-line
    SourceError. "token failure" is the token endpoint refusing the key (invalid_grant), or for
    API calls a 401 for the access token (google-auth fetches a new token and retries)."""
    book = make_sheet(sheets_emulator, service_account, 12)
    config = make_config(
        tmp_path, sheets_emulator, service_account, timeout_seconds=1.0, max_attempts=4, max_retry_seconds=30
    )
    kind = {"token failure": "invalid_grant" if call == "token" else "401"}.get(fault, fault)
    sheets_emulator.fail_next(call, kind, times=2, retry_after=2, delay=2.5)
    waits = Waits()
    started = time.monotonic()
    try:
        table = read_sheet(config, None, sleep=waits)
    except SourceError as exc:
        elapsed = time.monotonic() - started
        message = str(exc)
        MATRIX[(call, fault)] = f"SourceError ({elapsed:.1f}s)"
        assert "\n" not in message
        assert (call, fault) == ("token", "token failure"), message
        assert message.startswith(
            f"Google refused the service account "
            f"{service_account.client_email} (token request refused: "
            "invalid_grant: Invalid JWT Signature."
        )
        return
    elapsed = time.monotonic() - started
    requests_made = len(sheets_emulator.requests(call))
    MATRIX[(call, fault)] = f"ok, {requests_made} {call} req, {len(waits)} waits, {elapsed:.1f}s"
    assert_rows_match_sheet(table, book)
    assert len(table.rows) == 12
    if call == "token" or fault != "token failure":
        assert requests_made == 3  # two faults, then the answer
    assert sum(waits) <= 30


PERMANENT: dict[tuple[str, str], str] = {}


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("call", CALLS)
def test_fault_matrix_permanent(
    call: str, fault: str, tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    """The same faults without end: a one-line SourceError after max_attempts (2) tries.

    At the token call google-auth retries 429/5xx itself (3 tries, ~1 s and ~2 s apart, real
    sleeps we cannot shorten) inside each of our attempts: 6 token requests."""
    make_sheet(sheets_emulator, service_account, 12)
    config = make_config(
        tmp_path, sheets_emulator, service_account, timeout_seconds=1.0, max_attempts=2, max_retry_seconds=30
    )
    kind = {"token failure": "invalid_grant" if call == "token" else "401"}.get(fault, fault)
    sheets_emulator.fail_next(call, kind, times=1000, retry_after=2, delay=2.5)
    waits = Waits()
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        read_sheet(config, None, sleep=waits)
    elapsed = time.monotonic() - started
    message = str(caught.value)
    count = len(sheets_emulator.requests(call))
    PERMANENT[(call, fault)] = f"SourceError, {count} req, {elapsed:.1f}s"
    assert "\n" not in message
    assert "PRIVATE KEY" not in message
    inner = 3 if call == "token" and fault in ("429", "429-retry-after", "500", "503") else 1
    expected = {
        # refused keys are not retried; a 401 on an API call: google-auth refreshes twice
        ("token", "token failure"): 1,
        ("metadata", "token failure"): 3,
        ("values", "token failure"): 3,
    }.get((call, fault), 2 * inner)
    assert count == expected, message
    assert sum(waits) <= 30
    assert message.endswith(
        (
            "try again later, or raise [source] max_attempts / max_retry_seconds",
            "also check the computer's clock",
            "and the computer's clock",
            "then try again",
        )
    ), message


def _matrix_lines(results: dict[tuple[str, str], str]) -> list[str]:
    width = 36
    lines = [f"{'fault':<16}" + "".join(f"{c:<{width}}" for c in CALLS)]
    for fault in FAULTS:
        cells = [results.get((call, fault), "not run") for call in CALLS]
        lines.append(f"{fault:<16}" + "".join(f"{c:<{width}}" for c in cells))
    return lines


def teardown_module() -> None:
    """Put the fault matrices in the end-of-run report."""
    if MATRIX:
        REPORT_TABLES["Sheet source fault matrix (2 faults in a row at each call)"] = _matrix_lines(MATRIX)
    if PERMANENT:
        REPORT_TABLES["Sheet source fault matrix (faults without end, max_attempts = 2)"] = _matrix_lines(
            PERMANENT
        )


# ---------------------------------------------------------------- doctor


def test_doctor_all_good(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    checks = check_access(make_config(tmp_path, sheets_emulator, service_account))
    assert [c.name for c in checks] == [
        "config",
        "credentials",
        "token",
        "spreadsheet",
        "worksheet",
        "header row",
    ]
    assert all(c.ok for c in checks)
    by_name = {c.name: c for c in checks}
    assert service_account.client_email in by_name["credentials"].detail
    assert by_name["worksheet"].detail == f"reading '{TAB}' (tabs: 'Notes', '{TAB}')"
    assert by_name["header row"].detail == (
        "4 columns: 'Timestamp', 'Email Address', 'Full name', 'Affiliation'"
    )
    for check in checks:
        assert "PRIVATE" not in check.detail + check.fix


def test_doctor_not_shared(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    sheets_emulator.unshare(KEY, service_account.client_email)
    checks = check_access(make_config(tmp_path, sheets_emulator, service_account))
    assert checks[-1] == Check(
        "spreadsheet",
        False,
        f"the service account {service_account.client_email} cannot read the spreadsheet "
        "(HTTP 403 PERMISSION_DENIED: The caller does not have permission)",
        f"share the sheet with {service_account.client_email} as Viewer",
    )


def test_doctor_wrong_key_and_no_credentials(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    checks = check_access(make_config(tmp_path, sheets_emulator, service_account, spreadsheet="nope"))
    assert checks[-1].name == "spreadsheet" and not checks[-1].ok
    assert checks[-1].fix == (
        "the spreadsheet key is wrong: copy it from the sheet's URL between /d/ and /edit"
    )
    checks = check_access(make_config(tmp_path, sheets_emulator, service_account, env={}))
    assert [(c.name, c.ok) for c in checks] == [("config", True), ("credentials", False)]
    assert checks[-1].fix.startswith("create a service-account JSON key")


# ---------------------------------------------------------------- more edges

SERVICE_DISABLED = (
    "Google Sheets API has not been used in project 123456789 before or it is disabled. Enable "
    "it by visiting https://console.developers.google.com/apis/api/sheets.googleapis.com/"
    "overview?project=123456789 then retry. If you enabled this API recently, wait a few "
    "minutes for the action to propagate to our systems and retry."
)


def test_sheets_api_not_enabled(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 3)
    sheets_emulator.fail_next("metadata", "403", message=SERVICE_DISABLED)
    checks = check_access(make_config(tmp_path, sheets_emulator, service_account))
    assert checks[-1].name == "spreadsheet" and not checks[-1].ok
    assert checks[-1].fix == (
        "enable the Google Sheets API for the service account's project "
        "(Cloud console > APIs & Services > Library > Google Sheets API > "
        "Enable)"
    )


def test_cursor_of_another_spreadsheet_means_full_read(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    make_sheet(sheets_emulator, service_account, 8)
    config = make_config(tmp_path, sheets_emulator, service_account)
    cursor = dict(read_sheet(config, None).cursor or {}, spreadsheet="1OtherSheet")
    table = read_sheet(config, cursor)
    assert table.read_path == "full read: reading a different spreadsheet than last time"
    assert len(table.rows) == 8


def test_without_overlap_reads_incrementally_unverified(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    book = make_sheet(sheets_emulator, service_account, 8)
    config = make_config(tmp_path, sheets_emulator, service_account, overlap_rows=0)
    first = read_sheet(config, None)
    book.sheet(TAB).append_rows([response(9)])
    table = read_sheet(config, first.cursor)
    assert table.read_path == "incremental: rows 10-10 (no overlap checked)"
    assert [r.number for r in table.rows] == [10]


def test_standalone_emulator_over_a_csv(tmp_path: Path, service_account: ServiceAccount) -> None:
    """The module docstring's commands: serve a CSV, point signsync.toml at it, read it."""
    import subprocess
    import sys

    csv_file = tmp_path / "responses.csv"
    csv_file.write_text(
        "Timestamp,Full name\n11/27/2026 14:03:12,Ada Lovelace\n11/27/2026 14:05:00,Émile Zola\n",
        encoding="utf-8",
    )
    key_file = tmp_path / "test-key.json"
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.sheets_emulator",
            "--csv",
            str(csv_file),
            "--key",
            str(key_file),
            "--port",
            "0",
        ],
        cwd=root,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = []
        while not lines or "Ctrl-C stops." not in lines[-1]:
            line = process.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
        banner = "".join(lines)
        endpoint = banner.split('api_endpoint = "')[1].split('"')[0]
        assert f"export GOOGLE_APPLICATION_CREDENTIALS={key_file}" in banner
        data = {
            "source": {"kind": "sheet", "spreadsheet": "emulated-sheet", "api_endpoint": endpoint},
            "columns": {"name": "Full name"},
            "page": {"path": "page.html"},
        }
        config = parse_config(
            tmp_path / "signsync.toml", data, {"GOOGLE_APPLICATION_CREDENTIALS": str(key_file)}
        )
        table = read_sheet(config, None)
        assert table.headers == ("Timestamp", "Full name")
        assert [r.cells for r in table.rows] == [
            ("11/27/2026 14:03:12", "Ada Lovelace"),
            ("11/27/2026 14:05:00", "Émile Zola"),
        ]
        assert all(c.ok for c in check_access(config))
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("env", "problem", "fix"),
    [
        (
            {"GOOGLE_APPLICATION_CREDENTIALS": "keys/missing.json"},
            "no service-account key file at {base}/keys/missing.json "
            "(GOOGLE_APPLICATION_CREDENTIALS={base}/keys/missing.json)",
            "create a service-account JSON key (see docs/google-sheet.md) and set "
            "GOOGLE_APPLICATION_CREDENTIALS to its path or SIGNSYNC_SERVICE_ACCOUNT_JSON to its content",
        ),
        (
            {"SIGNSYNC_SERVICE_ACCOUNT_JSON": '{"installed": {"client_id": "x"}}'},
            "the key in SIGNSYNC_SERVICE_ACCOUNT_JSON is not a service-account key (type None)",
            "create a key for a service account (IAM > Service accounts > Keys > Add key > JSON), "
            "not an OAuth client",
        ),
        (
            {"SIGNSYNC_SERVICE_ACCOUNT_JSON": '{"type": "service_account", "client_email": "a@b"}'},
            "the service-account key in SIGNSYNC_SERVICE_ACCOUNT_JSON lacks private_key, token_uri",
            "download the JSON key again",
        ),
        (
            {"SIGNSYNC_SERVICE_ACCOUNT_JSON": "{not json"},
            "the service-account key in SIGNSYNC_SERVICE_ACCOUNT_JSON is not valid JSON (line 1)",
            "download the JSON key again",
        ),
    ],
)
def test_credential_problems(
    env: dict[str, str],
    problem: str,
    fix: str,
    tmp_path: Path,
    sheets_emulator: SheetsEmulator,
    service_account: ServiceAccount,
) -> None:
    config = make_config(tmp_path, sheets_emulator, service_account, env=env)
    checks = check_access(config)
    base = str(tmp_path)
    assert checks[-1] == Check("credentials", False, problem.format(base=base), fix)
    with pytest.raises(SourceError) as caught:
        read_sheet(config, None)
    assert str(caught.value) == f"{problem.format(base=base)}: {fix}"
    assert sheets_emulator.log == []
