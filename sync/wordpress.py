"""A page that lives in WordPress, read and written through its REST API.

Auth is HTTP Basic with a user and an *application password* (Users -> Profile -> Application
Passwords; WordPress 5.6+), taken from SIGNSYNC_WP_USER and SIGNSYNC_WP_APP_PASSWORD.

WordPress has no ETag/If-Match, so `write` guards against an editor's concurrent edit itself: it
re-reads the page just before posting and refuses when `modified_gmt` or the content's hash differ
from the plan's snapshot (the hash matters too: `modified_gmt` has one-second steps).

Routes use `?rest_route=/wp/v2/...`, which works with and without pretty permalinks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from sync.config import Config
from sync.errors import ConfigError, ConflictError, PublishError
from sync.fsutil import sha256_text
from sync.publish import PageSnapshot

USER_ENV = "SIGNSYNC_WP_USER"
PASSWORD_ENV = "SIGNSYNC_WP_APP_PASSWORD"
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class _Transient(Exception):
    """A failure worth another try (5xx, connection trouble); carries the final message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class WordPressTarget:
    """One WordPress page, by id, on the site at `url`.

    `timeout` is seconds per request; `attempts` bounds the tries on 5xx and connection errors
    (waits of `retry_wait`, doubling, between them). The password is kept out of repr().
    """

    url: str
    page_id: int
    user: str
    app_password: str = field(repr=False)
    timeout: float = 30.0
    attempts: int = 3
    retry_wait: float = 1.0
    name: str = "wordpress"

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", site_root(self.url))

    # -- the PageTarget protocol ---------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"WordPress page {self.page_id} at {self.url}"

    def read(self) -> PageSnapshot:
        """GET the page in edit context: its raw (block) content and version data."""
        page = self._page()
        content = _raw_content(page, self.label)
        version: dict[str, Any] = {
            "modified_gmt": page.get("modified_gmt"),
            "sha256": sha256_text(content),
        }
        count = self._revision_count()
        if count is not None:
            version["revision_count"] = count
        return PageSnapshot(self.label, content, version)

    def write(self, content: str, expected: PageSnapshot) -> str:
        """Post `content` as the page's content if the page is still as `expected`.

        Returns a note naming the new revision (to roll back in WordPress). Raises ConflictError
        when the page changed since `expected` was read, PublishError when WordPress refuses.
        """
        page = self._page()
        now_content = _raw_content(page, self.label)
        now = {"modified_gmt": page.get("modified_gmt"), "sha256": sha256_text(now_content)}
        was = {k: expected.version.get(k) for k in now}
        if now != was:
            what = {"modified_gmt": "modification time", "sha256": "content"}
            changed = " and ".join(what[k] for k in now if now[k] != was[k])
            raise ConflictError(
                f"{self.label} was edited in WordPress since the plan was made "
                f"({changed} changed: modified {was['modified_gmt']} then, "
                f"{now['modified_gmt']} now); nothing was written: run `signsync plan` again"
            )
        if now["sha256"] == sha256_text(content):
            return f"{self.label} already up to date; nothing posted"
        saved = self._request("POST", self._route(), json={"content": content})
        content_field = saved.get("content") if isinstance(saved, dict) else None
        saved_content = content_field.get("raw") if isinstance(content_field, dict) else None
        note = f"updated {self.label}"
        try:
            note += self._revision_note(saved_content or content, before_sha256=now["sha256"])
        except PublishError as exc:  # the write is done: report it, do not fail it
            note += f"; could not look up the new revision ({exc})"
        if saved_content is not None and saved_content != content:
            note += (
                "; warning: WordPress changed the content while saving it (its HTML filter "
                "removes e.g. <script>), so the next plan will show a difference"
            )
        return note

    # -- HTTP ------------------------------------------------------------------------------------

    def _route(self, suffix: str = "") -> str:
        return f"/wp/v2/pages/{self.page_id}{suffix}"

    def _page(self) -> dict[str, Any]:
        page = self._request("GET", self._route(), params={"context": "edit"})
        if not isinstance(page, dict):
            raise PublishError(
                f"{self.label}: WordPress answered with {type(page).__name__}, not a page: "
                "check [publish] wordpress_url is the WordPress site's address"
            )
        return page

    def _revision_count(self) -> int | None:
        """How many revisions the page has (WordPress's X-WP-Total), None when not told.

        Only informative: a user who may edit the page but not list its revisions still reads it.
        """
        try:
            answer = self._send("GET", self._route("/revisions"), params={"per_page": 1, "_fields": "id"})
        except PublishError:
            return None
        total = answer.headers.get("X-WP-Total")
        return int(total) if total and total.isdigit() else None

    def _revision_note(self, saved: str, before_sha256: str | None) -> str:
        """Name the revision this write made and the one holding the content before it.

        WordPress stores a revision of the content *after* each update; a page never updated
        since it was created has no revision of its first content, and then we say so.
        """
        revisions = self._request(
            "GET",
            self._route("/revisions"),
            params={
                "context": "edit",
                "per_page": 3,
                "orderby": "id",
                "order": "desc",
                "_fields": "id,content",
            },
        )
        found: list[tuple[int, str | None]] = []
        for item in revisions if isinstance(revisions, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), int):
                body = item.get("content")
                found.append((item["id"], body.get("raw") if isinstance(body, dict) else None))
        ours = next((i for i, (_, raw) in enumerate(found) if raw == saved), None)
        if ours is None:
            return "; WordPress made no revision of this write"
        note = f"; new revision {found[ours][0]}"
        earlier = found[ours + 1] if ours + 1 < len(found) else None
        if earlier and isinstance(earlier[1], str) and sha256_text(earlier[1]) == before_sha256:
            rid = earlier[0]
            return note + (
                f"; to roll back, restore revision {rid} ({self.url}/wp-admin/revision.php?revision={rid})"
            )
        return note + " (WordPress kept no revision of the content before this write)"

    def _request(self, method: str, route: str, **kwargs: Any) -> Any:
        answer = self._send(method, route, **kwargs)
        return _json(answer, self.url)

    def _send(self, method: str, route: str, **kwargs: Any) -> requests.Response:
        """One request, retried (bounded) on 5xx and connection errors; errors say what to do."""
        params = {"rest_route": route, **kwargs.pop("params", {})}

        def once() -> requests.Response:
            try:
                answer = requests.request(
                    method,
                    self.url + "/",
                    params=params,
                    auth=(self.user, self.app_password),
                    timeout=self.timeout,
                    allow_redirects=False,
                    **kwargs,
                )
            except requests.ConnectionError as exc:
                raise _Transient(
                    f"cannot connect to WordPress at {self.url} ({_reason(exc)}): check "
                    "[publish] wordpress_url and that the site is up"
                ) from exc
            except requests.Timeout as exc:
                raise _Transient(
                    f"WordPress at {self.url} did not answer within {self.timeout:g} s: try again later"
                ) from exc
            if answer.status_code in RETRY_STATUSES:
                raise _Transient(
                    f"WordPress at {self.url} failed with HTTP {answer.status_code}"
                    f"{_wp_code(answer)}: try again later, or see the site's error log"
                )
            return answer

        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.attempts)),
            wait=wait_exponential(multiplier=self.retry_wait, max=30),
            retry=retry_if_exception(lambda e: isinstance(e, _Transient)),
            reraise=True,
        )
        try:
            answer = retrying(once)
        except _Transient as exc:
            raise PublishError(exc.message) from None
        self._check_status(answer)
        return answer

    def _check_status(self, answer: requests.Response) -> None:
        status = answer.status_code
        if status < 300:
            return
        code = _wp_code(answer)
        if 300 <= status < 400:
            where = answer.headers.get("Location", "elsewhere")
            raise PublishError(
                f"WordPress at {self.url} redirected to {where} (HTTP {status}): set [publish] "
                "wordpress_url to the site's address as it redirects (often https://...)"
            )
        if status == 401:
            raise PublishError(
                f"WordPress at {self.url} refused the login of user '{self.user}' (HTTP 401{code}):"
                f" check {USER_ENV} and {PASSWORD_ENV}; the password must be an application "
                "password (Users > Profile > Application Passwords), not the login password, and "
                "the site must use https"
            )
        if status == 403:
            raise PublishError(
                f"WordPress user '{self.user}' may not edit page {self.page_id} at {self.url} "
                f"(HTTP 403{code}): give the user a role that can edit pages (Editor)"
            )
        if status == 404:
            if "rest_post_invalid_id" in code:
                raise PublishError(
                    f"WordPress at {self.url} has no page with id {self.page_id} (HTTP 404{code}):"
                    " check [publish] wordpress_page_id (the number after post= in the page's "
                    "edit link)"
                )
            raise PublishError(
                f"{self.url} answered HTTP 404{code} to the REST API: check [publish] "
                "wordpress_url is the WordPress site's address"
            )
        raise PublishError(
            f"WordPress at {self.url} refused the request with HTTP {status}{code}{_wp_message(answer)}"
        )


