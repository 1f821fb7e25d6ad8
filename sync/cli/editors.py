"""The editors' commands: review the held entries and decide (approve, reject, merge, rename,
sort-as, withdraw, restore, add, pin, unpin). Each decision lands in the registry file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sync.cli.common import CONFIG_OPTION, load, lock_wait, now
from sync.errors import SignsyncError

if TYPE_CHECKING:
    from sync.config import Config
    from sync.model import Signatory
    from sync.operations.editor import Decision, Held
    from sync.store.privacy import Sealer


# --- editors' review commands -------------------------------------------------------------


def sealer_of(config: Config) -> Sealer:
    """The sealer of the registry's private column (SIGNSYNC_PRIVATE_KEY, sync/store/privacy.py)."""
    from sync.store.privacy import sealer_of as make

    return make(config)


def _decide(
    config_path: str,
    decide: Callable[[tuple[Signatory, ...], Config], Decision],
    *,
    may_create: bool = False,
    check_key: bool = False,
) -> None:
    """Make one editor's decision in the registry (`record_decision`) and say what it did."""
    from sync.operations.editor import record_decision

    config = load(config_path)
    decision, written = record_decision(
        config,
        decide,
        lock_wait=lock_wait(),
        may_create=may_create,
        check_key=check_key,
        command=_command_line(),
    )
    for message in decision.messages:
        click.echo(message, err=True)
    if not written:
        click.echo("Nothing changed: the registry already says so (no file written).", err=True)
        return
    click.echo(
        "Registry updated; `signsync plan` shows the page change, `signsync apply` publishes it.", err=True
    )


def _command_line() -> str:
    """The editor's command as typed, for `signsync undo` to name ("signsync merge a b")."""
    ctx = click.get_current_context()
    return " ".join(["signsync", ctx.info_name or "", *sys.argv[2:]]).strip()


@click.command()
@CONFIG_OPTION
def undo(config_path: str) -> None:
    """Undo the last editor's command (approve, reject, merge, withdraw, add, ...): the registry
    goes back to what it was before it. Refused when the registry changed since (an apply, another
    command): git then holds the earlier versions."""
    from sync.operations.undo import undo_last
    from sync.support.files import run_lock

    config = load(config_path)
    with run_lock(config.registry.path, lock_wait()):
        command = undo_last(config.registry.path)
    click.echo(
        f"Undid `{command}`: the registry is as it was before it; `signsync plan` shows the page change.",
        err=True,
    )


@click.command()
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
    from sync.operations.plan_file import signatory_json
    from sync.store.privacy import PRIVATE_KEY_HINT, PRIVATE_KEY_VAR
    from sync.store.registry import load_registry

    config = load(config_path)
    registry = load_registry(config.registry.path)
    from sync.store.privacy import sealer_of

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
    from sync.operations.plan_file import signatory_json

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


@click.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def approve(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish held entries (ids or unique id prefixes). A withdrawn entry is refused:
    only `signsync restore` publishes it again."""
    from sync.operations.editor import set_status

    when = now()
    _decide(
        config_path,
        lambda sigs, config: set_status(sigs, list(ids), "published", when=when, sealer=sealer_of(config)),
    )


@click.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
@click.option(
    "--reason", required=True, help="Why (kept in the registry; an empty one keeps the earlier reason)."
)
def reject(config_path: str, ids: tuple[str, ...], reason: str) -> None:
    """Reject entries, with a reason; they stay in the registry, off the page."""
    from sync.operations.editor import set_status

    when = now()
    _decide(config_path, lambda sigs, _: set_status(sigs, list(ids), "rejected", reason, when=when))


@click.command()
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

    when = now()

    def decide(sigs: tuple[Signatory, ...], config: Config) -> Decision:
        risks = merge_risks(sigs, entry_id, into_id)
        if risks and not yes:
            raise SignsyncError(
                f"merging {entry_id} into {into_id}: {'; '.join(risks)}: if that is meant, run it again "
                "with --yes (nothing written)"
            )
        return merge_entries(sigs, entry_id, into_id, when=when, sealer=sealer_of(config))

    _decide(config_path, decide)


@click.command()
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("name")
def rename(config_path: str, entry_id: str, name: str) -> None:
    """Set the name shown for ENTRY_ID; it sticks across runs (for example "bell hooks")."""
    from sync.operations.editor import rename as rename_entry

    when = now()
    _decide(config_path, lambda sigs, _: rename_entry(sigs, entry_id, name, when=when))


@click.command("sort-as")
@CONFIG_OPTION
@click.argument("entry_id")
@click.argument("key")
def sort_as_command(config_path: str, entry_id: str, key: str) -> None:
    """Sort ENTRY_ID by KEY (its family name, say) where the rule gets it wrong; "" resets."""
    from sync.operations.editor import sort_as

    _decide(config_path, lambda sigs, _: sort_as(sigs, entry_id, key))


@click.command()
@CONFIG_OPTION
@click.argument("who")
@click.option("--reason", default="", help="Why (default: withdrawn at the signer's request).")
@click.option("--yes", "-y", is_flag=True, help="Withdraw every entry of an address several share.")
def withdraw(config_path: str, who: str, reason: str, yes: bool) -> None:
    """Remove a signer at their request, by id, email address or name. Permanent: a later
    response from the same email stays withdrawn until `signsync restore`."""
    from sync.operations.editor import withdraw as withdraw_entry

    when = now()
    _decide(
        config_path,
        lambda sigs, config: withdraw_entry(sigs, who, config.hash_key, reason, when=when, shared_ok=yes),
        check_key=True,
    )


@click.command()
@CONFIG_OPTION
@click.argument("who")
def erase(config_path: str, who: str) -> None:
    """Erase a signer at their request (by email address or id): their name, affiliation and
    everything they typed leave every file signsync keeps (registry, cache, page backups, the
    page and the data file). Only keyed hashes stay, so that a later response from them is held,
    never published. Says which sheet or CSV rows still hold them. Safe to run again."""
    from sync.operations.erase import erase_signer

    config = load(config_path)
    erase_signer(config, who, now(), lock_wait=lock_wait(), say=lambda line: click.echo(line, err=True))


@click.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def restore(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish rejected entries again, or a withdrawn signer who has since answered yes again
    (the only command that undoes a withdrawal; it reads their name with SIGNSYNC_PRIVATE_KEY)."""
    from sync.operations.editor import set_status

    when = now()
    _decide(
        config_path,
        lambda sigs, config: set_status(
            sigs, list(ids), "published", action="restore", when=when, sealer=sealer_of(config)
        ),
    )


@click.command()
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


@click.command("pin")
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
@click.option("--position", type=int, help="Where in the pinned entries (1 = first). Default: after them.")
def pin_command(config_path: str, ids: tuple[str, ...], position: int | None) -> None:
    """Keep entries at the top of their list.

    In the order given (a founding signer, a notable first signer); the rest keeps the page
    language's alphabetical order."""
    from sync.operations.editor import pin

    _decide(config_path, lambda sigs, _: pin(sigs, list(ids), position))


@click.command("unpin")
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def unpin_command(config_path: str, ids: tuple[str, ...]) -> None:
    """Put pinned entries back in alphabetical order."""
    from sync.operations.editor import unpin

    _decide(config_path, lambda sigs, _: unpin(sigs, list(ids)))
