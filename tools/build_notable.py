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

Second source (CC0 1.0): the CIA World Factbook as JSON, repository
github.com/factbook/factbook.json at commit 8662a8b17a784841ab4528631b04090eb2f183eb
(2026-05-17; the Factbook is a US government work, the repository dedicates its JSON to the
public domain, LICENSE.md there). Its history holds the Factbook from 2014 to 2026; the build
reads the last version of each half-year (17 of them) of every country's "Executive branch":

- "chief of state" and "head of government": the first person named, the head of state or of
  government of every country and territory since 2014 ("President Duma BOKO", "Prime Minister
  Keir STARMER"), ~1,000, many of them after the 2018 Wikidata sets above (fame 3), listed
  also under any two of their words ("Jose Pedro CASTILLO Terrones" as "Pedro Castillo");
- everyone else there (vice presidents, deputy prime ministers, the candidates of
  presidential elections with their votes): fame 2.
- Party leaders are not read: minor parties' leaders sign real letters, and a party leader
  "Vladimir KOZLOV" is not the Wikidata footballer of that name. (Measured 2026-12-08: the
  "[Leader NAME]" of every "Political parties and leaders" field, even at fame 1, i.e. only
  rare names, held 3 more famous rows of the corpus and 12 more real signers: party leaders
  of Estonia, Latvia, Wales, the Netherlands, Iceland... signing as themselves.)

The Factbook writes surnames in capitals ("Yoweri Kaguta MUSEVENI", "XI Jinping"), which is how
names are found in its free text.

Third source (CC0 1.0): the football.db World Cup files, repository
github.com/openfootball/worldcup.more at commit 092f6b7a97b1b2cea4b2fe2b7706894a8866878b
(2025-03-20; LICENSE.md there: CC0), folder worldcup/: the line-ups of every World Cup match
1930-2022 ("Senegal: Édouard Mendy, Kalidou Koulibaly, ... (69' Bamba Dieng)"). A player in
`WORLD_CUP_MATCHES` or more matches gets fame 2 (known far beyond his country: "Mehdi Taremi",
"Vincent Aboubakar"), one with fewer fame 1 (listed only when the name is rare, as below).

Get them and build (the sources are not committed; only the built file is):

    git clone https://github.com/steveash/NETransliteration-COLING2018 /tmp/xlit
    git -C /tmp/xlit checkout 5d5f59e561ecea45a6d3602121e1049baa7a76c3
    git clone https://github.com/factbook/factbook.json /tmp/factbook
    git -C /tmp/factbook checkout 8662a8b17a784841ab4528631b04090eb2f183eb
    git clone https://github.com/openfootball/worldcup.more /tmp/worldcup
    git -C /tmp/worldcup checkout 092f6b7a97b1b2cea4b2fe2b7706894a8866878b
    python tools/build_notable.py /tmp/xlit/data --factbook /tmp/factbook --worldcup /tmp/worldcup \
        | gzip -9n > sync/data/notable.txt.gz

What "well-known" means here: fame 3, a head of state or government since 2014 (Factbook); fame
2, a person with Wikidata labels written by editors of both the Hebrew and the Korean Wikipedia
(some 20,000 people known far beyond their own country: ministers, athletes, actors, singers,
business leaders, writers, historical figures) or another Factbook executive; fame 1, a label by
one of the two Wikipedias only: by the Korean one, listed when the name is rare (as the reader
holds fame 1); by the Hebrew one only when no word of the name is a common name anywhere
(`HEBREW_ONLY_BAR`: that label alone mostly marks Israel's and the Jewish world's public figures,
who sign real letters themselves). A name then gets its forms in other scripts: the Hebrew and
Korean labels as given, and Cyrillic, Arabic, Chinese and katakana spellings put together word by
word from the most frequent spelling of each word among Wikidata's persons ("Donald Trump" -> "Дональд Трамп",
"دونالد ترامب", "唐纳德 特朗普"). Names in a script with case (Latin, Cyrillic, Greek) need no
extra form: the reader compares everything in ASCII (anyascii), so "Владимир Путин" and
"Vladimir Putin" have one key.

Each line: fame, commonness, the name as in English, its other forms ("|"), its matching keys
("|", sync/names/notable.py: `index_keys`). Commonness is the product of the name's words' best
ranks as given names or surnames in any country (sync/data/name_ranks.txt.gz; 10^6 for a word
that is no common name): "John Smith" ~1, "Vladimir Putin" 10^7. The reader weighs the two.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import combinations, permutations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync.names.notable import SHORT, commonness, index_keys, notable_words, short_key, would_hold

