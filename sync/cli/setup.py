"""`signsync init` and `signsync doctor`: set a statement up, and check the set-up."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from sync.cli.common import CONFIG_OPTION
from sync.config import DEFAULT_CONFIG


@click.command()
@CONFIG_OPTION
def doctor(config_path: str) -> None:
    """Check the set-up, step by step, and say how to fix what fails: the config, the hash key,
    the Google credentials and access to the sheet, the column mapping, and the page.

    Exit status 0 only when everything works.
    """
    from sync.operations.doctor import run_checks

    checks = run_checks(Path(config_path))
    for check in checks:
        mark = "FAIL" if not check.ok else "warn" if check.warn else "ok  "
        click.echo(f"{mark} {check.name}: {check.detail}")
        if (not check.ok or check.warn) and check.fix:
            click.echo(f"     fix: {check.fix}")
    if not all(c.ok for c in checks):
        sys.exit(1)
    click.echo("All checks passed.", err=True)


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


@click.command()
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


@click.command("init-self-service")
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
