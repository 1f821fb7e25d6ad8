"""Two `apply` runs on one registry never interleave their writes.

Deterministic, not timing-based: the test holds the run lock itself (the same `run_lock` the
CLI takes), or freezes a real run in the middle of its writes with SIGSTOP through the test
hook in `sync.support.files` (SIGNSYNC_TEST_CRASH_AT=N, SIGNSYNC_TEST_CRASH_SIGNAL=SIGSTOP), and only
then starts the second run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.support.files import run_lock
from tests.support.helpers import run_cli

FILES = ("statement.html", "signatories.csv", "signatories.state.json")


def snapshot(site: Path) -> dict[str, bytes | None]:
    return {n: (site / n).read_bytes() if (site / n).exists() else None for n in FILES}


@pytest.fixture()
def single_run(tmp_path: Path, site: Path) -> dict[str, bytes | None]:
    """The files one uninterrupted `apply --yes` leaves."""
    alone = tmp_path / "alone"
    shutil.copytree(site, alone)
    r = run_cli("apply", "--yes", "--config", str(alone / "signsync.toml"))
    assert r.code == 0, r.err
    return snapshot(alone)


def start_apply(site: Path, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sync", "apply", "--config", str(site / "signsync.toml"), *args],
        env={**os.environ, **env},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def lock_message(site: Path) -> str:
    registry = site / "signatories.csv"
    return (
        f"Error: another signsync run is working on {registry} (lock {registry}.lock); "
        "wait for it to finish and run again"
    )


def test_second_run_gives_up_with_the_lock_message(site: Path) -> None:
    before = snapshot(site)
    with run_lock(site / "signatories.csv", wait_seconds=0):
        t0 = time.monotonic()
        r = run_cli(  # another process, as a second run would be
            "apply",
            "--yes",
            "--config",
            str(site / "signsync.toml"),
            env={"SIGNSYNC_LOCK_WAIT": "1"},
            process=True,
        )
        waited = time.monotonic() - t0
    assert r.code == 1
    assert r.err.strip() == lock_message(site)
    assert waited >= 1.0
    assert snapshot(site) == before


def test_second_run_waits_for_the_lock_then_proceeds(site: Path, single_run: dict[str, bytes | None]) -> None:
    before = snapshot(site)
    with run_lock(site / "signatories.csv", wait_seconds=0):
        proc = start_apply(site, "--yes", env={"SIGNSYNC_LOCK_WAIT": "60"})
        time.sleep(2.0)
        assert proc.poll() is None, "apply did not wait for the lock"
        assert snapshot(site) == before, "apply wrote while another run held the lock"
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert snapshot(site) == single_run


def test_run_frozen_mid_write_blocks_the_second_until_it_finishes(
    site: Path, single_run: dict[str, bytes | None]
) -> None:
    """Run A stops itself (SIGSTOP) right after replacing the page, before the registry; run B
    starts, must wait, and once A is resumed and done, B finds nothing left to do."""
    cfg = str(site / "signsync.toml")
    a = start_apply(
        site, "--yes", env={"SIGNSYNC_TEST_CRASH_AT": "20", "SIGNSYNC_TEST_CRASH_SIGNAL": "SIGSTOP"}
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # wait until A is stopped (state T in /proc)
            assert a.poll() is None, a.communicate()[1]
            status = Path(f"/proc/{a.pid}/stat").read_text().split()[2]
            if status == "T":
                break
            assert time.monotonic() < deadline, "run A never reached its stop point"
            time.sleep(0.05)
        mid = snapshot(site)
        # A stopped after step 20 = "renamed over statement.html" (steps 1-7 back the page up,
        # this being the first write to it; 8-14 record the list being written in the state):
        # page new, registry not yet
        assert mid["statement.html"] == single_run["statement.html"]
        assert mid["signatories.csv"] is None

        b = subprocess.Popen(
            [sys.executable, "-m", "sync", "apply", "--yes", "--config", cfg],
            env={**os.environ, "SIGNSYNC_LOCK_WAIT": "60"},
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(2.0)
        assert b.poll() is None, "run B did not wait for run A"
        assert snapshot(site) == mid, "run B wrote while run A held the lock"
    finally:
        a.send_signal(signal.SIGCONT)
    _, a_err = a.communicate(timeout=120)
    assert a.returncode == 0, a_err
    _, b_err = b.communicate(timeout=120)
    assert b.returncode == 0, b_err
    assert b_err.rstrip().endswith("Nothing to change.")
    assert snapshot(site) == single_run


def test_saved_plan_waits_then_is_refused_as_stale(site: Path) -> None:
    """A saved plan made before another run applied must not be written over its result."""
    cfg = str(site / "signsync.toml")
    planfile = site / "plan.json"
    assert run_cli("plan", "--out", str(planfile), "--config", cfg).code == 2
    with run_lock(site / "signatories.csv", wait_seconds=0):
        proc = start_apply(site, str(planfile), env={"SIGNSYNC_LOCK_WAIT": "60"})
        time.sleep(1.0)
        # meanwhile the lock holder applies the same responses (writes the page and registry)
        other = site.parent / "other"
        shutil.copytree(site, other)
        assert run_cli("apply", "--yes", "--config", str(other / "signsync.toml")).code == 0
        for name in FILES:
            shutil.copy(other / name, site / name)
        assert proc.poll() is None
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert err.strip() == (
        "Error: signatories.csv changed since the plan was made: run `signsync plan` again"
    )


def test_lock_wait_must_be_a_number(site: Path) -> None:
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"), env={"SIGNSYNC_LOCK_WAIT": "soon"})
    assert r.code == 1
    assert r.err.strip() == (
        "Error: SIGNSYNC_LOCK_WAIT='soon' is not a number of seconds: set it to e.g. 30 "
        "(0: do not wait), or unset it"
    )


def test_simultaneous_runs_one_writes_the_others_find_nothing(
    site: Path, single_run: dict[str, bytes | None]
) -> None:
    """Four `apply --yes` started together: whatever the timing, one writes, each other one
    waits its turn and finds nothing to change."""
    procs = [start_apply(site, "--yes", env={"SIGNSYNC_LOCK_WAIT": "60"}) for _ in range(4)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    results = [(p.returncode, err) for p, err in zip(procs, errs, strict=True)]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    writers = [err for _, err in results if "wrote signatories.csv" in err]
    idle = [err for _, err in results if err.rstrip().endswith("Nothing to change.")]
    assert len(writers) == 1 and len(idle) == 3, results
    assert snapshot(site) == single_run
