"""`signsync doctor`: every check a new set-up needs, in order, each with its fix.

The checks run the real code paths (load the config, read the responses, map the columns, read
the page) and stop at the first failure, since later checks depend on earlier ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.page import find_region
from sync.config import HASH_KEY_VAR, Config, load_config
from sync.errors import MarkerError, SheetError, SignsyncError
from sync.intake.sources import read_responses
from sync.intake.sources.google_credentials import load_service_account
from sync.intake.sources.sheet import choose_worksheet, list_titles
from sync.intake.sources.sheets_client import SheetsConnection, Sleep, quote_title, spreadsheet_key
from sync.model import ResponseTable
from sync.operations.checks import Check

MARKERS_FIX = "put <!-- signatories:start --> and <!-- signatories:end --> where the list belongs"


def _step(name: str, action: Callable[[], str], fix: str = "") -> Check:
    """Run one check; a failure shows the error's own fix when it has one, else `fix`."""
    try:
        return Check(name, True, action())
    except SignsyncError as exc:
        if exc.fix:
            return Check(name, False, exc.problem, exc.fix)
        return Check(name, False, str(exc), fix)


def consent_report(cfg: Config, table: ResponseTable) -> str:
    """The distinct answers in the consent column, with how many gave each, and which count
    as yes under [columns] consent_yes."""
    from sync.intake.responses import DEFAULT_CONSENT_YES, consent_given, map_columns

    if not cfg.columns.consent:
        return "no consent column configured ([columns] consent): every response counts as consenting"
    cmap, _ = map_columns(table.headers, cfg.columns.by_field(), table.origin)
    col = cmap.index["consent"]
    assert col is not None
    yes = DEFAULT_CONSENT_YES if cfg.columns.consent_yes is None else cfg.columns.consent_yes
    counts: dict[str, int] = {}
    for row in table.rows:
        if any(c.strip() for c in row.cells):
            answer = " ".join((row.cells[col] if col < len(row.cells) else "").split())
            counts[answer] = counts.get(answer, 0) + 1
    shown = []
    for answer, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        verdict = (
            "yes"
            if consent_given(answer, yes)
            else "empty: held, off the page"
            if not answer
            else "NOT a yes: held"
        )
        shown.append(f"'{answer}' x{n} ({verdict})")
    held = sum(n for a, n in counts.items() if a and not consent_given(a, yes))
    tail = f"; {held} held: if an answer means yes, add it to [columns] consent_yes" if held else ""
    return f"answers in '{cfg.columns.consent}': {', '.join(shown) or '(none)'}{tail}"


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

    tables: list[ResponseTable] = []

    def columns() -> str:
        from sync.intake.responses import map_columns

        table = read_responses(cfg, None)
        tables.append(table)
        cmap, warnings = map_columns(table.headers, cfg.columns.by_field(), table.origin)
        found = ", ".join(f"{f} = column {i + 1}" for f, i in cmap.index.items() if i is not None)
        extra = f" ({'; '.join(warnings)})" if warnings else ""
        return f"{len(table.rows)} rows; {found}{extra}"

    checks.append(_step("columns", columns))
    if not checks[-1].ok:
        return checks
    checks.append(_step("consent", lambda: consent_report(cfg, tables[0])))
    checks.append(_step("registry", lambda: registry_report(cfg)))
    checks += exposure_checks(cfg)
    checks += github_checks(cfg)
    if cfg.self_service is not None:
        checks += self_service_checks(cfg)

    return checks + _page_checks(cfg)


def github_checks(cfg: Config) -> list[Check]:
    """The GitHub side: the workflows' permissions and secrets, and (with GITHUB_TOKEN and
    GITHUB_REPOSITORY set) the repository's Actions setting and secrets (sync.operations.github_setup)."""
    import os

    from sync.operations.github_setup import github_findings

    return github_findings(cfg, os.environ)


def exposure_checks(cfg: Config) -> list[Check]:
    """What a public repository would show (the registry naming someone kept private, a tracked
    responses CSV or .env, a workflow uploading the whole review): one failing line each."""
    from sync.operations.exposure import exposures

    try:
        found = exposures(cfg)
    except SignsyncError as exc:
        return [Check("public repository", False, str(exc))]
    if not found:
        return [
            Check("public repository", True, "nothing private would be exposed if this repository is public")
        ]
    return [Check("public repository", False, e.problem, e.fix) for e in found]


