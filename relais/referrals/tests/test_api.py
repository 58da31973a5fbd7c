"""The referrals API: each side's list, a referral with its steps, and the next step, through
the same selectors, services, policy and audit as the referral screens."""

from __future__ import annotations

from django.db import reset_queries
from django.urls import reverse
from rest_framework.test import APIClient

from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, api_client
from relais.referrals import services
from relais.referrals.models import Referral, ReferralStatus


def refer(cast, service) -> Referral:
    return services.referral_create(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        service_id=service.pk, basis="consent", consent_method="oral_in_person",
        confirm_mismatches=True)


def test_the_referrals_api_requires_sign_in(cast):
    assert APIClient().get(reverse("api:referral_list")).status_code == 401


def test_each_side_lists_its_own(cast, directory):
    referral = refer(cast, directory.shelter)
    mine = api_client(cast.officer_a).get(reverse("api:referral_list")).json()["results"]
    assert [(r["id"], r["side"]) for r in mine] == [(referral.pk, "referrer")]
    shelter = api_client(cast.shelter_worker)
    incoming = shelter.get(reverse("api:referral_list") + "?direction=incoming").json()
    assert [(r["id"], r["side"]) for r in incoming["results"]] == [(referral.pk, "receiver")]
    assert shelter.get(reverse("api:referral_list")).json()["results"] == []
    bad = shelter.get(reverse("api:referral_list") + "?direction=sideways")
    assert bad.status_code == 400 and "direction" in bad.json()


def test_the_shelter_takes_the_next_steps_once_per_key(cast, directory):
    referral = refer(cast, directory.shelter)
    shelter = api_client(cast.shelter_worker)
    url = reverse("api:referral_steps", args=[referral.pk])
    if referral.status == ReferralStatus.PROPOSED:
        api_client(cast.officer_a).post(url, {"status": "sent"}, format="json")
    received = shelter.post(url, {"status": "received"}, format="json",
                            headers={"Idempotency-Key": "r-1"})
    again = shelter.post(url, {"status": "received"}, format="json",
                         headers={"Idempotency-Key": "r-1"})
    assert (received.status_code, again.status_code) == (201, 200), received.json()
    assert [s["status"] for s in again.json()["steps"]][-1] == "received"
    declined = shelter.post(url, {"status": "declined"}, format="json")
    assert declined.status_code == 400 and "reason" in declined.json()
    impossible = shelter.post(url, {"status": "closed", "outcome": "other"}, format="json")
    assert impossible.status_code == 400 and "detail" in impossible.json()
    accepted = shelter.post(url, {"status": "accepted"}, format="json")
    assert accepted.status_code == 201 and accepted.json()["status"] == "accepted"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(referral.pk),
                                     basis="referral accepted", channel="api").exists()


def test_other_agencies_get_404(cast, directory):
    referral = refer(cast, directory.shelter)
    outsider = api_client(cast.support_worker)
    assert outsider.get(reverse("api:referral_detail", args=[referral.pk])).status_code == 404
    assert outsider.post(reverse("api:referral_steps", args=[referral.pk]),
                         {"status": "received"}, format="json").status_code == 404
    # The referrer may not take the receiver's step.
    officer = api_client(cast.officer_a)
    detail = officer.get(reverse("api:referral_detail", args=[referral.pk]))
    assert detail.status_code == 200 and detail.json()["side"] == "referrer"


def test_the_list_in_constant_queries(cast, directory, django_assert_max_num_queries):
    api = api_client(cast.officer_a)
    url = reverse("api:referral_list")
    refer(cast, directory.shelter)
    api.get(url)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(30) as one:
        api.get(url)
    for service in (directory.support_fr, directory.shelter, directory.support_fr):
        refer(cast, service)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        page = api.get(url + "?page_size=3&ordering=-created_at").json()
    assert len(page["results"]) == 3 and page["next"]


def test_a_referral_without_consent_says_it_awaits_approval(cast, directory):
    referral = services.referral_create(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        service_id=directory.support_fr.pk, basis="imminent_danger",
        basis_note="Fictitious danger.", confirm_mismatches=True)
    body = api_client(cast.officer_a).get(f"/api/referrals/{referral.pk}/").json()
    assert body["status"] == "proposed" and body["awaiting_approval"] is True
