"""Frozen value objects passed between the pipeline's stages.

source -> ResponseTable -> Submission -> (names) -> Signatory/Registry -> Plan -> publish
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any, Literal, overload

Status = Literal["published", "pending", "rejected", "withdrawn"]
Kind = Literal["individual", "organization"]
Action = Literal["add", "merge", "hold", "reject", "withdraw", "confirm", "correct"]

STATUSES: tuple[str, ...] = ("published", "pending", "rejected", "withdrawn")

# The signer's latest word on publication, where it keeps them off the page (the registry's
# `consent` column; '' = a yes, or a form that does not ask): declined (an answer that is not a
# yes), blank (no answer), revoked (a later answer that is not a yes), withdrawn (asked an
# editor to be removed), erased (`signsync erase`: only hashes are kept), renewed (a yes after a
# withdrawal or an erasure: held until an editor restores it). Nobody in these states is named in
# anything signsync writes or prints in public (sync/store/privacy.py).
CONSENT_STATES: tuple[str, ...] = ("declined", "blank", "revoked", "withdrawn", "erased", "renewed")
KINDS: tuple[str, ...] = ("individual", "organization")


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row as the source returned it: its 1-based row number (header = row 1) and cells."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EarlierRows:
    """Rows an earlier run read and applied that this read did not parse again (a CSV file's
    unchanged start): what a full read would say of them. Every one is in the registry."""

    responses: int = 0  # rows with an answer (unchanged ones)
    blank: int = 0  # blank rows
    unparsed_timestamps: int = 0  # timestamps that could not be read as dates


@dataclass(frozen=True, slots=True)
class ResponseTable:
    """What a source read: the header row, the data rows, and how it read them.

    `cursor` is the source's own bookmark for the next incremental read (stored in the
    registry's state); `read_path` says in words which path the read took ("full read",
    "incremental from row 120", ...). `locale`/`time_zone` come from the spreadsheet when known.
    """

    origin: str
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    read_path: str = "full read"
    cursor: dict[str, Any] | None = None
    locale: str | None = None
    time_zone: str | None = None
    rejected: tuple[str, ...] = ()  # rows left out, each with its reason (shown as warnings)
    earlier: EarlierRows = EarlierRows()  # rows read before and not again (CSV cursor)


@dataclass(frozen=True, slots=True)
class Submission:
    """One form response, mapped to our fields.

    Identity is `fingerprint`, a keyed hash of the row's content (not its row number: editors
    delete and sort rows). The raw email never leaves the reader: only its keyed hash.
    """

    fingerprint: str
    row: int
    timestamp: datetime | None
    timestamp_raw: str
    email_key: str  # HMAC of the canonical email ('' when none)
    email_local_key: str  # HMAC of the canonical email's local part, for fuzzy tier D
    name_raw: str
    affiliation_raw: str = ""
    kind_raw: str = ""
    consent_raw: str = ""
    consent: bool | None = None  # None: the form does not ask
    email_domain_key: str = ""  # HMAC of the email's domain ('' for webmail providers)


@dataclass(frozen=True, slots=True)
class Signatory:
    """One record of the registry: one person or organization, possibly from several responses."""

    id: str
    status: Status
    kind: Kind
    name: str
    affiliation: str = ""
    sort_as: str = ""
    signed: str = ""  # ISO timestamp of the earliest response
    typed: str = ""  # the name as first typed, control characters escaped
    flags: tuple[str, ...] = ()
    reason: str = ""  # why held, rejected or withdrawn; editors may write here
    responses: tuple[str, ...] = ()
    email_keys: tuple[str, ...] = ()
    generated: str = ""  # checksum of (name, affiliation, kind) as signsync last wrote them
    # The last decision on status: "<UTC time> <who> <what>", who being "editor" (a review
    # command) or "signer" (a later response); '' while only signsync's rules decided.
    decided: str = ""
    # HMAC hashes of the email domains (webmail providers left out): organization variants
    # sent from one domain are shown as possible duplicates.
    domain_keys: tuple[str, ...] = ()
    pin: int = 0  # > 0: shown first in its list, in this order (`signsync pin`)
    note: str = ""  # an editor's note, e.g. how a signature arrived ("by email, 2026-11-20")
    # The signer confirmed through their personal link: "<UTC time> <institutional|webmail>"
    # (the kind of address it was sent to); '' while unconfirmed (docs/self-service.md).
    confirmed: str = ""
    consent: str = ""  # '' (a yes) or one of CONSENT_STATES
    private: str = ""  # the sealed text of an entry kept private (sync/store/privacy.py)
    name_keys: tuple[str, ...] = ()  # keyed hashes of an entry kept private's name (its tombstone)

    @property
    def sealed(self) -> bool:
        """Kept private: the signer's latest word is not a yes (or a yes after a withdrawal
        that no editor has restored yet). Never named in public; never published."""
        return bool(self.consent)

    @property
    def edited(self) -> bool:
        """True when an editor changed name, affiliation or kind since signsync wrote them."""
        return bool(self.generated) and self.generated != generated_checksum(self)


def generated_checksum(s: Signatory) -> str:
    """Checksum of the fields an editor may correct by hand (the registry's `generated` column)."""
    text = "\x1f".join((s.name, s.affiliation, s.kind))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the published list as the templates show it. `before`/`after` surround the
    affiliation as [page] entry_format says; `signed` is the date (YYYY-MM-DD) or ''."""

    id: str
    name: str
    affiliation: str
    kind: str = "individual"
    signed: str = ""
    pinned: bool = False
    before: str = " ("
    after: str = ")"


@dataclass(frozen=True, slots=True)
class Group:
    """One list (organizations or individuals) with its heading in the page's language."""

    key: str  # "organizations" or "individuals"
    heading: str
    count: int
    count_text: str  # the count in the language's number format ("12.345")
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """The published list, sorted, with its words: what the section templates receive
    (docs/page.md "Your own template" documents every field)."""

    organizations: tuple[Entry, ...]
    individuals: tuple[Entry, ...]
    groups: tuple[Group, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    language: str = ""  # the configured BCP 47 tag, '' when none
    direction: str = "ltr"
    total_text: str = ""  # "12,345 signatories" in the page's language
    count_text: str = ""  # "12,345"
    # Of these, how many their signers confirmed (self-service links), and "11,000 confirmed";
    # '' while none is (the page then says nothing about it).
    confirmed: int = 0
    confirmed_text: str = ""

    @property
    def total(self) -> int:
        return len(self.organizations) + len(self.individuals)


@dataclass(frozen=True, slots=True)
class RecentSection:
    """The published list cut to its most recent entries ([page] max_listed): what the
    section-recent templates receive."""

    total: int
    organizations: int  # how many of the total
    individuals: int
    recent: tuple[Entry, ...]  # newest first
    full_list_url: str = ""
    total_text: str = ""  # "12,345 signatories" in the page's language
    language: str = ""
    direction: str = "ltr"


class ReasonCode(StrEnum):
    """What a reason to hold, reject or withdraw is about, apart from the words shown.

    The code decides; the words are for people. The registry stores the words (its `reason`
    column, parts joined by "; ", unchanged since 0.1.0): `read_reasons` reads the codes back
    through the same templates that write them, and is the only code that looks at the words.
    """

    CONSENT_NOT_YES = "consent-not-yes"  # the consent answer is not a yes
    CONSENT_UNANSWERED = "consent-unanswered"  # the consent question left empty
    AWAITING_CONFIRMATION = "awaiting-confirmation"  # self-service: the signer has not confirmed yet
    CONSENT_REVOKED = "consent-revoked"  # withdrawn: a later response from the signer was not a yes
    OTHER = "other"  # any other reason (the names rules', duplicates', an editor's own words)


CONSENT_CODES = frozenset({ReasonCode.CONSENT_NOT_YES, ReasonCode.CONSENT_UNANSWERED})
REASON_SEPARATOR = "; "  # between the parts of a registry `reason` cell

CONSENT_NOT_YES_WORDS = ("consent answer '", "' is not a yes")  # around the answer
CONSENT_UNANSWERED_WORDS = "no answer to the consent question"
AWAITING_CONFIRMATION_WORDS = "waiting for the signer's confirmation (the link in their email)"
CONSENT_REVOKED_WORDS = "consent revoked"  # how each revocation's reason starts


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason with its code; `answer` is the consent answer for CONSENT_NOT_YES."""

    code: ReasonCode
    text: str
    answer: str = ""


def consent_reason(answer: str) -> Reason:
    """The reason a response without an explicit yes is held ('' answer: left unanswered)."""
    if not answer:
        return Reason(ReasonCode.CONSENT_UNANSWERED, CONSENT_UNANSWERED_WORDS)
    head, tail = CONSENT_NOT_YES_WORDS
    return Reason(ReasonCode.CONSENT_NOT_YES, f"{head}{answer}{tail}", answer)


def revoked_reason(later: Reason) -> Reason:
    """Why an entry is withdrawn when a later response of its signer (held for `later`, a
    consent reason) is not a yes."""
    if later.code is ReasonCode.CONSENT_UNANSWERED:
        text = f"{CONSENT_REVOKED_WORDS}: a later response left the consent question unanswered"
    else:
        text = f"{CONSENT_REVOKED_WORDS}: a later response answered '{later.answer}'"
    return Reason(ReasonCode.CONSENT_REVOKED, text, later.answer)


def read_reason(text: str) -> Reason:
    """One part of a registry `reason` cell, with its code (the inverse of the templates above)."""
    head, tail = CONSENT_NOT_YES_WORDS
    if text == CONSENT_UNANSWERED_WORDS:
        return Reason(ReasonCode.CONSENT_UNANSWERED, text)
    if text == AWAITING_CONFIRMATION_WORDS:
        return Reason(ReasonCode.AWAITING_CONFIRMATION, text)
    if text.startswith(CONSENT_REVOKED_WORDS):
        return Reason(ReasonCode.CONSENT_REVOKED, text)
    if text.startswith(head):
        return Reason(ReasonCode.CONSENT_NOT_YES, text, text[len(head) :].removesuffix(tail))
    return Reason(ReasonCode.OTHER, text)


def read_reasons(cell: str) -> tuple[Reason, ...]:
    """The reasons of a registry `reason` cell (or a plan change's), in order."""
    return tuple(read_reason(part) for part in cell.split(REASON_SEPARATOR) if part)


def has_reason(cell: str, code: ReasonCode) -> bool:
    """Whether a registry `reason` cell holds a reason with this code (as one of its parts)."""
    return any(r.code is code for r in read_reasons(cell))


_HISTORY = " (was: "  # a decision's reason keeps the one before it: "approved by an editor (was: ...)"


def reason_without_history(reason: str) -> str:
    """A registry `reason` cell without the earlier reason it keeps."""
    return reason.split(_HISTORY, 1)[0].strip()


def reason_with_history(new: str, old: str) -> str:
    """`new`, with the earlier reason `old` kept after it (only one step back: no nesting)."""
    old = reason_without_history(old)
    return f"{new}{_HISTORY}{old})" if old and old != new else new


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the plan: what happens to which responses, and why."""

    action: Action
    id: str
    responses: tuple[str, ...]
    reason: str = ""
    name: str = ""
    private: bool = False  # about someone kept private: shown only as a count with its public reason


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for one plan. responses = new + merged + held + rejected + unchanged."""

    responses: int = 0
    new: int = 0
    merged: int = 0
    held: int = 0
    rejected: int = 0
    unchanged: int = 0
    skipped_blank: int = 0

    def as_json(self) -> dict[str, int]:
        return {
            "responses": self.responses,
            "new": self.new,
            "merged": self.merged,
            "held": self.held,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True, slots=True)
class FileChange:
    """A file the plan would write: its content hash at plan time and its new content."""

    path: str
    before_sha256: str | None  # None: the file does not exist yet
    after: str
    diff: str
    show: bool = True  # False for internal files (the state) left out of the printed diff
    role: str = "registry"  # "page", "data", "registry" or "state"
    target: str = "file"  # "file" or a publish target's name ("wordpress")
    meta: dict[str, Any] = field(default_factory=dict)  # target's version data (modified_gmt...)

    @property
    def changed(self) -> bool:
        return self.before_sha256 != remembered_text_sha256(self.after)


@overload
def text_sha256(text: str) -> str: ...
@overload
def text_sha256(text: str | None) -> str | None: ...
def text_sha256(text: str | None) -> str | None:
    """Hex SHA-256 of `text` encoded as UTF-8: the one text digest (pages, registry files, plans,
    backups compare these). None stays None: the file does not exist."""
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=128)
def remembered_text_sha256(text: str) -> str:
    """`text_sha256`, remembered: a plan asks it of the same registry shards
    (megabytes) several times. A text is found again by identity (a str keeps its own hash).
    Room for every file of a plan: a sheet's 10 million cells make at most ~30 shards, and a
    plan that changed more files than the memo holds asked each one again in a cycle that never
    hit (1M + 10,000 with merges into all 20 shards: 90 hashes of 15 MB texts, 3 s)."""
    return text_sha256(text)


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything `apply` needs, computed without writing anything."""

    summary: Summary
    changes: tuple[Change, ...]
    signatories: tuple[Signatory, ...]  # the whole registry after the plan (registry order)
    files: tuple[FileChange, ...]
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    previous: tuple[Signatory, ...] = ()  # the registry before the plan (for reviews; not saved)
    inputs: dict[str, Any] = field(default_factory=dict)  # a saved plan's config and files read
    # How long the oldest consenting signer not yet on the page has waited (sync.operations.waiting):
    # hours and the entry's id; None when nobody waits or the run did not read the registry.
    oldest_wait_hours: float | None = None
    oldest_wait_id: str = ""

    @property
    def has_changes(self) -> bool:
        return any(f.changed for f in self.files)


@dataclass(frozen=True, slots=True)
class ReviewBasis:
    """What a review of a plan compares: the published list before and after, and the SHA-256
    of the registry the plan started from ('none' before the first apply)."""

    before: Section
    after: Section
    registry_digest: str
