"""Make a plan in memory: read, reconcile, render, diff. Nothing is written here.

`sync.operations.plan_file` prints, saves and loads a plan; `sync.operations.apply` writes
exactly what it holds, after checking that nothing it was made against has changed since.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from render.labels import OCCASIONAL_WORDS
from render.page import checksum, is_legacy_checksum, legacy_checksum, meaning, region_text, replace_region
from render.section import render_section
from sync import __version__
from sync.cache import (
    Cache,
    CachedLister,
    CacheUnavailable,
    CacheUpdate,
    DuplicateInShards,
    cache_shard_writes,
)
from sync.config import Config
from sync.dedupe.reconcile import reconcile, reconcile_changes
from sync.errors import ConfigError, MarkerError
from sync.intake.responses import DateOrder, key_check_value, map_columns, to_submissions
from sync.intake.sources import read_responses
from sync.model import (
    Change,
    FileChange,
    Plan,
    ReasonCode,
    RecentSection,
    ResponseTable,
    ReviewBasis,
    Section,
    Signatory,
    Submission,
    Summary,
    text_sha256,
)
from sync.names import Watchlist, load_watchlist
from sync.operations import self_service
from sync.operations.waiting import oldest_waiting
from sync.publish.listing import LoadedLister, PageStyle, published_section
from sync.publish.targets import page_target
from sync.publish.targets.data_file import data_file_target
from sync.store.privacy import (
    PRIVATE_KEY_VAR,
    Sealer,
    has_private_text,
    public_reason,
    sealer_of,
    without_private_text,
)
from sync.store.registry import (
    Registry,
    assign_shards,
    check_registry_files,
    dump_registry,
    load_registry,
    registry_file_digests,
    registry_fingerprint,
    shard_path,
)
from sync.store.state import PageRecord, State, check_hash_key, state_path_for
from sync.support.diffs import unified_diff
from sync.support.files import (
    file_digest,
)
from sync.support.progress import stage

PRIVACY_VERSION = 1  # State.privacy: the registry keeps entries private (sync/store/privacy.py)


def page_style(config: Config) -> PageStyle:
    """The page's language (words, plural and number forms, sorting), entry format and template."""
    from render.labels import page_words

    page = config.page
    return PageStyle(page_words(page.language, page.labels), page.entry_format, page.template)


def page_format(config: Config, label: str) -> str:
    fmt = config.page.format
    if fmt != "auto":
        return fmt
    return "markdown" if label.lower().endswith((".md", ".markdown")) else "html"


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class PlanRun:
    """A plan made in this process, with what stays in this process and is never saved with
    it: the cache's pending update (an open SQLite handle, recorded after apply's files) and
    the self-service addresses read for this run's emails (sync.operations.self_service)."""

    plan: Plan
    cache_update: CacheUpdate | None = None
    mail: Mapping[str, str] | None = None


def make_plan(config: Config, *, full: bool = False, lean: bool = False, registry_only: bool = False) -> Plan:
    """Read the responses and the registry, reconcile, render: everything apply will write
    (`make_run` without what only this process may hold)."""
    return make_run(config, full=full, lean=lean, registry_only=registry_only).plan


