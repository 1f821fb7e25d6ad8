"""Turn a source's ResponseTable into Submissions: map headers to fields, parse timestamps,
hash emails, fingerprint each response by its content.

Raw email addresses stop here: a Submission carries only keyed hashes of them.
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache, partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.errors import ColumnError
from sync.model import ResponseTable, SourceRow, Submission
from sync.support.workers import collector_paused, map_rows

FIELDS = ("timestamp", "email", "name", "affiliation", "kind", "consent")

# Answers that read as a refusal. Not used to decide consent (only an explicit yes counts, see
# consent_given); `signsync init` uses it when it guesses which answers in the data mean yes.
NEGATIVE_CONSENT = re.compile(
    r"^\s*(no|n|non|nein|nee|não|nao|false|0|do not|don't|dont|i do not|i don't|"
    r"not|keine?|ne)\b",
    re.IGNORECASE,
)

# What a form's yes/checkbox consent question exports when the signer says yes: the option's
# text, which the form's author wrote. The defaults are the plain "yes" of the languages our
# signers use, each a yes and nothing else; anything else ("Nie", "Keep me anonymous", a long
# checkbox label) is held until an editor adds it to [columns] consent_yes.
DEFAULT_CONSENT_YES: tuple[str, ...] = (
    "Yes",
    "I agree",
    "I consent",
    "True",  # a Sheets checkbox cell
    "Sí",
    "Si",
    "Sì",
    "Oui",
    "Ja",
    "Sim",
    "Tak",
    "Да",
    "Так",
    "Evet",
    "Ναι",
    "Ano",
    "Igen",
    "Kyllä",
    "Da",
    "Ya",
    "Có",
    "نعم",
    "بله",
    "כן",
    "हाँ",
    "はい",
    "是",
    "네",
    "예",
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
    date_order: DateOrder | None = None  # how the dates were read (None: not decided here)
    unparsed: int = 0  # timestamps that could not be read as dates, with the earlier rows'


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


# Providers whose addresses anyone can have: a shared domain there says nothing.
WEBMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "msn.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "tutanota.com",
        "tuta.io",
        "fastmail.com",
        "zoho.com",
        "mail.com",
        "gmx.com",
        "gmx.net",
        "web.de",
        "t-online.de",
        "freenet.de",
        "mail.ru",
        "inbox.ru",
        "list.ru",
        "bk.ru",
        "rambler.ru",
        "yandex.com",
        "yandex.ru",
        "ya.ru",
        "ukr.net",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "naver.com",
        "hanmail.net",
        "daum.net",
        "free.fr",
        "orange.fr",
        "laposte.net",
        "sfr.fr",
        "wanadoo.fr",
        "libero.it",
        "virgilio.it",
        "tiscali.it",
        "uol.com.br",
        "bol.com.br",
        "terra.com.br",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
        "interia.pl",
        "onet.pl",
        "rediffmail.com",
    }
)
_WEBMAIL_FAMILIES = ("yahoo.", "ymail.", "hotmail.", "outlook.", "live.", "gmx.", "yandex.")


def webmail_domain(domain: str) -> bool:
    """Whether `domain` is a public email provider (gmail.com, yahoo.co.uk, hotmail.fr, ...)."""
    return domain in WEBMAIL_DOMAINS or domain.startswith(_WEBMAIL_FAMILIES)


def domain_key(key: bytes, domain: str) -> str:
    """The keyed hash of an email's domain; '' for a public provider (it says nothing)."""
    return keyed_hash(key, "domain", domain) if domain and not webmail_domain(domain) else ""


def keyed_hash(key: bytes, label: str, text: str) -> str:
    """HMAC-SHA256 of `text` under `key`, labelled so hashes of different things never meet."""
    h = _keyed(key).copy()  # the key's HMAC state made once: about half the cost per hash
    h.update(f"{label}\x1f{text}".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=4)
def _keyed(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod=hashlib.sha256)


