"""The demo's consultation (relais.consultation.demo, loaded by seed_demo): a body per network
with a meeting held and its plan in progress, the next meeting's agenda and the referrals
waiting for it."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from relais.consultation import selectors
from relais.consultation.demo import BODIES
from relais.consultation.models import (
    Action,
    Body,
    Contribution,
    Hearing,
    Meeting,
    PlanStatus,
    Referral,
)
from relais.core.actor import Actor
from relais.followup.models import TaskKind


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Body, Meeting, Hearing, Referral, Action,
                                                     Contribution))


@override_settings(DEBUG=True)
def test_every_network_has_a_body_a_meeting_held_a_plan_in_progress_and_an_agenda(db):
    call_command("seed_demo", stdout=io.StringIO())
    now = timezone.now()
    for key, (name, _protocol) in BODIES.items():
        body = Body.objects.select_related("coordinator").get(name=name)
        assert body.coordinator.username == f"{key}.platform"
        members = list(body.memberships.filter(left_at__isnull=True))
        assert len(members) >= 8 and all(m.representative_id for m in members)
        assert any(m.deputy_id for m in members)
        assert body.criteria_versions.count() == 1

        # The meeting held yesterday: the case heard, with what 3–4 agencies told.
        held = body.meetings.get(held_at__isnull=False)
        assert held.starts_at < held.held_at < now
        hearing = held.hearings.get()
        assert hearing.heard_at is not None and hearing.decisions
        assert 3 <= hearing.contributions.count() <= 4
        assert held.attendance.filter(present=True).count() >= 4

        # Its plan in progress: every action is a task of its own agency's queue, and the
        # coordinator's board shows the overdue one first, then the blocked one with why.
        plan = body.plans.get()
        assert plan.status == PlanStatus.OPEN and plan.children
        actions = list(plan.actions.select_related("task"))
        assert 4 <= len(actions) <= 6
        for action in actions:
            assert action.task.kind == TaskKind.CONSULTATION_ACTION
            assert action.task.agency_id == action.agency_id
            assert action.task.case_id == plan.case_id
        coordinator = Actor.for_user(body.coordinator, channel="demo")
        board = selectors.action_board(actor=coordinator, body=body)
        states = [row.state for row in board]
        assert states[:2] == ["overdue", "blocked"] and board[1].why_not
        assert "done" in states and "open" in states

        # The next meeting has the plan's review on its agenda; two referrals wait for it,
        # the emergency on top.
        upcoming = body.meetings.get(held_at__isnull=True)
        assert upcoming.starts_at > now
        agenda = selectors.agenda(actor=coordinator, meeting_id=upcoming.pk)
        assert [(row.hearing.is_review, row.hearing.plan_id) for row in agenda["rows"]] == [
            (True, plan.pk)]
        assert agenda["rows"][0].identification
        waiting = [row.referral for row in selectors.waiting_referrals(actor=coordinator,
                                                                       body=body)]
        assert [r.emergency for r in waiting] == [True, False]
        assert waiting[0].respond_by >= upcoming.starts_at
        assert waiting[0].basis == "458bis" and waiting[0].justification

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before
