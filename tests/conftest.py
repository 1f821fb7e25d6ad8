"""Shared fixtures: `site`, a fresh copy of the bundled example; `wordpress`, one throwaway
WordPress for the whole test session; the Sheets emulator's (tests/support/sheets_plugin.py);
`smtp`, a real SMTP server (tests/support/smtp_server.py).

Tests import their helpers as `tests.support.helpers` (pytest runs with --import-mode=importlib and the
repository root on its `pythonpath`, see pyproject.toml)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support.helpers import copy_example
from tests.support.wordpress_server import SETUP_HINT, WordPressServer, WordPressSite, missing_requirements

pytest_plugins = ["tests.support.sheets_plugin", "tests.support.smtp_server"]

# The machine running the tests is shared (two cores, several test runs at once): a property
# test's example may take seconds there, which says nothing about the code. No deadlines.
settings.register_profile("signsync", deadline=None)
settings.load_profile("signsync")


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A fresh copy of the bundled example (config, responses, page, `.env`) in `tmp_path/site`,
    so a test can keep other files beside it. Nothing has run in it yet."""
    folder = tmp_path / "site"
    folder.mkdir()
    copy_example(folder)
    return folder


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPressSite]:
    """A real WordPress on 127.0.0.1 (MariaDB + `php -S`), stopped after the session.

    Skips LOUDLY when the Debian packages are missing; with SIGNSYNC_REQUIRE_WORDPRESS=1 (CI)
    it fails instead, so a green run cannot hide a missing install step.
    """
    problem = missing_requirements()
    if problem:
        message = f"WORDPRESS TESTS NOT RUN: missing {problem}; {SETUP_HINT}"
        if os.environ.get("SIGNSYNC_REQUIRE_WORDPRESS") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = WordPressServer()
    site = server.start()
    print(f"\nWordPress started at {site.url} in {server.startup_seconds:.1f} s", file=sys.stderr)
    try:
        yield site
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chromium() -> str:
    """The headless Chromium binary. Skips loudly when missing; with SIGNSYNC_REQUIRE_BROWSER
    set (CI) it fails instead, so a skip cannot hide a gap."""
    from tests.support.browser import APT_LINE, find_chromium

    binary = find_chromium()
    if binary is None:
        reason = (
            "!!! HEADLESS CHROMIUM NOT FOUND: the tests in a real browser DID NOT RUN !!! "
            f"Install it (CI: .ci/system-deps) with: {APT_LINE}  "
            "(or point SIGNSYNC_CHROMIUM at a Chromium binary)"
        )
        if os.environ.get("SIGNSYNC_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return binary


@pytest.fixture(scope="session", autouse=True)
def no_run_reaches_the_last_resort(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every signsync run in the suite (in-process or a child process, which inherits the
    environment) appends to this file if it reaches the CLI's last resort ("this is a bug"):
    at the end of the session the file must not exist."""
    marker = tmp_path_factory.mktemp("last-resort") / "reached.txt"
    saved = os.environ.get("SIGNSYNC_BUG_MARKER")
    os.environ["SIGNSYNC_BUG_MARKER"] = str(marker)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SIGNSYNC_BUG_MARKER", None)
        else:
            os.environ["SIGNSYNC_BUG_MARKER"] = saved
    if marker.exists():
        pytest.fail(f"a signsync run reached the last resort (a bug):\n{marker.read_text()}", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def cache_in_a_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """apply's registry cache (sync/cache/) goes to a folder of this session, not the user's
    ~/.cache (runs in child processes inherit the environment)."""
    saved = os.environ.get("SIGNSYNC_CACHE_DIR")
    os.environ["SIGNSYNC_CACHE_DIR"] = str(tmp_path_factory.mktemp("signsync-cache"))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SIGNSYNC_CACHE_DIR", None)
        else:
            os.environ["SIGNSYNC_CACHE_DIR"] = saved