def self_service_checks(cfg: Config) -> list[Check]:
    """[self_service]: the second form's responses and columns, and the SMTP login."""
    from sync.operations.self_service.mail import Mailer
    from sync.operations.self_service.requests import read_requests

    ss = cfg.self_service
    assert ss is not None

    def second_form() -> str:
        read = read_requests(cfg, None)  # checks the token and action columns
        return f"{read.origin}: {len(read.requests)} response(s); columns {', '.join(ss.columns.values())}"

    checks = [
        _step("self-service form", second_form, "share the second form's response sheet, or fix the path")
    ]

    def email_template() -> str:
        from sync.operations.self_service.letters import sample_email

        return f"the signers' email renders (subject: {sample_email(cfg).subject})"

    checks.append(_step("email template", email_template))
    if not ss.smtp_host:
        if ss.publish == "on_confirmation":
            return checks + [
                Check(
                    "smtp",
                    False,
                    'publish = "on_confirmation" but no smtp_host: no signer gets a link to confirm '
                    "with, and every new signature would wait",
                    'set smtp_host (and the login in .env), or publish = "at_once"',
                )
            ]
        return checks + [
            Check("smtp", True, "no smtp_host: signers are not emailed (set it to send them their links)")
        ]

    def login() -> str:
        mailer = Mailer(cfg)
        mailer.open()
        mailer.close()
        who = " with the login in SIGNSYNC_SMTP_USER" if mailer.user else " (no login set)"
        return f"{ss.smtp_host}:{ss.smtp_port} ({ss.smtp_security}) accepts the connection{who}"

    return checks + [_step("smtp", login, "check smtp_host, smtp_port, smtp_security and the login in .env")]


def registry_report(cfg: Config) -> str:
    """The registry's files: how many, the largest; a file over [registry] shard_rows entries or
    too large for a git host fails, with `signsync reshard` as the fix."""
    from sync.store.registry import GIT_HOST_WARN_BYTES, check_registry_files, shard_files
    from sync.store.state import State

    path, rows = cfg.registry.path, cfg.registry.shard_rows
    files = shard_files(path)  # refuses an interrupted reshard, with its fix
    check_registry_files(path, State.load(path)[0])  # a file lost that the state knows of
    if not files:
        return f"no registry yet at {path}: the first apply writes it"
    sizes = []
    for _n, p in files:
        try:
            with open(p, "rb") as f:
                # Lines, not CSV records: signsync writes one line per entry (no breaks in cells).
                entries = sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b"")) - 1
            sizes.append((p, p.stat().st_size, max(entries, 0)))
        except OSError as exc:
            raise SignsyncError.because(
                f"{p}: cannot be read ({exc.strerror})", "give this user read access to the registry"
            ) from None
    big = [(p, size, n) for p, size, n in sizes if size > GIT_HOST_WARN_BYTES]
    if big:
        shown = ", ".join(f"{p.name} ({n:,} entries, {_mb(size)})" for p, size, n in big)
        raise SignsyncError.because(
            f"{shown}: over 50 MB (git hosts warn at 50 MB per file and refuse 100 MB)",
            "run `signsync reshard` to split the registry into files of [registry] shard_rows entries "
            "(lower shard_rows if they are still too large)",
        )
    p, size, _ = max(sizes, key=lambda t: t[1])
    total = sum(n for _p, _s, n in sizes)
    report = f"{total:,} entries in {len(sizes)} file(s); the largest, {p.name}, is {_mb(size)}"
    over = [f"{p.name} ({n:,})" for p, _s, n in sizes if n > rows]
    if over:
        report += (
            f"; over [registry] shard_rows = {rows:,} entries: {', '.join(over)} "
            "(`signsync reshard` splits them)"
        )
    return report


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"


def _page_checks(cfg: Config) -> list[Check]:
    """The publish target when there is a page (`target_checks`), then the page's section:
    language and template."""

    def section() -> Check:
        return _step("section", lambda: section_report(cfg), "fix the template at the line named")

    if not cfg.has_page:
        return [section()]
    checks = target_checks(cfg)
    return checks + [section()] if all(c.ok for c in checks) else checks


