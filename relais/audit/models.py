"""The audit trail: append-only events of every read and write of personal data, sealed into a
keyed hash chain by a single sealer, with checkpoints kept outside the database.

- ``AuditEvent`` is written in the transaction of what it records, with an id from the
  database's sequence and the keyed digest of its content: nothing is locked but the new rows.
- ``AuditUnsealed`` is the queue of events not yet sealed (one row per event, same transaction).
- ``AuditSeal`` is the chain: the sealer (``manage.py audit_seal``, one instance at a time) gives
  each queued event the next position, links it to the previous seal and deletes it from the
  queue, a few seconds after it was written.
- ``AuditCheckpoint`` is the signed head after each sealing round, also appended to a file
  outside the database (``RELAIS_AUDIT_CHECKPOINTS``): cutting the tail of the chain, even with
  every row rewritten, no longer matches the newest checkpoint.

Database triggers (migrations 0002 and 0004) refuse UPDATE and DELETE on events, seals and
checkpoints; ``./dev manage audit_verify`` recomputes everything. See docs/audit.md.
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
    # From the database's sequence: increasing, with gaps where a transaction rolled back. The
    # position in the chain is the seal's (``AuditSeal.seq``), given by the sealer.
    id = models.BigAutoField(primary_key=True)
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
    # HMAC-SHA256 of the fields above (``relais.audit.hashing.event_digest``), written with it.
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case_id", "id"], name="audit_case_idx"),
            models.Index(fields=["user_id", "id"], name="audit_user_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}:{self.object_id}"


class AuditUnsealed(models.Model):
    """An event written but not sealed yet: the sealer's queue (Trillian's "unsequenced")."""

    event_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"event {self.event_id} (not sealed yet)"


class AuditSeal(models.Model):
    """One position of the chain: ``hash`` = HMAC(seq, event id, event digest, prev_hash)."""

    seq = models.BigIntegerField(primary_key=True)
    # No foreign-key constraint: a deleted event must stay something to detect, not an error.
    event = models.OneToOneField(AuditEvent, null=True, on_delete=models.DO_NOTHING,
                                 db_constraint=False, related_name="seal")
    sealed_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"seal {self.seq}: event {self.event_id}"


class AuditCheckpoint(models.Model):
    """The signed head of the chain after a sealing round (also in the checkpoint file).

    ``mac`` = HMAC(checkpoint key, size, head, at, prev) where ``prev`` is the previous
    checkpoint's mac: the checkpoints form a chain of their own."""

    size = models.BigIntegerField()
    head = models.CharField(max_length=64)
    at = models.DateTimeField()
    prev = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"checkpoint at {self.size} events"


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
