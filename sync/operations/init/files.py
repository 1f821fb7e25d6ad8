"""What `signsync init` writes: the commented config, the hash key in `.env`, `.env` in
`.gitignore`, and the marker pair in the page. Each function does one file and says what it did.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from render.page import END, START
from sync.config import HASH_KEY_VAR, SCHEMA
from sync.errors import SignsyncError
from sync.support.files import atomic_write_text, read_page, read_text_or_none

MARKERS = f"{START}\n{END}"


class SetupError(SignsyncError):
    """`signsync init` cannot go on: the message says which flag or file fixes it."""


def _toml_str(text: str) -> str:
    """A TOML basic string (JSON's escaping is valid TOML for these)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the config records: where responses come from, the columns, the page."""

    source_kind: str  # "csv" | "sheet"
    source: str  # the CSV path (relative to the config) or the sheet's URL
    columns: dict[str, str | None]  # field -> header
    consent_yes: tuple[str, ...]
    page: str | None  # relative to the config
    worksheet: str | None = None
    api_endpoint: str | None = None
    language: str | None = None  # the page's language (BCP 47), when known


def config_text(s: Settings) -> str:
    """The commented signsync.toml for `s`."""
    c = s.columns
    lines = [
        "# signsync configuration, written by `signsync init`. Every key is explained in",
        "# config.example.toml. Relative paths are read from this file's folder.",
        "# Secrets are not kept here: SIGNSYNC_HASH_KEY is in .env beside this file (keep it, never",
        "# change it, never commit it).",
        "",
        "[source]",
    ]
    if s.source_kind == "csv":
        lines += [
            "# The form's responses, saved as CSV (Sheets: File > Download > CSV). Replace the file",
            "# with a newer download before each run, or read the live sheet: see docs/google-sheet.md.",
            'kind = "csv"',
            f"path = {_toml_str(s.source)}",
        ]
    else:
        lines += [
            "# The live response sheet, read with a Google service account (see docs/google-sheet.md).",
            'kind = "sheet"',
            f"spreadsheet = {_toml_str(s.source)}",
        ]
        if s.worksheet:
            lines.append(f"worksheet = {_toml_str(s.worksheet)}")
        if s.api_endpoint:
            lines.append(f"api_endpoint = {_toml_str(s.api_endpoint)}")
    lines += [
        "",
        "[columns]",
        "# The header of each question, as in the form (case and spaces do not matter). If you",
        "# rename a question in the form, change it here too: signsync stops rather than guess.",
    ]
    notes = {
        "timestamp": "when the response was sent (Google Forms' own column)",
        "email": "recognises a signer who sends the form twice (only a keyed hash is stored)",
        "name": "the name as it will appear on the page",
        "affiliation": 'title and organization, shown as "Name (Affiliation)"',
        "kind": "answers mentioning an organization list the entry with organizations",
        "consent": "only the answers in consent_yes put a name on the page",
    }
    for field in ("timestamp", "email", "name", "affiliation", "kind", "consent"):
        header = c.get(field)
        lines.append(f"# {field}: {notes[field]}")
        if header:
            lines.append(f"{field} = {_toml_str(header)}")
        else:
            lines.append(f'# {field} = "..."   (the form does not ask this)')
    if c.get("consent"):
        yes = "[" + ", ".join(_toml_str(a) for a in s.consent_yes) + "]"
        lines.append("# The consent answers that mean yes (found in the responses); any other answer holds")
        lines.append("# the entry for an editor, an empty one keeps it off the page.")
        # Written as a comment by a signsync that does not know the key, so the file stays valid.
        prefix = "" if "consent_yes" in SCHEMA["columns"] else "# "
        lines.append(f"{prefix}consent_yes = {yes}")
    lines += [
        "",
        "[registry]",
        "# The signatories, one per line (commit it: the git diff shows who changed).",
        'path = "signatories.csv"',
        "",
        "[page]",
    ]
    if s.page:
        lines += [
            "# The page holding <!-- signatories:start --> and <!-- signatories:end -->.",
            f"path = {_toml_str(s.page)}",
        ]
    if s.language and "language" in SCHEMA["page"]:
        lines += [
            "# The list's language: its words, plural and number forms, sorting (docs/page.md).",
            f"language = {_toml_str(s.language)}",
        ]
    lines += [
        "",
        "[names]",
        '# "publish": clean new names go on the page at once, doubtful ones wait for an editor;',
        '# "review": every new name waits for an editor (`signsync review`, `signsync approve`).',
        'policy = "publish"',
        "",
    ]
    return "\n".join(lines)


def write_config(path: Path, text: str, force: bool) -> str:
    """Write the config; an existing one only with `force` (it is kept as .bak)."""
    if path.exists():
        if not force:
            raise SetupError(
                f"{path} already exists: pass --force to replace it (the old one is kept as {path.name}.bak)"
            )
        shutil.copy2(path, path.with_name(path.name + ".bak"))
    atomic_write_text(path, text)
    return f"wrote {path}"


def ensure_hash_key(folder: Path, from_environment: bool) -> str:
    """SIGNSYNC_HASH_KEY in `folder/.env`: made when missing, never replaced."""
    env = folder / ".env"
    text = read_text_or_none(env, "secrets for signsync") or ""
    for line in text.splitlines():
        name, _, value = line.partition("=")
        if name.strip().removeprefix("export ").strip() == HASH_KEY_VAR and value.strip():
            return f"{env} already holds {HASH_KEY_VAR}: kept as it is"
    if from_environment:
        return f"{HASH_KEY_VAR} is set in the environment: nothing written to {env}"
    made_with_key = sorted(p.name for p in folder.glob("*.state.json"))
    if made_with_key:
        return (
            f"not making {HASH_KEY_VAR}: the registry here ({made_with_key[0]}) was made with one; "
            f"get that key from whoever set signsync up (their .env, or the repository's "
            f"{HASH_KEY_VAR} secret) and put it in {env}"
        )
    key = secrets.token_hex(32)
    prefix = "" if not text or text.endswith("\n") else "\n"
    addition = (
        f"{prefix}# signsync's key for hashing email addresses: keep it secret, never change it.\n"
        f"{HASH_KEY_VAR}={key}\n"
    )
    atomic_write_text(env, text + addition)
    env.chmod(0o600)
    return (
        f"made {HASH_KEY_VAR} in {env} (keep a copy somewhere safe: without it, repeat signers "
        "are not recognised)"
    )


def ensure_private_key(folder: Path, from_environment: bool) -> str:
    """SIGNSYNC_PRIVATE_KEY in `folder/.env` (the key of the registry's sealed private column,
    docs/privacy.md): made when missing, never replaced."""
    from sync.store.privacy import PRIVATE_KEY_VAR

    env = folder / ".env"
    text = read_text_or_none(env, "secrets for signsync") or ""
    for line in text.splitlines():
        name, _, value = line.partition("=")
        if name.strip().removeprefix("export ").strip() == PRIVATE_KEY_VAR and value.strip():
            return f"{env} already holds {PRIVATE_KEY_VAR}: kept as it is"
    if from_environment:
        return f"{PRIVATE_KEY_VAR} is set in the environment: nothing written to {env}"
    prefix = "" if not text or text.endswith("\n") else "\n"
    addition = (
        f"{prefix}# signsync's key for the private notes on people kept off the page: keep it secret.\n"
        f"{PRIVATE_KEY_VAR}={secrets.token_urlsafe(32)}\n"
    )
    atomic_write_text(env, text + addition)
    env.chmod(0o600)
    return f"made {PRIVATE_KEY_VAR} in {env} (editors read the private notes with it: docs/privacy.md)"


# What git must not hold, with why: the secrets, and signsync's local bookkeeping.
GITIGNORED = (
    (".env", "secrets (signsync's hash key)"),
    (".*.undo.json", "signsync undo: the registry before the last editor's command"),
)


def ignore_env_file(folder: Path) -> str | None:
    """Write `.gitignore` with `.env` and signsync's local files (each line once, other lines
    kept): also outside a git repository, which the folder may become. None when nothing was
    missing."""
    gitignore = folder / ".gitignore"
    text = read_text_or_none(gitignore, "git's ignore list") or ""
    lines = {line.strip() for line in text.splitlines()}
    missing = [(pattern, why) for pattern, why in GITIGNORED if pattern not in lines]
    if not missing:
        return ".env is already in .gitignore"
    if not text and _ignored_by_git(folder):
        missing = [(pattern, why) for pattern, why in missing if pattern != ".env"]
        if not missing:
            return ".env is already ignored by git"
    prefix = "" if not text or text.endswith("\n") else "\n"
    addition = "".join(f"# {why}\n{pattern}\n" for pattern, why in missing)
    atomic_write_text(gitignore, text + prefix + addition)
    return f"added {', '.join(p for p, _ in missing)} to {gitignore}"


def _ignored_by_git(folder: Path) -> bool:
    """Whether git (in a repository) already ignores `.env` through another ignore file."""
    git = shutil.which("git")
    if git is None:
        return False
    ignored = subprocess.run([git, "check-ignore", "-q", ".env"], cwd=folder, capture_output=True)
    return ignored.returncode == 0


def place_markers(page: Path, after: str | None, line: int | None) -> str:
    """Put the marker pair into `page` after the line holding `after`, or before line `line`;
    with neither, say exactly what to paste where. Pages that already hold them are left alone."""
    if not page.is_file():
        raise SetupError(f"no page at {page}: pass --page with the path of your statement's page")
    text, encoding = read_page(page) or ("", "utf-8")
    if START in text or END in text:
        return f"{page} already holds the markers: left as it is"
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if after is not None:
        hits = [i for i, ln in enumerate(lines) if after in ln]
        if not hits:
            raise SetupError(
                f"{page}: no line holds {after!r}: pass --after with text copied from the page, or --line N"
            )
        if len(hits) > 1:
            raise SetupError(
                f"{page}: {len(hits)} lines hold {after!r} "
                f"(lines {', '.join(str(i + 1) for i in hits[:5])}): "
                "pass --after with longer text, or --line N"
            )
        at = hits[0] + 1
    elif line is not None:
        if not 1 <= line <= len(lines) + 1:
            raise SetupError(f"{page} has {len(lines)} lines: pass --line between 1 and {len(lines) + 1}")
        at = line - 1
    else:
        return (
            f"paste these two lines into {page}, each on its own line, where the list of signatories "
            f"belongs (for example under the heading 'Signatories'):\n    {START}\n    {END}"
        )
    lines[at:at] = [START, END]
    atomic_write_text(page, newline.join(lines), encoding)
    return f"put the marker pair into {page} at line {at + 1}"


_HTML_LANG = re.compile(
    r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.IGNORECASE
)


def page_language(page_text: str) -> str | None:
    """The language an HTML page declares (`<html lang="fr">`); None when it says none."""
    match = _HTML_LANG.search(page_text)
    return match.group(1) if match else None
