"""No signer's email address, in any spelling, reaches any output of the CSV pipeline: stdout,
stderr, the plan file, the registry, its state, the page. Nor does the hash key."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support.helpers import EXAMPLES, Result, copy_example, run_cli
from tests.support.leaks import assert_no_secrets, email_forms, read_outputs

INPUTS = ("responses.csv", ".env", "signsync.toml")
# signers whose addresses have several spellings: Gmail dots, +tags, capitals, spaces
EXTRA = [
    ("11/23/2026 10:00:00", "Jo.Ann.Smith+petition@Gmail.com", "Jo Ann Smith", "Nurse"),
    ("11/23/2026 10:05:00", " JOANNSMITH@googlemail.com ", "Jo Ann Smith", "Nurse"),
    ("11/23/2026 10:10:00", "K.Tanaka@Example.JP", "Kenji Tanaka", "Engineer, Osaka"),
    ("11/23/2026 10:15:00", "jürgen.groß@bücher.example", "Jürgen Groß", "Buchhändler"),
    ("11/23/2026 10:20:00", "o'neil-x_y@sub.example.co.uk", "Pat O'Neil", ""),
]


def signer_emails(responses: Path) -> list[str]:
    with open(responses, encoding="utf-8", newline="") as f:
        return [row["Email Address"] for row in csv.DictReader(f) if "@" in row["Email Address"]]


def hash_key() -> str:
    line = next(
        ln for ln in (EXAMPLES / ".env").read_text().splitlines() if ln.startswith("SIGNSYNC_HASH_KEY=")
    )
    return line.split("=", 1)[1]


def secrets_of(site: Path) -> set[str]:
    forms = {f for e in signer_emails(site / "responses.csv") for f in email_forms(e)}
    return forms | {hash_key()}


def outputs(label: str, r: Result) -> dict[str, str]:
    return {f"stdout of {label}": r.out, f"stderr of {label}": r.err}


def append(site: Path, rows: list[tuple[str, str, str, str]]) -> None:
    with open(site / "responses.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for stamp, email, name, affiliation in rows:
            writer.writerow([stamp, email, name, affiliation, "An individual", "Yes", ""])


def run_pipeline(site: Path) -> dict[str, str]:
    """plan --json, plan, plan --out, apply PLAN, then new rows and apply --yes, plan --json:
    everything each step printed and every file left in the folder."""
    cfg = str(site / "signsync.toml")
    texts: dict[str, str] = {}
    steps = [
        ("plan --json", ("plan", "--json"), 2),
        ("plan", ("plan",), 2),
        ("plan --out", ("plan", "--out", str(site / "plan.json")), 2),
        ("apply PLAN", ("apply", str(site / "plan.json")), 0),
    ]
    for label, args, code in steps:
        r = run_cli(*args, "--config", cfg)
        assert r.code == code, (label, r.err)
        texts |= outputs(label, r)
    texts |= {f"{name} (after apply PLAN)": text for name, text in read_outputs(site, inputs=INPUTS).items()}
    append(site, EXTRA)
    for label, args, code in [
        ("plan --out (2)", ("plan", "--out", str(site / "plan2.json")), 2),
        ("apply --yes", ("apply", "--yes"), 0),
        ("plan --json (after)", ("plan", "--json"), 0),
    ]:
        r = run_cli(*args, "--config", cfg)
        assert r.code == code, (label, r.err)
        texts |= outputs(label, r)
    texts |= read_outputs(site, inputs=INPUTS)
    return texts


def test_no_email_address_or_key_in_any_output(tmp_path: Path) -> None:
    copy_example(tmp_path)
    texts = run_pipeline(tmp_path)
    assert {"statement.html", "signatories.csv", "signatories.state.json", "plan.json", "plan2.json"} <= set(
        texts
    )
    secrets = secrets_of(tmp_path)
    assert len(signer_emails(tmp_path / "responses.csv")) == (
        len(signer_emails(EXAMPLES / "responses.csv")) + len(EXTRA)
    )
    assert "jo.ann.smith+petition@gmail.com" in secrets and "joannsmith@gmail.com" in secrets
    # the check itself finds a leak when there is one
    with pytest.raises(AssertionError, match="joannsmith@gmail.com"):
        assert_no_secrets({"x": "write to JoAnnSmith@Gmail.com"}, secrets)
    assert_no_secrets(texts, secrets)


def test_address_typed_into_name_or_affiliation_is_not_written(tmp_path: Path) -> None:
    copy_example(tmp_path)
    append(
        tmp_path,
        [
            ("11/23/2026 11:00:00", "mail.me@gmail.com", "mail.me@gmail.com", ""),
            ("11/23/2026 11:05:00", "x.y+tag@example.com", "Xavier Y", "x.y+tag@example.com"),
        ],
    )
    texts = run_pipeline(tmp_path)
    assert_no_secrets(texts, email_forms("mail.me@gmail.com") | email_forms("x.y+tag@example.com"))
