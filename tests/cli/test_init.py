"""`signsync init`: from a form's CSV (or the live sheet) and a page to a working set-up, through
the CLI as a user runs it; the column mapping on headers as Google Forms writes them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from sync.operations.init.columns import consent_answers, guess_columns
from tests.support.helpers import EXAMPLES, ROOT, run_cli
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.sheets_plugin import ServiceAccount

FORMS = ROOT / "tests" / "data" / "forms"
NO_KEY = {"SIGNSYNC_HASH_KEY": ""}  # the key init makes in .env must be the one used


def _example_site(folder: Path) -> Path:
    """The bundled example's CSV and page as a new user has them: no config, no markers."""
    shutil.copy(EXAMPLES / "responses.csv", folder / "responses.csv")
    page = (EXAMPLES / "statement.html").read_text(encoding="utf-8")
    page = re.sub(r"<!-- signatories:start -->.*?<!-- signatories:end -->\n", "", page, flags=re.S)
    (folder / "statement.html").write_text(page, encoding="utf-8")
    return folder


def _columns(cfg: Path) -> dict[str, str]:
    return tomllib.loads(cfg.read_text(encoding="utf-8"))["columns"]


def _plan_json(cfg: Path) -> dict:
    r = run_cli("plan", "--json", "--config", str(cfg), env=NO_KEY)
    assert r.code == 2, r.err
    return json.loads(r.out)


def test_init_on_the_bundled_example_maps_every_column_and_plan_accepts_it(tmp_path: Path) -> None:
    site = _example_site(tmp_path)
    r = run_cli(
        "init",
        "responses.csv",
        "--page",
        "statement.html",
        "--after",
        "<h2>Signatories</h2>",
        "--no-interactive",
        cwd=site,
        env=NO_KEY,
    )
    assert r.code == 0, r.err
    assert "All checks passed." in r.err
    cfg = site / "signsync.toml"
    expected = tomllib.loads((EXAMPLES / "signsync.toml").read_text(encoding="utf-8"))["columns"]
    assert {k: v for k, v in _columns(cfg).items() if k != "consent_yes"} == expected
    assert _columns(cfg)["consent_yes"] == ["Yes"]  # a live key (the consent rule)
    page = (site / "statement.html").read_text(encoding="utf-8")
    assert "<h2>Signatories</h2>\n<!-- signatories:start -->\n<!-- signatories:end -->\n<p><small>" in page
    env_text = (site / ".env").read_text(encoding="utf-8")
    assert re.search(r"^SIGNSYNC_HASH_KEY=[0-9a-f]{64}$", env_text, re.M)
    assert (site / ".env").stat().st_mode & 0o077 == 0
    # the plan is the bundled example's plan (same columns, same decisions)
    mine = _plan_json(cfg)
    shutil.copy(EXAMPLES / "signsync.toml", tmp_path / "example.toml")
    theirs = _plan_json(tmp_path / "example.toml")
    assert mine["summary"] == theirs["summary"]
    assert [s["name"] for s in mine["signatories"]] == [s["name"] for s in theirs["signatories"]]
    assert run_cli("apply", "--yes", "--config", str(cfg), env=NO_KEY).code == 0
    assert '<span dir="auto">Ben Chacko</span>' in (site / "statement.html").read_text(encoding="utf-8")


