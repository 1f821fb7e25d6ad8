"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1), as a pytest plugin: the `smtp`
fixture yields the server's `Inbox` and port; `smtp_server(...)` starts one with other options
(TLS, a login). What it received is parsed as a mail client would show it."""

from __future__ import annotations

import email
import email.policy
import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Mail:
    """One message as received: its recipients, subject, plain text (or HTML when it has no
    plain part) and the raw message."""

    to: list[str]
    subject: str
    text: str
    raw: str


@dataclass
class Inbox:
    """What the SMTP server received. `fail = True`: every recipient is refused with a
    temporary error (451), as a server that is overloaded answers."""

    messages: list[Mail] = field(default_factory=list)
    fail: bool = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd's hook
        if self.fail:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body else ""
        raw = envelope.content.decode("utf-8", "replace")
        self.messages.append(
            Mail(list(envelope.rcpt_tos), str(msg["subject"]), text.replace("\r\n", "\n"), raw)
        )
        return "250 OK"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now (for a test that needs a dead one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(inbox: Inbox | None = None, **options: Any) -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 with aiosmtpd's Controller `options`; stopped on exit.

    The port is picked free, then bound by the server: another process on the machine may take
    it in between (the tests of several sessions run at once), so a port found taken is picked
    again rather than failing the test."""
    inbox = inbox or Inbox()
    # aiosmtpd waits 1 s by default for its thread, which a loaded machine can miss.
    options.setdefault("ready_timeout", 30.0)
    for attempt in range(5):
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        try:
            controller.start()
        except OSError as e:
            if e.errno != errno.EADDRINUSE or attempt == 4:
                raise
            continue
        try:
            yield inbox, port
        finally:
            controller.stop()
        return


@pytest.fixture()
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A plain SMTP server on 127.0.0.1 (no TLS, no login): its inbox and port."""
    with smtp_server() as served:
        yield served