SOURCE = "github.com/steveash/NETransliteration-COLING2018 @ 5d5f59e561ecea45a6d3602121e1049baa7a76c3"
FACTBOOK = "github.com/factbook/factbook.json"
WORLDCUP = "github.com/openfootball/worldcup.more"
WORLD_CUP_MATCHES = 3  # World Cup matches played for fame 2 (fewer: fame 1)
FULL = ("wd_hebrew", "wd_korean")
TOKENS = {
    "ru": ("wd_russian_80", "wd_russian_20"),
    "ar": ("wd_arabic.normalized.aligned.tokens",),
    "zh": ("wd_chinese.normalized.aligned.tokens",),
    "ja": ("wd_katakana.normalized.aligned.tokens",),
}
MAX_WORDS = 4  # longer labels are regnal or descriptive ("Cosimo II de' Medici, Grand Duke of ...")
HEAD, EXECUTIVE = 3, 2  # fame of a Factbook head of state or government, of its other executives
# the commonness a person labelled by the Hebrew Wikipedia only needs to be listed: that alone
# mostly marks Israel's and the Jewish world's public figures (members of the Knesset, writers,
# scholars), who sign real letters themselves ("Einat Wilf", "Dovid Katz")
HEBREW_ONLY_BAR = 1_000_000_000

# Factbook text: a name is a run of capitalised words with the surname in capitals, either last
# ("Yoweri Kaguta MUSEVENI", "Jose Luis RODRIGUEZ ZAPATERO") or first ("XI Jinping", "HUN Manet")
_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOW = "a-zß-öø-ÿā-ž"
_CAPS = rf"[{_UP}][{_UP}'’\-]+"
_TITLE = rf"[{_UP}][{_LOW}'’\-]+(?:[{_UP}][{_LOW}]+)?"
_PARTICLE = r"(?:bin|bint|ibn|al|el|de|da|do|dos|das|del|di|du|la|le|van|von|der|den|ter|wa|y|ould|ag|abu)"
_FACTBOOK_NAME_RE = re.compile(
    rf"(?<![\w'’-])((?:(?:{_TITLE}|{_CAPS}|{_PARTICLE}|[{_UP}]\.)\s+){{1,5}}(?:{_TITLE}|{_CAPS}))(?![\w'’-])"
)
# offices and ranks written before a name ("President", "Air Vice-Marshal", "Crown Prince")
_OFFICES = frozenset(
    re.findall(
        r"\S+",
        "President Presidents Vice Prime Minister Ministers Deputy King Queen Sultan Emir Amir "
        "Crown Prince Princess Governor Governor-General Chancellor Premier Chairman Chairwoman Capt "
        "Chair Chairperson Supreme Leader Secretary First Second Co-Prince Co-Princes Grand "
        "Duke Duchess Ayatollah Mr Mrs Ms Dr Gen Lt Col Field Marshal Air Vice-Marshal "
        "Vice-Marshall Acting Interim Transitional State Council Chief Executive Head Sovereign "
        "Captain Captains Regent Regents Pope Cardinal Archbishop Bishop Federal Speaker Senate "
        "Senator Lieutenant Colonel Major Brigadier Admiral Commander Taoiseach Tanaiste "
        "Tánaiste Monarch Emperor Empress Administrator Commissioner High Presidential "
        "Caretaker Defense Foreign Finance Interior Affairs National Assembly Party Republic "
        "Democratic Hereditary Paramount Mayor Representative Royal Highness His Her Majesty "
        "Excellency Lord Lady Sir Dame Bailiff Prefect Islands Island Lieutenant-Governor "
        "Governor-general Holy See Co-Regent Acting-President Territorial General",
    )
)
_OFFICES_CF = frozenset(o.casefold() for o in _OFFICES)  # "Co-prince Emmanuel MACRON"
_HEAD_FIELDS = ("chief of state", "head of government")


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


