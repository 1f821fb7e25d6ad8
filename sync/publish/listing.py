"""The published list: which entries show, in which order, with which words. Sorting happens
here, before rendering, so `render` receives lists it only lays out.

Order: pinned entries first in the editor's order (`signsync pin`), then the rest by the page
language's collation and surname rule (sync.names.language_sort_key)."""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from render.labels import Words, page_words
from sync.model import Entry, Group, RecentSection, Section, Signatory
from sync.names import language_sort_key, sort_key
from sync.store.registry import registry_key

_STATUS_RANK = {"published": 0, "pending": 1, "rejected": 2, "withdrawn": 3}
ENTRY_FORMATS: dict[str, tuple[str, str]] = {
    # [page] entry_format -> what goes before and after the affiliation
    "Name (Affiliation)": (" (", ")"),
    "Name, Affiliation": (", ", ""),
    "Name \u2014 Affiliation": (" \u2014 ", ""),
}
DEFAULT_ENTRY_FORMAT = "Name (Affiliation)"


@dataclass(frozen=True, slots=True)
class PageStyle:
    """How a page shows its list: words and sorting for its language, entry format, template."""

    words: Words
    entry_format: str = DEFAULT_ENTRY_FORMAT
    template: Path | None = None  # the page's own template, else the built-in one

    @property
    def language(self) -> str:
        return self.words.language


@lru_cache(maxsize=1)
def default_style() -> PageStyle:
    return PageStyle(page_words(None))


def _signed_date(signed: str) -> str:
    return signed[:10] if re.match(r"\d{4}-\d{2}-\d{2}", signed) else ""


def _ordered(signatories: list[Signatory], language: str) -> list[Signatory]:
    """Pinned entries first in the editor's order, then the rest in the language's collation."""
    pinned = sorted((s for s in signatories if s.pin), key=lambda s: (s.pin, s.id))
    rest = sorted(
        (s for s in signatories if not s.pin),
        key=lambda s: (language_sort_key(s.name, s.kind, s.sort_as, language), s.id),
    )
    return pinned + rest


def published_section(signatories: Sequence[Signatory], style: PageStyle | None = None) -> Section:
    """The published entries, organizations alphabetically, individuals by surname (pinned
    entries first), with the words, counts and direction of the page's language."""
    style = style or default_style()
    words = style.words
    before, after = ENTRY_FORMATS[style.entry_format]
    shown = [s for s in signatories if s.status == "published"]

    def entries(organizations: bool) -> tuple[Entry, ...]:
        group = [s for s in shown if (s.kind == "organization") == organizations]
        return tuple(
            Entry(s.id, s.name, s.affiliation, s.kind, _signed_date(s.signed), bool(s.pin), before, after)
            for s in _ordered(group, words.language)
        )

    orgs, people = entries(True), entries(False)
    groups = tuple(
        Group(key, words.text(key, len(items)), len(items), words.number(len(items)), items)
        for key, items in (("organizations", orgs), ("individuals", people))
    )
    total = len(orgs) + len(people)
    labels = {"count": words.text("count", total), **{g.key: g.heading for g in groups}}
    confirmed = sum(1 for s in shown if s.confirmed)
    return Section(
        organizations=orgs,
        individuals=people,
        groups=groups,
        labels=labels,
        language=words.language,
        direction=words.direction,
        total_text=labels["count"],
        count_text=words.number(total),
        confirmed=confirmed,
        confirmed_text=words.text("confirmed", confirmed) if confirmed else "",
    )


def display_order(signatories: Sequence[Signatory]) -> list[Signatory]:
    """The whole registry in display order: published organizations, published individuals
    (pinned first), then pending, rejected and withdrawn entries."""
    return sorted(
        signatories,
        key=lambda s: (
            _STATUS_RANK[s.status],
            s.kind != "organization",
            s.status != "published" or not s.pin,
            s.pin if s.status == "published" else 0,
            sort_key(s.name, s.kind, s.sort_as),
            s.id,
        ),
    )


def _entry(s: Signatory, style: PageStyle) -> Entry:
    before, after = ENTRY_FORMATS[style.entry_format]
    return Entry(s.id, s.name, s.affiliation, s.kind, _signed_date(s.signed), bool(s.pin), before, after)


def recent_section(
    newest: Sequence[Signatory],
    organizations: int,
    individuals: int,
    style: PageStyle | None = None,
    full_list_url: str = "",
) -> RecentSection:
    """The count of published entries and the most recent of them (`newest`, newest first)."""
    style = style or default_style()
    total = organizations + individuals
    return RecentSection(
        total=total,
        organizations=organizations,
        individuals=individuals,
        recent=tuple(_entry(s, style) for s in newest),
        full_list_url=full_list_url,
        total_text=style.words.text("count", total),
        language=style.words.language,
        direction=style.words.direction,
    )


def newest_published(signatories: Sequence[Signatory], n: int) -> list[Signatory]:
    """The n most recent published entries, newest first (registry order's key)."""
    return heapq.nlargest(n, (s for s in signatories if s.status == "published"), key=registry_key)


class LoadedLister:
    """The published list from the whole registry in memory."""

    def __init__(self, signatories: Sequence[Signatory], style: PageStyle | None = None) -> None:
        self.signatories = signatories
        self.style = style
        self._full: Section | None = None

    def full(self) -> Section:
        if self._full is None:
            self._full = published_section(self.signatories, self.style)
        return self._full

    def published_ids(self) -> list[str]:
        return sorted(s.id for s in self.signatories if s.status == "published")

    def recent(self, n: int, full_list_url: str) -> RecentSection:
        shown = [s for s in self.signatories if s.status == "published"]
        orgs = sum(1 for s in shown if s.kind == "organization")
        return recent_section(newest_published(shown, n), orgs, len(shown) - orgs, self.style, full_list_url)
