"""The module structure's rules that import-linter cannot express (see docs/design.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("sync", "render")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _private_imports(root: Path) -> list[str]:
    """`from X import _name` where X is another unit: a top-level module of a package is a unit
    of its own; a sub-package (sync/names/) shares its private names among its modules."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            module = _module_name(path, root)
            unit = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                    continue
                if node.module.split(".")[0] not in PACKAGES:
                    continue
                shared = unit not in PACKAGES and (node.module == unit or node.module.startswith(unit + "."))
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__") and not shared:
                        found.append(f"{module} imports {node.module}.{alias.name}")
    return found


def test_no_module_imports_another_units_private_names() -> None:
    assert _private_imports(ROOT) == []


def test_the_rule_sees_private_imports_across_units(tmp_path: Path) -> None:
    files = {
        "sync/operations/editor.py": "from sync.dedupe.reconcile import _candidate, reconcile\n",
        "sync/names/reading.py": "from sync.names.casing import _case_state\n",
        "sync/names/checks.py": "from sync.dedupe.matching import _blocks\n",
        "render/page.py": "from sync.model import __doc__\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert _private_imports(tmp_path) == [
        "sync.names.checks imports sync.dedupe.matching._blocks",
        "sync.operations.editor imports sync.dedupe.reconcile._candidate",
    ]


def test_every_source_kind_the_config_accepts_has_a_reader() -> None:
    from sync.config import SCHEMA
    from sync.intake.sources import SOURCES

    assert set(SOURCES) == set(SCHEMA["source"]["kind"].choices)


def test_only_the_root_modules_sit_directly_in_sync() -> None:
    loose = {p.name for p in (ROOT / "sync").glob("*.py")}
    assert loose - {"__init__.py", "__main__.py", "model.py", "errors.py", "config.py"} == set()
