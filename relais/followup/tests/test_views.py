"""The follow-up screens: sign-in, other agency 404, what the caller sees, query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.conftest import actor, verified_client
from relais.followup.models import ContactAttempt, Task, TaskKind, TaskStatus
from relais.followup.selectors import first_contact_indicator
from relais.followup.tests.factories import another_case, record_report, task_of


@pytest.fixture
def task(cast) -> Task:
    return task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)


def urls(task: Task) -> list[str]:
    return [reverse("followup:queue"), reverse("followup:calendar"),
            reverse("followup:task", args=[task.pk]), reverse("followup:crisis"),
            reverse("followup:policy"), reverse("followup:indicator")]


def test_every_screen_requires_sign_in(cast, task):
    for url in urls(task):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url


def test_another_agency_gets_404(cast, task):
    client = verified_client(cast.officer_b)
    for url in urls(task)[2:]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("followup:task", args=[task.pk]),
                       {"could_speak_freely": "yes", "outcome": "done"}).status_code == 404
    page = client.get(reverse("followup:queue") + "?queue=zone").content.decode()
    assert cast.case.reference not in page


def test_the_task_page_shows_how_to_contact_her_safely(cast, task):
    page = verified_client(cast.sapv_a).get(
        reverse("followup:task", args=[task.pk])).content.decode()
    assert "Never leave a voice message" in page
    assert "+32 470 12 34 56" in page and "+32 470 65 43 21" not in page  # not his number
    assert "Could she speak freely?" in page


def test_the_task_says_what_the_report_says_about_speaking_freely(cast):
    """At the desk she spoke freely (the report); on the phone she cannot (her safe-contact
    instructions): the task shows each answer under its own question."""
    from relais.cases import services as case_services

    case_services.safe_contact_set(actor=actor(cast.officer_a), person_id=cast.victim_id,
                                   channel="phone", hours="9-12", can_speak_freely="no")
    report = record_report(cast, spoke_freely="yes")
    task = task_of(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)

    page = verified_client(cast.sapv_a).get(
        reverse("followup:task", args=[task.pk])).content.decode()
    intake = re.search(r"At intake, could she speak freely\?</dt><dd>(\w+)", page)
    called = re.search(r"When she is contacted, can she speak freely\?</dt><dd>(\w+)", page)
    assert intake and intake.group(1) == "Yes"
    assert called and called.group(1) == "No"


def test_could_not_speak_freely_through_the_screen_reschedules(cast, task):
    client = verified_client(cast.sapv_a)
    url = reverse("followup:task", args=[task.pk])
    data = {"could_speak_freely": "no", "note": "Partner in the room", "submission_token": "t1",
            "expected_attempts": "0"}
    response = client.post(url, data)
    assert response.status_code == 302
    client.post(url, data)  # the same submission again (a retried form)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.attempts == 1
    assert ContactAttempt.objects.filter(task=task).count() == 1
    page = client.get(url).content.decode()
    assert "rescheduled" in page


def test_errors_are_shown_in_french_and_the_input_kept(cast, task):
    client = verified_client(cast.sapv_a, language="fr")
    response = client.post(reverse("followup:task", args=[task.pk]),
                           {"could_speak_freely": "yes", "outcome": "would_endanger",
                            "note": "", "expected_attempts": "0"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dites pourquoi la contacter la mettrait en danger." in page
    assert re.search(r'value="would_endanger"[^>]*checked', page)


def test_the_queue_has_a_constant_number_of_queries(cast):
    client = verified_client(cast.sapv_a)
    record_report(cast)
    url = reverse("followup:queue") + "?queue=zone"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(4):
        case, victim_id = another_case(cast, f"Dana{i}")
        record_report(cast, case=case, victim_id=victim_id)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("Victim-assistance contact") >= 5
    assert len(many) == len(few)


def test_overdue_first_in_the_queue(cast):
    first = task_of(record_report(cast), TaskKind.REVISIT)
    case, victim_id = another_case(cast)
    late = task_of(record_report(cast, case=case, victim_id=victim_id), TaskKind.REVISIT)
    Task.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    page = verified_client(cast.neighbourhood_a).get(reverse("followup:queue")).content.decode()
    assert page.index(f"/follow-up/tasks/{late.pk}/") < page.index(f"/follow-up/tasks/{first.pk}/")


def test_the_zone_policy_screen_is_the_administrators(cast):
    client = verified_client(cast.admin_a)
    url = reverse("followup:policy")
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "day_ends_at": "17:00", "day2_delay_days": "2", "eva_callback_days": "1",
        "revisit_enabled": "on", "revisit_delay_days": "7", "revisit_format": "home_visit",
        "revisit_by": "victim_assistance", "retry_after_hours": "24",
        "further_contact_days": "7", "first_contact_target_hours": "48",
        "submission_token": "p1"})
    assert response.status_code == 302
    revisit = task_of(record_report(cast), TaskKind.REVISIT)
    assert revisit.policy["revisit_format"] == "home_visit"
    page = verified_client(cast.sapv_a).get(
        reverse("followup:task", args=[revisit.pk])).content.decode()
    assert "Home visit" in page
    assert verified_client(cast.officer_a).get(url).status_code == 404


def test_the_first_contact_indicator(cast):
    report = record_report(cast)
    task = task_of(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    Task.objects.filter(pk=task.pk).update(status="done", outcome="done",
                                           completed_at=report.created_at + timedelta(hours=5))
    second = record_report(cast)
    old = timezone.now() - timedelta(hours=100)
    type(second).objects.filter(pk=second.pk).update(created_at=old)  # never contacted
    indicator = first_contact_indicator(actor=actor(cast.analyst_a))
    month = indicator.months[-1] if indicator.months[-1].reports else indicator.months[-2]
    assert month.reports >= 1
    this_month = [m for m in indicator.months if m.contacted]
    assert this_month[0].median_hours == 5.0
    assert sum(m.within_target for m in indicator.months) == 1
    assert sum(m.reports for m in indicator.months) == 2
    page = verified_client(cast.analyst_a).get(reverse("followup:indicator")).content.decode()
    assert "5.0" in page or "5,0" in page


def test_why_a_task_exists_is_stored_as_a_code_and_read_in_the_readers_language(cast):
    """The reason is written by an officer reading English, and read in Dutch and French."""
    information = record_report(cast, official=False)
    callback = task_of(information, TaskKind.EVA_CALLBACK)
    record_report(cast)  # now an official report: the call-back is brought forward
    callback.refresh_from_db()
    assert callback.reason == [["now_official", {}]]
    assert callback.note == ""
    url = reverse("followup:task", args=[callback.pk])
    for language, words in (("nl", "Nu een proces-verbaal: onverwijld opvolgen."),
                            ("fr", "Désormais un procès-verbal : assurer le suivi sans délai."),
                            ("en", "Now an official report: follow up without delay.")):
        page = verified_client(cast.sapv_a, language).get(url)
        assert page.status_code == 200
        assert words in page.content.decode(), language
