"""The plan as a review an editor reads in a minute: Markdown (a pull request's body) or a
self-contained HTML page.

Both lead with what needs a decision (held entries, one line each with the reason), then what
will change, then everything else folded. The Markdown review fits GitHub's pull-request body
limit whatever the size: over it, the lists are shortened (saying how many are left out) and the
diffs dropped; `plan --out-full FILE` writes the whole review for the workflow to attach.

Held entries are task-list checkboxes ("- [ ] publish **Name** (`s-...`): reason") that the
approve-in-pull-request workflow reads (`sync/operations/pr_ticks.py`); the review ends with a digest of the
registry it was made from, so a tick on a review made from an older registry does nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TypeVar

from render.section import environment
from sync.model import Entry, Plan, ReviewBasis, Signatory

GITHUB_BODY_LIMIT = 65_536  # characters in a pull request's body
REVIEW_MARK = "signsync-review"
# Caps tried in turn when the Markdown review is over the limit: items shown per list.
_CAPS = (1000, 300, 100, 30, 10, 3, 0)

T = TypeVar("T")


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
class Shown:
    """A list as the review shows it: the first items, and how many are left out."""

    items: tuple[object, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)


@dataclass(frozen=True, slots=True)
class ReviewView:
    """Everything the review templates show; they only lay it out."""

    summary_line: str
    decide: Shown  # every entry waiting for an editor: this plan's holds first, then earlier ones
    new_held: int  # how many of them this plan holds
    added: Shown
    removed: Shown
    changed: Shown
    merged: Shown
    withdrawn: Shown  # consent revoked by a later response from the same signer
    noted: Shown  # published with a note (a namesake or a similar name at another address)
    by_signer: Shown  # confirmed or corrected by their signers through their links (self-service)
    rejected: Shown
    private: tuple[tuple[str, int], ...]  # (public reason, how many): people kept private, never named
    warnings: Shown
    notes: tuple[str, ...]
    before: Shown
    after: Shown
    diffs: tuple[DiffBlock, ...]
    has_changes: bool
    registry_digest: str
    summarised: bool = False
    full_review: str = ""  # where the whole review is, when this one is summarised
    full_link: str = ""  # a web address to read it at (https only)


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _shown(items: tuple[T, ...] | list[T], cap: int | None) -> Shown:
    items = tuple(items)
    return Shown(items if cap is None else items[:cap], len(items))


def _with_confirmation(reason: str, s: Signatory | None) -> str:
    """A held entry's reasons, with whether its signer confirmed through their link and from
    which kind of address (an institution's own domain, or webmail): for the editor's decision."""
    if s is None or not s.confirmed:
        return reason
    when, _, kind = s.confirmed.partition(" ")
    article = "an" if kind == "institutional" else "a"
    said = f"confirmed by the signer on {when[:10]} from {article} {kind or 'unknown'} address"
    return f"{reason}; {said}" if reason else said


def _waiting(plan: Plan) -> tuple[list[Decided], int]:
    """Entries waiting for a decision: this plan's holds, then those held by earlier runs."""
    by_id: dict[str, Signatory] = {s.id: s for s in plan.signatories}
    out: list[Decided] = []
    seen: set[str] = set()
    for c in plan.changes:
        s = by_id.get(c.id)
        if c.action != "hold" or c.id in seen or c.private or (s is not None and s.status != "pending"):
            continue
        seen.add(c.id)
        typed = s.typed if s else ""
        reason = _with_confirmation(c.reason, s)
        out.append(
            Decided(c.id, c.name, typed if typed != c.name else "", reason, f"signsync approve {c.id}")
        )
    new = len(out)
    for s in plan.signatories:
        if s.status == "pending" and s.id not in seen and not s.sealed:
            typed = s.typed if s.typed != s.name else ""
            out.append(
                Decided(s.id, s.name, typed, _with_confirmation(s.reason, s), f"signsync approve {s.id}")
            )
    return out, new


def _unnamed_last(lines: list[Line], cap: int | None) -> Shown:
    named = [x for x in lines if x.name]
    return Shown(tuple(named if cap is None else named[:cap]), len(lines))


def review_view(plan: Plan, basis: ReviewBasis, cap: int | None = None) -> ReviewView:
    """Compare the published list before and after the plan and collect every decision.

    `cap`: show at most this many items per list (None: all), and no diffs."""
    from render.report import summary_line

    old, new = basis.before, basis.after
    old_all = {e.id: e for e in old.organizations + old.individuals}
    new_all = {e.id: e for e in new.organizations + new.individuals}

    def mark(e: Entry, other: dict[str, Entry], gone: str) -> str:
        if e.id not in other:
            return gone
        o = other[e.id]
        return "changed" if (o.name, o.affiliation) != (e.name, e.affiliation) else ""

    after = [
        Line(e.name, e.affiliation, mark(e, old_all, "added")) for e in new.organizations + new.individuals
    ]
    before = [
        Line(e.name, e.affiliation, mark(e, new_all, "removed")) for e in old.organizations + old.individuals
    ]

    def decided(action: str) -> list[Decided]:
        by_id = {s.id: s for s in plan.signatories}
        out = []
        for c in plan.changes:
            if c.action == action and not c.private:
                typed = by_id[c.id].typed if c.id in by_id else ""
                out.append(Decided(c.id, c.name, typed if typed != c.name else "", c.reason, ""))
        return out

    waiting, new_held = _waiting(plan)
    private: dict[str, int] = {}
    for c in plan.changes:
        if c.private:
            private[c.reason] = private.get(c.reason, 0) + 1

    diffs = tuple(DiffBlock(f.path, f.diff, _fence(f.diff)) for f in plan.files if f.show and f.diff)
    return ReviewView(
        summary_line=summary_line(plan),
        decide=_shown(waiting, cap),
        new_held=new_held,
        added=_shown([x for x in after if x.mark == "added"], cap),
        # Someone who left the page because they are now kept private: counted, never named.
        removed=_unnamed_last([x for x in before if x.mark == "removed"], cap),
        changed=_shown([x for x in after if x.mark == "changed"], cap),
        by_signer=_shown(decided("confirm") + decided("correct"), cap),
        merged=_shown(decided("merge"), cap),
        withdrawn=_shown(decided("withdraw"), cap),
        noted=_shown([d for d in decided("add") if d.reason], cap),
        rejected=_shown(decided("reject"), cap),
        private=tuple(private.items()),
        warnings=_shown(plan.warnings, cap if cap is None else max(cap, 3)),
        notes=plan.notes,
        before=_shown([x for x in before if x.name], cap),
        after=_shown(after, cap),
        diffs=diffs if cap is None else (),
        has_changes=plan.has_changes,
        registry_digest=basis.registry_digest,
        summarised=cap is not None,
    )


@dataclass(frozen=True, slots=True)
class Review:
    """A rendered review; `summarised` when it had to be shortened to fit `limit`."""

    text: str
    summarised: bool


def render_review(
    plan: Plan,
    basis: ReviewBasis,
    fmt: str,
    *,
    limit: int | None = None,
    full_review: str = "the full review",
    full_link: str = "",
) -> Review:
    """The review as Markdown ("markdown") or a self-contained HTML page ("html").

    With `limit` (characters), a review that would be longer is summarised: every list is cut to
    its first items with a count of the rest, the diffs are left out, and it says that
    `full_review` (a file name or link) holds everything."""
    name = "review.md.j2" if fmt == "markdown" else "review.html.j2"
    template = environment().get_template(name)
    view = review_view(plan, basis)
    text = template.render(review=view, review_mark=REVIEW_MARK)
    if limit is None or len(text) <= limit:
        return Review(text, False)
    for cap in _CAPS:
        link = full_link if re.fullmatch(r"https://[^\s<>()\[\]`]+", full_link) else ""
        view = replace(review_view(plan, basis, cap), full_review=full_review, full_link=link)
        text = template.render(review=view, review_mark=REVIEW_MARK)
        if len(text) <= limit:
            return Review(text, True)
    # Only warnings or notes of absurd length can get here: cut, and say so.
    note = f"\n\n(cut to {limit} characters: see {full_review})\n"
    return Review(text[: limit - len(note)] + note, True)
