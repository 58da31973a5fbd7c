"""A meeting's record and a plan read in a number of queries that does not grow with the cases
on the agenda (bench/consultation.py measures the pages at 200 cases and 15 agencies)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relais.cases import services as case_services
from relais.cases.models import ParticipantRole
from relais.conftest import actor
from relais.consultation import selectors, services
from relais.consultation.models import Hearing
from relais.consultation.tests.conftest import make_body, meeting_for

pytestmark = pytest.mark.django_db


def a_case(cast, n: int) -> int:
    """A case of zone A with a victim, an alleged perpetrator and a child (fictitious)."""
    officer = actor(cast.officer_a)
    case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
    for role, first, born in ((ParticipantRole.VICTIM, "Victime", date(1990, 1, 1 + n)),
                              (ParticipantRole.ALLEGED_PERPETRATOR, "Auteur", None),
                              (ParticipantRole.CHILD, "Enfant", date(2018, 2, 1 + n))):
        case_services.person_add_to_case(actor=officer, case_id=case.pk, role=role,
                                         first_name=f"{first}{n}", last_name="Fictif",
                                         birth_date=born)
    return case.pk


def heard_meeting(cast, cases: int):
    """A meeting of ``cases`` cases, each with two contributions, heard, with two actions."""
    body = make_body(cast)
    coordinator = actor(cast.coordinator)
    referrals = [services.referral_create(
        actor=actor(cast.officer_a), case_id=a_case(cast, n), body_id=body.pk,
        concern="Professional concern (fictitious).", emergency=False, informed="yes",
        consents=True, basis="consent", justification="",
        scopes=["contact", "health", "judicial"]) for n in range(cases)]
    meeting = meeting_for(cast, body)
    services.agenda_add(actor=coordinator, meeting_id=meeting.pk,
                        referral_ids=[r.pk for r in referrals])
    services.attendance_record(actor=coordinator, meeting_id=meeting.pk, present={
        agency.pk: None for agency in (cast.zone_a, cast.support, cast.programme,
                                       cast.prosecutor, cast.platform)})
    plans = []
    due = timezone.localdate() + timedelta(days=7)
    for hearing in Hearing.objects.filter(meeting=meeting).order_by("pk"):
        for user in (cast.support_worker, cast.magistrate):
            services.contribution_save(actor=actor(user), hearing_id=hearing.pk,
                                       risk_seen="high", facts="Facts (fictitious).",
                                       situation="Situation (fictitious).",
                                       children="Children (fictitious).",
                                       health="Health (fictitious).")
        plan = services.hearing_record(actor=coordinator, hearing_id=hearing.pk, level="high",
                                       decisions="Decisions (fictitious).",
                                       children="What is done for them (fictitious).")
        for agency, kind in ((cast.zone_a, "patrol"), (cast.support, "contact")):
            services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=agency.pk,
                                kind=kind, detail="Detail (fictitious).", owner_id=None,
                                due_on=due, priority=2)
        plans.append(plan)
    return meeting, plans


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


READERS = ("coordinator", "officer_a", "support_worker", "counsellor", "shelter_worker")


def counts(cast, meeting, plan) -> dict[str, tuple[int, int | None]]:
    out = {}
    for name in READERS:
        reader = actor(getattr(cast, name))
        record = queries(lambda r=reader: selectors.meeting_record(actor=r,
                                                                   meeting_id=meeting.pk))
        try:
            plan_queries = queries(lambda r=reader: selectors.plan_get(actor=r, plan_id=plan.pk))
        except Http404:  # the shelter is not on the plan
            plan_queries = None
        out[name] = (record, plan_queries)
    return out


def heard_meeting_again(cast, cases: int):
    """A second body (the cast's agencies are members of both) with more cases."""
    from relais.consultation.models import Body

    Body.objects.filter(name="DIViCo Test").update(name="DIViCo Test (first)")
    return heard_meeting(cast, cases)


def test_the_record_and_the_plan_read_in_constant_queries(cast):
    small_meeting, small_plans = heard_meeting(cast, 1)
    small = counts(cast, small_meeting, small_plans[0])
    large_meeting, large_plans = heard_meeting_again(cast, 4)
    large = counts(cast, large_meeting, large_plans[-1])
    assert large == small


def test_the_accesses_read_at_once_are_those_read_one_by_one(cast):
    from relais.access.cases import access_for_case, accesses_for_cases, visible_cases

    meeting, _plans = heard_meeting(cast, 2)
    for name in (*READERS, "officer_b", "neighbourhood_a", "legal_advisor"):
        reader = actor(getattr(cast, name))
        cases = list(visible_cases(reader).select_related("owner_agency"))
        at_once = accesses_for_cases(actor=reader, cases=cases)
        for case in cases:
            single = access_for_case(actor=reader, case=case)
            bulk = at_once[case.pk]
            assert (bulk.scopes, bulk.is_owner, bulk.person_only, set(bulk.shares)) == (
                single.scopes, single.is_owner, single.person_only, set(single.shares)), name
