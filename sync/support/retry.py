"""The retry policy shared by everything that talks to a remote service (the Google Sheets
source, the WordPress target): which answers are worth another try, how long to wait before
it, and what the server's `Retry-After` asks for.

Waits grow exponentially with full jitter (a random wait up to base * 2^(attempt-1), capped),
so several runs that failed together do not retry together; a `Retry-After` is honoured.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime
from typing import Any

# 408 Request Timeout, 429 Too Many Requests, and the server errors that pass.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
BASE_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 32.0


def retry_after(response: Any) -> float | None:
    """Seconds the server asked to wait (`Retry-After`: seconds or an HTTP date), if any.

    `response` is anything with `.headers` (a requests.Response), or None."""
    headers = getattr(response, "headers", None)
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def backoff(
    attempt: int,
    *,
    base: float = BASE_WAIT_SECONDS,
    ceiling: float = MAX_WAIT_SECONDS,
    rng: random.Random | None = None,
) -> float:
    """The wait after failed try number `attempt` (1, 2, ...): full jitter up to
    min(ceiling, base * 2^(attempt-1))."""
    top = min(ceiling, base * 2 ** (attempt - 1))
    return (rng or random).uniform(0, top)
