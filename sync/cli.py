"""The `signsync` command line: parse options, call the core, turn errors into one line.

Exit status: 0 done / nothing would change, 1 error, 2 (`plan`) changes pending.
"""

from __future__ import annotations

import gc
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from sync import __version__
from sync.config import DEFAULT_CONFIG, Config, load_config
from sync.errors import ConfigError, SignsyncError
from sync.model import Signatory
from sync.review import Decision

LOCK_WAIT_SECONDS = 30.0

CONFIG_OPTION = click.option(
    "--config",
    "-c",
    "config_path",
    default=DEFAULT_CONFIG,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The configuration file.",
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
@click.option(
    "--out", "out_path", type=click.Path(dir_okay=False), help="Save the plan for `signsync apply PLANFILE`."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
    help="text for a terminal; markdown for a pull request; html "
    "for a page showing the list before and after.",
)
@click.option("--no-diff", is_flag=True, help="Leave the file diffs out of the text output.")
@click.option(
    "--full",
    is_flag=True,
    help="Read every response again, not only the new rows (the live sheet reads incrementally).",
)
def plan(config_path: str, as_json: bool, out_path: str | None, fmt: str, no_diff: bool, full: bool) -> None:
    """Show what would change: responses read, new, merged, held, rejected, and the diffs.

    Writes nothing (except the plan file with --out). Exit status: 0 nothing would change,
    2 changes pending, 1 error.
    """
    from render.report import plan_text
    from sync.plan import make_plan, plan_json, save_plan

    config = _load(config_path)
    the_plan = make_plan(config, full=full)
    if out_path:
        save_plan(the_plan, Path(out_path), config)
        click.echo(f"plan saved to {out_path}", err=True)
    if as_json:
        click.echo(json.dumps(plan_json(the_plan), ensure_ascii=False, indent=2))
        for w in the_plan.warnings:
            click.echo(f"warning: {w}", err=True)
    elif fmt != "text":
        from render.review import render_review

        click.echo(render_review(the_plan, fmt), nl=False)
    else:
        click.echo(plan_text(the_plan, diff=not no_diff), nl=False)
    sys.exit(2 if the_plan.has_changes else 0)


@cli.command()
@CONFIG_OPTION
@click.argument("planfile", required=False, type=click.Path(dir_okay=False))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for automation).")
@click.option("--force", is_flag=True, help="Replace the list even if it was edited by hand.")
@click.option("--full", is_flag=True, help="Without PLANFILE: read every response again.")
def apply(config_path: str, planfile: str | None, yes: bool, force: bool, full: bool) -> None:
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
            the_plan = make_plan(config, full=full)
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


@cli.command("restore-page")
@CONFIG_OPTION
@click.argument("backup", type=click.Path(dir_okay=False))
def restore_page(config_path: str, backup: str) -> None:
    """Put the page back as BACKUP holds it (a file `apply` saved before it first wrote to the
    page, named in its output). Refused if the page is being edited at that moment; the page
    as it was before the restore is backed up too."""
    from sync.fsutil import run_lock
    from sync.restore import restore_page as restore

    config = _load(config_path)
    with run_lock(Path(config.get("registry", "path")), _lock_wait()):
        for note in restore(config, Path(backup)):
            click.echo(note, err=True)


def main() -> None:
    """Entry point: run the CLI; expected failures print `Error: ...` and exit 1."""
    # A short-lived run that builds large, acyclic structures (a registry of 100k entries is
    # ~1M objects): the cyclic collector's full passes cost a third of the time and free nothing.
    gc.disable()
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


@cli.command()
@CONFIG_OPTION
def doctor(config_path: str) -> None:
    """Check the set-up, step by step, and say how to fix what fails: the config, the hash key,
    the Google credentials and access to the sheet, the column mapping, and the page.

    Exit status 0 only when everything works.
    """
    from sync.doctor import run_checks

    checks = run_checks(Path(config_path))
    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"{mark} {check.name}: {check.detail}")
        if not check.ok and check.fix:
            click.echo(f"     fix: {check.fix}")
    if not all(c.ok for c in checks):
        sys.exit(1)
    click.echo("All checks passed.", err=True)


# --- editors' review commands -------------------------------------------------------------


