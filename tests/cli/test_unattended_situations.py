"""Situations an editor or a form owner creates over weeks of running, each driven through the
CLI on a real copy of the example: the exit status, the message (what is wrong and the fix),
nothing published that must not be, and no decision lost."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli

KEY = "example-only-key-do-not-use-for-a-real-statement"


def _applied(site: Path) -> Path:
    cfg = copy_example(site)
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    return cfg


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _published_lines(site: Path) -> list[str]:
    """The entries the page lists (the example page has no other list)."""
    return re.findall(r"<li>(.*?)</li>", (site / "statement.html").read_text(encoding="utf-8"))


def _files(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in site.iterdir() if p.is_file() and not p.name.endswith(".lock")}


@dataclass(frozen=True)
class Situation:
    """A mistake or an odd set-up (`arrange` on an applied or fresh copy of the example), the
    command run, and what must come out."""

    arrange: Callable[[Path], None]
    args: tuple[str, ...]
    code: int
    message: str  # a regular expression the output must hold
    applied_first: bool = True
    env: dict[str, str] = field(default_factory=dict)
    stdout_json: bool = False


def _nothing(site: Path) -> None:
    return None


def _markers_without_spaces(site: Path) -> None:
    _replace_in(site / "statement.html", "<!-- signatories:start -->", "<!--signatories:start-->")


def _empty_registry_file(site: Path) -> None:
    (site / "signatories.csv").write_text("", encoding="utf-8")


def _template_printing_marker(site: Path) -> None:
    (site / "section.html.j2").write_text(
        "<!-- signatories:start -->\n{% for g in groups %}{{ g }}{% endfor %}\n", encoding="utf-8"
    )
    _replace_in(
        site / "signsync.toml",
        'path = "statement.html"',
        'path = "statement.html"\ntemplate = "section.html.j2"',
    )


def _emptied_sheet(site: Path) -> None:
    text = (site / "responses.csv").read_text(encoding="utf-8")
    (site / "responses.csv").write_text(text.splitlines()[0] + "\n", encoding="utf-8")


def _no_env_file(site: Path) -> None:
    (site / ".env").unlink()


def _set(site: Path, section: str, line: str) -> None:
    """Add `line` to [section] of the example's config."""
    config = site / "signsync.toml"
    if f"[{section}]\n" not in config.read_text(encoding="utf-8"):
        with open(config, "a", encoding="utf-8") as fh:
            fh.write(f"\n[{section}]\n")
    _replace_in(config, f"[{section}]\n", f"[{section}]\n{line}\n")


def _data_file_is_env(site: Path) -> None:
    _set(site, "page", 'data_file = ".env"')


def _data_file_is_config(site: Path) -> None:
    _set(site, "page", 'data_file = "signsync.toml"')


def _page_is_the_responses(site: Path) -> None:
    _replace_in(site / "signsync.toml", 'path = "statement.html"', 'path = "responses.csv"')


def _data_file_is_the_state(site: Path) -> None:
    _set(site, "page", 'data_file = "signatories.state.json"')


def _registry_deleted(site: Path) -> None:
    (site / "signatories.csv").unlink()


def _state_lost_and_key_changed(site: Path) -> None:
    (site / "signatories.state.json").unlink()
    _replace_in(site / ".env", f"SIGNSYNC_HASH_KEY={KEY}", "SIGNSYNC_HASH_KEY=another-long-random-key-0123")


def _consent_removed_from_config(site: Path) -> None:
    _replace_in(site / "signsync.toml", 'consent = "I agree that my name may be published"\n', "")


