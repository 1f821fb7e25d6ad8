"""`signsync erase EMAIL-OR-ID`: a signer's right to erasure. Everything signsync keeps about them
goes, from every file it keeps (registry shards, the cache, page backups, the page and the data
file); only a tombstone stays in the registry: the keyed hashes of their responses, email
address and name, so that their rows in the sheet are never read as new and a later response
from them is held, never published. Then it says which rows of the sheet or CSV still hold them
(signsync cannot delete those) and how to purge older versions of the files from git history.

Idempotent: a second run finds the tombstone and has nothing left to remove.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sync.config import Config
from sync.errors import SignsyncError
from sync.intake.responses import canonical_email, keyed_hash
from sync.model import Signatory, text_sha256
from sync.operations.editor import ReviewError, decided_by, find
from sync.store.privacy import Sealer, public_reason, sealer_of
from sync.store.registry import Registry, dump_registry, shard_path
from sync.support.files import atomic_write_text


@dataclass(frozen=True, slots=True)
class Erasure:
    """What `erase` did: one line per file touched, then what is left for the editor to do."""

    lines: tuple[str, ...]
    erased: tuple[Signatory, ...]  # the entries as they were (for the page, the cache)


def entries_of(signatories: Sequence[Signatory], who: str, hash_key: str) -> list[Signatory]:
    """The entries of an email address (by its keyed hash) or of an id."""
    who = who.strip()
    if "@" in who:
        key = keyed_hash(hash_key.encode("utf-8"), "email", canonical_email(who))
        hits = [s for s in signatories if key in s.email_keys]
        if not hits:
            raise ReviewError(
                "no entry has that email address: check for a typo, or erase by id (`signsync review --all`, "
                "`signsync review --private`)"
            )
        return hits
    return [find(tuple(signatories), who)]


def tombstone(s: Signatory, sealer: Sealer, when: str) -> Signatory:
    """Only hashes: of the responses, the email addresses and the name (its text, if known, as
    the registry or the private column held it)."""
    names = [s.name]
    if sealer.has_key and s.private:
        names.append(str((sealer.open(s) or {}).get("name", "")))
    keys = tuple(dict.fromkeys((*s.name_keys, *(k for k in map(sealer.name_key, names) if k))))
    return Signatory(
        s.id,
        "withdrawn",
        s.kind,
        "",
        reason=public_reason("erased"),
        responses=s.responses,
        email_keys=s.email_keys,
        decided=decided_by("editor", "erase", when),
        consent="erased",
        name_keys=keys,
    )


def texts_of(s: Signatory, sealer: Sealer) -> set[str]:
    """The person's own text, as signsync may have written it elsewhere (a page, a backup)."""
    texts = {s.name, s.typed, s.affiliation}
    if sealer.has_key and s.private:
        doc = sealer.open(s) or {}
        texts |= {str(doc.get(f, "")) for f in ("name", "typed", "affiliation")}
    return {t for t in texts if len(t.strip()) >= 3}


def erase(config: Config, registry: Registry, who: str, when: str) -> Erasure:
    """Turn the entries of `who` into tombstones and take their text out of the registry files,
    the cache and the page backups. The page and data file are re-rendered by the caller."""
    sealer = sealer_of(config)
    hits = entries_of(registry.signatories, who, config.hash_key)
    lines: list[str] = []
    done = {s.id: tombstone(s, sealer, when) for s in hits if s.consent != "erased" or s.private or s.name}
    if not done:
        lines.append(f"{', '.join(s.id for s in hits)}: already erased; nothing left in the registry")
    after = [done.get(s.id, s) for s in registry.signatories]
    lines += _write_shards(registry, after, config)
    texts: set[str] = set()
    for s in hits:
        texts |= texts_of(s, sealer)
    lines += _scrub_backups(registry.path, texts)
    lines += _drop_cache(registry.path)
    from sync.operations.undo import undo_path

    record = undo_path(registry.path)
    if record.exists():
        record.unlink()
        lines.append(f"{record.name}: removed (the last command's undo record; git holds earlier versions)")
    return Erasure(tuple(lines), tuple(hits))


def _write_shards(registry: Registry, after: list[Signatory], config: Config) -> list[str]:
    from sync.store.registry import assign_shards

    layout = assign_shards(after, registry.shard_of(), shard_rows=config.registry.shard_rows)
    texts = {sh.number: sh.text for sh in registry.shards}
    lines = []
    for number in sorted(set(layout) | set(texts)):
        text = dump_registry(layout.get(number, []))
        if text != texts.get(number):
            path = shard_path(registry.path, number)
            atomic_write_text(path, text)
            lines.append(
                f"{_name(path, config)}: erased (only the keyed hashes of their responses, email and "
                "name stay)"
            )
    return lines


