"""The consultation's services: the body, referral on criteria, the agenda, the meeting, the
plan and its actions as tasks, leaving; each with its audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access.cases import case_access, visible_cases
from relais.access.models import Share, ShareKind
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.conftest import actor
from relais.consultation import selectors, services
from relais.consultation.models import (
    Action,
    Contribution,
    Criteria,
    Hearing,
    Plan,
    PlanStatus,
    ReferralStatus,
)
from relais.consultation.tests.conftest import hear, make_body, meeting_for, refer
from relais.followup import services as followup_services
from relais.followup.models import Task, TaskKind
from relais.followup.selectors import task_queue
from relais.notifications.models import Notice, NoticeKind


def audited(action: str, target) -> bool:
    return AuditEvent.objects.filter(action=action, object_type=target._meta.label_lower,
                                     object_id=str(target.pk)).exists()


def test_body_administration_is_audited_and_coordinator_only(cast):
    body = make_body(cast)
    member = body.memberships.get(agency=cast.support)
    assert audited("create", member)
    with pytest.raises(Http404):
        services.member_save(actor=actor(cast.officer_a), body_id=body.pk,
                             agency_id=cast.zone_b.pk, representative_id=None, deputy_id=None)
    with pytest.raises(ValidationError):  # the representative must work there
        services.member_save(actor=actor(cast.coordinator), body_id=body.pk,
                             agency_id=cast.zone_b.pk, representative_id=cast.officer_a.pk,
                             deputy_id=None)
    criteria = services.criteria_publish(
        actor=actor(cast.coordinator), body_id=body.pk, note="Escalation from 2 incidents",
        rules={**services.rules_of.DEFAULT_RULES, "escalation": {"incidents": 2, "months": 12}})
    assert criteria.version == 2 and audited("create", criteria)
    with pytest.raises(ValidationError):
        services.criteria_publish(actor=actor(cast.coordinator), body_id=body.pk, note="x",
                                  rules={"escalation": {"incidents": 0}})
    removed = services.member_remove(actor=actor(cast.coordinator), membership_id=member.pk)
    assert removed.left_at is not None and audited("update", removed)


def test_referral_needs_a_criterion_and_records_why(cast):
    body = make_body(cast)
    with pytest.raises(ValidationError) as error:
        refer(cast, body, concern="")
    assert "concern" in error.value.message_dict
    referral = refer(cast, body)
    assert [code for code, _p in referral.criteria_met] == ["criterion_concern"]
    assert referral.criteria.version == 1 and audited("create", referral)
    assert Notice.objects.filter(agency=cast.platform, kind=NoticeKind.CONSULTATION_REFERRAL,
                                 case=cast.case).exists()
    with pytest.raises(ValidationError):  # already waiting
        refer(cast, body)


def test_escalation_criterion_counts_incidents_in_twelve_months(cast):
    from relais.followup.tests.factories import record_report as report_for

    body = make_body(cast)
    services.criteria_publish(
        actor=actor(cast.coordinator), body_id=body.pk, note="two incidents",
        rules={**services.rules_of.DEFAULT_RULES, "escalation": {"incidents": 2, "months": 12}})
    for days in (10, 40):
        report_for(cast, offence_at=timezone.now() - timedelta(days=days))
    check = services.referral_check(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                    body_id=body.pk)
    assert [code for code, _p in check["met"]] == ["criterion_escalation"]
    assert check["met"][0][1]["count"] == "2"


def test_without_consent_the_basis_is_justified_and_the_reference_officer_told(cast):
    body = make_body(cast)
    with pytest.raises(ValidationError) as error:
        refer(cast, body, consents=False, informed="unsafe", basis="458ter", justification="")
    assert "justification" in error.value.message_dict
    with pytest.raises(ValidationError):  # 458bis is for an emergency
        refer(cast, body, consents=False, informed="unsafe", basis="458bis",
              justification="He bought a weapon last week and threatens her.")
    referral = refer(cast, body, consents=False, informed="unsafe", basis="458bis",
                     emergency=True,
                     justification="He bought a weapon last week and threatens her.")
    assert referral.respond_by - referral.referred_at == timedelta(hours=48)
    assert Notice.objects.filter(agency=cast.zone_a, kind=NoticeKind.CONSULTATION_NO_CONSENT,
                                 for_role="ipv_reference_officer").exists()
    assert Notice.objects.filter(agency=cast.platform,
                                 kind=NoticeKind.CONSULTATION_EMERGENCY).exists()


def test_referral_never_shares_a_confidential_address_nor_more_than_seen(cast):
    body = make_body(cast)
    with pytest.raises(ValidationError) as error:
        refer(cast, body, scopes=["confidential_location", "judicial"])
    assert "scopes" in error.value.message_dict


def test_non_member_and_unseen_case_cannot_refer(cast):
    body = make_body(cast)
    with pytest.raises(Http404):  # zone B sees no such case
        services.referral_create(actor=actor(cast.officer_b), case_id=cast.case.pk,
                                 body_id=body.pk, concern="x", emergency=False,
                                 informed="yes", consents=True, basis="consent",
                                 justification="", scopes=["judicial"])
    with pytest.raises(Http404):  # the house of justice is a member but does not see the case
        services.referral_create(actor=actor(cast.justice_assistant), case_id=cast.case.pk,
                                 body_id=body.pk, concern="x", emergency=False,
                                 informed="yes", consents=True, basis="consent",
                                 justification="", scopes=["judicial"])


def test_agenda_orders_emergencies_then_risk_then_wait(cast, table):
    other = case_services.case_open(actor=actor(cast.officer_a), situation="couple",
                                    municipality="21009")
    emergency = services.referral_create(
        actor=actor(cast.officer_a), case_id=other.pk, body_id=table.body.pk,
        concern="Threats with a knife yesterday.", emergency=True, informed="yes",
        consents=True, basis="consent", justification="", scopes=["judicial"])
    rows = selectors.waiting_referrals(actor=actor(cast.coordinator), body=table.body)
    assert [row.referral for row in rows] == [emergency]
    services.agenda_add(actor=actor(cast.coordinator), meeting_id=table.meeting.pk,
                        referral_ids=[emergency.pk])
    emergency.refresh_from_db()
    assert emergency.status == ReferralStatus.SCHEDULED


def test_agenda_shows_minimal_identification_and_own_knowledge(cast, table):
    support = selectors.agenda(actor=actor(cast.support_worker), meeting_id=table.meeting.pk)
    row = support["rows"][0]
    assert row.identification["victim"]["name"] == "Alice Exemple"
    assert row.known is False  # the service does not see the case through its own access
    assert "street" not in str(row.identification).lower()
    zone = selectors.agenda(actor=actor(cast.officer_a), meeting_id=table.meeting.pk)
    assert zone["rows"][0].known is True
    programme = selectors.agenda(actor=actor(cast.counsellor), meeting_id=table.meeting.pk)
    assert "municipality" not in programme["rows"][0].identification
    assert AuditEvent.objects.filter(action="read", case_id=cast.case.pk,
                                     basis__startswith="consultation agenda").count() == 3
    for outsider in (cast.officer_b, cast.analyst_a):
        with pytest.raises(Http404):
            selectors.agenda(actor=actor(outsider), meeting_id=table.meeting.pk)


def test_hearing_opens_the_plan_and_meeting_bound_shares(cast, table):
    hearing = table.meeting.hearings.get()
    services.contribution_save(actor=actor(cast.support_worker), hearing_id=hearing.pk,
                               risk_seen="very_high", facts="", situation="Isolated.",
                               children="", health="Depressed, sleeps badly.")
    assert audited("create", Contribution.objects.get())
    with pytest.raises(ValidationError):  # the children
        services.hearing_record(actor=actor(cast.coordinator), hearing_id=hearing.pk,
                                level="high", decisions="x", children="")
    plan = hear(cast, table)
    assert plan.level == "very_high" and plan.review_days == 14
    assert plan.next_review_on is not None and audited("create", plan)
    shares = Share.objects.filter(case=cast.case, kind=ShareKind.CONSULTATION)
    recipients = set(shares.values_list("recipient_agency_id", flat=True))
    # The owner (zone A) needs none; the shelter and the house of justice were not present.
    assert recipients == {cast.support.pk, cast.programme.pk, cast.prosecutor.pk,
                          cast.platform.pk}
    assert all("confidential_location" not in s.scopes for s in shares)
    support = case_access(actor=actor(cast.support_worker), case_id=cast.case.pk)
    assert "health" in support.scopes
    programme = case_access(actor=actor(cast.counsellor), case_id=cast.case.pk)
    assert programme.person_scopes("victim", cast.victim_id) == {"judicial"}
    assert not visible_cases(actor(cast.shelter_worker)).filter(pk=cast.case.pk).exists()
    # The record: participants read it within their scopes; the shelter does not.
    record = selectors.meeting_record(actor=actor(cast.counsellor), meeting_id=table.meeting.pk)
    seen = record["records"][0]
    assert seen.visible and seen.contributions[0].fields == ["facts"]
    shelter = selectors.meeting_record(actor=actor(cast.shelter_worker),
                                       meeting_id=table.meeting.pk)
    assert not shelter["records"][0].visible and shelter["records"][0].contributions == []


def test_actions_become_tasks_and_come_back(cast, table):
    plan = hear(cast, table)
    coordinator = actor(cast.coordinator)
    due = timezone.localdate() + timedelta(days=3)
    patrol = services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=cast.zone_a.pk,
                                 kind="patrol", detail="Pass by twice a day", owner_id=None,
                                 due_on=due, priority=3)
    contact = services.action_add(actor=coordinator, plan_id=plan.pk,
                                  agency_id=cast.support.pk, kind="contact",
                                  detail="Weekly call", owner_id=cast.support_worker.pk,
                                  due_on=due, priority=2)
    with pytest.raises(ValidationError):  # a youth notice states its legal basis
        services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=cast.support.pk,
                            kind="youth_notice", detail="", owner_id=None, due_on=due,
                            priority=2)
    assert audited("create", patrol) and audited("create", patrol.task)
    assert patrol.task.kind == TaskKind.CONSULTATION_ACTION
    zone_queue = task_queue(actor=actor(cast.reference_a), queue="team", page=1)
    assert patrol.task in zone_queue.tasks
    support_queue = task_queue(actor=actor(cast.support_worker), queue="mine", page=1)
    assert support_queue.tasks == [contact.task]
    # The outcome comes back: blocked, with why; the coordinators are told.
    with pytest.raises(ValidationError):
        followup_services.task_record_contact(
            actor=actor(cast.support_worker), task_id=contact.task.pk, could_speak_freely="",
            outcome="blocked", note="")
    followup_services.task_record_contact(
        actor=actor(cast.support_worker), task_id=contact.task.pk, could_speak_freely="",
        outcome="blocked", note="She changed her number.")
    followup_services.task_record_contact(
        actor=actor(cast.reference_a), task_id=patrol.task.pk, could_speak_freely="",
        outcome="done", note="")
    board = selectors.action_board(actor=coordinator, body=table.body)
    assert [(row.action, row.state) for row in board] == [(contact, "blocked"),
                                                          (patrol, "done")]
    assert board[0].why_not == "She changed her number."
    assert Notice.objects.filter(agency=cast.platform,
                                 kind=NoticeKind.CONSULTATION_ACTION_BACK).count() == 1
    # The programme sees only its own actions; others see every action, details of their own.
    assert selectors.plan_get(actor=actor(cast.counsellor), plan_id=plan.pk)["actions"] == []
    rows = selectors.plan_get(actor=actor(cast.support_worker), plan_id=plan.pk)["actions"]
    assert {(r.action.pk, r.detail) for r in rows} == {(patrol.pk, False), (contact.pk, True)}
    pdf = selectors.plan_pdf_actions(actor=actor(cast.support_worker), plan_id=plan.pk)
    assert [r.action for r in pdf["actions"]] == [contact]


def test_leaving_ends_shares_and_cancels_actions(cast, table):
    plan = hear(cast, table)
    coordinator = actor(cast.coordinator)
    action = services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=cast.support.pk,
                                 kind="contact", detail="", owner_id=None,
                                 due_on=timezone.localdate(), priority=2)
    with pytest.raises(ValidationError):
        services.plan_close(actor=coordinator, plan_id=plan.pk, reason="other", note="")
    services.plan_close(actor=coordinator, plan_id=plan.pk, reason="risk_reduced", note="")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and audited("update", plan)
    assert Task.objects.get(pk=action.task_id).status == "cancelled"
    assert not visible_cases(actor(cast.support_worker)).filter(pk=cast.case.pk).exists()
    with pytest.raises(Http404):
        selectors.plan_get(actor=actor(cast.support_worker), plan_id=plan.pk)


def test_repeat_referral_within_twelve_months_of_the_hearing(cast, table):
    from relais.followup.tests.factories import record_report as report_for

    plan = hear(cast, table)
    services.plan_close(actor=actor(cast.coordinator), plan_id=plan.pk, reason="risk_reduced",
                        note="")
    report_for(cast, offence_at=timezone.now())
    again = refer(cast, table.body, concern="")
    assert again.is_repeat and "criterion_repeat" in [c for c, _p in again.criteria_met]


def test_closing_the_case_closes_the_plan(cast, table):
    plan = hear(cast, table)
    case_services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             reason="declined", acknowledged=True)
    assert Plan.objects.get(pk=plan.pk).exit_reason == "case_closed"


def test_meeting_close_returns_unheard_cases_to_the_waiting_list(cast, table):
    services.meeting_close(actor=actor(cast.coordinator), meeting_id=table.meeting.pk)
    table.referral.refresh_from_db()
    assert table.referral.status == ReferralStatus.WAITING
    assert not Hearing.objects.exists()
    with pytest.raises(ValidationError):
        services.agenda_add(actor=actor(cast.coordinator), meeting_id=table.meeting.pk,
                            referral_ids=[table.referral.pk])
    assert Criteria.objects.filter(body=table.body).count() == 1
    assert Action.objects.count() == 0
    assert meeting_for(cast, table.body).pk != table.meeting.pk


def test_a_confidential_shelter_address_never_enters_the_consultation(cast, table):
    """The shelter keeps her confidential address; hearing the case opens it to nobody, and
    the shelter itself (a member, absent) learns nothing of the case from the consultation."""
    from relais.access.services import referral_share_grant
    from relais.cases.models import Address

    referral_share_grant(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         person_id=cast.victim_id, recipient_agency_id=cast.shelter.pk,
                         scopes=["contact", "confidential_location"], method="oral_in_person")
    case_services.address_add(actor=actor(cast.shelter_worker), person_id=cast.victim_id,
                              street="Rue du Refuge Fictif 1", postcode="1000",
                              municipality="21004", confidential=True)
    hidden = Address.objects.get(confidential=True)
    hear(cast, table)
    for user in (cast.support_worker, cast.counsellor, cast.magistrate, cast.coordinator):
        access = case_access(actor=actor(user), case_id=cast.case.pk)
        assert not access.address_visible(hidden, "victim"), user
    record = selectors.meeting_record(actor=actor(cast.coordinator),
                                      meeting_id=table.meeting.pk)
    assert "Refuge" not in str(record["rows"][0].identification)


def test_the_reference_officer_reads_a_referral_made_without_consent(cast):
    body = make_body(cast)
    referral = refer(cast, body, consents=False, informed="unsafe", basis="458ter",
                     justification="Telling her would alert him: he reads her phone.")
    seen = selectors.referral_get(actor=actor(cast.reference_a), referral_id=referral.pk)
    assert seen["referral"].justification.startswith("Telling her")
    with pytest.raises(Http404):
        selectors.referral_get(actor=actor(cast.officer_b), referral_id=referral.pk)
