"""The figures of a body over a period: the numbers on a small known set, who may read them (the
secretariat's coordinators and analysts), the audited read, constant queries whatever the
volume."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.conftest import actor, make_user, verified_client
from relais.consultation import services
from relais.consultation.figures import default_period, period_figures
from relais.consultation.models import Action, Body
from relais.consultation.tests.conftest import hear, make_body, meeting_for, refer
from relais.followup import services as followup_services
from relais.followup.tests.factories import record_report


def period() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=10), today + timedelta(days=10)


def figures_url(body: Body, start: date | None = None, end: date | None = None) -> str:
    url = reverse("consultation:figures", args=[body.pk])
    if start and end:
        url += f"?start={start.isoformat()}&end={end.isoformat()}"
    return url


@pytest.fixture
def known(cast, table):
    """One case heard (its meeting in two days), three actions of its plan due in the period
    (zone A: one done on time, one done late; support: one not done) and one due after it; the
    case leaves, a new incident, a repeat referral in emergency; another body's referral."""
    plan = hear(cast, table)
    coordinator = actor(cast.coordinator)
    today = timezone.localdate()

    def action(agency, kind: str, due: date) -> Action:
        return services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=agency.pk,
                                   kind=kind, detail="", owner_id=None, due_on=due, priority=2)

    on_time = action(cast.zone_a, "patrol", today + timedelta(days=3))
    late = action(cast.zone_a, "ban", today)
    action(cast.support, "contact", today + timedelta(days=3))
    action(cast.support, "contact", today + timedelta(days=30))  # after the period
    for done in (on_time, late):
        followup_services.task_record_contact(actor=actor(cast.reference_a),
                                              task_id=done.task_id, could_speak_freely="",
                                              outcome="done", note="")
    # A deadline cannot be set in the past: the late action's deadline was yesterday (as if
    # it had been done a day after it).
    Action.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=1))
    services.plan_close(actor=coordinator, plan_id=plan.pk, reason="risk_reduced", note="")
    record_report(cast, offence_at=timezone.now())
    repeat = refer(cast, table.body, concern="", emergency=True)
    assert repeat.is_repeat and repeat.emergency
    other = make_body(cast, name="FJC Other")
    refer(cast, other)
    return table.body, other


def test_the_figures_of_a_small_known_set(cast, known):
    body, other = known
    start, end = period()
    figures = period_figures(body_ids=[body.pk, other.pk], start=start, end=end)
    mine = figures[body.pk]
    assert mine.cases_heard == 1 and mine.meetings == 1
    assert (mine.referrals, mine.emergencies, mine.repeats) == (2, 1, 1)
    assert mine.repeat_rate == 0.5 and mine.repeat_rate_healthy is False
    assert mine.days_to_first_hearing == 2.0
    by_agency = {row.agency_name: (row.due, row.on_time) for row in mine.actions}
    assert by_agency == {cast.zone_a.name: (2, 1), cast.support.name: (1, 0)}
    assert (mine.actions_due, mine.actions_on_time) == (3, 1)
    sectors = {s.kind: (s.meetings, s.is_member) for s in mine.sectors}
    assert sectors == {"police_zone": (1, True), "victim_support": (1, True),
                       "perpetrator_programme": (1, True), "prosecutor": (1, True),
                       "platform": (1, True), "shelter": (0, True),
                       "house_of_justice": (0, True)}
    # The other body: its own referral only.
    theirs = figures[other.pk]
    assert (theirs.referrals, theirs.cases_heard, theirs.meetings, theirs.actions) == (
        1, 0, 0, [])
    assert theirs.repeat_rate == 0 and theirs.days_to_first_hearing is None
    # A period before any of it.
    empty = period_figures(body_ids=[body.pk], start=start - timedelta(days=400),
                           end=start - timedelta(days=300))[body.pk]
    assert (empty.referrals, empty.cases_heard, empty.repeat_rate, empty.actions) == (
        0, 0, None, [])


def test_the_default_period_is_the_last_twelve_months():
    assert default_period(date(2026, 12, 7)) == (date(2025, 12, 8), date(2026, 12, 7))
    assert default_period(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))


