"""What every publish target offers: read the page as it is now, and write a new one, refusing
when the page changed since it was read (someone was editing).

Targets: `sync.publish.targets.file.FileTarget` (a local HTML or Markdown file) and
`sync.publish.targets.wordpress.WordPressTarget`; `sync.publish.targets.page_target` picks one
from the config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """The page as read: a label for messages, its content (None: no such file), version data."""

    label: str
    content: str | None
    version: dict[str, Any] = field(default_factory=dict)


class PageTarget(Protocol):
    @property
    def name(self) -> str:
        """ "file" or "wordpress", as in [publish] target."""
        ...

    @property
    def label(self) -> str:
        """The page, for messages."""
        ...

    @property
    def identity(self) -> dict[str, Any]:
        """Which page this is, as plain JSON (kept in a backup, compared on restore)."""
        ...

    def read(self) -> PageSnapshot:
        """Read the page as it is now."""
        ...

    def write(self, content: str, expected: PageSnapshot) -> str:
        """Write `content` if the page is still as `expected`; return a note for the user
        (e.g. the new revision id). Raise ConflictError when the page changed."""
        ...
