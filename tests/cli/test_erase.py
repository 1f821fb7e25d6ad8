"""`signsync erase`: a signer's erasure through the CLI, on real files: every file signsync keeps
loses them, the tombstone stays, a rerun changes nothing, and a later response from the same
email stays off the page without being named."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.support.helpers import copy_example, run_cli

NAME, AFFILIATION, EMAIL = "Kenji Tanaka", "Engineer, Osaka", "k.tanaka@example.jp"


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(*args, "--config", str(site / "signsync.toml"))
    return r.code, r.out, r.err


def every_file(site: Path) -> dict[str, str]:
    """Every file signsync wrote in the site (not the inputs), as text."""
    skip = {"responses.csv", ".env", "signsync.toml"}
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def test_erase_removes_them_everywhere_keeps_a_tombstone_and_is_idempotent(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    copy_example(site)
    cache = tmp_path / "cache"
    env_cache = {"SIGNSYNC_CACHE_DIR": str(cache)}
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"), env=env_cache)
    assert r.code == 0, r.err
    page = (site / "statement.html").read_text(encoding="utf-8")
    assert NAME in page
    backups = list(site.glob("signatories.page-backup.*.json"))
    # a page backup that named them (a list kept by hand before signsync)
    doc = json.loads(backups[0].read_text(encoding="utf-8"))
    doc["content"] = doc["content"].replace("</body>", f"<li>{NAME} ({AFFILIATION})</li>\n</body>")
    backups[0].write_text(json.dumps(doc), encoding="utf-8")
    assert list(cache.glob("*.sqlite"))

    r = run_cli("erase", EMAIL.upper(), "--config", str(site / "signsync.toml"), env=env_cache)
    assert r.code == 0, r.err
    lines = r.err.splitlines()
    assert any(ln.startswith("signatories.csv: erased (only the keyed hashes") for ln in lines), r.err
    assert any(ln.startswith(f"{backups[0].name}: 1 line(s) naming them removed") for ln in lines), r.err
    assert any("removed (the cache is rebuilt" in ln for ln in lines), r.err
    assert any(ln.startswith("wrote ") or "statement.html" in ln for ln in lines), r.err
    assert any(
        ln.startswith("responses.csv: row(s) 21, 26 still hold them: delete those rows") for ln in lines
    ), r.err
    for text, files in (
        ("Kenji", every_file(site)),
        ("Tanaka", every_file(site)),
        ("Osaka", every_file(site)),
    ):
        leaked = [name for name, body in files.items() if text in body]
        assert not leaked, (text, leaked)
    assert NAME not in r.out + r.err and "Osaka" not in r.out + r.err
    assert not list(cache.glob("*.sqlite"))
    # the tombstone: only hashes
    rows = list(csv.DictReader(io.StringIO((site / "signatories.csv").read_text(encoding="utf-8"))))
    (tomb,) = [row for row in rows if row.get("consent") == "erased"]
    assert (tomb["status"], tomb["name"], tomb["affiliation"], tomb["typed"], tomb["private"]) == (
        "withdrawn",
        "",
        "",
        "",
        "",
    )
    assert tomb["email_keys"] and tomb["responses"] and tomb["name_keys"]
    # a rerun: nothing left to remove, no file changes
    before = every_file(site)
    r = run_cli("erase", EMAIL, "--config", str(site / "signsync.toml"), env=env_cache)
    assert r.code == 0, r.err
    assert f"{tomb['id']}: already erased; nothing left in the registry" in r.err
    assert every_file(site) == before
    assert cli(site, "plan")[0] == 0  # nothing to change either

    # they answer the form again with a yes: held, not published, and the plan does not name them
    with open(site / "responses.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            ["11/30/2026 10:00:00", EMAIL, NAME, AFFILIATION, "An individual", "Yes", ""]
        )
    for args in (("plan",), ("plan", "--json"), ("plan", "--format", "markdown")):
        code, out, err = cli(site, *args)
        assert code == 2, err
        assert "Kenji" not in out + err and "Tanaka" not in out + err and "Osaka" not in out + err
    assert "1 not named (a new yes after a withdrawal: an editor may restore it)" in cli(site, "plan")[1]
    assert cli(site, "apply", "--yes")[0] == 0
    assert NAME not in (site / "statement.html").read_text(encoding="utf-8")
    assert "Kenji" not in (site / "signatories.csv").read_text(encoding="utf-8")
    # an editor may not add them back by hand either
    code, _, err = cli(site, "add", NAME, "--affiliation", AFFILIATION)
    assert code == 1 and "an entry kept off the page has this name" in err


def test_erase_of_someone_unknown_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    copy_example(tmp_path)
    assert cli(tmp_path, "apply", "--yes")[0] == 0
    before = every_file(tmp_path)
    code, _, err = cli(tmp_path, "erase", "nobody@example.com")
    assert code == 1 and err.startswith("Error: no entry has that email address") and err.count("\n") == 1
    assert every_file(tmp_path) == before
