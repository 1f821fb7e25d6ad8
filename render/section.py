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
