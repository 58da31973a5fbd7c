"""The audit trail: append-only, hash-chained events of every read and write of personal data.

Each event stores the keyed hash (HMAC-SHA256 with settings.AUDIT_KEY) of its own content and
of the previous event's hash. ``ChainHead`` holds the last link so that removing events at the
end of the chain is detected too. Database triggers (see migration 0002) refuse UPDATE and
DELETE on events; ``./dev manage audit_verify`` recomputes the whole chain.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    SEARCH = "search", _("search")
    SHARE = "share", _("share")
    UNSHARE = "unshare", _("end share")
    BREAK_GLASS = "break_glass", _("break-glass access")
    REVIEW = "review", _("review")
    SIGN_IN = "sign_in", _("sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed sign-in")
    SIGN_OUT = "sign_out", _("sign-out")
    DENIED_READ = "denied_read", _("refused access")


class AuditEvent(models.Model):
    # The position in the chain, assigned under the chain-head lock (1, 2, 3...).
    id = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField(_("when"))
    user_id = models.BigIntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True)
    roles = models.CharField(_("roles"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    case_id = models.BigIntegerField(_("case id"), null=True)
    scopes = models.CharField(_("scopes"), max_length=200, blank=True)
    basis = models.CharField(_("legal basis or purpose"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("from"), null=True)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case_id", "id"], name="audit_case_idx"),
            models.Index(fields=["user_id", "id"], name="audit_user_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """The single row that points at the last event of the chain (locked by every writer)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"chain head at event {self.last_event_id}"


class DeniedReadTally(models.Model):
    """The count of refused reads (404 on an object that exists) of one user, one kind of
    target, one time window. Not part of the chain: the chain holds an event for each of the
    first cases tried in the window, and one event when the tries look like a scan; this row
    keeps counting after that, so that a scan does not flood the trail. Ids only, never a
    name."""

    user_id = models.BigIntegerField(_("user id"))
    agency_id = models.BigIntegerField(_("agency id"), null=True)
    target_kind = models.CharField(_("object type"), max_length=60)
    window_start = models.DateTimeField(_("from"))
    count = models.PositiveIntegerField(_("refused reads"), default=0)
    first_ids = models.JSONField(_("first object ids"), default=list)
    recorded = models.JSONField(default=list)  # the keys (cases, else objects) with an event
    scan_recorded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("refused reads")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "target_kind", "window_start"],
                                    name="denied_read_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id}: {self.count} × {self.target_kind} from {self.window_start}"
