"""The registry's state file read as a typed State and written back byte for byte: absent keys stay
absent, null stays null, keys this version does not know are kept; a damaged file is one error."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from sync.errors import RegistryError
from sync.store.state import ABSENT, PageRecord, State


def state_text(**doc: object) -> str:
    return json.dumps({"version": 1, **doc}, indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize(
    "doc",
    [
        {},
        {"published": []},
        {"published": ["s-1", "s-2"]},
        {"cursor": None, "applied": None},
        {"cursor": {"rows": 12, "tail": "abc"}, "key_check": "k1", "page": {"checksum": "m1:x"}},
        {"page": {"checksum": "m1:x", "writing": "m1:y"}, "applied": {"version": "0.1.0", "page": None}},
        {"page": {"checksum": "m1:x", "later": 1}, "a key from a later version": [1, 2]},
        {"date_order": "dmy", "key_check": "k"},
    ],
    ids=["empty", "none-published", "published", "nulls", "cursor", "writing", "unknown-keys", "date-order"],
)
def test_a_state_reads_and_writes_back_the_same_bytes(doc: dict[str, object]) -> None:
    text = state_text(**doc)
    assert State.parse(text, "s.json").dump() == text


def test_absent_and_null_are_told_apart() -> None:
    assert State.parse(state_text(), "s.json").applied is ABSENT
    assert State.parse(state_text(applied=None), "s.json").applied is None
    assert State.parse(state_text(cursor=None), "s.json").source_cursor is None
    assert State.parse(state_text(cursor={"rows": 3}), "s.json").source_cursor == {"rows": 3}


def test_recording_a_write_keeps_the_checksum() -> None:
    state = State(page=PageRecord("m1:old"))
    assert state.writing("m1:new").page == PageRecord("m1:old", "m1:new")
    assert State().writing("m1:new").page == PageRecord(None, "m1:new")


def test_a_new_state_writes_only_what_it_holds() -> None:
    state = replace(State(), key_check="k", published=("s-1",), page=PageRecord("m1:x"), applied=None)
    assert json.loads(state.dump()) == {
        "version": 1,
        "key_check": "k",
        "published": ["s-1"],
        "page": {"checksum": "m1:x"},
        "applied": None,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a signsync state"),
        ('{"page": []}', "'page' is not what signsync writes there"),
        ('{"page": {"checksum": 3}}', "'page' is not what signsync writes there"),
        ('{"published": [1]}', "'published' must list entry ids"),
        ('{"key_check": null}', "'key_check' is not what signsync writes there"),
    ],
)
def test_a_damaged_state_is_one_error_naming_the_file(text: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message) as caught:
        State.parse(text, Path("site/signatories.state.json"))
    assert str(caught.value).startswith("site/signatories.state.json: ")
