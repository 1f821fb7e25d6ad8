"""Personal data beyond email addresses: phone numbers, postal addresses and identity numbers in a
name, an affiliation, or an editor's --reason/--note are never published nor stored in clear,
while ordinary affiliations with numbers pass untouched. And the cache is private to its user."""

from __future__ import annotations

import csv
import io
import os
import stat
import time
from pathlib import Path

import pytest

from sync.names.redact import mask_personal, personal_data
from tests.support.helpers import copy_example, run_cli

ORDINARY = [
    "Room 101",
    "Building 5",
    "Class of 2026",
    "UN Resolution 2334",
    "COVID-19 ward",
    "ISO 9001:2015 auditor",
    "Horizon 2020 project 101034567",
    "UNESCO Chair 2019-2023",
    "Local 1199 SEIU",
    "Wall Street Journal",
    "Place 2 Be",
    "Lane 8 collective",
    "Passport Office staff",
    "Apollo 11 archive",
    "Route 66 association",
    "Professor, University of Lagos",
]
PERSONAL = [
    ("+49 151 23456789", "phone number"),
    ("Nurse, call (030) 123-4567", "phone number"),
    ("Teacher, 14 Elm Road, Leeds", "postal address"),
    ("Hauptstraße 12, 10115 Berlin", "postal address"),
    ("Rua das Flores 45, Porto", "postal address"),
    ("Passport X1234567", "identity number"),
    ("SSN 123-45-6789", "identity number"),
    ("CPF 123.456.789-09", "identity number"),
    ("IBAN DE89370400440532013000", "identity number"),
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_affiliations_with_numbers_are_not_personal_data(text: str) -> None:
    assert personal_data(text) == [] and mask_personal(text) == text


@pytest.mark.parametrize(("text", "kind"), PERSONAL)
def test_phone_numbers_addresses_and_identity_numbers_are_found_and_masked(text: str, kind: str) -> None:
    assert kind in personal_data(text)
    masked = mask_personal(text)
    assert masked != text and not any(ch.isdigit() for ch in masked.replace("2026", "")), masked


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(*args, "--config", str(site / "signsync.toml"))
    return r.code, r.out, r.err


def test_personal_data_in_a_response_is_held_masked_and_never_written(tmp_path: Path) -> None:
    copy_example(tmp_path)
    rows = [
        ("Lena Vogel", "Nurse, +49 151 23456789"),
        ("Tom Baker", "Teacher, 14 Elm Road, Leeds"),
        ("Rui Costa", "Passport X1234567"),
        ("Ana Lima 0151-23456789", "Poet"),
        ("Kim Park", "Room 101, Building 5"),
    ]
    with open(tmp_path / "responses.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for i, (name, affiliation) in enumerate(rows):
            writer.writerow(
                [f"11/30/2026 10:0{i}:00", f"p{i}@x.example", name, affiliation, "An individual", "Yes", ""]
            )
    code, out, err = cli(tmp_path, "plan", "--json")
    assert code == 2, err
    assert cli(tmp_path, "apply", "--yes")[0] == 0
    written = (
        out
        + err
        + "".join(
            p.read_text(encoding="utf-8")
            for p in tmp_path.iterdir()
            if p.is_file() and p.name != "responses.csv"
        )
    )
    for secret in ("23456789", "Elm Road", "X1234567", "0151"):
        assert secret not in written, secret
    registry = list(csv.DictReader(io.StringIO((tmp_path / "signatories.csv").read_text(encoding="utf-8"))))
    by_name = {r["name"]: r for r in registry}
    assert (by_name["Lena Vogel"]["status"], by_name["Lena Vogel"]["affiliation"]) == ("pending", "Nurse")
    assert "phone number in the affiliation (removed)" in by_name["Lena Vogel"]["reason"]
    assert "personal data removed" in by_name["Lena Vogel"]["flags"]
    assert by_name["Tom Baker"]["affiliation"] == "Teacher, Leeds"
    assert by_name["Rui Costa"]["status"] == "pending"
    assert by_name["Kim Park"]["status"] == "published"  # ordinary numbers pass
    assert by_name["Kim Park"]["affiliation"] == "Room 101, Building 5"
    page = (tmp_path / "statement.html").read_text(encoding="utf-8")
    assert "Lena Vogel" not in page and "Kim Park" in page


def test_an_editors_reason_and_note_are_masked(tmp_path: Path) -> None:
    copy_example(tmp_path)
    assert cli(tmp_path, "apply", "--yes")[0] == 0
    registry = list(csv.DictReader(io.StringIO((tmp_path / "signatories.csv").read_text(encoding="utf-8"))))
    sid = next(r["id"] for r in registry if r["name"] == "Ben Chacko")
    code, _, err = cli(tmp_path, "reject", sid, "--reason", "asked by phone, +44 20 7946 0958, x@y.org")
    assert code == 0, err
    assert "the reason held email address and phone number: masked (the registry is not private)" in err
    code, _, err = cli(tmp_path, "add", "Mara Jade", "--note", "by letter from Hauptstraße 12, Berlin")
    assert code == 0, err
    text = (tmp_path / "signatories.csv").read_text(encoding="utf-8")
    for secret in ("7946", "x@y.org", "Hauptstraße 12"):
        assert secret not in text
    assert "asked by phone, [phone number removed], [email removed]" in text
    assert "by letter from [address removed], Berlin" in text


def test_the_cache_is_private_and_a_cache_whose_registry_is_gone_is_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"SIGNSYNC_CACHE_DIR": str(cache)}
    sites = []
    for name in ("one", "two"):
        site = tmp_path / name
        site.mkdir()
        copy_example(site)
        assert run_cli("apply", "--yes", "--config", str(site / "signsync.toml"), env=env).code == 0
        sites.append(site)
    files = sorted(cache.glob("*.sqlite"))
    assert len(files) == 2
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    for f in cache.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) & 0o077 == 0, f
    # the second statement is deleted; the first one's next run removes its cache (once old)
    for p in sites[1].iterdir():
        p.unlink()
    sites[1].rmdir()
    old = time.time() - 3600
    for f in files:
        os.utime(f, (old, old))
    with open(sites[0] / "responses.csv", "a", encoding="utf-8") as f:
        f.write("11/30/2026 10:00:00,new@x.example,Nadia Haddad,Poet,An individual,Yes,\n")
    assert run_cli("apply", "--yes", "--config", str(sites[0] / "signsync.toml"), env=env).code == 0
    assert len(list(cache.glob("*.sqlite"))) == 1
