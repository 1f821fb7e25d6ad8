"""Sources of form responses. Each returns a ResponseTable; `read_responses` picks one from
SOURCES by `[source] kind` (sync.config declares the same names as the key's choices)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sync.config import Config
from sync.model import ResponseTable

# A source reads the responses the config names, from the cursor on where it supports that.
SourceReader = Callable[[Config, dict[str, Any] | None], ResponseTable]


def _csv(config: Config, cursor: dict[str, Any] | None) -> ResponseTable:
    """A CSV export, from its cursor on when the rows it read are unchanged (csv_source)."""
    from sync.intake.sources.csv_source import read_csv

    assert config.source.path is not None  # parse_config checked it
    # A CSV says nothing of its time zone: the config does (or nobody, and UTC is assumed).
    return replace(read_csv(config.source.path, cursor), time_zone=config.source.timezone)


def _sheet(config: Config, cursor: dict[str, Any] | None) -> ResponseTable:
    """The live Google Sheet, incrementally from the cursor."""
    from sync.intake.sources.sheet import read_sheet

    return read_sheet(config, cursor)


SOURCES: dict[str, SourceReader] = {"csv": _csv, "sheet": _sheet}


def read_responses(config: Config, cursor: dict[str, Any] | None) -> ResponseTable:
    """Read the responses the config names, from `cursor` on where the source supports it."""
    return SOURCES[config.source.kind](config, cursor)
