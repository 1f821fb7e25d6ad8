"""`signsync doctor`: every check a new set-up needs, in order, each with its fix.

The checks run the real code paths (load the config, read the responses, map the columns, read
the page) and stop at the first failure, since later checks depend on earlier ones.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from render.page import find_region
from sync.config import HASH_KEY_VAR, Config, load_config
from sync.errors import SignsyncError
from sync.sources import read_responses
from sync.sources.sheet import Check, check_access


def _step(name: str, action: Callable[[], str], fix: str = "") -> Check:
    try:
        return Check(name, True, action())
    except SignsyncError as exc:
        return Check(name, False, str(exc), fix)


def run_checks(config_path: Path) -> list[Check]:
    """All checks, stopping at the first that fails."""
    checks: list[Check] = []
    holder: dict[str, Config] = {}

    def config() -> str:
        holder["config"] = load_config(config_path)
        return f"{holder['config'].path} is valid"

    checks.append(_step("config", config))
    if not checks[-1].ok:
        return checks
    cfg = holder["config"]

    def hash_key() -> str:
        cfg.hash_key  # noqa: B018 - raises ConfigError with the fix when it is not set
        return f"{HASH_KEY_VAR} is set"

    checks.append(_step("hash key", hash_key))
    if not checks[-1].ok:
        return checks
    if cfg.source.kind == "sheet":
        sheet_checks = check_access(cfg)
        checks += sheet_checks[1:] if sheet_checks and sheet_checks[0].name == "config" else sheet_checks
        if not all(c.ok for c in checks):
            return checks

    def columns() -> str:
        from sync.responses import map_columns

        table = read_responses(cfg, None)
        cmap, warnings = map_columns(table.headers, cfg.columns.by_field(), table.origin)
        found = ", ".join(f"{f} = column {i + 1}" for f, i in cmap.index.items() if i is not None)
        extra = f" ({'; '.join(warnings)})" if warnings else ""
        return f"{len(table.rows)} rows; {found}{extra}"

    checks.append(_step("columns", columns))
    if not checks[-1].ok:
        return checks

    def page() -> str:
        from sync.plan import page_target

        snap = page_target(cfg).read()
        if snap.content is None:
            raise SignsyncError(f"{snap.label} does not exist yet")
        find_region(snap.content, snap.label)
        return f"{snap.label} holds one marker pair"

    if cfg.has_page:
        checks.append(
            _step(
                "page",
                page,
                "put <!-- signatories:start --> and <!-- signatories:end --> where the list belongs",
            )
        )
    return checks
