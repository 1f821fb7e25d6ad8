"""Consent is the signer's: no editor command puts on the page someone whose latest answer is not
a yes, and the refusal says why. Every editor command against every state without a yes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli

HEADER = (
    "Timestamp,Email Address,Full name,Title and organization (optional),Signing as,"
    "I agree that my name may be published,Notes (editors)"
)
PERSON = {
    "declined": ("d@a.example", "Dora Declined", "Nein"),
    "blank": ("b@a.example", "Bruno Blank", ""),
    "revoked": ("r@a.example", "Rosa Revoked", "Yes"),
    "withdrawn": ("w@a.example", "Walter Withdrawn", "Yes"),
    "erased": ("e@a.example", "Erika Erased", "Yes"),
}
STATES = tuple(PERSON)


def row(day: int, email: str, name: str, yes: str, affiliation: str = "Poet") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(
        (f"11/{day:02d}/2026 10:00:00", email, name, affiliation, "An individual", yes, "")
    )
    return buf.getvalue()


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(*args, "--config", str(site / "signsync.toml"))
    return r.code, r.out, r.err


def page(site: Path) -> str:
    return (site / "statement.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with one published signer and one signer in each state without a yes."""
    site = tmp_path_factory.mktemp("consent") / "site"
    site.mkdir()
    copy_example(site)
    rows = [row(1, "p@a.example", "Paula Published", "Yes")]
    rows += [row(1, email, name, yes) for email, name, yes in PERSON.values()]
    rows.append(row(2, "r@a.example", "Rosa Revoked", "No"))  # a later answer takes the yes back
    (site / "responses.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert cli(site, "apply", "--yes")[0] == 0
    assert cli(site, "withdraw", "w@a.example")[0] == 0
    code, _, err = cli(site, "erase", "e@a.example")
    assert code == 0, err
    assert cli(site, "apply", "--yes")[0] == 0
    assert "Paula Published" in page(site)
    for name in ("Dora", "Bruno", "Rosa", "Walter", "Erika"):
        assert name not in page(site)
    return site


def ids(site: Path) -> dict[str, str]:
    """State -> the entry's id (found by its consent column: the registry names none of them)."""
    with open(site / "signatories.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    found = {r["consent"]: r["id"] for r in rows if r.get("consent")}
    found["published"] = next(r["id"] for r in rows if r["name"] == "Paula Published")
    return found


def copy_site(prepared: Path, tmp_path: Path) -> Path:
    import shutil

    site = tmp_path / "site"
    shutil.copytree(prepared, site)
    return site


COMMANDS = {
    "approve": lambda sid, pub: ("approve", sid),
    "restore": lambda sid, pub: ("restore", sid),
    "merge into a published entry": lambda sid, pub: ("merge", sid, pub, "--yes"),
    "merge a published entry into it": lambda sid, pub: ("merge", pub, sid, "--yes"),
    "rename": lambda sid, pub: ("rename", sid, "Someone Else"),
    "sort-as": lambda sid, pub: ("sort-as", sid, "Aaa"),
    "pin": lambda sid, pub: ("pin", sid),
    "add the same person": lambda sid, pub: ("add", "{name}", "--affiliation", "Poet"),
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_editor_command_publishes_someone_without_a_yes(
    prepared: Path, tmp_path: Path, state: str, command: str
) -> None:
    site = copy_site(prepared, tmp_path)
    found = ids(site)
    sid, pub = found[state], found["published"]
    name = PERSON[state][1]
    args = tuple(a.replace("{name}", name) for a in COMMANDS[command](sid, pub))
    code, _, err = cli(site, *args)
    if code != 0:
        # refused: one line saying why, and nothing changed
        assert err.startswith("Error: ") and err.count("\n") == 1, err
        assert "kept off the page" in err or "withdrawn" in err, err
    code, out, err = cli(site, "apply", "--yes")
    assert code == 0, err
    for part in name.split():
        assert part not in page(site), (command, state)
        assert part not in (site / "signatories.csv").read_text(encoding="utf-8"), (command, state)
        assert part not in out + err
    if command.startswith("merge"):
        assert "Paula" not in page(site)  # merged with someone kept private: off the page too


def test_a_refusal_says_why_for_each_state(prepared: Path, tmp_path: Path) -> None:
    site = copy_site(prepared, tmp_path)
    found = ids(site)
    expected = {
        "declined": "the signer's answer to the consent question is not a yes",
        "blank": "the signer left the consent question unanswered",
        "revoked": "the signer revoked their consent in a later response",
        "withdrawn": "the signer asked to be withdrawn",
        "erased": "the signer asked to be erased",
    }
    for state, why in expected.items():
        code, _, err = cli(site, "approve", found[state])
        assert code == 1
        assert err.startswith(f"Error: {found[state]} is kept off the page: {why}; `signsync approve` cannot")


def test_a_later_yes_after_a_withdrawal_is_held_then_restorable(prepared: Path, tmp_path: Path) -> None:
    site = copy_site(prepared, tmp_path)
    found = ids(site)
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.write(row(5, "w@a.example", "Walter Withdrawn", "Yes") + "\n")
        f.write(row(5, "e@a.example", "Erika Erased", "Yes") + "\n")
    code, out, err = cli(site, "plan")
    assert code == 2
    assert "2 not named (a new yes after a withdrawal: an editor may restore it)" in out
    assert "Walter" not in out + err and "Erika" not in out + err
    assert cli(site, "apply", "--yes")[0] == 0
    assert "Walter" not in page(site) and "Erika" not in page(site)
    code, out, _ = cli(site, "review", "--private", "--json")
    renewed = {e["name"]: e["id"] for e in json.loads(out) if e["consent"] == "renewed"}
    assert renewed == {"Walter Withdrawn": found["withdrawn"], "Erika Erased": found["erased"]}
    assert cli(site, "restore", found["withdrawn"])[0] == 0
    assert cli(site, "apply", "--yes")[0] == 0
    assert "Walter Withdrawn" in page(site)
