"""The notices addressed to the actor's roles in her agency."""

from __future__ import annotations

from django.db.models import QuerySet

from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.notifications.models import Notice

# Roles that receive notices: the teams that contact victims, and the reference officers who
# confirm a lowered risk level.
NOTICE_ROLES = frozenset({"victim_assistance_worker", "eva_officer", "ipv_reference_officer",
                          "dispatcher", "magistrate", "legal_advisor", "justice_assistant",
                          "programme_counsellor"})


def _inbox(actor: Actor) -> QuerySet[Notice]:
    return Notice.objects.filter(agency_id=actor.agency_id, for_role__in=actor.roles)


def notice_list(*, actor: Actor, include_done: bool = False, limit: int = 200) -> list[Notice]:
    """Open notices first, newest first (case references only: audited as one read)."""
    qs = _inbox(actor).select_related("case", "acknowledged_by")
    if not include_done:
        qs = qs.filter(acknowledged_at__isnull=True)
    notices = list(qs.order_by("-acknowledged_at", "-created_at")[:limit])
    audit_record(actor=actor, action=Action.READ, basis=f"notices ({len(notices)})")
    return notices


def notice_open_count(*, actor: Actor) -> int:
    if not actor.roles & NOTICE_ROLES:
        return 0
    return _inbox(actor).filter(acknowledged_at__isnull=True).count()
