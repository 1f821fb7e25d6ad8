"""Hostile response files, without a browser: wrong encodings, huge files, formula cells."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.helpers import run_cli

HEADER = (
    "Timestamp,Email Address,Full name,Title and organization (optional),Signing as,"
    "I agree that my name may be published,Notes (editors)\n"
)
FIRST = ("Amina", "Ben", "José", "Marta", "Kenji", "Claire", "Thi", "Rita", "Seán", "Layla")
LAST = ("Yusuf", "Chacko", "García", "Kowalska", "Tanaka", "Murphy", "Nguyen", "Okafor", "Ó Briain", "Ahmed")


def row(i: int, name: str) -> str:
    stamp = f"11/20/2026 {i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}"
    return f"{stamp},p{i}@example.org,{name},,An individual,Yes,\n"


@pytest.mark.parametrize(
    ("content", "offset"),
    [
        pytest.param(HEADER.encode() + row(1, "Jos\xe9 Garc\xeda").encode("latin-1"), None, id="latin-1"),
        pytest.param(HEADER.encode("utf-16"), 0, id="utf-16-excel-unicode-text"),
        pytest.param(
            HEADER.encode() + row(1, "Ada").encode() * 5000 + b"\xc3\x28,x\n", None, id="one-bad-byte-deep-in"
        ),
        pytest.param(
            HEADER.encode() + row(1, "Ada").encode() + b"x,\xe2\x82", None, id="truncated-sequence-at-end"
        ),
    ],
)
def test_invalid_utf8_is_a_clear_error_naming_the_byte(
    site: Path, content: bytes, offset: int | None
) -> None:
    responses = site / "responses.csv"
    responses.write_bytes(content)
    if offset is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = exc.start
    before = (site / "statement.html").read_bytes()
    for command in (("plan",), ("plan", "--json"), ("apply", "--yes")):
        r = run_cli(*command, "--config", str(site / "signsync.toml"))
        assert r.code == 1, command
        assert r.out == ""
        assert r.err.startswith(f"Error: {responses} ([source] path): not UTF-8 (byte {offset} on line ")
        assert r.err.endswith("save it again as UTF-8 (in a spreadsheet program: 'CSV UTF-8')\n")
        assert r.err.count("\n") == 1
    assert (site / "statement.html").read_bytes() == before
    assert not (site / "signatories.csv").exists()


def test_a_100_kb_cell_goes_through(site: Path) -> None:
    name = ("Verylongname " * 8000)[:100_000].strip()
    (site / "responses.csv").write_text(HEADER + row(1, name) + row(2, "Ada Byrne"), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    page = (site / "statement.html").read_text(encoding="utf-8")
    # an absurdly long "name" is rejected with its reason, kept in the registry for the record,
    # and never reaches the page; the row beside it is published as usual
    assert "Verylongname" not in page and '<span dir="auto">Ada Byrne</span>' in page
    with open(site / "signatories.csv", encoding="utf-8", newline="") as f:
        rows = {r["status"]: r for r in csv.DictReader(f)}
    assert rows["rejected"]["typed"] == name and "long" in rows["rejected"]["reason"]
    assert run_cli("plan", "--config", str(site / "signsync.toml")).code == 0


def test_registry_cells_never_start_a_formula(site: Path) -> None:
    (site / "responses.csv").write_text(
        HEADER
        + row(1, "=1+1")
        + row(2, "+Ann Formula")
        + row(3, "-Bob Minus")
        + row(4, "@Cat At")
        + row(5, '=HYPERLINK(""http://evil.example"",""x"")'),
        encoding="utf-8",
    )
    assert run_cli("apply", "--yes", "--config", str(site / "signsync.toml")).code == 0
    with open(site / "signatories.csv", encoding="utf-8", newline="") as f:
        cells = [c for r in csv.reader(f) for c in r]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@")] == []


def write_big_csv(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for i in range(rows):
            f.write(row(i, f"{FIRST[i % 10]} {LAST[i // 10 % 10]} {i}"))


def measured_plan(site: Path) -> tuple[int, float, int, dict]:
    """Run `signsync plan --json`; its exit code, seconds, peak memory (MiB), JSON output."""
    out = site / "plan-output.json"
    t0 = time.monotonic()
    with open(out, "w") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sync", "plan", "--json", "--config", str(site / "signsync.toml")],
            stdout=stdout,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - t0
    assert proc.stderr is not None
    proc.stderr.close()
    return proc.returncode, seconds, usage.ru_maxrss // 1024, json.loads(out.read_text())


# Measured on the 2-core test machine: 100,000 rows 74-80 s, 923-948 MiB (1,976 MiB before
# da7fb27, over the budget: these names are alike but for a number, one crowded block); an
# earlier 1,000,000-row run took 125 s alone, 5.2-5.4 GiB: too slow for every CI run, so that
# one runs only with SIGNSYNC_TEST_MILLION=1.
@pytest.mark.slow
@pytest.mark.parametrize(
    "rows",
    [
        100_000,
        pytest.param(
            1_000_000,
            marks=pytest.mark.skipif(
                not os.environ.get("SIGNSYNC_TEST_MILLION"),
                reason="1,000,000 rows takes minutes: run with SIGNSYNC_TEST_MILLION=1",
            ),
        ),
    ],
)
def test_plan_completes_on_a_huge_csv(site: Path, rows: int) -> None:
    write_big_csv(site / "responses.csv", rows)
    code, seconds, peak_mib, doc = measured_plan(site)
    print(f"\nplan --json on {rows:,} rows: {seconds:.1f} s, peak RSS {peak_mib} MiB")
    assert code == 2
    assert doc["summary"]["responses"] == rows
    s = doc["summary"]
    assert s["new"] + s["held"] == rows and s["merged"] == s["rejected"] == 0
    # budget: about 3x what the first version needs (6 KiB a row), so a leak or a quadratic
    # structure shows, while ordinary changes do not
    assert peak_mib < 200 + rows * 18 // 1024, f"{peak_mib} MiB for {rows} rows"
