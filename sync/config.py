"""Load and check `signsync.toml`.

Every key is declared once, as a field of its section's dataclass (`key(type, default, ...)`);
SCHEMA and the typed sections are derived from those fields. `parse_config` checks a document
against SCHEMA and returns a `Config` of typed, frozen sections (`config.source.kind`,
`config.page.path`, ...). A mistake names the file, the key and the fix. To add a key: add the
field to its section's dataclass, and document it in config.example.toml (a test checks).
Secrets never live here: they come from the environment or a `.env` file beside the config
(python-dotenv), see `Config.secret()`.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from sync.errors import ConfigError
from sync.support.files import read_text_or_none

DEFAULT_CONFIG = "signsync.toml"
HASH_KEY_VAR = "SIGNSYNC_HASH_KEY"
HASH_KEY_HINT = (
    "any long random string, kept secret and never changed; make one with: "
    "python3 -c 'import secrets; print(secrets.token_hex(32))'"
)


@dataclass(frozen=True, slots=True)
class Key:
    type: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    path: bool = False  # resolve relative to the config file's folder
    minimum: int | None = None


KEY = "signsync.key"  # where a section field's Key sits in its dataclass metadata


def key(
    type: type | tuple[type, ...],
    default: Any = None,
    *,
    required: bool = False,
    choices: tuple[str, ...] = (),
    path: bool = False,
    minimum: int | None = None,
) -> Any:
    """Declare a config key as a section dataclass's field: the one place it is declared.
    SCHEMA (what the file may hold) and the typed section are derived from these fields."""
    return field(metadata={KEY: Key(type, default, required, choices, path, minimum)})


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """[source]: where the form responses come from."""

    kind: str = key(str, "csv", choices=("csv", "sheet"))
    path: Path | None = key(str, None, path=True)  # the CSV file (kind = "csv")
    spreadsheet: str | None = key(str, None)  # key or URL (kind = "sheet")
    worksheet: str | None = key(str, None)
    api_endpoint: str = key(str, "https://sheets.googleapis.com")
    timeout_seconds: float = key((int, float), 30)
    max_attempts: int = key(int, 6)
    max_retry_seconds: float = key((int, float), 120)
    chunk_rows: int = key(int, 20000)
    overlap_rows: int = key(int, 5)
    # how the timestamps' dates read
    date_order: str = key(str, "auto", choices=("auto", "dmy", "mdy", "ymd"))
    # The time zone the timestamps are written in (an IANA name, "Europe/Berlin"): a CSV says
    # none; a Google Sheet's own zone (its settings) is used when this is not set.
    timezone: str | None = key(str, None)


@dataclass(frozen=True, slots=True)
class ColumnsConfig:
    """[columns]: the header text of each field's question (None: the form does not ask it)."""

    timestamp: str = key(str, "Timestamp")
    email: str | None = key(str, None)
    name: str = key(str, None, required=True)
    affiliation: str | None = key(str, None)
    kind: str | None = key(str, None)
    consent: str | None = key(str, None)
    # The consent answers that mean yes (compared ignoring case and spaces); None: the
    # defaults in sync.intake.responses.DEFAULT_CONSENT_YES.
    consent_yes: tuple[str, ...] | None = key(list, None)

    def by_field(self) -> dict[str, str | None]:
        """Field name -> header text, for `map_columns`."""
        return {
            "timestamp": self.timestamp,
            "email": self.email,
            "name": self.name,
            "affiliation": self.affiliation,
            "kind": self.kind,
            "consent": self.consent,
        }


@dataclass(frozen=True, slots=True)
class RegistryConfig:
    """[registry]: the signatory list signsync keeps."""

    path: Path = key(str, "signatories.csv", path=True)
    # entries per registry file before the next shard starts
    shard_rows: int = key(int, 50_000, minimum=1)


@dataclass(frozen=True, slots=True)
class PageConfig:
    """[page]: the page holding the marker pair, and the data file for sites that render it."""

    path: Path | None = key(str, None, path=True)
    format: str = key(str, "auto", choices=("auto", "html", "markdown"))
    data_file: Path | None = key(str, None, path=True)
    max_listed: int = key(int, 0, minimum=0)  # 0: every signatory; N: the count and the N most recent
    full_list_url: str | None = key(str, None)  # with max_listed: where the whole list is
    language: str | None = key(str, None)  # BCP 47 tag (checked against CLDR at load)
    labels: dict[str, Any] | None = key(dict, None)  # [page.labels]: word -> text or plural forms
    template: Path | None = key(str, None, path=True)  # the page's own section template
    entry_format: str = key(
        str, "Name (Affiliation)", choices=("Name (Affiliation)", "Name, Affiliation", "Name — Affiliation")
    )