def test_init_in_a_copy_of_the_bundled_example_keeps_its_markers(tmp_path: Path) -> None:
    for name in ("responses.csv", "statement.html"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    page = (tmp_path / "statement.html").read_bytes()
    r = run_cli(
        "init", "responses.csv", "--page", "statement.html", "--no-interactive", cwd=tmp_path, env=NO_KEY
    )
    assert r.code == 0, r.err
    assert "statement.html already holds the markers: left as it is" in r.err
    assert (tmp_path / "statement.html").read_bytes() == page
    shutil.copy(EXAMPLES / "signsync.toml", tmp_path / "example.toml")
    assert (
        _plan_json(tmp_path / "signsync.toml")["summary"] == _plan_json(tmp_path / "example.toml")["summary"]
    )


@pytest.mark.parametrize(
    ("csv_name", "page_name", "after", "expected", "yes", "published", "kept_off"),
    [
        (
            "respuestas-es.csv",
            "page-es.md",
            "## Firmantes",
            {
                "timestamp": "Marca temporal",
                "email": "Dirección de correo electrónico",
                "name": "Nombre completo",
                "affiliation": "Cargo y organización (opcional)",
                "kind": "Firmo como",
                "consent": "Acepto que mi nombre se publique en esta página",
            },
            ["Sí"],
            ["Lucía Fernández", "Sindicato de Enfermería", "Pablo Martínez"],
            "Ana Gómez",
        ),
        (
            "reponses-fr.csv",
            "page-fr.html",
            "<h2>Signataires</h2>",
            {
                "timestamp": "Horodateur",
                "email": "Adresse e-mail",
                "name": "Nom et prénom",
                "affiliation": "Fonction et organisation (facultatif)",
                "kind": "Je signe en tant que",
                "consent": "J'accepte que mon nom soit publié",
            },
            ["Oui"],
            ["Claire Dubois", "Ligue des droits de l'Homme", "Amine Benali"],
            "Marie Roux",
        ),
    ],
    ids=["spanish", "french"],
)
def test_init_on_forms_exported_in_other_languages(
    tmp_path: Path, csv_name, page_name, after, expected, yes, published, kept_off
) -> None:
    shutil.copy(FORMS / csv_name, tmp_path / csv_name)
    shutil.copy(FORMS / page_name, tmp_path / page_name)
    r = run_cli("init", csv_name, "--page", page_name, "--after", after, cwd=tmp_path, env=NO_KEY)
    assert r.code == 0, r.err
    cfg = tmp_path / "signsync.toml"
    assert {k: v for k, v in _columns(cfg).items() if k != "consent_yes"} == expected
    assert _columns(cfg)["consent_yes"] == yes
    page_config = tomllib.loads(cfg.read_text(encoding="utf-8"))["page"]
    if page_name.endswith(".html"):  # <html lang="fr">: the list speaks French
        assert page_config["language"] == "fr"
        assert "the list's language: fr (from page-fr.html)" in r.err
    else:  # a Markdown page says nothing: the sheet's language is offered, not imposed
        assert "language" not in page_config
        assert "the form's sheet is in 'es': if the statement is too, pass --language es" in r.err
    plan = _plan_json(cfg)
    shown = {s["name"]: s for s in plan["signatories"]}
    for name in published:
        assert shown[name]["status"] == "published", shown[name]
    org = next(s for s in plan["signatories"] if s["name"] == published[1])
    assert org["kind"] == "organization"
    assert shown.get(kept_off, {"status": "rejected"})["status"] != "published"


@pytest.mark.parametrize(
    ("headers", "field", "header"),
    [
        (
            [
                "Zeitstempel",
                "E-Mail-Adresse",
                "Vollständiger Name",
                "Titel und Organisation",
                "Ich unterzeichne als",
                "Ich bin einverstanden, dass mein Name veröffentlicht wird",
            ],
            "consent",
            "Ich bin einverstanden, dass mein Name veröffentlicht wird",
        ),
        (
            ["Zeitstempel", "E-Mail-Adresse", "Vollständiger Name", "Titel und Organisation"],
            "name",
            "Vollständiger Name",
        ),
        (
            ["Carimbo de data/hora", "Endereço de e-mail", "Nome completo", "Cargo e instituição"],
            "affiliation",
            "Cargo e instituição",
        ),
        (
            ["Carimbo de data/hora", "Endereço de e-mail", "Nome completo", "Cargo e instituição"],
            "timestamp",
            "Carimbo de data/hora",
        ),
        (
            ["Informazioni cronologiche", "Indirizzo email", "Nome e cognome", "Ente di appartenenza"],
            "email",
            "Indirizzo email",
        ),
        (
            ["Tijdstempel", "E-mailadres", "Volledige naam", "Functie en organisatie"],
            "name",
            "Volledige naam",
        ),
        (
            ["Sygnatura czasowa", "Adres e-mail", "Imię i nazwisko", "Stanowisko i instytucja"],
            "name",
            "Imię i nazwisko",
        ),
        (
            ["Отметка времени", "Адрес электронной почты", "Имя и фамилия", "Должность и организация"],
            "affiliation",
            "Должность и организация",
        ),
        (["タイムスタンプ", "メールアドレス", "氏名", "所属"], "name", "氏名"),
        (["Timestamp", "Email address", "Your name", "Organisation (optional)"], "email", "Email address"),
    ],
)
def test_headers_in_the_languages_google_forms_is_used_in(headers, field, header) -> None:
    guesses = {g.field: g for g in guess_columns(headers, [])}
    assert guesses[field].index == headers.index(header), guesses[field]


YES_NO = ["Ja", "Ja", "Nein", "Ja", "Ja", "Ja"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "Zeitstempel",
                "Vor- und Nachname",
                "Institution/Organisation",
                "Einwilligung zur Veröffentlichung",
            ],
            {"name": 1, "affiliation": 2, "consent": 3},
        ),
        (
            [
                "Sygnatura czasowa",
                "Imię i nazwisko",
                "Afiliacja",
                "Wyrażam zgodę na publikację mojego nazwiska",
            ],
            {"name": 1, "affiliation": 2, "consent": 3},
        ),
        (
            [
                "Informazioni cronologiche",
                "Nome e cognome",
                "Ente",
                "Acconsento alla pubblicazione del mio nome",
            ],
            {"name": 1, "affiliation": 2, "consent": 3},
        ),
        (
            ["Tijdstempel", "Naam", "Organisatie", "Ik geef toestemming voor publicatie van mijn naam"],
            {"name": 1, "affiliation": 2, "consent": 3},
        ),
        (
            ["Carimbo de data/hora", "Nome", "Instituição", "Autorizo a publicação do meu nome"],
            {"name": 1, "affiliation": 2, "consent": 3},
        ),
        # free-text answers are never the consent question, whatever its title
        (["Timestamp", "Full name", "Public comment (optional)"], {"name": 1, "consent": None}),
    ],
)
def test_questions_with_their_answers(headers: list[str], expected: dict[str, int | None]) -> None:
    rows = [
        [
            "1/1/2026 10:00:00",
            f"Person {i}",
            f"Org {i}",
            YES_NO[i] if "comment" not in headers[-1] else f"Hi {i}",
        ]
        for i in range(6)
    ]
    guesses = {g.field: g.index for g in guess_columns(headers, rows)}
    assert {f: guesses[f] for f in expected} == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # one question for both: it is the name (the names engine splits the affiliation off)
        (["Timestamp", "Name and organization"], {"name": 1, "affiliation": None, "kind": None}),
        # a title that only mentions "signing as" is not the "signing as" question
        (
            ["Timestamp", "Your name", "Organisation (if signing as an organisation)"],
            {"name": 1, "affiliation": 2, "kind": None},
        ),
        (["Timestamp", "Job title", "Organization", "Name"], {"name": 3, "affiliation": None}),
    ],
)
def test_columns_that_could_be_two_fields(headers: list[str], expected: dict[str, int | None]) -> None:
    rows = [["1/1/2026 10:00:00", *(f"text {i} {j}" for j in range(len(headers) - 1))] for i in range(6)]
    guesses = {g.field: g for g in guess_columns(headers, rows)}
    for field_name, index in expected.items():
        assert guesses[field_name].index == index, guesses[field_name]
    if headers[1:3] == ["Job title", "Organization"]:
        assert guesses["affiliation"].tied == (1, 2)  # two fit: init asks which


