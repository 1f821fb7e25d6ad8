"""Regenerate docs/example-page.png: the bundled example after `signsync apply`, in Chromium.

    python docs/screenshot.py [OUT.png]
    python docs/screenshot.py --example es [OUT.png]   # docs/example-page-es.png: the Spanish page
    python docs/screenshot.py --example initial        # docs/example-page-initial.png

Copies examples/ to a temporary folder, runs `signsync apply --yes` there (for `initial`, the
README's commands first), loads the page in headless Chromium (Debian: apt-get install chromium)
and saves the whole page, 1000 px wide.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import APT_LINE, Browser, find_chromium  # noqa: E402
from tests.helpers import copy_example  # noqa: E402

WIDTH = 1000
PAGES = {"es": "declaracion.html", "initial": "statement.html"}


def _readme_commands(example: str) -> list[list[str]]:
    """The README's commands for an example (its `readme-test: <example>-commands` block)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- readme-test: {example}-commands -->\n```\w+\n(.*?)```", readme, re.S)
    if m is None:
        sys.exit(f"README.md has no commands for the {example} example")
    return [shlex.split(line) for line in m.group(1).splitlines() if not line.startswith("cd ")]


def _build(site: Path, example: str | None) -> Path:
    """Run the example in `site`; the page's path."""
    if example is None:
        config = copy_example(site)
        commands = [["signsync", "apply", "--yes", "--config", str(config)]]
        page, cwd = site / "statement.html", ROOT
    else:
        shutil.copytree(ROOT / "examples", site / "examples")
        cwd = site / "examples" / example
        commands, page = _readme_commands(example), cwd / PAGES[example]
    for words in commands:
        subprocess.run([sys.executable, "-m", "sync", *words[1:]], check=True, cwd=cwd, capture_output=True)
    return page


def main() -> None:
    args = sys.argv[1:]
    example = None
    if args[:1] == ["--example"]:
        example, args = args[1], args[2:]
        if example not in PAGES:
            sys.exit(f"--example {example}: one of {', '.join(PAGES)}")
    name = f"example-page-{example}.png" if example else "example-page.png"
    out = Path(args[0]) if args else ROOT / "docs" / name
    chromium = find_chromium()
    if chromium is None:
        sys.exit(f"Chromium not found: install it with {APT_LINE}")
    with tempfile.TemporaryDirectory() as tmp:
        page = _build(Path(tmp), example)
        with Browser(chromium) as browser:
            browser.set_width(WIDTH)
            browser.open(page.as_uri())
            png = browser.screenshot_png(WIDTH)
    out.write_bytes(png)
    print(f"wrote {out} ({len(png):,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