def make_run(
    config: Config, *, full: bool = False, lean: bool = False, registry_only: bool = False
) -> PlanRun:
    """Read the responses and the registry, reconcile, render: everything apply will write.

    `full`: read every response again, ignoring the source's cursor (catches edits in the sheet
    above the rows an incremental read re-checks). `lean` (apply): the plan need not hold the
    whole registry (`signatories` and `previous` stay empty), so a run with nothing new never
    reads it, and the other runs read only what they need from the cache (sync/cache/).
    `registry_only` (`signsync publish`): no response is read; the page shows the registry as it
    is (a reviewed pull request merged), nothing unreviewed."""
    hash_key = config.hash_key
    registry_path = config.registry.path
    # The hourly run's common case, decided before the registry is read: no new response, and
    # neither the registry, the config nor the published files changed since the last apply.
    state, state_text = State.load(registry_path)
    stage("reading responses")
    check_hash_key(hash_key, state, state_path_for(registry_path))
    check_registry_files(registry_path, state)
    check_consent_kept(config, state)
    table, signer_side, hashed = _read_sources(config, state, full, registry_only)
    signer_waiting = signer_side is not None and bool(signer_side.pending)
    # The header is checked on every run, also when no row is new: a renamed question is
    # an error now, not when the next response arrives.
    map_columns(table.headers, config.columns.by_field(), table.origin)
    stage("checking the registry files")
    hashed = hashed if hashed is not None else registry_file_digests(registry_path)
    registry_sha = registry_fingerprint([(p.name, sha) for _n, p, sha in hashed])
    applied = _inputs_fingerprint(config, table, registry_sha)
    earlier = table.earlier
    migrated = state.privacy == PRIVACY_VERSION or not hashed  # no registry: nothing to convert
    quick = not (signer_waiting or registry_only) and migrated
    if applied is not None and state.applied == applied and quick:
        seen = sum(1 for row in table.rows if any(c.strip() for c in row.cells))
        blank = len(table.rows) - seen + earlier.blank
        seen += earlier.responses  # rows a CSV cursor did not read again: counted as a full read does
        signatories = () if lean else load_registry(registry_path).signatories
        waiting = oldest_waiting(signatories, set(state.published or ()), _now(), table.time_zone)
        return PlanRun(
            Plan(
                summary=Summary(responses=seen, unchanged=seen, skipped_blank=blank),
                changes=(),
                signatories=signatories,
                files=(),
                notes=(
                    f"read {table.origin}: {table.read_path}",
                    "nothing new, and nothing changed since the last apply",
                    *([waiting.sentence()] if waiting is not None else []),
                ),
                warnings=(
                    *table.rejected,
                    *_zone_warning(config, table),
                    *_empty_source_warning(table.origin, seen, state),
                ),
                previous=signatories,
                oldest_wait_hours=None if waiting is None else round(waiting.hours, 2),
                oldest_wait_id="" if waiting is None else waiting.id,
            )
        )
    stage("reading the registry")
    # The signers' own requests touch entries anywhere in the registry: read it whole then; and
    # a registry from before entries were kept private is read whole once, to seal them all.
    # Without the state's key check, the registry is read whole to check the key another way.
    known_key = state.key_check is not None or not hashed  # no registry yet: nothing to check against
    whole = signer_waiting or not migrated or not known_key
    cache = _open_cache(registry_path, hashed) if lean and not whole else None
    registry = load_registry(registry_path) if cache is None else None
    stage("reading names", len(table.rows))
    read = to_submissions(
        table,
        config.columns.by_field(),
        hash_key,
        config.columns.consent_yes,
        config.source.date_order,
        state.date_order,
    )
    date_order = read.date_order
    if not known_key and registry is not None:
        check_key_by_overlap(registry.signatories, read.submissions, registry_path)
    addresses = self_service.addresses_read(config, table)  # for the emails after apply, never saved
    table = replace(table, rows=())  # the submissions hold what is needed: free the raw cells
    watchlist = load_watchlist(None if config.names.watchlist is None else str(config.names.watchlist))
    policy = config.names.policy
    outcome = None
    signer = self_service.SignerOutcome()
    stage("reconciling", len(read.submissions))
    if cache is not None:
        outcome = _cached_outcome(config, cache, read.submissions, policy, watchlist, signer)
        if outcome is None:
            registry = load_registry(registry_path)
    if outcome is None:
        assert registry is not None
        outcome = _loaded_outcome(config, registry, read.submissions, policy, watchlist, signer_side, signer)
    skipped_blank, read_warnings = read.skipped_blank, read.warnings
    read_counts = (len(read.submissions), read.skipped_blank, read.unparsed)
    del read
    summary = replace(
        outcome.summary,
        responses=outcome.summary.responses + earlier.responses,
        unchanged=outcome.summary.unchanged + earlier.responses,
        skipped_blank=skipped_blank + earlier.blank,
    )
    warnings = [
        *table.rejected,
        *_zone_warning(config, table),
        *read_warnings,
        *([] if registry_only else _empty_source_warning(table.origin, summary.responses, state)),
    ]
    # Only where the registry is read whole (plan, a notifying apply): a lean apply says the same.
    waiting = (
        None
        if lean
        else oldest_waiting(outcome.signatories, set(state.published or ()), _now(), table.time_zone)
    )
    notes = [
        f"read {table.origin}: {table.read_path}",
        *consent_notes(config, outcome.changes, outcome.consent_answers),
        *outcome.privacy_notes,
        *([waiting.sentence()] if waiting is not None else []),
    ]

    base = config.base_dir
    files: list[FileChange] = []
    old_state = state
    state = replace(state, key_check=key_check_value(hash_key), privacy=PRIVACY_VERSION)
    state = _kept(
        config,
        state,
        date_order,
        _file_count(registry_path, [n for n, _p, _sha in hashed], outcome.registry_shas),
    )
    if table.cursor is not None:
        cursor = table.cursor
        if config.source.kind == "csv":
            cursor = _csv_cursor(config, table, read_counts)
        state = replace(state, cursor=cursor)
    style = page_style(config)
    if style.words.missing_translation and style.words.english - OCCASIONAL_WORDS:
        warnings.append(
            f"[page] language = {style.language!r}: signsync ships no words for it yet; the "
            "section's words are English: give them in [page.labels] (docs/page.md)"
        )
    lister = outcome.lister
    lister.style = style
    stage("rendering")
    state = replace(state, published=tuple(lister.published_ids()))
    stale_checksum = False
    if config.has_page:
        shown = config.page.max_listed
        section = lister.recent(shown, _full_list_url(config)) if shown else lister.full()
        page = _page_change(config, old_state, section, style, _previous_list(outcome, style))
        files.append(page.change)
        warnings += page.warnings
        state = replace(state, page=PageRecord(page.checksum))
        stale_checksum = page.stale_checksum
    data_file = data_file_target(config)
    if data_file is not None:
        files.append(data_file.change(lister.full()))
    files += outcome.registry_files
    signer_changes, signer_notes, signer_warnings, signer_file = self_service.plan_additions(
        config, signer_side, signer, _relative(self_service.state_path(registry_path), base)
    )
    notes += signer_notes
    warnings += signer_warnings
    if signer_file is not None:
        files.append(signer_file)
    files = [scrub_diff(f, outcome.private_texts) for f in files]
    # publish read no response: the next plan must read them all, so no quick "nothing new".
    applied = _inputs_fingerprint(config, table, registry_fingerprint(outcome.registry_shas), files)
    state = replace(state, applied=None if registry_only else applied)
    plan = _with_state(
        config,
        state_path_for(registry_path),
        state_text,
        state,
        files,
        stale_checksum,
        notes,
        Plan(
            summary=summary,
            changes=signer_changes + outcome.changes,
            signatories=outcome.signatories,
            files=tuple(files),
            notes=tuple(notes),
            warnings=tuple(warnings),
            previous=outcome.previous,
            oldest_wait_hours=None if waiting is None else round(waiting.hours, 2),
            oldest_wait_id="" if waiting is None else waiting.id,
        ),
    )
    return PlanRun(plan, outcome.cache_update, addresses)


