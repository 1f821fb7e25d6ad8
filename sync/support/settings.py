"""The SIGNSYNC_* environment settings, checked like the config's keys: a value signsync cannot
use is one error naming the setting and what it takes; a misspelt name is a warning naming the
setting meant (it would otherwise be ignored without a word).

Every SIGNSYNC_* variable signsync reads is declared here once, with the values it takes.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sync.errors import ConfigError


def _seconds(value: str) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number) and number >= 0


def _whole(value: str) -> bool:
    return value.isdigit() and int(value) >= 1


def _choice(*options: str) -> Callable[[str], bool]:
    return lambda value: value in options


def _anything(value: str) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Setting:
    """One SIGNSYNC_* variable: whether a value is usable, and what to say when it is not."""

    valid: Callable[[str], bool]
    takes: str  # what it takes, in words ("a number of seconds")
    example: str = ""  # what to set it to ("e.g. 30 (0: do not wait)"); "" says `takes` again


SETTINGS: dict[str, Setting] = {
    "SIGNSYNC_HASH_KEY": Setting(_anything, "the registry's secret key"),
    "SIGNSYNC_OLD_HASH_KEY": Setting(_anything, "the key used until now (for `signsync rekey`)"),
    "SIGNSYNC_NOTIFY_URLS": Setting(_anything, "notification addresses, separated by spaces"),
    "SIGNSYNC_SERVICE_ACCOUNT_JSON": Setting(_anything, "a Google service account's JSON key"),
    "SIGNSYNC_WP_USER": Setting(_anything, "the WordPress user name"),
    "SIGNSYNC_WP_APP_PASSWORD": Setting(_anything, "the WordPress application password"),
    "SIGNSYNC_SMTP_USER": Setting(_anything, "the SMTP login for the signers' emails"),
    "SIGNSYNC_SMTP_PASSWORD": Setting(_anything, "the SMTP password (an app password)"),
    "SIGNSYNC_SMTP_FROM": Setting(lambda v: "@" in v, "an email address", "the campaign's sender address"),
    "SIGNSYNC_CACHE_DIR": Setting(_anything, "a folder for signsync's cache"),
    "SIGNSYNC_CACHE": Setting(_choice("0", "1"), "0 or 1", "0 (no cache) or 1 (the default)"),
    "SIGNSYNC_LOCK_WAIT": Setting(_seconds, "a number of seconds", "e.g. 30 (0: do not wait)"),
    "SIGNSYNC_WORKERS": Setting(_whole, "a whole number of processes", "e.g. 2 (at least 1)"),
    "SIGNSYNC_PROGRESS": Setting(
        _choice("auto", "lines", "0"), "auto, lines or 0", "lines (one line a stage) or 0 (off)"
    ),
    "SIGNSYNC_PROGRESS_AFTER": Setting(_seconds, "a number of seconds", "e.g. 2"),
    "SIGNSYNC_DEBUG": Setting(_choice("0", "1"), "0 or 1", "1 (show a bug's details) or 0"),
    "SIGNSYNC_BUG_MARKER": Setting(_anything, "a file (tests)"),
}
# Read by the test suite and by other tools, never by signsync: not a misspelling of a setting.
_NOT_SETTINGS_PREFIXES = ("SIGNSYNC_TEST_", "SIGNSYNC_DIFF_", "SIGNSYNC_BENCH")


def check_environment(environ: Mapping[str, str]) -> list[str]:
    """Check every SIGNSYNC_* variable set in `environ`: ConfigError for a value signsync
    cannot use (naming what it takes); the warnings (one line each) for names signsync does not
    read that look like one it does."""
    warnings: list[str] = []
    for name in sorted(environ):
        if not name.startswith("SIGNSYNC_"):
            continue
        value = environ[name].strip()
        setting = SETTINGS.get(name)
        if setting is None:
            if name.startswith(_NOT_SETTINGS_PREFIXES):
                continue
            match = difflib.get_close_matches(name, list(SETTINGS), n=1, cutoff=0.75)
            if match:
                warnings.append(
                    f"{name} is not a signsync setting and is ignored: did you mean {match[0]}? (rename it)"
                )
            continue
        if value and not setting.valid(value):
            raise ConfigError(
                f"{name}={value!r} is not {setting.takes}: set it to {setting.example or setting.takes}, "
                "or unset it"
            )
    return warnings
