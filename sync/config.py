"""Load and check `signsync.toml`.

Every key is declared once in SCHEMA (type, default, what it means); `parse_config` checks a
document against it and returns a `Config` of typed, frozen sections (`config.source.kind`,
`config.page.path`, ...). A mistake names the file, the key and the fix. To add a key: add it to
SCHEMA, to its section's dataclass and `_typed`, to config.example.toml and the README.
Secrets never live here: they come from the environment or a `.env` file beside the config
(python-dotenv), see `Config.secret()`.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import tomllib
from dataclasses import dataclass
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


# section -> key -> Key. config.example.toml documents each of these; a test keeps them in step.
SCHEMA: dict[str, dict[str, Key]] = {
    "source": {
        "kind": Key(str, "csv", choices=("csv", "sheet")),
        "path": Key(str, None, path=True),
        "spreadsheet": Key(str, None),
        "worksheet": Key(str, None),
        "api_endpoint": Key(str, "https://sheets.googleapis.com"),
        "timeout_seconds": Key((int, float), 30),
        "max_attempts": Key(int, 6),
        "max_retry_seconds": Key((int, float), 120),
        "chunk_rows": Key(int, 20000),
        "overlap_rows": Key(int, 5),
        "date_order": Key(str, "auto", choices=("auto", "dmy", "mdy", "ymd")),
    },
    "columns": {
        "timestamp": Key(str, "Timestamp"),
        "email": Key(str, None),
        "name": Key(str, None, required=True),
        "affiliation": Key(str, None),
        "kind": Key(str, None),
        "consent": Key(str, None),
        # The consent answers that mean yes (compared ignoring case and spaces); None: the
        # defaults in sync.intake.responses.DEFAULT_CONSENT_YES.
        "consent_yes": Key(list, None),
    },
    "registry": {
        "path": Key(str, "signatories.csv", path=True),
        "shard_rows": Key(int, 50_000, minimum=1),
    },
    "page": {
        "path": Key(str, None, path=True),
        "format": Key(str, "auto", choices=("auto", "html", "markdown")),
        "data_file": Key(str, None, path=True),
        "max_listed": Key(int, 0, minimum=0),
        "full_list_url": Key(str, None),
        "language": Key(str, None),
        "labels": Key(dict, None),
        "template": Key(str, None, path=True),
        "entry_format": Key(
            str,
            "Name (Affiliation)",
            choices=("Name (Affiliation)", "Name, Affiliation", "Name — Affiliation"),
        ),
    },
    "names": {
        "policy": Key(str, "publish", choices=("publish", "review")),
        "watchlist": Key(str, None, path=True),
    },
    "notify": {
        "urls": Key(list, []),
        "digest": Key(str, "off", choices=("off", "daily")),
        "promise_hours": Key((int, float), 0),
    },
    "publish": {
        "target": Key(str, "file", choices=("file", "wordpress")),
        "wordpress_url": Key(str, None),
        "wordpress_page_id": Key(int, None),
    },
    # Signers confirm, correct and withdraw their own signature through a second form
    # (docs/self-service.md); off while form_url is unset.
    "self_service": {
        "form_url": Key(str, None),
        "token_entry": Key(str, None),
        "action_entry": Key(str, None),
        "name_entry": Key(str, None),
        "affiliation_entry": Key(str, None),
        "confirm_answer": Key(str, "Confirm"),
        "correct_answer": Key(str, "Correct"),
        "withdraw_answer": Key(str, "Withdraw"),
        "source": Key(str, "csv", choices=("csv", "sheet")),
        "path": Key(str, None, path=True),
        "spreadsheet": Key(str, None),
        "worksheet": Key(str, None),
        "timestamp_column": Key(str, "Timestamp"),
        "token_column": Key(str, "Token"),
        "action_column": Key(str, "Action"),
        "name_column": Key(str, "Corrected name"),
        "affiliation_column": Key(str, "Corrected title and organization"),
        "publish": Key(str, "at_once", choices=("at_once", "on_confirmation")),
        "statement_title": Key(str, ""),
        "statement_url": Key(str, ""),
        "templates": Key(str, None, path=True),
        "smtp_host": Key(str, None),
        "smtp_port": Key(int, None, minimum=1),
        "smtp_security": Key(str, "starttls", choices=("starttls", "ssl", "none")),
        "from_name": Key(str, ""),
        "max_per_run": Key(int, 100, minimum=0),
        "max_per_day": Key(int, 450, minimum=0),
    },
}


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """[source]: where the form responses come from."""

    kind: str  # "csv" | "sheet"
    path: Path | None  # the CSV file (kind = "csv")
    spreadsheet: str | None  # key or URL (kind = "sheet")
    worksheet: str | None
    api_endpoint: str
    timeout_seconds: float
    max_attempts: int
    max_retry_seconds: float
    chunk_rows: int
    overlap_rows: int
    date_order: str = "auto"  # "auto" | "dmy" | "mdy" | "ymd": how the timestamps' dates read


@dataclass(frozen=True, slots=True)
class ColumnsConfig:
    """[columns]: the header text of each field's question (None: the form does not ask it)."""

    timestamp: str
    email: str | None
    name: str
    affiliation: str | None
    kind: str | None
    consent: str | None
    consent_yes: tuple[str, ...] | None = None  # None: sync.intake.responses.DEFAULT_CONSENT_YES

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

    path: Path
    shard_rows: int = 50_000  # entries per registry file before the next shard starts


