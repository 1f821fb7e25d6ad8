"""Whether a form's "Signing as" answer means a person or an organization.

The answer is the form author's own option text, in any language the form is written in:
"An individual", "As an individual (not my organization)", "Au nom de mon organisation",
"Persona física", "Pessoa jurídica", "個人として", "단체 대표". Each mention of a person-word or an
organization-word counts for its side, unless a negation stands next to it ("not", "nicht",
"pas", "sin", "не", "değil", "不是", ...): a negated mention counts, weakly, for the other side.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex
from anyascii import anyascii

# Word beginnings (matched against the start of each word, casefolded), with a weight: 2 for
# words that settle the question on their own ("juridique" in "personne morale/juridique").
_ORG_STEMS: dict[str, int] = {
    **dict.fromkeys(
        (
            "organi",  # organization, organisation, organización, organizzazione, organisatie...
            "org",
            "company",
            "companies",
            "compañía",
            "empresa",
            "entreprise",
            "unternehmen",
            "firma",
            "business",
            "institution",
            "institución",
            "instituição",
            "istituzion",
            "instelling",
            "instytucj",
            "entity",
            "entidad",
            "entité",
            "entidade",
            "ente",
            "association",
            "asociación",
            "associação",
            "associazion",
            "vereniging",
            "verein",
            "verband",
            "stowarzyszeni",
            "group",
            "grupo",
            "groupe",
            "gruppe",
            "gruppo",
            "groep",
            "grupa",
            "collecti",
            "colectiv",
            "kolektyw",
            "ngo",
            "ong",
            "nonprofit",
            "charity",
            "union",
            "sindicato",
            "syndicat",
            "gewerkschaft",
            "coalition",
            "network",
            "behalf",  # on behalf of
            "namens",
            "организац",
            "учрежден",
            "компани",
            "юридическ",
            "kuruluş",
            "kurum",
            "örgüt",
            "şirket",
            "dernek",
            "منظمة",
            "مؤسسة",
            "جهة",
            "جمعية",
            "organisasi",
            "lembaga",
            # "organization" (and the commonest synonyms on forms) in more languages, from
            # Wiktionary's translation tables of "organization", "association" and "NGO"
            "organisasie",  # af
            "organizat",  # sq organizatë
            "կազմակերպ",  # hy
            "təşkilat",  # az
            "erakunde",  # eu
            "elkarte",  # eu
            "арганізац",  # be
            "সংগঠন",  # bn, as
            "সংস্থা",  # bn, as
            "організац",  # uk
            "организациј",  # sr, mk
            "організаці",
            "ორგანიზაცი",  # ka
            "οργάνωσ",  # el
            "οργανισμ",
            "σύλλογ",
            "સંસ્થા",  # gu
            "સંગઠન",
            "ƙungiya",  # ha
            "ארגון",  # he
            "עמות",  # he amuta
            "szervezet",  # hu
            "egyesület",
            "samtök",  # is
            "félag",
            "nzukọ",  # ig
            "pertubuhan",  # ms
            "eagraíocht",  # ga
            "ಸಂಸ್ಥೆ",  # kn
            "ಸಂಘಟನೆ",
            "ұйым",  # kk
            "អង្គការ",  # km
            "rêxistin",  # ku
            "уюм",  # ky
            "ອົງການ",  # lo
            "organizācij",  # lv
            "biedrīb",
            "organizacij",  # lt, sl, hr, bs
            "സംഘടന",  # ml
            "organizzazzjoni",  # mt
            "rōpū",  # mi
            "संघटन",  # mr
            "байгууллага",  # mn
            "organisasjon",  # nb
            "forening",
            "förening",  # sv
            "سازمان",  # fa
            "ਸੰਸਥਾ",  # pa
            "ਸੰਗਠਨ",
            "organizați",  # ro
            "asociați",
            "සංවිධාන",  # si
            "organizáci",  # sk
            "urur",  # so
            "shirika",  # sw
            "organisasyon",  # tl
            "samahan",
            "ташкилот",  # tg
            "அமைப்பு",  # ta
            "நிறுவன",
            "оешма",  # tt
            "సంస్థ",  # te
            "องค์กร",  # th
            "หน่วยงาน",
            "تنظیم",  # ur, fa
            "ادارہ",
            "tashkilot",  # uz
            "sefydliad",  # cy
            "mudiad",
            "umbutho",  # xh
            "àjọ",  # yo
            "inhlangano",  # zu
            "ድርጅት",  # am
            "ସଂଗଠନ",  # or
            "ସଂସ୍ଥା",
            "umuryango",  # rw
            "järjest",  # fi järjestö
            "yhdisty",
            "organisatsioon",  # et
            "ühing",
            "ühendus",
            "cumann",  # ga
            "buidheann",  # gd
            "tổ",  # vi (tổ chức: two words)
        ),
        1,
    ),
    **dict.fromkeys(("jurídica", "juridica", "jurídico", "juridique", "juristisch", "morale"), 2),
}
_IND_STEMS: dict[str, int] = {
    **dict.fromkeys(
        (
            "einzel",  # Einzelperson
            "individu",  # individual, individuel, individuo, individuale, individu...
            "person",  # person, personal, persönlich is below; persona, personne, persoon
            "persön",
            "persoon",
            "personne",
            "pessoa",
            "pessoal",
            "myself",
            "self",
            "private",
            "privat",
            "privé",
            "privato",
            "privado",
            "particul",  # particulier, particular
            "citizen",
            "citoyen",
            "ciudadan",
            "cidadã",
            "cittadin",
            "bürger",
            "burger",
            "osob",  # osoba, osobiście
            "prywat",
            "частн",
            "лично",
            "личн",
            "индивидуальн",
            "гражданин",
            "bireysel",
            "kişisel",
            "şahs",
            "şahıs",
            "فرد",
            "شخص",
            "pribadi",
            "perorangan",
            # "individual", "private person" in more languages (Wiktionary)
            "անհատ",  # hy
            "фізичн",  # uk
            "физичк",  # sr, mk
            "ფიზიკურ",  # ka
            "ინდივიდ",
            "φυσικό",  # el
            "ιδιώτ",
            "yksityi",  # fi
            "henkilö",
            "eraisik",  # et
            "privātperson",  # lv
            "fizinis",  # lt
            "magánszemély",  # hu
            "einstakling",  # is
            "binafsi",  # sw
            "mtu",
            "व्यक्तिगत",  # hi, ne
            "ব্যক্তি",  # bn
            "தனிநபர்",  # ta
            "ವೈಯಕ್ತಿಕ",  # kn
            "ਵਿਅਕਤੀ",  # pa
            "વ્યક્તિ",  # gu
            "شخصی",  # fa, ur
            "انفرادی",  # ur
            "บุคคล",  # th
            "indibidwal",  # tl
            "jismoniy",  # uz
            "ҷисмонӣ",  # tg
            "физикалық",  # kk
            "unigol",  # cy
            "duine",  # ga
            "persoan",  # fy
            "individ",  # sq, ro...
        ),
        1,
    ),
    **dict.fromkeys(("física", "fisica", "physique", "natürliche", "natural", "физическ"), 2),
}
# Written without spaces between words: matched anywhere in the text.
_ORG_CJK = (
    "组织",
    "組織",
    "机构",
    "機構",
    "团体",
    "團體",
    "団体",
    "单位",
    "單位",
    "法人",
    "企業",
    "企业",
    "公司",
    "단체",
    "기관",
    "조직",
    "회사",
    "संगठन",
    "संस्था",
    "tổ chức",
)
_IND_CJK = ("个人", "個人", "本人", "개인", "व्यक्ति", "cá nhân")

_NEGATIONS = frozenset(
    (
        "not",
        "non",
        "nor",
        "never",
        "without",
        "instead",
        "rather",
        "nicht",
        "kein",
        "keine",
        "keiner",
        "ohne",
        "pas",
        "ne",
        "sans",
        "non",
        "sin",
        "ni",
        "não",
        "nao",
        "nem",
        "sem",
        "senza",
        "niet",
        "geen",
        "zonder",
        "nie",
        "bez",
        "не",
        "нет",
        "без",
        "ни",
        "غير",
        "ليس",
        "لا",
        "bukan",
        "tanpa",
        "không",
    )
)
_AFTER_NEGATIONS = frozenset(("değil", "degil", "아님", "아닌", "아니라", "아니고"))
_CJK_NEGATIONS = ("不是", "非", "不", "没有", "沒有", "無", "无", "以外")
# words with their combining marks (regex's \w has them, re's does not: "সংগঠন" is one word, not
# "স" and "গঠন"; Hebrew points, Indic vowel signs)
_WORD = regex.compile(r"\w+")
_JOINED = re.compile(r"\b(non|not|no)-(\w)")


@lru_cache(maxsize=1024)  # a form's "Signing as" question has a few answers, repeated per row
def kind_from_answer(answer: str) -> tuple[str, bool]:
    """("organization" | "individual", answered?) for a "Signing as" answer; an answer that
    names neither side (or none at all) means a person, as before."""
    text = unicodedata.normalize("NFC", answer).casefold()
    if not text.strip():
        return "individual", False
    text = _JOINED.sub(r"\1\2", text)  # "non-profit", "not-for-profit" are words, not negations
    words = _WORD.findall(text)
    scores = {"organization": 0.0, "individual": 0.0}
    first: dict[str, int] = {}
    for i, word in enumerate(words):
        for side, stems in (("organization", _ORG_STEMS), ("individual", _IND_STEMS)):
            weight = max((w for stem, w in stems.items() if _matches(word, stem)), default=0) or (
                _skeleton_weight(word, side)
            )
            if not weight:
                continue
            negated = (
                any(w in _NEGATIONS for w in words[max(0, i - 3) : i])
                or (i > 0 and words[i - 1] == "no")  # "no organization" (Portuguese "no" = "in the")
                or any(w in _AFTER_NEGATIONS for w in words[i + 1 : i + 3])
            )
            _count(scores, first, side, weight, negated, i)
    offset = len(words)
    for side, terms in (("organization", _ORG_CJK), ("individual", _IND_CJK)):
        for term in terms:
            for m in re.finditer(re.escape(term), text):
                before = text[max(0, m.start() - 3) : m.start()]
                after = text[m.end() : m.end() + 4]
                negated = any(n in before for n in _CJK_NEGATIONS) or any(
                    n in after for n in _AFTER_NEGATIONS
                )
                _count(scores, first, side, 1, negated, offset + m.start())
    org, ind = scores["organization"], scores["individual"]
    if org > ind or (
        org == ind and org > 0 and first.get("organization", 1 << 30) < first.get("individual", 1 << 30)
    ):
        return "organization", True
    return "individual", True


def _matches(word: str, stem: str) -> bool:
    # Short stems must be the whole word ("org", "ngo", "ong", "ente", "self"), or the word plus
    # a plural; longer ones are word beginnings.
    if len(stem) <= 4:
        return word in (stem, stem + "s")
    return word.startswith(stem)


# Consonants of a word in Latin letters (anyascii, vowels and apostrophes dropped, doubled letters
# single): "организация", "organizatsiya", Yiddish "אָרגאַניזאַציע" are all "rgnzts...". A stem's
# skeleton this long or longer opens an answer's in any script or spelling.
_SKELETON_MIN = 5
_NOT_CONSONANT_RE = re.compile(r"[^b-df-hj-np-tv-xz]")
_DOUBLE_RE = re.compile(r"(.)\1+")


@lru_cache(maxsize=4096)
def _skeleton(word: str) -> str:
    return _DOUBLE_RE.sub(r"\1", _NOT_CONSONANT_RE.sub("", anyascii(word).lower()))


@lru_cache(maxsize=2)
def _stem_skeletons(side: str) -> tuple[tuple[str, int], ...]:
    stems = _ORG_STEMS if side == "organization" else _IND_STEMS
    found = {(k, w) for stem, w in stems.items() if len(k := _skeleton(stem)) >= _SKELETON_MIN}
    return tuple(sorted(found))


def _skeleton_weight(word: str, side: str) -> int:
    """A stem's weight when the word's consonants in Latin letters open with the stem's (an
    answer in another script or spelling of a listed word: "তাঞ্জিম", "אָרגאַניזאַציע"); 0 if none."""
    sk = _skeleton(word)
    return max((w for stem, w in _stem_skeletons(side) if sk.startswith(stem)), default=0)


def _count(
    scores: dict[str, float], first: dict[str, int], side: str, weight: int, negated: bool, at: int
) -> None:
    if negated:
        other = "individual" if side == "organization" else "organization"
        scores[other] += 0.5 * weight
    else:
        scores[side] += weight
        first.setdefault(side, at)
