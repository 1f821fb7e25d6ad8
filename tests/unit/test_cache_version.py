"""The cache is rebuilt when what its keys are made from changes: code, or shipped data only."""

from __future__ import annotations

from pathlib import Path

from sync.cache import code_version, tree_digest


def _tree(root: Path) -> None:
    (root / "sync" / "data").mkdir(parents=True)
    (root / "render").mkdir()
    (root / "sync" / "matching.py").write_text("KEYS = 1\n")
    (root / "render" / "page.py").write_text("LINES = 1\n")
    (root / "sync" / "data" / "legal_forms.txt").write_text("gmbh\nltd\n")


def test_a_data_only_change_changes_the_version(tmp_path: Path) -> None:
    _tree(tmp_path)
    before = tree_digest(tmp_path, "8")
    assert tree_digest(tmp_path, "8") == before  # nothing changed: the cache is kept
    (tmp_path / "sync" / "data" / "legal_forms.txt").write_text("gmbh\nltd\nasbl\n")
    after_data = tree_digest(tmp_path, "8")
    assert after_data != before
    (tmp_path / "render" / "page.py").write_text("LINES = 2\n")
    assert tree_digest(tmp_path, "8") not in (before, after_data)
    assert tree_digest(tmp_path, "9") != tree_digest(tmp_path, "8")  # schema or library versions


def test_a_file_moved_between_folders_changes_the_version(tmp_path: Path) -> None:
    _tree(tmp_path)
    before = tree_digest(tmp_path, "8")
    (tmp_path / "sync" / "data" / "legal_forms.txt").rename(tmp_path / "sync" / "data" / "placeholders.txt")
    assert tree_digest(tmp_path, "8") != before


def test_the_installed_tree_has_a_version() -> None:
    assert len(code_version()) == 16
