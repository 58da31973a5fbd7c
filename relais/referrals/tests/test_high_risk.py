"""Find help for a high-risk victim: a line and a shelter open at any hour come first, and at
night a closed service never outranks an open one."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from relais.access.cases import owner_case_access
from relais.conftest import actor, verified_client
from relais.directory.tests.factories import make_service
from relais.intake.examples import grid_answers
from relais.referrals import selectors
from relais.referrals.rules import advise
from relais.risk.services import assessment_record

pytestmark = pytest.mark.django_db
TUESDAY_02_47 = datetime(2026, 11, 24, 2, 47, tzinfo=ZoneInfo("Europe/Brussels"))
TUESDAY_10_00 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))
VERY_HIGH = {"threats_to_kill": "yes", "strangulation": "yes"}
HIGH = {"threats_to_kill": "yes"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def grade(cast, **answers: str) -> None:
    assessment_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                      person_id=cast.victim_id, instrument_code="police_grid",
                      answers=grid_answers("police_grid", **answers))


def blocks_at(cast, at: datetime):
    access = owner_case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)
    facts, place = selectors.facts_for(access=access, person_id=cast.victim_id)
    advice = advise(facts, language="en")
    return facts, selectors.help_blocks(actor=actor(cast.officer_a), advice=advice, place=place,
                                        urgent=facts.urgent, at=at)


@pytest.fixture
def closed_but_local_shelter(directory):
    """A shelter of the municipality, with free places: it outranks the district's 24/7
    shelter on points, but it is closed at night."""
    return make_service("day-shelter", type="shelter", hours="mon-fri 09:00-17:00",
                        free_places=4, capacity_updated_at=TUESDAY_02_47,
                        areas=[("municipality", "21009")])


def test_a_very_high_risk_victim_at_02_47_gets_a_24_7_line_and_shelter_first(
        cast, directory, closed_but_local_shelter):
    grade(cast, **VERY_HIGH)
    facts, blocks = blocks_at(cast, TUESDAY_02_47)
    assert {"high_risk", "imminent_danger"} <= facts.flags
    rules = [suggestion.rule for suggestion, _matches in blocks]
    assert rules[:3] == ["imminent_danger", "high_risk_line", "high_risk_shelter"]
    line, shelter = blocks[1][1], blocks[2][1]
    assert line[0][0].service == directory.helpline and line[0][0].open_now
    assert shelter[0][0].service == directory.shelter  # 24/7, before the closed local one
    assert shelter[1][0].service == closed_but_local_shelter


def test_at_night_a_closed_service_never_outranks_an_open_one_for_high_risk(
        cast, directory, closed_but_local_shelter):
    grade(cast, **HIGH)
    facts, blocks = blocks_at(cast, TUESDAY_02_47)
    assert "high_risk" in facts.flags and "imminent_danger" not in facts.flags
    for _suggestion, matches in blocks:
        opened = [match.open_now for match, _view in matches]
        assert opened == sorted(opened, reverse=True)


def test_24_7_services_come_first_at_any_hour_for_high_risk(
        cast, directory, closed_but_local_shelter):
    grade(cast, **HIGH)
    _facts, blocks = blocks_at(cast, TUESDAY_10_00)
    shelter = next(matches for suggestion, matches in blocks
                   if suggestion.rule == "high_risk_shelter")
    assert [m.service for m, _v in shelter] == [directory.shelter, closed_but_local_shelter]


def test_without_high_risk_the_ranking_is_by_points(cast, directory, closed_but_local_shelter):
    access = owner_case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)
    facts, place = selectors.facts_for(access=access, person_id=cast.victim_id)
    assert not facts.urgent
    from relais.directory.selectors import SearchQuery, service_search

    found = service_search(query=SearchQuery(place=place, need="shelter"), at=TUESDAY_02_47)
    assert found[0].service == closed_but_local_shelter


def test_the_find_help_page_says_the_risk_is_high_and_offers_the_shelter(cast, directory):
    grade(cast, **VERY_HIGH)
    page = verified_client(cast.officer_a).get(f"/cases/{cast.case.pk}/help/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'value="high_risk"' in content and "High or very high risk" in content
    assert directory.shelter.name in content and directory.helpline.name in content
