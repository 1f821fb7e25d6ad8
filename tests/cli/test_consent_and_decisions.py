"""Consent, editors' decisions, the signer's own spelling and sharper duplicates, each example
through the CLI on real files."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli

HEADER = (
    "Timestamp,Email Address,Full name,Title and organization (optional),Signing as,"
    "I agree that my name may be published,Notes (editors)"
)


def row(
    day: int, email: str, name: str, affiliation: str = "", kind: str = "An individual", yes: str = "Yes"
) -> str:
    """One response line; `day` orders them (11/<day>/2026)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(
        (f"11/{day:02d}/2026 10:00:00", email, name, affiliation, kind, yes, "")
    )
    return buf.getvalue()


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """The example's config and page, with an empty responses file."""
    copy_example(tmp_path)
    (tmp_path / "responses.csv").write_text(HEADER + "\n", encoding="utf-8")
    return tmp_path


def add(site: Path, *rows: str) -> None:
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.writelines(r + "\n" for r in rows)


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(*args, "--config", str(site / "signsync.toml"))
    return r.code, r.out, r.err


def apply(site: Path) -> str:
    """Apply and return the plan text it printed."""
    code, _, err = cli(site, "apply", "--yes")
    assert code == 0, err
    return err


def registry(site: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / "signatories.csv").read_text(encoding="utf-8"))))


def entry(site: Path, name: str) -> dict[str, str]:
    """The registry row of the entry named `name`; for someone kept private (no name in the
    registry), found with the editor's key (`review --private`), with its private reasons."""
    hits = [r for r in registry(site) if r["name"] == name]
    if not hits:
        code, out, err = cli(site, "review", "--private", "--json")
        assert code == 0, err
        ids = {e["id"]: "; ".join(e["reasons"]) for e in json.loads(out) if e.get("name") == name}
        hits = [
            {**r, "reason": ids[r["id"]], "public_reason": r["reason"]}
            for r in registry(site)
            if r["id"] in ids
        ]
    assert len(hits) == 1, (name, hits)
    return hits[0]


def listed(site: Path) -> list[str]:
    """The names on the page (not their affiliations), in page order."""
    page = (site / "statement.html").read_text(encoding="utf-8")
    return [html.unescape(n) for n in re.findall(r'<li><span dir="auto">([^<]*)</span>', page)]


# --- 1. consent is an explicit yes ----------------------------------------------------------


def test_only_an_explicit_yes_is_published(site: Path) -> None:
    answers = ["Nie", "Нет", "いいえ", "Hayır", "Nej", "Keep me anonymous", "No"]
    add(site, row(1, "yes@a.example", "Olga Yesova", yes=" yes "))
    for i, answer in enumerate(answers):
        add(site, row(2, f"n{i}@a.example", f"Person Number{'abcdefg'[i]}", yes=answer))
    add(site, row(3, "blank@a.example", "Blank Answer", yes=""))
    out = apply(site)
    assert listed(site) == ["Olga Yesova"]
    for i, answer in enumerate(answers):
        held = entry(site, f"Person Number{'abcdefg'[i]}")
        assert (held["status"], held["reason"]) == ("pending", f"consent answer '{answer}' is not a yes")
    assert entry(site, "Blank Answer")["status"] == "pending"
    assert entry(site, "Blank Answer")["reason"] == "no answer to the consent question"
    assert "note: 8 held without an explicit yes to the consent question" in out
    assert "add it to [columns] consent_yes" in out
    # consent is the signer's: no editor publishes an answer that is not a yes
    sid = entry(site, "Person Numbera")["id"]
    code, _, err = cli(site, "approve", sid)
    assert code == 1 and err == (
        f"Error: {sid} is kept off the page: the signer's answer to the consent question is not a yes; "
        "`signsync approve` cannot change that; only the signer can change that, by answering the form "
        "again with a yes (same email address)\n"
    )
    # nobody held without a yes is named in the registry or the plan
    text = (site / "signatories.csv").read_text(encoding="utf-8") + out
    assert "Person Number" not in text and "Blank Answer" not in text


