"""Screens of the referral loop: sign-in, other agencies, the forms, the lists."""

from __future__ import annotations

import pytest
from django.test import Client

from relais.cases.models import Person
from relais.conftest import actor, verified_client
from relais.referrals import services
from relais.referrals.models import Referral

pytestmark = pytest.mark.django_db


def refer(cast, service) -> Referral:
    return services.referral_create(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        service_id=service.pk, basis="consent", consent_method="oral_in_person",
        confirm_mismatches=True)


def test_every_page_requires_sign_in(cast, directory):
    referral = refer(cast, directory.support_fr)
    for url in [f"/cases/{cast.case.pk}/help/", f"/cases/{cast.case.pk}/referrals/new/",
                "/referrals/", f"/referrals/{referral.pk}/"]:
        response = Client().get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_another_agency_gets_404(cast, directory):
    referral = refer(cast, directory.support_fr)
    client = verified_client(cast.officer_b)
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert client.get(f"/cases/{cast.case.pk}/help/").status_code == 404
    assert client.post(f"/referrals/{referral.pk}/step/",
                       {"status": "withdrawn"}).status_code == 404
    assert b"Service test-support-fr" not in client.get("/referrals/").content


def test_find_help_suggests_from_the_case_and_lists_services(cast, directory):
    Person.objects.filter(pk=cast.victim_id).update(languages=["fr"])
    client = verified_client(cast.officer_a)
    page = client.get(f"/cases/{cast.case.pk}/help/")
    assert page.status_code == 200
    assert b"Children are concerned" in page.content  # prefilled from the case's child
    assert b"CPVCF" in page.content  # French speaker: a CPVCF-type service, and why
    assert directory.support_fr.name.encode() in page.content
    assert b"Refer to this service" in page.content
    refined = client.post(f"/cases/{cast.case.pk}/help/",
                          {"person": cast.victim_id, "flags": ["refuses"]})
    assert b"0800 30 030" in refined.content and b"Refer to this service" not in refined.content


def test_the_referral_form_keeps_answers_and_says_what_is_missing(cast, directory):
    client = verified_client(cast.officer_a, language="fr")
    url = (f"/cases/{cast.case.pk}/referrals/new/?service={directory.programme.pk}"
           f"&person={cast.victim_id}")
    page = client.get(url)
    assert b"message-warning" in page.content  # a perpetrator programme, for a victim
    response = client.post(url, {"basis": "consent", "purpose": "Un suivi (test)",
                                 "scopes": ["contact"], "send": "1"})
    assert response.status_code == 200
    assert b"Un suivi (test)" in response.content
    assert not Referral.objects.exists()
    response = client.post(url, {"basis": "consent", "consent_method": "oral_in_person",
                                 "scopes": ["contact"], "confirm_mismatches": "on",
                                 "send": "1"})
    assert response.status_code == 302
    assert Referral.objects.get().status == "sent"


def test_the_receiving_service_moves_the_referral_on_screen(cast, directory):
    referral = refer(cast, directory.support_fr)
    client = verified_client(cast.support_worker)
    page = client.get("/referrals/?direction=incoming")
    assert b"Alice Exemple" in page.content
    client.post(f"/referrals/{referral.pk}/step/", {"status": "received"})
    response = client.post(f"/referrals/{referral.pk}/step/", {"status": "declined"},
                           follow=True)
    assert b"Say why the service declines" in response.content
    referral.refresh_from_db()
    assert referral.status == "received"
    officer_page = verified_client(cast.officer_a).get(f"/cases/{cast.case.pk}/")
    assert b"Receipt acknowledged" in officer_page.content


def test_the_list_costs_the_same_queries_for_one_or_many(cast, directory,
                                                         django_assert_max_num_queries):
    client = verified_client(cast.officer_a)
    refer(cast, directory.support_fr)
    with django_assert_max_num_queries(25) as one:
        client.get("/referrals/")
    for _ in range(8):
        refer(cast, directory.legal)
    with django_assert_max_num_queries(25) as many:
        response = client.get("/referrals/")
    assert response.content.count(b"/referrals/") >= 9
    assert len(many.captured_queries) == len(one.captured_queries)


def test_without_consent_the_screen_says_it_waits_for_a_supervisor(cast, directory):
    client = verified_client(cast.officer_a)
    url = (f"/cases/{cast.case.pk}/referrals/new/?service={directory.support_fr.pk}"
           f"&person={cast.victim_id}")
    response = client.post(url, {"basis": "imminent_danger", "scopes": ["contact"],
                                 "basis_note": "Fictitious: he is on his way.",
                                 "confirm_mismatches": "on", "send": "1"}, follow=True)
    page = response.content.decode()
    referral = Referral.objects.get()
    assert referral.status == "proposed"
    assert "waits for a supervisor&#x27;s approval before it is sent" in page
    assert "is sent once a supervisor of your agency approves it" in page
    assert 'value="sent"' not in page  # no second "Send" while it waits
    # The supervisor's list has it, with the reason; approving sends it.
    supervisor = verified_client(cast.reference_a)
    listed = supervisor.get("/approvals/").content.decode()
    assert "without her consent" in listed and "Fictitious: he is on his way." in listed
    request_id = referral_request_id(referral)
    supervisor.post(f"/approvals/{request_id}/approve/", {"reason": ""})
    referral.refresh_from_db()
    assert referral.status == "sent"


def referral_request_id(referral) -> int:
    from relais.approvals.models import ApprovalRequest

    return ApprovalRequest.objects.get(target_type="referrals.referral",
                                       target_id=str(referral.pk)).pk
