"""Consent to reporting in a body's figures (issue 20 §6, docs/figures.md): the referrals and the
actions of a case naming a person who declined to be counted are left out, each table says how
many (fewer than 5 reads so), a withdrawal counts them again; on the body's screen, in its
exports and on the dashboard; constant queries, the read still audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.audit.models import AuditEvent
from relais.conftest import actor, verified_client
from relais.consultation import services
from relais.consultation.figures import consultation_tables, period_figures
from relais.consultation.models import Body
from relais.consultation.tests.conftest import hear, meeting_for
from relais.figures import consent
from relais.figures.dashboard import Filters, dashboard
from relais.followup.tests.factories import another_case

FEWER = "Fewer than 5 records left out at the person&#x27;s request."


def period() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=10), today + timedelta(days=10)


def screen(user, body: Body) -> str:
    start, end = period()
    return verified_client(user).get(reverse("consultation:figures", args=[body.pk]),
                                     {"start": start, "end": end}).content.decode()


def decline(cast, case_id: int, person_id: int):
    return consent.refusal_record(actor=actor(cast.officer_a), case_id=case_id,
                                  person_id=person_id, declined_on=timezone.localdate())


def heard_with_an_action(cast, table) -> None:
    plan = hear(cast, table)
    services.action_add(actor=actor(cast.coordinator), plan_id=plan.pk,
                        agency_id=cast.support.pk, kind="contact", detail="", owner_id=None,
                        due_on=timezone.localdate() + timedelta(days=3), priority=2)


def refer_others(cast, body: Body, count: int) -> list[tuple[int, int]]:
    """``count`` more cases with a victim each, referred to the body: (case, victim)."""
    found = []
    for number in range(count):
        case, victim = another_case(cast, first_name=f"Dana{number}")
        services.referral_create(
            actor=actor(cast.officer_a), case_id=case.pk, body_id=body.pk,
            concern="Fictitious concern.", emergency=False, informed="yes", consents=True,
            basis="consent", justification="", scopes=["contact"])
        found.append((case.pk, victim))
    return found


def test_her_case_is_left_out_and_each_table_says_so(cast, table):
    heard_with_an_action(cast, table)
    start, end = period()
    before = period_figures(body_ids=[table.body.pk], start=start, end=end)[table.body.pk]
    assert (before.cases_heard, before.referrals, before.actions_due) == (1, 1, 1)
    assert (before.referrals_left_out, before.actions_left_out) == (0, 0)

    refusal = decline(cast, cast.case.pk, cast.victim_id)

    after = period_figures(body_ids=[table.body.pk], start=start, end=end)[table.body.pk]
    assert (after.cases_heard, after.referrals, after.actions_due) == (0, 0, 0)
    assert after.days_to_first_hearing is None
    assert (after.referrals_left_out, after.actions_left_out) == (1, 1)
    assert after.meetings == 1  # a meeting names no person
    tables = {t.key: t for t in consultation_tables(after)}
    assert tables["consultation-activity"].left_out.count == 1
    assert tables["consultation-actions"].left_out.count == 1
    assert tables["consultation-sectors"].left_out.text() == ""  # no person's record
    page = screen(cast.coordinator, table.body)
    assert page.count(FEWER) == 2  # activity and actions
    assert "not applied to this table yet" not in page
    event = AuditEvent.objects.filter(action="read", object_type="consultation.body",
                                      object_id=str(table.body.pk)).latest("id")
    assert event.basis == f"consultation figures {start.isoformat()}/{end.isoformat()}"

    consent.refusal_withdraw(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             refusal_id=refusal.pk, withdrawn_on=timezone.localdate())

    again = period_figures(body_ids=[table.body.pk], start=start, end=end)[table.body.pk]
    assert (again.cases_heard, again.referrals, again.actions_due) == (1, 1, 1)
    assert (again.referrals_left_out, again.actions_left_out) == (0, 0)


def test_her_refusal_as_the_alleged_perpetrator_leaves_the_case_out_too(cast, table):
    decline(cast, cast.case.pk, cast.perpetrator_id)
    start, end = period()
    found = period_figures(body_ids=[table.body.pk], start=start, end=end)[table.body.pk]
    assert (found.referrals, found.referrals_left_out) == (0, 1)


def test_five_refusals_are_shown_as_a_number_on_the_screen_its_exports_and_the_dashboard(
        cast, table):
    body = table.body
    for case_id, victim in refer_others(cast, body, 5):
        decline(cast, case_id, victim)
    start, end = period()
    found = period_figures(body_ids=[body.pk], start=start, end=end)[body.pk]
    assert (found.referrals, found.referrals_left_out) == (1, 5)  # the cast's case counts

    page = screen(cast.coordinator, body)
    assert "5 records left out at the person&#x27;s request." in page
    assert page.count(FEWER) == 1  # the actions: none left out
    csv = verified_client(cast.coordinator).get(
        reverse("consultation:figures_export", args=[body.pk, "csv"]),
        {"start": start, "end": end, "table": "consultation-activity"})
    assert "5 records left out at the person's request." in csv.content.decode("utf-8-sig")
    first = date(start.year, start.month, 1)
    board = dashboard(actor=actor(cast.analyst_a),
                      filters=Filters(start=first, end=end + timedelta(days=1),
                                      view="consultation"))
    shown = {panel.table.key: panel.table for panel in board.panels}
    assert shown[f"consultation-activity-{body.pk}"].left_out.count == 5
    assert shown[f"consultation-sectors-{body.pk}"].left_out.text() == ""


def test_the_screen_reads_the_same_queries_whatever_the_number_of_refusals(
        cast, table, django_assert_max_num_queries):
    others = refer_others(cast, table.body, 6)
    decline(cast, *others[0])
    meeting_for(cast, table.body)
    screen(cast.coordinator, table.body)  # warm the caches (menus, sessions)
    client = verified_client(cast.coordinator)
    start, end = period()
    url = reverse("consultation:figures", args=[table.body.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"start": start, "end": end})
    for case_id, victim in others[1:]:
        decline(cast, case_id, victim)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url, {"start": start, "end": end}).content.decode()
    assert "6 records left out at the person&#x27;s request." in page
