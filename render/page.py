"""The marker region: the part of a page between `<!-- signatories:start -->` and
`<!-- signatories:end -->`. Nothing outside it ever changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sync.errors import MarkerError

START = "<!-- signatories:start -->"
END = "<!-- signatories:end -->"


@dataclass(frozen=True, slots=True)
class Region:
    """Where the section lies in a page: text[start:end] is the content between the markers."""

    start: int
    end: int
    newline: str


def find_region(page: str, label: str) -> Region:
    """Locate exactly one marker pair, or say what is wrong and how to fix it."""
    starts, ends = page.count(START), page.count(END)
    if starts != 1 or ends != 1:
        raise MarkerError(
            f"{label}: needs exactly one '{START}' and one '{END}' (found {starts} and {ends}): "
            "put the pair, each on its own line, where the list of signatories belongs"
        )
    s = page.index(START) + len(START)
    e = page.index(END)
    if e < s:
        raise MarkerError(f"{label}: '{END}' comes before '{START}': swap them")
    return Region(s, e, page_newline(page[: s - len(START)] + page[e:]))


def page_newline(text: str) -> str:
    """The line ending `text` mostly uses (CRLF or LF; a tie or no line break at all: the
    ending of its first line, else LF), so the list written into a page matches its lines."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    if crlf != lf:
        return "\r\n" if crlf > lf else "\n"
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def region_text(page: str, label: str) -> str:
    """The current content between the markers."""
    r = find_region(page, label)
    return page[r.start : r.end]


def replace_region(page: str, section: str, label: str) -> str:
    """`page` with the content between the markers replaced by `section`; every byte outside
    the markers is kept, as is the indentation of the end marker's line."""
    r = find_region(page, label)
    line_start = page.rfind("\n", 0, r.end) + 1
    indent = page[line_start : r.end] if not page[line_start : r.end].strip() else ""
    body = section.rstrip("\n").replace("\n", r.newline)
    return page[: r.start] + r.newline + body + r.newline + indent + page[r.end :]


def checksum(region: str) -> str:
    """Checksum of a region's content, recorded so a later hand edit can be recognised. Line
    endings do not count: a page re-saved with CRLF (or CR) holds the same list."""
    region = region.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(region.encode("utf-8")).hexdigest()[:16]
