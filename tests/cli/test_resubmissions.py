"""Re-submissions: a signer who answers the form again. What the new answer brings follows one
rule for the name and the affiliation (docs/names.md): the same signer's (same email) latest
wins, where only case or accents differ the better form stays, another signer's (a same name
only) is not taken, and a text the names engine would hold is not taken over a published one.
Under `policy = "review"` a published signer's changed text waits for an editor. The plan says,
for each re-submission, what was taken from it and what was not, and why."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from tests.support.helpers import copy_example, run_cli

HEADER = (
    "Timestamp,Email Address,Full name,Title and organization (optional),Signing as,"
    "I agree that my name may be published,Notes (editors)\n"
)


def _row(when: str, email: str, name: str, affiliation: str = "", consent: str = "Yes") -> str:
    return f'11/{when},{email},{name},"{affiliation}",An individual,{consent},\n'


def _site(tmp_path: Path, rows: list[str], policy: str = "publish") -> Path:
    cfg = copy_example(tmp_path)
    cfg.write_text(cfg.read_text() + f'\n[names]\npolicy = "{policy}"\n', encoding="utf-8")
    _responses(cfg, rows)
    return cfg


def _responses(cfg: Path, rows: list[str]) -> None:
    (cfg.parent / "responses.csv").write_text(HEADER + "".join(rows), encoding="utf-8")


def _apply(cfg: Path) -> str:
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    return r.out + r.err


def _entries(cfg: Path) -> dict[str, dict[str, str]]:
    with open(cfg.parent / "signatories.csv", encoding="utf-8", newline="") as f:
        return {row["name"]: row for row in csv.DictReader(f)}


def _page(cfg: Path) -> list[str]:
    """The entries the page lists, as a reader sees them."""
    items = re.findall(r"<li>(.*?)</li>", (cfg.parent / "statement.html").read_text(encoding="utf-8"))
    return [re.sub(r"<[^>]+>", "", item) for item in items]


FIRST = _row("21/2026 09:00:00", "kofi.mensah@example.org", "Kofi Mensah", "Teacher, Accra Academy")


def test_the_same_signers_new_affiliation_is_taken_and_the_plan_says_so(tmp_path: Path) -> None:
    cfg = _site(tmp_path, [FIRST])
    _apply(cfg)
    again = _row(
        "22/2026 10:00:00", "kofi.mensah@example.org", "Kofi Mensah", "Head teacher, Achimota School"
    )
    _responses(cfg, [FIRST, again])
    r = run_cli("plan", "--json", "--config", str(cfg))
    change = next(c for c in json.loads(r.out)["changes"] if c["name"] == "Kofi Mensah")
    assert change["action"] == "merge"
    assert change["reason"] == (
        f"same email: merged into {change['id']}; taken from it: affiliation "
        "'Head teacher, Achimota School' (was 'Teacher, Accra Academy')"
    )
    markdown = run_cli("plan", "--format", "markdown", "--config", str(cfg)).out
    assert (
        "taken from it: affiliation 'Head teacher, Achimota School' (was 'Teacher, Accra Academy')"
        in markdown
    )
    _apply(cfg)
    assert _entries(cfg)["Kofi Mensah"]["affiliation"] == "Head teacher, Achimota School"
    assert "Kofi Mensah (Head teacher, Achimota School)" in _page(cfg)


def test_an_affiliation_filled_in_later_waits_for_approval_under_review(tmp_path: Path) -> None:
    bare = _row("21/2026 09:00:00", "kofi.mensah@example.org", "Kofi Mensah")
    cfg = _site(tmp_path, [bare], policy="review")
    _apply(cfg)
    sid = _entries(cfg)["Kofi Mensah"]["id"]
    assert run_cli("approve", sid, "--config", str(cfg)).code == 0
    _apply(cfg)
    assert "Kofi Mensah" in _page(cfg)
    later = _row("23/2026 08:00:00", "kofi.mensah@example.org", "Kofi Mensah", "Teacher, Accra Academy")
    _responses(cfg, [bare, later])
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 2
    assert "0 merged, 1 held for review" in r.out
    assert (
        f"{sid}  Kofi Mensah  [same email: merged into {sid}; taken from it: affiliation "
        "'Teacher, Accra Academy' (there was none); held: policy: a changed name or affiliation waits "
        "for approval (on the page as 'Kofi Mensah' until now)]"
    ) in r.out
    _apply(cfg)
    entry = _entries(cfg)["Kofi Mensah"]
    assert (entry["status"], entry["affiliation"]) == ("pending", "Teacher, Accra Academy")
    assert not any("Kofi" in line for line in _page(cfg)), "not live without review"
    assert run_cli("approve", sid, "--config", str(cfg)).code == 0
    _apply(cfg)
    assert "Kofi Mensah (Teacher, Accra Academy)" in _page(cfg)


def test_under_review_an_unchanged_resubmission_stays_on_the_page(tmp_path: Path) -> None:
    cfg = _site(tmp_path, [FIRST], policy="review")
    _apply(cfg)
    sid = _entries(cfg)["Kofi Mensah"]["id"]
    assert run_cli("approve", sid, "--config", str(cfg)).code == 0
    _apply(cfg)
    # The same text again, and only another case: nothing an editor must see again.
    again = _row("22/2026 10:00:00", "kofi.mensah@example.org", "KOFI MENSAH", "teacher, accra academy")
    _responses(cfg, [FIRST, again])
    out = _apply(cfg)
    assert "1 merged, 0 held" in out
    assert "not taken: name spelling 'Kofi Mensah'" not in out
    assert _entries(cfg)["Kofi Mensah"]["status"] == "published"
    assert "Kofi Mensah (Teacher, Accra Academy)" in _page(cfg)


def test_what_is_not_taken_is_said_with_why(tmp_path: Path) -> None:
    cfg = _site(tmp_path, [FIRST])
    _apply(cfg)
    rows = [
        FIRST,
        # an affiliation the names engine holds (an email address in it): the published one stays
        _row("22/2026 10:00:00", "kofi.mensah@example.org", "Kofi Mensah", "write to kofi@gmail.com"),
        # left blank this time: takes nothing away; the consent left blank neither
        _row("23/2026 10:00:00", "kofi.mensah@example.org", "Kofi Mensah", "", consent=""),
    ]
    _responses(cfg, rows)
    r = run_cli("plan", "--json", "--config", str(cfg))
    reasons = [c["reason"] for c in json.loads(r.out)["changes"]]
    assert len(reasons) == 2
    assert reasons[0].endswith(
        "; not taken: affiliation 'write to' "
        "(the response would be held: email address in the affiliation: spam-like)"
    )
    assert reasons[1].endswith(
        "; not taken: a blank affiliation (left blank this time: 'Teacher, Accra Academy' stands), a blank "
        "consent answer (the consent question left blank this time: the earlier yes stands)"
    )
    _apply(cfg)
    assert _entries(cfg)["Kofi Mensah"]["affiliation"] == "Teacher, Accra Academy"
    assert "Kofi Mensah (Teacher, Accra Academy)" in _page(cfg)


def test_a_same_name_without_the_same_email_brings_no_affiliation(tmp_path: Path) -> None:
    cfg = _site(tmp_path, [])
    _apply(cfg)
    r = run_cli("add", "Kofi Mensah", "--signed", "2026-11-20", "--config", str(cfg))
    assert r.code == 0, r.err
    _responses(cfg, [FIRST])
    r = run_cli("plan", "--json", "--config", str(cfg))
    (change,) = json.loads(r.out)["changes"]
    assert change["action"] == "merge"
    assert change["reason"].endswith(
        "; not taken: affiliation 'Teacher, Accra Academy' "
        "(no email shows it is the same signer: a same name only)"
    )
    _apply(cfg)
    assert _entries(cfg)["Kofi Mensah"]["affiliation"] == ""


def test_a_merge_keeps_the_newer_affiliation(tmp_path: Path) -> None:
    rows = [
        FIRST,
        # another address and affiliation: published apart as a namesake; the editor knows better
        _row("24/2026 09:00:00", "k.mensah@achimota.example", "Kofi Mensah", "Head teacher, Achimota School"),
    ]
    cfg = _site(tmp_path, rows)
    _apply(cfg)
    with open(cfg.parent / "signatories.csv", encoding="utf-8", newline="") as f:
        entries = [row for row in csv.DictReader(f) if row["name"] == "Kofi Mensah"]
    first, newer = sorted(entries, key=lambda e: e["signed"])
    r = run_cli("merge", newer["id"], first["id"], "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    assert (
        f"affiliation 'Head teacher, Achimota School' taken from {newer['id']} "
        "(the newer, was 'Teacher, Accra Academy')"
    ) in r.out + r.err
    _apply(cfg)
    assert _entries(cfg)["Kofi Mensah"]["affiliation"] == "Head teacher, Achimota School"
    assert "Kofi Mensah (Head teacher, Achimota School)" in _page(cfg)
