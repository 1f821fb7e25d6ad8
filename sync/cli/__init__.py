"""The `signsync` command line: parse options, call the core, turn errors into one line.

Exit status: 0 done / nothing would change, 1 error, 2 (`plan`) changes pending, 64 a usage
error (an unknown option or command: never 2, which a workflow reads as "changes pending").
"""

from __future__ import annotations

import gc
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sync import __version__
from sync.config import DEFAULT_CONFIG, Config, load_config
from sync.errors import ConfigError, SignsyncError
from sync.model import Plan, Signatory
from sync.operations.editor import Decision, Held
from sync.support.files import LOCK_WAIT_SECONDS

if TYPE_CHECKING:
    from sync.store.privacy import Sealer

CONFIG_OPTION = click.option(
    "--config",
    "-c",
    "config_path",
    default=DEFAULT_CONFIG,
    show_default=True,
    type=click.Path(),  # a folder or a missing file: load_config says so in one line
    help="The configuration file.",
)


def _load(config_path: str) -> Config:
    return load_config(Path(config_path))


def _now() -> str:
    """The time an editor's decision is recorded with (UTC, to the second)."""
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _lock_wait() -> float:
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="signsync")
def cli() -> None:
    """Keep a statement page's list of signatories in step with its Google Form.

    \b
    Typical use:
      signsync init responses.csv --page statement.html   # set up, once
      signsync plan            # what would change, and why (nothing is written)
      signsync plan --out p.json && signsync apply p.json
      signsync apply --yes     # plan and apply at once (for cron / CI)
    """
    from sync.settings import check_environment

    for warning in check_environment(os.environ):
        click.echo(f"warning: {warning}", err=True)


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

    config = _load(config_path)
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
    from sync.operations.plan import plan_json, save_plan

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

        from sync.operations.pr_ticks import registry_digest

        # The digest of the registry files on disk (all shards): what review-decisions compares.
        basis = with_digest(
            review_basis(the_plan, page_style(config)), registry_digest=registry_digest(config.registry.path)
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


@cli.command()
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
    from sync.operations.plan import apply_plan, check_plan_inputs, load_plan, make_plan
    from sync.support.files import run_lock

    config = _load(config_path)
    with _notifying(config) as done, run_lock(config.registry.path, _lock_wait()):
        if planfile:
            the_plan = load_plan(Path(planfile))
            check_plan_inputs(config, the_plan, planfile)
        else:
            # Notifications read the whole registry off the plan; without them apply need not.
            the_plan = make_plan(config, full=full, lean=not config.notify.urls)
            click.echo(plan_text(the_plan), nl=False, err=True)
            if not the_plan.has_changes:
                done.append(the_plan)
                _email_signers(config, the_plan, no_email)
                return
            if not yes and not click.confirm("Apply these changes?", err=True):
                click.echo("Nothing written.", err=True)
                sys.exit(1)
        if not the_plan.has_changes:
            click.echo("Nothing to change.", err=True)
            done.append(the_plan)
            _email_signers(config, the_plan, no_email)
            return
        for note in apply_plan(config, the_plan, force=force, hold_page=hold_page):
            click.echo(note, err=True)
        if hold_page and config.publish.target != "file":
            click.echo("the page waits: `signsync publish` writes it once the review is merged", err=True)
        done.append(the_plan)
        _email_signers(config, the_plan, no_email)
    _warn_registry_size(config)


@cli.command()
@CONFIG_OPTION
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for automation).")
@click.option("--force", is_flag=True, help="Replace the list even if it was edited by hand.")
def publish(config_path: str, yes: bool, force: bool) -> None:
    """Write the page as the registry has it, reading no response: the second half of review
    first (a workflow runs it when the review pull request is merged into the default branch).
    Only what the merged registry holds is published; responses that arrived since wait for the
    next review."""
    from render.report import plan_text
    from sync.operations.plan import apply_plan, make_plan
    from sync.support.files import run_lock

    config = _load(config_path)
    with _notifying(config) as done, run_lock(config.registry.path, _lock_wait()):
        the_plan = make_plan(config, registry_only=True)
        click.echo(plan_text(the_plan), nl=False, err=True)
        if not the_plan.has_changes:
            done.append(the_plan)
            return
        if not yes and not click.confirm("Publish these changes?", err=True):
            click.echo("Nothing written.", err=True)
            sys.exit(1)
        for note in apply_plan(config, the_plan, force=force):
            click.echo(note, err=True)
        done.append(the_plan)


def _email_signers(config: Config, the_plan: Plan | None, no_email: bool = False) -> None:
    """After the registry is written: email the new signers their links ([self_service]).
    A mail problem is a warning; the signatures already went ahead under the policy."""
    if config.self_service is None or no_email:
        return
    from sync.operations.self_service import send_after_apply

    for line in send_after_apply(config, the_plan.mail if the_plan else None):
        click.echo(line, err=True)