def test_kind_and_consent_found_from_the_answers_when_titles_say_nothing() -> None:
    headers = ["Timestamp", "Full name", "Q5", "Q6"]
    rows = [
        ["1/1/2026 10:00:00", f"Person {i}", "Organisation" if i % 3 else "Person", "Yes"] for i in range(9)
    ]
    guesses = {g.field: g.index for g in guess_columns(headers, rows)}
    assert (guesses["kind"], guesses["consent"]) == (2, 3)


def test_consent_answers_found_from_the_data() -> None:
    rows = [
        [a] for a in ["Sí", "Sí", "No", "Oui", "Да", "Нет", "I agree to publication", "Nie", "Maybe", "はい"]
    ]
    found = consent_answers(rows, 0)
    assert set(found.yes) == {"Sí", "Oui", "Да", "I agree to publication", "はい"}
    assert set(found.other) == {"No", "Нет", "Nie", "Maybe"}


def _ambiguous_site(folder: Path) -> Path:
    (folder / "form.csv").write_text(
        "Timestamp,Name,Full name,Consent\n"
        "1/2/2026 10:00:00,x,Jane Roe,Yes\n1/2/2026 11:00:00,y,Ali Khan,Yes\n",
        encoding="utf-8",
    )
    (folder / "page.md").write_text("# Letter\n\n## Signed\n", encoding="utf-8")
    return folder


