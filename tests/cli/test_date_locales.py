"""Dates read one way per source, in every language Forms exports in: a CSV with the headers and
the timestamp layout of each locale (docs: forms-locales research), with dates on both sides of
the 12th, reads every date right; a first export holding only dates that read both ways is read
by the form's language; English, which has both orders, says which setting decides."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from tests.support.helpers import run_cli

KEY = "example-only-key-do-not-use-for-a-real-statement"

# locale -> (timestamp header, email header, strftime-like layout of Sheets in that locale)
LOCALES = {
    "en-US": ("Timestamp", "Email Address", "{M}/{D}/{Y} {h}:{mm}:{ss}"),
    "en-GB": ("Timestamp", "Email address", "{DD}/{MM}/{Y} {hh}:{mm}:{ss}"),
    "de": ("Zeitstempel", "E-Mail-Adresse", "{DD}.{MM}.{Y} {hh}:{mm}:{ss}"),
    "fr": ("Horodateur", "Adresse e-mail", "{DD}/{MM}/{Y} {hh}:{mm}:{ss}"),
    "es": ("Marca temporal", "Dirección de correo electrónico", "{D}/{MM}/{Y} {h}:{mm}:{ss}"),
    "pt-BR": ("Carimbo de data/hora", "Endereço de e-mail", "{DD}/{MM}/{Y} {hh}:{mm}:{ss}"),
    "it": ("Informazioni cronologiche", "Indirizzo email", "{DD}/{MM}/{Y} {hh}.{mm}.{ss}"),
    "nl": ("Tijdstempel", "E-mailadres", "{D}-{M}-{Y} {h}:{mm}:{ss}"),
    "pl": ("Sygnatura czasowa", "Adres e-mail", "{DD}.{MM}.{Y} {hh}:{mm}:{ss}"),
    "ru": ("Отметка времени", "Адрес электронной почты", "{DD}.{MM}.{Y} {hh}:{mm}:{ss}"),
    "tr": ("Zaman damgası", "E-posta Adresi", "{DD}.{MM}.{Y} {hh}:{mm}:{ss}"),
    "ja": ("タイムスタンプ", "メールアドレス", "{Y}/{MM}/{DD} {h}:{mm}:{ss}"),
}
# Days on both sides of the 12th, months that could be days.
BOTH_SIDES = [
    datetime(2026, 12, 1, 9, 5, 7),
    datetime(2026, 11, 5, 18, 30, 0),
    datetime(2026, 12, 13, 7, 0, 59),
    datetime(2026, 1, 12, 23, 59, 1),
    datetime(2026, 2, 28, 12, 0, 0),
]
TWO_WAYS = [d for d in BOTH_SIDES if d.day <= 12 and d.day != d.month]


def _letter(d: datetime) -> str:
    """Each date's signer: one letter per date of BOTH_SIDES, whatever list the date is in."""
    return chr(65 + BOTH_SIDES.index(d)) if d in BOTH_SIDES else "Z"


def _stamp(layout: str, d: datetime) -> str:
    return layout.format(
        Y=d.year,
        M=d.month,
        MM=f"{d.month:02d}",
        D=d.day,
        DD=f"{d.day:02d}",
        h=d.hour,
        hh=f"{d.hour:02d}",
        mm=f"{d.minute:02d}",
        ss=f"{d.second:02d}",
    )


def _site(
    tmp_path: Path, locale: str, dates: list[datetime], setting: str = "", zipped: bool = False
) -> Path:
    stamp_header, email_header, layout = LOCALES[locale]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([stamp_header, email_header, "Name"])
    for d in dates:
        writer.writerow(
            [_stamp(layout, d), f"signer{_letter(d)}@example.org", f"Signer Number{_letter(d)} Example"]
        )
    source = "responses.csv"
    if zipped:
        source = "Statement.csv.zip"
        with zipfile.ZipFile(tmp_path / source, "w") as archive:
            archive.writestr("Statement.csv", out.getvalue())
    else:
        (tmp_path / source).write_text(out.getvalue(), encoding="utf-8")
    if not (tmp_path / "page.md").exists():
        (tmp_path / "page.md").write_text("# S\n\n<!-- signatories:start -->\n<!-- signatories:end -->\n")
    order = f'date_order = "{setting}"\n' if setting else ""
    (tmp_path / "signsync.toml").write_text(
        f'[source]\nkind = "csv"\npath = "{source}"\n{order}\n'
        f'[columns]\ntimestamp = "{stamp_header}"\nemail = "{email_header}"\nname = "Name"\n\n'
        '[page]\npath = "page.md"\n',
        encoding="utf-8",
    )
    return tmp_path / "signsync.toml"


