"""The helpline's screens: sign-in, 404 for everyone else, the call screen (errors keep the
input, "save and new call"), the recent calls and the figures with their query counts."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.audit.models import AuditEvent
from relais.conftest import verified_client
from relais.directory.tests.factories import make_service
from relais.helpline.models import Call
from relais.helpline.tests.conftest import record

URLS = ("helpline:call_new", "helpline:calls", "helpline:figures")
VALID = {"started_at": "2026-01-15T21:40", "duration_minutes": "18", "channel": "chat",
         "language": "nl", "caller_type": "relative", "victim_sex": "F", "victim_age": "18-24",
         "violence_forms": ["physical", "digital_stalking"], "children_present": "no",
         "danger_now": "yes", "province": "40000", "topics": ["safety_planning", "police"],
         "referral": "", "referral_other": "", "police_called": "yes", "note": ""}


def test_every_screen_requires_sign_in(helplines):
    for name in URLS:
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), name


def test_everyone_else_gets_404(cast, helplines):
    # Not a helpline's operator: no call screen, no list.
    for user in (cast.officer_a, cast.support_worker, cast.analyst_a, cast.admin_a,
                 helplines.analyst):
        client = verified_client(user)
        assert client.get(reverse("helpline:call_new")).status_code == 404, user
        assert client.post(reverse("helpline:call_new"), VALID).status_code == 404, user
        assert client.get(reverse("helpline:calls")).status_code == 404, user
    # Not the helpline's analyst: no figures (zone A's analyst is not the helpline's).
    for user in (cast.officer_a, cast.analyst_a, helplines.operator, helplines.other_operator):
        assert verified_client(user).get(reverse("helpline:figures")).status_code == 404, user
    assert not Call.objects.exists()


def test_another_helpline_does_not_see_the_calls(helplines):
    service = make_service("test-caw", name="CAW test (fictitious)")
    record(helplines.operator, referral_id=service.pk, referral_other="Fictitious desk")
    mine = verified_client(helplines.operator).get(reverse("helpline:calls")).content.decode()
    assert "CAW test (fictitious)" in mine and "another service" in mine
    assert "Fictitious desk" not in mine  # codes only: the free texts stay in the record
    page = verified_client(helplines.other_operator).get(reverse("helpline:calls"))
    assert page.status_code == 200 and "No call recorded yet." in page.content.decode()


def test_the_call_screen_is_one_accessible_form_prefilled_to_now(helplines):
    client = verified_client(helplines.operator)
    page = client.get(reverse("helpline:call_new")).content.decode()
    assert page.count("<fieldset") >= 4 and "<legend>Who calls?</legend>" in page
    assert 'type="datetime-local"' in page and 'name="started_at" value="20' in page
    assert 'type="radio" name="caller_type"' in page
    assert 'type="checkbox" name="topics"' in page
    assert "No personal data" in page and "Save and new call" in page
    # The menu leads here.
    assert reverse("helpline:call_new") in page


def test_an_error_keeps_the_input_and_saves_nothing(helplines):
    client = verified_client(helplines.operator)
    response = client.post(reverse("helpline:call_new"), {**VALID, "caller_type": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "field-error" in page
    assert 'value="relative"' in page  # the choices are still there...
    assert re.search(r'<input type="radio" name="channel" value="chat"[^>]* checked', page)
    assert 'value="18"' in page  # ...and what she typed
    assert not Call.objects.exists()


def test_save_goes_to_the_list_and_save_and_new_to_a_blank_call(helplines):
    client = verified_client(helplines.operator)
    response = client.post(reverse("helpline:call_new"), VALID)
    assert response.status_code == 302 and response.url == reverse("helpline:calls")
    call = Call.objects.get()
    assert (call.channel, call.caller_type, call.danger_now, call.police_called) == (
        "chat", "relative", True, True)
    assert sorted(call.topics.values_list("topic", flat=True)) == ["police", "safety_planning"]
    response = client.post(reverse("helpline:call_new"), {**VALID, "_new_call": "1"})
    assert response.status_code == 302 and response.url == reverse("helpline:call_new")
    assert Call.objects.count() == 2
    page = client.get(reverse("helpline:calls")).content.decode()
    assert "Safety planning" in page and "Chat" in page


def test_the_list_takes_the_same_queries_whatever_the_number_of_calls(helplines):
    record(helplines.operator, topics=["information"])
    client = verified_client(helplines.operator)
    client.get(reverse("helpline:calls"))  # warm the session and the menu
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("helpline:calls")).status_code == 200
    service = make_service("test-caw", name="CAW test (fictitious)")
    for _ in range(12):
        record(helplines.operator, topics=["information", "legal"], referral_id=service.pk)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("helpline:calls")).status_code == 200
    assert len(many) == len(few) <= 16, [q["sql"] for q in many]
    assert AuditEvent.objects.filter(basis__startswith="helpline calls").exists()


def test_the_figures_take_constant_queries_and_are_audited(helplines):
    client = verified_client(helplines.analyst)
    client.get(reverse("helpline:figures"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("helpline:figures")).status_code == 200
    for _ in range(15):
        record(helplines.operator, topics=["information", "money"])
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("helpline:figures") + "?months=3")
    assert page.status_code == 200 and len(many) == len(few)
    content = page.content.decode()
    assert "several answers possible" in content and "N = 15 calls" in content
    event = AuditEvent.objects.filter(basis__startswith="helpline figures").last()
    assert event.case_id is None and event.object_id == str(helplines.line.pk)
