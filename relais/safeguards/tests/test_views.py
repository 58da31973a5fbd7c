"""The screens: sign-in required, another agency's 404, the forms, and the case page's
panel: the residence deadline for readers of her health data, the hospital alert for its
service and the owning zone only, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from relais.audit.models import AuditEvent
from relais.conftest import Cast, case_page_with_sections, verified_client
from relais.followup.models import Task, TaskKind
from relais.safeguards.models import HospitalAlert, ResidenceSituation
from relais.safeguards.tests.factories import alert, hospital, residence, share

pytestmark = pytest.mark.django_db


def case_url(cast: Cast) -> str:
    return f"/cases/{cast.case.pk}/"


def test_every_screen_requires_sign_in(cast: Cast):
    place = hospital(cast)
    share(cast, place.agency)
    made = alert(cast, place)
    for method, url in (("get", f"/safeguards/cases/{cast.case.pk}/residence/"),
                        ("get", f"/safeguards/cases/{cast.case.pk}/hospital-alert/"),
                        ("post", f"/safeguards/hospital-alerts/{made.pk}/end/")):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_another_agency_gets_404(cast: Cast):
    place = hospital(cast)
    share(cast, place.agency)
    made = alert(cast, place)
    outsider = verified_client(cast.officer_b)
    assert outsider.get(f"/safeguards/cases/{cast.case.pk}/residence/").status_code == 404
    assert outsider.get(f"/safeguards/cases/{cast.case.pk}/hospital-alert/").status_code == 404
    assert outsider.post(f"/safeguards/hospital-alerts/{made.pk}/end/").status_code == 404
    # The owning zone sees the alert but never sets or ends one; another hospital neither.
    zone = verified_client(cast.officer_a)
    assert zone.get(f"/safeguards/cases/{cast.case.pk}/hospital-alert/").status_code == 404
    assert zone.post(f"/safeguards/hospital-alerts/{made.pk}/end/").status_code == 404
    other = verified_client(place.other_nurse)
    assert other.post(f"/safeguards/hospital-alerts/{made.pk}/end/").status_code == 404
    assert HospitalAlert.objects.get().ended_at is None


def test_recording_her_residence_from_the_form(cast: Cast):
    client = verified_client(cast.officer_a)
    url = f"/safeguards/cases/{cast.case.pk}/residence/"
    assert client.get(url).status_code == 200
    facts_on = date.today() - timedelta(days=2)
    response = client.post(url, {"person": cast.victim_id, "permit": "card_a",
                                 "facts_on": facts_on.isoformat(), "via": "intake"})
    assert response.status_code == 302
    situation = ResidenceSituation.objects.get()
    assert situation.facts_on == facts_on and situation.via == "intake"
    assert Task.objects.filter(kind=TaskKind.RESIDENCE_APPLICATION).count() == 1
    page = case_page_with_sections(client, cast.case.pk)
    assert "Apply to the Immigration Office by" in page
    assert "art. 11 §2" in page
    assert "Find a specialised legal service" in page
    assert f"/cases/{cast.case.pk}/help/?person={cast.victim_id}" in page
    # The referral screen starts from it: the legal service for keeping her residence.
    helping = client.get(f"/cases/{cast.case.pk}/help/?person={cast.victim_id}")
    assert "Family reunification: legal aid for the application" in helping.content.decode()


def test_a_bad_date_comes_back_to_the_field(cast: Cast):
    client = verified_client(cast.officer_a)
    response = client.post(f"/safeguards/cases/{cast.case.pk}/residence/", {
        "person": cast.victim_id, "permit": "card_a", "via": "intake",
        "facts_on": (date.today() + timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not ResidenceSituation.objects.exists()


def test_the_residence_is_not_shown_to_the_perpetrator_programme(cast: Cast):
    residence(cast)
    share(cast, cast.programme, person_id=cast.perpetrator_id)
    page = case_page_with_sections(verified_client(cast.counsellor), cast.case.pk)
    assert "Immigration Office" not in page


def test_the_hospital_sets_and_ends_its_alert(cast: Cast):
    place = hospital(cast)
    share(cast, place.agency)
    nurse = verified_client(place.nurse)
    url = f"/safeguards/cases/{cast.case.pk}/hospital-alert/"
    assert nurse.get(url).status_code == 200
    response = nurse.post(url, {"person": cast.victim_id, "starts_on": date.today().isoformat(),
                                "note": "Fictitious: staff entrance only"})
    assert response.status_code == 302
    made = HospitalAlert.objects.get()
    page = case_page_with_sections(nurse, cast.case.pk)
    assert "Fictitious: staff entrance only" in page
    assert "the perpetrator must not learn it or meet her there" in page
    assert nurse.post(f"/safeguards/hospital-alerts/{made.pk}/end/").status_code == 302
    assert HospitalAlert.objects.get().ended_at is not None


def test_the_alert_is_invisible_to_the_shelter_and_the_programme(cast: Cast):
    place = hospital(cast)
    for agency in (place.agency, cast.shelter):
        share(cast, agency)
    share(cast, cast.programme, person_id=cast.perpetrator_id)
    made = alert(cast, place, note="Fictitious: east entrance")
    zone_page = case_page_with_sections(verified_client(cast.officer_a), cast.case.pk)
    assert "Fictitious: east entrance" in zone_page
    assert AuditEvent.objects.filter(object_type="safeguards.hospitalalert",
                                     object_id=str(made.pk), action="read").count() == 1
    for user in (cast.shelter_worker, cast.counsellor, place.other_nurse):
        client = verified_client(user)
        if client.get(case_url(cast)).status_code == 200:
            page = case_page_with_sections(client, cast.case.pk)
            assert "Fictitious: east entrance" not in page
            assert "Hospital presence alert" not in page
    assert AuditEvent.objects.filter(object_type="safeguards.hospitalalert",
                                     action="read").count() == 1


def test_the_panel_takes_a_fixed_number_of_queries(cast: Cast, django_assert_max_num_queries):
    place = hospital(cast)
    share(cast, place.agency)
    residence(cast)
    alert(cast, place)
    client = verified_client(cast.officer_a)
    section = f"/cases/{cast.case.pk}/sections/safeguards/"
    with django_assert_max_num_queries(80) as few:
        assert client.get(section, headers={"HX-Request": "true"}).status_code == 200
    for _n in range(4):
        alert(cast, place)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(section, headers={"HX-Request": "true"})
    assert response.content.decode().count("Fictitious: use the staff entrance") == 5
