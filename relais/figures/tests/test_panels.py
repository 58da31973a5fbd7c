"""The dashboard's panels over precomputed counts: rates and terciles by area, the same month of
other years region by region, suppression, variation, shares of N that do not add up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from relais.accounts.models import JurisdictionMunicipality
from relais.figures import panels, population
from relais.figures.aggregates import Measure, Reference
from relais.figures.models import MonthlyCount


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


PERIOD = panels.Period(start=date(2026, 1, 1), end=date(2026, 4, 1))


def _count(agency, month, n, *, category="official", municipality="21009",
           measure=Measure.REPORTS, reference=Reference.FACTS):
    MonthlyCount.objects.create(measure=measure, reference=reference, month=month,
                                agency=agency, municipality=municipality, category=category,
                                count=n)


def test_reports_panel_hides_small_cells_and_gives_the_variation(cast):
    _count(cast.zone_a, date(2026, 1, 1), 20)
    _count(cast.zone_a, date(2026, 1, 1), 10, category="information")
    _count(cast.zone_a, date(2026, 2, 1), 40)
    _count(cast.zone_a, date(2026, 2, 1), 2, category="information")
    panel = panels.reports_panel(zone_ids=[cast.zone_a.pk], period=PERIOD,
                                 reference=Reference.FACTS)
    table = panel.table
    assert table.n == 72 and table.reference_date == "by date of the facts"
    january, february, march = table.rows
    # 2 is small; 40 goes with it (its row), and January's cells too (their columns): the
    # monthly totals stay published.
    assert february == ("2026-02", None, None, 42, None, Decimal("40.0"))
    assert january == ("2026-01", None, None, 30, None, None)
    assert march == ("2026-03", 0, 0, 0, None, Decimal("-100.0"))


def test_rates_by_zone_with_terciles_by_population_count_and_rate(cast):
    from relais.accounts.models import Agency, AgencyKind

    zone_c = Agency.objects.create(name="Zone C (test)", kind=AgencyKind.POLICE_ZONE,
                                   code="test-zone-c", languages=["fr"])
    for zone, refnis, n in ((cast.zone_a, "21009", 30), (cast.zone_b, "21004", 60),
                            (zone_c, "21015", 3)):
        JurisdictionMunicipality.objects.create(agency=zone, refnis=refnis)
        _count(zone, date(2026, 2, 1), n, municipality=refnis)
    zone_ids = [cast.zone_a.pk, cast.zone_b.pk, zone_c.pk]
    by_zone, by_municipality = panels.rates_panels(zone_ids=zone_ids, period=PERIOD,
                                                   reference=Reference.FACTS, level="district")
    rows = {row[0]: row for row in by_zone.table.rows}
    ixelles = population.municipality_population(code="21009").inhabitants
    assert rows["Zone A (test)"][1] == ixelles and rows["Zone A (test)"][2] == 30
    assert rows["Zone A (test)"][3] == population.rate_per_10000(count=30, population=ixelles)
    assert rows["Zone C (test)"][2:] == (None, None, None, None, None)  # 3 is a small cell
    assert by_zone.table.n == 93 and any("Statbel" in note for note in by_zone.table.notes)
    assert "Terciles" in " ".join(by_zone.table.notes)
    assert by_municipality.table.key == "rates-municipality"


def test_rates_by_region_at_national_level(cast):
    _count(cast.zone_a, date(2026, 2, 1), 30, municipality="21009")
    _count(cast.zone_b, date(2026, 2, 1), 12, municipality="62063")
    _count(cast.zone_b, date(2026, 2, 1), 7, municipality="")
    panels_ = panels.rates_panels(zone_ids=[cast.zone_a.pk, cast.zone_b.pk], period=PERIOD,
                                  reference=Reference.FACTS, level="national")
    by_region = panels_[-1]
    names = {row[0] for row in by_region.table.rows}
    assert {"Région de Bruxelles-Capitale", "Région wallonne"} <= names or len(names) == 2
    assert any("7 reports without the municipality" in n for n in by_region.table.notes)


def test_the_same_month_of_other_years_region_by_region(cast):
    for year, brussels, wallonia in ((2024, 30, 40), (2025, 40, 30), (2026, 50, 20)):
        _count(cast.zone_a, date(year, 3, 1), brussels, municipality="21009")
        _count(cast.zone_b, date(year, 3, 1), wallonia, municipality="62063")
    _count(cast.zone_a, date(2026, 2, 1), 99, municipality="21009")  # another month: ignored
    panel = panels.same_month_panel(zone_ids=[cast.zone_a.pk, cast.zone_b.pk],
                                    month=date(2026, 3, 1), reference=Reference.FACTS)
    table = panel.table
    assert [c.key for c in table.columns][1:4] == ["2024", "2025", "2026"]
    rows = {row[0]: row for row in table.rows}
    total = rows["All regions"]
    assert total[1:4] == (70, 70, 70) and total[4] == Decimal("0.0")
    wallonia = next(row for name, row in rows.items() if "wallon" in name.lower())
    assert wallonia[4] == Decimal("-33.3") and wallonia[5] == ""  # flat overall: against nothing


def test_forms_are_shares_of_n_without_a_total(cast):
    _count(cast.zone_a, date(2026, 1, 1), 20)
    for form, n in (("physical", 15), ("psychological", 18), ("sexual", 2)):
        _count(cast.zone_a, date(2026, 1, 1), n, category=form, measure=Measure.REPORT_FORMS)
    table = panels.forms_panel(zone_ids=[cast.zone_a.pk], period=PERIOD).table
    shares = {row[0]: row for row in table.rows}
    assert table.n == 20 and "Several answers possible" in table.notes[0]
    assert shares["Physical"][1:] == (15, Decimal("75.0"))
    assert sum(row[2] for row in table.rows if row[2] is not None) > 100  # no total of its own
    assert shares["Sexual"][1:] == (None, None)