def test_consent_yes_lists_what_counts_and_doctor_shows_the_answers(site: Path) -> None:
    label = "I agree that my name may be published"
    add(site, row(1, "a@a.example", "Ada Label", yes=label), row(2, "b@a.example", "Bo Tak", yes="Tak"))
    add(site, row(3, "c@a.example", "Cy Nope", yes="Keep me anonymous"))
    code, out, _ = cli(site, "doctor")
    assert code == 0
    assert (
        f"ok   consent: answers in '{label}': 'I agree that my name may be published' x1 (NOT a yes: held), "
        "'Keep me anonymous' x1 (NOT a yes: held), 'Tak' x1 (yes); 2 held: if an answer means yes, "
        "add it to [columns] consent_yes"
    ) in out
    cfg = site / "signsync.toml"
    cfg.write_text(
        cfg.read_text().replace(
            f'consent = "{label}"\n',
            f'consent = "{label}"\nconsent_yes = ["Yes", "  i agree that my NAME may be published"]\n',
        )
    )
    apply(site)
    assert listed(site) == ["Ada Label"]  # Tak is no longer a yes: the list replaces the defaults
    code, out, _ = cli(site, "doctor")
    assert "'Tak' x1 (NOT a yes: held)" in out and f"'{label}' x1 (yes)" in out


def test_consent_yes_must_be_a_list_of_strings(site: Path) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text().replace("[registry]", 'consent_yes = "Yes"\n\n[registry]'))
    code, _, err = cli(site, "plan")
    assert code == 1
    assert err.startswith(
        f'Error: {cfg}: [columns] consent_yes must be a list of strings (["a", "b"]), not \'Yes\''
    )


def test_no_consent_column_is_said_once(site: Path) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text().replace('consent = "I agree that my name may be published"\n', ""))
    add(site, row(1, "a@a.example", "Ada One", yes="No"), row(2, "b@a.example", "Bea Two", yes="No"))
    code, out, _ = cli(site, "plan")
    assert code == 2
    assert out.count("no consent question configured") == 1
    assert "note: no consent question configured ([columns] consent): every response counts" in out
    code, out, _ = cli(site, "doctor")
    assert "ok   consent: no consent column configured" in out


def test_a_later_no_from_the_same_email_withdraws_and_a_later_yes_does_not_undo_it(site: Path) -> None:
    add(site, row(1, "hb@a.example", "Helen Barker"), row(1, "zz@a.example", "Zoe Zimmer"))
    apply(site)
    add(site, row(2, "HB@a.example", "Helen Barker", yes="No"))
    code, out, _ = cli(site, "plan")
    assert "withdrawn (1):" in out
    assert "  1 not named (consent revoked by a later response)" in out and "Helen" not in out
    apply(site)
    hb = entry(site, "Helen Barker")
    assert hb["status"] == "withdrawn" and hb["decided"] == "2026-11-02T10:00:00 signer consent-revoked"
    assert hb["reason"] == "consent revoked: a later response answered 'No'" and hb["consent"] == "revoked"
    assert listed(site) == ["Zoe Zimmer"]
    # the editor withdraws Zoe; both sign again with a yes: both stay off
    assert cli(site, "withdraw", "zz@a.example")[0] == 0
    add(site, row(3, "hb@a.example", "Helen Barker"), row(3, "zz@a.example", "Zoe Zimmer"))
    apply(site)
    assert listed(site) == []
    assert [r["status"] for r in registry(site)] == ["withdrawn", "withdrawn"]
    # the yes after the withdrawal waits for an editor, kept private
    assert [r["consent"] for r in registry(site)] == ["renewed", "renewed"]
    assert len(entry(site, "Zoe Zimmer")["responses"].split()) == 2
    assert cli(site, "restore", entry(site, "Zoe Zimmer")["id"])[0] == 0
    apply(site)
    assert listed(site) == ["Zoe Zimmer"]


def test_no_then_yes_from_the_same_signer_releases_the_hold(site: Path) -> None:
    add(site, row(1, "m@a.example", "Mia Wong", yes="Nie"))
    apply(site)
    assert entry(site, "Mia Wong")["status"] == "pending"
    add(site, row(2, "m@a.example", "Mia Wong", yes="Tak"))
    out = apply(site)
    assert "released: nothing holds it any more" in out
    assert listed(site) == ["Mia Wong"] and entry(site, "Mia Wong")["reason"] == ""


# --- 2. editors' decisions are permanent and explicit ---------------------------------------


