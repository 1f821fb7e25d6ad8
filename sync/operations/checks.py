"""One line of `signsync doctor`, shared by every module that checks part of a set-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["ok", "warn", "fail"]


@dataclass(frozen=True, slots=True)
class Check:
    """One line of `signsync doctor`: what was checked, whether it passed, and the fix."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warn: bool = False  # passed, with something to look at (what could not be checked, and why)


def finding(name: str, level: Level, detail: str, fix: str = "") -> Check:
    """A check line from its level: "ok", "warn" (doctor still passes) or "fail"."""
    return Check(name, level != "fail", detail, fix, warn=level == "warn")