def _kept(config: Config, state: State, order: DateOrder | None, files: int) -> State:
    """What later runs check, recorded: the date order the responses decided themselves (read
    new rows the same way), the number of registry files (a lost one stops the run), and the
    consent question (never dropped silently)."""
    if order is not None and order.how in ("data", "header", "separator", "recorded"):
        state = replace(state, date_order=order.order)
    other: dict[str, Any] = {**state.other, "registry_files": files}
    if config.columns.consent:
        other["consent_column"] = config.columns.consent
    return replace(state, other=other)


def _read_sources(
    config: Config, state: State, full: bool, registry_only: bool
) -> tuple[ResponseTable, Any, list[tuple[int, Path, str | None]] | None]:
    """The form's responses and the signers' own requests (self-service); neither for publish.
    With them, the registry files' hashes when deciding the source's cursor needed them."""
    if registry_only:
        return _no_responses(config), None, None
    cursor, hashed = _source_cursor(config, None if full else state.source_cursor, state)
    table = read_responses(config, cursor)
    return table, self_service.prepare(config, full=full), hashed


def _no_responses(config: Config) -> ResponseTable:
    """`signsync publish`: a source with the configured columns and no row."""
    headers = tuple(h for h in config.columns.by_field().values() if h)
    return ResponseTable(
        origin="the registry", headers=headers, rows=(), read_path="no responses read (publish)"
    )


def _file_count(registry_path: Path, before: list[int], after: list[tuple[str, str | None]]) -> int:
    """How many registry files there are after the plan: the highest shard number on disk or
    written (shards are numbered without gaps)."""
    numbers = set(before)
    for number in range(1, len(after) + max(before, default=0) + 2):
        if any(name == shard_path(registry_path, number).name and sha for name, sha in after):
            numbers.add(number)
    return max(numbers, default=1)


