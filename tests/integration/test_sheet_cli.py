"""`signsync plan/apply/doctor` with `[source] kind = "sheet"`: the real gspread and google-auth
over HTTP to the local Sheets API emulator, through the CLI as a user runs it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.support.helpers import EXAMPLES, copy_example, run_cli
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.sheets_plugin import ServiceAccount

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH"


def sheet_site(folder: Path, emulator: SheetsEmulator, extra: str = "") -> Path:
    """A copy of the example whose config reads the emulated sheet instead of the CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    cfg = copy_example(folder)
    text = cfg.read_text().replace(
        '[source]\nkind = "csv"\npath = "responses.csv"\n',
        f'[source]\nkind = "sheet"\nspreadsheet = "https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"\n'
        f'api_endpoint = "{emulator.url}"\n{extra or "max_retry_seconds = 20"}\n',
    )
    cfg.write_text(text)
    (folder / "responses.csv").unlink()
    return cfg


@pytest.fixture()
def env(service_account: ServiceAccount) -> dict[str, str]:
    return {"GOOGLE_APPLICATION_CREDENTIALS": str(service_account.path)}


@pytest.fixture()
def sheet(sheets_emulator: SheetsEmulator):
    return sheets_emulator.load_csv(KEY, EXAMPLES / "responses.csv")


def test_sheet_gives_the_same_registry_and_page_as_the_csv(
    tmp_path: Path, sheets_emulator: SheetsEmulator, sheet, env: dict[str, str]
) -> None:
    csv_site = tmp_path / "csv"
    csv_site.mkdir()
    assert run_cli("apply", "--yes", "--config", str(copy_example(csv_site))).code == 0
    cfg = sheet_site(tmp_path / "sheet", sheets_emulator)
    sheets_emulator.clear_log()
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    for name in ("signatories.csv", "statement.html"):
        assert (cfg.parent / name).read_text() == (csv_site / name).read_text(), name
    kinds = [q.kind for q in sheets_emulator.requests()]
    assert kinds == ["token", "metadata", "values"], kinds


