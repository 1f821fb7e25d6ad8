"""`signsync add`, `pin`/`unpin`, and a page's own template and words, end to end through the CLI,
across plan/apply reruns."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.support.helpers import copy_example, run_cli


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    copy_example(tmp_path)
    r = run_cli("apply", "--yes", "--config", str(tmp_path / "signsync.toml"))
    assert r.code == 0, r.err
    return tmp_path


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(*args, "--config", str(site / "signsync.toml"))
    return r.code, r.out, r.err


def rows(site: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / "signatories.csv").read_text(encoding="utf-8"))))


def listed(site: Path, group: str) -> list[str]:
    page = (site / "statement.html").read_text(encoding="utf-8")
    block = page.split(f'<ul class="signatories-{group}">', 1)[1].split("</ul>", 1)[0]
    # the items' text, whatever wraps the name (<bdi>, <span dir="auto">)
    return [re.sub(r"<[^>]+>", "", li).split(" (")[0] for li in re.findall(r"<li>(.*?)</li>", block)]


def apply(site: Path) -> None:
    code, _, err = cli(site, "apply", "--yes")
    assert code == 0, err


def settled(site: Path) -> None:
    """A rerun with nothing new changes nothing."""
    before = {p.name: p.read_bytes() for p in site.iterdir() if p.is_file()}
    code, _, err = cli(site, "plan")
    assert code == 0, err
    apply(site)
    assert {p.name: p.read_bytes() for p in site.iterdir() if p.is_file()} == before


def test_add_lands_in_the_registry_with_a_made_id_and_survives_reruns(site: Path) -> None:
    code, _, err = cli(
        site, "add", "Amnesty International", "--kind", "organization", "--signed", "2026-11-20",
        "--note", "by email, 2026-11-20",
    )  # fmt: skip
    assert code == 0, err
    added = [r for r in rows(site) if r["name"] == "Amnesty International"]
    assert len(added) == 1
    entry = added[0]
    assert re.fullmatch(r"s-[0-9a-f]{10}", entry["id"])
    assert (entry["status"], entry["kind"], entry["note"]) == (
        "published",
        "organization",
        "by email, 2026-11-20",
    )
    assert entry["signed"].startswith("2026-11-20")
    assert f"added: {entry['id']} 'Amnesty International'" in err
    assert "Amnesty International" not in listed(site, "organizations")  # only after apply
    code, out, _ = cli(site, "review", "--all")
    assert (
        f"{entry['id']}  [published] organization: Amnesty International\n    note: by email, 2026-11-20\n"
        in out
    )
    apply(site)
    assert "Amnesty International" in listed(site, "organizations")
    # the same entry again, differently typed: nothing added
    code, _, err = cli(site, "add", "AMNESTY  INTERNATIONAL", "--kind", "organization")
    assert code == 0, err
    assert "already in the registry" in err
    assert sum(r["name"] == "Amnesty International" for r in rows(site)) == 1
    settled(site)


def test_add_uses_the_same_cleaning_and_review_policy(site: Path) -> None:
    code, _, err = cli(site, "add", "asdf")
    assert code == 0, err
    assert any(r["typed"] == "asdf" and r["status"] == "rejected" for r in rows(site))
    code, _, err = cli(site, "add", "Elon Musk")
    assert "held for review" in err
    assert any(r["name"] == "Elon Musk" and r["status"] == "pending" for r in rows(site))
    code, _, err = cli(site, "add", "JOSÉ GARCÍA", "--affiliation", "Professor, University of X")
    entry = next(r for r in rows(site) if r["typed"] == "JOSÉ GARCÍA")
    assert entry["name"] != "JOSÉ GARCÍA"  # recased as a form answer would be
    assert entry["affiliation"] == "Professor, University of X"


def test_an_organization_signing_later_through_the_form_merges_into_the_added_entry(site: Path) -> None:
    assert cli(site, "add", "Friends of the Forest", "--kind", "organization", "--note", "by letter")[0] == 0
    apply(site)
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.write("11/25/2026 10:00:00,forest@example.org,Friends of the Forest,,An organization,Yes,\n")
    code, out, err = cli(site, "plan", "--no-diff")
    assert code == 2, err
    assert "1 merged" in out
    apply(site)
    entries = [r for r in rows(site) if r["name"] == "Friends of the Forest"]
    assert len(entries) == 1
    assert len(entries[0]["responses"].split()) == 2
    assert entries[0]["note"] == "by letter"
    assert listed(site, "organizations").count("Friends of the Forest") == 1
    settled(site)


def test_adding_a_signer_who_already_signed_through_the_form_merges(site: Path) -> None:
    before = len(rows(site))
    code, _, err = cli(site, "add", "answer coalition", "--kind", "organization", "--note", "by email")
    assert code == 0, err
    assert "merged: " in err
    assert len(rows(site)) == before
    entry = next(r for r in rows(site) if r["name"] == "ANSWER Coalition")
    assert entry["note"] == "by email" and len(entry["responses"].split()) == 2
    apply(site)
    assert listed(site, "organizations").count("ANSWER Coalition") == 1
    settled(site)


def test_add_from_file_adds_many_and_rerunning_adds_none(site: Path) -> None:
    (site / "list.csv").write_text(
        "name,affiliation,kind,signed,note\n"
        "Oxfam Intermón,,organization,2026-10-01,initial list\n"
        "Greenpeace España,,organization,2026-10-01,initial list\n"
        "Rosa Ramírez Soto,Former Ambassador,,2026-10-01,initial list\n",
        encoding="utf-8",
    )
    before = len(rows(site))
    code, _, err = cli(site, "add", "--from-file", str(site / "list.csv"))
    assert code == 0, err
    assert len(rows(site)) == before + 3
    code, _, err = cli(site, "add", "--from-file", str(site / "list.csv"))
    assert code == 0, err
    assert err.count("already in the registry") == 3
    assert len(rows(site)) == before + 3
    apply(site)
    settled(site)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nombre\nx\n", "the first row must name the columns: name (required)"),
        ("name,email\nx,y\n", "unknown column 'email'"),
        (
            "name,signed\nJane Roe,20/11/2026\n",
            "list.csv:2: '20/11/2026' is not a date: write it as YYYY-MM-DD",
        ),
        ("name,kind\nJane Roe,person\n", "list.csv:2: kind 'person' is not organization or individual"),
        ("name,affiliation\n,Somewhere\n", "list.csv:2: no name: fill it in or delete the row"),
    ],
)
def test_add_from_a_bad_file_is_one_line_and_changes_nothing(site: Path, content: str, message: str) -> None:
    (site / "list.csv").write_text(content, encoding="utf-8")
    before = (site / "signatories.csv").read_bytes()
    code, out, err = cli(site, "add", "--from-file", str(site / "list.csv"))
    assert code == 1
    assert err.startswith("Error: ") and message in err and err.count("\n") == 1, err
    assert (site / "signatories.csv").read_bytes() == before


def test_pin_keeps_chosen_entries_first_in_the_editors_order(site: Path) -> None:
    people = listed(site, "individuals")
    ids = {r["name"]: r["id"] for r in rows(site)}
    last, second_last = people[-1], people[-2]
    code, _, err = cli(site, "pin", ids[last])
    assert code == 0, err
    assert "pinned at 1 of individuals" in err
    code, _, err = cli(site, "pin", ids[second_last], "--position", "1")
    assert code == 0, err
    apply(site)
    now = listed(site, "individuals")
    assert now[:2] == [second_last, last]
    assert now[2:] == [p for p in people if p not in (last, second_last)]  # the rest: collation order
    by_id = {r["id"]: r for r in rows(site)}
    assert (by_id[ids[second_last]]["pin"], by_id[ids[last]]["pin"]) == ("1", "2")
    settled(site)
    # unpin: the other closes up, the entry goes back to its place
    assert cli(site, "unpin", ids[second_last])[0] == 0
    apply(site)
    assert listed(site, "individuals") == [last] + [p for p in people if p != last]
    assert {r["id"]: r for r in rows(site)}[ids[last]]["pin"] == "1"
    settled(site)


def test_registry_without_the_new_columns_is_written_back_unchanged(site: Path) -> None:
    text = (site / "signatories.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert "pin" not in header and "note" not in header
    settled(site)


def test_a_bad_pin_in_the_registry_names_the_line(site: Path) -> None:
    ids = [r["id"] for r in rows(site)]
    assert cli(site, "pin", ids[0])[0] == 0
    text = (site / "signatories.csv").read_text(encoding="utf-8")
    assert ",pin," in text.splitlines()[0] and "\n" + ids[0] in text
    edited = re.sub(rf"(?m)^({ids[0]},[^\n]*),1,,,$", r"\1,first,,,", text)
    assert edited != text
    (site / "signatories.csv").write_text(edited, encoding="utf-8")
    code, _, err = cli(site, "plan")
    assert code == 1
    assert "pin 'first'" in err and "is not a whole number" in err and err.count("\n") == 1


# --- the page's own words and template ----------------------------------------------------

TEMPLATE = """\
<section class="signatures"{% if language %} lang="{{ language }}"{% endif %}>
{% for g in groups %}
<h4>{{ g.heading }}</h4>
<ol>
{% for e in g.entries %}
<li data-id="{{ e.id }}" data-signed="{{ e.signed }}">{{ e.name }}\
{% if e.affiliation %}{{ e.before }}{{ e.affiliation }}{{ e.after }}{% endif %}</li>
{% endfor %}
</ol>
{% endfor %}
<p>{{ labels.count }}</p>
</section>
"""


def configure(site: Path, extra: str) -> None:
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_own_template_and_labels(site: Path) -> None:
    (site / "statement-section.html.j2").write_text(TEMPLATE, encoding="utf-8")
    configure(
        site,
        'template = "statement-section.html.j2"\nentry_format = "Name, Affiliation"\n\n[page.labels]\n'
        'organizations = "Initial signatories (organizations)"\n'
        'individuals = "Initial signatories (individuals)"\n',
    )
    code, _, err = cli(site, "add", "Rosa Ramírez Soto", "--affiliation", "Former Ambassador")
    assert code == 0, err
    rid = next(r["id"] for r in rows(site) if r["name"] == "Rosa Ramírez Soto")
    assert cli(site, "pin", rid)[0] == 0
    apply(site)
    page = (site / "statement.html").read_text(encoding="utf-8")
    assert "<h4>Initial signatories (organizations)</h4>" in page
    assert "<h4>Initial signatories (individuals)</h4>" in page
    first = re.search(
        r"<h4>Initial signatories \(individuals\)</h4>\n<ol>\n<li data-id=\"([^\"]+)\"[^>]*>([^<]*)<", page
    )
    assert first is not None and first.groups() == (rid, "Rosa Ramírez Soto, Former Ambassador")
    assert re.search(r'data-signed="\d{4}-\d{2}-\d{2}"', page)
    shown = page.count("<li data-id=")
    assert shown > 1 and f"<p>{shown} signatories</p>" in page
    settled(site)


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("<ul>\n{% for g in groups %}\n<li>{{ g.heading }</li>\n{% endfor %}\n</ul>\n", 3, "unexpected '}'"),
        (
            "<ul>\n{% for g in groups %}\n<li>{{ g.heading }}</li>\n"
            "<li>{{ g.nope }}</li>\n{% endfor %}\n</ul>\n",
            4,
            "has no attribute 'nope'",
        ),
        ("<p>\n\n{{ totl }}</p>\n", 3, "'totl' is undefined"),
        ("{% for g in groups %}\n{% endfor\n", 2, ""),
    ],
)
def test_a_template_mistake_is_one_line_with_its_line_number(
    site: Path, template: str, line: int, message: str
) -> None:
    (site / "mine.html.j2").write_text(template, encoding="utf-8")
    configure(site, 'template = "mine.html.j2"\n')
    before = (site / "statement.html").read_bytes()
    code, out, err = cli(site, "plan")
    assert code == 1
    assert err.startswith(f"Error: {site / 'mine.html.j2'}:{line}: "), err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert (site / "statement.html").read_bytes() == before


@pytest.mark.parametrize(
    ("part", "line", "message"),
    [("<b>\n{{ g.nope }}</b>\n", 2, "has no attribute 'nope'"), ("<b>\n\n{% if %}</b>\n", 3, "")],
)
def test_a_mistake_in_an_included_template_names_that_file(
    site: Path, part: str, line: int, message: str
) -> None:
    (site / "part.html.j2").write_text(part, encoding="utf-8")
    (site / "mine.html.j2").write_text(
        "<div>\n{% for g in groups %}\n{% include 'part.html.j2' %}\n{% endfor %}\n</div>\n", encoding="utf-8"
    )
    configure(site, 'template = "mine.html.j2"\n')
    code, _, err = cli(site, "plan")
    assert code == 1
    assert err.startswith(f"Error: {site / 'part.html.j2'}:{line}: "), err
    assert message in err and err.count("\n") == 1


def test_doctor_reports_the_language_and_checks_the_template(site: Path) -> None:
    configure(site, 'language = "es"\ntemplate = "mine.html.j2"\n')
    (site / "mine.html.j2").write_text(
        "<ul>\n{% for g in groups %}<li>{{ g.heading }}</li>{% endfor %}\n</ul>\n"
    )
    code, out, err = cli(site, "doctor")
    assert code == 0, out + err
    assert "ok   section: language es; words: es; collation: " in out and "mine.html.j2 renders" in out
    (site / "mine.html.j2").write_text("<ul>\n{{ g.heading }}\n</ul>\n")
    code, out, err = cli(site, "doctor")
    assert code == 1
    assert f"FAIL section: {site / 'mine.html.j2'}:2: 'g' is undefined" in out


def test_a_missing_template_or_unknown_language_is_a_config_error(site: Path) -> None:
    configure(site, 'template = "nope.html.j2"\n')
    code, _, err = cli(site, "plan")
    assert code == 1 and "[page] template" in err and "no such file" in err and err.count("\n") == 1
    cfg = site / "signsync.toml"
    cfg.write_text(cfg.read_text().replace('template = "nope.html.j2"', 'language = "xx-QQ"'))
    code, _, err = cli(site, "plan")
    assert code == 1 and '[page] language = "xx-QQ" is not a language CLDR knows' in err


def test_a_language_without_shipped_words_warns_until_labels_give_them(site: Path) -> None:
    configure(site, 'language = "fi"\n')
    code, out, err = cli(site, "plan", "--no-diff")
    assert code == 2, err
    assert "[page] language = 'fi': signsync ships no words for it yet" in out + err
    configure(
        site,
        '\n[page.labels]\ncount = { one = "{count} allekirjoittaja", other = "{count} allekirjoittajaa" }\n'
        'organizations = "Järjestöt ({count})"\nindividuals = "Yksityishenkilöt ({count})"\n',
    )
    code, out, err = cli(site, "plan", "--no-diff")
    assert "ships no words" not in out + err
    apply(site)
    page = (site / "statement.html").read_text(encoding="utf-8")
    assert '<div class="signatories" lang="fi" dir="ltr">' in page and "<h3>Yksityishenkilöt (" in page