def _zone_warning(config: Config, table: ResponseTable) -> list[str]:
    """[source] timezone set for a Google Sheet that says otherwise: the sheet's own is used
    (Google writes its timestamps in it), and the setting only misleads whoever reads it."""
    own, setting = table.time_zone, config.source.timezone
    if config.source.kind != "sheet" or not own or not setting or own == setting:
        return []
    return [
        f"{table.origin}: its own time zone is {own}, which its timestamps are written in, and it is used; "
        f'[source] timezone = "{setting}" applies to a CSV only: remove it (or change the sheet\'s time '
        "zone in File > Settings if that is what is wrong)"
    ]


def _now() -> datetime:
    """Now, aware (the waits compare it with timestamps placed in their own time zone)."""
    return datetime.now(UTC)


def check_consent_kept(config: Config, state: State) -> None:
    """A consent question that the registry was kept with stays configured: without it every
    response would count as a yes (a "No" published) and be recorded again as a new response
    (its fingerprint holds the answer)."""
    was = state.other.get("consent_column")
    if config.columns.consent or not isinstance(was, str) or not was:
        return
    raise ConfigError(
        f"{config.path}: [columns] consent is not set, but this registry was kept with the consent "
        f"question '{was}': without it every response would count as consenting and a signer who "
        f'said No would be published; set consent = "{was}" again (if the form no longer asks it, keep '
        "the column in the sheet: the earlier answers stay there, and new responses with it empty "
        "are held for review)"
    )


def check_key_by_overlap(
    signatories: tuple[Signatory, ...], submissions: tuple[Submission, ...], registry_path: Path
) -> None:
    """Without the state's key check (the state file lost), the key is checked by the data: a
    registry of form responses and a source of responses with email addresses that have no
    email hash and no response in common mean another key (or another form)."""
    known_emails = {k for s in signatories for k in s.email_keys}
    if not known_emails:
        return  # entries added by hand only: nothing to compare
    emails = {sub.email_key for sub in submissions if sub.email_key}
    if not emails or emails & known_emails:
        return
    known_responses = {r for s in signatories for r in s.responses}
    if any(sub.fingerprint in known_responses for sub in submissions):
        return
    raise ConfigError(
        f"none of the {len(submissions)} responses matches any of the registry's entries (no email "
        f"and no response in common), and {state_path_for(registry_path).name} with the key's check "
        "is gone: SIGNSYNC_HASH_KEY is most likely not the key this registry was made with; set the "
        "old key again (or restore the state file from git); if [source] now reads another form, "
        "give it a registry of its own ([registry] path)"
    )


def _empty_source_warning(origin: str, responses: int, state: State) -> list[str]:
    """The responses hold no row while the registry publishes entries: say so (the sheet was
    emptied, or [source] reads another one), rather than a quiet "Nothing to change"."""
    published = state.published
    if responses or not published:
        return []
    return [
        f"{origin} holds no responses while the registry publishes {len(published)} entries: the "
        "form's responses were deleted, or [source] names another sheet or file; check [source] "
        "(nothing is removed from the registry or the page)"
    ]


@dataclass(slots=True)
class _Outcome:
    """Reconciled, with the published list and the registry files as the plan leaves them."""

    summary: Summary
    changes: tuple[Change, ...]
    lister: LoadedLister | CachedLister
    registry_files: list[FileChange]
    registry_shas: list[tuple[str, str | None]]  # every registry file after the plan, by shard
    signatories: tuple[Signatory, ...] = ()
    previous: tuple[Signatory, ...] = ()
    cache_update: CacheUpdate | None = None
    private_texts: frozenset[str] = frozenset()  # what diffs must not show (sync/store/privacy.py)
    consent_answers: tuple[str, ...] = ()  # the answers that held responses, for consent_notes
    privacy_notes: tuple[str, ...] = ()


