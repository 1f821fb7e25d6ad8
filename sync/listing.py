"""The published list: which entries show, and in which order. Sorting happens here, before
rendering, so `render` receives lists it only lays out."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from sync.model import Entry, RecentSection, Section, Signatory
from sync.names import sort_key
from sync.registry import registry_key

_STATUS_RANK = {"published": 0, "pending": 1, "rejected": 2, "withdrawn": 3}


def published_section(signatories: Sequence[Signatory]) -> Section:
    """The published entries, organizations alphabetically, individuals by surname."""
    shown = [s for s in signatories if s.status == "published"]
    orgs = sorted(
        (s for s in shown if s.kind == "organization"),
        key=lambda s: (sort_key(s.name, s.kind, s.sort_as), s.id),
    )
    people = sorted(
        (s for s in shown if s.kind != "organization"),
        key=lambda s: (sort_key(s.name, s.kind, s.sort_as), s.id),
    )
    return Section(
        organizations=tuple(Entry(s.id, s.name, s.affiliation) for s in orgs),
        individuals=tuple(Entry(s.id, s.name, s.affiliation) for s in people),
    )


def display_order(signatories: Sequence[Signatory]) -> list[Signatory]:
    """The whole registry in display order: published organizations, published individuals,
    then pending, rejected and withdrawn entries."""
    return sorted(
        signatories,
        key=lambda s: (
            _STATUS_RANK[s.status],
            s.kind != "organization",
            sort_key(s.name, s.kind, s.sort_as),
            s.id,
        ),
    )


def recent_section(signatories: Sequence[Signatory], n: int, full_list_url: str = "") -> RecentSection:
    """The count of published entries and the `n` most recent of them, newest first (registry
    order's key: first signature, then id)."""
    shown = [s for s in signatories if s.status == "published"]
    orgs = sum(1 for s in shown if s.kind == "organization")
    newest = heapq.nlargest(n, shown, key=registry_key)
    return RecentSection(
        total=len(shown),
        organizations=orgs,
        individuals=len(shown) - orgs,
        recent=tuple(Entry(s.id, s.name, s.affiliation) for s in newest),
        full_list_url=full_list_url,
    )


class LoadedLister:
    """The published list from the whole registry in memory."""

    def __init__(self, signatories: Sequence[Signatory]) -> None:
        self.signatories = signatories
        self._full: Section | None = None

    def full(self) -> Section:
        if self._full is None:
            self._full = published_section(self.signatories)
        return self._full

    def published_ids(self) -> list[str]:
        return sorted(s.id for s in self.signatories if s.status == "published")

    def recent(self, n: int, full_list_url: str) -> RecentSection:
        return recent_section(self.signatories, n, full_list_url)
