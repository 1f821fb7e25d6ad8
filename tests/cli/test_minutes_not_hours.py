"""Minutes, not hours: each run says how long the oldest consenting signer not yet on the page has
waited, `[notify] promise_hours` alerts (once) when that passes the page's promise, the form's
Apps Script trigger is shipped, and the example workflow runs on it with the cron kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tests.cli.test_notify import webhook  # noqa: F401 - the real webhook receiver fixture
from tests.support.helpers import ROOT, copy_example, run_cli


def test_every_run_reports_the_oldest_consenting_wait(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    r = run_cli("plan", "--config", str(cfg))
    # The example's first response (2026-11-20 09:14:03) is the oldest not yet on the page.
    assert re.search(
        r"note: the oldest consenting response not yet on the page has waited [\d.]+ (days|hours): "
        r"s-16b1f6e87e 'Amina Yusuf' \(signed 2026-11-20 09:14:03, in this plan, not yet on the page\)",
        r.out,
    ), r.out
    doc = json.loads(run_cli("plan", "--json", "--config", str(cfg)).out)
    assert doc["oldest_wait_hours"] > 24
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    # Published now; Bill Gates waits for an editor; Priya Raman said No: she is not waiting.
    r = run_cli("plan", "--json", "--config", str(cfg))
    notes = " ".join(json.loads(r.out)["notes"])
    assert "s-e9f2e2fa26 'Bill Gates' (signed 2026-11-21 11:11:11, held for an editor's decision)" in notes
    assert "Priya" not in notes
    assert run_cli("reject", "s-e9f2e2fa26", "--reason", "not him", "--config", str(cfg)).code == 0
    doc = json.loads(run_cli("plan", "--json", "--config", str(cfg)).out)
    assert doc["oldest_wait_hours"] is None and not any("oldest" in n for n in doc["notes"])


def test_a_broken_promise_is_alerted_once(tmp_path: Path, webhook: tuple[list[dict], int]) -> None:  # noqa: F811
    hooks, port = webhook
    cfg = copy_example(tmp_path)
    cfg.write_text(
        cfg.read_text() + f'\n[notify]\nurls = ["json://127.0.0.1:{port}/"]\npromise_hours = 3\n',
        encoding="utf-8",
    )

    def late() -> list[dict]:
        return [h for h in hooks if "past the 3 promised" in h["title"]]

    # The example's responses are weeks old: the first signer has waited past the promise.
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert len(late()) == 1 and "'Amina Yusuf'" in late()[0]["message"], [h["title"] for h in hooks]
    # Published now; the next late one is Bill Gates, held for an editor: one more alert, then none.
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert len(late()) == 2 and "held for an editor's decision" in late()[1]["message"]
    assert "'Bill Gates'" in late()[1]["message"]
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert len(late()) == 2


def test_a_promise_that_cannot_pass_is_a_config_error(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    cfg.write_text(cfg.read_text() + "\n[notify]\npromise_hours = -1\n", encoding="utf-8")
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1 and "[notify] promise_hours must be a number of hours, at least 0" in r.err


def test_the_form_trigger_is_one_file_that_sends_the_workflows_event() -> None:
    scripts = list((ROOT / "apps-script").glob("*.gs"))
    assert len(scripts) == 1
    script = scripts[0].read_text(encoding="utf-8")
    assert "onFormSubmit()" in script and "/dispatches" in script
    event = re.search(r"var EVENT_TYPE = '([\w-]+)'", script)
    assert event is not None
    workflow = yaml.safe_load((ROOT / "examples/github/signsync.yml").read_text(encoding="utf-8"))
    on = workflow.get("on", workflow.get(True))
    assert on["repository_dispatch"]["types"] == [event.group(1)]
    assert on["schedule"], "the hourly cron stays as the fallback"
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
    # Nothing of the response leaves the form: no name, no email in the request.
    assert "getItemResponses" not in script and "getRespondentEmail" not in script
