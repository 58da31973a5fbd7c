"""The programme's rules: opening files, the waiting list, interviews before a group, hours
that must add up, completion at the threshold, reporting status changes to the justice side."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from relais.accounts.models import User
from relais.audit.models import AuditEvent
from relais.conftest import actor, run_mail_queue
from relais.notifications.models import Notice, NoticeKind
from relais.programmes import services
from relais.programmes.models import (
    Activity,
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    GroupFormat,
    Participant,
    Route,
    StatusChange,
)
from relais.programmes.tests.factories import (
    days_ago,
    group_of,
    in_group,
    interview,
    judicial_file,
    judicial_mandate,
    refer_perpetrator,
    session,
    start,
    walk_in,
)
from relais.referrals.models import ReferralStatus


def audited(action: str, target) -> bool:
    return AuditEvent.objects.filter(action=action, object_type=target._meta.label_lower,
                                     object_id=str(target.pk)).exists()


def messages_of(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict.get(field, []))


# --- Settings and formats ---------------------------------------------------------------------

def test_the_praxis_defaults_are_seeded_per_programme(cast):
    rules = services.settings_for(cast.programme)
    assert rules.completion_hours == Decimal("44") and rules.min_interviews == 2
    assert rules.min_group_size == 9 and not rules.count_calls
    formats = {f.kind: f for f in GroupFormat.objects.filter(agency=cast.programme)}
    assert (formats[FormatKind.OPEN].sessions, formats[FormatKind.OPEN].hours_per_session) == \
        (21, Decimal("2"))
    assert formats[FormatKind.CLOSED].total_hours == Decimal("42")
    assert formats[FormatKind.CLOSED].name == "Groupe fermé"  # the programme works in French
    services.settings_for(cast.programme)
    assert GroupFormat.objects.filter(agency=cast.programme).count() == 2


def test_the_rules_are_changed_by_the_programme_and_audited(cast):
    rules = services.settings_update(actor=actor(cast.counsellor),
                                     completion_hours=Decimal("40"), min_interviews=3,
                                     min_group_size=8, count_calls=True)
    assert rules.version == 2 and rules.updated_by == cast.counsellor
    assert audited("update", rules)
    with pytest.raises(ValidationError) as error:
        services.settings_update(actor=actor(cast.counsellor), completion_hours=Decimal("-4"))
    assert "completion_hours" in error.value.message_dict
    for outsider in (cast.officer_a, cast.justice_assistant, cast.analyst_a):
        with pytest.raises(Http404):
            services.settings_update(actor=actor(outsider), min_interviews=1)


def test_a_format_is_added_and_changed_with_its_audit(cast):
    made = services.format_save(actor=actor(cast.counsellor), name="Short closed", kind="closed",
                                sessions=4, hours_per_session=Decimal("3"), schedule="4 days")
    assert made.total_hours == Decimal("12") and audited("create", made)
    changed = services.format_save(actor=actor(cast.counsellor), format_id=made.pk,
                                   name="Short closed", kind="closed", sessions=5,
                                   hours_per_session=Decimal("3"))
    assert changed.sessions == 5 and audited("update", changed)
    with pytest.raises(ValidationError) as error:
        services.format_save(actor=actor(cast.counsellor), name="short CLOSED", kind="open",
                             sessions=0, hours_per_session=Decimal("-1"))
    assert set(error.value.message_dict) >= {"name", "sessions", "hours_per_session"}


# --- Opening files ----------------------------------------------------------------------------

def test_a_referral_of_the_perpetrator_opens_a_judicial_file_on_the_waiting_list(
        cast, directory, mailoutbox):
    file = judicial_file(cast, directory)

    assert file.status == FileStatus.WAITING and file.case == cast.case
    assert file.participant.person_id == cast.perpetrator_id
    assert str(file.participant) == "Bruno Fictif"
    assert file.judicial_district == "brussel"  # from the mandating office
    assert file.referral.status == ReferralStatus.WAITING_LIST  # the referrer sees it
    assert audited("create", file) and audited("create", file.participant)
    change = file.status_changes.get()
    assert audited("create", change)
    # Put on the waiting list: reported to both sides of the justice system.
    assert Notice.objects.filter(agency=cast.house_of_justice, for_role="justice_assistant",
                                 kind=NoticeKind.PROGRAMME_STATUS, case=cast.case).count() == 1
    assert Notice.objects.filter(agency=cast.prosecutor, for_role="legal_advisor",
                                 kind=NoticeKind.PROGRAMME_STATUS).count() == 1


def test_a_judicial_mandate_needs_its_measure_office_and_house_of_justice(cast, directory):
    referral = refer_perpetrator(cast, directory)
    with pytest.raises(ValidationError) as error:
        services.file_open_from_referral(
            actor=actor(cast.counsellor), referral_id=referral.pk,
            mandate=services.Mandate(route=Route.JUDICIAL, justice_assistant_id=cast.officer_a.pk),
            substance_use=["none", "alcohol"])
    assert set(error.value.message_dict) == {
        "judicial_measure", "prosecutor_office", "house_of_justice", "justice_assistant",
        "judicial_district", "substance_use"}
    with pytest.raises(ValidationError) as error:
        services.file_open_from_referral(
            actor=actor(cast.counsellor), referral_id=referral.pk,
            mandate=services.Mandate(route=Route.VOLUNTARY, judicial_measure="probation"))
    assert "only for a judicial mandate" in messages_of(error, "judicial_measure")
    assert not Participant.objects.exists()


def test_only_the_alleged_perpetrator_gets_a_file_and_only_once(cast, directory):
    referral = refer_perpetrator(cast, directory)
    services.file_open_from_referral(actor=actor(cast.counsellor), referral_id=referral.pk,
                                     mandate=judicial_mandate(cast))
    with pytest.raises(ValidationError) as error:
        services.file_open_from_referral(actor=actor(cast.counsellor),
                                         referral_id=referral.pk,
                                         mandate=judicial_mandate(cast))
    assert "already open" in " ".join(error.value.messages)


def test_a_referral_to_another_agency_is_404(cast, directory):
    referral = refer_perpetrator(cast, directory)
    for outsider in (cast.support_worker, cast.officer_a, cast.justice_assistant):
        with pytest.raises(Http404):
            services.file_open_from_referral(actor=actor(outsider), referral_id=referral.pk,
                                             mandate=judicial_mandate(cast))


def test_a_walk_in_is_kept_in_the_programme_only_and_reports_nothing(cast):
    file = walk_in(cast, phone="0470 99 99 99")
    assert file.case is None and file.participant.person is None
    assert file.participant.phone == "0470 99 99 99"
    start(cast, file)
    assert not Notice.objects.exists()
    assert StatusChange.objects.filter(file=file, not_reported=[], reported_to=[]).count() == 2


def test_a_participant_has_one_open_file_at_a_time(cast):
    file = walk_in(cast)
    with pytest.raises(ValidationError) as error:
        services.file_open_direct(actor=actor(cast.counsellor), participant_id=file.participant_id,
                                  mandate=services.Mandate(route=Route.VOLUNTARY))
    assert "already has an open file" in " ".join(error.value.messages)
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.INCOMPLETE, reason="unavailability")
    second = services.file_open_direct(actor=actor(cast.counsellor),
                                       participant_id=file.participant_id,
                                       mandate=judicial_mandate(cast))
    assert second.participant_id == file.participant_id and second.route == Route.JUDICIAL


def test_a_walk_in_needs_a_name_and_a_past_request(cast):
    with pytest.raises(ValidationError) as error:
        services.file_open_direct(actor=actor(cast.counsellor),
                                  mandate=services.Mandate(route="nowhere"),
                                  requested_on=days_ago(-3))
    assert set(error.value.message_dict) == {"first_name", "last_name", "route", "requested_on"}


# --- Starting, interviews, groups -------------------------------------------------------------

def test_waiting_time_runs_from_the_request_to_the_start(cast):
    from relais.programmes.selectors import file_get

    file = walk_in(cast, requested_days_ago=30)
    assert file_get(actor=actor(cast.counsellor), file_id=file.pk).row.waiting_days == 30
    start(cast, file, on_days_ago=12)
    view = file_get(actor=actor(cast.counsellor), file_id=file.pk)
    assert view.row.waiting_days == 18 and view.file.started_on == days_ago(12)


def test_interviews_and_sessions_wait_for_the_start_but_a_call_does_not(cast):
    file = walk_in(cast)
    with pytest.raises(ValidationError) as error:
        interview(cast, file)
    assert "waiting list" in messages_of(error, "kind")
    call = services.activity_record(actor=actor(cast.counsellor), file_id=file.pk,
                                    kind=ActivityKind.CALL, occurred_on=days_ago(1),
                                    scheduled_hours=Decimal("0.25"),
                                    attendance=Attendance.ATTENDED)
    assert call.attended_hours == Decimal("0.25") and audited("create", call)


def test_two_interviews_attended_before_a_group(cast):
    file = start(cast, walk_in(cast))
    group = group_of(cast)
    interview(cast, file, on_days_ago=15)
    interview(cast, file, on_days_ago=14, attendance=Attendance.ABSENT)
    with pytest.raises(ValidationError) as error:
        services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk,
                                 group_id=group.pk)
    assert messages_of(error, "group").startswith(
        "At least 2 individual interviews attended come before a group; he has attended 1 by ")
    interview(cast, file, on_days_ago=13)
    with pytest.raises(ValidationError):  # the second one came after that day
        services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk,
                                 group_id=group.pk, joined_on=days_ago(14))
    joined = services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk,
                                      group_id=group.pk, joined_on=days_ago(10))
    assert joined.file.status == FileStatus.IN_PROGRESS and joined.file.group == group
    # Fewer than nine: a warning, not a refusal.
    assert joined.warning == "Group open has 1 participant; the programme's minimum is 9."
    assert audited("update", joined.file)


def test_the_minimum_of_interviews_is_the_programmes_rule(cast):
    services.settings_update(actor=actor(cast.counsellor), min_interviews=1)
    file = start(cast, walk_in(cast))
    interview(cast, file)
    joined = services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk,
                                      group_id=group_of(cast).pk)
    joined.file.refresh_from_db()
    assert joined.file.group_id is not None  # one interview is enough under this rule


def test_a_closed_group_takes_no_one_after_its_start(cast):
    file = start(cast, walk_in(cast))
    group = group_of(cast, FormatKind.CLOSED, start_days_ago=10)
    interview(cast, file, on_days_ago=15)
    interview(cast, file, on_days_ago=14)
    with pytest.raises(ValidationError) as error:
        services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk,
                                 group_id=group.pk, joined_on=days_ago(5))
    assert "takes no one in after its start" in messages_of(error, "joined_on")


# --- Hours that do not add up -----------------------------------------------------------------

@pytest.mark.parametrize(("hours", "attendance", "attended", "field", "message"), [
    ("-1", "attended", None, "scheduled_hours", "Hours cannot be negative."),
    ("0", "attended", None, "scheduled_hours", "more than 0"),
    ("13", "attended", None, "scheduled_hours", "at most 12 h"),
    ("1", "attended", "-0.5", "attended_hours", "Hours cannot be negative."),
    ("1", "attended", "1.5", "attended_hours", "He cannot attend 1.5 h of an activity of 1 h."),
    ("1", "absent", "1", "attended_hours", "Absent or excused means no hours attended"),
    ("1", "excused", "0.5", "attended_hours", "Absent or excused means no hours attended"),
    ("1", "attended", "0", "attended_hours", "Attended with no hours"),
])
def test_hours_that_do_not_add_up_are_refused(cast, hours, attendance, attended, field,
                                              message):
    file = start(cast, walk_in(cast))
    with pytest.raises(ValidationError) as error:
        interview(cast, file, hours=hours, attendance=attendance,
                  attended_hours=Decimal(attended) if attended is not None else None)
    assert message in messages_of(error, field)
    assert not Activity.objects.exists()


def test_an_activity_in_the_future_or_before_the_request_is_refused(cast):
    file = start(cast, walk_in(cast, requested_days_ago=30))
    with pytest.raises(ValidationError) as error:
        interview(cast, file, on_days_ago=-1)
    assert "cannot be in the future" in messages_of(error, "occurred_on")
    with pytest.raises(ValidationError) as error:
        interview(cast, file, on_days_ago=31)
    assert "before the request" in messages_of(error, "occurred_on")


def test_a_group_session_needs_a_group_and_fits_its_format(cast):
    file = start(cast, walk_in(cast))
    with pytest.raises(ValidationError) as error:
        session(cast, file, on_days_ago=3)
    assert "not in a group" in messages_of(error, "kind")
    in_group(cast, file, group_of(cast))
    with pytest.raises(ValidationError) as error:
        session(cast, file, on_days_ago=3, hours="3")
    assert "The sessions of Groupe ouvert last 2 h" in messages_of(error, "scheduled_hours")
    with pytest.raises(ValidationError) as error:
        session(cast, file, on_days_ago=12)
    assert "He joined the group on" in messages_of(error, "occurred_on")
    session(cast, file, on_days_ago=3)
    with pytest.raises(ValidationError) as error:
        session(cast, file, on_days_ago=3)
    assert "already recorded" in messages_of(error, "occurred_on")


def test_a_closed_group_cannot_run_past_its_total(cast):
    file = start(cast, walk_in(cast, requested_days_ago=60), on_days_ago=50)
    group = group_of(cast, FormatKind.CLOSED, start_days_ago=40)
    interview(cast, file, on_days_ago=45)
    interview(cast, file, on_days_ago=44)
    services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk, group_id=group.pk,
                             joined_on=days_ago(41))
    for day in range(6):  # six Saturdays of 7 h: 42 h
        session(cast, file, on_days_ago=40 - 7 * day, hours="7")
    with pytest.raises(ValidationError) as error:
        session(cast, file, on_days_ago=1, hours="1")
    assert messages_of(error, "scheduled_hours") == (
        "Groupe fermé runs 42 h in all; 42 h of sessions are already recorded for him: 1 h "
        "more would exceed it.")


# --- Completion -------------------------------------------------------------------------------

def _through_open_group(cast, file, *, sessions: int):
    group = group_of(cast, start_days_ago=200)
    interview(cast, file, on_days_ago=215)
    interview(cast, file, on_days_ago=210)
    services.file_join_group(actor=actor(cast.counsellor), file_id=file.pk, group_id=group.pk,
                             joined_on=days_ago(200))
    for week in range(sessions):
        session(cast, file, on_days_ago=199 - 7 * week)


def test_completion_at_44_hours_and_not_below(cast):
    file = start(cast, walk_in(cast, requested_days_ago=300), on_days_ago=220)
    _through_open_group(cast, file, sessions=20)  # 2 + 40 = 42 h
    with pytest.raises(ValidationError) as error:
        services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                    status=FileStatus.COMPLETED)
    assert messages_of(error, "status") == (
        "Completion needs 44 h attended; he has attended 42 h. Record the missing sessions, "
        "or end the file as incomplete.")
    session(cast, file, on_days_ago=199 - 7 * 20)  # the 21st session: 44 h
    change = services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                         status=FileStatus.COMPLETED)
    file.refresh_from_db()
    assert file.status == FileStatus.COMPLETED and file.closed_on is not None
    assert services.attended_hours(file, services.settings_for(cast.programme)) == Decimal("44")
    assert audited("update", file) and audited("create", change)
    with pytest.raises(ValidationError) as error:
        interview(cast, file, on_days_ago=1)
    assert "nothing can be added" in " ".join(error.value.messages)


def test_absences_and_partial_attendance_count_as_attended(cast):
    file = start(cast, walk_in(cast, requested_days_ago=300), on_days_ago=220)
    _through_open_group(cast, file, sessions=0)
    session(cast, file, on_days_ago=150, attendance=Attendance.ABSENT)
    session(cast, file, on_days_ago=143, attendance=Attendance.EXCUSED)
    session(cast, file, on_days_ago=136, attended_hours=Decimal("1.5"))
    assert services.attended_hours(file, services.settings_for(cast.programme)) == \
        Decimal("3.5")


def test_calls_count_only_when_the_programme_says_so(cast):
    file = start(cast, walk_in(cast))
    services.activity_record(actor=actor(cast.counsellor), file_id=file.pk,
                             kind=ActivityKind.CALL, occurred_on=days_ago(2),
                             scheduled_hours=Decimal("0.5"), attendance=Attendance.ATTENDED)
    rules = services.settings_for(cast.programme)
    assert services.attended_hours(file, rules) == 0
    rules = services.settings_update(actor=actor(cast.counsellor), count_calls=True)
    assert services.attended_hours(file, rules) == Decimal("0.5")


def test_the_threshold_is_the_programmes_rule(cast):
    services.settings_update(actor=actor(cast.counsellor), completion_hours=Decimal("2"))
    file = start(cast, walk_in(cast))
    interview(cast, file, on_days_ago=5)
    interview(cast, file, on_days_ago=4)
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.COMPLETED)
    file.refresh_from_db()
    assert file.status == FileStatus.COMPLETED  # 2 h attended meet this programme's threshold


def test_incomplete_needs_its_reason_and_other_needs_words(cast):
    file = start(cast, walk_in(cast))
    counsellor = actor(cast.counsellor)
    with pytest.raises(ValidationError) as error:
        services.file_change_status(actor=counsellor, file_id=file.pk,
                                    status=FileStatus.INCOMPLETE)
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.file_change_status(actor=counsellor, file_id=file.pk,
                                    status=FileStatus.INCOMPLETE, reason="other")
    assert messages_of(error, "note") == "Describe the other reason."
    with pytest.raises(ValidationError) as error:
        services.file_change_status(actor=counsellor, file_id=file.pk,
                                    status=FileStatus.WAITING, reason="absences")
    assert "only for an incomplete file" in messages_of(error, "reason")
    with pytest.raises(ValidationError) as error:
        services.file_change_status(actor=counsellor, file_id=file.pk,
                                    status=FileStatus.IN_PROGRESS)
    assert "add him to a group" in messages_of(error, "status")
    services.file_change_status(actor=counsellor, file_id=file.pk,
                                status=FileStatus.INCOMPLETE, reason="other",
                                note="Moved abroad")
    file.refresh_from_db()
    assert (file.interruption_reason, file.interruption_note) == ("other", "Moved abroad")
    with pytest.raises(ValidationError):
        services.file_change_status(actor=counsellor, file_id=file.pk,
                                    status=FileStatus.PREPARATORY)


def test_back_on_the_waiting_list_the_waiting_time_runs_again(cast):
    file = start(cast, walk_in(cast, requested_days_ago=30), on_days_ago=10)
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.WAITING)
    file.refresh_from_db()
    assert file.status == FileStatus.WAITING and file.started_on is None


# --- Reporting to the justice assistant and the office ----------------------------------------

def _notices(cast, agency):
    return Notice.objects.filter(agency=agency, kind=NoticeKind.PROGRAMME_STATUS,
                                 case=cast.case)


def test_each_status_change_reaches_the_justice_assistant_and_the_office(
        cast, directory, mailoutbox):
    file = judicial_file(cast, directory)
    User.objects.filter(pk=cast.justice_assistant.pk).update(email="ja@justice.invalid")
    change = services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                         status=FileStatus.PREPARATORY)
    run_mail_queue()
    assert {entry["agency"] for entry in change.reported_to} == {
        cast.house_of_justice.name, cast.prosecutor.name}
    assert _notices(cast, cast.house_of_justice).count() == 2  # waiting list, then start
    assert _notices(cast, cast.prosecutor).filter(for_role="legal_advisor").count() == 2
    notice = _notices(cast, cast.house_of_justice).latest("created_at")
    assert notice.source_id == str(change.pk)
    # The e-mail names the case, never the participant nor the content.
    assert [m.to for m in mailoutbox] == [["ja@justice.invalid"]]
    assert cast.case.reference in mailoutbox[0].body
    assert "Fictif" not in mailoutbox[0].body and "Bruno" not in mailoutbox[0].body
    interview(cast, file)
    interview(cast, file, on_days_ago=14)
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.INCOMPLETE, reason="non_recognition")
    assert _notices(cast, cast.house_of_justice).count() == 3
    file.referral.refresh_from_db()
    assert file.referral.status == ReferralStatus.CLOSED  # the referrer hears the outcome
    # The case's timeline says so to those who read its judicial side.
    assert cast.case.timeline.filter(kind="programme_status", scope="judicial").count() == 3
    # In the reader's language, whoever wrote it: "En cours (groupe)" is not shown in English.
    line = cast.case.timeline.filter(kind="programme_status").latest("occurred_at", "pk")
    with translation.override("nl"):
        dutch = line.summary_text
        assert dutch == f"{cast.counsellor.agency.name}: {FileStatus.INCOMPLETE.label}"
    with translation.override("fr"):
        assert line.summary_text.endswith(str(FileStatus.INCOMPLETE.label))
        assert line.summary_text != dutch


def test_a_house_of_justice_without_access_to_the_case_is_not_sent_a_notice(cast, directory):
    file = judicial_file(cast, directory, hoj_share=False)
    change = file.status_changes.get()
    assert not _notices(cast, cast.house_of_justice).exists()
    assert _notices(cast, cast.prosecutor).count() == 1
    assert change.not_reported == [{"why": "no_access", "role": "justice_assistant",
                                    "agency": cast.house_of_justice.name}]


def test_voluntary_files_of_a_case_report_nothing(cast, directory):
    referral = refer_perpetrator(cast, directory, basis="consent", scopes=("contact",))
    file = services.file_open_from_referral(
        actor=actor(cast.counsellor), referral_id=referral.pk,
        mandate=services.Mandate(route=Route.POLICE_INFORMATION), requested_on=days_ago(5))
    start(cast, file, on_days_ago=2)
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.INCOMPLETE, reason="unavailability")
    assert not Notice.objects.filter(kind=NoticeKind.PROGRAMME_STATUS).exists()
    assert not cast.case.timeline.filter(kind="programme_status").exists()
    file.referral.refresh_from_db()
    assert file.referral.status == ReferralStatus.FIRST_CONTACT  # its end is not told


# --- Groups -----------------------------------------------------------------------------------

def test_a_session_for_the_whole_group_records_each_attendance(cast):
    first = start(cast, walk_in(cast))
    second = start(cast, walk_in(cast, first_name="Xavier", last_name="Exemple"))
    group = group_of(cast)
    in_group(cast, first, group)
    in_group(cast, second, group)
    made = services.group_session_record(
        actor=actor(cast.counsellor), group_id=group.pk, occurred_on=days_ago(3),
        hours=Decimal("2"), members=[
            services.MemberAttendance(file_id=first.pk, attendance=Attendance.ATTENDED),
            services.MemberAttendance(file_id=second.pk, attendance=Attendance.EXCUSED)])
    assert [(a.attendance, a.attended_hours) for a in made] == [
        ("attended", Decimal("2")), ("excused", Decimal("0"))]
    assert all(audited("create", activity) for activity in made)
    with pytest.raises(ValidationError) as error:
        services.group_session_record(
            actor=actor(cast.counsellor), group_id=group.pk, occurred_on=days_ago(2),
            hours=Decimal("2"), members=[
                services.MemberAttendance(file_id=first.pk, attendance=Attendance.ATTENDED,
                                          attended_hours=Decimal("3")),
                services.MemberAttendance(file_id=second.pk, attendance=Attendance.ABSENT)])
    assert error.value.message_dict == {f"member_{first.pk}": [
        "Walter Volontaire: He cannot attend 3 h of an activity of 2 h."]}
    assert Activity.objects.filter(occurred_on=days_ago(2)).count() == 0  # all or nothing


def test_a_group_is_created_with_its_audit_and_a_unique_name(cast):
    group = group_of(cast, name="Tuesday")
    assert group.format.kind == FormatKind.OPEN and audited("create", group)
    with pytest.raises(ValidationError) as error:
        group_of(cast, name="tuesday")
    assert "name" in error.value.message_dict


def test_substance_use_is_recorded_with_its_audit(cast):
    file = walk_in(cast)
    services.file_update_substances(actor=actor(cast.counsellor), file_id=file.pk,
                                    substance_use=["drugs", "alcohol"])
    file.refresh_from_db()
    assert file.substance_use == ["alcohol", "drugs"] and audited("update", file)
    with pytest.raises(ValidationError) as error:
        services.file_update_substances(actor=actor(cast.counsellor), file_id=file.pk,
                                        substance_use=["unknown", "drugs"])
    assert "cannot go with another answer" in messages_of(error, "substance_use")


def test_a_group_closes_only_without_participants_in_progress(cast):
    file = start(cast, walk_in(cast))
    group = group_of(cast)
    in_group(cast, file, group)
    with pytest.raises(ValidationError):
        services.group_close(actor=actor(cast.counsellor), group_id=group.pk)
    services.settings_update(actor=actor(cast.counsellor), completion_hours=Decimal("2"))
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.COMPLETED)
    closed = services.group_close(actor=actor(cast.counsellor), group_id=group.pk)
    assert closed.closed_on is not None and audited("update", closed)


def test_another_programme_cannot_touch_the_files(cast):
    from relais.conftest import make_agency, make_user

    other = make_user("other_counsellor", make_agency("other-programme",
                                                      "perpetrator_programme"),
                      "programme_counsellor")
    file = walk_in(cast)
    with pytest.raises(Http404):
        interview(cast.__class__(**{**cast.__dict__, "counsellor": other}), file)
    with pytest.raises(Http404):
        services.file_change_status(actor=actor(other), file_id=file.pk,
                                    status=FileStatus.PREPARATORY)
