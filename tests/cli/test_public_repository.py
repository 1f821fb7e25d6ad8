"""A site kept in a public git repository: a registry written by the previous version is converted
on the first run (the plan says so; nothing changes for those who said yes), and `doctor` names
what a public repository would expose, each with its fix."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.helpers import ROOT, run_cli

LEGACY = ROOT / "tests" / "data" / "legacy-registry"
PRIVATE = (
    "Tobias",
    "Richter",
    "TU Dresden",
    "Letícia",
    "Gonçalves",
    "UFRJ",
    "Hanna Berg",
    "Priya",
    "tobias@",
)


def rows(site: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / "signatories.csv").read_text(encoding="utf-8"))))


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(*args, "--config", str(site / "signsync.toml"))
    return r.code, r.out, r.err


@pytest.fixture()
def legacy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(LEGACY, site)
    return site


def test_a_registry_from_the_previous_version_is_converted_on_the_first_run(legacy: Path) -> None:
    before = {r["id"]: r for r in rows(legacy)}
    assert any(r["name"] == "Tobias Richter" for r in before.values())  # the fixture names them
    page_before = (legacy / "statement.html").read_text(encoding="utf-8")
    code, out, err = cli(legacy, "plan")
    assert code == 2, err
    assert (
        "note: 4 entries kept off the page (no yes to publication, revoked or withdrawn) still held names "
        "in the registry: apply removes them; their text is sealed in the registry's private column with "
        "SIGNSYNC_PRIVATE_KEY. Published entries do not change"
    ) in out
    for text in PRIVATE:
        assert text not in out + err, text
    code, out, err = cli(legacy, "plan", "--json")
    for text in PRIVATE:
        assert text not in out + err, text
    assert cli(legacy, "apply", "--yes")[0] == 0
    after = {r["id"]: r for r in rows(legacy)}
    registry_text = (legacy / "signatories.csv").read_text(encoding="utf-8")
    for text in PRIVATE:
        assert text not in registry_text, text
    # nothing lost for those who said yes: every published entry's columns as they were
    columns = list(next(iter(before.values())))
    for sid, old in before.items():
        if old["status"] == "published":
            assert {c: after[sid][c] for c in columns} == old, sid
    assert (legacy / "statement.html").read_text(encoding="utf-8") == page_before
    assert {after[sid]["consent"] for sid in after if after[sid]["consent"]} == {
        "withdrawn",
        "declined",
        "revoked",
    }
    # the editor's key still reads why each was held
    code, out, _ = cli(legacy, "review", "--private")
    assert code == 0
    assert "Tobias Richter (Student, TU Dresden)" in out
    assert "why: asked by email from tobias@tu-dresden.example" in out  # sealed: only the key reads it
    assert "why: consent answer 'Não' is not a yes" in out
    assert "why: consent revoked: a later response answered 'No'" in out
    # converted once: the next run has nothing to do
    assert cli(legacy, "plan")[0] == 0


def git(site: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=site, check=True, capture_output=True)


def test_doctor_names_what_a_public_repository_would_expose_and_the_fix(legacy: Path) -> None:
    git(legacy, "init", "-q")
    workflows = legacy / ".github" / "workflows"
    workflows.mkdir(parents=True)
    unguarded = (ROOT / "examples" / "github" / "signsync.yml").read_text(encoding="utf-8")
    unguarded = unguarded.replace(" && github.event.repository.private == true", "")
    (workflows / "signsync.yml").write_text(unguarded, encoding="utf-8")
    git(legacy, "add", "-A")
    code, out, _ = cli(legacy, "doctor")
    assert code == 1
    assert "FAIL public repository: signatories.csv names 4 people kept off the page" in out
    assert "fix: run `signsync apply` to move their text into the sealed private column" in out
    assert "FAIL public repository: responses.csv is tracked by git and holds email addresses" in out
    assert "FAIL public repository: .env is tracked by git and holds signsync's keys" in out
    assert "fix: git rm --cached .env, add it to .gitignore" in out
    assert (
        "FAIL public repository: .github/workflows/signsync.yml uploads the whole review as an artifact"
    ) in out
    # the fixes: apply, untrack, guard the upload
    assert cli(legacy, "apply", "--yes")[0] == 0
    git(legacy, "rm", "-q", "--cached", "responses.csv", ".env")
    shutil.copy(ROOT / "examples" / "github" / "signsync.yml", workflows / "signsync.yml")
    code, out, _ = cli(legacy, "doctor")
    assert "ok   public repository: nothing private would be exposed" in out, out