def test_incremental_runs_and_a_deleted_row(
    tmp_path: Path, sheets_emulator: SheetsEmulator, sheet, env: dict[str, str]
) -> None:
    cfg = sheet_site(tmp_path, sheets_emulator)
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    # nothing new: a second plan reads only the overlap and changes nothing
    sheets_emulator.clear_log()
    r = run_cli("plan", "--json", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert len(sheets_emulator.requests()) <= 3
    # two new responses arrive: only they and the overlap are read
    with sheets_emulator.lock:
        sheet.sheet().append_rows(
            [
                ["11/23/2026 10:00:00", "new1@example.com", "Nadia Haddad", "Poet", "An individual", "Yes"],
                ["11/23/2026 10:05:00", "new2@example.com", "Omar Farouk", "", "An individual", "Yes"],
            ]
        )
    sheets_emulator.clear_log()
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 2, r.err
    assert "note: read " in r.out and "incremental" in r.out
    doc = json.loads(run_cli("plan", "--json", "--config", str(cfg), env=env).out)
    assert doc["summary"]["new"] == 2 and doc["summary"]["responses"] < 20
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    # an editor deletes a spam row above the cursor: full read, nothing lost or doubled
    with sheets_emulator.lock:
        sheet.sheet().delete_rows(8)
    r = run_cli("plan", "--json", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["summary"]["unchanged"] == doc["summary"]["responses"] == 32
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert "full read" in r.out


def test_burst_of_429s_waits_and_succeeds(
    tmp_path: Path, sheets_emulator: SheetsEmulator, sheet, env: dict[str, str]
) -> None:
    cfg = sheet_site(tmp_path, sheets_emulator)
    sheets_emulator.fail_next("values", "429", times=2)
    sheets_emulator.fail_next("metadata", "429-retry-after", times=1, retry_after=1)
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert '<span dir="auto">Ben Chacko</span>' in (tmp_path / "statement.html").read_text()


@pytest.mark.slow  # waits out the whole retry budget
def test_permanent_outage_fails_in_time_with_one_line_and_no_file_changed(
    tmp_path: Path, sheets_emulator: SheetsEmulator, sheet, env: dict[str, str]
) -> None:
    cfg = sheet_site(tmp_path, sheets_emulator)
    page_before = (tmp_path / "statement.html").read_bytes()
    sheets_emulator.fail_next("metadata", "503", times=1000)
    started = time.monotonic()
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    elapsed = time.monotonic() - started
    assert r.code == 1
    assert r.err.startswith("Error: ") and r.err.count("\n") == 1, r.err
    assert elapsed < 20 + 10  # max_retry_seconds plus start-up
    assert (tmp_path / "statement.html").read_bytes() == page_before
    assert not (tmp_path / "signatories.csv").exists()


def test_doctor_with_the_sheet(
    tmp_path: Path,
    sheets_emulator: SheetsEmulator,
    sheet,
    env: dict[str, str],
    service_account: ServiceAccount,
) -> None:
    cfg = sheet_site(tmp_path, sheets_emulator)
    r = run_cli("doctor", "--config", str(cfg), env=env)
    assert r.code == 0, r.out + r.err
    assert [ln.split(":")[0] for ln in r.out.splitlines() if not ln.startswith("     ")] == [
        "ok   config",
        "ok   hash key",
        "ok   credentials",
        "ok   token",
        "ok   spreadsheet",
        "ok   worksheet",
        "ok   header row",
        "ok   columns",
        "ok   consent",
        "ok   registry",
        "ok   public repository",
        "ok   github workflow",
        "ok   page",
        "ok   section",
    ]
    sheets_emulator.unshare(KEY, service_account.client_email)
    r = run_cli("doctor", "--config", str(cfg), env=env)
    assert r.code == 1
    assert f"share the sheet with {service_account.client_email} as Viewer" in r.out
    assert "PRIVATE KEY" not in r.out + r.err


def test_renamed_question_in_the_sheet_is_a_clear_error(
    tmp_path: Path, sheets_emulator: SheetsEmulator, sheet, env: dict[str, str]
) -> None:
    cfg = sheet_site(tmp_path, sheets_emulator)
    with sheets_emulator.lock:
        sheet.sheet().set_cell(1, 3, "Your full name")
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 1
    assert "no column 'Full name' for [columns] name; closest is 'Your full name'" in r.err


def test_full_read_sees_an_edit_above_the_overlap(
    tmp_path: Path, sheets_emulator: SheetsEmulator, sheet, env: dict[str, str]
) -> None:
    cfg = sheet_site(tmp_path, sheets_emulator)
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    with sheets_emulator.lock:  # the signer of row 3 corrects their name in the sheet
        sheet.sheet().set_cell(3, 3, "Benjamin Chacko")
    r = run_cli("plan", "--json", "--config", str(cfg), env=env)
    assert r.code == 0  # an incremental read re-checks only the last rows
    r = run_cli("plan", "--json", "--full", "--config", str(cfg), env=env)
    assert r.code == 2
    changes = json.loads(r.out)["changes"]
    # same email: merged; the signer's latest spelling replaces the earlier one
    assert [(c["action"], c["name"]) for c in changes] == [("merge", "Benjamin Chacko")]
    assert "spelling changed by the signer: 'Ben Chacko' -> 'Benjamin Chacko'" in changes[0]["reason"]


# --- the fault matrix through the CLI: every call x every fault ---------------------------

CALLS = ("token", "metadata", "values")
FAULTS = ("429", "429-retry-after", "500", "503", "slow", "reset", "malformed", "invalid_grant")
CLI_MATRIX: dict[tuple[str, str], str] = {}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith(".lock")}


@pytest.mark.slow  # 24 cases, ~2 minutes: the default run keeps test_burst_of_429s_waits_and_succeeds
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("call", CALLS)
def test_cli_fault_matrix(
    call: str, fault: str, tmp_path: Path, sheets_emulator: SheetsEmulator, sheet, env: dict[str, str]
) -> None:
    """A fault that never ends at one call: `apply` exits 1 with one line and changes no file;
    once the fault clears, a rerun converges to what a clean run writes. A fault that
    clears after two tries: the run succeeds after bounded retries."""
    if fault == "invalid_grant" and call != "token":
        pytest.skip("invalid_grant is the token endpoint's answer only")
    limits = "max_attempts = 2\ntimeout_seconds = 1\nmax_retry_seconds = 8\n"
    clean = sheet_site(tmp_path / "clean", sheets_emulator, limits)
    assert run_cli("apply", "--yes", "--config", str(clean), env=env).code == 0
    site = sheet_site(tmp_path / "site", sheets_emulator, limits)
    before = _files(site.parent)

    sheets_emulator.fail_next(call, fault, times=1000, delay=3)
    r = run_cli("apply", "--yes", "--config", str(site), env=env)
    sheets_emulator.clear_faults()
    assert r.code == 1, r.err
    assert r.err.startswith("Error: ") and r.err.count("\n") == 1, r.err
    assert _files(site.parent) == before

    r = run_cli("apply", "--yes", "--config", str(site), env=env)
    assert r.code == 0, r.err
    for name in ("signatories.csv", "statement.html"):
        assert (site.parent / name).read_bytes() == (clean.parent / name).read_bytes()

    if fault != "invalid_grant":  # a passing fault: bounded retries, then success
        fresh = sheet_site(tmp_path / "passing", sheets_emulator, limits.replace("= 2", "= 3"))
        sheets_emulator.fail_next(call, fault, times=2, delay=3)
        r = run_cli("apply", "--yes", "--config", str(fresh), env=env)
        sheets_emulator.clear_faults()
        assert r.code == 0, r.err
        outcome = "retried, then ok"
    else:
        outcome = "no retry (refused key)"
    CLI_MATRIX[(call, fault)] = f"exit 1, no file changed; rerun converges; passing fault: {outcome}"
    from tests.support.sheets_plugin import REPORT_TABLES

    REPORT_TABLES["CLI fault matrix (signsync apply --yes)"] = [
        f"{c:<9} {f:<16} {v}" for (c, f), v in sorted(CLI_MATRIX.items())
    ]


def test_no_secret_or_email_in_any_output(
    tmp_path: Path,
    sheets_emulator: SheetsEmulator,
    sheet,
    env: dict[str, str],
    service_account: ServiceAccount,
) -> None:
    """The whole sheet pipeline, every output grepped for the service account's private key
    (and its other secret fields) and for every signer's email address."""
    from tests.support.leaks import assert_no_secrets, email_forms, read_outputs

    cfg = sheet_site(tmp_path, sheets_emulator)
    texts: dict[str, str] = {}
    runs = {
        "doctor": ("doctor",),
        "plan": ("plan",),
        "plan-json": ("plan", "--json"),
        "plan-markdown": ("plan", "--format", "markdown", "--out", str(tmp_path / "plan.json")),
        "plan-html": ("plan", "--format", "html"),
        "apply-planfile": ("apply", str(tmp_path / "plan.json")),
        "review": ("review", "--all"),
    }
    for label, args in runs.items():
        r = run_cli(*args, "--config", str(cfg), env=env)
        assert r.code in (0, 2), (label, r.err)
        texts[f"{label}:stdout"], texts[f"{label}:stderr"] = r.out, r.err
    sheets_emulator.fail_next("metadata", "403", times=1000)
    r = run_cli("plan", "--config", str(cfg), env=env)
    texts["403:stderr"] = r.err
    sheets_emulator.clear_faults()
    texts.update(read_outputs(tmp_path, inputs=()))
    key_lines = [ln for ln in service_account.private_key_pem.splitlines() if "PRIVATE KEY" not in ln]
    secrets = set(key_lines) | {service_account.info["private_key_id"]}
    import csv as csv_module

    with open(EXAMPLES / "responses.csv", encoding="utf-8") as f:
        for row in csv_module.DictReader(f):
            if "@" in (row["Email Address"] or ""):
                secrets |= email_forms(row["Email Address"])
    assert_no_secrets(texts, secrets)
