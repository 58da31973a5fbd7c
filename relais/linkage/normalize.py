"""Person records as the matcher reads them, and the normal forms of their fields.

A ``PersonRecord`` is what both matchers (the one in the request, ``relais.linkage.model``, and
the batch command, ``relais.linkage.batch``) compare: names, birth date, national number, sex,
address and phones, each normalised once here.

Belgian specifics:
- names lose accents and case; particles and compound surnames are read joined and without
  their particles ("Van den Broeck" = "Vandenbroeck" -> "vandenbroeck", core "broeck");
- transliterations of a few common given names are one canonical form (data below), and every
  name also has a phonetic key (jellyfish's Metaphone: Mohamed, Mohammed and Muhammad are all
  "MHMT");
- the national number is compacted and its checksum checked by python-stdnum; a record
  without a birth date takes the one its valid national number encodes;
- phones are E.164 through ``phonenumbers``, Belgium the default region;
- a confidential address (a shelter's) is never part of a record: matching on it would tell
  an agency where she is hiding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import jellyfish
import phonenumbers
from stdnum.be import nn as belgian_nn
from stdnum.exceptions import ValidationError as StdnumError

# Particles of Dutch, French, German and Arabic surnames, read as part of the surname.
PARTICLES = frozenset({
    "van", "von", "de", "der", "den", "ter", "ten", "te", "het", "t", "vande", "vander",
    "vanden", "du", "des", "le", "la", "les", "d", "l", "di", "da", "del", "della", "dos",
    "el", "al", "ben", "bin", "ibn", "ould", "zu", "op",
})

# Transliterations: each group is one given name written several ways (a reviewed data list;
# the phonetic key catches most others).
TRANSLITERATIONS = (
    ("mohamed", "mohammed", "muhammad", "mohammad", "mohamad", "muhammed", "mehmet", "mohamet"),
    ("ahmed", "ahmad", "ahmet", "achmed"),
    ("youssef", "yousef", "youssouf", "yusuf", "youcef", "yussuf", "joesoef"),
    ("fatima", "fatma", "fatimah", "fatiha", "fatime"),
    ("aicha", "aisha", "aysha", "ayesha", "aichah"),
    ("hussein", "hussain", "houssein", "husein", "hussen"),
    ("abdelkader", "abdulkadir", "abdelkadir", "abdulqadir"),
    ("khadija", "khadidja", "hadija", "kadija", "hatice"),
    ("mustafa", "moustafa", "mostafa", "mustapha", "moestafa"),
    ("ibrahim", "ibrahima", "brahim", "ebrahim"),
    ("oleksandr", "aleksandr", "alexandr", "olexandr"),
    ("sergei", "sergey", "serguei", "serhiy"),
    ("tatiana", "tatyana", "tetiana", "tatjana"),
)
CANONICAL = {variant: group[0] for group in TRANSLITERATIONS for variant in group}

_SEPARATORS = re.compile(r"[\s\-'’`.,/_]+")
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]")


@cache
def fold(text: str) -> str:
    """Lower case, without accents or punctuation, single spaces: "Dubois-Lefèvre" ->
    "dubois lefevre"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    bare = bare.replace("ł", "l").replace("đ", "d").replace("ı", "i")  # Turkish dotless i
    return _NOT_LETTERS.sub("", _SEPARATORS.sub(" ", bare)).strip()


@dataclass(frozen=True)
class Name:
    """One name in its forms: ``joined`` (no spaces, particles kept: "vandenbroeck"), ``core``
    (without particles: "broeck"), ``parts`` (compound names: "dubois", "lefevre"), the
    canonical transliteration and the phonetic key."""

    joined: str
    core: str
    parts: tuple[str, ...]
    canonical: str
    phonetic: str

    def __bool__(self) -> bool:
        return bool(self.joined)


EMPTY_NAME = Name("", "", (), "", "")


@cache
def name(text: str) -> Name:
    tokens = fold(text or "").split()
    if not tokens:
        return EMPTY_NAME
    joined = "".join(tokens)
    significant = [t for t in tokens if t not in PARTICLES] or tokens
    core = "".join(significant)
    canonical = CANONICAL.get(joined, joined)
    return Name(joined=joined, core=core, parts=tuple(significant), canonical=canonical,
                phonetic=jellyfish.metaphone(canonical).upper() if canonical.isalpha()
                else canonical)


def national_number(raw: str) -> tuple[str, bool]:
    """The compacted national number and whether its checksum holds; ("", False) if empty."""
    digits = re.sub(r"\D", "", raw or "")
    if not digits:
        return "", False
    try:
        return belgian_nn.validate(digits), True
    except StdnumError:
        return digits, False


def phone(raw: str) -> str:
    """E.164, or "" when it is not a phone number."""
    try:
        parsed = phonenumbers.parse(raw or "", "BE")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@cache
def street(raw: str) -> str:
    """A street folded, with the common Belgian abbreviations written out and the house number
    kept: "Av. Louise 12" -> "avenue louise 12"."""
    words = fold(raw or "").split()
    return " ".join(STREET_ABBREVIATIONS.get(w, w) for w in words)


STREET_ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "bvd": "boulevard",
    "ch": "chaussee", "chee": "chaussee", "pl": "place", "r": "rue", "str": "straat",
    "stwg": "steenweg", "stw": "steenweg", "ln": "laan", "lei": "lei", "sq": "square",
}


@dataclass(frozen=True)
class PersonRecord:
    """One person as the matcher compares her. ``key`` identifies the record to its caller (a
    person id, or a CSV line's record_id); ``agency`` is the agency that recorded her."""

    key: str
    given: Name
    surname: Name
    birth_date: date | None = None
    national_number: str = ""
    nn_valid: bool = False
    sex: str = ""  # "F", "M", "X", or "" when unknown
    postcode: str = ""
    street: str = ""
    phones: tuple[str, ...] = field(default=())
    agency: str = ""

    @classmethod
    def build(cls, *, key: str, given_name: str = "", surname: str = "",
              birth_date: date | None = None, national_number_: str = "", sex: str = "",
              postcode: str = "", street_: str = "", phones: tuple[str, ...] = (),
              agency: str = "") -> PersonRecord:
        number, valid = national_number(national_number_)
        sex = (sex or "").strip().upper()[:1]
        if birth_date is None and valid:
            birth_date = belgian_nn.get_birth_date(number)  # None when the number hides it
        return cls(
            key=key, given=name(given_name), surname=name(surname), birth_date=birth_date,
            national_number=number, nn_valid=valid,
            sex=sex if sex in {"F", "M", "X"} else "",
            postcode=re.sub(r"\D", "", postcode or "")[:4], street=street(street_),
            phones=tuple(sorted({p for p in (phone(raw) for raw in phones) if p})),
            agency=agency)
