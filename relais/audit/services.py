"""Writing to the audit trail.

``audit_record`` runs inside the transaction of the change it records: it inserts the event
(with its keyed digest) and its row in the sealer's queue, so the event and the change commit or
roll back together. Nothing else is locked: the sealer (``relais.audit.sealing``) links the
committed events into the chain a few seconds later.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from relais.audit.hashing import DIGESTED_FIELDS, event_digest
from relais.audit.models import AuditEvent, AuditUnsealed
from relais.core.actor import Actor


def digest_of(event: AuditEvent) -> str:
    return event_digest({name: getattr(event, name) for name in DIGESTED_FIELDS})


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
    """An unsaved event (``audit_record`` and ``audit_record_many`` write it)."""
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
        case_id=int(case_id) if case_id is not None else None,
        scopes=",".join(sorted(scopes)),
        basis=basis[:200],
        ip=actor.ip if actor else ip,
        channel=actor.channel if actor else "",
    )


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
    """Write one event and queue it for sealing, in the caller's transaction (or a new one)."""
    event = build_event(actor=actor, action=action, target=target, case_id=case_id,
                        scopes=scopes, basis=basis, username=username, ip=ip)
    event.digest = digest_of(event)
    # No savepoint: if either insert fails, the caller's transaction fails with it.
    with transaction.atomic(savepoint=False):
        event.save(force_insert=True)
        AuditUnsealed.objects.create(event_id=event.pk)
    return event


def audit_record_each(
    *,
    actor: Actor | None,
    action: str,
    targets: Iterable[models.Model],
    case_id: int | None = None,
    basis: str = "",
) -> list[AuditEvent]:
    """One event per target, inserted at once (bulk writes such as ``QuerySet.update``), in
    the caller's transaction."""
    events = [build_event(actor=actor, action=action, target=target, case_id=case_id,
                          basis=basis) for target in targets]
    if events:
        audit_record_many(events)
    return events


def audit_record_many(events: list[AuditEvent], *, batch_size: int = 5000) -> None:
    """Write many prepared events at once and queue them for sealing (bulk writes, synthetic
    data)."""
    for event in events:
        event.digest = digest_of(event)
    with transaction.atomic(savepoint=False):
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        AuditUnsealed.objects.bulk_create(
            [AuditUnsealed(event_id=event.pk) for event in events], batch_size=batch_size)
