"""signsync and WordPress's own editors, for real: WordPress from Debian's packages, its block
editor and its classic editor driven in headless Chromium (tests/support/wordpress_editor.py).

What must hold after an editor saves the page (which re-serialises the Custom HTML block holding
the list through the browser's DOM, and, for a user without `unfiltered_html`, runs WordPress's
HTML filter over the whole page):
- the next `plan` finds nothing to change (exit 0): the list signsync writes is a fixed point of
  both, so an editor's save changes no byte of it, and it is not taken for a hand edit;
- a new signer is published by the next `apply --yes`, without --force, with every byte outside
  the markers as the editor left it.

The names include the hostile payloads of tests/data/xss_payloads.txt (whatever the names
engine publishes of them), right-to-left names, quotes, apostrophes, ampersands and angle
brackets: the characters whose escaping an editor's save would change.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from render.page import region_text
from tests.integration.test_wordpress import example_publishing_to_wordpress, fetch, revisions
from tests.support.browser import Browser
from tests.support.helpers import outside_markers, run_cli
from tests.support.wordpress_editor import edit_in_block_editor, edit_in_classic_editor, log_in
from tests.support.wordpress_server import AppUser, WordPressSite

pytestmark = [pytest.mark.wordpress, pytest.mark.browser]

PAYLOADS_FILE = Path(__file__).parent.parent / "data" / "xss_payloads.txt"
PAYLOADS = [p.strip() for p in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines() if p.strip()]
TRICKY = [
    ("Siobhán O'Connor", 'Chair, "Friends of the River"'),
    ("سلمى حداد", "صحفية، بيروت"),
    ("דוד כהן", "Hebrew University"),
    ("Zoë Ng", "Smith & Jones <Legal>"),
    ("Ana María Pérez", "Café\u00a0Tacuba"),
]
LATE = ("Late Signer O'Hara", "Après & co")


def response_rows(rows: list[tuple[str, str]], start: int) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    for i, (name, affiliation) in enumerate(rows, start):
        writer.writerow(
            [
                f"11/25/2026 {10 + i // 3600}:{i // 60 % 60:02d}:{i % 60:02d}",
                f"signer{i}@example.org",
                name,
                affiliation,
                "An individual",
                "Yes",
                "",
            ]
        )
    return buf.getvalue()


def site_for(
    site: WordPressSite, folder: Path, user: AppUser, payloads: bool = True
) -> tuple[Path, int, dict]:
    """A site folder publishing to a fresh WordPress page as `user`, with tricky names pending."""
    cfg, page_id = example_publishing_to_wordpress(site, folder)
    names = TRICKY + (
        [(p, PAYLOADS[(i * 7 + 3) % len(PAYLOADS)]) for i, p in enumerate(PAYLOADS)] if payloads else []
    )
    with open(folder / "responses.csv", "a", encoding="utf-8", newline="") as f:
        f.write(response_rows(names, 0))
    env = {"SIGNSYNC_WP_USER": user.login, "SIGNSYNC_WP_APP_PASSWORD": user.app_password}
    return cfg, page_id, env


def raw(site: WordPressSite, page_id: int) -> str:
    return str(fetch(site, page_id)["content"]["raw"])


def add_late_signer(folder: Path) -> None:
    with open(folder / "responses.csv", "a", encoding="utf-8", newline="") as f:
        f.write(response_rows([LATE], 5000))


def publish_then_edit_then_publish(
    site: WordPressSite, chromium: str, folder: Path, user: AppUser, edit, newline: str = "\n"
) -> tuple[str, str, str]:
    """apply; an editor's save (`edit(browser, page_id)`); plan; a new signer; apply.
    Returns the page as signsync first wrote it, as the editor saved it, and at the end.
    `newline`: the line ending the editor saves the page with."""
    cfg, page_id, env = site_for(site, folder, user)
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    # Publish what the names engine held or rejected too (most payloads), as an editor may.
    r = run_cli("review", "--all", "--json", "--config", str(cfg), env=env)
    entries = json.loads(r.out)
    held = [e["id"] for e in entries if e["status"] == "pending"]
    rejected = [e["id"] for e in entries if e["status"] == "rejected" and e["name"].strip()]
    assert len(held) + len(rejected) > 100
    for command, ids in (("approve", held), ("restore", rejected)):
        if ids:
            r = run_cli(command, *ids, "--config", str(cfg), env=env)
            assert r.code == 0, r.err
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert "warning" not in r.err, r.err  # WordPress kept what signsync wrote
    published = raw(site, page_id)
    assert published.count("<li>") > 150
    assert "Siobhán O'Connor" in published

    with Browser(chromium, timeout=60) as browser:
        browser.set_width(1400, 1000)
        log_in(browser, site, user)
        edit(browser, page_id)
    edited = raw(site, page_id)
    assert edited != published, "the editor's save did not reach WordPress"
    assert "An editor added this." in edited
    # The editor's save left signsync's list byte for byte as signsync wrote it (but for the
    # line endings, which signsync then keeps as the editor left them).
    assert region_text(edited, "page") == region_text(published, "page").replace("\n", newline)

    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 0, r.out + r.err
    assert "edited by hand" not in r.out + r.err

    add_late_signer(folder)
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert "edited by hand" not in r.err and "warning" not in r.err, r.err
    final = raw(site, page_id)
    assert '<span dir="auto">Late Signer O\'Hara</span> (<span dir="auto">Après &amp; co</span>)' in final
    assert outside_markers(final) == outside_markers(edited)  # every byte the editor left
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 0, r.out + r.err
    return published, edited, final


@pytest.mark.slow  # a browser session through wp-admin: ~30 s
def test_block_editor_save_then_the_next_run_publishes(
    wordpress: WordPressSite, chromium: str, tmp_path: Path
) -> None:
    """An Editor (may post unfiltered HTML) changes a paragraph in the block editor, Update."""

    def edit(browser: Browser, page_id: int) -> None:
        edit_in_block_editor(browser, wordpress, page_id, " An editor added this.")

    published, edited, _ = publish_then_edit_then_publish(
        wordpress, chromium, tmp_path, wordpress.editor, edit
    )
    # The block editor re-serialised the page (the paragraph), and kept the list's block.
    assert "<!-- wp:html -->\n<!-- signatories:start -->" in edited
    assert "open data. An editor added this.</p>" in edited


@pytest.mark.slow  # a browser session through wp-admin: ~30 s
def test_without_unfiltered_html_the_list_survives_the_filter_and_the_editor(
    wordpress: WordPressSite, chromium: str, tmp_path: Path
) -> None:
    """A user WordPress filters (no unfiltered_html) publishes, then edits in the block editor:
    WordPress's HTML filter runs on both saves; names stay isolated, reruns are no-ops."""

    def edit(browser: Browser, page_id: int) -> None:
        edit_in_block_editor(browser, wordpress, page_id, " An editor added this.")

    published, _, final = publish_then_edit_then_publish(
        wordpress, chromium, tmp_path, wordpress.writer, edit
    )
    for page in (published, final):
        assert '<span dir="auto">سلمى حداد</span> (<span dir="auto">صحفية، بيروت</span>)' in page
        assert "<bdi>" not in page
    check_isolation(chromium, tmp_path, final)