@dataclass(frozen=True, slots=True)
class PageConfig:
    """[page]: the page holding the marker pair, and the data file for sites that render it."""

    path: Path | None
    format: str  # "auto" | "html" | "markdown"
    data_file: Path | None
    max_listed: int = 0  # 0: every signatory; N: the count and the N most recent
    full_list_url: str | None = None  # with max_listed: where the whole list is
    language: str | None = None  # BCP 47 tag (checked against CLDR at load)
    labels: dict[str, Any] | None = None  # [page.labels]: word -> text or plural forms
    template: Path | None = None  # the page's own section template
    entry_format: str = "Name (Affiliation)"


@dataclass(frozen=True, slots=True)
class NamesConfig:
    """[names]: what happens to names that look doubtful."""

    policy: str  # "publish" | "review"
    watchlist: Path | None  # None: the shipped watch-list


@dataclass(frozen=True, slots=True)
class WordPressConfig:
    """The WordPress page to publish to (checked present when target = "wordpress")."""

    url: str
    page_id: int


@dataclass(frozen=True, slots=True)
class PublishConfig:
    """[publish]: where the page is written."""

    target: str  # "file" | "wordpress"
    wordpress: WordPressConfig | None  # set exactly when target = "wordpress"


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    """[notify]: where to tell editors that entries wait, or that runs fail (apprise URLs)."""

    urls: tuple[str, ...]  # with the ones in SIGNSYNC_NOTIFY_URLS (for URLs holding passwords)
    digest: str  # "off" | "daily"
    promise_hours: float = 0  # alert when a consenting signer waits longer (0: never)


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
    return _typed(path, values, env or {})


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


def _opt_path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


def _typed(path: Path, values: dict[str, dict[str, Any]], env: dict[str, str]) -> Config:
    """The checked `values` as typed sections."""
    src, cols, page, names, pub = (
        values["source"],
        values["columns"],
        values["page"],
        values["names"],
        values["publish"],
    )
    wordpress = None
    if pub["target"] == "wordpress":
        wordpress = WordPressConfig(url=pub["wordpress_url"], page_id=pub["wordpress_page_id"])
    return Config(
        path=path,
        env=env,
        source=SourceConfig(
            kind=src["kind"],
            path=_opt_path(src["path"]),
            spreadsheet=src["spreadsheet"],
            worksheet=src["worksheet"],
            api_endpoint=src["api_endpoint"],
            timeout_seconds=float(src["timeout_seconds"]),
            max_attempts=src["max_attempts"],
            max_retry_seconds=float(src["max_retry_seconds"]),
            chunk_rows=src["chunk_rows"],
            overlap_rows=src["overlap_rows"],
            date_order=src["date_order"],
        ),
        columns=ColumnsConfig(
            **{**cols, "consent_yes": None if cols["consent_yes"] is None else tuple(cols["consent_yes"])}
        ),
        registry=RegistryConfig(
            path=Path(values["registry"]["path"]), shard_rows=values["registry"]["shard_rows"]
        ),
        page=PageConfig(
            path=_opt_path(page["path"]),
            format=page["format"],
            data_file=_opt_path(page["data_file"]),
            max_listed=page["max_listed"],
            full_list_url=page["full_list_url"],
            language=page["language"],
            labels=page["labels"],
            template=_opt_path(page["template"]),
            entry_format=page["entry_format"],
        ),
        names=NamesConfig(policy=names["policy"], watchlist=_opt_path(names["watchlist"])),
        publish=PublishConfig(target=pub["target"], wordpress=wordpress),
        notify=NotifyConfig(
            urls=_notify_urls(values["notify"]["urls"], env),
            digest=values["notify"]["digest"],
            promise_hours=float(values["notify"]["promise_hours"]),
        ),
        self_service=_self_service(values["self_service"], values["source"]),
    )


SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def _self_service(ss: dict[str, Any], src: dict[str, Any]) -> SelfServiceConfig | None:
    """[self_service] typed; None while form_url is unset (the feature is off)."""
    if not ss["form_url"]:
        return None
    source = SourceConfig(
        kind=ss["source"],
        path=_opt_path(ss["path"]),
        spreadsheet=ss["spreadsheet"],
        worksheet=ss["worksheet"],
        api_endpoint=src["api_endpoint"],
        timeout_seconds=float(src["timeout_seconds"]),
        max_attempts=src["max_attempts"],
        max_retry_seconds=float(src["max_retry_seconds"]),
        chunk_rows=src["chunk_rows"],
        overlap_rows=src["overlap_rows"],
    )
    fields = ("token", "action", "name", "affiliation")
    return SelfServiceConfig(
        form_url=ss["form_url"],
        entries={f: ss[f"{f}_entry"] for f in fields if ss[f"{f}_entry"]},
        answers={a: ss[f"{a}_answer"] for a in ("confirm", "correct", "withdraw")},
        source=source,
        columns={f: ss[f"{f}_column"] for f in ("timestamp", *fields)},
        publish=ss["publish"],
        statement_title=ss["statement_title"],
        statement_url=ss["statement_url"],
        templates=_opt_path(ss["templates"]),
        smtp_host=ss["smtp_host"],
        smtp_port=ss["smtp_port"] or SMTP_PORTS[ss["smtp_security"]],
        smtp_security=ss["smtp_security"],
        from_name=ss["from_name"],
        max_per_run=ss["max_per_run"],
        max_per_day=ss["max_per_day"],
    )


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


def _check_notify(where: str, notify: dict[str, Any]) -> None:
    """[notify]: a promise of hours that can pass, and URLs apprise can read."""
    promise = notify["promise_hours"]
    if promise < 0 or promise != promise or promise == float("inf"):
        raise ConfigError(
            f"{where}: [notify] promise_hours must be a number of hours, at least 0 (0: no alert), "
            f"not {promise!r}"
        )
    for url in notify["urls"]:
        if not isinstance(url, str) or "://" not in url:
            raise ConfigError(
                f"{where}: [notify] urls must be a list of notification addresses such as "
                f'"mailto://user@example.org" or "json://hooks.example.org/path", not {url!r}'
            )


def _check_combinations(where: str, values: dict[str, dict[str, Any]]) -> None:
    _check_notify(where, values["notify"])
    used: dict[str, str] = {}
    for field, header in values["columns"].items():
        if not isinstance(header, str) or not header:
            continue
        key = "".join(header.split()).casefold()  # headers match ignoring case and spaces
        if key in used:
            raise ConfigError(
                f"{where}: [columns] {used[key]} and {field} both name the column '{header}': "
                f"one column holds one answer; set {field} to its own column, or remove it"
            )
        used[key] = field
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
    for field in ("token", "action", "name", "affiliation"):
        value = ss[f"{field}_entry"]
        if field in ("token", "action") and not value:
            raise ConfigError(
                f'{where}: [self_service] needs {field}_entry = "entry.N": run `signsync init '
                "self-service` with the form's pre-filled link to fill it in"
            )
        if value and not re.fullmatch(r"entry\.\d+", value):
            raise ConfigError(
                f'{where}: [self_service] {field}_entry must look like "entry.123456789", not {value!r}'
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
