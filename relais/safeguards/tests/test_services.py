"""The services: each write audited, the deadline from the data file, the task to help her
apply, and the hospital alert seen by its service and the owning zone only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from relais.access.cases import case_access
from relais.access.safeguards import hospital_alerts_visible
from relais.audit.models import AuditEvent
from relais.cases.models import TimelineEntry
from relais.conftest import Cast, actor
from relais.followup.models import Task, TaskKind
from relais.safeguards import services
from relais.safeguards.rules import residence_rules
from relais.safeguards.tests.factories import alert, hospital, residence, share

pytestmark = pytest.mark.django_db


def audited(target, action: str) -> AuditEvent:
    return AuditEvent.objects.get(object_type=target._meta.label_lower,
                                  object_id=str(target.pk), action=action)


def test_recording_her_residence_computes_the_deadline_from_the_data_file(cast: Cast):
    facts_on = date.today() - timedelta(days=3)
    situation = residence(cast, permit="card_f", facts_on=facts_on)
    days = residence_rules().permits["card_f"].apply_within_days
    assert situation.apply_by == facts_on + timedelta(days=days)
    assert situation.rules_version == residence_rules().version
    event = audited(situation, "create")
    assert event.case_id == cast.case.pk
    assert TimelineEntry.objects.filter(kind="residence_recorded", scope="health").exists()


def test_it_makes_one_task_to_help_her_apply_with_a_coded_reason(cast: Cast):
    situation = residence(cast)
    task = Task.objects.get(kind=TaskKind.RESIDENCE_APPLICATION)
    assert task.agency_id == cast.zone_a.pk
    assert task.person_id == cast.victim_id
    assert task.reason[0][0] == "residence_apply"
    assert task.reason[0][1]["apply_by"] == f"{situation.apply_by:%d/%m/%Y}"
    with translation.override("en"):  # the reason is read in the reader's language
        assert "Immigration Office" in task.why
    assert audited(task, "create").case_id == cast.case.pk
    # Recorded again (a corrected date): the situation is updated, the task is not doubled.
    again = residence(cast, permit="pending", facts_on=date.today() - timedelta(days=1))
    assert again.pk == situation.pk
    assert again.permit == "pending"
    assert audited(again, "update")
    assert Task.objects.filter(kind=TaskKind.RESIDENCE_APPLICATION).count() == 1


def test_her_residence_is_refused_to_whoever_lacks_her_health_data(cast: Cast):
    share(cast, cast.programme, person_id=cast.perpetrator_id)
    for user in (cast.officer_b, cast.counsellor):
        with pytest.raises(Http404):
            residence(cast, user=user)
    assert not AuditEvent.objects.filter(object_type="safeguards.residencesituation").exists()


def test_only_the_victim_and_a_date_not_in_the_future(cast: Cast):
    with pytest.raises(Http404):
        services.residence_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                  person_id=cast.perpetrator_id, permit="card_a",
                                  facts_on=date.today(), via="intake")
    with pytest.raises(ValidationError) as error:
        residence(cast, facts_on=date.today() + timedelta(days=2))
    assert "facts_on" in error.value.message_dict


def test_a_shared_support_service_records_it_in_its_own_queue(cast: Cast):
    share(cast, cast.support)
    residence(cast, user=cast.support_worker)
    assert Task.objects.get(kind=TaskKind.RESIDENCE_APPLICATION).agency_id == cast.support.pk


def test_a_hospital_holding_a_share_sets_an_alert_audited_and_off_the_timeline(cast: Cast):
    place = hospital(cast)
    share(cast, place.agency)
    timeline_before = TimelineEntry.objects.count()
    made = alert(cast, place)
    assert audited(made, "create").case_id == cast.case.pk
    assert TimelineEntry.objects.count() == timeline_before  # nobody else learns of it
    ended = services.hospital_alert_end(actor=actor(place.nurse), alert_id=made.pk)
    assert ended.ended_at is not None and ended.ends_on == date.today()
    assert audited(made, "update")
    with pytest.raises(ValidationError):
        services.hospital_alert_end(actor=actor(place.nurse), alert_id=made.pk)


def test_only_a_health_service_with_the_case_sets_an_alert(cast: Cast):
    place = hospital(cast)
    with pytest.raises(Http404):  # no share yet
        alert(cast, place)
    share(cast, place.agency)
    for user in (cast.officer_a, cast.shelter_worker):
        with pytest.raises(Http404):
            services.hospital_alert_set(actor=actor(user), case_id=cast.case.pk,
                                        person_id=cast.victim_id, starts_on=date.today())
    with pytest.raises(ValidationError):
        alert(cast, place, ends_on=date.today() - timedelta(days=1))


def test_the_alert_is_seen_by_its_service_and_the_owning_zone_only(cast: Cast):
    place = hospital(cast)
    for agency in (place.agency, place.other_hospital, cast.shelter):
        share(cast, agency)
    share(cast, cast.programme, person_id=cast.perpetrator_id)
    made = alert(cast, place)

    def seen(user) -> list[int]:
        access = case_access(actor=actor(user), case_id=cast.case.pk)
        return list(hospital_alerts_visible(access).values_list("pk", flat=True))

    assert seen(place.nurse) == [made.pk]
    assert seen(cast.officer_a) == [made.pk]
    for user in (place.other_nurse, cast.shelter_worker, cast.counsellor):
        assert seen(user) == []
    with pytest.raises(Http404):  # another hospital never ends it
        services.hospital_alert_end(actor=actor(place.other_nurse), alert_id=made.pk)
