"""A referral of a person to a service of the directory, and every step it went through."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.access.models import Consent, Share, validate_scopes
from relais.accounts.models import Agency
from relais.cases.models import Case, Person
from relais.directory.models import Service


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Receipt acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    DECLINED = "declined", _("Declined")
    FIRST_CONTACT = "first_contact", _("First contact made")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.SENT, ReferralStatus.RECEIVED,
                 ReferralStatus.ACCEPTED, ReferralStatus.WAITING_LIST,
                 ReferralStatus.FIRST_CONTACT)


class ReferralBasis(models.TextChoices):
    """Why the person's data may go to the service."""

    CONSENT = "consent", _("Her consent")
    IMMINENT_DANGER = "imminent_danger", _("Imminent danger (art. 458bis Penal Code)")
    JUDICIAL_MANDATE = "judicial_mandate", _("Judicial mandate (prosecutor or court)")
    YOUTH_PROTECTION = "youth_protection", _("Youth protection measure")


class ReferralOutcome(models.TextChoices):
    SUPPORT_STARTED = "support_started", _("Support started")
    SUPPORT_COMPLETED = "support_completed", _("Support completed")
    PERSON_DECLINED = "person_declined", _("She did not want the support")
    UNREACHABLE = "unreachable", _("She could not be reached")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred to another service")
    OTHER = "other", _("Other")


class Referral(models.Model):
    """One person referred by one agency to one service."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The agency that runs the service in Relais; empty when the service does "
                    "not use Relais (the referrer then records its answers)."))
    basis = models.CharField(_("basis"), max_length=20, choices=ReferralBasis.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    basis_note = models.TextField(_("why, without her consent"), max_length=1000, blank=True)
    scopes = models.JSONField(_("what is shared"), default=list, validators=[validate_scopes])
    widened_because = models.CharField(_("why more than the minimum is shared"), max_length=300,
                                       blank=True)
    purpose = models.CharField(_("what she needs from the service"), max_length=300, blank=True)
    confirmed_mismatches = models.JSONField(
        _("mismatches confirmed"), default=list, blank=True,
        help_text=_("Why the service did not seem to fit, as shown and confirmed."))
    share = models.ForeignKey(Share, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices,
                              default=ReferralStatus.PROPOSED)
    status_at = models.DateTimeField(_("status since"))
    due_at = models.DateTimeField(_("next step due"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReferralOutcome.choices,
                               blank=True)
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("referral")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["from_agency", "status"], name="referral_from_idx"),
            models.Index(fields=["to_agency", "status"], name="referral_to_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_consent_or_basis",
                # Consent is recorded as a Consent for a service in Relais; for one outside,
                # how it was given is noted.
                condition=(Q(basis="consent", consent__isnull=False)
                           | (Q(basis="consent", to_agency__isnull=True) & ~Q(basis_note=""))
                           | (~Q(basis="consent") & ~Q(basis_note=""))),
            ),
            models.CheckConstraint(
                name="referral_decline_has_reason",
                condition=~Q(status="declined") | ~Q(decline_reason=""),
            ),
            models.CheckConstraint(
                name="referral_closed_has_outcome",
                condition=~Q(status="closed") | ~Q(outcome=""),
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def outside_relais(self) -> bool:
        return self.to_agency_id is None


class ReferralStep(models.Model):
    """One change of status, who made it and why: the referral's history."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("referral step")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"
