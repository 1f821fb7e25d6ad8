"""The `signsync` command line: parse options, call the core, turn errors into one line.

Exit status: 0 done / nothing would change, 1 error, 2 (`plan`) changes pending, 64 a usage
error (an unknown option or command: never 2, which a workflow reads as "changes pending").
"""

# Start-up rule (the lazy-import rule): `signsync --help` and `--version` must not pay for the
# pipeline. Modules of sync/cli/ import at module level only click, the standard library,
# sync.config, sync.errors, sync.model and sync.support; everything else (the names engine,
# operations, stores, gspread/google-auth, render) is imported inside the command that uses it,
# and types from there only under `if TYPE_CHECKING:`. tests/unit/test_startup.py checks
# sys.modules after `import sync.cli` and after `signsync --help`.

from __future__ import annotations

import gc
import os
import sys

import click

from sync import __version__
from sync.errors import SignsyncError, one_line

# Each command's module, imported when the command runs or --help lists it: `signsync --version`
# and `signsync apply` load no other command's module (tests/unit/test_startup.py).
COMMANDS = {
    "add": "sync.cli.editors:add",
    "apply": "sync.cli.plan_apply:apply",
    "approve": "sync.cli.editors:approve",
    "doctor": "sync.cli.setup:doctor",
    "email-signers": "sync.cli.plan_apply:email_signers",
    "erase": "sync.cli.editors:erase",
    "init": "sync.cli.setup:init",
    "init-self-service": "sync.cli.setup:init_self_service",
    "merge": "sync.cli.editors:merge",
    "pin": "sync.cli.editors:pin_command",
    "plan": "sync.cli.plan_apply:plan",
    "publish": "sync.cli.plan_apply:publish",
    "reject": "sync.cli.editors:reject",
    "rekey": "sync.cli.maintenance:rekey",
    "rename": "sync.cli.editors:rename",
    "reshard": "sync.cli.maintenance:reshard",
    "restore": "sync.cli.editors:restore",
    "restore-page": "sync.cli.plan_apply:restore_page",
    "review": "sync.cli.editors:review",
    "review-decisions": "sync.cli.pull_request:review_decisions",
    "sort-as": "sync.cli.editors:sort_as_command",
    "undo": "sync.cli.editors:undo",
    "unpin": "sync.cli.editors:unpin_command",
    "withdraw": "sync.cli.editors:withdraw",
}


class LazyGroup(click.Group):
    """A group whose commands are imported by name, on first use (see COMMANDS)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            module, _, attr = COMMANDS[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    from sync.support.settings import check_environment

    for warning in check_environment(os.environ):
        click.echo(f"warning: {warning}", err=True)


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
        click.echo(f"Error: {one_line(str(exc))}", err=True)
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


def _interrupted() -> int:
    click.echo("Interrupted: nothing half-written (each file is replaced whole or not at all).", err=True)
    return 130


def _bug(exc: BaseException) -> int:
    line = (
        f"Error: this is a bug in signsync ({type(exc).__name__}: {one_line(str(exc))[:300]}); "
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
