"""Docs that cannot drift: config.example.toml documents every key, and is valid."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from sync.config import SCHEMA, parse_config

ROOT = Path(__file__).resolve().parents[2]


def test_config_example_documents_every_key_and_nothing_else() -> None:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    documented: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        if m := re.match(r"^\[(\w+)\]", line):
            section = m.group(1)
            documented.setdefault(section, set())
        elif m := re.match(r"^#? ?(\w+) = ", line):
            documented[section].add(m.group(1))
    assert documented == {s: set(keys) for s, keys in SCHEMA.items()}


def test_config_example_is_a_valid_config() -> None:
    path = ROOT / "config.example.toml"
    config = parse_config(path, tomllib.loads(path.read_text(encoding="utf-8")))
    assert config.source.kind == "csv"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in ci.splitlines() if "pytest" in line and not line.startswith("#"))
    assert command.strip() in readme


def test_pre_commit_runs_the_code_checks_of_ci() -> None:
    hooks = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    entries = re.findall(r"^\s+entry: (.+)$", hooks, re.M)
    checks = [line.strip() for line in ci.splitlines() if line.startswith(".venv/bin/") and "pip" not in line]
    assert sorted(entries) == sorted(c for c in checks if "pytest" not in c)


def test_blame_ignores_the_move_commit() -> None:
    revs = (ROOT / ".git-blame-ignore-revs").read_text(encoding="utf-8")
    assert "1ac23bc821fe361689fb25c4f8e615276c063151" in revs.split()