def _decide(config_path: str, decide: Callable[[tuple[Signatory, ...], Config], Decision]) -> None:
    """Load the registry under the lock, apply one editor's decision, write it back."""
    from sync.fsutil import atomic_write_text, run_lock
    from sync.registry import dump_registry, load_registry

    config = _load(config_path)
    path = Path(config.get("registry", "path"))
    with run_lock(path, _lock_wait()):
        registry = load_registry(path)
        if registry.text is None:
            raise SignsyncError(f"no registry at {path} yet: run `signsync apply` first")
        decision = decide(registry.signatories, config)
        atomic_write_text(path, dump_registry(decision.signatories))
    for message in decision.messages:
        click.echo(message, err=True)
    click.echo(
        "Registry updated; `signsync plan` shows the page change, `signsync apply` publishes it.", err=True
    )


@cli.command()
@CONFIG_OPTION
@click.option("--all", "include_all", is_flag=True, help="List every entry, not only those held.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def review(config_path: str, include_all: bool, as_json: bool) -> None:
    """List entries held for review, with reasons and suggested duplicates."""
    from sync.plan import signatory_json
    from sync.registry import load_registry
    from sync.review import held_entries

    config = _load(config_path)
    registry = load_registry(Path(config.get("registry", "path")))
    held = held_entries(registry.signatories, include_all)
    if as_json:
        click.echo(
            json.dumps(
                [{**signatory_json(h.entry), "suggestions": list(h.suggestions)} for h in held],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not held:
        click.echo("Nothing is held for review.")
        return
    for h in held:
        s = h.entry
        affiliation = f" ({s.affiliation})" if s.affiliation else ""
        click.echo(f"{s.id}  [{s.status}] {s.kind}: {s.name}{affiliation}")
        if s.typed and s.typed != s.name:
            click.echo(f"    typed: {s.typed}")
        for reason in filter(None, s.reason.split("; ")):
            click.echo(f"    why: {reason}")
        for flag in s.flags:
            click.echo(f"    flag: {flag}")
        for hint in h.suggestions:
            click.echo(f"    maybe: {hint}")
        if s.status == "pending":
            click.echo(f'    decide: signsync approve {s.id} | signsync reject {s.id} --reason "..."')


@cli.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def approve(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish held entries (ids or unique id prefixes)."""
    from sync.review import set_status

    _decide(config_path, lambda sigs, _: set_status(sigs, list(ids), "published"))


@cli.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
@click.option("--reason", required=True, help="Why (kept in the registry for the record).")
def reject(config_path: str, ids: tuple[str, ...], reason: str) -> None:
    """Reject entries, with a reason; they stay in the registry, off the page."""
    from sync.review import set_status

    _decide(config_path, lambda sigs, _: set_status(sigs, list(ids), "rejected", reason))


@cli.command()
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("into_id")
def merge(config_path: str, entry_id: str, into_id: str) -> None:
    """Merge ENTRY_ID into INTO_ID (the same signer twice); INTO_ID's name is kept."""
    from sync.review import merge as merge_entries

    _decide(config_path, lambda sigs, _: merge_entries(sigs, entry_id, into_id))


@cli.command()
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("name")
def rename(config_path: str, entry_id: str, name: str) -> None:
    """Set the name shown for ENTRY_ID; it sticks across runs (for example "bell hooks")."""
    from sync.review import rename as rename_entry

    _decide(config_path, lambda sigs, _: rename_entry(sigs, entry_id, name))


@cli.command("sort-as")
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("key")
def sort_as_command(config_path: str, entry_id: str, key: str) -> None:
    """Sort ENTRY_ID by KEY (its family name, say) where the rule gets it wrong; "" resets."""
    from sync.review import sort_as

    _decide(config_path, lambda sigs, _: sort_as(sigs, entry_id, key))


@cli.command()
@CONFIG_OPTION
@click.argument("who")
@click.option("--reason", default="withdrawn at the signer's request", show_default=True)
def withdraw(config_path: str, who: str, reason: str) -> None:
    """Remove a signer at their request, by id, email address or name. Permanent: a later
    response from the same email stays withdrawn until `signsync restore`."""
    from sync.plan import HASH_KEY_HINT
    from sync.review import withdraw as withdraw_entry

    def decide(sigs: tuple[Signatory, ...], config: Config) -> Decision:
        key = config.secret("SIGNSYNC_HASH_KEY", required=True, hint=HASH_KEY_HINT)
        assert key is not None
        return withdraw_entry(sigs, who, key, reason)

    _decide(config_path, decide)


@cli.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def restore(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish withdrawn or rejected entries again."""
    from sync.review import set_status

    _decide(config_path, lambda sigs, _: set_status(sigs, list(ids), "published"))
