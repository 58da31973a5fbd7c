"""Demo follow-up of one network: the zone's policy and neighbourhoods, and one task overdue so
the queue shows what late looks like (fictitious data only)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from relais.accounts.models import Agency, User
from relais.followup.models import (
    Neighbourhood,
    RevisitBy,
    RevisitFormat,
    Task,
    TaskKind,
    TaskStatus,
    ZonePolicy,
)


def load_demo_policy(*, zone: Agency, key: str, postcodes: list[str]) -> None:
    """Before the demo reports: the zone's policy and its neighbourhood."""
    ZonePolicy.objects.update_or_create(agency=zone, defaults={
        "revisit_by": RevisitBy.NEIGHBOURHOOD_OFFICER, "revisit_format": RevisitFormat.PHONE,
        "revisit_delay_days": 14, "notify_sapv_of_revisit": key == "bxl"})
    Neighbourhood.objects.get_or_create(agency=zone, name=f"Centre ({key}, demo)", defaults={
        "postcodes": postcodes,
        "eva_officer": User.objects.filter(username=f"{key}.eva").first(),
        "neighbourhood_officer": User.objects.filter(username=f"{key}.neighbourhood").first()})


def make_one_task_late(*, zone: Agency) -> None:
    """After the demo reports: the first same-day contact is shown as 20 hours late."""
    late = Task.objects.filter(agency=zone, kind=TaskKind.VICTIM_ASSISTANCE_CONTACT,
                               status=TaskStatus.OPEN).order_by("pk").first()
    if late is not None and late.due_at > timezone.now():
        late.due_at = timezone.now() - timedelta(hours=20)
        late.save(update_fields=["due_at"])