@pytest.fixture()
def decided(site: Path) -> Path:
    add(
        site,
        row(1, "w@a.example", "Wanda Withdrawn", "Poet"),
        row(1, "p@a.example", "Paul Published", "Painter"),
        row(1, "r@a.example", "Rita Rejected", "Runner"),
    )
    apply(site)
    assert cli(site, "withdraw", "w@a.example", "--reason", "asked by phone")[0] == 0
    code, _, err = cli(site, "reject", entry(site, "Rita Rejected")["id"], "--reason", "not a real signer")
    assert code == 0, err
    apply(site)
    assert listed(site) == ["Paul Published"]
    return site


def test_approve_refuses_a_withdrawn_entry_naming_restore(decided: Path) -> None:
    sid = entry(decided, "Wanda Withdrawn")["id"]
    before = (decided / "signatories.csv").read_bytes()
    permanent = (
        "that stays so: a later yes from the signer's email is held, and `signsync restore` may then "
        "publish it"
    )
    expected = {
        "approve": f"Error: {sid} is kept off the page: the signer asked to be withdrawn; `signsync approve` "
        f"cannot change that; {permanent}\n",
        "reject": f"Error: {sid} is withdrawn (withdrawn at the signer's request): `signsync reject` cannot "
        f"change that; only `signsync restore {sid}` brings it back, after a new yes from the signer\n",
        "restore": f"Error: {sid} is kept off the page: the signer asked to be withdrawn; `signsync restore` "
        f"cannot change that; {permanent}\n",
    }
    for command, message in expected.items():
        args = (command, sid, "--reason", "x") if command == "reject" else (command, sid)
        code, _, err = cli(decided, *args)
        assert (code, err) == (1, message)
    assert (decided / "signatories.csv").read_bytes() == before
    # the signer says yes again: held, private, and now an editor may restore it
    add(decided, row(7, "w@a.example", "Wanda Withdrawn", "Poet"))
    out = apply(decided)
    assert listed(decided) == ["Paul Published"] and "Wanda" not in out
    assert entry(decided, "Wanda Withdrawn")["consent"] == "renewed"
    assert cli(decided, "restore", sid)[0] == 0
    apply(decided)
    assert listed(decided) == ["Paul Published", "Wanda Withdrawn"]
    row_ = entry(decided, "Wanda Withdrawn")
    assert (row_.get("consent", ""), row_.get("private", ""), row_["affiliation"]) == ("", "", "Poet")
    assert row_["reason"] == "restored by an editor"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ editor restore", row_["decided"])


@pytest.mark.parametrize("order", ["withdrawn-into-published", "published-into-withdrawn"])
def test_merge_keeps_the_stricter_status(decided: Path, order: str) -> None:
    w, p = entry(decided, "Wanda Withdrawn")["id"], entry(decided, "Paul Published")["id"]
    src, dst = (w, p) if order == "withdrawn-into-published" else (p, w)
    code, _, err = cli(decided, "merge", src, dst, "--yes")
    assert code == 0, err
    assert f"only `signsync restore {dst}` publishes it" in err
    apply(decided)
    assert listed(decided) == []
    (kept,) = [r for r in registry(decided) if r["id"] == dst]
    assert (kept["status"], kept["consent"], kept["name"]) == ("withdrawn", "withdrawn", "")
    assert kept["decided"].endswith(" editor merge")
    assert "Paul" not in (decided / "signatories.csv").read_text(encoding="utf-8")


def test_merge_with_a_rejected_entry_keeps_it_rejected(decided: Path) -> None:
    r, p = entry(decided, "Rita Rejected")["id"], entry(decided, "Paul Published")["id"]
    assert cli(decided, "merge", r, p, "--yes")[0] == 0
    apply(decided)
    assert listed(decided) == []
    (kept,) = [x for x in registry(decided) if x["id"] == p]
    assert (kept["status"], kept["reason"]) == ("rejected", "not a real signer")


def test_rename_and_later_responses_never_bring_a_withdrawn_entry_back(decided: Path) -> None:
    sid = entry(decided, "Wanda Withdrawn")["id"]
    code, _, err = cli(decided, "rename", sid, "Wanda W. Withdrawn")
    assert code == 1 and "`signsync rename` cannot change that" in err
    add(decided, row(5, "w@a.example", "Wanda Withdrawn", "Poet"))
    apply(decided)
    assert listed(decided) == ["Paul Published"]
    assert entry(decided, "Wanda Withdrawn")["status"] == "withdrawn"


