"""The plan as a review an editor reads in a minute: Markdown (a pull request's body) or a
self-contained HTML page with the list before and after, side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass

from render.section import Entry, environment, published_section
from sync.model import Plan, Signatory


@dataclass(frozen=True, slots=True)
class Line:
    """One entry of the list, marked for the side-by-side view."""

    name: str
    affiliation: str
    mark: str  # "added", "removed", "changed" or ""


@dataclass(frozen=True, slots=True)
class Decided:
    """A response the plan did something with, and why."""

    id: str
    name: str
    typed: str
    reason: str
    release: str  # the command that releases a held entry ('' otherwise)


@dataclass(frozen=True, slots=True)
class DiffBlock:
    path: str
    diff: str
    fence: str  # a Markdown fence longer than any backtick run in the diff


@dataclass(frozen=True, slots=True)
class ReviewView:
    """Everything the review templates show; they only lay it out."""

    summary_line: str
    added: tuple[Line, ...]
    removed: tuple[Line, ...]
    changed: tuple[Line, ...]
    merged: tuple[Decided, ...]
    withdrawn: tuple[Decided, ...]  # consent revoked by a later response
    noted: tuple[Decided, ...]  # published, with a note (a similar name at another address)
    held: tuple[Decided, ...]
    rejected: tuple[Decided, ...]
    pending_total: int
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    before: tuple[Line, ...]
    after: tuple[Line, ...]
    diffs: tuple[DiffBlock, ...]
    has_changes: bool


def _lines(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    return {e.id: e for e in entries}


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def review_view(plan: Plan) -> ReviewView:
    """Compare the published list before and after the plan and collect every decision."""
    from render.report import summary_line

    old = published_section(plan.previous)
    new = published_section(plan.signatories)
    old_all = {**_lines(old.organizations), **_lines(old.individuals)}
    new_all = {**_lines(new.organizations), **_lines(new.individuals)}

    def mark(e: Entry, other: dict[str, Entry], gone: str) -> str:
        if e.id not in other:
            return gone
        o = other[e.id]
        return "changed" if (o.name, o.affiliation) != (e.name, e.affiliation) else ""

    after = tuple(
        Line(e.name, e.affiliation, mark(e, old_all, "added")) for e in new.organizations + new.individuals
    )
    before = tuple(
        Line(e.name, e.affiliation, mark(e, new_all, "removed")) for e in old.organizations + old.individuals
    )
    by_id: dict[str, Signatory] = {s.id: s for s in plan.signatories}

    def decided(action: str, release: bool = False) -> tuple[Decided, ...]:
        out = []
        for c in plan.changes:
            if c.action != action:
                continue
            s = by_id.get(c.id)
            typed = s.typed if s else ""
            out.append(
                Decided(
                    c.id,
                    c.name,
                    typed if typed != c.name else "",
                    c.reason,
                    f"signsync approve {c.id}" if release else "",
                )
            )
        return tuple(out)

    return ReviewView(
        summary_line=summary_line(plan),
        added=tuple(x for x in after if x.mark == "added"),
        removed=tuple(x for x in before if x.mark == "removed"),
        changed=tuple(x for x in after if x.mark == "changed"),
        merged=decided("merge"),
        withdrawn=decided("withdraw"),
        noted=tuple(d for d in decided("add") if d.reason),
        held=decided("hold", release=True),
        rejected=decided("reject"),
        pending_total=sum(1 for s in plan.signatories if s.status == "pending"),
        warnings=plan.warnings,
        notes=plan.notes,
        before=before,
        after=after,
        diffs=tuple(DiffBlock(f.path, f.diff, _fence(f.diff)) for f in plan.files if f.show and f.diff),
        has_changes=plan.has_changes,
    )


def render_review(plan: Plan, fmt: str) -> str:
    """The review as Markdown ("markdown") or a self-contained HTML page ("html")."""
    name = "review.md.j2" if fmt == "markdown" else "review.html.j2"
    return environment().get_template(name).render(review=review_view(plan))
