"""Cross-cutting tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmittedForm(models.Model):
    """A form or API request already carried out, keyed by its one-time submission token.

    A double click, a reload after POST or a retried API call with the same Idempotency-Key
    finds the token here and is sent to the first result instead of creating anything twice.
    A token belongs to one user and one endpoint (the request's path): the same key sent by
    another user, or to another endpoint, is another submission. ``body_hash`` (API only) is
    the fingerprint of what was sent, so that a key reused with another body is refused.
    """

    token = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=300, default="")
    body_hash = models.CharField(max_length=64, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "endpoint", "token"],
                                               name="submission_once_per_user_endpoint")]

    def __str__(self) -> str:
        return f"submission {self.pk}"


class FormDraft(models.Model):
    """An interrupted form, kept for its author only until she submits it.

    Keyed by the form's address (which carries only identifiers), so that coming back to the
    same screen offers the draft again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="draft_unique")]

    def __str__(self) -> str:
        return f"draft {self.pk}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Job(models.Model):
    """Long work run out of the request (relais.core.jobs): an import, the crisis
    re-contact... Its author follows it while it runs, and may cancel it where that is safe.

    It holds what the work needs and counts, no personal data: ``params`` are the form's
    choices, ``payload`` an uploaded file until the work has read it, ``result`` counts and a
    link, ``error`` a code.
    """

    kind = models.CharField(max_length=60)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    state = models.CharField(max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    params = models.JSONField(default=dict, blank=True)
    payload = models.BinaryField(default=b"", blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(done__lte=models.F("total"))
                                              | models.Q(total=0), name="job_done_within_total")]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind})"

    @property
    def finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED, JobState.CANCELLED}

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0
