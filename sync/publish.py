"""Where the page lives. A PageTarget reads the current page and writes a new one, refusing to
write when the page changed since it was read (someone was editing).

Targets: `FileTarget` (a local HTML or Markdown file) and, in sync/wordpress.py, `WordPressTarget`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sync.errors import ConflictError
from sync.fsutil import atomic_write_text, check_writable, decode_page, read_bytes_or_none, sha256_text


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """The page as read: a label for messages, its content (None: no such file), version data."""

    label: str
    content: str | None
    version: dict[str, Any] = field(default_factory=dict)


class PageTarget(Protocol):
    @property
    def name(self) -> str:
        """The target's kind, as plans record it ("file", "wordpress")."""
        ...

    def read(self) -> PageSnapshot:
        """Read the page as it is now."""
        ...

    def write(self, content: str, expected: PageSnapshot) -> str:
        """Write `content` if the page is still as `expected`; return a note for the user
        (e.g. the new revision id). Raise ConflictError when the page changed."""
        ...


@dataclass(frozen=True, slots=True)
class FileTarget:
    """A page that is a file on disk, replaced atomically."""

    path: Path
    name: str = "file"

    def read(self) -> PageSnapshot:
        """The page's text exactly as stored: line endings (CRLF, LF, mixed), a byte-order
        mark (kept as U+FEFF) and a missing final newline all survive; `version["encoding"]`
        is what `write` encodes with, so the bytes outside the markers never change."""
        raw = read_bytes_or_none(self.path, "[page] path")
        if raw is None:
            return PageSnapshot(str(self.path), None, {"sha256": None})
        text, encoding = decode_page(raw, self.path)
        return PageSnapshot(str(self.path), text, {"sha256": sha256_text(text), "encoding": encoding})

    def write(self, content: str, expected: PageSnapshot) -> str:
        check_writable(self.path, "[page] path")
        now = self.read()
        if now.version.get("sha256") != expected.version.get("sha256"):
            raise ConflictError(f"{self.path} changed since the plan was made: run `signsync plan` again")
        encoding = str(now.version.get("encoding") or expected.version.get("encoding") or "utf-8")
        atomic_write_text(self.path, content, encoding)
        return f"wrote {self.path}"
