"""The crisis banner, the alternative channels and a service's confirmation mark, for the
staff pages (base.html), the directory and the public finder.

The crises in force are read once per request (one query; a second, the reader's
jurisdiction, only while a crisis is in force) and kept on the request.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from relais.access.directory import may_edit
from relais.core.actor import actor_from
from relais.crisis import selectors
from relais.crisis.channels import channels_for
from relais.crisis.models import Crisis
from relais.directory.models import CrisisStatus, Service

register = template.Library()


def _state(context: template.Context, *, public: bool) -> list[Crisis]:
    """The crises that concern the reader: all those in force on the public finder, the one
    over her agency on the staff pages."""
    request = context.get("request")
    if request is None:
        return selectors.crises_in_force()
    key = "_relais_crises_public" if public else "_relais_crises_staff"
    cached = getattr(request, key, None)
    if cached is not None:
        return cached
    in_force = getattr(request, "_relais_crises_in_force", None)
    if in_force is None:
        in_force = selectors.crises_in_force()
        request._relais_crises_in_force = in_force
    if public:
        found = in_force
    else:
        user = getattr(request, "user", None)
        agency = user.agency if user is not None and user.is_authenticated else None
        crisis = selectors.crisis_for_agency(agency, crises=in_force) if in_force else None
        found = [crisis] if crisis is not None else []
    setattr(request, key, found)
    return found


def _rows(crises: list[Crisis]) -> list[dict[str, Any]]:
    language = (get_language() or "fr")[:2]
    return [{"crisis": c, "area": selectors.area_label(c, language)} for c in crises]


@register.inclusion_tag("crisis/_banner.html", takes_context=True)
def crisis_banner(context: template.Context, public: bool = False) -> dict[str, Any]:
    return {"rows": _rows(_state(context, public=public)), "public": public}


@register.inclusion_tag("crisis/_channels.html", takes_context=True)
def crisis_channels(context: template.Context, public: bool = False) -> dict[str, Any]:
    crises = _state(context, public=public)
    language = (get_language() or "fr")[:2]
    return {"channels": channels_for(crises, language=language) if crises else []}


@register.inclusion_tag("crisis/_mark.html", takes_context=True)
def crisis_mark(context: template.Context, service: Service,
                public: bool = False) -> dict[str, Any]:
    """"Unconfirmed", or the date of the last confirmation, while a crisis covers the service
    (no query: the crises are the request's, the date is on the entry)."""
    request = context.get("request")
    crises = getattr(request, "_relais_crises_in_force", None) if request is not None else None
    if crises is None:
        crises = selectors.crises_in_force()
        if request is not None:
            request._relais_crises_in_force = crises
    crisis = selectors.crisis_for_service(service, crises) if crises else None
    return {"crisis": crisis, "service": service, "public": public,
            "unconfirmed": crisis is not None and selectors.is_unconfirmed(service),
            "confirmed_at": service.capacity_updated_at}


@register.inclusion_tag("crisis/_confirm.html", takes_context=True)
def crisis_confirm(context: template.Context, service: Service,
                   then: str = "mine") -> dict[str, Any]:
    """The "Confirm today's status" form, for the service's own staff during a crisis."""
    mark = crisis_mark(context, service)
    request = context.get("request")
    allowed = (request is not None and request.user.is_authenticated
               and may_edit(actor_from(request), service))
    confirmed_today = (service.capacity_updated_at is not None and timezone.localdate(
        service.capacity_updated_at) == timezone.localdate())
    return {**mark, "show": mark["crisis"] is not None and allowed, "then": then,
            "statuses": CrisisStatus.choices, "confirmed_today": confirmed_today,
            "csrf_token": context.get("csrf_token")}
