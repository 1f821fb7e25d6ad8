"""Two kinds of people: those whose latest word is a yes to publication may be named wherever an
editor works; the others (declined, blank, revoked, withdrawn, erased, renewed: see
`sync.model.CONSENT_STATES`) are never named in anything signsync writes or prints.

An entry kept private keeps in the registry only what the pipeline needs to keep them off the
page for good: its id, status, the keyed hashes of its responses and email addresses, and its
`consent` state. Its name, affiliation, the name as typed, its flags, the editors' reasons and
notes move into the `private` column, sealed with AES-GCM (an AEAD: nobody without the key can
read it or change it unnoticed) under SIGNSYNC_PRIVATE_KEY, a secret kept beside
SIGNSYNC_HASH_KEY. Without that key the text is not kept at all. The entry's id is the
associated data, so a sealed cell cannot be moved to another row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, replace

from sync.config import Config
from sync.errors import ConfigError, RegistryError
from sync.model import (
    CONSENT_NOT_YES_WORDS,
    CONSENT_UNANSWERED_WORDS,
    ReasonCode,
    Signatory,
    generated_checksum,
    read_reasons,
)

PRIVATE_KEY_VAR = "SIGNSYNC_PRIVATE_KEY"
PRIVATE_KEY_HINT = (
    "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))' and keep it as a "
    "secret beside SIGNSYNC_HASH_KEY (docs/privacy.md)"
)
_CELL_PREFIX = "aesgcm1:"
_MIN_SECRET = 32  # characters of SIGNSYNC_PRIVATE_KEY

# --- the consent answer as signsync's rules write it (legacy registries carry it in `reason`) --

# The words are declared once, with their codes, in sync.model (consent_reason, read_reasons).
NO_CONSENT_ANSWER = CONSENT_UNANSWERED_WORDS
CONSENT_PREFIX = CONSENT_NOT_YES_WORDS[0]

PUBLIC_REASONS = {
    "declined": "kept off the page: the answer to the consent question is not a yes",
    "blank": "kept off the page: the consent question was left unanswered",
    "revoked": "consent revoked by a later response",
    "withdrawn": "withdrawn at the signer's request",
    "erased": "erased at the signer's request",
    "renewed": "a new yes after a withdrawal: an editor may restore it",
}
# Private text that the public registry never holds for an entry kept private.
PRIVATE_FIELDS = ("name", "affiliation", "sort_as", "typed", "note")


def legacy_consent(status: str, reason: str) -> str:
    """The consent state of an entry written before the `consent` column existed, read from its
    status and reason ('' for a yes)."""
    if status == "withdrawn":
        first = read_reasons(reason)[:1]
        return "revoked" if first and first[0].code is ReasonCode.CONSENT_REVOKED else "withdrawn"
    if status in ("pending", "rejected") and (CONSENT_PREFIX in reason or NO_CONSENT_ANSWER in reason):
        blank = NO_CONSENT_ANSWER in reason and CONSENT_PREFIX not in reason
        return "blank" if blank else "declined"
    return ""


def public_reason(consent: str) -> str:
    """What may be said in public about an entry in this consent state."""
    return PUBLIC_REASONS.get(consent, "")


def without_private_text(s: Signatory) -> Signatory:
    """`s` as the public registry holds it: for an entry kept private, no name, affiliation,
    typed text, note or flags, and only the public reason."""
    if not s.sealed:
        return s
    bare = replace(
        s, name="", affiliation="", sort_as="", typed="", note="", flags=(), reason=public_reason(s.consent)
    )
    return replace(bare, generated=generated_checksum(bare))


def has_private_text(s: Signatory) -> bool:
    """Whether a kept-private entry still holds text that must move into its sealed column."""
    return s.sealed and (
        any(getattr(s, f) for f in PRIVATE_FIELDS) or bool(s.flags) or s.reason != public_reason(s.consent)
    )


@dataclass(frozen=True, slots=True)
class Sealer:
    """Seals and opens the private column; `key` None when SIGNSYNC_PRIVATE_KEY is not set
    (then private text is dropped, never written in clear)."""

    key: bytes | None = None
    hash_key: str = ""  # SIGNSYNC_HASH_KEY: the name's keyed hash stays as a tombstone

    @classmethod
    def from_secret(cls, secret: str | None, hash_key: str = "") -> Sealer:
        """A sealer for SIGNSYNC_PRIVATE_KEY's value (None: no key)."""
        if not secret:
            return cls(None, hash_key)
        if len(secret.strip()) < _MIN_SECRET:
            raise ConfigError(
                f"{PRIVATE_KEY_VAR} is shorter than {_MIN_SECRET} characters: {PRIVATE_KEY_HINT}"
            )
        # A fixed derivation: any long random string works as the secret, and the AES key is
        # never the secret itself.
        key = hashlib.sha256(b"signsync private column v1\x00" + secret.strip().encode("utf-8")).digest()
        return cls(key, hash_key)

    def name_key(self, name: str) -> str:
        """The keyed hash a name leaves in an entry kept private ('' without a hash key)."""
        from sync.names import read_name

        key = read_name(name).key if name.strip() else ""
        if not key or not self.hash_key:
            return ""
        # As sync.intake.responses.keyed_hash labels its hashes (HMAC-SHA256, "label\x1ftext").
        mac = hmac.new(self.hash_key.encode("utf-8"), f"name\x1f{key}".encode(), hashlib.sha256)
        return mac.hexdigest()[:16]

    @property
    def has_key(self) -> bool:
        return self.key is not None

    def open(self, s: Signatory) -> dict[str, object] | None:
        """The private text of `s` (None: nothing sealed, or no key to read it)."""
        if not s.private or self.key is None:
            return None
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            raw = base64.urlsafe_b64decode(s.private.removeprefix(_CELL_PREFIX).encode("ascii"))
            plain = AESGCM(self.key).decrypt(raw[:12], raw[12:], s.id.encode("utf-8"))
            doc = json.loads(plain.decode("utf-8"))
        except (InvalidTag, ValueError, UnicodeError) as exc:
            raise RegistryError(
                f"{s.id}: the private column cannot be opened with this {PRIVATE_KEY_VAR} "
                f"({type(exc).__name__}): set the key it was sealed with (or empty the cell to drop "
                "that text)"
            ) from None
        return doc if isinstance(doc, dict) else None

    def _close(self, sid: str, doc: dict[str, object]) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        assert self.key is not None
        plain = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
        # A synthetic nonce (an HMAC of the id and the text): the same text seals to the same
        # cell, so a rerun, or a run with or without the cache, writes the same bytes; two
        # different texts never share a nonce (short of a 96-bit collision).
        nonce = hmac.new(self.key, sid.encode("utf-8") + b"\x00" + plain, hashlib.sha256).digest()[:12]
        sealed = AESGCM(self.key).encrypt(nonce, plain, sid.encode("utf-8"))
        return _CELL_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def seal(self, s: Signatory) -> Signatory:
        """`s` as the registry keeps it: an entry kept private has its text moved into the
        sealed column (merged with what it held), or dropped without a key. Others unchanged."""
        if not has_private_text(s):
            return without_private_text(s) if s.sealed else s
        private = s.private
        named = self.name_key(s.name)
        if named and named not in s.name_keys:
            s = replace(s, name_keys=(*s.name_keys, named))
        if self.key is not None:
            doc = self.open(s) or {}
            for f in PRIVATE_FIELDS:
                value = getattr(s, f)
                if value:
                    doc[f] = value
            if s.flags:
                doc["flags"] = list(s.flags)
            reasons = [r for r in _strings(doc.get("reasons"))]
            if s.reason and s.reason != public_reason(s.consent) and s.reason not in reasons:
                reasons.append(s.reason)
            doc["reasons"] = reasons
            private = self._close(s.id, doc)
        return replace(without_private_text(s), private=private)

    def unseal(self, s: Signatory) -> Signatory:
        """`s` with its private text back in the public columns (for an editor's restore):
        RegistryError when there is no key, or nothing was kept."""
        if not s.private:
            raise RegistryError(
                f"{s.id}: signsync kept no name for it (it was held while {PRIVATE_KEY_VAR} was not set, or "
                "it was erased): add it with `signsync add NAME --affiliation ...` instead"
            )
        if self.key is None:
            raise ConfigError(
                f"{PRIVATE_KEY_VAR} is not set: it is needed to read the name of {s.id}, kept private "
                f"({PRIVATE_KEY_HINT})"
            )
        doc = self.open(s) or {}
        fields = {f: str(doc.get(f, "")) for f in PRIVATE_FIELDS}
        flags = tuple(_strings(doc.get("flags")))
        opened = replace(
            s,
            name=fields["name"],
            affiliation=fields["affiliation"],
            sort_as=fields["sort_as"],
            typed=fields["typed"],
            note=fields["note"],
            flags=flags,
            private="",
            consent="",
        )
        return replace(opened, generated=generated_checksum(opened))

    def reasons(self, s: Signatory) -> list[str]:
        """Why an entry kept private was held, as the editors and signsync's rules wrote it
        (empty without the key)."""
        doc = self.open(s) or {}
        return _strings(doc.get("reasons"))


def sealer_of(config: Config) -> Sealer:
    """The sealer of a config's registry: with SIGNSYNC_PRIVATE_KEY when it is set (environment
    or .env), else one that keeps no private text."""
    return Sealer.from_secret(config.secret(PRIVATE_KEY_VAR), config.hash_key)


def _strings(value: object) -> list[str]:
    return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []
