"""Rows as sources read them hold a form's repeated answers once."""

from __future__ import annotations


class AnswerPool:
    """One string object per distinct answer in the columns whose answers repeat (a form's
    choices: "An individual", "Yes"): a million rows otherwise hold a million copies of each.
    A column stops being shared once it has held REPEAT_LIMIT distinct answers (names, times)."""

    REPEAT_LIMIT = 2_000

    def __init__(self, columns: int) -> None:
        self.seen: list[dict[str, str] | None] = [{} for _ in range(columns)]

    def shared(self, cells: list[str]) -> tuple[str, ...]:
        seen = self.seen
        for j, c in enumerate(cells):
            if j >= len(seen):
                break
            known = seen[j]
            if known is None:
                continue
            got = known.get(c)
            if got is not None:
                cells[j] = got
            elif len(known) < self.REPEAT_LIMIT:
                known[c] = c
            else:
                seen[j] = None  # not a column of repeated answers
        return tuple(cells)
