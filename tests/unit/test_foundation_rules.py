"""Table-driven tests of the foundation's rules: headers, timestamps, emails, consent,
the marker region and the registry format."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from render.page import checksum, region_text, replace_region
from sync.errors import ColumnError, MarkerError, RegistryError
from sync.intake.responses import (
    canonical_email,
    consent_given,
    day_first_for,
    map_columns,
    parse_timestamp,
    to_submissions,
)
from sync.model import ResponseTable, Signatory, SourceRow
from sync.store.registry import dump_registry, parse_registry, stamp


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


PAGE = "<p>before</p>\n  <!-- signatories:start -->\nold\n  <!-- signatories:end -->\n<p>after</p>\n"


@pytest.mark.parametrize(
    ("page", "section", "expected"),
    [
        (
            PAGE,
            "<ul></ul>\n",
            "<p>before</p>\n  <!-- signatories:start -->\n<ul></ul>\n"
            "  <!-- signatories:end -->\n<p>after</p>\n",
        ),
        (
            "a<!-- signatories:start --><!-- signatories:end -->b",
            "x\n",
            "a<!-- signatories:start -->\nx\n<!-- signatories:end -->b",
        ),
        (
            "a\r\n<!-- signatories:start -->\r\n<!-- signatories:end -->\r\nb",
            "x\ny\n",
            "a\r\n<!-- signatories:start -->\r\nx\r\ny\r\n<!-- signatories:end -->\r\nb",
        ),
    ],
)
def test_replace_region(page: str, section: str, expected: str) -> None:
    out = replace_region(page, section, "p")
    assert out == expected
    assert replace_region(out, section, "p") == out  # a rerun changes no byte


@pytest.mark.parametrize(
    "page",
    [
        "no markers",
        "<!-- signatories:start --> <!-- signatories:start --> <!-- signatories:end -->",
        "<!-- signatories:end --> <!-- signatories:start -->",
    ],
)
def test_region_errors(page: str) -> None:
    with pytest.raises(MarkerError):
        replace_region(page, "x", "p")


def test_checksum_tracks_region() -> None:
    assert checksum(region_text(PAGE, "p")) == checksum("\nold\n  ")
    assert checksum("a") != checksum("b")


def test_registry_round_trip_and_edit_detection() -> None:
    s = stamp(
        Signatory(
            "s-1",
            "published",
            "individual",
            'Ann, "Annie" Lee',
            "Org; Dept",
            "",
            "2026-01-01 10:00:00",
            "ANN LEE",
            ("auto-cased", "x y"),
            "",
            ("0123456789abcdef", "fedcba9876543210"),
            ("00112233445566ff",),
        )
    )
    text = dump_registry([s])
    assert text.count("\n") == 2
    (back,) = parse_registry(text, "r")
    assert back == s and not back.edited
    edited = parse_registry(text.replace("Org; Dept", "Other Org"), "r")[0]
    assert edited.edited


HEAD = "id,status,kind,name,affiliation,sort_as,signed,typed,flags,reason,responses,email_keys,generated\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,kind\nx,individual\n", "r:1: the header row lacks id, status"),
        (HEAD.replace(",affiliation", "") + "s-100,published,individual,A,,,,,,,,\n", "lacks affiliation"),
        (HEAD + "s-100,maybe,individual,A,,,,,,,,,\n", "r:2: column 2 (status): status 'maybe' for s-100"),
        (HEAD + "s-100,published,person,A,,,,,,,,,\n", "r:2: column 3 (kind): kind 'person' for s-100"),
        (
            HEAD + "s-100,published,individual,A,,,,,,,,,\ns-100,published,individual,B,,,,,,,,,\n",
            "r:3: column 1 (id): id s-100 appears twice (also line 2)",
        ),
        (HEAD + "s-100,published,individual\n", "r:2: the row has 3 cells but the header has 13"),
        (HEAD + "s-100,published,individual,A,,,,,,,1.23E+15,,\n", "r:2: column 11 (responses): '1.23E+15'"),
        (
            HEAD + "s-100,published,individual,,,,,,,,,,\n",
            "column 4 (name): s-100 is published but has no name",
        ),
        (HEAD + "s 1,published,individual,A,,,,,,,,,\n", "column 1 (id): 's 1' is not an id"),
    ],
)
def test_registry_errors(text: str, message: str) -> None:
    with pytest.raises(RegistryError) as err:
        parse_registry(text, "r")
    assert message in str(err.value)


def _patch(diff: str, source: str) -> str:
    """Apply a unified diff (as `patch` would) to check it is right."""
    import re

    lines, out, pos = source.splitlines(keepends=True), [], 0
    body = diff.splitlines(keepends=True)[2:]
    i = 0
    while i < len(body):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", body[i])
        assert m, body[i]
        first, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
        start = first - 1 if count else first
        out += lines[pos:start]
        pos, i = start, i + 1
        while i < len(body) and not body[i].startswith("@@"):
            tag, text = body[i][0], body[i][1:]
            if tag == " ":
                assert lines[pos] == text
                out.append(text)
                pos += 1
            elif tag == "-":
                assert lines[pos] == text
                pos += 1
            else:
                out.append(text)
            i += 1
    return "".join(out + lines[pos:])


@given(
    st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e\n"]), max_size=60),
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 60), st.sampled_from(["x\n", "a\n", "y\n"])),
        min_size=1,
        max_size=6,
    ),
)
def test_unified_diff_patches_before_into_after(before_lines: list[str], edits: list) -> None:
    from sync.support.diffs import unified_diff

    after_lines = list(before_lines)
    for op, where, text in edits:
        where = min(where, len(after_lines))
        if op == 0:
            after_lines.insert(where, text)
        elif after_lines and where < len(after_lines):
            if op == 1:
                del after_lines[where]
            else:
                after_lines[where] = text
    before, after = "".join(before_lines), "".join(after_lines)
    diff = unified_diff(before, after, "f")
    assert (diff == "") == (before == after)
    if diff:
        assert _patch(diff, before) == after


def test_a_huge_diff_is_summarised_not_computed() -> None:
    from sync.support.diffs import MAX_DIFF_LINES, unified_diff

    before = "".join(f"{i}\n" for i in range(10))
    after = before + "".join(f"new {i}\n" for i in range(MAX_DIFF_LINES + 1))
    assert unified_diff(before, after, "r.csv") == (
        f"--- a/r.csv\n+++ b/r.csv\n@@ -11,0 +11,{MAX_DIFF_LINES + 1} @@ 0 lines out, "
        f"{MAX_DIFF_LINES + 1:,} lines in: too many to show here; compare the files after apply "
        "(git diff)\n"
    )
    small = before + "new\n"
    assert unified_diff(before, small, "r.csv").endswith("+new\n")
