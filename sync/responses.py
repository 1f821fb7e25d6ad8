"""Turn a source's ResponseTable into Submissions: map headers to fields, parse timestamps,
hash emails, fingerprint each response by its content.

Raw email addresses stop here: a Submission carries only keyed hashes of them.
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sync.errors import ColumnError
from sync.model import ResponseTable, Submission

FIELDS = ("timestamp", "email", "name", "affiliation", "kind", "consent")
REQUIRED = ("timestamp", "name")

NEGATIVE_CONSENT = re.compile(
    r"^\s*(no|n|non|nein|nee|não|nao|false|0|do not|don't|dont|i do not|i don't|"
    r"not|keine?|ne)\b",
    re.IGNORECASE,
)

# Locales whose short date puts the month first (Sheets' FORMATTED_VALUE of a Timestamp).
MONTH_FIRST_LOCALES = ("en_US", "en_PH", "en_CA", "es_US", "fil", "en_AS", "en_GU", "en_UM")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column index holds each field (None: the form does not ask it)."""

    index: Mapping[str, int | None]
    headers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The submissions of one read, with the blank rows skipped and anything worth saying."""

    submissions: tuple[Submission, ...]
    skipped_blank: int
    warnings: tuple[str, ...]


def header_key(text: str) -> str:
    """Headers match ignoring case and all white space."""
    return "".join(text.split()).casefold()


def map_columns(
    headers: tuple[str, ...], columns: Mapping[str, str | None], origin: str
) -> tuple[ColumnMap, tuple[str, ...]]:
    """Find each configured field's column by header text.

    A configured column that is missing is an error naming the headers found and the closest
    one: a renamed question must never shift data silently. Blank and duplicate headers are
    allowed; of duplicates the first is used, with a warning.
    """
    keyed: dict[str, list[int]] = {}
    for i, header in enumerate(headers):
        if header.strip():
            keyed.setdefault(header_key(header), []).append(i)
    index: dict[str, int | None] = {}
    warnings: list[str] = []
    for field in FIELDS:
        wanted = columns.get(field)
        if not wanted:
            index[field] = None
            continue
        found = keyed.get(header_key(wanted))
        if not found:
            shown = [h for h in headers if h.strip()]
            close = difflib.get_close_matches(wanted, shown, n=1, cutoff=0.4)
            hint = f"; closest is '{close[0]}'" if close else ""
            raise ColumnError(
                f"{origin}: no column '{wanted}' for [columns] {field}{hint}. "
                f"Headers found: {', '.join(repr(h) for h in shown) or '(none)'}. "
                f"If the question was renamed, set [columns] {field} to its new title."
            )
        if len(found) > 1:
            warnings.append(
                f"{origin}: {len(found)} columns are headed '{headers[found[0]]}'; "
                f"using the first (column {found[0] + 1}) for {field}"
            )
        index[field] = found[0]
    return ColumnMap(index=index, headers=headers), tuple(warnings)


def canonical_email(email: str) -> str:
    """Lowercase; drop a +tag; for Gmail also the dots in the local part (one mailbox)."""
    email = email.strip().lower()
    if "@" not in email:
        return email
    local, _, domain = email.rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def keyed_hash(key: bytes, label: str, text: str) -> str:
    """HMAC-SHA256 of `text` under `key`, labelled so hashes of different things never meet."""
    return hmac.new(key, f"{label}\x1f{text}".encode(), hashlib.sha256).hexdigest()[:16]


def key_check_value(hash_key: str) -> str:
    """A keyed check value of SIGNSYNC_HASH_KEY, recorded in the state: it shows whether a
    later run uses the same key without revealing the key (HMAC of a fixed label)."""
    return keyed_hash(hash_key.encode("utf-8"), "key-check", "signsync")


def consent_given(answer: str) -> bool:
    """A yes-like answer (or a ticked checkbox's text) is consent; empty or negative is not."""
    return bool(answer.strip()) and not NEGATIVE_CONSENT.match(answer)


def day_first_for(locale: str | None, samples: list[str]) -> bool:
    """Whether dates read day/month: from the sheet's locale when known, else from the data."""
    if locale:
        return not any(locale.startswith(m) for m in MONTH_FIRST_LOCALES)
    for raw in samples:
        m = re.match(r"\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})", raw)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > 12:
                return True
            if b > 12:
                return False
    return False


_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",  # the Form's "Download responses (.csv)": 2022/06/22 11:07:29 AM AST
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)


_TRAILING_ZONE = re.compile(r"\s+(?:[A-Z]{2,5}|GMT[+-]\d{1,2}(?::?\d{2})?|UTC)$")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_last_format: list[str] = [_FORMATS[0]]  # the format that matched last: rows share one


def parse_timestamp(raw: str, day_first: bool) -> datetime | None:
    """Parse a Forms timestamp; None when it is not one (the raw text is kept regardless)."""
    text = raw.strip()
    if not text:
        return None
    # "2022/06/22 11:07:29 AM AST": the zone abbreviation is ambiguous; keep local time.
    text = _TRAILING_ZONE.sub("", text)
    m = _NUMERIC.match(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if day_first else (b, a)
        hour, minute, second = (int(m.group(i) or 0) for i in (4, 5, 6))
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    for fmt in (_last_format[0], *_FORMATS):
        try:
            stamp = datetime.strptime(text, fmt)
        except ValueError:
            continue
        _last_format[0] = fmt
        return stamp
    return None


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def to_submissions(table: ResponseTable, columns: Mapping[str, str | None], hash_key: str) -> ReadResult:
    """Map every non-blank row of `table` to a Submission (blank rows are counted, not lost)."""
    key = hash_key.encode("utf-8")
    cmap, warnings = map_columns(table.headers, columns, table.origin)
    idx = cmap.index
    stamps = [_cell(r.cells, idx["timestamp"]) for r in table.rows[:500]]
    day_first = day_first_for(table.locale, stamps)
    out: list[Submission] = []
    blank = 0
    unparsed = 0
    for row in table.rows:
        if not any(c.strip() for c in row.cells):
            blank += 1
            continue
        fields = {f: _cell(row.cells, idx[f]) for f in FIELDS}
        email = canonical_email(fields["email"]) if fields["email"].strip() else ""
        local = email.rpartition("@")[0] if email else ""
        content = "\x1e".join(fields[f] for f in FIELDS)
        stamp = parse_timestamp(fields["timestamp"], day_first)
        if stamp is None and fields["timestamp"].strip():
            unparsed += 1
        out.append(
            Submission(
                fingerprint=keyed_hash(key, "response", content),
                row=row.number,
                timestamp=stamp,
                timestamp_raw=fields["timestamp"],
                email_key=keyed_hash(key, "email", email) if email else "",
                email_local_key=keyed_hash(key, "local", local) if local else "",
                name_raw=fields["name"],
                affiliation_raw=fields["affiliation"],
                kind_raw=fields["kind"],
                consent_raw=fields["consent"],
                consent=consent_given(fields["consent"]) if idx["consent"] is not None else None,
            )
        )
    if unparsed:
        warnings += (
            f"{table.origin}: {unparsed} timestamp(s) could not be read as dates; "
            "they are kept as typed and sort last",
        )
    return ReadResult(submissions=tuple(out), skipped_blank=blank, warnings=warnings)
