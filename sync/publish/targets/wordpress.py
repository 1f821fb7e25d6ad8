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
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from sync.config import Config
from sync.errors import ConfigError, ConflictError, PublishError
from sync.model import text_sha256
from sync.publish.targets.base import PageSnapshot
from sync.support.retry import RETRY_STATUSES, backoff, retry_after

USER_ENV = "SIGNSYNC_WP_USER"
PASSWORD_ENV = "SIGNSYNC_WP_APP_PASSWORD"
# In a page's `_links` (edit context) iff the user may post HTML that WordPress does not filter.
UNFILTERED_HTML = "https://api.w.org/action-unfiltered-html"


class _Transient(Exception):
    """A failure worth another try (429, 5xx, connection trouble); carries the final message
    and the answer (for its Retry-After)."""

    def __init__(self, problem: str, fix: str, answer: requests.Response | None = None) -> None:
        super().__init__(f"{problem}: {fix}")
        self.problem, self.fix = problem, fix
        self.answer = answer


@dataclass(frozen=True, slots=True)
class WordPressTarget:
    """One WordPress page, by id, on the site at `url`.

    `timeout` is seconds per request; `attempts` bounds the tries on 429, 5xx and connection
    errors (sync/support/retry.py's policy: jittered waits up to `retry_wait`, doubling, or what the
    site's Retry-After asks, up to `max_wait`). The password is kept out of repr().
    """

    url: str
    page_id: int
    user: str
    app_password: str = field(repr=False)
    timeout: float = 30.0
    attempts: int = 3
    retry_wait: float = 1.0
    max_wait: float = 30.0
    name: str = "wordpress"

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", site_root(self.url))

    # -- the PageTarget protocol ---------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"WordPress page {self.page_id} at {self.url}"

    @property
    def identity(self) -> dict[str, Any]:
        return {"target": self.name, "url": self.url, "page_id": self.page_id}

    def read(self) -> PageSnapshot:
        """GET the page in edit context: its raw (block) content and version data.

        `unfiltered_html` tells whether WordPress will store what this user posts as it is, or
        run it through its HTML filter (kses) first: a user without the capability (any role on
        multisite but super admins, everyone under DISALLOW_UNFILTERED_HTML)."""
        page = self._page()
        content = _raw_content(page, self.label)
        version: dict[str, Any] = {
            "modified_gmt": page.get("modified_gmt"),
            "sha256": text_sha256(content),
            "unfiltered_html": _may_post_unfiltered_html(page),
        }
        latest = self._latest_revision()
        if latest is not None:
            version["revision_count"], version["latest_revision"] = latest
        return PageSnapshot(self.label, content, version)

    def whoami(self) -> str:
        """Log in and say as whom, with the roles (for `signsync doctor`)."""
        me = self._request("GET", "/wp/v2/users/me", params={"context": "edit", "_fields": "name,roles"})
        roles = ", ".join(me.get("roles") or ()) if isinstance(me, dict) else ""
        return f"logged in to {self.url} as '{self.user}'" + (f" (role: {roles})" if roles else "")

    def write(self, content: str, expected: PageSnapshot) -> str:
        """Post `content` as the page's content if the page is still as `expected`.

        Returns a note naming the revision this write made, if WordPress made one, and the one
        to roll back to. Raises ConflictError when the page changed since `expected` was read,
        PublishError when WordPress refuses.
        """
        page = self._page()
        now_content = _raw_content(page, self.label)
        self._check_unchanged(page, now_content, expected)
        if now_content == content:
            return f"{self.label} already up to date; nothing posted"
        latest_before = self._latest_revision()
        saved = self._request("POST", self._route(), json={"content": content})
        content_field = saved.get("content") if isinstance(saved, dict) else None
        saved_content = content_field.get("raw") if isinstance(content_field, dict) else None
        note = f"updated {self.label}"
        try:
            note += self._revision_note(saved_content or content, now_content, latest_before)
        except PublishError as exc:  # the write is done: report it, do not fail it
            note += f"; could not look up the new revision ({exc})"
        if saved_content is not None and saved_content != content:
            note += "; warning: " + self._filtered_note(page)
        return note

    def _check_unchanged(self, page: dict[str, Any], content: str, expected: PageSnapshot) -> None:
        now = {"modified_gmt": page.get("modified_gmt"), "sha256": text_sha256(content)}
        was = {k: expected.version.get(k) for k in now}
        if now != was:
            what = {"modified_gmt": "modification time", "sha256": "content"}
            changed = " and ".join(what[k] for k in now if now[k] != was[k])
            raise ConflictError(
                f"{self.label} was edited in WordPress since the plan was made "
                f"({changed} changed: modified {was['modified_gmt']} then, "
                f"{now['modified_gmt']} now); nothing was written: run `signsync plan` again"
            )

    def _filtered_note(self, page: dict[str, Any]) -> str:
        why = (
            "its HTML filter removes e.g. <script>"
            if _may_post_unfiltered_html(page)
            else f"user '{self.user}' may not post unfiltered HTML, so its HTML filter removed what "
            "it does not allow, e.g. <script> or <bdi>"
        )
        return (
            f"WordPress changed the content while saving it ({why}); the next plan shows the "
            "difference: change the template to markup WordPress keeps, or give the user the "
            "unfiltered_html capability (Administrator or Editor on a single site)"
        )

    # -- HTTP ------------------------------------------------------------------------------------

    def _route(self, suffix: str = "") -> str:
        return f"/wp/v2/pages/{self.page_id}{suffix}"

    def _page(self) -> dict[str, Any]:
        page = self._request("GET", self._route(), params={"context": "edit"})
        if not isinstance(page, dict):
            raise PublishError.because(
                f"{self.label}: WordPress answered with {type(page).__name__}, not a page",
                "check [publish] wordpress_url is the WordPress site's address",
            )
        return page

    def _latest_revision(self) -> tuple[int, int | None] | None:
        """(how many revisions the page has, the newest one's id), None when not told.

        Only informative: a user who may edit the page but not list its revisions still reads it.
        """
        try:
            answer = self._send(
                "GET",
                self._route("/revisions"),
                params={"per_page": 1, "orderby": "id", "order": "desc", "_fields": "id"},
            )
        except PublishError:
            return None
        total = answer.headers.get("X-WP-Total")
        if not (total and total.isdigit()):
            return None
        items = _json(answer, self.url)
        first = items[0] if isinstance(items, list) and items else None
        newest = first.get("id") if isinstance(first, dict) else None
        return int(total), newest if isinstance(newest, int) else None

    def _revision_note(self, saved: str, before: str, latest_before: tuple[int, int | None] | None) -> str:
        """Name the revision this write made and the one holding the content before it.

        WordPress stores a revision of the content *after* each update that changed it; a page
        never updated since it was made has no revision of its first content, and then we say so.
        Only a revision newer than the newest before the write counts as this write's.
        """
        revisions = self._request(
            "GET",
            self._route("/revisions"),
            params={
                "context": "edit",
                "per_page": 5,
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
        newest_before = latest_before[1] if latest_before and latest_before[1] is not None else 0
        ours = next((rid for rid, raw in found if raw == saved and rid > newest_before), None)
        note = f"; new revision {ours}" if ours is not None else "; WordPress made no revision of this write"
        earlier = next(((rid, raw) for rid, raw in found if rid <= newest_before), None)
        if earlier is not None and earlier[1] == before:
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
                    f"cannot connect to WordPress at {self.url} ({_reason(exc)})",
                    "check [publish] wordpress_url and that the site is up",
                ) from exc
            except requests.Timeout as exc:
                raise _Transient(
                    f"WordPress at {self.url} did not answer within {self.timeout:g} s", "try again later"
                ) from exc
            if answer.status_code in RETRY_STATUSES:
                raise _Transient(
                    f"WordPress at {self.url} failed with HTTP {answer.status_code}{_wp_code(answer)}",
                    "try again later, or see the site's error log",
                    answer,
                )
            return answer

        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.attempts)),
            wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, _Transient)),
            reraise=True,
        )
        try:
            answer = retrying(once)
        except _Transient as exc:
            raise PublishError.because(exc.problem, exc.fix) from None
        self._check_status(answer)
        return answer

    def _wait(self, state: RetryCallState) -> float:
        """The shared policy's wait (sync/support/retry.py), or the site's Retry-After, up to max_wait."""
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after(exc.answer) if isinstance(exc, _Transient) else None
        if asked is not None:
            return min(asked, self.max_wait)
        return backoff(state.attempt_number, base=self.retry_wait, ceiling=self.max_wait)

    def _check_status(self, answer: requests.Response) -> None:
        status = answer.status_code
        if status < 300:
            return
        code = _wp_code(answer)
        if 300 <= status < 400:
            where = answer.headers.get("Location", "elsewhere")
            raise PublishError.because(
                f"WordPress at {self.url} redirected to {where} (HTTP {status})",
                "set [publish] wordpress_url to the site's address as it redirects (often https://...)",
            )
        if status == 401:
            raise PublishError.because(
                f"WordPress at {self.url} refused the login of user '{self.user}' (HTTP 401{code})",
                f"check {USER_ENV} and {PASSWORD_ENV}; the password must be an application "
                "password (Users > Profile > Application Passwords), not the login password, and "
                "the site must use https",
            )
        if status == 403:
            raise PublishError.because(
                f"WordPress user '{self.user}' may not edit page {self.page_id} at {self.url} "
                f"(HTTP 403{code})",
                "give the user a role that can edit pages (Editor)",
            )
        if status == 404:
            if "rest_post_invalid_id" in code:
                raise PublishError.because(
                    f"WordPress at {self.url} has no page with id {self.page_id} (HTTP 404{code})",
                    "check [publish] wordpress_page_id (the number after post= in the page's edit link)",
                )
            raise PublishError.because(
                f"{self.url} answered HTTP 404{code} to the REST API",
                "check [publish] wordpress_url is the WordPress site's address",
            )
        raise PublishError(
            f"WordPress at {self.url} refused the request with HTTP {status}{code}{_wp_message(answer)}"
        )


