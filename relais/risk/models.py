"""Risk assessments: the answers to one instrument, the computed level and the assessor's level.

Every assessment is kept (the case shows the trend). The level in force is the assessor's
final level, except that a final level lower than the computed one waits for a second person's
confirmation and until then the computed level stays in force.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Case, Person
from relais.risk.headline import level_in_force


class RiskAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person assessed"))
    report = models.ForeignKey("intake.Report", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="assessments")
    instrument_code = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    scope = models.CharField(_("visible to"), max_length=24)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed"), auto_now_add=True)
    answers = models.JSONField(_("answers"))
    score = models.FloatField(_("score"))
    max_score = models.FloatField(_("maximum score"))
    critical_signals = models.JSONField(_("critical signals"), default=list)
    unknown_items = models.JSONField(_("unknown answers"), default=list)
    computed_level = models.CharField(_("computed level"), max_length=20)
    final_level = models.CharField(_("final level"), max_length=20)
    justification = models.TextField(_("justification"), max_length=3000, blank=True)
    lowered = models.BooleanField(_("final level lower than computed"), default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    next_reassessment = models.DateField(_("next reassessment"))
    # A newer assessment of the case took its place for good (relais.risk.headline): set when
    # that one is recorded. The follow-up tick reads only the current ones.
    superseded = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("risk assessment")
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-assessed_at"], name="risk_case_idx"),
            models.Index(fields=["next_reassessment", "case"], name="risk_current_due_idx",
                         condition=models.Q(superseded=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(final_level=models.F("computed_level"))
                | ~models.Q(justification=""),
                name="risk_override_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code}@{self.instrument_version} on {self.case_id}"

    @property
    def awaiting_confirmation(self) -> bool:
        return self.lowered and self.confirmed_by_id is None

    @property
    def level_in_force(self) -> str:
        return level_in_force(computed_level=self.computed_level, final_level=self.final_level,
                              lowered=self.lowered, confirmed_by_id=self.confirmed_by_id)

    @property
    def overridden(self) -> bool:
        return self.final_level != self.computed_level


class Decision(models.TextChoices):
    PENDING = "pending", _("To decide")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class RecommendedAction(models.Model):
    """An action the instrument recommends; the assessor accepts it or declines with a reason.

    Later parts of Relais carry accepted actions out (residence ban, alarm, consultation...).
    """

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE,
                                   related_name="recommended_actions")
    code = models.CharField(_("action"), max_length=60)
    reasons = models.JSONField(_("why"), default=list)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decline_reason = models.TextField(_("reason for declining"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recommended action")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="action_once"),
            models.CheckConstraint(
                condition=~models.Q(decision="declined") | ~models.Q(decline_reason=""),
                name="action_decline_reasoned",
            ),
        ]

    def __str__(self) -> str:
        return self.code
