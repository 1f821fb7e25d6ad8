"""Duplicate matching (first version; the full engine replaces this behind the same interface)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    key: str
    nospace_key: str
    ascii_key: str
    email_keys: tuple[str, ...]
    email_local_keys: tuple[str, ...]
    affiliation_key: str
    kind: str
    status: str


@dataclass(frozen=True, slots=True)
class Match:
    tier: str
    id: str
    merge: bool
    reason: str
    score: float


class MatchIndex:
    def __init__(self, candidates: Iterable[Candidate] = ()) -> None:
        self._by_email: dict[str, str] = {}
        self._by_key: dict[str, list[Candidate]] = {}
        for c in candidates:
            self.add(c)

    def add(self, c: Candidate) -> None:
        for e in c.email_keys:
            self._by_email.setdefault(e, c.id)
        if c.key:
            self._by_key.setdefault(c.key, []).append(c)

    def match(self, c: Candidate) -> list[Match]:
        for e in c.email_keys:
            if e in self._by_email:
                return [Match("A", self._by_email[e], True, "same email", 100.0)]
        out: list[Match] = []
        for other in self._by_key.get(c.key, []):
            same_email = not c.email_keys or not other.email_keys
            same_aff = not c.affiliation_key or not other.affiliation_key or (
                c.affiliation_key == other.affiliation_key)
            if same_email and same_aff:
                return [Match("B", other.id, True, "same name", 100.0)]
            out.append(Match("C", other.id, False, "same name, different email or affiliation", 100.0))
        return out