def wordpress_target(config: Config) -> WordPressTarget:
    """The WordPressTarget named by [publish] in `config`, credentials from the environment."""
    settings = config.publish.wordpress
    if settings is None:
        raise ConfigError(f'{config.path}: [publish] target is not "wordpress"')
    hint = "an application password from WordPress: Users > Profile > Application Passwords"
    user = config.secret(USER_ENV, required=True, hint="the WordPress user name")
    password = config.secret(PASSWORD_ENV, required=True, hint=hint)
    assert user is not None and password is not None  # required=True raised otherwise
    return WordPressTarget(url=settings.url, page_id=settings.page_id, user=user, app_password=password)


def site_root(url: str) -> str:
    """The site's address without a trailing slash or a `/wp-json` suffix; checks the scheme."""
    root = url.strip().rstrip("/")
    root = root.removesuffix("/wp-json").rstrip("/")
    parts = urlsplit(root)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f'[publish] wordpress_url = {url!r} is not a web address: write it as "https://example.org"'
        )
    return root


def _raw_content(page: Any, label: str) -> str:
    content = page.get("content") if isinstance(page, dict) else None
    raw = content.get("raw") if isinstance(content, dict) else None
    if not isinstance(raw, str):
        raise PublishError(
            f"{label}: WordPress did not return the page's raw content: the user needs to be "
            "allowed to edit the page (Editor role)"
        )
    return raw


