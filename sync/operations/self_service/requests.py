"""The second form's responses as signer requests: token, action, corrected name and affiliation.

Read like the first form's (sheet or CSV, incrementally from the cursor); each row is known by a
keyed hash of its content, so a row read again (the CSV every run, the sheet's overlap) is
recognised as done and never counted twice.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sync.config import Config, SelfServiceConfig
from sync.errors import ColumnError
from sync.intake.responses import day_first_for, header_key, parse_timestamp
from sync.intake.sources import read_responses
from sync.model import ResponseTable

REQUIRED = ("token", "action")


@dataclass(frozen=True, slots=True)
class SignerRequest:
    """One response of the second form."""

    row_key: str  # keyed hash of the row's content: its identity across reads
    row: int
    timestamp: datetime | None
    token: str
    action: str  # "confirm" | "correct" | "withdraw" | "" (an answer signsync does not know)
    name: str = ""
    affiliation: str = ""


@dataclass(frozen=True, slots=True)
class RequestRead:
    """What one read of the second form gave: the requests, the cursor for the next read, and
    how it read them."""

    requests: tuple[SignerRequest, ...]
    cursor: dict[str, Any] | None
    origin: str
    read_path: str
    warnings: tuple[str, ...] = ()


def column_index(table: ResponseTable, ss: SelfServiceConfig) -> dict[str, int | None]:
    """Each field's column in the second form's sheet; a missing token or action column (or a
    configured name/affiliation column) is an error naming the headers found."""
    keyed: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        if header.strip():
            keyed.setdefault(header_key(header), i)
    found: dict[str, int | None] = {}
    for field, header in ss.columns.items():
        if not header:
            found[field] = None
            continue
        index = keyed.get(header_key(header))
        # The name and affiliation questions are needed only when the links fill them in.
        if index is None and (field in REQUIRED or field in ss.entries):
            shown = ", ".join(repr(h) for h in table.headers if h.strip()) or "(none)"
            raise ColumnError(
                f"{table.origin}: no column '{header}' for [self_service] {field}_column. Headers "
                f"found: {shown}. Set {field}_column to the question's title in the second form"
            )
        found[field] = index
    return found


def _row_key(key: bytes, cells: tuple[str, ...]) -> str:
    return hmac.new(key, "\x1e".join(("request", *cells)).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _action(answer: str, ss: SelfServiceConfig) -> str:
    wanted = header_key(answer)
    for action, text in ss.answers.items():
        if wanted and (wanted == header_key(text) or wanted == action):
            return action
    return ""


def to_requests(table: ResponseTable, ss: SelfServiceConfig, hash_key: str) -> tuple[SignerRequest, ...]:
    """The non-blank rows of the second form as requests."""
    index = column_index(table, ss)
    key = hash_key.encode("utf-8")

    def cell(cells: tuple[str, ...], field: str) -> str:
        i = index.get(field)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    stamps = [cell(r.cells, "timestamp") for r in table.rows]
    day_first = day_first_for(table.locale, stamps)
    out = []
    for row in table.rows:
        if not any(c.strip() for c in row.cells):
            continue
        out.append(
            SignerRequest(
                row_key=_row_key(key, row.cells),
                row=row.number,
                timestamp=parse_timestamp(cell(row.cells, "timestamp"), day_first, table.time_zone),
                token=cell(row.cells, "token"),
                action=_action(cell(row.cells, "action"), ss),
                name=" ".join(cell(row.cells, "name").split()),
                affiliation=" ".join(cell(row.cells, "affiliation").split()),
            )
        )
    return tuple(out)


def read_requests(config: Config, cursor: dict[str, Any] | None) -> RequestRead:
    """Read the second form's responses from `cursor` on (the [source] settings apply)."""
    ss = config.self_service
    assert ss is not None
    table = read_responses(replace(config, source=ss.source), cursor)
    return RequestRead(
        to_requests(table, ss, config.hash_key), table.cursor, table.origin, table.read_path, table.rejected
    )