def test_two_columns_that_fit_without_a_terminal_is_one_line_naming_the_flag(tmp_path: Path) -> None:
    site = _ambiguous_site(tmp_path)
    r = run_cli("init", "form.csv", "--page", "page.md", "--line", "4", cwd=site)
    assert r.code == 1
    assert r.err.strip().splitlines() == [
        "Error: Which column holds the signer's name? These could both fit: 'Name', 'Full name': "
        'pass --name-column "HEADER" to say which'
    ]
    assert not (site / "signsync.toml").exists() and not (site / ".env").exists()
    assert (site / "page.md").read_text(encoding="utf-8") == "# Letter\n\n## Signed\n"
    r = run_cli(
        "init",
        "form.csv",
        "--page",
        "page.md",
        "--line",
        "4",
        "--name-column",
        "full name",
        cwd=site,
        env=NO_KEY,
    )
    assert r.code == 0, r.err
    assert _columns(site / "signsync.toml")["name"] == "Full name"


def test_interactive_init_asks_and_uses_the_answers(tmp_path: Path) -> None:
    site = _ambiguous_site(tmp_path)
    r = run_cli("init", "form.csv", "--interactive", cwd=site, input="2\npage.md\n## Signed\n", env=NO_KEY)
    assert r.code == 0, r.err
    assert "Which column holds the signer's name?" in r.err and "  2) Full name" in r.err
    assert _columns(site / "signsync.toml")["name"] == "Full name"
    assert (
        (site / "page.md")
        .read_text(encoding="utf-8")
        .endswith("## Signed\n<!-- signatories:start -->\n<!-- signatories:end -->\n")
    )


def test_without_a_place_it_says_where_to_paste_and_doctor_says_what_fails(tmp_path: Path) -> None:
    site = _example_site(tmp_path)
    r = run_cli("init", "responses.csv", "--page", "statement.html", cwd=site, env=NO_KEY)
    assert r.code == 1
    assert "paste these two lines into" in r.err and "    <!-- signatories:start -->\n" in r.err
    assert "FAIL page:" in r.out
    assert (site / "signsync.toml").exists()


