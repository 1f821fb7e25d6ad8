"""Data built once per machine: tables derived from shipped data files, kept in the cache folder.

Parsing the names engine's data (given names and surnames ranked, the name-word list, the
well-known people, the word frequencies) took ~1-2 s in every process that read a name: every
run, and every worker of a run. So the first process on a machine builds each table once into a
file of signsync's cache folder, and every later process maps that file into memory (`mmap`:
nothing is parsed, the pages are shared by all processes) and looks its keys up in place
(`FrozenMap`).

A file's name carries a digest of what it is built from (the data files' contents, or another
identity the caller gives, signsync's version and this format's), so a new data file or version
gets a new table. A table is written to a temporary file and renamed into place: a reader sees
a whole file or none, and two processes building at once each write a whole file. A file that
is not whole (a disk that filled up) fails its check and is built again. Where the cache folder
cannot be written, the table is built in memory: the same look-ups, only slower to start.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import mmap
import os
import struct
import sys
import tempfile
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, overload

from sync.support.files import cache_dir

FORMAT = 1
_MAGIC = b"SSBUILT1"
# magic, digest (32 bytes), payload length: a file is whole when its length matches
_HEADER = struct.Struct("=8s32sQ")


def _version() -> str:
    from sync import __version__

    return __version__


# A payload: the buffer holding it (a file mapped into memory, or bytes) and where it starts.
Payload = tuple[mmap.mmap | bytes, int]


def built_buffer(name: str, identity: bytes, write: Callable[[BinaryIO], None]) -> Payload:
    """The payload `write` writes, built once per machine: from the cache folder's file
    `name-<digest>.bin` when it is there and whole, else written there first (atomically).
    `identity`: what the payload is made from (e.g. `data_identity` of its data files); the
    digest covers it, signsync's version and this module's format."""
    digest = hashlib.sha256(f"{name}\0{FORMAT}\0{_version()}\0{sys.byteorder}\0".encode() + identity).digest()
    path = cache_dir() / f"{name}-{digest.hex()[:16]}.bin"
    try:
        found = _open(path, digest)
        if found is not None:
            return found
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private, as the registry cache
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_HEADER.pack(_MAGIC, digest, 0))
                write(fh)
                size = fh.tell() - _HEADER.size
                fh.seek(0)
                fh.write(_HEADER.pack(_MAGIC, digest, size))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _sweep(path, name)
        found = _open(path, digest)
        if found is not None:
            return found
    except OSError:
        pass
    out = io.BytesIO()  # the cache folder cannot be used: the same payload, in memory
    write(out)
    return out.getvalue(), 0


def _open(path: os.PathLike[str] | str, digest: bytes) -> Payload | None:
    """The payload of a whole file built for `digest`, mapped into memory; None if there is none."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size < _HEADER.size:
                return None
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        return None
    magic, found, length = _HEADER.unpack_from(mapped, 0)
    if magic != _MAGIC or found != digest or length != size - _HEADER.size:
        mapped.close()
        return None
    with contextlib.suppress(OSError):
        if time.time() - os.stat(path).st_mtime > _TOUCH_AFTER:
            os.utime(path)  # in use: its time says so (see _sweep)
    return mapped, _HEADER.size


# A table unused this long (its time is touched, at most daily, by the processes that read it)
# is removed when another of its name is built: a new version, or each edit of the names engine
# in a checkout, writes new tables (~30 MB), and the folder must not keep them all.
_UNUSED_FOR = 14 * 86_400
_TOUCH_AFTER = 86_400


def _sweep(path: Path, name: str) -> None:
    """Remove the tables named `name` other than `path` that no process read for _UNUSED_FOR
    (a process that still maps one keeps reading it: the file goes when it is closed)."""
    now = time.time()
    for other in path.parent.glob(f"{name}-*.bin"):
        with contextlib.suppress(OSError):
            if other != path and now - other.stat().st_mtime > _UNUSED_FOR:
                other.unlink()


def data_identity(*filenames: str, code: str = "") -> bytes:
    """A digest of shipped data files (sync/data) by their contents and, with `code` (a
    package such as "sync.names"), of that package's source files: a table parsed by code that
    changed since it was built (a checkout between two versions) is built again."""
    from importlib import resources

    h = hashlib.sha256()
    files = [resources.files("sync").joinpath("data", f) for f in filenames]
    if code:
        files += sorted((f for f in resources.files(code).iterdir() if f.name.endswith(".py")), key=str)
    for file in files:
        data = file.read_bytes()
        h.update(f"{file.name}\0{len(data)}\0".encode())
        h.update(hashlib.sha256(data).digest())
    return h.digest()