def test_an_empty_reason_never_erases_one(decided: Path) -> None:
    sid = entry(decided, "Rita Rejected")["id"]
    assert cli(decided, "reject", sid, "--reason", "")[0] == 0
    assert entry(decided, "Rita Rejected")["reason"] == "not a real signer"
    assert cli(decided, "withdraw", "w@a.example", "--reason", "")[0] == 0
    assert entry(decided, "Wanda Withdrawn")["reason"] == "asked by phone"
    # rejecting a held entry without a reason keeps why it was held
    add(decided, row(6, "bg@a.example", "Bill Gates"))
    apply(decided)
    bg = entry(decided, "Bill Gates")["id"]
    assert cli(decided, "reject", bg, "--reason", " ")[0] == 0
    assert entry(decided, "Bill Gates")["reason"] == (
        "rejected by an editor (was: watch list: looks like Bill Gates)"
    )


def test_an_editors_rejection_holds_for_the_same_signer_later(decided: Path) -> None:
    add(decided, row(7, "r@a.example", "Rita Rejected", "Runner"))
    out = apply(decided)
    assert "rejected by an editor: stays rejected" in out
    assert listed(decided) == ["Paul Published"]


def test_old_registry_without_the_new_columns_still_loads(decided: Path) -> None:
    path = decided / "signatories.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    keep = [i for i, h in enumerate(rows[0]) if h not in ("decided", "domain_keys")]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    code, out, _ = cli(decided, "plan")
    assert code == 2 and "0 new, 0 merged, 0 held for review, 0 rejected, 3 unchanged" in out
    apply(decided)
    assert registry(decided)[0].keys() >= {"decided", "domain_keys"}
    assert listed(decided) == ["Paul Published"]


# --- 4. the signer's own latest spelling wins -----------------------------------------------


def test_the_signers_correction_replaces_the_typo(site: Path) -> None:
    add(site, row(1, "hb@a.example", "Hleen Barker"))
    apply(site)
    add(site, row(2, "hb@a.example", "Helen Barker"))
    out = apply(site)
    assert "spelling changed by the signer: 'Hleen Barker' -> 'Helen Barker'" in out
    assert listed(site) == ["Helen Barker"]


def test_a_correction_releases_a_typo_held_for_its_spelling(site: Path) -> None:
    add(site, row(1, "hb@a.example", "Helennn Barker"))
    apply(site)
    assert entry(site, "Helennn Barker")["status"] == "pending"
    add(site, row(2, "hb@a.example", "Helen Barker"))
    out = apply(site)
    assert "spelling changed by the signer: 'Helennn Barker' -> 'Helen Barker'" in out
    assert "released" in out
    assert listed(site) == ["Helen Barker"]


def test_an_editors_rename_beats_the_signers_spelling(site: Path) -> None:
    add(site, row(1, "bh@a.example", "Nell Hookway"))
    apply(site)
    assert cli(site, "rename", entry(site, "Nell Hookway")["id"], "nell hookway")[0] == 0
    add(site, row(2, "bh@a.example", "Nel Hookway"))
    apply(site)
    assert listed(site) == ["nell hookway"]


def test_same_letters_keep_the_better_form_and_never_say_x_wins_over_x(site: Path) -> None:
    add(site, row(1, "bc@a.example", "BEN CHACKO"), row(1, "jg@a.example", "José García"))
    apply(site)
    add(site, row(2, "bc@a.example", "Ben Chacko"), row(2, "jg@a.example", "JOSE GARCIA"))
    add(site, row(3, "bc@a.example", "BEN CHACKO"))
    out = apply(site)
    assert listed(site) == ["Ben Chacko", "José García"]
    assert "auto-cased" not in entry(site, "Ben Chacko")["flags"]  # typed now
    assert "wins over" not in out
    for a, b in re.findall(r"'([^']*)'[^']*(?:->|over) '([^']*)'", out):
        assert a != b, out


# --- 5. duplicates, sharper -----------------------------------------------------------------


def test_one_organization_from_two_addresses_merges(site: Path) -> None:
    org = "An organization"
    add(site, row(1, "secretary@union.example", "Bakers' Union", kind=org))
    add(site, row(2, "chair@gmail.com", "BAKERS' UNION", kind=org))
    out = apply(site)
    assert "same organization: merged into" in out
    assert listed(site) == ["Bakers' Union"]


