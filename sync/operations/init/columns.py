"""Map a form's header row to signsync's fields by meaning, in the languages Google Forms is used in.

Google Forms writes two automatic columns in the language of the sheet owner's account (Timestamp,
Email Address, in each language Forms speaks), then one column per question, titled
with the question as the form's author wrote it. The automatic ones are matched exactly; the
questions by words that say what they ask, helped by the answers (a column of "An organization" /
"An individual" answers is the "signing as" question, a column of "Yes" is consent).

Pure functions: the caller reads the header and rows, and asks the user when two columns fit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sync.intake.responses import NEGATIVE_CONSENT, header_key

FIELDS = ("timestamp", "email", "name", "affiliation", "kind", "consent")
OPTIONAL = ("email", "affiliation", "kind", "consent")
# The order fields pick their column in: the automatic columns first, then the questions whose
# answers give them away, then the name (a single "Name and organization" question is the name:
# the names engine splits the affiliation off), then the affiliation.
_PICK_ORDER = ("timestamp", "email", "consent", "kind", "name", "affiliation")
# A title that only mentions a field's words is not enough on its own for an optional field.
_MIN_SCORE = {"timestamp": 3, "email": 3, "consent": 3, "kind": 3, "name": 2, "affiliation": 3}

# The language of Google Forms' timestamp header: the sheet owner's account language, a hint
# (not proof) of the statement's language.
TIMESTAMP_LANGUAGE = {
    header_key(h): lang
    for h, lang in (
        ("Marca temporal", "es"), ("Horodateur", "fr"), ("Zeitstempel", "de"), ("Carimbo de data/hora", "pt"),
        ("Informazioni cronologiche", "it"), ("Tijdstempel", "nl"), ("Sygnatura czasowa", "pl"),
        ("Отметка времени", "ru"), ("Zaman damgası", "tr"), ("タイムスタンプ", "ja"), ("時間戳記", "zh-Hant"),
        ("时间戳记", "zh-Hans"), ("الطابع الزمني", "ar"), ("Tidsstämpel", "sv"),
    )
}  # fmt: skip

# Google Forms' automatic columns, by account language (forms-locales.md §1).
TIMESTAMP_HEADERS = frozenset(
    header_key(h)
    for h in (
        "Timestamp", "Marca temporal", "Horodateur", "Zeitstempel", "Carimbo de data/hora",
        "Registro de data/hora", "Data/hora", "Informazioni cronologiche", "Tijdstempel",
        "Sygnatura czasowa", "Znacznik czasu", "Отметка времени", "Zaman damgası", "タイムスタンプ",
        "時間戳記", "时间戳记", "الطابع الزمني", "Tidsstämpel", "Tidsstempel", "Aikaleima",
        "Časová značka", "타임스탬프", "Dấu thời gian", "Stempel waktu", "Χρονική σήμανση",
    )
)  # fmt: skip
EMAIL_HEADERS = frozenset(
    header_key(h)
    for h in (
        "Email Address", "Email address", "Email", "E-mail", "Dirección de correo electrónico",
        "Correo electrónico", "Adresse e-mail", "Adresse électronique", "E-Mail-Adresse",
        "Endereço de e-mail", "Indirizzo email", "E-mailadres", "Adres e-mail",
        "Адрес электронной почты", "E-posta Adresi", "メールアドレス", "電子郵件地址", "电子邮件地址",
        "البريد الإلكتروني", "E-postadress", "E-postadresse", "Sähköpostiosoite", "E-mailová adresa",
        "이메일 주소", "Địa chỉ email", "Alamat email", "Διεύθυνση ηλεκτρονικού ταχυδρομείου",
    )
)  # fmt: skip

# Words in a question's title that say what it asks, after _plain() (accents dropped, lowercase).
# Latin-script words match whole words, or as a prefix when they end in "*" (a stem: "publi*"
# is publish, publication, publier, publicar); the others anywhere in the title.
_WORDS: dict[str, tuple[str, ...]] = {
    "email": (
        "email", "e mail", "mail", "correo", "courriel", "adresse electronique", "posta",
        "почт", "メール", "郵件", "邮件", "البريد",
    ),
    "name": (
        "name", "names", "full name", "your name", "nombre", "nombres", "apellido*", "nom",
        "prenom", "vorname", "nachname", "nome", "cognome", "naam", "imie", "nazwisko", "имя",
        "фио", "фамилия", "isim", "ad soyad", "adiniz", "namn", "navn", "nimi", "jmeno", "名前",
        "氏名", "姓名", "名字", "الاسم", "이름", "nama", "ονομα",
    ),
    "affiliation": (
        "affiliat*", "afilia*", "organi*", "institu*", "instytuc*", "employ*", "title", "titel",
        "titre", "position", "role", "job", "occupation*", "ocupac*", "profes*", "profis*",
        "company", "workplace", "cargo", "empresa", "fonction", "etablissement", "arbeitgeber",
        "funktion", "beruf*", "einrichtung", "ente", "qualifica", "functie", "beroep",
        "stanowisk*", "zawod*", "организац", "должност", "kurum*", "unvan", "meslek*", "所属",
        "職業", "单位", "機構", "机构", "المؤسسة", "소속",
    ),
    "kind": (
        "signing as", "sign as", "signing on behalf", "individual or", "as an individual",
        "firma como", "firmas como", "firmo como", "a titulo", "en tant que", "signe en tant",
        "signez en tant", "unterzeichne als", "unterzeichnen als", "unterschreibe als",
        "unterschreiben als", "assina como", "assino como", "firma come", "firmi come",
        "in qualita di", "onderteken als", "ondertekent als", "podpisuje jako",
        "подписыва", "olarak imza*",
    ),
    "consent": (
        "agree*", "consent*", "publi*", "pubblic*", "permission", "allow*", "accept*", "acept*",
        "aceit*", "accett*", "acconsent*", "consiento", "autori*", "einverstanden", "zustimm*",
        "veroffentlich*", "einwillig*", "concord*", "akkoord", "toestemm*", "zgod*", "zgadzam",
        "opublikow*", "publikac*", "kabul", "onay*", "yayin*", "согла", "публик", "опублик",
        "同意", "公開", "公开", "موافق", "동의",
    ),
}  # fmt: skip
_ORG_ANSWER = re.compile(r"organi|organ\b|организац|kurum|組織|组织|団体|منظمة|단체", re.IGNORECASE)
# Answers that mean yes, in the languages signers use (after _plain()).
_YES = re.compile(
    r"^(yes|y|si|oui|ja|sim|tak|da|да|はい|是|evet|ano|igen|kylla|jah|taip|ναι|نعم|כן|ya|iya|예|네"
    r"|ok|okay|true|1)\b"
    r"|\b(i agree|agree|consent|acepto|consiento|autorizo|accepte|j accepte|einverstanden|stimme|"
    r"acconsento|accetto|concordo|aceito|akkoord|zgadzam|согласен|согласна|kabul|同意|موافق|동의)",
)
_DATE = re.compile(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}[:.]\d{2}([:.]\d{2})?)?")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _plain(text: str) -> str:
    """Lowercase, accents dropped, punctuation turned to spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", no_marks).split())


