"""Scale: the sharded registry, the cache, `max_listed` and progress, through the CLI on real
files. Large sizes are the benchmark's job (bench/bench_pipeline.py); here the same code paths
run with small shards."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.helpers import copy_example, run_cli


def _site(root: Path, extra_registry: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    cfg = copy_example(root)
    if extra_registry:
        text = cfg.read_text(encoding="utf-8")
        cfg.write_text(
            text.replace('path = "signatories.csv"\n', f'path = "signatories.csv"\n{extra_registry}\n'),
            encoding="utf-8",
        )
    return cfg


def _ids(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return [r[0] for r in rows[1:]]


def test_sharded_registry_holds_the_same_entries_and_page(tmp_path: Path) -> None:
    plain = _site(tmp_path / "plain")
    sharded = _site(tmp_path / "sharded", "shard_rows = 5")
    for cfg in (plain, sharded):
        r = run_cli("apply", "--yes", "--config", str(cfg))
        assert r.code == 0, r.err
    one = _ids(plain.parent / "signatories.csv")
    shards = sorted(sharded.parent.glob("signatories*.csv"))
    names = [p.name for p in shards]
    assert names[0] == "signatories.csv" and names[1] == "signatories.part002.csv", names
    assert len(shards) == -(-len(one) // 5)
    parts = [_ids(p) for p in shards]
    assert all(len(p) == 5 for p in parts[:-1]) and 0 < len(parts[-1]) <= 5
    together = [i for p in parts for i in p]
    assert sorted(together) == sorted(one) and len(set(together)) == len(together)
    # Same order overall: shards are consecutive pieces of registry order.
    assert together == one
    assert (sharded.parent / "statement.html").read_bytes() == (plain.parent / "statement.html").read_bytes()
    again = run_cli("apply", "--yes", "--config", str(sharded))
    assert again.code == 0 and "Nothing to change" in again.err, again.err


def test_new_signers_go_to_the_last_shard_and_old_shards_stay_untouched(tmp_path: Path) -> None:
    cfg = _site(tmp_path / "site", "shard_rows = 5")
    responses = cfg.parent / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines(keepends=True)
    responses.write_text("".join(lines[:13]), encoding="utf-8")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    before = {p.name: p.read_bytes() for p in cfg.parent.glob("signatories*.csv")}
    responses.write_text("".join(lines), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    after = {p.name: p.read_bytes() for p in cfg.parent.glob("signatories*.csv")}

    def ids(text: bytes) -> list[str]:
        return [r[0] for r in csv.reader(io.StringIO(text.decode()))][1:]

    full = [n for n, b in before.items() if len(ids(b)) == 5]
    assert full, before.keys()
    for name in full:
        # A full shard takes no new entry; it changes only where a response merged into one.
        assert ids(after[name]) == ids(before[name])
    assert len(after) > len(before)


def test_an_id_in_two_shards_is_an_error_naming_both(tmp_path: Path) -> None:
    cfg = _site(tmp_path / "site", "shard_rows = 5")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    first = (cfg.parent / "signatories.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    part = cfg.parent / "signatories.part002.csv"
    part.write_text(part.read_text(encoding="utf-8") + first[1], encoding="utf-8")
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1
    sid = first[1].split(",")[0]
    assert r.err.startswith("Error: ") and sid in r.err and "signatories.csv" in r.err, r.err
    assert "Traceback" not in r.err


@pytest.mark.parametrize("edit", ["name", "withdraw"])
def test_hand_edit_in_a_shard_reaches_the_page(tmp_path: Path, edit: str) -> None:
    cfg = _site(tmp_path / "site", "shard_rows = 5")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    part = cfg.parent / "signatories.part002.csv"
    rows = list(csv.reader(io.StringIO(part.read_text(encoding="utf-8"))))
    target = next(r for r in rows[1:] if r[1] == "published")
    old_name = target[3]
    if edit == "name":
        target[3] = "Edited By Hand"
    else:
        target[1] = "withdrawn"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    part.write_text(buf.getvalue(), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    page = (cfg.parent / "statement.html").read_text(encoding="utf-8")
    if edit == "name":
        assert "Edited By Hand" in page
    assert old_name not in page
