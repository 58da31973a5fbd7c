"""Search: filters, ranking with its reasons, unknown places."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from relais.directory.models import CrisisStatus
from relais.directory.places import nearest_postcodes, place_for
from relais.directory.selectors import SearchQuery, filtered_services, service_search
from relais.directory.tests.factories import make_service

pytestmark = pytest.mark.django_db
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def names(matches) -> list[str]:
    return [m.service.code for m in matches]


def test_a_postcode_finds_the_services_of_its_municipality_district_region_and_country():
    local = make_service("local", areas=[("municipality", "21009")])
    district = make_service("district", areas=[("district", "brussel")])
    national = make_service("national", areas=[("national", "")])
    make_service("elsewhere", areas=[("municipality", "62063")])  # Liège
    found = names(service_search(query=SearchQuery(place=place_for("1050")), at=MONDAY_10))
    assert found == [local.code, district.code, national.code]


def test_each_rank_comes_with_its_reasons():
    make_service("fr-open", languages=["fr"], free_places=3,
                 capacity_updated_at=timezone.now())
    make_service("nl-closed", languages=["nl", "fr"], hours="sat 09:00-12:00")
    query = SearchQuery(place=place_for("Ixelles"), languages=("fr",))
    best, second = service_search(query=query, at=MONDAY_10)
    assert best.service.code == "fr-open"
    reasons = [text for text, _points in best.reasons]
    assert "Serves this municipality" in reasons
    assert "Works in Français" in reasons
    assert "Open now" in reasons
    assert "3 free places" in reasons
    assert best.score > second.score
    assert "Closed now" in [text for text, _p in second.reasons]
    assert second.opens_next is not None


def test_stale_capacity_reduced_service_and_old_entries_rank_lower_and_say_why():
    fresh = make_service("fresh", free_places=1, capacity_updated_at=timezone.now())
    stale = make_service("stale", free_places=1,
                         capacity_updated_at=timezone.now() - timedelta(days=30))
    reduced = make_service("reduced", crisis_status=CrisisStatus.REDUCED)
    make_service("closed", crisis_status=CrisisStatus.CLOSED)
    matches = service_search(query=SearchQuery(place=place_for("1050")), at=MONDAY_10)
    order = names(matches)
    assert "closed" not in order  # a service closed in a crisis is not offered
    assert order.index(fresh.code) < order.index(stale.code)
    stale_match = next(m for m in matches if m.service.code == stale.code)
    assert ("Capacity not confirmed recently", -5) in stale_match.reasons
    reduced_match = next(m for m in matches if m.service.code == reduced.code)
    assert ("Reduced service at the moment", -10) in reduced_match.reasons


def test_filters_need_language_group_open_now_eligibility_capacity_and_accessibility():
    make_service("shelter-undoc", type="shelter", accepts_undocumented=True, free_places=1,
                 always_open=True, hours="", accessibility=["wheelchair", "lift"])
    make_service("shelter-full", type="shelter", free_places=0, always_open=True, hours="")
    make_service("support-nl", languages=["nl"], hours="sat 09:00-12:00")
    make_service("programme", type="perpetrator_programme", target_groups=["perpetrators"])
    place = place_for("1050")

    def run(**kwargs):
        return names(service_search(query=SearchQuery(place=place, **kwargs), at=MONDAY_10))

    assert run(need="shelter") == ["shelter-undoc", "shelter-full"]
    assert run(need="shelter", accepts_undocumented=True) == ["shelter-undoc"]
    assert run(need="shelter", free_places=True) == ["shelter-undoc"]
    assert run(need="shelter", accessibility=("wheelchair",)) == ["shelter-undoc"]
    assert run(languages=("nl",)) == ["support-nl"]
    assert "support-nl" not in run(open_now=True)
    assert run(target_group="perpetrators") == ["programme"]


def test_the_baseline_filter_returns_the_same_services_unranked():
    for index in range(5):
        make_service(f"s{index}")
    query = SearchQuery(place=place_for("1050"), need="support")
    assert sorted(s.code for s in filtered_services(query)) == sorted(
        names(service_search(query=query)))


def test_an_unknown_postcode_comes_with_the_nearest_known_ones():
    place = place_for("1051")
    assert not place.known
    assert "1050" in place.suggestions
    assert nearest_postcodes("9001")[0] in {"9000", "9030", "9031", "9032"}
    assert place_for("Elsene").municipalities == ("21009",)  # Dutch name of Ixelles
    assert place_for("ixelles").districts == ("brussel",)


def test_the_search_page_costs_the_same_queries_for_few_or_many_results(cast,
                                                                      django_assert_max_num_queries):
    from relais.conftest import verified_client

    client = verified_client(cast.officer_a)
    for index in range(3):
        make_service(f"few{index}")
    with django_assert_max_num_queries(20) as few:
        client.get("/directory/?where=1050")
    for index in range(30):
        make_service(f"many{index}", hours="mon 09:00-10:00; tue 09:00-10:00")
    with django_assert_max_num_queries(20) as many:
        response = client.get("/directory/?where=1050")
    assert response.content.count(b"service-card") == 33
    assert len(many.captured_queries) == len(few.captured_queries)
