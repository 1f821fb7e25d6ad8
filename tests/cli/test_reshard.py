"""`signsync reshard`: a registry written in one file (before shards existed, or with a larger
`shard_rows`) is laid out again in files of `shard_rows` entries, through the CLI, on real files.
Killed at every step of its writes, a rerun finishes it and no entry is lost or doubled."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli


def _site(root: Path, shard_rows: int | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    cfg = copy_example(root)
    if shard_rows is not None:
        _set_rows(cfg, shard_rows)
    return cfg


def _set_rows(cfg: Path, shard_rows: int) -> None:
    text = re.sub(r"\nshard_rows = \d+", "", cfg.read_text(encoding="utf-8"))
    cfg.write_text(
        text.replace('path = "signatories.csv"\n', f'path = "signatories.csv"\nshard_rows = {shard_rows}\n'),
        encoding="utf-8",
    )


def _files(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(site.glob("signatories*.csv"))}


def _rows(data: bytes) -> list[list[str]]:
    """The data rows, without the trailing empty cells of optional columns (a shard has the
    optional columns its own entries use)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))[1:]
    for r in rows:
        while len(r) > 15 and r[-1] == "":
            r.pop()
    return rows


def _all_rows(site: Path) -> list[list[str]]:
    return [
        r for _name, data in sorted(_files(site).items(), key=lambda kv: _number(kv[0])) for r in _rows(data)
    ]


def _number(name: str) -> int:
    m = re.search(r"\.part(\d+)\.csv$", name)
    return int(m.group(1)) if m else 1


@pytest.fixture
def one_file_site(tmp_path: Path) -> Path:
    """The example applied into one registry file (28 entries)."""
    cfg = _site(tmp_path / "site")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    assert list(_files(cfg.parent)) == ["signatories.csv"]
    return cfg


def test_reshard_splits_one_file_into_shards_in_registry_order(one_file_site: Path) -> None:
    cfg, site = one_file_site, one_file_site.parent
    before_rows = _all_rows(site)
    page = (site / "statement.html").read_bytes()
    state = (site / "signatories.state.json").read_bytes()
    _set_rows(cfg, 6)
    r = run_cli("reshard", "--config", str(cfg))
    assert r.code == 0, r.err
    assert "Resharded: 28 entries in 5 file(s) of at most 6" in r.err, r.err
    files = _files(site)
    assert list(files) == [
        "signatories.csv",
        *(f"signatories.part00{n}.csv" for n in range(2, 6)),
    ], list(files)
    sizes = [len(_rows(files[name])) for name in files]
    assert sizes == [6, 6, 6, 6, 4], sizes
    # The same lines, in the same (registry) order, only cut into files.
    assert _all_rows(site) == before_rows
    assert (site / "statement.html").read_bytes() == page
    # The state follows only the count of files (checked by every run: a lost file stops it).
    after = json.loads((site / "signatories.state.json").read_bytes())
    assert after.pop("registry_files") == 5
    assert {k: v for k, v in json.loads(state).items() if k != "registry_files"} == after
    # Every run afterwards finds nothing to do; so does a second reshard.
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0 and "Nothing to change" in r.err, r.err
    r = run_cli("reshard", "--config", str(cfg))
    assert r.code == 0 and "Nothing to do: 28 entries are already in 5 file(s)" in r.err, r.err
    assert _files(site) == files


def test_reshard_back_into_one_file_gives_the_original_bytes(one_file_site: Path) -> None:
    cfg, site = one_file_site, one_file_site.parent
    original = _files(site)
    _set_rows(cfg, 4)
    assert run_cli("reshard", "--config", str(cfg)).code == 0
    assert len(_files(site)) == 7
    _set_rows(cfg, 50_000)
    r = run_cli("reshard", "--config", str(cfg))
    assert r.code == 0, r.err
    assert "removed 6" in r.err, r.err
    assert _files(site) == original


