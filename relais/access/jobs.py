"""Long work run out of the request (relais.core.jobs): a job is its author's alone. Nobody
else, in her agency or another, sees its progress or cancels it (404)."""

from __future__ import annotations

from django.db.models import QuerySet

from relais.core.actor import Actor
from relais.core.models import Job


def job_scope(actor: Actor) -> QuerySet[Job]:
    """The jobs the actor started, in her current agency."""
    if actor.agency_id is None:
        return Job.objects.none()
    return Job.objects.filter(agency_id=actor.agency_id, created_by_id=actor.user_id)
