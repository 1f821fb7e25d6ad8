"""Exceptions raised by the core. The CLI prints their message as one line and exits 1.

Every message says what went wrong *and* what to do about it.
"""

from __future__ import annotations

import re
from typing import Self

_PEM = re.compile(r"-----BEGIN[^-]*PRIVATE KEY-----.*?-----END[^-]*PRIVATE KEY-----", re.DOTALL)


class SignsyncError(Exception):
    """Base class: an expected failure with a message meant for the user."""

    problem = ""  # set by `because`: the message without its fix
    fix = ""  # set by `because`: what to do (doctor shows it on its own line)

    @classmethod
    def because(cls, problem: str, fix: str) -> Self:
        """The error "<problem>: <fix>", with the two also kept apart for `signsync doctor`."""
        error = cls(f"{problem}: {fix}")
        error.problem, error.fix = problem, fix
        return error


class ConfigError(SignsyncError):
    """The configuration file or environment is wrong (names the file, the key and the fix)."""


class SourceError(SignsyncError):
    """The responses could not be read (file missing, sheet unreachable, columns renamed)."""


class ColumnError(SourceError):
    """A required column is missing from the responses."""


class MarkerError(SignsyncError):
    """The page does not hold exactly one marker pair."""


class StalePlanError(SignsyncError):
    """A saved plan no longer matches the files it was made against."""


class HandEditError(SignsyncError):
    """Someone edited inside the markers by hand; apply refuses without --force."""


class PublishError(SignsyncError):
    """The publish target refused or failed the write."""


class ConflictError(PublishError):
    """The target changed between reading and writing (an editor was editing)."""


class LockError(SignsyncError):
    """Another signsync run holds the lock on this registry."""


class RegistryError(SignsyncError):
    """The registry file cannot be read (hand edit broke its format)."""


class FileError(SignsyncError):
    """A file cannot be read or written: missing folder, permission, a folder in its place,
    an encoding that is not UTF-8 (names the file and the fix)."""


class TemplateError(SignsyncError):
    """A page's own template does not compile or render."""


def one_line(text: str, secret: str = "") -> str:
    """A message on one line with any private key removed."""
    if secret:
        text = text.replace(secret, "[private key]")
    text = _PEM.sub("[private key]", text)
    return " ".join(text.split())


class SheetError(SourceError):
    """A SourceError from the sheet source, keeping the problem and the fix apart for doctor.

    The message is "<problem>: <fix>", on one line, with no private key in it.
    """

    def __init__(self, problem: str, fix: str, secret: str = ""):
        self.problem = one_line(problem, secret)
        self.fix = one_line(fix, secret)
        super().__init__(f"{self.problem}: {self.fix}")
