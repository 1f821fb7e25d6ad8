"""Text the word lists cannot read (languages without a wordfreq list, scripts without data):
judged by its shape and by the names in it, with the real names-dataset and ICU data."""

from __future__ import annotations

import pytest

from sync.names import make_watchlist, read_name
from sync.names.judgement import known_name, latin_spellings, lowercase_words, spelled_out

NO_WATCH = make_watchlist(())


@pytest.mark.parametrize(
    "typed",
    [
        "Go raibh maith agat",  # Irish
        "Grazzi ħafna u saħħa",  # Maltese
        "Ngiyabonga kakhulu kakhulu",  # Zulu
        "Дзякуй вялікі за падтрымку",  # Belarusian
        "Təşəkkür edirəm sizə",  # Azerbaijani
    ],
)
def test_a_sentence_in_sentence_case_is_rejected_in_any_cased_script(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    # a sentence by its shape, or by its listed thanks words (sync/data/comment_words.txt)
    assert reading.reject.startswith(("reads as a sentence", "a comment")), (
        typed,
        reading.reject,
        reading.hold,
    )


@pytest.mark.parametrize(
    "typed",
    ["Diolch yn fawr", "Eskerrik asko", "Faleminderit shumë", "Хвала на подршци", "Mèsi anpil"],
)
def test_a_lowercase_word_after_the_first_is_never_published(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision != "publish", typed


@pytest.mark.parametrize("typed", ["Aitäh", "Faleminderit", "Mahadsanid", "Misaotra", "Trugarez"])
def test_one_word_thanks_of_a_language_without_a_word_list_is_rejected(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.reject.startswith("a comment"), (typed, reading.hold)


@pytest.mark.parametrize("typed", ["Saluton", "Sawubona", "Mirëdita", "Përshëndetje"])
def test_one_word_known_neither_as_a_name_nor_as_a_word_is_held(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "hold", typed
    assert "neither as a name nor as a word" in reading.hold[0]


@pytest.mark.parametrize(
    "typed",
    [
        "Itziar Etxeberria",  # Basque
        "Gwenllian Llywelyn",  # Welsh
        "Pádraig Ó Súilleabháin",  # Irish
        "Ludwig van der Berg",  # lowercase particles
        "Muhammad ould Abdallah",
        "Ипатьев С.С.",  # a surname with initials
        "Enum Cohrs",  # two rare Latin words
        "გიორგი ბერიძე",  # Georgian
        "Արամ Պետրոսյան",  # Armenian
        "નરેશ પટેલ",  # Gujarati
        "ರಮೇಶ್ ಕುಮಾರ್",  # Kannada
        "సురేష్ రెడ్డి",  # Telugu
        "කමල් පෙරේරා",  # Sinhala
        "አበበ ቢቂላ",  # Ethiopic
        "สมศรี วงศ์สวัสดิ์",  # Thai: no vowels in its transliteration, judged by shape
    ],
)
def test_real_names_in_languages_and_scripts_without_a_word_list_are_published(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "publish", (typed, reading.hold, reading.reject)


@pytest.mark.parametrize("typed", ["ප්‍රජාතන්ත්‍රවාදය", "ಪ್ರಜಾಪ್ರಭುತ್ವವಾದ"])
def test_a_long_unknown_word_in_a_script_without_a_word_list_is_held(typed: str) -> None:
    # more syllables than a name's ("democracy" in Sinhala and Kannada)
    assert read_name(typed, watchlist=NO_WATCH).decision == "hold", typed


@pytest.mark.parametrize("typed", ["ස්තූතියි", "ਧੰਨਵਾਦ", "ധന്യവാദം", "დიდი მადლობა ყველას"])
def test_thanks_in_a_script_without_a_word_list_is_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


@pytest.mark.parametrize(
    "typed", ["धन्यवाद।", "ありがとう！", "شكرا لكم؟", "Շնորհակալություն՜", "አመሰግናለሁ።", "ကျေးဇူးပါ။"]
)
def test_sentence_punctuation_of_any_script_ends_a_comment(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "reject", (typed, reading.hold)


def test_lowercase_words_are_those_of_a_sentence_not_particles() -> None:
    assert lowercase_words(["Diolch", "yn", "fawr"]) == ["fawr"]
    assert lowercase_words(["Ludwig", "van", "der", "Berg"]) == []
    assert lowercase_words(["Juan", "dela", "Cruz"]) == []


def test_latin_spellings_find_names_across_transliterations() -> None:
    assert "naresh" in latin_spellings("નરેશ")
    assert known_name("కుమార్") and known_name("ቢቂላ") and not known_name("ස්තූතියි")
    assert spelled_out("ગુજરાત") and not spelled_out("สมศรี") and not spelled_out("ස්තූතියි")


@pytest.mark.parametrize("typed", ["Aa", "Ey", "Ooo", "Уа", "Ойе", "Ḿm"])
def test_one_short_word_as_the_whole_name_is_never_published(typed: str) -> None:
    # "yes", "oh", a hum: in a language no word list covers, nothing tells it from a name
    assert read_name(typed, watchlist=NO_WATCH).decision != "publish", typed


@pytest.mark.parametrize("typed", ["Salam Salam", "Ура Ура", "Merci merci", "شكرا شكرا", "ধন্যবাদ ধন্যবাদ"])
def test_one_word_said_over_and_over_is_never_published(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision != "publish", typed


@pytest.mark.parametrize("typed", ["Hare Rama Rama Rama", "ᎣᏏᏲ ᎣᏏᏲ ᎣᏏᏲ ᏙᎯ", "Viva Viva Viva Kenya"])
def test_a_word_chanted_three_times_is_never_published(typed: str) -> None:
    # a chant or a slogan in any script: a name that repeats a word repeats it once
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision != "publish", (typed, reading.hold, reading.reject)


@pytest.mark.parametrize(
    "typed", ["Sukarno", "Mustafa", "مصطفى", "Ngozi", "Ali Ali Hassan", "Mohamed Ahmed Mohamed"]
)
def test_a_one_word_known_name_and_a_name_repeating_one_word_are_published(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "publish", (typed, reading.hold, reading.reject)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        # "God bless you" in Luo, Zulu and Kazakh: no word list has them; a word after the
        # first in lowercase makes them a sentence, not an institution
        ("Otieno Odhiambo, Nyasaye ogwedhi", "Otieno Odhiambo"),
        ("Sipho Dlamini, Unkulunkulu akubusise", "Sipho Dlamini"),
        ("Bolat Serik, Алла жарылқасын", "Bolat Serik"),
        ("Juma Mwinyi, Mungu akubariki", "Juma Mwinyi"),
    ],
)
def test_a_sentence_in_sentence_case_after_a_name_is_dropped_not_the_signer(typed: str, name: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.decision, reading.display, reading.affiliation) == ("publish", name, ""), reading.hold
    assert any("comment after the name dropped" in f for f in reading.flags)


@pytest.mark.parametrize("typed", ["Бах кьечӀо", "ЦӀе щыӀэкъым", "Ала чок", "Wura tɛ", "Nada mais"])
def test_a_name_never_ends_in_a_lowercase_word(typed: str) -> None:
    # particles come before a surname; a phrase ends in its verb or negation (the palochka "Ӏ"
    # is typed as a capital inside lowercase Caucasian words)
    assert read_name(typed, watchlist=NO_WATCH).decision != "publish", typed


@pytest.mark.parametrize("typed", ["Ana da Silva", "Ahmad bin Ali", "Jan van der Berg", "Хъалимат ЦӀахаева"])
def test_particles_before_a_surname_and_a_palochka_in_a_name_stay_published(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "publish", (typed, reading.hold, reading.reject)


@pytest.mark.parametrize("typed", ["CNF", "KYK", "ЛНКА"])
def test_an_acronym_is_not_held_as_a_short_word(typed: str) -> None:
    # an organization's acronym typed without a "Signing as" answer is judged as an acronym
    reading = read_name(typed, watchlist=NO_WATCH)
    assert not any(h.startswith("one short word") for h in reading.hold), reading.hold


@pytest.mark.parametrize("typed", ["ⴰⵎⴰⵏ", "ᱢᱟᱨᱤ", "ᎹᎵ", "ߡߊߙߌ"])
def test_one_unread_word_that_spells_a_name_only_in_latin_letters_is_held(typed: str) -> None:
    # Tifinagh "ⴰⵎⴰⵏ" (water) spells "Aman", a name somewhere: a short word of any script spells
    # some name in Latin letters, so that alone does not publish one word nobody can read
    assert known_name(typed.casefold()), typed  # the Latin spelling is a listed name
    assert read_name(typed, watchlist=NO_WATCH).decision == "hold", typed