def wordpress_target(config: Config) -> WordPressTarget:
    """The WordPressTarget named by [publish] in `config`, credentials from the environment."""
    settings = config.publish.wordpress
    if settings is None:
        raise ConfigError(f'{config.path}: [publish] target is not "wordpress"')
    hints = {
        USER_ENV: "the WordPress user name signsync logs in as",
        PASSWORD_ENV: "an application password from WordPress: Users > Profile > Application Passwords",
    }
    found = {name: config.secret(name) for name in hints}
    for name, value in found.items():
        if not value:
            raise ConfigError.because(
                f"{name} is not set",
                f"set it in the environment or in {config.base_dir / '.env'} ({hints[name]})",
            )
    return WordPressTarget(
        url=settings.url,
        page_id=settings.page_id,
        user=found[USER_ENV] or "",
        app_password=found[PASSWORD_ENV] or "",
    )


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


def _may_post_unfiltered_html(page: dict[str, Any]) -> bool:
    """Whether WordPress said (in the page's edit-context `_links`) that this user may post
    unfiltered HTML: WordPress checks the capability as it applies it (DISALLOW_UNFILTERED_HTML
    and multisite included), unlike the role's capability list in /users/me."""
    links = page.get("_links")
    # WordPress abbreviates its own link relations: "wp:action-unfiltered-html" (a CURIE).
    short = UNFILTERED_HTML.replace("https://api.w.org/", "wp:")
    return isinstance(links, dict) and (UNFILTERED_HTML in links or short in links)


def _raw_content(page: Any, label: str) -> str:
    content = page.get("content") if isinstance(page, dict) else None
    raw = content.get("raw") if isinstance(content, dict) else None
    if not isinstance(raw, str):
        raise PublishError.because(
            f"{label}: WordPress did not return the page's raw content",
            "the user needs to be allowed to edit the page (Editor role)",
        )
    return raw


def _json(answer: requests.Response, url: str) -> Any:
    try:
        return answer.json()
    except ValueError:
        kind = answer.headers.get("Content-Type", "no content type")
        raise PublishError.because(
            f"{url} answered HTTP {answer.status_code} with {kind}, not JSON",
            "check [publish] wordpress_url is the WordPress site's address and its REST API is "
            "not blocked (a security plugin or a maintenance page can do that)",
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
