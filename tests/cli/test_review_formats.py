"""The review formats (Markdown for a pull request, HTML side by side) and the JSON data file
for static sites, through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.helpers import run_cli


def test_markdown_review_reads_well(site: Path) -> None:
    r = run_cli("plan", "--format", "markdown", "--config", str(site / "signsync.toml"))
    assert r.code == 2, r.err
    md = r.out
    assert md.startswith("## Signatories: 20 to add, 0 to remove, 1 waiting for a decision\n")
    assert "\n- Ben Chacko (Editor, Morning Star)\n" in md
    assert "- [ ] publish **Bill Gates** (`s-" in md
    assert "\n<details><summary>Rejected (5)</summary>\n" in md
    # Priya Raman answered "No", another row left the consent blank: counted, never named
    assert "Priya" not in md and "Student" not in md
    assert "### Kept off the page, not named" in md
    assert "- 1 × kept off the page: the answer to the consent question is not a yes\n" in md
    assert "- 1 × kept off the page: the consent question was left unanswered\n" in md
    assert "<details><summary>Diff of statement.html</summary>" in md
    assert "```diff\n--- a/statement.html" in md


def test_markdown_review_escapes_markup_in_names(site: Path) -> None:
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.write(
            '11/23/2026 10:00:00,x@example.com,Eve Smith,"*Bold* [x](y) _z_ `c` <3 Q&A",An individual,Yes,\n'
        )
    r = run_cli("plan", "--format", "markdown", "--config", str(site / "signsync.toml"))
    line = next(ln for ln in r.out.splitlines() if ln.startswith("- Eve"))
    assert line == r"- Eve Smith (\*Bold\* \[x\](y) \_z\_ \`c\` &lt;3 Q&amp;A)"


def test_html_review_shows_before_and_after(site: Path) -> None:
    cfg = str(site / "signsync.toml")
    assert run_cli("apply", "--yes", "--config", cfg).code == 0
    # an editor withdraws one signer and a new one arrives
    assert run_cli("withdraw", "k.tanaka@example.jp", "--config", cfg).code == 0
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.write("11/23/2026 10:00:00,new@example.com,Nadia Haddad,Poet,An individual,Yes,\n")
    r = run_cli("plan", "--format", "html", "--config", cfg)
    assert r.code == 2
    page = r.out
    assert page.startswith("<!DOCTYPE html>")
    # Kenji Tanaka asked to be withdrawn: he leaves the page, counted, not named
    assert "Kenji" not in page and "Tanaka" not in page and "Osaka" not in page
    assert "<li>… and 1 more, not named here (withdrawn or revoked)</li>" in page
    assert '<li class="added"><bdi>Nadia Haddad</bdi> (<bdi>Poet</bdi>)</li>' in page
    assert "1 to add, 1 to remove" in page
    assert "<script" not in page.lower()


def test_data_file_for_static_sites(site: Path) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(
        cfg.read_text().replace(
            'path = "statement.html"', 'path = "statement.html"\ndata_file = "data/signatories.json"'
        )
    )
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    doc = json.loads((site / "data" / "signatories.json").read_text(encoding="utf-8"))
    assert doc["total"] == len(doc["organizations"]) + len(doc["individuals"]) == 20
    first = doc["organizations"][0]
    assert set(first) == {"id", "name", "affiliation", "kind", "signed", "pinned", "text"}
    assert (first["name"], first["affiliation"], first["kind"]) == ("ANSWER Coalition", "", "organization")
    assert (first["pinned"], first["text"]) == (False, "ANSWER Coalition")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", first["signed"])
    assert doc["total_text"] == f"{doc['total']} signatories"
    assert doc["labels"]["organizations"] == f"Organizations ({len(doc['organizations'])})"
    assert (doc["language"], doc["direction"]) == ("", "ltr")
    assert {
        "name": "Ben Chacko",
        "affiliation": "Editor, Morning Star",
        "text": "Ben Chacko (Editor, Morning Star)",
    }.items() <= next(e for e in doc["individuals"] if e["name"] == "Ben Chacko").items()
    assert run_cli("plan", "--config", str(cfg)).code == 0


def test_data_file_alone_without_a_page(site: Path) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text().replace('path = "statement.html"', 'data_file = "signatories.json"'))
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    assert json.loads((site / "signatories.json").read_text())["total"] == 20
    page = (site / "statement.html").read_text()
    assert "<!-- signatories:start -->\n<p>Signatures will appear here.</p>" in page
    assert run_cli("plan", "--config", str(cfg)).code == 0
