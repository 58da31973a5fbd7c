"""The prosecution-tracking API: the office's table and one entry, through the same selectors,
policy and audit as the table's screens."""

from __future__ import annotations

from django.db import reset_queries
from django.urls import reverse
from rest_framework.test import APIClient

from relais.audit.models import Action, AuditEvent
from relais.conftest import api_client
from relais.followup.tests.factories import another_case, record_report
from relais.justice.models import Entry


def test_the_table_api_requires_sign_in(cast):
    assert APIClient().get(reverse("api:entry_list")).status_code == 401


def test_the_office_reads_its_table_and_an_entry(cast):
    report = record_report(cast)
    entry = Entry.objects.get(report=report)
    api = api_client(cast.legal_advisor)
    rows = api.get(reverse("api:entry_list")).json()["results"]
    assert [(r["id"], r["pv_number"]) for r in rows] == [(entry.pk, report.pv_number)]
    assert api.get(reverse("api:entry_list") + "?status=decided").json()["results"] == []
    assert api.get(reverse("api:entry_list") + "?status=nope").status_code == 400
    detail = api.get(reverse("api:entry_detail", args=[entry.pk]))
    assert detail.status_code == 200 and detail.json()["case_id"] == cast.case.pk
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id, event.channel) == (Action.READ, str(entry.pk), "api")


def test_others_get_404(cast):
    entry = Entry.objects.get(report=record_report(cast))
    for user in (cast.officer_a, cast.justice_assistant, cast.officer_b):
        api = api_client(user)
        assert api.get(reverse("api:entry_list")).status_code == 404
        assert api.get(reverse("api:entry_detail", args=[entry.pk])).status_code == 404


def test_the_table_in_constant_queries(cast, django_assert_max_num_queries):
    api = api_client(cast.magistrate)
    url = reverse("api:entry_list")
    record_report(cast)
    api.get(url)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(30) as one:
        api.get(url)
    for name in ("Dana", "Eva", "Fien"):
        case, victim = another_case(cast, name)
        record_report(cast, case=case, victim_id=victim)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        page = api.get(url + "?page_size=3&ordering=-received_at").json()
    assert len(page["results"]) == 3 and page["next"]
