"""Perpetrator programmes (the Praxis model): participant → file → activities.

A programme agency (Praxis, a CAW programme) keeps, for each alleged perpetrator it receives,
a participant record and one file per mandate or request. A file enters on the waiting list,
starts with individual interviews (the preparatory phase), goes on in a group, and ends
completed (the threshold of attended hours reached) or incomplete (with the reason). The rules
practitioners own — the threshold, the interviews before a group, the group formats — are data
on the programme's settings.

The programme never holds the victim's contact details or whereabouts: a file names only the
participant and the judicial mandate.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import WORKING_LANGUAGES, Agency
from relais.cases.models import Case, Person


class Route(models.TextChoices):
    """How the participant came to the programme."""

    JUDICIAL = "judicial", _("Judicial mandate")
    VOLUNTARY = "voluntary", _("Voluntary")
    POLICE_INFORMATION = "police_information", _("Police information")


class JudicialMeasure(models.TextChoices):
    PROBATION = "probation", _("Probation")
    PENAL_MEDIATION = "penal_mediation", _("Penal mediation")
    AUTONOMOUS_PROBATION = "autonomous_probation", _("Autonomous probation sentence")
    PRETRIAL_ALTERNATIVE = "pretrial_alternative", _("Alternative to pre-trial detention")


class FileStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    PREPARATORY = "preparatory", _("Preparatory (individual interviews)")
    IN_PROGRESS = "in_progress", _("In progress (group)")
    COMPLETED = "completed", _("Completed")
    INCOMPLETE = "incomplete", _("Incomplete")


OPEN_STATUSES = (FileStatus.WAITING, FileStatus.PREPARATORY, FileStatus.IN_PROGRESS)
CLOSED_STATUSES = (FileStatus.COMPLETED, FileStatus.INCOMPLETE)


class InterruptionReason(models.TextChoices):
    ABSENCES = "absences", _("Absences")
    END_OF_MEASURE = "end_of_measure", _("End of the judicial measure")
    UNSUITED = "unsuited", _("Unsuited to the group")
    NON_RECOGNITION = "non_recognition", _("Non-recognition of the facts")
    UNAVAILABILITY = "unavailability", _("Unavailability")
    OTHER = "other", _("Other")


class Substance(models.TextChoices):
    """Substance use at the time of the facts (several may apply)."""

    ALCOHOL = "alcohol", _("Alcohol")
    DRUGS = "drugs", _("Drugs")
    MEDICATION = "medication", _("Medication")
    NONE = "none", _("None")
    UNKNOWN = "unknown", _("Unknown")


class ActivityKind(models.TextChoices):
    INTERVIEW = "interview", _("Individual interview")
    GROUP_SESSION = "group_session", _("Group session")
    CALL = "call", _("Call")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class FormatKind(models.TextChoices):
    OPEN = "open", _("Open group (rolling entry)")
    CLOSED = "closed", _("Closed group (one cohort)")


HOURS = {"max_digits": 5, "decimal_places": 2}


class ProgrammeSettings(models.Model):
    """The rules of one programme agency (seeded with the Praxis defaults, editable)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE,
                                  related_name="programme_settings")
    completion_hours = models.DecimalField(
        _("hours attended for completion"), **HOURS, default=Decimal("44"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("500"))])
    min_interviews = models.PositiveSmallIntegerField(
        _("individual interviews attended before a group"), default=2,
        validators=[MaxValueValidator(10)])
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum participants in a group"), default=9,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("A smaller group is shown with a warning; it is not refused."))
    count_calls = models.BooleanField(
        _("calls count towards the hours"), default=False,
        help_text=_("Interviews and group sessions always count."))
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme settings")

    def __str__(self) -> str:
        return f"settings of {self.agency}"

    @property
    def counted_kinds(self) -> list[str]:
        kinds = [ActivityKind.INTERVIEW, ActivityKind.GROUP_SESSION]
        return [*kinds, ActivityKind.CALL] if self.count_calls else kinds


