"""A CSV source reads only the rows added since the last apply, when the rows it read before are
byte for byte unchanged; a file saved again with rows sorted, deleted or edited is read in full,
and either way the registry and the page are those of a full read. The plan says which path
the read took."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.helpers import run_cli

Site = Path


def _lines(site: Path) -> list[str]:
    return (site / "responses.csv").read_text(encoding="utf-8").splitlines(keepends=True)


def _export(site: Path, lines: list[str], *, final_newline: bool = True, crlf: bool = False) -> None:
    """Save the responses file as a spreadsheet program would, with these lines."""
    text = "".join(lines)
    if crlf:
        text = text.replace("\n", "\r\n")
    if not final_newline:
        text = text.rstrip("\r\n")
    (site / "responses.csv").write_bytes(text.encode("utf-8"))


def _plan_notes(site: Path) -> list[str]:
    """The plan's notes (the read path among them)."""
    got = run_cli("plan", "--no-diff", cwd=site)
    assert got.code in (0, 2), got.err
    return [
        line.removeprefix("note: ") for line in (got.out + got.err).splitlines() if line.startswith("note: ")
    ]


def _said_as_by_a_full_read(site: Path) -> None:
    """The plan of an incremental read says what the plan of a full read says (counts, warnings,
    changes, diffs), but for the line naming the read path."""
    got, full = run_cli("plan", cwd=site), run_cli("plan", "--full", cwd=site)
    assert got.code == full.code

    def rest(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("note: read ")]

    assert rest(got.out + got.err) == rest(full.out + full.err)
    assert "incremental (CSV)" in got.out + got.err


def _published(site: Path) -> dict[str, bytes]:
    out = {p.name: p.read_bytes() for p in site.glob("signatories*.csv")}
    out["statement.html"] = (site / "statement.html").read_bytes()
    return out


def _apply(site: Path, *extra: str) -> str:
    got = run_cli("apply", "--yes", *extra, cwd=site)
    assert got.code == 0, got.out + got.err
    return got.out + got.err


def _twin(site: Path, tmp_path: Path) -> Path:
    twin = tmp_path / "twin"
    shutil.copytree(site, twin)
    return twin


@pytest.mark.parametrize(
    ("final_newline", "crlf"), [(True, False), (False, False), (True, True), (False, True)]
)
def test_rows_added_to_the_file_are_read_alone_and_give_the_files_of_a_full_read(
    site: Site, tmp_path: Path, final_newline: bool, crlf: bool
) -> None:
    lines = _lines(site)
    _export(site, lines[:12], final_newline=final_newline, crlf=crlf)
    _apply(site)
    full = _twin(site, tmp_path)
    _export(site, lines, final_newline=final_newline, crlf=crlf)
    _export(full, lines, final_newline=final_newline, crlf=crlf)

    assert any(
        n.endswith(f"incremental (CSV): rows 13-{len(lines)} (rows 1-12 unchanged, by their SHA-256)")
        for n in _plan_notes(site)
    ), _plan_notes(site)
    _said_as_by_a_full_read(site)
    _apply(site)
    _apply(full, "--full")
    assert _published(site) == _published(full)

    # Nothing new: nothing parsed, nothing to do.
    assert any(
        n.endswith(
            f"incremental (CSV): no rows after {len(lines)} (rows 1-{len(lines)} unchanged, by their SHA-256)"
        )
        for n in _plan_notes(site)
    )
    got = run_cli("plan", cwd=site)
    assert got.code == 0, got.out + got.err
    _said_as_by_a_full_read(site)


NEW_ROW = "12/01/2026 10:00:00,new.signer@example.org,Wanjiru Kamau,,An individual,Yes,\n"


@pytest.mark.parametrize("how", ["sorted", "deleted", "edited", "renamed"])
def test_a_file_saved_again_with_rows_changed_is_read_in_full(site: Site, tmp_path: Path, how: str) -> None:
    lines = _lines(site)
    _apply(site)
    twin = _twin(site, tmp_path)
    header, rows = lines[0], lines[1:]
    name = "responses.csv"
    if how == "sorted":
        changed = [header, *sorted(rows, key=lambda r: r.split(",")[2])]
        reason = f"the file changed at or above row {len(lines)} (rows deleted, sorted or edited)"
    elif how == "deleted":
        changed = [header, *rows[:-3], rows[-1]]  # two rows gone: shorter
        reason = "the file is shorter than the"
    elif how == "edited":
        changed = [header, rows[0].replace("Amina", "Aminah"), *rows[1:]]
        reason = f"the file changed at or above row {len(lines)} (rows deleted, sorted or edited)"
    else:  # the same rows in a file of another name
        changed, name = lines, "export.csv"
        reason = "the registry or the config changed since the last apply"  # the config names it
        for folder in (site, twin):
            (folder / "responses.csv").unlink()
            config = folder / "signsync.toml"
            config.write_text(config.read_text(encoding="utf-8").replace("responses.csv", name))
    # A new response at the end of the file saved again: it is found all the same.
    for folder in (site, twin):
        (folder / name).write_text("".join([*changed, NEW_ROW]), encoding="utf-8")
    notes = _plan_notes(site)
    assert any("full read (CSV): " + reason in n for n in notes), notes
    _apply(site)
    _apply(twin, "--full")
    assert _published(site) == _published(twin)
    assert "Wanjiru Kamau" in (site / "statement.html").read_text(encoding="utf-8")
    # The next run reads incrementally again, from the file as it is now.
    assert any("incremental (CSV): no rows after" in n for n in _plan_notes(site)), _plan_notes(site)


def test_a_cut_off_last_row_is_read_again_once_the_file_is_whole(site: Site, tmp_path: Path) -> None:
    lines = _lines(site)
    _export(site, lines[:10], final_newline=True)
    _apply(site)
    (site / "responses.csv").write_text(
        "".join(lines[:20]) + lines[20][:25], encoding="utf-8"
    )  # ends mid-row
    assert any("incremental (CSV): rows 11-20" in n for n in _plan_notes(site))
    assert "row 21 left out" in _apply(site)
    twin = _twin(site, tmp_path)
    for folder in (site, twin):
        _export(folder, lines)
    # A read that ended in a cut-off row did not move the cursor: that row is read now, whole.
    notes = _plan_notes(site)
    assert any(f"incremental (CSV): rows 11-{len(lines)}" in n for n in notes), notes
    _apply(site)
    _apply(twin, "--full")
    assert _published(site) == _published(twin)


def test_what_a_full_read_says_of_earlier_rows_is_said_after_an_incremental_one(site: Site) -> None:
    """Rows left out (a cell over the limit), blank rows and unreadable timestamps among the rows
    read before are counted and said as a full read says them."""
    lines = _lines(site)
    huge = "x" * 140_000
    odd = [
        "not a date,odd.time@example.org,Odile Tamar,,An individual,Yes,\n",
        ",,,,,,\n",
        f"12/02/2026 09:00:00,huge@example.org,{huge},,An individual,Yes,\n",
    ]
    _export(site, [*lines[:8], *odd, *lines[8:12]])
    _apply(site)
    _export(site, [*lines[:8], *odd, *lines[8:]])
    _said_as_by_a_full_read(site)
    out = run_cli("plan", "--no-diff", cwd=site)
    assert "row 11 left out" in out.out + out.err
    assert "1 timestamp(s) could not be read as dates" in out.out + out.err
