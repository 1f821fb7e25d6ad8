"""[page] data_file: the whole published list as JSON, for a site that renders the list itself
(Hugo's data/, Jekyll's _data/). Written beside the page (or instead of it) as a plain file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from render.section import render_data
from sync.config import Config
from sync.model import FileChange, Section, text_sha256
from sync.support.diffs import unified_diff
from sync.support.files import read_text_or_none

WHAT = "[page] data_file"


@dataclass(frozen=True, slots=True)
class DataFileTarget:
    """The data file: what it holds now, and the change that gives it the list."""

    path: Path
    label: str  # relative to the config's folder, as plans and diffs name it

    def read(self) -> str | None:
        """The file's text now (None: not written yet)."""
        return read_text_or_none(self.path, WHAT)

    def change(self, section: Section) -> FileChange:
        """The file with `section` (every published entry, in display order) as JSON."""
        before = self.read()
        after = render_data(section)
        return FileChange(
            self.label, text_sha256(before), after, unified_diff(before, after, self.label), role="data"
        )


def data_file_target(config: Config) -> DataFileTarget | None:
    """The data file the config names, if any."""
    path = config.page.data_file
    if path is None:
        return None
    try:
        label = str(path.relative_to(config.base_dir))
    except ValueError:
        label = str(path)
    return DataFileTarget(path, label)
