"""Rebuild sync/data/notable.txt.gz: well-known people, with their names in other scripts.

Source (CC0 1.0, public domain dedication): the Wikidata person-name dictionaries released with
Merhav & Ash, "Design Challenges in Named Entity Transliteration" (COLING 2018), repository
github.com/steveash/NETransliteration-COLING2018 at commit
5d5f59e561ecea45a6d3602121e1049baa7a76c3 (2018-06-04), folder data/ (its LICENSE there is CC0):

- data/wd_hebrew, data/wd_korean: "English label<TAB>label in Hebrew / Korean" of every Wikidata
  person (instance of human) with both labels, ~70,000 each;
- data/wd_russian_80 and data/wd_russian_20 (the two halves of the Russian set),
  data/wd_arabic.normalized.aligned.tokens, data/wd_chinese.normalized.aligned.tokens,
  data/wd_katakana.normalized.aligned.tokens: one name word per line, "latin<TAB>its letters in
  the other script, spaced<TAB>how many names have this pair".

Get it and build (the source is not committed; only the built file is):

    git clone https://github.com/steveash/NETransliteration-COLING2018 /tmp/xlit
    git -C /tmp/xlit checkout 5d5f59e561ecea45a6d3602121e1049baa7a76c3
    python tools/build_notable.py /tmp/xlit/data | gzip -9n > sync/data/notable.txt.gz

What "well-known" means here: a person has a Wikidata label written by editors of the Hebrew
and of the Korean Wikipedia (fame 2: some 20,000 people known far beyond their own country:
heads of state and government, ministers, athletes, actors, singers, business leaders,
writers, historical figures) or of one of them (fame 1). A name then gets its forms in other
scripts: the Hebrew and Korean labels as given, and Cyrillic, Arabic, Chinese and katakana
spellings put together word by word from the most frequent spelling of each word among
Wikidata's persons ("Donald Trump" -> "Дональд Трамп", "دونالد ترامب", "唐纳德 特朗普"). Names in a
script with case (Latin, Cyrillic, Greek) need no extra form: the reader compares everything in
ASCII (anyascii), so "Владимир Путин" and "Vladimir Putin" have one key.

Each line: fame, commonness, the name as in English, its other forms ("|"), its matching keys
("|", sync/names/notable.py: `index_keys`). Commonness is the product of the name's words' best
ranks as given names or surnames in any country (sync/data/name_ranks.txt.gz; 10^6 for a word
that is no common name): "John Smith" ~1, "Vladimir Putin" 10^7. The reader weighs the two.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync.names.notable import commonness, index_keys, notable_words, would_hold

SOURCE = "github.com/steveash/NETransliteration-COLING2018 @ 5d5f59e561ecea45a6d3602121e1049baa7a76c3"
FULL = ("wd_hebrew", "wd_korean")
TOKENS = {
    "ru": ("wd_russian_80", "wd_russian_20"),
    "ar": ("wd_arabic.normalized.aligned.tokens",),
    "zh": ("wd_chinese.normalized.aligned.tokens",),
    "ja": ("wd_katakana.normalized.aligned.tokens",),
}
MAX_WORDS = 4  # longer labels are regnal or descriptive ("Cosimo II de' Medici, Grand Duke of ...")


def usable(name: str) -> bool:
    """A person's name as typed on a form: two to four words, letters only (no "(singer)", no
    ", Duke of ..."), not one word (mononyms are held by other rules or too common)."""
    if any(ch in name for ch in ',()/"“”[]'):
        return False
    words = name.split()
    return 2 <= len(words) <= MAX_WORDS and any(ch.isalpha() for ch in name)


def read_full(folder: Path) -> dict[str, dict[str, list[str]]]:
    """English label -> source file -> its labels there (Hebrew, Korean); several labels when
    several persons share the English one (namesakes)."""
    forms: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name in FULL:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            english, _, other = line.partition("\t")
            english, other = " ".join(english.split()), " ".join(other.split())
            if usable(english) and other:
                forms[english][name].append(other)
    return forms


def read_tokens(folder: Path, files: tuple[str, ...]) -> dict[str, str]:
    """Latin word (casefolded) -> its most frequent spelling in the other script."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for name in files:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 3 or not parts[2].strip().isdigit():
                continue
            latin, spaced, count = parts
            counts[latin.casefold()]["".join(spaced.split())] += int(count)
    return {w: c.most_common(1)[0][0] for w, c in counts.items()}


def composed(english: str, table: dict[str, str]) -> str:
    """The name spelled word by word from `table`, or '' when a word is missing."""
    out = []
    for word in english.split():
        spelled = table.get(word.casefold().strip(".-'"))
        if not spelled:
            return ""
        out.append(spelled)
    return " ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="the data/ folder of the source repository")
    args = ap.parse_args()
    full = read_full(args.data)
    tables = {lang: read_tokens(args.data, files) for lang, files in TOKENS.items()}
    out = sys.stdout
    out.write(
        "# signsync notable people: generated by tools/build_notable.py; do not edit by hand.\n"
        f"# Source: {SOURCE}, data/ (Wikidata person labels, CC0 1.0).\n"
        f"# Built {datetime.date.today().isoformat()}. Columns (tab-separated): fame (2: labels by\n"
        "# the Hebrew and the Korean Wikipedia, 1: by one of them), commonness (product of the words'\n"
        "# best ranks as names, sync/data/name_ranks.txt.gz), name, other forms (|), keys (|).\n"
    )
    people = 0
    # the better known first (they keep a key two people share), then by name
    for english in sorted(full, key=lambda e: (-len(full[e]), e)):
        fame = len(full[english])  # in how many of the two sources
        labels = list(dict.fromkeys(f for source in full[english].values() for f in source))
        # as common as its most common spelling: "Lee Min-ho" is 이민호, a name thousands have
        common = min(commonness(text) for text in (english, *labels))
        if not would_hold(fame, common):
            continue  # "John Smith", "David Silva": namesakes would be held for nothing
        words = notable_words(english)
        if len(words) < 2:
            continue  # "Nikephoros I", "John III": one name word left, namesakes everywhere
        # "George Bush" finds George W. Bush, but "Daniel Kim" does not find Daniel Dae Kim
        pair = len(words) >= 3 and would_hold(fame, commonness(f"{words[0]} {words[-1]}"))
        keys = index_keys(words, pair=pair)
        forms = []
        spelled = [(lang, composed(english, tables[lang])) for lang in TOKENS]
        for lang, text in [("", label) for label in labels] + spelled:
            # Han and kana names are typed without spaces: their keys without spaces too
            found = notable_words(text)
            if len(found) < 2 and (" " in text or text.isascii()):
                continue  # one word left where there were several: no name
            new = [k for k in index_keys(found, lang in ("zh", "ja"), False) if k not in keys]
            if text and new and text not in forms:
                forms.append(text)
                keys.extend(new)
        out.write(f"{fame}\t{common}\t{english}\t{'|'.join(forms)}\t{'|'.join(keys)}\n")
        people += 1
    print(f"{people} people", file=sys.stderr)


if __name__ == "__main__":
    main()
