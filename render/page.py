"""The marker region: the part of a page between `<!-- signatories:start -->` and
`<!-- signatories:end -->`. Nothing outside it ever changes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

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
        misspelt = _misspelt_marker(page)
        if misspelt:
            raise MarkerError.because(
                f"{label}: {misspelt}",
                f"write the markers exactly as '{START}' and '{END}' (spaces inside, lower case), "
                "each on its own line",
            )
        raise MarkerError.because(
            f"{label}: needs exactly one '{START}' and one '{END}' (found {starts} and {ends})",
            "put the pair, each on its own line, where the list of signatories belongs",
        )
    s = page.index(START) + len(START)
    e = page.index(END)
    if e < s:
        raise MarkerError.because(f"{label}: '{END}' comes before '{START}'", "swap them")
    return Region(s, e, page_newline(page[: s - len(START)] + page[e:]))


_NEAR_MARKER = re.compile(r"<!--\s*signator(?:ies|y)\s*[:\-_ ]\s*(?:start|end|begin)\s*-->", re.I)


def _misspelt_marker(page: str) -> str:
    """A marker written differently from START/END (no spaces, capitals), named with its line."""
    for m in _NEAR_MARKER.finditer(page):
        if m.group(0) not in (START, END):
            line = page.count("\n", 0, m.start()) + 1
            return f"the marker '{m.group(0)}' on line {line} is written differently from what signsync reads"
    return ""


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


CHECKSUM_PREFIX = "m1:"
# Elements that start a new line for a reader: one entry of the list ends where one begins.
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr"),
        *("li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot"),
        *("th", "thead", "tr", "ul"),
    }
)


class _Reader(HTMLParser):
    """The text a reader sees, as lines: tags dropped (a block element ends a line), entities
    decoded, comments ignored."""

    def __init__(self, newline_ends_line: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.newline_ends_line = newline_ends_line
        self.lines: list[str] = [""]

    def _break(self) -> None:
        self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.newline_ends_line:
            self.lines[-1] += data
            return
        first, *rest = data.split("\n")
        self.lines[-1] += first
        self.lines += rest


def meaning(region: str, fmt: str = "html") -> tuple[str, ...]:
    """What a reader sees of a region: its lines of text in order, tags dropped, entities
    decoded (`&#39;` is `'`), runs of white space (NBSP included) as one space, blank lines
    dropped. In Markdown a line break ends an entry; in HTML a block element does.

    So the block editor's re-serialisation (`&#39;` written back as `'`), WordPress's HTML
    filter dropping a tag it does not allow (`<bdi>`), or attribute changes mean the same;
    an entry added, removed, reordered or changed does not."""
    reader = _Reader(newline_ends_line=fmt == "markdown")
    reader.feed(region)
    reader.close()
    lines = (" ".join(line.split()) for line in reader.lines)
    return tuple(line for line in lines if line)


def checksum(region: str, fmt: str = "html") -> str:
    """Checksum of a region's meaning (see `meaning`), recorded so that a later hand edit can
    be recognised and a harmless re-serialisation is not taken for one."""
    digest = hashlib.sha256("\n".join(meaning(region, fmt)).encode("utf-8")).hexdigest()
    return CHECKSUM_PREFIX + digest[:16]


def legacy_checksum(region: str) -> str:
    """The checksum of the region's bytes that signsync recorded before it compared
    meanings (no prefix); still accepted from an older state."""
    region = region.replace("\r\n", "\n").replace("\r", "\n")  # LF and CRLF alike
    return hashlib.sha256(region.encode("utf-8")).hexdigest()[:16]


def is_legacy_checksum(recorded: str) -> bool:
    return not recorded.startswith(CHECKSUM_PREFIX)