@dataclass(frozen=True, slots=True)
class NamesConfig:
    """[names]: what happens to names that look doubtful."""

    policy: str = key(str, "publish", choices=("publish", "review"))
    watchlist: Path | None = key(str, None, path=True)  # None: the shipped watch-list


@dataclass(frozen=True, slots=True)
class WordPressConfig:
    """The WordPress page to publish to (checked present when target = "wordpress")."""

    url: str
    page_id: int


@dataclass(frozen=True, slots=True)
class PublishConfig:
    """[publish]: where the page is written."""

    target: str = key(str, "file", choices=("file", "wordpress"))
    wordpress_url: str | None = key(str, None)
    wordpress_page_id: int | None = key(int, None)

    @property
    def wordpress(self) -> WordPressConfig | None:
        """The WordPress page, exactly when target = "wordpress" (both keys checked present)."""
        if self.target != "wordpress" or self.wordpress_url is None or self.wordpress_page_id is None:
            return None
        return WordPressConfig(self.wordpress_url, self.wordpress_page_id)


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    """[notify]: where to tell editors that entries wait, or that runs fail (apprise URLs)."""

    # with the ones in SIGNSYNC_NOTIFY_URLS (for URLs holding passwords)
    urls: tuple[str, ...] = key(list, [])
    digest: str = key(str, "off", choices=("off", "daily"))
    promise_hours: float = key((int, float), 0)  # alert when a consenting signer waits longer (0: never)


@dataclass(frozen=True, slots=True)
class SelfServiceKeys:
    """[self_service] as written: signers confirm, correct and withdraw their own signature
    through a second form (docs/self-service.md); off while form_url is unset. The run uses
    `Config.self_service` (a `SelfServiceConfig`), made from these."""

    form_url: str | None = key(str, None)
    token_entry: str | None = key(str, None)
    action_entry: str | None = key(str, None)
    name_entry: str | None = key(str, None)
    affiliation_entry: str | None = key(str, None)
    confirm_answer: str = key(str, "Confirm")
    correct_answer: str = key(str, "Correct")
    withdraw_answer: str = key(str, "Withdraw")
    source: str = key(str, "csv", choices=("csv", "sheet"))
    path: Path | None = key(str, None, path=True)
    spreadsheet: str | None = key(str, None)
    worksheet: str | None = key(str, None)
    timestamp_column: str = key(str, "Timestamp")
    token_column: str = key(str, "Token")
    action_column: str = key(str, "Action")
    name_column: str = key(str, "Corrected name")
    affiliation_column: str = key(str, "Corrected title and organization")
    publish: str = key(str, "at_once", choices=("at_once", "on_confirmation"))
    statement_title: str = key(str, "")
    statement_url: str = key(str, "")
    templates: Path | None = key(str, None, path=True)
    smtp_host: str | None = key(str, None)
    smtp_port: int | None = key(int, None, minimum=1)
    smtp_security: str = key(str, "starttls", choices=("starttls", "ssl", "none"))
    from_name: str = key(str, "")
    max_per_run: int = key(int, 100, minimum=0)
    max_per_day: int = key(int, 450, minimum=0)


@dataclass(frozen=True, slots=True)
class SelfServiceConfig:
    """[self_service]: the second form signers use on their own entry (docs/self-service.md).
    The SMTP login, password and sender address come from the environment, never from here."""

    form_url: str  # the second form's viewform address
    entries: dict[str, str]  # field (token, action, name, affiliation) -> "entry.N"
    answers: dict[str, str]  # action (confirm, correct, withdraw) -> the option's text
    source: SourceConfig  # where its responses are (the [source] settings for the rest)
    columns: dict[str, str]  # field (timestamp, token, action, name, affiliation) -> header
    publish: str  # "at_once" | "on_confirmation"
    statement_title: str
    statement_url: str
    templates: Path | None  # a folder of the campaign's own email templates
    smtp_host: str | None  # None: no email is sent (links only through other channels)
    smtp_port: int
    smtp_security: str  # "starttls" | "ssl" | "none"
    from_name: str
    max_per_run: int
    max_per_day: int


