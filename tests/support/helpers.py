"""Shared test helpers: run the CLI as a user would (in this process, or in a real one where the
process matters), on real files."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
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
    process: bool = False,
) -> Result:
    """Run `signsync ARGS` and capture what it printed and its exit status.

    In this process through click's CliRunner (fast), unless `process` (or the environment's
    SIGNSYNC_TEST_SUBPROCESS=1) asks for a real `python -m sync`: for what only a process
    shows (signals, import-time settings, the interpreter's own exit status, hangs)."""
    # In-process runs swap sys.stdout and the working folder: only one at a time, on the main
    # thread; a test running the CLI from worker threads gets processes.
    in_thread = threading.current_thread() is not threading.main_thread()
    if process or in_thread or os.environ.get("SIGNSYNC_TEST_SUBPROCESS") == "1":
        return _run_process(args, cwd, env, input, timeout)
    return _run_in_process(args, cwd, env, input)


def _run_process(
    args: tuple[str, ...], cwd: Path | None, env: dict[str, str] | None, input: str | None, timeout: float
) -> Result:
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


def _run_in_process(
    args: tuple[str, ...], cwd: Path | None, env: dict[str, str] | None, input: str | None
) -> Result:
    """`sync.cli.main()` as `python -m sync` runs it: same error handling, same exit status; an
    unexpected exception prints its traceback on stderr and exits 1, as the interpreter does."""
    from sync.cli import main

    runner = CliRunner()
    gc_was_enabled = gc.isenabled()  # main() turns the cyclic collector off for its run
    old_cwd, old_argv = os.getcwd(), sys.argv
    code: int = 0
    with runner.isolation(input=input, env={"NO_PROXY": "127.0.0.1,localhost", **(env or {})}) as streams:
        try:
            if cwd is not None:
                os.chdir(cwd)
            sys.argv = ["signsync", *args]
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            code = 1
        finally:
            sys.argv = old_argv
            os.chdir(old_cwd)
            if gc_was_enabled:
                gc.enable()
        sys.stdout.flush()
        sys.stderr.flush()
        out, err = streams[0].getvalue(), streams[1].getvalue()
    return Result(code, out.decode("utf-8"), err.decode("utf-8"))


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
