"""Sources of form responses. Each returns a ResponseTable; `read_responses` picks one."""

from __future__ import annotations

from typing import Any

from sync.config import Config
from sync.model import ResponseTable


def read_responses(config: Config, cursor: dict[str, Any] | None) -> ResponseTable:
    """Read the responses the config names, from `cursor` on where the source supports it."""
    if config.source.kind == "sheet":
        from sync.intake.sources.sheet import read_sheet

        return read_sheet(config, cursor)
    from sync.intake.sources.csv_source import read_csv

    assert config.source.path is not None  # parse_config checked it
    return read_csv(config.source.path, cursor)
