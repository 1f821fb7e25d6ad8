"""The whole pipeline through the CLI, on real files in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.helpers import copy_example, outside_markers, run_cli


def plan_json(site: Path) -> dict:
    r = run_cli("plan", "--json", "--config", str(site / "signsync.toml"))
    assert r.code in (0, 2), r.err
    return json.loads(r.out)


def append_rows(site: Path, *rows: str) -> None:
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        for row in rows:
            f.write(row + "\n")


def test_plan_accounts_for_every_response_and_writes_nothing(site: Path) -> None:
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    doc = plan_json(site)
    s = doc["summary"]
    assert set(s) == {"responses", "new", "merged", "held", "rejected", "unchanged"}
    # 32 data lines in the example: one blank (skipped), one with only a timestamp
    assert s["responses"] == 31
    assert s["responses"] == s["new"] + s["merged"] + s["held"] + s["rejected"] + s["unchanged"]
    accounted = [fp for c in doc["changes"] for fp in c["responses"]]
    assert len(accounted) == len(set(accounted)) == 31
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    assert {f["path"] for f in doc["files"]} == {"statement.html", "signatories.csv"}
    for sig in doc["signatories"]:
        assert set(sig) >= {"id", "name", "affiliation", "kind", "status", "flags", "responses"}


def test_plan_exit_codes_and_text(site: Path) -> None:
    r = run_cli("plan", "--config", str(site / "signsync.toml"))
    assert r.code == 2
    assert "31 responses read" in r.out
    assert "+++ b/statement.html" in r.out
    assert "rejected (6):" in r.out and "placeholder or comment, not a name" in r.out


def test_exit_statuses_end_to_end_in_a_real_process(site: Path) -> None:
    """The interpreter's own exit status, as cron or CI sees it (the other tests run the CLI in
    this process): 2 changes pending, 0 done and nothing to do, 1 a one-line error."""
    cfg = str(site / "signsync.toml")
    assert run_cli("plan", "--config", cfg, process=True).code == 2
    assert run_cli("apply", "--yes", "--config", cfg, process=True).code == 0
    assert run_cli("plan", "--config", cfg, process=True).code == 0
    (site / "statement.html").write_text("no markers here\n", encoding="utf-8")
    r = run_cli("plan", "--config", cfg, process=True)
    assert r.code == 1
    assert r.err.startswith("Error: ") and r.err.count("\n") == 1 and "Traceback" not in r.err


def test_apply_then_plan_is_a_no_op_and_outside_markers_untouched(site: Path) -> None:
    cfg = str(site / "signsync.toml")
    page_before = (site / "statement.html").read_text(encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", cfg)
    assert r.code == 0, r.err
    page_after = (site / "statement.html").read_text(encoding="utf-8")
    assert page_after != page_before
    assert outside_markers(page_after) == outside_markers(page_before)
    assert '<span dir="auto">Ben Chacko</span>' in page_after
    snapshot = {p.name: p.read_bytes() for p in site.iterdir()}
    r = run_cli("plan", "--config", cfg)
    assert r.code == 0, r.out + r.err
    assert "Nothing to change." in r.out
    r = run_cli("apply", "--yes", "--config", cfg)
    assert r.code == 0
    assert {p.name: p.read_bytes() for p in site.iterdir() if p.suffix != ".lock"} == {
        k: v for k, v in snapshot.items() if not k.endswith(".lock")
    }


def test_no_email_address_is_written(site: Path) -> None:
    run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    emails = [line.split(",")[1] for line in (site / "responses.csv").read_text().splitlines()[1:]]
    written = (site / "signatories.csv").read_text() + (site / "statement.html").read_text()
    for email in filter(lambda e: "@" in e, emails):
        assert email.lower() not in written.lower()


def test_saved_plan_is_applied_exactly_and_later_rows_wait(site: Path) -> None:
    cfg = str(site / "signsync.toml")
    planfile = site / "plan.json"
    r = run_cli("plan", "--out", str(planfile), "--config", cfg)
    assert r.code == 2
    append_rows(site, "11/23/2026 10:00:00,late@example.com,Late Signer,,An individual,Yes,")
    r = run_cli("apply", str(planfile), "--config", cfg)
    assert r.code == 0, r.err
    assert "Late Signer" not in (site / "signatories.csv").read_text()
    doc = plan_json(site)
    assert doc["summary"]["new"] == 1 and doc["summary"]["unchanged"] == 31
    assert [c["name"] for c in doc["changes"]] == ["Late Signer"]


def test_stale_plan_is_refused(site: Path) -> None:
    cfg = str(site / "signsync.toml")
    run_cli("apply", "--yes", "--config", cfg)
    append_rows(site, "11/23/2026 10:00:00,late@example.com,Late Signer,,An individual,Yes,")
    planfile = site / "plan.json"
    assert run_cli("plan", "--out", str(planfile), "--config", cfg).code == 2
    registry = site / "signatories.csv"
    registry.write_text(registry.read_text().replace("Ben Chacko", "Benjamin Chacko"))
    r = run_cli("apply", str(planfile), "--config", cfg)
    assert r.code == 1
    assert r.err.strip() == (
        "Error: signatories.csv changed since the plan was made: run `signsync plan` again"
    )
    assert "Late Signer" not in registry.read_text()


def test_hand_edits_to_the_registry_survive_reruns(site: Path) -> None:
    cfg = str(site / "signsync.toml")
    run_cli("apply", "--yes", "--config", cfg)
    registry = site / "signatories.csv"
    text = registry.read_text(encoding="utf-8")
    # an editor corrects a spelling and hides an entry
    text = text.replace(",Ben Chacko,", ",Benjamin Chacko,")
    lines = text.splitlines(keepends=True)
    lines = [ln.replace(",published,", ",withdrawn,", 1) if "Thi Nguyen" in ln else ln for ln in lines]
    registry.write_text("".join(lines), encoding="utf-8")
    # the same people sign again
    append_rows(
        site,
        "11/24/2026 09:00:00,ben.chacko@example.net,BEN CHACKO,,An individual,Yes,",
        "11/24/2026 09:05:00,t.nguyen@example.vn,Thi Nguyen,,An individual,Yes,",
    )
    r = run_cli("apply", "--yes", "--config", cfg)
    assert r.code == 0, r.err
    page = (site / "statement.html").read_text(encoding="utf-8")
    assert (
        '<span dir="auto">Benjamin Chacko</span>' in page and '<span dir="auto">Ben Chacko</span>' not in page
    )
    assert "Thi Nguyen" not in page
    reg = registry.read_text(encoding="utf-8")
    assert "Benjamin Chacko" in reg and ",Ben Chacko," not in reg
    assert run_cli("plan", "--config", cfg).code == 0


def test_hand_edit_inside_markers_is_refused_without_force(site: Path) -> None:
    cfg = str(site / "signsync.toml")
    run_cli("apply", "--yes", "--config", cfg)
    page = site / "statement.html"
    page.write_text(
        page.read_text().replace(
            '<span dir="auto">Ben Chacko</span>', '<span dir="auto">Ben Chacko</span> (hand)'
        )
    )
    append_rows(site, "11/23/2026 10:00:00,late@example.com,Late Signer,,An individual,Yes,")
    r = run_cli("plan", "--config", cfg)
    assert r.code == 2 and "edited by hand" in r.out
    r = run_cli("apply", "--yes", "--config", cfg)
    assert r.code == 1 and "edited by hand" in r.err and "--force" in r.err
    assert "(hand)" in page.read_text()
    r = run_cli("apply", "--yes", "--force", "--config", cfg)
    assert r.code == 0, r.err
    assert "(hand)" not in page.read_text() and "Late Signer" in page.read_text()


def test_missing_column_names_headers_and_closest(site: Path) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text().replace('name = "Full name"', 'name = "Full names"'))
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1
    assert r.err.startswith(
        "Error: responses.csv: no column 'Full names' for [columns] name; closest is 'Full name'."
    )
    assert "Headers found: 'Timestamp', 'Email Address', 'Full name'" in r.err


def test_markers_must_be_exactly_one_pair(site: Path) -> None:
    page = site / "statement.html"
    page.write_text(page.read_text().replace("<!-- signatories:end -->", ""))
    r = run_cli("plan", "--config", str(site / "signsync.toml"))
    assert r.code == 1
    assert (
        "needs exactly one '<!-- signatories:start -->' and one '<!-- signatories:end -->' (found 1 and 0)"
    ) in r.err


def test_config_mistakes_name_file_key_and_fix(site: Path) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text().replace("[registry]\npath", "[registry]\npaht"))
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1
    assert r.err.strip() == (
        f"Error: {cfg}: unknown key 'paht' in [registry] (did you mean 'path'?); known keys: path, shard_rows"
    )


def test_missing_hash_key_says_how_to_make_one(site: Path) -> None:
    (site / ".env").unlink()
    r = run_cli("plan", "--config", str(site / "signsync.toml"), env={"SIGNSYNC_HASH_KEY": ""})
    assert r.code == 1
    assert "SIGNSYNC_HASH_KEY is not set" in r.err and "secrets.token_hex" in r.err


def test_missing_config_file(tmp_path: Path) -> None:
    r = run_cli("plan", cwd=tmp_path)
    assert r.code == 1
    assert r.err.strip() == (
        "Error: no config file at signsync.toml: copy config.example.toml to signsync.toml "
        "and edit it, or name one with --config PATH"
    )


def test_markdown_page(site: Path) -> None:
    (site / "statement.md").write_text(
        "# Statement\n\nWe affirm.\n\n<!-- signatories:start -->\n<!-- signatories:end -->\n\nEnd.\n"
    )
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text().replace('path = "statement.html"', 'path = "statement.md"'))
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    page = (site / "statement.md").read_text()
    assert "\n- Ben Chacko (Editor, Morning Star)\n" in page
    assert page.startswith("# Statement\n\nWe affirm.\n\n<!-- signatories:start -->\n")
    assert page.endswith("<!-- signatories:end -->\n\nEnd.\n")
    assert run_cli("plan", "--config", str(cfg)).code == 0


def test_forms_download_csv_flavour(tmp_path: Path) -> None:
    """The Form's own "Download responses (.csv)": 12-hour times with a zone, ';' checkboxes."""
    copy_example(tmp_path)
    (tmp_path / "responses.csv").write_text(
        '"Timestamp","Email Address","Full name","Title and organization (optional)",'
        '"Signing as","I agree that my name may be published","Topics"\n'
        '"2022/06/22 11:07:29 AM AST","a@example.com","Ada Lovelace","","An individual",'
        '"Yes","x;y"\n'
        '"2022/06/22 1:07:29 PM AST","b@example.com","Grace Hopper","Navy","An individual",'
        '"Yes","x"\n',
        encoding="utf-8",
    )
    assert run_cli("apply", "--yes", "--config", str(tmp_path / "signsync.toml")).code == 0
    reg = (tmp_path / "signatories.csv").read_text()
    assert "2022-06-22 11:07:29" in reg and "2022-06-22 13:07:29" in reg


