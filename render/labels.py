"""The section's words in the page's language: shipped tables (sync/data/words.toml) with one
form per CLDR plural category, counts formatted by CLDR's number rules (Babel), and the page's
own overrides ([page.labels]).

Plural choice and number formatting come from Babel (`Locale.plural_form`, `format_decimal`),
never from rules written here, so every language CLDR knows gets its own forms right.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from sync.errors import ConfigError

WORDS = ("count", "organizations", "individuals", "confirmed")
PLURAL_WORDS = ("count", "confirmed")
# Words shown only in some set-ups ("confirmed": once signers confirm through self-service
# links): English standing in for them is no reason to warn about every page.
OCCASIONAL_WORDS = frozenset({"confirmed"})  # the words with one form per plural category
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
PLACEHOLDERS = frozenset({"count"})
_ENGLISH = Locale("en")


@lru_cache(maxsize=1)
def shipped_words() -> dict[str, dict[str, Any]]:
    """Every shipped language's words, by CLDR locale id ("es", "zh_Hant")."""
    text = resources.files("sync").joinpath("data", "words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def shipped_languages() -> tuple[str, ...]:
    return tuple(shipped_words())


def parse_language(tag: str, where: str = "[page] language") -> Locale:
    """The CLDR locale for a BCP 47 tag ("es", "pt-BR", "zh-Hant", "sr-Latn-RS")."""
    try:
        return Locale.parse(tag.strip().replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ConfigError(
            f'{where} = "{tag}" is not a language CLDR knows: give a BCP 47 tag such as "es", '
            f'"pt-BR" or "zh-Hant" (shipped words: {", ".join(shipped_languages())})'
        ) from exc


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def _check_text(text: object, where: str) -> str:
    """A label's text with only the {count} placeholder (checked, so rendering cannot fail)."""
    if not isinstance(text, str):
        raise ConfigError(f"{where} must be a string, not {text!r}")
    try:
        unknown = _fields(text) - PLACEHOLDERS
    except ValueError as exc:
        raise ConfigError(
            f'{where} = "{text}": {exc}: write {{count}} for the number, {{{{ for a brace'
        ) from exc
    if unknown:
        raise ConfigError(
            f'{where} = "{text}": unknown placeholder {{{sorted(unknown)[0]}}}: the only one is {{count}}'
        )
    return text


@dataclass(frozen=True, slots=True)
class Words:
    """The words one page uses, resolved: `forms[word][category]` is a str.format template."""

    language: str  # the tag as configured ('' when none: English, no lang attribute)
    locale: Locale
    forms: dict[str, dict[str, str]]
    shipped: str  # which shipped table the words came from ("es" for "es-MX"; "en" as fallback)
    english: frozenset[str] = frozenset()  # words standing in from the English table

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    @property
    def missing_translation(self) -> bool:
        """No shipped words for this language (English words stand in where not overridden)."""
        return self.shipped == "en" and self.locale.language != "en"

    def number(self, n: int) -> str:
        """`n` with the language's digits and grouping (CLDR): 12,345 / 12.345 / 12 345."""
        return format_decimal(n, locale=self.locale)

    def text(self, word: str, count: int) -> str:
        """The word's form for `count` (CLDR plural category), with {count} filled in."""
        forms = self.forms[word]
        # English words standing in for a missing translation take English plural rules
        # (Filipino's "one" for 12,345 would read "12,345 signatory").
        rules = _ENGLISH if word in self.english else self.locale
        category = rules.plural_form(count)
        template = forms.get(category, forms["other"])
        return template.format(count=self.number(count))


def page_words(language: str | None, labels: dict[str, Any] | None = None, origin: str = "") -> Words:
    """The words for a page: the shipped table for its language (or its base language), with
    `labels` ([page.labels]) laid over it. Raises ConfigError naming the key to fix;
    `origin` ("path: ") starts its message."""
    locale = parse_language(language or "en", f"{origin}[page] language")
    tables = shipped_words()
    shipped = next(
        (k for k in (str(locale), f"{locale.language}_{locale.script}", locale.language) if k in tables),
        "en",
    )
    forms: dict[str, dict[str, str]] = {}
    for word in WORDS:
        value = tables[shipped][word]
        forms[word] = dict(value) if isinstance(value, dict) else {"other": value}
    for word, value in (labels or {}).items():
        key = f"{origin}[page.labels] {word}"
        if word not in WORDS:
            import difflib

            close = difflib.get_close_matches(word, WORDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(
                f"{origin}[page.labels]: unknown label '{word}'{hint}; labels: {', '.join(WORDS)}"
            )
        if isinstance(value, dict):
            if word not in PLURAL_WORDS:
                raise ConfigError(f"{key} takes one text, not a table of plural forms")
            bad = [c for c in value if c not in CATEGORIES]
            if bad or "other" not in value:
                raise ConfigError(
                    f"{key}: plural forms are named {', '.join(CATEGORIES)} (CLDR) and 'other' "
                    f"is required; got {', '.join(map(str, value)) or 'none'}"
                )
            forms[word] = {c: _check_text(t, f"{key}.{c}") for c, t in value.items()}
        else:
            forms[word] = {"other": _check_text(value, key)}
    english = frozenset(w for w in WORDS if w not in (labels or {})) if shipped == "en" else frozenset()
    return Words(language or "", locale, forms, shipped, english)