def _loaded_outcome(
    config: Config,
    registry: Registry,
    submissions: tuple[Submission, ...],
    policy: str,
    watchlist: Watchlist,
    signer_side: self_service.SignerSide | None = None,
    signer: self_service.SignerOutcome | None = None,
) -> _Outcome:
    """Reconcile with the whole registry in memory (plan, reviews, and apply without a cache),
    after the signers' own requests (self-service) are applied."""
    signer = signer or self_service.SignerOutcome()
    sealer = sealer_of(config)
    start = self_service.before_reconcile(signer_side, registry.signatories, config, watchlist, signer)
    result = reconcile(start, submissions, policy=policy, watchlist=watchlist, sealer=sealer)
    by_id = {s.id: s for s in result.signatories}
    earlier = {s.id: s for s in start} if config.self_service is not None else {}
    held, changes, summary = self_service.after_reconcile(
        config, by_id, result.changes, result.summary, signer, earlier.get
    )
    if held:
        result = replace(
            result,
            signatories=tuple(held.get(s.id, s) for s in result.signatories),
            changes=changes,
            summary=summary,
        )
    # Entries kept private that a registry from an older signsync still holds in clear (or that
    # a signer's own withdrawal just made private).
    legacy = [s for s in result.signatories if has_private_text(s)]
    signatories = tuple(sealer.seal(s) if has_private_text(s) else s for s in result.signatories)
    result = replace(result, signatories=signatories)
    layout = assign_shards(result.signatories, registry.shard_of(), shard_rows=config.registry.shard_rows)
    existing = {sh.number: sh for sh in registry.shards}
    files = []
    shas: list[tuple[str, str | None]] = []
    for number in sorted(set(layout) | set(existing)):
        path = shard_path(registry.path, number)
        before = existing[number].text if number in existing else None
        after = dump_registry(layout.get(number, []))
        label = _relative(path, config.base_dir)
        files.append(FileChange(label, text_sha256(before), after, unified_diff(before, after, label)))
        shas.append((path.name, text_sha256(after)))
    return _Outcome(
        result.summary,
        result.changes,
        LoadedLister(result.signatories),
        files,
        shas,
        result.signatories,
        _as_published_before(_unnamed(registry.signatories, result.signatories), registry.state.published),
        private_texts=private_texts(registry.signatories, result.signatories, submissions),
        consent_answers=_consent_answers(submissions, result.changes),
        privacy_notes=tuple(migration_notes(legacy, sealer)),
    )


def _unnamed(before: tuple[Signatory, ...], after: tuple[Signatory, ...]) -> tuple[Signatory, ...]:
    """The registry before the plan, without the text of anyone the plan keeps private (a review
    lists who leaves the page: not them, by name)."""
    sealed = {s.id: s.consent for s in after if s.sealed}
    return tuple(
        without_private_text(replace(s, consent=sealed[s.id])) if s.id in sealed else without_private_text(s)
        for s in before
    )


def _full_list_url(config: Config) -> str:
    """Where the page's link to the whole list goes: [page] full_list_url, else the data file
    relative to the page."""
    if config.page.full_list_url:
        return config.page.full_list_url
    if config.page.data_file is not None and config.page.path is not None:
        return Path(os.path.relpath(config.page.data_file, config.page.path.parent)).as_posix()
    return ""


def _open_cache(registry_path: Path, hashed: list[tuple[int, Path, str | None]]) -> Cache | None:
    """The registry's cache, in step with its files; None when it cannot be used (the run
    then reads the whole registry, with the same result)."""
    if os.environ.get("SIGNSYNC_CACHE", "1") == "0":
        return None
    cache = Cache(registry_path)
    try:
        cache.open()
        cache.prune()
        cache.sync(hashed)
    except (CacheUnavailable, sqlite3.Error, DuplicateInShards):
        cache.close()
        return None
    except BaseException:
        cache.close()
        raise
    return cache


def _previous_list(outcome: _Outcome, style: PageStyle) -> Callable[[], Section]:
    """The published list as the registry held it before this run (rendered only when a state
    from an older signsync needs it): from the registry in memory, or from the cache."""
    lister = outcome.lister
    if isinstance(lister, CachedLister):
        return lambda: CachedLister(lister.cache, {}, style).full()
    return lambda: published_section(outcome.previous, style)


