# ruff: noqa: SIM905  (long name lists read better as one string split on spaces)
"""Benchmark the names engine on synthetic signatures (a script, not a test).

    python bench/bench_names.py            # 100k and 1M
    python bench/bench_names.py --sizes 100000

Signatures come from our own lists of given and family names in several scripts (Latin with
diacritics and particles, Cyrillic, Greek, Arabic, Han, Devanagari), written in varied case,
with ~3% injected duplicates (one typo, changed case, surname-first order or a title; half of
them with the same email). Prints:
- full: read_name + MatchIndex build + match for every signature (against all others);
- incremental: 1,000 new signatures read and matched against an index of N;
- peak memory (ru_maxrss) of the process.
Targets: 100k full <= 5 s; 1,000 new vs 1M <= 3 s; < 1.5 GB.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync.dedupe.matching import Candidate, MatchIndex
from sync.names import affiliation_key, load_watchlist, read_name

LATIN_GIVEN = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia "
    "Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen María José Juan Carmen Ana "
    "Luis Lucía Javier Sofía Pablo Hans Jürgen Anna Lukas Lena Felix Marie Jean Pierre "
    "Camille Léa Hugo Chloé Louis Zoë Sven Ingrid Łukasz Małgorzata Zofia Piotr Agnieszka "
    "Tomasz Aoife Siobhán Seán Niamh Ciarán Ayşe Mehmet Emre Zeynep Giulia Marco Francesca "
    "Matteo Chiara Ngozi Chinedu Amara Kwame Thandiwe"
).split()
LATIN_FAMILY = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Martin Jackson Thompson White Harris Clark Lewis Robinson García Martínez Rodríguez "
    "López González Pérez Sánchez Ramírez Torres Flores Müller Schmidt Schneider Fischer "
    "Weber Meyer Wagner Becker Schäfer Koch Dubois Lefèvre Moreau Laurent Girard Roux "
    "Fournier Nowak Kowalski Wiśniewski Wójcik Kamiński Lewandowski O'Brien O'Connor "
    "McCarthy McDonald MacLeod Murphy Kelly Byrne Yılmaz Kaya Demir Şahin Çelik Rossi "
    "Russo Ferrari Esposito Bianchi Romano Okafor Adeyemi Mensah Nkosi"
).split() + [
    "van der Berg",
    "de Vries",
    "van Dijk",
    "de Zayas",
    "von Trapp",
    "da Silva",
    "dos Santos",
    "de la Cruz",
    "Le Pen",
    "di Stefano",
]
CYR_GIVEN = "Иван Мария Алексей Ольга Дмитрий Елена Сергей Анна Андрій Оксана Тарас Наталія".split()
CYR_FAMILY = (
    "Иванов Петрова Смирнов Кузнецова Попов Соколова Лебедев Козлова Новиков "
    "Шевченко Коваленко Бондаренко Мар'яненко Ткаченко"
).split()
GREEK_GIVEN = "Γιώργος Μαρία Νίκος Ελένη Δημήτρης Κατερίνα Γιάννης Σοφία".split()
GREEK_FAMILY = "Παπαδόπουλος Παππάς Οικονόμου Γεωργίου Νικολάου Αλεξίου Ζαχαρίου".split()
ARABIC_GIVEN = "محمد أحمد فاطمة علي مريم حسن خديجة يوسف".split()
ARABIC_FAMILY = "العلي الحسن منصور خليل حداد الشامي عبد الله".split()
HAN_FAMILY = "李 王 张 刘 陈 杨 赵 黄 周 吴 欧阳 司马".split()
HAN_GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 小龙 建国".split()
DEVA_GIVEN = (
    "राम सीता अमित प्रिया राहुल अंजलि विक्रम सुनील अनिल पूजा नेहा रवि संजय दीपक कविता मनोज आरती सुरेश"
).split()
DEVA_FAMILY = "शर्मा वर्मा गुप्ता सिंह कुमार पटेल जोशी मिश्रा यादव चौहान अग्रवाल राव".split()
INSTITUTIONS = [
    "",
    "",
    "",
    "",
    "University of Leeds",
    "Oxfam",
    "NHS",
    "Universität Wien",
    "Sorbonne Université",
    "UCL",
    "Amnesty International",
    "Unite the Union",
]


# Syllables for a long tail of made-up but plausible names: real name frequencies are
# Zipf-like (a few very common names, very many rare ones), and a generator drawing only from
# short lists would make every name a namesake of hundreds of others.
LATIN_SYL = (
    "ba be bi bo bu ca ce co da de di do fa fe fi ga ge go ha he hi ho ka ke ki ko la "
    "le li lo lu ma me mi mo mu na ne ni no pa pe pi po ra re ri ro ru sa se si so ta "
    "te ti to va ve vi wa we ya yo za ze zo bar ber dan der ger han ken lan ler man mer "
    "nan ner ran ren san sen ton ven wen"
).split()
LATIN_END = "n s r son sen man ner ski ez es ini elli ov ard ey ton ford berg stein".split()
CYR_SYL = "ка ко ва ве ли ло ма ми на но па по ра ро са се та то ше ще гу ду зу лен ров ман".split()
CYR_END = "ов ова ев ева ин ина енко ук ский ская".split()
GREEK_SYL = "κα κο λα λε μα μη να νι πα πο ρα ρο σα στα τα το χα χρι".split()
GREEK_END = "ς κης πουλος ίδης άκης ου".split()
ARABIC_SYL = "سا مي را نا دي لي كا ها جا بو فا طا".split()
ARABIC_END = "ن ر ي ل م د ب".split()
DEVA_SYL = "रा मे सु नी का ला वि प्र दे श्री मो गो".split()
DEVA_END = "न र ल त श य".split()
HAN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉萍红平刚桂兰凤霞春梅宇浩然子轩雨欣"


def made_up(rng: random.Random, syl: list[str], end: list[str]) -> str:
    word = "".join(rng.choice(syl) for _ in range(rng.randint(1, 3))) + rng.choice(end)
    return word[0].upper() + word[1:]  # no-op for scripts without case


def pick(rng: random.Random, common: list[str], syl: list[str], end: list[str]) -> str:
    return rng.choice(common) if rng.random() < 0.5 else made_up(rng, syl, end)


def person(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.70:
        given = pick(rng, LATIN_GIVEN, LATIN_SYL, ["a", "o", "e", "an", "el", "ia", "in"])
        if rng.random() < 0.25:
            given += " " + rng.choice(LATIN_GIVEN + [c + "." for c in "ABCDEFGHJKLMNPRST"])
        family = pick(rng, LATIN_FAMILY, LATIN_SYL, LATIN_END)
        if rng.random() < 0.1:
            family += "-" + pick(rng, LATIN_FAMILY[:60], LATIN_SYL, LATIN_END)
        return f"{given} {family}"
    if r < 0.80:
        return f"{rng.choice(CYR_GIVEN)} {pick(rng, CYR_FAMILY, CYR_SYL, CYR_END)}"
    if r < 0.85:
        return f"{rng.choice(GREEK_GIVEN)} {pick(rng, GREEK_FAMILY, GREEK_SYL, GREEK_END)}"
    if r < 0.90:
        return (
            f"{rng.choice(ARABIC_GIVEN)} {rng.choice(ARABIC_GIVEN)} "
            f"{pick(rng, ARABIC_FAMILY, ARABIC_SYL, ARABIC_END)}"
        )
    if r < 0.95:
        given = (
            rng.choice(HAN_GIVEN)
            if rng.random() < 0.3
            else "".join(rng.choice(HAN_CHARS) for _ in range(rng.randint(1, 2)))
        )
        return rng.choice(HAN_FAMILY) + given
    middle = f" {rng.choice(DEVA_GIVEN)}" if rng.random() < 0.3 else ""
    return f"{rng.choice(DEVA_GIVEN)}{middle} {pick(rng, DEVA_FAMILY, DEVA_SYL, DEVA_END)}"


def typed(name: str, rng: random.Random) -> str:
    """How people type: mostly as is, some all caps or lowercase."""
    r = rng.random()
    if r < 0.08:
        return name.upper()
    if r < 0.16:
        return name.lower()
    return name


def variant(name: str, rng: random.Random) -> str:
    """One duplicate-making change."""
    r = rng.random()
    if r < 0.55 and len(name) > 4:  # one typo
        i = rng.randrange(1, len(name) - 1)
        op = rng.random()
        if op < 0.33:
            return name[:i] + name[i + 1 :]
        if op < 0.66:
            return name[:i] + name[i] + name[i:]
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if r < 0.75:
        return name.upper()
    if r < 0.9 and " " in name:
        given, family = name.rsplit(" ", 1)
        return f"{family}, {given}"
    return "Dr. " + name


DUPLICATE_OF: dict[str, str] = {}  # injected duplicate id -> original id


def make_signatures(n: int, seed: int = 4) -> list[tuple[str, str, str, str]]:
    """(id, name, affiliation, email hash) rows with ~3% injected duplicates."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str, str]] = []
    for i in range(n):
        if rows and rng.random() < 0.03:
            orig, name, aff, email = rows[rng.randrange(len(rows))]
            if rng.random() < 0.5:
                email = f"h{rng.getrandbits(48):x}"  # a different address
            DUPLICATE_OF[f"s{i}"] = DUPLICATE_OF.get(orig, orig)
            rows.append((f"s{i}", variant(name, rng), aff, email))
        else:
            rows.append(
                (f"s{i}", typed(person(rng), rng), rng.choice(INSTITUTIONS), f"h{rng.getrandbits(48):x}")
            )
    return rows


