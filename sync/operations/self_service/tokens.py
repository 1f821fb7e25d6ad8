"""The personal links' tokens: a keyed HMAC of the entry, the signer's email key and the action.

The key is derived from SIGNSYNC_HASH_KEY under its own label, so a token never equals any other
hash signsync makes. A token reads `<entry id>.<MAC>`: the id says which entry to check (it is
on the page's data anyway), the MAC (144 bits, URL-safe base64) proves the link was made by
signsync for that entry, that signer and that action. Nothing about the signer can be read
from it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

ACTIONS = ("confirm", "correct", "withdraw")
MAC_BYTES = 18  # 144 bits: 24 URL-safe characters, no padding
_LABEL = b"signsync self-service token v1"


def token_key(hash_key: str) -> bytes:
    """The tokens' own key, derived from SIGNSYNC_HASH_KEY (domain-separated)."""
    return hmac.new(hash_key.encode("utf-8"), _LABEL, hashlib.sha256).digest()


def _mac(key: bytes, entry_id: str, email_key: str, action: str) -> str:
    message = "\x1f".join((entry_id, email_key, action)).encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()[:MAC_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def make_token(key: bytes, entry_id: str, email_key: str, action: str) -> str:
    """The token of one action on one entry for the signer with this email key."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return f"{entry_id}.{_mac(key, entry_id, email_key, action)}"


def token_entry(token: str) -> str:
    """The entry id a token names ('' when it is not shaped like a token)."""
    entry_id, dot, mac = token.strip().rpartition(".")
    if not dot or not entry_id or len(mac) != MAC_BYTES * 4 // 3:
        return ""
    return entry_id


def token_valid(key: bytes, token: str, entry_id: str, email_keys: Iterable[str], action: str) -> bool:
    """Whether `token` is this entry's token for `action` under one of its email keys
    (compared in constant time)."""
    token = token.strip()
    if token_entry(token) != entry_id or action not in ACTIONS:
        return False
    given = token.rpartition(".")[2]
    ok = False
    for email_key in email_keys:
        ok |= hmac.compare_digest(given, _mac(key, entry_id, email_key, action))
    return ok


def token_record(key: bytes, token: str) -> str:
    """What the state keeps of a used token: a keyed hash, never the token itself."""
    return hmac.new(key, b"used\x1f" + token.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:32]
