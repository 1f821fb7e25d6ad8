"""Drive WordPress's own editors in headless Chromium (tests/support/browser.py), as an editor would:
log in to wp-admin, open a page, change a paragraph, click Update, wait for the save.

Waits are on what the editor itself reports (its data store: blocks parsed, post saved, not
dirty), never fixed sleeps; loading a wp-admin page is retried, since `php -S` on a busy
machine can be slow to answer the first request for the editor's scripts.
"""

from __future__ import annotations

import contextlib
import json
import time

from tests.support.browser import Browser
from tests.support.wordpress_server import AppUser, WordPressSite

LOAD_TRIES = 3
SAVE_SECONDS = 60.0


def load(browser: Browser, url: str, ready: str, what: str, timeout: float = 60.0) -> None:
    """Open `url` and wait until the JavaScript `ready` holds; retried on a failed load."""
    for attempt in range(1, LOAD_TRIES + 1):
        try:
            browser.open(url)
            browser.wait_for(ready, what, timeout)
            return
        except (TimeoutError, RuntimeError):
            if attempt == LOAD_TRIES:
                raise
            time.sleep(1.0)


def log_in(browser: Browser, site: WordPressSite, user: AppUser) -> None:
    """Log in through wp-login.php with the user's password, typed into the form; retried
    when the answer is slow to come (a loaded machine)."""
    for attempt in range(1, LOAD_TRIES + 1):
        load(browser, f"{site.url}/wp-login.php", "!!document.querySelector('#wp-submit')", "the login form")
        # wp-login.php focuses the user name field from a timer (wp_attempt_focus, 200 ms): let it
        # fire first, or it takes the caret away from the password field mid-typing.
        with contextlib.suppress(TimeoutError):
            browser.wait_for(
                "document.activeElement && document.activeElement.id === 'user_login'",
                "the login form's own focus",
                5,
            )
        for selector, text in (("#user_login", user.login), ("#user_pass", user.password)):
            browser.evaluate(f"document.querySelector({json.dumps(selector)}).value = ''")
            browser.click(selector)
            browser.wait_for(
                f"document.activeElement === document.querySelector({json.dumps(selector)})",
                f"the caret in {selector}",
                10,
            )
            browser.type_text(text)
        typed = browser.evaluate("[user_login.value, user_pass.value]")
        if typed != [user.login, user.password]:
            assert attempt < LOAD_TRIES, typed  # the caret moved while typing: type it all again
            continue
        browser.click("#wp-submit")
        try:
            browser.wait_for(
                "location.pathname.startsWith('/wp-admin')", f"wp-admin after logging in as {user.login}", 90
            )
            return
        except TimeoutError:
            if attempt == LOAD_TRIES:
                raise


# The block editor is ready when it has parsed the page into blocks.
BLOCKS_READY = (
    "!!(window.wp && wp.data && wp.data.select('core/block-editor') "
    "&& wp.data.select('core/block-editor').getBlocks().length)"
)


def edit_in_block_editor(browser: Browser, site: WordPressSite, page_id: int, addition: str) -> None:
    """Open the page in the block editor, type `addition` at the end of its first paragraph
    block, click Update and wait until WordPress has saved it."""
    load(
        browser, f"{site.url}/wp-admin/post.php?post={page_id}&action=edit", BLOCKS_READY, "the block editor"
    )
    # The "Welcome to the block editor" guide covers the page on a user's first visit (the test
    # site's users have it switched off; this closes it should it show anyway).
    browser.wait_for(
        """(() => {
          if (!document.querySelector('.edit-post-welcome-guide')) return true;
          const close = document.querySelector('.edit-post-welcome-guide button[aria-label="Close"],'
            + ' .components-modal__frame button[aria-label="Close dialog"]');
          if (close) close.click();
          return false;
        })()""",
        "the welcome guide to close",
    )
    paragraph = '[data-type="core/paragraph"][contenteditable="true"]'
    browser.click(paragraph)
    # the caret to the end of the paragraph's text
    browser.evaluate(
        f"""(() => {{
          const p = document.querySelector({json.dumps(paragraph)});
          const range = document.createRange();
          range.selectNodeContents(p);
          range.collapse(false);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          return true;
        }})()"""
    )
    browser.type_text(addition)
    browser.wait_for(
        f"wp.data.select('core/block-editor').getBlocks()[0].attributes.content.includes({json.dumps(addition)})",
        "the paragraph to hold the typed text",
    )
    browser.wait_for("wp.data.select('core/editor').isEditedPostDirty()", "the editor to see a change")
    browser.click(".editor-post-publish-button")
    browser.wait_for(
        "(() => { const e = wp.data.select('core/editor');"
        " return !e.isSavingPost() && !e.isEditedPostDirty() && e.didPostSaveRequestSucceed(); })()",
        "the block editor to save the page",
        SAVE_SECONDS,
    )


def edit_in_classic_editor(
    browser: Browser, site: WordPressSite, page_id: int, after: str, addition: str
) -> None:
    """Open the page in the classic editor (plain-text mode), type `addition` right after the
    first occurrence of `after` in the text area, click Update and wait for "Page updated"."""
    load(
        browser,
        f"{site.url}/wp-admin/post.php?post={page_id}&action=edit",
        "!!document.querySelector('textarea#content') && !!document.querySelector('#publish')",
        "the classic editor",
    )
    browser.click("textarea#content")
    browser.evaluate(
        f"""(() => {{
          const area = document.querySelector("textarea#content");
          const at = area.value.indexOf({json.dumps(after)});
          if (at < 0) throw new Error("text not found in the editor");
          area.setSelectionRange(at + {len(after)}, at + {len(after)});
          return true;
        }})()"""
    )
    browser.type_text(addition)
    browser.click("#publish")
    browser.wait_for(
        "document.readyState === 'complete' && "
        "!!document.querySelector('#message.updated, #message.notice-success')",
        "the classic editor to save the page",
        SAVE_SECONDS,
    )
