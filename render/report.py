"""The plan as text for a terminal: summary, what happens to each response, then the diffs."""

from __future__ import annotations

from sync.model import Plan

LABELS = {
    "add": "new",
    "merge": "merged",
    "hold": "held for review",
    "reject": "rejected",
    "withdraw": "withdrawn",
}


def summary_line(plan: Plan) -> str:
    s = plan.summary
    line = (
        f"{s.responses} responses read: {s.new} new, {s.merged} merged, {s.held} held for review, "
        f"{s.rejected} rejected, {s.unchanged} unchanged"
    )
    if s.skipped_blank:
        line += f" ({s.skipped_blank} blank rows skipped)"
    return line


def plan_text(plan: Plan, *, diff: bool = True) -> str:
    """The human-readable plan."""
    out = [summary_line(plan)]
    out += [f"note: {n}" for n in plan.notes]
    out += [f"warning: {w}" for w in plan.warnings]
    for action in ("add", "merge", "hold", "reject", "withdraw"):
        items = [c for c in plan.changes if c.action == action]
        if not items:
            continue
        out.append("")
        out.append(f"{LABELS[action]} ({len(items)}):")
        for c in items:
            reason = f"  [{c.reason}]" if c.reason else ""
            out.append(f"  {c.id}  {c.name}{reason}")
    if diff:
        for f in plan.files:
            if f.show and f.diff:
                out.append("")
                out.append(f.diff.rstrip("\n"))
    if not plan.has_changes:
        out.append("")
        out.append("Nothing to change.")
    return "\n".join(out) + "\n"
