"""Follow-up of the victim: tasks with deadlines, the contact attempts on them, zone policies.

A task is one thing someone must do for a victim by a given time (domain brief §3.2): the
victim-assistance contact after a complaint, the day-2 proactive contact, the EVA call-back
after an information report, the revisit of circular COL 20/2020, a risk reassessment, a crisis
re-contact. It belongs to an agency (the police zone), optionally to a team (unit) or a role
there, and optionally to one person. Every contact attempt is kept; a task is closed only by an
outcome that ends it, never by "she could not speak freely".
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency, Role, Unit
from relais.cases.models import Case, Person
from relais.core.texts import render


class TaskKind(models.TextChoices):
    VICTIM_ASSISTANCE_CONTACT = "victim_assistance_contact", _("Victim-assistance contact")
    DAY2_CONTACT = "day2_contact", _("Day-2 proactive contact")
    EVA_CALLBACK = "eva_callback", _("EVA call-back")
    REVISIT = "revisit", _("Revisit (COL 20/2020)")
    REASSESSMENT = "reassessment", _("Risk reassessment")
    CRISIS_RECONTACT = "crisis_recontact", _("Crisis re-contact")
    FURTHER_CONTACT = "further_contact", _("Further contact")
    # Protective measures (relais.measures, relais.alarms): domain brief §3.4.
    BAN_NOTIFY = "ban_notify", _("Residence ban: serve the notice")
    BAN_MONITOR = "ban_monitor", _("Residence ban: monitor")
    BAN_EXPIRY = "ban_expiry", _("Residence ban: expiry or extension")
    RELEASE_WARNING = "release_warning", _("Release: warn the victim")
    ALARM_REVIEW = "alarm_review", _("Harassment alarm: periodic review")
    ALARM_RETURN = "alarm_return", _("Harassment alarm: collect the device")
    # The multi-agency consultation's safety plan (relais.consultation).
    CONSULTATION_ACTION = "consultation_action", _("Safety-plan action (consultation)")
    # The child reflex of a crisis (schools closed): relais.followup.child_reflex.
    CHILD_CHECK = "child_check", _("Check on the children")
    # The red list for dispatch (relais.redlist).
    REDLIST_REVIEW = "redlist_review", _("Red list: review the entry before it expires")
    # A migrant victim's residence that depends on the partner (relais.safeguards).
    RESIDENCE_APPLICATION = "residence_application", _(
        "Residence: help her apply to the Immigration Office")


# Tasks that reach the victim herself (safe-contact rules apply).
CONTACT_KINDS = frozenset(TaskKind.values) - {
    TaskKind.REASSESSMENT, TaskKind.BAN_NOTIFY, TaskKind.BAN_MONITOR, TaskKind.BAN_EXPIRY,
    TaskKind.CONSULTATION_ACTION, TaskKind.REDLIST_REVIEW}
# The first contacts the roadmap's second indicator measures (report → SAPV / EVA contact).
FIRST_CONTACT_KINDS = frozenset({TaskKind.VICTIM_ASSISTANCE_CONTACT, TaskKind.DAY2_CONTACT,
                                 TaskKind.EVA_CALLBACK})


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    UNREACHABLE = "unreachable", _("Unreachable (retry scheduled)")
    NOT_FREE = "not_free", _("She could not speak freely (rescheduled)")
    DECLINED = "declined", _("Declined by the victim")
    WOULD_ENDANGER = "would_endanger", _("Not done: it would endanger the victim")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    BLOCKED = "blocked", _("Blocked: it cannot be done for now (say why)")
    # Only on a child check: done, with a concern for a child (youth aid is to be notified).
    CONCERN = "concern", _("Done: concern for a child (notify youth aid)")


# Outcomes that keep the task open and move it; the others close it.
RESCHEDULING = frozenset({Outcome.UNREACHABLE, Outcome.NOT_FREE})
CLOSING = frozenset(Outcome.values) - RESCHEDULING


class Priority(models.IntegerChoices):
    """From the risk level in force on the case (its newest full assessment)."""

    NORMAL = 0, _("Normal")
    RAISED = 1, _("Raised (moderate risk)")
    HIGH = 2, _("High risk")
    URGENT = 3, _("Very high risk")


class RevisitFormat(models.TextChoices):
    PHONE = "phone", _("Telephone")
    HOME_VISIT = "home_visit", _("Home visit")
    OTHER = "other", _("Other (summons, letter, social worker)")


class RevisitBy(models.TextChoices):
    NEIGHBOURHOOD_OFFICER = "neighbourhood_officer", _("Neighbourhood officer")
    VICTIM_ASSISTANCE = "victim_assistance", _("Victim-assistance service (SAPV)")
    INTERVENTION_OFFICER = "intervention_officer", _("Intervention officer")
    IPV_REFERENCE_OFFICER = "ipv_reference_officer", _("IPV reference officer")
    SPECIFIC_UNIT = "specific_unit", _("A specific unit")


REVISIT_ROLES = {
    RevisitBy.NEIGHBOURHOOD_OFFICER: Role.NEIGHBOURHOOD_OFFICER,
    RevisitBy.VICTIM_ASSISTANCE: Role.VICTIM_ASSISTANCE_WORKER,
    RevisitBy.INTERVENTION_OFFICER: Role.INTERVENTION_OFFICER,
    RevisitBy.IPV_REFERENCE_OFFICER: Role.IPV_REFERENCE_OFFICER,
    RevisitBy.SPECIFIC_UNIT: "",
}


def _days(low: int, high: int) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


class ZonePolicy(models.Model):
    """How a police zone organises its follow-up; set by the zone's administrator.

    The revisit practice varies by zone (COL 20/2020 leaves it open), so delay, format and who
    does it are the zone's choice; each task keeps a copy of the policy it was made under.
    """

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="followup_policy")
    day_ends_at = models.TimeField(
        _("tasks due at"), default=time(18, 0),
        help_text=_("The time of day a task dated for a day is due (Europe/Brussels)."))
    day2_delay_days = models.PositiveSmallIntegerField(
        _("day-2 contact, days after the report"), default=2, validators=_days(1, 7))
    eva_callback_days = models.PositiveSmallIntegerField(
        _("EVA call-back within (days)"), default=2, validators=_days(0, 14))
    revisit_enabled = models.BooleanField(_("revisit after each report"), default=True)
    revisit_delay_days = models.PositiveSmallIntegerField(
        _("revisit, days after the report"), default=14, validators=_days(1, 90))
    revisit_format = models.CharField(_("revisit format"), max_length=12,
                                      choices=RevisitFormat.choices, default=RevisitFormat.PHONE)
    revisit_by = models.CharField(_("revisit done by"), max_length=24, choices=RevisitBy.choices,
                                  default=RevisitBy.NEIGHBOURHOOD_OFFICER)
    revisit_unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("unit doing revisits"))
    notify_sapv_of_revisit = models.BooleanField(
        _("notify the victim-assistance service of each revisit"), default=False)
    retry_after_hours = models.PositiveSmallIntegerField(
        _("retry an unreachable victim after (hours)"), default=24, validators=_days(1, 168))
    further_contact_days = models.PositiveSmallIntegerField(
        _("further contact after \"everything is fine\" on a high-risk case (days)"),
        default=7, validators=_days(1, 30))
    first_contact_target_hours = models.PositiveSmallIntegerField(
        _("target: first victim contact within (hours)"), default=48, validators=_days(1, 720))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("follow-up policy")
        constraints = [
            models.CheckConstraint(
                condition=~Q(revisit_by="specific_unit") | Q(revisit_unit__isnull=False),
                name="policy_specific_unit_named"),
        ]

    def __str__(self) -> str:
        return f"follow-up policy of {self.agency_id}"

    def clean(self) -> None:
        super().clean()
        if self.revisit_by == RevisitBy.SPECIFIC_UNIT:
            if self.revisit_unit_id is None:
                raise ValidationError({"revisit_unit": _("Name the unit that does revisits.")})
            if self.revisit_unit.agency_id != self.agency_id:
                raise ValidationError({"revisit_unit": _("Choose a unit of your zone.")})

    def snapshot(self) -> dict:
        """What a task shows of the policy it was made under."""
        return {"version": self.version, "revisit_format": self.revisit_format,
                "revisit_by": self.revisit_by, "revisit_delay_days": self.revisit_delay_days,
                "notify_sapv": self.notify_sapv_of_revisit,
                "revisit_unit": self.revisit_unit.name if self.revisit_unit_id else ""}


class Neighbourhood(models.Model):
    """A neighbourhood of a zone, by postcode, with its EVA representative and its officer."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="neighbourhoods")
    name = models.CharField(_("name"), max_length=100)
    postcodes = models.JSONField(_("postcodes"), default=list)
    eva_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("EVA representative"))
    neighbourhood_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("neighbourhood officer"))

    class Meta:
        verbose_name = _("neighbourhood")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"],
                                               name="neighbourhood_unique_name")]

    def __str__(self) -> str:
        return self.name


