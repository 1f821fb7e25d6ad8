"""The README's language and template examples, run as written on a copy of the bundled example:
the commands succeed and the page shows exactly what the README shows."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.support.helpers import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(name: str) -> str:
    m = re.search(rf"<!-- readme-test: {name} -->\n```\w+\n(.*?)```\n", README, re.S)
    assert m, f"README lacks the {name} block"
    return m.group(1)


def region(page: str) -> str:
    start = page.index("<!-- signatories:start -->")
    end = page.index("<!-- signatories:end -->") + len("<!-- signatories:end -->\n")
    return page[start:end]


@pytest.mark.parametrize(("example", "page"), [("es", "declaracion.html"), ("initial", "statement.html")])
def test_readme_example_runs_as_written(tmp_path: Path, example: str, page: str) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    cwd = tmp_path
    for line in block(f"{example}-commands").splitlines():
        words = shlex.split(line)
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        assert words[0] == "signsync", line
        r = run_cli(*words[1:], cwd=cwd)
        assert r.code == 0, (line, r.err)
    assert region((cwd / page).read_text(encoding="utf-8")) == block(f"{example}-output")
    # a rerun with nothing new changes nothing
    before = {p: p.read_bytes() for p in cwd.iterdir() if p.is_file()}
    assert run_cli("plan", cwd=cwd).code == 0
    assert {p: p.read_bytes() for p in cwd.iterdir() if p.is_file()} == before


def test_the_review_lists_a_spanish_page_in_spanish_order(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "es", tmp_path / "es")
    r = run_cli("plan", "--format", "markdown", cwd=tmp_path / "es")
    assert r.code == 2, r.err
    names = ["Carmen Álvarez Zamora", "Lucía Morales Vega", "Néstor Nuzzo Ibáñez", "Óscar Ñáñez Torres"]
    positions = [r.out.index(n) for n in names]
    assert positions == sorted(positions), r.out
