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


@given(
    st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e\n"]), max_size=60),
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 60), st.sampled_from(["x\n", "a\n", "y\n"])),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 10),
)
def test_the_anchored_diff_patches_before_into_after(
    before_lines: list[str], edits: list, unique: int
) -> None:
    # Lines that repeat and lines seen once, so that ties and the gaps between them both occur.
    import sync.support.diffs as diffs

    before_lines = before_lines + [f"u{i}\n" for i in range(unique)]
    before_lines.sort(key=lambda line: hash(line) % 7)
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
    old = diffs.ANCHOR_FROM
    diffs.ANCHOR_FROM = 0
    try:
        diff = diffs.unified_diff(before, after, "f")
    finally:
        diffs.ANCHOR_FROM = old
    assert (diff == "") == (before == after)
    if diff:
        assert _patch(diff, before) == after


@given(
    st.integers(1, 3000),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3000)), max_size=12),
)
def test_a_registry_with_lines_replaced_and_added_diffs_as_difflib_does(n: int, edits: list) -> None:
    # Lines that are all different (a registry's, by their ids): the diff of the changed lines
    # is the one difflib makes of the whole texts.
    import difflib

    from sync.support.diffs import unified_diff

    before_lines = [f"s-{i:06d},Name {i}\n" for i in range(n)]
    after_lines = list(before_lines)
    for k, (op, where) in enumerate(edits):
        where = min(where, len(after_lines) - 1)
        if op == 0:
            after_lines.append(f"s-new{k},Added\n")
        elif op == 1:
            after_lines[where] = after_lines[where].replace("Name", f"Renamed{k}")
        else:
            after_lines.insert(where, f"s-ins{k},Inserted\n")
    before, after = "".join(before_lines), "".join(after_lines)
    expected = "".join(difflib.unified_diff(before_lines, after_lines, "a/r.csv", "b/r.csv", n=3))
    assert unified_diff(before, after, "r.csv") == expected


def test_a_few_lines_replaced_in_a_large_file_show_as_those_lines() -> None:
    from sync.support.diffs import MAX_DIFF_LINES, unified_diff

    before_lines = [f"s-{i:06d},Name {i}\n" for i in range(3 * MAX_DIFF_LINES)]
    after_lines = list(before_lines)
    after_lines[5] = "s-000005,Changed\n"
    after_lines[-5] = "s-059995,Changed too\n"
    after_lines.append("s-new,Added\n")
    diff = unified_diff("".join(before_lines), "".join(after_lines), "r.csv")
    assert [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-s-000005,Name 5",
        "+s-000005,Changed",
        "-s-059995,Name 59995",
        "+s-059995,Changed too",
        "+s-new,Added",
    ]