def _cached_outcome(
    config: Config,
    cache: Cache,
    submissions: tuple[Submission, ...],
    policy: str,
    watchlist: Watchlist,
    signer: self_service.SignerOutcome,
) -> _Outcome | None:
    """Reconcile against the cache: only the entries the new responses touch are read, and
    only the shards that change are written (sync/cache/)."""

    def label(number: int) -> str:
        return _relative(shard_path(cache.registry_path, number), config.base_dir)

    def diff(number: int, before: str | None, after: str) -> str:
        return unified_diff(before, after, label(number))

    try:
        view = cache.view()
        changed = reconcile_changes(
            view, submissions, policy=policy, watchlist=watchlist, sealer=sealer_of(config)
        )
        before = [s for s in (view.get(sid) for sid, new in changed.updates.items() if new.sealed) if s]
        held, changes, summary = self_service.after_reconcile(
            config, changed.updates, changed.changes, changed.summary, signer, view.get
        )
        if held:
            changed = replace(changed, updates={**changed.updates, **held}, changes=changes, summary=summary)
        # Each shard's diff made as its new text is: the plan keeps the new texts only.
        shards = cache_shard_writes(cache, changed.updates, config.registry.shard_rows, diff)
    except sqlite3.Error:
        cache.close()
        return None
    files = []
    for w in shards.writes:
        assert w.diff is not None
        files.append(FileChange(label(w.number), w.before_text_sha, w.text, w.diff))
    return _Outcome(
        changed.summary,
        changed.changes,
        CachedLister(cache, changed.updates),
        files,
        shards.shas,
        cache_update=CacheUpdate(cache, shards.writes),
        private_texts=private_texts(before, list(changed.updates.values()), submissions),
        consent_answers=_consent_answers(submissions, changed.changes),
    )


def _with_state(
    config: Config,
    state_path: Path,
    old_text: str | None,
    state: State,
    files: list[FileChange],
    stale_checksum: bool,
    notes: list[str],
    plan: Plan,
) -> Plan:
    """The plan with the state file added when it must be written."""
    base = config.base_dir
    state_text = state.dump()
    # The state (cursor, checksum) is written only along with a real change: a rerun with
    # nothing new must change no byte. The one exception is a recorded checksum that no longer
    # matches the list signsync would write and the page already shows (a run that died after
    # the page but before the state): left stale, the next new signer would make signsync take
    # its own list for a hand edit.
    if stale_checksum and not any(f.changed for f in files):
        notes.append(
            f"{_relative(state_path, base)}: the recorded checksum of the list is out "
            "of date (an earlier run stopped before saving it); apply records it"
        )
    if (any(f.changed for f in files) or stale_checksum) and state_text != old_text:
        state_label = _relative(state_path, base)
        files.append(
            FileChange(
                state_label,
                text_sha256(old_text),
                state_text,
                "",  # never shown (show=False): a diff of every published id is not made
                show=False,
                role="state",
            )
        )
    return replace(plan, files=tuple(files), notes=tuple(notes))


def consent_notes(config: Config, changes: tuple[Change, ...], answers: tuple[str, ...] = ()) -> list[str]:
    """What the plan says once about consent: that the form asks none, or which answers held
    entries because they are not a yes (the answers, never who gave them)."""
    if not config.columns.consent:
        return [
            "no consent question configured ([columns] consent): every response counts as "
            "consenting to publication"
        ]
    kept = (public_reason("declined"), public_reason("blank"))
    held = [c for c in changes if c.action in ("hold", "reject") and c.reason in kept]
    if not held:
        return []
    shown = f" ({', '.join(answers[:10])}{', ...' if len(answers) > 10 else ''})" if answers else ""
    return [
        f"{len(held)} held without an explicit yes to the consent question{shown}: if an "
        "answer means yes, add it to [columns] consent_yes"
    ]


def _as_published_before(
    signatories: tuple[Signatory, ...], shown: tuple[str, ...] | None
) -> tuple[Signatory, ...]:
    """The registry as it was last published: an editor's command since then (approve,
    withdraw) changed the registry but not yet the page."""
    if shown is None:
        return signatories
    on_page = set(shown)
    return tuple(
        replace(s, status="published")
        if s.id in on_page
        else replace(s, status="pending")
        if s.status == "published"
        else s
        for s in signatories
    )


def _source_cursor(
    config: Config, cursor: Any, state: State
) -> tuple[dict[str, Any] | None, list[tuple[int, Path, str | None]] | None]:
    """The cursor to read the source from, and the registry files' hashes when they were needed
    to decide it. A CSV's cursor counts the rows it read as in the registry: true only of the
    registry, config and version of signsync the last apply (which wrote it) recorded; an
    editor's command or a hand edit changes them."""
    if config.source.kind != "csv" or not isinstance(cursor, dict):
        return cursor, None
    hashed = registry_file_digests(config.registry.path)
    registry_sha = registry_fingerprint([(p.name, sha) for _n, p, sha in hashed])
    applied = state.applied if isinstance(state.applied, dict) else {}
    now = (__version__, file_digest(config.path), registry_sha)
    if (applied.get("version"), applied.get("config"), applied.get("registry")) != now:
        cursor = {**cursor, "stale": "the registry or the config changed since the last apply"}
    return cursor, hashed