def _has_word(title: str, word: str) -> bool:
    if not word.isascii():
        return word in title
    if word.endswith("*"):
        return re.search(rf"(?<!\w){re.escape(word[:-1])}", title) is not None
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", title) is not None


@dataclass(frozen=True, slots=True)
class ColumnGuess:
    """The column found for one field (None: none fits), the columns that fit as well as it
    (when more than one, the user must choose), and why."""

    field: str
    index: int | None
    tied: tuple[int, ...]
    why: str


def _values(rows: Sequence[Sequence[str]], i: int) -> list[str]:
    return [r[i].strip() for r in rows if i < len(r) and r[i].strip()]


def _share(values: list[str], test: Callable[[str], object]) -> float:
    """The share of `values` that pass `test`."""
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


# Complexity (C901) allowed: one small rule table per field, read side by side.
def _score(field: str, header: str, values: list[str]) -> tuple[int, str]:  # noqa: C901
    """How well a column fits a field (0: not at all), and why, from its title and answers."""
    key, title = header_key(header), _plain(header)
    if field == "timestamp":
        if key in TIMESTAMP_HEADERS:
            return 10, "Google Forms' timestamp column"
        if (
            values
            and _share(values, _DATE.search) > 0.9
            and any(_has_word(title, w) for w in ("date", "time", "fecha"))
        ):
            return 3, "its answers are dates"
        return 0, ""
    if field == "email":
        if key in EMAIL_HEADERS:
            return 10, "Google Forms' email column"
        words = any(_has_word(title, w) for w in _WORDS["email"])
        at = _share(values, _EMAIL.search) if values else 0.0
        if words and (not values or at > 0.5):
            return 6, "its title asks for an email address"
        if at > 0.8:
            return 3, "its answers are email addresses"
        return 0, ""
    distinct = Counter(v.casefold() for v in values)
    few = bool(values) and len(distinct) <= 6 and len(values) >= 2 * len(distinct)
    words = any(_has_word(title, w) for w in _WORDS[field])
    if field == "kind":
        org_answers = few and any(_ORG_ANSWER.search(v) for v in distinct)
        if words and (org_answers or not values):
            return 8, "its title asks how one signs"
        if org_answers and len(distinct) >= 2:
            return 5, "its answers are individual / organization"
        return (2, "its title asks how one signs") if words else (0, "")
    if field == "consent":
        yes = few and _share(values, is_yes) > 0.5
        if words and (yes or not values):
            return 8, "its title asks for consent to publish"
        if words and few:  # a consent question has a few set answers, never free text
            return 4, "its title asks for consent to publish"
        return (3, "its answers are yes") if yes else (0, "")
    if field == "affiliation":
        return (6, "its title asks for a title or organization") if words else (0, "")
    # name: a free-text column; a title that also asks for an organization is the affiliation
    other = any(_has_word(title, w) for w in _WORDS["affiliation"])
    if words and not other and not few:
        return 7, "its title asks for the name"
    if words:
        return 2, "its title mentions a name"
    return 0, ""