def test_namesakes_told_apart_by_email_and_affiliation_are_both_published(site: Path) -> None:
    add(site, row(1, "ana@lima.example", "Ana Torres", "Nurse, Lima"))
    add(site, row(2, "torres@quito.example", "Ana Torres", "Lawyer, Quito"))
    apply(site)
    assert listed(site) == ["Ana Torres", "Ana Torres"]
    code, out, _ = cli(site, "review")
    assert "[published] individual: Ana Torres (Lawyer, Quito)" in out
    assert "note: same name as s-" in out and "`signsync merge" in out


def test_a_similar_name_at_another_address_is_published_with_a_note(site: Path) -> None:
    add(site, row(1, "ch@a.example", "Caroline Hughes"), row(2, "kh@b.example", "Karoline Hughes"))
    apply(site)
    assert listed(site) == ["Caroline Hughes", "Karoline Hughes"]
    k, c = entry(site, "Karoline Hughes")["id"], entry(site, "Caroline Hughes")["id"]
    code, out, _ = cli(site, "review")
    assert f"note: similar to {c} 'Caroline Hughes'" in out
    assert f"`signsync merge {k} {c} --yes` if the same person" in out
    assert f"settle: signsync approve {k} (a different person)" in out
    # the editor settles it: two people; the note leaves the review, the entry stays on the page
    code, _, err = cli(site, "approve", k)
    assert code == 0 and "stays published; its note is settled" in err
    assert "Karoline Hughes" not in cli(site, "review")[1]
    apply(site)
    assert listed(site) == ["Caroline Hughes", "Karoline Hughes"]
    code, out, _ = cli(site, "plan", "--format", "markdown")


def test_the_same_name_at_another_address_with_nothing_else_is_held(site: Path) -> None:
    add(site, row(1, "one@a.example", "Sam Carter"), row(2, "two@b.example", "Sam Carter"))
    apply(site)
    assert listed(site) == ["Sam Carter"]
    assert [r["status"] for r in registry(site)] == ["published", "pending"]
    assert "same name, different email (namesake?)" in registry(site)[1]["reason"]


@pytest.mark.parametrize("variant", ["Friends of Rivers - Latin America", "Friends of Rivers Branch"])
def test_organization_variants_from_one_domain_are_held_as_possible_duplicates(
    site: Path, variant: str
) -> None:
    org = "An organization"
    add(site, row(1, "info@rivers.example", "Friends of Rivers", kind=org))
    add(site, row(2, "latam@rivers.example", variant, kind=org))
    add(
        site,
        row(3, "a@gmail.com", "Open Books", kind=org),
        row(4, "b@gmail.com", "Open Books Branch", kind=org),
    )
    apply(site)
    assert listed(site) == ["Friends of Rivers", "Open Books", "Open Books Branch"]  # webmail: no evidence
    held = entry(site, variant)
    assert held["status"] == "pending"
    assert "organization name extends the other's, same email domain" in held["reason"]


def test_a_rejected_comment_never_holds_the_real_name_that_follows(site: Path) -> None:
    add(site, row(1, "me@a.example", "I agree"), row(2, "me@a.example", "Tomás Ruiz"))
    apply(site)
    assert listed(site) == ["Tomás Ruiz"]
    assert [r["status"] for r in registry(site)] == ["rejected", "published"]


def test_one_organization_name_with_conflicting_affiliations_stays_apart(site: Path) -> None:
    org = "An organization"
    add(site, row(1, "a@one.example", "Workers Union", "Lima", kind=org))
    add(site, row(2, "b@two.example", "Workers Union", "Quito", kind=org))
    apply(site)
    assert [r["status"] for r in registry(site)] == ["published", "published"]


def test_a_rejection_ticked_in_a_pull_request_also_holds_for_the_signer_later() -> None:
    """`decided` names the editor's login there ("@alice"), not "editor"."""
    from sync.dedupe.reconcile import reconcile
    from sync.model import Signatory, Submission

    rejected = Signatory(
        "s-1", "rejected", "individual", "Rita Runner", email_keys=("e1",), responses=("r1",),
        reason="kept off the page by @alice", decided="2026-11-29T10:00:00Z @alice reject",
    )  # fmt: skip
    again = Submission("r2", 3, None, "", "e1", "l1", "Rita Runner", consent=True)
    out = reconcile((rejected,), (again,))
    assert [(s.id, s.status, s.responses) for s in out.signatories] == [("s-1", "rejected", ("r1", "r2"))]
