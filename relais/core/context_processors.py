from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def relais(request: HttpRequest) -> dict[str, Any]:
    return {"RELAIS_DEBUG": settings.DEBUG}