def _name(path: Path, config: Config) -> str:
    try:
        return str(path.relative_to(config.base_dir))
    except ValueError:
        return str(path)


def _scrub_backups(registry_path: Path, texts: set[str]) -> list[str]:
    """Lines naming the person taken out of the page backups beside the registry."""
    if not texts:
        return []
    folded = [t.casefold() for t in texts]
    lines = []
    for path in sorted(registry_path.parent.glob(f"{registry_path.stem}.page-backup.*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        content = doc.get("content") if isinstance(doc, dict) else None
        if not isinstance(content, str) or not any(t in content.casefold() for t in folded):
            continue
        kept = [ln for ln in content.splitlines(keepends=True) if not any(t in ln.casefold() for t in folded)]
        doc["content"] = "".join(kept)
        doc["sha256"] = text_sha256(doc["content"])
        atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        removed = len(content.splitlines()) - len(kept)
        lines.append(f"{path.name}: {removed} line(s) naming them removed from this page backup")
    return lines


def _drop_cache(registry_path: Path) -> list[str]:
    from sync.cache import cache_path

    path = cache_path(registry_path)
    gone = []
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if p.exists():
            p.unlink()
            gone.append(p)
    return [f"{path}: removed (the cache is rebuilt from the registry on the next run)"] if gone else []


def source_rows(config: Config, erased: Sequence[Signatory]) -> list[str]:
    """Which rows of the sheet or CSV still hold the person, and how to delete them (signsync
    only reads the responses). A source that cannot be read is one line saying so."""
    from sync.intake.responses import to_submissions
    from sync.intake.sources import read_responses

    fps = {fp for s in erased for fp in s.responses}
    emails = {e for s in erased for e in s.email_keys}
    try:
        table = read_responses(config, None)
        subs = to_submissions(table, config.columns.by_field(), config.hash_key, config.columns.consent_yes)
    except SignsyncError as exc:
        return [f"the responses could not be read ({exc}): delete their rows there by hand"]
    rows = sorted(sub.row for sub in subs.submissions if sub.fingerprint in fps or sub.email_key in emails)
    if not rows:
        return [f"{table.origin}: no row holds them any more"]
    listed = ", ".join(str(r) for r in rows)
    if config.source.kind == "csv":
        how = (
            "delete those rows (row 1 is the header) in a spreadsheet or text editor, and the responses in "
            "Google Forms (Responses > Individual > the trash icon)"
        )
    else:
        how = (
            "delete those rows in the response sheet, and the responses in Google Forms (Responses "
            "> Individual > the trash icon); the sheet's version history keeps them too (File > "
            "Version history)"
        )
    return [f"{table.origin}: row(s) {listed} still hold them: {how}"]


def history_advice(config: Config) -> list[str]:
    """How to purge older versions of the registry and the page from git history, when the site is
    a git repository (their name is in every commit made while they were listed)."""
    try:
        inside = subprocess.run(
            ["git", "-C", str(config.base_dir), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return []
    if inside.stdout.strip() != "true":
        return []
    return [
        "git: older commits still hold the registry and the page as they were. To purge them, write their "
        "name (one line: NAME==>) in a file outside the repository and run `git filter-repo --replace-text "
        "FILE` (or BFG Repo-Cleaner), then force-push every branch and ask the host to purge cached views "
        "(GitHub: the support form for removing sensitive data); everyone with a clone must clone again "
        "(docs/privacy.md)"
    ]


def erase_signer(
    config: Config, who: str, when: str, *, lock_wait: float, say: Callable[[str], None]
) -> None:
    """`signsync erase WHO`: under the registry's lock, erase them (`erase`), then write the page
    and the data file again from the registry without them. `say` gets the lines for the user as
    they happen (what was erased and written), then which source rows still hold them."""
    from sync.operations.apply import apply_plan
    from sync.operations.plan import make_plan
    from sync.store.registry import load_registry
    from sync.store.state import check_hash_key
    from sync.support.files import interrupts_deferred, run_lock

    path = config.registry.path
    with run_lock(path, lock_wait):
        registry = load_registry(path)
        if not registry.exists:
            raise SignsyncError(f"no registry at {path} yet: nothing to erase")
        check_hash_key(config.hash_key, registry.state, registry.state_path)
        with interrupts_deferred():
            done = erase(config, registry, who, when)
        for line in done.lines:
            say(line)
        # The page and the data file, re-rendered from the registry now without them.
        the_plan = make_plan(config)
        if any(f.role in ("page", "data") and f.changed for f in the_plan.files):
            for note in apply_plan(config, the_plan):
                say(note)
    for line in source_rows(config, done.erased) + history_advice(config):
        say(line)
