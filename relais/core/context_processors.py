"""What every page needs: the demo flag and the main menu (registered by the apps, see
``relais.core.nav``), so that ``core`` imports no feature app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from relais.core.actor import actor_from
from relais.core.nav import nav_for


def relais(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"RELAIS_DEBUG": settings.DEBUG}
    match = getattr(request, "resolver_match", None)
    entries = nav_for(actor_from(request), app_name=getattr(match, "app_name", "") or "",
                      url_name=getattr(match, "url_name", "") or "")
    return {"RELAIS_DEBUG": settings.DEBUG, "nav_entries": entries}
