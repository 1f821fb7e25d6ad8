"""`read_name`: one typed name (with its affiliation and kind answer) -> NameReading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sync.names.affiliation import _looks_like_org, _split_name
from sync.names.casing import _case_state, _recase_individual, _recase_organization
from sync.names.checks import _holds, _kind_from_answer, _mask_emails, _reject_reason
from sync.names.cleaning import _ascii_key, _keys, affiliation_key, clean_text
from sync.names.lexicon import _EMAIL_RE
from sync.names.watchlist import Watchlist, _default_watchlist

# --------------------------------------------------------------------------------------------
# Value objects


@dataclass(frozen=True, slots=True)
class NameReading:
    """What signsync made of one typed name (see module docstring)."""

    raw: str  # as typed
    display: str  # cleaned display name
    affiliation: str  # from the affiliation field, else split from the name field ('' if none)
    kind: str  # "individual" | "organization"
    flags: tuple[str, ...]  # informative, shown to editors
    hold: tuple[str, ...]  # reasons to hold for editor review (empty: publishable)
    reject: str  # '' or the reason to reject outright
    key: str  # k_sorted matching key ('' when rejected)
    nospace_key: str  # k_nospace
    ascii_key: str  # anyascii(k_sorted), review hints only

    @property
    def decision(self) -> str:
        """ "reject", "hold" or "publish"."""
        if self.reject:
            return "reject"
        return "hold" if self.hold else "publish"


# --------------------------------------------------------------------------------------------
# read_name


def read_name(
    name_raw: str,
    affiliation_raw: str = "",
    kind_answer: str = "",
    watchlist: Watchlist | None = None,
) -> NameReading:
    """Clean one typed name (and its affiliation and "Signing as" answer) into a NameReading.

    `watchlist` None means the shipped default list; pass `make_watchlist(())` for none.
    """
    wl = watchlist if watchlist is not None else _default_watchlist()
    return _read_name_cached(name_raw, affiliation_raw, kind_answer, wl)


@lru_cache(maxsize=1 << 17)  # repeated submissions and reruns; ~64 MB when full
# Complexity (C901) allowed: the reading's steps in their order, each a short guarded step; split, a
# dozen intermediate values would be threaded through helpers.
def _read_name_cached(name_raw: str, affiliation_raw: str, kind_answer: str, wl: Watchlist) -> NameReading:  # noqa: C901
    flags: list[str] = []
    holds: list[str] = []
    text, removed, fixed = clean_text(name_raw)
    aff_text, aff_removed, aff_fixed = clean_text(affiliation_raw)
    if removed or aff_removed:
        flags.append("controls removed")
        holds.append("controls removed")
    if fixed or aff_fixed:
        flags.append("mojibake fixed")
    # No raw email address may be stored or published (design.md): mask any in the derived
    # texts. `raw` keeps what was typed; callers store `display` for the audit trail.
    if "@" in aff_text and _EMAIL_RE.search(aff_text):
        aff_text = _mask_emails(aff_text)
        flags.append("email removed from affiliation")
        holds.append("email in the affiliation")
    kind, answered = _kind_from_answer(kind_answer)

    reject = _reject_reason(text)
    if reject:
        return NameReading(
            name_raw, _mask_emails(text), aff_text, kind, tuple(flags), tuple(holds), reject, "", "", ""
        )

    # Affiliation typed into the name field (individuals only: an organization's name may
    # well contain commas and dashes).
    name = text
    affiliation = aff_text
    if kind == "individual" and _SEPARATOR_RE.search(text) and not _looks_like_org_name_whole(text):
        split = _split_name(text)
        name = split.name
        flags.extend(split.flags)
        holds.extend(split.hold)
        if split.affiliation:
            if not aff_text:
                affiliation = split.affiliation
            elif affiliation_key(split.affiliation) not in affiliation_key(aff_text):
                # never drop what was typed: keep both, the name-field part first
                affiliation = f"{split.affiliation}, {aff_text}"

    state = _case_state(name)
    if state in ("upper", "lower") and sum(ch.isalpha() for ch in name) > 1:
        recased = _recase_organization(name) if kind == "organization" else _recase_individual(name)
        if recased != name:
            name = recased
            flags.append("auto-cased")
    # Affiliations: only shouted ones are recased ("UNIVERSITY OF BATH"); a single capitalized
    # word is likely an acronym ("UNICEF", "MIT"), and lowercase may be deliberate.
    if affiliation and _case_state(affiliation) == "upper" and len(affiliation.split()) > 1:
        new_aff = _recase_organization(affiliation)
        if new_aff != affiliation:
            affiliation = new_aff
            flags.append("affiliation auto-cased")

    key, nospace = _keys(name)
    if not key:
        return NameReading(
            name_raw,
            name,
            affiliation,
            kind,
            tuple(flags),
            tuple(holds),
            "no name left after titles",
            "",
            "",
            "",
        )
    holds.extend(_holds(name, key, nospace, kind, answered, wl))
    if kind == "individual" and answered and _looks_like_org(name):
        flags.append("organization words, but signed as an individual")
    return NameReading(
        raw=name_raw,
        display=name,
        affiliation=affiliation,
        kind=kind,
        flags=tuple(dict.fromkeys(flags)),
        hold=tuple(dict.fromkeys(holds)),
        reject="",
        key=key,
        nospace_key=nospace,
        ascii_key=_ascii_key(key),
    )


_SEPARATOR_RE = re.compile(r"[,(\[|]|\s[-\u2013\u2014]\s")  # where an affiliation may start


def _looks_like_org_name_whole(text: str) -> bool:
    """The name field before any comma/dash/bar/parenthesis names an organization."""
    return _looks_like_org(_SEPARATOR_RE.split(text, maxsplit=1)[0])
