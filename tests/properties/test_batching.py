"""Batching never changes an outcome: the same responses applied in one run, or cut into several
runs, leave the same registry and the same page.

Hypothesis picks the responses from a small pool made to meet every rule that compares a response
with what is already there: one name from several addresses (namesakes), one address under
several names (a shared address), the same email name at two providers, typos, case, another
affiliation, answers without a yes (No, blank) before and after a yes, comments; entries an editor
added with `signsync add` (no email) before the first run; and where the runs are cut. Both sites
run through the CLI, as the hourly job does.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.helpers import copy_example, run_cli

HEADER = (
    "Timestamp,Email Address,Full name,Title and organization (optional),Signing as,"
    "I agree that my name may be published,Notes (editors)\n"
)
NAMES = [
    "Lena Vogt",
    "LENA VOGT",
    "Lena Vogth",
    "Léna Vogt",
    "Ana Lima",
    "Ana Lima Souza",
    "Daniel Bennett",
    "Thanks for doing this!",
    "Greenpeace Nordic",
]
EMAILS = [
    "lena.vogt@example.org",
    "lena.vogt@mail.example",  # the same email name at another provider
    "lv@other.example",
    "ana@uni.example",
    "family@home.example",  # shared by whoever picks it
    "",
]
AFFILIATIONS = [
    "",
    "Professor, University of Lagos",
    "Nurse, Hospital Clínic",
    "PROFESSOR, UNIVERSITY OF LAGOS",
]
CONSENT = ["Yes", "Yes", "Yes", "No", ""]
ADDED = ["Lena Vogt", "Ana Lima", "Greenpeace Nordic"]

RESPONSE = st.tuples(
    st.sampled_from(NAMES), st.sampled_from(EMAILS), st.sampled_from(AFFILIATIONS), st.sampled_from(CONSENT)
)


def _rows(responses: list[tuple[str, str, str, str]]) -> list[str]:
    out = []
    for i, (name, email, affiliation, consent) in enumerate(responses):
        buf = io.StringIO()
        kind = "An organization" if name == "Greenpeace Nordic" else "An individual"
        stamp = f"11/{20 + i // 600:02d}/2026 {9 + i // 60 % 10:02d}:{i % 60:02d}:00"
        csv.writer(buf, lineterminator="\n").writerow([stamp, email, name, affiliation, kind, consent, ""])
        out.append(buf.getvalue())
    return out


def _site(folder: Path, added: list[tuple[str, str]], policy: str) -> Path:
    folder.mkdir()
    cfg = copy_example(folder)
    cfg.write_text(cfg.read_text() + f'\n[names]\npolicy = "{policy}"\n', encoding="utf-8")
    (folder / "responses.csv").write_text(HEADER, encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    for name, affiliation in added:
        args = ["add", name, "--signed", "2026-11-19", "--config", str(cfg)]
        r = run_cli(*args, *(["--affiliation", affiliation] if affiliation else []))
        assert r.code == 0, r.err
    return cfg


def _apply(cfg: Path, rows: list[str]) -> None:
    (cfg.parent / "responses.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err


def _outcome(cfg: Path) -> dict[str, str]:
    folder = cfg.parent
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in [*sorted(folder.glob("signatories*.csv")), folder / "statement.html"]
    }


def _check(
    tmp: Path,
    responses: list[tuple[str, str, str, str]],
    cuts: list[int],
    added: list[tuple[str, str]],
    policy: str = "publish",
) -> None:
    rows = _rows(responses)
    one = _site(tmp / "one-run", added, policy)
    _apply(one, rows)
    several = _site(tmp / "several-runs", added, policy)
    for end in sorted({min(c, len(rows)) for c in cuts}) + [len(rows)]:
        _apply(several, rows[:end])
    got_one, got_several = _outcome(one), _outcome(several)
    assert got_one.keys() == got_several.keys()
    for name in got_one:
        assert got_one[name] == got_several[name], f"{name}: one run and runs cut at {sorted(cuts)} differ"


CASES = dict(
    responses=st.lists(RESPONSE, min_size=2, max_size=12),
    cuts=st.lists(st.integers(1, 11), min_size=1, max_size=3),
    added=st.lists(
        st.tuples(st.sampled_from(ADDED), st.sampled_from(AFFILIATIONS[:2])),
        max_size=2,
        unique_by=lambda a: a[0],
    ),
    policy=st.sampled_from(["publish", "review"]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**CASES)
def test_one_run_and_several_runs_leave_the_same_registry(
    tmp_path_factory: pytest.TempPathFactory, **case: object
) -> None:
    _check(tmp_path_factory.mktemp("batches"), **case)  # type: ignore[arg-type]


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("SIGNSYNC_BATCH_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(**CASES)
def test_one_run_and_several_runs_leave_the_same_registry_many(
    tmp_path_factory: pytest.TempPathFactory, **case: object
) -> None:
    _check(tmp_path_factory.mktemp("batches"), **case)  # type: ignore[arg-type]


def test_an_added_entry_takes_one_address_in_one_run_as_in_two(tmp_path: Path) -> None:
    """An editor's entry (no email) and two same-name responses from two addresses: the first
    joins the entry, the second is held as a possible namesake, whether they come in one run or
    two (it used to be absorbed too in one run: the entry was still matched as it was before
    the first response gave it an address)."""
    responses = [
        ("Lena Vogt", "lena.vogt@example.org", "", "Yes"),
        ("Lena Vogt", "lv@other.example", "", "Yes"),
    ]
    _check(tmp_path, responses, [1], [("Lena Vogt", "")])
    with open(tmp_path / "one-run" / "signatories.csv", encoding="utf-8", newline="") as f:
        entries = list(csv.DictReader(f))
    assert [(e["name"], e["status"], len(e["responses"].split())) for e in entries] == [
        ("Lena Vogt", "published", 2),  # the editor's entry and the first response
        ("Lena Vogt", "pending", 1),
    ]
    assert entries[1]["reason"].startswith(f"possible duplicate of {entries[0]['id']} 'Lena Vogt'")
