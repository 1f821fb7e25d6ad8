"""`signsync rekey` and `signsync reshard`: the registry moved to a new key, or new files."""

from __future__ import annotations

import click

from sync.cli.common import CONFIG_OPTION, load, lock_wait


@click.command()
@CONFIG_OPTION
@click.option(
    "--drop-unmatched",
    is_flag=True,
    help="Drop hashes whose source rows are gone (otherwise rekey refuses and changes nothing).",
)
def rekey(config_path: str, drop_unmatched: bool) -> None:
    """Move the registry to a new SIGNSYNC_HASH_KEY, for a key that leaked: set the new key as
    SIGNSYNC_HASH_KEY and the old one as SIGNSYNC_OLD_HASH_KEY. Every hash is recomputed from
    the source rows; names, ids and the page do not change."""
    from sync.operations.rekey import OLD_KEY_VAR
    from sync.operations.rekey import rekey as rekey_registry
    from sync.support.files import run_lock

    config = load(config_path)
    new_key = config.hash_key
    old_key = config.secret(OLD_KEY_VAR, required=True, hint="the key used until now")
    assert old_key is not None
    with run_lock(config.registry.path, lock_wait()):
        done = rekey_registry(config, old_key, new_key, drop_unmatched=drop_unmatched)
    click.echo(
        f"Rekeyed {done.entries} entries ({done.responses} response and {done.emails} email hashes"
        + (f"; {done.dropped} dropped" if done.dropped else "")
        + f"). Now remove {OLD_KEY_VAR} and keep the new SIGNSYNC_HASH_KEY.",
        err=True,
    )


@click.command()
@CONFIG_OPTION
def reshard(config_path: str) -> None:
    """Lay the registry out again in files of [registry] shard_rows entries each (for a registry
    made before shards existed, or after lowering shard_rows). Entries and the page do not change.
    Safe to interrupt: run it again to finish."""
    from sync.operations.reshard import reshard as reshard_registry
    from sync.support.files import run_lock

    config = load(config_path)
    with run_lock(config.registry.path, lock_wait()):
        done = reshard_registry(config.registry.path, config.registry.shard_rows)
    if not done.written and not done.removed:
        click.echo(
            f"Nothing to do: {done.entries} entries are already in {done.files} file(s) of at most "
            f"{config.registry.shard_rows} entries.",
            err=True,
        )
        return
    click.echo(
        ("Finished an interrupted reshard: " if done.resumed else "Resharded: ")
        + f"{done.entries} entries in {done.files} file(s) of at most {config.registry.shard_rows} "
        f"(largest {done.largest_bytes / 1e6:.1f} MB); wrote {len(done.written)}"
        + (f", removed {len(done.removed)}" if done.removed else "")
        + ". Commit the registry files together.",
        err=True,
    )
