"""Files and keys: each situation a user meets as a named test through the CLI, as a user runs it.

Every file signsync reads may be wrong: the run ends in a correct result or in one line
`Error: ...` with the fix, exit 1, and no file changed.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.cli import BUG_MARKER_VAR, run
from tests.support.helpers import ROOT, copy_example, outside_markers, run_cli

KEY = "example-only-key-do-not-use-for-a-real-statement"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    copy_example(tmp_path)
    return tmp_path


def applied(site: Path) -> Path:
    """The example after a first apply: registry, state and page written."""
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    return site


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.endswith(".lock"):
            out[str(p.relative_to(folder))] = (p.read_bytes(), p.stat().st_mode)
    return out


def one_line_error(r, *parts: str) -> None:
    """Exit 1, one line `Error: ...` on stderr holding each of `parts`, no traceback."""
    assert r.code == 1, (r.code, r.err)
    # `apply --yes` shows the plan on stderr first; the error is then its last line
    assert r.err.splitlines()[-1].startswith("Error: ") and r.err.count("Error:") == 1, r.err
    assert "Traceback" not in r.err and "this is a bug" not in r.err
    for part in parts:
        assert part in r.err, (part, r.err)


def both_refuse(site: Path, *parts: str, env: dict[str, str] | None = None) -> None:
    """plan and apply each end in one line, and nothing in the folder changes."""
    before = snapshot(site)
    for command in (("plan",), ("apply", "--yes")):
        r = run_cli(*command, "--config", str(site / "signsync.toml"), env=env)
        one_line_error(r, *parts)
    assert snapshot(site) == before


def registry_rows(site: Path) -> list[dict[str, str]]:
    with open(site / "signatories.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def rewrite_registry(site: Path, edit) -> None:
    """Apply `edit` to the registry's rows (lists of cells, header first) and write it back."""
    path = site / "signatories.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(edit(rows))
    path.write_text(buf.getvalue(), encoding="utf-8")


# --- 1. the registry is checked, never trusted blindly ------------------------------------


def test_registry_without_its_affiliation_column_is_refused(site: Path) -> None:
    applied(site)
    col = registry_rows(site)[0].keys()
    drop = list(col).index("affiliation")
    rewrite_registry(site, lambda rows: [r[:drop] + r[drop + 1 :] for r in rows])
    both_refuse(site, "signatories.csv:1: the header row lacks affiliation")


def test_registry_row_cut_to_id_status_kind_is_refused(site: Path) -> None:
    applied(site)
    rewrite_registry(site, lambda rows: [*rows[:3], rows[3][:3], *rows[4:]])
    both_refuse(site, "signatories.csv:4: the row has 3 cells but the header has 18")


def test_registry_without_its_responses_column_is_refused(site: Path) -> None:
    applied(site)
    drop = list(registry_rows(site)[0].keys()).index("responses")
    rewrite_registry(site, lambda rows: [r[:drop] + r[drop + 1 :] for r in rows])
    both_refuse(site, "lacks responses")


def test_registry_saved_as_windows_1252_is_one_line_naming_utf8(site: Path) -> None:
    applied(site)
    path = site / "signatories.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", "replace"))
    both_refuse(site, "signatories.csv ([registry] path): not UTF-8", "save it again as UTF-8")


def test_registry_saved_by_a_spreadsheet_program_with_bom_and_crlf_reads(site: Path) -> None:
    applied(site)
    path = site / "signatories.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode())
    r = run_cli("plan", "--config", str(site / "signsync.toml"))
    assert r.code in (0, 2), r.err
    assert "0 new" in r.out and "Traceback" not in r.err


def test_registry_hash_turned_into_a_number_is_refused(site: Path) -> None:
    applied(site)
    col = list(registry_rows(site)[0].keys()).index("responses")
    rewrite_registry(
        site, lambda rows: [*rows[:2], [*rows[2][:col], "1.23457E+15", *rows[2][col + 1 :]], *rows[3:]]
    )
    both_refuse(site, "signatories.csv:3: column 11 (responses): '1.23457E+15'")


# --- 2. the hash key ------------------------------------------------------------------------


