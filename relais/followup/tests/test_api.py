"""The follow-up API: the work queues, a task, taking and cancelling it, through the same
selectors, services, policy and audit as the follow-up screens."""

from __future__ import annotations

from django.db import reset_queries
from django.urls import reverse
from rest_framework.test import APIClient

from relais.accounts.models import Role
from relais.audit.models import Action, AuditEvent
from relais.conftest import api_client
from relais.followup.models import Task
from relais.followup.tests.factories import another_case, record_report


def sapv_task(cast) -> Task:
    record_report(cast)
    return (Task.objects.filter(case=cast.case, status="open",
                                for_role=Role.VICTIM_ASSISTANCE_WORKER).order_by("pk").first())


def test_the_followup_api_requires_sign_in(cast):
    assert APIClient().get(reverse("api:task_list")).status_code == 401


def test_the_team_queue_take_and_cancel(cast):
    task = sapv_task(cast)
    sapv = api_client(cast.sapv_a)
    team = sapv.get(reverse("api:task_list") + "?queue=team").json()["results"]
    assert task.pk in [t["id"] for t in team]
    url = reverse("api:task_take", args=[task.pk])
    taken = sapv.post(url, {}, format="json", headers={"Idempotency-Key": "t-1"})
    again = sapv.post(url, {}, format="json", headers={"Idempotency-Key": "t-1"})
    assert (taken.status_code, again.status_code) == (201, 200), taken.json()
    assert taken.json()["assignee"] == cast.sapv_a.get_full_name()
    mine = sapv.get(reverse("api:task_list")).json()["results"]
    assert task.pk in [t["id"] for t in mine]
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(task.pk),
                                     basis="task taken", channel="api").exists()
    cancel = sapv.post(reverse("api:task_cancel", args=[task.pk]), {"reason": " "},
                       format="json")
    assert cancel.status_code == 400 and "reason" in cancel.json()
    cancel = sapv.post(reverse("api:task_cancel", args=[task.pk]), {"reason": "Moved away"},
                       format="json")
    assert cancel.status_code == 201 and cancel.json()["status"] == "cancelled"


def test_the_task_shows_how_to_reach_her_only_with_the_contact_scope(cast):
    task = sapv_task(cast)
    detail = api_client(cast.sapv_a).get(reverse("api:task_detail", args=[task.pk]))
    assert detail.status_code == 200
    assert detail.json()["phones"] is not None
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id, event.channel) == (Action.READ, str(task.pk), "api")


def test_other_agencies_get_404(cast):
    task = sapv_task(cast)
    for user in (cast.officer_b, cast.shelter_worker):
        api = api_client(user)
        assert api.get(reverse("api:task_detail", args=[task.pk])).status_code == 404
        assert api.post(reverse("api:task_take", args=[task.pk])).status_code == 404
        assert api.post(reverse("api:task_cancel", args=[task.pk]), {},
                        format="json").status_code == 404
        assert api.get(reverse("api:task_list") + "?queue=zone").json()["results"] == []
    assert api_client(cast.sapv_a).get(reverse("api:task_list") + "?queue=nope"
                                       ).status_code == 400


def test_the_queue_in_constant_queries(cast, django_assert_max_num_queries):
    api = api_client(cast.reference_a)
    url = reverse("api:task_list") + "?queue=zone"
    record_report(cast)
    api.get(url)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(30) as one:
        first = len(api.get(url).json()["results"])
    for name in ("Dana", "Eva"):
        case, victim = another_case(cast, name)
        record_report(cast, case=case, victim_id=victim)
    reset_queries()  # the capture counts from an empty log
    with django_assert_max_num_queries(one.final_queries - one.initial_queries):
        page = api.get(url + "&ordering=-priority").json()
    assert len(page["results"]) > first
