"""Approve in the pull request: an editor ticks a held entry's box in the review; the example
workflow (examples/github/signsync-approve.yml), its steps run with bash on recorded pull request
events, records the decision on the default branch and the next plan publishes the entry.

GitHub's API is the one thing not run for real: `gh` is a stand-in on PATH that answers the
collaborator-permission call from a table and logs every call.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sync.operations.pr_ticks import from_event, read_ticks
from tests.integration.test_workflows import load, steps_of
from tests.support.helpers import EXAMPLES, ROOT

APPROVE = ROOT / "examples" / "github" / "signsync-approve.yml"
SYNC = ROOT / "examples" / "github" / "signsync.yml"
HASH_KEY = "approve-test-key"
REPO = "org/statement"
FAKE_GH = """#!/usr/bin/env bash
# Stand-in for the GitHub CLI: logs each call; answers the collaborator-permission API call.
echo "$*" >>"$GH_LOG"
if [ "$1" = api ]; then
  login=$(basename "$(dirname "$2")")
  permission=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' \
    "$GH_PERMISSIONS" "$login")
  if [ -z "$permission" ]; then echo "gh: Not Found (HTTP 404)" >&2; exit 1; fi
  echo "$permission"
fi
"""


# ------------------------------------------------------------------ running workflow steps


def _value(path: str, context: dict[str, Any]) -> str:
    node: Any = context
    for part in path.split("."):
        node = node.get(part, "") if isinstance(node, dict) else ""
    return str(node)


def _expand(text: str, context: dict[str, Any]) -> str:
    """`${{ a.b.c }}` as GitHub expands it, for the plain property paths these workflows use."""
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: _value(m.group(1), context), text)


def _condition(expr: str | None, context: dict[str, Any]) -> bool:
    """The `if:` forms these workflows use: `a.b == 'x'` and `a.b != 'x'` joined by `&&`."""
    if not expr:
        return True
    for part in expr.split("&&"):
        op = "!=" if "!=" in part else "=="
        left, right = (s.strip() for s in part.split(op))
        if (_value(left, context) == right.strip("'")) != (op == "=="):
            return False
    return True


class Runner:
    """Runs a workflow job's `run:` steps with bash in `workdir`, as a runner would."""

    def __init__(self, tmp: Path, workdir: Path, event: dict[str, Any], permissions: dict[str, str]):
        self.workdir, self.temp = workdir, tmp / "runner"
        self.temp.mkdir(exist_ok=True)
        bin_dir = tmp / "fake-bin"
        bin_dir.mkdir(exist_ok=True)
        (bin_dir / "gh").write_text(FAKE_GH)
        (bin_dir / "gh").chmod(0o755)
        (tmp / "permissions.json").write_text(json.dumps(permissions))
        self.gh_log = tmp / "gh.log"
        self.gh_log.write_text("")
        event_path = tmp / "event.json"
        event_path.write_text(json.dumps(event))
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_EVENT_PATH": str(event_path),
            "GH_LOG": str(self.gh_log),
            "GH_PERMISSIONS": str(tmp / "permissions.json"),
            "GIT_AUTHOR_NAME": "runner",
            "GIT_AUTHOR_EMAIL": "runner@example.invalid",
            "GIT_COMMITTER_NAME": "runner",
            "GIT_COMMITTER_EMAIL": "runner@example.invalid",
        }
        self.context: dict[str, Any] = {
            "github": {"event": event, "token": "test-token", "repository": REPO},
            "secrets": {"SIGNSYNC_HASH_KEY": HASH_KEY},
            "steps": {},
        }

    def run_job(self, workflow: Path) -> list[str]:
        """Every step whose `if:` holds; returns the names of the steps run."""
        job = next(iter(load(workflow)["jobs"].values()))
        if not _condition(job.get("if"), self.context):
            return []
        ran = []
        for step in job["steps"]:
            # `uses:` steps (checkout, setup-python) are the runner's; this test's venv is the install
            if "run" not in step or step["name"] == "Install signsync":
                continue
            if not _condition(step.get("if"), self.context):
                continue
            output = self.temp / "github_output"
            output.write_text("")
            env = {k: _expand(str(v), self.context) for k, v in step.get("env", {}).items()}
            proc = subprocess.run(
                ["bash", "-eo", "pipefail", "-c", step["run"]],
                cwd=self.workdir,
                env={**self.env, **env, "GITHUB_OUTPUT": str(output)},
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert proc.returncode == 0, f"{step['name']}: {proc.stderr}"
            outputs = dict(ln.split("=", 1) for ln in output.read_text().splitlines() if "=" in ln)
            if "id" in step:
                self.context["steps"][step["id"]] = {"outputs": outputs}
            ran.append(step["name"])
        return ran


# ------------------------------------------------------------------ a site repository


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _sync_review(site: Path, tmp: Path) -> str:
    """The sync workflow's Plan step on the default branch: the pull request's body."""
    runner = Runner(tmp, site, {}, {})
    plan = next(s for s in steps_of(load(SYNC)) if s.get("name") == "Plan")
    proc = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", plan["run"]],
        cwd=site,
        env={**runner.env, "SIGNSYNC_HASH_KEY": HASH_KEY, "GITHUB_OUTPUT": str(runner.temp / "out")},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return (runner.temp / "review.md").read_text(encoding="utf-8")


@pytest.fixture()
def site(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A site repository whose first pull request was merged; since then Barack Obama (watch
    list: held) and Nadia Haddad signed. Pushed to a bare `origin`. The registry is one file,
    or split into shards of 8 entries."""
    origin, site = tmp_path / "origin.git", tmp_path / "site"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "clone", "-q", str(origin), str(site))
    for name in ("signsync.toml", "responses.csv", "statement.html"):
        shutil.copy(EXAMPLES / name, site / name)
    if getattr(request, "param", "one file") == "sharded":
        cfg = site / "signsync.toml"
        cfg.write_text(
            cfg.read_text().replace('path = "signatories.csv"', 'path = "signatories.csv"\nshard_rows = 8')
        )
    env = {**os.environ, "SIGNSYNC_HASH_KEY": HASH_KEY}
    subprocess.run(
        [sys.executable, "-m", "sync", "apply", "--yes"], cwd=site, env=env, check=True, capture_output=True
    )
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "Merge signsync's first pull request")
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.write("11/24/2026 10:00:00,potus44@example.com,Barack Obama,,An individual,Yes,\n")
        f.write("11/24/2026 10:05:00,nadia@example.org,Nadia Haddad,Poet,An individual,Yes,\n")
    _git(site, "commit", "-qam", "New responses")
    _git(site, "push", "-q", "origin", "main")
    return site


def _event(review: str, ticked: str, login: str, kind: str = "User") -> dict[str, Any]:
    return {
        "action": "edited",
        "number": 7,
        "changes": {"body": {"from": review}},
        "pull_request": {
            "number": 7,
            "body": ticked,
            "head": {"ref": "signsync/update"},
            "base": {"ref": "main"},
        },
        "sender": {"login": login, "type": kind},
        "repository": {"full_name": REPO, "default_branch": "main"},
    }


def _tick(review: str, name: str, action: str = "publish") -> str:
    line = next(ln for ln in review.splitlines() if ln.startswith(f"- [ ] {action} **{name}**"))
    return review.replace(line, line.replace("- [ ]", "- [x]", 1))


def _status(site: Path, name: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "sync", "plan", "--json"], cwd=site, capture_output=True, text=True,
        env={**os.environ, "SIGNSYNC_HASH_KEY": HASH_KEY},
    )  # fmt: skip
    return next(s["status"] for s in json.loads(proc.stdout)["signatories"] if s["name"] == name)


# ------------------------------------------------------------------ the whole sequence


@pytest.mark.parametrize("site", ["one file", "sharded"], indirect=True)
def test_a_tick_by_an_editor_with_write_access_publishes_the_entry_on_the_next_plan(
    tmp_path: Path, site: Path
) -> None:
    review = _sync_review(site, tmp_path)
    assert "- [ ] publish **Barack Obama** (`s-" in review
    assert _status(site, "Barack Obama") == "pending"
    if "shard_rows" in (site / "signsync.toml").read_text():
        assert (site / "signatories.part002.csv").exists()
    event = _event(review, _tick(review, "Barack Obama"), "editor-ana")
    runner = Runner(tmp_path, site, event, {"editor-ana": "write", "visitor": "read"})
    ran = runner.run_job(APPROVE)
    assert ran[-2:] == ["Commit the decisions", "Update the pull request"]
    assert runner.context["steps"]["decisions"]["outputs"] == {"decided": "true", "editor": "editor-ana"}
    # committed on the default branch, with the editor's name, and the sync started again
    log = _git(tmp_path / "origin.git", "log", "-1", "--format=%an%n%B", "main")
    assert log.startswith("editor-ana\nsignsync: decisions by @editor-ana in pull request #7\n")
    assert re.search(r"^- publish Barack Obama \(s-[0-9a-f]{10}\)$", log, re.M)
    assert runner.gh_log.read_text().splitlines() == [
        f"api repos/{REPO}/collaborators/editor-ana/permission --jq .permission",
        "workflow run signsync.yml --ref main",
    ]
    # the next sync: published, listed as new on the page, no longer waiting
    assert _status(site, "Barack Obama") == "published"
    next_review = _sync_review(site, tmp_path)
    new_on_page = next_review.split("### New on the page", 1)[1].split("\n### ", 1)[0]
    assert "- Barack Obama\n" in new_on_page and "- Nadia Haddad (Poet)\n" in new_on_page
    assert "**Barack Obama**" not in next_review
    # the same event again: its review was made from the registry before the decision
    again = Runner(tmp_path, site, event, {"editor-ana": "write"})
    assert again.run_job(APPROVE)[-1] == "Tell the editor why nothing was recorded"
    assert again.context["steps"]["decisions"]["outputs"]["decided"] == "false"
    comment = again.gh_log.read_text().splitlines()[-1]
    assert comment.startswith(f"pr comment 7 --repo {REPO} --body @editor-ana signsync recorded nothing: ")
    assert "made from another registry" in comment


@pytest.mark.parametrize(
    ("login", "permissions", "kind"),
    [
        ("visitor", {"visitor": "read"}, "User"),
        ("triager", {"triager": "triage"}, "User"),
        ("stranger", {}, "User"),  # the API answers 404
        ("signsync-bot", {"signsync-bot": "write"}, "Bot"),
    ],
)
def test_a_tick_without_write_access_does_nothing(
    tmp_path: Path, site: Path, login: str, permissions: dict[str, str], kind: str
) -> None:
    review = _sync_review(site, tmp_path)
    before = _git(site, "rev-parse", "HEAD")
    runner = Runner(tmp_path, site, _event(review, _tick(review, "Barack Obama"), login, kind), permissions)
    ran = runner.run_job(APPROVE)
    assert "Commit the decisions" not in ran and "Update the pull request" not in ran
    if kind == "User":  # the ticking person is told why (a bot's edit does not even start the job)
        assert ran[-1] == "Tell the editor why nothing was recorded"
        assert "not write: nothing recorded" in runner.gh_log.read_text()
    else:
        assert ran == []
    assert _git(site, "status", "--porcelain") == ""
    assert _git(tmp_path / "origin.git", "rev-parse", "main") == before
    assert "workflow run" not in runner.gh_log.read_text()
    assert _status(site, "Barack Obama") == "pending"


def test_an_edit_of_the_text_alone_records_nothing_and_says_nothing(tmp_path: Path, site: Path) -> None:
    review = _sync_review(site, tmp_path)
    edited = review.replace("## Signatories:", "## Signatories (checked by Ana):", 1)
    runner = Runner(tmp_path, site, _event(review, edited, "ana"), {"ana": "write"})
    ran = runner.run_job(APPROVE)
    assert ran == ["Check the editor's permission", "Read the ticked boxes and record them"]
    assert runner.context["steps"]["decisions"]["outputs"] == {"decided": "false"}


def test_keep_off_box_rejects_with_the_editor_on_record(tmp_path: Path, site: Path) -> None:
    review = _sync_review(site, tmp_path)
    runner = Runner(
        tmp_path, site, _event(review, _tick(review, "Barack Obama", "keep off"), "ana"), {"ana": "admin"}
    )
    runner.run_job(APPROVE)
    registry = "".join(p.read_text(encoding="utf-8") for p in sorted(site.glob("signatories*.csv")))
    line = next(ln for ln in registry.splitlines() if "Barack Obama" in ln)
    assert ",rejected," in line and "kept off the page by @ana in pull request #7" in line
    assert _status(site, "Barack Obama") == "rejected"


# ------------------------------------------------------------------ parsing, table-driven

REVIEW = (
    "## Signatories\n\n- [ ] publish **Bill Gates** (`s-e9f2e2fa26`): watch list\n"
    "- [ ] publish **Claire Murphy** (`s-ebe29017bd`): possible duplicate\n\n"
    "<details><summary>Keep off the page instead</summary>\n\n"
    "- [ ] keep off **Bill Gates** (`s-e9f2e2fa26`)\n- [ ] keep off **Claire Murphy** (`s-ebe29017bd`)\n\n"
    "</details>\n\n<!-- signsync-review registry=none -->\n"
)


TICK_BILL = ("- [ ] publish **Bill", "- [x] publish **Bill")
FORGED_LINE = "\n- [x] publish **Mallory** (`s-0123456789`): x\n\n<details>"
SWAPPED_ID = ("publish **Bill Gates** (`s-e9f2e2fa26`)", "publish **Bill Gates** (`s-0123456789`)")
CASES = [
    (REVIEW.replace(*TICK_BILL), ("s-e9f2e2fa26",), (), ""),
    (REVIEW.replace("- [ ] publish", "- [X] publish"), ("s-e9f2e2fa26", "s-ebe29017bd"), (), ""),
    (REVIEW.replace("- [ ] keep off **Claire", "- [x] keep off **Claire"), (), ("s-ebe29017bd",), ""),
    (REVIEW.replace("\n", "\r\n").replace(*TICK_BILL), ("s-e9f2e2fa26",), (), ""),
    (REVIEW, None, None, "no box was ticked"),
    (REVIEW.replace("- [ ]", "- [x]"), None, None, "ticked both publish and keep off"),
    # a forged box: a line added by the edit, even ticked, is not a review's box
    (REVIEW.replace("\n\n<details>", FORGED_LINE), None, None, "changed more than checkboxes"),
    (REVIEW.replace(*SWAPPED_ID).replace(*TICK_BILL), None, None, "changed more than checkboxes"),
    (REVIEW.replace("registry=none", "registry=" + "a" * 64), None, None, "changed more than checkboxes"),
]


@pytest.mark.parametrize(("new", "publish", "keep_off", "message"), CASES)
def test_read_ticks(new: str, publish, keep_off, message: str) -> None:
    outcome = read_ticks(REVIEW, new)
    if publish is None:
        assert outcome.ticks is None and message in outcome.message
    else:
        assert outcome.ticks is not None
        assert (outcome.ticks.publish, outcome.ticks.keep_off, outcome.ticks.digest) == (
            publish,
            keep_off,
            "none",
        )


def test_unticking_records_nothing_and_a_body_without_digest_is_not_a_review() -> None:
    ticked = REVIEW.replace("- [ ] publish **Bill", "- [x] publish **Bill")
    assert read_ticks(ticked, REVIEW).ticks is None
    plain = REVIEW.replace("<!-- signsync-review registry=none -->\n", "")
    outcome = read_ticks(plain, plain.replace("- [ ] publish **Bill", "- [x] publish **Bill"))
    assert outcome.ticks is None and "not a signsync review" in outcome.message


def test_only_signsync_pull_request_edits_by_people_with_write_access_count() -> None:
    ticked = REVIEW.replace("- [ ] publish **Bill", "- [x] publish **Bill")
    event = _event(REVIEW, ticked, "ana")
    assert from_event(event, "write", "signsync/update").ticks is not None
    assert from_event(event, "maintain", "signsync/update").ticks is not None
    refused = from_event(event, "read", "signsync/update")
    assert "not write" in refused.message and refused.refused
    assert "not signsync's" in from_event(event, "write", "other/branch").message
    assert (
        "not a person" in from_event(_event(REVIEW, ticked, "bot", "Bot"), "write", "signsync/update").message
    )


def test_the_review_and_the_parser_agree_on_the_marker() -> None:
    from render.review_report import REVIEW_MARK as rendered
    from sync.operations.pr_ticks import REVIEW_MARK as parsed

    assert rendered == parsed
