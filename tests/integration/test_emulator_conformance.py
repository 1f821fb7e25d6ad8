"""Hold the emulator to what Google really answered.

The recordings in /work/shared/fixtures/sheets-api-recordings (vcrpy cassettes from gspread's
test suite, MIT) hold real Sheets API v4 requests and answers. For every recorded GET to the
Sheets API, this replays the recording's earlier writes (spreadsheet creation, addSheet,
resize, rename, clear, values PUT) into the emulator's state, sends the same GET, and requires
the same status and the same JSON. Recorded GETs to the Drive API are not Sheets API calls
and are reported as such (signsync never calls Drive). The recordings carry no token exchange
(the token is redacted), so the token endpoint is checked separately with google-auth below.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import requests

from tests.support.sheets_emulator import SheetsEmulator, parse_a1, user_entered
from tests.support.sheets_plugin import REPORT_TABLES, ServiceAccount

RECORDINGS = Path(os.environ.get("SIGNSYNC_RECORDINGS", "/work/shared/fixtures/sheets-api-recordings"))
SHEETS = "https://sheets.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/spreadsheets.readonly"


def _recorded_gets() -> list[tuple[str, int]]:
    cases = []
    for path in sorted(RECORDINGS.glob("*.json")):
        for i, interaction in enumerate(json.loads(path.read_text())["interactions"]):
            if interaction["request"]["method"] == "GET":
                cases.append((path.name, i))
    return cases


CASES = _recorded_gets()
TABLE = REPORT_TABLES.setdefault("Sheets emulator conformance (recorded Google answers)", [])


def _short(uri: str) -> str:
    split = urlsplit(uri)
    text = unquote(split.path.replace("/v4/spreadsheets/", ""))
    if len(text) > 60:
        text = text[:25] + "..." + text[-30:]
    return f"{split.netloc.split('.')[0]} {text}" + (f"?{unquote(split.query)[:40]}" if split.query else "")


def _apply_write(emulator: SheetsEmulator, request: dict[str, Any], response: dict[str, Any]) -> None:
    """Replay one recorded write (Drive create, batchUpdate, clear, values PUT) into state."""
    uri, method = request["uri"], request["method"]
    body = json.loads(request["body"]) if request["body"] else {}
    answer = json.loads(response["body"]["string"] or "{}")
    if response["status"]["code"] >= 300:
        return
    if uri.startswith("https://www.googleapis.com/drive/v3/files") and method == "POST":
        emulator.add_spreadsheet(answer["id"], body["name"])
        return
    if not uri.startswith(SHEETS):
        return  # Drive metadata reads and deletes change nothing the Sheets API shows
    split = urlsplit(uri)
    path = split.path.replace("/v4/spreadsheets/", "")
    if path.endswith(":batchUpdate"):
        book = emulator.spreadsheets[path.split(":")[0]]
        for req, reply in zip(body["requests"], answer["replies"], strict=True):
            if "addSheet" in req:
                props = reply["addSheet"]["properties"]
                book.add_sheet(
                    props["title"],
                    sheet_id=props["sheetId"],
                    index=props["index"],
                    row_count=props["gridProperties"]["rowCount"],
                    column_count=props["gridProperties"]["columnCount"],
                )
            elif "deleteSheet" in req:
                book.delete_sheet(req["deleteSheet"]["sheetId"])
            elif "updateSheetProperties" in req:
                props = req["updateSheetProperties"]["properties"]
                sheet = next(s for s in book.sheets if s.sheet_id == props["sheetId"])
                grid = props.get("gridProperties", {})
                sheet.row_count = grid.get("rowCount", sheet.row_count)
                sheet.column_count = grid.get("columnCount", sheet.column_count)
                sheet.title = props.get("title", sheet.title)
            else:
                raise AssertionError(f"recording uses a batchUpdate request not replayed: {req}")
        return
    key, _, rest = path.partition("/values/")
    book = emulator.spreadsheets[key]
    if rest.endswith(":clear"):
        a1 = parse_a1(unquote(rest[: -len(":clear")]), [s.title for s in book.sheets])
        book.sheet(a1.title).clear()
        return
    if method == "PUT":
        a1 = parse_a1(unquote(rest), [s.title for s in book.sheets])
        interpret = user_entered if "USER_ENTERED" in split.query else (lambda v: v)
        values = [[interpret(v) for v in row] for row in body["values"]]
        book.sheet(a1.title).write(a1.start_row or 1, a1.start_col or 1, values)
        return
    raise AssertionError(f"recording holds a write not replayed: {method} {uri}")


@pytest.mark.parametrize(
    ("recording", "index"), CASES, ids=[f"{name.removesuffix('.json')}#{i}" for name, i in CASES]
)
def test_recorded_get(
    recording: str, index: int, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    """The emulator answers this recorded GET exactly as Google did."""
    interactions = json.loads((RECORDINGS / recording).read_text())["interactions"]
    target = interactions[index]
    uri = target["request"]["uri"]
    label = f"{recording.removesuffix('.json')}#{index:<2} {_short(uri)}"
    if not uri.startswith(SHEETS):
        TABLE.append(f"n/a   {label}  (Drive API: not emulated, signsync never calls it)")
        pytest.skip("Drive API files.get, not the Sheets API: signsync never calls Drive")
    for interaction in interactions[:index]:
        if interaction["request"]["method"] != "GET":
            _apply_write(sheets_emulator, interaction["request"], interaction["response"])
    expected_status = target["response"]["status"]["code"]
    key = urlsplit(uri).path.replace("/v4/spreadsheets/", "").split("/")[0]
    if expected_status == 403:
        # Google says the spreadsheet exists but is not shared with the caller.
        sheets_emulator.add_spreadsheet(key, "someone else's spreadsheet", readers=[])
    token = _token(sheets_emulator, service_account)
    answer = requests.get(
        sheets_emulator.url + uri[len(SHEETS) :], headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    expected = json.loads(target["response"]["body"]["string"])
    got = answer.json()
    ok = answer.status_code == expected_status and got == expected
    TABLE.append(f"{'match' if ok else 'DIFF '} {label}")
    assert answer.status_code == expected_status
    assert got == expected


def teardown_module() -> None:
    """A count line under the conformance table."""
    counts = Counter(line.split()[0] for line in TABLE)
    TABLE.append(
        f"{counts['match']} match Google's recorded answer, {counts['DIFF']} differ, "
        f"{counts['n/a']} are Drive API calls (not emulated)"
    )


def _token(emulator: SheetsEmulator, account: ServiceAccount) -> str:
    """A token through the real google-auth JWT-bearer grant."""
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account as sa

    credentials = sa.Credentials.from_service_account_info(account.info, scopes=[SCOPE])
    credentials.refresh(Request())
    return str(credentials.token)


def test_recordings_present() -> None:
    """The recordings are where the test expects them (else every case above is missing)."""
    assert len(CASES) > 50, f"no recordings found in {RECORDINGS}"


def test_token_grant_verifies_signature(
    sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    """google-auth gets a token; a key the emulator does not trust gets invalid_grant."""
    from google.auth.exceptions import RefreshError
    from google.auth.transport.requests import Request
    from google.oauth2 import service_account as sa

    good = sa.Credentials.from_service_account_info(service_account.info, scopes=[SCOPE])
    good.refresh(Request())
    assert good.token and good.token.startswith("ya29.")
    record = sheets_emulator.requests("token")[-1]
    assert (record.status, record.client_email, record.scope) == (200, service_account.client_email, SCOPE)

    forged_info = sheets_emulator.make_service_account("other@x.iam.gserviceaccount.com")
    forged_info["client_email"] = service_account.client_email  # right name, wrong key
    forged = sa.Credentials.from_service_account_info(forged_info, scopes=[SCOPE])
    with pytest.raises(RefreshError, match="invalid_grant"):
        forged.refresh(Request())
    assert sheets_emulator.requests("token")[-1].status == 400


def test_api_needs_bearer_token(sheets_emulator: SheetsEmulator) -> None:
    """No Authorization header, or an unknown token: 401 UNAUTHENTICATED like Google."""
    sheets_emulator.add_spreadsheet("k")
    url = sheets_emulator.url + "/v4/spreadsheets/k"
    missing = requests.get(url, timeout=5)
    wrong = requests.get(url, headers={"Authorization": "Bearer ya29.nope"}, timeout=5)
    assert missing.status_code == wrong.status_code == 401
    assert missing.json()["error"]["status"] == "UNAUTHENTICATED"
    assert wrong.json()["error"]["message"].startswith("Request had invalid authentication credentials.")


# ---------------------------------------------------------------- beyond the recordings


def _get(emulator: SheetsEmulator, account: ServiceAccount, path: str, **params: Any) -> requests.Response:
    token = _token(emulator, account)
    return requests.get(
        emulator.url + path, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


@pytest.mark.parametrize(
    ("asked", "shown", "values"),
    [
        ("'It''s 1'!A2:B", "'It''s 1'!A2:B5", [["a2", "b2"], [], ["a4"]]),
        ("'It''s 1'!2:3", "'It''s 1'!A2:C3", [["a2", "b2"]]),
        ("'It''s 1'!B2", "'It''s 1'!B2", [["b2"]]),
        ("'It''s 1'", "'It''s 1'!A1:C5", [["h1", "", "h3"], ["a2", "b2"], [], ["a4"]]),
        ("'It''s 1'!A4:Z9", "'It''s 1'!A4:C5", [["a4"]]),
        ("'It''s 1'!A5:C5", "'It''s 1'!A5:C5", None),
        ("A1:A2", "Sheet1!A1:A2", [["x"]]),
        ("Sheet1", "Sheet1!A1:Z1000", [["x"]]),
        ("sheet_2!a1", "sheet_2!A1", [["y"]]),
    ],
)
def test_a1_ranges(
    asked: str,
    shown: str,
    values: list[list[str]] | None,
    sheets_emulator: SheetsEmulator,
    service_account: ServiceAccount,
) -> None:
    """A1 rules beyond the recordings (from the API documentation): quoting, open ends,
    whole rows, clipping to the grid, trimming, a range on the first sheet."""
    book = sheets_emulator.add_spreadsheet("k", sheets=[("Sheet1", [["x"]]), ("sheet_2", [["y"]])])
    tab = book.add_sheet(
        "It's 1", [["h1", "", "h3"], ["a2", "b2", ""], ["", "", ""], ["a4"]], row_count=5, column_count=3
    )
    assert tab.title == "It's 1"
    answer = _get(sheets_emulator, service_account, f"/v4/spreadsheets/k/values/{asked}")
    assert answer.status_code == 200, answer.text
    expected: dict[str, Any] = {"range": shown, "majorDimension": "ROWS"}
    if values is not None:
        expected["values"] = values
    assert answer.json() == expected


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("Nope!A1", "Unable to parse range: Nope!A1"),
        ("'Sheet1'!A0", "Unable to parse range: 'Sheet1'!A0"),
        ("Sheet1!A1001", "Range ('Sheet1'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"),
    ],
)
def test_bad_ranges_are_400(
    asked: str, message: str, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    """Google's 400 texts (the grid-limit one as quoted in user reports, not recorded here)."""
    sheets_emulator.add_spreadsheet("k")
    answer = _get(sheets_emulator, service_account, f"/v4/spreadsheets/k/values/{asked}")
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}},
    )


