"""`signsync doctor` checks what it can of the GitHub side (docs/setup.md, step 2): the workflows'
token permissions and secrets from the files, and, with GITHUB_TOKEN and GITHUB_REPOSITORY set,
the repository's "Allow GitHub Actions to create and approve pull requests" setting and its
secrets from GitHub's REST API, here a local server on 127.0.0.1 answering as GitHub's does
(shapes from GitHub's REST documentation). What the API cannot answer is a warning, never a
traceback nor a failure."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sync.operations.github_setup import CHECKLIST_SECRETS
from tests.support.helpers import ROOT, copy_example, run_cli
from tests.support.smtp_server import free_port

REPO = "campaign/open-letter"
TOKEN = "github_pat_example_0123456789"
NO_GITHUB = {"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": "", "GITHUB_API_URL": ""}


@dataclass
class FakeGitHub:
    """What the API answers: the workflow permission setting, the secrets' names, or an error
    (status, message) for every request; and the requests it received."""

    can_approve: bool = True
    secrets: list[str] = field(default_factory=lambda: ["SIGNSYNC_HASH_KEY"])
    error: tuple[int, str] | None = None
    not_json: bool = False
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Authorization)


@pytest.fixture()
def github() -> Iterator[tuple[FakeGitHub, str]]:
    state = FakeGitHub()

    class Api(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("Authorization", "")))
            url = urlsplit(self.path)
            if state.error is not None:
                code, message = state.error
                body = {
                    "message": message,
                    "documentation_url": "https://docs.github.com/rest",
                    "status": str(code),
                }
                return self._send(code, json.dumps(body).encode())
            if state.not_json:
                return self._send(200, b"<html>rate limited</html>", "text/html")
            if url.path == f"/repos/{REPO}/actions/permissions/workflow":
                body = {
                    "default_workflow_permissions": "read",
                    "can_approve_pull_request_reviews": state.can_approve,
                }
                return self._send(200, json.dumps(body).encode())
            if url.path == f"/repos/{REPO}/actions/secrets":
                page = int(parse_qs(url.query).get("page", ["1"])[0])
                per_page = int(parse_qs(url.query).get("per_page", ["30"])[0])
                names = state.secrets[(page - 1) * per_page : page * per_page]
                stamp = "2026-11-20T09:00:00Z"
                body = {
                    "total_count": len(state.secrets),
                    "secrets": [{"name": n, "created_at": stamp, "updated_at": stamp} for n in names],
                }
                return self._send(200, json.dumps(body).encode())
            body = {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest",
                "status": "404",
            }
            return self._send(404, json.dumps(body).encode())

        def _send(self, code: int, body: bytes, kind: str = "application/json; charset=utf-8") -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _site(tmp_path: Path, workflow: str | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    cfg = copy_example(tmp_path)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    text = (ROOT / "examples" / "github" / "signsync.yml").read_text(encoding="utf-8")
    (folder / "signsync.yml").write_text(workflow if workflow is not None else text, encoding="utf-8")
    return cfg


def _doctor(cfg: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    r = run_cli("doctor", "--config", str(cfg), env=env)
    assert "Traceback" not in r.out + r.err
    return r.code, r.out.splitlines()


def _line(lines: list[str], name: str) -> str:
    found = [line for line in lines if re.match(rf"(ok  |warn|FAIL) {name}:", line)]
    assert len(found) == 1, lines
    return found[0]


def _fix(lines: list[str], name: str) -> str:
    i = lines.index(_line(lines, name))
    assert lines[i + 1].startswith("     fix: "), lines
    return lines[i + 1].removeprefix("     fix: ")


def test_the_example_workflow_passes_and_the_api_is_not_asked_without_a_token(tmp_path: Path) -> None:
    code, lines = _doctor(_site(tmp_path), NO_GITHUB)
    assert code == 0, lines
    assert _line(lines, "workflow permissions") == (
        "ok   workflow permissions: .github/workflows/signsync.yml: its jobs may write what they need"
    )
    assert _line(lines, "workflow secrets").startswith(
        "ok   workflow secrets: SIGNSYNC_HASH_KEY, SIGNSYNC_SERVICE_ACCOUNT_JSON, SIGNSYNC_WP_APP_PASSWORD, "
        "SIGNSYNC_WP_USER: each named in the set-up checklist"
    )
    assert _line(lines, "github settings").startswith("ok   github settings: not checked (set GITHUB_TOKEN")


def test_a_workflow_without_write_permissions_fails_with_the_fix(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "github" / "signsync.yml").read_text(encoding="utf-8")
    block = re.search(r"^permissions:\n(  .*\n)+", text, re.M)
    assert block is not None
    code, lines = _doctor(_site(tmp_path, text.replace(block.group(0), "")), NO_GITHUB)
    assert code == 1
    assert _line(lines, "workflow permissions") == (
        "FAIL workflow permissions: .github/workflows/signsync.yml: job 'sync' needs contents: write, "
        "pull-requests: write; job 'publish' needs contents: write (it sets no permissions: its token gets "
        "the repository's default, read-only for repositories made since 2023)"
    )
    assert "`pull-requests: write`" in _fix(lines, "workflow permissions")
    # A job's own block replaces the workflow's: one without pull-requests is named.
    job_block = "    permissions:\n      contents: write\n"
    narrowed = text.replace("  sync:\n", "  sync:\n" + job_block, 1)
    code, lines = _doctor(_site(tmp_path / "job", narrowed), NO_GITHUB)
    assert code == 1
    assert "job 'sync' needs pull-requests: write" in _line(lines, "workflow permissions")
    assert "job 'publish'" not in _line(lines, "workflow permissions")


def test_a_secret_the_checklist_does_not_name_is_a_warning(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "github" / "signsync.yml").read_text(encoding="utf-8")
    typo = text.replace("secrets.SIGNSYNC_HASH_KEY", "secrets.SIGNSYNC_HASHKEY", 1)
    code, lines = _doctor(_site(tmp_path, typo), NO_GITHUB)
    assert code == 0
    assert _line(lines, "workflow secrets").startswith(
        "warn workflow secrets: SIGNSYNC_HASHKEY (used by signsync.yml) is not one of the set-up checklist's"
    )
    assert _fix(lines, "workflow secrets").startswith(
        "if it is yours, add it: Settings > Secrets and variables"
    )


def test_the_repository_settings_from_githubs_api(tmp_path: Path, github: tuple[FakeGitHub, str]) -> None:
    state, url = github
    cfg = _site(tmp_path)
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": url}
    code, lines = _doctor(cfg, env)
    assert code == 0, lines
    assert _line(lines, "pull request permission") == (
        f"ok   pull request permission: {REPO}: GitHub Actions may create pull requests"
    )
    assert _line(lines, "repository secrets") == f"ok   repository secrets: {REPO} has SIGNSYNC_HASH_KEY"
    assert {auth for _, auth in state.requests} == {f"Bearer {TOKEN}"}
    assert [p.split("?")[0] for p, _ in state.requests] == [
        f"/repos/{REPO}/actions/permissions/workflow",
        f"/repos/{REPO}/actions/secrets",
    ]
    # The setting off (GitHub's default for new repositories), and a WordPress set-up without its secrets.
    state.can_approve = False
    cfg.write_text(
        cfg.read_text()
        + '\n[publish]\ntarget = "wordpress"\nwordpress_url = "https://example.org"\nwordpress_page_id = 7\n'
    )
    code, lines = _doctor(cfg, env)
    assert code == 1
    assert _line(lines, "pull request permission").startswith(
        f"FAIL pull request permission: {REPO}: GitHub Actions may not create pull requests"
    )
    assert _fix(lines, "pull request permission").endswith(
        "tick 'Allow GitHub Actions to create and approve pull requests' > Save"
    )
    assert _line(lines, "repository secrets") == (
        f"FAIL repository secrets: {REPO} lacks SIGNSYNC_WP_USER, SIGNSYNC_WP_APP_PASSWORD"
    )
    state.secrets = [f"OTHER_{i}" for i in range(150)] + ["SIGNSYNC_WP_USER", "SIGNSYNC_WP_APP_PASSWORD"]
    state.secrets.append("SIGNSYNC_HASH_KEY")  # on the second page
    code, lines = _doctor(cfg, env)
    assert _line(lines, "repository secrets").startswith(f"ok   repository secrets: {REPO} has ")


@pytest.mark.parametrize(
    "status,message,said",
    [
        (
            401,
            "Bad credentials",
            "GitHub refused GITHUB_TOKEN: 401 (Bad credentials); it is wrong or expired",
        ),
        (
            403,
            "Resource not accessible by integration",
            "GITHUB_TOKEN may not read /repos/campaign/open-letter/actions/permissions/workflow: 403 "
            "(Resource not accessible by integration); reading it needs a token of a repository admin",
        ),
        (
            404,
            "Not Found",
            "GitHub answers 404 (Not Found) for /repos/campaign/open-letter/actions/permissions/workflow",
        ),
        (502, "Server Error", "GitHub answered 502 (Server Error)"),
    ],
)
def test_what_the_api_cannot_answer_is_a_warning(
    tmp_path: Path, github: tuple[FakeGitHub, str], status: int, message: str, said: str
) -> None:
    state, url = github
    state.error = (status, message)
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": url}
    code, lines = _doctor(_site(tmp_path), env)
    assert code == 0, lines
    assert _line(lines, "pull request permission").startswith(
        f"warn pull request permission: not checked: {said}"
    )
    assert _line(lines, "repository secrets").startswith("warn repository secrets: not checked: ")
    assert "(check by hand)" in _fix(lines, "pull request permission")


def test_no_network_or_no_json_is_a_warning(tmp_path: Path, github: tuple[FakeGitHub, str]) -> None:
    state, url = github
    cfg = _site(tmp_path)
    dead = f"http://127.0.0.1:{free_port()}"
    code, lines = _doctor(cfg, {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": dead})
    assert code == 0, lines
    assert _line(lines, "pull request permission").startswith(
        f"warn pull request permission: not checked: {dead} could not be reached ("
    )
    state.not_json = True
    code, lines = _doctor(cfg, {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": url})
    assert code == 0
    assert "answered something that is not JSON" in _line(lines, "pull request permission")
    code, lines = _doctor(
        cfg, {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "not a repo", "GITHUB_API_URL": url}
    )
    assert (
        _line(lines, "github settings")
        == "warn github settings: GITHUB_REPOSITORY = 'not a repo' is not OWNER/NAME"
    )


def test_the_checklist_names_every_secret_the_example_workflows_use() -> None:
    """docs/setup.md's checklist, doctor's list and the example workflows agree."""
    setup = (ROOT / "docs" / "setup.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(SIGNSYNC_[A-Z_]+)`", setup.split("**Add the secrets.**")[1].split("- [ ]")[0]))
    assert named == set(CHECKLIST_SECRETS)
    used = set()
    for wf in (ROOT / "examples" / "github").glob("*.yml"):
        used |= set(re.findall(r"secrets\.([A-Z_]+)", wf.read_text(encoding="utf-8"))) - {"GITHUB_TOKEN"}
    assert used <= named
