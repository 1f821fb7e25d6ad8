"""What a long run is doing, on stderr (never stdout, which carries data).

A run that is still busy after `SIGNSYNC_PROGRESS_AFTER` seconds (default 2) shows its stage:
on a terminal as a progress bar (rich, drawn on stderr and cleared at the end); elsewhere
nothing, unless `SIGNSYNC_PROGRESS=lines` asks for one line per stage (CI logs).
`SIGNSYNC_PROGRESS=0` turns it off everywhere. Short runs print nothing: most runs are short.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TextIO

DEFAULT_AFTER = 2.0


class Progress:
    """Stages of one run. `stage(label, total)` starts the next one; `advance(n)` counts work
    done in it (for the bar). Cheap when nothing is shown."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        mode = os.environ.get("SIGNSYNC_PROGRESS", "auto")
        try:
            self.after = float(os.environ.get("SIGNSYNC_PROGRESS_AFTER", DEFAULT_AFTER))
        except ValueError:
            self.after = DEFAULT_AFTER
        tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.mode = "off" if mode == "0" else "lines" if mode == "lines" else "bar" if tty else "off"
        self.started = time.monotonic()
        self.label = ""
        self.total: int | None = None
        self.done = 0
        self.shown = False  # the current stage has been shown
        self._bar: Any = None
        self._task: Any = None

    def stage(self, label: str, total: int | None = None) -> None:
        self.label, self.total, self.done, self.shown = label, total, 0, False
        self._show()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.mode == "bar" and self._task is not None:
            self._bar.update(self._task, completed=self.done)
        elif not self.shown:
            self._show()

    def _show(self) -> None:
        if self.mode == "off" or not self.label or time.monotonic() - self.started < self.after:
            return
        self.shown = True
        if self.mode == "lines":
            size = f" ({self.total:,})" if self.total else ""
            print(f"signsync: {self.label}{size}", file=self.stream, flush=True)
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(self.label, total=self.total, completed=self.done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


_current: Progress | None = None


def progress() -> Progress:
    """The run's progress (made on first use; `run()` makes a fresh one per command)."""
    global _current
    if _current is None:
        _current = Progress()
    return _current


@contextmanager
def run() -> Iterator[Progress]:
    """One command's progress, read from the environment and stderr as they are now, and
    closed at the end (a command run in-process, as the tests do, starts afresh)."""
    global _current
    _current = Progress()
    try:
        yield _current
    finally:
        _current.close()
        _current = None


def stage(label: str, total: int | None = None) -> None:
    progress().stage(label, total)


def advance(n: int = 1) -> None:
    progress().advance(n)
