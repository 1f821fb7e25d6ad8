"""Drive a real headless Chromium over the DevTools protocol (a websocket on 127.0.0.1).

A small client instead of selenium + chromedriver: one pure-Python dependency
(websocket-client), nothing to keep in step with the browser's version, nothing downloaded.
Used by tests/integration/test_hostile_browser.py and docs/screenshot.py.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import websocket

APT_LINE = "apt-get install -y --no-install-recommends chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",  # we run as root in CI containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",  # the browser picks a free port and writes DevToolsActivePort
)


def find_chromium() -> str | None:
    """The Chromium binary: $SIGNSYNC_CHROMIUM, else `chromium` or `chromium-browser` on PATH."""
    explicit = os.environ.get("SIGNSYNC_CHROMIUM")
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one tab; use as a context manager (always killed on exit)."""

    def __init__(self, binary: str, timeout: float = 30.0) -> None:
        self.binary = binary
        self.timeout = timeout
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        self.profile = Path(tempfile.mkdtemp(prefix="signsync-chromium-"))
        self.log = open(self.profile / "chromium.log", "w+b")
        self.proc = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so __exit__ ends all its helpers
        )
        try:
            self.ws = websocket.create_connection(
                self._websocket_url(), timeout=self.timeout, suppress_origin=True
            )
            target = self.send("Target.createTarget", url="about:blank")["targetId"]
            self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            ws.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def chromium_log(self) -> str:
        self.log.flush()
        return (self.profile / "chromium.log").read_text(errors="replace")[-3000:]

    def _websocket_url(self) -> str:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Chromium did not start:\n{self.chromium_log()}")
            time.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        return f"ws://127.0.0.1:{port}{path}"

    def send(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one DevTools command; return its result (events that arrive are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]  # type: ignore[no-any-return]
            self._events.append(reply)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """A command to the tab."""
        return self.send(method, session=True, **params)

    def wait_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == self.session:
                    return self._events.pop(i)
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {self.timeout} s")
            self._events.append(json.loads(self.ws.recv()))

    def open(self, url: str, *, before_load: str = "") -> None:
        """Load `url` and wait for its load event; `before_load` runs before any page script."""
        self.page("Page.enable")
        if before_load:
            self.page("Page.addScriptToEvaluateOnNewDocument", source=before_load)
        self._events.clear()
        self.page("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def wait_for(self, expression: str, what: str, timeout: float | None = None) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value. A page that is
        navigating meanwhile (no context to evaluate in) counts as not yet."""
        deadline = time.monotonic() + (timeout or self.timeout)
        last = ""
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError as exc:  # e.g. "Execution context was destroyed"
                value, last = None, str(exc)[:300]
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"waited {timeout or self.timeout:g} s for {what}{f' ({last})' if last else ''}")

    def click(self, selector: str) -> None:
        """A real mouse click (press and release) at the centre of the first element matching
        `selector`, scrolled into view first; waits for it to be there and enabled."""
        box = self.wait_for(
            f"""(() => {{
              const e = document.querySelector({json.dumps(selector)});
              if (!e || e.disabled || e.getAttribute("aria-disabled") === "true") return null;
              e.scrollIntoView({{block: "center"}});
              const r = e.getBoundingClientRect();
              return r.width && r.height ? {{x: r.left + r.width / 2, y: r.top + r.height / 2}} : null;
            }})()""",
            f"a clickable {selector}",
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.page(
                "Input.dispatchMouseEvent", type=kind, x=box["x"], y=box["y"], button="left", clickCount=1
            )

    def type_text(self, text: str) -> None:
        """Type `text` where the caret is, as keyboard input (input events, not a value set)."""
        self.page("Input.insertText", text=text)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (promises awaited)."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def set_width(self, width: int, height: int = 800) -> None:
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def screenshot_png(self, width: int) -> bytes:
        """The whole page, `width` CSS pixels wide, as PNG bytes."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.set_width(width, height)
        data = self.page(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        return base64.b64decode(data["data"])
