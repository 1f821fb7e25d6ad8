"""`signsync rekey`: move a registry to a new SIGNSYNC_HASH_KEY (after the old one leaked).

Every hash in the registry (response fingerprints, email keys) is recomputed from the source
rows it came from: each row is hashed under the old key (to find it in the registry) and the
new key (what the registry gets). Nothing else changes: ids, names, statuses, the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sync.config import Config
from sync.errors import ConfigError, SignsyncError
from sync.intake.responses import key_check_value, to_submissions
from sync.intake.sources import read_responses
from sync.model import Signatory
from sync.store.registry import load_registry, write_registry
from sync.store.state import ABSENT
from sync.support.files import atomic_write_text, check_writable, interrupts_deferred

OLD_KEY_VAR = "SIGNSYNC_OLD_HASH_KEY"


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """What a rekey did, for the user."""

    entries: int
    responses: int
    emails: int
    dropped: int


def rekey(config: Config, old_key: str, new_key: str, *, drop_unmatched: bool = False) -> Rekeyed:
    """Rewrite the registry's hashes under `new_key` and record the new key's check value.
    Safe to run again after an interrupted run (hashes already new are kept)."""
    if old_key == new_key:
        raise ConfigError(
            f"{OLD_KEY_VAR} and SIGNSYNC_HASH_KEY are the same: set SIGNSYNC_HASH_KEY to the new key"
        )
    path = config.registry.path
    registry = load_registry(path)
    if not registry.exists:
        raise SignsyncError(
            f"no registry at {path}: there is nothing to rekey (the next apply uses the new key)"
        )
    recorded = registry.state.key_check
    if recorded and recorded not in (key_check_value(old_key), key_check_value(new_key)):
        raise ConfigError(
            f"{OLD_KEY_VAR} is not the key this registry was made with (its check value is in "
            f"{registry.state_path}): set {OLD_KEY_VAR} to the key used until now"
        )
    table = read_responses(config, None)
    old = to_submissions(table, config.columns.by_field(), old_key).submissions
    new = to_submissions(table, config.columns.by_field(), new_key).submissions
    responses = {o.fingerprint: n.fingerprint for o, n in zip(old, new, strict=True)}
    emails = {o.email_key: n.email_key for o, n in zip(old, new, strict=True) if o.email_key}
    domains = {
        o.email_domain_key: n.email_domain_key for o, n in zip(old, new, strict=True) if o.email_domain_key
    }
    done_responses, done_emails = set(responses.values()), set(emails.values())
    done_domains = set(domains.values())
    used = {h for s in registry.signatories for h in s.responses}
    if used and recorded is None and not used & (set(responses) | done_responses):
        raise ConfigError(
            f"none of the registry's responses hash to the same value under {OLD_KEY_VAR}: "
            "set it to the key used until now"
        )
    out: list[Signatory] = []
    dropped = 0
    for s in registry.signatories:
        r, lost_r = _moved(s.responses, responses, done_responses)
        e, lost_e = _moved(s.email_keys, emails, done_emails)
        d, lost_d = _moved(s.domain_keys, domains, done_domains)
        dropped += lost_r + lost_e + lost_d
        out.append(replace(s, responses=r, email_keys=e, domain_keys=d))
    if dropped and not drop_unmatched:
        raise SignsyncError(
            f"{dropped} hash(es) in {path} come from rows the source no longer holds, so they "
            "cannot be recomputed: restore those rows in the source, or rerun with "
            "--drop-unmatched to drop them (the entries stay; a later response from the same "
            "person may then be taken for a new signer)"
        )
    state = replace(registry.state, key_check=key_check_value(new_key), applied=ABSENT)
    check_writable(path, "[registry] path")
    check_writable(registry.state_path, "the registry's state")
    with interrupts_deferred():
        # The registry first: interrupted after it, a rerun finds the new hashes and keeps them.
        write_registry(registry, out, config.registry.shard_rows)
        atomic_write_text(registry.state_path, state.dump())
    return Rekeyed(
        entries=len(out),
        responses=sum(len(s.responses) for s in out),
        emails=sum(len(s.email_keys) for s in out),
        dropped=dropped,
    )


def _moved(hashes: tuple[str, ...], mapping: dict[str, str], done: set[str]) -> tuple[tuple[str, ...], int]:
    kept: list[str] = []
    lost = 0
    for h in hashes:
        if h in mapping:
            kept.append(mapping[h])
        elif h in done:
            kept.append(h)
        else:
            lost += 1
    return tuple(dict.fromkeys(kept)), lost