def test_new_signers_after_a_reshard_fill_the_last_shard(tmp_path: Path) -> None:
    cfg = _site(tmp_path / "site")
    responses = cfg.parent / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines(keepends=True)
    responses.write_text("".join(lines[:16]), encoding="utf-8")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    _set_rows(cfg, 5)
    assert run_cli("reshard", "--config", str(cfg)).code == 0
    before = _files(cfg.parent)
    responses.write_text("".join(lines), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    after = _files(cfg.parent)
    for name, data in before.items():
        if len(_rows(data)) == 5:  # full shards keep their entries
            assert [row[0] for row in _rows(after[name])] == [row[0] for row in _rows(data)]
    assert all(len(_rows(data)) <= 5 for data in after.values())
    # The same page as a site that was sharded from the start.
    fresh = _site(tmp_path / "fresh", 5)
    assert run_cli("apply", "--yes", "--config", str(fresh)).code == 0
    assert (cfg.parent / "statement.html").read_bytes() == (fresh.parent / "statement.html").read_bytes()


def test_reshard_refuses_a_broken_registry_and_writes_nothing(one_file_site: Path) -> None:
    cfg, site = one_file_site, one_file_site.parent
    reg = site / "signatories.csv"
    lines = reg.read_text(encoding="utf-8").splitlines(keepends=True)
    reg.write_text("".join(lines[:3]) + "not,a,registry,row\n" + "".join(lines[3:]), encoding="utf-8")
    before = _files(site)
    _set_rows(cfg, 5)
    r = run_cli("reshard", "--config", str(cfg))
    assert r.code == 1 and r.err.startswith("Error: ") and "Traceback" not in r.err, r.err
    assert _files(site) == before
    assert not (site / "signatories.reshard.csv").exists()


def test_reshard_without_a_registry_is_one_error(tmp_path: Path) -> None:
    cfg = _site(tmp_path / "site", 5)
    r = run_cli("reshard", "--config", str(cfg))
    assert r.code == 1 and "Error: no registry at" in r.err, r.err


def _crash_reshard(cfg: Path, step: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIGNSYNC_TEST_CRASH_AT": str(step)}
    return subprocess.run(
        [sys.executable, "-m", "sync", "reshard", "--config", str(cfg)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_reshard_killed_at_every_write_step_loses_nothing(tmp_path: Path) -> None:
    """Kill reshard at each step of each atomic write (journal, shards); the registry is then
    refused by every other command until a rerun of reshard finishes it, and the end result
    is the uninterrupted one."""
    base = _site(tmp_path / "base")
    assert run_cli("apply", "--yes", "--config", str(base)).code == 0
    rows = _all_rows(base.parent)
    _set_rows(base, 6)
    expected_dir = tmp_path / "expected"
    subprocess.run(["cp", "-r", str(base.parent), str(expected_dir)], check=True)
    assert run_cli("reshard", "--config", str(expected_dir / base.name)).code == 0
    expected = _files(expected_dir)
    steps = 0
    for step in range(1, 200):
        site = tmp_path / f"crash{step}"
        subprocess.run(["cp", "-r", str(base.parent), str(site)], check=True)
        cfg = site / base.name
        proc = _crash_reshard(cfg, step)
        if proc.returncode == 0:
            steps = step - 1
            break
        assert proc.returncode == -9, proc.stderr
        journal = site / "signatories.reshard.csv"
        if journal.exists():
            # The registry is refused (not read with entries twice or missing) ...
            plan = run_cli("plan", "--config", str(cfg))
            assert plan.code == 1 and "run `signsync reshard` again" in plan.err, plan.err
            assert "Traceback" not in plan.err
        else:
            # ... or it is still the untouched one file.
            assert _all_rows(site) == rows
        done = run_cli("reshard", "--config", str(cfg))
        assert done.code == 0, done.err
        assert _files(site) == expected, step
        assert not journal.exists()
        assert not list(site.glob(".signatories*.tmp")), step  # the rerun swept the killed one's temps
        final = run_cli("apply", "--yes", "--config", str(cfg))
        assert final.code == 0 and "Nothing to change" in final.err, final.err
    assert steps >= 7 * 6, steps  # the journal and five shards, seven steps each


def test_doctor_reports_the_registry_files_and_points_at_reshard(one_file_site: Path) -> None:
    cfg = one_file_site
    r = run_cli("doctor", "--config", str(cfg))
    assert r.code == 0, r.out + r.err
    line = next(x for x in (r.out + r.err).splitlines() if "registry:" in x)
    assert "28 entries in 1 file(s); the largest, signatories.csv, is" in line, line
    _set_rows(cfg, 10)
    r = run_cli("doctor", "--config", str(cfg))
    line = next(x for x in (r.out + r.err).splitlines() if "registry:" in x)
    assert "over [registry] shard_rows = 10 entries: signatories.csv (28)" in line, line
    assert "signsync reshard" in line


def test_a_registry_file_over_50_mb_is_named_with_the_fix(tmp_path: Path) -> None:
    from sync.store.registry import size_warnings

    reg = tmp_path / "signatories.csv"
    reg.write_text("id\n", encoding="utf-8")
    part = tmp_path / "signatories.part002.csv"
    with open(part, "wb") as f:  # sparse: the size is what a git host sees, the disk stays free
        f.truncate(60_000_000)
    assert size_warnings(reg) == [
        "signatories.part002.csv is 60.0 MB: git hosts warn at 50 MB per file and refuse 100 MB; "
        "run `signsync reshard` to split the registry into files of [registry] shard_rows entries "
        "(lower shard_rows if the files are still too large)"
    ]
    part.unlink()
    assert size_warnings(reg) == []
