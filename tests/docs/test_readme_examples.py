"""The examples in README.md and docs/*.md, run as written on a copy of the bundled example: the
commands succeed and the page shows exactly what the doc shows. Every doc is reachable from the
README and every relative link in them points at a file that exists."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.support.helpers import ROOT, run_cli

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"<!-- doc-test: ([\w-]+) -->\n```\w+\n(.*?)```\n", re.S)


def blocks() -> dict[str, str]:
    found: dict[str, str] = {}
    for doc in DOCS:
        for name, text in BLOCK.findall(doc.read_text(encoding="utf-8")):
            assert name not in found, f"two doc-test blocks named {name}"
            found[name] = text
    return found


def block(name: str) -> str:
    found = blocks()
    assert name in found, f"no doc has the {name} block"
    return found[name]


def region(page: str) -> str:
    start = page.index("<!-- signatories:start -->")
    end = page.index("<!-- signatories:end -->") + len("<!-- signatories:end -->\n")
    return page[start:end]


def test_every_doc_test_block_has_a_pair() -> None:
    names = set(blocks())
    examples = {n.removesuffix("-commands") for n in names if n.endswith("-commands")}
    assert examples == {n.removesuffix("-output") for n in names if n.endswith("-output")}
    assert examples == {"es", "initial"}


@pytest.mark.parametrize(("example", "page"), [("es", "declaracion.html"), ("initial", "statement.html")])
def test_doc_example_runs_as_written(tmp_path: Path, example: str, page: str) -> None:
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


LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_every_relative_link_in_the_docs_points_at_a_file() -> None:
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            if not (doc.parent / target.split("#")[0]).exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert broken == []


def test_every_doc_is_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {Path(t.split("#")[0]).name for t in LINK.findall(readme) if t.startswith("docs/")}
    assert {d.name for d in DOCS[1:]} <= linked


def test_the_readme_is_a_front_door() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    try_it = ".venv/bin/pip install -e . && .venv/bin/signsync plan --config examples/signsync.toml"
    assert f"python3 -m venv .venv && {try_it}" in readme
