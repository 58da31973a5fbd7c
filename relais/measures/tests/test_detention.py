"""Detention and release: a release reaches the police zone where the victim lives at once —
its victim-assistance workers and IPV reference officer, and a same-day task to warn her that
shows her safe-contact instructions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access.cases import case_access
from relais.access.models import Share
from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import TimelineEntry
from relais.conftest import Cast, actor, verified_client
from relais.followup.models import Task, TaskKind
from relais.followup.rules import LAST_MINUTE, at_local, local_day
from relais.followup.services import case_priorities
from relais.measures import services
from relais.measures.models import DetentionKind, DetentionStatus
from relais.measures.rules import end_of_day
from relais.measures.tests.factories import (
    LIEGE,
    SHELTER_STREET_FOR_HER,
    detain,
    forwarded,
    shelter_address,
    zone_of,
)
from relais.notifications.models import Notice, NoticeKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_forwarded(cast: Cast) -> Cast:
    forwarded(cast)
    return cast


def release(cast: Cast, detention, *, by=None, **overrides):
    data = {"released_at": timezone.now(), "conditions": ["no_contact", "no_entry"]}
    data.update(overrides)
    return services.release_record(actor=actor(by or cast.magistrate),
                                   detention_id=detention.pk, **data)


# --- Recording a detention ----------------------------------------------------------------

def test_recording_a_detention_is_audited_and_on_the_timeline(case_forwarded):
    cast = case_forwarded
    detention = detain(cast, expected_release_on=timezone.localdate() + timedelta(days=5))
    assert detention.status == DetentionStatus.DETAINED
    assert AuditEvent.objects.filter(object_type="measures.detention",
                                     object_id=str(detention.pk), action="create",
                                     basis="detention recorded").exists()
    assert TimelineEntry.objects.filter(case=cast.case, kind="detention_recorded",
                                        scope="judicial").exists()


def test_the_police_record_an_arrest_on_their_case(cast):
    detention = detain(cast, by=cast.officer_a, kind=DetentionKind.ARREST,
                       since=timezone.now() - timedelta(hours=2))
    assert detention.recorded_by_agency == cast.zone_a


def test_bad_detention_input_gets_clear_errors(case_forwarded):
    cast = case_forwarded
    with pytest.raises(ValidationError) as raised:
        detain(cast, person_id=cast.victim_id, kind="", since=timezone.now() + timedelta(days=1),
               expected_release_on=timezone.localdate(), conditions=["other"])
    errors = raised.value.message_dict
    assert "alleged perpetrator" in errors["person"][0]
    assert "kind" in errors["kind"][0]
    assert "future" in errors["since"][0]
    assert "Describe the other condition" in errors["conditions_note"][0]
    with pytest.raises(ValidationError) as raised:
        detain(cast, since=timezone.now() - timedelta(days=2),
               expected_release_on=timezone.localdate() - timedelta(days=5))
    assert "before the detention" in raised.value.message_dict["expected_release_on"][0]
    detain(cast)
    with pytest.raises(ValidationError, match="already recorded as detained"):
        detain(cast)


def test_who_records_a_detention(case_forwarded):
    cast = case_forwarded
    with pytest.raises(Http404):
        detain(cast, by=cast.officer_b)
    with pytest.raises(Http404):
        detain(cast, by=cast.shelter_worker)


# --- The release --------------------------------------------------------------------------

def test_a_release_warns_the_owning_zone_when_no_other_zone_covers_her_home(case_forwarded):
    cast = case_forwarded
    detention = detain(cast)
    result = release(cast, detention)
    [warning] = result.warnings
    assert warning.zone == cast.zone_a and not warning.shared
    task = warning.task
    assert task.kind == TaskKind.RELEASE_WARNING and task.agency == cast.zone_a
    assert task.person_id == cast.victim_id and task.for_role == Role.VICTIM_ASSISTANCE_WORKER
    assert local_day(task.due_at) == local_day(timezone.now())
    assert task.due_at <= at_local(local_day(timezone.now()), LAST_MINUTE)
    # the case's risk level, as any task
    assert task.priority == case_priorities([cast.case.pk]).get(cast.case.pk, 0)
    notices = Notice.objects.filter(kind=NoticeKind.RELEASE, agency=cast.zone_a)
    assert set(notices.values_list("for_role", flat=True)) == {
        Role.VICTIM_ASSISTANCE_WORKER, Role.IPV_REFERENCE_OFFICER}
    detention.refresh_from_db()
    assert detention.status == DetentionStatus.RELEASED and detention.release_zone == cast.zone_a
    assert AuditEvent.objects.filter(object_id=str(detention.pk), action="update",
                                     basis="release recorded").exists()
    assert AuditEvent.objects.filter(object_type="followup.task", object_id=str(task.pk),
                                     action="create").exists()
    entry = TimelineEntry.objects.get(case=cast.case, kind="release_recorded")
    assert "No contact with the victim" in entry.summary_text


def test_a_release_reaches_the_zone_of_her_residence_and_its_sapv(case_forwarded):
    """She now lives in a shelter in Liège (a confidential address): the zone whose territory
    holds Liège is warned, sees the case, and its SAPV's task shows how to reach her safely —
    but not the shelter's address."""
    cast = case_forwarded
    liege = zone_of(LIEGE)
    shelter_address(cast, municipality=LIEGE, postcode="4000")
    detention = detain(cast)
    result = release(cast, detention)
    [warning] = result.warnings
    assert warning.zone == liege.zone and warning.shared
    assert warning.discreet  # found from a shelter address the prosecutor may not see
    share = Share.objects.get(case=cast.case, recipient_agency=liege.zone)
    assert set(share.scopes) == {"judicial", "contact"}
    assert case_access(actor=actor(liege.sapv), case_id=cast.case.pk).scopes == {
        "judicial", "contact"}
    task = warning.task
    assert task.agency == liege.zone and task.unit == liege.unit
    assert task.assignee is None  # the SAPV team's queue
    notices = Notice.objects.filter(kind=NoticeKind.RELEASE, agency=liege.zone)
    assert set(notices.values_list("for_role", flat=True)) == {
        Role.VICTIM_ASSISTANCE_WORKER, Role.IPV_REFERENCE_OFFICER}
    assert not Notice.objects.filter(kind=NoticeKind.RELEASE, agency=cast.zone_a).exists()

    notice = Notice.objects.get(kind=NoticeKind.RELEASE, agency=liege.zone,
                                for_role=Role.VICTIM_ASSISTANCE_WORKER)
    assert notice.link == f"/measures/detentions/{detention.pk}/"
    assert verified_client(liege.sapv).get(notice.link).status_code == 200
    page = verified_client(liege.sapv).get(f"/follow-up/tasks/{task.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Before you contact her" in html
    assert "9-12" in html and "Never leave a voice message" in html  # her instructions
    assert "+32 470 12 34 56" in html  # her safe number
    assert SHELTER_STREET_FOR_HER not in html
    case_page = verified_client(liege.sapv).get(f"/cases/{cast.case.pk}/").content.decode()
    assert SHELTER_STREET_FOR_HER not in case_page
    # The office is told that her zone is warned, not which zone it is (it would say roughly
    # where the shelter is).
    office_page = verified_client(cast.magistrate).get(
        f"/measures/detentions/{detention.pk}/").content.decode()
    assert liege.zone.name not in office_page
    assert "The police zone where she lives" in office_page
    assert liege.zone.name not in verified_client(cast.officer_a).get(
        f"/measures/detentions/{detention.pk}/").content.decode()


def test_a_release_is_recorded_once_and_warns_once(case_forwarded):
    cast = case_forwarded
    detention = detain(cast)
    release(cast, detention)
    with pytest.raises(ValidationError, match="already recorded"):
        release(cast, detention)
    assert Task.objects.filter(kind=TaskKind.RELEASE_WARNING).count() == 1
    assert Notice.objects.filter(kind=NoticeKind.RELEASE).count() == 2
    # The warning itself is made once per detention and victim, whoever calls it again.
    detention.refresh_from_db()
    again = services._warn_of_release(actor=actor(cast.magistrate), detention=detention,
                                      victim_id=cast.victim_id, now=timezone.now())
    assert again.task is None
    assert Task.objects.filter(kind=TaskKind.RELEASE_WARNING).count() == 1
    assert Notice.objects.filter(kind=NoticeKind.RELEASE).count() == 2


def test_a_planned_release_is_warned_now_and_due_before_he_is_out(case_forwarded):
    cast = case_forwarded
    detention = detain(cast)
    now = timezone.now()
    out = now + timedelta(minutes=30)
    result = release(cast, detention, released_at=out)
    assert result.detention.status == DetentionStatus.RELEASE_PLANNED
    # Due when he is out, or at the end of today if that comes first.
    assert result.warnings[0].task.due_at == min(out, end_of_day(now))


def test_bad_release_input_gets_clear_errors_and_nothing_is_lost(case_forwarded):
    cast = case_forwarded
    detention = detain(cast)
    with pytest.raises(ValidationError) as raised:
        release(cast, detention, released_at=detention.since - timedelta(hours=1))
    assert "before the detention started" in raised.value.message_dict["released_at"][0]
    with pytest.raises(ValidationError) as raised:
        release(cast, detention, released_at=timezone.now() + timedelta(days=40))
    assert "30 days" in raised.value.message_dict["released_at"][0]
    with pytest.raises(ValidationError) as raised:
        release(cast, detention, conditions=["other"], conditions_note="")
    assert "Describe" in raised.value.message_dict["conditions_note"][0]
    detention.refresh_from_db()
    assert detention.released_at is None
    assert not Task.objects.filter(kind=TaskKind.RELEASE_WARNING).exists()


def test_who_records_a_release(case_forwarded):
    cast = case_forwarded
    detention = detain(cast)
    with pytest.raises(Http404):
        release(cast, detention, by=cast.officer_b)
    result = release(cast, detention, by=cast.officer_a)
    assert result.warnings[0].zone == cast.zone_a


def test_a_victim_who_moved_is_found_at_her_newest_address(case_forwarded):
    cast = case_forwarded
    liege = zone_of(LIEGE)
    case_services.address_add(actor=actor(cast.officer_a), person_id=cast.victim_id,
                              street="Rue Neuve 4", postcode="4000", municipality=LIEGE)
    result = release(cast, detain(cast))
    assert result.warnings[0].zone == liege.zone
    assert not result.warnings[0].discreet  # an ordinary address: the zone can be named


def test_the_house_of_justice_does_not_record_detentions(case_forwarded):
    cast = case_forwarded
    from relais.measures.tests.factories import order_ban

    order_ban(cast)  # opens the case to the house of justice
    with pytest.raises(Http404):
        detain(cast, by=cast.justice_assistant)
