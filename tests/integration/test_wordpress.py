"""WordPressTarget against a real WordPress (tests/support/wordpress_server.py): real HTTP, no mocks.

Each test gets its own fresh page (made through the REST API as the editor) on the one
session-wide site, so tests do not depend on each other's writes.
"""

from __future__ import annotations

import contextlib
import http.server
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from render.page import replace_region as render_replace_region
from sync.config import parse_config
from sync.errors import ConfigError, ConflictError, PublishError
from sync.model import text_sha256
from sync.publish.targets.wordpress import WordPressTarget, wordpress_target
from tests.support.helpers import copy_example, outside_markers
from tests.support.wordpress_server import WordPressSite, free_port

pytestmark = pytest.mark.wordpress

START, END = "<!-- signatories:start -->", "<!-- signatories:end -->"
NEW_SECTION = '<ul class="signatories">\n<li>Ada Lovelace</li>\n<li>Grace Hopper</li>\n</ul>'


def replace_region(page: str, section: str) -> str:
    """The page with the list between the markers replaced, as signsync's render does."""
    return render_replace_region(page, section + "\n", "page")


def editor_session(site: WordPressSite) -> requests.Session:
    session = requests.Session()
    session.auth = (site.editor.login, site.editor.app_password)
    return session


def fetch(site: WordPressSite, page_id: int) -> dict:
    answer = editor_session(site).get(
        site.rest(f"/wp/v2/pages/{page_id}"), params={"context": "edit"}, timeout=10
    )
    answer.raise_for_status()
    return answer.json()


