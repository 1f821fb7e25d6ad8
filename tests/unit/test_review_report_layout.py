"""The review leads with what needs a decision and fits a pull request whatever the size."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from render.review_report import GITHUB_BODY_LIMIT
from tests.support.helpers import copy_example, run_cli

FIRST = [
    "Amina",
    "Ben",
    "Clara",
    "Dmitri",
    "Elif",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kwame",
    "Lucia",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Ivanova",
    "Yilmaz",
    "Haddad",
    "Schulz",
    "Tanaka",
    "Ferreira",
    "Berg",
]


def _big_site(tmp_path: Path, people: int, policy: str) -> Path:
    """The example with `people` more distinct signers (names from the lists above + a number word)."""
    cfg = copy_example(tmp_path)
    text = cfg.read_text(encoding="utf-8") + f'\n[names]\npolicy = "{policy}"\n'
    cfg.write_text(text, encoding="utf-8")
    with open(tmp_path / "responses.csv", "a", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for i in range(people):
            first = FIRST[i % len(FIRST)]
            last = LAST[(i // len(FIRST)) % len(LAST)]
            # a distinct surname per signer: letters from the number, so no digits in names
            tail = "".join("abcdefghij"[int(c)] for c in str(i))
            name = f"{first} {last}-{tail.capitalize()}"
            w.writerow(
                [
                    f"11/25/2026 10:{i % 60:02d}:00",
                    f"p{i}@example.org",
                    name,
                    "Member, Example Society",
                    "An individual",
                    "Yes",
                    "",
                ]
            )
    return cfg


def _sections(md: str) -> list[str]:
    return [s.strip() for s in re.findall(r"^### (\w[\w ]*)", md, re.M)]


def test_small_review_leads_with_decisions_then_changes_then_folded_rest(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    r = run_cli("plan", "--format", "markdown", "--config", str(cfg))
    assert r.code == 2, r.err
    md = r.out
    assert _sections(md)[:2] == ["Needs a decision", "New on the page"]
    assert (
        md.index("### Needs a decision")
        < md.index("### New on the page")
        < md.index("<details><summary>Merged")
    )
    boxes = re.findall(r"^- \[ \] publish \*\*(.+?)\*\* \(`(s-[0-9a-f]{10})`\): (.+)$", md, re.M)
    assert boxes and "Bill Gates" in [b[0] for b in boxes]
    assert "watch list" in boxes[0][2]
    # the digest the approve workflow checks, near the top so that no shortening can cut it
    assert md.splitlines()[1] == "<!-- signsync-review registry=none -->"
    assert "summarised" not in md and "summarised" not in r.err


@pytest.mark.slow
def test_large_registry_review_fits_a_pull_request_and_the_whole_is_in_out_full(tmp_path: Path) -> None:
    cfg = _big_site(tmp_path, 3000, "review")
    full = tmp_path / "review-full.md"
    run = "https://github.com/org/statement/actions/runs/42"
    args = ("--out-full", str(full), "--full-review-link", run, "--config", str(cfg))
    r = run_cli("plan", "--format", "markdown", *args, timeout=600)
    assert r.code == 2, r.err
    md = r.out
    assert len(md) <= GITHUB_BODY_LIMIT
    assert "whole review: review-full.md" in r.err
    assert "**This review is summarised**" in md
    assert f"Everything is in review-full.md ([the workflow run]({run}))." in md
    whole = full.read_text(encoding="utf-8")
    assert len(whole) > GITHUB_BODY_LIMIT
    # every held entry is in the whole review with its box; the summary counts them all
    held_full = re.findall(r"^- \[ \] publish .*\(`(s-[0-9a-f]{10})`\)", whole, re.M)
    assert len(held_full) >= 3000
    head = md.splitlines()[0]
    assert head.endswith(f"{len(held_full)} waiting for a decision")
    shown = re.findall(r"^- \[ \] publish .*\(`(s-[0-9a-f]{10})`\)", md, re.M)
    more = int(re.search(r"^- … and (\d+) more: `signsync review` lists them\.$", md, re.M).group(1))
    assert len(shown) > 0 and len(shown) + more == len(held_full)
    assert set(shown) <= set(held_full)
    assert "```diff" not in md and "```diff" in whole
    assert re.match(r"## Signatories: .*\n<!-- signsync-review registry=([0-9a-f]{64}|none) -->\n", md)


@pytest.mark.slow
def test_large_publish_run_keeps_order_and_limit(tmp_path: Path) -> None:
    cfg = _big_site(tmp_path, 2500, "publish")
    r = run_cli("plan", "--format", "markdown", "--config", str(cfg), timeout=600)
    assert r.code == 2, r.err
    assert len(r.out) <= GITHUB_BODY_LIMIT
    assert _sections(r.out)[:2] == ["Needs a decision", "New on the page"]
    total = int(re.search(r"^### New on the page \((\d+)\)", r.out, re.M).group(1))
    section = r.out.split("### New on the page", 1)[1].split("\n### ", 1)[0].split("<details>", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("- ")]
    more = int(re.fullmatch(r"- … and (\d+) more\.", lines[-1]).group(1))
    shown = len(lines) - 1
    assert total >= 300 and shown + more == total  # every added entry shown or counted


def test_html_review_leads_with_decisions_and_folds_the_whole_list(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    r = run_cli("plan", "--format", "html", "--config", str(cfg))
    page = r.out
    assert page.index("Needs a decision") < page.index("New on the page") < page.index("<details>")
    assert page.index("<details><summary>The whole list") < page.index("<h2>Now (")
