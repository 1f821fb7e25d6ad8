"""Sending the signers' emails after apply: SMTP through the standard library (STARTTLS or SSL,
login from the environment), per-run and per-day caps, retries (tenacity), and a record of
what was sent as keyed hashes only, so a rerun never sends twice.

The address is read from the form's responses at run time and goes nowhere but into the one
message to its owner: not into a file, an output line or an error (an SMTP error is described
by its code, never by its text, which may quote the address).
"""

from __future__ import annotations

import json
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import Any

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from sync.config import Config, SelfServiceConfig
from sync.errors import SignsyncError
from sync.intake.responses import keyed_hash
from sync.support.files import atomic_write_text, read_text_or_none

USER_VAR = "SIGNSYNC_SMTP_USER"
PASSWORD_VAR = "SIGNSYNC_SMTP_PASSWORD"
FROM_VAR = "SIGNSYNC_SMTP_FROM"
ATTEMPTS = 3
SAVE_EVERY = 10  # emails between two writes of the record
GIVE_UP_AFTER = 3  # messages failing one after another: the server is down, not the address


class MailError(SignsyncError):
    """The SMTP server could not be reached or refused the login."""


def sent_path(registry_path: Path) -> Path:
    """The record of the emails sent: `<registry>.mail-sent.json` beside it."""
    return registry_path.with_name(registry_path.stem + ".mail-sent.json")


def sent_key(hash_key: str, entry_id: str, email_key: str) -> str:
    """What the record keeps of one email sent: a keyed hash of the entry and the address key."""
    return keyed_hash(hash_key.encode("utf-8"), "mail-sent", f"{entry_id}\x1f{email_key}")


@dataclass(slots=True)
class SentRecord:
    """The record as read: the hashes of the emails sent (or given up on), and today's count."""

    sent: set[str] = field(default_factory=set)
    day: str = ""
    today: int = 0

    @classmethod
    def load(cls, path: Path) -> SentRecord:
        text = read_text_or_none(path, "the record of emails sent")
        if not text:
            return cls()
        try:
            doc = json.loads(text)
            return cls(set(doc.get("sent", [])), str(doc.get("day", "")), int(doc.get("today", 0)))
        except (ValueError, TypeError, AttributeError) as exc:
            raise SignsyncError(
                f"{path} is damaged ({exc}): restore it from git (deleting it would send every "
                "signer in the outbox their email again)"
            ) from None

    def count_today(self, today: date) -> int:
        return self.today if self.day == today.isoformat() else 0

    def dump(self) -> str:
        doc = {"day": self.day, "today": self.today, "sent": sorted(self.sent)}
        return json.dumps(doc, indent=1) + "\n"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to send, and what to record once it is sent."""

    record: str
    to: str
    subject: str
    body: str


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _text in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def describe(exc: BaseException) -> str:
    """An SMTP failure in words, without the server's text (it may quote an address)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"the SMTP login was refused ({exc.smtp_code}): check {USER_VAR} and {PASSWORD_VAR}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _text in exc.recipients.values()})
        return f"the SMTP server refused the recipient ({', '.join(codes)})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the SMTP server answered {exc.smtp_code}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "the SMTP server does not offer STARTTLS or login: check [self_service] smtp_security"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason}): check [self_service] smtp_port and smtp_security"
    if isinstance(exc, OSError):
        return f"cannot reach the SMTP server ({exc.strerror or type(exc).__name__})"
    return type(exc).__name__


