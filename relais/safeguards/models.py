"""Safeguards for two groups the general response misses (issue 18 §4–5).

- A migrant victim whose residence depends on the violent partner (card A or F, or a family
  reunification still pending): her situation, and the date by which she should ask the
  Immigration Office (Office des étrangers / Dienst Vreemdelingenzaken) to keep her right of
  residence, computed from the facts' date by the versioned rules (``rules.py``).
- A hospital presence alert: a health service marks that the victim is in its care and that the
  perpetrator must not learn or meet her there. Seen only by that service and the police zone
  that owns the case (``relais.access.safeguards``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Case, Person


class ResidencePermit(models.TextChoices):
    """A residence that depends on the partner (law of 15 December 1980)."""

    CARD_A = "card_a", _("Card A: family reunification with a non-EU national")
    CARD_F = "card_f", _("Card F: family of an EU citizen or a Belgian")
    PENDING = "pending", _("Family reunification applied for, not yet granted")


class RecordedVia(models.TextChoices):
    INTAKE = "intake", _("Police intake")
    REFERRAL = "referral", _("Referral")
    CASE = "case", _("Case follow-up")


class ResidenceSituation(models.Model):
    """One victim's residence that depends on the partner, on one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    permit = models.CharField(_("residence permit"), max_length=12,
                              choices=ResidencePermit.choices)
    facts_on = models.DateField(
        _("date of the facts"),
        help_text=_("The violence or the separation that puts her residence at risk."))
    via = models.CharField(_("recorded at"), max_length=10, choices=RecordedVia.choices,
                           default=RecordedVia.CASE)
    apply_by = models.DateField(_("apply by"))
    rules_version = models.PositiveIntegerField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("residence situation")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="residence_one_per_person"),
            models.CheckConstraint(name="residence_apply_after_facts",
                                   condition=Q(apply_by__gte=F("facts_on"))),
        ]

    def __str__(self) -> str:
        return f"residence situation {self.pk}"


class HospitalAlert(models.Model):
    """She is in a health service's care: the perpetrator must not learn it or meet her."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               help_text=_("The health service that cares for her."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True,
                               help_text=_("Empty while she is in care."))
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("Short and practical: which entrance, who to call. "
                                        "Never her room or ward."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("hospital presence alert")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["case", "agency"], name="hospital_alert_case_idx")]
        constraints = [
            models.CheckConstraint(name="hospital_alert_ends_after_start",
                                   condition=Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on"))),
        ]

    def __str__(self) -> str:
        return f"hospital alert {self.pk}"

    def in_force(self, today) -> bool:
        return (self.ended_at is None and self.starts_on <= today
                and (self.ends_on is None or self.ends_on >= today))