def test_changed_hash_key_is_an_error_before_anything_is_matched(site: Path) -> None:
    applied(site)
    state = (site / "signatories.state.json").read_text()
    assert KEY not in state and json.loads(state)["key_check"]
    both_refuse(
        site,
        "SIGNSYNC_HASH_KEY is not the key this registry was made with",
        env={"SIGNSYNC_HASH_KEY": "a-new-long-random-key"},
    )


def test_rekey_moves_the_registry_to_a_new_key(site: Path) -> None:
    applied(site)
    cfg = str(site / "signsync.toml")
    run_cli("review", "--config", cfg)
    before = registry_rows(site)
    env = {"SIGNSYNC_HASH_KEY": "a-new-long-random-key", "SIGNSYNC_OLD_HASH_KEY": KEY}
    r = run_cli("rekey", "--config", cfg, env=env)
    assert r.code == 0, r.err
    after = registry_rows(site)
    assert [(a["id"], a["name"], a["status"]) for a in after] == [
        (b["id"], b["name"], b["status"]) for b in before
    ]
    moved = [a["responses"] != b["responses"] for a, b in zip(after, before, strict=True) if b["responses"]]
    assert moved and all(moved)
    r = run_cli("plan", "--config", cfg, env={"SIGNSYNC_HASH_KEY": "a-new-long-random-key"})
    assert r.code == 0 and " 0 new, 0 merged" in r.out, r.out + r.err
    # the old key is refused now, and a wrong "old" key is refused by rekey
    one_line_error(run_cli("plan", "--config", cfg), "not the key this registry was made with")
    wrong = {"SIGNSYNC_HASH_KEY": "a-third-long-random-key", "SIGNSYNC_OLD_HASH_KEY": "not-it"}
    one_line_error(run_cli("rekey", "--config", cfg, env=wrong), "SIGNSYNC_OLD_HASH_KEY is not the key")


# --- 3. plans are bound to their config -----------------------------------------------------


def test_plan_applied_through_another_config_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    (b / "other").mkdir(parents=True)
    copy_example(a)
    copy_example(b / "other")
    r = run_cli("plan", "--out", str(tmp_path / "plan.json"), "--config", str(a / "signsync.toml"))
    assert r.code == 2, r.err
    before = snapshot(tmp_path)
    r = run_cli("apply", str(tmp_path / "plan.json"), "--config", str(b / "other" / "signsync.toml"))
    one_line_error(r, f"was made with the config {a / 'signsync.toml'}, not {b / 'other' / 'signsync.toml'}")
    assert snapshot(tmp_path) == before
    (a / "signsync.toml").write_text((a / "signsync.toml").read_text() + "\n# edited\n")
    r = run_cli("apply", str(tmp_path / "plan.json"), "--config", str(a / "signsync.toml"))
    one_line_error(r, "signsync.toml changed since")


# --- 4. bytes outside the markers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "transform", "encoding"),
    [
        ("crlf", lambda t: t.replace("\n", "\r\n"), "utf-8"),
        ("bom-crlf-no-final-newline", lambda t: "\ufeff" + t.replace("\n", "\r\n").rstrip("\r\n"), "utf-8"),
        ("mixed", lambda t: t.replace("</head>\n", "</head>\r\n").replace("<body>\n", "<body>\r"), "utf-8"),
        ("utf-16-le-bom", lambda t: "\ufeff" + t.replace("\n", "\r\n"), "utf-16-le"),
        ("utf-16-be-bom", lambda t: "\ufeff" + t, "utf-16-be"),
    ],
)
def test_page_bytes_outside_the_markers_are_kept(site: Path, name: str, transform, encoding: str) -> None:
    page = site / "statement.html"
    text = transform(page.read_text(encoding="utf-8"))
    page.write_bytes(text.encode(encoding))
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    after = page.read_bytes().decode(encoding)
    assert outside_markers(after) == outside_markers(text)
    assert "Amina Yusuf" in after
    start, end = after.index("signatories:start"), after.index("signatories:end")
    region = after[start:end]
    if "\r\n" in text and text.count("\r\n") * 2 > text.count("\n"):
        assert region.count("\n") == region.count("\r\n") > 5  # the page's own line ending
    else:
        assert "\r\n" not in region
    assert run_cli("plan", "--config", str(site / "signsync.toml")).code == 0


