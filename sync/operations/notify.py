"""Tell editors what waits for them, for set-ups without a pull request (cron, WordPress).

`[notify] urls` are apprise URLs (email, Slack, Matrix, Telegram, webhooks...). One message per
event: a run holds new entries for review (each entry is announced once), a run fails (once,
until a run works again), a run works again after failing, and, with `digest = "daily"`, the
first run of each day sends a digest. What was announced is kept in `<registry>.notify.json`.

No signer's email address is ever in a message: messages hold names, ids and reasons, and any
text shaped like an email address is replaced. A notification that cannot be sent never fails
or stops the run: it is one warning line.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sync.config import Config
from sync.model import Plan, Signatory

_EMAIL = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[A-Za-z]{2,}")
_LISTED = 20  # entries named in one message; the rest are counted


@dataclass(frozen=True, slots=True)
class Notice:
    """One message: a title and a plain-text body."""

    title: str
    body: str
    kind: str = "info"  # apprise's type: info, success, warning, failure


def status_path(registry_path: Path) -> Path:
    """`signatories.csv` keeps what was announced in `signatories.notify.json`."""
    return registry_path.with_name(registry_path.stem + ".notify.json")


def load_status(path: Path) -> dict[str, Any]:
    """What earlier runs announced; a missing or unreadable file is a fresh start."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def without_emails(text: str) -> str:
    """Anything shaped like an email address replaced: no signer's address in a message."""
    return _EMAIL.sub("[email address removed]", text)


def _entry_lines(entries: Sequence[Signatory]) -> list[str]:
    lines = [f"- {s.name} ({s.id}): {s.reason or 'held for review'}" for s in entries[:_LISTED]]
    if len(entries) > _LISTED:
        lines.append(f"- ... and {len(entries) - _LISTED} more")
    return lines


def notices_after_run(
    status: dict[str, Any],
    label: str,
    *,
    plan: Plan | None = None,
    error: str | None = None,
    today: date,
    digest: bool,
    promise_hours: float = 0,
) -> tuple[list[Notice], dict[str, Any]]:
    """The messages one run calls for, and the status to keep. `plan` when the run worked,
    `error` (the one-line message) when it failed."""
    new_status = dict(status)
    notices: list[Notice] = []
    if error is not None:
        if not status.get("failing"):
            notices.append(
                Notice(
                    f"signsync: the run for {label} failed",
                    f"{error}\n\nThe list on the page is not being updated until this is fixed. "
                    "You will get one message when runs work again.",
                    "failure",
                )
            )
        new_status["failing"] = True
        return notices, new_status
    assert plan is not None
    if status.get("failing"):
        notices.append(Notice(f"signsync: runs for {label} work again", "The last run worked.", "success"))
    new_status["failing"] = False
    # Someone kept private (no yes to publication) is never named in a message, nor counted
    # as waiting: no editor decision can publish them.
    pending = [s for s in plan.signatories if s.status == "pending" and not s.sealed]
    announced = set(status.get("announced", []))
    new = [s for s in pending if s.id not in announced]
    if new:
        waiting = f" ({len(pending)} waiting in all)" if len(pending) > len(new) else ""
        body = [f"{len(new)} new entries are held for an editor's decision{waiting}:", *_entry_lines(new), ""]
        body.append("Decide with `signsync review`, then `signsync approve ID` or `signsync reject ID`.")
        notices.append(Notice(f"signsync: {len(new)} new entries wait for review ({label})", "\n".join(body)))
    new_status["announced"] = sorted(s.id for s in pending)  # decided entries drop out
    late = _promise_broken(plan, promise_hours, status)
    if late is not None:
        notices.append(late)
        new_status["promise_alerted"] = plan.oldest_wait_id
    elif plan.oldest_wait_hours is None or plan.oldest_wait_hours <= promise_hours:
        new_status.pop("promise_alerted", None)  # nobody late now: alert again next time
    if digest and status.get("digest_day") != today.isoformat():
        published = sum(1 for s in plan.signatories if s.status == "published")
        body = [f"{published} signatories on the page; {len(pending)} waiting for review."]
        if pending:
            body += ["", *_entry_lines(pending)]
        notices.append(Notice(f"signsync: daily digest for {label}", "\n".join(body)))
        new_status["digest_day"] = today.isoformat()
    return [Notice(without_emails(n.title), without_emails(n.body), n.kind) for n in notices], new_status


def _promise_broken(plan: Plan, promise_hours: float, status: dict[str, Any]) -> Notice | None:
    """One alert when the oldest consenting signer not on the page has waited past the page's
    promise ([notify] promise_hours); again only for another signer."""
    hours = plan.oldest_wait_hours
    if not promise_hours or hours is None or hours <= promise_hours:
        return None
    if status.get("promise_alerted") == plan.oldest_wait_id:
        return None
    late = next((n for n in plan.notes if n.startswith("the oldest consenting response")), "")
    return Notice(
        f"signsync: a signer has waited {hours:.1f} hours, past the {promise_hours:g} promised",
        f"{late}\n\nHeld entries: decide them (`signsync review`). New ones: merge the review pull "
        "request, or check that the scheduled run and the form's trigger still run.",
        "warning",
    )


def _where(url: str) -> str:
    """A notification URL without its user, password or token: scheme and host only."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return (
        f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}" if host else f"{parts.scheme}://"
    )


def send(urls: Sequence[str], notices: Sequence[Notice]) -> str | None:
    """Send each notice to every URL. Never raises for a failed delivery: returns one warning
    line naming what did not arrive where (None when everything was sent)."""
    import apprise

    failed = []
    for notice in notices:
        for url in urls:
            sender = apprise.Apprise()
            with apprise.LogCapture(level=logging.WARNING) as captured:  # type: ignore[no-untyped-call]
                ok = sender.add(url) and bool(
                    sender.notify(
                        title=notice.title,
                        body=notice.body,
                        notify_type=notice.kind,
                        body_format=apprise.NotifyFormat.TEXT,
                    )
                )
            if not ok:
                logged = [ln for ln in str(captured.getvalue()).splitlines() if ln.strip()]
                why = logged[-1].split(" - ", 2)[-1] if logged else "not a notification URL apprise knows"
                failed.append(f"{notice.title!r} to {_where(url)} ({without_emails(why)[:160]})")
    if not failed:
        return None
    total = len(notices) * len(urls)
    return f"warning: {len(failed)} of {total} notifications not sent: {'; '.join(failed)}"


def notify_after_run(config: Config, plan: Plan | None, error: str | None) -> list[str]:
    """Send the messages this run calls for (`plan`: it worked; `error`: it failed) and record
    what was announced beside the registry. Returns the warnings to show: a message that could
    not be sent is not recorded (the next run tries again), and never fails the run."""
    from datetime import UTC, datetime

    from sync.support.files import atomic_write_text

    path = status_path(config.registry.path)
    status = load_status(path)
    notices, new_status = notices_after_run(
        status,
        config.base_dir.name,
        plan=plan,
        error=error,
        today=datetime.now(UTC).date(),
        digest=config.notify.digest == "daily",
        promise_hours=config.notify.promise_hours,
    )
    warning = send(config.notify.urls, notices) if notices else None
    if warning:
        return [warning]
    if new_status != status:
        try:
            atomic_write_text(path, json.dumps(new_status, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            return [f"warning: cannot record the notifications sent in {path}: {exc.strerror}"]
    return []
