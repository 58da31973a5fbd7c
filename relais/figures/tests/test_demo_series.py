"""The demo's partner series: one of each kind, fictitious, coherent but for the one planted
inconsistency the check must find."""

from __future__ import annotations

import pytest
from django.utils import translation

from relais.conftest import actor
from relais.figures.demo import load_demo_series
from relais.figures.models import Series
from relais.figures.series import series_check

pytestmark = pytest.mark.django_db


def test_the_demo_series_load_and_the_check_finds_exactly_the_planted_inconsistency(cast):
    with translation.override("en"):
        loaded = load_demo_series(actor=actor(cast.analyst_a))
        reports = {series.name: series_check(name=series.name) for series in loaded}

    assert [series.name.split(" – ")[0] for series in loaded] == [
        "ONE", "1712 helpline", "Praxis", "Survey"]
    assert all("fictitious" in series.name and series.source.startswith("Fictitious demo figures")
               for series in loaded)
    findings = [(name, finding.code, finding.params)
                for name, report in reports.items() for finding in report.findings]
    assert findings == [("1712 helpline – calls by caller type (fictitious demo)",
                         "total_not_sum", {"period": "2024-07", "area": "Flanders",
                                           "total": 777, "parts_sum": 765})]
    # The survey's forms of violence (several answers possible) sum over 100 %: explained.
    survey = reports["Survey – respondents having experienced partner violence (fictitious demo)"]
    assert [note.code for note in survey.notes] == ["shares_over_100"]
    assert {series.name: series.points.count() for series in loaded} == {
        loaded[0].name: 90, loaded[1].name: 72, loaded[2].name: 80, loaded[3].name: 72}


def test_loading_the_demo_again_replaces_its_series(cast):
    load_demo_series(actor=None)
    load_demo_series(actor=None)

    assert Series.objects.count() == 4
