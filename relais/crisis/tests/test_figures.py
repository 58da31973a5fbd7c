"""The debrief's figures: the crisis' months against the same months of other years, in the
crisis' area, small cells hidden."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from relais.conftest import actor
from relais.crisis.figures import crisis_figures
from relais.crisis.services import crisis_declare
from relais.figures.aggregates import refresh_counts
from relais.followup.tests.factories import record_report


def test_this_month_against_the_same_month_a_year_before(cast, settings):
    settings.FIGURES_SMALL_CELL = 3
    now = timezone.now()
    for hours in range(6):  # this month, in Ixelles (district brussel)
        record_report(cast, offence_at=now - timedelta(hours=2 + hours))
    for hours in range(4):  # the same month, a year before
        record_report(cast, offence_at=now.replace(year=now.year - 1) - timedelta(hours=hours))
    refresh_counts()
    crisis = crisis_declare(actor=actor(cast.magistrate), kind="flood", area_level="district",
                            area_code="brussel", starts_on=timezone.localdate(),
                            expected_end=timezone.localdate())
    figures = crisis_figures(crisis)
    assert figures.years == (now.year - 1, now.year)
    month, before, this_year, change = figures.rows[-1]
    assert (before, this_year) == (4, 6)
    assert change == 50  # % from a year before
    longer = crisis_declare(actor=actor(cast.magistrate), kind="flood",
                               area_level="district", area_code="brussel",
                               starts_on=timezone.localdate() - timedelta(days=400),
                               expected_end=timezone.localdate())
    assert len(crisis_figures(longer).rows) >= 14  # every month since it began


def test_small_cells_are_hidden(cast, settings):
    settings.FIGURES_SMALL_CELL = 5
    record_report(cast, offence_at=timezone.now() - timedelta(hours=2))
    refresh_counts()
    crisis = crisis_declare(actor=actor(cast.magistrate), kind="flood", area_level="district",
                            area_code="brussel", starts_on=timezone.localdate(),
                            expected_end=timezone.localdate())
    assert crisis_figures(crisis).rows[-1][1] is None
