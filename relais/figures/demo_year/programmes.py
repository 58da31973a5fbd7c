"""The year's perpetrator-programme files: participants, files, status changes and
activities (relais.figures.demo_year)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from relais.audit.models import Action
from relais.core.synthetic import FIRST_NAMES_M, LAST_NAMES
from relais.figures.demo_year.records import (
    TEXTS,
    Network,
    Story,
    YearOfFigures,
    month_starts,
    pick,
)
from relais.programmes.models import (
    Activity,
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    Group,
    GroupFormat,
    InterruptionReason,
    JudicialMeasure,
    Participant,
    ProgrammeFile,
    Route,
    StatusChange,
    Substance,
)
from relais.programmes.services import settings_for

INTERRUPTIONS = ((InterruptionReason.ABSENCES, 0.35), (InterruptionReason.NON_RECOGNITION, 0.2),
                 (InterruptionReason.END_OF_MEASURE, 0.15),
                 (InterruptionReason.UNAVAILABILITY, 0.15), (InterruptionReason.UNSUITED, 0.1),
                 (InterruptionReason.OTHER, 0.05))
PROGRAMME_FILES_PER_MONTH = 3
INTERVIEW_HOURS = Decimal("1.5")


class ProgrammeYear:
    """The network's perpetrator programme over the year: about three requests a month."""

    def __init__(self, year: YearOfFigures, network: Network) -> None:
        self.year = year
        self.rng = year.rng
        self.network = network

    def write(self) -> int:
        network = self.network
        programme, counsellor = network.programme, network.counsellor
        if programme is None or counsellor is None:
            return 0
        rules = settings_for(programme)
        self.completion_hours = rules.completion_hours
        open_format = GroupFormat.objects.filter(agency=programme, kind=FormatKind.OPEN,
                                                 active=True).first()
        if open_format is None:
            return 0
        year = self.year
        group = Group(agency=programme, format=open_format,
                      name=TEXTS[network.language]["group"], start_date=year.start,
                      created_by=counsellor,
                      created_at=timezone.make_aware(datetime.combine(year.start, time(9))))
        if Group.objects.filter(agency=programme, name=group.name).exists():
            return 0
        group.save()
        files, participants, changes, activities = self.plan(group, rules.min_interviews,
                                                             open_format)
        Participant.objects.bulk_create(participants)
        ProgrammeFile.objects.bulk_create(files)
        StatusChange.objects.bulk_create(changes)
        Activity.objects.bulk_create(activities)
        for participant in participants:
            year.event(counsellor, Action.CREATE, participant, basis="programme participant")
        for file in files:
            year.event(counsellor, Action.CREATE, file, case_id=file.case.pk if file.case
                       else None, basis=f"programme file ({file.route})")
        for change in changes:
            year.event(counsellor, Action.CREATE, change,
                       case_id=change.file.case.pk if change.file.case else None,
                       basis="programme status change")
        return len(files)

    def _forwarded_cases(self) -> list[Story]:
        office = self.network.office
        return [s for s in self.year.stories if s.network is self.network and any(
            r.forwarded_to is not None and r.forwarded_to == office for r in s.reports)]

    def plan(self, group: Group, min_interviews: int, open_format: GroupFormat):
        rng, year, network = self.rng, self.year, self.network
        counsellor = network.counsellor
        judicial = self._forwarded_cases()
        informed = [s for s in year.stories if s.network is network and s not in judicial]
        rng.shuffle(judicial)
        rng.shuffle(informed)
        months = list(month_starts(year.start, year.end))
        files, participants, changes, activities = [], [], [], []
        for _ in range(PROGRAMME_FILES_PER_MONTH * len(months)):
            route = pick(rng, ((Route.JUDICIAL, 0.55), (Route.POLICE_INFORMATION, 0.2),
                                (Route.VOLUNTARY, 0.25)))
            story = None
            if route == Route.JUDICIAL and judicial:
                story = judicial.pop()
                forwarded = min(r.forwarded_at for r in story.reports if r.forwarded_at)
                requested_on = (timezone.localdate(forwarded)
                                + timedelta(days=rng.randint(20, 60)))
            elif route == Route.POLICE_INFORMATION and informed:
                story = informed.pop()
                requested_on = (timezone.localdate(story.reports[0].created_at)
                                + timedelta(days=rng.randint(3, 25)))
            else:
                route = Route.VOLUNTARY
                requested_on = year.start + timedelta(days=rng.randint(0, (year.end
                                                                           - year.start).days))
            if requested_on > year.today:
                continue
            if story is not None:
                person = story.perpetrator
                participant = Participant(
                    agency=network.programme, person=person, first_name=person.first_name,
                    last_name=person.last_name, birth_date=person.birth_date,
                    language=network.language, created_by=counsellor)
            else:
                participant = Participant(
                    agency=network.programme, first_name=rng.choice(FIRST_NAMES_M),
                    last_name=f"{rng.choice(LAST_NAMES)}-{network.label}",
                    birth_date=date(rng.randint(1960, 2004), rng.randint(1, 12),
                                    rng.randint(1, 28)),
                    language=network.language, created_by=counsellor)
            at = timezone.make_aware(datetime.combine(requested_on, time(10)))
            participant.created_at = at
            file = ProgrammeFile(
                agency=network.programme, participant=participant, route=route,
                case=story.case if story is not None else None, requested_on=requested_on,
                status=FileStatus.WAITING, status_at=at,
                substance_use=self._substances(), created_by=counsellor, created_at=at)
            if route == Route.JUDICIAL:
                file.judicial_measure = pick(rng, (
                    (JudicialMeasure.PROBATION, 0.4), (JudicialMeasure.PENAL_MEDIATION, 0.25),
                    (JudicialMeasure.AUTONOMOUS_PROBATION, 0.15),
                    (JudicialMeasure.PRETRIAL_ALTERNATIVE, 0.2)))
                file.prosecutor_office = network.office
                file.house_of_justice = network.house_of_justice
                file.justice_assistant = network.justice_assistant
                file.judicial_district = network.office.arrondissement if network.office else ""
                file.mandate_reference = (f"DEMO/{network.key.upper()}/{requested_on.year}/"
                                          f"{len(files) + 100:03d}")
            participants.append(participant)
            files.append(file)
            changes.append(StatusChange(file=file, from_status="", to_status=FileStatus.WAITING,
                                        at=at, by=counsellor))
            activities += self._progress(file, group, min_interviews, open_format, changes)
        return files, participants, changes, activities

    def _substances(self) -> list[str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return [Substance.NONE]
        if roll < 0.42:
            return [Substance.UNKNOWN]
        used = [s for s, chance in ((Substance.ALCOHOL, 0.75), (Substance.DRUGS, 0.3),
                                    (Substance.MEDICATION, 0.08)) if rng.random() < chance]
        return used or [Substance.ALCOHOL]

    def _progress(self, file: ProgrammeFile, group: Group, min_interviews: int,
                  open_format: GroupFormat, changes: list[StatusChange]) -> list[Activity]:
        """Move the file on as far as its age allows: interviews, the group, the end."""
        rng, today, counsellor = self.rng, self.year.today, self.network.counsellor
        activities: list[Activity] = []

        def change(to_status: str, day: date, reason: str = "", note: str = "") -> None:
            at = timezone.make_aware(datetime.combine(day, time(16)))
            changes.append(StatusChange(file=file, from_status=file.status, to_status=to_status,
                                        at=at, by=counsellor, reason=reason, note=note))
            file.status, file.status_at = to_status, at

        def activity(kind: str, day: date, hours: Decimal, attended: bool) -> None:
            activities.append(Activity(
                file=file, kind=kind, group=group if kind == ActivityKind.GROUP_SESSION else None,
                occurred_on=day, scheduled_hours=hours,
                attendance=Attendance.ATTENDED if attended else Attendance.ABSENT,
                attended_hours=hours if attended else Decimal(0), recorded_by=counsellor,
                recorded_at=timezone.make_aware(datetime.combine(day, time(18)))))

        def stop(day: date) -> None:
            reason = pick(rng, INTERRUPTIONS)
            note = TEXTS[self.network.language]["other_reason"] \
                if reason == InterruptionReason.OTHER else ""
            change(FileStatus.INCOMPLETE, day, reason, note)
            file.closed_on, file.interruption_reason, file.interruption_note = day, reason, note

        started = file.requested_on + timedelta(days=rng.randint(10, 45))
        if started > today - timedelta(days=3):
            return activities  # still on the waiting list
        if rng.random() < 0.1:  # he never came to the first interview
            stop(started)
            return activities
        change(FileStatus.PREPARATORY, started)
        file.started_on = started
        day = started
        for _ in range(min_interviews):
            activity(ActivityKind.INTERVIEW, day, INTERVIEW_HOURS, True)
            day += timedelta(days=rng.randint(7, 14))
        joined = max(day, group.start_date)
        if joined > today - timedelta(days=2):
            return activities
        change(FileStatus.IN_PROGRESS, joined)
        file.group, file.group_joined_on = group, joined
        hours = INTERVIEW_HOURS * min_interviews
        needed = self.completion_hours
        gives_up = rng.random() < 0.35
        session = joined
        absences = 0
        while session <= today - timedelta(days=1):
            attended = rng.random() < (0.6 if gives_up else 0.93)
            activity(ActivityKind.GROUP_SESSION, session, open_format.hours_per_session,
                     attended)
            if attended:
                hours += open_format.hours_per_session
            else:
                absences += 1
            if gives_up and absences >= 3:
                stop(min(session + timedelta(days=7), today))
                return activities
            if hours >= needed:
                change(FileStatus.COMPLETED, session)
                file.closed_on = session
                return activities
            session += timedelta(days=7)
        return activities
