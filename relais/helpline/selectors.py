"""Reads of the call log within the policy (relais.access.helpline): the agency's recent calls,
codes and counts only (a call holds no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from relais.access import helpline as policy
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.helpline.models import Call, CallTopic


@dataclass(frozen=True)
class RecentCalls:
    calls: list[Call]
    today: int
    last_7_days: int


def recent_calls(*, actor: Actor, limit: int = 50) -> RecentCalls:
    """The last calls of the operator's helpline, newest first, and how many there were today
    and in the last seven days (three queries; the read is audited, no case)."""
    if not policy.may_record_calls(actor):
        raise Http404
    scope = policy.call_scope(actor)
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = scope.aggregate(today=Count("pk", filter=Q(started_at__gte=midnight)),
                             week=Count("pk", filter=Q(started_at__gte=midnight
                                                       - timedelta(days=6))))
    calls = list(scope.select_related("referral")
                 .prefetch_related(Prefetch("topics", queryset=CallTopic.objects.order_by(
                     "topic")))
                 .order_by("-started_at", "-pk")[:limit])
    audit_record(actor=actor, action=Action.READ, basis=f"helpline calls ({len(calls)})")
    return RecentCalls(calls=calls, today=counts["today"], last_7_days=counts["week"])
