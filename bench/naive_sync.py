"""The naive baseline for bench/bench_pipeline.py: the sync script people write today.

    python bench/naive_sync.py --key KEY.json --spreadsheet KEY --names names.json \\
        --page page.html [--api-endpoint http://127.0.0.1:PORT]

Every run it reads the whole response sheet with gspread (``worksheet.get_all_records()``),
loads the previously published names (a JSON list), and for each row whose name is not already
published (an exact-match set lookup, the one cheap thing such scripts get right) compares the
name against ALL published names with ``rapidfuzz.process.extractOne`` (default scorer WRatio,
as people do), adding it when the best score is below 90. Then it re-renders the whole page
(sorted by last word) and writes the page and the names file. No cursor, no index: quadratic.

``--api-endpoint`` sends the Sheets API calls elsewhere (the local emulator) with the documented
gspread trick, a ``gspread.HTTPClient`` subclass rewriting the URL (signsync's own
``endpoint_client_class``, borrowed for this only); the token goes to the key file's ``token_uri``.
Prints one summary line.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

import gspread
from rapidfuzz import process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sync.intake.sources.sheets_client import endpoint_client_class

GOOGLE_SHEETS = "https://sheets.googleapis.com"
NAME_COLUMN = "Full name"
CONSENT_COLUMN = "I agree that my name may be published"
THRESHOLD = 90


def render(names: list[str]) -> str:
    """The whole page, names sorted by last word."""
    ordered = sorted(names, key=lambda n: (n.split()[-1].casefold() if n.split() else "", n))
    items = "\n".join(f"  <li>{html.escape(n)}</li>" for n in ordered)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>Statement</title></head>\n<body>\n<h1>Statement</h1>\n"
        f"<p>{len(ordered)} signatories</p>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def main() -> None:
    """Read the sheet, fuzzy-dedupe new names against all published ones, write the page."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--key", required=True, help="service-account JSON key file")
    ap.add_argument("--spreadsheet", required=True, help="spreadsheet key")
    ap.add_argument("--names", required=True, type=Path, help="published names (JSON list)")
    ap.add_argument("--page", required=True, type=Path, help="the page to write")
    ap.add_argument("--api-endpoint", default=GOOGLE_SHEETS)
    args = ap.parse_args()

    gc = gspread.service_account(filename=args.key, http_client=endpoint_client_class(args.api_endpoint))
    records = gc.open_by_key(args.spreadsheet).sheet1.get_all_records()
    names: list[str] = json.loads(args.names.read_text()) if args.names.exists() else []
    published = set(names)
    added = similar = 0
    for row in records:
        name = " ".join(str(row.get(NAME_COLUMN, "")).split())
        if not name or str(row.get(CONSENT_COLUMN, "")).strip().lower() != "yes":
            continue
        if name in published:
            continue
        best = process.extractOne(name, names) if names else None
        if best is not None and best[1] >= THRESHOLD:
            similar += 1
            continue
        names.append(name)
        published.add(name)
        added += 1
    args.page.write_text(render(names), encoding="utf-8")
    args.names.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    print(
        f"{len(records)} rows, {added} added, {similar} skipped as similar, {len(names)} published",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
