"""Shares, consent and break-glass: each leaves its audit event and its timeline entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access import services
from relais.access.cases import case_access
from relais.access.models import ConsentMethod, Share, ShareKind
from relais.access.scopes import Scope
from relais.audit.models import Action, AuditEvent
from relais.cases.models import TimelineEntry
from relais.conftest import actor


def events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("id")


def test_referral_records_consent_and_share(cast):
    share = services.referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.support.pk, scopes=[Scope.CONTACT],
        method=ConsentMethod.PHONE, purpose="Follow-up")
    consent = share.consent
    assert (consent.person_id, consent.recipient_agency, consent.method) == (
        cast.victim_id, cast.support, ConsentMethod.PHONE)
    assert consent.recorded_by == cast.officer_a
    assert events(Action.SHARE).last().object_id == str(share.pk)
    assert events(Action.CREATE).last().object_type == "access.consent"
    assert TimelineEntry.objects.filter(case=cast.case, kind="share_granted").exists()


def test_referral_needs_scopes_and_a_person_of_the_case(cast):
    owner = actor(cast.officer_a)
    with pytest.raises(ValidationError):
        services.referral_share_grant(actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
                                      recipient_agency_id=cast.support.pk, scopes=[],
                                      method=ConsentMethod.PHONE)
    with pytest.raises(ValidationError):
        services.referral_share_grant(actor=owner, case_id=cast.case.pk, person_id=999999,
                                      recipient_agency_id=cast.support.pk, scopes=["contact"],
                                      method=ConsentMethod.PHONE)
    assert not Share.objects.exists()


def test_only_the_owner_shares(cast):
    with pytest.raises(Http404):
        services.referral_share_grant(
            actor=actor(cast.officer_b), case_id=cast.case.pk, person_id=cast.victim_id,
            recipient_agency_id=cast.support.pk, scopes=["contact"], method="phone")


def test_withdrawing_consent_ends_the_share_at_once(cast):
    share = services.referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.support.pk, scopes=[Scope.CONTACT], method=ConsentMethod.WRITTEN)
    assert case_access(actor=actor(cast.support_worker), case_id=cast.case.pk)
    # The victim tells her support worker she withdraws: the recipient may record it too.
    services.consent_withdraw(actor=actor(cast.support_worker), consent_id=share.consent_id)
    share.refresh_from_db()
    assert share.ended_at is not None and share.end_reason == "consent withdrawn"
    assert events(Action.UNSHARE).last().object_id == str(share.pk)
    with pytest.raises(Http404):
        case_access(actor=actor(cast.support_worker), case_id=cast.case.pk)


def test_forwarding_goes_to_the_prosecutor_of_the_district(cast):
    share = services.case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
    assert share.recipient_agency == cast.prosecutor
    assert share.kind == ShareKind.JUDICIAL_FORWARDING
    assert sorted(share.scopes) == ["contact", "judicial"]
    assert events(Action.SHARE).last().basis.startswith("judicial forwarding")
    again = services.case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
    assert again.pk == share.pk


def test_forwarding_without_a_prosecutor_in_relais_says_so(cast):
    from relais.cases.services import case_open

    case = case_open(actor=actor(cast.officer_b), situation="couple", municipality="62063")
    with pytest.raises(ValidationError, match="prosecutor"):
        services.case_forward_to_prosecutor(actor=actor(cast.officer_b), case_id=case.pk)


def test_consultation_ends_on_its_date(cast):
    shares = services.consultation_open(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        agency_ids=[cast.platform.pk, cast.support.pk], purpose="High risk of femicide",
        ends_at=timezone.now() + timedelta(days=14), scopes=[Scope.JUDICIAL])
    assert len(shares) == 2
    assert all(s.legal_basis.startswith("art. 458ter") for s in shares)
    assert case_access(actor=actor(cast.coordinator), case_id=cast.case.pk).scopes == {"judicial"}
    Share.objects.filter(pk__in=[s.pk for s in shares]).update(
        ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Http404):
        case_access(actor=actor(cast.coordinator), case_id=cast.case.pk)


def test_consultation_needs_purpose_and_future_end(cast):
    owner = actor(cast.officer_a)
    with pytest.raises(ValidationError):
        services.consultation_open(actor=owner, case_id=cast.case.pk, agency_ids=[cast.platform.pk],
                                   purpose=" ", ends_at=timezone.now() + timedelta(days=1),
                                   scopes=["judicial"])
    with pytest.raises(ValidationError):
        services.consultation_open(actor=owner, case_id=cast.case.pk, agency_ids=[cast.platform.pk],
                                   purpose="x", ends_at=timezone.now() - timedelta(days=1),
                                   scopes=["judicial"])


def test_break_glass_is_named_timed_justified_and_reviewed(cast):
    outsider = actor(cast.officer_b)
    with pytest.raises(ValidationError):
        services.break_glass_open(actor=outsider, case_reference=cast.case.reference,
                                  justification="urgent")
    share = services.break_glass_open(
        actor=outsider, case_reference=cast.case.reference,
        justification="She called 112 from our zone; he is at the door.")
    assert share.recipient_user == cast.officer_b
    assert timezone.now() < share.ends_at <= timezone.now() + timedelta(hours=4)
    assert events(Action.BREAK_GLASS).last().user_id == cast.officer_b.pk
    assert case_access(actor=outsider, case_id=cast.case.pk).via_break_glass
    # A colleague of the same zone does not get in through her break-glass.
    from relais.accounts.models import Role
    from relais.conftest import make_user

    colleague = make_user("colleague_b", cast.zone_b, Role.INTERVENTION_OFFICER)
    with pytest.raises(Http404):
        case_access(actor=actor(colleague), case_id=cast.case.pk)

    # The owning agency's reference officer sees it flagged and reviews it.
    pending = services.break_glass_pending(actor=actor(cast.reference_a))
    assert [s.pk for s in pending] == [share.pk]
    assert services.break_glass_pending(actor=actor(cast.officer_a)) == []
    with pytest.raises(Http404):
        services.break_glass_review(actor=actor(cast.officer_a), share_id=share.pk, note="x")
    services.break_glass_review(actor=actor(cast.reference_a), share_id=share.pk,
                                note="Justified: 112 call confirmed.", end_now=True)
    share.refresh_from_db()
    assert share.reviewed_by == cast.reference_a and share.ended_at is not None
    assert events(Action.REVIEW).last().object_id == str(share.pk)
    assert services.break_glass_pending(actor=actor(cast.reference_a)) == []


def test_break_glass_by_national_number(cast):
    from relais.cases.models import Person

    number = Person.objects.get(pk=cast.victim_id).national_number
    share = services.break_glass_open(actor=actor(cast.officer_b), case_reference=number,
                                      justification="Imminent danger reported by dispatch.")
    assert share.case_id == cast.case.pk


def test_analyst_cannot_break_glass(cast):
    with pytest.raises(Http404):
        services.break_glass_open(actor=actor(cast.analyst_a), case_reference=cast.case.reference,
                                  justification="Curious about the figures of this case.")


def test_owner_ends_a_share(cast):
    share = services.case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
    services.share_end(actor=actor(cast.officer_a), share_id=share.pk, reason="Wrong district")
    share.refresh_from_db()
    assert share.end_reason == "Wrong district"
    assert events(Action.UNSHARE).last().object_id == str(share.pk)
    with pytest.raises(Http404):
        case_access(actor=actor(cast.legal_advisor), case_id=cast.case.pk)


def test_break_glass_is_for_police_and_prosecutors_only(cast):
    for user in (cast.counsellor, cast.shelter_worker, cast.support_worker):
        with pytest.raises(Http404):
            services.break_glass_open(actor=actor(user), case_reference=cast.case.reference,
                                      justification="He says she is in danger right now.")
    share = services.break_glass_open(actor=actor(cast.legal_advisor),
                                      case_reference=cast.case.reference,
                                      justification="Imminent danger reported by the police.")
    assert share.recipient_user == cast.legal_advisor


def test_break_glass_is_refused_on_a_case_one_already_sees(cast):
    with pytest.raises(ValidationError, match="already have access"):
        services.break_glass_open(actor=actor(cast.officer_a), case_reference=cast.case.reference,
                                  justification="Testing emergency access on my own case.")


def test_break_glass_by_national_number_refuses_to_guess(cast):
    from relais.cases.models import Person
    from relais.cases.services import case_open, person_add_to_case

    number = Person.objects.get(pk=cast.victim_id).national_number
    other = case_open(actor=actor(cast.officer_a), situation="couple", municipality="21009")
    person_add_to_case(actor=actor(cast.officer_a), case_id=other.pk, role="victim",
                       first_name="Alice", last_name="Exemple", national_number=number)
    with pytest.raises(ValidationError, match="Several cases"):
        services.break_glass_open(actor=actor(cast.officer_b), case_reference=number,
                                  justification="Imminent danger reported by dispatch.")
