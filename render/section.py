"""Render the signatory section with Jinja2 (autoescape on, StrictUndefined).

The templates hold no logic: this module cleans, filters and sorts, and hands them two lists.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from render.labels import Words, page_words
from sync.collation import language_sort_key
from sync.errors import TemplateError
from sync.model import Signatory
from sync.names import sort_key

FORMATS = ("html", "markdown")
# Characters that start Markdown syntax inside a line ('#', '-', '+' and digits matter only at
# the start of a line, and every value here follows other text).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")


ENTRY_FORMATS: dict[str, tuple[str, str]] = {
    # [page] entry_format -> what goes before and after the affiliation
    "Name (Affiliation)": (" (", ")"),
    "Name, Affiliation": (", ", ""),
    "Name — Affiliation": (" \u2014 ", ""),
}
DEFAULT_ENTRY_FORMAT = "Name (Affiliation)"


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the list as the template shows it. `before`/`after` surround the
    affiliation as [page] entry_format says; `signed` is the date (YYYY-MM-DD) or ''."""

    id: str
    name: str
    affiliation: str
    kind: str = "individual"
    signed: str = ""
    pinned: bool = False
    before: str = " ("
    after: str = ")"


@dataclass(frozen=True, slots=True)
class Group:
    """One list (organizations or individuals) with its heading in the page's language."""

    key: str  # "organizations" or "individuals"
    heading: str
    count: int
    count_text: str  # the count in the language's number format ("12.345")
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class PageStyle:
    """How a page shows its list: words and sorting for its language, entry format, template."""

    words: Words
    entry_format: str = DEFAULT_ENTRY_FORMAT
    template: str | None = None  # a page's own template (absolute path), else the built-in one

    @property
    def language(self) -> str:
        return self.words.language


@lru_cache(maxsize=1)
def default_style() -> PageStyle:
    return PageStyle(page_words(None))


@dataclass(frozen=True, slots=True)
class Section:
    """What the templates receive (README "Templates" documents every field)."""

    organizations: tuple[Entry, ...]
    individuals: tuple[Entry, ...]
    groups: tuple[Group, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    language: str = ""  # the configured BCP 47 tag, '' when none
    direction: str = "ltr"
    total_text: str = ""  # "12,345 signatories" in the page's language
    count_text: str = ""  # "12,345"

    @property
    def total(self) -> int:
        return len(self.organizations) + len(self.individuals)


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


def _signed_date(signed: str) -> str:
    return signed[:10] if re.match(r"\d{4}-\d{2}-\d{2}", signed) else ""


def _ordered(signatories: list[Signatory], language: str) -> list[Signatory]:
    """Pinned entries first in the editor's order, then the rest in the language's collation."""
    pinned = sorted((s for s in signatories if s.pin), key=lambda s: (s.pin, s.id))
    rest = sorted(
        (s for s in signatories if not s.pin),
        key=lambda s: (language_sort_key(s.name, s.kind, s.sort_as, language), s.id),
    )
    return pinned + rest


def published_section(
    signatories: tuple[Signatory, ...] | list[Signatory], style: PageStyle | None = None
) -> Section:
    """The published entries, organizations alphabetically, individuals by surname (pinned
    entries first), with the words, counts and direction of the page's language."""
    style = style or default_style()
    words = style.words
    before, after = ENTRY_FORMATS[style.entry_format]
    shown = [s for s in signatories if s.status == "published"]

    def entries(kind_is_org: bool) -> tuple[Entry, ...]:
        group = [s for s in shown if (s.kind == "organization") == kind_is_org]
        return tuple(
            Entry(s.id, s.name, s.affiliation, s.kind, _signed_date(s.signed), bool(s.pin), before, after)
            for s in _ordered(group, words.language)
        )

    orgs, people = entries(True), entries(False)
    groups = tuple(
        Group(key, words.text(key, len(items)), len(items), words.number(len(items)), items)
        for key, items in (("organizations", orgs), ("individuals", people))
    )
    total = len(orgs) + len(people)
    labels = {"count": words.text("count", total), **{g.key: g.heading for g in groups}}
    return Section(
        organizations=orgs,
        individuals=people,
        groups=groups,
        labels=labels,
        language=words.language,
        direction=words.direction,
        total_text=labels["count"],
        count_text=words.number(total),
    )


def _template_environment(folder: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    return env


def _line_in(exc: BaseException, filename: str) -> int | None:
    """The template line a rendering error happened on (Jinja2 puts template lines into the
    traceback's frames)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _own_template(path: str) -> jinja2.Template:
    folder, name = os.path.split(path)
    try:
        return _template_environment(folder).get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or path}:{exc.lineno}"
        raise TemplateError(f"{where}: {exc.message}: fix the template at that line") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"{path}: template {exc.name} not found: check [page] template (relative to the config)"
        ) from exc


def render_section(section: Section, fmt: str, style: PageStyle | None = None) -> str:
    """The section's text in `fmt` ("html" or "markdown"), ending with a newline, from the
    built-in template or the page's own ([page] template)."""
    variables = {
        "section": section,
        "groups": section.groups,
        "labels": section.labels,
        "language": section.language,
        "direction": section.direction,
    }
    if style is None or style.template is None:
        template = environment().get_template(f"section.{'md' if fmt == 'markdown' else 'html'}.j2")
        return template.render(**variables)
    template = _own_template(style.template)
    try:
        return template.render(**variables)
    except jinja2.TemplateError as exc:
        line = _line_in(exc, template.filename or style.template)
        where = f"{style.template}:{line}" if line else style.template
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TemplateError(f"{where}: {message}: fix the template at that line") from exc
    except (TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        line = _line_in(exc, template.filename or style.template)
        where = f"{style.template}:{line}" if line else style.template
        raise TemplateError(f"{where}: {exc}: fix the template at that line") from exc


def display_order(signatories: tuple[Signatory, ...] | list[Signatory]) -> list[Signatory]:
    """The whole registry in display order: published organizations, published individuals,
    then pending, rejected and withdrawn entries."""
    rank = {"published": 0, "pending": 1, "rejected": 2, "withdrawn": 3}
    return sorted(
        signatories,
        key=lambda s: (
            rank[s.status],
            s.kind != "organization",
            bool(s.status != "published" or not s.pin),
            s.pin if s.status == "published" else 0,
            sort_key(s.name, s.kind, s.sort_as),
            s.id,
        ),
    )


def render_data(section: Section) -> str:
    """The published list as JSON for static sites (Hugo `data/`, Jekyll `_data/`).

    Shape: {"total", "total_text", "count_text", "language", "direction", "labels",
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
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