def test_page_resaved_with_crlf_after_apply_is_not_a_hand_edit(site: Path) -> None:
    applied(site)
    page = site / "statement.html"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    path = site / "responses.csv"
    path.write_text(
        path.read_text() + "11/29/2026 11:07:29 PM,late@example.org,Ingrid Halvorsen,,An individual,Yes,\n"
    )
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    assert "edited by hand" not in r.err
    after = page.read_bytes()
    assert b"Ingrid Halvorsen" in after and after.count(b"\n") == after.count(b"\r\n")


# --- 5. one line, never a traceback ---------------------------------------------------------


def test_page_not_utf8_is_one_line_in_plan_apply_and_doctor(site: Path) -> None:
    page = site / "statement.html"
    page.write_bytes(page.read_text(encoding="utf-8").replace("Statement", "Déclaration").encode("latin-1"))
    both_refuse(site, "statement.html ([page] path): not UTF-8")
    r = run_cli("doctor", "--config", str(site / "signsync.toml"))
    assert r.code == 1 and "not UTF-8" in r.out and "Traceback" not in r.out + r.err


def test_env_file_not_utf8_is_one_line(site: Path) -> None:
    (site / ".env").write_bytes(b"SIGNSYNC_HASH_KEY=k\xff\xfe\n")
    both_refuse(site, ".env (secrets for signsync): not UTF-8")


def test_watchlist_in_utf16_is_one_line(site: Path) -> None:
    (site / "watch.txt").write_text("Some Name\n", encoding="utf-16")
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text() + '\n[names]\nwatchlist = "watch.txt"\n')
    both_refuse(site, "watch.txt ([names] watchlist): not UTF-8", "it is UTF-16")


def test_source_path_is_a_folder(site: Path) -> None:
    (site / "responses.csv").unlink()
    (site / "responses.csv").mkdir()
    both_refuse(site, "responses.csv ([source] path) is a folder, not a file")


def test_config_path_is_a_folder(site: Path) -> None:
    (site / "signsync.toml").unlink()
    (site / "signsync.toml").mkdir()
    both_refuse(site, "signsync.toml is a folder")


def test_env_path_is_a_folder(site: Path) -> None:
    (site / ".env").unlink()
    (site / ".env").mkdir()
    both_refuse(site, ".env (secrets for signsync) is a folder, not a file")


def test_page_path_is_a_folder(site: Path) -> None:
    (site / "statement.html").unlink()
    (site / "statement.html").mkdir()
    both_refuse(site, "statement.html ([page] path) is a folder, not a file")


def test_read_only_page_is_refused_not_replaced(site: Path) -> None:
    page = site / "statement.html"
    page.chmod(0o444)
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    one_line_error(r, "statement.html is read-only (mode 444)", "chmod u+w")
    assert not (site / "signatories.csv").exists()
    assert "Amina" not in page.read_text()


