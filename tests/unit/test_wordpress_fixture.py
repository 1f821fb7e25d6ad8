"""The WordPress fixture's own failures say why: when `mariadb-install-db` fails, its error carries
the program's own output (a run that failed once at set-up must be diagnosable from the log)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.wordpress_server import WordPressServer


def test_a_failed_mariadb_install_db_is_reported_with_its_own_output(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "bin" / "mariadb-install-db"
    fake.parent.mkdir()
    # Stands in for the real program: says something on both streams, leaves an error log in the
    # data folder it was given, and fails.
    fake.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --datadir=*) d="${a#--datadir=}";; esac; done\n'
        'mkdir -p "$d" && echo "InnoDB: io_setup() failed with EAGAIN" > "$d/host.err"\n'
        'echo "Installing MariaDB/MySQL system tables in $d ..."\n'
        'echo "Installation of system tables failed!" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    server = WordPressServer()
    with pytest.raises(RuntimeError) as failed:
        server.start()
    message = str(failed.value)
    assert message.startswith("mariadb-install-db failed (exit 1):")
    assert "Installing MariaDB/MySQL system tables in" in message
    assert "Installation of system tables failed!" in message
    assert "host.err:\nInnoDB: io_setup() failed with EAGAIN" in message
    assert "--skip-networking" in message  # the command, as run
    assert not server.root.exists()  # nothing left behind
