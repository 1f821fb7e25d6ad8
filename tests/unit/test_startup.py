"""Start-up: `signsync --help`, `--version` and a command's `--help` load only the command line,
never the names engine, the pipeline's stages, the renderer or the Google client libraries (the
lazy-import rule at the top of sync/cli/__init__.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tests.support.helpers import ROOT

# Packages a run needs and --help does not (ftfy, rapidfuzz: the names engine's own libraries).
HEAVY = (
    "sync.names",
    "sync.dedupe",
    "sync.store",
    "sync.cache",
    "sync.intake",
    "sync.publish",
    "sync.operations",
    "render",
    "gspread",
    "google",
    "ftfy",
    "rapidfuzz",
    "jinja2",
    "babel",
    "apprise",
)

PROBE = """
import json, sys
from sync.cli import run
code = run(sys.argv[1:]) if sys.argv[1:] else 0
heavy = tuple(json.loads({heavy!r}))
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(heavy))
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


def loaded_after(*args: str) -> list[str]:
    """In a fresh interpreter: import sync.cli, run `signsync ARGS`, list the heavy modules loaded."""
    r = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=json.dumps(HEAVY)), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(r.stdout.splitlines()[-1])
    assert result["code"] == 0, r.stderr
    loaded: list[str] = result["loaded"]
    return loaded


@pytest.mark.parametrize(
    "args",
    [(), ("--help",), ("--version",), ("plan", "--help"), ("review", "--help"), ("init", "--help")],
    ids=["import", "help", "version", "plan-help", "review-help", "init-help"],
)
def test_the_command_line_starts_without_the_pipeline(args: tuple[str, ...]) -> None:
    assert loaded_after(*args) == []


def test_the_probe_sees_a_run_that_loads_the_names_engine(tmp_path: Path) -> None:
    # The same probe, on a command that must load the names engine: the check above can fail.
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    loaded = loaded_after("doctor", "--config", str(tmp_path / "examples" / "signsync.toml"))
    assert "sync.names" in loaded


def test_each_command_is_found_by_its_own_name() -> None:
    # The command line imports a command's module only when the command is used (COMMANDS):
    # every name there must lead to the command click would call by that name.
    from sync.cli import COMMANDS, cli

    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert isinstance(command, click.Command) and command.name == name, name
    assert cli.get_command(ctx, "no-such-command") is None


def test_a_command_loads_no_other_commands_module() -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from sync.cli import run; run(['plan', '--help']); "
            "print(sorted(m for m in sys.modules if m.startswith('sync.cli.')))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert r.stdout.splitlines()[-1] == "['sync.cli.common', 'sync.cli.plan_apply']"


def test_version_is_answered_before_click_loads_and_as_click_would() -> None:
    # `python -m sync --version` (and the `signsync` script: sync.launch) answers alone; the
    # command group's own --version (click's version_option) says the same.
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy, sys; sys.argv = ['signsync', '--version']\n"
            "try:\n    runpy.run_module('sync', run_name='__main__')\n"
            "except SystemExit as e:\n    print('exit', e.code, 'click' in sys.modules)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert r.stdout.splitlines() == [r.stdout.splitlines()[0], "exit 0 False"]
    with_click = subprocess.run(
        [sys.executable, "-c", "from sync.cli import run; run(['--version'])"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert (
        r.stdout.splitlines()[0]
        == with_click.stdout.strip()
        == f"signsync, version {__import__('sync').__version__}"
    )
    # any other arguments go to the command line as before
    other = subprocess.run(
        [sys.executable, "-m", "sync", "--version", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0 and other.stdout.strip() == with_click.stdout.strip()