def key_check_value(hash_key: str) -> str:
    """A keyed check value of SIGNSYNC_HASH_KEY, recorded in the state: it shows whether a
    later run uses the same key without revealing the key (HMAC of a fixed label)."""
    return keyed_hash(hash_key.encode("utf-8"), "key-check", "signsync")


def consent_answer_key(answer: str) -> str:
    """An answer as compared with consent_yes: NFC, case and all white space ignored, and a
    closing full stop or exclamation mark ("Yes." is "yes")."""
    text = unicodedata.normalize("NFC", answer)
    return "".join(text.split()).casefold().rstrip(".!")


def consent_given(answer: str, yes: Collection[str] = DEFAULT_CONSENT_YES) -> bool:
    """Consent is an explicit yes: the answer is one of `yes` (see consent_answer_key).
    Empty, negative and anything else are not consent."""
    wanted = {consent_answer_key(y) for y in yes}
    key = consent_answer_key(answer)
    return bool(key) and key in wanted


_LEADING_DATE = re.compile(r"\s*(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})\b")


def day_first_for(locale: str | None, samples: list[str]) -> bool:
    """Whether dates read day/month: from the sheet's locale when known, else from the data
    (a first number over 12 is a day, a second over 12 is a month; the more common reading
    wins), else from the separator: 27.11.2026 and 27-11-2026 are day-first, 11/27/2026 is
    month-first (Google's default, en_US)."""
    if locale:
        return not any(locale.startswith(m) for m in MONTH_FIRST_LOCALES)
    day_first = month_first = 0
    separator = ""
    for raw in samples:
        m = _LEADING_DATE.match(raw)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(3))
        separator = separator or m.group(2)
        day_first += a > 12 >= b
        month_first += b > 12 >= a
    if day_first != month_first:
        return day_first > month_first
    return separator in (".", "-")


DATE_ORDERS = ("dmy", "mdy", "ymd")
# The timestamp column's header in the languages Forms writes it, and the order of day and month
# in the dates below it (docs/research: forms-locales). English is both US (month first) and
# British (day first): no hint. CJK locales write the year first.
_TIMESTAMP_HEADER_ORDER = {
    "marcatemporal": "dmy",  # Spanish
    "horodateur": "dmy",  # French
    "zeitstempel": "dmy",  # German
    "carimbodedata/hora": "dmy",  # Portuguese (Brazil)
    "registrodedata/hora": "dmy",  # Portuguese
    "informazionicronologiche": "dmy",  # Italian
    "tijdstempel": "dmy",  # Dutch
    "sygnaturaczasowa": "dmy",  # Polish
    "znacznikczasu": "dmy",  # Polish
    "отметкавремени": "dmy",  # Russian
    "zamandamgası": "dmy",  # Turkish
    "タイムスタンプ": "ymd",  # Japanese
    "時間戳記": "ymd",  # Chinese (Taiwan)
    "时间戳记": "ymd",  # Chinese (China)
}
_DATE_ORDER_FIX = (
    'set [source] date_order = "dmy" (day first: 01/12/2026 is 1 December) or "mdy" (month first: January 12)'
)


@dataclass(slots=True)
class _DatesSeen:
    """What a column of dates says about its order: how many can only be day-first or only
    month-first (with the first of each), the separator, and a date that reads both ways."""

    day_first: int = 0
    month_first: int = 0
    first_day: str = ""
    first_month: str = ""
    separator: str = ""
    ambiguous: str = ""

    @classmethod
    def of(cls, samples: list[str]) -> _DatesSeen:
        seen = cls()
        for raw in samples:
            m = _LEADING_DATE.match(raw)
            if not m:
                continue
            a, b = int(m.group(1)), int(m.group(3))
            seen.separator = seen.separator or m.group(2)
            if a > 12 >= b:
                seen.day_first += 1
                seen.first_day = seen.first_day or raw.strip()
            elif b > 12 >= a:
                seen.month_first += 1
                seen.first_month = seen.first_month or raw.strip()
            elif a != b and not seen.ambiguous:
                seen.ambiguous = raw.strip()
        return seen