def factbook_names(text: str) -> list[str]:
    """The persons' names in a Factbook text, surnames from capitals to title case
    ("President Yoweri Kaguta MUSEVENI (since 1986)" -> ["Yoweri Kaguta Museveni"])."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    found = []
    for match in _FACTBOOK_NAME_RE.finditer(text):
        words = match.group(1).split()
        while words and (
            words[0].rstrip(".").casefold() in _OFFICES_CF
            or re.search(r"-(?:elect|designate)$", words[0], re.IGNORECASE)  # "President-elect"
            or words[0].endswith(("'s", "’s"))
            or re.fullmatch(_PARTICLE, words[0], re.IGNORECASE)
        ):
            words.pop(0)  # "President", "Malaysia's", "Al SAUD"
        capitals = [w for w in words if len(w) >= 2 and w.isupper() and set(w) & set("AEIOUY")]
        if len(words) < 2 or not capitals or (len(capitals) == len(words) and len(words) > 3):
            continue  # an office, a party's acronym, a heading in capitals
        if any(w.isupper() and len(w) <= 4 and not set(w) & set("AEIOUY.") for w in words):
            continue  # "NRM", "PSUV": an acronym beside a name (not an initial: "Michael D. HIGGINS")
        if words[0].isupper() and "bin" in words[1:]:  # "MUHAMMAD BIN SALMAN bin Abd al-Aziz Al SAUD"
            words = words[: words.index("bin", 1)]
        found.append(
            " ".join("-".join(p.capitalize() for p in w.split("-")) if w.isupper() else w for w in words)
        )
    return found


def read_factbook(repo: Path) -> tuple[str, dict[str, int]]:
    """The Factbook's commit and its executives' names -> fame (HEAD or EXECUTIVE), from the
    last version of each half-year in the repository's history."""

    def git(*args: str, stdin: bytes | None = None) -> bytes:
        return subprocess.run(
            ["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=True
        ).stdout

    commit = git("rev-parse", "HEAD").decode().strip()
    halves: dict[str, str] = {}
    for line in git("log", "--format=%H %cs", "HEAD").decode().split("\n"):
        if line:
            sha, day = line.split()
            halves.setdefault(day[:4] + ("a" if day[5:7] <= "06" else "b"), sha)  # newest first
    blobs: dict[str, None] = {}
    for sha in halves.values():
        for line in git("ls-tree", "-r", sha).decode().split("\n"):
            meta, _, path = line.partition("\t")
            if path.endswith(".json") and "/" in path and not path.startswith(("meta/", "world/", "oceans/")):
                blobs[meta.split()[2]] = None
    out = git("cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
    fame: dict[str, int] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        government = json.loads(out[end + 1 : end + 1 + size]).get("Government") or {}
        pos = end + 1 + size + 1
        read_government(government, fame)
    return commit, fame


def read_government(government: dict[str, object], fame: dict[str, int]) -> None:
    """Add a country's executives to `fame` (a party leader is no source: minor parties'
    leaders sign real letters, and "Vladimir KOZLOV" of a Kazakh party is not the footballer)."""
    for section, value in government.items():
        if not section.lower().startswith("executive branch"):
            continue
        fields = value.items() if isinstance(value, dict) and "text" not in value else [(section, value)]
        for field, item in fields:
            text = item.get("text", "") if isinstance(item, dict) else str(item)
            for n, name in enumerate(factbook_names(text)):
                # the head himself; after him: vice presidents, deputies, representatives
                level = HEAD if field in _HEAD_FIELDS and n == 0 else EXECUTIVE
                fame[name] = max(fame.get(name, 0), level)


# a team's line-up in a match: "Qatar: Saad Al-Sheeb, Ró-Ró, ... (72' Mohammed Muntari),"
# continued on indented lines
_LINEUP_RE = re.compile(r"^[A-Z][^:\n]{1,40}: (.+(?:\n {3}.+)*)", re.M)
_MINUTE_RE = re.compile(r"\d+(?:\+\d+)?'")


def lineup_names(text: str) -> list[str]:
    """The players of every line-up in a football.db match file, once per match played
    (substitutes too; one-word names like "Ró-Ró" left out: see `usable`)."""
    found = []
    for block in _LINEUP_RE.findall(text):
        for name in re.split(r"[,()]", block.replace("\n", " ")):
            name = " ".join(_MINUTE_RE.sub("", name).split())
            if usable(name):
                found.append(name)
    return found


def read_worldcup(repo: Path) -> tuple[str, dict[str, int]]:
    """The World Cup repository's commit and its players -> fame (2 for `WORLD_CUP_MATCHES`
    matches or more, else 1), from the line-ups of worldcup/*_worldcup.txt at HEAD."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=True, text=True
        ).stdout

    matches: Counter[str] = Counter()
    for path in git("ls-tree", "-r", "--name-only", "HEAD").split():
        if not path.endswith("_worldcup.txt"):
            continue
        matches.update(lineup_names(git("show", f"HEAD:{path}")))
    commit = git("rev-parse", "HEAD").strip()
    return commit, {name: 2 if n >= WORLD_CUP_MATCHES else 1 for name, n in matches.items()}


def main() -> None:  # noqa: C901 - one pass per source, then one line per person
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="the data/ folder of the source repository")
    ap.add_argument("--factbook", type=Path, required=True, help="a clone of the factbook.json repository")
    ap.add_argument("--worldcup", type=Path, required=True, help="a clone of openfootball/worldcup.more")
    args = ap.parse_args()
    full = read_full(args.data)
    tables = {lang: read_tokens(args.data, files) for lang, files in TOKENS.items()}
    factbook_commit, executives = read_factbook(args.factbook)
    worldcup_commit, players = read_worldcup(args.worldcup)
    # fame and the labels of each person, by English name
    fames = {english: len(sources) for english, sources in full.items()}  # in how many of the two
    hebrew_only = {english for english, sources in full.items() if list(sources) == ["wd_hebrew"]}
    labels = {e: list(dict.fromkeys(f for source in full[e].values() for f in source)) for e in full}
    by_key: dict[str, str] = {}  # a listed name's words (and first and last word) -> the name
    for english in sorted(full, key=lambda e: (-fames[e], e)):
        words = notable_words(english)
        for key in (" ".join(sorted(words)), " ".join(sorted((words[0], words[-1]))) if words else ""):
            by_key.setdefault(key, english)

    def listed(name: str) -> str:
        words = notable_words(name)
        if len(words) < 2:
            return ""
        return by_key.get(" ".join(sorted(words)), "") or by_key.get(
            " ".join(sorted((words[0], words[-1]))), ""
        )

    for name, level in sorted([*executives.items(), *players.items()]):
        if len(name.split()) > MAX_WORDS + 1:  # a run of offices and names
            continue
        known = listed(name)
        if known:  # "Yoweri Kaguta Museveni" is the Wikidata "Yoweri Museveni"
            fames[known] = max(fames[known], level)
            if name not in labels[known] and name != known:
                labels[known].append(name)
        elif name not in fames:
            fames[name], labels[name] = level, []
    out = sys.stdout
    out.write(
        "# signsync notable people: generated by tools/build_notable.py; do not edit by hand.\n"
        f"# Sources: {SOURCE}, data/ (Wikidata person labels, CC0 1.0);\n"
        f"# {FACTBOOK} @ {factbook_commit} (CIA World Factbook 2014-2026, CC0 1.0);\n"
        f"# {WORLDCUP} @ {worldcup_commit} (World Cup line-ups 1930-2022, CC0 1.0).\n"
        f"# Built {datetime.date.today().isoformat()}. Columns (tab-separated): fame (3: a head of state or\n"
        "# government, 2: known to the Hebrew and the Korean Wikipedia, a Factbook executive or a player\n"
        f"# of {WORLD_CUP_MATCHES}+ World Cup matches, 1: known to one of them, another World Cup player),\n"
        "# commonness (product of the words' best ranks as names, sync/data/name_ranks.txt.gz), name,\n"
        "# other forms (|), keys (|).\n"
    )
    people = 0
    # the better known first (they keep a key two people share), then by name
    for english in sorted(fames, key=lambda e: (-fames[e], e)):
        fame = fames[english]
        # as common as its most common spelling: "Lee Min-ho" is 이민호, a name thousands have
        common = min(commonness(text) for text in (english, *labels[english]))
        if fame < 2 and not would_hold(fame, common):
            continue  # a locally known "John Smith": namesakes would be held for nothing
        if fame < 2 and english in hebrew_only and common <= HEBREW_ONLY_BAR:
            continue  # Israel's and the Jewish world's public figures: they sign real letters
        # (the better known are all listed: the reader weighs the name as typed, and "Imran
        # Ahmed Khan Niazi" is rarer than "Imran Khan")
        words = notable_words(english)
        if len(words) < 2:
            continue  # "Nikephoros I", "John III": one name word left, namesakes everywhere
        # "George Bush" finds George W. Bush, but "Daniel Kim" does not find Daniel Dae Kim
        pair = len(words) >= 3 and would_hold(fame, commonness(f"{words[0]} {words[-1]}"))
        keys = index_keys(words, pair=pair, sound=True)
        if fame >= HEAD and 3 <= len(words) <= MAX_WORDS:  # "Pedro Castillo", "Samuel Matekane"
            keys.extend(
                k
                for k in dict.fromkeys("~" + " ".join(sorted(p)) for p in combinations(words, 2))
                if k not in keys
            )
        if fame >= HEAD:  # a short form of a name: "Sam Matekane", "Chris Hipkins" (`short_key`)
            keys.extend(
                k
                for k in dict.fromkeys(short_key(a, b) for a, b in permutations(words, 2) if len(a) > SHORT)
                if k not in keys
            )
        forms = []
        spelled = [(lang, composed(english, tables[lang])) for lang in TOKENS]
        for lang, text in [("", label) for label in labels[english]] + spelled:
            # Han and kana names are typed without spaces: their keys without spaces too
            found = notable_words(text)
            if len(found) < 2 and (" " in text or text.isascii()):
                continue  # one word left where there were several: no name
            latin = text.isascii()  # a Factbook spelling with the middle names
            new = [k for k in index_keys(found, lang in ("zh", "ja"), False, latin) if k not in keys]
            if text and new and text not in forms:
                forms.append(text)
                keys.extend(new)
        out.write(f"{fame}\t{common}\t{english}\t{'|'.join(forms)}\t{'|'.join(keys)}\n")
        people += 1
    print(f"{people} people", file=sys.stderr)


if __name__ == "__main__":
    main()
