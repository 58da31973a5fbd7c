"""The notices addressed to the actor's roles in her agency."""

from __future__ import annotations

from relais.access.notifications import inbox_scope, receives_notices
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.notifications.models import Notice


def notice_list(*, actor: Actor, include_done: bool = False, limit: int = 200) -> list[Notice]:
    """Open notices first, newest first (case references only: audited as one read)."""
    qs = inbox_scope(actor).select_related("case", "acknowledged_by")
    if not include_done:
        qs = qs.filter(acknowledged_at__isnull=True)
    notices = list(qs.order_by("-acknowledged_at", "-created_at")[:limit])
    audit_record(actor=actor, action=Action.READ, basis=f"notices ({len(notices)})")
    return notices


def notice_open_count(*, actor: Actor) -> int:
    if not receives_notices(actor):
        return 0
    return inbox_scope(actor).filter(acknowledged_at__isnull=True).count()