# section -> its dataclass; SCHEMA (section -> key -> Key) is derived from their fields.
# config.example.toml documents each key; a test keeps them in step.
SECTIONS: dict[str, type] = {
    "source": SourceConfig,
    "columns": ColumnsConfig,
    "registry": RegistryConfig,
    "page": PageConfig,
    "names": NamesConfig,
    "notify": NotifyConfig,
    "publish": PublishConfig,
    "self_service": SelfServiceKeys,
}
SCHEMA: dict[str, dict[str, Key]] = {
    name: {f.name: f.metadata[KEY] for f in fields(cls)} for name, cls in SECTIONS.items()
}


@dataclass(frozen=True, slots=True)
class Config:
    """The checked configuration: one typed section per TOML section, defaults filled in from
    SCHEMA (the one place defaults live). Secrets are read on demand, never stored here."""

    path: Path
    env: dict[str, str]
    source: SourceConfig
    columns: ColumnsConfig
    registry: RegistryConfig
    page: PageConfig
    names: NamesConfig
    publish: PublishConfig
    notify: NotifyConfig
    self_service: SelfServiceConfig | None = None

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def has_page(self) -> bool:
        """Whether a page with the marker pair is published (a file, or a WordPress page); a
        site may instead take only the data file."""
        return self.page.path is not None or self.publish.target != "file"

    @property
    def hash_key(self) -> str:
        """SIGNSYNC_HASH_KEY, the key of every email hash; ConfigError saying how to make one
        when it is not set."""
        key = self.secret(HASH_KEY_VAR)
        if key is None:
            raise ConfigError(self._missing_key_message())
        weakness = key_weakness(key)
        if weakness:
            raise ConfigError(
                f"{HASH_KEY_VAR} is too weak ({weakness}): anyone who guesses it can tell whose "
                f"email is in the registry; set a long random one ({HASH_KEY_HINT}); a registry "
                f"already made with this key: keep it as SIGNSYNC_OLD_HASH_KEY and run "
                "`signsync rekey` once with the new key set"
            )
        return key

    def _missing_key_message(self) -> str:
        """No key: how to make one, unless a registry exists already, which needs its own."""
        env_file = self.base_dir / ".env"
        registry = self.registry.path
        state = registry.with_name(registry.stem + ".state.json")
        if registry.exists() or state.exists():
            return (
                f"{HASH_KEY_VAR} is not set, and the registry {registry.name} was made with one: get "
                "that key from whoever set signsync up (their .env, or the repository's "
                f"{HASH_KEY_VAR} secret) and put it in {env_file} as {HASH_KEY_VAR}=...; do not make "
                "a new one (a new key matches none of the registry's entries)"
            )
        return f"{HASH_KEY_VAR} is not set: set it in the environment or in {env_file} ({HASH_KEY_HINT})"

    def secret(self, name: str, *, required: bool = False, hint: str = "") -> str | None:
        """A secret from the environment, else from `.env` beside the config file."""
        value = os.environ.get(name) or self.env.get(name)
        if not value and required:
            env_file = self.base_dir / ".env"
            raise ConfigError(
                f"{name} is not set: set it in the environment or in {env_file}"
                + (f" ({hint})" if hint else "")
            )
        return value or None


MIN_KEY_LENGTH = 16


def key_weakness(key: str) -> str:
    """Why `key` is too weak to be SIGNSYNC_HASH_KEY ("" when it is not): too short, or too
    few different characters to be random."""
    if len(key) < MIN_KEY_LENGTH:
        return f"{len(key)} character{'' if len(key) == 1 else 's'}, at least {MIN_KEY_LENGTH} needed"
    if len(set(key)) < 6:
        return f"only {len(set(key))} different characters"
    return ""


def _closest(word: str, options: list[str]) -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: 'a list of strings (["a", "b"])',
    }
    if isinstance(t, tuple):
        return " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)