@dataclass(frozen=True, slots=True)
class DateOrder:
    """How one source's dates read, decided once for all its rows (never row by row).

    `how`: "setting" ([source] date_order), "locale" (the sheet's), "recorded" (decided by an
    earlier run, kept in the state), "data" (a day over 12 somewhere), "header" (the timestamp
    column's language), "separator" (27.11.2026 and 27-11-2026 are day first) or "guess"."""

    order: str  # "dmy" | "mdy" | "ymd"
    how: str
    warning: str = ""

    @property
    def day_first(self) -> bool:
        return self.order == "dmy"


def date_order_for(
    setting: str,
    locale: str | None,
    header: str,
    samples: list[str],
    recorded: str | None = None,
    origin: str = "the responses",
) -> DateOrder:
    """The order of day and month in a source's dates: [source] date_order, else the sheet's
    locale, else what an earlier run decided, else the data as a whole (one date with a first
    number over 12 makes the column day-first, a second number over 12 month-first), else the
    timestamp header's language, else the separator; a date that can be read both ways with
    nothing to decide is read month-first (Google's US format), with a warning naming the
    setting. Dates that contradict the order chosen are said too (they cannot be read)."""
    if setting in DATE_ORDERS:
        return DateOrder(setting, "setting")
    if locale:
        month_first = any(locale.startswith(m) for m in MONTH_FIRST_LOCALES)
        return DateOrder("mdy" if month_first else "dmy", "locale")
    seen = _DatesSeen.of(samples)
    contradiction = ""
    if seen.day_first and seen.month_first:
        contradiction = (
            f"{origin}: the dates are written in two orders ({seen.first_day!r} has the day first, "
            f"{seen.first_month!r} the month first): the rarer ones cannot be read; {_DATE_ORDER_FIX}"
        )
    day_first, month_first_n, separator, ambiguous = (
        seen.day_first,
        seen.month_first,
        seen.separator,
        seen.ambiguous,
    )
    if recorded in DATE_ORDERS:
        return DateOrder(recorded, "recorded", contradiction)
    if day_first != month_first_n:
        return DateOrder("dmy" if day_first > month_first_n else "mdy", "data", contradiction)
    hinted = _TIMESTAMP_HEADER_ORDER.get(header_key(header))
    if hinted:
        return DateOrder(hinted, "header")
    if separator in (".", "-"):
        return DateOrder("dmy", "separator")
    warning = ""
    if ambiguous:
        warning = (
            f"{origin}: no date has a day over 12 yet, so {ambiguous!r} reads two ways; read month "
            f"first (Google's format for the United States): {_DATE_ORDER_FIX}"
        )
    return DateOrder("mdy", "guess", warning)


_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",  # the Form's "Download responses (.csv)": 2022/06/22 11:07:29 AM AST
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%d %b %Y %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%d %B %Y %H:%M:%S",
    "%B %d, %Y %H:%M:%S",
)