SITUATIONS = {
    "an unknown option is a usage error, never 'changes pending'": Situation(
        _nothing, ("plan", "--bogus"), 64, r"No such option '--bogus'"
    ),
    "a misspelt command is a usage error, never 'changes pending'": Situation(
        _nothing, ("plann",), 64, r"No such command 'plann'. Did you mean 'plan'\?"
    ),
    "apply without a terminal says to pass --yes": Situation(
        _nothing, ("apply",), 1, r"no terminal to answer it\?\): pass --yes", applied_first=False
    ),
    "markers written without spaces are named with the fix": Situation(
        _markers_without_spaces,
        ("plan",),
        1,
        r"the marker '<!--signatories:start-->' on line \d+ is written differently from "
        r"what signsync reads.*write the markers "
        r"exactly as '<!-- signatories:start -->'",
    ),
    "an empty registry file says restore it from git": Situation(
        _empty_registry_file, ("plan",), 1, r"signatories.csv is empty .*restore it from git"
    ),
    "a template printing a marker is the template's error": Situation(
        _template_printing_marker,
        ("plan",),
        1,
        r"section.html.j2: the template writes the marker '<!-- signatories:start -->'.*remove it from "
        r"the template",
    ),
    "approving a published entry writes nothing and says so": Situation(
        _nothing, ("approve", "s-16b1f6e87e"), 0, r"already published\nNothing changed"
    ),
    "an emptied sheet is no quiet 'Nothing to change'": Situation(
        _emptied_sheet,
        ("plan",),
        0,
        r"holds no responses while the registry publishes 20 entries.*check \[source\]",
    ),
    "a weak key is refused with how to make one": Situation(
        _nothing,
        ("plan",),
        1,
        r"SIGNSYNC_HASH_KEY is too weak \(1 character, at least 16 needed\).*secrets.token_hex",
        env={"SIGNSYNC_HASH_KEY": "x"},
    ),
    "a second editor without .env is told to get the existing key": Situation(
        _no_env_file,
        ("plan",),
        1,
        r"SIGNSYNC_HASH_KEY is not set, and the registry signatories.csv was made with one: get that "
        r"key from whoever set signsync up.*do not make a new one",
    ),
    "a SIGNSYNC_ setting with a value it cannot take is an error": Situation(
        _nothing,
        ("plan",),
        1,
        r"SIGNSYNC_WORKERS='many' is not a whole number of processes: set it to e.g. 2",
        env={"SIGNSYNC_WORKERS": "many"},
    ),
    "a misspelt SIGNSYNC_ setting is named": Situation(
        _nothing,
        ("plan",),
        0,
        r"SIGNSYNC_PROGRES is not a signsync setting and is ignored: did you mean SIGNSYNC_PROGRESS\?",
        env={"SIGNSYNC_PROGRES": "lines"},
    ),
    "plan --json lists warnings as a list": Situation(
        _emptied_sheet, ("plan", "--json"), 0, r"", stdout_json=True
    ),
    "the data file set to .env is refused": Situation(
        _data_file_is_env, ("apply", "--yes"), 1, r"\[page\] data_file = .env is the secrets file"
    ),
    "the data file set to the config is refused": Situation(
        _data_file_is_config,
        ("apply", "--yes"),
        1,
        r"\[page\] data_file = signsync.toml is the config file itself",
    ),
    "the page set to the responses is refused": Situation(
        _page_is_the_responses,
        ("apply", "--yes"),
        1,
        r"\[source\] path and \[page\] path both name responses.csv: each setting needs its own file",
    ),
    "the data file set to the registry's state is refused": Situation(
        _data_file_is_the_state,
        ("apply", "--yes"),
        1,
        r"data_file = signatories.state.json is the registry's state",
    ),
    "a deleted registry stops the run": Situation(
        _registry_deleted,
        ("apply", "--yes"),
        1,
        r"the registry signatories.csv is missing, while signatories.state.json lists 20 published "
        r"entries: restore it from git",
    ),
    "a deleted registry fails doctor": Situation(
        _registry_deleted, ("doctor",), 1, r"FAIL registry: the registry signatories.csv is missing"
    ),
    "a lost state file and another key are caught by the data": Situation(
        _state_lost_and_key_changed,
        ("apply", "--yes"),
        1,
        r"SIGNSYNC_HASH_KEY is most likely not the key this registry was made with",
    ),
    "removing the consent question from the config publishes no 'No'": Situation(
        _consent_removed_from_config,
        ("apply", "--yes"),
        1,
        r"\[columns\] consent is not set, but this registry was kept with the consent question "
        r"'I agree that my name may be published'.*set consent = ",
    ),
    "a merge of two published entries needs --yes": Situation(
        _nothing,
        ("merge", "s-c28e69abc9", "s-16b1f6e87e"),
        1,
        r"both are published: s-c28e69abc9 'Ben Chacko' leaves the page.*share no word.*run it again "
        r"with --yes \(nothing written\)",
    ),
}


@pytest.mark.parametrize("name", list(SITUATIONS))
def test_situation(tmp_path: Path, name: str) -> None:
    case = SITUATIONS[name]
    cfg = _applied(tmp_path) if case.applied_first else copy_example(tmp_path)
    registry_before = (tmp_path / "signatories.csv").read_bytes() if case.applied_first else None
    published_before = _published_lines(tmp_path)
    case.arrange(tmp_path)
    files_before = _files(tmp_path)
    r = run_cli(*case.args, "--config", str(cfg), env=case.env)
    assert r.code == case.code, (r.code, r.out, r.err)
    assert re.search(case.message, r.out + r.err, re.S), r.out + r.err
    assert "Traceback" not in r.err
    if case.stdout_json:
        doc = json.loads(r.out)
        assert isinstance(doc["warnings"], list) and doc["warnings"], doc.get("warnings")
        assert isinstance(doc["notes"], list)
    # Nothing published that must not be, no decision lost: the page lists what it listed.
    assert _published_lines(tmp_path) == published_before
    registry = tmp_path / "signatories.csv"
    if registry_before is not None and registry.exists() and registry.stat().st_size:
        assert registry.read_bytes() == registry_before
    if case.code != 0:  # an error changes nothing
        assert _files(tmp_path) == files_before


def _sharded(site: Path) -> Path:
    cfg = copy_example(site)
    _replace_in(cfg, 'path = "signatories.csv"', 'path = "signatories.csv"\nshard_rows = 10')
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert (site / "signatories.part003.csv").exists()
    return cfg


