"""A page that is a file on disk (HTML or Markdown), replaced atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.errors import ConflictError
from sync.model import text_sha256
from sync.publish.targets.base import PageSnapshot
from sync.support.files import atomic_write_text, check_writable, decode_page, read_bytes_or_none


@dataclass(frozen=True, slots=True)
class FileTarget:
    """A page that is a file on disk; `base` is the config's folder (the page is known by its
    path relative to it, so a backup still matches in another clone of the site)."""

    path: Path
    base: Path | None = None
    name: str = "file"

    @property
    def label(self) -> str:
        return str(self.path)

    @property
    def identity(self) -> dict[str, Any]:
        where = os.path.relpath(self.path, self.base) if self.base else str(self.path)
        return {"target": self.name, "path": Path(where).as_posix()}

    def read(self) -> PageSnapshot:
        """The page's text exactly as stored: line endings (CRLF, LF, mixed), a byte-order
        mark (kept as U+FEFF) and a missing final newline all survive; `version["encoding"]`
        is what `write` encodes with, so the bytes outside the markers never change."""
        raw = read_bytes_or_none(self.path, "[page] path")
        if raw is None:
            return PageSnapshot(self.label, None, {"sha256": None})
        text, encoding = decode_page(raw, self.path)
        return PageSnapshot(self.label, text, {"sha256": text_sha256(text), "encoding": encoding})

    def write(self, content: str, expected: PageSnapshot) -> str:
        check_writable(self.path, "[page] path")
        now = self.read()
        if now.version.get("sha256") != expected.version.get("sha256"):
            raise ConflictError(f"{self.path} changed since the plan was made: run `signsync plan` again")
        encoding = str(now.version.get("encoding") or expected.version.get("encoding") or "utf-8")
        atomic_write_text(self.path, content, encoding)
        return f"wrote {self.path}"
