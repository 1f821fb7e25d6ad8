"""Kill `signsync apply` at every step of its write sequence and check nothing is half-written.

The kill points are deterministic: with SIGNSYNC_TEST_CRASH_AT=N the hook in
`sync.support.files.atomic_write_text` numbers each step of each atomic write (before the temp file,
temp created, half written, fully written, fsynced, renamed over, folder fsynced) and the
process SIGKILLs itself at step N. A few timing-based kills at seeded random delays follow.

A run writes four times: the state (old, plus the checksum of the list being written), the
page, the registry, the final state: 4 x 7 = 28 kill points per run, in three scenarios; the
first run writes a backup of the page before all that (7 more).

After each kill: the page and the registry are each byte-identical to their old or their new
version (the state: old, new, or old plus the checksum being written), leftovers are only
hidden temp files, no signatory is lost, and the next `signsync apply --yes` ends with exactly
the files an uninterrupted run writes and removes the leftovers. Killed at any step and then
given a new signer, the next run must not mistake its own list for a hand edit.

This is a process crash (SIGKILL), not a power cut: what the kernel had already accepted stays.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli

FILES = ("statement.html", "signatories.csv", "signatories.state.json")
# the atomic write's temp files: hidden, named after the file they replace
TEMP = re.compile(
    r"^\.(statement\.html|signatories\.csv|signatories\.state\.json|signatories\.page-backup\.[^/]+)"
    r"\.[^/]+\.tmp$"
)
STAMP = re.compile(r"\d{8}T\d{6}Z")
BACKUP = re.compile(r"^signatories\.page-backup\.file-[0-9a-f]{8}\.\d{8}T\d{6}Z\.json$")
FIRST_ROWS = 12  # responses already in the registry before the interrupted run
# 7 steps for each atomic write: the state (recording the list being written), the page, the
# registry, the state; before the first write to the page, its backup. Fewer would mean the hook
# lost steps and the tests prove less.
STEPS = {True: 28, False: 35}  # existing registry: the page was written (and backed up) before


@dataclass(frozen=True)
class Scenario:
    """A site as it is before the interrupted run, and the files an uninterrupted run leaves."""

    before: Path
    before_files: dict[str, bytes | None]
    after_files: dict[str, bytes]


def snapshot(site: Path) -> dict[str, bytes | None]:
    return {name: (site / name).read_bytes() if (site / name).exists() else None for name in FILES}


def registry_ids(text: bytes | None) -> set[str]:
    if text is None:
        return set()
    return {line.split(",", 1)[0] for line in text.decode("utf-8").splitlines()[1:] if line}


def make_site(root: Path, *, existing_registry: bool) -> Path:
    """An example site with new responses pending; with `existing_registry`, the first
    FIRST_ROWS responses were applied earlier, so page, registry and state all get rewritten."""
    root.mkdir()
    copy_example(root)
    if existing_registry:
        responses = root / "responses.csv"
        full = responses.read_text(encoding="utf-8")
        lines = full.splitlines(keepends=True)
        responses.write_text("".join(lines[: FIRST_ROWS + 1]), encoding="utf-8")
        r = run_cli("apply", "--yes", "--config", str(root / "signsync.toml"))
        assert r.code == 0, r.err
        responses.write_text(full, encoding="utf-8")
    return root


def prepare(tmp_path: Path, *, existing_registry: bool) -> Scenario:
    before = make_site(tmp_path / "before", existing_registry=existing_registry)
    done = tmp_path / "uninterrupted"
    shutil.copytree(before, done)
    r = run_cli("apply", "--yes", "--config", str(done / "signsync.toml"))
    assert r.code == 0, r.err
    after = snapshot(done)
    before_files = snapshot(before)
    assert all(after[name] is not None for name in FILES)
    for name in FILES:
        assert before_files[name] != after[name], f"{name} is not rewritten by this scenario"
    return Scenario(before, before_files, after)  # type: ignore[arg-type]


def writing_state(scenario: Scenario) -> bytes:
    """The old state plus the checksum of the list being written, as apply records it before
    replacing the page."""
    old = json.loads(scenario.before_files["signatories.state.json"] or b'{"version": 1}')
    new = json.loads(scenario.after_files["signatories.state.json"])
    old["page"] = {**old.get("page", {}), "writing": new["page"]["checksum"]}
    return (json.dumps(old, indent=2, sort_keys=True) + "\n").encode()


def for_each_step(steps: list[str], check: Callable[[int, str], list[str]]) -> list[str]:
    """`check(n, what)` for every step, each in its own folder, as many at once as there are
    cores (the steps are independent; the kill points do not depend on timing)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(check, range(1, len(steps) + 1), steps)
        return [problem for found in results for problem in found]