def _csv_cursor(config: Config, table: ResponseTable, read: tuple[int, int, int]) -> dict[str, Any]:
    """The CSV source's cursor, with the rows read up to it (`read`: this read's rows with an
    answer, blank rows, and unparsed timestamps with the earlier rows')."""
    assert table.cursor is not None
    cursor = {k: v for k, v in table.cursor.items() if k != "again"}
    if not table.cursor.get("again"):  # else it stays where it was: this read is not counted in it
        earlier = table.earlier
        cursor.update(responses=earlier.responses + read[0], blank=earlier.blank + read[1], unparsed=read[2])
    return cursor


def _inputs_fingerprint(
    config: Config,
    table: ResponseTable,
    registry_sha: str | None,
    files: list[FileChange] | None = None,
) -> dict[str, Any] | None:
    """What a plan depends on besides new responses: the registry, the config, this version of
    signsync, the published files, and (for a CSV) the responses file. None when the source
    returned rows that may be new (an incremental sheet read returns only rows past the cursor).

    With `files` (planning): the files as the plan leaves them. Without (checking): as they are
    now, read from disk or the publish target."""
    source_sha = None
    if config.source.kind == "csv":
        assert config.source.path is not None  # parse_config checked it
        source_sha = file_digest(config.source.path)
    elif table.rows and files is None:
        return None  # rows past the cursor: maybe new
    published: dict[str, str | None] = {}
    if files is not None:
        published = {f.role: text_sha256(f.after) for f in files if f.role in ("page", "data")}
    else:
        if config.has_page:
            published["page"] = text_sha256(page_target(config).read().content)
        data_file = data_file_target(config)
        if data_file is not None:
            published["data"] = text_sha256(data_file.read())
    return {
        "version": __version__,
        "config": file_digest(config.path),
        "source": source_sha,
        "registry": registry_sha,
        **published,
    }


@dataclass(frozen=True, slots=True)
class PageChange:
    """The page with its list re-rendered, and what the state must record about it."""

    change: FileChange
    warnings: list[str]
    checksum: str  # of the new list, recorded in the state
    stale_checksum: bool  # the page shows the new list but the state records an older one


def _page_change(
    config: Config,
    state: State,
    section: Section | RecentSection,
    style: PageStyle,
    previous: Callable[[], Section],
) -> PageChange:
    """Re-render the list in the page; warn when the list was edited by hand.

    "Edited by hand" compares what a reader sees (`render.page.meaning`), not bytes: the block
    editor writing `&#39;` back as `'`, or WordPress's HTML filter dropping a tag, is no edit.
    `previous`: the list as last published, for states that recorded a checksum of bytes."""
    target = page_target(config)
    snap = target.read()
    if snap.content is None:
        raise MarkerError(
            f"{snap.label}: no such page: create it with the marker pair "
            "<!-- signatories:start --> and <!-- signatories:end --> where the list belongs"
        )
    fmt = page_format(config, snap.label)
    rendered = render_section(section, fmt, style.template)
    new_page = replace_region(snap.content, rendered, snap.label)
    current = region_text(snap.content, snap.label)
    new_region = region_text(new_page, snap.label)
    new_checksum = checksum(new_region, fmt)
    recorded = state.page.checksum if state.page else None
    writing = state.page.writing if state.page else None
    # Not hand edits: the page already holding the new list (a crash after the page), or the
    # list a run stopped mid-apply was writing (apply records it as `writing` before the page).
    ours = {recorded, writing, new_checksum}
    hand_edited = bool(recorded) and checksum(current, fmt) not in ours
    if hand_edited and any(is_legacy_checksum(c) for c in (recorded, writing) if c):
        # A state written before checksums covered the meaning: its checksum is of the bytes.
        # The page is ours if its bytes still match, or if it still means the list as last
        # published (the block editor may have re-serialised it since).
        hand_edited = legacy_checksum(current) not in ours and meaning(current, fmt) != meaning(
            render_section(previous(), fmt, style.template), fmt
        )
    warnings = []
    if hand_edited:
        warnings.append(
            f"{snap.label}: the list between the markers was edited by hand since signsync "
            "wrote it; apply would replace that edit. Move the edit into the registry "
            "or rerun apply with --force to discard it"
        )
    label = _relative(Path(snap.label), config.base_dir) if target.name == "file" else snap.label
    change = FileChange(
        label,
        text_sha256(snap.content),
        new_page,
        unified_diff(snap.content, new_page, label),
        role="page",
        target=target.name,
        meta={**snap.version, "hand_edited": hand_edited},
    )
    stale = current == new_region and state.page != PageRecord(new_checksum)
    return PageChange(change, warnings, new_checksum, stale)


