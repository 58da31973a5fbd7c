"""Consent to reporting in the zone's follow-up (issue 20 §6, docs/figures.md): indicator 2 (the
follow-up's first contact) and indicator 3 (the linkage's consolidation) leave out the reports
naming a person who declined to be counted, each table says how many (fewer than 5 reads so),
a withdrawal counts them again; constant queries, the reads still audited."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from relais.audit.models import AuditEvent
from relais.conftest import actor, verified_client
from relais.figures import consent
from relais.figures.dashboard import Filters, dashboard
from relais.followup.selectors import first_contact_indicator
from relais.followup.tests.factories import another_case, record_report
from relais.linkage.family import consolidation_rate

FEWER = "Fewer than 5 records left out at the person&#x27;s request."


def decline(cast, case_id: int, person_id: int):
    return consent.refusal_record(actor=actor(cast.officer_a), case_id=case_id,
                                  person_id=person_id, declined_on=timezone.localdate())


def zone_tables(cast) -> dict:
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, day=1)
    end = today.replace(year=today.year + today.month // 12, month=today.month % 12 + 1, day=1)
    with translation.override("en"):
        board = dashboard(actor=actor(cast.reference_a),
                          filters=Filters(start=start, end=end, view="zone"))
    return {panel.table.key: panel.table for panel in board.panels}


def zone_page(cast) -> str:
    return verified_client(cast.reference_a).get(reverse("figures:dashboard"),
                                                 {"view": "zone"}).content.decode()


def alice_twice_and_dana_once(cast) -> tuple[int, int]:
    """Alice: two reports on the cast's case (the second a repeat, in the same file); Dana: one
    report on another case."""
    record_report(cast)
    record_report(cast)
    case, dana = another_case(cast)
    record_report(cast, case=case, victim_id=dana)
    return case.pk, dana


def others_twice(cast, count: int) -> list[tuple[int, int]]:
    """``count`` more victims, two reports each (the second a repeat): (case, victim)."""
    found = []
    for number in range(count):
        case, victim = another_case(cast, first_name=f"Eva{number}")
        for _n in range(2):
            record_report(cast, case=case, victim_id=victim)
        found.append((case.pk, victim))
    return found


def test_her_reports_are_left_out_of_indicators_2_and_3_and_the_tables_say_so(cast):
    alice_twice_and_dana_once(cast)
    before = zone_tables(cast)
    assert before["indicator-2"].n == 3 and before["indicator-3"].n == 1
    assert before["indicator-2"].left_out.count == before["indicator-3"].left_out.count == 0

    refusal = decline(cast, cast.case.pk, cast.victim_id)

    after = zone_tables(cast)
    assert after["indicator-2"].n == 1 and after["indicator-2"].left_out.count == 2
    assert after["indicator-3"].n == 0 and after["indicator-3"].left_out.count == 1
    assert after["indicator-3"].rows == ()  # no month row tells that someone declined
    page = zone_page(cast)
    assert page.count(FEWER) == 2  # indicators 2 and 3; the anonymous feedback has no line
    assert "not applied to this table yet" not in page

    consent.refusal_withdraw(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             refusal_id=refusal.pk, withdrawn_on=timezone.localdate())

    again = zone_tables(cast)
    assert again["indicator-2"].n == 3 and again["indicator-3"].n == 1
    assert again["indicator-2"].left_out.count == again["indicator-3"].left_out.count == 0


def test_his_refusal_as_the_alleged_perpetrator_leaves_out_the_reports_naming_him(cast):
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    record_report(cast)  # no alleged perpetrator named: counted
    decline(cast, cast.case.pk, cast.perpetrator_id)
    indicator = first_contact_indicator(actor=actor(cast.reference_a))
    assert sum(m.reports for m in indicator.months) == 1 and indicator.left_out == 2


def test_five_or_more_left_out_are_shown_as_a_number(cast):
    alice_twice_and_dana_once(cast)
    for case_id, victim in others_twice(cast, 5):
        decline(cast, case_id, victim)
    tables = zone_tables(cast)
    assert tables["indicator-2"].n == 3 and tables["indicator-2"].left_out.count == 10
    assert tables["indicator-3"].n == 1 and tables["indicator-3"].left_out.count == 5
    page = zone_page(cast)
    assert "10 records left out at the person&#x27;s request." in page
    assert "5 records left out at the person&#x27;s request." in page
    assert FEWER not in page
    csv = verified_client(cast.reference_a).get(
        reverse("figures:export", args=["csv"]), {"view": "zone", "table": "indicator-3"})
    assert "5 records left out at the person's request." in csv.content.decode("utf-8-sig")


def test_the_follow_ups_own_page_leaves_her_out_too_and_the_reads_are_audited(cast):
    alice_twice_and_dana_once(cast)
    decline(cast, cast.case.pk, cast.victim_id)
    indicator = first_contact_indicator(actor=actor(cast.reference_a))
    assert sum(m.reports for m in indicator.months) == 1 and indicator.left_out == 2
    today = timezone.localdate()
    rows = consolidation_rate(actor=actor(cast.reference_a), zone_id=cast.zone_a.pk,
                              start=today.replace(day=1), end=today.replace(year=today.year + 1))
    assert [(r.repeat_reports, r.left_out) for r in rows] == [(0, 1)]
    with translation.override("en"):
        page = verified_client(cast.reference_a).get(
            reverse("followup:indicator")).content.decode()
    assert "Reports naming a person who declined to be counted in figures are left out" in page
    last = AuditEvent.objects.latest("id").pk
    zone_page(cast)
    for basis in ("first-contact indicator (figures)",
                  f"indicator 3, consolidation ({cast.zone_a.pk})", "figures dashboard"):
        assert AuditEvent.objects.filter(pk__gt=last, action="read",
                                         basis__startswith=basis).exists(), basis


def test_the_zone_view_reads_the_same_queries_whatever_the_number_of_refusals(
        cast, django_assert_max_num_queries):
    alice_twice_and_dana_once(cast)
    others = others_twice(cast, 5)
    decline(cast, cast.case.pk, cast.victim_id)
    client = verified_client(cast.reference_a)
    url = reverse("figures:dashboard")
    client.get(url, {"view": "zone"})  # warm the caches (menus, sessions)
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"view": "zone"})
    for case_id, victim in others:
        decline(cast, case_id, victim)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url, {"view": "zone"}).content.decode()
    assert "12 records left out at the person&#x27;s request." in page
