"""Render the signatory section with Jinja2 (autoescape on, StrictUndefined).

The templates hold no logic: they receive a `Section` already filtered and sorted
(`sync.publish.listing.published_section`); this module only escapes and lays it out.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from render.page import END, START
from sync.errors import TemplateError
from sync.model import Entry, RecentSection, Section

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
    return _environment(str(resources.files("templates")))


def _environment(folder: str) -> jinja2.Environment:
    """Jinja2 as every section template gets it: autoescape, StrictUndefined, the md filter."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["text"] = text_escape
    return env


def _where(exc: BaseException, template: Path) -> str:
    """`file:line` of the template line a rendering error happened on: the innermost frame of
    a template in the template's folder (Jinja2 puts template lines into the traceback's
    frames), so a mistake in an included template names that file."""
    if isinstance(exc, jinja2.TemplateSyntaxError):  # in a template included while rendering
        return f"{exc.filename or template}:{exc.lineno}"
    folder = str(template.parent)
    where = str(template)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(folder) and not filename.endswith(".py"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _own_template(path: Path) -> jinja2.Template:
    try:
        return _environment(str(path.parent)).get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or path}:{exc.lineno}"
        raise TemplateError(f"{where}: {exc.message}: fix the template at that line") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"{path}: template {exc.name} not found: check [page] template (relative to the config)"
        ) from exc


def render_section(section: Section | RecentSection, fmt: str, template: Path | None = None) -> str:
    """The section's text in `fmt` ("html" or "markdown"), ending with a newline, from the
    built-in template or the page's own (`template`, [page] template). A RecentSection
    ([page] max_listed) has its own built-in template."""
    if isinstance(section, RecentSection):
        name = f"section-recent.{'md' if fmt == 'markdown' else 'html'}.j2"
        return environment().get_template(name).render(section=section)
    variables = {
        "section": section,
        "groups": section.groups,
        "labels": section.labels,
        "language": section.language,
        "direction": section.direction,
    }
    if template is None:
        name = f"section.{'md' if fmt == 'markdown' else 'html'}.j2"
        return environment().get_template(name).render(**variables)
    own = _own_template(template)
    try:
        text = own.render(**variables)
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        message = exc.message if isinstance(exc, jinja2.TemplateSyntaxError) else str(exc)
        message = (message or type(exc).__name__).splitlines()[0]
        raise TemplateError(f"{_where(exc, template)}: {message}: fix the template at that line") from exc
    for marker in (START, END):
        if marker in text:
            raise TemplateError(
                f"{template}: the template writes the marker '{marker}' into the list: remove it from "
                "the template (the page holds the two markers; the template writes only what goes "
                "between them)"
            )
    return text


def render_data(section: Section) -> str:
    """The published list as JSON for static sites (Hugo `data/`, Jekyll `_data/`).

    Shape: {"total", "total_text", "count_text", "language", "direction", "labels",
    ("confirmed", "confirmed_text": once signers confirmed through their links),
    "organizations": [{"id", "name", "affiliation", "kind", "signed", "pinned", "text"}],
    "individuals": [...]}, each list in display order ("text" is the entry as [page]
    entry_format writes it). No timestamp, so a rerun with nothing new changes no byte.
    """

    def entries(items: tuple[Entry, ...]) -> list[dict[str, object]]:
        return [
            {
                "id": e.id,
                "name": e.name,
                "affiliation": e.affiliation,
                "kind": e.kind,
                "signed": e.signed,
                "pinned": e.pinned,
                "text": e.name + (e.before + e.affiliation + e.after if e.affiliation else ""),
            }
            for e in items
        ]

    doc = {
        "total": section.total,
        "total_text": section.total_text,
        "count_text": section.count_text,
        "language": section.language,
        "direction": section.direction,
        "labels": section.labels,
        "organizations": entries(section.organizations),
        "individuals": entries(section.individuals),
    }
    if section.confirmed:  # only once a signer confirmed: earlier data files stay byte-identical
        doc["confirmed"] = section.confirmed
        doc["confirmed_text"] = section.confirmed_text
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