@pytest.mark.parametrize("lost", ["signatories.part002.csv", "signatories.part003.csv"])
def test_a_lost_registry_shard_stops_every_run_and_doctor_names_it(tmp_path: Path, lost: str) -> None:
    cfg = _sharded(tmp_path)
    (tmp_path / lost).unlink()
    before = _files(tmp_path)
    for args in (("plan",), ("apply", "--yes"), ("approve", "s-e9f2e2fa26")):
        r = run_cli(*args, "--config", str(cfg))
        assert r.code == 1, (args, r.err)
        assert f"{lost} is missing" in r.err and "restore it from git" in r.err, r.err
    r = run_cli("doctor", "--config", str(cfg))
    assert r.code == 1 and "FAIL registry: " in r.out and f"{lost} is missing" in r.out, r.out
    assert _files(tmp_path) == before


def test_a_stray_shard_after_a_gap_stops_the_run(tmp_path: Path) -> None:
    cfg = _sharded(tmp_path)
    (tmp_path / "signatories.part003.csv").rename(tmp_path / "signatories.part005.csv")
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1 and "signatories.part003.csv is missing between the registry's other files" in r.err


def test_a_merge_needing_yes_merges_with_it_and_undo_takes_it_back(tmp_path: Path) -> None:
    cfg = _applied(tmp_path)
    registry = (tmp_path / "signatories.csv").read_bytes()
    r = run_cli("merge", "s-c28e69abc9", "s-16b1f6e87e", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    assert b"s-c28e69abc9" not in (tmp_path / "signatories.csv").read_bytes()
    r = run_cli("undo", "--config", str(cfg))
    assert r.code == 0 and "Undid `signsync merge s-c28e69abc9 s-16b1f6e87e --yes" in r.err, r.err
    assert (tmp_path / "signatories.csv").read_bytes() == registry
    r = run_cli("undo", "--config", str(cfg))
    assert r.code == 1 and "nothing to undo" in r.err


def test_undo_after_an_apply_that_changed_the_registry_is_refused(tmp_path: Path) -> None:
    cfg = _applied(tmp_path)
    assert run_cli("approve", "s-e9f2e2fa26", "--config", str(cfg)).code == 0
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write("11/23/2026 09:00:00,new.signer@example.org,Nadia Haddad,,An individual,Yes,\n")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    r = run_cli("undo", "--config", str(cfg))
    assert r.code == 1 and "the registry changed since `signsync approve s-e9f2e2fa26" in r.err, r.err


def test_the_suggested_merge_of_a_held_duplicate_keeps_the_original_published(tmp_path: Path) -> None:
    cfg = _applied(tmp_path)
    _set(tmp_path, "names", 'policy = "review"')
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write(
            '11/23/2026 09:00:00,amina.y@another.example,Amina Yusuf,"Professor, Lagos",An individual,Yes,\n'
        )
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    r = run_cli("review", "--json", "--config", str(cfg))
    held = [e for e in json.loads(r.out) if e["name"] == "Amina Yusuf" and e["status"] == "pending"]
    assert len(held) == 1, r.out
    r = run_cli("merge", held[0]["id"], "s-16b1f6e87e", "--config", str(cfg))
    assert r.code == 0, r.err
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert any(line.startswith('<span dir="auto">Amina Yusuf</span>') for line in _published_lines(tmp_path))


def test_withdrawing_an_address_two_signers_share_asks_first(tmp_path: Path) -> None:
    cfg = copy_example(tmp_path)
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write("11/23/2026 09:00:00,ben.chacko@example.net,Mary Chacko,Teacher,An individual,Yes,\n")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    before = _files(tmp_path)
    r = run_cli("withdraw", "ben.chacko@example.net", "--config", str(cfg))
    assert r.code == 1 and "2 entries share that address" in r.err and "--yes" in r.err, r.err
    shared = re.findall(r"(s-[0-9a-f]{10}) '", r.err)
    assert len(shared) == 2, r.err
    assert _files(tmp_path) == before
    r = run_cli("withdraw", "ben.chacko@example.net", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert not [line for line in _published_lines(tmp_path) if "Chacko" in line]
    with open(tmp_path / "signatories.csv", encoding="utf-8", newline="") as fh:
        status = {row["id"]: row["status"] for row in csv.DictReader(fh)}
    assert [status[i] for i in shared] == ["withdrawn", "withdrawn"]


def test_a_resubmission_with_the_consent_question_blank_is_no_withdrawal(tmp_path: Path) -> None:
    cfg = _applied(tmp_path)
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write("11/23/2026 09:00:00,amina.yusuf@example.org,Amina Yusuf,,An individual,,\n")
    r = run_cli("plan", "--config", str(cfg))
    assert "the consent question left blank this time: the earlier yes stands" in r.out, r.out
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert any("Amina Yusuf" in line for line in _published_lines(tmp_path))
    # An explicit "No" from the same signer still withdraws.
    with open(tmp_path / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write("11/24/2026 09:00:00,amina.yusuf@example.org,Amina Yusuf,,An individual,No,\n")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    assert not any("Amina Yusuf" in line for line in _published_lines(tmp_path))