def test_the_panel_requires_sign_in(cast, table):
    response = Client().get(figures_url(table.body))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_only_the_secretariat_coordinators_and_analysts_see_the_figures(cast, table):
    analyst = make_user("analyst_platform", cast.platform, Role.ANALYST)
    assert verified_client(cast.coordinator).get(figures_url(table.body)).status_code == 200
    page = verified_client(analyst).get(figures_url(table.body))
    assert page.status_code == 200
    # The analyst does not administer the body: no link to its administration.
    assert reverse("consultation:body_admin", args=[table.body.pk]) not in page.content.decode()
    # A member agency, a non-member, another agency's analyst.
    for user in (cast.reference_a, cast.magistrate, cast.officer_b, cast.analyst_a):
        assert verified_client(user).get(figures_url(table.body)).status_code == 404, user
    assert verified_client(cast.coordinator).post(figures_url(table.body)).status_code == 405


def test_the_panel_shows_aggregates_only_and_is_audited(cast, known):
    body, _other = known
    start, end = period()
    response = verified_client(cast.coordinator).get(figures_url(body, start, end))
    page = response.content.decode()
    assert "Cases heard" in page and "28–40 %" in page
    assert "50 % (1/2) — <strong>outside the healthy range</strong>" in page
    assert cast.zone_a.name in page and "Perpetrator programme" in page
    # No person, no case.
    for private in ("Alice", "Exemple", "Fictif", cast.case.reference):
        assert private not in page
    event = AuditEvent.objects.filter(action="read", object_type="consultation.body",
                                      object_id=str(body.pk)).latest("id")
    assert event.case_id is None
    assert event.basis == f"consultation figures {start.isoformat()}/{end.isoformat()}"


def test_the_panel_defaults_to_the_last_twelve_months_and_checks_the_period(cast, table):
    client = verified_client(cast.coordinator)
    start, end = default_period()
    page = client.get(figures_url(table.body)).content.decode()
    assert f'value="{start.isoformat()}"' in page and f'value="{end.isoformat()}"' in page
    wrong = client.get(figures_url(table.body, end, start)).content.decode()
    assert "The period must start before it ends." in wrong
    event = AuditEvent.objects.filter(action="read", object_type="consultation.body").latest("id")
    assert event.basis == f"consultation figures {start.isoformat()}/{end.isoformat()}"


def _heard_cases(cast, body: Body, count: int) -> None:
    """``count`` more cases referred, heard at one meeting, each with an action done."""
    officer, coordinator = actor(cast.officer_a), actor(cast.coordinator)
    referrals = []
    for _n in range(count):
        case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
        referrals.append(services.referral_create(
            actor=officer, case_id=case.pk, body_id=body.pk, concern="Fictitious concern.",
            emergency=False, informed="yes", consents=True, basis="consent",
            justification="", scopes=["contact", "judicial"]))
    meeting = meeting_for(cast, body, starts_at=timezone.now() + timedelta(days=1))
    services.agenda_add(actor=coordinator, meeting_id=meeting.pk,
                        referral_ids=[r.pk for r in referrals])
    services.attendance_record(actor=coordinator, meeting_id=meeting.pk,
                               present={cast.zone_a.pk: None, cast.support.pk: None})
    for hearing in meeting.hearings.all():
        plan = services.hearing_record(actor=coordinator, hearing_id=hearing.pk, level="high",
                                       decisions="Fictitious decision.", children="")
        services.action_add(actor=coordinator, plan_id=plan.pk, agency_id=cast.support.pk,
                            kind="contact", detail="", owner_id=None,
                            due_on=timezone.localdate() + timedelta(days=2), priority=2)


def test_the_panel_reads_in_constant_queries(cast):
    body = make_body(cast)
    client = verified_client(cast.coordinator)
    start, end = period()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(figures_url(body, start, end)).status_code == 200
        return len(queries)

    def selector_count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            figures = period_figures(body_ids=[body.pk], start=start, end=end)[body.pk]
        return len(queries), figures.cases_heard

    _heard_cases(cast, body, 2)
    few, (few_selector, heard) = count(), selector_count()
    assert heard == 2
    _heard_cases(cast, body, 8)
    many, (many_selector, heard) = count(), selector_count()
    assert heard == 10
    assert many == few and many_selector == few_selector == 9  # one for the refusals
