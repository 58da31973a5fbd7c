"""No lost update on a follow-up task (issue 20 §1): two colleagues record on the same task;
the second, over a newer version, is refused, sees what was saved beside her typing (kept as
her draft), and saves hers when she says so. HTML and API (ETag / If-Match)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.accounts.models import Role
from relais.conftest import actor, api_client, make_user, verified_client
from relais.core.models import FormDraft
from relais.core.tests.conflict_helpers import refused_without_audit, second_save_refused
from relais.followup import services
from relais.followup.models import ContactAttempt, Task, TaskKind, TaskStatus, ZonePolicy
from relais.followup.tests.factories import record_report, task_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(cast) -> Task:
    return task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)


def version_in(page: str) -> str:
    return page.split('name="version" value="', 1)[1].split('"', 1)[0]


def test_two_colleagues_record_on_the_same_task(cast, task):
    other = make_user("sapv_two", cast.zone_a, Role.VICTIM_ASSISTANCE_WORKER)
    url = reverse("followup:task", args=[task.pk])
    first, second = verified_client(cast.sapv_a), verified_client(other)
    version = version_in(first.get(url).content.decode())
    assert version_in(second.get(url).content.decode()) == version

    first.post(url, {"could_speak_freely": "no", "note": "Partner in the room",
                     "version": version})
    refused = second.post(url, {"could_speak_freely": "yes", "outcome": "done",
                                "note": "All went well", "version": version})

    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "Attempts recorded" in page and "All went well" in page
    assert FormDraft.objects.filter(user=other, path=url).exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.attempts == 1

    kept = second.post(url, {"could_speak_freely": "yes", "outcome": "done",
                             "note": "All went well", "version": version_in(page)})
    assert kept.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and ContactAttempt.objects.filter(task=task).count() == 2


def test_the_api_takes_a_task_only_over_the_version_read(cast, task):
    url = reverse("api:task_detail", args=[task.pk])
    read = api_client(cast.sapv_a).get(url)
    assert read.status_code == 200 and read["ETag"]
    take = reverse("api:task_take", args=[task.pk])
    other = make_user("sapv_three", cast.zone_a, Role.VICTIM_ASSISTANCE_WORKER)
    assert api_client(other).post(take, HTTP_IF_MATCH=read["ETag"]).status_code == 201
    refused = api_client(cast.sapv_a).post(take, HTTP_IF_MATCH=read["ETag"])
    assert refused.status_code == 412 and refused.json()["code"] == "edit_conflict"
    task.refresh_from_db()
    assert task.assignee == other
    assert api_client(cast.officer_b).get(url).status_code == 404


# --- The zone's follow-up policy ----------------------------------------------------------------

POLICY = {"day_ends_at": "17:00", "day2_delay_days": "2", "eva_callback_days": "1",
          "revisit_enabled": "on", "revisit_delay_days": "7", "revisit_format": "home_visit",
          "revisit_by": "victim_assistance", "retry_after_hours": "24",
          "further_contact_days": "7", "first_contact_target_hours": "48"}


def test_two_administrators_set_the_policy_the_second_sees_both_and_decides(cast):
    url = reverse("followup:policy")
    other = make_user("admin_two", cast.zone_a, Role.ADMINISTRATOR)
    second = verified_client(other)
    newer = second_save_refused(
        url=url, first=verified_client(cast.admin_a), second=second, base=POLICY,
        theirs={"revisit_delay_days": "10"}, mine={"further_contact_days": "14"},
        shown=["10", "14", "Revisit"])
    policy = ZonePolicy.objects.get(agency=cast.zone_a)
    assert policy.revisit_delay_days == 10 and policy.further_contact_days == 7

    kept = second.post(url, {**POLICY, "revisit_delay_days": "10", "further_contact_days": "14",
                             "version": newer})
    assert kept.status_code == 302
    policy.refresh_from_db()
    assert policy.revisit_delay_days == 10 and policy.further_contact_days == 14


def test_the_policy_service_refuses_a_newer_version_and_writes_nothing(cast):
    read = services.policy_version(services.policy_for(cast.zone_a))
    services.policy_update(actor=actor(cast.admin_a), version=read, revisit_delay_days=10)
    conflict = refused_without_audit(lambda: services.policy_update(
        actor=actor(cast.admin_a), version=read, revisit_delay_days=3))
    assert conflict.current["revisit_delay_days"] == 10
    assert ZonePolicy.objects.get(agency=cast.zone_a).revisit_delay_days == 10


def test_two_administrators_edit_a_neighbourhood_the_second_sees_both_and_decides(cast):
    place = services.neighbourhood_save(actor=actor(cast.admin_a), name="Matonge",
                                        postcodes=["1050"], eva_officer_id=None,
                                        neighbourhood_officer_id=None)
    url = reverse("followup:neighbourhood", args=[place.pk])
    base = {"name": "Matonge", "postcodes": "1050"}
    second = verified_client(make_user("admin_two", cast.zone_a, Role.ADMINISTRATOR))
    newer = second_save_refused(
        url=url, first=verified_client(cast.admin_a), second=second, base=base,
        theirs={"postcodes": "1050, 1000"}, mine={"name": "Matonge-Ixelles (mine)"},
        shown=["1000, 1050", "Matonge-Ixelles (mine)"])
    place.refresh_from_db()
    assert place.name == "Matonge" and place.postcodes == ["1000", "1050"]

    assert second.post(url, {**base, "name": "Matonge-Ixelles (mine)",
                             "postcodes": "1000, 1050", "version": newer}).status_code == 302
    place.refresh_from_db()
    assert place.name == "Matonge-Ixelles (mine)" and place.postcodes == ["1000", "1050"]
    refused_without_audit(lambda: services.neighbourhood_save(
        actor=actor(cast.admin_a), neighbourhood_id=place.pk, name="X", postcodes=["1050"],
        eva_officer_id=None, neighbourhood_officer_id=None, version=newer))
