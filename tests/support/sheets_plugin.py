"""pytest plugin: the Sheets API emulator and a test service account (one RSA key per session).

Loaded from tests/conftest.py with ``pytest_plugins = ["tests.support.sheets_plugin"]``.

Fixtures:
- ``sheets_emulator``: a running SheetsEmulator, emptied before each test (faults, log, sheets).
- ``service_account``: the test service account (JSON file whose token_uri is the emulator).

Tables that tests want shown (conformance results, the fault matrix) are added to
``REPORT_TABLES`` and printed at the end of the run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.sheets_emulator import SheetsEmulator

TEST_CLIENT_EMAIL = "signsync-test@emulated-project.iam.gserviceaccount.com"
REPORT_TABLES: dict[str, list[str]] = {}


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    """The session's test service account: its JSON key file, parsed info and parts."""

    path: Path
    info: dict[str, str]
    client_email: str
    private_key_pem: str

    @property
    def json_text(self) -> str:
        return json.dumps(self.info)


@pytest.fixture(scope="session")
def _sheets_session(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SheetsEmulator, ServiceAccount]]:
    saved = {name: os.environ.get(name) for name in ("NO_PROXY", "no_proxy")}
    for name in saved:
        os.environ[name] = ",".join(filter(None, [saved[name], "127.0.0.1", "localhost"]))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    emulator = SheetsEmulator().start()
    info = emulator.make_service_account(TEST_CLIENT_EMAIL, key)
    path = tmp_path_factory.mktemp("service-account") / "test-key.json"
    path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    try:
        yield emulator, ServiceAccount(path, info, TEST_CLIENT_EMAIL, pem)
    finally:
        emulator.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def sheets_emulator(_sheets_session: tuple[SheetsEmulator, ServiceAccount]) -> SheetsEmulator:
    """The running emulator, with no spreadsheets, faults or logged requests."""
    emulator, _ = _sheets_session
    emulator.reset()
    return emulator


@pytest.fixture
def service_account(_sheets_session: tuple[SheetsEmulator, ServiceAccount]) -> ServiceAccount:
    """The test service account the emulator trusts."""
    return _sheets_session[1]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the tables tests collected (conformance, fault matrix)."""
    for title, lines in REPORT_TABLES.items():
        terminalreporter.section(title)
        for line in lines:
            terminalreporter.write_line(line)
