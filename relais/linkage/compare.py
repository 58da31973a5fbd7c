"""Field-by-field comparison of two person records: for each field, the level at which they
agree, best level first. The weights of each level live in the model's parameters
(``relais/linkage/params/``); this module says only *how much alike* two values are.

String similarity is rapidfuzz's Jaro-Winkler; phonetic keys are jellyfish's Metaphone
(``relais.linkage.normalize``). Nothing here is hand-written string arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA, Hamming, JaroWinkler

from relais.linkage.normalize import Name, PersonRecord

CLOSE = 0.88  # Jaro-Winkler similarity from which two names are "close"
STREET_CLOSE = 0.92
TYPO_MIN_LENGTH = 4  # names from this length are "close" at one keystroke apart

# The levels of each field, best first. "missing" (a value absent on either side) weighs 0.
FIELDS: dict[str, tuple[str, ...]] = {
    "given_name": ("exact", "phonetic", "close", "partial", "different"),
    "surname": ("exact", "phonetic", "close", "partial", "different"),
    "birth_date": ("exact", "day_month_swapped", "year_off_by_one", "one_digit", "different"),
    "national_number": ("exact", "one_digit", "different"),
    "sex": ("agree", "disagree"),
    "address": ("same_street", "same_postcode", "same_street_elsewhere", "different"),
    "phone": ("exact", "different"),
}
MISSING = "missing"


@dataclass(frozen=True)
class Comparison:
    """The level of each field (``levels[field]``) and whether the given names and surnames
    agreed the other way round."""

    levels: dict[str, str]
    names_swapped: bool = False


def name_level(a: Name, b: Name) -> str:
    if not a or not b:
        return MISSING
    if a.joined == b.joined or a.canonical == b.canonical or a.core == b.core:
        return "exact"
    if a.phonetic == b.phonetic:
        return "phonetic"
    if max(JaroWinkler.similarity(a.joined, b.joined),
           JaroWinkler.similarity(a.core, b.core)) >= CLOSE:
        return "close"
    # One keystroke apart in a short name, where Jaro-Winkler is harsh ("Koen" / "Korn").
    if min(len(a.joined), len(b.joined)) >= TYPO_MIN_LENGTH \
            and OSA.distance(a.joined, b.joined) == 1:
        return "close"
    if set(a.parts) & set(b.parts):
        return "partial"
    return "different"


def _rank(field: str, level: str) -> int:
    levels = FIELDS[field]
    return levels.index(level) if level in levels else len(levels)


def birth_date_level(a: date | None, b: date | None) -> str:
    if a is None or b is None:
        return MISSING
    if a == b:
        return "exact"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return "day_month_swapped"
    if a.month == b.month and a.day == b.day and abs(a.year - b.year) == 1:
        return "year_off_by_one"
    if Hamming.distance(a.strftime("%Y%m%d"), b.strftime("%Y%m%d")) == 1:
        return "one_digit"
    return "different"


def national_number_level(a: str, b: str) -> str:
    if not a or not b:
        return MISSING
    if a == b:
        return "exact"
    # One digit wrong, or two neighbours swapped (optimal string alignment distance 1).
    if len(a) == len(b) and OSA.distance(a, b) == 1:
        return "one_digit"
    return "different"


def address_level(a: PersonRecord, b: PersonRecord) -> str:
    if not a.postcode or not b.postcode:
        return MISSING
    same_street = bool(a.street and b.street
                       and JaroWinkler.similarity(a.street, b.street) >= STREET_CLOSE)
    if a.postcode == b.postcode:
        return "same_street" if same_street else "same_postcode"
    # The same street under another postcode: a typo in the postcode, or a street that
    # crosses two municipalities.
    return "same_street_elsewhere" if same_street else "different"


def compare(a: PersonRecord, b: PersonRecord) -> Comparison:
    straight = (name_level(a.given, b.given), name_level(a.surname, b.surname))
    swapped = (name_level(a.given, b.surname), name_level(a.surname, b.given))
    turned = (sum(_rank("given_name", x) for x in swapped)
              < sum(_rank("given_name", x) for x in straight) and MISSING not in swapped)
    given, surname = swapped if turned else straight
    levels = {
        "given_name": given,
        "surname": surname,
        "birth_date": birth_date_level(a.birth_date, b.birth_date),
        "national_number": national_number_level(a.national_number, b.national_number),
        "sex": MISSING if not a.sex or not b.sex else ("agree" if a.sex == b.sex
                                                       else "disagree"),
        "address": address_level(a, b),
        "phone": MISSING if not a.phones or not b.phones else (
            "exact" if set(a.phones) & set(b.phones) else "different"),
    }
    return Comparison(levels=levels, names_swapped=turned)
