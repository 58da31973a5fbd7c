"""Sessions end after inactivity without a write on every request."""

from __future__ import annotations

import time

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.accounts.middleware import LAST_ACTIVITY_KEY
from relais.conftest import verified_client

MY_CASES = reverse("cases:my_cases")


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"]
            and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def last_activity(client, seconds_ago: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_a_page_within_the_minute_writes_no_session(cast):
    client = verified_client(cast.officer_a)
    assert client.get(MY_CASES).status_code == 200  # records the activity once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MY_CASES).status_code == 200
    assert session_writes(queries.captured_queries) == []


def test_activity_keeps_the_session_alive(cast, settings):
    client = verified_client(cast.officer_a)
    last_activity(client, settings.SESSION_COOKIE_AGE - 120)
    before = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MY_CASES).status_code == 200
    assert len(session_writes(queries.captured_queries)) == 1  # at most one a minute
    assert Session.objects.get().expire_date > before
    assert client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 5


def test_a_session_idle_past_the_limit_is_signed_out(cast, settings):
    client = verified_client(cast.officer_a)
    last_activity(client, settings.SESSION_COOKIE_AGE + 1)
    response = client.get(MY_CASES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert client.get(MY_CASES).status_code == 302  # stays signed out
