"""Thanks, greetings, "anonymous" and local placeholders in languages beyond the corpus's, names
in scripts without a word list judged by their syllables, and the affiliation judged on its own."""

from __future__ import annotations

import pytest

from sync.names import make_watchlist, read_name
from sync.names.judgement import _syllables, comment_words

NO_WATCH = make_watchlist(())


@pytest.mark.parametrize(
    "typed",
    [
        "Çox sağ olun",  # Azerbaijani
        "Чоң рахмат",  # Kyrgyz: "рахмат" in lowercase is the word, not the name Rahmat
        "Рахмет сізге",  # Kazakh, sentence case
        "Baie dankie vir julle werk",  # Afrikaans, sentence case
        "Dankon pro via laboro",  # Esperanto
        "Faleminderit shumë",  # Albanian
        "Ngiyabonga kakhulu",  # Zulu
        "Misaotra betsaka",  # Malagasy
        "زۆر سوپاس",  # Sorani Kurdish
        "ډېره مننه",  # Pashto
        "كۆپ رەھمەت",  # Uyghur
        "खूप खूप धन्यवाद",  # Marathi
        "വളരെ നന്ദി",  # Malayalam
        "നന്ദി",  # Malayalam, one word that is also the name Nandi
        "ကျေးဇူးတင်ပါတယ်",  # Myanmar
        "អរគុណច្រើន",  # Khmer, no spaces: the listed word and more
        "ස්තූතියි",  # Sinhala
        "ధన్యవాదాలు",  # Telugu
        "Adsız",  # Azerbaijani "nameless"
        "Anoniem",  # Afrikaans
        "အမည်မသိ",  # Myanmar "name unknown"
        "अनामिक",  # Marathi
    ],
)
def test_thanks_and_anonymous_in_languages_without_rules_are_rejected(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "reject", (typed, reading.hold)


@pytest.mark.parametrize(
    "typed",
    [
        "Rahmat Hidayat",  # "rahmat" is thanks in Central Asia, a given name in Indonesia
        "Kwame Asante",  # "asante" is Swahili thanks, an Akan surname
        "Selamat Riyadi",
        "Tak Wai Chan",
    ],
)
def test_a_listed_word_that_is_a_capitalized_name_beside_a_name_is_a_name(typed: str) -> None:
    assert comment_words(typed) == ""
    assert read_name(typed, watchlist=NO_WATCH).decision == "publish", typed


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Sipho Ndlovu, ngiyabonga kakhulu", "Sipho Ndlovu"),
        ("Elvin Məmmədov - təşəkkürlər", "Elvin Məmmədov"),
        ("Arben Hoxha, faleminderit!", "Arben Hoxha"),
        ("ശ്രീജ മോഹൻ, നന്ദി", "ശ്രീജ മോഹൻ"),
        ("వెంకట రమణ, ధన్యవాదాలు", "వెంకట రమణ"),
    ],
)
def test_thanks_after_a_name_is_split_off_and_the_signer_published(typed: str, name: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.decision, reading.display) == ("publish", name)
    assert any(f.startswith("comment after the name dropped") for f in reading.flags)


@pytest.mark.parametrize(
    "typed",
    ["Falan Filan", "Filan Fisteku", "Пәленше Түгенше", "Jan Alleman", "فلان فلانی", "Tizio Caio"],
)
def test_local_placeholders_and_their_words_together_are_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).reject == "placeholder or comment, not a name", typed


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("အောင်ကျော်မိုး", 3), ("ഉണ്ണികൃഷ്ണൻ", 4), ("ស្រីពៅ", 2), ("ස්තූතියි", 3), ("สมศรี", 0)],
)
def test_syllables_of_an_abugida_are_counted_and_not_where_vowels_are_letters(
    word: str, syllables: int
) -> None:
    assert _syllables(word) == syllables


@pytest.mark.parametrize("typed", ["အောင်ကျော်မိုး", "မောင်မောင်", "ဒေါ်ခင်မာလွင်", "ബിന്ദു", "ഉണ്ണികൃഷ്ണൻ", "ស្រីពៅ"])
def test_one_word_name_in_a_script_without_a_word_list_is_published(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "publish", (typed, reading.hold)


def test_a_long_unknown_word_in_a_script_without_a_word_list_is_still_held() -> None:
    # eight syllables: a phrase written without spaces, not a name's few
    reading = read_name("ထောက်ခံအားပေးလိုက်ပါမယ်နော်", watchlist=NO_WATCH)
    assert reading.decision != "publish"


@pytest.mark.parametrize(
    ("affiliation", "why"),
    [
        ("Baie dankie vir julle werk", "a comment"),
        ("təşəkkürlər!!!", "a comment"),
        ("നന്ദി", "a comment"),
        ("Anonim", "a comment"),
    ],
)
def test_thanks_typed_as_the_affiliation_is_dropped_and_the_name_published(
    affiliation: str, why: str
) -> None:
    reading = read_name("Johan van der Merwe", affiliation, watchlist=NO_WATCH)
    assert (reading.decision, reading.affiliation) == ("publish", "")
    assert any(f.startswith("affiliation dropped") and why in f for f in reading.flags), reading.flags


def test_a_real_affiliation_in_another_script_is_kept() -> None:
    reading = read_name("Айгүл Нұрланқызы", "Әл-Фараби атындағы ҚазҰУ", watchlist=NO_WATCH)
    assert reading.affiliation == "Әл-Фараби атындағы ҚазҰУ"


@pytest.mark.parametrize(
    "typed",
    ["Ne želim reći", "Nie chcę podawać", "بێ ناو", "ނަމެއް ނެތް", "Ùn vogliu dà u mo nome"],
)
def test_i_prefer_not_to_say_in_many_languages_is_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


def test_a_placeholder_written_with_hebrew_points_is_one() -> None:
    # Yiddish writes the points Hebrew leaves out: "פּלוני אַלמוני" is "פלוני אלמוני"
    assert read_name("פּלוני אַלמוני", watchlist=NO_WATCH).reject == "placeholder or comment, not a name"


@pytest.mark.parametrize("typed", ["Galatoomaa!", "Jërëjëf!", "Aguyjevete!"])
def test_an_exclamation_after_a_word_that_is_no_known_name_is_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


def test_an_unknown_word_with_an_exclamation_after_a_name_is_not_taken_for_a_greeting() -> None:
    # the last word may be the name's own: the entry is not cut into a name and a greeting
    reading = read_name("אַ גרויסן יישר־כּוח!", watchlist=NO_WATCH)
    assert reading.decision != "publish"


def test_one_word_in_capitals_without_vowels_is_an_acronym_held_not_mash() -> None:
    reading = read_name("RNDDH", watchlist=NO_WATCH)
    assert (reading.decision, reading.display) == ("hold", "RNDDH")
    assert read_name("sdfghjk", watchlist=NO_WATCH).decision == "reject"


def test_a_comma_of_another_script_closes_the_name_before_a_greeting() -> None:
    reading = read_name("ኤልሳ ጭሩም፣ የቐንየለይ!", watchlist=NO_WATCH)
    assert (reading.decision, reading.display) == ("publish", "ኤልሳ ጭሩም")


@pytest.mark.parametrize("typed", ["जिन्दाबाद", "Niech żyje Polska", "Ať žije Česko", "جيئي سنڌ"])
def test_long_live_slogans_are_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed
