"""Duplicates across scripts, legal forms and acronyms through the CLI on real files: a name in
two scripts is held (never merged silently), even from one address; an organization with and
without its legal form is one entry."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli

HEADER = (
    "Timestamp,Email Address,Full name,Title and organization (optional),Signing as,"
    "I agree that my name may be published,Notes (editors)"
)
ORG = "An organization"


def row(day: int, email: str, name: str, kind: str = "An individual") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(
        (f"11/{day:02d}/2026 10:00:00", email, name, "", kind, "Yes", "")
    )
    return buf.getvalue()


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    copy_example(tmp_path)
    return tmp_path


def apply(site: Path, *rows: str) -> list[dict[str, str]]:
    """Write the responses, apply them, and return the registry rows."""
    (site / "responses.csv").write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    return list(csv.DictReader(io.StringIO((site / "signatories.csv").read_text(encoding="utf-8"))))


def listed(site: Path) -> list[str]:
    page = (site / "statement.html").read_text(encoding="utf-8")
    return [html.unescape(n) for n in re.findall(r'<li><span dir="auto">([^<]*)</span>', page)]


@pytest.mark.parametrize("second_email", ["zurab@x.example", "z.tkemaladze@y.example"])
def test_a_name_in_two_scripts_is_held_as_a_possible_duplicate(site: Path, second_email: str) -> None:
    entries = apply(
        site, row(1, "zurab@x.example", "Zurab Tkemaladze"), row(2, second_email, "ზურაბ ტყემალაძე")
    )
    assert [(e["name"], e["status"]) for e in entries] == [
        ("Zurab Tkemaladze", "published"),
        ("ზურაბ ტყემალაძე", "pending"),
    ]
    assert "another script" in entries[1]["reason"]
    assert listed(site) == ["Zurab Tkemaladze"]


def test_two_people_in_two_scripts_at_one_address_are_both_published(site: Path) -> None:
    entries = apply(
        site, row(1, "family@x.example", "Zurab Tkemaladze"), row(2, "family@x.example", "ნინო ტყემალაძე")
    )
    assert [e["status"] for e in entries] == ["published", "published"]


def test_an_organization_with_and_without_its_legal_form_is_one_entry(site: Path) -> None:
    entries = apply(
        site,
        row(1, "info@acme.example", "Acme Gesellschaft mit beschränkter Haftung", ORG),
        row(2, "office@acme.example", "Acme", ORG),
        row(3, "a@ngo.example", "Médecins Sans Frontières", ORG),
        row(4, "b@other.example", "MSF", ORG),
    )
    by_name = {e["name"]: e for e in entries}
    assert "Acme" not in by_name  # merged into the first entry
    assert by_name["Acme Gesellschaft mit beschränkter Haftung"]["status"] == "published"
    assert by_name["MSF"]["status"] == "pending"  # an acronym: held for the editor
    assert "acronym" in by_name["MSF"]["reason"]