def example_publishing_to_wordpress(site: WordPressSite, folder: Path) -> tuple[Path, int]:
    """A copy of the example in `folder` whose config publishes to a fresh WordPress page
    (created here, with the site's initial content): (config path, page id)."""
    answer = editor_session(site).post(
        site.rest("/wp/v2/pages"),
        json={"title": "Statement", "status": "publish", "content": site.initial_content},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    page_id = int(answer.json()["id"])
    cfg = copy_example(folder)
    cfg.write_text(
        cfg.read_text().replace('[page]\npath = "statement.html"\n', "")
        + f'\n[publish]\ntarget = "wordpress"\nwordpress_url = "{site.url}"\n'
        f"wordpress_page_id = {page_id}\n"
    )
    return cfg, page_id


def revisions(site: WordPressSite, page_id: int) -> list[dict]:
    answer = editor_session(site).get(
        site.rest(f"/wp/v2/pages/{page_id}/revisions"), params={"context": "edit"}, timeout=10
    )
    answer.raise_for_status()
    return answer.json()


@pytest.fixture
def page_id(wordpress: WordPressSite) -> int:
    """A new published page holding the initial content (markers in a Custom HTML block)."""
    answer = editor_session(wordpress).post(
        wordpress.rest("/wp/v2/pages"),
        json={"title": "Statement", "status": "publish", "content": wordpress.initial_content},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def target_for(site: WordPressSite, page_id: int, **changes) -> WordPressTarget:
    target = WordPressTarget(
        url=site.url,
        page_id=page_id,
        user=site.editor.login,
        app_password=site.editor.app_password,
        attempts=1,
    )
    return replace(target, **changes)


def test_read_returns_the_page_with_its_markers(wordpress, page_id):
    snapshot = target_for(wordpress, page_id).read()

    assert snapshot.content == wordpress.initial_content
    assert snapshot.content.count(START) == 1 and snapshot.content.count(END) == 1
    assert snapshot.label == f"WordPress page {page_id} at {wordpress.url}"
    assert snapshot.version["sha256"] == text_sha256(wordpress.initial_content)
    assert snapshot.version["modified_gmt"] == fetch(wordpress, page_id)["modified_gmt"]
    assert snapshot.version["revision_count"] == len(revisions(wordpress, page_id))
    assert snapshot.version["unfiltered_html"] is True  # an Editor on a single site


def test_write_replaces_the_content_and_leaves_a_revision(wordpress, page_id):
    target = target_for(wordpress, page_id)
    snapshot = target.read()
    new = replace_region(snapshot.content, NEW_SECTION)

    note = target.write(new, snapshot)

    assert fetch(wordpress, page_id)["content"]["raw"] == new
    latest = revisions(wordpress, page_id)[0]
    assert latest["content"]["raw"] == new
    # A page never updated since it was made has no revision of its first content.
    assert snapshot.version["revision_count"] == 0
    assert note == (
        f"updated WordPress page {page_id} at {wordpress.url}; new revision {latest['id']} "
        "(WordPress kept no revision of the content before this write)"
    )
    assert target.read().version["revision_count"] == 1


def test_second_write_names_the_revision_to_roll_back_to(wordpress, page_id):
    target = target_for(wordpress, page_id)
    first = target.read()
    target.write(replace_region(first.content, NEW_SECTION), first)
    second = target.read()
    newer = replace_region(second.content, "<ul><li>Only me</li></ul>")

    note = target.write(newer, second)

    new_rev, previous = revisions(wordpress, page_id)[:2]
    assert (new_rev["content"]["raw"], previous["content"]["raw"]) == (newer, second.content)
    assert note == (
        f"updated WordPress page {page_id} at {wordpress.url}; new revision {new_rev['id']}; "
        f"to roll back, restore revision {previous['id']} "
        f"({wordpress.url}/wp-admin/revision.php?revision={previous['id']})"
    )


def test_write_keeps_every_byte_outside_the_markers(wordpress, page_id):
    target = target_for(wordpress, page_id)
    snapshot = target.read()

    target.write(replace_region(snapshot.content, NEW_SECTION), snapshot)

    after = fetch(wordpress, page_id)["content"]["raw"]
    assert outside_markers(after) == outside_markers(wordpress.initial_content)
    assert "<!-- wp:html -->" in after and "Ünïcödé" in after


def test_write_refuses_when_an_editor_changed_the_page_since_the_plan(wordpress, page_id):
    target = target_for(wordpress, page_id)
    at_plan = target.read()
    editors_version = at_plan.content.replace("clean</em> rivers", "clean</em> seas")
    edited = editor_session(wordpress).post(
        wordpress.rest(f"/wp/v2/pages/{page_id}"),
        json={"content": editors_version},
        timeout=10,
    )
    assert edited.status_code == 200, edited.text

    with pytest.raises(ConflictError) as caught:
        target.write(replace_region(at_plan.content, NEW_SECTION), at_plan)

    message = str(caught.value)
    assert message.startswith(
        f"WordPress page {page_id} at {wordpress.url} was edited in WordPress since the plan was made ("
    )
    assert message.endswith("nothing was written: run `signsync plan` again")
    assert fetch(wordpress, page_id)["content"]["raw"] == editors_version


def test_write_refuses_when_only_the_modified_time_changed(wordpress, page_id):
    """An edit that was undone leaves the same content but a new modified_gmt: still refuse."""
    target = target_for(wordpress, page_id)
    snapshot = target.read()
    older = replace(snapshot, version={**snapshot.version, "modified_gmt": "2001-01-01T00:00:00"})

    with pytest.raises(ConflictError, match=r"\(modification time changed: modified 2001-01-01T00:00:00"):
        target.write(replace_region(snapshot.content, NEW_SECTION), older)
    assert fetch(wordpress, page_id)["content"]["raw"] == wordpress.initial_content


def test_write_posts_nothing_when_the_content_is_unchanged(wordpress, page_id):
    target = target_for(wordpress, page_id)
    snapshot = target.read()

    note = target.write(snapshot.content, snapshot)

    assert note == f"WordPress page {page_id} at {wordpress.url} already up to date; nothing posted"
    assert target.read().version == snapshot.version


def test_wrong_application_password_says_which_variables_to_check(wordpress, page_id):
    target = target_for(wordpress, page_id, app_password="abcd EFGH ijkl MNOP qrst UVWX")

    with pytest.raises(PublishError) as caught:
        target.read()

    message = str(caught.value)
    assert message.startswith(
        f"WordPress at {wordpress.url} refused the login of user 'signsync-editor' (HTTP 401 "
    )
    assert "check SIGNSYNC_WP_USER and SIGNSYNC_WP_APP_PASSWORD" in message
    assert "abcd EFGH" not in message and "abcd EFGH" not in repr(target)
    assert "\n" not in message


def test_user_who_may_not_edit_pages_gets_403_advice(wordpress, page_id):
    target = target_for(
        wordpress,
        page_id,
        user=wordpress.subscriber.login,
        app_password=wordpress.subscriber.app_password,
    )

    with pytest.raises(
        PublishError,
        match=r"may not edit page .* \(HTTP 403 rest_forbidden_context\)"
        r": give the user a role that can edit pages \(Editor\)",
    ):
        target.read()


def test_wrong_page_id_names_the_config_key(wordpress):
    with pytest.raises(PublishError) as caught:
        target_for(wordpress, 999999).read()

    assert str(caught.value) == (
        f"WordPress at {wordpress.url} has no page with id 999999 (HTTP 404 rest_post_invalid_id):"
        " check [publish] wordpress_page_id (the number after post= in the page's edit link)"
    )


def test_connection_refused_names_the_url():
    port = free_port()  # nobody listens there
    target = WordPressTarget(f"http://127.0.0.1:{port}", 1, "someone", "secret", attempts=1)

    with pytest.raises(PublishError) as caught:
        target.read()

    assert str(caught.value) == (
        f"cannot connect to WordPress at http://127.0.0.1:{port} (connection refused): "
        "check [publish] wordpress_url and that the site is up"
    )


def test_an_html_answer_is_not_mistaken_for_wordpress(wordpress, page_id):
    # php -S serves WordPress's static readme.html for any path below it: 200, text/html.
    target = target_for(wordpress, page_id, url=f"{wordpress.url}/readme.html")

    with pytest.raises(
        PublishError,
        match=r"answered HTTP 200 with text/html.*not JSON: check "
        r"\[publish\] wordpress_url",
    ):
        target.read()


class _Answering(http.server.BaseHTTPRequestHandler):
    """A stand-in web server that is not WordPress: answers every request the same way."""

    status = 503
    headers_out: dict[str, str] = {}
    delay = 0.0
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        time.sleep(self.delay)
        self.send_response(self.status)
        for name, value in {"Content-Type": "text/html", **self.headers_out}.items():
            self.send_header(name, value)
        self.end_headers()
        # The client may have given up waiting (the timeout test): expected.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(b"<h1>Not WordPress</h1>")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[tuple[str, type[_Answering]]]:
    """A server on 127.0.0.1 and its handler class, to set what it answers."""
    handler = type("Handler", (_Answering,), {"hits": 0, "headers_out": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_server_errors_are_retried_a_bounded_number_of_times(local_server):
    url, handler = local_server
    target = WordPressTarget(url, 1, "someone", "secret", attempts=3, retry_wait=0.01)

    with pytest.raises(PublishError) as caught:
        target.read()

    assert str(caught.value) == (
        f"WordPress at {url} failed with HTTP 503: try again later, or see the site's error log"
    )
    assert handler.hits == 3


def test_a_site_that_does_not_answer_times_out(local_server):
    url, handler = local_server
    handler.delay = 1.0
    target = WordPressTarget(url, 1, "someone", "secret", timeout=0.2, attempts=2, retry_wait=0.01)

    with pytest.raises(PublishError) as caught:
        target.read()

    assert str(caught.value) == (f"WordPress at {url} did not answer within 0.2 s: try again later")
    assert handler.hits == 2


def test_a_redirect_is_reported_not_followed(local_server):
    """Following it would turn the POST into a GET (and send the password elsewhere)."""
    url, handler = local_server
    handler.status = 301
    handler.headers_out = {"Location": "https://example.org/"}
    target = WordPressTarget(url, 1, "someone", "secret", attempts=1)

    with pytest.raises(PublishError) as caught:
        target.read()

    assert str(caught.value) == (
        f"WordPress at {url} redirected to https://example.org/ (HTTP 301): set [publish] "
        "wordpress_url to the site's address as it redirects (often https://...)"
    )
    assert handler.hits == 1


def test_a_write_that_wordpress_filters_comes_with_a_warning(wordpress, page_id):
    """A user without unfiltered_html: WordPress strips <script> on save; say so."""
    target = target_for(
        wordpress, page_id, user=wordpress.writer.login, app_password=wordpress.writer.app_password
    )
    snapshot = target.read()
    new = replace_region(snapshot.content, "<p>Ada Lovelace</p><script>alert(1)</script>")

    note = target.write(new, snapshot)

    assert note.endswith(
        "; warning: WordPress changed the content while saving it (user 'signsync-writer' may not "
        "post unfiltered HTML, so its HTML filter removed what it does not allow, e.g. <script> or "
        "<bdi>); the next plan shows the difference: change the template to markup WordPress "
        "keeps, or give the user the unfiltered_html capability (Administrator or Editor on a "
        "single site)"
    )
    assert snapshot.version["unfiltered_html"] is False
    saved = fetch(wordpress, page_id)["content"]["raw"]
    assert "<script>" not in saved and "<p>Ada Lovelace</p>" in saved
    assert outside_markers(saved) == outside_markers(wordpress.initial_content)


def _config(tmp_path: Path, url: str, page_id: int):
    return parse_config(
        tmp_path / "signsync.toml",
        {
            "source": {"kind": "csv", "path": "responses.csv"},
            "columns": {"name": "Name"},
            "publish": {"target": "wordpress", "wordpress_url": url, "wordpress_page_id": page_id},
        },
    )


def test_wordpress_target_from_config_reads_the_credentials_from_the_environment(
    wordpress, page_id, tmp_path, monkeypatch
):
    monkeypatch.setenv("SIGNSYNC_WP_USER", wordpress.editor.login)
    monkeypatch.setenv("SIGNSYNC_WP_APP_PASSWORD", wordpress.editor.app_password)

    target = wordpress_target(_config(tmp_path, wordpress.url + "/wp-json/", page_id))

    assert target.url == wordpress.url
    assert target.read().content == wordpress.initial_content


def test_wordpress_target_without_password_says_where_to_set_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGNSYNC_WP_USER", "editor")
    monkeypatch.delenv("SIGNSYNC_WP_APP_PASSWORD", raising=False)

    with pytest.raises(
        ConfigError,
        match=re.escape(
            f"SIGNSYNC_WP_APP_PASSWORD is not set: set it in the environment or in {tmp_path}/.env "
            "(an application password from WordPress: Users > Profile > Application Passwords)"
        ),
    ):
        wordpress_target(_config(tmp_path, "https://example.org", 5))


def test_wordpress_url_must_be_a_web_address(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGNSYNC_WP_USER", "editor")
    monkeypatch.setenv("SIGNSYNC_WP_APP_PASSWORD", "x")

    with pytest.raises(ConfigError, match="is not a web address"):
        wordpress_target(_config(tmp_path, "example.org", 5))


def test_a_write_wordpress_filters_back_to_what_it_had_makes_no_revision(wordpress, page_id):
    """A user without unfiltered_html posts a list whose only change WordPress's filter removes
    (<bdi>): WordPress stores what it had and makes no revision; the note must not name the
    previous write's revision as new."""
    target = target_for(
        wordpress, page_id, user=wordpress.writer.login, app_password=wordpress.writer.app_password
    )
    first = target.read()
    target.write(replace_region(first.content, NEW_SECTION), first)
    second = target.read()
    before = revisions(wordpress, page_id)
    wrapped = second.content.replace("<li>Grace Hopper</li>", "<li><bdi>Grace Hopper</bdi></li>")

    note = target.write(wrapped, second)

    assert revisions(wordpress, page_id) == before  # WordPress made none
    assert fetch(wordpress, page_id)["content"]["raw"] == second.content
    assert note.startswith(
        f"updated WordPress page {page_id} at {wordpress.url}; WordPress made no revision of this write"
    )
    assert "new revision" not in note and "may not post unfiltered HTML" in note
