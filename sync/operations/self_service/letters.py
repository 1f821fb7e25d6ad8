"""Which signers to email now and what each message says: the outbox minus what was sent, cut to
the caps; each entry shown exactly as the page will show it, in the page's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urlencode

from babel import Locale
from babel.dates import format_date

from render.signer_email import RenderedEmail, SignerLetter, render_signer_email
from sync.config import Config
from sync.intake.sources import read_responses
from sync.model import ReasonCode, Signatory, has_reason
from sync.operations.self_service.mail import Outgoing, SentRecord, addresses_in, room, sent_key
from sync.operations.self_service.tokens import make_token, token_key
from sync.publish.listing import ENTRY_FORMATS, PageStyle
from sync.store.registry import load_registry


@dataclass(frozen=True, slots=True)
class MailPlan:
    outgoing: list[Outgoing]
    given_up: list[str]  # sent-record keys of entries never to be written to
    waiting: list[str]  # notes: what waits for the next run, and why


def entry_as_shown(config: Config, s: Signatory) -> str:
    """The entry as the page lists it ([page] entry_format)."""
    before, after = ENTRY_FORMATS[config.page.entry_format]
    return f"{s.name}{before}{s.affiliation}{after}" if s.affiliation else s.name


def _signed_date(signed: str, locale: Locale) -> str:
    try:
        return format_date(datetime.fromisoformat(signed[:10]).date(), format="long", locale=locale)
    except ValueError:
        return signed[:10]


def _addresses_from_source(config: Config, wanted: set[str]) -> dict[str, str]:
    """The addresses of these email keys, from a full read of the form's responses (for signers
    whose response this run did not read: a saved plan, or an email that waited)."""
    from sync.intake.responses import map_columns

    table = read_responses(config, None)
    cmap, _ = map_columns(table.headers, config.columns.by_field(), table.origin)
    found = addresses_in(table.rows, cmap.index["email"], config.hash_key)
    return {k: v for k, v in found.items() if k in wanted}


def pending_outgoing(
    config: Config, outbox: list[list[str]], record: SentRecord, addresses: Mapping[str, str], today: date
) -> MailPlan:
    """The messages to send now (see the module docstring)."""
    from render.labels import page_words

    ss = config.self_service
    assert ss is not None
    hash_key = config.hash_key
    pending = [(sid, ek) for sid, ek in outbox if sent_key(hash_key, sid, ek) not in record.sent]
    if not pending:
        return MailPlan([], [], [])
    limit = room(ss, record, today)
    waiting = []
    if len(pending) > limit:
        cap = "per-run" if limit == ss.max_per_run else "per-day"
        waiting.append(
            f"{len(pending) - limit} signer email(s) wait for the next run ([self_service] "
            f"max_{'per_run' if cap == 'per-run' else 'per_day'} = "
            f"{ss.max_per_run if cap == 'per-run' else ss.max_per_day})"
        )
    if limit == 0:
        return MailPlan([], [], waiting)
    by_id = {s.id: s for s in load_registry(config.registry.path).signatories}
    given_up: list[str] = []
    chosen: list[tuple[Signatory, str]] = []
    for sid, ek in pending:
        s = by_id.get(sid)
        if s is None or s.status in ("withdrawn", "rejected"):
            given_up.append(sent_key(hash_key, sid, ek))
        elif len(chosen) < limit:
            chosen.append((s, ek))
    known = dict(addresses)
    missing = {ek for _s, ek in chosen if ek not in known}
    if missing:
        known.update(_addresses_from_source(config, missing))
    style = PageStyle(page_words(config.page.language, config.page.labels), config.page.entry_format)
    published = sum(1 for s in by_id.values() if s.status == "published")
    count_text = style.words.text("count", published)
    languages = tuple(dict.fromkeys(filter(None, (style.language, style.words.shipped))))
    outgoing = []
    for s, ek in chosen:
        to = known.get(ek)
        if to is None:
            given_up.append(sent_key(hash_key, s.id, ek))  # the response was deleted from the sheet
            continue
        letter = SignerLetter(
            entry=entry_as_shown(config, s),
            status=s.status,
            waits_for_confirmation=has_reason(s.reason, ReasonCode.AWAITING_CONFIRMATION),
            signed_date=_signed_date(s.signed, style.words.locale),
            count_text=count_text,
            statement_title=ss.statement_title or config.base_dir.name,
            statement_url=ss.statement_url,
            confirm_link=_link(config, s, ek, "confirm"),
            correct_link=_link(config, s, ek, "correct"),
            withdraw_link=_link(config, s, ek, "withdraw"),
        )
        mail = render_signer_email(letter, languages, ss.templates)
        outgoing.append(Outgoing(sent_key(hash_key, s.id, ek), to, mail.subject, mail.body))
    return MailPlan(outgoing, given_up, waiting)


def _link(config: Config, entry: Signatory, email_key: str, action: str) -> str:
    """The second form's address, filled in with this entry's token for `action` (and, to
    correct, the name and affiliation as they are now)."""
    ss = config.self_service
    assert ss is not None
    token = make_token(token_key(config.hash_key), entry.id, email_key, action)
    fields = {ss.entries["token"]: token, ss.entries["action"]: ss.answers[action]}
    if action == "correct":
        for field_name, value in (("name", entry.name), ("affiliation", entry.affiliation)):
            if field_name in ss.entries:
                fields[ss.entries[field_name]] = value
    return f"{ss.form_url.split('?')[0]}?usp=pp_url&{urlencode(fields, quote_via=quote)}"


def sample_email(config: Config) -> RenderedEmail:
    """The signers' email for a made-up entry: `doctor` checks the templates with it."""
    from render.labels import page_words

    ss = config.self_service
    assert ss is not None
    words = page_words(config.page.language, config.page.labels)
    example = "https://docs.google.com/forms/d/e/.../viewform?usp=pp_url"
    letter = SignerLetter(
        entry="Ada Lovelace (Analytical Engine Society)",
        status="published",
        waits_for_confirmation=ss.publish == "on_confirmation",
        signed_date=_signed_date("2026-11-20", words.locale),
        count_text=words.text("count", 1234),
        statement_title=ss.statement_title or config.base_dir.name,
        statement_url=ss.statement_url,
        confirm_link=example,
        correct_link=example,
        withdraw_link=example,
    )
    languages = tuple(dict.fromkeys(filter(None, (words.language, words.shipped))))
    return render_signer_email(letter, languages, ss.templates)
