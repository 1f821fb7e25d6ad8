"""The diffs a plan shows (sync/support/diffs.py): a patch of before into after, and a summary
for a change too long to read."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st


def _patch(diff: str, source: str) -> str:
    """Apply a unified diff (as `patch` would) to check it is right."""
    import re

    lines, out, pos = source.splitlines(keepends=True), [], 0
    body = diff.splitlines(keepends=True)[2:]
    i = 0
    while i < len(body):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", body[i])
        assert m, body[i]
        first, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
        start = first - 1 if count else first
        out += lines[pos:start]
        pos, i = start, i + 1
        while i < len(body) and not body[i].startswith("@@"):
            tag, text = body[i][0], body[i][1:]
            if tag == " ":
                assert lines[pos] == text
                out.append(text)
                pos += 1
            elif tag == "-":
                assert lines[pos] == text
                pos += 1
            else:
                out.append(text)
            i += 1
    return "".join(out + lines[pos:])


@given(
    st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e\n"]), max_size=60),
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 60), st.sampled_from(["x\n", "a\n", "y\n"])),
        min_size=1,
        max_size=6,
    ),
)
def test_unified_diff_patches_before_into_after(before_lines: list[str], edits: list) -> None:
    from sync.support.diffs import unified_diff

    after_lines = list(before_lines)
    for op, where, text in edits:
        where = min(where, len(after_lines))
        if op == 0:
            after_lines.insert(where, text)
        elif after_lines and where < len(after_lines):
            if op == 1:
                del after_lines[where]
            else:
                after_lines[where] = text
    before, after = "".join(before_lines), "".join(after_lines)
    diff = unified_diff(before, after, "f")
    assert (diff == "") == (before == after)
    if diff:
        assert _patch(diff, before) == after


def test_a_huge_diff_is_summarised_not_computed() -> None:
    from sync.support.diffs import MAX_DIFF_LINES, unified_diff

    before = "".join(f"{i}\n" for i in range(10))
    after = before + "".join(f"new {i}\n" for i in range(MAX_DIFF_LINES + 1))
    assert unified_diff(before, after, "r.csv") == (
        f"--- a/r.csv\n+++ b/r.csv\n@@ -11,0 +11,{MAX_DIFF_LINES + 1} @@ 0 lines out, "
        f"{MAX_DIFF_LINES + 1:,} lines in: too many to show here; compare the files after apply "
        "(git diff)\n"
    )
    small = before + "new\n"
    assert unified_diff(before, small, "r.csv").endswith("+new\n")
