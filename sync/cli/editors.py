"""The editors' commands: review the held entries and decide (approve, reject, merge, rename,
sort-as, withdraw, restore, add, pin, unpin). Each decision lands in the registry file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sync.cli.common import CONFIG_OPTION, load, lock_wait, now
from sync.errors import SignsyncError

if TYPE_CHECKING:
    from sync.config import Config
    from sync.model import Signatory
    from sync.operations.editor import Decision, Held


# --- editors' review commands -------------------------------------------------------------


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
        config, decide, lock_wait=lock_wait(), may_create=may_create, check_key=check_key
    )
    for message in decision.messages:
        click.echo(message, err=True)
    if not written:
        click.echo("Nothing changed: the registry already says so (no file written).", err=True)
        return
    click.echo(
        "Registry updated; `signsync plan` shows the page change, `signsync apply` publishes it.", err=True
    )


@click.command()
@CONFIG_OPTION
@click.option("--all", "include_all", is_flag=True, help="List every entry, not only those held.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
def review(config_path: str, include_all: bool, as_json: bool) -> None:
    """List entries held for review, with reasons and suggested duplicates, and published
    entries with a note (a namesake or a similar name at another address)."""
    from sync.operations.editor import held_entries
    from sync.operations.plan_file import signatory_json
    from sync.store.registry import load_registry

    config = load(config_path)
    registry = load_registry(config.registry.path)
    held = held_entries(registry.signatories, include_all)
    if as_json:
        click.echo(
            json.dumps(
                [{**signatory_json(h.entry), "suggestions": list(h.suggestions)} for h in held],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not held:
        click.echo("Nothing is held for review.")
        return
    for h in held:
        _show_held(h, config)


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


@click.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def approve(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish held entries (ids or unique id prefixes). A withdrawn entry is refused:
    only `signsync restore` publishes it again."""
    from sync.operations.editor import set_status

    when = now()
    _decide(config_path, lambda sigs, _: set_status(sigs, list(ids), "published", when=when))


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
def merge(config_path: str, entry_id: str, into_id: str) -> None:
    """Merge ENTRY_ID into INTO_ID (the same signer twice); INTO_ID's name is kept, and the
    stricter status of the two (a withdrawn or rejected entry is never published by a merge)."""
    from sync.operations.editor import merge as merge_entries

    when = now()
    _decide(config_path, lambda sigs, _: merge_entries(sigs, entry_id, into_id, when=when))


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
def withdraw(config_path: str, who: str, reason: str) -> None:
    """Remove a signer at their request, by id, email address or name. Permanent: a later
    response from the same email stays withdrawn until `signsync restore`."""
    from sync.operations.editor import withdraw as withdraw_entry

    when = now()
    _decide(
        config_path,
        lambda sigs, config: withdraw_entry(sigs, who, config.hash_key, reason, when=when),
        check_key=True,
    )


@click.command()
@CONFIG_OPTION
@click.argument("ids", nargs=-1, required=True)
def restore(config_path: str, ids: tuple[str, ...]) -> None:
    """Publish withdrawn or rejected entries again (the only command that undoes a withdrawal)."""
    from sync.operations.editor import set_status

    when = now()
    _decide(
        config_path,
        lambda sigs, _: set_status(sigs, list(ids), "published", action="restore", when=when),
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
def add(
    config_path: str,
    name: str | None,
    affiliation: str,
    kind: str | None,
    signed: str | None,
    note: str,
    from_file: str | None,
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
        return add_entries(sigs, entries, config.hash_key, config.names.policy, watchlist)

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
