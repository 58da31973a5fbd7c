"""Objects an agency keeps for itself: its prosecution sections, its zone's neighbourhoods, its
programme's formats and participants, its alarm devices. Each is reached only by the agency's
own staff, and only by the roles the domain module allows (the ``allowed`` argument, from one
of its predicates); everyone else gets 404."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from relais.core.actor import Actor

M = TypeVar("M", bound=Model)


def own_agency_object(objects: QuerySet[M], *, actor: Actor, pk: int, allowed: bool) -> M:
    """The object ``pk`` of ``objects`` if it belongs to the actor's agency and ``allowed``."""
    if not allowed or actor.agency_id is None:
        raise Http404
    found = objects.filter(pk=pk, agency_id=actor.agency_id).first()
    if found is None:
        raise Http404
    return found
