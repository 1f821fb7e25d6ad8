"""The self-service rules, table-driven: tokens, the signers' requests on the registry, the
pre-filled link."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from sync.errors import ConfigError
from sync.model import Change, Signatory
from sync.operations.self_service.actions import AWAITING, Seen, apply_requests, hold_unconfirmed
from sync.operations.self_service.requests import SignerRequest
from sync.operations.self_service.setup import PrefilledForm, read_prefilled_link, with_self_service
from sync.operations.self_service.tokens import make_token, token_entry, token_key, token_valid

KEY = token_key("a test key")
OTHER_KEY = token_key("another key")


def test_a_token_is_url_safe_and_long_enough_not_to_be_guessed() -> None:
    token = make_token(KEY, "s-0123456789", "abcdef0123456789", "withdraw")
    entry, _, mac = token.rpartition(".")
    assert entry == "s-0123456789" and token_entry(token) == entry
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", mac)  # 144 bits
    assert len(mac) * 6 >= 128


@pytest.mark.parametrize(
    ("entry", "email_keys", "action", "key", "valid"),
    [
        ("s-0123456789", ("abcdef0123456789",), "withdraw", KEY, True),
        ("s-0123456789", ("ffff000011112222", "abcdef0123456789"), "withdraw", KEY, True),
        ("s-0123456789", ("abcdef0123456789",), "confirm", KEY, False),  # another action
        ("s-9999999999", ("abcdef0123456789",), "withdraw", KEY, False),  # another entry
        ("s-0123456789", ("ffff000011112222",), "withdraw", KEY, False),  # another signer
        ("s-0123456789", (), "withdraw", KEY, False),  # no email key any more
        ("s-0123456789", ("abcdef0123456789",), "withdraw", OTHER_KEY, False),  # another hash key
        ("s-0123456789", ("abcdef0123456789",), "erase", KEY, False),  # not an action
    ],
)
def test_a_token_works_only_for_its_own_entry_signer_and_action(
    entry: str, email_keys: tuple[str, ...], action: str, key: bytes, valid: bool
) -> None:
    token = make_token(KEY, "s-0123456789", "abcdef0123456789", "withdraw")
    assert token_valid(key, token, entry, email_keys, action) is valid


@pytest.mark.parametrize("position", range(13, 37))
def test_any_altered_character_makes_a_token_invalid(position: int) -> None:
    token = make_token(KEY, "s-0123456789", "abcdef0123456789", "confirm")
    flipped = "A" if token[position] != "A" else "B"
    altered = token[:position] + flipped + token[position + 1 :]
    assert not token_valid(KEY, altered, "s-0123456789", ("abcdef0123456789",), "confirm")


@pytest.mark.parametrize("text", ["", "garbage", "s-0123456789.", ".abc", "s-0123456789.short"])
def test_a_malformed_token_names_no_entry(text: str) -> None:
    assert token_entry(text) == ""


def entry(sid: str, status: str = "published", **kw: object) -> Signatory:
    return Signatory(
        sid, status, "individual", kw.pop("name", "Amina Yusuf"), email_keys=("abcdef0123456789",), **kw
    )  # type: ignore[arg-type]


def request(n: int, sid: str, action: str, **kw: str) -> SignerRequest:
    token = make_token(KEY, sid, "abcdef0123456789", action)
    return SignerRequest(f"row{n}", n + 1, datetime(2026, 12, 7, 10, n), token, action, **kw)


def test_requests_act_once_each_and_later_reads_skip_them() -> None:
    sigs = (entry("s-1"), entry("s-2", name="Ben Chacko"))
    reqs = (request(1, "s-1", "confirm"), request(2, "s-2", "withdraw"), request(3, "s-2", "withdraw"))
    first = apply_requests(sigs, reqs, KEY, Seen(), publish="at_once", when="2026-12-07T10:00:00Z")
    assert [c.action for c in first.changes] == ["confirm", "withdraw"]
    assert first.counts["reused"] == 1 and first.counts["invalid"] == 0
    by_id = {s.id: s for s in first.signatories}
    assert by_id["s-1"].confirmed == "2026-12-07T10:01:00Z webmail"
    assert by_id["s-2"].status == "withdrawn" and by_id["s-2"].decided.endswith("signer withdraw")
    again = apply_requests(first.signatories, reqs, KEY, first.seen, publish="at_once", when="x")
    assert again.changes == () and again.counts == dict.fromkeys(again.counts, 0)


@pytest.mark.parametrize(
    ("start", "name", "affiliation", "expected_name", "expected_affiliation"),
    [
        ("Jose Garcia", "José García", "", "José García", "Nurse"),
        (
            "Jose Garcia",
            "José Antonio García",
            "Nurse, Hospital Clínic",
            "José Antonio García",
            "Nurse, Hospital Clínic",
        ),
        ("Jose Garcia", "", "Doctor", "Jose Garcia", "Doctor"),
        ("Jose Garcia", "asdf", "", "Jose Garcia", "Nurse"),  # rejected by the names engine: not used
    ],
)
def test_a_correction_follows_the_names_engine(
    start: str, name: str, affiliation: str, expected_name: str, expected_affiliation: str
) -> None:
    sigs = (entry("s-1", name=start, affiliation="Nurse"),)
    out = apply_requests(
        sigs, (request(1, "s-1", "correct", name=name, affiliation=affiliation),), KEY, Seen(),
        publish="at_once", when="w",
    )  # fmt: skip
    s = out.signatories[0]
    assert (s.name, s.affiliation) == (expected_name, expected_affiliation)
    assert s.status == "published"


def test_on_confirmation_holds_new_entries_and_confirming_publishes_them() -> None:
    new = entry("s-1")
    no_email = Signatory("s-2", "published", "individual", "Ben Chacko")
    held, changes, moved = hold_unconfirmed(
        {"s-1": new, "s-2": no_email}, (Change("add", "s-1", ("r1",)), Change("add", "s-2", ("r2",)))
    )
    assert moved == 2 and [c.action for c in changes] == ["hold", "hold"]
    assert held["s-1"].reason == AWAITING and held["s-2"].reason.startswith("no email address")
    out = apply_requests(
        (held["s-1"],), (request(1, "s-1", "confirm"),), KEY, Seen(), publish="on_confirmation", when="w"
    )
    assert out.signatories[0].status == "published" and out.signatories[0].reason == ""


def test_a_withdrawn_entry_stays_withdrawn_whatever_its_links_say() -> None:
    sigs = (entry("s-1", status="withdrawn"),)
    out = apply_requests(sigs, (request(1, "s-1", "confirm"),), KEY, Seen(), publish="at_once", when="w")
    assert out.signatories == sigs and out.counts["no effect"] == 1


LINK = (
    "https://docs.google.com/forms/d/e/1FAIpQLSx/viewform?usp=pp_url"
    "&entry.11=token&entry.22=Confirmer&entry.33=name&entry.44=affiliation"
)


ALL_FOUR = {"token": "entry.11", "action": "entry.22", "name": "entry.33", "affiliation": "entry.44"}
BY_PLACE = "https://docs.google.com/forms/d/e/X/viewform?usp=pp_url&entry.5=a&entry.6=b"


@pytest.mark.parametrize(
    ("link", "entries"),
    [
        (LINK, ALL_FOUR),
        (LINK.replace("Confirmer", "Confirm"), ALL_FOUR),
        (BY_PLACE, {"token": "entry.5", "action": "entry.6"}),
    ],
)
def test_the_prefilled_link_gives_the_entry_ids(link: str, entries: dict[str, str]) -> None:
    form = read_prefilled_link(link, ("Confirm", "Correct", "Withdraw"))
    assert form.entries == entries
    assert form.form_url.endswith("/viewform") and "?" not in form.form_url


@pytest.mark.parametrize(
    "link", ["https://example.org/x", "https://docs.google.com/forms/d/e/X/viewform?usp=pp_url&entry.1=token"]
)
def test_a_link_that_is_not_prefilled_is_refused(link: str) -> None:
    with pytest.raises(ConfigError):
        read_prefilled_link(link, ("Confirm",))


def test_writing_the_section_keeps_other_keys_and_comments() -> None:
    form = PrefilledForm(
        "https://docs.google.com/forms/d/e/X/viewform", {"token": "entry.1", "action": "entry.2"}, ""
    )
    text = (
        '[page]\npath = "p.html"\n\n[self_service]\n# mine\ntoken_entry = "entry.9"\n'
        'publish = "at_once"\n\n[notify]\n'
    )
    out = with_self_service(text, form)
    assert 'token_entry = "entry.1"' in out and "entry.9" not in out
    assert "# mine" in out and 'publish = "at_once"' in out and out.count("[self_service]") == 1
    assert out.index("action_entry") < out.index("[notify]")


def _second_form_config(**extra: str):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from sync.config import parse_config

    section = {
        "form_url": "https://docs.google.com/forms/d/e/X/viewform",
        "token_entry": "entry.1",
        "action_entry": "entry.2",
        "path": "second.csv",
        **extra,
    }
    doc = {"source": {"path": "r.csv"}, "columns": {"name": "Name"}, "page": {"path": "p.html"}}
    return parse_config(Path("/tmp/signsync.toml"), {**doc, "self_service": section}).self_service


def test_the_name_and_affiliation_columns_are_needed_only_when_the_links_fill_them_in() -> None:
    from sync.errors import ColumnError
    from sync.model import ResponseTable, SourceRow
    from sync.operations.self_service.requests import column_index, to_requests

    table = ResponseTable(
        "second.csv", ("Timestamp", "Token", "Action"), (SourceRow(2, ("", "t", "Withdraw")),)
    )
    plain = _second_form_config()
    assert column_index(table, plain)["name"] is None
    assert to_requests(table, plain, "k")[0].action == "withdraw"
    with pytest.raises(ColumnError, match="no column 'Corrected name' for \\[self_service\\] name_column"):
        column_index(table, _second_form_config(name_entry="entry.3"))


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"form_url": "https://example.org/form"}, "must be the second form's address ending in /viewform"),
        ({"token_entry": "12"}, 'token_entry must look like "entry.123456789"'),
        ({"source": "sheet"}, 'source = "sheet" needs spreadsheet'),
        ({"action_entry": "entry.x"}, 'action_entry must look like "entry.123456789"'),
    ],
)
def test_a_self_service_mistake_in_the_config_names_the_key(section: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        _second_form_config(**section)
