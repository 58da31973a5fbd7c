"""Anonymous feedback from victims: a short code per police zone, and the answers.

An answer row holds the zone, the week and the answers — nothing else. No time of day, no
address, no language, no browser, no link to a case, a report or a person; its key is a random
UUID so that not even the order of the keys tells when it came in. A test inspects these
fields (relais/feedback/tests/test_anonymity.py): adding one is a decision, not a detail.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency, AgencyKind

# Upper-case letters and digits that cannot be misread: no 0/O, no 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def validate_code(value: str) -> None:
    if len(value) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in value):
        raise ValidationError(
            _("A feedback code has %(length)d letters and digits (no 0, O, 1 or I)."),
            params={"length": CODE_LENGTH}, code="feedback_code")


def validate_police_zone(agency_id: int) -> None:
    if not Agency.objects.filter(pk=agency_id, kind=AgencyKind.POLICE_ZONE).exists():
        raise ValidationError(_("Only a police zone has a feedback code."), code="not_a_zone")


class FeedbackCode(models.Model):
    """The short code printed on a zone's flyers; it leads to the zone's feedback form.

    One per zone, the same on every flyer: it names the zone, never a case."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="feedback_code",
                                  verbose_name=_("police zone"),
                                  validators=[validate_police_zone])
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True,
                            validators=[validate_code])

    class Meta:
        verbose_name = _("feedback code")

    def __str__(self) -> str:
        return self.code


class FeedbackResponse(models.Model):
    """One anonymous answer to the feedback form (see the module docstring for what it holds
    and why nothing more)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    zone = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("police zone"))
    week = models.DateField(_("week"), help_text=_("The Monday of the week it was given "
                                                   "(Europe/Brussels)."))
    questions_version = models.PositiveSmallIntegerField(_("version of the questions"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("feedback answer")
        indexes = [models.Index(fields=["zone", "week"], name="feedback_zone_week_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(week__iso_week_day=1),
                                   name="feedback_week_is_a_monday",
                                   violation_error_message=_("The week is given by its Monday.")),
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.week}"
