"""Rebuild sync/data/profanity_world.txt: profanity and insults of many languages, as whole words.

    git clone https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words ldnoobw
    git clone https://github.com/LDNOOBWV2/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words_V2 ldnoobw2
    pip install names-dataset wordfreq       # needed here only, not at run time
    python tools/build_profanity.py ldnoobw/.git ldnoobw2/.git > sync/data/profanity_world.txt

Sources (each read at its HEAD commit, which the file's header records):
- LDNOOBW, "List of Dirty, Naughty, Obscene, and Otherwise Bad Words" (Shutterstock), 28 lists,
  licensed CC BY 4.0 (attribution in NOTICE);
- LDNOOBW_V2 (its continuation, 75 languages, gathered from the lists its SOURCES.md names),
  released CC0 1.0.

Only single words are kept (the names engine matches whole words of a name's key: casefolded,
accents after Latin, Greek and Cyrillic letters removed), of four letters or more in Latin
letters (three-letter ones are abbreviations as often as not: "msf"), three in other scripts
and two in Han and kana. Left out, so that no real name or ordinary word is caught:
- from LDNOOBW, a word frequent (Zipf >= OTHER_ZIPF) in a wordfreq language other than the
  list's own, and more so than in its own: an ordinary word there (Portuguese "fica");
- from LDNOOBW_V2, which gathered many lists without review (its Persian list has "کردن", "to
  do"; its Indonesian one "united"), any word with Zipf >= V2_ZIPF in a wordfreq language,
  its own included: what is left are slang and insults no dictionary word list holds;
- a word that is a given name or surname of names-dataset (Remy & Sutton, 106 countries) within
  NAME_RANK in some country ("Gable", "Lund", "Koko"), and the words of
  sync/data/name_allowlist.txt. Rarer names that collide with a bad word are only held by the
  engine (never rejected), so an editor decides.
"""

from __future__ import annotations

import gzip
import pickle
import subprocess
import sys
import unicodedata
from pathlib import Path

import names_dataset
from wordfreq import available_languages, zipf_frequency

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync.names.cleaning import name_keys

OTHER_ZIPF = 3.5  # this frequent in another language: an ordinary word there ...
V2_ZIPF = 3.0  # the names engine's dictionary-word cut (sync/names/judgement.py WORD_ZIPF)
OWN_MARGIN = 0.5  # ... when more frequent there than in the list's own (Ukrainian "сука" is Russian's)
NAME_RANK = 10_000  # a name this common somewhere is never listed (ranks go to ~20,000)
LATIN_MIN = 4
DATA = Path(__file__).resolve().parents[1] / "sync" / "data"
# list file names that are not wordfreq's language codes
WORDFREQ_CODE = {"no": "nb", "fil": "fil", "kh": "km", "yid": "yi", "fr-CA-u-sd-caqc": "fr"}


def _git(git_dir: str, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
    ).stdout


def lists(git_dir: str, folder: str) -> tuple[str, dict[str, list[str]]]:
    """(HEAD commit, {language: lines}) of the repository's word lists in `folder`."""
    commit = _git(git_dir, "rev-parse", "HEAD").strip()
    out: dict[str, list[str]] = {}
    for path in _git(git_dir, "ls-tree", "--name-only", f"HEAD:{folder}" if folder else "HEAD").split():
        lang = path.removesuffix(".txt")
        if path.isupper() or path.endswith((".md", ".csv")) or lang in ("LICENSE", "tlh"):
            continue  # documents, and Klingon
        text = _git(git_dir, "show", f"HEAD:{folder}{path}")
        out[lang] = [line.strip() for line in text.splitlines() if line.strip()]
    return commit, out


def name_ranks() -> dict[str, int]:
    """Every given name and surname of names-dataset with its best rank in any country."""
    ranks: dict[str, int] = {}
    for filename in ("first_names.pkl.gz", "last_names.pkl.gz"):
        with gzip.open(Path(names_dataset.__file__).parent / "v3" / filename) as fh:
            table = pickle.load(fh)
        for name, attrs in table.items():
            values = [r for r in (attrs.get("rank") or {}).values() if r]
            if values:
                key = name_keys(name)[0]
                ranks[key] = min(ranks.get(key, 10**9), min(values))
    return ranks


def allowed() -> set[str]:
    lines = (DATA / "name_allowlist.txt").read_text(encoding="utf-8").splitlines()
    return {x.split("#")[0].strip().casefold() for x in lines if x.split("#")[0].strip()}


def _unspaced(word: str) -> bool:
    return any(unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for ch in word)


def gather(sources: list[tuple[str, str, str]]) -> tuple[list[str], dict[str, set[str]], set[str]]:
    """(source commits, {keyed word: its lists' languages}, the words of the reviewed LDNOOBW
    lists) of single words long enough to judge."""
    words: dict[str, set[str]] = {}
    reviewed: set[str] = set()
    commits = []
    for label, git_dir, folder in sources:
        commit, by_lang = lists(git_dir, folder)
        commits.append(f"{label} {commit}")
        for lang, lines in by_lang.items():
            for line in lines:
                key = name_keys(unicodedata.normalize("NFC", line))[0]
                if not key or " " in key or not all(ch.isalpha() for ch in key):
                    continue
                if len(key) < (2 if _unspaced(key) else LATIN_MIN if key.isascii() else 3):
                    continue
                words.setdefault(key, set()).add(WORDFREQ_CODE.get(lang, lang))
                if label == "LDNOOBW":
                    reviewed.add(key)
    return commits, words, reviewed


def kept_words(words: dict[str, set[str]], reviewed: set[str]) -> list[str]:
    """The words that are no common name and no ordinary word of another language (module doc)."""
    # Chinese, Japanese and Korean look-ups need segmenters this script does without
    usable = set(available_languages()) - {"ja", "zh", "ko"}
    ranks = name_ranks()
    allow = allowed()
    kept = []
    for word, langs in sorted(words.items()):
        if word in allow or ranks.get(word, 10**9) <= NAME_RANK:
            continue
        if word not in reviewed and any(zipf_frequency(word, x) >= V2_ZIPF for x in usable):
            continue
        own = max((zipf_frequency(word, x) for x in langs & usable), default=0.0)
        if any((z := zipf_frequency(word, x)) >= OTHER_ZIPF and z > own + OWN_MARGIN for x in usable - langs):
            continue
        kept.append(word)
    return kept


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    commits, words, reviewed = gather([("LDNOOBW", argv[0], ""), ("LDNOOBW_V2", argv[1], "data/")])
    kept = kept_words(words, reviewed)
    out = sys.stdout
    out.write(
        "# Generated by tools/build_profanity.py: do not edit by hand, rerun the script.\n"
        "# Profanity and insults of many languages, one whole word a line, as the names engine keys\n"
        "# words (casefolded, accents after Latin, Greek and Cyrillic letters removed).\n"
        "# Sources: the LDNOOBW lists (Shutterstock, CC BY 4.0, see NOTICE) and LDNOOBW_V2 (CC0 1.0):\n"
        + "".join(f"#   {c}\n" for c in commits)
        + f"# Left out: LDNOOBW words with Zipf >= {OTHER_ZIPF} in another wordfreq language, LDNOOBW_V2\n"
        f"# words with Zipf >= {V2_ZIPF} in any, names within\n"
        f"# rank {NAME_RANK} of names-dataset 3.3.1, and sync/data/name_allowlist.txt. {len(kept)} words.\n"
    )
    for w in kept:
        out.write(w + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