def test_unknown_parameter_is_400(sheets_emulator: SheetsEmulator, service_account: ServiceAccount) -> None:
    sheets_emulator.add_spreadsheet("k")
    answer = _get(
        sheets_emulator, service_account, "/v4/spreadsheets/k/values/A1", valueRenderOption="PRETTY"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith("Invalid value at 'value_render_option'")


def test_gspread_high_level_calls(sheets_emulator: SheetsEmulator, service_account: ServiceAccount) -> None:
    """gspread's own calls work against the emulator (as sheets-api.md describes them)."""
    import gspread

    from sync.intake.sources.sheets_client import endpoint_client_class

    sheets_emulator.add_spreadsheet(
        "k", "Book", sheets=[("Form Responses 1", [["Timestamp", "Name"], ["11/27/2026 14:03:12", "Ada"]])]
    )
    client = gspread.service_account(
        filename=str(service_account.path), http_client=endpoint_client_class(sheets_emulator.url)
    )
    worksheet = client.open_by_key("k").worksheet("Form Responses 1")
    assert worksheet.get_all_values() == [["Timestamp", "Name"], ["11/27/2026 14:03:12", "Ada"]]
    assert worksheet.get("A2:F") == [["11/27/2026 14:03:12", "Ada"]]
    assert [list(r) for r in worksheet.batch_get(["A1:A1", "B2"])] == [[["Timestamp"]], [["Ada"]]]
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("missing")
    paths = [(r.method, r.kind) for r in sheets_emulator.log]
    assert paths[0] == ("POST", "token")
    # open_by_key + worksheet(): spreadsheets.get twice, as sheets-api.md measured
    assert paths[1:3] == [("GET", "metadata"), ("GET", "metadata")]
