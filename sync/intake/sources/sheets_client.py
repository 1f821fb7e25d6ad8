"""The connection to the Google Sheets API: gspread's client pointed at `[source] api_endpoint`,
the access token, and the three calls a read needs (token, spreadsheets.get, values:batchGet).

Transient failures (429, 5xx, timeouts, dropped connections, garbled answers) are retried with
tenacity: exponential backoff with full jitter, ``Retry-After`` honoured, at most
``max_attempts`` tries per request and ``max_retry_seconds`` for the whole read; then a
one-line SourceError. The service account's private key never appears in any message.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

import google.auth.exceptions
import gspread
import requests
from google.auth.transport.requests import Request as GoogleAuthRequest
from gspread.exceptions import APIError
from tenacity import RetryCallState, Retrying, retry_if_exception

from sync.config import Config
from sync.errors import SheetError, SourceError
from sync.intake.sources.google_credentials import ServiceAccountKey, credentials_for
from sync.support.retry import RETRY_STATUSES, backoff, retry_after

GOOGLE_SHEETS = "https://sheets.googleapis.com"
TOKEN_STEP = "getting an access token"

T = TypeVar("T")
Sleep = Callable[[float], None]


class _GarbledAnswer(Exception):
    """An answer that is not the JSON Google sends (a proxy's page, a cut-off body)."""


def spreadsheet_key(value: str) -> str:
    """The spreadsheet key from a key or a full URL (…/spreadsheets/d/KEY/edit#gid=0)."""
    match = re.search(r"/spreadsheets/d/([a-zA-Z0-9_-]+)", value)
    return match.group(1) if match else value.strip()


def quote_title(title: str) -> str:
    """A tab title quoted for A1 notation: 'It''s here'."""
    return "'" + title.replace("'", "''") + "'"


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked to wait in the failed answer, if any."""
    return retry_after(getattr(exc, "response", None))


def _status(exc: APIError) -> int:
    return exc.response.status_code if exc.response is not None else int(exc.code)


def _is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: quota, server trouble, network, garbled answers."""
    if isinstance(exc, APIError):
        return _status(exc) in RETRY_STATUSES
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return bool(getattr(exc, "retryable", False))
    return isinstance(
        exc,
        (
            requests.Timeout,
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.JSONDecodeError,
            google.auth.exceptions.TransportError,
            _GarbledAnswer,
        ),
    )


def _is_timeout(exc: BaseException) -> bool:
    # google-auth wraps the requests Timeout of a token request in a TransportError
    return isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower()


def _describe(exc: BaseException, timeout: float) -> str:
    """What went wrong, briefly, for a message."""
    if isinstance(exc, APIError):
        error = exc.error if isinstance(exc.error, dict) else {}
        status = error.get("status", "")
        message = str(error.get("message", ""))
        if len(message) > 300:
            message = message[:300].rsplit(" ", 1)[0] + " ..."
        if error.get("code") == -1:
            return f"HTTP {_status(exc)} with an answer that is not Google's JSON"
        return f"HTTP {_status(exc)} {status}: {message}".strip()
    if _is_timeout(exc):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, (requests.exceptions.JSONDecodeError, _GarbledAnswer)):
        return "the answer was not valid JSON"
    if isinstance(exc, requests.ConnectionError | google.auth.exceptions.TransportError):
        return "the connection failed or was reset"
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return _describe_refresh(exc)
    return type(exc).__name__


def _describe_refresh(exc: google.auth.exceptions.RefreshError) -> str:
    """The token endpoint's answer: OAuth's {"error", "error_description"} or an API error."""
    data = exc.args[1] if len(exc.args) > 1 else None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            return f"HTTP {error.get('code')} {error.get('status', '')}: {error.get('message', '')}"
        if error:
            description = data.get("error_description")
            return f"token request refused: {error}" + (f": {description}" if description else "")
    return f"token request failed: {exc.args[0] if exc.args else exc}"


