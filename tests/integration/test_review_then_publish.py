"""Review first with a page outside the repository: the example workflow's steps, run in bash on
recorded GitHub events, against a real WordPress and a real git remote.

The scheduled job plans and applies with the page held (the registry goes to the review pull
request, WordPress is untouched); while the pull request is open, two more hourly runs update it
without an error (no "edited by hand"); merging it (a push to the default branch) runs the
publish job, which writes the merged list to WordPress and commits the state; the next hourly
run then has nothing to do, and the live page and the registry agree."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_approve_in_pr import Runner, _condition, _expand
from tests.integration.test_wordpress import example_publishing_to_wordpress, fetch
from tests.integration.test_workflows import load
from tests.support.helpers import ROOT
from tests.support.wordpress_server import WordPressSite

pytestmark = pytest.mark.wordpress

SYNC = ROOT / "examples" / "github" / "signsync.yml"
KEY = "review-then-publish-test-key"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _run_job(runner: Runner, job_name: str, event_name: str) -> list[str]:
    """The `run:` steps of one job of the example workflow, as a runner would run them."""
    runner.context["github"]["event_name"] = event_name
    job = load(SYNC)["jobs"][job_name]
    if not _condition(job.get("if"), runner.context):
        return []
    ran = []
    for step in job["steps"]:
        if "run" not in step or step["name"] == "Install signsync":
            continue
        if not _condition(step.get("if"), runner.context):
            continue
        output = runner.temp / "github_output"
        output.write_text("")
        env = {k: _expand(str(v), runner.context) for k, v in step.get("env", {}).items()}
        proc = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", step["run"]],
            cwd=runner.workdir,
            env={**runner.env, **env, "GITHUB_OUTPUT": str(output)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, f"{job_name} / {step['name']}: {proc.stdout}{proc.stderr}"
        outputs = dict(ln.split("=", 1) for ln in output.read_text().splitlines() if "=" in ln)
        if "id" in step:
            runner.context["steps"][step["id"]] = {"outputs": outputs}
        ran.append(step["name"])
    return ran


def _open_or_update_pull_request(site: Path) -> None:
    """What peter-evans/create-pull-request does: the run's changes as the one commit of the
    branch signsync/update, made from the default branch (force-pushed), the checkout back on main."""
    _git(site, "checkout", "-q", "-B", "signsync/update")
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "signsync: update signatories")
    _git(site, "push", "-q", "-f", "origin", "signsync/update")
    _git(site, "checkout", "-q", "main")
    _git(site, "reset", "-q", "--hard", "origin/main")


def _listed(html: str) -> list[str]:
    return re.findall(r'<li><span dir="auto">(.*?)</span>', html)


def _registry_published(site: Path) -> list[str]:
    with open(site / "signatories.csv", encoding="utf-8", newline="") as fh:
        return sorted(r["name"] for r in csv.DictReader(fh) if r["status"] == "published")


def _add_response(site: Path, when: str, email: str, name: str) -> None:
    """A new form response: with a CSV source, the exported file committed to the default branch."""
    with open(site / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{when},{email},{name},,An individual,Yes,\n")
    _git(site, "commit", "-q", "-am", f"responses: {name}")
    _git(site, "push", "-q", "origin", "main")


def test_the_pull_request_carries_the_plan_and_merging_it_publishes(
    wordpress: WordPressSite, tmp_path: Path
) -> None:
    remote, site = tmp_path / "remote.git", tmp_path / "site"
    site.mkdir()
    cfg, page_id = example_publishing_to_wordpress(wordpress, site)
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    _git(site, "init", "-q", "-b", "main")
    _git(site, "config", "user.name", "editor")
    _git(site, "config", "user.email", "editor@example.invalid")
    (site / ".env").unlink()  # the key is a repository secret, never committed
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "the statement")
    _git(site, "remote", "add", "origin", str(remote))
    _git(site, "push", "-q", "-u", "origin", "main")
    live_before = fetch(wordpress, page_id)["content"]["raw"]

    def runner() -> Runner:
        run = Runner(tmp_path, site, {}, {})
        secrets: dict[str, Any] = run.context["secrets"]
        secrets.update(
            SIGNSYNC_HASH_KEY=KEY,
            SIGNSYNC_WP_USER=wordpress.editor.login,
            SIGNSYNC_WP_APP_PASSWORD=wordpress.editor.app_password,
        )
        return run

    # 1. The hourly run: the plan is applied with the page held, and the review pull request opens.
    ran = _run_job(runner(), "sync", "schedule")
    assert ran == ["Plan", "Apply"], ran
    assert fetch(wordpress, page_id)["content"]["raw"] == live_before  # nothing published yet
    review = (tmp_path / "runner" / "review.md").read_text(encoding="utf-8")
    assert "Ben Chacko" in review
    _open_or_update_pull_request(site)

    # 2. Two more hourly runs while the pull request is open (one with a new response): each
    # updates the pull request; none fails, none touches the live page.
    for n, extra in enumerate([None, ("11/23/2026 09:00:00", "nadia@example.org", "Nadia Haddad")]):
        if extra:
            _add_response(site, *extra)
        ran = _run_job(runner(), "sync", "schedule")
        assert ran == ["Plan", "Apply"], (n, ran)
        assert fetch(wordpress, page_id)["content"]["raw"] == live_before
        _open_or_update_pull_request(site)
    review = (tmp_path / "runner" / "review.md").read_text(encoding="utf-8")
    assert "Nadia Haddad" in review

    # 3. An editor merges the pull request: a push to the default branch runs the publish job.
    _git(site, "fetch", "-q", "origin")
    _git(site, "merge", "-q", "--no-ff", "-m", "Merge the review", "origin/signsync/update")
    _git(site, "push", "-q", "origin", "main")
    assert _run_job(runner(), "sync", "push") == []
    ran = _run_job(runner(), "publish", "push")
    assert ran == ["Publish", "Record what was published"], ran
    live = fetch(wordpress, page_id)["content"]["raw"]
    assert sorted(_listed(live)) == _registry_published(site)
    assert "Nadia Haddad" in _listed(live) and "Ben Chacko" in _listed(live)
    assert "Bill Gates" not in _listed(live)  # held for review: never published by a merge
    assert (
        _git(site, "log", "-1", "--format=%s", "origin/main").strip()
        == "signsync: published the merged review"
    )

    # 4. The next hourly run: nothing to do, no error; the page and the registry still agree.
    ran = _run_job(runner(), "sync", "schedule")
    assert ran == ["Plan"], ran
    assert fetch(wordpress, page_id)["content"]["raw"] == live
    assert _git(site, "status", "--porcelain").strip() == ""


def test_publish_writes_only_what_the_registry_holds(wordpress: WordPressSite, tmp_path: Path) -> None:
    """A response that arrived after the review was made is not published by the merge."""
    from tests.support.helpers import run_cli

    cfg, page_id = example_publishing_to_wordpress(wordpress, tmp_path)
    env = {
        "SIGNSYNC_WP_USER": wordpress.editor.login,
        "SIGNSYNC_WP_APP_PASSWORD": wordpress.editor.app_password,
    }
    r = run_cli("apply", "--yes", "--hold-page", "--config", str(cfg), env=env)
    assert r.code == 0 and "`signsync publish` writes it once the review is merged" in r.err, r.err
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write("11/23/2026 09:00:00,late@example.org,Late Signer,,An individual,Yes,\n")
    r = run_cli("publish", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    live = _listed(fetch(wordpress, page_id)["content"]["raw"])
    assert "Ben Chacko" in live and "Late Signer" not in live
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 2 and "Late Signer" in r.out and "edited by hand" not in r.out + r.err
