"""Regenerate docs/example-page.png: the bundled example after `signsync apply`, in Chromium.

    python docs/screenshot.py [OUT.png]

Copies examples/ to a temporary folder, runs `signsync apply --yes` there, loads the page in
headless Chromium (Debian: apt-get install chromium) and saves the whole page, 1000 px wide.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import APT_LINE, Browser, find_chromium  # noqa: E402
from tests.helpers import copy_example  # noqa: E402

WIDTH = 1000


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "example-page.png"
    chromium = find_chromium()
    if chromium is None:
        sys.exit(f"Chromium not found: install it with {APT_LINE}")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        config = copy_example(site)
        subprocess.run(
            [sys.executable, "-m", "sync", "apply", "--yes", "--config", str(config)],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        with Browser(chromium) as browser:
            browser.set_width(WIDTH)
            browser.open((site / "statement.html").as_uri())
            png = browser.screenshot_png(WIDTH)
    out.write_bytes(png)
    print(f"wrote {out} ({len(png):,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