# AM/PM as Google Sheets and Forms write them in 12-hour locales (CLDR day periods): English
# "AM"/"a.m.", Spanish "a. m.", Chinese 上午/下午, Japanese 午前/午後, Korean 오전/오후, Arabic ص/م,
# Greek π.μ./μ.μ., Vietnamese SA/CH, Hindi पूर्वाह्न/अपराह्न, German vorm./nachm.
_MERIDIEM = re.compile(
    r"(?<![^\W\d_])(?:(?P<am>a\.?\s?m\.?|vorm\.?|π\.?\s?μ\.?|sa|पूर्वाह्न|ص)"
    r"|(?P<pm>p\.?\s?m\.?|nachm\.?|μ\.?\s?μ\.?|ch|अपराह्न|م))(?![^\W\d_])"
    r"|(?P<am2>上午|午前|오전)|(?P<pm2>下午|午後|오후)",
)
_TRAILING_ZONE = re.compile(r"\s*\(?(?:(?:gmt|utc)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?|[a-z]{2,5})\)?$")
_DATE_TIME = re.compile(
    r"^(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})\.?"
    r"(?:(?:\s*,\s*|\s+|t)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?)?$"
)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")  # a Sheets date serial: days since 1899-12-30
# A stamp of ASCII digits, separators and single spaces only: no day period, zone or CJK date
# marks to take out (every one of those holds a letter or a CJK character).
_DIGITS_ONLY = re.compile(r"[0-9/.:,\- ]*\Z")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_timestamp(raw: str, day_first: bool, time_zone: str | None = None) -> datetime | None:
    """Parse a Forms timestamp as written in any locale; None when it is not one (the raw text
    is kept regardless). 12-hour clocks (AM/PM in the languages Forms writes), ISO 8601 with
    `Z` or an offset (converted to the sheet's time zone when known, else UTC), day-first or
    month-first numeric dates, Sheets date serials. Results are naive local times."""
    text = " ".join(raw.replace("\u202f", " ").split())
    if not text:
        return None
    iso = _iso(text, time_zone)
    if iso is not None:
        return iso
    low = text
    meridiem = None
    if not _DIGITS_ONLY.match(text):  # digits and separators only (most stamps): nothing to take out
        low = text.casefold()
        m = _MERIDIEM.search(low)
        if m:
            meridiem = "am" if (m.group("am") or m.group("am2")) else "pm"
            low = (low[: m.start()] + " " + low[m.end() :]).strip()
        low = " ".join(_TRAILING_ZONE.sub("", low).split())
        low = low.replace("年", "/").replace("月", "/").replace("日", "")
    if _SERIAL.match(low) and meridiem is None:
        days = float(low)
        return (
            (datetime(1899, 12, 30) + timedelta(days=days)).replace(microsecond=0)
            if 20000 < days < 80000
            else None
        )
    d = _DATE_TIME.match(low)
    if d is None:
        return _strptime(text, low, meridiem)
    a, b, c = d.group(1), int(d.group(2)), d.group(3)
    if len(a) == 4:
        year, month, day = int(a), b, int(c)
    elif len(c) in (2, 4) and len(a) <= 2:
        year = int(c) + (2000 if len(c) == 2 else 0)
        day, month = (int(a), b) if day_first else (b, int(a))
    else:
        return None
    hour, minute, second = (int(d.group(i) or 0) for i in (4, 5, 6))
    clock = _clock(hour, meridiem)
    if clock is None:
        return None
    try:
        return datetime(year, month, day, clock, minute, second)
    except ValueError:
        return None


def _clock(hour: int, meridiem: str | None) -> int | None:
    """The 24-hour hour; None for an hour a 12-hour clock cannot show (13 PM)."""
    if meridiem is None:
        return hour
    if not 0 <= hour <= 12:
        return None
    if meridiem == "am":
        return 0 if hour == 12 else hour
    return hour if hour == 12 else hour + 12


