"""Diffs of the files a plan changes, made fast for large files and cut short past what anyone
reads."""

from __future__ import annotations

import difflib
import re

MAX_DIFF_LINES = 20_000
_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def unified_diff(before: str | None, after: str, label: str, context: int = 3) -> str:
    """A unified diff of two texts ('' when equal).

    The lines both texts share at the start and the end are set aside before difflib runs, so
    a registry of a million lines that gained a few at its end diffs in milliseconds."""
    if before == after:
        return ""
    a = (before or "").splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    removed, added = len(a) - prefix - suffix, len(b) - prefix - suffix
    if removed + added > MAX_DIFF_LINES:
        # Nobody reads a diff this long, and difflib over it costs seconds and gigabytes
        # (a first run over a large sheet): say what changed and where instead.
        old = "/dev/null" if before is None else f"a/{label}"
        return (
            f"--- {old}\n+++ b/{label}\n@@ -{prefix + 1},{removed} +{prefix + 1},{added} @@ "
            f"{removed:,} lines out, {added:,} lines in: too many to show here; "
            "compare the files after apply (git diff)\n"
        )
    start = max(0, prefix - context)
    keep = max(0, suffix - context)
    lines = difflib.unified_diff(
        a[start : len(a) - keep],
        b[start : len(b) - keep],
        n=context,
        fromfile=f"a/{label}" if before is not None else "/dev/null",
        tofile=f"b/{label}",
    )

    def shift(line: str) -> str:
        m = _HUNK.match(line)
        if not m or not start:
            return line
        old_from, new_from = int(m.group(1)), int(m.group(3))
        return (
            f"@@ -{old_from + start}{m.group(2) or ''} +{new_from + start}{m.group(4) or ''} @@"
            + line[m.end() :]
        )

    return "".join(shift(line) for line in lines)