def endpoint_client_class(api_endpoint: str) -> type[gspread.HTTPClient]:
    """A gspread HTTP client that sends the Sheets API calls to ``api_endpoint``."""
    base = api_endpoint.rstrip("/")

    class EndpointHTTPClient(gspread.HTTPClient):
        """gspread's client, with https://sheets.googleapis.com replaced by the endpoint."""

        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
            if endpoint.startswith(GOOGLE_SHEETS):
                endpoint = base + endpoint[len(GOOGLE_SHEETS) :]
            return super().request(method, endpoint, *args, **kwargs)

    return EndpointHTTPClient


class _TimedRequest(GoogleAuthRequest):
    """google-auth's transport with our timeout (its default is 120 s)."""

    def __init__(self, timeout: float):
        super().__init__(requests.Session())
        self._timeout = timeout

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Any = None,
        timeout: Any = None,
        **kwargs: Any,
    ) -> Any:
        return super().__call__(  # type: ignore[no-untyped-call]
            url, method, body, headers, timeout=self._timeout, **kwargs
        )


class SheetsConnection:
    """One run's connection: credentials, the gspread client, and the retry budget."""

    def __init__(
        self,
        config: Config,
        key: ServiceAccountKey,
        *,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
    ):
        source = config.source
        self.key = key
        self.timeout = source.timeout_seconds
        self.max_attempts = max(1, source.max_attempts)
        self.max_retry_seconds = source.max_retry_seconds
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._started = time.monotonic()
        self._slept_real = 0.0
        self._waited = 0.0
        self.waits: list[float] = []
        self.credentials = credentials_for(key)
        self.client = gspread.Client(self.credentials, http_client=endpoint_client_class(source.api_endpoint))
        self.client.set_timeout(self.timeout)

    # The retry budget counts request time plus the waits we chose, so a test's fake sleep
    # still sees the budget a real run would.
    def _spent(self) -> float:
        return time.monotonic() - self._started - self._slept_real + self._waited

    def _do_sleep(self, seconds: float) -> None:
        self._waited += seconds
        self.waits.append(seconds)
        before = time.monotonic()
        self._sleep(seconds)
        self._slept_real += time.monotonic() - before

    def _stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self.max_attempts:
            return True
        exc = state.outcome.exception() if state.outcome else None
        asked = _retry_after(exc) if exc else None
        remaining = self.max_retry_seconds - self._spent()
        return remaining <= 0 or (asked is not None and asked > remaining)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = _retry_after(exc) if exc else None
        if asked is not None:
            return asked
        remaining = max(0.0, self.max_retry_seconds - self._spent())
        return min(backoff(state.attempt_number, rng=self._rng), remaining)

    def call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one API call with retries; failures become a one-line SheetError."""
        retrying = Retrying(
            stop=self._stop,
            wait=self._wait,
            sleep=self._do_sleep,
            retry=retry_if_exception(_is_transient),
            reraise=True,
        )
        waits_before = len(self.waits)
        try:
            return retrying(fn)
        except SourceError:
            raise
        except (
            APIError,
            google.auth.exceptions.GoogleAuthError,
            requests.RequestException,
            _GarbledAnswer,
        ) as exc:
            attempts = len(self.waits) - waits_before + 1
            problem, fix = self._explain(what, exc, attempts)
            raise SheetError(problem, fix, self.key.info.get("private_key", "")) from None

    def _explain(self, what: str, exc: BaseException, attempts: int) -> tuple[str, str]:
        """(problem, fix) for a failed call."""
        email = self.key.client_email
        detail = _describe(exc, self.timeout)
        if _is_transient(exc):
            asked = _retry_after(exc)
            if asked is not None and attempts < self.max_attempts:
                gave_up = (
                    f"Google asked to wait {asked:g} s, more than is left of the "
                    f"{self.max_retry_seconds:g} s retry budget"
                )
            else:
                gave_up = f"{attempts} attempt{'s' if attempts > 1 else ''} over {self._spent():.1f} s"
            if isinstance(
                exc, requests.ConnectionError | google.auth.exceptions.TransportError
            ) and not _is_timeout(exc):
                where = (
                    "the key's token_uri " + self.key.info.get("token_uri", "")
                    if what == TOKEN_STEP
                    else "[source] api_endpoint"
                )
                return (
                    f"{what} failed: {detail} ({gave_up})",
                    f"Google is unreachable: check the network and {where}, then try again",
                )
            return (
                f"{what} failed: {detail} ({gave_up})",
                "Google is busy or unreachable: try again later, or raise [source] "
                "max_attempts / max_retry_seconds",
            )
        if isinstance(exc, google.auth.exceptions.RefreshError):
            return (
                f"Google refused the service account {email} ({detail})",
                f"the key in {self.key.where} was deleted, disabled or is not this "
                "account's: create a new JSON key for it; also check the computer's clock",
            )
        if isinstance(exc, APIError):
            return self._explain_api(what, exc, detail)
        return f"{what} failed: {detail}", "check [source] api_endpoint and the network"

    def _explain_api(self, what: str, exc: APIError, detail: str) -> tuple[str, str]:
        status = _status(exc)
        email = self.key.client_email
        message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
        if status == 403 and ("has not been used" in message or "disabled" in message):
            return (
                f"{what} failed ({detail})",
                "enable the Google Sheets API for the service account's project (Cloud "
                "console > APIs & Services > Library > Google Sheets API > Enable)",
            )
        if status == 403:
            return (
                f"the service account {email} cannot read the spreadsheet ({detail})",
                f"share the sheet with {email} as Viewer",
            )
        if status == 404:
            return (
                f"{what} failed: spreadsheet not found ({detail})",
                "the spreadsheet key is wrong: copy it from the sheet's URL between /d/ and /edit",
            )
        if status == 401:
            return (
                f"{what} failed: Google did not accept the access token ({detail})",
                f"check the key in {self.key.where} and the computer's clock",
            )
        return f"{what} failed ({detail})", "check [source] spreadsheet and worksheet"

    # -- the three calls
    def authorize(self) -> None:
        """Get the access token (one POST to the key's token_uri)."""

        def refresh() -> None:
            try:
                self.credentials.refresh(  # type: ignore[no-untyped-call]
                    _TimedRequest(self.timeout)
                )
            except (TypeError, KeyError, ValueError) as exc:
                # google-auth indexes the token answer without checking it is JSON
                raise _GarbledAnswer(type(exc).__name__) from None

        self.call(TOKEN_STEP, refresh)

    def metadata(self, key: str) -> dict[str, Any]:
        """spreadsheets.get without grid data: tabs, grid sizes, locale, time zone."""

        def fetch() -> Any:
            try:
                return self.client.http_client.fetch_sheet_metadata(key)
            except (TypeError, KeyError) as exc:
                # gspread's APIError indexes an error body that is not Google's shape
                raise _GarbledAnswer(type(exc).__name__) from None

        answer = self.call("reading the spreadsheet's metadata", fetch)
        if not isinstance(answer, dict) or "sheets" not in answer:
            raise SheetError(
                "the spreadsheet's metadata came back without its tabs", "check [source] api_endpoint"
            )
        return dict(answer)

    def values(self, key: str, ranges: list[str]) -> list[dict[str, Any]]:
        """values:batchGet of ``ranges`` as formatted strings, one request."""
        params: dict[str, Any] = {"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"}

        def fetch() -> list[dict[str, Any]]:
            try:
                answer = self.client.http_client.values_batch_get(key, ranges, params=dict(params))
            except (TypeError, KeyError) as exc:
                raise _GarbledAnswer(type(exc).__name__) from None
            value_ranges = answer.get("valueRanges") if isinstance(answer, dict) else None
            if not isinstance(value_ranges, list) or len(value_ranges) != len(ranges):
                raise _GarbledAnswer("valueRanges missing")
            return value_ranges

        return self.call("reading the responses", fetch)
