"""Where the page lives. Each target reads the page and writes it back (see `base.PageTarget`);
`page_target` picks the one `[publish] target` names."""

from __future__ import annotations

from collections.abc import Callable

from sync.config import Config
from sync.errors import ConfigError
from sync.publish.targets.base import PageSnapshot, PageTarget

__all__ = ["PageSnapshot", "PageTarget", "page_target"]


def _file(config: Config) -> PageTarget:
    from sync.publish.targets.file import FileTarget

    if config.page.path is None:
        raise ConfigError(f"{config.path}: [page] path is not set: name the page holding the markers")
    return FileTarget(config.page.path, config.base_dir)


def _wordpress(config: Config) -> PageTarget:
    from sync.publish.targets.wordpress import wordpress_target

    return wordpress_target(config)


# [publish] target -> how to make it from the config (the config's schema lists the same names).
TARGETS: dict[str, Callable[[Config], PageTarget]] = {"file": _file, "wordpress": _wordpress}


def page_target(config: Config) -> PageTarget:
    """The publish target the config names."""
    return TARGETS[config.publish.target](config)
