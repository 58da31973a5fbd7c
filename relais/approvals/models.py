"""Requests for a second person's approval (issue 20 §3): a step that waits until a supervisor
of the same agency (or, for some steps, a colleague) approves or refuses it.

What the request asks is kept as data: the step's code, the record it is about (its type and
id, and the case when there is one), the arguments the step will run with (``payload``) and a
summary as codes with parameters (``summary_codes``, relais.core.texts). The requester reads the
decision and its reason on her list of requests (``requester_seen_at``: the notice read).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.accounts.models import Agency
from relais.approvals.steps import step_label
from relais.cases.models import Case
from relais.core.texts import render


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ApprovalRequest(models.Model):
    step = models.CharField(_("step"), max_length=40)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="approval_requests")
    target_type = models.CharField(max_length=60)  # e.g. "cases.case", "risk.riskassessment"
    target_id = models.CharField(max_length=40)
    payload = models.JSONField(default=dict, blank=True)
    summary_codes = models.JSONField(default=list, blank=True)
    rules_version = models.PositiveIntegerField()
    reason = models.TextField(_("reason for the request"), max_length=2000, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=ApprovalState.choices,
                             default=ApprovalState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), max_length=2000,
                                       blank=True)
    requester_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("approval request")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["agency", "state"], name="approval_agency_state_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "target_type", "target_id"],
                condition=models.Q(state="pending"), name="approval_one_pending_per_target"),
            models.CheckConstraint(
                name="approval_decided_has_decider",
                condition=models.Q(state="pending", decided_by__isnull=True)
                | (~models.Q(state="pending") & models.Q(decided_by__isnull=False))),
        ]

    def __str__(self) -> str:
        return f"{self.step} on {self.target_type}:{self.target_id} ({self.state})"

    @property
    def step_label(self) -> str:
        return step_label(self.step)

    @property
    def summary_text(self) -> str:
        """What is asked, in the reader's language."""
        return render(self.summary_codes, fallback=self.step_label)
