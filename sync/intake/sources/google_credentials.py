"""The Google service-account key: where it comes from (GOOGLE_APPLICATION_CREDENTIALS, a file,
or SIGNSYNC_SERVICE_ACCOUNT_JSON, its text; from the environment or `.env`), checked, and turned
into google-auth credentials. No message ever quotes the private key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from google.oauth2 import service_account

from sync.config import Config
from sync.errors import SheetError

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",)
CREDENTIALS_FILE_VAR = "GOOGLE_APPLICATION_CREDENTIALS"
CREDENTIALS_JSON_VAR = "SIGNSYNC_SERVICE_ACCOUNT_JSON"


@dataclass(frozen=True, slots=True)
class ServiceAccountKey:
    """The parsed service-account key and where it came from (never printed whole)."""

    info: dict[str, str]
    where: str

    @property
    def client_email(self) -> str:
        return self.info.get("client_email", "")

    def __repr__(self) -> str:
        return f"ServiceAccountKey({self.client_email!r}, from {self.where})"


def load_service_account(config: Config) -> ServiceAccountKey:
    """The service-account key named by GOOGLE_APPLICATION_CREDENTIALS (a file) or given in
    SIGNSYNC_SERVICE_ACCOUNT_JSON (its JSON text), from the environment or .env."""
    path = config.secret(CREDENTIALS_FILE_VAR)
    text = config.secret(CREDENTIALS_JSON_VAR)
    setup = (
        "create a service-account JSON key (see docs/google-sheet.md) and set "
        f"{CREDENTIALS_FILE_VAR} to its path or {CREDENTIALS_JSON_VAR} to its content"
    )
    if path:
        file = Path(path).expanduser()
        if not file.is_absolute():
            file = config.base_dir / file
        where = f"{CREDENTIALS_FILE_VAR}={file}"
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SheetError(f"no service-account key file at {file} ({where})", setup) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SheetError(
                f"cannot read the key file {file} ({type(exc).__name__})",
                "check its permissions, or download the JSON key again",
            ) from None
    elif text:
        where = CREDENTIALS_JSON_VAR
    else:
        raise SheetError(
            f"no Google credentials: neither {CREDENTIALS_FILE_VAR} nor {CREDENTIALS_JSON_VAR} is set", setup
        )
    try:
        info = json.loads(text)
    except ValueError as exc:
        raise SheetError(
            f"the service-account key in {where} is not valid JSON (line {getattr(exc, 'lineno', '?')})",
            "download the JSON key again",
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        kind = info.get("type") if isinstance(info, dict) else type(info).__name__
        raise SheetError(
            f"the key in {where} is not a service-account key (type {kind!r})",
            "create a key for a service account (IAM > Service accounts > Keys > "
            "Add key > JSON), not an OAuth client",
        )
    missing = [k for k in ("client_email", "private_key", "token_uri") if not info.get(k)]
    if missing:
        raise SheetError(
            f"the service-account key in {where} lacks {', '.join(missing)}", "download the JSON key again"
        )
    return ServiceAccountKey(info, where)


def credentials_for(key: ServiceAccountKey) -> service_account.Credentials:
    try:
        credentials: service_account.Credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            key.info, scopes=SCOPES
        )
        return credentials
    except (ValueError, TypeError, IndexError):
        # The exception text may quote the key: say nothing of it.
        raise SheetError(
            f"the private key in {key.where} cannot be read (service account {key.client_email})",
            "download a new JSON key",
        ) from None
