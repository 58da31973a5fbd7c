"""The multi-agency consultation of the most dangerous cases (DIViCo, Espace VIF, Olista, the
Family Justice Centres; the MARAC model): bodies and their members, referrals on criteria,
meetings with their agenda and record, the joint safety plan and its actions.

Who may see or do what is the policy in relais.access.consultation; docs/consultation.md tells
the whole cycle.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.access.models import Share
from relais.accounts.models import Agency
from relais.cases.models import Case

# What a member's agenda row may show of a case (the protocol chooses among these). Never an
# address: a member checks its own records with the names and birth dates.
AGENDA_FIELDS = ("names", "birth_dates", "municipality", "children")


class Body(models.Model):
    """One consultation body (one per judicial district or province), run from the secretariat
    agency ``agency``: its platform coordinators run the body in Relais."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("secretariat"))
    area = models.CharField(_("area (judicial district or province)"), max_length=60)
    protocol_reference = models.CharField(_("protocol reference"), max_length=120)
    legal_basis = models.CharField(_("legal framework"), max_length=200,
                                   default="art. 458ter Penal Code (case consultation)")
    agenda_fields = models.JSONField(_("identification on the agenda"),
                                     default=list)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("coordinator"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation body")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Criteria(models.Model):
    """One version of a body's referral criteria (relais.consultation.criteria reads them)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="criteria_versions")
    version = models.PositiveIntegerField()
    rules = models.JSONField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("referral criteria")
        constraints = [models.UniqueConstraint(fields=["body", "version"],
                                               name="criteria_unique_version")]
        ordering = ["body", "-version"]

    def __str__(self) -> str:
        return f"{self.body} criteria v{self.version}"


class Membership(models.Model):
    """A member agency of a body, with its named representative and deputy."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    representative = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+",
                                       verbose_name=_("representative"))
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("deputy"))
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member agency")
        constraints = [models.UniqueConstraint(fields=["body", "agency"],
                                               condition=Q(left_at__isnull=True),
                                               name="membership_one_active")]

    def __str__(self) -> str:
        return f"{self.agency} in {self.body}"


class Informed(models.TextChoices):
    YES = "yes", _("Yes, she was told")
    NO = "no", _("Not yet")
    UNSAFE = "unsafe", _("No: telling her would put her at risk")


class Basis(models.TextChoices):
    CONSENT = "consent", _("Her consent")
    ART_458TER = "458ter", _("Art. 458ter Penal Code (case consultation)")
    ART_458BIS = "458bis", _("Art. 458bis Penal Code (imminent serious danger)")


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a meeting")
    SCHEDULED = "scheduled", _("On an agenda")
    HEARD = "heard", _("Heard")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Referral(models.Model):
    """A member agency asks the body to hear a case."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("referring agency"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    criteria = models.ForeignKey(Criteria, on_delete=models.PROTECT, related_name="+")
    # The criteria met, as codes with parameters (shown in the reader's language).
    criteria_met = models.JSONField(default=list)
    concern = models.TextField(_("professional concern"), max_length=2000, blank=True)
    emergency = models.BooleanField(_("imminent danger: emergency consultation"), default=False)
    respond_by = models.DateTimeField(_("emergency consultation by"), null=True, blank=True)
    informed = models.CharField(_("was she informed of the referral?"), max_length=8,
                                choices=Informed.choices)
    consents = models.BooleanField(_("she consents"), default=False)
    basis = models.CharField(_("legal basis"), max_length=8, choices=Basis.choices)
    justification = models.TextField(_("why without her consent"), max_length=2000, blank=True)
    scopes = models.JSONField(_("what may be shared"), default=list)
    is_repeat = models.BooleanField(_("repeat referral"), default=False)
    priority = models.PositiveSmallIntegerField(default=0)  # the case's risk when referred
    status = models.CharField(max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.WAITING)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("referral to the consultation")
        indexes = [models.Index(fields=["body", "status"], name="referral_body_status_idx"),
                   models.Index(fields=["case", "body"], name="referral_case_idx")]
        constraints = [
            models.CheckConstraint(
                name="referral_without_consent_is_justified",
                condition=Q(basis="consent", consents=True) | (~Q(basis="consent")
                                                               & ~Q(justification=""))),
            models.CheckConstraint(
                name="referral_emergency_has_deadline",
                condition=Q(emergency=False) | Q(respond_by__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} to {self.body_id}"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    EMERGENCY = "emergency", _("Emergency meeting")


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices,
                            default=MeetingKind.REGULAR)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    held_at = models.DateTimeField(_("held"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation meeting")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"meeting {self.pk} of {self.body_id}"


class Attendance(models.Model):
    """Who attended for each agency."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)
    attendee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"],
                                               name="attendance_unique")]

    def __str__(self) -> str:
        return f"attendance {self.pk}"


