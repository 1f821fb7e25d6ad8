"""`signsync init`: set up a statement from its form's responses in one command.

Reads the header row and the answers (a CSV download, or the live sheet once credentials are
set), maps the columns by meaning (`columns.py`), finds the consent answers that mean yes, and
writes the config, the hash key, `.gitignore` and the markers (`files.py`). Whatever cannot be
decided from the data is asked through an `Asker`: prompts at a terminal, and in CI a one-line
error naming the flag that answers it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sync.errors import SignsyncError
from sync.intake.responses import header_key
from sync.model import ResponseTable
from sync.operations.init.columns import (
    FIELDS,
    OPTIONAL,
    TIMESTAMP_LANGUAGE,
    ColumnGuess,
    consent_answers,
    guess_columns,
)
from sync.operations.init.files import (
    Settings,
    SetupError,
    config_text,
    ensure_hash_key,
    ensure_private_key,
    ignore_env_file,
    page_language,
    place_markers,
    write_config,
)
from sync.support.files import read_page

__all__ = ["Asker", "InitOptions", "SetupError", "run_init"]

FLAG = {f: f"--{f}-column" for f in FIELDS}
WHAT = {
    "timestamp": "when each response was sent",
    "email": "the signer's email address",
    "name": "the signer's name",
    "affiliation": "the signer's title or organization",
    "kind": "whether one signs as a person or an organization",
    "consent": "consent to publish the name",
}


class Asker(Protocol):
    """How `run_init` asks what the data cannot tell."""

    def choose(self, question: str, options: Sequence[str], flag: str) -> int:
        """The index of the option picked (the last option may be "none of these")."""

    def confirm(self, question: str, flag: str) -> bool: ...

    def text(self, question: str, flag: str) -> str: ...


@dataclass(frozen=True, slots=True)
class InitOptions:
    """The command line of `signsync init`."""

    source: str  # a CSV path or the sheet's URL
    config: Path
    page: Path | None = None
    after: str | None = None
    line: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> header or "none"
    consent_yes: tuple[str, ...] = ()
    worksheet: str | None = None
    api_endpoint: str | None = None
    force: bool = False
    language: str | None = None


def _is_sheet(source: str) -> bool:
    return source.startswith(("http://", "https://")) and "/spreadsheets/d/" in source


def read_table(opts: InitOptions) -> ResponseTable:
    """The responses: a CSV file, or the sheet through the same reader `plan` uses."""
    if not _is_sheet(opts.source):
        from sync.intake.sources.csv_source import read_csv

        return read_csv(Path(opts.source))
    from dotenv import dotenv_values

    from sync.config import parse_config
    from sync.intake.sources.sheet import read_sheet

    folder = opts.config.parent
    env_file = folder / ".env"
    env = {k: v for k, v in dotenv_values(env_file).items() if v} if env_file.is_file() else {}
    source: dict[str, object] = {"kind": "sheet", "spreadsheet": opts.source}
    if opts.worksheet:
        source["worksheet"] = opts.worksheet
    if opts.api_endpoint:
        source["api_endpoint"] = opts.api_endpoint
    # A config in memory, only to reach the sheet; the real one is written after.
    draft = parse_config(
        opts.config, {"source": source, "columns": {"name": "-"}, "page": {"data_file": "-"}}, env
    )
    return read_sheet(draft, None)


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def _resolve_flags(table: ResponseTable, opts: InitOptions) -> dict[str, int | None]:
    keyed = {header_key(h): i for i, h in reversed(list(enumerate(table.headers))) if h.strip()}
    chosen: dict[str, int | None] = {}
    for fld, header in opts.columns.items():
        if header.strip().lower() == "none":
            if fld not in OPTIONAL:
                raise SetupError(f"{FLAG[fld]} cannot be none: signsync needs {WHAT[fld]}")
            chosen[fld] = None
        elif header_key(header) in keyed:
            chosen[fld] = keyed[header_key(header)]
        else:
            found = ", ".join(repr(h) for h in table.headers if h.strip())
            raise SetupError(f"{FLAG[fld]} {header!r}: no such column in {table.origin} (found: {found})")
    return chosen


def _map(table: ResponseTable, opts: InitOptions, ask: Asker) -> tuple[list[ColumnGuess], list[str]]:
    rows = [r.cells for r in table.rows]
    chosen = _resolve_flags(table, opts)
    while True:
        guesses = guess_columns(table.headers, rows, chosen)
        open_ = next((g for g in guesses if g.index is None and (g.tied or g.field not in OPTIONAL)), None)
        if open_ is None:
            break
        options = [table.headers[i] for i in (open_.tied or range(len(table.headers)))]
        indexes = list(open_.tied or range(len(table.headers)))
        if open_.field in OPTIONAL:
            options.append("none of these (the form does not ask it)")
        if open_.tied:
            question = f"Which column holds {WHAT[open_.field]}? These could both fit"
        else:
            question = f"No column looks like {WHAT[open_.field]}. Which one is it?"
        pick = ask.choose(question, options, FLAG[open_.field])
        chosen[open_.field] = indexes[pick] if pick < len(indexes) else None
    lines = []
    for g in guesses:
        if g.index is None:
            lines.append(f"  {g.field:<11} (none: the form does not ask it)")
        else:
            lines.append(f"  {g.field:<11} column {g.index + 1} {table.headers[g.index]!r}: {g.why}")
    return guesses, lines


def _consent_yes(
    table: ResponseTable, index: int, opts: InitOptions, ask: Asker
) -> tuple[tuple[str, ...], list[str]]:
    if opts.consent_yes:
        return opts.consent_yes, []
    found = consent_answers([r.cells for r in table.rows], index)
    yes = list(found.yes)
    notes = []
    for answer in found.other:
        if ask.confirm(f"Does the consent answer {answer!r} mean yes?", "--consent-yes"):
            yes.append(answer)
        else:
            notes.append(f"consent answer {answer!r} is not counted as yes (held or kept off the page)")
    if not yes:
        yes = ["Yes"]
        notes.append(
            'no consent answer in the responses means yes: consent_yes is set to ["Yes"]; '
            "correct it in the config (or pass --consent-yes) once answers arrive"
        )
    return tuple(yes), notes


def _read_checked(opts: InitOptions) -> ResponseTable:
    """The responses, or one line saying why they cannot be read as a form's export."""
    try:
        table = read_table(opts)
    except SignsyncError as exc:
        raise SetupError(f"cannot read the responses: {exc}") from exc
    named = [h for h in table.headers if h.strip()]
    if len(named) == 1 and any(sep in named[0] for sep in (";", "\t")):
        sep = "';'" if ";" in named[0] else "tabs"
        raise SetupError(
            f"{table.origin} has one column whose title holds {sep}: it was saved with {sep} between "
            "values (Excel does so in many languages): download it again from the response sheet "
            "(File > Download > Comma-separated values)"
        )
    return table


