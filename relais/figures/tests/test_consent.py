"""Consent to reporting (issue 20 §6): a person's refusal to be counted in figures beyond what the
law requires — recorded and withdrawn with their dates and audit events, by whoever may edit
her in a case she holds; the figures no law requires leave her records out and say how many
(small counts hidden); those a law requires still count her; a withdrawal brings her back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from relais.audit.models import Action, AuditEvent
from relais.cases import services as case_services
from relais.conftest import actor, case_page_with_sections, verified_client
from relais.consultation.tests.conftest import make_body
from relais.figures import aggregates, consent, indicators
from relais.figures.dashboard import Filters, dashboard
from relais.figures.eige import eige_tables
from relais.figures.legal_basis import FIGURES, HONOURED, REQUIRED, basis_of
from relais.figures.models import Refresh, ReportingRefusal
from relais.figures.programmes import programme_tables
from relais.followup.tests.factories import another_case, record_report
from relais.programmes.tests.factories import judicial_file, walk_in

TODAY = timezone.localdate
OBJECT_TYPE = "figures.reportingrefusal"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def decline(cast, person_id: int | None = None, **extra) -> ReportingRefusal:
    return consent.refusal_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                  person_id=person_id or cast.victim_id,
                                  declined_on=extra.get("declined_on", TODAY()))


def filters() -> Filters:
    today = TODAY().replace(day=1)
    return Filters(start=date(today.year - 1, today.month, 1),
                   end=date(today.year + today.month // 12, today.month % 12 + 1, 1))


def board_tables(user, **kwargs) -> dict:
    board = dashboard(actor=actor(user), filters=Filters(**{**filters().__dict__, **kwargs}))
    return {panel.table.key: panel.table for panel in board.panels}


def reports_of_alice_and_dana(cast) -> None:
    """Two reports naming Alice, three naming Dana, all two days ago."""
    now = timezone.now() - timedelta(days=2)
    record_report(cast, official=True, offence_at=now)
    record_report(cast, official=False, offence_at=now)
    case, dana = another_case(cast)
    for _n in range(3):
        record_report(cast, case=case, victim_id=dana, official=True, offence_at=now)


# --- The service ------------------------------------------------------------------------------

def test_recording_a_refusal_is_dated_audited_and_marks_the_counts_stale(cast):
    aggregates.refresh_counts()
    refusal = decline(cast, declined_on=TODAY() - timedelta(days=3))

    assert refusal.in_force and refusal.declined_on == TODAY() - timedelta(days=3)
    assert refusal.recorded_by == cast.officer_a
    assert refusal.recorded_by_agency == cast.zone_a
    event = AuditEvent.objects.get(action=Action.CREATE, object_type=OBJECT_TYPE)
    assert event.object_id == str(refusal.pk) and event.case_id == cast.case.pk
    assert "refusal to be counted" in event.basis
    assert Refresh.objects.get().stale
    assert aggregates.refresh_if_older(minutes=60) is not None  # stale: recomputed at once
    assert not Refresh.objects.get().stale


def test_withdrawing_it_is_dated_and_audited(cast):
    refusal = decline(cast, declined_on=TODAY() - timedelta(days=3))

    withdrawn = consent.refusal_withdraw(actor=actor(cast.sapv_a), case_id=cast.case.pk,
                                         refusal_id=refusal.pk, withdrawn_on=TODAY())

    assert not withdrawn.in_force and withdrawn.withdrawn_on == TODAY()
    assert withdrawn.withdrawn_by == cast.sapv_a and withdrawn.withdrawn_at is not None
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type=OBJECT_TYPE)
    assert event.object_id == str(refusal.pk) and "withdrawn" in event.basis
    # She may decline again: a new row, the old one kept with its dates.
    again = decline(cast)
    assert again.pk != refusal.pk and ReportingRefusal.objects.count() == 2


def test_the_dates_are_checked(cast):
    with pytest.raises(ValidationError):
        decline(cast, declined_on=TODAY() + timedelta(days=1))
    refusal = decline(cast, declined_on=TODAY() - timedelta(days=1))
    with pytest.raises(ValidationError):
        decline(cast)  # already in force
    with pytest.raises(ValidationError):
        consent.refusal_withdraw(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                 refusal_id=refusal.pk,
                                 withdrawn_on=TODAY() - timedelta(days=2))
    assert not AuditEvent.objects.filter(action=Action.UPDATE,
                                         object_type=OBJECT_TYPE).exists()


def test_only_who_may_edit_her_in_a_case_she_holds_records_it(cast):
    for user in (cast.officer_b, cast.analyst_a, cast.shelter_worker, cast.legal_advisor,
                 cast.counsellor, cast.admin_a):
        with pytest.raises(Http404):
            consent.refusal_record(actor=actor(user), case_id=cast.case.pk,
                                   person_id=cast.victim_id, declined_on=TODAY())
    _other_case, dana = another_case(cast)
    with pytest.raises(Http404):  # not a person of this case
        decline(cast, person_id=dana)
    refusal = decline(cast)
    with pytest.raises(Http404):
        consent.refusal_withdraw(actor=actor(cast.officer_b), case_id=cast.case.pk,
                                 refusal_id=refusal.pk, withdrawn_on=TODAY())
    assert not AuditEvent.objects.filter(action=Action.UPDATE,
                                         object_type=OBJECT_TYPE).exists()


# --- The screens ------------------------------------------------------------------------------

def test_the_forms_need_a_sign_in_and_answer_404_to_another_agency(cast):
    refusal = decline(cast, person_id=cast.perpetrator_id)
    urls = [reverse("figures:refusal_new", args=[cast.case.pk]),
            reverse("figures:refusal_withdraw", args=[cast.case.pk, refusal.pk])]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
        for user in (cast.officer_b, cast.analyst_a, cast.shelter_worker):
            client = verified_client(user)
            assert client.get(url).status_code == 404, (url, user)
            assert client.post(url, {"person": cast.victim_id,
                                     "declined_on": TODAY().isoformat(),
                                     "withdrawn_on": TODAY().isoformat()}).status_code == 404
        assert verified_client(cast.officer_a).get(url).status_code == 200
    assert ReportingRefusal.objects.count() == 1


def test_she_declines_on_the_case_page_and_it_shows_as_a_line_on_her(cast):
    client = verified_client(cast.officer_a)
    url = reverse("figures:refusal_new", args=[cast.case.pk])
    form = client.get(url, {"person": cast.victim_id}).content.decode()
    assert "She declines to be counted in figures beyond what the law requires" in form

    response = client.post(url, {"person": cast.victim_id,
                                 "declined_on": TODAY().isoformat()})

    assert response.status_code == 302 and "#consent-h" in response.url
    refusal = ReportingRefusal.objects.get(person_id=cast.victim_id)
    page = case_page_with_sections(client, cast.case.pk)
    assert "Counted in figures" in page
    assert "declines to be counted in figures beyond what the law requires, since" in page
    assert reverse("figures:refusal_withdraw", args=[cast.case.pk, refusal.pk]) in page

    response = client.post(reverse("figures:refusal_withdraw", args=[cast.case.pk, refusal.pk]),
                           {"withdrawn_on": TODAY().isoformat()})

    assert response.status_code == 302
    page = case_page_with_sections(client, cast.case.pk)
    assert "counted; declined from" in page


def test_a_bad_date_comes_back_to_the_form_with_what_she_typed(cast):
    client = verified_client(cast.officer_a)
    url = reverse("figures:refusal_new", args=[cast.case.pk])
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    response = client.post(url, {"person": cast.victim_id, "declined_on": tomorrow})
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not ReportingRefusal.objects.exists()


def test_the_section_reads_the_same_queries_whatever_the_number_of_persons(
        cast, django_assert_max_num_queries):
    decline(cast)
    client = verified_client(cast.officer_a)
    url = reverse("cases:case_panel", args=[cast.case.pk, "consent"])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url, headers={"HX-Request": "true"})
    for number in range(4):
        case_services.person_add_to_case(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                         role="child", first_name=f"Kid{number}",
                                         last_name="Fictif")
    decline(cast, person_id=cast.perpetrator_id)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert page.count("declines to be counted in figures beyond what the law requires, since") == 2


# --- The figures ------------------------------------------------------------------------------

def test_the_roadmap_leaves_her_records_out_and_says_how_many(cast, settings):
    settings.FIGURES_SMALL_CELL = 1  # nothing hidden: the counting is tested here
    reports_of_alice_and_dana(cast)
    aggregates.refresh_counts()
    assert board_tables(cast.analyst_a)["indicator-1"].n == 5

    decline(cast)
    aggregates.refresh_if_older(minutes=60)  # the refusal marked the counts stale

    found = board_tables(cast.analyst_a)
    assert found["indicator-1"].n == 3
    assert found["indicator-1"].left_out.count == 2
    assert found["indicator-1"].left_out.text() == \
        "2 records left out at the person's request."
    assert found["forms"].n == 3 and found["forms"].left_out.count == 2
    # The direct computation agrees with the precomputed counts.
    start, end = filters().start, filters().end
    direct = indicators.dispute_share(zone_ids=[cast.zone_a.pk], start=start, end=end)
    assert sum(month.total for month in direct) == 3
    page = verified_client(cast.analyst_a).get(reverse("figures:dashboard")).content.decode()
    assert "2 records left out at the person&#x27;s request." in page


def test_a_small_count_left_out_is_hidden_and_so_is_a_zero(cast, settings):
    reports_of_alice_and_dana(cast)
    aggregates.refresh_counts()
    zero = board_tables(cast.analyst_a)["indicator-1"].left_out
    assert zero.count == 0 and zero.shown_count is None
    decline(cast)
    aggregates.refresh_counts()
    two = board_tables(cast.analyst_a)["indicator-1"].left_out
    assert two.count == 2 and two.shown_count is None
    assert zero.text() == two.text() == "Fewer than 5 records left out at the person's request."


def test_a_figure_required_by_law_still_counts_her(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    case_services.person_update(actor=actor(cast.officer_a), person_id=cast.victim_id, sex="F")
    reports_of_alice_and_dana(cast)
    decline(cast)
    aggregates.refresh_counts()  # EIGE's counts are precomputed too, counting everyone
    start, end = date(TODAY().year - 1, 1, 1), TODAY() + timedelta(days=1)

    women = {t.key: t for t in eige_tables(zone_ids=[cast.zone_a.pk], office_ids=[],
                                           start=start, end=end)}["eige-1"]

    assert women.n == 1  # Alice, a woman of 38 (Dana's sex is not recorded)
    shown = board_tables(cast.analyst_a, view="eige")["eige-1"]
    assert shown.left_out.rule == REQUIRED
    assert "required by law" in shown.left_out.text()
    assert "Istanbul Convention, art. 11" in shown.left_out.text()
    # The line goes to the exports too.
    csv = verified_client(cast.analyst_a).get(
        reverse("figures:export", args=["csv"]), {"view": "eige", "table": "eige-1"})
    assert "required by law" in csv.content.decode("utf-8-sig")


def test_withdrawing_brings_her_records_back(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    reports_of_alice_and_dana(cast)
    refusal = decline(cast)
    aggregates.refresh_counts()
    assert board_tables(cast.analyst_a)["indicator-1"].n == 3

    consent.refusal_withdraw(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             refusal_id=refusal.pk, withdrawn_on=TODAY())
    aggregates.refresh_if_older(minutes=60)

    table = board_tables(cast.analyst_a)["indicator-1"]
    assert table.n == 5 and table.left_out.count == 0


def test_her_refusal_as_a_perpetrator_leaves_out_the_reports_naming_him(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    now = timezone.now() - timedelta(days=2)
    record_report(cast, perpetrator_id=cast.perpetrator_id, offence_at=now)
    record_report(cast, offence_at=now)  # no perpetrator named: counted
    decline(cast, person_id=cast.perpetrator_id)
    aggregates.refresh_counts()
    table = board_tables(cast.analyst_a)["indicator-1"]
    assert table.n == 1 and table.left_out.count == 1


def test_every_table_of_the_dashboard_has_its_rule_and_each_that_honours_says_its_count(
        cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    reports_of_alice_and_dana(cast)
    aggregates.refresh_counts()
    make_body(cast)  # the analyst's scope sits in it
    for view in ("roadmap", "eige", "zone", "consultation"):
        for key, table in board_tables(cast.analyst_a, view=view).items():
            basis = basis_of(key)
            assert basis is not None, key
            assert table.left_out is not None or basis.rule not in (HONOURED, REQUIRED), key
            if basis.rule == HONOURED:
                assert table.left_out.count is not None, key
    assert all(str(basis.source) for basis in FIGURES.values())


def test_the_programmes_leave_out_the_file_of_a_participant_who_declined(
        cast, directory, settings):
    settings.FIGURES_SMALL_CELL = 1
    judicial = judicial_file(cast, directory)  # Bruno, the case's alleged perpetrator
    walk_in(cast)
    assert judicial.participant.person_id == cast.perpetrator_id

    decline(cast, person_id=cast.perpetrator_id)
    found = {t.key: t for t in programme_tables(agency_ids=[cast.programme.pk],
                                                start=date(2000, 1, 1), end=date(2100, 1, 1))}

    assert found["programmes-origin"].n == 1  # the walk-in only
    assert found["programmes-origin"].left_out.count == 1
    assert found["programmes-interruptions"].left_out.count == 0  # his file is not incomplete
