"""Consultation screens: sign-in, the same 404 for everyone else, each form end to end, and
constant query counts on the lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.cases import services as case_services
from relais.conftest import actor, verified_client
from relais.consultation import services
from relais.consultation.models import Action, Contribution, Plan, Referral
from relais.consultation.tests.conftest import hear, make_body


@pytest.fixture
def heard(cast, table):
    plan = hear(cast, table)
    action = services.action_add(actor=actor(cast.coordinator), plan_id=plan.pk,
                                 agency_id=cast.support.pk, kind="contact", detail="Weekly call",
                                 owner_id=None, due_on=timezone.localdate(), priority=2)
    return plan, action


def urls(cast, table, plan, hearing_id) -> dict[str, str]:
    return {
        "body": reverse("consultation:body", args=[table.body.pk]),
        "board": reverse("consultation:board", args=[table.body.pk]),
        "meeting_new": reverse("consultation:meeting_new", args=[table.body.pk]),
        "refer": reverse("consultation:refer", args=[cast.case.pk, table.body.pk]),
        "referral": reverse("consultation:referral", args=[table.referral.pk]),
        "meeting": reverse("consultation:meeting", args=[table.meeting.pk]),
        "hearing": reverse("consultation:hearing", args=[hearing_id]),
        "contribution": reverse("consultation:contribution", args=[hearing_id]),
        "plan": reverse("consultation:plan", args=[plan.pk]),
        "action_new": reverse("consultation:action_new", args=[plan.pk]),
    }


def test_every_screen_requires_sign_in(cast, table, heard):
    plan, _action = heard
    for url in [reverse("consultation:bodies"),
                *urls(cast, table, plan, table.meeting.hearings.get().pk).values()]:
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url


def test_non_member_gets_404_everywhere(cast, table, heard):
    plan, _action = heard
    hearing_id = table.meeting.hearings.get().pk
    zone_b = verified_client(cast.officer_b)
    for name, url in urls(cast, table, plan, hearing_id).items():
        assert zone_b.get(url).status_code == 404, name
    for name in ("attendance", "meeting_close", "agenda_add"):
        assert zone_b.post(reverse(f"consultation:{name}", args=[table.meeting.pk])
                           ).status_code == 404, name
    assert zone_b.post(reverse("consultation:plan_close", args=[plan.pk]),
                       {"reason": "other", "note": "x"}).status_code == 404
    assert Plan.objects.get(pk=plan.pk).is_open
    page = zone_b.get(reverse("consultation:bodies"))
    assert table.body.name not in page.content.decode()


def test_member_not_on_the_plan_sees_the_agenda_only(cast, table, heard):
    plan, _action = heard
    hearing_id = table.meeting.hearings.get().pk
    shelter = verified_client(cast.shelter_worker)  # a member, absent, no action
    pages = urls(cast, table, plan, hearing_id)
    for name in ("board", "meeting_new", "refer", "referral", "hearing", "plan", "action_new"):
        assert shelter.get(pages[name]).status_code == 404, name
    # A member may still tell what it knows until the meeting's record is closed.
    assert shelter.get(pages["contribution"]).status_code == 200
    meeting = shelter.get(pages["meeting"]).content.decode()
    assert "Alice Exemple" in meeting  # the agenda's minimal identification
    assert "Patrol passes twice a day" not in meeting  # the decisions: participants only
    assert "Rue" not in meeting and "1050" not in meeting


def test_participant_reads_the_plan_and_programme_only_its_own(cast, table, heard):
    plan, action = heard
    support = verified_client(cast.support_worker).get(
        reverse("consultation:plan", args=[plan.pk])).content.decode()
    assert "Weekly call" in support and reverse("followup:task", args=[action.task_id]) in support
    programme = verified_client(cast.counsellor).get(
        reverse("consultation:plan", args=[plan.pk])).content.decode()
    assert "Weekly call" not in programme and "No action yet." in programme


def test_referral_form_shows_criteria_and_keeps_input_on_error(cast):
    body = make_body(cast)
    client = verified_client(cast.officer_a)
    url = reverse("consultation:refer", args=[cast.case.pk, body.pk])
    page = client.get(url).content.decode()
    assert "meets none of the body" in page
    response = client.post(url, {"concern": "He said he would kill her.", "informed": "unsafe",
                                 "basis": "458ter", "justification": "", "scopes": ["judicial"]})
    assert response.status_code == 200 and not Referral.objects.exists()
    assert "He said he would kill her." in response.content.decode()
    response = client.post(url, {
        "concern": "He said he would kill her.", "informed": "unsafe", "basis": "458ter",
        "justification": "Telling her would alert him: he reads her phone.",
        "scopes": ["judicial", "contact"]})
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.basis == "458ter"
    assert referral.scopes == ["contact", "judicial"]
    case_page = client.get(reverse("cases:case_detail", args=[cast.case.pk])).content.decode()
    assert reverse("consultation:referral", args=[referral.pk]) in case_page


def test_the_cycle_through_the_screens(cast):
    body = make_body(cast)
    services.referral_create(actor=actor(cast.officer_a), case_id=cast.case.pk, body_id=body.pk,
                             concern="Threats.", emergency=False, informed="yes", consents=True,
                             basis="consent", justification="", scopes=["judicial", "contact"])
    coordinator = verified_client(cast.coordinator)
    starts = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = coordinator.post(reverse("consultation:meeting_new", args=[body.pk]),
                                {"starts_at": starts, "kind": "regular", "place": "Salle 3"})
    meeting_url = response.url
    referral = Referral.objects.get()
    coordinator.post(meeting_url + "agenda/", {"referrals": [referral.pk]})
    hearing = referral.hearings.get()
    support = verified_client(cast.support_worker)
    support.post(reverse("consultation:contribution", args=[hearing.pk]), {
        "risk_seen": "high", "situation": "She sleeps at her sister's.", "health": "Anxious."})
    assert Contribution.objects.get().agency == cast.support
    coordinator.post(meeting_url + "attendance/", {
        "present": [cast.zone_a.pk, cast.support.pk, cast.platform.pk],
        f"attendee-{cast.support.pk}": cast.support_worker.pk})
    response = coordinator.post(reverse("consultation:hearing", args=[hearing.pk]), {
        "level": "high", "decisions": "Weekly contact; patrol.", "children": "School told."})
    plan = Plan.objects.get()
    assert response.url == reverse("consultation:plan", args=[plan.pk])
    coordinator.post(reverse("consultation:action_new", args=[plan.pk]), {
        "agency": cast.zone_a.pk, "kind": "patrol", "detail": "Twice a day",
        "due_on": timezone.localdate().isoformat(), "priority": 2, "owner": ""})
    action = Action.objects.get()
    assert action.task.agency == cast.zone_a
    # The zone sees it in its queue and closes it; the plan shows it done.
    zone = verified_client(cast.reference_a)
    queue = zone.get(reverse("followup:queue") + "?queue=team").content.decode()
    assert reverse("followup:task", args=[action.task_id]) in queue
    zone.post(reverse("followup:task", args=[action.task_id]),
              {"outcome": "done", "note": "", "expected_attempts": 0})
    plan_page = coordinator.get(reverse("consultation:plan", args=[plan.pk])).content.decode()
    assert "Done" in plan_page
    coordinator.post(reverse("consultation:plan_close", args=[plan.pk]),
                     {"reason": "risk_reduced", "note": ""})
    assert not Plan.objects.get().is_open
    coordinator.post(meeting_url + "close/")
    assert "Record closed" in coordinator.get(meeting_url).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_read_in_constant_queries(cast, table):
    coordinator = verified_client(cast.coordinator)
    plan = hear(cast, table)
    services.action_add(actor=actor(cast.coordinator), plan_id=plan.pk, agency_id=cast.zone_a.pk,
                        kind="patrol", detail="", owner_id=None, due_on=timezone.localdate(),
                        priority=2)
    pages = [reverse("consultation:meeting", args=[table.meeting.pk]),
             reverse("consultation:body", args=[table.body.pk]),
             reverse("consultation:board", args=[table.body.pk]),
             reverse("consultation:plan", args=[plan.pk])]
    before = [_queries(coordinator, url) for url in pages]
    officer = actor(cast.officer_a)
    meeting = table.meeting
    for n in range(4):
        case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
        case_services.person_add_to_case(actor=officer, case_id=case.pk, role="victim",
                                         first_name=f"Eva{n}", last_name="Exemple")
        referral = services.referral_create(
            actor=officer, case_id=case.pk, body_id=table.body.pk, concern="Threats.",
            emergency=n == 0, informed="yes", consents=True, basis="consent",
            justification="", scopes=["judicial"])
        services.agenda_add(actor=actor(cast.coordinator), meeting_id=meeting.pk,
                            referral_ids=[referral.pk])
        services.action_add(actor=actor(cast.coordinator), plan_id=plan.pk,
                            agency_id=cast.support.pk, kind="contact", detail=f"call {n}",
                            owner_id=None, due_on=timezone.localdate(), priority=2)
    after = [_queries(coordinator, url) for url in pages]
    assert after == before


def test_the_owning_zone_takes_part_while_the_plan_is_open(cast, table, heard):
    plan, _action = heard
    zone = verified_client(cast.reference_a)
    assert zone.get(reverse("consultation:plan", args=[plan.pk])).status_code == 200
    services.plan_close(actor=actor(cast.coordinator), plan_id=plan.pk, reason="risk_reduced",
                        note="")
    assert zone.get(reverse("consultation:plan", args=[plan.pk])).status_code == 404


def test_the_programme_does_not_read_what_is_done_for_the_children(cast, table, heard):
    plan, _action = heard
    url = reverse("consultation:plan", args=[plan.pk])
    assert "The school is asked" not in verified_client(cast.counsellor).get(url).content.decode()
    assert "Youth aid notified" in verified_client(cast.support_worker).get(url).content.decode()
