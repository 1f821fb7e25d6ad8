"""Shared test helpers: run the CLI as a user would, in a subprocess, on real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 120,
) -> Result:
    """Run `signsync ARGS` (as `python -m sync`) and capture what it printed."""
    full_env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "sync", *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def copy_example(dest: Path) -> Path:
    """A fresh copy of the bundled example in `dest`; returns its config path."""
    for name in ("signsync.toml", "responses.csv", "statement.html", ".env"):
        shutil.copy(EXAMPLES / name, dest / name)
    return dest / "signsync.toml"


def outside_markers(page: str) -> tuple[str, str]:
    """The page's text before the start marker and after the end marker."""
    start = page.index("<!-- signatories:start -->")
    end = page.index("<!-- signatories:end -->")
    return page[:start], page[end:]
