"""`signsync init-self-service LINK`: learn the second form's address and its questions'
`entry.N` ids from a pre-filled link the campaign pastes, and write them into [self_service].

The link is made in the form editor (More > Get pre-filled link) with the answers
`token`, any action option, `name` and `affiliation` (docs/self-service.md): each entry is
recognised by its answer, else by its place (token, action, name, affiliation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from sync.errors import ConfigError

FIELDS = ("token", "action", "name", "affiliation")


@dataclass(frozen=True, slots=True)
class PrefilledForm:
    form_url: str
    entries: dict[str, str]  # field -> "entry.N"
    action_answer: str  # the action option the link was made with ('' when unknown)


def read_prefilled_link(link: str, action_answers: tuple[str, ...]) -> PrefilledForm:
    """The form's address and entry ids in a pre-filled link (ConfigError saying what is wrong)."""
    parts = urlsplit(link.strip())
    if (
        parts.netloc != "docs.google.com"
        or not parts.path.startswith("/forms/")
        or "/viewform" not in parts.path
    ):
        raise ConfigError(
            "that is not a Google Form's pre-filled link: in the second form's editor choose More (⋮) > "
            '"Get pre-filled link", fill in the answers, press "Get link" and paste it here'
        )
    found = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if re.fullmatch(r"entry\.\d+", k)
    ]
    if len(found) < 2:
        raise ConfigError(
            "the link names fewer than two questions: fill in at least the token and the action "
            'before pressing "Get link" (docs/self-service.md)'
        )
    entries: dict[str, str] = {}
    action_answer = ""
    answers = {a.casefold(): a for a in action_answers}
    rest = []
    for key, value in found:
        word = value.strip().casefold()
        if word in answers and "action" not in entries:
            entries["action"], action_answer = key, value.strip()
        elif word in FIELDS and word not in entries and word != "action":
            entries[word] = key
        else:
            rest.append(key)
    for field_name in FIELDS:
        if field_name not in entries and rest:
            entries[field_name] = rest.pop(0)
    if "token" not in entries or "action" not in entries:
        raise ConfigError("the link does not show which question is the token and which the action")
    return PrefilledForm(f"https://{parts.netloc}{parts.path}", entries, action_answer)


def with_self_service(config_text: str, form: PrefilledForm) -> str:
    """The config text with [self_service] form_url and the entry ids set (the section added at
    the end when missing; other keys and comments kept)."""
    values = {"form_url": form.form_url, **{f"{f}_entry": e for f, e in form.entries.items()}}
    lines = config_text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "[self_service]"), None)
    if start is None:
        body = "\n".join(f'{k} = "{v}"' for k, v in values.items())
        return config_text.rstrip("\n") + f"\n\n[self_service]\n{body}\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    section = lines[start + 1 : end]
    for key, value in values.items():
        line = f'{key} = "{value}"'
        at = next((i for i, text in enumerate(section) if re.match(rf"^\s*{key}\s*=", text)), None)
        if at is None:
            section.insert(0, line)
        else:
            section[at] = line
    return "\n".join([*lines[: start + 1], *section, *lines[end:]]) + "\n"
