"""Situations an editor or a form owner creates over weeks of running, each driven through the
CLI on a real copy of the example: the exit status, the message (what is wrong and the fix),
nothing published that must not be, and no decision lost."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli

KEY = "example-only-key-do-not-use-for-a-real-statement"


def _applied(site: Path) -> Path:
    cfg = copy_example(site)
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    return cfg


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _published_lines(site: Path) -> list[str]:
    """The entries the page lists (the example page has no other list)."""
    return re.findall(r"<li>(.*?)</li>", (site / "statement.html").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Situation:
    """A mistake or an odd set-up (`arrange` on an applied or fresh copy of the example), the
    command run, and what must come out."""

    arrange: Callable[[Path], None]
    args: tuple[str, ...]
    code: int
    message: str  # a regular expression the output must hold
    applied_first: bool = True
    env: dict[str, str] = field(default_factory=dict)
    stdout_json: bool = False


def _nothing(site: Path) -> None:
    return None


def _markers_without_spaces(site: Path) -> None:
    _replace_in(site / "statement.html", "<!-- signatories:start -->", "<!--signatories:start-->")


def _empty_registry_file(site: Path) -> None:
    (site / "signatories.csv").write_text("", encoding="utf-8")


def _template_printing_marker(site: Path) -> None:
    (site / "section.html.j2").write_text(
        "<!-- signatories:start -->\n{% for g in groups %}{{ g }}{% endfor %}\n", encoding="utf-8"
    )
    _replace_in(
        site / "signsync.toml",
        'path = "statement.html"',
        'path = "statement.html"\ntemplate = "section.html.j2"',
    )


def _emptied_sheet(site: Path) -> None:
    text = (site / "responses.csv").read_text(encoding="utf-8")
    (site / "responses.csv").write_text(text.splitlines()[0] + "\n", encoding="utf-8")


def _no_env_file(site: Path) -> None:
    (site / ".env").unlink()


SITUATIONS = {
    "an unknown option is a usage error, never 'changes pending'": Situation(
        _nothing, ("plan", "--bogus"), 64, r"No such option '--bogus'"
    ),
    "a misspelt command is a usage error, never 'changes pending'": Situation(
        _nothing, ("plann",), 64, r"No such command 'plann'. Did you mean 'plan'\?"
    ),
    "apply without a terminal says to pass --yes": Situation(
        _nothing, ("apply",), 1, r"no terminal to answer it\?\): pass --yes", applied_first=False
    ),
    "markers written without spaces are named with the fix": Situation(
        _markers_without_spaces,
        ("plan",),
        1,
        r"the marker '<!--signatories:start-->' on line \d+ is written differently from "
        r"what signsync reads.*write the markers "
        r"exactly as '<!-- signatories:start -->'",
    ),
    "an empty registry file says restore it from git": Situation(
        _empty_registry_file, ("plan",), 1, r"signatories.csv is empty .*restore it from git"
    ),
    "a template printing a marker is the template's error": Situation(
        _template_printing_marker,
        ("plan",),
        1,
        r"section.html.j2: the template writes the marker '<!-- signatories:start -->'.*remove it from "
        r"the template",
    ),
    "approving a published entry writes nothing and says so": Situation(
        _nothing, ("approve", "s-16b1f6e87e"), 0, r"already published\nNothing changed"
    ),
    "an emptied sheet is no quiet 'Nothing to change'": Situation(
        _emptied_sheet,
        ("plan",),
        0,
        r"holds no responses while the registry publishes 20 entries.*check \[source\]",
    ),
    "a weak key is refused with how to make one": Situation(
        _nothing,
        ("plan",),
        1,
        r"SIGNSYNC_HASH_KEY is too weak \(1 character, at least 16 needed\).*secrets.token_hex",
        env={"SIGNSYNC_HASH_KEY": "x"},
    ),
    "a second editor without .env is told to get the existing key": Situation(
        _no_env_file,
        ("plan",),
        1,
        r"SIGNSYNC_HASH_KEY is not set, and the registry signatories.csv was made with one: get that "
        r"key from whoever set signsync up.*do not make a new one",
    ),
    "a SIGNSYNC_ setting with a value it cannot take is an error": Situation(
        _nothing,
        ("plan",),
        1,
        r"SIGNSYNC_WORKERS='many' is not a whole number of processes: set it to e.g. 2",
        env={"SIGNSYNC_WORKERS": "many"},
    ),
    "a misspelt SIGNSYNC_ setting is named": Situation(
        _nothing,
        ("plan",),
        0,
        r"SIGNSYNC_PROGRES is not a signsync setting and is ignored: did you mean SIGNSYNC_PROGRESS\?",
        env={"SIGNSYNC_PROGRES": "lines"},
    ),
    "plan --json lists warnings as a list": Situation(
        _emptied_sheet, ("plan", "--json"), 0, r"", stdout_json=True
    ),
}


@pytest.mark.parametrize("name", list(SITUATIONS))
def test_situation(tmp_path: Path, name: str) -> None:
    case = SITUATIONS[name]
    cfg = _applied(tmp_path) if case.applied_first else copy_example(tmp_path)
    registry_before = (tmp_path / "signatories.csv").read_bytes() if case.applied_first else None
    published_before = _published_lines(tmp_path)
    case.arrange(tmp_path)
    r = run_cli(*case.args, "--config", str(cfg), env=case.env)
    assert r.code == case.code, (r.code, r.out, r.err)
    assert re.search(case.message, r.out + r.err, re.S), r.out + r.err
    assert "Traceback" not in r.err
    if case.stdout_json:
        doc = json.loads(r.out)
        assert isinstance(doc["warnings"], list) and doc["warnings"], doc.get("warnings")
        assert isinstance(doc["notes"], list)
    # Nothing published that must not be, no decision lost: the page lists what it listed.
    assert _published_lines(tmp_path) == published_before
    if registry_before is not None and (tmp_path / "signatories.csv").stat().st_size:
        assert (tmp_path / "signatories.csv").read_bytes() == registry_before
