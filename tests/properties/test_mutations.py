"""Mutation test over the CLI: damaged variants of every input file, `plan` and `apply` on each.

Starting from the bundled example with work pending (a first apply over part of the responses,
then the whole responses file back), each variant damages one file one way: truncated at a
random point, re-encoded, a CSV column deleted, swapped or renamed, rows duplicated, random
bytes written in, line endings changed, permissions removed, the file deleted or replaced by a
folder. For every variant:

- every run exits 0, 1 or 2, with no traceback and never through the last resort ("a bug");
- `plan` changes no file; an `apply` that exits 1 changes no file;
- after an `apply` that exits 0, every signatory the page showed before is still published,
  unless the damaged input itself says otherwise (their registry row now says another status
  or is gone).

The runs are in-process (`sync.cli.run`, the same function the `signsync` command calls) to
keep 1,000+ runs fast. The default run takes a sample; `pytest -m slow` runs all 520 variants.
The table of mutation kind x outcome is printed at the end of the run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from sync.cli import run
from tests.support.helpers import copy_example
from tests.support.sheets_plugin import REPORT_TABLES

FILES = (
    "signsync.toml",
    ".env",
    "responses.csv",
    "statement.html",
    "signatories.csv",
    "signatories.state.json",
)
CSV_FILES = ("responses.csv", "signatories.csv")
FULL_VARIANTS = 520
SAMPLE_VARIANTS = 60


# --- the mutations: each takes (folder, file name, rng) and damages that file in place ----


def truncate(folder: Path, name: str, rng: random.Random) -> None:
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data[: rng.randrange(len(data) + 1)])


def reencode(folder: Path, name: str, rng: random.Random) -> None:
    text = (folder / name).read_text(encoding="utf-8")
    encoding = rng.choice(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-8-sig", "utf-32", "mac-roman"])
    (folder / name).write_bytes(text.encode(encoding, "replace"))


def _rows(folder: Path, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"), newline="")))


def _write_rows(folder: Path, name: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (folder / name).write_text(buf.getvalue(), encoding="utf-8")


def delete_column(folder: Path, name: str, rng: random.Random) -> None:
    rows = _rows(folder, name)
    col = rng.randrange(len(rows[0]))
    _write_rows(folder, name, [r[:col] + r[col + 1 :] for r in rows])


def swap_columns(folder: Path, name: str, rng: random.Random) -> None:
    rows = _rows(folder, name)
    a, b = rng.sample(range(len(rows[0])), 2)
    for r in rows:
        if max(a, b) < len(r):
            r[a], r[b] = r[b], r[a]
    _write_rows(folder, name, rows)


def rename_column(folder: Path, name: str, rng: random.Random) -> None:
    rows = _rows(folder, name)
    col = rng.randrange(len(rows[0]))
    rows[0][col] = rng.choice([rows[0][col].upper(), rows[0][col] + " (edited)", "Column " + str(col), ""])
    _write_rows(folder, name, rows)


def duplicate_rows(folder: Path, name: str, rng: random.Random) -> None:
    rows = _rows(folder, name)
    body = rows[1:] + [rng.choice(rows[1:]) for _ in range(rng.randint(1, 4))]
    rng.shuffle(body)
    _write_rows(folder, name, [rows[0], *body])


def random_bytes(folder: Path, name: str, rng: random.Random) -> None:
    data = bytearray((folder / name).read_bytes())
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(data) + 1)
        data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
    (folder / name).write_bytes(bytes(data))


def line_endings(folder: Path, name: str, rng: random.Random) -> None:
    text = (folder / name).read_bytes().replace(b"\r\n", b"\n")
    style = rng.choice(["crlf", "cr", "mixed", "none-at-end"])
    if style == "crlf":
        text = text.replace(b"\n", b"\r\n")
    elif style == "cr":
        text = text.replace(b"\n", b"\r")
    elif style == "mixed":
        lines = text.split(b"\n")
        text = b"".join(line + rng.choice([b"\n", b"\r\n"]) for line in lines[:-1]) + lines[-1]
    else:
        text = text.rstrip(b"\n")
    (folder / name).write_bytes(text)


def permissions(folder: Path, name: str, rng: random.Random) -> None:
    target = folder if rng.random() < 0.25 else folder / name
    target.chmod(rng.choice([0o000, 0o444, 0o200]) if target.is_file() else rng.choice([0o555, 0o500]))


def delete_file(folder: Path, name: str, rng: random.Random) -> None:
    (folder / name).unlink()


def folder_instead(folder: Path, name: str, rng: random.Random) -> None:
    (folder / name).unlink()
    (folder / name).mkdir()


Mutation = Callable[[Path, str, random.Random], None]
MUTATIONS: dict[str, tuple[Mutation, tuple[str, ...]]] = {
    "truncate": (truncate, FILES),
    "re-encode": (reencode, FILES),
    "delete column": (delete_column, CSV_FILES),
    "swap columns": (swap_columns, CSV_FILES),
    "rename column": (rename_column, CSV_FILES),
    "duplicate rows": (duplicate_rows, CSV_FILES),
    "random bytes": (random_bytes, FILES),
    "line endings": (line_endings, FILES),
    "permissions": (permissions, FILES),
    "delete file": (delete_file, FILES),
    "folder instead": (folder_instead, FILES),
}


def variants(count: int) -> list[tuple[str, str, int]]:
    """(mutation, file, seed) for `count` variants, spread evenly over the mutation kinds."""
    out = []
    kinds = list(MUTATIONS)
    for i in range(count):
        kind = kinds[i % len(kinds)]
        files = MUTATIONS[kind][1]
        out.append((kind, files[(i // len(kinds)) % len(files)], i))
    return out


# --- running signsync in-process ------------------------------------------------------------


def signsync(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return code, out.getvalue() + err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        if p.name.endswith(".lock"):
            continue
        key = str(p.relative_to(folder))
        try:
            files[key] = p.read_bytes() if p.is_file() else "<folder>"
        except PermissionError:
            files[key] = f"<unreadable {p.stat().st_mode:o}>"
    return files


def published_ids(folder: Path) -> set[str]:
    state = json.loads((folder / "signatories.state.json").read_text(encoding="utf-8"))
    return set(state["published"])


def registry_says(folder: Path) -> dict[str, str]:
    """id -> status as the (maybe damaged) registry file says, read leniently."""
    try:
        text = (folder / "signatories.csv").read_bytes().decode("utf-8", "replace")
    except OSError:
        return {}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return {
            r.get("id") or "": r.get("status") or "" for r in csv.DictReader(io.StringIO(text, newline=""))
        }
    except csv.Error:
        return {}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example after a first apply over its first 20 responses, with all 31 back: work pending."""
    folder = tmp_path_factory.mktemp("mutation-base")
    copy_example(folder)
    full = (folder / "responses.csv").read_text(encoding="utf-8")
    (folder / "responses.csv").write_text("\n".join(full.split("\n")[:21]) + "\n", encoding="utf-8")
    with _quiet_env():
        code, text = signsync("apply", "--yes", "--config", str(folder / "signsync.toml"))
    assert code == 0, text
    (folder / "responses.csv").write_text(full, encoding="utf-8")
    return folder