def _signed(tmp_path: Path) -> dict[str, str]:
    with open(tmp_path / "signatories.csv", encoding="utf-8", newline="") as fh:
        return {row["name"]: row["signed"] for row in csv.DictReader(fh)}


def _expected(dates: list[datetime]) -> dict[str, str]:
    return {f"Signer Number{_letter(d)} Example": f"{d:%Y-%m-%d %H:%M:%S}" for d in dates}


@pytest.mark.parametrize("locale", list(LOCALES))
def test_every_date_reads_right_in_each_export_language(tmp_path: Path, locale: str) -> None:
    cfg = _site(tmp_path, locale, BOTH_SIDES)
    r = run_cli("apply", "--yes", "--config", str(cfg), env={"SIGNSYNC_HASH_KEY": KEY})
    assert r.code == 0, r.err
    assert "could not be read as dates" not in r.err and "reads two ways" not in r.err, r.err
    assert _signed(tmp_path) == _expected(BOTH_SIDES)


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if not loc.startswith("en")])
def test_a_first_export_of_two_way_dates_reads_by_the_forms_language_and_stays_so(
    tmp_path: Path, locale: str
) -> None:
    """The Brazilian export: 01/12/2026 is 1 December from the first run, and a later export
    with 13/12/2026 in it reads every row the same way."""
    env = {"SIGNSYNC_HASH_KEY": KEY}
    cfg = _site(tmp_path, locale, TWO_WAYS)
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert "reads two ways" not in r.err, r.err
    assert _signed(tmp_path) == _expected(TWO_WAYS)
    _site(tmp_path, locale, BOTH_SIDES)
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    assert _signed(tmp_path) == _expected(BOTH_SIDES)


def test_english_dates_that_read_two_ways_say_which_setting_decides(tmp_path: Path) -> None:
    env = {"SIGNSYNC_HASH_KEY": KEY}
    cfg = _site(tmp_path, "en-GB", TWO_WAYS)
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 2, r.err
    assert "no date has a day over 12 yet, so '01/12/2026 09:05:07' reads two ways" in r.out
    assert '[source] date_order = "dmy"' in r.out
    cfg = _site(tmp_path, "en-GB", TWO_WAYS, setting="dmy")
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0 and "reads two ways" not in r.err, r.err
    assert _signed(tmp_path) == _expected(TWO_WAYS)


def test_an_order_decided_by_the_data_holds_for_later_rows(tmp_path: Path) -> None:
    """An English (British) export with 13/12 decides day-first; a later export of rows that
    read both ways (the earlier ones removed from the sheet) is read the same way."""
    env = {"SIGNSYNC_HASH_KEY": KEY}
    cfg = _site(tmp_path, "en-GB", BOTH_SIDES)
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    later = [datetime(2026, 12, 2, 10, 0, 0)]
    _site(tmp_path, "en-GB", later)
    r = run_cli("plan", "--json", "--config", str(cfg), env=env)
    assert "reads two ways" not in r.err, r.err
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert _signed(tmp_path)["Signer NumberZ Example"] == "2026-12-02 10:00:00"


def test_dates_in_two_orders_in_one_source_are_named(tmp_path: Path) -> None:
    env = {"SIGNSYNC_HASH_KEY": KEY}
    cfg = _site(tmp_path, "en-GB", BOTH_SIDES)
    text = (tmp_path / "responses.csv").read_text(encoding="utf-8")
    (tmp_path / "responses.csv").write_text(
        text + "12/14/2026 10:00:00,late@example.org,Late Signer Example\r\n", encoding="utf-8"
    )
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert "the dates are written in two orders ('13/12/2026 07:00:59' has the day first, " in r.out
    assert '[source] date_order = "dmy"' in r.out


def test_the_forms_own_zip_download_is_read(tmp_path: Path) -> None:
    cfg = _site(tmp_path, "pt-BR", BOTH_SIDES, zipped=True)
    r = run_cli("apply", "--yes", "--config", str(cfg), env={"SIGNSYNC_HASH_KEY": KEY})
    assert r.code == 0, r.err
    assert _signed(tmp_path) == _expected(BOTH_SIDES)


def test_a_zip_without_one_csv_says_what_to_do(tmp_path: Path) -> None:
    cfg = _site(tmp_path, "de", BOTH_SIDES, zipped=True)
    with zipfile.ZipFile(tmp_path / "Statement.csv.zip", "a") as archive:
        archive.writestr("other.csv", "a,b\n")
    r = run_cli("plan", "--config", str(cfg), env={"SIGNSYNC_HASH_KEY": KEY})
    assert r.code == 1
    assert r.err.startswith("Error: ") and "holding 2 CSV files" in r.err and "unzip" in r.err
