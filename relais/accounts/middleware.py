"""Every staff session must pass its second factor before it reaches anything else, and
ends after a period of inactivity."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/static/", "/api/", "/i18n/", "/health", "/invitation/")


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


# When the session last saw activity (seconds since the epoch), written at most once a minute.
LAST_ACTIVITY_KEY = "relais_last_activity"
ACTIVITY_RESOLUTION_SECONDS = 60


class IdleSessionMiddleware:
    """Sign out a session idle for longer than SESSION_COOKIE_AGE (RELAIS_SESSION_IDLE_MINUTES),
    without writing the session on every request.

    Activity is recorded in the session at most once a minute; each record saves the session,
    which also pushes its expiry in the database forward. A request within the minute writes
    nothing. A session idle past the limit is flushed here, so the request goes on signed out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            last = session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last >= settings.SESSION_COOKIE_AGE:
                logout(request)
            elif last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
