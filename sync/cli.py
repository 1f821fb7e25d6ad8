"""The `signsync` command line: parse options, call the core, turn errors into one line.

Exit status: 0 done / nothing would change, 1 error, 2 (`plan`) changes pending.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

import click

from sync import __version__
from sync.config import DEFAULT_CONFIG, Config, load_config
from sync.errors import ConfigError, SignsyncError

LOCK_WAIT_SECONDS = 30.0

CONFIG_OPTION = click.option(
    "--config", "-c", "config_path", default=DEFAULT_CONFIG, show_default=True,
    type=click.Path(dir_okay=False), help="The configuration file.",
)


def _load(config_path: str) -> Config:
    return load_config(Path(config_path))


def _lock_wait() -> float:
    """How long `apply` waits for another run's lock: SIGNSYNC_LOCK_WAIT seconds, default 30."""
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="signsync")
def cli() -> None:
    """Keep a statement page's list of signatories in step with its Google Form.

    \b
    Typical use:
      signsync plan            # what would change, and why (nothing is written)
      signsync plan --out p.json && signsync apply p.json
      signsync apply --yes     # plan and apply at once (for cron / CI)
    """


@cli.command()
@CONFIG_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON on stdout, nothing else.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Save the plan for `signsync apply PLANFILE`.")
@click.option("--no-diff", is_flag=True, help="Leave the file diffs out of the text output.")
def plan(config_path: str, as_json: bool, out_path: str | None, no_diff: bool) -> None:
    """Show what would change: responses read, new, merged, held, rejected, and the diffs.

    Writes nothing (except the plan file with --out). Exit status: 0 nothing would change,
    2 changes pending, 1 error.
    """
    from render.report import plan_text
    from sync.plan import make_plan, plan_json, save_plan

    config = _load(config_path)
    the_plan = make_plan(config)
    if out_path:
        save_plan(the_plan, Path(out_path), config)
        click.echo(f"plan saved to {out_path}", err=True)
    if as_json:
        click.echo(json.dumps(plan_json(the_plan), ensure_ascii=False, indent=2))
        for w in the_plan.warnings:
            click.echo(f"warning: {w}", err=True)
    else:
        click.echo(plan_text(the_plan, diff=not no_diff), nl=False)
    sys.exit(2 if the_plan.has_changes else 0)


@cli.command()
@CONFIG_OPTION
@click.argument("planfile", required=False, type=click.Path(dir_okay=False))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for automation).")
@click.option("--force", is_flag=True, help="Replace the list even if it was edited by hand.")
def apply(config_path: str, planfile: str | None, yes: bool, force: bool) -> None:
    """Write a plan: the page, the registry and its state.

    With PLANFILE, write exactly that saved plan (refused if the registry or the page changed
    since). Without it, make a plan now, show it, and ask before writing (--yes to skip).
    Only one run at a time works on a registry: apply waits up to SIGNSYNC_LOCK_WAIT seconds
    (default 30) for another one to finish.
    """
    from render.report import plan_text
    from sync.fsutil import run_lock
    from sync.plan import apply_plan, load_plan, make_plan

    config = _load(config_path)
    with run_lock(Path(config.get("registry", "path")), _lock_wait()):
        if planfile:
            the_plan = load_plan(Path(planfile))
        else:
            the_plan = make_plan(config)
            click.echo(plan_text(the_plan), nl=False, err=True)
            if not the_plan.has_changes:
                return
            if not yes and not click.confirm("Apply these changes?", err=True):
                click.echo("Nothing written.", err=True)
                sys.exit(1)
        if not the_plan.has_changes:
            click.echo("Nothing to change.", err=True)
            return
        for note in apply_plan(config, the_plan, force=force):
            click.echo(note, err=True)


def main() -> None:
    """Entry point: run the CLI; expected failures print `Error: ...` and exit 1."""
    try:
        cli.main(standalone_mode=False)
    except SignsyncError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing half-written (files are replaced whole).", err=True)
        sys.exit(130)
