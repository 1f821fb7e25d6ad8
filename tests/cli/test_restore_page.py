"""Backups and `signsync restore-page` with a page that is a file (the WordPress case is in
tests/integration/test_wordpress_editor.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.helpers import copy_example, run_cli


def test_first_write_backs_the_file_up_and_restore_puts_it_back(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    page = tmp_path / "statement.html"
    original = page.read_bytes()
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    match = re.search(r"as it was to (\S+) \(`signsync restore-page \S+` puts it back\)", r.err)
    assert match, r.err
    backup = Path(match.group(1))
    assert backup.parent == tmp_path and backup.name.startswith("signatories.page-backup.file-")
    assert json.loads(backup.read_text(encoding="utf-8"))["page"] == {
        "target": "file",
        "path": "statement.html",
    }
    written = page.read_bytes()
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as f:
        f.write("11/23/2026 10:00:00,late@example.com,Late Signer,,An individual,Yes,\n")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0 and "as it was to" not in r.err  # one backup: the first write's
    assert len(list(tmp_path.glob("signatories.page-backup.*.json"))) == 1

    r = run_cli("restore-page", str(backup), "--config", str(cfg))

    assert r.code == 0, r.err
    assert page.read_bytes() == original
    assert f"restored {page} as it was at " in r.err
    assert len(list(tmp_path.glob("signatories.page-backup.*.json"))) == 2  # the page before
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 2 and "edited by hand" not in r.out + r.err
    assert written != original


def test_restore_page_refuses_an_altered_or_foreign_file(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    (backup,) = tmp_path.glob("signatories.page-backup.*.json")
    page = (tmp_path / "statement.html").read_bytes()
    doc = json.loads(backup.read_text(encoding="utf-8"))
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps({**doc, "content": doc["content"] + "x"}), encoding="utf-8")

    r = run_cli("restore-page", str(altered), "--config", str(cfg))
    assert (r.code, r.err) == (
        1,
        f"Error: {altered}: the saved content does not match its checksum (the file was edited): "
        "use an unedited backup\n",
    )
    r = run_cli("restore-page", str(cfg), "--config", str(cfg))
    assert r.code == 1 and r.err.startswith(f"Error: {cfg} is not a signsync page backup (")
    r = run_cli("restore-page", str(tmp_path / "nope.json"), "--config", str(cfg))
    assert r.err == (
        f"Error: no backup at {tmp_path / 'nope.json'}: name a file signsync saved "
        "(signsync apply printed its name)\n"
    )
    assert (tmp_path / "statement.html").read_bytes() == page
