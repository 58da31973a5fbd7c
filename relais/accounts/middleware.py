"""Every staff session must pass its second factor before it reaches anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/static/", "/api/", "/i18n/", "/health")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            allowed = {reverse("accounts:verify"), reverse("accounts:enroll"),
                       reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(OPEN_PREFIXES):
                return redirect("accounts:verify")
        return self.get_response(request)
