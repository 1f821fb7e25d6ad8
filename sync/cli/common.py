"""What the commands share: the --config option, loading the config, the lock wait, the clock."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sync.config import DEFAULT_CONFIG
from sync.errors import ConfigError
from sync.support.files import LOCK_WAIT_SECONDS

if TYPE_CHECKING:
    from sync.config import Config

CONFIG_OPTION = click.option(
    "--config",
    "-c",
    "config_path",
    default=DEFAULT_CONFIG,
    show_default=True,
    type=click.Path(),  # a folder or a missing file: load_config says so in one line
    help="The configuration file.",
)


def load(config_path: str) -> Config:
    """The config at `config_path`, checked (a mistake is a ConfigError naming the fix)."""
    from sync.config import load_config

    return load_config(Path(config_path))


def now() -> str:
    """The time an editor's decision is recorded with (UTC, to the second)."""
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def lock_wait() -> float:
    """How long a run waits for another run's lock: SIGNSYNC_LOCK_WAIT seconds, default
    LOCK_WAIT_SECONDS."""
    raw = os.environ.get("SIGNSYNC_LOCK_WAIT", "").strip()
    if not raw:
        return LOCK_WAIT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(
            f"SIGNSYNC_LOCK_WAIT={raw!r} is not a number of seconds: set it to e.g. 30 "
            "(0: do not wait), or unset it"
        )
    return seconds
