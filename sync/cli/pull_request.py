"""`signsync review-decisions`: the boxes ticked in the review pull request, recorded."""

from __future__ import annotations

from pathlib import Path

import click

from sync.cli.common import CONFIG_OPTION, load, lock_wait, now


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
    from sync.operations.pr_ticks import read_event, record_ticks
    from sync.support.files import atomic_write_text

    config = load(config_path)
    event = read_event(Path(event_path))
    result = record_ticks(config, event, permission, branch, lock_wait=lock_wait(), when=now())
    if result.recorded is None:
        _not_recorded(result.why, result.tell)
        return
    if message_path:
        atomic_write_text(Path(message_path), result.recorded.commit_message)
    click.echo(result.recorded.commit_message, err=True)
    click.echo("decided=true")
    click.echo(f"editor={result.editor}")


def _not_recorded(why: str, tell: bool) -> None:
    """Nothing recorded: why, on stderr; `reason=` for $GITHUB_OUTPUT when boxes were ticked."""
    click.echo(why, err=True)
    click.echo("decided=false")
    if tell:
        click.echo(f"reason={' '.join(why.split())}")
