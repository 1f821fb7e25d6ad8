"""The names rules' examples through the CLI: form rows in, what the plan and the page make of them."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

from tests.support.helpers import run_cli

# (name typed, affiliation typed, "Signing as") -> status on the plan (held is "pending"),
# display name ('' for rejected rows)
EXAMPLES = [
    # not a name at all
    ("Well done. Great statement", "", "An individual", "rejected", ""),
    ("Good luck", "", "An individual", "rejected", ""),
    ("Fully support this", "", "An individual", "rejected", ""),
    ("Go for it!!!", "", "An individual", "rejected", ""),
    ("De acuerdo totalmente", "", "An individual", "rejected", ""),
    ("J'approuve", "", "An individual", "rejected", ""),
    ("Ich bin dabei", "", "An individual", "rejected", ""),
    ("Agreed, well said", "", "An individual", "rejected", ""),
    ("¡Adelante, compañeras!", "", "An individual", "rejected", ""),
    ("Poiuytrewq", "", "An individual", "rejected", ""),
    ("Dfdfdf Ghgh", "", "An individual", "rejected", ""),
    ("Zxcvbn", "", "An individual", "rejected", ""),
    ("<script>alert(1)</script>", "", "An individual", "rejected", ""),
    ("TEST - please ignore", "", "An individual", "rejected", ""),
    ("<b>Maria</b> Lopez", "", "An individual", "pending", "<b>Maria</b> Lopez"),  # never recased
    # spam: an ordinary name with a link in the affiliation
    ("Kevin Harper", "https://cheap-meds.example.com", "An individual", "pending", "Kevin Harper"),
    # impersonation beyond the old list, across scripts
    ("Keir Starmer", "", "An individual", "pending", "Keir Starmer"),
    ("Владимир Путин", "", "An individual", "pending", "Владимир Путин"),
    ("Taylor Swift", "", "An individual", "pending", "Taylor Swift"),
    ("Sherlock Holmes", "", "An individual", "pending", "Sherlock Holmes"),
    # held before, published now
    ("Jo\u200bhn Carter", "", "An individual", "published", "John Carter"),
    ("Morales Vega, Lucia", "", "An individual", "published", "Lucia Morales Vega"),
    ("Sam Okoye (Daily Courier)", "", "An individual", "published", "Sam Okoye"),
    ("Article 19", "", "An organization", "published", "Article 19"),
    ("Data4Change.net", "", "An organization", "published", "Data4Change.net"),
    # bidi controls still hold
    ("Eva \u202eNilsson", "", "An individual", "pending", "Eva Nilsson"),
    # text handling
    ("İSMAİL DUMANLI", "", "An individual", "published", "İsmail Dumanlı"),
    ("გიორგი ბერიძე", "", "An individual", "published", "გიორგი ბერიძე"),
    ("MARTIN Dominique", "", "An individual", "published", "Dominique Martin"),
    ("Ana Lima.", "", "An individual", "published", "Ana Lima"),
    ("Maria Costa University of Porto", "", "An individual", "published", "Maria Costa"),
]


def _csv_row(i: int, name: str, affiliation: str, kind: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(
        [f"11/28/2026 10:{i:02d}:00", f"example{i}@issue10-{i}.example", name, affiliation, kind, "Yes", ""]
    )
    return out.getvalue()


def _plan(site: Path) -> dict:
    r = run_cli("plan", "--json", "--config", str(site / "signsync.toml"))
    assert r.code in (0, 2), r.err
    return json.loads(r.out)


def test_issue_examples_through_the_cli(site: Path) -> None:
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        for i, (name, aff, kind, _, _) in enumerate(EXAMPLES):
            f.write(_csv_row(i, name, aff, kind) + "\n")
    doc = _plan(site)
    rejected = {c["name"] for c in doc["changes"] if c["action"] == "reject" and not c.get("private")}
    by_raw: dict[str, dict] = {}
    for sig in doc["signatories"]:
        by_raw.setdefault(sig["name"], sig)
    wrong = []
    for name, _, _, status, display in EXAMPLES:
        if status == "rejected":
            if not any(
                unicodedata.normalize("NFC", r) == unicodedata.normalize("NFC", name) for r in rejected
            ):
                wrong.append(f"{name!r}: not rejected")
            continue
        sig = by_raw.get(display)
        if sig is None:
            wrong.append(f"{name!r}: no entry named {display!r}")
        elif sig["status"] != status:
            wrong.append(f"{name!r}: {sig['status']} ({sig['reason']}), want {status}")
        elif not unicodedata.is_normalized("NFC", sig["name"]):
            wrong.append(f"{name!r}: display not NFC")
    assert not wrong, wrong
    # the page: published names there, nothing held or rejected
    assert run_cli("apply", "--yes", "--config", str(site / "signsync.toml")).code == 0
    page = (site / "statement.html").read_text(encoding="utf-8")
    for name, _, _, status, display in EXAMPLES:
        shown = display or name
        if status == "published":
            assert shown.replace("'", "&#39;") in page or shown in page, shown
    for bad in (
        "Good luck",
        "Poiuytrewq",
        "Keir Starmer",
        "Владимир Путин",
        "<Script>",
        "script",
        "Kevin Harper",
    ):
        assert bad not in page, bad
    assert "Dominique Martin" in page and "MARTIN" not in page


def test_a_rejected_comment_does_not_hold_the_real_name_sent_next(site: Path) -> None:
    comment = "11/28/2026 10:00:00,same@issue10.example,Great statement fully support this"
    with open(site / "responses.csv", "a", encoding="utf-8") as f:
        f.write(comment + ",,An individual,Yes,\n")
        f.write("11/28/2026 10:05:00,same@issue10.example,Helen Barker,,An individual,Yes,\n")
    doc = _plan(site)
    rejected = {
        c["name"]: c["reason"] for c in doc["changes"] if c["action"] == "reject" and not c.get("private")
    }
    assert "reads as a comment" in rejected["Great statement fully support this"]
    helen = [s for s in doc["signatories"] if s["name"] == "Helen Barker"]
    assert [s["status"] for s in helen] == ["published"]
