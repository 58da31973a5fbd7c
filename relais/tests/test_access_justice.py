"""The access matrix of the justice side: who opens what, role by role.

One situation holds every kind of record of issue 6 on the cast case: an official report in
the prosecution tracking table, a residence ban (monitored by the house of justice), a granted
harassment alarm with one press, and a perpetrator-programme file on a judicial mandate. Each
role of the cast then asks for each screen; missing and forbidden both answer 404, and the
dispatcher gets the alarm summary and nothing else.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.alarms.tests.factories import live_alarm, press
from relais.conftest import VICTIM_PHONE, verified_client
from relais.justice.models import Entry
from relais.measures.tests.factories import order_ban
from relais.programmes.tests.factories import judicial_file

ROLES = ["officer_a", "officer_b", "sapv_a", "dispatcher_a", "legal_advisor", "magistrate",
         "justice_assistant", "counsellor", "analyst_a", "shelter_worker"]


@pytest.fixture
def situation(cast, directory):
    programme_file = judicial_file(cast, directory)  # records the official report too
    ban = order_ban(cast)
    assignment = live_alarm(cast)
    activation = press(cast, assignment.device.serial)
    entry = Entry.objects.filter(report__case=cast.case).first()
    return {
        "case": reverse("cases:case_detail", args=[cast.case.pk]),
        "prosecution_entry": reverse("justice:entry", args=[entry.pk]),
        "residence_ban": reverse("measures:ban", args=[ban.pk]),
        "ban_notice": reverse("measures:ban_notice", args=[ban.pk]) + "?lang=fr",
        "alarm_request": reverse("alarms:request", args=[assignment.request_id]),
        "alarm_summary": reverse("alarms:summary", args=[activation.pk]),
        "programme_file": reverse("programmes:file", args=[programme_file.pk]),
    }


# Who gets the page (200); every other role of ROLES gets 404.
OPENS = {
    "case": {"officer_a", "sapv_a", "legal_advisor", "magistrate", "justice_assistant",
             "counsellor"},
    "prosecution_entry": {"legal_advisor", "magistrate"},
    "residence_ban": {"officer_a", "sapv_a", "legal_advisor", "magistrate", "justice_assistant"},
    "ban_notice": {"officer_a", "sapv_a", "legal_advisor", "magistrate", "justice_assistant"},
    "alarm_request": {"officer_a", "sapv_a", "legal_advisor", "magistrate"},
    "alarm_summary": {"dispatcher_a"},
    "programme_file": {"counsellor"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_its_screens(cast, situation, role):
    client = verified_client(getattr(cast, role))
    answers = {name: client.get(url).status_code for name, url in situation.items()}
    expected = {name: 200 if role in OPENS[name] else 404 for name in situation}
    assert answers == expected


@pytest.mark.parametrize("screen", ["prosecution_entry", "residence_ban", "alarm_summary",
                                    "programme_file"])
def test_every_screen_asks_to_sign_in(client, situation, screen):
    response = client.get(situation[screen])
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_the_programme_never_reads_the_victims_phone_on_its_screens(cast, situation):
    client = verified_client(cast.counsellor)
    for name in ("case", "programme_file"):
        assert VICTIM_PHONE not in client.get(situation[name]).content.decode()
