"""Perpetrator programmes: groups and their sessions, and the activities of a file (interviews,
calls, group sessions) that count towards completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.access.programmes import (
    require_counsellor,
)
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.programmes.models import (
    CLOSED_STATUSES,
    Activity,
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    Group,
    GroupFormat,
    ProgrammeFile,
    ProgrammeSettings,
    StatusChange,
)
from relais.programmes.services.files import (
    MAX_HOURS_PER_ACTIVITY,
    ZERO,
    _locked_file,
    _record_change,
    closed_error,
    format_hours,
    interviews_attended,
    settings_for,
)

# --- Groups ---------------------------------------------------------------------------------

def _group_of(actor: Actor, group_id: int, *, lock: bool = False) -> Group:
    require_counsellor(actor)
    qs = Group.objects.select_related("format").filter(pk=group_id, agency_id=actor.agency_id)
    if lock:
        qs = qs.select_for_update(of=("self",))
    group = qs.first()
    if group is None:
        raise Http404
    return group


def group_members(group: Group) -> QuerySet[ProgrammeFile]:
    return group.files.filter(status=FileStatus.IN_PROGRESS)


def size_warning(name: str, members: int, minimum: int) -> str:
    return ngettext(
        "%(group)s has %(members)d participant; the programme's minimum is %(minimum)d.",
        "%(group)s has %(members)d participants; the programme's minimum is %(minimum)d.",
        members) % {"group": name, "members": members, "minimum": minimum}


def group_size_warning(group: Group, rules: ProgrammeSettings) -> str:
    """A group under the programme's minimum is shown with a warning (not refused)."""
    members = group_members(group).count()
    if members >= rules.min_group_size:
        return ""
    return size_warning(group.name, members, rules.min_group_size)


@transaction.atomic
def group_create(*, actor: Actor, format_id: int, name: str, start_date: date) -> Group:
    require_counsellor(actor)
    group_format = GroupFormat.objects.filter(pk=format_id, agency=actor.agency,
                                              active=True).first()
    errors: dict[str, list[str]] = {}
    if group_format is None:
        errors["format"] = [_("Choose a format the programme uses.")]
    if not name.strip():
        errors["name"] = [_("Give the group a name.")]
    elif Group.objects.filter(agency=actor.agency, name__iexact=name.strip()).exists():
        errors["name"] = [_("Another group of the programme has this name.")]
    if errors:
        raise ValidationError(errors)
    group = Group.objects.create(agency=actor.agency, format=group_format, name=name.strip(),
                                 start_date=start_date, created_by=actor.user)
    audit_record(actor=actor, action=Action.CREATE, target=group, basis="programme group")
    return group


@transaction.atomic
def group_close(*, actor: Actor, group_id: int, closed_on: date | None = None) -> Group:
    """Close a group once none of its members is still in progress in it."""
    group = _group_of(actor, group_id, lock=True)
    if group.closed_on is not None:
        raise ValidationError(_("This group is already closed."))
    day = closed_on or timezone.localdate()
    members = group_members(group).count()
    if members:
        raise ValidationError(_(
            "%(count)d participants are still in progress in this group: complete or end "
            "their files first.") % {"count": members})
    if day < group.start_date:
        raise ValidationError({"closed_on": [_("A group closes after its start.")]})
    group.closed_on = day
    group.save(update_fields=["closed_on"])
    audit_record(actor=actor, action=Action.UPDATE, target=group, basis="programme group closed")
    return group


@dataclass(frozen=True)
class Joined:
    file: ProgrammeFile
    change: StatusChange
    warning: str


@transaction.atomic
def file_join_group(*, actor: Actor, file_id: int, group_id: int | None,
                    joined_on: date | None = None) -> Joined:
    """Put a participant in a group: after the programme's minimum of individual interviews
    attended. The file is then in progress. A group under its minimum size is a warning."""
    file = _locked_file(actor, file_id)
    if file.status in CLOSED_STATUSES:
        raise closed_error(file)
    rules = settings_for(actor.agency)
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    group = Group.objects.select_related("format").filter(
        pk=group_id, agency=actor.agency).first() if group_id else None
    day = joined_on or timezone.localdate()
    if file.status == FileStatus.WAITING:
        add("group", _("He is still on the waiting list: start the file and hold the individual "
                       "interviews first."))
    elif file.status == FileStatus.IN_PROGRESS:
        add("group", _("He is already in %(group)s.") % {"group": file.group})
    else:
        attended = interviews_attended(file, by=day)
        if attended < rules.min_interviews:
            add("group", _("At least %(minimum)d individual interviews attended come before a "
                           "group; he has attended %(count)d by %(day)s.") % {
                "minimum": rules.min_interviews, "count": attended,
                "day": date_format(day, "SHORT_DATE_FORMAT")})
    if group is None:
        add("group", _("Choose one of the programme's groups."))
    elif group.closed_on is not None:
        add("group", _("This group is closed."))
    elif group.format.kind == FormatKind.CLOSED and day > group.start_date:
        add("joined_on", _("A closed group takes no one in after its start (%(day)s).")
            % {"day": date_format(group.start_date, "SHORT_DATE_FORMAT")})
    if day > timezone.localdate():
        add("joined_on", _("The date cannot be in the future."))
    elif file.started_on and day < file.started_on:
        add("joined_on", _("The date cannot be before the start of the file (%(day)s).")
            % {"day": date_format(file.started_on, "SHORT_DATE_FORMAT")})
    if errors:
        raise ValidationError(errors)
    from_status = file.status
    file.group, file.group_joined_on = group, day
    file.status, file.status_at = FileStatus.IN_PROGRESS, timezone.now()
    file.save()
    audit_record(actor=actor, action=Action.UPDATE, target=file, case_id=file.case_id,
                 basis=f"programme file: joined group {group.pk}")
    change = _record_change(actor=actor, file=file, from_status=from_status, reason="",
                            note=group.name)
    return Joined(file=file, change=change, warning=group_size_warning(group, rules))