# The levels a meeting agrees on (the consultation's own scale, whichever grid fed it).
class Level(models.TextChoices):
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")
    CRITICAL = "critical", _("Critical (imminent danger)")


class PlanStatus(models.TextChoices):
    OPEN = "open", _("In the consultation")
    CLOSED = "closed", _("Left the consultation")


class ExitReason(models.TextChoices):
    RISK_REDUCED = "risk_reduced", _("The risk is reduced and the measures are in place")
    MOVED = "moved", _("She moved out of the body's area (handed over)")
    DECLINED = "declined", _("She declined further help")
    NO_CONTACT = "no_contact", _("No contact possible after the agreed attempts")
    CASE_CLOSED = "case_closed", _("The case was closed")
    OTHER = "other", _("Other (say why)")


class Plan(models.Model):
    """The joint safety plan of a case while it is in the consultation (one open per body and
    case); the shares of its participants last as long as it does."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="plans")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    level = models.CharField(_("risk level reviewed"), max_length=20, choices=Level.choices,
                             blank=True)
    review_days = models.PositiveSmallIntegerField(_("monitoring interval (days)"), default=28)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    children = models.TextField(_("what is done for the children"), max_length=3000, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    exit_reason = models.CharField(_("why the case leaves"), max_length=14,
                                   choices=ExitReason.choices, blank=True)
    exit_note = models.CharField(_("note"), max_length=500, blank=True)
    shares = models.ManyToManyField(Share, related_name="+", blank=True)
    # The owning agency needs no share; it takes part when present at a hearing or given an
    # action (relais.access.consultation.participant_plans).
    owner_takes_part = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("joint safety plan")
        constraints = [
            models.UniqueConstraint(fields=["body", "case"], condition=Q(status="open"),
                                    name="plan_one_open_per_case"),
            models.CheckConstraint(
                name="plan_closed_has_reason",
                condition=Q(status="open") | (~Q(exit_reason="") & Q(closed_at__isnull=False))),
        ]

    def __str__(self) -> str:
        return f"plan {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN


class Hearing(models.Model):
    """One case on one meeting's agenda: a first hearing or a review of its plan."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="hearings")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="hearings")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="hearings")
    position = models.PositiveSmallIntegerField(default=0)
    is_review = models.BooleanField(default=False)
    level = models.CharField(_("risk level agreed"), max_length=20, choices=Level.choices,
                             blank=True)
    decisions = models.TextField(_("decisions"), max_length=5000, blank=True)
    heard_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        ordering = ["meeting", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "referral"],
                                               name="hearing_unique")]

    def __str__(self) -> str:
        return f"hearing {self.pk}"


class Contribution(models.Model):
    """What one agency shares about one case at one meeting. Each text field has a scope
    (relais.access.consultation.CONTRIBUTION_SCOPES): a reader sees it only within hers."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="contributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    risk_seen = models.CharField(_("the risk as your agency sees it"), max_length=20,
                                 choices=Level.choices, blank=True)
    facts = models.TextField(_("incidents and judicial facts known"), max_length=3000,
                             blank=True)
    situation = models.TextField(_("situation, concerns and protective factors"),
                                 max_length=3000, blank=True)
    children = models.TextField(_("the children"), max_length=3000, blank=True)
    health = models.TextField(_("health and vulnerability"), max_length=3000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency's contribution")
        constraints = [models.UniqueConstraint(fields=["hearing", "agency"],
                                               name="contribution_unique")]

    def __str__(self) -> str:
        return f"contribution {self.pk}"


class ActionKind(models.TextChoices):
    PATROL = "patrol", _("Police patrol passing by")
    BAN = "ban", _("Consider a residence ban")
    ALARM = "alarm", _("Harassment alarm request")
    SHELTER = "shelter", _("Shelter")
    REFERRAL = "referral", _("Referral to a service")
    YOUTH_NOTICE = "youth_notice", _("Notice to youth aid for the children")
    HOSPITAL = "hospital", _("Hospital awareness")
    PROGRAMME = "programme", _("Perpetrator programme")
    CONTACT = "contact", _("Contact the victim")
    OTHER = "other", _("Other action")


class Action(models.Model):
    """One action of a plan, for one agency; it lives as a task of that agency's follow-up
    queue, whose outcome is the action's."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="actions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    kind = models.CharField(_("action"), max_length=14, choices=ActionKind.choices)
    detail = models.CharField(_("what exactly"), max_length=500, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("deadline"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=2)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    task = models.OneToOneField("followup.Task", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="consultation_action")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan action")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["plan", "agency"], name="action_plan_agency_idx")]
        constraints = [models.CheckConstraint(
            name="action_youth_notice_has_basis",
            condition=~Q(kind="youth_notice") | ~Q(legal_basis=""))]

    def __str__(self) -> str:
        return f"action {self.pk}"