def is_yes(answer: str) -> bool:
    """Whether a consent answer means yes, in the languages signers use."""
    return _YES.search(_plain(answer)) is not None and not NEGATIVE_CONSENT.match(answer)


def guess_columns(
    headers: Sequence[str], rows: Sequence[Sequence[str]], chosen: dict[str, int | None] | None = None
) -> list[ColumnGuess]:
    """A guess for every field, each column used once. `chosen`: fields already decided (by a
    flag or the user), column index or None for "the form does not ask this"."""
    chosen = dict(chosen or {})
    taken = {i for i in chosen.values() if i is not None}
    scores = {
        field: [(_score(field, h, _values(rows, i)), i) for i, h in enumerate(headers) if h.strip()]
        for field in FIELDS
    }
    out: dict[str, ColumnGuess] = {}
    for field in _PICK_ORDER:
        if field in chosen:
            out[field] = ColumnGuess(field, chosen[field], (), "chosen")
            continue
        ranked = sorted(
            ((s, why, i) for (s, why), i in scores[field] if s >= _MIN_SCORE[field] and i not in taken),
            reverse=True,
        )
        if not ranked:
            out[field] = ColumnGuess(field, None, (), "no column fits")
            continue
        best = ranked[0][0]
        tied = tuple(sorted(i for s, _, i in ranked if s == best))
        if len(tied) > 1:
            out[field] = ColumnGuess(field, None, tied, "several columns fit")
            continue
        out[field] = ColumnGuess(field, tied[0], (), ranked[0][1])
        taken.add(tied[0])
    return [out[f] for f in FIELDS]


@dataclass(frozen=True, slots=True)
class ConsentAnswers:
    """The distinct answers found in the consent column, split into yes and the rest."""

    yes: tuple[str, ...]
    other: tuple[str, ...]  # not recognised as yes: negative or unknown


def consent_answers(rows: Sequence[Sequence[str]], index: int) -> ConsentAnswers:
    """The consent column's distinct answers (most frequent first), sorted into yes and not."""
    counts = Counter(_values(rows, index))
    yes: list[str] = []
    other: list[str] = []
    for answer, _ in counts.most_common():
        (yes if is_yes(answer) else other).append(answer)
    return ConsentAnswers(tuple(yes), tuple(other))
