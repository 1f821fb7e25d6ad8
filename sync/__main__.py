"""`python -m sync` and the `signsync` script (entry point `sync.__main__:main`) run the command
line; `signsync --version` is answered before the command line (click and the command group) is
imported.

`--version` is what a set-up check or a CI log runs most often; it took ~0.07 s of CPU, a third
of it importing click. The answer is click's own (`@click.version_option` in
sync/cli/__init__.py: "signsync, version X"); tests/unit/test_startup.py compares the two.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run `signsync` (see the module docstring)."""
    if sys.argv[1:] == ["--version"]:
        from sync import __version__

        sys.stdout.write(f"signsync, version {__version__}\n")
        sys.stdout.flush()
        sys.exit(0)
    from sync.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
