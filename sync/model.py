"""Frozen value objects passed between the pipeline's stages.

source -> ResponseTable -> Submission -> (names) -> Signatory/Registry -> Plan -> publish
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Status = Literal["published", "pending", "rejected", "withdrawn"]
Kind = Literal["individual", "organization"]
Action = Literal["add", "merge", "hold", "reject", "update", "withdraw"]

STATUSES: tuple[str, ...] = ("published", "pending", "rejected", "withdrawn")
KINDS: tuple[str, ...] = ("individual", "organization")


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row as the source returned it: its 1-based row number (header = row 1) and cells."""

    number: int
    cells: tuple[str, ...]


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
    """One line of the published list as the templates show it."""

    id: str
    name: str
    affiliation: str


@dataclass(frozen=True, slots=True)
class Section:
    """The published list, sorted: what the section templates receive."""

    organizations: tuple[Entry, ...]
    individuals: tuple[Entry, ...]

    @property
    def total(self) -> int:
        return len(self.organizations) + len(self.individuals)


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the plan: what happens to which responses, and why."""

    action: Action
    id: str
    responses: tuple[str, ...]
    reason: str = ""
    name: str = ""


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
        return self.before_sha256 != hashlib.sha256(self.after.encode("utf-8")).hexdigest()


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