class GroupFormat(models.Model):
    """A kind of group a programme runs: open (21 weekly sessions of 2 h) or closed (42 h over
    six Saturdays)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="group_formats")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=FormatKind.choices)
    sessions = models.PositiveSmallIntegerField(
        _("number of sessions"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    hours_per_session = models.DecimalField(
        _("hours per session"), **HOURS,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("12"))])
    schedule = models.CharField(_("rhythm"), max_length=100, blank=True,
                                help_text=_("For example: weekly, on six Saturdays."))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("group format")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="group_format_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_hours(self) -> Decimal:
        return self.sessions * self.hours_per_session


class Group(models.Model):
    """One group of a programme: a format, a start date, its members (files)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="programme_groups")
    format = models.ForeignKey(GroupFormat, on_delete=models.PROTECT, related_name="groups",
                               verbose_name=_("format"))
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme group")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="programme_group_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Participant(models.Model):
    """The person a programme works with: the alleged perpetrator of a Relais case, or someone
    who came of his own accord (then his identity is held here only)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE,
                               related_name="programme_participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+",
                               help_text=_("The alleged perpetrator in a Relais case."))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("his phone number"), max_length=30, blank=True)
    language = models.CharField(_("language of the programme"), max_length=2,
                                choices=WORKING_LANGUAGES, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme participant")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "person"], condition=Q(person__isnull=False),
                                    name="participant_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ProgrammeFile(models.Model):
    """One mandate or request: from the waiting list to completed or incomplete."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="programme_files")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="files",
                                    verbose_name=_("participant"))
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    judicial_measure = models.CharField(_("judicial measure"), max_length=24,
                                        choices=JudicialMeasure.choices, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="programme_files")
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="programme_file")
    prosecutor_office = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("mandating prosecutor's office"))
    house_of_justice = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("house of justice"))
    justice_assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("justice assistant"))
    judicial_district = models.CharField(_("judicial district"), max_length=40, blank=True)
    mandate_reference = models.CharField(_("mandate reference"), max_length=60, blank=True)
    requested_on = models.DateField(_("request or mandate received on"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    closed_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(_("progress"), max_length=12, choices=FileStatus.choices,
                              default=FileStatus.WAITING)
    status_at = models.DateTimeField(_("status since"))
    interruption_reason = models.CharField(_("interruption reason"), max_length=20,
                                           choices=InterruptionReason.choices, blank=True)
    interruption_note = models.CharField(_("interruption, in words"), max_length=300,
                                         blank=True)
    substance_use = models.JSONField(_("substance use at the time of the facts"), default=list,
                                     blank=True)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="files", verbose_name=_("group"))
    group_joined_on = models.DateField(_("in the group since"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme file")
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "requested_on"],
                         name="programme_file_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="programme_file_judicial_has_measure",
                condition=~Q(route="judicial") | ~Q(judicial_measure=""),
            ),
            models.CheckConstraint(
                name="programme_file_incomplete_has_reason",
                condition=~Q(status="incomplete") | ~Q(interruption_reason=""),
            ),
            models.CheckConstraint(
                name="programme_file_started_after_request",
                condition=Q(started_on__isnull=True) | Q(started_on__gte=models.F("requested_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"programme file {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def reports_to_justice(self) -> bool:
        """Status changes go to the justice assistant and the mandating office."""
        return self.route == Route.JUDICIAL and self.case_id is not None

    @property
    def substance_labels(self) -> list[str]:
        labels = dict(Substance.choices)
        return [str(labels[code]) for code in self.substance_use if code in labels]


class Activity(models.Model):
    """An individual interview, a group session or a call, and whether he attended."""

    file = models.ForeignKey(ProgrammeFile, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("activity"), max_length=16, choices=ActivityKind.choices)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="sessions")
    occurred_on = models.DateField(_("date"))
    scheduled_hours = models.DecimalField(_("duration (hours)"), **HOURS)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices)
    attended_hours = models.DecimalField(_("hours attended"), **HOURS)
    note = models.TextField(_("note"), max_length=2000, blank=True,
                            help_text=_("Kept in the programme: never shown to the justice "
                                        "assistant or the prosecutor's office."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme activity")
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["file", "kind"], name="programme_activity_file_idx")]
        constraints = [
            models.CheckConstraint(name="activity_hours_not_negative",
                                   condition=Q(attended_hours__gte=0, scheduled_hours__gt=0)),
            models.CheckConstraint(name="activity_attended_within_scheduled",
                                   condition=Q(attended_hours__lte=models.F("scheduled_hours"))),
            models.CheckConstraint(name="activity_no_hours_when_absent",
                                   condition=Q(attendance="attended") | Q(attended_hours=0)),
            models.CheckConstraint(name="activity_group_session_has_group",
                                   condition=~Q(kind="group_session") | Q(group__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"


class StatusChange(models.Model):
    """Each change of a file's progress, why, and to whom it was reported (or why not)."""

    file = models.ForeignKey(ProgrammeFile, on_delete=models.CASCADE,
                             related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=FileStatus.choices, blank=True)
    to_status = models.CharField(_("progress"), max_length=12, choices=FileStatus.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("interruption reason"), max_length=20,
                              choices=InterruptionReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_to = models.JSONField(_("reported to"), default=list, blank=True)
    not_reported = models.JSONField(_("not reported, and why"), default=list, blank=True)

    class Meta:
        verbose_name = _("programme status change")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.to_status}"
