"""The same input gives the same files in every run: nothing may depend on the order Python's
salted string hashes give sets and dicts of strings (PYTHONHASHSEED changes from process to
process). Real processes, three hash seeds, messy data: the names corpus (junk, duplicates in
many scripts, organizations) and generated look-alike names that crowd the matching blocks.
(tests/unit/test_matching_order.py pins the one order dependence found so far, deterministically.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_scale import HEADER, _files, _generated_rows, _site
from tests.properties.test_cache_differential import _responses


def _apply(cfg: Path, seed: str, cache: Path) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SIGNSYNC_CACHE_DIR": str(cache)}
    proc = subprocess.run(
        [sys.executable, "-m", "sync", "apply", "--yes", "--config", str(cfg)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr.replace(str(cfg.parent), "<site>")


@pytest.mark.slow
def test_three_hash_seeds_write_the_same_files(tmp_path: Path) -> None:
    corpus = _responses(seed=3, n=830)
    generated = _generated_rows(1500)
    batches = [corpus[:400] + generated[:700], corpus[400:] + generated[700:]]
    outcomes = []
    for seed in ("0", "1", "2"):
        cfg = _site(tmp_path / f"seed{seed}", "shard_rows = 500")
        said = []
        rows: list[str] = []
        for batch in batches:
            rows += batch
            (cfg.parent / "responses.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
            said.append(_apply(cfg, seed, tmp_path / f"cache{seed}"))
        outcomes.append((said, _files(cfg.parent)))
        shutil.rmtree(tmp_path / f"cache{seed}")
    for said, files in outcomes[1:]:
        assert files.keys() == outcomes[0][1].keys()
        for name in files:
            assert files[name] == outcomes[0][1][name], name
        assert [s.split("\nsaved ")[0] for s in said] == [s.split("\nsaved ")[0] for s in outcomes[0][0]]
