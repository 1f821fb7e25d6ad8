"""Personal data typed where a name, an affiliation or an editor's note belongs: email
addresses, phone numbers, postal addresses and identity numbers. How each is found, and the mask
that replaces it wherever signsync shows or stores such text.

The patterns are deliberately narrow, to leave ordinary affiliations alone: "Room 101",
"Building 5", "Class of 2026", "UN Resolution 2334", "COVID-19", "ISO 9001:2015" and dates are
not personal data. A phone number has 8 to 15 digits in one run of digits, spaces, dots, dashes,
slashes or brackets; an identity number is a token mixing letters and at least 6 digits (a
passport's "X1234567", an IBAN) or a number after a word that names one ("passport", "SSN",
"DNI", "CPF"...); a postal address is a street word next to a house number ("Hauptstraße 12",
"221B Baker Street").
"""

from __future__ import annotations

import re

EMAIL_PATTERN = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
EMAIL_MASK = "[email removed]"
PHONE_MASK = "[phone number removed]"
ID_MASK = "[ID number removed]"
ADDRESS_MASK = "[address removed]"
MASKS = (EMAIL_MASK, PHONE_MASK, ID_MASK, ADDRESS_MASK)

_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d \t().\-/]{6,}\d(?!\w)")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_ID_WORDS = (
    r"passport|passeport|pasaporte|passaporte|reisepass|ssn|social security(?: number)?|"
    r"national id|id(?:entity)? (?:card|no\.?|number|nr\.?)|personalausweis|ausweis(?:nummer)?|dni|nie|"
    r"cpf|rg|nif|nir|pesel|bsn|codice fiscale|aadhaar|curp|rut|cédula|cedula|tax id|tin|nino"
)
_ID_AFTER_WORD = re.compile(
    rf"(?i)\b(?:{_ID_WORDS})\b[\s:#.\-]*(?:no\.?|nr\.?|number)?[\s:#.\-]*"
    r"((?:[A-Z]{1,3}[ .\-/]?)?\d[\d .\-/]{3,}\d[A-Z]?)\b"
)
_ID_TOKEN = re.compile(r"(?<![\w-])(?=[A-Za-z0-9]*[A-Za-z])(?=(?:[A-Za-z]*\d){6})[A-Za-z0-9]{7,34}(?![\w-])")
# "10 Downing Street", "123 Main St."; "Hauptstraße 12", "Kirchweg 3a"; "Rua das Flores 45".
_AFTER_NUMBER = (
    r"street|st\.|road|rd\.|avenue|ave\.|lane|drive|boulevard|blvd\.|court|square|crescent|terrace"
)
_SUFFIX = r"straße|strasse|str\.|gasse|weg|allee|platz|straat|laan|gracht|utca|vej|gatan|gata|veien"
_PREFIX = r"rua|avenida|av\.|calle|c/|viale|piazza|rue|chemin|ulica|ul\.|travessa|carrer|largo"
_ADDRESS = re.compile(
    rf"(?i)(?:\b\d{{1,5}}[a-z]?,?\s+(?:[\w'.-]+\s+){{0,3}}(?:{_AFTER_NUMBER})(?!\w)"
    rf"|\b\w*(?:{_SUFFIX})\s+\d{{1,5}}[a-z]?\b"
    rf"|\b(?:{_PREFIX})\s+(?:[\w'.-]+\s+){{1,4}}\d{{1,5}}[a-z]?\b)"
    r"(?:,?\s+\d{4,5}(?=\s+\w))?"  # a postal code right after ("..., 10115 Berlin")
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def has_email(text: str) -> bool:
    """Whether `text` holds something shaped like an email address."""
    return "@" in text and EMAIL_PATTERN.search(text) is not None


def mask_emails(text: str) -> str:
    """`text` with every email address replaced by EMAIL_MASK."""
    return EMAIL_PATTERN.sub(EMAIL_MASK, text) if "@" in text else text


def _phones(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _PHONE.finditer(text):
        number = m.group().strip()
        digits = sum(c.isdigit() for c in number)
        groups = re.findall(r"\d+", number)
        if not 8 <= digits <= 15 or _DATE.fullmatch(number) or all(_YEAR.fullmatch(g) for g in groups):
            continue  # a date, or a range of years ("1989-1994")
        if len(groups) == 1 and not number.startswith(("+", "0", "(")):
            continue  # one bare run of digits: a grant or case number more often than a phone
        out.append(m.span())
    return out


def personal_data(text: str) -> list[str]:
    """What kinds of personal data `text` holds, beyond names: "email address", "phone number",
    "identity number", "postal address" (in that order, each once)."""
    found = []
    if has_email(text):
        found.append("email address")
    if not any(c.isdigit() for c in text):
        return found
    if _phones(text):
        found.append("phone number")
    if _ID_AFTER_WORD.search(text) or _ID_TOKEN.search(text):
        found.append("identity number")
    if _ADDRESS.search(text):
        found.append("postal address")
    return found


def mask_personal(text: str) -> str:
    """`text` with every email address, phone number, identity number and postal address
    replaced by its mask."""
    text = mask_emails(text)
    if not any(c.isdigit() for c in text):
        return text
    text = _ID_AFTER_WORD.sub(lambda m: m.group()[: m.start(1) - m.start()] + ID_MASK, text)
    text = _ID_TOKEN.sub(ID_MASK, text)
    for start, end in reversed(_phones(text)):
        text = text[:start] + PHONE_MASK + text[end:]
    return _ADDRESS.sub(ADDRESS_MASK, text)


def without_masks(text: str) -> str:
    """`text` with the masks taken out (what is left of an affiliation once the personal data
    typed into it is gone)."""
    for mask in MASKS:
        text = text.replace(mask, "")
    text = re.sub(r"\s*([,;])(?:\s*[,;])+", r"\1", text)  # "Teacher, , Leeds"
    return " ".join(text.split()).strip(" ,;-()")
