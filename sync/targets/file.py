"""A page that is a file on disk (HTML or Markdown), replaced atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.errors import ConflictError
from sync.fsutil import atomic_write_text, sha256_text
from sync.targets.base import PageSnapshot


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
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return PageSnapshot(self.label, None, {"sha256": None})
        return PageSnapshot(self.label, text, {"sha256": sha256_text(text)})

    def write(self, content: str, expected: PageSnapshot) -> str:
        now = self.read()
        if now.version.get("sha256") != expected.version.get("sha256"):
            raise ConflictError(f"{self.path} changed since the plan was made: run `signsync plan` again")
        atomic_write_text(self.path, content)
        return f"wrote {self.path}"