def _iso(text: str, time_zone: str | None) -> datetime | None:
    """ISO 8601 (`2026-11-29T14:03:00Z`, `...+01:00`) as naive local time, else None."""
    if not _ISO_START.match(text):
        return None
    try:
        stamp = datetime.fromisoformat(text.replace(" Z", "Z"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        zone = _zone(time_zone)
        stamp = stamp.astimezone(zone).replace(tzinfo=None)
    return stamp.replace(microsecond=0)


def _zone(name: str | None) -> tzinfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


def _strptime(text: str, low: str, meridiem: str | None) -> datetime | None:
    """The remaining layouts (month names, the Form's own CSV) via strptime."""
    candidates = [_TRAILING_ZONE.sub("", text.casefold()).strip()]
    if meridiem is not None:
        candidates = [f"{low} {meridiem}"]
    for candidate in candidates:
        for fmt in _FORMATS:
            try:
                return datetime.strptime(candidate, fmt)
            except ValueError:
                continue
    return None


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def to_submissions(
    table: ResponseTable,
    columns: Mapping[str, str | None],
    hash_key: str,
    consent_yes: Sequence[str] | None = None,
    date_order: str = "auto",
    recorded_order: str | None = None,
) -> ReadResult:
    """Map every non-blank row of `table` to a Submission (blank rows are counted, not lost).

    `columns` maps each field to its header; `consent_yes` (None: DEFAULT_CONSENT_YES) lists
    the consent answers that mean yes; `date_order` is [source] date_order and
    `recorded_order` the order an earlier run decided (see `date_order_for`)."""
    key = hash_key.encode("utf-8")
    yes_list = DEFAULT_CONSENT_YES if consent_yes is None else consent_yes
    yes = {consent_answer_key(y) for y in yes_list} - {""}
    cmap, warnings = map_columns(table.headers, columns, table.origin)
    idx = cmap.index
    stamps = [_cell(r.cells, idx["timestamp"]) for r in table.rows]
    stamp_column = idx["timestamp"]
    header = table.headers[stamp_column] if stamp_column is not None else ""
    order = date_order_for(date_order, table.locale, header, stamps, recorded_order, table.origin)
    del stamps
    if order.warning:
        warnings += (order.warning,)
    # Each row on its own (worker processes share the rows of a large read: sync/support/workers.py).
    with collector_paused():  # a submission per row, long-lived, no reference cycles
        result = _submissions(table, key, yes, idx, order.day_first, warnings)
    return replace(result, date_order=order)


def _submissions(
    table: ResponseTable,
    key: bytes,
    yes: set[str],
    idx: Mapping[str, int | None],
    day_first: bool,
    warnings: tuple[str, ...],
) -> ReadResult:
    fields = map_rows(partial(_submission_fields, key, yes, idx, day_first, table.time_zone), table.rows)
    out: list[Submission] = []
    blank = 0
    unparsed = 0
    for f in fields:
        if f is None:
            blank += 1
            continue
        sub = Submission(*f)
        if sub.timestamp is None and sub.timestamp_raw.strip():
            unparsed += 1
        out.append(sub)
    del fields
    unparsed += table.earlier.unparsed_timestamps  # said of the whole file, as a full read would
    if unparsed:
        warnings += (
            f"{table.origin}: {unparsed} timestamp(s) could not be read as dates; they are kept as "
            "typed and sort last (dates with the day and month the other way round: [source] "
            'date_order = "dmy" or "mdy")',
        )
    return ReadResult(submissions=tuple(out), skipped_blank=blank, warnings=warnings, unparsed=unparsed)


def _submission_fields(
    key: bytes,
    yes: set[str],
    idx: Mapping[str, int | None],
    day_first: bool,
    time_zone: str | None,
    rows: Sequence[SourceRow],
) -> list[tuple[Any, ...] | None]:
    """Submission's fields (in its order) of each row; None for a blank row. Plain tuples: a
    worker process sends them back several times faster than the objects."""
    out: list[tuple[Any, ...] | None] = []
    # One object per distinct answer to the repetitive questions ("An individual", "Yes", an
    # affiliation): a million rows otherwise hold a million copies of each.
    shared: dict[str, str] = {}
    for row in rows:
        if not any(c.strip() for c in row.cells):
            out.append(None)
            continue
        fields = {f: _cell(row.cells, idx[f]) for f in FIELDS}
        for f in ("affiliation", "kind", "consent"):
            fields[f] = shared.setdefault(fields[f], fields[f])
        email = canonical_email(fields["email"]) if fields["email"].strip() else ""
        local, _, domain = email.rpartition("@") if email else ("", "", "")
        content = "\x1e".join(fields[f] for f in FIELDS)
        out.append(
            (
                keyed_hash(key, "response", content),  # fingerprint
                row.number,
                parse_timestamp(fields["timestamp"], day_first, time_zone),
                fields["timestamp"],
                keyed_hash(key, "email", email) if email else "",
                keyed_hash(key, "local", local) if local else "",
                fields["name"],
                fields["affiliation"],
                fields["kind"],
                fields["consent"],
                consent_answer_key(fields["consent"]) in yes if idx["consent"] is not None else None,
                domain_key(key, domain) if local else "",
            )
        )
    return out