def target_checks(cfg: Config) -> list[Check]:
    """The publish target: its settings, the login (WordPress), the page, its markers. Each
    failure comes with the fix for that failure."""
    from sync.publish.targets import PageTarget, page_target

    found: dict[str, PageTarget] = {}

    def settings() -> str:
        found["target"] = page_target(cfg)
        return f"publishing to {found['target'].label}"

    check = _step("target", settings)
    if not check.ok:
        return [check]
    target = found["target"]
    checks = [] if target.name == "file" else [check]  # a file needs no settings of its own
    whoami = getattr(target, "whoami", None)
    if whoami is not None:
        checks.append(_step("login", whoami))
        if not checks[-1].ok:
            return checks

    def page() -> str:
        snap = target.read()
        if snap.content is None:
            raise MarkerError.because(
                f"{snap.label} does not exist yet",
                f"create it, with {MARKERS_FIX.removeprefix('put ')}",
            )
        find_region(snap.content, snap.label)
        note = ""
        if snap.version.get("unfiltered_html") is False:
            note = (
                "; the user may not post unfiltered HTML, so WordPress filters what signsync "
                "writes (the default template uses only markup the filter keeps)"
            )
        return f"{snap.label} holds one marker pair{note}"

    checks.append(_step("page", page, MARKERS_FIX))
    return checks


def section_report(cfg: Config) -> str:
    """The page's language, where its words come from, its collation, and whether its
    template renders (a sample list of two entries)."""
    from render.section import render_section
    from sync.model import Signatory
    from sync.names import collation_backend
    from sync.operations.plan import page_format, page_style
    from sync.publish.listing import published_section

    style = page_style(cfg)
    words = style.words
    label = str(cfg.page.path or cfg.page.data_file or "page.html")
    sample = (
        Signatory("s-sample-1", "published", "individual", "Ada Lovelace", "Analytical Engine"),
        Signatory("s-sample-2", "published", "organization", "Example Society"),
    )
    render_section(published_section(sample, style), page_format(cfg, label), style.template)
    language = words.language or "not set (English)"
    source = "English (no shipped words: set [page.labels])" if words.missing_translation else words.shipped
    if collation_backend() == "icu":
        collation = f"ICU ({words.language or 'root'})"
    else:
        collation = "pyuca (root order, no language tailoring: install pyicu-wheels for it)"
    template = f"{style.template.name} renders" if style.template else "built-in template"
    return f"language {language}; words: {source}; collation: {collation}; {template}"


# --- the Google Sheet, step by step ------------------------------------------------------------


def check_access(config: Config, *, sleep: Sleep = time.sleep) -> list[Check]:
    """Checks for `signsync doctor`, in order, stopping at the first that fails:
    config, credentials, token, spreadsheet, worksheet, header row. Never shows the key."""
    source = config.source
    if source.kind != "sheet":
        return [Check("config", True, f'[source] kind = "{source.kind}": the Google Sheet is not used')]
    key = spreadsheet_key(source.spreadsheet or "")
    checks = [Check("config", True, f"spreadsheet {key} via {source.api_endpoint}")]
    state: dict[str, Any] = {}

    def credentials() -> Check:
        account = load_service_account(config)
        state["conn"] = SheetsConnection(config, account, sleep=sleep)
        return Check("credentials", True, f"service account {account.client_email} (from {account.where})")

    def token() -> Check:
        state["conn"].authorize()
        return Check("token", True, f"access token obtained from {state['conn'].key.info['token_uri']}")

    def spreadsheet() -> Check:
        state["meta"] = state["conn"].metadata(key)
        props = state["meta"].get("properties", {})
        return Check(
            "spreadsheet",
            True,
            f"'{props.get('title')}' (locale {props.get('locale')}, time zone {props.get('timeZone')})",
        )

    def worksheet() -> Check:
        tabs = [s["properties"] for s in state["meta"]["sheets"]]
        state["tab"] = choose_worksheet(tabs, source.worksheet)
        return Check(
            "worksheet",
            True,
            f"reading '{state['tab']['title']}' (tabs: {list_titles([t['title'] for t in tabs])})",
        )

    def header() -> Check:
        title = state["tab"]["title"]
        (answer,) = state["conn"].values(key, [f"{quote_title(title)}!1:1"])
        values = answer.get("values", [[]])
        cells = [str(c) for c in values[0]] if values else []
        if not any(c.strip() for c in cells):
            return Check(
                "header row",
                False,
                f"row 1 of '{title}' is empty",
                "the tab must start with the question titles: set [source] worksheet "
                "to the form's response tab",
            )
        shown = ", ".join(f"'{c}'" for c in cells[:8]) + (" ..." if len(cells) > 8 else "")
        return Check("header row", True, f"{len(cells)} columns: {shown}")

    for name, step in (
        ("credentials", credentials),
        ("token", token),
        ("spreadsheet", spreadsheet),
        ("worksheet", worksheet),
        ("header row", header),
    ):
        try:
            check = step()
        except SheetError as exc:
            check = Check(name, False, exc.problem, exc.fix)
        checks.append(check)
        if not check.ok:
            break
    return checks
