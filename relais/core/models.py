"""Cross-cutting tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
