"""The justice assistant's list of the programme files her house of justice follows (issue 19
§1: "bans and programme files to monitor"): hers only, interruptions first, nothing of the
interviews, audited, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.audit.models import AuditEvent
from relais.conftest import verified_client
from relais.programmes.tests.factories import judicial_file, start, walk_in

pytestmark = pytest.mark.django_db

URL = "/programmes/followed/"


def test_it_requires_sign_in_and_is_the_justice_assistants_alone(cast, directory):
    judicial_file(cast, directory)
    response = Client().get(URL)
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for someone in (cast.officer_a, cast.counsellor, cast.legal_advisor, cast.shelter_worker,
                    cast.analyst_a):
        assert verified_client(someone).get(URL).status_code == 404


def test_she_sees_her_houses_judicial_files_not_the_voluntary_ones(cast, directory):
    file = start(cast, judicial_file(cast, directory))
    walk_in(cast)  # voluntary: the programme's alone
    page = verified_client(cast.justice_assistant).get(URL).content.decode()
    assert file.participant.last_name in page and cast.case.reference in page
    assert "Volontaire" not in page
    assert "h of" in page  # the hours against the threshold, as on the case page
    assert AuditEvent.objects.filter(user_id=cast.justice_assistant.pk, action="read",
                                     basis__startswith="programme files followed").exists()


def test_the_list_is_in_menu_and_in_constant_queries(cast, directory):
    client = verified_client(cast.justice_assistant)
    with CaptureQueriesContext(connection) as none:
        client.get(URL)
    start(cast, judicial_file(cast, directory))
    with CaptureQueriesContext(connection) as one:
        page = client.get(URL).content.decode()
    assert len(one) <= len(none) + 2  # the files and their programmes' rules, whatever N
    assert len(one) <= 17  # the menu counts the approvals she may decide
    assert reverse("programmes:followed") in client.get("/measures/").content.decode()
    assert page.count("<tr>") == 2  # the head and the file