@cli.command("email-signers")
@CONFIG_OPTION
def email_signers(config_path: str) -> None:
    """Email the new signers waiting for their links ([self_service]), within the caps: what
    `apply` does after writing, for a workflow that applies with --no-email (on a pull-request
    branch) and sends once the change is on the default branch. Commit
    signatories.mail-sent.json afterwards: it records who was sent their email."""
    from sync.support.files import run_lock

    config = _load(config_path)
    if config.self_service is None or not config.self_service.smtp_host:
        raise ConfigError(
            f"{config.path}: [self_service] with smtp_host is needed to email signers (docs/self-service.md)"
        )
    from sync.operations.self_service import send_after_apply

    with run_lock(config.registry.path, _lock_wait()):
        lines = send_after_apply(config, None)
    for line in lines or ["No signer waits for an email."]:
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
    from datetime import UTC, datetime

    from sync.operations.notify import load_status, notices_after_run, send, status_path
    from sync.support.files import atomic_write_text

    path = status_path(config.registry.path)
    status = load_status(path)
    notices, new_status = notices_after_run(
        status,
        config.base_dir.name,
        plan=the_plan,
        error=error,
        today=datetime.now(UTC).date(),
        digest=config.notify.digest == "daily",
        promise_hours=config.notify.promise_hours,
    )
    warning = send(config.notify.urls, notices) if notices else None
    if warning:
        click.echo(warning, err=True)  # not recorded: the next run tries again
        return
    if new_status != status:
        try:
            atomic_write_text(path, json.dumps(new_status, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            click.echo(f"warning: cannot record the notifications sent in {path}: {exc.strerror}", err=True)


@cli.command("restore-page")
@CONFIG_OPTION
@click.argument("backup", type=click.Path(dir_okay=False))
def restore_page(config_path: str, backup: str) -> None:
    """Put the page back as BACKUP holds it (a file `apply` saved before it first wrote to the
    page, named in its output). Refused if the page is being edited at that moment; the page
    as it was before the restore is backed up too."""
    from sync.operations.restore_page import restore_page as restore
    from sync.support.files import run_lock

    config = _load(config_path)
    with run_lock(config.registry.path, _lock_wait()):
        for note in restore(config, Path(backup)):
            click.echo(note, err=True)


USAGE_EXIT = 64  # EX_USAGE: click's own 2 would read as "changes pending" in a workflow
BUG_REPORTS = "the project's issue tracker (docs/reliability.md: Reporting a bug)"
BUG_MARKER_VAR = "SIGNSYNC_BUG_MARKER"  # tests: the last resort appends its line to this file


def run(args: list[str] | None = None) -> int:
    """Run the CLI with `args` (default: sys.argv) and return the exit status. Every expected
    failure is one line `Error: ...`; Ctrl-C is `Interrupted` and 130; anything else is a bug,
    reported in one line with where to report it (the traceback only with SIGNSYNC_DEBUG=1)."""
    try:
        cli.main(args=args, prog_name="signsync", standalone_mode=False)
    except SignsyncError as exc:
        click.echo(f"Error: {_one_line(str(exc))}", err=True)
        return 1
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            return _interrupted()
        click.echo(
            "Aborted: no answer to the question (no terminal to answer it?): pass --yes to apply "
            "without being asked, as a scheduled job does; nothing written.",
            err=True,
        )
        return 1
    except click.UsageError as exc:
        exc.show()
        return USAGE_EXIT
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except OSError as exc:
        # A file or device problem that no edge turned into its own message yet.
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(
            f"Error: {where}{exc.strerror or exc}: check that the path exists and that this user "
            "may read and write it",
            err=True,
        )
        return 1
    except Exception as exc:  # the last resort: a bug, never an expected failure
        return _bug(exc)
    return 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _interrupted() -> int:
    click.echo("Interrupted: nothing half-written (each file is replaced whole or not at all).", err=True)
    return 130


def _bug(exc: BaseException) -> int:
    line = (
        f"Error: this is a bug in signsync ({type(exc).__name__}: {_one_line(str(exc))[:300]}); "
        f"please report it on {BUG_REPORTS} with the command you ran (SIGNSYNC_DEBUG=1 shows the details)"
    )
    click.echo(line, err=True)
    if os.environ.get("SIGNSYNC_DEBUG") == "1":
        import traceback

        traceback.print_exception(exc)
    marker = os.environ.get(BUG_MARKER_VAR)
    if marker:
        import contextlib

        with contextlib.suppress(OSError), open(marker, "a", encoding="utf-8") as fh:
            fh.write(f"{sys.argv!r} {os.getcwd()}: {line}\n")
    return 1


def main() -> None:
    """Entry point: run the CLI; expected failures print `Error: ...` and exit 1."""
    # A short-lived run that builds large, acyclic structures (a registry of 100k entries is
    # ~1M objects): the cyclic collector's full passes cost a third of the time and free nothing.
    gc.disable()
    from sync.support import progress

    with progress.run():
        code = run()
    sys.exit(code)


@cli.command()
@CONFIG_OPTION
def doctor(config_path: str) -> None:
    """Check the set-up, step by step, and say how to fix what fails: the config, the hash key,
    the Google credentials and access to the sheet, the column mapping, and the page.

    Exit status 0 only when everything works.
    """
    from sync.operations.doctor import run_checks

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


def _decide(
    config_path: str,
    decide: Callable[[tuple[Signatory, ...], Config], Decision],
    *,
    may_create: bool = False,
) -> None:
    """Load the registry under the lock, apply one editor's decision, write it back.
    `may_create`: the decision may start a registry (an initial list added before any apply)."""
    from sync.store.registry import check_registry_files, load_registry, write_registry
    from sync.support.files import check_writable, interrupts_deferred, run_lock

    config = _load(config_path)
    path = config.registry.path
    with run_lock(path, _lock_wait()):
        registry = load_registry(path)
        check_registry_files(path, registry.state)
        if not registry.exists and not may_create:
            raise SignsyncError(f"no registry at {path} yet: run `signsync apply` first")
        decision = decide(registry.signatories, config)
        unchanged = decision.signatories == registry.signatories and registry.exists
        if not unchanged:
            from sync.operations.undo import remember_after, remember_before

            check_writable(path, "[registry] path")
            before = remember_before(path)
            with interrupts_deferred():
                write_registry(registry, _sealed(config, decision.signatories), config.registry.shard_rows)
                remember_after(path, before, _command_line())
    for message in decision.messages:
        click.echo(message, err=True)
    if unchanged:
        click.echo("Nothing changed: the registry already says so (no file written).", err=True)
        return
    click.echo(
        "Registry updated; `signsync plan` shows the page change, `signsync apply` publishes it.", err=True
    )


def _command_line() -> str:
    """The editor's command as typed, for `signsync undo` to name ("signsync merge a b")."""
    ctx = click.get_current_context()
    return " ".join(["signsync", ctx.info_name or "", *sys.argv[2:]]).strip()


@cli.command()
@CONFIG_OPTION
def undo(config_path: str) -> None:
    """Undo the last editor's command (approve, reject, merge, withdraw, add, ...): the registry
    goes back to what it was before it. Refused when the registry changed since (an apply, another
    command): git then holds the earlier versions."""
    from sync.operations.undo import undo_last
    from sync.support.files import run_lock

    config = _load(config_path)
    with run_lock(config.registry.path, _lock_wait()):
        command = undo_last(config.registry.path)
    click.echo(
        f"Undid `{command}`: the registry is as it was before it; `signsync plan` shows the page change.",
        err=True,
    )


def sealer_of(config: Config) -> Sealer:
    """The sealer of the registry's private column (SIGNSYNC_PRIVATE_KEY, sync/store/privacy.py)."""
    from sync.store.privacy import sealer_of as make

    return make(config)


def _sealed(config: Config, signatories: Sequence[Signatory]) -> list[Signatory]:
    """The entries as the registry may hold them: anyone kept private sealed (their text in the
    private column with SIGNSYNC_PRIVATE_KEY, else dropped)."""
    from sync.store.privacy import has_private_text

    if not any(has_private_text(s) for s in signatories):
        return list(signatories)
    sealer = sealer_of(config)
    return [sealer.seal(s) if has_private_text(s) else s for s in signatories]


@cli.command()
@CONFIG_OPTION
@click.option("--all", "include_all", is_flag=True, help="List every entry, not only those held.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
@click.option(
    "--private",
    "show_private",
    is_flag=True,
    help="Also list the entries kept private (no yes to publication, revoked, withdrawn, erased) with "
    "their names and why each was held, read with SIGNSYNC_PRIVATE_KEY. For your terminal only: never "
    "in a workflow log.",
)
def review(config_path: str, include_all: bool, as_json: bool, show_private: bool) -> None:
    """List entries held for review, with reasons and suggested duplicates, and published
    entries with a note (a namesake or a similar name at another address). Entries kept private
    are counted, not named (--private names them, where the key is)."""
    from sync.errors import ConfigError
    from sync.operations.editor import held_entries
    from sync.operations.plan import signatory_json
    from sync.store.privacy import PRIVATE_KEY_HINT, PRIVATE_KEY_VAR
    from sync.store.registry import load_registry

    config = _load(config_path)
    registry = load_registry(config.registry.path)
    sealer = sealer_of(config)
    if show_private and not sealer.has_key:
        raise ConfigError(
            f"{PRIVATE_KEY_VAR} is not set: --private reads the private column with it ({PRIVATE_KEY_HINT})"
        )
    public = tuple(s for s in registry.signatories if not s.sealed)
    held = held_entries(public, include_all)
    private = [s for s in registry.signatories if s.sealed]
    if as_json:
        doc = [{**signatory_json(h.entry), "suggestions": list(h.suggestions)} for h in held]
        if show_private:
            doc += [_private_json(s, sealer) for s in private]
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    if not held and not private:
        click.echo("Nothing is held for review.")
        return
    for h in held:
        _show_held(h, config)
    if private and not show_private:
        click.echo(
            f"{len(private)} entries are kept private (no yes to publication, revoked, withdrawn or erased): "
            "not named here; `signsync review --private` shows them where SIGNSYNC_PRIVATE_KEY is set"
        )
    for s in private if show_private else []:
        _show_private(s, sealer)


def _show_held(h: Held, config: Config) -> None:
    """One entry of `signsync review`: what it is, why it waits, and how to decide it."""
    from sync.operations.self_service.actions import confirmation_text

    s = h.entry
    affiliation = f" ({s.affiliation})" if s.affiliation else ""
    click.echo(f"{s.id}  [{s.status}] {s.kind}: {s.name}{affiliation}")
    if s.typed and s.typed != s.name:
        click.echo(f"    typed: {s.typed}")
    label = "note" if s.status == "published" else "why"
    for reason in filter(None, s.reason.split("; ")):
        click.echo(f"    {label}: {reason}")
    for flag in s.flags:
        click.echo(f"    flag: {flag}")
    if s.note:
        click.echo(f"    note: {s.note}")
    if config.self_service is not None or s.confirmed:
        click.echo(f"    signer: {confirmation_text(s)}")
    if s.pin:
        click.echo(f"    pinned: {s.pin} (signsync unpin {s.id})")
    for hint in h.suggestions:
        click.echo(f"    maybe: {hint}")
    if s.status == "pending":
        click.echo(f'    decide: signsync approve {s.id} | signsync reject {s.id} --reason "..."')
    elif s.status == "published" and s.reason and not s.decided:
        click.echo(
            f"    settle: signsync approve {s.id} (a different person) | signsync merge ... (the same)"
        )


def _private_json(s: Signatory, sealer: Any) -> dict[str, Any]:
    from sync.operations.plan import signatory_json

    doc = sealer.open(s) or {}
    return {
        **signatory_json(s),
        "consent": s.consent,
        "name": doc.get("name", ""),
        "affiliation": doc.get("affiliation", ""),
        "typed": doc.get("typed", ""),
        "reasons": sealer.reasons(s),
        "note": doc.get("note", ""),
    }


def _show_private(s: Signatory, sealer: Any) -> None:
    """One entry kept private, opened with the key (an editor's own terminal)."""
    doc = sealer.open(s) or {}
    name = str(doc.get("name", "")) or "(no name kept)"
    affiliation = f" ({doc['affiliation']})" if doc.get("affiliation") else ""
    click.echo(f"{s.id}  [{s.status}, {s.consent}] {s.kind}: {name}{affiliation}")
    if doc.get("typed") and doc.get("typed") != doc.get("name"):
        click.echo(f"    typed: {doc['typed']}")
    for reason in sealer.reasons(s):
        click.echo(f"    why: {reason}")
    if doc.get("note"):
        click.echo(f"    note: {doc['note']}")
    if not s.private:
        click.echo("    (no private text kept: only hashes)")
    if s.consent == "renewed":
        click.echo(f"    decide: signsync restore {s.id} (the signer's latest answer is a yes)")


@cli.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def approve(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish held entries (ids or unique id prefixes). A withdrawn entry is refused:
    only `signsync restore` publishes it again."""
    from sync.operations.editor import set_status

    when = _now()
    _decide(
        config_path,
        lambda sigs, config: set_status(sigs, list(ids), "published", when=when, sealer=sealer_of(config)),
    )


@cli.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
@click.option(
    "--reason", required=True, help="Why (kept in the registry; an empty one keeps the earlier reason)."
)
def reject(config_path: str, ids: tuple[str, ...], reason: str) -> None:
    """Reject entries, with a reason; they stay in the registry, off the page."""
    from sync.operations.editor import set_status

    when = _now()
    _decide(config_path, lambda sigs, _: set_status(sigs, list(ids), "rejected", reason, when=when))


@cli.command()
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("into_id")
@click.option("--yes", "-y", is_flag=True, help="Merge even when it takes a published signer off the page.")
def merge(config_path: str, entry_id: str, into_id: str, yes: bool) -> None:
    """Merge ENTRY_ID into INTO_ID (the same signer twice); INTO_ID's name is kept, and the
    stricter status of the two (a withdrawn or rejected entry is never published by a merge; a
    duplicate held for review joins a published entry as published). A merge of two published
    entries, one that takes a published signer off the page, or of names with no word in common
    is shown first and needs --yes. `signsync undo` takes back the last command."""
    from sync.operations.editor import merge as merge_entries
    from sync.operations.editor import merge_risks

    when = _now()

    def decide(sigs: tuple[Signatory, ...], config: Config) -> Decision:
        risks = merge_risks(sigs, entry_id, into_id)
        if risks and not yes:
            raise SignsyncError(
                f"merging {entry_id} into {into_id}: {'; '.join(risks)}: if that is meant, run it again "
                "with --yes (nothing written)"
            )
        return merge_entries(sigs, entry_id, into_id, when=when, sealer=sealer_of(config))

    _decide(config_path, decide)


@cli.command()
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("name")
def rename(config_path: str, entry_id: str, name: str) -> None:
    """Set the name shown for ENTRY_ID; it sticks across runs (for example "bell hooks")."""
    from sync.operations.editor import rename as rename_entry

    when = _now()
    _decide(config_path, lambda sigs, _: rename_entry(sigs, entry_id, name, when=when))


@cli.command("sort-as")
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("key")
def sort_as_command(config_path: str, entry_id: str, key: str) -> None:
    """Sort ENTRY_ID by KEY (its family name, say) where the rule gets it wrong; "" resets."""
    from sync.operations.editor import sort_as

    _decide(config_path, lambda sigs, _: sort_as(sigs, entry_id, key))


@cli.command()
@CONFIG_OPTION
@click.argument("who")
@click.option("--reason", default="", help="Why (default: withdrawn at the signer's request).")
@click.option("--yes", "-y", is_flag=True, help="Withdraw every entry of an address several share.")
def withdraw(config_path: str, who: str, reason: str, yes: bool) -> None:
    """Remove a signer at their request, by id, email address or name. Permanent: a later
    response from the same email stays withdrawn until `signsync restore`."""
    from sync.operations.editor import withdraw as withdraw_entry
    from sync.operations.plan import check_hash_key
    from sync.store.registry import load_registry

    when = _now()

    def decide(sigs: tuple[Signatory, ...], config: Config) -> Decision:
        registry = load_registry(config.registry.path)
        check_hash_key(config.hash_key, registry.state, registry.state_path)
        return withdraw_entry(sigs, who, config.hash_key, reason, when=when, shared_ok=yes)

    _decide(config_path, decide)


@cli.command()
@CONFIG_OPTION
@click.argument("who")
def erase(config_path: str, who: str) -> None:
    """Erase a signer at their request (by email address or id): their name, affiliation and
    everything they typed leave every file signsync keeps (registry, cache, page backups, the
    page and the data file). Only keyed hashes stay, so that a later response from them is held,
    never published. Says which sheet or CSV rows still hold them. Safe to run again."""
    from sync.operations.erase import erase as erase_person
    from sync.operations.erase import history_advice, source_rows
    from sync.operations.plan import apply_plan, check_hash_key, make_plan
    from sync.store.registry import load_registry
    from sync.support.files import interrupts_deferred, run_lock

    config = _load(config_path)
    path = config.registry.path
    with run_lock(path, _lock_wait()):
        registry = load_registry(path)
        if not registry.exists:
            raise SignsyncError(f"no registry at {path} yet: nothing to erase")
        check_hash_key(config.hash_key, registry.state, registry.state_path)
        with interrupts_deferred():
            done = erase_person(config, registry, who, _now())
        for line in done.lines:
            click.echo(line, err=True)
        # The page and the data file, re-rendered from the registry now without them.
        the_plan = make_plan(config)
        published = [f for f in the_plan.files if f.role in ("page", "data") and f.changed]
        if published:
            for note in apply_plan(config, the_plan):
                click.echo(note, err=True)
    for line in source_rows(config, done.erased) + history_advice(config):
        click.echo(line, err=True)


@cli.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def restore(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish rejected entries again, or a withdrawn signer who has since answered yes again
    (the only command that undoes a withdrawal; it reads their name with SIGNSYNC_PRIVATE_KEY)."""
    from sync.operations.editor import set_status

    when = _now()
    _decide(
        config_path,
        lambda sigs, config: set_status(
            sigs, list(ids), "published", action="restore", when=when, sealer=sealer_of(config)
        ),
    )


@cli.command()
@CONFIG_OPTION
@click.option(
    "--drop-unmatched",
    is_flag=True,
    help="Drop hashes whose source rows are gone (otherwise rekey refuses and changes nothing).",
)
def rekey(config_path: str, drop_unmatched: bool) -> None:
    """Move the registry to a new SIGNSYNC_HASH_KEY, for a key that leaked: set the new key as
    SIGNSYNC_HASH_KEY and the old one as SIGNSYNC_OLD_HASH_KEY. Every hash is recomputed from
    the source rows; names, ids and the page do not change."""
    from sync.operations.rekey import OLD_KEY_VAR
    from sync.operations.rekey import rekey as rekey_registry
    from sync.support.files import run_lock

    config = _load(config_path)
    new_key = config.hash_key
    old_key = config.secret(OLD_KEY_VAR, required=True, hint="the key used until now")
    assert old_key is not None
    with run_lock(config.registry.path, _lock_wait()):
        done = rekey_registry(config, old_key, new_key, drop_unmatched=drop_unmatched)
    click.echo(
        f"Rekeyed {done.entries} entries ({done.responses} response and {done.emails} email hashes"
        + (f"; {done.dropped} dropped" if done.dropped else "")
        + f"). Now remove {OLD_KEY_VAR} and keep the new SIGNSYNC_HASH_KEY.",
        err=True,
    )


@cli.command()
@CONFIG_OPTION
def reshard(config_path: str) -> None:
    """Lay the registry out again in files of [registry] shard_rows entries each (for a registry
    made before shards existed, or after lowering shard_rows). Entries and the page do not change.
    Safe to interrupt: run it again to finish."""
    from sync.operations.reshard import reshard as reshard_registry
    from sync.support.files import run_lock

    config = _load(config_path)
    with run_lock(config.registry.path, _lock_wait()):
        done = reshard_registry(config.registry.path, config.registry.shard_rows)
    if not done.written and not done.removed:
        click.echo(
            f"Nothing to do: {done.entries} entries are already in {done.files} file(s) of at most "
            f"{config.registry.shard_rows} entries.",
            err=True,
        )
        return
    click.echo(
        ("Finished an interrupted reshard: " if done.resumed else "Resharded: ")
        + f"{done.entries} entries in {done.files} file(s) of at most {config.registry.shard_rows} "
        f"(largest {done.largest_bytes / 1e6:.1f} MB); wrote {len(done.written)}"
        + (f", removed {len(done.removed)}" if done.removed else "")
        + ". Commit the registry files together.",
        err=True,
    )


# --- setting up a statement ----------------------------------------------------------------


class _Prompts:
    """`signsync init` at a terminal: ask with click's prompts (on stderr)."""

    def choose(self, question: str, options: Sequence[str], flag: str) -> int:
        click.echo(question, err=True)
        for n, option in enumerate(options, 1):
            click.echo(f"  {n}) {option}", err=True)
        pick: int = click.prompt("Number", type=click.IntRange(1, len(options)), err=True)
        return pick - 1

    def confirm(self, question: str, flag: str) -> bool:
        return click.confirm(question, default=False, err=True)

    def text(self, question: str, flag: str) -> str:
        answer: str = click.prompt(question, default="", show_default=False, err=True)
        return answer


class _NoPrompts:
    """`signsync init` in CI: what would be asked is a one-line error naming the flag."""

    def choose(self, question: str, options: Sequence[str], flag: str) -> int:
        from sync.operations.init import SetupError

        columns = ", ".join(repr(o) for o in options if not o.startswith("none of these"))
        raise SetupError(f'{question.rstrip("?.")}: {columns}: pass {flag} "HEADER" to say which')

    def confirm(self, question: str, flag: str) -> bool:
        return False

    def text(self, question: str, flag: str) -> str:
        return ""


@cli.command()
@click.argument("source")
@click.option(
    "--config", "-c", "config_path", default=DEFAULT_CONFIG, show_default=True,
    type=click.Path(dir_okay=False), help="The configuration file to write.",
)  # fmt: skip
@click.option("--page", type=click.Path(dir_okay=False), help="The statement's page (HTML or Markdown).")
@click.option(
    "--after", help='Put the markers after the page\'s line holding this text, e.g. "<h2>Signatories</h2>".'
)
@click.option("--line", type=int, help="Put the markers before this line of the page (1 = first).")
@click.option("--timestamp-column", help="The header of the timestamp column.")
@click.option("--email-column", help='The header of the email column ("none": not asked).')
@click.option("--name-column", help="The header of the name question.")
@click.option(
    "--affiliation-column", help='The header of the title/organization question ("none": not asked).'
)
@click.option("--kind-column", help='The header of the "signing as" question ("none": not asked).')
@click.option("--consent-column", help='The header of the consent question ("none": not asked).')
@click.option("--consent-yes", multiple=True, help="A consent answer that means yes (repeat for several).")
@click.option("--worksheet", help="With a sheet URL: the tab to read (default: the form's responses tab).")
@click.option("--language", help="The list's language, e.g. \"es\" (default: the page's <html lang>).")
@click.option("--api-endpoint", hidden=True, help="The Sheets API address (a test emulator).")
@click.option("--force", is_flag=True, help="Replace an existing config (kept as .bak).")
@click.option(
    "--interactive/--no-interactive", default=None,
    help="Ask questions (default: when stdin is a terminal); without, a choice the data cannot "
    "settle is an error naming the flag to pass.",
)  # fmt: skip
def init(
    source: str,
    config_path: str,
    page: str | None,
    after: str | None,
    line: int | None,
    consent_yes: tuple[str, ...],
    worksheet: str | None,
    language: str | None,
    api_endpoint: str | None,
    force: bool,
    interactive: bool | None,
    **column_flags: str | None,
) -> None:
    """Set up a statement from its form: SOURCE is the responses CSV (Sheets: File > Download >
    CSV) or the response sheet's URL (once Google credentials are set, see docs/google-sheet.md).

    Maps the columns by meaning, finds the consent answers that mean yes, writes a commented
    signsync.toml, makes SIGNSYNC_HASH_KEY in .env (never replacing one), adds .env to .gitignore
    in a git repository, puts the marker pair into the page, and runs `signsync doctor`.
    """
    from sync.operations.init import InitOptions, run_init

    if interactive is None:
        interactive = sys.stdin.isatty()
    columns = {k.removesuffix("_column"): v for k, v in column_flags.items() if v is not None}
    opts = InitOptions(
        source=source,
        config=Path(config_path).absolute(),
        page=Path(page).absolute() if page else None,
        after=after,
        line=line,
        columns=columns,
        consent_yes=consent_yes,
        worksheet=worksheet,
        api_endpoint=api_endpoint,
        force=force,
        language=language,
    )
    for message in run_init(opts, _Prompts() if interactive else _NoPrompts()):
        click.echo(message, err=True)
    click.echo("\nsignsync doctor:", err=True)
    ctx = click.get_current_context()
    ctx.invoke(doctor, config_path=config_path)
    click.echo(f"Next: `signsync plan --config {config_path}` shows what would be published.", err=True)


@cli.command("init-self-service")
@CONFIG_OPTION
@click.argument("link")
def init_self_service(config_path: str, link: str) -> None:
    """Set up self-service (signers confirm, correct and withdraw their own signature) from
    LINK, the second form's pre-filled link: in its editor, More > "Get pre-filled link", answer
    token, any action option, name, affiliation, press "Get link" (docs/self-service.md).

    Writes the form's address and its questions' entry ids into [self_service]; `signsync
    doctor` then checks the second form's columns and the SMTP login."""
    from sync.config import SCHEMA
    from sync.operations.self_service.setup import read_prefilled_link, with_self_service
    from sync.support.files import atomic_write_text, read_text

    path = Path(config_path)
    text = read_text(path, "the config file", f"no config file at {path}: run `signsync init` first")
    answers = tuple(SCHEMA["self_service"][f"{a}_answer"].default for a in ("confirm", "correct", "withdraw"))
    form = read_prefilled_link(link, answers)
    atomic_write_text(path, with_self_service(text, form))
    found = ", ".join(f"{f} = {e}" for f, e in form.entries.items())
    click.echo(f"[self_service] in {path}: form_url = {form.form_url}; {found}", err=True)
    if form.action_answer and form.action_answer not in answers:
        click.echo(
            f"note: the action option '{form.action_answer}' is not one of {', '.join(answers)}: set "
            "confirm_answer, correct_answer and withdraw_answer to the form's three options",
            err=True,
        )
    click.echo(
        "Next: set where its responses are (source, spreadsheet or path) and the SMTP server "
        "(smtp_host; SIGNSYNC_SMTP_USER and SIGNSYNC_SMTP_PASSWORD in .env).",
        err=True,
    )


@cli.command("review-decisions")
@CONFIG_OPTION
@click.option(
    "--event", "event_path", required=True, type=click.Path(dir_okay=False),
    help="The pull request event (in a workflow: \"$GITHUB_EVENT_PATH\").",
)  # fmt: skip
@click.option(
    "--permission", default="", help="The editor's permission on the repository, from GitHub's API "
    "(gh api repos/OWNER/REPO/collaborators/LOGIN/permission --jq .permission).",
)  # fmt: skip
@click.option(
    "--branch", default="signsync/update", show_default=True, help="signsync's pull request branch."
)
@click.option(
    "--commit-message", "message_path", type=click.Path(dir_okay=False), help="Write the commit message here."
)
def review_decisions(
    config_path: str, event_path: str, permission: str, branch: str, message_path: str | None
) -> None:
    """Record the boxes an editor ticked in the review pull request (publish / keep off) in the
    default branch's registry. Prints `decided=true|false` and `editor=LOGIN` for $GITHUB_OUTPUT.

    Does nothing (decided=false, with the reason on stderr) for an editor without write access,
    an edit that changed more than checkboxes, an id that is not waiting for a decision, or a
    review made from an older registry.
    """
    from sync.operations.plan import make_plan
    from sync.operations.pr_ticks import from_event, read_event, record, registry_digest
    from sync.store.registry import dump_state, load_registry, write_registry
    from sync.support.files import atomic_write_text, run_lock

    config = _load(config_path)
    event = read_event(Path(event_path))
    outcome = from_event(event, permission.strip(), branch)
    editor = str((event.get("sender") or {}).get("login", ""))
    number = str((event.get("pull_request") or {}).get("number", "?"))
    ticks = outcome.ticks
    if ticks is None:
        _not_recorded(outcome.message, outcome.refused)
        return
    path = config.registry.path
    with run_lock(path, _lock_wait()):
        registry = load_registry(path)
        if ticks.digest != registry_digest(path):
            _not_recorded(
                "the review was made from another registry than the default branch's (a decision or "
                "a merge since): nothing recorded; tick again once the sync has updated the review",
                True,
            )
            return
        known = {s.id for s in registry.signatories}
        waiting = {}
        if any(i not in known for i in ticks.publish + ticks.keep_off):
            waiting = {s.id: s for s in make_plan(config).signatories if s.status == "pending"}
        try:
            recorded = record(registry.signatories, waiting, ticks, editor, number, when=_now())
        except SignsyncError as exc:
            _not_recorded(str(exc), True)
            return
        write_registry(registry, _sealed(config, recorded.signatories), config.registry.shard_rows)
        if "published" not in registry.state:
            # Keep what the page shows, so the next review lists these as new on the page.
            on_page = sorted(s.id for s in registry.signatories if s.status == "published")
            atomic_write_text(registry.state_path, dump_state({**registry.state, "published": on_page}))
    if message_path:
        atomic_write_text(Path(message_path), recorded.commit_message)
    click.echo(recorded.commit_message, err=True)
    click.echo("decided=true")
    click.echo(f"editor={editor}")


def _not_recorded(why: str, tell: bool) -> None:
    """Nothing recorded: why, on stderr; `reason=` for $GITHUB_OUTPUT when boxes were ticked."""
    click.echo(why, err=True)
    click.echo("decided=false")
    if tell:
        click.echo(f"reason={' '.join(why.split())}")


@cli.command()
@CONFIG_OPTION
@click.argument("name", required=False)
@click.option("--affiliation", default="", help="Title and organization, shown with the name.")
@click.option("--kind", type=click.Choice(["individual", "organization"]), help="Default: from the name.")
@click.option("--signed", help="When they signed, YYYY-MM-DD (default: today).")
@click.option("--note", default="", help='How it arrived, kept in the registry ("by email, 2026-11-20").')
@click.option(
    "--from-file",
    type=click.Path(dir_okay=False),
    help="A CSV list with columns name, affiliation, kind, signed, note (only name is required).",
)
@click.option(
    "--different-person",
    is_flag=True,
    help="Add even though an entry kept off the page (declined, withdrawn, erased) had this name: "
    "you checked it is someone else.",
)
def add(
    config_path: str,
    name: str | None,
    affiliation: str,
    kind: str | None,
    signed: str | None,
    note: str,
    from_file: str | None,
    different_person: bool,
) -> None:
    """Add a signature that did not come through the form.

    For signatures by email or letter, or a list collected before the form existed
    (--from-file): the same cleaning, duplicate checks and review policy as form responses;
    adding the same entry twice does not duplicate it. The id is made by signsync."""
    from datetime import UTC, datetime

    from sync.names import load_watchlist
    from sync.operations.editor import ManualEntry, add_entries, read_manual_list

    if bool(name) == bool(from_file):
        raise click.UsageError("give a NAME, or --from-file list.csv (not both)")
    today = signed or datetime.now(UTC).date().isoformat()
    if from_file:
        try:
            text = Path(from_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SignsyncError(f"cannot read {from_file} ({exc}): give a UTF-8 CSV file") from exc
        entries = read_manual_list(text, from_file, today)
    else:
        assert name is not None
        entries = [("signsync add", ManualEntry(name, affiliation, kind or "", today, note))]

    def decide(sigs: tuple[Signatory, ...], config: Config) -> Decision:
        watchlist = load_watchlist(None if config.names.watchlist is None else str(config.names.watchlist))
        return add_entries(
            sigs,
            entries,
            config.hash_key,
            config.names.policy,
            watchlist,
            sealer_of(config),
            different_person,
        )

    _decide(config_path, decide, may_create=True)


@cli.command("pin")
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
@click.option("--position", type=int, help="Where in the pinned entries (1 = first). Default: after them.")
def pin_command(config_path: str, ids: tuple[str, ...], position: int | None) -> None:
    """Keep entries at the top of their list.

    In the order given (a founding signer, a notable first signer); the rest keeps the page
    language's alphabetical order."""
    from sync.operations.editor import pin

    _decide(config_path, lambda sigs, _: pin(sigs, list(ids), position))


@cli.command("unpin")
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def unpin_command(config_path: str, ids: tuple[str, ...]) -> None:
    """Put pinned entries back in alphabetical order."""
    from sync.operations.editor import unpin

    _decide(config_path, lambda sigs, _: unpin(sigs, list(ids)))
