"""The population rates are computed on (relais.figures.population), checked against the
figures the data README gives and against Statbel's own aggregate rows of 2020."""

import csv
from decimal import Decimal

import pytest

from relais.figures.population import (
    CREDIT,
    DATA,
    LATEST_YEAR,
    Population,
    area_of,
    district_population,
    municipality_population,
    population,
    populations,
    province_population,
    rate_per_10000,
    region_population,
)


def statbel_rows_2020() -> dict[str, int]:
    with open(DATA / "be_population_municipality_2020_statbel.csv", encoding="utf-8-sig") as f:
        return {row["NIS code"]: int(row["Totaal"]) for row in csv.DictReader(f)}


def test_known_municipalities_with_the_year_stated():
    assert municipality_population(code="21004", year=2022) == Population(
        level="municipality", area="21004", year=2022, inhabitants=188_737)
    assert municipality_population(code="21004", year=2020).inhabitants == 185_103
    assert municipality_population(code="62063", year=2022).inhabitants == 195_278
    assert municipality_population(code="62063", year=2020).inhabitants == 197_217
    assert LATEST_YEAR == 2022 and municipality_population(code="21004").year == 2022


def test_the_country_adds_up_to_statbels_total():
    assert population(level="country", area="01000", year=2022).inhabitants == 11_584_008
    assert population(level="country", area="01000", year=2020).inhabitants == 11_492_641
    for year in (2020, 2022):
        assert len(populations(level="municipality", year=year)) == 565
        for level in ("municipality", "district", "province", "region"):
            units = populations(level=level, year=year)
            assert sum(p.inhabitants for p in units.values()) == population(
                level="country", area="01000", year=year).inhabitants


def test_a_2025_municipality_is_the_sum_of_its_parts():
    # Antwerpen kept its code and took in Borsbeek; Pajottegem is Galmaarden, Gooik and Herne.
    rows = statbel_rows_2020()
    assert municipality_population(code="11002", year=2020).inhabitants == (
        rows["11002"] + rows["11007"])
    assert municipality_population(code="23106", year=2020).inhabitants == (
        rows["23023"] + rows["23024"] + rows["23032"])
    assert municipality_population(code="82039", year=2020).inhabitants == (
        rows["82003"] + rows["82005"])
    with pytest.raises(LookupError):
        municipality_population(code="11007")  # Borsbeek, merged on 1 January 2025


def test_regions_match_statbel_and_provinces_follow_the_2025_boundaries():
    rows = statbel_rows_2020()
    for region in ("02000", "03000", "04000"):
        assert region_population(region=region, year=2020).inhabitants == rows[region]
    # Zwijndrecht left the province of Antwerp for East Flanders with its 2025 merger.
    assert province_population(province="10000", year=2020).inhabitants == (
        rows["10000"] - rows["11056"])
    assert province_population(province="40000", year=2020).inhabitants == (
        rows["40000"] + rows["11056"])
    for province in ("20002", "50000", "70000"):
        assert province_population(province=province, year=2020).inhabitants == rows[province]
    # Brussels-Capital has no province: it is one unit under its region code.
    assert province_population(province="04000", year=2020).inhabitants == rows["04000"]
    assert len(populations(level="province")) == 11


def test_judicial_districts_are_belgicas_not_the_administrative_arrondissements():
    rows = statbel_rows_2020()
    assert len(populations(level="district")) == 12
    # Brussels: the 19 municipalities and Halle-Vilvoorde; Leuven and Hainaut are whole
    # administrative units; Liège and Eupen together are the province of Liège.
    assert district_population(district="brussel", year=2020).inhabitants == (
        rows["04000"] + rows["23000"])
    assert district_population(district="leuven", year=2020).inhabitants == rows["24000"]
    assert district_population(district="hainaut", year=2020).inhabitants == rows["50000"]
    assert (district_population(district="liege", year=2020).inhabitants
            + district_population(district="eupen", year=2020).inhabitants) == rows["60000"]
    assert area_of(municipality="63023", level="district") == "eupen"
    assert area_of(municipality="21004", level="province") == "04000"
    assert area_of(municipality="21004", level="region") == "04000"


def test_rates_per_10000_inhabitants_are_rounded_half_away_from_zero():
    brussel = municipality_population(code="21004", year=2022)
    assert rate_per_10000(count=57, population=brussel) == Decimal("3.0")
    assert rate_per_10000(count=1, population=8, decimals=2) == Decimal("1250.00")
    assert rate_per_10000(count=1, population=80_000, decimals=2) == Decimal("0.13")  # 0.125
    assert rate_per_10000(count=3, population=0) is None


def test_unknown_years_levels_and_areas_are_refused():
    with pytest.raises(ValueError):
        populations(level="district", year=2021)
    with pytest.raises(ValueError):
        populations(level="zone", year=2022)
    with pytest.raises(LookupError):
        district_population(district="halle-vilvoorde")


def test_statbel_is_credited():
    assert CREDIT == "Statbel (Directorate-General Statistics – Statistics Belgium), CC BY 4.0"
