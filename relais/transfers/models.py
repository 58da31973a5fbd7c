"""Transfers of a case to another agency (Primero's model): the owning agency asks, the
receiving agency accepts or declines, and on acceptance the case changes owner.

Who may do what, and what the former owner keeps, is the policy in relais.access.transfers;
docs/cases-transfer.md tells the whole story.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.access.models import Share
from relais.accounts.models import Agency
from relais.cases.models import Case


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class CaseTransfer(models.Model):
    """One request to hand a case over to another agency, and its answer."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("from"))
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("to"))
    reason = models.CharField(_("reason"), max_length=500)
    person_agreed = models.BooleanField(_("the person agreed"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.PENDING)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_reason = models.CharField(_("answer"), max_length=500, blank=True)
    # What the former owner kept on acceptance (none: it keeps nothing).
    former_owner_share = models.ForeignKey(Share, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")

    class Meta:
        verbose_name = _("case transfer")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["to_agency", "status"], name="transfer_inbox_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="pending"),
                                    name="transfer_one_pending_per_case"),
            models.CheckConstraint(name="transfer_two_agencies",
                                   condition=~Q(from_agency=models.F("to_agency"))),
            models.CheckConstraint(name="transfer_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(name="transfer_decline_has_reason",
                                   condition=~Q(status="declined") | ~Q(answer_reason="")),
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk}: {self.case_id} {self.from_agency_id} → {self.to_agency_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING
