"""The family proceedings' services: who records, what the court sees, the measures in force,
and the notices between criminal and family justice (after the answer, never an address)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access.cases import case_access
from relais.access.models import Share
from relais.access.scopes import Scope
from relais.alarms.selectors import activation_summary
from relais.alarms.tests.factories import live_alarm, press
from relais.audit.models import Action, AuditEvent
from relais.cases.measures import measures_in_force
from relais.cases.models import Address, ParticipantRole
from relais.conftest import VICTIM_PHONE, VICTIM_STREET, actor
from relais.family import services
from relais.family.models import FamilyProceeding, LinkNotice, LinkNoticeCode, ProceedingKind
from relais.family.selectors import notice_text
from relais.family.tests.factories import open_to_court, record
from relais.justice import services as justice_services
from relais.justice.models import Decision, Measure
from relais.justice.tests.factories import entry_of, family_section, record_report
from relais.measures.tests.factories import order_ban
from relais.notifications.models import Notice, NoticeKind


def events(action: str, object_type: str) -> int:
    return AuditEvent.objects.filter(action=action, object_type=object_type).count()


def test_the_zone_opens_its_case_to_the_court_with_the_judicial_part_only(cast, courts):
    share = open_to_court(cast, courts)
    assert share.scopes == [Scope.JUDICIAL] and share.recipient_agency == courts.family
    assert AuditEvent.objects.filter(action=Action.SHARE, object_id=str(share.pk)).exists()
    access = case_access(actor=actor(courts.clerk), case_id=cast.case.pk)
    assert access.scopes == frozenset({Scope.JUDICIAL})
    home = Address.objects.get(person_id=cast.victim_id, street=VICTIM_STREET)
    assert not access.address_visible(home, ParticipantRole.VICTIM)  # never where she lives


def test_only_the_prosecutor_or_the_owning_zone_opens_a_case_to_a_court(cast, courts):
    for user in (cast.shelter_worker, courts.clerk, cast.officer_b, cast.analyst_a):
        with pytest.raises(Http404):
            open_to_court(cast, courts, by=user)
    assert not Share.objects.filter(recipient_agency=courts.family).exists()
    record_report(cast)  # forwarded: the office sees the case
    assert open_to_court(cast, courts, by=cast.legal_advisor).scopes == [Scope.JUDICIAL]


def test_a_court_records_parallel_parenting_audited(cast, courts):
    open_to_court(cast, courts)
    before = events(Action.CREATE, "family.familyproceeding")
    proceeding = record(cast, courts)
    assert proceeding.court == courts.family and proceeding.recorded_by == courts.clerk
    assert events(Action.CREATE, "family.familyproceeding") == before + 1
    lines = measures_in_force(case_access(actor=actor(cast.officer_a), case_id=cast.case.pk))
    assert [line.kind for line in lines] == ["family_parallel_parenting"]
    assert "Family court (test)" in lines[0].detail


def test_a_court_without_a_share_or_another_agency_cannot_record(cast, courts):
    for user in (courts.clerk, courts.youth_clerk, cast.officer_a, cast.legal_advisor):
        with pytest.raises(Http404):
            record(cast, courts, by=user)
    open_to_court(cast, courts)
    for user in (courts.youth_clerk, cast.officer_a):
        with pytest.raises(Http404):
            record(cast, courts, by=user)
    assert record(cast, courts, by=courts.judge).recorded_by == courts.judge


def test_the_record_checks_its_dates_and_its_court(cast, courts):
    open_to_court(cast, courts)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        record(cast, courts, decided_on=None, starts_on=today, ends_on=today - timedelta(days=3))
    assert set(error.value.message_dict) == {"decided_on", "ends_on"}
    with pytest.raises(ValidationError) as error:
        record(cast, courts, court_id=cast.zone_a.pk)
    assert "court" in error.value.message_dict
    with pytest.raises(ValidationError):
        record(cast, courts, belgica_court="no-such-court")
    other = record(cast, courts, kind=ProceedingKind.MEETING_PLACE_CONTACT,
                   belgica_court="court-of-first-instance-liege")
    assert other.court is None and "Liège" in other.court_name


def test_only_the_recording_court_ends_a_decision(cast, courts):
    open_to_court(cast, courts)
    proceeding = record(cast, courts)
    with pytest.raises(Http404):
        services.proceeding_end(actor=actor(cast.officer_a), proceeding_id=proceeding.pk,
                                ends_on=None)
    ended = services.proceeding_end(actor=actor(courts.judge), proceeding_id=proceeding.pk,
                                    ends_on=timezone.localdate())
    assert ended.ends_on == timezone.localdate()
    assert events(Action.UPDATE, "family.familyproceeding") == 1


def test_a_court_decision_tells_the_office_and_the_zone_after_the_answer(
        cast, courts, django_capture_on_commit_callbacks):
    record_report(cast)  # forwarded to the Brussels office
    open_to_court(cast, courts)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record(cast, courts, kind=ProceedingKind.NO_CONTACT)
    assert not LinkNotice.objects.exists()  # not inside the request's transaction
    for callback in callbacks:
        callback()
    sent = {(n.agency_id, n.for_role) for n in Notice.objects.filter(
        kind=NoticeKind.FAMILY_COURT_DECISION)}
    assert sent == {(cast.prosecutor.pk, "legal_advisor"), (cast.zone_a.pk,
                                                           "ipv_reference_officer")}
    links = LinkNotice.objects.filter(code=LinkNoticeCode.COURT_DECISION)
    assert links.count() == 2
    assert events(Action.CREATE, "family.linknotice") == 2
    text = notice_text(links.first())
    assert "No-contact order" in text and "Family court (test)" in text
    for secret in (VICTIM_STREET, "1050", VICTIM_PHONE, "Ixelles", "Elsene"):
        assert secret not in text and secret not in str(links.first().params)


def test_a_residence_ban_is_told_to_the_court_seized_of_the_family(
        cast, courts, django_capture_on_commit_callbacks):
    record_report(cast)
    open_to_court(cast, courts)
    with django_capture_on_commit_callbacks(execute=True):
        ban = order_ban(cast)
    link = LinkNotice.objects.get(code=LinkNoticeCode.BAN_ORDERED)
    assert link.agency == courts.family
    notice = Notice.objects.get(kind=NoticeKind.CRIMINAL_MEASURE)
    assert notice.agency == courts.family and notice.for_role == "court_clerk"
    text = notice_text(link)
    assert "residence ban" in text
    for secret in (VICTIM_STREET, ban.addresses.first().postcode, "Ixelles", VICTIM_PHONE):
        assert secret not in text and secret not in str(link.params)


def test_a_no_contact_decision_of_the_office_is_told_to_the_court(
        cast, courts, django_capture_on_commit_callbacks):
    family_section(cast)
    entry = entry_of(record_report(cast))
    open_to_court(cast, courts)
    with django_capture_on_commit_callbacks(execute=True):
        justice_services.entry_decide(actor=actor(cast.legal_advisor), entry_id=entry.pk,
                                      decision=Decision.FOLLOW_UP, measures=[Measure.NO_CONTACT])
    link = LinkNotice.objects.get(code=LinkNoticeCode.NO_CONTACT_ORDERED)
    assert link.agency == courts.family and "no contact" in notice_text(link)


def test_no_court_seized_no_notice(cast, courts, django_capture_on_commit_callbacks):
    record_report(cast)
    with django_capture_on_commit_callbacks(execute=True):
        order_ban(cast)
    assert not LinkNotice.objects.exists()


def test_the_dispatchers_alarm_summary_shows_the_family_proceedings(cast, courts):
    open_to_court(cast, courts)
    record(cast, courts, kind=ProceedingKind.SUPERVISED_CONTACT)
    live_alarm(cast)
    activation = press(cast, "BTN-A-0001")
    summary = activation_summary(actor=actor(cast.dispatcher_a), activation_id=activation.pk)
    assert "family_supervised_contact" in [line.kind for line in summary.measures]


def test_an_ended_decision_is_no_longer_in_force(cast, courts):
    open_to_court(cast, courts)
    today = timezone.localdate()
    record(cast, courts, starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    assert measures_in_force(case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)) == []
    assert FamilyProceeding.objects.count() == 1
