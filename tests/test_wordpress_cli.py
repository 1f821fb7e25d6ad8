"""plan/apply through the CLI with `[publish] target = "wordpress"`, against a real WordPress."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import copy_example, outside_markers, run_cli
from tests.test_wordpress import editor_session, fetch, revisions
from tests.wordpress_server import WordPressSite

pytestmark = pytest.mark.wordpress


@pytest.fixture
def wp_site(wordpress: WordPressSite, tmp_path: Path) -> tuple[Path, int, dict[str, str]]:
    """A site folder whose config publishes to a fresh WordPress page."""
    answer = editor_session(wordpress).post(
        wordpress.rest("/wp/v2/pages"),
        json={"title": "Statement", "status": "publish", "content": wordpress.initial_content},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    page_id = int(answer.json()["id"])
    cfg = copy_example(tmp_path)
    cfg.write_text(
        cfg.read_text().replace('[page]\npath = "statement.html"\n', "")
        + f'\n[publish]\ntarget = "wordpress"\nwordpress_url = "{wordpress.url}"\n'
        f"wordpress_page_id = {page_id}\n"
    )
    env = {
        "SIGNSYNC_WP_USER": wordpress.editor.login,
        "SIGNSYNC_WP_APP_PASSWORD": wordpress.editor.app_password,
    }
    return cfg, page_id, env


def test_plan_apply_rerun_against_wordpress(wordpress: WordPressSite, wp_site) -> None:
    cfg, page_id, env = wp_site
    before = fetch(wordpress, page_id)["content"]["raw"]
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 2, r.err
    assert f"+++ b/WordPress page {page_id} at {wordpress.url}" in r.out
    assert fetch(wordpress, page_id)["content"]["raw"] == before  # plan writes nothing

    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert f"updated WordPress page {page_id}" in r.err
    after = fetch(wordpress, page_id)["content"]["raw"]
    assert "<bdi>Ben Chacko</bdi> (<bdi>Editor, Morning Star</bdi>)" in after
    assert outside_markers(after) == outside_markers(before)
    count = len(revisions(wordpress, page_id))

    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 0, r.out + r.err
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0
    assert len(revisions(wordpress, page_id)) == count  # nothing posted
    assert fetch(wordpress, page_id)["content"]["raw"] == after


def test_apply_refuses_when_an_editor_edited_the_page_since_the_plan(
    wordpress: WordPressSite, wp_site
) -> None:
    cfg, page_id, env = wp_site
    planfile = cfg.parent / "plan.json"
    assert run_cli("plan", "--out", str(planfile), "--config", str(cfg), env=env).code == 2
    edited = fetch(wordpress, page_id)["content"]["raw"].replace(
        "<!-- /wp:html -->", "<!-- /wp:html -->\n<p>An editor's new paragraph.</p>", 1
    )
    answer = editor_session(wordpress).post(
        wordpress.rest(f"/wp/v2/pages/{page_id}"), json={"content": edited}, timeout=10
    )
    assert answer.status_code == 200
    r = run_cli("apply", str(planfile), "--config", str(cfg), env=env)
    assert r.code == 1
    assert r.err.startswith(
        f"Error: WordPress page {page_id} at {wordpress.url} was edited in WordPress since the plan was made"
    )
    assert fetch(wordpress, page_id)["content"]["raw"] == edited
    assert not (cfg.parent / "signatories.csv").exists()  # nothing else written either
    # a fresh plan/apply then goes through and keeps the editor's paragraph
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    final = fetch(wordpress, page_id)["content"]["raw"]
    assert "An editor's new paragraph." in final and "<bdi>Ben Chacko</bdi>" in final


def test_wrong_password_is_one_clear_line(wordpress: WordPressSite, wp_site) -> None:
    cfg, _, env = wp_site
    r = run_cli("plan", "--config", str(cfg), env={**env, "SIGNSYNC_WP_APP_PASSWORD": "wrong"})
    assert r.code == 1
    assert r.err.startswith("Error: ") and r.err.count("\n") == 1
    assert "wrong" not in r.err