@pytest.mark.slow  # a browser session through wp-admin: ~30 s
def test_classic_editor_save_then_the_next_run_publishes(
    wordpress: WordPressSite, chromium: str, tmp_path: Path
) -> None:
    """Core's classic editor (plain-text mode) saves the textarea as typed, with the line
    endings a browser gives a submitted textarea: CRLF, all over the page."""

    def edit(browser: Browser, page_id: int) -> None:
        edit_in_classic_editor(browser, wordpress, page_id, "open data.", " An editor added this.")

    _, edited, final = publish_then_edit_then_publish(
        wordpress, chromium, tmp_path, wordpress.classic, edit, newline="\r\n"
    )
    assert edited.count("\r\n") == edited.count("\n") and final.count("\r\n") == final.count("\n")


ISOLATION = r"""
(() => [...document.querySelectorAll("li")].filter((li) => li.children.length === 2).map((li) => {
  const [name, aff] = [...li.children].map((e) => { const r = e.getClientRects(); return {
      last: r[r.length - 1].toJSON(), first: r[0].toJSON()}; });
  return {text: li.textContent, name: name.last, aff: aff.first};
}))()
"""


def check_isolation(chromium: str, folder: Path, page: str) -> None:
    """In Chromium, each right-to-left name ends before its affiliation begins (the name and
    the affiliation do not reorder each other), as WordPress stored the list."""
    html = folder / "list.html"
    html.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><body style="width:900px">'
        + region_text(page, "page")
        + "</body>",
        encoding="utf-8",
    )
    with Browser(chromium) as browser:
        browser.set_width(1000)
        browser.open(html.as_uri())
        items = browser.evaluate(ISOLATION)
    rtl = [i for i in items if re.search("[\u0590-\u08ff]", i["text"])]
    assert len(rtl) >= 2, items[:5]
    for item in rtl:
        name, aff = item["name"], item["aff"]
        if abs(name["top"] - aff["top"]) < 1:
            assert name["right"] <= aff["left"] + 0.5, f"reordered: {item['text']!r}"
        else:
            assert name["top"] < aff["top"], f"reordered: {item['text']!r}"