@pytest.mark.skipif(IS_ROOT, reason="root writes into any folder whatever its mode: no way to deny it here")
def test_registry_folder_not_writable(tmp_path: Path) -> None:
    copy_example(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    cfg = tmp_path / "signsync.toml"
    cfg.write_text(cfg.read_text().replace('path = "signatories.csv"', 'path = "data/signatories.csv"'))
    data.chmod(0o555)
    try:
        before = snapshot(tmp_path)
        one_line_error(run_cli("apply", "--yes", "--config", str(cfg)), "data")
        assert snapshot(tmp_path) == before
    finally:
        data.chmod(0o755)


def test_the_last_resort_is_one_line_naming_a_bug(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """A real bug (here: a command that raises a plain RuntimeError) is one line with where to
    report it, exit 1. The suite-wide fixture asserts that no other run ever gets here."""
    import sync.operations.plan

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.delenv(BUG_MARKER_VAR, raising=False)
    monkeypatch.setattr(sync.operations.plan, "make_plan", broken)
    code = run(["plan", "--config", str(ROOT / "examples" / "signsync.toml")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Error: this is a bug in signsync (RuntimeError: boom)") and "report it" in err
    assert err.count("\n") == 1


# --- 6. timestamps --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "signed"),
    [
        ("11/29/2026 11:07:29 PM", "2026-11-29 23:07:29"),
        ("2026-11-29T14:03:00Z", "2026-11-29 14:03:00"),
        ("29/11/2026 11:07:29 p. m.", "2026-11-29 23:07:29"),
        ("2026/11/29 下午 11:07:29", "2026-11-29 23:07:29"),
    ],
)
def test_timestamps_are_read_whatever_the_clock(site: Path, typed: str, signed: str) -> None:
    path = site / "responses.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(f'{header}\n"{typed}",t@example.org,Tess Tamp,,An individual,Yes,\n', encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    assert "could not be read as dates" not in r.err
    (row,) = registry_rows(site)
    assert row["signed"] == signed


def test_unreadable_timestamps_are_kept_and_counted_once(site: Path) -> None:
    path = site / "responses.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    rows = "".join(f"sometime {i},t{i}@example.org,Tess Tamp{i},,An individual,Yes,\n" for i in range(3))
    path.write_text(f"{header}\n{rows}", encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    assert r.err.count("could not be read as dates") == 1 and "3 timestamp(s)" in r.err
    assert sorted(row["signed"] for row in registry_rows(site)) == [f"sometime {i}" for i in range(3)]


# --- 7. CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_exports_read_like_commas(tmp_path: Path, separator: str) -> None:
    plain, other = tmp_path / "plain", tmp_path / "other"
    plain.mkdir()
    other.mkdir()
    copy_example(plain)
    copy_example(other)
    with open(plain / "responses.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with open(other / "responses.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=separator, lineterminator="\r\n").writerows(rows)
    for folder in (plain, other):
        assert run_cli("apply", "--yes", "--config", str(folder / "signsync.toml")).code == 0
    assert (plain / "statement.html").read_bytes() == (other / "statement.html").read_bytes()
    assert (plain / "signatories.csv").read_bytes() == (other / "signatories.csv").read_bytes()


def test_a_cell_over_the_limit_rejects_its_row_not_the_run(site: Path) -> None:
    path = site / "responses.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(",Yes,", ",Yes," + "x" * 200_000, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    assert "row 4 left out: its cell in 'Notes (editors)' holds 200,000 characters" in r.err
    page = (site / "statement.html").read_text()
    assert "Amina Yusuf" in page and "José García" not in page  # row 4 is José's


def test_responses_cut_off_mid_row_leave_that_row_out(site: Path) -> None:
    """A later response cut off before its consent cell must not read as "consent withdrawn"."""
    applied(site)
    path = site / "responses.csv"
    full = path.read_text(encoding="utf-8")
    path.write_text(full + "11/29/2026 10:00:00,mkowalski@example.pl,Marta Kowalska,Resea", encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 0, r.err
    assert "left out: it has 4 of 7 cells and the file ends there" in r.err
    assert "Marta Kowalska" in (site / "statement.html").read_text()


# --- 9. output, Ctrl-C, config ------------------------------------------------------------


def test_plan_on_many_rows_lists_a_screenful_per_section(site: Path) -> None:
    path = site / "responses.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    rows = "".join(
        f"11/20/2026 10:00:00,p{i}@example.org,Person Number{i},,An individual,Yes,\n" for i in range(3000)
    )
    path.write_text(f"{header}\n{rows}", encoding="utf-8")
    cfg = str(site / "signsync.toml")
    r = run_cli("plan", "--config", cfg)
    assert r.code == 2, r.err
    assert len(r.out.splitlines()) < 200
    assert "... and 2,980 more entries; --json or --all for every entry" in r.out
    everything = run_cli("plan", "--all", "--config", cfg)
    assert everything.out.count("Person Number") >= 3000 * 2  # the list and the diffs


def test_same_column_for_two_fields_is_a_config_error(site: Path) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(
        cfg.read_text().replace(
            'affiliation = "Title and organization (optional)"', 'affiliation = "Full name"'
        )
    )
    both_refuse(site, "[columns] name and affiliation both name the column 'Full name'")


def test_as_an_individual_not_my_organization_is_an_individual(site: Path) -> None:
    path = site / "responses.csv"
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    path.write_text(
        f'{header}\n11/20/2026 10:00:00,i@example.org,Ida Indy,"Director, Big Org",'
        '"As an individual (not my organization)",Yes,\n'
        '11/20/2026 10:01:00,o@example.org,Otto Org,,"Au nom de mon organisation",Yes,\n',
        encoding="utf-8",
    )
    assert run_cli("apply", "--yes", "--config", str(site / "signsync.toml")).code == 0
    kinds = {row["name"]: row["kind"] for row in registry_rows(site)}
    assert kinds == {"Ida Indy": "individual", "Otto Org": "organization"}


def _wait_for(proc: subprocess.Popen, text: str, timeout: float = 60) -> str:
    assert proc.stderr is not None
    seen = ""
    decoder = codecs.getincrementaldecoder("utf-8")()  # a read may end inside a character
    deadline = time.monotonic() + timeout
    while text not in seen and time.monotonic() < deadline:
        raw = os.read(proc.stderr.fileno(), 4096)
        if not raw:
            break
        seen += decoder.decode(raw)
    return seen


def _ctrl_c_as_from_a_terminal() -> None:
    """In the child before it starts: Ctrl-C handled as a terminal's shell leaves it. A test run
    started as a background job of a script (`pytest &`) inherits SIGINT ignored, and Python then
    turns no Ctrl-C into KeyboardInterrupt: the prompt read the end of input instead (exit 1)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_at_the_prompt_is_interrupted_130_and_nothing_written(site: Path) -> None:
    before = snapshot(site)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync", "apply", "--config", str(site / "signsync.toml")],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        preexec_fn=_ctrl_c_as_from_a_terminal,
    )
    seen = _wait_for(proc, "Apply these changes?")
    assert "Apply these changes?" in seen
    proc.send_signal(signal.SIGINT)
    rest = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 130, seen + rest
    assert "Interrupted" in rest and "Traceback" not in rest and "Aborted" not in rest
    assert snapshot(site) == before


def test_ctrl_c_while_writing_finishes_the_set_of_files_then_exits_130(site: Path) -> None:
    """SIGINT at the first write step (the state's "writing" record): the interrupt waits
    until page, registry and state are all written, so no file is half of a run."""
    env = {"SIGNSYNC_TEST_CRASH_AT": "1", "SIGNSYNC_TEST_CRASH_SIGNAL": "SIGINT"}
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"), env=env, process=True)
    assert r.code == 130, r.err
    assert "Interrupted" in r.err and "Traceback" not in r.err
    assert "Amina Yusuf" in (site / "statement.html").read_text()
    assert run_cli("plan", "--config", str(site / "signsync.toml")).code == 0


# --- 8. the sheet's header is checked on every run ------------------------------------------


def test_renamed_question_is_noticed_on_a_run_with_nothing_new(
    tmp_path: Path, sheets_emulator, service_account
) -> None:
    from tests.integration.test_sheet_cli import KEY as SHEET
    from tests.integration.test_sheet_cli import sheet_site
    from tests.support.helpers import EXAMPLES

    sheet = sheets_emulator.load_csv(SHEET, EXAMPLES / "responses.csv")
    env = {"GOOGLE_APPLICATION_CREDENTIALS": str(service_account.path)}
    cfg = sheet_site(tmp_path, sheets_emulator)
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 0 and "nothing new" in r.out
    with sheets_emulator.lock:
        sheet.sheet().set_cell(1, 3, "Your full name")
    before = snapshot(tmp_path)
    r = run_cli("plan", "--config", str(cfg), env=env)
    one_line_error(r, "no column 'Full name' for [columns] name; closest is 'Your full name'")
    assert snapshot(tmp_path) == before


def test_utf16_page_is_read_by_doctor_plan_and_apply(site: Path) -> None:
    page = site / "statement.html"
    page.write_bytes(page.read_text(encoding="utf-8").encode("utf-16"))
    cfg = str(site / "signsync.toml")
    r = run_cli("doctor", "--config", cfg)
    assert "statement.html holds one marker pair" in r.out and "Traceback" not in r.out + r.err
    assert run_cli("apply", "--yes", "--config", cfg).code == 0
    assert page.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    assert "Amina Yusuf" in page.read_bytes().decode("utf-16")


# --- the rules behind items 6 and 9, table-driven ------------------------------------------


@pytest.mark.parametrize(
    ("raw", "day_first", "zone", "expected"),
    [
        ("11/29/2026 11:07:29 PM", False, None, "2026-11-29 23:07:29"),
        ("11/29/2026 12:07:29 AM", False, None, "2026-11-29 00:07:29"),
        ("11/29/2026 12:07:29 PM", False, None, "2026-11-29 12:07:29"),
        ("11/29/2026 11:07:29\u202fpm", False, None, "2026-11-29 23:07:29"),
        ("29/11/2026 11:07:29 p. m.", True, None, "2026-11-29 23:07:29"),
        ("29/11/2026 11:07:29 a.m.", True, None, "2026-11-29 11:07:29"),
        ("2026/11/29 下午 11:07:29", False, None, "2026-11-29 23:07:29"),
        ("2026/11/29 午後11:07:29", False, None, "2026-11-29 23:07:29"),
        ("2026. 11. 29. 오후 11:07:29", False, None, "2026-11-29 23:07:29"),
        ("29/11/2026 11:07:29 م", True, None, "2026-11-29 23:07:29"),
        ("29/11/2026 23.07.17", True, None, "2026-11-29 23:07:17"),
        ("29.11.2026 23:07:29", True, None, "2026-11-29 23:07:29"),
        ("29-11-2026 23:07:29", True, None, "2026-11-29 23:07:29"),
        ("2022/06/22 11:07:29 PM AST", False, None, "2022-06-22 23:07:29"),
        ("2026-11-29T14:03:00Z", False, None, "2026-11-29 14:03:00"),
        ("2026-11-29T14:03:00Z", False, "Europe/Berlin", "2026-11-29 15:03:00"),
        ("2026-11-29T14:03:00+05:30", False, None, "2026-11-29 08:33:00"),
        ("2026-11-29 14:03:00", False, "Europe/Berlin", "2026-11-29 14:03:00"),
        ("11/29/2026 13:07:29 PM", False, None, None),
        ("31/02/2026 10:00:00", True, None, None),
        ("soon", False, None, None),
    ],
)
def test_timestamps_in_forms_locales(
    raw: str, day_first: bool, zone: str | None, expected: str | None
) -> None:
    from sync.intake.responses import parse_timestamp

    stamp = parse_timestamp(raw, day_first, zone)
    assert (stamp.isoformat(sep=" ") if stamp else None) == expected


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (["11/29/2026 10:00:00", "03/04/2026 10:00:00"], False),
        (["29/11/2026 10:00:00", "03/04/2026 10:00:00"], True),
        (["03.04.2026 10:00:00"], True),
        (["03/04/2026 10:00:00"], False),
        (["29/11/2026", "30/11/2026", "11/13/2026"], True),
    ],
)
def test_day_first_from_the_data(samples: list[str], expected: bool) -> None:
    from sync.intake.responses import day_first_for

    assert day_first_for(None, samples) is expected


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("As an individual (not my organization)", "individual"),
        ("Individual, not representing any organisation", "individual"),
        ("As myself, not on behalf of my employer", "individual"),
        ("On behalf of my organization", "organization"),
        ("Organization (not as an individual)", "organization"),
        ("Non-profit organization", "organization"),
        ("Als Einzelperson", "individual"),
        ("Im Namen meiner Organisation", "organization"),
        ("À titre personnel", "individual"),
        ("Au nom de mon organisation", "organization"),
        ("Persona física", "individual"),
        ("Persona jurídica", "organization"),
        ("Em nome de uma organização", "organization"),
        ("Как частное лицо", "individual"),
        ("От имени организации", "organization"),
        ("個人として", "individual"),
        ("団体として", "organization"),
        ("Kuruluş değil, bireysel", "individual"),
        ("An individual", "individual"),
        ("An organization", "organization"),
    ],
)
def test_kind_answers_in_forms_languages(answer: str, kind: str) -> None:
    from sync.names.signing_as import kind_from_answer

    assert kind_from_answer(answer) == (kind, True)
