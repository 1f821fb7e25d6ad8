"""The intake's rules (sync/intake/responses.py), table-driven: timestamps, day-first dates,
canonical emails, consent answers, header mapping, fingerprints."""

from __future__ import annotations

from datetime import datetime

import pytest

from sync.errors import ColumnError
from sync.intake.responses import (
    canonical_email,
    consent_given,
    day_first_for,
    map_columns,
    parse_timestamp,
    to_submissions,
)
from sync.model import ResponseTable, SourceRow


@pytest.mark.parametrize(
    ("raw", "day_first", "expected"),
    [
        ("11/27/2026 14:03:12", False, datetime(2026, 11, 27, 14, 3, 12)),
        ("27/11/2026 14:03:12", True, datetime(2026, 11, 27, 14, 3, 12)),
        ("03/04/2026 08:00:00", False, datetime(2026, 3, 4, 8, 0, 0)),
        ("03/04/2026 08:00:00", True, datetime(2026, 4, 3, 8, 0, 0)),
        ("27.11.2026 14:03:12", True, datetime(2026, 11, 27, 14, 3, 12)),
        ("2022/06/22 11:07:29 AM AST", False, datetime(2022, 6, 22, 11, 7, 29)),
        ("2022/06/22 12:07:29 AM GMT+2", False, datetime(2022, 6, 22, 0, 7, 29)),
        ("2026-11-27 14:03:12", True, datetime(2026, 11, 27, 14, 3, 12)),
        ("", False, None),
        ("yesterday", False, None),
        ("13/13/2026 10:00:00", True, None),
    ],
)
def test_parse_timestamp(raw: str, day_first: bool, expected: datetime | None) -> None:
    assert parse_timestamp(raw, day_first) == expected


@pytest.mark.parametrize(
    ("locale", "samples", "expected"),
    [
        ("en_US", [], False),
        ("en_GB", [], True),
        ("de_DE", [], True),
        (None, ["11/27/2026 10:00:00"], False),
        (None, ["27/11/2026 10:00:00"], True),
        (None, ["01/02/2026 10:00:00"], False),
    ],
)
def test_day_first(locale: str | None, samples: list[str], expected: bool) -> None:
    assert day_first_for(locale, samples) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane.Doe@Example.org", "jane.doe@example.org"),
        ("  jane.doe+petition@example.org ", "jane.doe@example.org"),
        ("J.A.N.E.Doe+x@gmail.com", "janedoe@gmail.com"),
        ("janedoe@googlemail.com", "janedoe@gmail.com"),
        ("not-an-email", "not-an-email"),
    ],
)
def test_canonical_email(raw: str, expected: str) -> None:
    assert canonical_email(raw) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Yes", True),
        ("  YES. ", True),
        ("Oui", True),
        ("Sí", True),
        ("Si\u0301", True),  # decomposed: the same answer
        ("Да", True),
        ("はい", True),
        ("", False),
        ("No", False),
        ("no, keep it private", False),
        ("Nein", False),
        ("Nie", False),
        ("Нет", False),
        ("いいえ", False),
        ("Hayır", False),
        ("Nej", False),
        ("Keep me anonymous", False),
        ("I do not agree", False),
        ("Yes, but keep me anonymous", False),
        # a checkbox's label is the form author's text: a yes only once listed in consent_yes
        ("I agree that my name may be published", False),
    ],
)
def test_consent(answer: str, expected: bool) -> None:
    assert consent_given(answer) is expected


def test_consent_yes_is_the_configured_list() -> None:
    label = "I agree that my name may be published"
    assert consent_given(" i agree that my NAME may be published ", [label])
    assert not consent_given("Yes", [label])


def test_headers_match_ignoring_case_and_spaces_and_tolerate_blank_and_duplicates() -> None:
    headers = ("TIMESTAMP", "", "full  Name", "Full name", "", "Extra")
    cmap, warnings = map_columns(headers, {"timestamp": "Timestamp", "name": "Full name"}, "x.csv")
    assert cmap.index["timestamp"] == 0 and cmap.index["name"] == 2
    assert cmap.index["email"] is None
    assert warnings == ("x.csv: 2 columns are headed 'full  Name'; using the first (column 3) for name",)


def test_renamed_question_is_an_error_not_a_shift() -> None:
    with pytest.raises(ColumnError) as err:
        map_columns(("Timestamp", "Your full name"), {"timestamp": "Timestamp", "name": "Full name"}, "s")
    assert "no column 'Full name' for [columns] name; closest is 'Your full name'" in str(err.value)


def _table(*rows: tuple[str, ...]) -> ResponseTable:
    return ResponseTable(
        "t", ("Timestamp", "Email", "Name"), tuple(SourceRow(i + 2, r) for i, r in enumerate(rows))
    )


def test_submissions_fingerprint_content_not_row_number() -> None:
    cols = {"timestamp": "Timestamp", "email": "Email", "name": "Name"}
    a = to_submissions(_table(("1/1/2026 10:00:00", "a@x.org", "Ann"), ("", "", "")), cols, "k")
    b = to_submissions(_table(("", " ", ""), ("1/1/2026 10:00:00", "a@x.org", "Ann")), cols, "k")
    assert a.skipped_blank == b.skipped_blank == 1
    assert a.submissions[0].fingerprint == b.submissions[0].fingerprint
    assert a.submissions[0].row == 2 and b.submissions[0].row == 3
    other_key = to_submissions(_table(("1/1/2026 10:00:00", "a@x.org", "Ann")), cols, "k2")
    assert other_key.submissions[0].fingerprint != a.submissions[0].fingerprint
    assert "a@x.org" not in repr(a.submissions)


def test_short_rows_and_text_cells_stay_strings() -> None:
    cols = {"timestamp": "Timestamp", "email": "Email", "name": "Name"}
    r = to_submissions(_table(("1/1/2026 10:00:00", "", "007"), ("1/2/2026 10:00:00",)), cols, "k")
    assert [s.name_raw for s in r.submissions] == ["007", ""]
