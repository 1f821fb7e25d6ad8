"""Render the signatory section with Jinja2 (autoescape on, StrictUndefined).

The templates hold no logic: they receive a `Section` already filtered and sorted
(`sync.listing.published_section`); this module only escapes and lays it out.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from sync.model import Entry, Section

# Characters that start Markdown syntax inside a line ('#', '-', '+' and digits matter only at
# the start of a line, and every value here follows other text).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
# "&" starting what WordPress's HTML filter reads as a numeric character reference once escaped
_NUMERIC_REFERENCE = re.compile(r"&(?=#(?:0*[0-9]{1,7}|[xX]0*[0-9A-Fa-f]{1,6});)")


def as_shown(text: str) -> str:
    """The text a reader gets from the page for `text`: the same, but for the word joiner after
    an `&` that starts a numeric character reference (see `text_escape`)."""
    return _NUMERIC_REFERENCE.sub("&\u2060", text)


def text_escape(value: object) -> Markup:
    """Escape a value for an HTML text node with only what HTML needs: `&`, `<`, `>` (and a
    no-break space as `&nbsp;`). Quotes stay as they are: they mean nothing in text, and this is
    what a browser writes back (the block editor re-serialises a Custom HTML block through the
    DOM), so a page the editor saved still holds the bytes signsync would write.

    Text that spells a numeric character reference (`&#119;`, `&#x3C;`) gets an invisible
    WORD JOINER after its `&`: WordPress's HTML filter (for users without unfiltered_html)
    turns `&amp;#119;` into `&#119;`, which shows "w", and a browser writes `&amp;#119;` back:
    no spelling of that text survives both, the joined one does, and reads the same.

    Only for text between tags: a value inside an attribute needs the default escaping."""
    text = as_shown(str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text.replace("\u00a0", "&nbsp;"))


def md_escape(value: object) -> Markup:
    """Backslash-escape Markdown syntax, then HTML-escape, so a name is always literal text."""
    # Quotes need no escaping in Markdown text; leaving them makes the raw review readable.
    return Markup(html.escape(_MD_SPECIAL.sub(r"\\\1", str(value)), quote=False))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    folder = resources.files("templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["text"] = text_escape
    return env


def render_section(section: Section, fmt: str) -> str:
    """The section's text in `fmt` ("html" or "markdown"), ending with a newline."""
    template = environment().get_template(f"section.{'md' if fmt == 'markdown' else 'html'}.j2")
    return template.render(section=section)


def render_data(section: Section) -> str:
    """The published list as JSON for static sites (Hugo `data/`, Jekyll `_data/`).

    Shape: {"total": n, "organizations": [{"id", "name", "affiliation"}], "individuals": [...]},
    each list in display order. No timestamp, so a rerun with nothing new changes no byte.
    """

    def entries(items: tuple[Entry, ...]) -> list[dict[str, str]]:
        return [{"id": e.id, "name": e.name, "affiliation": e.affiliation} for e in items]

    doc = {
        "total": section.total,
        "organizations": entries(section.organizations),
        "individuals": entries(section.individuals),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