# --- Activities --------------------------------------------------------------------------------

def _activity_errors(*, file: ProgrammeFile, kind: str, occurred_on: date | None,
                     scheduled: Decimal | None, attendance: str,
                     attended: Decimal | None) -> tuple[dict[str, list[str]], Decimal]:
    """Everything that makes an activity's hours not add up, field by field; and the hours
    attended to record (all of them when he attended and none were given)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if kind not in ActivityKind.values:
        add("kind", _("Choose the kind of activity."))
    if attendance not in Attendance.values:
        add("attendance", _("Say whether he attended."))
    if occurred_on is None:
        add("occurred_on", _("Give the date."))
    elif occurred_on > timezone.localdate():
        add("occurred_on", _("An activity is recorded once it has taken place: the date cannot "
                             "be in the future."))
    elif occurred_on < file.requested_on:
        add("occurred_on", _("The date cannot be before the request (%(day)s).")
            % {"day": date_format(file.requested_on, "SHORT_DATE_FORMAT")})
    if scheduled is None:
        add("scheduled_hours", _("Give how long it lasted, in hours."))
    elif scheduled < 0:
        add("scheduled_hours", _("Hours cannot be negative."))
    elif scheduled == 0:
        add("scheduled_hours", _("Give how long it lasted, in hours (more than 0)."))
    elif scheduled > MAX_HOURS_PER_ACTIVITY:
        add("scheduled_hours", _("One activity lasts at most %(max)s h.")
            % {"max": format_hours(MAX_HOURS_PER_ACTIVITY)})
    if attended is None:
        attended = scheduled if attendance == Attendance.ATTENDED and scheduled else ZERO
    elif attended < 0:
        add("attended_hours", _("Hours cannot be negative."))
    elif attendance != Attendance.ATTENDED and attended > 0:
        add("attended_hours", _("Absent or excused means no hours attended: record him as "
                                "attended for the hours he was there."))
    elif attendance == Attendance.ATTENDED and attended == 0:
        add("attended_hours", _("Attended with no hours: record him as absent, or give the "
                                "hours he was there."))
    elif scheduled is not None and scheduled > 0 and attended > scheduled:
        add("attended_hours", _("He cannot attend %(attended)s h of an activity of %(scheduled)s "
                                "h.") % {"attended": format_hours(attended),
                                         "scheduled": format_hours(scheduled)})
    return errors, attended


def _group_session_errors(*, file: ProgrammeFile, group: Group | None, occurred_on: date | None,
                          scheduled: Decimal | None) -> dict[str, list[str]]:
    """A group session: he is in the group, the session fits its format, and a closed group's
    sessions do not run past the format's total."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if group is None or file.status != FileStatus.IN_PROGRESS or file.group_id != group.pk:
        add("kind", _("He is not in a group: add him to a group before recording its "
                      "sessions."))
        return errors
    if occurred_on and occurred_on < (file.group_joined_on or group.start_date):
        add("occurred_on", _("He joined the group on %(day)s: a session before does not count.")
            % {"day": date_format(file.group_joined_on or group.start_date,
                                  "SHORT_DATE_FORMAT")})
    group_format = group.format
    if scheduled is None or scheduled <= 0:
        return errors
    if scheduled > group_format.hours_per_session:
        add("scheduled_hours", _("The sessions of %(format)s last %(hours)s h: a session cannot "
                                 "last %(scheduled)s h.") % {
            "format": group_format.name, "hours": format_hours(group_format.hours_per_session),
            "scheduled": format_hours(scheduled)})
    if occurred_on and file.activities.filter(kind=ActivityKind.GROUP_SESSION, group=group,
                                              occurred_on=occurred_on).exists():
        add("occurred_on", _("A session of this group on this day is already recorded for "
                             "him."))
    if group_format.kind == FormatKind.CLOSED:
        so_far = file.activities.filter(kind=ActivityKind.GROUP_SESSION, group=group).aggregate(
            total=Sum("scheduled_hours"))["total"] or ZERO
        if so_far + scheduled > group_format.total_hours:
            add("scheduled_hours", _(
                "%(format)s runs %(total)s h in all; %(so_far)s h of sessions are already "
                "recorded for him: %(scheduled)s h more would exceed it.") % {
                "format": group_format.name, "total": format_hours(group_format.total_hours),
                "so_far": format_hours(so_far), "scheduled": format_hours(scheduled)})
    return errors


