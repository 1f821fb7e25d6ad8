"""The registry's CSV format (sync/store/registry.py): a round trip, hand edits detected, and
each damaged file refused with the line and the fix."""

from __future__ import annotations

import pytest

from sync.errors import RegistryError
from sync.model import Signatory
from sync.store.registry import dump_registry, parse_registry, stamp


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
