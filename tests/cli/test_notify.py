"""[notify]: messages to editors through apprise, received by a real SMTP server (aiosmtpd) and a
webhook receiver (http.server), both on 127.0.0.1, started by the test."""

from __future__ import annotations

import csv
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.support.helpers import EXAMPLES, copy_example, run_cli
from tests.support.smtp_server import Inbox, free_port

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture()
def webhook() -> Iterator[tuple[list[dict], int]]:
    received: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", 0))
            received.append(json.loads(self.rfile.read(size)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield received, server.server_port
    finally:
        server.shutdown()
        server.server_close()


def _site(tmp_path: Path, urls: list[str], digest: str = "off") -> Path:
    cfg = copy_example(tmp_path)
    listed = ", ".join(json.dumps(u) for u in urls)
    cfg.write_text(
        cfg.read_text() + f'\n[notify]\nurls = [{listed}]\ndigest = "{digest}"\n', encoding="utf-8"
    )
    return cfg


def _signer_emails() -> set[str]:
    with open(EXAMPLES / "responses.csv", encoding="utf-8") as f:
        return {row[1].strip().lower() for row in csv.reader(f) if "@" in row[1]}


def test_held_entries_are_announced_once_by_email_and_webhook_without_signer_emails(
    tmp_path: Path, smtp: tuple[Inbox, int], webhook: tuple[list[dict], int]
) -> None:
    inbox, smtp_port = smtp
    hooks, hook_port = webhook
    mail = f"mailto://127.0.0.1:{smtp_port}?from=signsync@statement.example&to=editors@statement.example&mode=insecure"
    cfg = _site(tmp_path, [mail, f"json://127.0.0.1:{hook_port}/signsync"])
    # a held entry whose affiliation holds an email address: it must not reach the message
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as f:
        f.write(
            "11/23/2026 10:00:00,leak@example.com,Elon Musk,contact leak@example.com,An individual,Yes,\n"
        )
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    assert "warning" not in r.err
    assert len(inbox.messages) == 1 and len(hooks) == 1
    subject, text = inbox.messages[0].subject, inbox.messages[0].text
    assert subject == f"signsync: 2 new entries wait for review ({tmp_path.name})"
    assert "Bill Gates (s-" in text and "watch list" in text and "Elon Musk (s-" in text
    # Priya Raman answered "No": no editor can publish her, and no message names her
    assert "Priya" not in text + json.dumps(hooks[0])
    assert "signsync approve ID" in text
    assert hooks[0]["title"] == subject and hooks[0]["message"].strip() == text.strip()
    found = set(EMAIL.findall(text + hooks[0]["message"]))
    everything = text + json.dumps(hooks[0])
    for address in _signer_emails() | {"leak@example.com"}:
        assert address not in everything.lower()
    assert not {m for m in re.findall(r"[\w.+-]+@[\w.-]+", everything) if "statement.example" not in m}, found
    # the next run with nothing new announces nothing again
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert len(inbox.messages) == 1 and len(hooks) == 1


def test_a_failing_run_is_announced_once_and_the_recovery_too(
    tmp_path: Path, webhook: tuple[list[dict], int]
) -> None:
    hooks, port = webhook
    cfg = _site(tmp_path, [f"json://127.0.0.1:{port}/"])
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    hooks.clear()
    responses = (tmp_path / "responses.csv").read_bytes()
    (tmp_path / "responses.csv").unlink()
    for _ in range(2):
        r = run_cli("apply", "--yes", "--config", str(cfg))
        assert r.code == 1 and r.err.startswith("Error: no responses file at")
    assert [h["title"] for h in hooks] == [f"signsync: the run for {tmp_path.name} failed"]
    assert hooks[0]["type"] == "failure" and "no responses file" in hooks[0]["message"]
    (tmp_path / "responses.csv").write_bytes(responses)
    assert run_cli("plan", "--config", str(cfg)).code == 0
    assert [h["title"] for h in hooks][1:] == [f"signsync: runs for {tmp_path.name} work again"]


def test_daily_digest_once_a_day(tmp_path: Path, webhook: tuple[list[dict], int]) -> None:
    hooks, port = webhook
    cfg = _site(tmp_path, [f"json://127.0.0.1:{port}/"], digest="daily")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    titles = [h["title"] for h in hooks]
    assert titles[-1] == f"signsync: daily digest for {tmp_path.name}"
    with open(tmp_path / "signatories.csv", encoding="utf-8", newline="") as f:
        registry = list(csv.DictReader(f))
    published = sum(r["status"] == "published" for r in registry)
    pending = sum(r["status"] == "pending" and not r.get("consent") for r in registry)  # not the private
    assert published > 0 and pending > 0
    assert hooks[-1]["message"].startswith(
        f"{published} signatories on the page; {pending} waiting for review."
    )
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert len(hooks) == len(titles)
    status = json.loads((tmp_path / "signatories.notify.json").read_text())
    status["digest_day"] = "2000-01-01"  # as if the last digest were from an earlier day
    (tmp_path / "signatories.notify.json").write_text(json.dumps(status))
    assert run_cli("plan", "--config", str(cfg)).code == 0
    assert [h["title"] for h in hooks][len(titles) :] == [f"signsync: daily digest for {tmp_path.name}"]


def test_an_unreachable_notification_is_one_warning_line_and_the_run_still_works(tmp_path: Path) -> None:
    dead = free_port()  # nothing listens there
    cfg = _site(tmp_path, [f"json://user:s3cret-token@127.0.0.1:{dead}/hook", "nonsense://x"])
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    warnings = [ln for ln in r.err.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1, r.err
    assert warnings[0].startswith("warning: 2 of 2 notifications not sent: ")
    assert f"json://127.0.0.1:{dead}" in warnings[0] and "s3cret-token" not in r.err
    assert "Traceback" not in r.err
    assert '<span dir="auto">Ben Chacko</span>' in (tmp_path / "statement.html").read_text(encoding="utf-8")
    # not recorded as sent: the next run tries again
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert sum(ln.startswith("warning:") for ln in r.err.splitlines()) == 1


def test_notify_urls_with_secrets_come_from_the_environment(
    tmp_path: Path, webhook: tuple[list[dict], int]
) -> None:
    hooks, port = webhook
    cfg = _site(tmp_path, [])
    r = run_cli(
        "apply", "--yes", "--config", str(cfg), env={"SIGNSYNC_NOTIFY_URLS": f"json://127.0.0.1:{port}/x"}
    )
    assert r.code == 0, r.err
    assert len(hooks) == 1


def test_a_bad_notify_url_in_the_config_is_a_config_error(tmp_path: Path) -> None:
    cfg = _site(tmp_path, ["editors@example.org"])
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1
    assert "[notify] urls must be a list of notification addresses" in r.err
