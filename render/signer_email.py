"""The email a new signer receives: their entry as the page will show it, and their links.

Plain text through Jinja2 (StrictUndefined, no logic in the template). The template's first
line is `Subject: ...`, then a blank line, then the body. Shipped per language in templates/
(`signer-email.<language>.txt.j2`, English when the page's language has none); a campaign's own
folder ([self_service] templates) is looked in first.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from sync.errors import TemplateError

TEMPLATE = "signer-email.{language}.txt.j2"


@dataclass(frozen=True, slots=True)
class SignerLetter:
    """What the template is given (docs/self-service.md lists each field)."""

    entry: str  # the entry exactly as the page shows it: "Name (Affiliation)"
    status: str  # "published" or "pending"
    waits_for_confirmation: bool  # publish = "on_confirmation": shown once confirmed
    signed_date: str  # in the page's language ("7 December 2026")
    count_text: str  # "1,234 signatories", in the page's language and plural rules
    statement_title: str
    statement_url: str
    confirm_link: str
    correct_link: str
    withdraw_link: str


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    body: str


def _environment(own: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if own is not None:
        loaders.append(jinja2.FileSystemLoader(str(own)))
    shipped = Path(str(resources.files("templates")))
    loaders.append(jinja2.FileSystemLoader(str(shipped)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # a text/plain message: nothing is HTML here
        keep_trailing_newline=True,
    )


def render_signer_email(letter: SignerLetter, languages: tuple[str, ...], own: Path | None) -> RenderedEmail:
    """The message in the first of `languages` that has a template (then English)."""
    env = _environment(own)
    names = [TEMPLATE.format(language=lang) for lang in (*languages, "en") if lang]
    name = names[0]
    try:
        template = env.select_template(names)
        name = template.name or name
        text = template.render(letter=letter)
    except jinja2.TemplateError as exc:
        where = f":{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateError(
            f"the signer email template {name}{where}: {exc.message or exc}: fix it ([self_service] "
            f"templates; its variables: letter.{', letter.'.join(SignerLetter.__slots__)})"
        ) from exc
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject:"):
        raise TemplateError(
            f"the signer email template {template.name} must start with a line 'Subject: ...' "
            "and a blank line"
        )
    return RenderedEmail(" ".join(head.removeprefix("Subject:").split()), body.strip("\n") + "\n")
