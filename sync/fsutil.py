"""File helpers: content hashes, atomic replacement, and the run lock."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def sha256_text(text: str | None) -> str | None:
    """Hex SHA-256 of `text` encoded as UTF-8 (None stays None: the file does not exist)."""
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


# Test hook for tests/test_crash_safety.py and tests/test_concurrency.py, inert unless
# SIGNSYNC_TEST_CRASH_AT is set (read once, at import): then every step of every atomic write
# is numbered from 1 and announced on stderr, and at step N the process sends itself SIGKILL
# (or SIGNSYNC_TEST_CRASH_SIGNAL, e.g. SIGSTOP to freeze it mid-write), so a test can stop a
# run at each point of its write sequence deterministically.
_CRASH_AT = os.environ.get("SIGNSYNC_TEST_CRASH_AT")
_CRASH_SIGNAL = os.environ.get("SIGNSYNC_TEST_CRASH_SIGNAL", "SIGKILL")
_crash_steps = 0


def _crash_point(what: str, path: Path) -> None:
    global _crash_steps
    if _CRASH_AT is None:
        return
    _crash_steps += 1
    print(f"crash point {_crash_steps}: {what} {path.name}", file=sys.stderr, flush=True)
    if _crash_steps == int(_CRASH_AT):
        os.kill(os.getpid(), getattr(signal, _CRASH_SIGNAL))


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader (or a crash) sees the old or the new file,
    never a part: write a temp file in the same folder, fsync it, rename over, fsync the folder."""
    path = Path(path)
    _crash_point("before writing", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _crash_point("temp file created for", path)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            half = len(text) // 2
            handle.write(text[:half])
            handle.flush()
            _crash_point("temp file half written for", path)
            handle.write(text[half:])
            handle.flush()
            _crash_point("temp file written for", path)
            os.fsync(handle.fileno())
        _crash_point("temp file fsynced for", path)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _crash_point("renamed over", path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    _crash_point("folder fsynced after", path)


def remove_stale_temps(path: Path) -> None:
    """Delete the temp files (`.NAME.*.tmp`) a killed `atomic_write_text` left beside `path`.
    Only for a holder of `run_lock`: no other run can be writing them."""
    path = Path(path)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


# How long a run waits for another's lock unless SIGNSYNC_LOCK_WAIT says otherwise (see cli.py).
LOCK_WAIT_SECONDS = 30.0


@contextlib.contextmanager
def run_lock(registry_path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock beside the registry for the length of a run, so two runs never
    interleave their writes. Waits up to `wait_seconds`, then raises LockError."""
    from sync.errors import LockError

    lock_path = Path(registry_path).with_name(Path(registry_path).name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockError(
                        f"another signsync run is working on {registry_path} (lock {lock_path}); "
                        "wait for it to finish and run again"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        handle.close()
