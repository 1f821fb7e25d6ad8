"""What a site would expose in a public repository, for `signsync doctor`, and the `.gitignore`
that `signsync init` writes for the files that must never be committed.

signsync assumes the repository is public (GitHub Pages on a free plan needs one, and an Action's
logs, pull requests and artifacts are public there too): every check here fails with the fix
rather than guessing the repository is private.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sync.config import Config
from sync.support.files import atomic_write_text, read_text_or_none


@dataclass(frozen=True, slots=True)
class Exposure:
    """One thing a public repository would show, and how to stop it."""

    problem: str
    fix: str


def never_commit(config: Config) -> list[str]:
    """The `.gitignore` lines of a site: secrets, the lock, page backups, what was sent, and a
    responses CSV (it holds email addresses). Relative to the config's folder."""
    stem = config.registry.path.stem
    lines = [
        ".env",
        f"{config.registry.path.name}.lock",
        f".{stem}.undo.json",
        f"{stem}.page-backup.*.json",
        f"{stem}.notify.json",
        f"{stem}.reshard.csv",
        ".signsync-cache/",
    ]
    source = config.source.path if config.source.kind == "csv" else None
    if source is not None and source.resolve().is_relative_to(config.base_dir.resolve()):
        lines.append(str(source.resolve().relative_to(config.base_dir.resolve())))
    return lines


def write_gitignore(folder: Path, lines: list[str]) -> str:
    """Add the lines `.gitignore` in `folder` lacks (never removing any); what was done."""
    path = folder / ".gitignore"
    text = read_text_or_none(path, "git's ignore list") or ""
    have = {ln.strip() for ln in text.splitlines()}
    missing = [ln for ln in lines if ln not in have]
    if not missing:
        return f"{path} already keeps signsync's private files out of git"
    prefix = "" if not text or text.endswith("\n") else "\n"
    block = "# signsync: never commit these (secrets, the lock, page backups, responses; docs/privacy.md)\n"
    atomic_write_text(path, text + prefix + block + "".join(f"{ln}\n" for ln in missing))
    return f"added to {path}: {', '.join(missing)}"


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run([git, "-C", str(folder), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None


def _tracked(folder: Path, paths: list[Path]) -> list[Path]:
    done = _git(folder, "ls-files", "--full-name", "-z", "--", *(str(p) for p in paths))
    if done is None or done.returncode != 0:
        return []
    top = _git(folder, "rev-parse", "--show-toplevel")
    root = Path(top.stdout.strip()) if top is not None and top.returncode == 0 else folder
    return [root / name for name in done.stdout.split("\0") if name]


def exposures(config: Config) -> list[Exposure]:
    """What the site would show in a public repository, each with its fix."""
    from sync.store.privacy import has_private_text
    from sync.store.registry import load_registry

    found: list[Exposure] = []
    registry = load_registry(config.registry.path)
    clear = [s for s in registry.signatories if has_private_text(s)]
    if clear:
        found.append(
            Exposure(
                f"{config.registry.path.name} names {len(clear)} people kept off the page (no yes to "
                "publication, revoked or withdrawn) in clear",
                "run `signsync apply` to move their text into the sealed private column (set "
                "SIGNSYNC_PRIVATE_KEY first to keep it for editors; docs/privacy.md)",
            )
        )
    inside = _git(config.base_dir, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.stdout.strip() != "true":
        return found
    folder = config.base_dir
    candidates = [folder / ".env", *sorted(folder.glob(f"{config.registry.path.stem}.page-backup.*.json"))]
    candidates += [
        folder / f"{config.registry.path.name}.lock",
        folder / f"{config.registry.path.stem}.notify.json",
    ]
    if config.source.kind == "csv" and config.source.path is not None:
        candidates.append(config.source.path)
    for path in _tracked(folder, [p for p in candidates if p.exists()]):
        what = "holds email addresses" if path.suffix == ".csv" else "must never be public"
        if path.name == ".env":
            what = "holds signsync's keys"
        found.append(
            Exposure(
                f"{path.name} is tracked by git and {what}",
                f"git rm --cached {path.name}, add it to .gitignore (`signsync init` writes one), and purge "
                "it from the history if it was ever pushed (docs/privacy.md)",
            )
        )
    found += _workflow_exposures(folder)
    return found


def _workflow_exposures(folder: Path) -> list[Exposure]:
    top = _git(folder, "rev-parse", "--show-toplevel")
    root = Path(top.stdout.strip()) if top is not None and top.returncode == 0 else folder
    out = []
    for wf in sorted((root / ".github" / "workflows").glob("*.y*ml")):
        text = wf.read_text(encoding="utf-8", errors="replace")
        for block in text.split("- name:"):
            if "upload-artifact" in block and "review" in block and "repository.private" not in block:
                out.append(
                    Exposure(
                        f"{wf.relative_to(root)} uploads the whole review as an artifact, which anyone can "
                        "download from a public repository",
                        "add `&& github.event.repository.private == true` to that step's `if:` (as the "
                        "example workflow does), or remove the step",
                    )
                )
    return out
