"""Editors' review commands, end to end through the CLI, and their effect across reruns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.support.helpers import run_cli


@pytest.fixture(autouse=True)
def applied(site: Path) -> None:
    """Every test here starts from the example after one `signsync apply --yes`."""
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(*args, "--config", str(site / "signsync.toml"))
    return r.code, r.out, r.err


def registry(site: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((site / "signatories.csv").read_text(encoding="utf-8")))
    return {row["id"]: row for row in rows}


def by_name(site: Path, name: str, status: str | None = None) -> str:
    hits = [
        i
        for i, r in registry(site).items()
        if r["name"] == name and (status is None or r["status"] == status)
    ]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def page(site: Path) -> str:
    return (site / "statement.html").read_text(encoding="utf-8")


def append_rows(site: Path, *rows: str) -> None:
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.writelines(row + "\n" for row in rows)


def apply(site: Path) -> None:
    code, _, err = cli(site, "apply", "--yes")
    assert code == 0, err


def test_review_lists_held_entries_with_reasons_and_suggestions(site: Path) -> None:
    # a third Claire Murphy, nothing to tell her from the others: held as a possible namesake
    append_rows(site, "11/23/2026 10:00:00,claire@third.example,Claire Murphy,,An individual,Yes,")
    apply(site)
    code, out, _ = cli(site, "review")
    assert code == 0
    held = by_name(site, "Claire Murphy", "pending")
    nurse, architect = (i for i, r in registry(site).items() if r["name"] == "Claire Murphy" and i != held)
    assert f"{held}  [pending] individual: Claire Murphy\n" in out
    assert f"signsync merge {held} {nurse}" in out and f"signsync merge {held} {architect}" in out
    assert f"decide: signsync approve {held}" in out
    code, out, _ = cli(site, "review", "--json")
    pending = {e["name"]: e for e in json.loads(out) if e["status"] == "pending"}
    assert sorted(pending) == ["Bill Gates", "Claire Murphy"]
    assert pending["Claire Murphy"]["id"] == held
    assert pending["Bill Gates"]["reason"] == "watch list: looks like Bill Gates"
    # who answered no is counted, not named; the editor's key opens it on request
    assert "Priya" not in cli(site, "review")[1]
    assert "2 entries are kept private" in cli(site, "review")[1]  # Priya, and a blank row
    code, out, _ = cli(site, "review", "--private", "--json")
    (priya,) = [e for e in json.loads(out) if e.get("consent") == "declined"]
    assert (priya["name"], priya["reasons"]) == ("Priya Raman", ["consent answer 'No' is not a yes"])


def test_approve_publishes_and_survives_rerun(site: Path) -> None:
    held = by_name(site, "Bill Gates", "pending")
    assert "Bill Gates" not in page(site)
    code, _, err = cli(site, "approve", held[:6])
    assert code == 0, err
    apply(site)
    assert '<span dir="auto">Bill Gates</span>' in page(site)
    assert cli(site, "plan")[0] == 0
    row = registry(site)[held]
    assert row["status"] == "published"
    assert row["reason"] == "approved by an editor (was: watch list: looks like Bill Gates)"
    assert row["decided"].endswith(" editor approve")


def test_reject_with_reason(site: Path) -> None:
    sid = by_name(site, "Kenji Tanaka")
    code, _, err = cli(site, "reject", sid, "--reason", "not a real signer")
    assert code == 0, err
    apply(site)
    assert "Kenji Tanaka" not in page(site)
    assert registry(site)[sid]["reason"] == "not a real signer"
    assert cli(site, "plan")[0] == 0


def test_merge_moves_responses_and_removes_the_duplicate(site: Path) -> None:
    # namesakes told apart by email and affiliation are both published
    ids = [i for i, r in registry(site).items() if r["name"] == "Claire Murphy"]
    assert [registry(site)[i]["status"] for i in ids] == ["published", "published"]
    other, dup = ids
    responses = registry(site)[dup]["responses"].split() + registry(site)[other]["responses"].split()
    code, _, err = cli(site, "merge", dup, other, "--yes")
    assert code == 0, err
    reg = registry(site)
    assert dup not in reg and sorted(reg[other]["responses"].split()) == sorted(responses)
    apply(site)
    assert cli(site, "plan")[0] == 0  # the merged response is not re-created


def test_rename_and_sort_as_stick(site: Path) -> None:
    sid = by_name(site, "Ben Chacko")
    assert cli(site, "rename", sid, "bell hooks")[0] == 0
    assert cli(site, "sort-as", sid, "Aaaa")[0] == 0
    apply(site)
    individuals = page(site).split("Individuals")[1]
    # by the rule "bell hooks" sorts under H, after García; sort-as puts it before
    assert individuals.index('<span dir="auto">bell hooks</span>') < individuals.index(
        '<span dir="auto">José García</span>'
    )
    # the same person signs again in capitals: the editor's spelling stays
    append_rows(site, "11/25/2026 10:00:00,ben.chacko@example.net,BEN CHACKO,,An individual,Yes,")
    apply(site)
    assert '<span dir="auto">bell hooks</span>' in page(site) and "Ben Chacko" not in page(site)


def test_withdraw_by_email_is_permanent_until_restore(site: Path) -> None:
    sid = by_name(site, "Anna Schmidt")
    code, _, err = cli(site, "withdraw", "A.Schmidt@example.de")
    assert code == 0, err
    apply(site)
    assert "Anna Schmidt" not in page(site)
    append_rows(site, "11/26/2026 10:00:00,a.schmidt@example.de,Anna Schmidt,,An individual,Yes,")
    apply(site)
    assert "Anna Schmidt" not in page(site)
    assert registry(site)[sid]["status"] == "withdrawn"
    assert len(registry(site)[sid]["responses"].split()) == 2
    assert cli(site, "restore", sid)[0] == 0
    apply(site)
    assert '<span dir="auto">Anna Schmidt</span>' in page(site)


def test_withdraw_by_name_refuses_when_ambiguous(site: Path) -> None:
    code, _, err = cli(site, "withdraw", "Claire Murphy")
    assert code == 1
    assert "2 entries are named 'Claire Murphy': withdraw by id:" in err
    code, _, err = cli(site, "withdraw", "Marta Kowalska")
    assert code == 0, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("approve", "s-zzzz"), "Error: no entry with id s-zzzz: `signsync review --all` lists them"),
        (("withdraw", "nobody@example.com"), "Error: no entry has that email address"),
        (("approve", "s-"), "Error: id s- is ambiguous"),
    ],
)
def test_review_errors(site: Path, args: tuple[str, ...], message: str) -> None:
    before = (site / "signatories.csv").read_bytes()
    code, _, err = cli(site, *args)
    assert code == 1 and err.startswith(message)
    assert (site / "signatories.csv").read_bytes() == before
