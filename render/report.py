"""The plan as text for a terminal: summary, what happens to each response, then the diffs."""

from __future__ import annotations

from sync.model import Change, Plan

LABELS = {
    "add": "new",
    "merge": "merged",
    "hold": "held for review",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "confirm": "confirmed by the signer",
    "correct": "corrected by the signer",
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


SCREENFUL = 20  # entries per section of the text plan
DIFF_SCREENFUL = 60  # lines per file diff


def _capped(lines: list[str], limit: int | None, what: str) -> list[str]:
    if limit is None or len(lines) <= limit:
        return lines
    return [*lines[:limit], f"  ... and {len(lines) - limit:,} more {what}; --json or --all for every entry"]


def private_lines(changes: list[Change] | tuple[Change, ...]) -> list[str]:
    """Changes about people kept private: counted by their public reason, never named or
    numbered (an id could be looked up in an older version of the registry)."""
    counts: dict[str, int] = {}
    for c in changes:
        if c.private:
            counts[c.reason] = counts.get(c.reason, 0) + 1
    return [f"  {n} not named ({reason})" for reason, n in counts.items()]


def plan_text(plan: Plan, *, diff: bool = True, everything: bool = False) -> str:
    """The human-readable plan: at most a screenful per section unless `everything`."""
    limit = None if everything else SCREENFUL
    out = [summary_line(plan)]
    out += [f"note: {n}" for n in plan.notes]
    out += _capped([f"warning: {w}" for w in plan.warnings], limit, "warnings")
    for action in LABELS:
        items = [c for c in plan.changes if c.action == action]
        if not items:
            continue
        out.append("")
        out.append(f"{LABELS[action]} ({len(items)}):")
        lines = []
        for c in items:
            if c.private:
                continue
            reason = f"  [{c.reason}]" if c.reason else ""
            lines.append(f"  {c.id}  {c.name}{reason}")
        out += _capped(lines, limit, "entries")
        out += private_lines(items)
    if diff:
        for f in plan.files:
            if f.show and f.diff:
                out.append("")
                out += _capped(
                    f.diff.rstrip("\n").split("\n"),
                    None if everything else DIFF_SCREENFUL,
                    f"lines of {f.path}",
                )
    if not plan.has_changes:
        out.append("")
        out.append("Nothing to change.")
    return "\n".join(out) + "\n"