def parse_config(path: Path, data: dict[str, Any], env: dict[str, str] | None = None) -> Config:
    """Check `data` (a parsed TOML document) against SCHEMA and fill in defaults."""
    where = str(path)
    values: dict[str, dict[str, Any]] = {}
    for section in data:
        if section not in SCHEMA:
            raise ConfigError(
                f"{where}: unknown section [{section}]{_closest(section, list(SCHEMA))}; "
                f"known sections: {', '.join(SCHEMA)}"
            )
        if not isinstance(data[section], dict):
            raise ConfigError(f"{where}: '{section}' must be a section: write [{section}]")
    for section, keys in SCHEMA.items():
        values[section] = _check_section(path, section, data.get(section, {}), keys)
    _check_combinations(where, values)
    _check_paths_apart(path, values)
    _check_promise(where, values["notify"]["promise_hours"])
    _check_timezone(where, values["source"]["timezone"])
    return _typed(path, values, env or {})


def _check_timezone(where: str, name: str | None) -> None:
    """[source] timezone: a zone the time zone database knows, by its IANA name."""
    if name is None:
        return
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

    try:
        ZoneInfo(name)
        return
    except (ZoneInfoNotFoundError, ValueError):
        pass
    known = sorted(available_timezones())
    hint = _closest(name, known) or _closest(name.replace(" ", "_").title(), known)
    raise ConfigError(
        f"{where}: [source] timezone = {name!r} is not a time zone{hint}; write its IANA name, "
        'the form\'s own (e.g. "Europe/Berlin", "America/Sao_Paulo", "UTC")'
    )


def _check_promise(where: str, promise: float) -> None:
    """[notify] promise_hours: a number of hours that can pass."""
    if promise < 0 or promise != promise or promise == float("inf"):
        raise ConfigError(
            f"{where}: [notify] promise_hours must be a number of hours, at least 0 (0: no alert), "
            f"not {promise!r}"
        )


def _check_paths_apart(path: Path, values: dict[str, dict[str, Any]]) -> None:
    """Every path setting names its own file: none is the config, the secrets (.env), the
    registry's state or one of its shards, nor another setting's file. Written over, the hash
    key or the only copy of the responses would be gone."""
    where = str(path)
    config_file = path.resolve()
    reserved = {
        config_file: "the config file itself",
        config_file.parent / ".env": "the secrets file (.env, holding SIGNSYNC_HASH_KEY)",
    }
    registry = values["registry"]["path"]
    if isinstance(registry, str):
        reg = Path(registry)
        reserved[reg.with_name(reg.stem + ".state.json")] = "the registry's state file"
    named: dict[Path, str] = {}
    for section, keys in SCHEMA.items():
        for key, spec in keys.items():
            value = values.get(section, {}).get(key)
            if not spec.path or not isinstance(value, str):
                continue
            target = Path(value)
            setting = f"[{section}] {key}"
            if target in reserved:
                raise ConfigError(
                    f"{where}: {setting} = {target.name} is {reserved[target]}: signsync would "
                    "overwrite or misread it; name a file of its own"
                )
            if isinstance(registry, str) and setting != "[registry] path":
                reg = Path(registry)
                if target.parent == reg.parent and re.fullmatch(
                    re.escape(reg.stem) + r"\.part\d{3}" + re.escape(reg.suffix), target.name
                ):
                    raise ConfigError(
                        f"{where}: {setting} = {target.name} is one of the registry's files: "
                        "name a file of its own"
                    )
            if target in named:
                raise ConfigError(
                    f"{where}: {named[target]} and {setting} both name {target.name}: each setting "
                    "needs its own file (one would overwrite the other)"
                )
            named[target] = setting


def _typed(path: Path, values: dict[str, dict[str, Any]], env: dict[str, str]) -> Config:
    """The checked `values` as typed sections: paths as Path, lists as tuples, numbers that may
    be fractional as float; [notify] urls with those of SIGNSYNC_NOTIFY_URLS."""
    sections = {name: _section(cls, values[name]) for name, cls in SECTIONS.items()}
    notify = sections["notify"]
    sections["notify"] = replace(notify, urls=_notify_urls(list(notify.urls), env))
    sections["self_service"] = _self_service(sections["self_service"], sections["source"])
    return Config(path=path, env=env, **sections)


SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def _self_service(ss: SelfServiceKeys, source: SourceConfig) -> SelfServiceConfig | None:
    """[self_service] as the run uses it; None while form_url is unset (the feature is off)."""
    if not ss.form_url:
        return None
    fields = ("token", "action", "name", "affiliation")
    entries = {f: getattr(ss, f"{f}_entry") for f in fields}
    return SelfServiceConfig(
        form_url=ss.form_url,
        entries={f: e for f, e in entries.items() if e},
        answers={a: getattr(ss, f"{a}_answer") for a in ("confirm", "correct", "withdraw")},
        source=replace(
            source,
            kind=ss.source,
            path=ss.path,
            spreadsheet=ss.spreadsheet,
            worksheet=ss.worksheet,
            date_order="auto",  # the second form's own dates: read from its responses
        ),
        columns={f: getattr(ss, f"{f}_column") for f in ("timestamp", *fields)},
        publish=ss.publish,
        statement_title=ss.statement_title,
        statement_url=ss.statement_url,
        templates=ss.templates,
        smtp_host=ss.smtp_host,
        smtp_port=ss.smtp_port or SMTP_PORTS[ss.smtp_security],
        smtp_security=ss.smtp_security,
        from_name=ss.from_name,
        max_per_run=ss.max_per_run,
        max_per_day=ss.max_per_day,
    )


def _section(cls: type, values: dict[str, Any]) -> Any:
    typed: dict[str, Any] = {}
    for f in fields(cls):
        spec: Key = f.metadata[KEY]
        value = values[f.name]
        if value is not None:
            if spec.path:
                value = Path(value)
            elif spec.type is list:
                value = tuple(value)
            elif isinstance(spec.type, tuple) and float in spec.type:
                value = float(value)
        typed[f.name] = value
    return cls(**typed)


NOTIFY_URLS_VAR = "SIGNSYNC_NOTIFY_URLS"


def _notify_urls(urls: list[str], env: dict[str, str]) -> tuple[str, ...]:
    """[notify] urls, then those in SIGNSYNC_NOTIFY_URLS (environment or .env; space-separated),
    where URLs holding a password or token belong."""
    secret = os.environ.get(NOTIFY_URLS_VAR) or env.get(NOTIFY_URLS_VAR) or ""
    return tuple(urls) + tuple(secret.split())


def _check_section(path: Path, section: str, given: dict[str, Any], keys: dict[str, Key]) -> dict[str, Any]:
    """One section's keys checked against SCHEMA, defaults filled in, paths resolved."""
    where = str(path)
    for key in given:
        if key not in keys:
            raise ConfigError(
                f"{where}: unknown key '{key}' in [{section}]{_closest(key, list(keys))}; "
                f"known keys: {', '.join(keys)}"
            )
    out: dict[str, Any] = {}
    for key, spec in keys.items():
        if key not in given:
            if spec.required:
                raise ConfigError(
                    f"{where}: [{section}] needs '{key}': add {key} = \"...\" (see config.example.toml)"
                )
            value = spec.default
        else:
            value = given[key]
            if isinstance(value, bool) or not isinstance(value, spec.type):
                raise ConfigError(
                    f"{where}: [{section}] {key} must be {_type_name(spec.type)}, not {value!r}"
                )
            if isinstance(value, list) and not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError(
                    f"{where}: [{section}] {key} must be a list of non-empty strings, "
                    f'for example {key} = ["Yes", "Oui"], not {value!r}'
                )
            if spec.choices and value not in spec.choices:
                raise ConfigError(
                    f"{where}: [{section}] {key} = {value!r} is not one of "
                    f"{', '.join(repr(c) for c in spec.choices)}"
                )
            if spec.minimum is not None and isinstance(value, int) and value < spec.minimum:
                raise ConfigError(
                    f"{where}: [{section}] {key} must be at least {spec.minimum}, not {value!r}"
                )
        if spec.path and isinstance(value, str):
            value = str((path.parent / value).resolve())
        out[key] = value
    return out


