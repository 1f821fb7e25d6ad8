"""`signsync plan`, `apply` and `restore-page`: preview, write, and put a page back."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sync.cli.common import CONFIG_OPTION, load, lock_wait
from sync.errors import ConfigError, SignsyncError

if TYPE_CHECKING:
    from sync.config import Config
    from sync.model import Plan
    from sync.operations.plan import PlanRun


@click.command()
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
    "--all", "everything", is_flag=True, help="List every entry and diff line (text lists a screenful each)."
)
@click.option(
    "--out-full",
    "out_full",
    type=click.Path(dir_okay=False),
    help="With --format markdown/html: also write the whole review to this file (the Markdown on "
    "stdout is summarised when it would not fit a pull request's 65,536 characters).",
)
@click.option(
    "--full-review-link",
    "full_link",
    help="A web address where the whole review can be read (e.g. the workflow run holding it), "
    "linked from a summarised review.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Read every response again, not only the new rows (the live sheet reads incrementally).",
)
def plan(
    config_path: str,
    as_json: bool,
    out_path: str | None,
    fmt: str,
    no_diff: bool,
    everything: bool,
    full: bool,
    out_full: str | None,
    full_link: str | None,
) -> None:
    """Show what would change: responses read, new, merged, held, rejected, and the diffs.

    Writes nothing (except the plan file with --out). Exit status: 0 nothing would change,
    2 changes pending, 1 error.
    """
    from sync.operations.plan import make_plan

    config = load(config_path)
    with _notifying(config) as done:
        the_plan = make_plan(config, full=full)
        done.append(the_plan)
        _warn_registry_size(config)
        _show_plan(config, the_plan, as_json, out_path, fmt, no_diff, out_full, full_link, everything)


def _show_plan(
    config: Config,
    the_plan: Plan,
    as_json: bool,
    out_path: str | None,
    fmt: str,
    no_diff: bool,
    out_full: str | None,
    full_link: str | None = None,
    everything: bool = False,
) -> None:
    from render.report import plan_text
    from sync.operations.plan_file import plan_json, save_plan

    if out_path:
        save_plan(the_plan, Path(out_path), config)
        click.echo(f"plan saved to {out_path}", err=True)
    if as_json:
        click.echo(json.dumps(plan_json(the_plan), ensure_ascii=False, indent=2))
        for w in the_plan.warnings:
            click.echo(f"warning: {w}", err=True)
    elif fmt != "text":
        from render.review_report import GITHUB_BODY_LIMIT, render_review
        from sync.operations.plan import page_style, review_basis
        from sync.support.files import atomic_write_text

        where = Path(out_full).name if out_full else "`signsync plan --format markdown --out-full FILE`"
        limit = GITHUB_BODY_LIMIT if fmt == "markdown" else None
        from dataclasses import replace as with_digest

        from sync.operations.pr_ticks import review_digest

        # The digest of the registry files on disk (all shards): what review-decisions compares.
        basis = with_digest(
            review_basis(the_plan, page_style(config)), registry_digest=review_digest(config.registry.path)
        )
        review = render_review(
            the_plan, basis, fmt, limit=limit, full_review=where, full_link=full_link or ""
        )
        if out_full:
            atomic_write_text(Path(out_full), render_review(the_plan, basis, fmt).text)
        if review.summarised:
            click.echo(
                f"the review was summarised to fit {limit} characters; whole review: {where}", err=True
            )
        click.echo(review.text, nl=False)
    else:
        click.echo(plan_text(the_plan, diff=not no_diff, everything=everything), nl=False)
    sys.exit(2 if the_plan.has_changes else 0)


@click.command()
@CONFIG_OPTION
@click.argument("planfile", required=False, type=click.Path(dir_okay=False))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for automation).")
@click.option("--force", is_flag=True, help="Replace the list even if it was edited by hand.")
@click.option("--full", is_flag=True, help="Without PLANFILE: read every response again.")
@click.option(
    "--no-email",
    is_flag=True,
    help="Do not email new signers their links now ([self_service]); `signsync email-signers` "
    "sends them later (a pull-request workflow: once the change is on the default branch).",
)
@click.option(
    "--hold-page",
    is_flag=True,
    help="With a page outside the repository (WordPress): write the registry and its state, not "
    "the page; `signsync publish` writes it once the review pull request is merged.",
)
def apply(
    config_path: str,
    planfile: str | None,
    yes: bool,
    force: bool,
    full: bool,
    no_email: bool,
    hold_page: bool,
) -> None:
    """Write a plan: the page, the registry and its state.

    With PLANFILE, write exactly that saved plan (refused if the registry or the page changed
    since). Without it, make a plan now, show it, and ask before writing (--yes to skip).
    Only one run at a time works on a registry: apply waits up to SIGNSYNC_LOCK_WAIT seconds
    (default 30) for another one to finish.
    """
    from render.report import plan_text
    from sync.operations.apply import apply_plan
    from sync.operations.plan import PlanRun, make_run
    from sync.operations.plan_file import check_plan_inputs, load_plan
    from sync.support.files import run_lock

    config = load(config_path)
    with _notifying(config) as done, run_lock(config.registry.path, lock_wait()):
        if planfile:
            run = PlanRun(load_plan(Path(planfile)))
            check_plan_inputs(config, run.plan, planfile)
        else:
            # Notifications read the whole registry off the plan; without them apply need not.
            run = make_run(config, full=full, lean=not config.notify.urls)
            click.echo(plan_text(run.plan), nl=False, err=True)
            if not run.plan.has_changes:
                done.append(run.plan)
                _email_signers(config, run, no_email)
                return
            if not yes and not click.confirm("Apply these changes?", err=True):
                click.echo("Nothing written.", err=True)
                sys.exit(1)
        if not run.plan.has_changes:
            click.echo("Nothing to change.", err=True)
            done.append(run.plan)
            _email_signers(config, run, no_email)
            return
        for note in apply_plan(
            config, run.plan, force=force, cache_update=run.cache_update, hold_page=hold_page
        ):
            click.echo(note, err=True)
        if hold_page and config.publish.target != "file":
            click.echo("the page waits: `signsync publish` writes it once the review is merged", err=True)
        done.append(run.plan)
        _email_signers(config, run, no_email)
    _warn_registry_size(config)


@click.command()
@CONFIG_OPTION
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for automation).")
@click.option("--force", is_flag=True, help="Replace the list even if it was edited by hand.")
def publish(config_path: str, yes: bool, force: bool) -> None:
    """Write the page as the registry has it, reading no response: the second half of review
    first (a workflow runs it when the review pull request is merged into the default branch).
    Only what the merged registry holds is published; responses that arrived since wait for the
    next review."""
    from render.report import plan_text
    from sync.operations.apply import apply_plan
    from sync.operations.plan import make_run
    from sync.support.files import run_lock

    config = load(config_path)
    with _notifying(config) as done, run_lock(config.registry.path, lock_wait()):
        run = make_run(config, registry_only=True)
        click.echo(plan_text(run.plan), nl=False, err=True)
        if not run.plan.has_changes:
            done.append(run.plan)
            return
        if not yes and not click.confirm("Publish these changes?", err=True):
            click.echo("Nothing written.", err=True)
            sys.exit(1)
        for note in apply_plan(config, run.plan, force=force, cache_update=run.cache_update):
            click.echo(note, err=True)
        done.append(run.plan)


def _email_signers(config: Config, run: PlanRun, no_email: bool = False) -> None:
    """After the registry is written: email the new signers their links ([self_service]).
    A mail problem is a warning; the signatures already went ahead under the policy."""
    if config.self_service is None or no_email:
        return
    from sync.operations.self_service import send_after_apply

    for line in send_after_apply(config, run.mail):
        click.echo(line, err=True)


def _warn_registry_size(config: Config) -> None:
    from sync.store.registry import size_warnings

    for w in size_warnings(config.registry.path):
        click.echo(f"warning: {w}", err=True)


@contextmanager
def _notifying(config: Config) -> Iterator[list[Plan]]:
    """Around a run: afterwards, send the [notify] messages it calls for (entries newly held,
    a failure, a recovery, the daily digest). The run appends its plan once it has worked."""
    done: list[Plan] = []
    try:
        yield done
    except SignsyncError as exc:
        _notify(config, None, str(exc))
        raise
    except SystemExit:
        if done:
            _notify(config, done[0], None)
        raise
    if done:
        _notify(config, done[0], None)


def _notify(config: Config, the_plan: Plan | None, error: str | None) -> None:
    """Send what this run calls for; a failure to send is one warning line, never an error."""
    if not config.notify.urls:
        return
    from sync.operations.notify import notify_after_run

    for warning in notify_after_run(config, the_plan, error):
        click.echo(warning, err=True)


@click.command("email-signers")
@CONFIG_OPTION
def email_signers(config_path: str) -> None:
    """Email the new signers waiting for their links ([self_service]), within the caps: what
    `apply` does after writing, for a workflow that applies with --no-email (on a pull-request
    branch) and sends once the change is on the default branch. Commit
    signatories.mail-sent.json afterwards: it records who was sent their email."""
    from sync.support.files import run_lock

    config = load(config_path)
    if config.self_service is None or not config.self_service.smtp_host:
        raise ConfigError(
            f"{config.path}: [self_service] with smtp_host is needed to email signers (docs/self-service.md)"
        )
    from sync.operations.self_service import send_after_apply

    with run_lock(config.registry.path, lock_wait()):
        lines = send_after_apply(config, None)
    for line in lines or ["No signer waits for an email."]:
        click.echo(line, err=True)


@click.command("restore-page")
@CONFIG_OPTION
@click.argument("backup", type=click.Path(dir_okay=False))
def restore_page(config_path: str, backup: str) -> None:
    """Put the page back as BACKUP holds it (a file `apply` saved before it first wrote to the
    page, named in its output). Refused if the page is being edited at that moment; the page
    as it was before the restore is backed up too."""
    from sync.operations.restore_page import restore_page as restore
    from sync.support.files import run_lock

    config = load(config_path)
    with run_lock(config.registry.path, lock_wait()):
        for note in restore(config, Path(backup)):
            click.echo(note, err=True)
