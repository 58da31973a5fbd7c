"""The demo's crisis: floods declared in the judicial district of Liège by the Liège network's
platform coordinator three days ago. Most services of the area have confirmed their status
(through the real service, some also the day before); the open shelter has not, and shows
"unconfirmed". Everything is fictitious."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from relais.accounts.models import User
from relais.core.actor import Actor
from relais.crisis.models import Confirmation, Crisis, CrisisKind
from relais.crisis.services import crisis_declare, status_confirm
from relais.directory.models import CrisisStatus, Service

# Service code suffix of the Liège network → (who confirms, status today).
CONFIRMED = {
    "shelter": ("lg.shelter", CrisisStatus.OPEN),
    "support": ("lg.support", CrisisStatus.REDUCED),
    "cpvs": ("lg.cpvs", CrisisStatus.OPEN),
    "cpas": ("lg.cpas", CrisisStatus.REDUCED),
    "youth": ("lg.youth", CrisisStatus.OPEN),
    "programme": ("lg.programme", CrisisStatus.CLOSED),
}
EDITOR_CONFIRMS = ("accommodation", "legal", "migration", "interpreters", "early", "pharmacy",
                   "pharmacy-station")
UNCONFIRMED = "shelter-open"  # left unconfirmed: shown "unconfirmed"


def _actor(username: str) -> Actor:
    return Actor.for_user(User.objects.get(username=username), channel="demo")


def load_demo_crisis() -> Crisis | None:
    """Idempotent: nothing when a crisis was already declared in Liège."""
    if Crisis.objects.filter(area_level="district", area_code="liege").exists():
        return None
    today = timezone.localdate()
    crisis = crisis_declare(actor=_actor("lg.platform"), kind=CrisisKind.FLOOD,
                            area_level="district", area_code="liege",
                            starts_on=today - timedelta(days=3),
                            expected_end=today + timedelta(days=11))
    Crisis.objects.filter(pk=crisis.pk).update(
        declared_at=timezone.now() - timedelta(days=3))
    jobs = [(suffix, user, status) for suffix, (user, status) in CONFIRMED.items()]
    jobs += [(suffix, "lg.directory", CrisisStatus.OPEN) for suffix in EDITOR_CONFIRMS]
    for suffix, username, status in jobs:
        service = Service.objects.filter(code=f"demo-lg-{suffix}").first()
        if service is None:
            continue
        for days_ago in (2, 1, 0):  # every day since the floods
            confirmation = status_confirm(actor=_actor(username), service_id=service.pk,
                                          status=status, free_places=service.free_places)
            if days_ago:
                Confirmation.objects.filter(pk=confirmation.pk).update(
                    confirmed_at=timezone.now() - timedelta(days=days_ago, hours=1))
    Service.objects.filter(code=f"demo-lg-{UNCONFIRMED}").update(
        capacity_updated_at=timezone.now() - timedelta(days=4))
    return crisis
