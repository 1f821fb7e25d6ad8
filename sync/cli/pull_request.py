"""`signsync review-decisions`: the boxes ticked in the review pull request, recorded."""

from __future__ import annotations

from pathlib import Path

import click

from sync.cli.common import CONFIG_OPTION, load, lock_wait, now
from sync.errors import SignsyncError


@click.command("review-decisions")
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
    from dataclasses import replace

    from sync.operations.plan import make_plan
    from sync.operations.pr_ticks import from_event, read_event, record, registry_digest
    from sync.store.registry import load_registry, write_registry
    from sync.support.files import atomic_write_text, run_lock

    config = load(config_path)
    event = read_event(Path(event_path))
    outcome = from_event(event, permission.strip(), branch)
    editor = str((event.get("sender") or {}).get("login", ""))
    number = str((event.get("pull_request") or {}).get("number", "?"))
    ticks = outcome.ticks
    if ticks is None:
        _not_recorded(outcome.message, outcome.refused)
        return
    path = config.registry.path
    with run_lock(path, lock_wait()):
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
            recorded = record(registry.signatories, waiting, ticks, editor, number, when=now())
        except SignsyncError as exc:
            _not_recorded(str(exc), True)
            return
        write_registry(registry, recorded.signatories, config.registry.shard_rows)
        if registry.state.published is None:
            # Keep what the page shows, so the next review lists these as new on the page.
            on_page = tuple(sorted(s.id for s in registry.signatories if s.status == "published"))
            atomic_write_text(registry.state_path, replace(registry.state, published=on_page).dump())
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
