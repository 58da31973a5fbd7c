"""Screens of the safety plan: login required, other agencies and the programme get 404, the
forms make and review the plan, the versions list reads in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, verified_client
from relais.safetyplan import services
from relais.safetyplan.models import PlanConsent, PlanVersion, SafetyPlan
from relais.safetyplan.tests.factories import CODE_WORD, make_plan, refer


def _urls(cast, plan) -> list[tuple[str, str]]:
    consent = PlanConsent.objects.create(plan=plan, agency=cast.shelter, method="written",
                                         recorded_by=cast.sapv_a)
    return [
        ("get", f"/safety-plans/cases/{cast.case.pk}/persons/{cast.victim_id}/new/"),
        ("get", f"/safety-plans/{plan.pk}/"),
        ("get", f"/safety-plans/{plan.pk}/review/"),
        ("post", f"/safety-plans/{plan.pk}/unchanged/"),
        ("get", f"/safety-plans/{plan.pk}/versions/"),
        ("get", f"/safety-plans/{plan.pk}/versions/1/"),
        ("get", f"/safety-plans/{plan.pk}/print/"),
        ("post", f"/safety-plans/{plan.pk}/consents/"),
        ("post", f"/safety-plans/consents/{consent.pk}/withdraw/"),
    ]


def test_login_required(cast):
    plan = make_plan(cast)
    for method, url in _urls(cast, plan):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


@pytest.mark.parametrize("user", ["officer_b", "officer_a", "counsellor"])
def test_other_agencies_and_colleagues_get_404(cast, user):
    plan = make_plan(cast)
    refer(cast, cast.programme, cast.perpetrator_id)  # the programme sees the case...
    PlanConsent.objects.create(plan=plan, agency=cast.programme, method="written",
                               recorded_by=cast.sapv_a)  # ... and even a consent opens nothing
    client = verified_client(getattr(cast, user))
    for method, url in _urls(cast, plan):
        if "/new/" in url and user == "officer_a":
            continue  # the owner's officer sees the case; making a plan is still refused below
        assert getattr(client, method)(url).status_code == 404, url
    new = f"/safety-plans/cases/{cast.case.pk}/persons/{cast.victim_id}/new/"
    assert client.get(new).status_code == 404


def test_make_a_plan_through_the_form(cast):
    client = verified_client(cast.sapv_a)
    url = f"/safety-plans/cases/{cast.case.pk}/persons/{cast.victim_id}/new/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Code word" in html and f"child_{cast.child_id}_pickup" in html
    response = client.post(url, {
        "language": "de", "safe_places": "Bei Léa", "code_word": CODE_WORD,
        "ready_items": ["identity", "bag"], "danger_steps": ["call_112"],
        f"child_{cast.child_id}_do": "Zur Nachbarin", f"child_{cast.child_id}_pickup": "Léa",
        "risk_persons": [str(cast.perpetrator_id)]})
    plan = SafetyPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/safety-plans/{plan.pk}/"
    assert plan.language == "de"
    version = plan.versions.get()
    assert version.ready_items == ["identity", "bag"]
    assert version.children.get().what_they_do == "Zur Nachbarin"
    page = client.get(f"/safety-plans/{plan.pk}/").content.decode()
    assert CODE_WORD in page and "Zur Nachbarin" in page


def test_review_and_nothing_changed(cast):
    plan = make_plan(cast)
    client = verified_client(cast.sapv_a)
    form = client.get(f"/safety-plans/{plan.pk}/review/").content.decode()
    assert CODE_WORD in form  # filled with the current version
    response = client.post(f"/safety-plans/{plan.pk}/review/", {
        "language": "nl", "code_word": "Mamie Jo", "read_number": "1"})
    assert response.status_code == 302
    assert client.post(f"/safety-plans/{plan.pk}/unchanged/",
                       {"read_number": "2", "review_note": "Bel"}).status_code == 302
    assert list(plan.versions.order_by("number").values_list("number", "changed")) == [
        (1, True), (2, True), (3, False)]
    page = client.get(f"/safety-plans/{plan.pk}/versions/1/").content.decode()
    assert CODE_WORD in page and "An earlier version" in page


def test_a_review_over_a_newer_version_keeps_her_typing(cast):
    plan = make_plan(cast)
    services.plan_confirm(actor=actor(cast.sapv_a), plan_id=plan.pk)
    client = verified_client(cast.sapv_a)
    response = client.post(f"/safety-plans/{plan.pk}/review/", {
        "language": "nl", "code_word": "Mamie Jo", "read_number": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "meanwhile" in html
    assert 'value="Mamie Jo"' in html and 'name="read_number" value="2"' in html
    assert plan.versions.count() == 2


def test_the_versions_list_reads_in_a_fixed_number_of_queries(cast):
    plan = make_plan(cast)
    client = verified_client(cast.sapv_a)
    url = f"/safety-plans/{plan.pk}/versions/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _n in range(5):
        services.plan_confirm(actor=actor(cast.sapv_a), plan_id=plan.pk)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count("nothing changed") == 5
    assert len(many) == len(few)
    assert AuditEvent.objects.filter(action=Action.READ, case_id=cast.case.pk,
                                     basis__contains="safety plan versions").exists()


def test_consent_form_opens_the_plan_to_the_shelter(cast):
    plan = make_plan(cast)
    refer(cast, cast.shelter, cast.victim_id)
    client = verified_client(cast.sapv_a)
    page = client.get(f"/safety-plans/{plan.pk}/").content.decode()
    assert "Test shelter" in page and "Test programme" not in page  # never offered
    response = client.post(f"/safety-plans/{plan.pk}/consents/",
                           {"agency": str(cast.shelter.pk), "method": "oral_in_person"})
    assert response.status_code == 302
    shelter = verified_client(cast.shelter_worker)
    assert shelter.get(f"/safety-plans/{plan.pk}/").status_code == 200
    assert shelter.get(f"/safety-plans/{plan.pk}/review/").status_code == 404  # reads only
    consent = PlanConsent.objects.get()
    client.post(f"/safety-plans/consents/{consent.pk}/withdraw/")
    assert shelter.get(f"/safety-plans/{plan.pk}/").status_code == 404


def test_the_case_panel(cast):
    plan = make_plan(cast)
    sapv = verified_client(cast.sapv_a)
    html = sapv.get(f"/cases/{cast.case.pk}/sections/safetyplan/",
                    headers={"HX-Request": "true"}).content.decode()
    assert f"/safety-plans/{plan.pk}/" in html and CODE_WORD not in html
    officer = verified_client(cast.officer_a)
    page = officer.get(f"/cases/{cast.case.pk}/").content.decode()
    assert "sections/safetyplan/" not in page  # not even the section's name


def test_versions_survive(cast):
    plan = make_plan(cast)
    services.plan_confirm(actor=actor(cast.sapv_a), plan_id=plan.pk)
    assert PlanVersion.objects.filter(plan=plan).count() == 2