def test_never_overwrites_a_config_or_a_hash_key_and_ignores_env_in_git(tmp_path: Path) -> None:
    site = _example_site(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    (site / ".env").write_text("SIGNSYNC_HASH_KEY=keep-me-as-it-is-0123456789\n", encoding="utf-8")
    args = ("init", "responses.csv", "--page", "statement.html", "--after", "<h2>Signatories</h2>")
    assert run_cli(*args, cwd=site, env=NO_KEY).code == 0
    env_text = (site / ".env").read_text(encoding="utf-8")
    # the hash key kept as it is; a private key for the sealed column added after it
    assert env_text.startswith("SIGNSYNC_HASH_KEY=keep-me-as-it-is-0123456789\n")
    assert re.search(r"(?m)^SIGNSYNC_PRIVATE_KEY=[A-Za-z0-9_-]{43}$", env_text)
    ignored = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    for name in (".env", "signatories.csv.lock", "signatories.page-backup.*.json", "responses.csv"):
        assert name in ignored, name
        check = subprocess.run(["git", "check-ignore", "-q", name.replace("*", "x")], cwd=site)
        assert check.returncode == 0, name
    (site / "signsync.toml").write_text("# mine\n", encoding="utf-8")
    r = run_cli(*args, cwd=site, env=NO_KEY)
    assert r.code == 1 and r.err.startswith("Error: ") and "--force" in r.err
    assert (site / "signsync.toml").read_text(encoding="utf-8") == "# mine\n"
    r = run_cli(*args, "--force", cwd=site, env=NO_KEY)
    assert r.code == 0, r.err
    assert (site / "signsync.toml.bak").read_text(encoding="utf-8") == "# mine\n"
    assert (site / ".gitignore").read_text(encoding="utf-8").count(".env") == 1
    assert (site / ".env").read_text(encoding="utf-8") == env_text  # neither key replaced


def test_init_from_the_live_sheet(
    tmp_path: Path, sheets_emulator: SheetsEmulator, service_account: ServiceAccount
) -> None:
    key = "1InitSheetKey0123456789abcdefghijklmnopqrstu"
    sheets_emulator.load_csv(key, FORMS / "reponses-fr.csv")
    shutil.copy(FORMS / "page-fr.html", tmp_path / "page-fr.html")
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0"
    env = {**NO_KEY, "GOOGLE_APPLICATION_CREDENTIALS": str(service_account.path)}
    r = run_cli(
        "init",
        url,
        "--page",
        "page-fr.html",
        "--after",
        "<h2>Signataires</h2>",
        "--api-endpoint",
        sheets_emulator.url,
        cwd=tmp_path,
        env=env,
    )
    assert r.code == 0, r.err
    cfg = tomllib.loads((tmp_path / "signsync.toml").read_text(encoding="utf-8"))
    assert cfg["source"] == {"kind": "sheet", "spreadsheet": url, "api_endpoint": sheets_emulator.url}
    assert cfg["columns"]["name"] == "Nom et prénom" and cfg["columns"]["timestamp"] == "Horodateur"
    assert "ok   sheet" in r.out or "All checks passed." in r.err
    r = run_cli("plan", "--json", "--config", str(tmp_path / "signsync.toml"), env=env)
    assert r.code == 2, r.err
    assert "Claire Dubois" in r.out


def test_init_from_a_sheet_without_credentials_says_how(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text("<h2>S</h2>\n", encoding="utf-8")
    env = {"GOOGLE_APPLICATION_CREDENTIALS": "", "SIGNSYNC_SERVICE_ACCOUNT_JSON": ""}
    r = run_cli(
        "init", "https://docs.google.com/spreadsheets/d/abc/edit", "--page", "p.html", cwd=tmp_path, env=env
    )
    assert r.code == 1
    assert len(r.err.strip().splitlines()) == 1 and r.err.startswith("Error: cannot read the responses: ")
    assert not (tmp_path / "signsync.toml").exists()


def test_a_csv_saved_with_semicolons_is_a_clear_error_or_is_read(tmp_path: Path) -> None:
    (tmp_path / "form.csv").write_text(
        "Horodateur;Adresse e-mail;Nom et prénom;J'accepte que mon nom soit publié\n"
        "20/11/2026 09:14:03;a@example.fr;Claire Dubois;Oui\n"
        "20/11/2026 09:15:03;c@example.fr;Marc Roux;Oui\n",
        encoding="utf-8",
    )
    (tmp_path / "p.html").write_text("<h2>Signataires</h2>\n", encoding="utf-8")
    r = run_cli(
        "init", "form.csv", "--page", "p.html", "--after", "<h2>Signataires</h2>", cwd=tmp_path, env=NO_KEY
    )
    if r.code == 0:  # the CSV reader sniffs the separator
        assert _columns(tmp_path / "signsync.toml")["name"] == "Nom et prénom"
    else:
        assert r.err.strip().splitlines() == [
            "Error: form.csv has one column whose title holds ';': it was saved with ';' between values "
            "(Excel does so in many languages): download it again from the response sheet "
            "(File > Download > Comma-separated values)"
        ]
        assert not (tmp_path / "signsync.toml").exists()
