"""plan/apply through the CLI with `[publish] target = "wordpress"`, against a real WordPress."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_wordpress import editor_session, example_publishing_to_wordpress, fetch, revisions
from tests.support.helpers import copy_example, outside_markers, run_cli
from tests.support.wordpress_server import WordPressSite

pytestmark = pytest.mark.wordpress


@pytest.fixture
def wp_site(wordpress: WordPressSite, tmp_path: Path) -> tuple[Path, int, dict[str, str]]:
    """A site folder whose config publishes to a fresh WordPress page."""
    cfg, page_id = example_publishing_to_wordpress(wordpress, tmp_path)
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
    assert '<span dir="auto">Ben Chacko</span> (<span dir="auto">Editor, Morning Star</span>)' in after
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
    assert not (cfg.parent / "signatories.state.json").exists()  # no `writing` left behind
    # a fresh plan/apply then goes through and keeps the editor's paragraph
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    final = fetch(wordpress, page_id)["content"]["raw"]
    assert "An editor's new paragraph." in final and '<span dir="auto">Ben Chacko</span>' in final


def test_wrong_password_is_one_clear_line(wordpress: WordPressSite, wp_site) -> None:
    cfg, _, env = wp_site
    r = run_cli("plan", "--config", str(cfg), env={**env, "SIGNSYNC_WP_APP_PASSWORD": "wrong"})
    assert r.code == 1
    assert r.err.startswith("Error: ") and r.err.count("\n") == 1
    assert "wrong" not in r.err


def test_a_refused_apply_leaves_the_state_as_it_was(wordpress: WordPressSite, wp_site) -> None:
    """The state records the list being written only for the time of the write: a conflict
    leaves it byte for byte as it was (no `writing`, no false "an earlier run stopped")."""
    cfg, page_id, env = wp_site
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    with open(cfg.parent / "responses.csv", "a", encoding="utf-8") as f:
        f.write("11/23/2026 10:00:00,late@example.com,Late Signer,,An individual,Yes,\n")
    planfile = cfg.parent / "plan.json"
    assert run_cli("plan", "--out", str(planfile), "--config", str(cfg), env=env).code == 2
    state = (cfg.parent / "signatories.state.json").read_bytes()
    edited = fetch(wordpress, page_id)["content"]["raw"].replace("open data.", "open data, now.")
    answer = editor_session(wordpress).post(
        wordpress.rest(f"/wp/v2/pages/{page_id}"), json={"content": edited}, timeout=10
    )
    assert answer.status_code == 200

    r = run_cli("apply", str(planfile), "--config", str(cfg), env=env)

    assert r.code == 1 and "was edited in WordPress since the plan was made" in r.err
    assert (cfg.parent / "signatories.state.json").read_bytes() == state
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 2 and "stopped before saving" not in r.out + r.err


def doctor_lines(cfg: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    r = run_cli("doctor", "--config", str(cfg), env=env)
    return r.code, r.out.splitlines()


def test_doctor_checks_wordpress_and_gives_each_failure_its_fix(
    wordpress: WordPressSite, wp_site, tmp_path: Path
) -> None:
    cfg, page_id, env = wp_site
    code, lines = doctor_lines(cfg, env)
    assert code == 0, lines
    assert [line.split(":")[0] for line in lines] == [
        "ok   config",
        "ok   hash key",
        "ok   columns",
        "ok   consent",
        "ok   registry",
        "ok   public repository",
        "ok   github workflow",
        "ok   target",
        "ok   login",
        "ok   page",
        "ok   section",
    ]
    assert lines[8] == f"ok   login: logged in to {wordpress.url} as 'signsync-editor' (role: editor)"
    assert lines[9] == f"ok   page: WordPress page {page_id} at {wordpress.url} holds one marker pair"

    code, lines = doctor_lines(cfg, {**env, "SIGNSYNC_WP_APP_PASSWORD": "wrong"})
    assert code == 1 and lines[-2].startswith(
        f"FAIL login: WordPress at {wordpress.url} refused the login of user 'signsync-editor' (HTTP 401"
    )
    assert lines[-1] == (
        "     fix: check SIGNSYNC_WP_USER and SIGNSYNC_WP_APP_PASSWORD; the password must be an "
        "application password (Users > Profile > Application Passwords), not the login password, "
        "and the site must use https"
    )

    code, lines = doctor_lines(cfg, {**env, "SIGNSYNC_WP_USER": ""})
    assert code == 1 and lines[-2:] == [
        "FAIL target: SIGNSYNC_WP_USER is not set",
        f"     fix: set it in the environment or in {cfg.parent}/.env (the WordPress user name "
        "signsync logs in as)",
    ]

    reader = {
        "SIGNSYNC_WP_USER": wordpress.subscriber.login,
        "SIGNSYNC_WP_APP_PASSWORD": wordpress.subscriber.app_password,
    }
    code, lines = doctor_lines(cfg, reader)
    assert code == 1 and lines[-2].startswith(
        f"FAIL page: WordPress user 'signsync-reader' may not edit page {page_id} at {wordpress.url} "
        "(HTTP 403"
    )
    assert lines[-1] == "     fix: give the user a role that can edit pages (Editor)"

    cfg.write_text(cfg.read_text().replace(f"wordpress_page_id = {page_id}", "wordpress_page_id = 999999"))
    code, lines = doctor_lines(cfg, env)
    assert code == 1 and lines[-1] == (
        "     fix: check [publish] wordpress_page_id (the number after post= in the page's edit link)"
    )

    bare = editor_session(wordpress).post(
        wordpress.rest("/wp/v2/pages"),
        json={"title": "No markers", "status": "publish", "content": "<p>Nothing here.</p>"},
        timeout=10,
    )
    cfg.write_text(
        cfg.read_text().replace("wordpress_page_id = 999999", f"wordpress_page_id = {bare.json()['id']}")
    )
    code, lines = doctor_lines(cfg, env)
    assert code == 1 and lines[-2].startswith("FAIL page: WordPress page ")
    assert "needs exactly one '<!-- signatories:start -->' and one '<!-- signatories:end -->'" in lines[-2]
    assert lines[-1] == "     fix: put the pair, each on its own line, where the list of signatories belongs"

    writer = {
        "SIGNSYNC_WP_USER": wordpress.writer.login,
        "SIGNSYNC_WP_APP_PASSWORD": wordpress.writer.app_password,
    }
    cfg.write_text(
        cfg.read_text().replace(f"wordpress_page_id = {bare.json()['id']}", f"wordpress_page_id = {page_id}")
    )
    code, lines = doctor_lines(cfg, writer)
    assert code == 0 and lines[-2].endswith(
        "holds one marker pair; the user may not post unfiltered HTML, so WordPress filters what "
        "signsync writes (the default template uses only markup the filter keeps)"
    )


def test_doctor_on_a_file_page_names_the_fix(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    page = tmp_path / "statement.html"
    page.write_text("<p>no markers</p>\n", encoding="utf-8")
    code, lines = doctor_lines(cfg, {})
    assert code == 1 and lines[-1] == (
        "     fix: put the pair, each on its own line, where the list of signatories belongs"
    )
    page.unlink()
    code, lines = doctor_lines(cfg, {})
    assert code == 1 and lines[-2:] == [
        f"FAIL page: {page} does not exist yet",
        "     fix: create it, with <!-- signatories:start --> and <!-- signatories:end --> where the "
        "list belongs",
    ]