def test_bad_utf8_is_a_clear_error_and_changes_nothing(site: Path) -> None:
    (site / "responses.csv").write_bytes(b"Timestamp,Full name\n1/1/2026 10:00:00,Jos\xe9\n")
    before = (site / "statement.html").read_bytes()
    r = run_cli("apply", "--yes", "--config", str(site / "signsync.toml"))
    assert r.code == 1
    assert "not UTF-8" in r.err and "save it again as UTF-8" in r.err
    assert (site / "statement.html").read_bytes() == before
    assert not (site / "signatories.csv").exists()


def test_a_run_with_nothing_new_skips_the_work_but_sees_every_change(site: Path) -> None:
    """After apply, a rerun with nothing new takes the short path; any change to the registry,
    the config, the page or the responses takes the full one."""
    cfg = str(site / "signsync.toml")
    assert run_cli("apply", "--yes", "--config", cfg).code == 0
    quiet = "note: nothing new, and nothing changed since the last apply"
    r = run_cli("plan", "--config", cfg)
    assert r.code == 0 and quiet in r.out
    page = site / "statement.html"
    page.write_text(page.read_text().replace("<p><small>", "<p><small>Updated. "))
    r = run_cli("plan", "--config", cfg)
    assert r.code == 0 and quiet not in r.out  # full path: the change is outside the markers
    registry = site / "signatories.csv"
    registry.write_text(registry.read_text().replace(",Ben Chacko,", ",Benjamin Chacko,"))
    r = run_cli("plan", "--config", cfg)
    assert r.code == 2 and quiet not in r.out and '+<li><span dir="auto">Benjamin Chacko</span>' in r.out
    assert run_cli("apply", "--yes", "--config", cfg).code == 0
    assert quiet in run_cli("plan", "--config", cfg).out
    config = site / "signsync.toml"
    config.write_text(config.read_text() + '\n[names]\npolicy = "review"\n')
    assert quiet not in run_cli("plan", "--config", cfg).out


def test_the_short_path_still_accounts_for_every_response(site: Path) -> None:
    cfg = str(site / "signsync.toml")
    assert run_cli("apply", "--yes", "--config", cfg).code == 0
    r = run_cli("plan", "--config", cfg)
    assert r.out.startswith(
        "31 responses read: 0 new, 0 merged, 0 held for review, 0 rejected, "
        "31 unchanged (1 blank rows skipped)\n"
    )
    assert "nothing new, and nothing changed since the last apply" in r.out