def candidate(row: tuple[str, str, str, str], wl: object) -> Candidate:
    id_, name, aff, email = row
    r = read_name(name, aff, "", wl)  # type: ignore[arg-type]
    return Candidate(
        id_,
        r.key,
        r.nospace_key,
        r.ascii_key,
        (email,),
        (email[:6],),
        affiliation_key(r.affiliation) if r.affiliation else "",
        r.kind,
        "pending",
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(n: int) -> list[tuple[str, str]]:
    wl = load_watchlist(None)
    DUPLICATE_OF.clear()
    rows = make_signatures(n)
    # Keep only what the recall check needs; the engine's own memory is what we measure.
    dup_rows = {r[0]: r for r in rows if r[0] in DUPLICATE_OF}
    orig_ids = set(DUPLICATE_OF.values())
    gc.collect()
    out = []
    # Full reconcile from scratch, as the pipeline folds submissions in order: read each
    # name, match it against everything before it, add it.
    t0, c0 = time.perf_counter(), time.process_time()
    cands = [candidate(r, wl) for r in rows]
    t1, c1 = time.perf_counter(), time.process_time()
    del rows
    index = MatchIndex()
    merges = hints = 0
    for c in cands:
        for m in index.match(c):
            merges += m.merge
            hints += not m.merge
        index.add(c)
    t2, c2 = time.perf_counter(), time.process_time()
    key_counts = Counter(c.key for c in cands if c.key)
    namesake_share = sum(v for v in key_counts.values() if v > 1) / max(len(cands), 1)
    del cands
    found = sum(
        DUPLICATE_OF[d] in {m.id for m in index.match(candidate(row, wl))}
        for d, row in dup_rows.items()
        if DUPLICATE_OF[d] in orig_ids
    )
    recall = found / len(dup_rows) if dup_rows else 1.0
    out.append((f"{n:,} full: read_name", f"{t1 - t0:.2f} s (CPU {c1 - c0:.2f} s)"))
    out.append((f"{n:,} full: match + index", f"{t2 - t1:.2f} s (CPU {c2 - c1:.2f} s)"))
    out.append(
        (
            f"{n:,} full: total",
            f"{t2 - t0:.2f} s (CPU {c2 - c0:.2f} s; {merges:,} "
            f"merges, {hints:,} shown for review; injected duplicates found: {recall:.1%}; "
            f"{len(dup_rows):,} injected; names with a namesake: {namesake_share:.0%})",
        )
    )
    new_rows = make_signatures(1000, seed=n + 1)
    new_rows = [(f"new{i}",) + r[1:] for i, r in enumerate(new_rows)]
    t4, c4 = time.perf_counter(), time.process_time()
    for r in new_rows:
        c = candidate(r, wl)
        index.match(c)
        index.add(c)
    t5, c5 = time.perf_counter(), time.process_time()
    out.append(
        (f"1,000 new vs {n:,} index", f"{t5 - t4:.3f} s (CPU {c5 - c4:.3f} s; {t5 - t4:.2f} ms/query)")
    )
    out.append((f"peak memory after {n:,}", f"{peak_mb():,.0f} MB (ru_maxrss, whole process)"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        rows.extend(bench(n))
        for label, value in rows[-5:]:
            print(f"  {label:<32} {value}", file=sys.stderr)
    print("| measure | result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