class Mailer:
    """One SMTP connection: opened, logged in, used for a batch, closed."""

    def __init__(self, config: Config, wait: float = 0.5) -> None:
        ss = config.self_service
        assert ss is not None and ss.smtp_host
        self.ss: SelfServiceConfig = ss
        self.user = config.secret(USER_VAR)
        self.password = config.secret(PASSWORD_VAR)
        sender = config.secret(FROM_VAR) or self.user
        if not sender or "@" not in sender:
            raise MailError(
                f"no sender address for the signers' emails: set {FROM_VAR} (or {USER_VAR}) in the "
                "environment or .env"
            )
        self.sender = sender
        self.wait = wait
        self.smtp: smtplib.SMTP | None = None

    def _retrying(self) -> Retrying:
        return Retrying(
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait_exponential(multiplier=self.wait, max=8),
            retry=retry_if_exception(_transient),
            reraise=True,
        )

    def _connect(self) -> smtplib.SMTP:
        ss, timeout = self.ss, 30
        assert ss.smtp_host is not None
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if ss.smtp_security == "ssl":
            smtp = smtplib.SMTP_SSL(ss.smtp_host, ss.smtp_port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(ss.smtp_host, ss.smtp_port, timeout=timeout)
        try:
            smtp.ehlo()
            if ss.smtp_security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.user and self.password:
                smtp.login(self.user, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def open(self) -> None:
        """Connect and log in (retried); MailError saying why when it cannot."""
        try:
            self.smtp = self._retrying()(self._connect)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(describe(exc)) from None

    def send(self, message: EmailMessage) -> None:
        """Send one message (retried on a temporary failure, reconnecting if dropped)."""

        def attempt() -> None:
            if self.smtp is None:
                self.smtp = self._connect()
            try:
                assert self.smtp is not None
                self.smtp.send_message(message)
            except smtplib.SMTPServerDisconnected:
                self.smtp = None
                raise

        self._retrying()(attempt)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def message(self, out: Outgoing) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = formataddr((self.ss.from_name, self.sender)) if self.ss.from_name else self.sender
        msg["To"] = out.to
        msg["Subject"] = out.subject
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2])
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(out.body)
        return msg


@dataclass(frozen=True, slots=True)
class Sent:
    """What one mail step did, in words for the user (no address anywhere)."""

    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    sent: int


def send_batch(
    config: Config,
    outgoing: list[Outgoing],
    record: SentRecord,
    record_path: Path,
    given_up: list[str],
    today: date,
    mailer_factory: Callable[[Config], Mailer] = Mailer,
) -> Sent:
    """Send `outgoing` (already cut to the caps); record each sent one, and `given_up` (entries
    that will never be sent: withdrawn, or no address any more) once the server was reached.
    A server that cannot be reached records nothing and changes no file."""
    if not outgoing:
        if given_up:
            record.sent |= set(given_up)
            atomic_write_text(record_path, record.dump())
        return Sent((), (), 0)
    try:
        mailer = mailer_factory(config)
        mailer.open()
    except MailError as exc:
        return Sent((), (f"no signer email sent: {exc}; {len(outgoing)} wait for the next run",), 0)
    sent, failed, in_a_row = 0, 0, 0
    failure = ""
    before = record.dump()
    try:
        for out in outgoing:
            if in_a_row >= GIVE_UP_AFTER:
                failed += 1  # the server fails every message: the rest wait for the next run
                continue
            try:
                mailer.send(mailer.message(out))
            except (smtplib.SMTPException, OSError) as exc:
                failed += 1
                in_a_row += 1
                failure = describe(exc)
                continue
            in_a_row = 0
            sent += 1
            record.sent.add(out.record)
            if record.day != today.isoformat():
                record.day, record.today = today.isoformat(), 0
            record.today += 1
            if sent % SAVE_EVERY == 0:  # a run killed mid-batch resends at most these
                atomic_write_text(record_path, record.dump())
    finally:
        mailer.close()
        record.sent |= set(given_up)
        if record.dump() != before:
            atomic_write_text(record_path, record.dump())
    warnings: tuple[str, ...] = ()
    if failed:
        warnings = (f"{failed} signer email(s) not sent ({failure}); they wait for the next run",)
    return Sent((f"sent {sent} signer email(s)",) if sent else (), warnings, sent)


def room(ss: SelfServiceConfig, record: SentRecord, today: date) -> int:
    """How many may be sent now under the per-run and per-day caps."""
    return max(0, min(ss.max_per_run, ss.max_per_day - record.count_today(today)))


def addresses_in(rows: Any, email_index: int | None, hash_key: str) -> dict[str, str]:
    """email key -> the address as typed, for the rows of a responses table."""
    from sync.intake.responses import canonical_email

    out: dict[str, str] = {}
    if email_index is None:
        return out
    key = hash_key.encode("utf-8")
    for row in rows:
        cells = row.cells
        raw = cells[email_index].strip() if email_index < len(cells) else ""
        if "@" in raw:
            out[keyed_hash(key, "email", canonical_email(raw))] = raw
    return out


def missing_keys(wanted: list[str], known: Mapping[str, str]) -> list[str]:
    return [k for k in wanted if k not in known]