@contextlib.contextmanager
def _quiet_env():
    saved = {k: os.environ.pop(k, None) for k in ("SIGNSYNC_HASH_KEY", "SIGNSYNC_OLD_HASH_KEY")}
    os.environ["SIGNSYNC_LOCK_WAIT"] = "0"
    try:
        yield
    finally:
        os.environ.pop("SIGNSYNC_LOCK_WAIT", None)
        for k, v in saved.items():
            if v is not None:
                os.environ[k] = v


def _restore_modes(folder: Path) -> None:
    folder.chmod(0o755)
    for p in folder.rglob("*"):
        with contextlib.suppress(OSError):
            p.chmod(0o755 if p.is_dir() else 0o644)


def check_variant(base: Path, work: Path, kind: str, name: str, seed: int) -> tuple[str, str]:
    """Damage a copy of `base`, run plan and apply; assert the guarantees; return the outcome."""
    folder = work / f"{seed:04d}"
    shutil.copytree(base, folder)
    cfg = str(folder / "signsync.toml")
    before_ids = published_ids(base)
    mutate, _ = MUTATIONS[kind]
    mutate(folder, name, random.Random(seed))
    says = registry_says(folder if name == "signatories.csv" else base)
    label = f"{kind} of {name} (seed {seed})"
    try:
        damaged = snapshot(folder)
        code, text = signsync("plan", "--config", cfg)
        assert code in (0, 1, 2), (label, "plan", code, text)
        assert "Traceback" not in text and "this is a bug" not in text, (label, "plan", text)
        assert snapshot(folder) == damaged, (label, "plan changed a file")
        plan_code = code
        code, text = signsync("apply", "--yes", "--config", cfg)
        assert code in (0, 1, 2), (label, "apply", code, text)
        assert "Traceback" not in text and "this is a bug" not in text, (label, "apply", text)
        if code == 1:
            assert text.splitlines()[-1].startswith("Error: "), (label, text)
            assert snapshot(folder) == damaged, (label, "apply exited 1 but changed a file", text)
        else:
            gone = {i for i in before_ids - published_ids(folder) if says.get(i) == "published"}
            assert not gone, (label, "published signatories disappeared", gone, text)
        return f"plan {plan_code}", f"apply {code}"
    finally:
        _restore_modes(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _run_all(base: Path, work: Path, count: int, title: str) -> None:
    outcomes: dict[str, Counter[str]] = {}
    with _quiet_env():
        for kind, name, seed in variants(count):
            plan_outcome, apply_outcome = check_variant(base, work, kind, name, seed)
            outcomes.setdefault(kind, Counter()).update([plan_outcome, apply_outcome, "variants"])
    columns = ["variants", "plan 0", "plan 1", "plan 2", "apply 0", "apply 1", "apply 2"]
    lines = [f"{'mutation':<16}" + "".join(f"{c:>10}" for c in columns)]
    for kind, counts in outcomes.items():
        lines.append(f"{kind:<16}" + "".join(f"{counts[c]:>10}" for c in columns))
    total: Counter[str] = sum(outcomes.values(), Counter())
    lines.append(f"{'all':<16}" + "".join(f"{total[c]:>10}" for c in columns))
    REPORT_TABLES[title] = lines
    assert total["variants"] == count


def test_mutations_sample(base: Path, tmp_path: Path) -> None:
    """A sample of the variants (every kind, every file) in the default run."""
    _run_all(
        base, tmp_path, SAMPLE_VARIANTS, f"mutation test (sample of {SAMPLE_VARIANTS}): kind x exit status"
    )


@pytest.mark.slow
def test_mutations_all(base: Path, tmp_path: Path) -> None:
    """All 520 variants (`pytest -m slow tests/properties/test_mutations.py`)."""
    _run_all(base, tmp_path, FULL_VARIANTS, f"mutation test ({FULL_VARIANTS} variants): kind x exit status")
