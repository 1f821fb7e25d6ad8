"""Diffs of the files a plan changes, made fast for large files and cut short past what anyone
reads."""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator

MAX_DIFF_LINES = 20_000
ANCHOR_FROM = 400  # lines between the shared start and end from which lines seen once anchor the diff
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
    if removed + added >= ANCHOR_FROM:
        # A registry shard with a few lines replaced in place and some added at its end: its
        # lines compared where they stand; else the lines found once in each text tie them
        # together, and only the lines between those ties are compared (a unified diff of the
        # changed lines, never difflib over the whole middle).
        codes = _in_place_opcodes(a, b, prefix, suffix) or _anchored_opcodes(
            a, b, prefix, len(a) - suffix, prefix, len(b) - suffix
        )
        changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in codes if tag != "equal")
        if changed <= MAX_DIFF_LINES:
            return "".join(_unified(a, b, codes, label, before is None, context))
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


def _in_place_opcodes(
    a: list[str], b: list[str], prefix: int, suffix: int
) -> list[tuple[str, int, int, int, int]]:
    """Opcodes pairing the lines between the shared start and end where they stand (the rest
    of the longer text added or removed at the end), when few of them differ and no line that
    differs is found elsewhere in the other text (lines replaced in place: the pairing is then a
    longest common subsequence); else [] (lines moved or inserted)."""
    ahi, bhi = len(a) - suffix, len(b) - suffix
    end = min(ahi, bhi)
    differ = [k for k, x, y in zip(range(prefix, end), a[prefix:end], b[prefix:end], strict=True) if x != y]
    if len(differ) > (end - prefix) // 16 + 8:
        return []
    old = {a[k] for k in differ}
    old.update(a[end:ahi])
    new = {b[k] for k in differ}
    new.update(b[end:bhi])
    if not (old.isdisjoint(b[prefix:bhi]) and new.isdisjoint(a[prefix:ahi])):
        return []
    codes: list[tuple[str, int, int, int, int]] = [("equal", 0, prefix, 0, prefix)] if prefix else []
    at = prefix
    k = 0
    while k < len(differ):
        first = differ[k]
        while k + 1 < len(differ) and differ[k + 1] == differ[k] + 1:
            k += 1
        last = differ[k] + 1
        if first > at:
            codes.append(("equal", at, first, at, first))
        codes.append(("replace", first, last, first, last))
        at = last
        k += 1
    if end > at:
        codes.append(("equal", at, end, at, end))
    if ahi > end:
        codes.append(("delete", end, ahi, end, end))
    elif bhi > end:
        codes.append(("insert", end, end, end, bhi))
    if suffix:
        codes.append(("equal", ahi, len(a), bhi, len(b)))
    return codes


def _anchored_opcodes(
    a: list[str], b: list[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes of a against b (whole lists; a[:alo] == b[:blo] and the ends after
    ahi / bhi are equal): the lines that occur once in a[alo:ahi] and once in b[blo:bhi] tie the
    texts together (the longest run of them in the same order in both, as in patience diff),
    and difflib compares only the lines between two ties."""
    seen_a = Counter(a[alo:ahi])
    seen_b = Counter(b[blo:bhi])
    where_a = {line: i for i, line in enumerate(a[alo:ahi], alo) if seen_a[line] == 1}
    pairs = [
        (where_a[line], j) for j, line in enumerate(b[blo:bhi], blo) if seen_b[line] == 1 and line in where_a
    ]
    ties = _increasing(pairs)
    codes: list[tuple[str, int, int, int, int]] = []

    def add(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if codes and tag == "equal" and codes[-1][0] == "equal":
            codes[-1] = ("equal", codes[-1][1], i2, codes[-1][3], j2)
        else:
            codes.append((tag, i1, i2, j1, j2))

    add("equal", 0, alo, 0, blo)
    i, j = alo, blo
    for ti, tj in [*ties, (ahi, bhi)]:
        if i < ti and j < tj:
            gap = difflib.SequenceMatcher(None, a[i:ti], b[j:tj], autojunk=False)
            for tag, i1, i2, j1, j2 in gap.get_opcodes():
                add(tag, i + i1, i + i2, j + j1, j + j2)
        elif i < ti:
            add("delete", i, ti, j, j)
        elif j < tj:
            add("insert", i, i, j, tj)
        add("equal", ti, ti + 1 if ti < ahi else ti, tj, tj + 1 if tj < bhi else tj)
        i, j = ti + 1, tj + 1
    add("equal", ahi, len(a), bhi, len(b))
    return codes


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (in increasing second item) whose first items
    increase too (patience sorting)."""
    tails: list[int] = []  # tails[k]: first item ending the best run of length k + 1
    ends: list[int] = []  # the index in pairs of that run's last pair
    back: list[int] = []
    for n, (i, _j) in enumerate(pairs):
        k = bisect_left(tails, i)
        if k == len(tails):
            tails.append(i)
            ends.append(n)
        else:
            tails[k] = i
            ends[k] = n
        back.append(ends[k - 1] if k else -1)
    out = []
    n = ends[-1] if ends else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def _unified(
    a: list[str],
    b: list[str],
    codes: list[tuple[str, int, int, int, int]],
    label: str,
    new_file: bool,
    n: int,
) -> Iterator[str]:
    """A unified diff from opcodes, written as difflib.unified_diff writes it."""
    first = True
    for group in _grouped(codes, n):
        if first:
            first = False
            yield f"--- {'/dev/null' if new_file else 'a/' + label}\n+++ b/{label}\n"
        yield f"@@ -{_range(group[0][1], group[-1][2])} +{_range(group[0][3], group[-1][4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])


def _grouped(
    codes: list[tuple[str, int, int, int, int]], n: int
) -> Iterator[list[tuple[str, int, int, int, int]]]:
    """The opcodes in hunks with up to n lines of context (difflib's get_grouped_opcodes)."""
    codes = list(codes) or [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)
    nn = n + n
    group: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > nn:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it (difflib's _format_range_unified)."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return str(beginning)
    if not length:
        beginning -= 1
    return f"{beginning},{length}"