def _check_combinations(where: str, values: dict[str, dict[str, Any]]) -> None:
    for url in values["notify"]["urls"]:
        if not isinstance(url, str) or "://" not in url:
            raise ConfigError(
                f"{where}: [notify] urls must be a list of notification addresses such as "
                f'"mailto://user@example.org" or "json://hooks.example.org/path", not {url!r}'
            )
    used: dict[str, str] = {}
    for column, header in values["columns"].items():
        if not isinstance(header, str) or not header:
            continue
        key = "".join(header.split()).casefold()  # headers match ignoring case and spaces
        if key in used:
            raise ConfigError(
                f"{where}: [columns] {used[key]} and {column} both name the column '{header}': "
                f"one column holds one answer; set {column} to its own column, or remove it"
            )
        used[key] = column
    source = values["source"]
    if source["kind"] == "csv" and not source["path"]:
        raise ConfigError(
            f'{where}: [source] kind = "csv" needs path = "responses.csv" '
            '(the form\'s "Download responses (.csv)" or a CSV saved from the sheet)'
        )
    if source["kind"] == "sheet" and not source["spreadsheet"]:
        raise ConfigError(
            f'{where}: [source] kind = "sheet" needs spreadsheet = "<key or URL>" '
            "(the address of the form's response sheet)"
        )
    _check_self_service(where, values["self_service"])
    page = values["page"]
    if page["language"] is not None or page["labels"] is not None:
        from render.labels import page_words

        page_words(page["language"], page["labels"], f"{where}: ")
    if page["template"] and not Path(page["template"]).is_file():
        raise ConfigError(
            f"{where}: [page] template = {page['template']}: no such file "
            "(paths are relative to the config file)"
        )
    publish = values["publish"]
    if publish["target"] == "file" and not (values["page"]["path"] or values["page"]["data_file"]):
        raise ConfigError(
            f'{where}: [page] needs path = "statement.html" (the page holding the markers), '
            'or data_file = "data/signatories.json" for a site that renders the list itself'
        )
    if publish["target"] == "wordpress" and not (publish["wordpress_url"] and publish["wordpress_page_id"]):
        raise ConfigError(
            f'{where}: [publish] target = "wordpress" needs wordpress_url and '
            "wordpress_page_id (the page's id, shown in its edit link as post=ID)"
        )


def _check_self_service(where: str, ss: dict[str, Any]) -> None:
    """[self_service]: with form_url, the entry ids of the token and action questions and the
    second form's responses are needed (`signsync init self-service` writes them)."""
    if not ss["form_url"]:
        return
    if not re.match(r"^https://docs\.google\.com/forms/.+/viewform$", ss["form_url"].split("?")[0]):
        raise ConfigError(
            f"{where}: [self_service] form_url must be the second form's address ending in /viewform "
            f"(https://docs.google.com/forms/d/e/.../viewform), not {ss['form_url']!r}"
        )
    for name in ("token", "action", "name", "affiliation"):
        value = ss[f"{name}_entry"]
        if name in ("token", "action") and not value:
            raise ConfigError(
                f'{where}: [self_service] needs {name}_entry = "entry.N": run `signsync init '
                "self-service` with the form's pre-filled link to fill it in"
            )
        if value and not re.fullmatch(r"entry\.\d+", value):
            raise ConfigError(
                f'{where}: [self_service] {name}_entry must look like "entry.123456789", not {value!r}'
            )
    if ss["source"] == "csv" and not ss["path"]:
        raise ConfigError(
            f'{where}: [self_service] source = "csv" needs path = "self-service.csv" (the second '
            'form\'s responses), or source = "sheet" with spreadsheet = "<its response sheet>"'
        )
    if ss["source"] == "sheet" and not ss["spreadsheet"]:
        raise ConfigError(
            f'{where}: [self_service] source = "sheet" needs spreadsheet = "<key or URL>" '
            "(the second form's response sheet)"
        )


def load_config(path: str | Path | None = None) -> Config:
    """Read the TOML file at `path` (default ./signsync.toml) and the `.env` beside it."""
    cfg_path = Path(path or DEFAULT_CONFIG).expanduser()
    if cfg_path.is_dir():
        raise ConfigError(f"{cfg_path} is a folder: name the config file itself with --config PATH")
    text = read_text_or_none(cfg_path, "the config file")
    if text is None:
        raise ConfigError(
            f"no config file at {cfg_path}: copy config.example.toml to {DEFAULT_CONFIG} "
            "and edit it, or name one with --config PATH"
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{cfg_path}: not valid TOML ({exc}): fix the line it names") from exc
    cfg_path = cfg_path.resolve()
    return parse_config(cfg_path, data, read_env_file(cfg_path.parent / ".env"))


def read_env_file(env_file: Path) -> dict[str, str]:
    """The `.env` beside the config (absent: empty); not UTF-8 or unreadable: one error."""
    text = read_text_or_none(env_file, "secrets for signsync")
    if text is None:
        return {}
    return {k: v for k, v in dotenv_values(stream=io.StringIO(text)).items() if v is not None}