def review_basis(plan: Plan, style: PageStyle | None = None) -> ReviewBasis:
    """What a review of `plan` compares (see `render.review_report`): the published list before and
    after (in the page's order when `style` is given), and the SHA-256 of the registry the plan
    started from."""
    digest = "none"
    registry_file = next((f for f in plan.files if f.role == "registry"), None)
    if registry_file is not None:
        digest = registry_file.before_sha256 or "none"
    elif plan.signatories:
        # The short path (nothing new) carries no files: the registry is as signsync wrote it.
        digest = text_sha256(dump_registry(plan.signatories)) or "none"
    return ReviewBasis(
        published_section(plan.previous, style), published_section(plan.signatories, style), digest
    )


def _consent_answers(submissions: tuple[Submission, ...], changes: tuple[Change, ...]) -> tuple[str, ...]:
    """The distinct answers (not a yes) of the responses this plan holds for consent, quoted."""
    from sync.dedupe.reconcile import consent_hold

    held = {fp for c in changes if c.action in ("hold", "reject") for fp in c.responses}
    out = set()
    for sub in submissions:
        if sub.fingerprint in held and sub.consent is False:
            why = consent_hold(sub)
            if why is not None and why.code is ReasonCode.CONSENT_NOT_YES:
                out.add(f"'{why.answer}'"[:40])
    return tuple(sorted(out))


def private_texts(
    before: Sequence[Signatory], after: Sequence[Signatory], submissions: tuple[Submission, ...]
) -> frozenset[str]:
    """The texts of people kept private that a diff could still show: their entries as an older
    registry or an earlier run held them (a name on the page before a revocation), and what
    they typed in this run's responses."""
    sealed = {s.id for s in after if s.sealed}
    fps = {fp for s in after if s.sealed for fp in s.responses}
    texts: set[str] = set()
    for s in before:
        if s.id in sealed:
            texts.update((s.name, s.affiliation, s.typed, s.sort_as, s.note))
            texts.update(r for r in s.reason.split("; ") if r != public_reason(s.consent))
    for sub in submissions:
        if sub.fingerprint in fps:
            texts.update((sub.name_raw.strip(), sub.affiliation_raw.strip()))
    return frozenset(t for t in texts if len(t.strip()) >= 3)


HIDDEN_LINE = "[a line about someone kept private is not shown]"


def scrub_diff(change: FileChange, texts: frozenset[str]) -> FileChange:
    """The file change with every diff line that quotes one of `texts` replaced: a diff shows
    what leaves a file too, and a person kept private must not be named even there."""
    if not texts or not change.diff:
        return change
    folded = [t.casefold() for t in texts]
    lines = change.diff.split("\n")
    out = []
    for line in lines:
        low = line.casefold()
        if line[:1] in "+- " and not line.startswith(("---", "+++")) and any(t in low for t in folded):
            out.append(line[:1] + HIDDEN_LINE)
        else:
            out.append(line)
    return replace(change, diff="\n".join(out))


def migration_notes(legacy: Sequence[Signatory], sealer: Sealer) -> list[str]:
    """What the plan says when it seals entries an older signsync wrote in clear."""
    if not legacy:
        return []
    where = (
        f"sealed in the registry's private column with {PRIVATE_KEY_VAR}"
        if sealer.has_key
        else f"not kept ({PRIVATE_KEY_VAR} is not set: set it before apply to keep them for editors)"
    )
    return [
        f"{len(legacy)} entries kept off the page (no yes to publication, revoked or withdrawn) still "
        f"held names in the registry: apply removes them; their text is {where}. Published entries "
        "do not change"
    ]


# --- the plan as JSON --------------------------------------------------------------------
