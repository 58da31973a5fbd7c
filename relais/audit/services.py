"""Writing to and checking the audit trail.

``audit_record`` must run inside the transaction of the change it records: it locks the chain
head, appends one event and moves the head, so the event and the change commit or roll back
together.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from relais.audit.models import AuditEvent, ChainHead
from relais.core.actor import Actor

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id", "occurred_at", "user_id", "username", "agency_id", "roles", "action", "object_type",
    "object_id", "case_id", "scopes", "basis", "ip", "channel", "prev_hash",
)


def _canonical(event: AuditEvent) -> bytes:
    data = {}
    for name in HASHED_FIELDS:
        value = getattr(event, name)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        data[name] = value
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    key = settings.AUDIT_KEY.encode()
    return hmac.new(key, _canonical(event), hashlib.sha256).hexdigest()


def _describe(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def build_event(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    case_id: int | None = None,
    scopes: Iterable[str] = (),
    basis: str = "",
    username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """An unsaved, unchained event (``audit_record`` and bulk seeding chain it)."""
    object_type, object_id = _describe(target)
    return AuditEvent(
        occurred_at=timezone.now(),
        user_id=actor.user_id if actor else None,
        username=(actor.user.get_username() if actor else username)[:150],
        agency_id=actor.agency_id if actor else None,
        roles=",".join(sorted(actor.roles)) if actor else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        scopes=",".join(sorted(scopes)),
        basis=basis[:200],
        ip=actor.ip if actor else ip,
        channel=actor.channel if actor else "",
    )


def chain_events(events: list[AuditEvent], head: ChainHead) -> None:
    """Link ``events`` after ``head`` (in place) and move the head past them."""
    for event in events:
        event.id = head.length + 1
        event.prev_hash = head.last_hash
        event.hash = compute_hash(event)
        head.length = event.id
        head.last_event_id = event.id
        head.last_hash = event.hash


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    case_id: int | None = None,
    scopes: Iterable[str] = (),
    basis: str = "",
    username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction (or a new one)."""
    event = build_event(actor=actor, action=action, target=target, case_id=case_id,
                        scopes=scopes, basis=basis, username=username, ip=ip)
    with transaction.atomic():
        head = _locked_head()
        chain_events([event], head)
        event.save(force_insert=True)
        head.save(update_fields=["length", "last_event_id", "last_hash"])
    return event


def audit_record_each(
    *,
    actor: Actor | None,
    action: str,
    targets: Iterable[models.Model],
    case_id: int | None = None,
    basis: str = "",
) -> list[AuditEvent]:
    """One event per target, chained under one lock and inserted at once (bulk writes such as
    ``QuerySet.update``), in the caller's transaction."""
    events = [build_event(actor=actor, action=action, target=target, case_id=case_id,
                          basis=basis) for target in targets]
    if events:
        audit_record_many(events)
    return events


def audit_record_many(events: list[AuditEvent], *, batch_size: int = 5000) -> None:
    """Chain and insert many prepared events at once (synthetic data)."""
    with transaction.atomic():
        head = _locked_head()
        chain_events(events, head)
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        head.save(update_fields=["length", "last_event_id", "last_hash"])


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Recompute the whole chain; name the first broken link."""
    expected_prev = GENESIS
    expected_id = 1
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.id != expected_id:
            return ChainReport(checked, expected_id, f"event {expected_id} is missing")
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.id, "its link to the previous event does not match")
        if not hmac.compare_digest(event.hash, compute_hash(event)):
            return ChainReport(checked, event.id, "its content does not match its hash")
        expected_prev = event.hash
        expected_id += 1
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    length = head.length if head else 0
    last_hash = head.last_hash if head else GENESIS
    if length != checked or last_hash != expected_prev:
        return ChainReport(checked, checked + 1,
                           f"the chain head expects {length} events; events after {checked} "
                           "are missing")
    return ChainReport(checked, None, "")