def _json(answer: requests.Response, url: str) -> Any:
    try:
        return answer.json()
    except ValueError:
        kind = answer.headers.get("Content-Type", "no content type")
        raise PublishError(
            f"{url} answered HTTP {answer.status_code} with {kind}, not JSON: check [publish] "
            "wordpress_url is the WordPress site's address and its REST API is not blocked "
            "(a security plugin or a maintenance page can do that)"
        ) from None


def _wp_field(answer: requests.Response, key: str) -> str | None:
    """A string field of WordPress's JSON error body, or None when the body has none."""
    try:
        body = answer.json()
    except ValueError:
        return None
    value = body.get(key) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def _wp_code(answer: requests.Response) -> str:
    """WordPress's error code, e.g. ' rest_forbidden', or '' when the body has none."""
    code = _wp_field(answer, "code")
    return f" {code}" if code else ""


def _wp_message(answer: requests.Response) -> str:
    message = _wp_field(answer, "message")
    return f": {message}" if message else ""


def _reason(exc: requests.ConnectionError) -> str:
    text = str(exc)
    for reason in (
        "Connection refused",
        "Name or service not known",
        "No route to host",
        "certificate verify failed",
        "Temporary failure in name resolution",
    ):
        if reason in text:
            return reason.lower()
    return type(exc).__name__