@dataclass(frozen=True, slots=True)
class _Place:
    """The page, its text, and where the markers go (neither: tell the user)."""

    page: Path
    text: str
    after: str | None
    line: int | None


def _place(opts: InitOptions, ask: Asker) -> _Place:
    page = opts.page
    if page is None:
        answer = ask.text("Which file is the statement's page (HTML or Markdown)?", "--page")
        page = Path(answer.strip()) if answer.strip() else None
    if page is None:
        raise SetupError("no page given: pass --page PATH (the page that will hold the list)")
    after, line = opts.after, opts.line
    text = (read_page(page) or ("", ""))[0] if page.is_file() else ""
    if after is None and line is None and page.is_file() and "<!-- signatories:" not in text:
        after = (
            ask.text(
                f"The list goes after which line of {page.name}? Type text from that line "
                "(e.g. <h2>Signatories</h2>), or nothing to paste the markers yourself",
                "--after",
            ).strip()
            or None
        )
    return _Place(page, text, after, line)


def _language(opts: InitOptions, place: _Place, timestamp_header: str) -> tuple[str | None, list[str]]:
    """The list's language: --language, else the page's <html lang>; otherwise a hint from the
    language of the sheet's own headers (the owner's account language, not proof)."""
    if opts.language:
        return opts.language, [f"the list's language: {opts.language} (from --language)"]
    language = page_language(place.text)
    if language:
        from render.labels import page_words
        from sync.errors import ConfigError

        try:
            page_words(language)
        except ConfigError:
            return None, [
                f"{place.page.name} declares lang={language!r}, which signsync does not know: left out"
            ]
        return language, [f"the list's language: {language} (from {place.page.name})"]
    hint = TIMESTAMP_LANGUAGE.get(header_key(timestamp_header))
    if not hint:
        return None, []
    return None, [
        f"the form's sheet is in '{hint}': if the statement is too, pass --language {hint} "
        f'(or add language = "{hint}" under [page]) for the list\'s words and sorting'
    ]


def run_init(opts: InitOptions, ask: Asker) -> list[str]:
    """Set up the statement; returns what was done, one line each (the doctor's run follows)."""
    folder = opts.config.parent
    if opts.config.exists() and not opts.force:
        raise SetupError(
            f"{opts.config} already exists: pass --force to replace it (the old one is kept as .bak)"
        )
    table = _read_checked(opts)
    done = [f"read {len(table.rows)} responses from {table.origin}; columns:"]
    guesses, lines = _map(table, opts, ask)
    done += lines
    by_field = {g.field: g.index for g in guesses}
    consent = by_field["consent"]
    yes: tuple[str, ...] = ()
    if consent is not None:
        yes, notes = _consent_yes(table, consent, opts, ask)
        done.append(f"consent answers that mean yes: {', '.join(repr(a) for a in yes)}")
        done += notes
    place = _place(opts, ask)
    language, notes = _language(opts, place, table.headers[by_field["timestamp"] or 0])
    done += notes
    source = opts.source if _is_sheet(opts.source) else _relative(Path(opts.source), folder)
    settings = Settings(
        source_kind="sheet" if _is_sheet(opts.source) else "csv",
        source=source,
        columns={f: (table.headers[i] if i is not None else None) for f, i in by_field.items()},
        consent_yes=yes,
        page=_relative(place.page, folder),
        worksheet=opts.worksheet,
        api_endpoint=opts.api_endpoint,
        language=language,
    )
    done.append(place_markers(place.page, place.after, place.line))
    done.append(write_config(opts.config, config_text(settings), opts.force))
    done.append(ensure_hash_key(folder, bool(os.environ.get("SIGNSYNC_HASH_KEY"))))
    done.append(ensure_private_key(folder, bool(os.environ.get("SIGNSYNC_PRIVATE_KEY"))))
    ignored = ignore_env_file(folder)
    if ignored:
        done.append(ignored)
    done.append(_gitignore(opts.config, folder))
    return done


def _gitignore(config_path: Path, folder: Path) -> str:
    """`.gitignore` with the files that must never be committed (docs/privacy.md)."""
    from sync.config import load_config
    from sync.operations.exposure import never_commit, write_gitignore

    return write_gitignore(folder, never_commit(load_config(config_path)))
