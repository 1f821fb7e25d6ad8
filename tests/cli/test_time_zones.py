"""The wait figure (how long the oldest consenting signer not on the page has waited) counts from
the moment the signer answered: a timestamp is a wall-clock time in the form's time zone, the
spreadsheet's own (Sheets API `properties.timeZone`) or, for a CSV, `[source] timezone`. Around a
clock change the zone's rules on that date decide; without a zone the plan says UTC was assumed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.integration.test_sheet_cli import KEY, sheet_site
from tests.support.helpers import copy_example, run_cli
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.sheets_plugin import ServiceAccount

HEADER = [
    "Timestamp",
    "Email Address",
    "Full name",
    "Title and organization (optional)",
    "Signing as",
    "I agree that my name may be published",
    "Notes (editors)",
]


def _one_response(stamp: str) -> str:
    return ",".join(HEADER) + f"\n{stamp},ada@example.org,Ada Okafor,,An individual,Yes,\n"


def _csv_site(tmp_path: Path, stamp: str, zone: str | None) -> Path:
    cfg = copy_example(tmp_path)
    (tmp_path / "responses.csv").write_text(_one_response(stamp), encoding="utf-8")
    if zone is not None:
        cfg.write_text(
            cfg.read_text().replace(
                'path = "responses.csv"\n', f'path = "responses.csv"\ntimezone = "{zone}"\n'
            )
        )
    return cfg


def _waited(cfg: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    r = run_cli("plan", "--json", "--config", str(cfg), env=env)
    assert r.code == 2, r.err
    doc = json.loads(r.out)
    note = next(n for n in doc["notes"] if "oldest consenting" in n)
    return doc["oldest_wait_hours"], note


def _hours_since(instant: datetime) -> float:
    return (datetime.now(UTC) - instant).total_seconds() / 3600


# (zone, the form's wall-clock time, the instant it was). Berlin's clocks went back from 03:00 to
# 02:00 on 2026-10-25: 01:30 was summer time (UTC+2), 02:30 came twice (the first taken), 04:00
# was winter time (UTC+1). Sydney's went forward from 02:00 to 03:00 on 2026-10-04: 01:30 was
# standard time (UTC+10), 03:30 summer time (UTC+11), 02:30 never showed (read as before the change).
CLOCK_CHANGES = [
    ("Europe/Berlin", "10/25/2026 01:30:00", datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),
    ("Europe/Berlin", "10/25/2026 02:30:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ("Europe/Berlin", "10/25/2026 04:00:00", datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    ("Australia/Sydney", "10/04/2026 01:30:00", datetime(2026, 10, 3, 15, 30, tzinfo=UTC)),
    ("Australia/Sydney", "10/04/2026 03:30:00", datetime(2026, 10, 3, 16, 30, tzinfo=UTC)),
    ("Australia/Sydney", "10/04/2026 02:30:00", datetime(2026, 10, 3, 16, 30, tzinfo=UTC)),
    ("America/Sao_Paulo", "10/25/2026 13:00:00", datetime(2026, 10, 25, 16, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize("zone,stamp,instant", CLOCK_CHANGES)
def test_a_csv_timestamp_is_read_in_the_configured_zone_across_a_clock_change(
    tmp_path: Path, zone: str, stamp: str, instant: datetime
) -> None:
    cfg = _csv_site(tmp_path, stamp, zone)
    cfg.write_text(cfg.read_text().replace("[source]\n", '[source]\ndate_order = "mdy"\n'))
    hours, note = _waited(cfg)
    # plan rounds to 0.01 h; a loaded machine may take a minute between the run and this line
    assert abs(hours - _hours_since(instant)) < 0.05, (hours, _hours_since(instant))
    assert f"(signed {datetime.strptime(stamp, '%m/%d/%Y %H:%M:%S'):%Y-%m-%d %H:%M:%S} {zone}," in note
    assert "taken as UTC" not in note


def test_without_a_zone_a_csv_is_read_as_utc_and_the_plan_says_so(tmp_path: Path) -> None:
    cfg = _csv_site(tmp_path, "11/20/2026 09:14:03", None)
    hours, note = _waited(cfg)
    assert abs(hours - _hours_since(datetime(2026, 11, 20, 9, 14, 3, tzinfo=UTC))) < 0.05
    assert note.endswith(
        "(signed 2026-11-20 09:14:03, in this plan, not yet on the page); its time was taken as UTC "
        "(the source names no time zone): set [source] timezone to the form's, "
        'e.g. timezone = "Europe/Berlin"'
    )


@pytest.mark.parametrize(
    "zone,error",
    [
        (
            "Europe/Berln",
            "[source] timezone = 'Europe/Berln' is not a time zone (did you mean 'Europe/Berlin'?)",
        ),
        ("CEST", "[source] timezone = 'CEST' is not a time zone"),
        ("../../etc/passwd", "[source] timezone = '../../etc/passwd' is not a time zone"),
    ],
)
def test_a_zone_that_is_not_one_is_refused_with_the_fix(tmp_path: Path, zone: str, error: str) -> None:
    cfg = _csv_site(tmp_path, "11/20/2026 09:14:03", zone)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1
    assert r.err.startswith(f"Error: {cfg}: {error}"), r.err
    assert "write its IANA name" in r.err and "Traceback" not in r.err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


@pytest.mark.parametrize(
    "zone,stamp,instant",
    [
        (
            "America/New_York",
            "11/01/2026 01:30:00",
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        ),  # EDT, first of two
        ("America/New_York", "11/01/2026 03:00:00", datetime(2026, 11, 1, 8, 0, tzinfo=UTC)),  # EST
        ("Asia/Kolkata", "11/20/2026 09:14:03", datetime(2026, 11, 20, 3, 44, 3, tzinfo=UTC)),
    ],
)
def test_a_sheet_is_read_in_the_spreadsheets_own_zone(
    tmp_path: Path,
    sheets_emulator: SheetsEmulator,
    service_account: ServiceAccount,
    zone: str,
    stamp: str,
    instant: datetime,
) -> None:
    row = [stamp, "ada@example.org", "Ada Okafor", "", "An individual", "Yes", ""]
    book = sheets_emulator.add_spreadsheet(KEY, "Statement (Responses)", time_zone=zone, sheets=[])
    book.add_sheet("Form Responses 1", [HEADER, row], frozen_rows=1)
    cfg = sheet_site(tmp_path / "site", sheets_emulator, 'max_retry_seconds = 20\ndate_order = "mdy"')
    hours, note = _waited(cfg, {"GOOGLE_APPLICATION_CREDENTIALS": str(service_account.path)})
    assert abs(hours - _hours_since(instant)) < 0.05, (hours, _hours_since(instant))
    assert f" {zone}, in this plan" in note and "taken as UTC" not in note


def test_a_setting_that_contradicts_the_sheets_own_zone_is_named(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    row = ["11/01/2026 03:00:00", "ada@example.org", "Ada Okafor", "", "An individual", "Yes", ""]
    book = sheets_emulator.add_spreadsheet(
        KEY, "Statement (Responses)", time_zone="America/New_York", sheets=[]
    )
    book.add_sheet("Form Responses 1", [HEADER, row], frozen_rows=1)
    extra = 'max_retry_seconds = 20\ndate_order = "mdy"\ntimezone = "Europe/Berlin"'
    cfg = sheet_site(tmp_path / "site", sheets_emulator, extra)
    env = {"GOOGLE_APPLICATION_CREDENTIALS": str(service_account.path)}
    hours, note = _waited(cfg, env)
    assert abs(hours - _hours_since(datetime(2026, 11, 1, 8, 0, tzinfo=UTC))) < 0.05
    assert " America/New_York, in this plan" in note
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert (
        "its own time zone is America/New_York, which its timestamps are written in, and it is used; "
        '[source] timezone = "Europe/Berlin" applies to a CSV only: remove it'
    ) in r.out + r.err
