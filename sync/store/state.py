"""The registry's state file (`signatories.state.json`): what a run needs from the last one that
the registry's rows do not say.

Read and written only here, as a frozen `State`. The file's bytes are those signsync has always
written (JSON, indent 2, sorted keys, `version` first among equals): a key absent from the file
stays absent, a key this version does not know is kept as it was.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any, Final

from sync.errors import ConfigError, RegistryError
from sync.support.files import read_text_or_none

STATE_VERSION = 1


class _Absent(Enum):
    ABSENT = "absent"


# A key the file does not hold (a state from before it existed), apart from one holding null.
ABSENT: Final = _Absent.ABSENT


def _restore(spath: Path | str) -> str:
    """How to fix a damaged state file: never by deleting it."""
    return (
        f"restore it from git (`git checkout -- {Path(spath).name}`); do not delete it: it holds the "
        "check of SIGNSYNC_HASH_KEY, so without it a changed key could go unnoticed"
    )


def state_path_for(path: Path) -> Path:
    """`signatories.csv` keeps its state in `signatories.state.json`."""
    return path.with_name(path.stem + ".state.json")


@dataclass(frozen=True, slots=True)
class PageRecord:
    """What the state records about the list on the page."""

    checksum: str | None = None  # of the list as signsync last wrote it
    # Of the list an apply is writing, recorded before the page and dropped with the state
    # written after it: a run that dies in between knows that list as its own.
    writing: str | None = None
    other: Mapping[str, Any] = field(default_factory=dict)  # keys this version does not know

    def as_json(self) -> dict[str, Any]:
        out = dict(self.other)
        if self.checksum is not None:
            out["checksum"] = self.checksum
        if self.writing is not None:
            out["writing"] = self.writing
        return out


@dataclass(frozen=True, slots=True)
class State:
    """The registry's state. `None`/ABSENT: not recorded (a new registry, or an older state)."""

    # The source's bookmark for the next incremental read (ABSENT, or null: read everything).
    cursor: dict[str, Any] | None | _Absent = ABSENT
    key_check: str | None = None  # a keyed check value of SIGNSYNC_HASH_KEY, never the key
    published: tuple[str, ...] | None = None  # the ids on the page after the last apply
    page: PageRecord | None = None
    # What the last apply depended on besides new responses (null: rows may be new); equal
    # now, a run has nothing to do.
    applied: dict[str, Any] | None | _Absent = ABSENT
    # The order of day and month an earlier run found in the responses ("dmy", "mdy", "ymd").
    date_order: str | None = None
    # The version of the registry's privacy layout (sync/store/privacy.py) the last run wrote.
    privacy: int | None = None
    other: Mapping[str, Any] = field(default_factory=dict)  # keys this version does not know

    @property
    def source_cursor(self) -> dict[str, Any] | None:
        """The cursor to read from (None: read every response)."""
        return None if self.cursor is ABSENT else self.cursor

    @classmethod
    def load(cls, registry_path: Path) -> tuple[State, str | None]:
        """The state beside the registry at `registry_path`, and its text (None: no file)."""
        spath = state_path_for(registry_path)
        text = read_text_or_none(spath, "the registry's state")
        return (cls() if text is None else cls.parse(text, spath)), text

    @classmethod
    def parse(cls, text: str, spath: Path | str) -> State:
        """A state file's text, checked: a damaged one is a RegistryError saying what to do."""
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RegistryError(f"{spath}: not valid JSON ({exc}): {_restore(spath)}") from exc
        if not isinstance(doc, dict):
            raise RegistryError(f"{spath}: not a signsync state (a JSON object): {_restore(spath)}")
        doc.pop("version", None)

        def wrong(key: str) -> RegistryError:
            return RegistryError(
                f"{spath}: '{key}' is not what signsync writes there: restore the file from git "
                f"(`git checkout -- {Path(spath).name}`); do not delete it: it holds the check of "
                "SIGNSYNC_HASH_KEY and what was published"
            )

        for key, types in _TYPES.items():
            if key in doc and not isinstance(doc[key], types):
                raise wrong(key)
        published = doc.pop("published", None)
        if published is not None and not all(isinstance(x, str) for x in published):
            raise RegistryError(
                f"{spath}: 'published' must list entry ids: restore the file from git "
                f"(`git checkout -- {Path(spath).name}`)"
            )
        page = doc.pop("page", None)
        record = None
        if page is not None:
            checksum, writing = page.get("checksum"), page.get("writing")
            if not isinstance(checksum, str | None) or not isinstance(writing, str | None):
                raise wrong("page")
            rest = {k: v for k, v in page.items() if k not in ("checksum", "writing")}
            record = PageRecord(checksum, writing, rest)
        return cls(
            cursor=doc.pop("cursor", ABSENT),
            key_check=doc.pop("key_check", None),
            published=None if published is None else tuple(published),
            page=record,
            applied=doc.pop("applied", ABSENT),
            date_order=doc.pop("date_order", None),
            privacy=doc.pop("privacy", None),
            other=doc,
        )

    def dump(self) -> str:
        """The state as JSON (indent 2, sorted keys). Its `published` list (a million ids in a
        large registry) is written by the C encoder, in the same bytes the indented encoder
        writes (the indented one is pure Python: ~0.7 s at a million)."""
        doc: dict[str, Any] = {"version": STATE_VERSION, **self.other}
        if self.cursor is not ABSENT:
            doc["cursor"] = self.cursor
        if self.key_check is not None:
            doc["key_check"] = self.key_check
        if self.page is not None:
            doc["page"] = self.page.as_json()
        if self.applied is not ABSENT:
            doc["applied"] = self.applied
        if self.date_order is not None:
            doc["date_order"] = self.date_order
        if self.privacy is not None:
            doc["privacy"] = self.privacy
        if not self.published:
            if self.published is not None:
                doc["published"] = []
            return json.dumps(doc, indent=2, sort_keys=True) + "\n"
        mark = "\x00published\x00"
        text = json.dumps({**doc, "published": mark}, indent=2, sort_keys=True) + "\n"
        items = json.dumps(list(self.published), separators=(",\n    ", ": "))  # '["a",\n    "b"]'
        return text.replace(json.dumps(mark), "[\n    " + items[1:-1] + "\n  ]", 1)

    def writing(self, checksum: str) -> State:
        """This state recording that an apply is writing the list with `checksum`."""
        return replace(self, page=replace(self.page or PageRecord(), writing=checksum))


def check_hash_key(hash_key: str, state: State, state_path: Path) -> None:
    """Refuse a SIGNSYNC_HASH_KEY other than the one the registry was made with: every hash
    in it (responses, emails) would stop matching, and every signer would come back as new."""
    from sync.intake.responses import key_check_value

    recorded = state.key_check
    if recorded and recorded != key_check_value(hash_key):
        raise ConfigError(
            f"SIGNSYNC_HASH_KEY is not the key this registry was made with (its check value is "
            f"recorded in {state_path}): set the old key again; if the old key leaked, move the "
            "registry to the new one with `SIGNSYNC_OLD_HASH_KEY=<old key> signsync rekey`"
        )


_TYPES: dict[str, type | tuple[type, ...]] = {
    "page": dict,
    "published": list,
    "applied": (dict, type(None)),
    "cursor": (dict, type(None)),
    "key_check": str,
    "date_order": str,
    "privacy": int,
}
