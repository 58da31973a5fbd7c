"""The risk API: the same service, policy and audit as the risk screens."""

from __future__ import annotations

from django.db import reset_queries
from django.urls import reverse
from rest_framework.test import APIClient

from relais.audit.models import Action, AuditEvent
from relais.conftest import api_client
from relais.intake.examples import grid_answers
from relais.risk.models import RiskAssessment


def grid(cast, **overrides) -> dict:
    return {"person_id": cast.victim_id, "instrument_code": "police_grid",
            "answers": grid_answers("police_grid", threats_to_kill="yes")} | overrides


def test_the_risk_api_requires_sign_in(cast):
    assert APIClient().get(reverse("api:case_assessments",
                                   args=[cast.case.pk])).status_code == 401


def test_an_officer_records_and_reads_an_assessment(cast):
    api = api_client(cast.officer_a)
    url = reverse("api:case_assessments", args=[cast.case.pk])
    first = api.post(url, grid(cast), format="json", headers={"Idempotency-Key": "g-1"})
    again = api.post(url, grid(cast), format="json", headers={"Idempotency-Key": "g-1"})
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert RiskAssessment.objects.filter(case=cast.case).count() == 1
    data = first.json()
    assert data["instrument_code"] == "police_grid" and data["answers"]
    assert any(line["code"] == "threats_to_kill" and line["answer"] == "yes"
               for line in data["answers"])
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(data["id"]),
                                     channel="api").exists()
    detail = api.get(reverse("api:assessment_detail", args=[data["id"]]))
    assert detail.status_code == 200 and detail.json()["id"] == data["id"]
    listed = api.get(url).json()["results"]
    assert [row["id"] for row in listed] == [data["id"]]


def test_unanswered_questions_are_named_under_answers(cast):
    api = api_client(cast.officer_a)
    answers = grid_answers("police_grid")
    del answers["weapons"]
    response = api.post(reverse("api:case_assessments", args=[cast.case.pk]),
                        grid(cast, answers=answers), format="json")
    assert response.status_code == 400
    assert list(response.json()["answers"]) == ["weapons"]
    response = api.post(reverse("api:case_assessments", args=[cast.case.pk]),
                        grid(cast, person_id=999999), format="json")
    assert response.status_code == 400 and "person_id" in response.json()


def test_other_agencies_get_404(cast):
    api = api_client(cast.officer_a)
    created = api.post(reverse("api:case_assessments", args=[cast.case.pk]), grid(cast),
                       format="json").json()
    outsider = api_client(cast.officer_b)
    assert outsider.get(reverse("api:assessment_detail",
                                args=[created["id"]])).status_code == 404
    assert outsider.get(reverse("api:case_assessments",
                                args=[cast.case.pk])).status_code == 404
    # The shelter sees no police grid, and may not use it (not offered to shelters).
    shelter = api_client(cast.shelter_worker)
    assert shelter.post(reverse("api:case_assessments", args=[cast.case.pk]), grid(cast),
                        format="json").status_code == 404


def test_the_list_in_constant_queries(cast, django_assert_max_num_queries):
    api = api_client(cast.officer_a)
    url = reverse("api:case_assessments", args=[cast.case.pk])
    api.post(url, grid(cast), format="json")
    api.get(url)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(30) as one:
        api.get(url)
    for _n in range(3):
        api.post(url, grid(cast), format="json")
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        page = api.get(url + "?page_size=2&current=false").json()
    assert len(page["results"]) == 2 and page["next"]
    assert len(api.get(url + "?current=true").json()["results"]) == 1