def _check_file_open_for(file: ProgrammeFile, kind: str) -> None:
    if file.status in CLOSED_STATUSES:
        raise closed_error(file)
    if file.status == FileStatus.WAITING and kind != ActivityKind.CALL:
        raise ValidationError({"kind": [_(
            "He is on the waiting list: start the file before recording interviews or "
            "sessions (a call can be recorded).")]})


@transaction.atomic
def activity_record(*, actor: Actor, file_id: int, kind: str, occurred_on: date | None,
                    scheduled_hours: Decimal | None, attendance: str,
                    attended_hours: Decimal | None = None, note: str = "") -> Activity:
    """Record an interview, a group session or a call of one file. Hours that do not add up
    are refused with the reason; nothing is saved then."""
    file = _locked_file(actor, file_id)
    _check_file_open_for(file, kind)
    errors, attended = _activity_errors(file=file, kind=kind, occurred_on=occurred_on,
                                        scheduled=scheduled_hours, attendance=attendance,
                                        attended=attended_hours)
    group = None
    if kind == ActivityKind.GROUP_SESSION:
        group = file.group
        for name, messages in _group_session_errors(
                file=file, group=group, occurred_on=occurred_on,
                scheduled=scheduled_hours).items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    activity = Activity(file=file, kind=kind, group=group, occurred_on=occurred_on,
                        scheduled_hours=scheduled_hours, attendance=attendance,
                        attended_hours=attended, note=note.strip(), recorded_by=actor.user)
    activity.full_clean(exclude=["file", "group", "recorded_by"])
    activity.save()
    audit_record(actor=actor, action=Action.CREATE, target=activity, case_id=file.case_id,
                 basis=f"programme activity: {kind}")
    return activity


# A session's own fields (the others are about one member).
SESSION_FIELDS = {"occurred_on": "occurred_on", "scheduled_hours": "hours"}


@dataclass(frozen=True)
class MemberAttendance:
    file_id: int
    attendance: str
    attended_hours: Decimal | None = None


@transaction.atomic
def group_session_record(*, actor: Actor, group_id: int, occurred_on: date | None,
                         hours: Decimal | None, members: list[MemberAttendance],
                         note: str = "") -> list[Activity]:
    """One session of a group, with each member's attendance: one activity per member, all
    or none (a member's hours that do not add up are named with him)."""
    group = _group_of(actor, group_id, lock=True)
    if group.closed_on is not None:
        raise ValidationError(_("This group is closed."))
    files = {file.pk: file for file in group_members(group).select_for_update(of=("self",))
             .select_related("participant", "group", "group__format")}
    errors: dict[str, list[str]] = {}
    if not members:
        errors["__all__"] = [_("The group has no participant in progress.")]
    prepared = []
    for member in members:
        file = files.get(member.file_id)
        if file is None:
            raise Http404
        found, attended = _activity_errors(
            file=file, kind=ActivityKind.GROUP_SESSION, occurred_on=occurred_on,
            scheduled=hours, attendance=member.attendance, attended=member.attended_hours)
        for name, messages in _group_session_errors(file=file, group=group,
                                                    occurred_on=occurred_on,
                                                    scheduled=hours).items():
            found.setdefault(name, []).extend(messages)
        for name, messages in found.items():
            target = SESSION_FIELDS.get(name, f"member_{file.pk}")
            for message in messages:
                text = message if name in SESSION_FIELDS else f"{file.participant}: {message}"
                if text not in errors.get(target, []):
                    errors.setdefault(target, []).append(text)
        prepared.append((file, member, attended))
    if errors:
        raise ValidationError(errors)
    made = []
    for file, member, attended in prepared:
        activity = Activity.objects.create(
            file=file, kind=ActivityKind.GROUP_SESSION, group=group, occurred_on=occurred_on,
            scheduled_hours=hours, attendance=member.attendance, attended_hours=attended,
            note=note.strip(), recorded_by=actor.user)
        audit_record(actor=actor, action=Action.CREATE, target=activity, case_id=file.case_id,
                     basis="programme activity: group session")
        made.append(activity)
    return made
