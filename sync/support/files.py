"""File helpers: content hashes, atomic replacement, and the run lock."""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import glob
import hashlib
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sync.errors import FileError


def cache_dir() -> Path:
    """signsync's cache folder: `$SIGNSYNC_CACHE_DIR`, else `$XDG_CACHE_HOME/signsync`, else
    `~/.cache/signsync` (what runs keep between runs; deleting it only makes a run slower)."""
    explicit = os.environ.get("SIGNSYNC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "signsync"


def file_problem(path: Path, exc: OSError, doing: str, what: str) -> FileError:
    """One line for an OSError on `path`: what is wrong and how to fix it."""
    for_what = f" ({what})" if what else ""
    if isinstance(exc, IsADirectoryError):
        return FileError(f"{path}{for_what} is a folder, not a file: point the setting at a file")
    if isinstance(exc, NotADirectoryError):
        return FileError(f"{path}{for_what}: part of this path is a file, not a folder: fix the path")
    if isinstance(exc, PermissionError):
        return FileError(
            f"{path}{for_what}: permission denied {doing} it: give this user access "
            "(e.g. chmod u+rw on the file, u+rwx on its folder) or run as its owner"
        )
    if isinstance(exc, FileNotFoundError):
        return FileError(f"{path}{for_what}: the folder does not exist: create it or fix the path")
    reason = exc.strerror or type(exc).__name__
    return FileError(
        f"{path}{for_what}: cannot {doing.removesuffix('ing')} it ({reason}): check the disk and the path"
    )


def read_bytes_or_none(path: Path, what: str = "") -> bytes | None:
    """The bytes of `path`, None when it does not exist; any other problem is one FileError."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise file_problem(Path(path), exc, "reading", what) from None


def not_utf8(path: Path | str, raw: bytes, exc: UnicodeDecodeError, what: str = "") -> FileError:
    """The one-line error for a file that is not UTF-8: where, what it looks like, what to do."""
    for_what = f" ({what})" if what else ""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > len(raw[:200]) // 4:
        looks = "it is UTF-16 (as Windows' Notepad and Excel's 'Unicode text' save)"
    else:
        looks = "it looks like Windows-1252/Latin-1 (what spreadsheet programs save as 'CSV')"
    line = raw[: exc.start].count(b"\n") + 1
    return FileError(
        f"{path}{for_what}: not UTF-8 (byte {exc.start} on line {line}; {looks}): "
        "save it again as UTF-8 (in a spreadsheet program: 'CSV UTF-8')"
    )


def decode_utf8(raw: bytes, path: Path | str, what: str = "") -> str:
    """`raw` as UTF-8 text (a BOM is dropped), or a FileError naming the encoding to save in."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(path, raw, exc, what) from None


def file_digest(path: Path, what: str = "") -> str | None:
    """Hex SHA-256 of the file's bytes, read in blocks (None: no such file); any other problem
    is one FileError. The one file digest (registry shards, config, responses file)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise file_problem(Path(path), exc, "reading", what) from None
    return h.hexdigest()


# A byte-order mark names its encoding; the codecs below keep the mark as U+FEFF in the text,
# so writing the text back in the same codec gives back the same bytes.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_page(raw: bytes, path: Path | str) -> tuple[str, str]:
    """(text, encoding) of a page file: UTF-8, or UTF-16/32 marked by a byte-order mark.
    Anything else is one FileError naming the encoding to save the page in."""
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise not_utf8(path, raw, exc, "[page] path") from None


def read_page(path: Path) -> tuple[str, str] | None:
    """(text, encoding) of a page file exactly as stored (line endings, BOM), None if missing."""
    raw = read_bytes_or_none(path, "[page] path")
    return None if raw is None else decode_page(raw, path)


def read_text_or_none(path: Path, what: str = "") -> str | None:
    """UTF-8 text of `path` with universal newlines (a BOM dropped); None when it does not
    exist. A folder, a permission problem or another encoding is one FileError with the fix."""
    raw = read_bytes_or_none(path, what)
    if raw is None:
        return None
    return decode_utf8(raw, path, what).replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, what: str = "", missing: str = "") -> str:
    """Like read_text_or_none, but a missing file is a FileError too (`missing`: the fix)."""
    text = read_text_or_none(path, what)
    if text is None:
        for_what = f" ({what})" if what else ""
        raise FileError(f"no file at {path}{for_what}: {missing or 'create it or fix the path'}")
    return text


# Test hook for tests/cli/test_crash_safety.py and tests/cli/test_concurrency.py, inert unless
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


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Replace `path` with `text` so that a reader (or a crash) sees the old or the new file,
    never a part: write a temp file in the same folder, fsync it, rename over, fsync the folder.
    A folder where the file should be, or no permission, is one FileError and changes nothing."""
    path = Path(path)
    try:
        _atomic_write(path, text.encode(encoding))
    except OSError as exc:
        raise file_problem(path, exc, "writing", "") from None


def check_writable(path: Path, what: str = "") -> None:
    """Refuse before anything is written when `path` cannot or should not be replaced: a
    folder in its place, a file its owner made read-only (checked by its mode bits, which
    root ignores when writing), or a folder this user cannot write in."""
    path = Path(path)
    for_what = f" ({what})" if what else ""
    if path.is_dir():
        raise FileError(f"{path}{for_what} is a folder, not a file: point the setting at a file")
    if path.exists():
        mode = path.stat().st_mode
        if not mode & 0o222 or not os.access(path, os.W_OK):
            raise FileError(
                f"{path}{for_what} is read-only (mode {mode & 0o777:03o}): signsync does not replace a "
                "file made read-only; make it writable (chmod u+w) to let signsync update it"
            )
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise FileError(f"{path}{for_what}: {folder} is a file, not a folder: fix the path")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FileError(
            f"{path}{for_what}: the folder {folder} is not writable: give this user write access "
            "(chmod u+rwx) or run as its owner"
        )


def _atomic_write(path: Path, data: bytes) -> None:
    _crash_point("before writing", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _crash_point("temp file created for", path)
        with os.fdopen(fd, "wb") as handle:
            half = len(data) // 2
            handle.write(data[:half])
            handle.flush()
            _crash_point("temp file half written for", path)
            handle.write(data[half:])
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
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back while a sequence of writes runs, then raise it: the files
    written together (page, registry, state) are all written, never some of them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def run_lock(registry_path: Path, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock beside the registry for the length of a run, so two runs never
    interleave their writes. Waits up to `wait_seconds`, then raises LockError."""
    from sync.errors import LockError

    lock_path = Path(registry_path).with_name(Path(registry_path).name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    except OSError as exc:
        raise file_problem(lock_path, exc, "writing", "the run lock beside the registry") from None
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