def cli_command(site: Path, planfile: Path | None) -> list[str]:
    args = [sys.executable, "-m", "sync", "apply", "--config", str(site / "signsync.toml")]
    return args + ([str(planfile)] if planfile else ["--yes"])


def start(site: Path, planfile: Path | None, crash_at: int | None) -> subprocess.Popen[str]:
    env = {**os.environ}
    env.pop("SIGNSYNC_TEST_CRASH_AT", None)
    if crash_at is not None:
        env["SIGNSYNC_TEST_CRASH_AT"] = str(crash_at)
    return subprocess.Popen(
        cli_command(site, planfile), env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def count_points(scenario: Scenario, work: Path, planfile: bool) -> list[str]:
    """Run once with the hook counting but never firing; return the steps it announced."""
    site = fresh(scenario, work / "count", planfile)
    proc = start(site, site / "plan.json" if planfile else None, crash_at=0)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert snapshot(site) == scenario.after_files
    return re.findall(r"^crash point \d+: (.*)$", err, re.M)


def fresh(scenario: Scenario, dest: Path, planfile: bool) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(scenario.before, dest)
    if planfile:
        r = run_cli("plan", "--out", str(dest / "plan.json"), "--config", str(dest / "signsync.toml"))
        assert r.code == 2, r.err
    return dest


def check_after_kill(scenario: Scenario, site: Path, where: str) -> list[str]:
    """What is wrong with `site` after a kill, then after a converging rerun ([] if nothing)."""
    problems: list[str] = []
    now = snapshot(site)
    for name in ("statement.html", "signatories.csv"):
        if now[name] not in (scenario.before_files[name], scenario.after_files[name]):
            problems.append(f"{where}: {name} is neither the old nor the new version")
    if now["signatories.state.json"] not in (
        scenario.before_files["signatories.state.json"],
        scenario.after_files["signatories.state.json"],
        writing_state(scenario),
    ):
        problems.append(f"{where}: the state is neither old, new, nor old + the list being written")
    lost = registry_ids(scenario.before_files["signatories.csv"]) - registry_ids(now["signatories.csv"])
    if lost:
        problems.append(f"{where}: signatories lost from the registry: {sorted(lost)}")
    strays = [
        p.name
        for p in site.iterdir()
        if p.name not in FILES
        and p.name not in ("signsync.toml", "responses.csv", ".env", "plan.json", "signatories.csv.lock")
        and not BACKUP.match(p.name)
    ]
    problems += [f"{where}: unexpected file {s}" for s in strays if not TEMP.match(s)]

    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    if r.code != 0:
        problems.append(f"{where}: the rerun failed ({r.code}): {r.err.strip()}")
    final = snapshot(site)
    for name in FILES:
        if final[name] != scenario.after_files[name]:
            problems.append(f"{where}: after the rerun {name} differs from an uninterrupted run")
    if run_cli("plan", "--config", str(site / "signsync.toml")).code != 0:
        problems.append(f"{where}: after the rerun, plan still finds changes")
    left = sorted(p.name for p in site.iterdir() if TEMP.match(p.name))
    if left:
        problems.append(f"{where}: the rerun left the killed run's temp files: {left}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize(
    ("existing_registry", "planfile"),
    [(True, False), (True, True), (False, False)],
    ids=["apply-yes", "apply-planfile", "first-run"],
)
def test_kill_at_every_write_step(tmp_path: Path, existing_registry: bool, planfile: bool) -> None:
    scenario = prepare(tmp_path, existing_registry=existing_registry)
    steps = count_points(scenario, tmp_path, planfile)
    assert len(steps) == STEPS[existing_registry], steps

    def kill_at(n: int, what: str) -> list[str]:
        site = fresh(scenario, tmp_path / f"run{n}", planfile)
        proc = start(site, site / "plan.json" if planfile else None, crash_at=n)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == -signal.SIGKILL, (n, what, err)
        # a backup's name holds the time it was taken: the same step, a later second
        assert STAMP.sub("<time>", err.rstrip()).endswith(STAMP.sub("<time>", f"crash point {n}: {what}")), (
            err
        )
        return check_after_kill(scenario, site, f"killed at step {n} ({what})")

    problems = for_each_step(steps, kill_at)
    assert not problems, "\n".join(problems)


def write_window(scenario: Scenario, work: Path) -> tuple[float, float]:
    """Seconds from start to the first and to the last write step of a run, read off the
    hook's announcements as they arrive (the hook counts but never fires)."""
    site = fresh(scenario, work / "window", False)
    t0 = time.monotonic()
    proc = start(site, None, crash_at=0)
    assert proc.stderr is not None
    times = [time.monotonic() - t0 for line in proc.stderr if line.startswith("crash point")]
    proc.communicate(timeout=120)
    assert proc.returncode == 0 and len(times) == STEPS[True]
    return times[0], times[-1]


@pytest.mark.slow
def test_kill_at_random_moments(tmp_path: Path) -> None:
    """Timing-based kills without the hook, at seeded random moments around the writes (so a
    failure repeats, as far as timing allows); which files each kill caught new is printed."""
    scenario = prepare(tmp_path, existing_registry=True)
    first, last = write_window(scenario, tmp_path)
    rng = random.Random(6)
    problems: list[str] = []
    outcomes: list[str] = []
    for i in range(20):
        delay = rng.uniform(first * 0.9, last * 1.1 + 0.002)
        site = fresh(scenario, tmp_path / "run", False)
        proc = start(site, None, crash_at=None)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        now = snapshot(site)
        outcomes.append("".join("N" if now[f] == scenario.after_files[f] else "o" for f in FILES))
        problems += check_after_kill(scenario, site, f"kill {i} after {delay:.4f} s")
    print(
        f"\nwrites between {first:.4f} and {last:.4f} s; page/registry/state new (N) or old"
        f" (o) after each kill: {' '.join(outcomes)}"
    )
    assert not problems, "\n".join(problems)


def test_kill_between_registry_and_state_is_no_false_hand_edit(tmp_path: Path) -> None:
    """Killed after the registry was replaced but before the final state: the page and the
    registry are new, the recorded checksum old. The rerun, with nothing new to do, must still
    complete the state, or a later signer makes signsync call its own list "edited by hand"."""
    scenario = prepare(tmp_path, existing_registry=True)
    steps = count_points(scenario, tmp_path, False)
    n = steps.index("renamed over signatories.csv") + 1
    site = fresh(scenario, tmp_path / "run", False)
    proc = start(site, None, crash_at=n)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    now = snapshot(site)
    assert now["signatories.csv"] == scenario.after_files["signatories.csv"]
    assert now["signatories.state.json"] == writing_state(scenario)

    cfg = str(site / "signsync.toml")
    r = run_cli("plan", "--config", cfg)
    assert r.code == 2
    assert (
        "note: signatories.state.json: the recorded checksum of the list is out of date "
        "(an earlier run stopped before saving it); apply records it"
    ) in r.out
    r = run_cli("apply", "--yes", "--config", cfg)
    assert r.code == 0, r.err
    assert snapshot(site) == scenario.after_files
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.write("11/23/2026 10:00:00,late@example.com,Late Signer,,An individual,Yes,\n")
    r = run_cli("apply", "--yes", "--config", cfg)
    assert r.code == 0, r.err
    assert "edited by hand" not in r.err
    assert '<span dir="auto">Late Signer</span>' in (site / "statement.html").read_text(encoding="utf-8")


LATE_SIGNER = "11/23/2026 10:00:00,late@example.com,Late Signer,,An individual,Yes,\n"


@pytest.mark.slow
def test_kill_then_a_new_signer_then_apply(tmp_path: Path) -> None:
    """Killed at any step, then a new response arrives before the next scheduled run: that run
    must not take signsync's own half-finished list for a hand edit, and must end where an
    uninterrupted run followed by the new signer ends."""
    scenario = prepare(tmp_path, existing_registry=True)
    reference = tmp_path / "reference"
    shutil.copytree(scenario.before, reference)
    assert run_cli("apply", "--yes", "--config", str(reference / "signsync.toml")).code == 0
    with open(reference / "responses.csv", "a", encoding="utf-8") as f:
        f.write(LATE_SIGNER)
    assert run_cli("apply", "--yes", "--config", str(reference / "signsync.toml")).code == 0
    expected = snapshot(reference)

    steps = count_points(scenario, tmp_path, False)

    def kill_then_sign(n: int, what: str) -> list[str]:
        site = fresh(scenario, tmp_path / f"run{n}", False)
        proc = start(site, None, crash_at=n)
        proc.communicate(timeout=120)
        assert proc.returncode == -signal.SIGKILL
        with open(site / "responses.csv", "a", encoding="utf-8") as f:
            f.write(LATE_SIGNER)
        r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
        if r.code != 0 or "edited by hand" in r.err:
            return [f"killed at step {n} ({what}): then apply said: {r.err.strip().splitlines()[-1]}"]
        if snapshot(site) != expected:
            return [f"killed at step {n} ({what}): files differ from the reference"]
        return []

    problems = for_each_step(steps, kill_then_sign)
    assert not problems, "\n".join(problems)
