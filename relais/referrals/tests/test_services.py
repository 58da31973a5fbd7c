"""The referral loop: consent or legal basis, minimal sharing, each step by its side, what
each side sees, overdue steps, audit events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from relais.access.cases import case_access
from relais.access.scopes import Scope
from relais.access.services import consent_withdraw
from relais.approvals import services as approvals
from relais.approvals.models import ApprovalRequest
from relais.audit.models import AuditEvent
from relais.conftest import actor
from relais.directory.tests.factories import make_service
from relais.referrals import selectors, services
from relais.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db
S = ReferralStatus


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refer(cast, service, **kwargs) -> Referral:
    arguments = {"basis": "consent", "consent_method": "oral_in_person",
                 "confirm_mismatches": True, **kwargs}
    return services.referral_create(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                    person_id=cast.victim_id, service_id=service.pk,
                                    **arguments)


def audited(referral: Referral, basis: str) -> bool:
    return AuditEvent.objects.filter(object_type="referrals.referral",
                                     object_id=str(referral.pk), basis=basis).exists()


def test_a_referral_with_consent_opens_only_how_to_reach_her(cast, directory):
    referral = refer(cast, directory.support_fr)
    assert referral.status == S.SENT and referral.consent is not None
    assert referral.scopes == [Scope.CONTACT]
    access = case_access(actor=actor(cast.support_worker), case_id=cast.case.pk)
    assert access.person_scopes("victim", cast.victim_id) == {Scope.CONTACT}
    assert access.person_scopes("alleged_perpetrator", cast.perpetrator_id) == frozenset()
    assert Scope.JUDICIAL not in access.scopes
    assert audited(referral, "Her consent") and audited(referral, "referral sent")


def test_no_consent_and_no_basis_is_refused_and_nothing_is_kept(cast, directory):
    with pytest.raises(ValidationError) as error:
        refer(cast, directory.support_fr, consent_method="")
    assert "consent_method" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        refer(cast, directory.support_fr, basis="imminent_danger")
    assert "basis_note" in error.value.message_dict
    assert not Referral.objects.exists()


def test_going_ahead_without_consent_waits_for_a_supervisor_then_is_sent(cast, directory):
    referral = refer(cast, directory.support_fr, basis="imminent_danger", consent_method="",
                     basis_note="He is outside her door with a knife (fictitious).")
    # A consent override: nothing leaves the zone before its supervisor approves.
    assert referral.consent is None and referral.status == S.PROPOSED
    assert referral.share is None
    with pytest.raises(Http404):
        case_access(actor=actor(cast.support_worker), case_id=cast.case.pk)
    request = approvals.pending_for(step="consent_override", target=referral)
    assert request.reason == "He is outside her door with a knife (fictitious)."
    assert "without her consent" in request.summary_text
    with pytest.raises(ValidationError):  # one request per referral
        services.referral_send(actor=actor(cast.officer_a), referral_id=referral.pk)
    with pytest.raises(Http404):  # nobody approves her own request
        approvals.approval_approve(actor=actor(cast.officer_a), request_id=request.pk)
    approvals.approval_approve(actor=actor(cast.reference_a), request_id=request.pk)
    referral.refresh_from_db()
    assert referral.status == S.SENT and referral.share.person_id == cast.victim_id
    access = case_access(actor=actor(cast.support_worker), case_id=cast.case.pk)
    assert Scope.CONTACT in access.person_scopes("victim", cast.victim_id)
    assert audited(referral, "referral sent")


def test_a_refused_override_sends_nothing(cast, directory):
    referral = refer(cast, directory.support_fr, basis="imminent_danger", consent_method="",
                     basis_note="Fictitious danger.")
    request = approvals.pending_for(step="consent_override", target=referral)
    approvals.approval_refuse(actor=actor(cast.reference_a), request_id=request.pk,
                              reason="Ask her first: she can be reached today.")
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED and referral.share is None


def test_a_judicial_mandate_is_no_override_and_is_sent_at_once(cast, directory):
    referral = refer(cast, directory.support_fr, basis="judicial_mandate", consent_method="",
                     basis_note="Ordered by the prosecutor (fictitious).")
    assert referral.status == S.SENT and referral.consent is None
    assert not ApprovalRequest.objects.exists()


def test_sharing_more_than_the_minimum_needs_a_reason(cast, directory):
    with pytest.raises(ValidationError) as error:
        refer(cast, directory.support_fr, scopes=[Scope.CONTACT, Scope.HEALTH])
    assert "widened_because" in error.value.message_dict
    referral = refer(cast, directory.support_fr, scopes=[Scope.CONTACT, Scope.HEALTH],
                     widened_because="Her interpreter need")
    assert referral.scopes == [Scope.CONTACT, Scope.HEALTH]


def test_a_service_that_does_not_fit_asks_for_confirmation_and_says_why(cast, directory):
    with pytest.raises(ValidationError) as error:
        refer(cast, directory.programme, confirm_mismatches=False)
    reasons = " ".join(error.value.message_dict["confirm_mismatches"])
    assert "is not for victims" in reasons
    liege = make_service("liege-only", areas=[("municipality", "62063")])
    with pytest.raises(ValidationError) as error:
        refer(cast, liege, confirm_mismatches=False)
    assert "does not serve 1050" in error.value.message_dict["confirm_mismatches"][0]
    referral = refer(cast, directory.programme)
    assert "is not for victims" in " ".join(referral.confirmed_mismatches)


def test_the_whole_loop_each_step_by_its_side(cast, directory):
    referral = refer(cast, directory.support_fr)
    receiver, referrer = actor(cast.support_worker), actor(cast.officer_a)
    with pytest.raises(Http404):
        services.referral_advance(actor=referrer, referral_id=referral.pk, status=S.RECEIVED)
    with pytest.raises(Http404):
        services.referral_advance(actor=actor(cast.officer_b), referral_id=referral.pk,
                                  status=S.RECEIVED)
    for status in (S.RECEIVED, S.ACCEPTED, S.FIRST_CONTACT):
        services.referral_advance(actor=receiver, referral_id=referral.pk, status=status)
    with pytest.raises(ValidationError):
        services.referral_advance(actor=receiver, referral_id=referral.pk, status=S.CLOSED)
    services.referral_advance(actor=receiver, referral_id=referral.pk, status=S.CLOSED,
                              outcome="support_started", note="Weekly appointments")
    row = selectors.referral_get(actor=referrer, referral_id=referral.pk)
    assert row.referral.status == S.CLOSED and row.referral.outcome == "support_started"
    assert [s.status for s in row.referral.steps.all()] == [
        S.PROPOSED, S.SENT, S.RECEIVED, S.ACCEPTED, S.FIRST_CONTACT, S.CLOSED]
    assert audited(referral, "referral closed")


def test_a_decline_needs_a_reason_and_ends_what_the_service_saw(cast, directory):
    referral = refer(cast, directory.support_fr)
    receiver = actor(cast.support_worker)
    services.referral_advance(actor=receiver, referral_id=referral.pk, status=S.RECEIVED)
    with pytest.raises(ValidationError):
        services.referral_advance(actor=receiver, referral_id=referral.pk, status=S.DECLINED)
    services.referral_advance(actor=receiver, referral_id=referral.pk, status=S.DECLINED,
                              reason="No place before March")
    with pytest.raises(Http404):
        case_access(actor=receiver, case_id=cast.case.pk)
    outgoing = selectors.referral_list(actor=actor(cast.officer_a), direction="outgoing")
    assert outgoing[0].referral.decline_reason == "No place before March"
    incoming = selectors.referral_list(actor=receiver, direction="incoming")
    assert incoming[0].person_label == "(no longer shared)"


def test_a_service_outside_relais_has_its_answers_recorded_by_the_referrer(cast, directory):
    referral = refer(cast, directory.caw_nl)
    assert referral.outside_relais and referral.share is None
    services.referral_advance(actor=actor(cast.officer_a), referral_id=referral.pk,
                              status=S.RECEIVED)
    services.referral_advance(actor=actor(cast.officer_a), referral_id=referral.pk,
                              status=S.WAITING_LIST)
    assert Referral.objects.get(pk=referral.pk).due_at is not None


def test_an_overdue_step_is_flagged_to_both_sides_first(cast, directory):
    late = refer(cast, directory.support_fr)
    refer(cast, directory.shelter)
    Referral.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    for who, direction in ((cast.officer_a, "outgoing"), (cast.support_worker, "incoming")):
        rows = selectors.referral_list(actor=actor(who), direction=direction)
        assert rows[0].referral.pk == late.pk and rows[0].overdue
        assert selectors.overdue_count(actor=actor(who)) == 1


def test_a_withdrawn_consent_stops_the_loop(cast, directory):
    referral = refer(cast, directory.support_fr)
    consent_withdraw(actor=actor(cast.officer_a), consent_id=referral.consent_id)
    with pytest.raises(ValidationError):
        services.referral_advance(actor=actor(cast.support_worker), referral_id=referral.pk,
                                  status=S.RECEIVED)
    services.referral_advance(actor=actor(cast.officer_a), referral_id=referral.pk,
                              status=S.WITHDRAWN)
    assert Referral.objects.get(pk=referral.pk).status == S.WITHDRAWN


def test_facts_come_from_what_the_reader_may_see(cast, directory):
    access = case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)
    facts, place = selectors.facts_for(access=access, person_id=cast.victim_id)
    assert "children" in facts.flags  # the cast has a child
    assert place.postcode == "1050"  # her current address