# --------------------------------------------------------------------------------------------
# A string -> bytes map read in place

_MAP_HEADER = struct.Struct("=II")  # slot count (a power of two), entry count
_RECORD = struct.Struct("=HI")  # key length, value length; then the key and the value
_RECORD_SIZE = _RECORD.size
_unpack_record = _RECORD.unpack_from
_EMPTY = 0xFFFFFFFF
_GOLDEN = 0x9E3779B1


def _slot(key: bytes, shift: int) -> int:
    return ((zlib.crc32(key) * _GOLDEN) & 0xFFFFFFFF) >> shift


def write_map(fh: BinaryIO, items: Iterable[tuple[str, bytes]]) -> None:
    """Write `items` (keys unique, UTF-8 under 64 KiB) as a FrozenMap: an open-addressing
    hash table of record offsets, at most half full, then the records."""
    records = bytearray()
    offsets: list[tuple[bytes, int]] = []
    for key, value in items:
        k = key.encode("utf-8", "surrogatepass")
        offsets.append((k, len(records)))
        records += _RECORD.pack(len(k), len(value))
        records += k
        records += value
    bits = max(1, (2 * len(offsets) - 1).bit_length())
    shift = 32 - bits
    slots = array("I", [_EMPTY]) * (1 << bits)
    mask = (1 << bits) - 1
    for k, off in offsets:
        i = _slot(k, shift)
        while slots[i] != _EMPTY:
            i = (i + 1) & mask
        slots[i] = off
    fh.write(_MAP_HEADER.pack(1 << bits, len(offsets)))
    fh.write(slots.tobytes())
    fh.write(records)


class FrozenMap:
    """A read-only map from strings to bytes over a buffer written by `write_map` (a mapped
    file: looking a key up reads a few bytes of it, nothing is loaded first)."""

    __slots__ = ("_base", "_count", "_mask", "_records", "_shift", "_slots")

    def __init__(self, payload: Payload) -> None:
        buffer, start = payload
        n, count = _MAP_HEADER.unpack_from(buffer, start)
        self._count: int = count
        start += _MAP_HEADER.size
        self._slots = memoryview(buffer)[start : start + 4 * n].cast("I")
        self._records = buffer
        self._base = start + 4 * n
        self._mask = n - 1
        self._shift = 32 - (n.bit_length() - 1)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    @overload
    def get(self, key: str) -> bytes | None: ...
    @overload
    def get(self, key: str, default: bytes) -> bytes: ...
    def get(self, key: str, default: bytes | None = None) -> bytes | None:
        """The value of `key`, else `default`."""
        k = key.encode("utf-8", "surrogatepass")
        n = len(k)
        slots, records, mask, base = self._slots, self._records, self._mask, self._base
        i = ((zlib.crc32(k) * _GOLDEN) & 0xFFFFFFFF) >> self._shift  # _slot, inlined: a hot path
        while True:
            off = slots[i]
            if off == _EMPTY:
                return default
            klen, vlen = _unpack_record(records, base + off)
            if klen == n:
                start = base + off + _RECORD_SIZE
                if records[start : start + n] == k:
                    return records[start + n : start + n + vlen]
            i = (i + 1) & mask


class IntMap:
    """A FrozenMap whose values are integers (written by `int_items`)."""

    __slots__ = ("_map",)

    def __init__(self, frozen: FrozenMap) -> None:
        self._map = frozen

    def __len__(self) -> int:
        return len(self._map)

    def __contains__(self, key: str) -> bool:
        return self._map.get(key) is not None

    @overload
    def get(self, key: str) -> int | None: ...
    @overload
    def get(self, key: str, default: int) -> int: ...
    def get(self, key: str, default: int | None = None) -> int | None:
        value = self._map.get(key)
        return default if value is None else int(value)


def int_items(items: Iterable[tuple[str, int]]) -> Iterator[tuple[str, bytes]]:
    """(key, int) as FrozenMap items (the number in ASCII digits)."""
    for key, value in items:
        yield key, str(value).encode()


def built_ints(name: str, identity: bytes, items: Callable[[], Iterable[tuple[str, int]]]) -> IntMap:
    """An IntMap built once per machine (`built_buffer`) from `items()`."""
    buffer = built_buffer(name, identity, lambda fh: write_map(fh, int_items(items())))
    return IntMap(FrozenMap(buffer))
