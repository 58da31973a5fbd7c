"""Shares and consent: how a case becomes visible to an agency that does not own it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.access.scopes import Scope
from relais.accounts.models import Agency
from relais.cases.models import Case, Person


def validate_scopes(value: list[str]) -> None:
    if not isinstance(value, list) or any(v not in Scope.values for v in value):
        raise ValidationError(_("Unknown scope."))


class ShareKind(models.TextChoices):
    JUDICIAL_FORWARDING = "judicial_forwarding", _("Judicial forwarding")
    REFERRAL = "referral", _("Referral with consent")
    CONSULTATION = "consultation", _("Case consultation (art. 458ter)")
    BREAK_GLASS = "break_glass", _("Break-glass (art. 458bis, imminent danger)")
    # What a former owner keeps (relais.access.transfers, relais.justice.merge).
    TRANSFER = "transfer", _("Former owner after a transfer")
    MERGED_OWNER = "merged_owner", _("Former owner of a merged case")


LEGAL_BASIS = {
    ShareKind.JUDICIAL_FORWARDING: "judicial forwarding (official report to the prosecutor)",
    ShareKind.REFERRAL: "consent of the person",
    ShareKind.CONSULTATION: "art. 458ter Penal Code (case consultation)",
    ShareKind.BREAK_GLASS: "art. 458bis Penal Code (imminent danger)",
    ShareKind.TRANSFER: "case transferred: former owner (judicial history)",
    ShareKind.MERGED_OWNER: "merged case: former owner",
}


SYSTEM_END_REASONS = {
    "consent withdrawn": _("consent withdrawn"),
    "ended at review": _("ended at review"),
    "ended by the owning agency": _("ended by the owning agency"),
}


class ConsentMethod(models.TextChoices):
    ORAL_IN_PERSON = "oral_in_person", _("Orally, in person")
    WRITTEN = "written", _("In writing (signed)")
    PHONE = "phone", _("By phone")
    REPRESENTATIVE = "representative", _("Through her legal representative")


class Consent(models.Model):
    """A person's consent to share part of her file with one agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    scopes = models.JSONField(_("scopes"), default=list, validators=[validate_scopes])
    method = models.CharField(_("how it was obtained"), max_length=20,
                              choices=ConsentMethod.choices)
    obtained_at = models.DateTimeField(_("obtained on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("consent")

    def __str__(self) -> str:
        return f"consent {self.pk}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Share(models.Model):
    """An explicit opening of one case to one agency (or, for break-glass, one user)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    kind = models.CharField(_("kind"), max_length=20, choices=ShareKind.choices)
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Break-glass only: the one user who may see the case."),
    )
    scopes = models.JSONField(_("scopes"), default=list, validators=[validate_scopes])
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="shares")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("A referral made without consent, on a legal basis: the one person whose "
                    "data it opens."))
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    justification = models.TextField(_("justification"), max_length=2000, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("share")
        indexes = [
            models.Index(fields=["case", "recipient_agency"], name="share_case_agency_idx"),
            models.Index(fields=["recipient_agency", "ended_at"], name="share_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="share_break_glass_is_named_and_timed",
                condition=~Q(kind="break_glass")
                | (Q(recipient_user__isnull=False) & Q(ends_at__isnull=False)
                   & ~Q(justification="")),
            ),
            models.CheckConstraint(
                name="share_consultation_has_purpose_and_end",
                condition=~Q(kind="consultation") | (Q(ends_at__isnull=False) & ~Q(purpose="")),
            ),
            models.CheckConstraint(
                name="share_referral_has_consent_or_basis",
                condition=~Q(kind="referral") | Q(consent__isnull=False)
                | (Q(person__isnull=False) & ~Q(justification="") & ~Q(purpose="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_agency}"

    @property
    def end_reason_display(self) -> str:
        """System reasons in the reader's language; a person's own words as written."""
        return str(SYSTEM_END_REASONS.get(self.end_reason, self.end_reason))

    @property
    def legal_basis(self) -> str:
        if self.kind == ShareKind.REFERRAL and self.consent_id is None:
            return self.purpose  # the legal basis a referral without consent rests on
        return LEGAL_BASIS[ShareKind(self.kind)]

    @property
    def referred_person_id(self) -> int | None:
        """The one person a referral opens person scopes on."""
        return self.person_id or (self.consent.person_id if self.consent_id else None)

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return (self.ended_at is None and self.granted_at <= at
                and (self.ends_at is None or self.ends_at > at))


def active_share_q(at=None) -> Q:
    """Shares in force at ``at`` (now by default)."""
    at = at or timezone.now()
    return Q(ended_at__isnull=True, granted_at__lte=at) & (
        Q(ends_at__isnull=True) | Q(ends_at__gt=at)
    )