class CrisisSource(models.TextChoices):
    RECENT = "recent", _("Every recent victim")
    VULNERABLE = "vulnerable", _("The most vulnerable households")


class CrisisBatch(models.Model):
    """One crisis re-contact: revisit tasks for every recent victim of a zone, or for its most
    vulnerable households (relais.followup.vulnerable); undoable."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("households"), max_length=12, choices=CrisisSource.choices,
                              default=CrisisSource.RECENT)
    months = models.PositiveSmallIntegerField(_("months back"), validators=_days(1, 24),
                                              null=True, blank=True)
    no_contact_days = models.PositiveSmallIntegerField(_("no contact for (days)"), null=True,
                                                       blank=True, validators=_days(1, 365))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    task_count = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("crisis re-contact")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"crisis re-contact {self.pk}"


class Task(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=TaskKind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="tasks", verbose_name=_("team"))
    for_role = models.CharField(_("for"), max_length=32, choices=Role.choices, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="tasks",
                                 verbose_name=_("assigned to"))
    due_at = models.DateTimeField(_("due"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note"), max_length=2000, blank=True)
    # What Relais itself says of the outcome (relais.core.texts), e.g. closed by a newer
    # assessment; ``outcome_note`` is what the person wrote. Read ``outcome_text``.
    outcome_codes = models.JSONField(_("note"), default=list, blank=True)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    policy = models.JSONField(_("zone policy"), default=dict, blank=True)
    # Why the task exists, as codes with parameters (relais.followup.notes), shown in the
    # reader's language; ``note`` keeps the text of tasks made before codes.
    reason = models.JSONField(_("why"), default=list, blank=True)
    note = models.CharField(_("why"), max_length=300, blank=True)
    # Makes creation idempotent: "report:12:day2_contact", "reassess:40", "crisis:3:17:5".
    origin_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    follows = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    batch = models.ForeignKey(CrisisBatch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="tasks")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The children a child check is about (persons with the role "child" on the case), each
    # with her own needs and safe-contact instructions; named by link, never in the reason.
    children = models.ManyToManyField(Person, blank=True, related_name="+",
                                      verbose_name=_("children"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    # Why it was cancelled: Relais's own reasons as codes (relais.core.texts), the words of the
    # person who cancelled it (or the text of a task cancelled before codes) in
    # ``cancel_reason``. Read ``cancel_text``.
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancel_codes = models.JSONField(_("reason for cancelling"), default=list, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="task_queue_idx"),
            models.Index(fields=["assignee", "status", "due_at"], name="task_assignee_idx"),
            models.Index(fields=["case", "status"], name="task_case_idx"),
            models.Index(fields=["status", "due_at"], name="task_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(completed_at__isnull=False)
                                               & Q(outcome__in=sorted(CLOSING))),
                name="task_done_has_closing_outcome"),
            models.CheckConstraint(
                condition=~Q(outcome="would_endanger") | ~Q(outcome_note=""),
                name="task_endangering_needs_reason"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason="") | ~Q(cancel_codes=[]),
                name="task_cancel_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} task {self.pk} on {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def is_contact(self) -> bool:
        return self.kind in CONTACT_KINDS

    @property
    def why(self) -> str:
        """Why the task exists, in the reader's language."""
        return render(self.reason, fallback=self.note)

    @property
    def cancel_text(self) -> str:
        """Why it was cancelled, in the reader's language."""
        return render(self.cancel_codes, fallback=self.cancel_reason)

    @property
    def outcome_text(self) -> str:
        """What was noted on its outcome, in the reader's language."""
        return " ".join(part for part in (render(self.outcome_codes), self.outcome_note) if part)


class CouldSpeak(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_REACHED = "not_reached", _("She was not reached")


class ContactAttempt(models.Model):
    """One try at a task: reached or not, could she speak freely, what came of it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="contact_attempts")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    could_speak_freely = models.CharField(_("could she speak freely?"), max_length=12,
                                          choices=CouldSpeak.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    all_fine = models.BooleanField(_("she said everything is fine"), default=False)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    rescheduled_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact attempt")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"attempt on task {self.task_id}: {self.outcome}"


class ChildReflexStart(models.Model):
    """One start of the child reflex (schools closed, or a crisis whose kind says so): a child
    check on every open case with children of the agencies in scope (idempotent by ``key``)."""

    key = models.CharField(max_length=60, unique=True)
    trigger = models.CharField(_("why"), max_length=30)
    agency_ids = models.JSONField(_("agencies"), default=list)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    task_count = models.PositiveIntegerField(default=0)
    data_version = models.PositiveIntegerField(_("version of the legal bases"))

    class Meta:
        verbose_name = _("child reflex")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"child reflex {self.key}"
