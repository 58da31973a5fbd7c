"""Addenda: the correction of a saved police record or risk assessment.

A saved record is never edited in place without a trace: an addendum says who corrected it,
when and why, and keeps each changed field's value before and after (``changes``, codes and
values, rendered in the reader's language). The record then carries the corrected values, so
every screen and every later step reads them; the values first recorded stay readable in the
addenda, which are never changed or deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Case


class Addendum(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey("intake.Report", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="addenda")
    assessment = models.ForeignKey("risk.RiskAssessment", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="addenda")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("corrected by"))
    created_at = models.DateTimeField(_("corrected on"), auto_now_add=True)
    reason = models.TextField(_("reason for the correction"), max_length=1000)
    # [{"field": name, "before": value, "after": value}]: a field of the record, or
    # "answer:<item code>" for an answer of an assessment; values as stored (codes, ISO dates).
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, assessment__isnull=True)
                | models.Q(report__isnull=True, assessment__isnull=False),
                name="addendum_one_record"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="addendum_reasoned"),
        ]

    def __str__(self) -> str:
        return f"addendum {self.pk} on {self.case_id}"

    @property
    def fields(self) -> set[str]:
        return {change["field"] for change in self.changes}
