"""The intake API: the same service, policy and audit as the intake screen."""

from __future__ import annotations

import json

from django.db import reset_queries
from django.urls import reverse
from rest_framework.test import APIClient

from relais.audit.models import Action, AuditEvent
from relais.conftest import api_client
from relais.followup.tests.factories import record_report
from relais.intake.examples import report_arguments
from relais.intake.models import Report


def body(cast, **overrides) -> dict:
    data = report_arguments(victim_id=cast.victim_id, perpetrator_id=cast.perpetrator_id)
    return json.loads(json.dumps(data | overrides, default=str))


def test_the_intake_api_requires_sign_in(cast):
    report = record_report(cast)
    anonymous = APIClient()
    assert anonymous.get(reverse("api:case_reports", args=[cast.case.pk])).status_code == 401
    assert anonymous.get(reverse("api:report_detail", args=[report.pk])).status_code == 401


def test_an_officer_records_a_report_once_per_key(cast):
    api = api_client(cast.officer_a)
    url = reverse("api:case_reports", args=[cast.case.pk])
    data = body(cast)
    first = api.post(url, data, format="json", headers={"Idempotency-Key": "pv-1"})
    again = api.post(url, data, format="json", headers={"Idempotency-Key": "pv-1"})
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json() == again.json()
    assert Report.objects.filter(case=cast.case).count() == 1
    report = Report.objects.get(case=cast.case)
    assert first["Location"] == reverse("api:report_detail", args=[report.pk])
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(report.pk),
                                     channel="api").exists()
    other = api.post(url, data | {"pv_number": "other"}, format="json",
                     headers={"Idempotency-Key": "pv-1"})
    assert other.status_code == 422


def test_errors_name_the_field_and_the_checklist_question(cast):
    api = api_client(cast.officer_a)
    url = reverse("api:case_reports", args=[cast.case.pk])
    checklist = body(cast)["checklist"]
    question = sorted(checklist)[0]
    del checklist[question]
    response = api.post(url, body(cast, victim_id=cast.child_id, checklist=checklist,
                                  source="nope"), format="json",
                        headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert "choix" in response.json()["source"][0]  # in the reader's language
    response = api.post(url, body(cast, victim_id=cast.child_id, checklist=checklist),
                        format="json")
    errors = response.json()
    assert response.status_code == 400
    assert "victim_id" in errors and list(errors["checklist"]) == [question]
    assert not Report.objects.exists()


def test_reading_a_record_is_audited_and_others_get_404(cast):
    report = record_report(cast)
    api = api_client(cast.legal_advisor)
    response = api.get(reverse("api:report_detail", args=[report.pk]))
    assert response.status_code == 200
    assert response.json()["facts_words"] == report.facts_words
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.channel, event.object_id) == (Action.READ, "api", str(report.pk))
    outsider = api_client(cast.officer_b)
    assert outsider.get(reverse("api:report_detail", args=[report.pk])).status_code == 404
    assert outsider.get(reverse("api:case_reports", args=[cast.case.pk])).status_code == 404
    assert outsider.post(reverse("api:case_reports", args=[cast.case.pk]), body(cast),
                         format="json").status_code == 404
    # The prosecutor's office reads records but never records one.
    assert api.post(reverse("api:case_reports", args=[cast.case.pk]), body(cast),
                    format="json").status_code == 404


def test_the_list_pages_with_a_cursor_in_constant_queries(cast, django_assert_max_num_queries):
    api = api_client(cast.officer_a)
    url = reverse("api:case_reports", args=[cast.case.pk])
    record_report(cast)
    api.get(url)  # warm caches (instruments, content types)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(30) as one:
        assert len(api.get(url).json()["results"]) == 1
    for _n in range(3):
        record_report(cast, official=False)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        page = api.get(url + "?page_size=2&ordering=recorded_on").json()
    assert len(page["results"]) == 2 and page["next"]
    rest = api.get(page["next"]).json()
    assert len(rest["results"]) == 2 and rest["next"] is None
    kinds = api.get(url + "?kind=information").json()["results"]
    assert [r["kind"] for r in kinds] == ["information"] * 3
    bad = api.get(url + "?ordering=facts_words&kind=nope")
    assert bad.status_code == 400 and "kind" in bad.json()
    assert api.get(url + "?ordering=facts_words").json().keys() == {"ordering"}