def test_first_write_leaves_a_backup_that_restores_the_page_exactly(
    wordpress: WordPressSite, tmp_path: Path
) -> None:
    cfg, page_id, env = site_for(wordpress, tmp_path, wordpress.editor, payloads=False)
    before = fetch(wordpress, page_id)
    assert len(revisions(wordpress, page_id)) == 0  # a page never revised: nothing to go back to
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    match = re.search(r"as it was to (\S+) \(`signsync restore-page (\S+)` puts it back\)", r.err)
    assert match, r.err
    backup = Path(match.group(1))
    assert match.group(2) == str(backup) and backup.parent == tmp_path
    doc = json.loads(backup.read_text(encoding="utf-8"))
    assert doc["content"] == before["content"]["raw"] == wordpress.initial_content
    assert doc["page"] == {"target": "wordpress", "url": wordpress.url, "page_id": page_id}

    # Later writes leave revisions in WordPress: no second backup.
    add_late_signer(tmp_path)
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0 and "as it was to" not in r.err, r.err
    assert "; to roll back, restore revision " in r.err
    written = raw(wordpress, page_id)

    r = run_cli("restore-page", str(backup), "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert raw(wordpress, page_id) == wordpress.initial_content  # exactly, byte for byte
    second = re.search(r"saved WordPress page \d+ at \S+ as it was to (\S+)", r.err)
    assert second and json.loads(Path(second.group(1)).read_text())["content"] == written
    state = json.loads((tmp_path / "signatories.state.json").read_text())
    assert "writing" not in state["page"]

    # The restored list is not taken for a hand edit: the next run publishes again.
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 2 and "edited by hand" not in r.out + r.err, r.out + r.err
    r = run_cli("restore-page", str(second.group(1)), "--config", str(cfg), env=env)
    assert r.code == 0 and raw(wordpress, page_id) == written


def test_restore_page_refuses_a_backup_of_another_page(wordpress: WordPressSite, tmp_path: Path) -> None:
    cfg, page_id, env = site_for(wordpress, tmp_path, wordpress.editor, payloads=False)
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    (backup,) = tmp_path.glob("signatories.page-backup.*.json")
    other = tmp_path / "other"
    other.mkdir()
    other_cfg, other_id, _ = site_for(wordpress, other, wordpress.editor, payloads=False)
    r = run_cli("restore-page", str(backup), "--config", str(other_cfg), env=env)
    assert r.code == 1
    assert r.err == (
        f"Error: {backup} is a backup of WordPress page {page_id} at {wordpress.url}, but "
        f"{other_cfg} publishes to WordPress page {other_id} at {wordpress.url}: restore it with "
        "the config that publishes to that page (--config)\n"
    )
    assert raw(wordpress, other_id) == wordpress.initial_content
