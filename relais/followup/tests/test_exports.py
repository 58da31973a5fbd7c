"""The work queue's exports: sign-in, another agency's tasks never, the screen's columns,
formula neutralisation, the audit event with the queue, bounded queries while streaming."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.conftest import verified_client
from relais.core.tests.export_helpers import csv_rows, export_event, screen_heads, xlsx_rows
from relais.followup.models import Task, TaskKind
from relais.followup.tests.factories import record_report, task_of


@pytest.fixture
def task(cast) -> Task:
    return task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)


def export_url(fmt: str, queue: str = "zone") -> str:
    return reverse("followup:queue_export", args=[fmt]) + f"?queue={queue}"


def test_the_export_requires_sign_in(cast, task):
    response = Client().get(export_url("csv"))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_another_agency_exports_only_its_own_tasks(cast, task):
    rows = csv_rows(verified_client(cast.officer_b).get(export_url("csv")))
    assert len(rows) == 1 and cast.case.reference not in str(rows)
    assert verified_client(cast.officer_b).get(export_url("pdf")).status_code == 404


def test_the_export_holds_the_screens_columns_and_rows(cast, task):
    client = verified_client(cast.sapv_a)
    page = client.get(reverse("followup:queue") + "?queue=zone").content.decode()
    heads = screen_heads(page)
    assert heads == ["Due", "Task", "Case", "Person", "Assigned to", "Attempts"]
    assert "/follow-up/export.csv?queue=zone" in page
    rows = csv_rows(client.get(export_url("csv")))
    assert rows[0] == heads
    row = next(r for r in rows[1:] if r[1] == "Victim-assistance contact")
    assert row[2] == cast.case.reference and "Alice" in row[3]
    sheet = xlsx_rows(client.get(export_url("xlsx")))
    assert sheet[0] == heads and len(sheet) == len(rows)


def test_the_export_is_audited_with_the_queue(cast, task):
    verified_client(cast.sapv_a).get(export_url("xlsx", "team"))
    event = export_event("export follow-up xlsx")
    assert event.basis == "export follow-up xlsx: queue=team"
    assert event.user_id == cast.sapv_a.pk


def test_a_formula_is_neutralised(cast, task):
    cast.sapv_a.first_name = "@SUM(A1)"
    cast.sapv_a.save()
    Task.objects.filter(pk=task.pk).update(assignee=cast.sapv_a)
    rows = csv_rows(verified_client(cast.sapv_a).get(export_url("csv")))
    assert any(r[4].startswith("'@SUM") for r in rows[1:])


def test_a_big_export_streams_with_bounded_queries(cast, task, django_assert_max_num_queries):
    copies = []
    for n in range(150):
        copy = Task.objects.get(pk=task.pk)
        copy.pk = None
        copy.origin_key = f"{task.origin_key}-copy-{n}"
        copies.append(copy)
    Task.objects.bulk_create(copies)
    client = verified_client(cast.sapv_a)
    client.get(reverse("followup:queue"))
    with django_assert_max_num_queries(20):
        response = client.get(export_url("csv"))
        assert response.streaming and export_event("export follow-up csv")
        rows = csv_rows(response)
    assert len(rows) > 151
