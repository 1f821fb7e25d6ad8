"""The GitHub Action's steps (examples/github/signsync.yml and signsync-approve.yml, run with bash
as in tests/integration/test_approve_in_pr.py) on a site in a git repository, with signers who
decline, leave consent blank, revoke, are withdrawn by an editor and are erased, and ticks in the
pull request: none of them is named anywhere anyone else can read. The repository and its
history, the review (the pull request's body and the whole review the workflow would attach),
everything the steps printed (plan text and JSON), and the messages received by a real SMTP
server and webhook. And an editor with SIGNSYNC_PRIVATE_KEY still reads why each was held."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_notify import webhook  # noqa: F401 - the webhook fixture
from tests.integration.test_approve_in_pr import _event, _git, _tick
from tests.integration.test_workflows import load, steps_of
from tests.support.helpers import EXAMPLES, ROOT
from tests.support.leaks import assert_absent, git_history, read_outputs
from tests.support.smtp_server import Inbox

SYNC = ROOT / "examples" / "github" / "signsync.yml"
APPROVE = ROOT / "examples" / "github" / "signsync-approve.yml"
KEYS = {
    "SIGNSYNC_HASH_KEY": "end-to-end-hash-key-0123456789abcdef",
    "SIGNSYNC_PRIVATE_KEY": "end-to-end-private-key-0123456789abcdef",
}
# Each person's name and what they typed: none of it may appear anywhere public.
PEOPLE = {
    "declined": ("dora@x.example", "Dora Declinova", "Guild of Quiet Refusers", "No"),
    "blank": ("bruno@x.example", "Bruno Blankfield", "Institute of Empty Answers", ""),
    "revoked": ("rosa@x.example", "Rosa Revokova", "Society of Second Thoughts", "Yes"),
    "withdrawn": ("walter@x.example", "Walter Withdrawnsky", "Withdrawal Works", "Yes"),
    "erased": ("erika@x.example", "Erika Erasova", "Erasure Union", "Yes"),
}


def words(state: str) -> list[str]:
    _email, name, affiliation, _ = PEOPLE[state]
    return [*name.split(), affiliation]


def append(site: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    with open(site / "responses.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for stamp, email, name, affiliation, yes in rows:
            writer.writerow([stamp, email, name, affiliation, "An individual", yes, ""])


def signsync(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync", *args],
        cwd=site,
        env={**os.environ, **KEYS},
        capture_output=True,
        text=True,
    )


def run_step(site: Path, temp: Path, name: str, seen: dict[str, str], label: str) -> dict[str, str]:
    """One `run:` step of the sync workflow with bash, as a runner would; what it printed is kept."""
    step = next(s for s in steps_of(load(SYNC)) if s.get("name") == name)
    output = temp / "github_output"
    output.write_text("")
    proc = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        cwd=site,
        env={
            **os.environ,
            **KEYS,
            "RUNNER_TEMP": str(temp),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "org/statement",
            "GITHUB_RUN_ID": "1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        },
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    seen[f"stdout of {label}"], seen[f"stderr of {label}"] = proc.stdout, proc.stderr
    return dict(ln.split("=", 1) for ln in output.read_text().splitlines() if "=" in ln)


def sync_run(site: Path, temp: Path, seen: dict[str, str], label: str) -> str:
    """The Plan and Apply steps, the review (the pull request's body) and the whole review (the
    artifact) kept, then the pull request merged: its files committed on main."""
    out = run_step(site, temp, "Plan", seen, f"Plan ({label})")
    review = (temp / "review.md").read_text(encoding="utf-8")
    seen[f"review ({label})"] = review
    seen[f"artifact review-full.md ({label})"] = (temp / "review-full.md").read_text(encoding="utf-8")
    for fmt in (("--json",), ("--format", "html")):
        r = signsync(site, "plan", *fmt)
        seen[f"plan {fmt} ({label})"] = r.stdout + r.stderr
    if out["exit"] == "2":
        run_step(site, temp, "Apply", seen, f"Apply ({label})")
    _git(site, "add", "-A")
    if _git(site, "status", "--porcelain"):
        _git(site, "commit", "-qm", f"signsync: {label}")
    return review


@pytest.mark.slow  # a minute: four runs of the workflow's steps, a tick, a history rewrite
def test_nobody_without_a_yes_is_named_in_the_repository_its_history_reviews_logs_or_messages(
    tmp_path: Path,
    smtp: tuple[Inbox, int],
    webhook: tuple[list[dict], int],  # noqa: F811
) -> None:
    inbox, smtp_port = smtp
    hooks, hook_port = webhook
    origin, site, temp = tmp_path / "origin.git", tmp_path / "site", tmp_path / "runner"
    temp.mkdir()
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "clone", "-q", str(origin), str(site))
    for name in ("signsync.toml", "responses.csv", "statement.html"):
        shutil.copy(EXAMPLES / name, site / name)
    mail = f"mailto://127.0.0.1:{smtp_port}?from=signsync@statement.example&to=editors@statement.example&mode=insecure"
    with open(site / "signsync.toml", "a", encoding="utf-8") as f:
        f.write(f'\n[notify]\nurls = ["{mail}", "json://127.0.0.1:{hook_port}/"]\ndigest = "daily"\n')
    (site / ".gitignore").write_text(
        ".env\nresponses.csv\nsignatories.csv.lock\nsignatories.page-backup.*.json\n"
    )
    seen: dict[str, str] = {}

    # Run 1: the decliner, the blank answer, a yes then a no, two signers who will leave later.
    append(
        site,
        [
            ("11/24/2026 10:00:00", *PEOPLE["declined"]),
            ("11/24/2026 10:01:00", *PEOPLE["blank"]),
            ("11/24/2026 10:02:00", *PEOPLE["revoked"]),
            ("11/24/2026 10:03:00", "rosa@x.example", "Rosa Revokova", "Society of Second Thoughts", "No"),
        ],
    )
    sync_run(site, temp, seen, "run 1")
    _git(site, "push", "-q", "origin", "main")
    # A held signer, and a tick in the review pull request by an editor with write access.
    append(site, [("11/24/2026 11:00:00", "potus44@example.com", "Barack Obama", "", "Yes")])
    run_step(site, temp, "Plan", seen, "Plan (review)")
    review = (temp / "review.md").read_text(encoding="utf-8")
    seen["review (for the tick)"] = review
    assert "- [ ] publish **Barack Obama**" in review
    from tests.integration.test_approve_in_pr import Runner

    event = _event(review, _tick(review, "Barack Obama"), "editor-ana")
    approve_dir = tmp_path / "approve"
    approve_dir.mkdir()
    runner = Runner(approve_dir, site, event, {"editor-ana": "write"})
    runner.context["secrets"] = dict(KEYS)
    ran = runner.run_job(APPROVE)
    assert "Commit the decisions" in ran, ran
    seen["approve workflow commit"] = _git(site, "log", "-1", "--format=%B")

    # Run 2: Walter and Erika sign and are published (they said yes).
    append(site, [("11/25/2026 10:00:00", *PEOPLE["withdrawn"]), ("11/25/2026 10:01:00", *PEOPLE["erased"])])
    sync_run(site, temp, seen, "run 2")
    page = (site / "statement.html").read_text(encoding="utf-8")
    assert "Walter Withdrawnsky" in page and "Erika Erasova" in page and "Barack Obama" in page
    # Until now Walter and Erika were listed with their consent: what was said before may name them.
    before_leaving = set(seen)
    mails_before, hooks_before = len(inbox.messages), len(hooks)

    # The editor withdraws Walter at his request and erases Erika at hers.
    r = signsync(site, "withdraw", "walter@x.example", "--reason", "asked by phone, +49 151 23456789")
    assert r.returncode == 0, r.stderr
    seen["withdraw"] = r.stdout + r.stderr
    r = signsync(site, "erase", "erika@x.example")
    assert r.returncode == 0, r.stderr
    seen["erase"] = r.stdout + r.stderr
    assert "git filter-repo --replace-text" in r.stderr
    sync_run(site, temp, seen, "run 3")

    # Run 4: Walter says yes again (held, private); Rosa and Dora write again without a yes.
    append(
        site,
        [
            ("11/27/2026 10:00:00", *PEOPLE["withdrawn"]),
            ("11/27/2026 10:01:00", "dora@x.example", "Dora Declinova", "Guild of Quiet Refusers", "Nein"),
        ],
    )
    sync_run(site, temp, seen, "run 4")
    page = (site / "statement.html").read_text(encoding="utf-8")
    assert "Barack Obama" in page and "Walter" not in page and "Erika" not in page

    # Erika's erasure: the history is purged as `erase` advised.
    replace = tmp_path / "erase.txt"
    replace.write_text("".join(f"{w}==>\n" for w in words("erased")), encoding="utf-8")
    purge = subprocess.run(
        ["git", "filter-repo", "--replace-text", str(replace), "--force"],
        cwd=site,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
    )
    assert purge.returncode == 0, purge.stderr

    # Everything public: the working tree, every step's output, reviews, artifacts, messages.
    public = dict(seen)
    public |= {f"file {k}": v for k, v in read_outputs(site, inputs=(".env", "responses.csv")).items()}
    public |= {f"email {i}": f"{m.subject}\n{m.text}" for i, m in enumerate(inbox.messages)}
    public |= {f"webhook {i}": json.dumps(h, ensure_ascii=False) for i, h in enumerate(hooks)}
    assert inbox.messages and hooks, "the notifications were sent"
    history = git_history(site)
    for state in ("declined", "blank", "revoked"):
        assert_absent(public, words(state))
    since = {k: v for k, v in public.items() if k not in before_leaving}
    since = {
        k: v
        for k, v in since.items()
        if not (k.startswith("email ") and int(k.split()[1]) < mails_before)
        and not (k.startswith("webhook ") and int(k.split()[1]) < hooks_before)
    }
    for state in ("withdrawn", "erased"):
        assert_absent(since, words(state))
    # The history: never the three who did not say yes; Erika nowhere after the purge; Walter in
    # no commit since his withdrawal (before it he was listed with his consent).
    for state in ("declined", "blank", "revoked", "erased"):
        assert_absent(history, words(state))
    # (filter-repo rewrote the commits: those since the withdrawal are found by their message)
    later = {k: v for k, v in history.items() if v.startswith(("signsync: run 3", "signsync: run 4"))}
    assert len(later) == 2
    assert_absent(later, words("withdrawn"))
    assert_absent(public | history, ["23456789"])  # the editor's reason held a phone number
    # The check itself finds a leak when there is one.
    try:
        assert_absent({"x": "signed by Walter"}, words("withdrawn"))
    except AssertionError:
        pass
    else:
        raise AssertionError("the leak check found nothing")

    # An editor with the key reads why each was held.
    r = signsync(site, "review", "--private", "--json")
    assert r.returncode == 0, r.stderr
    private = {e["name"] or e["id"]: e for e in json.loads(r.stdout)}
    assert private["Dora Declinova"]["reasons"][-1] == "consent answer 'Nein' is not a yes"
    assert private["Bruno Blankfield"]["reasons"] == ["no answer to the consent question"]
    assert private["Rosa Revokova"]["reasons"] == ["consent revoked: a later response answered 'No'"]
    assert private["Walter Withdrawnsky"]["consent"] == "renewed"
    assert "asked by phone, [phone number removed]" in private["Walter Withdrawnsky"]["reasons"]
    erased = [e for e in private.values() if e.get("consent") == "erased"]
    assert len(erased) == 1 and erased[0]["reasons"] == [] and erased[0]["name"] == ""
