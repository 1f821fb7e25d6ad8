"""The published list: which entries show, and in which order. Sorting happens here, before
rendering, so `render` receives lists it only lays out."""

from __future__ import annotations

from collections.abc import Sequence

from sync.model import Entry, Section, Signatory
from sync.names import sort_key

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
