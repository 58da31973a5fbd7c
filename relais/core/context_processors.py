from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from relais.access.scopes import REVIEWER_ROLES


def relais(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    is_reviewer = bool(
        user is not None and user.is_authenticated and user.role_codes & REVIEWER_ROLES
    )
    return {"RELAIS_DEBUG": settings.DEBUG, "is_reviewer": is_reviewer}
